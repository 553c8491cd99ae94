# Probe-level tests for how the gMSA check reads the errors of the AD cmdlets: "the service's gMSA is not in AD" is
# recognised by any one of its signs (the error id, the exception's type, the category), each on its own, so that an
# error that carries only one of them (through another module version or a wrapper) still gets the explanation
# instead of a bare probe error; an error with none of them is not taken for it. Whole runs are in Scenarios.Tests.ps1.

BeforeAll {
	$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
	Import-Module (Join-Path $repo 'src/powershell/PadProbes.psm1') -Force

	# The exception the ActiveDirectory module throws for an identity it cannot find, by its real full name (the module
	# is not on the test host).
	if (-not ('Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException' -as [type])) {
		Add-Type -TypeDefinition @'
namespace Microsoft.ActiveDirectory.Management {
	public class ADIdentityNotFoundException : System.Exception {
		public ADIdentityNotFoundException(string message) : base(message) { }
	}
}
'@
	}

	function New-AdError {
		param([System.Exception] $Exception, [string] $ErrorId, [System.Management.Automation.ErrorCategory] $Category)
		New-Object System.Management.Automation.ErrorRecord($Exception, $ErrorId, $Category, 'pGMSA_2345ad35$')
	}
}

AfterAll {
	Remove-Module PadProbes -ErrorAction SilentlyContinue
	foreach ($name in 'Get-ADServiceAccount', 'Test-ADServiceAccount', 'Get-ADComputer') {
		if (Test-Path -LiteralPath ('function:global:' + $name)) { Remove-Item -LiteralPath ('function:global:' + $name) }
	}
}

Describe 'Test-PadGmsaUsable when the service''s gMSA cannot be read from AD' {
	BeforeAll {
		# Linux has no ActiveDirectory module: stand-ins the mocks replace, so the check does not report it as missing.
		function global:Get-ADServiceAccount { [CmdletBinding()] param([string] $Identity, [string] $Filter, [string[]] $Properties) }
		function global:Test-ADServiceAccount { [CmdletBinding()] param([string] $Identity) }
		function global:Get-ADComputer { [CmdletBinding()] param([string] $Identity, [string[]] $Properties) }
		# The wizard has run: the service logs on as its gMSA, so the check reads that account by identity.
		Mock -ModuleName PadProbes Get-PadAgentService { [pscustomobject]@{ Name = 'AADConnectProvisioningAgent'; StartName = 'CONTOSO\pGMSA_2345ad35$' } }
		Mock -ModuleName PadProbes Get-ADServiceAccount { $PSCmdlet.ThrowTerminatingError($script:adError) }
		$notFoundMessage = "Cannot find an object with identity: 'pGMSA_2345ad35$' under: 'DC=contoso,DC=com'."
	}

	It 'explains that AD has no gMSA of that name when the error shows it only by <Sign>' -TestCases @(
		@{ Sign = 'its error id'; Type = 'System.Exception'; ErrorId = 'ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException,Microsoft.ActiveDirectory.Management.Commands.GetADServiceAccount'; Category = 'NotSpecified' }
		@{ Sign = 'the exception''s type'; Type = 'Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException'; ErrorId = 'GetADServiceAccountFailed'; Category = 'NotSpecified' }
		@{ Sign = 'the category ObjectNotFound'; Type = 'System.Exception'; ErrorId = 'GetADServiceAccountFailed'; Category = 'ObjectNotFound' }
	) {
		$script:adError = New-AdError -Exception (New-Object $Type $notFoundMessage) -ErrorId $ErrorId -Category $Category
		$r = Test-PadGmsaUsable -Context @{}
		$r.status | Should -Be 'unknown'
		$r.failureIds | Should -BeNullOrEmpty
		$r.error | Should -Be ('The service logs on as CONTOSO\pGMSA_2345ad35$, but Active Directory has no gMSA of that name: ' + $notFoundMessage)
		$r.evidence['exists'] | Should -BeFalse
		$r.evidence['accountSource'] | Should -Be 'service'
	}

	It 'does not call another AD error "no gMSA of that name" (the domain controller did not answer)' {
		$script:adError = New-AdError -Exception (New-Object System.Exception 'Unable to contact the server.') -ErrorId 'ActiveDirectoryServer:0,Microsoft.ActiveDirectory.Management.Commands.GetADServiceAccount' -Category 'ResourceUnavailable'
		{ Test-PadGmsaUsable -Context @{} } | Should -Throw 'Unable to contact the server.'
	}
}
