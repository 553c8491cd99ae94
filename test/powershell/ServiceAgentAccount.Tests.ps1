# Probe-level tests for what the service, agent installation and wizard account probes report at their edges: whether
# the agent is said to be installed, which service is taken for the Agent Updater when several could be, the part of
# the agent an Add or Remove Programs name stands for, the days left on the wizard account's password, the wizard
# account when no context is given, and secedit INF lines whose right has the shortest possible name. Windows is
# replaced by mocks in the PadProbes module, so every case states exactly what the probe sees.

BeforeAll {
	$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
	Import-Module (Join-Path $repo 'src/powershell/PadProbes.psm1') -Force
	# Get-CimInstance is not on every PowerShell 7 platform; a stand-in function gives Mock something to replace.
	$script:definedCim = $false
	if (-not (Get-Command -Name Get-CimInstance -ErrorAction SilentlyContinue)) {
		function global:Get-CimInstance { [CmdletBinding()] param([string] $ClassName, [string] $Filter, [string] $Namespace) }
		$script:definedCim = $true
	}
	$script:agentService = [pscustomobject]@{
		Name        = 'AADConnectProvisioningAgent'
		DisplayName = 'Microsoft Entra Provisioning Agent'
		State       = 'Running'
		StartMode   = 'Auto'
		StartName   = 'CONTOSO\provAgentgMSA$'
		PathName    = '"C:\Program Files\Microsoft Azure AD Connect Provisioning Agent\AADConnectProvisioningAgent.exe"'
	}
	$script:updaterPath = '"C:\Program Files\Microsoft Azure AD Connect Agent Updater\AzureADConnectAgentUpdater.exe"'
}

AfterAll {
	Remove-Module PadProbes -ErrorAction SilentlyContinue
	if ($script:definedCim) { Remove-Item -LiteralPath 'function:global:Get-CimInstance' -ErrorAction SilentlyContinue }
}

Describe 'Test-PadServiceState says whether the agent service is installed' {
	# The report and the fixes read "installed" to tell "no agent yet" from "an agent that does not run".
	It 'says installed, with the values of the service, when the service is there' {
		Mock -ModuleName PadProbes Get-PadAgentService { $script:agentService }
		$r = Test-PadServiceState -Context @{}
		$r.status | Should -Be 'pass'
		$r.evidence['installed'] | Should -BeTrue
		$r.evidence['state'] | Should -Be 'Running'
		$r.evidence['startName'] | Should -Be 'CONTOSO\provAgentgMSA$'
	}

	It 'says installed also for a stopped service: stopped is not the same as missing' {
		Mock -ModuleName PadProbes Get-PadAgentService { $s = $script:agentService.PSObject.Copy(); $s.State = 'Stopped'; $s }
		$r = Test-PadServiceState -Context @{}
		$r.failureIds | Should -Be @('service-stopped')
		$r.evidence['installed'] | Should -BeTrue
	}

	It 'says not installed, and is not applicable, when there is no service' {
		Mock -ModuleName PadProbes Get-PadAgentService { $null }
		$r = Test-PadServiceState -Context @{}
		$r.status | Should -Be 'notApplicable'
		$r.evidence['installed'] | Should -BeFalse
		$r.evidence['state'] | Should -BeNullOrEmpty
	}
}

Describe 'Test-PadAgentUpdater without the agent' {
	It 'is not applicable and says the agent is not installed, looking for no updater' {
		Mock -ModuleName PadProbes Get-PadAgentService { $null }
		Mock -ModuleName PadProbes Get-CimInstance { throw 'the updater must not be looked for without the agent' }
		$r = Test-PadAgentUpdater -Context @{}
		$r.status | Should -Be 'notApplicable'
		$r.evidence['agentInstalled'] | Should -BeFalse
		$r.evidence['updaterName'] | Should -BeNullOrEmpty
	}

	It 'says the agent is installed once its service is there' {
		Mock -ModuleName PadProbes Get-PadAgentService { $script:agentService }
		Mock -ModuleName PadProbes Get-CimInstance { [pscustomobject]@{ Name = 'AzureADConnectAgentUpdater'; DisplayName = 'Microsoft Entra Connect Agent Updater'; PathName = $script:updaterPath; State = 'Running'; StartMode = 'Auto' } }
		$r = Test-PadAgentUpdater -Context @{}
		$r.status | Should -Be 'pass'
		$r.evidence['agentInstalled'] | Should -BeTrue
	}
}

Describe 'Find-PadAgentUpdaterService when more than one service could be the updater' {
	It 'takes the service running the updater''s executable over one listed before it with an updater display name' {
		# Win32_Service lists services in no documented order: the better match must win wherever it comes.
		Mock -ModuleName PadProbes Get-CimInstance {
			[pscustomobject]@{ Name = 'OldUpdater'; DisplayName = 'Microsoft Azure AD Connect Agent Updater'; PathName = 'C:\Old\Updater.exe'; State = 'Stopped' }
			[pscustomobject]@{ Name = 'AzureADConnectAgentUpdater'; DisplayName = 'Updater'; PathName = $script:updaterPath; State = 'Running' }
		}
		$found = Find-PadAgentUpdaterService
		$found.Service.Name | Should -Be 'AzureADConnectAgentUpdater'
		$found.MatchedBy | Should -Be 'executable'
	}

	It 'knows the updater by a PathName that starts with its executable, in any letter case' {
		# A service registered with a bare image name (no folder, no quotes) has the executable at position 0.
		Mock -ModuleName PadProbes Get-CimInstance { [pscustomobject]@{ Name = 'Upd'; DisplayName = 'Something else'; PathName = 'azureadconnectagentupdater.exe /service'; State = 'Running' } }
		$found = Find-PadAgentUpdaterService
		$found.Service.Name | Should -Be 'Upd'
		$found.MatchedBy | Should -Be 'executable'
	}
}

Describe 'Get-PadUninstallRole' {
	It 'gives each Add or Remove Programs name of the agent exactly one part: updater, package or agent' {
		# Only agent and package entries are counted as versions; the Agent Updater has versions of its own.
		$cases = [ordered]@{
			'Microsoft Entra Provisioning Agent'                    = 'agent'
			'Microsoft Entra Provisioning Agent Package'            = 'package'
			'Microsoft Entra Connect Agent Updater'                 = 'updater'
			'Microsoft Azure AD Connect Provisioning Agent'         = 'agent'
			'Microsoft Azure AD Connect Provisioning Agent Package' = 'package'
			'Microsoft Azure AD Connect Agent Updater'              = 'updater'
		}
		@((Get-PadAgentFacts).uninstallNames | Where-Object { -not $cases.Contains([string]$_) }) | Should -BeNullOrEmpty -Because 'every name of the catalogue has a case here'
		foreach ($name in $cases.Keys) {
			$role = @(Get-PadUninstallRole $name)
			$role.Count | Should -Be 1 -Because $name
			$role[0] | Should -BeExactly $cases[$name] -Because $name
		}
	}
}

Describe 'Get-PadWizardAccountName without a context' {
	It 'is the current user, and writes no error, when the context itself is missing' {
		Mock -ModuleName PadProbes Get-PadCurrentIdentity { [pscustomobject]@{ Name = 'CONTOSO\admin'; IsElevated = $true; GroupSids = @() } }
		$output = @(& (Get-Module PadProbes) { Get-PadWizardAccountName -Context $null 2>&1 })
		@($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
		$output.Count | Should -Be 1
		$output[0].Name | Should -Be 'CONTOSO\admin'
		$output[0].Source | Should -Be 'current user'
	}

	It 'is the current user for a wizard account of blanks only' {
		Mock -ModuleName PadProbes Get-PadCurrentIdentity { [pscustomobject]@{ Name = 'CONTOSO\admin'; IsElevated = $true; GroupSids = @() } }
		$who = & (Get-Module PadProbes) { Get-PadWizardAccountName -Context @{ WizardAccount = '   ' } }
		$who.Name | Should -Be 'CONTOSO\admin'
		$who.Source | Should -Be 'current user'
	}
}

Describe 'Days until the wizard account''s password expires' {
	BeforeAll {
		$script:now = [datetime]::new(2026, 12, 1, 12, 0, 0, [System.DateTimeKind]::Utc)
		$script:sids = [pscustomobject]@{ DomainName = 'contoso.com'; DomainSid = 'S-1-5-21-1-2-3'; ForestRootDomainName = 'contoso.com'; ForestRootDomainSid = 'S-1-5-21-1-2-3' }
		function Get-DaysLeft([double] $Days) {
			$account = [pscustomobject]@{
				UserAccountControl         = 512
				UserAccountControlComputed = 0
				AccountExpires             = [long]::MaxValue
				PasswordExpiryTime         = $script:now.AddDays($Days).ToFileTimeUtc()
				TokenGroups                = [string[]]@('S-1-5-21-1-2-3-512')
			}
			$rules = & (Get-Module PadProbes) { Get-PadCheckRules -CheckId 'permissions.wizard-account' }
			$findings = & (Get-Module PadProbes) { param($a, $s, $r, $n) Get-PadWizardAccountFindings -Account $a -DomainSids $s -Rules $r -Now $n } $account $script:sids $rules $script:now
			$findings.Evidence['daysUntilPasswordExpiry']
		}
	}

	It 'are given to one decimal: 3 days 10 h 56 min (3.456 days) is 3.5, 40.04 days is 40.0' {
		Get-DaysLeft 3.456 | Should -Be 3.5
		Get-DaysLeft 40.04 | Should -Be 40.0
	}
}

Describe 'ConvertFrom-PadSeceditInf at the start of a line' {
	It 'reads a right whose name is a single character, and no line that has no name before its =' {
		$text = "[Privilege Rights]`r`nX = *S-1-5-20`r`n= *S-1-5-19`r`nY=*S-1-5-80-0`r`n"
		ConvertFrom-PadSeceditInf -Text $text -Right 'X' | Should -Be @('S-1-5-20')
		ConvertFrom-PadSeceditInf -Text $text -Right 'Y' | Should -Be @('S-1-5-80-0')
	}
}
