# Probe-level tests for the permissions and server probes: the decision boundaries (memory, .NET release, OS build and
# revision, password expiry, agent versions), the registry reading of the execution policy, SID matching of the admin
# groups, and the helpers the scenario tests reach only through whole runs. Windows is replaced by mocks in the
# PadProbes module, so every case states exactly what the probe sees.

BeforeAll {
	$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
	Import-Module (Join-Path $repo 'src/powershell/PadProbes.psm1') -Force
	# Get-CimInstance is not on every PowerShell 7 platform; a stub gives Mock something to replace.
	$script:definedCim = $false
	if (-not (Get-Command -Name Get-CimInstance -ErrorAction SilentlyContinue)) {
		function global:Get-CimInstance { [CmdletBinding()] param([string] $ClassName, [string] $Filter) }
		$script:definedCim = $true
	}
	$script:sid = 'S-1-5-21-1004336348-1177238915-682003330'
	$script:root = 'S-1-5-21-5555555555-6666666666-777777777'
	$script:sids = [pscustomobject]@{ DomainName = 'contoso.com'; DomainSid = $sid; ForestRootDomainName = 'contoso.com'; ForestRootDomainSid = $root }
	$script:now = [datetime]::new(2026, 12, 1, 12, 0, 0, [System.DateTimeKind]::Utc)

	function Set-Registry([hashtable] $Keys) {
		# Get-ItemProperty as the probes call it: one key, its values, ObjectNotFound for a missing key.
		$script:registry = $Keys
		Mock -ModuleName PadProbes Get-ItemProperty {
			$key = [string]@($LiteralPath + $Path | Where-Object { $_ })[0]
			foreach ($k in $script:registry.Keys) {
				if ($k -ieq $key) {
					if ($script:registry[$k] -is [string]) { throw [System.Security.SecurityException]::new($script:registry[$k]) }
					return [pscustomobject]$script:registry[$k]
				}
			}
			Write-Error -Message "Cannot find path '$key' because it does not exist." -Category ObjectNotFound -ErrorAction Stop
		}
	}

	function New-Account([hashtable] $Changes = @{}) {
		$account = [ordered]@{
			DistinguishedName          = 'CN=admin,DC=contoso,DC=com'
			SamAccountName             = 'admin'
			PrincipalName              = 'CONTOSO\admin'
			UserAccountControl         = 512
			UserAccountControlComputed = 0
			AccountExpires             = [long]::MaxValue
			PasswordExpiryTime         = $now.AddDays(60).ToFileTimeUtc()
			PasswordLastSet            = $now.AddDays(-30).ToFileTimeUtc()
			TokenGroups                = [string[]]@("$sid-512", "$sid-513")
			Domain                     = 'contoso.com'
		}
		foreach ($k in $Changes.Keys) { $account[$k] = $Changes[$k] }
		[pscustomobject]$account
	}

	function Get-Findings($Account, $AgentVersion = $null) {
		$rules = & (Get-Module PadProbes) { Get-PadCheckRules -CheckId 'permissions.wizard-account' }
		& (Get-Module PadProbes) { param($a, $s, $r, $n, $v) Get-PadWizardAccountFindings -Account $a -DomainSids $s -Rules $r -Now $n -AgentVersion $v } $Account $sids $rules $now $AgentVersion
	}
}

AfterAll {
	Remove-Module PadProbes -ErrorAction SilentlyContinue
	if ($script:definedCim) { Remove-Item -LiteralPath 'function:global:Get-CimInstance' }
}

Describe 'Get-PadDomainAdminGroups matches by the SIDs of this domain and its forest root' {
	It 'finds Domain Admins of this domain and Enterprise Admins of the forest root, once each' {
		$groups = & (Get-Module PadProbes) { param($s) Get-PadDomainAdminGroups -GroupSids @("$($s.DomainSid)-512", "$($s.ForestRootDomainSid)-519", "$($s.DomainSid)-512") -DomainSids $s } $sids
		$groups | Should -Be @('Domain Admins', 'Enterprise Admins')
	}

	It 'does not count RID 512 of another domain, nor RID 519 of this (non-root) domain' {
		$groups = & (Get-Module PadProbes) { param($s) Get-PadDomainAdminGroups -GroupSids @('S-1-5-21-1-2-3-512', "$($s.ForestRootDomainSid)-512", "$($s.DomainSid)-519", "$($s.DomainSid)-5120") -DomainSids $s } $sids
		, $groups | Should -BeOfType [string[]]
		$groups.Count | Should -Be 0
	}
}

Describe 'Test-PadComputerInDomain reads the one Win32_ComputerSystem instance' {
	It 'says joined or not from PartOfDomain' {
		Mock -ModuleName PadProbes Get-CimInstance { [pscustomobject]@{ Name = 'AGENT01'; PartOfDomain = $true } }
		InModuleScope PadProbes { Test-PadComputerInDomain } | Should -BeTrue
		Mock -ModuleName PadProbes Get-CimInstance { [pscustomobject]@{ Name = 'AGENT01'; PartOfDomain = $false } }
		InModuleScope PadProbes { Test-PadComputerInDomain } | Should -BeFalse
		Mock -ModuleName PadProbes Get-CimInstance { [pscustomobject]@{ Name = 'AGENT01' } }
		InModuleScope PadProbes { Test-PadComputerInDomain } | Should -BeFalse -Because 'no PartOfDomain is not proof of membership'
	}

	It 'throws (the check becomes "could not check") when CIM returns no instance, instead of guessing' {
		Mock -ModuleName PadProbes Get-CimInstance { }
		{ InModuleScope PadProbes { Test-PadComputerInDomain } } | Should -Throw '*no instance of Win32_ComputerSystem*'
	}
}

Describe 'Helpers for accounts and versions' {
	It 'reads AD times: 0 and 0x7FFFFFFFFFFFFFFF are no date, anything else a UTC date' {
		& (Get-Module PadProbes) { ConvertFrom-PadFileTime 0 } | Should -BeNullOrEmpty
		& (Get-Module PadProbes) { ConvertFrom-PadFileTime ([long]::MaxValue) } | Should -BeNullOrEmpty
		& (Get-Module PadProbes) { param($t) ConvertFrom-PadFileTime $t } $now.ToFileTimeUtc() | Should -Be $now
	}

	It 'compares agent versions as versions, not as text' {
		$old = & (Get-Module PadProbes) { ConvertTo-PadVersion '1.1.972.0' }
		$new = & (Get-Module PadProbes) { ConvertTo-PadVersion '1.1.1365.0 (release build)' }
		($old -lt $new) | Should -BeTrue
		& (Get-Module PadProbes) { ConvertTo-PadVersion 'unknown' } | Should -BeNullOrEmpty
	}

	It 'splits DOMAIN\name, name@suffix and a bare name' {
		$a = & (Get-Module PadProbes) { Split-PadAccountName -Name 'CONTOSO\admin' }
		$a.Domain | Should -Be 'CONTOSO'
		$a.SamAccountName | Should -Be 'admin'
		(& (Get-Module PadProbes) { Split-PadAccountName -Name 'admin@contoso.com' }).UserPrincipalName | Should -Be 'admin@contoso.com'
		$bare = & (Get-Module PadProbes) { Split-PadAccountName -Name 'admin' }
		$bare.SamAccountName | Should -Be 'admin'
		$bare.Domain | Should -BeNullOrEmpty
	}

	It 'takes the wizard account from the context, else the current user' {
		Mock -ModuleName PadProbes Get-PadCurrentIdentity { [pscustomobject]@{ Name = 'CONTOSO\admin'; IsElevated = $true; GroupSids = @() } }
		$given = & (Get-Module PadProbes) { Get-PadWizardAccountName -Context @{ WizardAccount = ' CONTOSO\installer ' } }
		$given.Name | Should -Be 'CONTOSO\installer'
		$given.Source | Should -Be 'parameter'
		(& (Get-Module PadProbes) { Get-PadWizardAccountName -Context @{ WizardAccount = '' } }).Source | Should -Be 'current user'
		(& (Get-Module PadProbes) { Get-PadWizardAccountName -Context @{} }).Name | Should -Be 'CONTOSO\admin'
	}
}

Describe 'Get-PadWizardAccountFindings' {
	It 'finds nothing for a usable Domain Admin' {
		(Get-Findings (New-Account)).FailureIds.Count | Should -Be 0
	}

	It 'passes a password that expires exactly 14 days from now, and warns one second earlier' {
		(Get-Findings (New-Account @{ PasswordExpiryTime = $now.AddDays(14).ToFileTimeUtc() })).FailureIds.Count | Should -Be 0
		$r = Get-Findings (New-Account @{ PasswordExpiryTime = $now.AddDays(14).AddSeconds(-1).ToFileTimeUtc() })
		$r.FailureIds | Should -Be @('wizard-account-password-expiring')
		$r.Evidence['daysUntilPasswordExpiry'] | Should -Be 14.0
		$r.Evidence['passwordWarningDays'] | Should -Be 14
	}

	It 'treats a password that expires now, or must be changed at next sign-in, as expired (never as expiring)' {
		(Get-Findings (New-Account @{ PasswordExpiryTime = $now.ToFileTimeUtc() })).FailureIds | Should -Be @('wizard-account-password-expired')
		$r = Get-Findings (New-Account @{ PasswordExpiryTime = 0; PasswordLastSet = 0 })
		$r.FailureIds | Should -Be @('wizard-account-password-expired')
		$r.Evidence['mustChangePassword'] | Should -BeTrue
		(Get-Findings (New-Account @{ UserAccountControlComputed = 0x800000; PasswordExpiryTime = $now.AddDays(3).ToFileTimeUtc() })).FailureIds | Should -Be @('wizard-account-password-expired')
	}

	It 'never warns about a password that never expires' {
		$r = Get-Findings (New-Account @{ PasswordExpiryTime = [long]::MaxValue })
		$r.FailureIds.Count | Should -Be 0
		$r.Evidence['passwordExpires'] | Should -Be 'never'
	}

	It 'fails an account that expired one second ago, not one that expires in one second' {
		(Get-Findings (New-Account @{ AccountExpires = $now.AddSeconds(-1).ToFileTimeUtc() })).FailureIds | Should -Be @('wizard-account-expired')
		(Get-Findings (New-Account @{ AccountExpires = $now.AddSeconds(1).ToFileTimeUtc() })).FailureIds.Count | Should -Be 0
		(Get-Findings (New-Account @{ AccountExpires = 0 })).Evidence['accountExpires'] | Should -Be 'never'
	}

	It 'reads disabled from userAccountControl and locked out from the computed flags' {
		(Get-Findings (New-Account @{ UserAccountControl = 514 })).FailureIds | Should -Be @('wizard-account-disabled')
		(Get-Findings (New-Account @{ UserAccountControl = 512 + 0x10 })).FailureIds.Count | Should -Be 0
		(Get-Findings (New-Account @{ UserAccountControlComputed = 0x10 })).FailureIds | Should -Be @('wizard-account-locked')
	}

	It 'finds Protected Users by RID 525 of this domain only' {
		(Get-Findings (New-Account @{ TokenGroups = [string[]]@("$sid-512", "$sid-525") })).FailureIds | Should -Be @('wizard-account-protected-users')
		(Get-Findings (New-Account @{ TokenGroups = [string[]]@("$sid-512", 'S-1-5-21-9-9-9-525') })).FailureIds.Count | Should -Be 0
	}

	It 'fails a non-admin below agent 1.1.2505.0 and accepts one from 1.1.2505.0' {
		$plain = New-Account @{ TokenGroups = [string[]]@("$sid-513") }
		(Get-Findings $plain).FailureIds | Should -Be @('wizard-account-not-admin')
		(Get-Findings $plain ([version]'1.1.2334.0')).FailureIds | Should -Be @('wizard-account-not-admin')
		$r = Get-Findings $plain ([version]'1.1.2505.0')
		$r.FailureIds.Count | Should -Be 0
		$r.Evidence['adminOptionalForCustomGmsa'] | Should -BeTrue
	}
}

Describe 'Test-PadWizardAccount' {
	BeforeAll {
		Mock -ModuleName PadProbes Test-PadComputerInDomain { $true }
		Mock -ModuleName PadProbes Get-PadDomainSids { $script:sids }
		Mock -ModuleName PadProbes Get-PadFileVersion { $null }
		Mock -ModuleName PadProbes Get-PadCurrentIdentity { [pscustomobject]@{ Name = 'CONTOSO\admin'; IsElevated = $true; GroupSids = @() } }
	}

	It 'looks a user principal name up by UPN and a DOMAIN\name by its sAMAccountName' {
		Mock -ModuleName PadProbes Get-PadDirectoryAccount { New-Account }
		(Test-PadWizardAccount -Context @{ Now = $now; WizardAccount = 'admin@contoso.com' }).status | Should -Be 'pass'
		Should -Invoke -ModuleName PadProbes Get-PadDirectoryAccount -Times 1 -Exactly -ParameterFilter { $UserPrincipalName -eq 'admin@contoso.com' }
		(Test-PadWizardAccount -Context @{ Now = $now; WizardAccount = 'contoso\ADMIN' }).status | Should -Be 'pass'
		Should -Invoke -ModuleName PadProbes Get-PadDirectoryAccount -Times 1 -Exactly -ParameterFilter { $SamAccountName -eq 'ADMIN' }
	}

	It 'does not take the account of this domain for one of another domain with the same name' {
		Mock -ModuleName PadProbes Get-PadDirectoryAccount { New-Account }
		$r = Test-PadWizardAccount -Context @{ Now = $now; WizardAccount = 'AGENT01\admin' }
		$r.status | Should -Be 'unknown'
		$r.failureIds | Should -Be @('wizard-account-not-found')
	}

	It 'cannot decide without the userAccountControl values, and says which attribute was missing' {
		Mock -ModuleName PadProbes Get-PadDirectoryAccount { New-Account @{ UserAccountControlComputed = $null } }
		$r = Test-PadWizardAccount -Context @{ Now = $now }
		$r.status | Should -Be 'unknown'
		$r.error | Should -BeLike '*msDS-User-Account-Control-Computed*'
	}

	It 'is not applicable off a domain' {
		Mock -ModuleName PadProbes Test-PadComputerInDomain { $false }
		(Test-PadWizardAccount -Context @{ Now = $now }).status | Should -Be 'notApplicable'
	}
}

Describe 'Test-PadDomainAdmin' {
	BeforeAll {
		Mock -ModuleName PadProbes Test-PadComputerInDomain { $true }
		Mock -ModuleName PadProbes Get-PadDomainSids { $script:sids }
		function Set-Identity([bool] $Elevated, [string[]] $Groups) {
			$script:identity = [pscustomobject]@{ Name = 'CONTOSO\someone'; IsElevated = $Elevated; GroupSids = $Groups }
			Mock -ModuleName PadProbes Get-PadCurrentIdentity { $script:identity }
		}
		function Set-AgentVersion([string] $Version) {
			$script:agentVersion = $Version
			Mock -ModuleName PadProbes Get-PadFileVersion { $script:agentVersion }
		}
	}

	It 'never blames missing rights when the token is filtered (not elevated)' {
		Set-Identity $false @("$sid-513")
		Set-AgentVersion $null
		$r = Test-PadDomainAdmin -Context @{}
		$r.status | Should -Be 'unknown'
		$r.failureIds.Count | Should -Be 0
		$r.error | Should -BeLike 'The session is not elevated*'
	}

	It 'fails below agent 1.1.2505.0 and warns from it' {
		Set-Identity $true @("$sid-513")
		Set-AgentVersion '1.1.2334.0'
		(Test-PadDomainAdmin -Context @{}).failureIds | Should -Be @('not-domain-admin')
		Set-AgentVersion '1.1.2505.0'
		$r = Test-PadDomainAdmin -Context @{}
		$r.status | Should -Be 'warning'
		$r.failureIds | Should -Be @('not-domain-admin-custom-gmsa')
		$r.evidence['agentVersion'] | Should -Be '1.1.2505.0'
	}

	It 'passes an Enterprise Admin of the forest root' {
		Set-Identity $true @("$root-519")
		(Test-PadDomainAdmin -Context @{}).evidence['adminGroups'] | Should -Be @('Enterprise Admins')
	}
}

Describe 'Thresholds of the server probes' {
	BeforeAll {
		function Set-Cim([hashtable] $Rows) {
			$script:cim = $Rows
			Mock -ModuleName PadProbes Get-CimInstance {
				foreach ($row in @($script:cim[$ClassName])) {
					if ($null -eq $row) { continue }
					if ($Filter -and $Filter -match "^Name='(.*)'$" -and $row['Name'] -ne $Matches[1]) { continue }
					[pscustomobject]$row
				}
			}
		}
		$cv = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
	}

	It 'accepts exactly 3.5 GiB of reported memory and fails one byte less' {
		Set-Cim @{ Win32_ComputerSystem = @{ TotalPhysicalMemory = 3758096384 } }
		(Test-PadMemory -Context @{}).status | Should -Be 'pass'
		Set-Cim @{ Win32_ComputerSystem = @{ TotalPhysicalMemory = 3758096383 } }
		$r = Test-PadMemory -Context @{}
		$r.failureIds | Should -Be @('memory-below-minimum')
		$r.evidence['minimumBytes'] | Should -Be 3758096384
	}

	It 'accepts .NET release 461308 (4.7.1) and fails 461307' {
		Set-Registry @{ 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full' = @{ Release = 461308 } }
		$r = Test-PadDotNet -Context @{}
		$r.status | Should -Be 'pass'
		$r.evidence['version'] | Should -Be '4.7.1'
		Set-Registry @{ 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full' = @{ Release = 461307 } }
		$r = Test-PadDotNet -Context @{}
		$r.failureIds | Should -Be @('dotnet-too-old')
		$r.evidence['version'] | Should -Be '4.7'
	}

	It 'accepts build 14393 (Windows Server 2016) and fails build 14392' {
		Set-Registry @{ $cv = @{ UBR = 1000 } }
		Set-Cim @{ Win32_OperatingSystem = @{ Caption = 'Windows Server'; BuildNumber = '14393'; ProductType = 3 } }
		$r = Test-PadOsVersion -Context @{}
		$r.status | Should -Be 'pass'
		$r.evidence['versionName'] | Should -Be 'Windows Server 2016'
		$r.evidence['extendedSupport'] | Should -BeTrue
		Set-Cim @{ Win32_OperatingSystem = @{ Caption = 'Windows Server'; BuildNumber = '14392'; ProductType = 3 } }
		(Test-PadOsVersion -Context @{}).failureIds | Should -Be @('os-too-old')
	}

	It 'passes Windows Server 2025 from revision 6901 and warns at 6900' {
		Set-Cim @{ Win32_OperatingSystem = @{ Caption = 'Windows Server 2025'; BuildNumber = '26100'; ProductType = 2 } }
		Set-Registry @{ $cv = @{ UBR = 6901 } }
		(Test-PadOsVersion -Context @{}).status | Should -Be 'pass'
		Set-Registry @{ $cv = @{ UBR = 6900 } }
		$r = Test-PadOsVersion -Context @{}
		$r.status | Should -Be 'warning'
		$r.failureIds | Should -Be @('os-2025-update-missing')
	}

	It 'does not name an unlisted server build, nor call 2019 in or out of extended support' {
		Set-Registry @{ $cv = @{ UBR = 1 } }
		Set-Cim @{ Win32_OperatingSystem = @{ Caption = 'Windows Server'; BuildNumber = '25398'; ProductType = 3 } }
		$r = Test-PadOsVersion -Context @{}
		$r.status | Should -Be 'pass'
		$r.evidence['versionName'] | Should -BeNullOrEmpty
		Set-Cim @{ Win32_OperatingSystem = @{ Caption = 'Windows Server 2019'; BuildNumber = '17763'; ProductType = 3 } }
		$r = Test-PadOsVersion -Context @{}
		$r.evidence['recommended'] | Should -BeFalse
		$r.evidence['extendedSupport'] | Should -BeNullOrEmpty
	}

	It 'fails TLS 1.2 turned off by Enabled 0 or by DisabledByDefault 1' {
		$base = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2'
		$netFx = @{ 'HKLM:\SOFTWARE\Microsoft\.NETFramework\v4.0.30319' = @{ SchUseStrongCrypto = 1 } }
		Set-Registry ($netFx + @{ "$base\Client" = @{ Enabled = 1; DisabledByDefault = 0 }; "$base\Server" = @{ Enabled = 1; DisabledByDefault = 0 } })
		(Test-PadTls12 -Context @{}).status | Should -Be 'pass'
		Set-Registry ($netFx + @{ "$base\Client" = @{ Enabled = 0; DisabledByDefault = 0 }; "$base\Server" = @{ Enabled = 1; DisabledByDefault = 0 } })
		(Test-PadTls12 -Context @{}).failureIds | Should -Be @('tls12-disabled')
		Set-Registry ($netFx + @{ "$base\Client" = @{ Enabled = 1; DisabledByDefault = 0 }; "$base\Server" = @{ Enabled = 1; DisabledByDefault = 1 } })
		(Test-PadTls12 -Context @{}).failureIds | Should -Be @('tls12-disabled')
	}
}

Describe 'Test-PadExecutionPolicy reads Windows PowerShell 5.1 policies from the registry' {
	BeforeAll {
		$lm = 'HKLM:\SOFTWARE\Microsoft\PowerShell\1\ShellIds\Microsoft.PowerShell'
		$cu = 'HKCU:\SOFTWARE\Microsoft\PowerShell\1\ShellIds\Microsoft.PowerShell'
		$gpm = 'HKLM:\Software\Policies\Microsoft\Windows\PowerShell'
		$gpu = 'HKCU:\Software\Policies\Microsoft\Windows\PowerShell'
		Mock -ModuleName PadProbes Get-ExecutionPolicy { throw 'The probe must not ask the running PowerShell.' }
	}

	It 'passes with nothing set: every scope Undefined, Windows Server applies RemoteSigned' {
		Set-Registry @{}
		$r = Test-PadExecutionPolicy -Context @{}
		$r.status | Should -Be 'pass'
		$r.evidence['localMachine'] | Should -Be 'Undefined'
		$r.evidence['effective'] | Should -Be 'RemoteSigned'
	}

	It 'recognises a value in any letter case and reports its proper name' {
		Set-Registry @{ $lm = @{ ExecutionPolicy = 'remotesigned' } }
		(Test-PadExecutionPolicy -Context @{}).evidence['localMachine'] | Should -BeExactly 'RemoteSigned'
	}

	It 'ranks CurrentUser above LocalMachine for the effective policy, and fails on either' {
		Set-Registry @{ $lm = @{ ExecutionPolicy = 'RemoteSigned' }; $cu = @{ ExecutionPolicy = 'AllSigned' } }
		$r = Test-PadExecutionPolicy -Context @{}
		$r.evidence['effective'] | Should -Be 'AllSigned'
		$r.failureIds | Should -Be @('execution-policy-unsupported')
	}

	It 'reads Turn on Script Execution: disabled is Restricted, enabled gives its policy, not configured is Undefined' {
		Set-Registry @{ $gpm = @{ EnableScripts = 0 } }
		$r = Test-PadExecutionPolicy -Context @{}
		$r.evidence['machinePolicy'] | Should -Be 'Restricted'
		$r.failureIds | Should -Be @('execution-policy-unsupported')
		Set-Registry @{ $gpu = @{ EnableScripts = 1; ExecutionPolicy = 'Unrestricted' } }
		$r = Test-PadExecutionPolicy -Context @{}
		$r.evidence['userPolicy'] | Should -Be 'Unrestricted'
		$r.failureIds | Should -Be @('execution-policy-unrestricted')
		Set-Registry @{ $gpm = @{ ExecutionPolicy = 'Unrestricted' } }
		(Test-PadExecutionPolicy -Context @{}).evidence['machinePolicy'] | Should -Be 'Undefined'
	}

	It 'cannot check a Group Policy value that is not one of its choices (Bypass is not)' {
		Set-Registry @{ $gpm = @{ EnableScripts = 1; ExecutionPolicy = 'Bypass' } }
		$r = Test-PadExecutionPolicy -Context @{}
		$r.status | Should -Be 'unknown'
		$r.evidence['effective'] | Should -BeNullOrEmpty
	}

	It 'reports both: a failing scope fails even when another scope is unreadable' {
		Set-Registry @{ $lm = @{ ExecutionPolicy = 'Unrestricted' }; $gpu = 'Requested registry access is not allowed.' }
		$r = Test-PadExecutionPolicy -Context @{}
		$r.status | Should -Be 'fail'
		$r.evidence['userPolicy'] | Should -BeNullOrEmpty
		Set-Registry @{ $gpu = 'Requested registry access is not allowed.' }
		$r = Test-PadExecutionPolicy -Context @{}
		$r.status | Should -Be 'unknown'
		$r.error | Should -BeLike '*UserPolicy*Requested registry access is not allowed*'
	}
}

Describe 'Test-PadNtlm and Test-PadIeEsc' {
	BeforeAll {
		$msv = 'HKLM:\SYSTEM\CurrentControlSet\Control\Lsa\MSV1_0'
		function Set-AgentVersion([string] $Version) {
			$script:agentVersion = $Version
			Mock -ModuleName PadProbes Get-PadFileVersion { $script:agentVersion }
		}
	}

	It 'warns about Deny all with agent 1.1.1364.0 and passes with 1.1.1365.0' {
		Set-Registry @{ $msv = @{ RestrictSendingNTLMTraffic = 2 } }
		Set-AgentVersion '1.1.1364.0'
		(Test-PadNtlm -Context @{}).failureIds | Should -Be @('ntlm-deny-all-old-agent')
		Set-AgentVersion '1.1.1365.0'
		$r = Test-PadNtlm -Context @{}
		$r.status | Should -Be 'pass'
		$r.evidence['outgoingNtlmPolicy'] | Should -Be 'Deny all'
	}

	It 'treats a missing value as Not defined (Allow all), even with an old agent' {
		Set-Registry @{ $msv = @{} }
		Set-AgentVersion '1.1.972.0'
		$r = Test-PadNtlm -Context @{}
		$r.status | Should -Be 'pass'
		$r.evidence['denyAll'] | Should -BeFalse
	}

	It 'warns only when IE ESC is on for administrators, and cannot check an unknown value' {
		$admins = 'HKLM:\SOFTWARE\Microsoft\Active Setup\Installed Components\{A509B1A7-37EF-4b3f-8CFC-4F3A74704073}'
		$users = 'HKLM:\SOFTWARE\Microsoft\Active Setup\Installed Components\{A509B1A8-37EF-4b3f-8CFC-4F3A74704073}'
		Set-Registry @{ $admins = @{ IsInstalled = 1 }; $users = @{ IsInstalled = 0 } }
		(Test-PadIeEsc -Context @{}).failureIds | Should -Be @('ie-esc-on')
		Set-Registry @{ $admins = @{ IsInstalled = 0 }; $users = @{ IsInstalled = 1 } }
		(Test-PadIeEsc -Context @{}).status | Should -Be 'pass'
		Set-Registry @{}
		$r = Test-PadIeEsc -Context @{}
		$r.status | Should -Be 'pass'
		$r.evidence['administrators'] | Should -BeNullOrEmpty
		Set-Registry @{ $admins = @{ IsInstalled = 2 } }
		(Test-PadIeEsc -Context @{}).status | Should -Be 'unknown'
	}
}

Describe 'Connect Sync and the uninstall entries' {
	It 'finds Connect Sync by its exact display name or its service, never the agent''s own entries' {
		Mock -ModuleName PadProbes Get-PadUninstallEntries {
			[pscustomobject]@{ DisplayName = 'Microsoft Azure AD Connect Provisioning Agent'; DisplayVersion = '1.1.2505.0'; View = '64-bit' }
			[pscustomobject]@{ DisplayName = 'Microsoft Azure AD Connect Agent Updater'; DisplayVersion = '1.1.1.0'; View = '64-bit' }
		}
		Mock -ModuleName PadProbes Get-CimInstance { }
		$r = Test-PadConnectSync -Context @{}
		$r.status | Should -Be 'pass'
		$r.evidence['connectSyncInstalled'] | Should -BeFalse
		Mock -ModuleName PadProbes Get-CimInstance { if ($Filter -eq "Name='ADSync'") { [pscustomobject]@{ Name = 'ADSync'; State = 'Running' } } }
		$r = Test-PadConnectSync -Context @{}
		$r.evidence['connectSyncInstalled'] | Should -BeTrue
		$r.evidence['connectSyncService'] | Should -Be 'ADSync (Running)'
	}

	It 'Get-PadUninstallEntries reads both registry views and skips entries without a display name' {
		Mock -ModuleName PadProbes Test-Path { $true }
		Mock -ModuleName PadProbes Get-ItemProperty {
			if ($Path -like '*WOW6432Node*') { [pscustomobject]@{ DisplayName = 'Microsoft Azure AD Connect'; DisplayVersion = '2.4.18.0'; PSChildName = '{X}' } }
			else {
				[pscustomobject]@{ DisplayName = 'Microsoft Entra Provisioning Agent'; DisplayVersion = '1.1.2505.0'; Publisher = 'Microsoft Corporation'; InstallDate = '20261001'; PSChildName = '{Y}' }
				[pscustomobject]@{ SystemComponent = 1; PSChildName = 'KB123' }
			}
		}
		$entries = @(& (Get-Module PadProbes) { Get-PadUninstallEntries })
		$entries.Count | Should -Be 2
		$entries[0].View | Should -Be '64-bit'
		$entries[0].Publisher | Should -Be 'Microsoft Corporation'
		$entries[1].View | Should -Be '32-bit'
		$entries[1].Publisher | Should -BeNullOrEmpty
	}
}

Describe 'The versions in the rules are the releases that changed them' {
	BeforeAll {
		$catalogue = Join-Path $repo 'src/catalogue'
		$agent = Get-Content -LiteralPath (Join-Path $catalogue 'agent.json') -Raw | ConvertFrom-Json
		$permissions = Get-Content -LiteralPath (Join-Path $catalogue 'checks/permissions.json') -Raw | ConvertFrom-Json
		$server = Get-Content -LiteralPath (Join-Path $catalogue 'checks/server.json') -Raw | ConvertFrom-Json
		function Get-Release([string] $Version) { @($agent.versions | Where-Object { $_.version -eq $Version })[0] }
	}

	It 'noAdminForCustomGmsaFrom is the release that removed the Domain Admin requirement' {
		$versions = @($permissions.checks | Where-Object { $_.PSObject.Properties['rules'] } | ForEach-Object { $_.rules.noAdminForCustomGmsaFrom } | Sort-Object -Unique)
		$versions | Should -Be @('1.1.2505.0')
		(Get-Release $versions[0]).changes -join ' ' | Should -BeLike '*eliminating the requirement for Domain Admin credentials*'
	}

	It 'fixedInAgentVersion of server.ntlm is the release that fixed the NTLM Deny-All credentials error' {
		$version = @($server.checks | Where-Object { $_.id -eq 'server.ntlm' })[0].rules.fixedInAgentVersion
		(Get-Release $version).changes -join ' ' | Should -BeLike "*incorrect creds if NTLM traffic is set to 'Deny-All'*"
	}
}

Describe 'The execution policy fix refuses to change the wrong PowerShell' {
	It 'stops in PowerShell 7 without calling Set-ExecutionPolicy' {
		$script = Join-Path $repo 'src/catalogue/fixes/set-execution-policy-remotesigned.ps1'
		function Set-ExecutionPolicy { throw 'must not be called' }
		{ & $script } | Should -Throw '*Windows PowerShell 5.1*'
	}
}

Describe 'Server probes when Windows does not tell' {
	It 'could not check Server Core when InstallationType is missing' {
		Mock -ModuleName PadProbes Read-PadServerRegistryKey { [pscustomobject]@{ ProductName = 'Windows Server 2022 Datacenter' } }
		$r = Test-PadServerCore -Context @{}
		$r.status | Should -Be 'unknown'
		$r.error | Should -Be 'The registry value InstallationType was not found.'
		$r.evidence['installationType'] | Should -BeNullOrEmpty
	}
	It 'names no .NET version for a Release value below every known one, and for none' {
		InModuleScope PadProbes { Set-PadCatalogue (ConvertFrom-PadCatalogueText -Text (Read-PadCatalogueText)) }
		$null -eq (Get-PadDotNetVersionName 1) | Should -BeTrue -Because 'no version, not an empty name'
		$null -eq (Get-PadDotNetVersionName $null) | Should -BeTrue
		Get-PadDotNetVersionName 528040 | Should -Not -BeNullOrEmpty
	}
	It 'reports an EnableScripts value that is neither 0 nor 1 as unreadable, naming the scope and the value' {
		$rules = [pscustomobject]@{ knownPolicies = @('RemoteSigned'); groupPolicyValues = @('RemoteSigned'); groupPolicyDisabled = 'Restricted' }
		$scope = [pscustomobject]@{ scope = 'MachinePolicy'; kind = 'groupPolicy'; path = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows\PowerShell' }
		Mock -ModuleName PadProbes Read-PadServerRegistryKey { [pscustomobject]@{ EnableScripts = 2; ExecutionPolicy = 'RemoteSigned' } }
		$read = Read-PadExecutionPolicyScope -Scope $scope -Rules $rules
		$read.Policy | Should -BeNullOrEmpty
		$read.Problem | Should -BeExactly 'MachinePolicy: EnableScripts at HKLM:\SOFTWARE\Policies\Microsoft\Windows\PowerShell is 2, neither 0 nor 1'
	}
}
