# The fake host's state overlay (PAD_FAKE_HOST_STATE, see test/fakeHost/FakeWindowsHost.psm1): a fix run in one
# PowerShell changes the host that the next diagnosis sees, although the entry script imports the fake host anew in
# every check runspace. The main fixes run in a child pwsh, as in the e2e tests where they run in the terminal, the
# others in this session; the diagnosis runs the real entry script in this session, as Scenarios.Tests.ps1 does.

BeforeAll {
	$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
	$modulePath = Join-Path $repo 'test/fakeHost/FakeWindowsHost.psm1'
	$scenarioDir = Join-Path $repo 'test/fakeHost/scenarios'
	$entry = Join-Path $repo 'src/powershell/Invoke-AgentDiagnosis.ps1'
	$savedScenario = $env:PAD_FAKE_HOST_SCENARIO
	$savedState = $env:PAD_FAKE_HOST_STATE
	# The pwsh of this session ($PSHOME), not the process path: that may be the dotnet host running pwsh.dll.
	$pwsh = Join-Path $PSHOME 'pwsh.exe'
	if (-not (Test-Path -LiteralPath $pwsh)) { $pwsh = Join-Path $PSHOME 'pwsh' }

	# A fix as a user runs it in the terminal: a PowerShell of its own with the fake host loaded, and the same two
	# variables (inherited from this process).
	$childPath = Join-Path $TestDrive 'run-fix.ps1'
	Set-Content -LiteralPath $childPath -Encoding utf8 -Value @'
param([string] $Module, [string] $Fix, [string] $ParametersJson)
Import-Module $Module -Force
$parameters = @{}
$parsed = ConvertFrom-Json -InputObject $ParametersJson -AsHashtable
foreach ($k in $parsed.Keys) { $parameters[$k] = $parsed[$k] }
# Errors as their message on one line: the console view would wrap a long message at the window's width.
try {
	& $Fix @parameters 2>&1 | ForEach-Object {
		if ($_ -is [System.Management.Automation.ErrorRecord]) { 'ERROR: ' + $_.Exception.Message } else { $_ }
	}
}
catch { 'ERROR: ' + $_.Exception.Message; exit 1 }
'@

	function Use-Scenario {
		# Points the fake host at a scenario and at a state file of this test's own that does not exist yet.
		param([Parameter(Mandatory)] [string] $Path)
		if (-not [System.IO.Path]::IsPathRooted($Path)) { $Path = Join-Path $scenarioDir ($Path + '.json') }
		$env:PAD_FAKE_HOST_SCENARIO = $Path
		$env:PAD_FAKE_HOST_STATE = Join-Path $TestDrive ('state-' + [guid]::NewGuid().ToString('n') + '/fake-host-state.json')
		$env:PAD_FAKE_HOST_STATE
	}

	function Invoke-Fix {
		# Runs src/catalogue/fixes/<Name>.ps1 against the fake host; returns its output (all streams, errors as their
		# message, without blank lines) as one text. -InChild runs it in a pwsh of its own, as in the e2e tests where it
		# runs in the terminal; otherwise in this session (faster), with the fake host imported anew.
		param([Parameter(Mandatory)] [string] $Name, [hashtable] $Parameters = @{}, [switch] $InChild)
		$fix = Join-Path $repo ('src/catalogue/fixes/' + $Name + '.ps1')
		if ($InChild) {
			$json = ConvertTo-Json -InputObject $Parameters -Compress
			$lines = @(& $pwsh -NoProfile -NonInteractive -File $childPath -Module $modulePath -Fix $fix -ParametersJson $json 2>&1 | ForEach-Object { [string]$_ })
		}
		else {
			Import-Module $modulePath -Force
			# A terminal's preference, not the test run's: a fix must go on after a non-terminating error, as it would
			# there. The doubles are module functions, which read the global preference (scripts/run-pester.ps1 sets
			# Stop in the global scope), the fix's own commands the one of this scope.
			$ErrorActionPreference = 'Continue'
			$previous = $global:ErrorActionPreference
			$global:ErrorActionPreference = 'Continue'
			try { $records = @(try { & $fix @Parameters *>&1 } catch { $_ }) }
			finally { $global:ErrorActionPreference = $previous }
			$lines = @($records | ForEach-Object {
					if ($_ -is [System.Management.Automation.ErrorRecord]) { 'ERROR: ' + $_.Exception.Message } else { $_ }
				} | Out-String -Stream -Width 1000)
		}
		(@($lines | ForEach-Object { ([string]$_).TrimEnd() } | Where-Object { $_ }) -join "`n")
	}

	function Get-KeyId {
		# The id Add-KdsRootKey returned, from the fix's printed output (a one-column table of Guid).
		param([string] $Output)
		$found = [regex]::Match($Output, '[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}')
		$found.Success | Should -BeTrue -Because "the fix prints the new key's id: $Output"
		$found.Value
	}

	function Invoke-Diagnosis {
		# The real entry script for these checks; the checks of the result by id. -KeepSession leaves the fake host
		# this session imported as it is, to show that the check runspaces read the state file themselves.
		param([Parameter(Mandatory)] [string[]] $Check, [switch] $KeepSession)
		if (-not $KeepSession) { Import-Module $modulePath -Force }
		$out = Join-Path $TestDrive ('result-' + [guid]::NewGuid().ToString('n') + '.json')
		& $entry -ResultPath $out -Check $Check -MaxConcurrency 1 6>$null | Out-Null
		$result = Get-Content -LiteralPath $out -Raw | ConvertFrom-Json -AsHashtable
		$result['fatal'] | Should -BeNullOrEmpty
		$byId = @{}
		foreach ($c in $result['checks']) { $byId[$c['id']] = $c }
		$byId
	}

	function Write-Scenario {
		# Writes a scenario as JSON below TestDrive and returns its path.
		param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [System.Collections.IDictionary] $Data)
		$path = Join-Path $TestDrive ($Name + '.json')
		Set-Content -LiteralPath $path -Value ($Data | ConvertTo-Json -Depth 20) -Encoding utf8NoBOM
		$path
	}

	function Read-StateFile { Get-Content -LiteralPath $env:PAD_FAKE_HOST_STATE -Raw | ConvertFrom-Json -AsHashtable }
}

AfterAll {
	Remove-Module FakeWindowsHost -ErrorAction SilentlyContinue
	# Later test files in the same run must not write state files of their own.
	$env:PAD_FAKE_HOST_SCENARIO = $savedScenario
	$env:PAD_FAKE_HOST_STATE = $savedState
}

Describe 'The state file itself' {
	BeforeAll {
		$scenario = Write-Scenario -Name 'state-base' -Data ([ordered]@{
				host = [ordered]@{
					registry   = [ordered]@{ 'HKLM:\A' = [ordered]@{ X = 1; Y = 2 } }
					services   = [ordered]@{ VaultSvc = [ordered]@{ status = 'Running'; startType = 'Manual'; displayName = 'Credential Manager' } }
					userRights = [ordered]@{ SeServiceLogonRight = '*S-1-5-20'; SeBatchLogonRight = '*S-1-5-32-544' }
				}
			})
		function New-Template([string] $Holders) {
			$cfg = Join-Path $TestDrive ('grant-' + [guid]::NewGuid().ToString('n') + '.inf')
			Set-Content -LiteralPath $cfg -Value @('[Unicode]', 'Unicode=yes', '[Privilege Rights]', ('SeServiceLogonRight = ' + $Holders))
			$cfg
		}
	}

	It 'is merged over the scenario''s host on import, with the rules of "extends" ("$delete" included)' {
		$state = Use-Scenario -Path $scenario
		[void](New-Item -ItemType Directory -Path (Split-Path -Parent $state) -Force)
		Set-Content -LiteralPath $state -Value '{ "registry": { "HKLM:\\A": { "X": 5, "Y": "$delete" } }, "services": "$delete" }'
		Import-Module $modulePath -Force
		(Get-FakeHostValue -Path 'registry')['HKLM:\A']['X'] | Should -Be 5
		@((Get-FakeHostValue -Path 'registry')['HKLM:\A'].Keys) | Should -Be @('X')
		Get-FakeHostValue -Path 'services' | Should -BeNullOrEmpty
		Get-FakeHostValue -Path 'userRights.SeServiceLogonRight' | Should -Be '*S-1-5-20'
	}

	It 'changes nothing while it does not exist' {
		$state = Use-Scenario -Path $scenario
		Import-Module $modulePath -Force
		Get-FakeHostValue -Path 'registry' | ConvertTo-Json -Depth 5 -Compress | Should -Be '{"HKLM:\\A":{"X":1,"Y":2}}'
		Test-Path -LiteralPath $state | Should -BeFalse
	}

	It 'takes what secedit /configure applies, and a new import still sees it' {
		$state = Use-Scenario -Path $scenario
		Import-Module $modulePath -Force
		$null = secedit /configure /db (Join-Path $TestDrive 'x.sdb') /cfg (New-Template '*S-1-5-20,*S-1-5-80-0') /areas USER_RIGHTS /quiet
		$LASTEXITCODE | Should -Be 0
		Get-FakeHostValue -Path 'userRights.SeServiceLogonRight' | Should -Be '*S-1-5-20,*S-1-5-80-0'
		# Only what changed is in the file: the scenario stays the source of everything else.
		(Read-StateFile) | ConvertTo-Json -Depth 5 -Compress | Should -Be '{"userRights":{"SeServiceLogonRight":"*S-1-5-20,*S-1-5-80-0"}}'
		Remove-Module FakeWindowsHost
		Import-Module $modulePath -Force
		Get-FakeHostValue -Path 'userRights.SeServiceLogonRight' | Should -Be '*S-1-5-20,*S-1-5-80-0'
		Get-FakeHostValue -Path 'userRights.SeBatchLogonRight' | Should -Be '*S-1-5-32-544'
	}

	It 'keeps earlier changes when another is written, and leaves no temporary file behind' {
		$state = Use-Scenario -Path $scenario
		Import-Module $modulePath -Force
		Set-Service -Name VaultSvc -StartupType Disabled
		$null = secedit /configure /db (Join-Path $TestDrive 'x.sdb') /cfg (New-Template '*S-1-5-19')
		$data = Read-StateFile
		$data['services']['VaultSvc']['startType'] | Should -Be 'Disabled'
		$data['userRights']['SeServiceLogonRight'] | Should -Be '*S-1-5-19'
		@(Get-ChildItem -LiteralPath (Split-Path -Parent $state) -Force -Name | Sort-Object) | Should -Be @('fake-host-state.json', 'fake-host-state.json.lock')
	}

	It 'keeps a "$delete" a change makes, so that it still removes the scenario''s value at the next import' {
		$state = Use-Scenario -Path $scenario
		Import-Module $modulePath -Force
		Set-FakeHostState -Change @{ registry = @{ 'HKLM:\A' = @{ Y = '$delete' } } }
		@((Get-FakeHostValue -Path 'registry')['HKLM:\A'].Keys) | Should -Be @('X')
		(Read-StateFile)['registry']['HKLM:\A']['Y'] | Should -BeExactly '$delete'
		Import-Module $modulePath -Force
		@((Get-FakeHostValue -Path 'registry')['HKLM:\A'].Keys) | Should -Be @('X')
	}

	It 'without PAD_FAKE_HOST_STATE: a change stays in this session, no file is written, a new import does not see it' {
		$env:PAD_FAKE_HOST_SCENARIO = $scenario
		Remove-Item -Path env:PAD_FAKE_HOST_STATE -ErrorAction SilentlyContinue
		$before = @(Get-ChildItem -LiteralPath $TestDrive -Recurse -Force -Name)
		Import-Module $modulePath -Force
		$null = secedit /configure /db (Join-Path $TestDrive 'x.sdb') /cfg (New-Template '*S-1-5-80-0')
		Set-Service -Name VaultSvc -StartupType Disabled
		Get-FakeHostValue -Path 'userRights.SeServiceLogonRight' | Should -Be '*S-1-5-80-0'
		(Get-Service -Name VaultSvc).StartType | Should -Be 'Disabled'
		# The template written above is the only new file.
		@(Get-ChildItem -LiteralPath $TestDrive -Recurse -Force -Name | Where-Object { $before -notcontains $_ } | Where-Object { $_ -notlike 'grant-*.inf' }) | Should -BeNullOrEmpty
		Import-Module $modulePath -Force
		Get-FakeHostValue -Path 'userRights.SeServiceLogonRight' | Should -Be '*S-1-5-20'
		(Get-Service -Name VaultSvc).StartType | Should -Be 'Manual'
	}
}

Describe 'grant-logon-as-service, with the right set in local policy (seed-7041-local-policy)' {
	# Pester runs these in order: each step diagnoses the host the steps before it left.
	BeforeAll { Use-Scenario -Path 'seed-7041-local-policy' | Out-Null }

	It 'fails for ALL SERVICES and for the service''s virtual account before any grant' {
		$check = (Invoke-Diagnosis -Check 'service.logon-right')['service.logon-right']
		$check['status'] | Should -Be 'fail'
		@($check['failureIds'] | Sort-Object) | Should -Be @('logon-right-missing-all-services', 'logon-right-missing-service-account')
	}

	It 'no longer reports the service account once the fix grants it (ALL SERVICES still lacks the right)' {
		$output = Invoke-Fix -InChild -Name 'grant-logon-as-service' -Parameters @{ Account = 'NT SERVICE\AADConnectProvisioningAgent' }
		$output | Should -Be 'Log on as a service now lists: *S-1-5-20, *S-1-5-19, NT SERVICE\AADConnectProvisioningAgent'
		$check = (Invoke-Diagnosis -Check 'service.logon-right')['service.logon-right']
		$check['status'] | Should -Be 'fail'
		@($check['failureIds']) | Should -Be @('logon-right-missing-all-services')
		$check['evidence']['accountListed'] | Should -BeTrue
	}

	It 'passes once the fix grants NT SERVICE\ALL SERVICES too' {
		Invoke-Fix -InChild -Name 'grant-logon-as-service' -Parameters @{ Account = 'NT SERVICE\ALL SERVICES' } | Should -BeLike '*now lists:*NT SERVICE\ALL SERVICES'
		$check = (Invoke-Diagnosis -Check 'service.logon-right')['service.logon-right']
		$check['status'] | Should -Be 'pass'
		@($check['failureIds']) | Should -BeNullOrEmpty
		@($check['evidence']['holders']) | Should -Be @('S-1-5-20', 'S-1-5-19', 'NT SERVICE\AADConnectProvisioningAgent', 'NT SERVICE\ALL SERVICES')
		# The template held only Log on as a service: no other right of the scenario changed.
		@((Read-StateFile)['userRights'].Keys) | Should -Be @('SeServiceLogonRight')
		Get-FakeHostValue -Path 'userRights.SeBatchLogonRight' | Should -Be '*S-1-5-32-544,*S-1-5-32-551,*S-1-5-32-559'
	}

	It 'changes nothing when run again for an account the right already lists' {
		$before = Get-Content -LiteralPath $env:PAD_FAKE_HOST_STATE -Raw
		Invoke-Fix -Name 'grant-logon-as-service' -Parameters @{ Account = 'NT SERVICE\ALL SERVICES' } | Should -Be 'Log on as a service already lists NT SERVICE\ALL SERVICES; nothing changed.'
		Get-Content -LiteralPath $env:PAD_FAKE_HOST_STATE -Raw | Should -BeExactly $before
	}
}

Describe 'grant-logon-as-service where a GPO sets the right (seed-7041)' {
	It 'grants locally, and the check still fails on the GPO, whose list a refresh writes again' {
		Use-Scenario -Path 'seed-7041' | Out-Null
		$output = Invoke-Fix -InChild -Name 'grant-logon-as-service' -Parameters @{ Account = 'NT SERVICE\ALL SERVICES'; Gpo = 'Server Hardening Policy' }
		$output | Should -BeLike '*Server Hardening Policy*Log on as a service now lists:*NT SERVICE\ALL SERVICES'
		$check = (Invoke-Diagnosis -Check 'service.logon-right')['service.logon-right']
		# ALL SERVICES covers the virtual account locally; the GPO lacks both.
		@($check['failureIds']) | Should -Be @('logon-right-gpo-lacks-accounts')
		@($check['evidence']['gpoLacks']) | Should -Be @('NT SERVICE\ALL SERVICES', 'NT SERVICE\AADConnectProvisioningAgent')
	}
}

Describe 'Service fixes' {
	It 'start-service: service.state goes from service-stopped to pass, read by the check runspaces themselves (service-stopped)' {
		Use-Scenario -Path 'service-stopped' | Out-Null
		Import-Module $modulePath -Force
		(Invoke-Diagnosis -Check 'service.state' -KeepSession)['service.state']['failureIds'] | Should -Be @('service-stopped')
		Invoke-Fix -InChild -Name 'start-service' | Should -BeNullOrEmpty
		# This session imported the fake host before the fix ran: its own copy still has the service stopped, so the
		# pass below comes from the state file that each check runspace reads when it imports the fake host.
		(Get-CimInstance -ClassName Win32_Service -Filter "Name='AADConnectProvisioningAgent'").State | Should -Be 'Stopped'
		$check = (Invoke-Diagnosis -Check 'service.state' -KeepSession)['service.state']
		$check['status'] | Should -Be 'pass'
		$check['evidence']['state'] | Should -Be 'Running'
	}

	It 'start-updater-service on a disabled updater: Start-Service''s error, and nothing changes (service-updater-stopped)' {
		$state = Use-Scenario -Path 'service-updater-stopped'
		$output = Invoke-Fix -Name 'start-updater-service' -Parameters @{ Name = 'AADConnectAgentUpdater' }
		$output | Should -BeLike "*Service 'Microsoft Entra Connect Agent Updater (AADConnectAgentUpdater)' cannot be started due to the following error: Cannot start service AADConnectAgentUpdater on computer '.'.*"
		# Get-Service, the fix's second command, finds the service by its Win32_Service row.
		$output | Should -BeLike '*AADConnectAgentUpdater*Microsoft Entra Connect Agent Updater*Stopped*'
		Test-Path -LiteralPath $state | Should -BeFalse
		(Invoke-Diagnosis -Check 'service.updater')['service.updater']['failureIds'] | Should -Be @('updater-stopped')
	}

	It 'set-vaultsvc-manual: server.credential-manager goes from vaultsvc-disabled to pass (server-vaultsvc-disabled)' {
		Use-Scenario -Path 'server-vaultsvc-disabled' | Out-Null
		(Invoke-Diagnosis -Check 'server.credential-manager')['server.credential-manager']['failureIds'] | Should -Be @('vaultsvc-disabled')
		Invoke-Fix -Name 'set-vaultsvc-manual' | Should -BeNullOrEmpty
		$check = (Invoke-Diagnosis -Check 'server.credential-manager')['server.credential-manager']
		$check['status'] | Should -Be 'pass'
		$check['evidence']['startMode'] | Should -Be 'Manual'
		# Both descriptions of the service changed: Get-Service reads the "services" entry.
		(Get-Service -Name VaultSvc).StartType | Should -Be 'Manual'
	}

	It 'Start-Service -WhatIf and an unknown service change nothing' {
		$state = Use-Scenario -Path 'service-stopped'
		Import-Module $modulePath -Force
		Start-Service -Name AADConnectProvisioningAgent -WhatIf
		Start-Service -Name NoSuchService -ErrorAction SilentlyContinue -ErrorVariable failed
		$failed[0].FullyQualifiedErrorId | Should -BeLike 'NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.StartServiceCommand*'
		(Get-CimInstance -ClassName Win32_Service -Filter "Name='AADConnectProvisioningAgent'").State | Should -Be 'Stopped'
		Test-Path -LiteralPath $state | Should -BeFalse
	}
}

Describe 'KDS root key fixes (gmsa-kds-root-key-missing)' {
	It 'add-kds-root-key: kds-root-key-missing is gone; the new key is within its 10 hours of convergence (warning)' {
		Use-Scenario -Path 'gmsa-kds-root-key-missing' | Out-Null
		(Invoke-Diagnosis -Check 'gmsa.kds-root-key')['gmsa.kds-root-key']['failureIds'] | Should -Be @('kds-root-key-missing')
		$before = [datetime]::UtcNow
		$id = Get-KeyId (Invoke-Fix -Name 'add-kds-root-key')
		$check = (Invoke-Diagnosis -Check 'gmsa.kds-root-key')['gmsa.kds-root-key']
		# Microsoft: domain controllers wait up to 10 hours from a key's creation; the check cannot pass any sooner.
		$check['status'] | Should -Be 'warning'
		@($check['failureIds']) | Should -Be @('kds-root-key-recent')
		$check['evidence']['keyCount'] | Should -Be 1
		$stored = @((Read-StateFile)['kdsRootKeys'])
		$stored.Count | Should -Be 1
		$stored[0]['keyId'] | Should -Be $id
		$effective = ([datetime]$stored[0]['effectiveTime']).ToUniversalTime()
		$effective | Should -BeGreaterOrEqual $before.AddSeconds(-1)
		$effective | Should -BeLessOrEqual ([datetime]::UtcNow)
	}

	It 'add-kds-root-key-lab: effective 10 hours ago, but created now, so still a warning; its times read the same far from UTC' {
		Use-Scenario -Path 'gmsa-kds-root-key-missing' | Out-Null
		$id = Get-KeyId (Invoke-Fix -Name 'add-kds-root-key-lab')
		$check = (Invoke-Diagnosis -Check 'gmsa.kds-root-key')['gmsa.kds-root-key']
		@($check['failureIds']) | Should -Be @('kds-root-key-recent')
		$key = @(Get-KdsRootKey | Where-Object { $_.KeyId -eq [guid]$id })
		$key.Count | Should -Be 1
		$hours = ([datetime]::UtcNow - $key[0].EffectiveTime.ToUniversalTime()).TotalHours
		$hours | Should -BeGreaterThan 9.9
		$hours | Should -BeLessThan 10.1
		# The file holds UTC times; a session in UTC+14 must read the same instant (an hour's error either way would show).
		$stored = ([datetime]@((Read-StateFile)['kdsRootKeys'])[0]['effectiveTime']).ToUniversalTime()
		$previous = $env:TZ
		$env:TZ = 'Pacific/Kiritimati'
		try {
			$read = & $pwsh -NoProfile -NonInteractive -Command ("Import-Module '" + ([string]$modulePath).Replace("'", "''") + "'; [System.TimeZoneInfo]::Local.BaseUtcOffset.TotalHours; (Get-KdsRootKey | Where-Object { `$_.KeyId -eq '" + $id + "' }).EffectiveTime.ToUniversalTime().ToString('o')")
		}
		finally { $env:TZ = $previous }
		$read[0] | Should -Be '14' -Because 'the child must run in that zone'
		([datetime]$read[1]).ToUniversalTime() | Should -Be $stored
	}
}

Describe 'gMSA fixes' {
	It 'set-managed-account: gmsa.managed-account-flag goes from gmsa-not-managed-account to pass (gmsa-not-managed-account)' {
		Use-Scenario -Path 'gmsa-not-managed-account' | Out-Null
		(Invoke-Diagnosis -Check 'gmsa.managed-account-flag')['gmsa.managed-account-flag']['failureIds'] | Should -Be @('gmsa-not-managed-account')
		Invoke-Fix -Name 'set-managed-account' | Should -Be '[SC] ChangeServiceConfig2 SUCCESS'
		(Invoke-Diagnosis -Check 'gmsa.managed-account-flag')['gmsa.managed-account-flag']['status'] | Should -Be 'pass'
	}

	It '<Fix>: gmsa.account-usable goes from gmsa-encryption-types-differ to pass (gmsa-encryption-types-differ)' -TestCases @(
		@{ Fix = 'set-gmsa-encryption-types'; Parameters = @{ Account = 'provAgentgMSA$'; EncryptionTypes = 24 } }
		@{ Fix = 'set-gmsa-aes128-aes256'; Parameters = @{ Account = 'provAgentgMSA$' } }
	) {
		Use-Scenario -Path 'gmsa-encryption-types-differ' | Out-Null
		(Invoke-Diagnosis -Check 'gmsa.account-usable')['gmsa.account-usable']['failureIds'] | Should -Be @('gmsa-encryption-types-differ')
		$null = Invoke-Fix -Name $Fix -Parameters $Parameters
		$check = (Invoke-Diagnosis -Check 'gmsa.account-usable')['gmsa.account-usable']
		$check['status'] | Should -Be 'pass'
		$check['evidence']['gmsaEncryptionTypes'] | Should -Be 24
	}
}

Describe 'The doubles that change the host' {
	It '<Name> takes only parameters and aliases Microsoft''s reference documents for the cmdlet' -TestCases @(
		@{ Name = 'Start-Service' }
		@{ Name = 'Set-Service' }
		@{ Name = 'Add-KdsRootKey' }
		@{ Name = 'Set-ADServiceAccount' }
	) {
		# The doubles for Add-KdsRootKey and Set-ADServiceAccount exist only with the Kds and ActiveDirectory modules.
		$env:PAD_FAKE_HOST_SCENARIO = Write-Scenario -Name 'modules' -Data @{ host = @{ modules = @{ Kds = $true; ActiveDirectory = $true } } }
		Remove-Item -Path env:PAD_FAKE_HOST_STATE -ErrorAction SilentlyContinue
		$module = Import-Module $modulePath -Force -PassThru
		$reference = (Get-Content -LiteralPath (Join-Path $PSScriptRoot 'reference/windows-commands.json') -Raw | ConvertFrom-Json -AsHashtable)['commands'][$Name]
		$documented = @($reference['parameters']) + @($reference['ps7Parameters'])
		$aliases = @(foreach ($map in @($reference['aliases'], $reference['ps7Aliases'])) { if ($map) { foreach ($k in $map.Keys) { $map[$k] } } })
		$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
		$undocumented = @(foreach ($p in $module.ExportedFunctions[$Name].Parameters.Values) {
				if ($common -contains $p.Name) { continue }
				if ($documented -notcontains $p.Name) { '-' + $p.Name }
				foreach ($a in $p.Aliases) { if ($aliases -notcontains $a) { '-' + $p.Name + ' alias ' + $a } }
			})
		$undocumented | Should -BeNullOrEmpty
	}
}
