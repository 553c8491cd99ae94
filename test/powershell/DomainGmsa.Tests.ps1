# Probe-level tests for the domain and gMSA probes: the decision boundaries (KDS root key times, also in time zones east
# and west of UTC; schema objectVersion), how the gMSA is found and compared, what the AD and directory doubles accept,
# that the secure channel is never repaired, and that the fixes of these categories take their parameters from
# evidence the probes really report. Whole runs of the entry script are in Scenarios.Tests.ps1.

BeforeAll {
	# The fake host points these at its own folders: restore them afterwards.
	$savedEnvironment = @{}
	foreach ($name in 'ProgramFiles', 'ProgramData', 'TEMP', 'SystemRoot', 'COMPUTERNAME', 'PAD_FAKE_HOST_SCENARIO', 'TZ') {
		$savedEnvironment[$name] = [System.Environment]::GetEnvironmentVariable($name)
	}
	$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
	$probesModule = Join-Path $repo 'src/powershell/PadProbes.psm1'
	$fakeHostModule = Join-Path $repo 'test/fakeHost/FakeWindowsHost.psm1'
	$scenarios = Join-Path $repo 'test/fakeHost/scenarios'
	$catalogue = Join-Path $repo 'src/catalogue'
	Import-Module $probesModule -Force

	function Read-Category([string] $Id) { Get-Content -LiteralPath (Join-Path $catalogue "checks/$Id.json") -Raw | ConvertFrom-Json -AsHashtable }

	function Use-Scenario {
		# Loads the fake host for one scenario file and the probes on top of it.
		param([string] $Name)
		Remove-Module PadProbes, FakeWindowsHost -ErrorAction SilentlyContinue
		$env:PAD_FAKE_HOST_SCENARIO = Join-Path $scenarios ($Name + '.json')
		Import-Module $fakeHostModule -Force
		Import-Module $probesModule -Force
	}

	function Invoke-Probe([string] $Probe) {
		Invoke-PadProbe -Probe $Probe -Context @{ Cloud = 'public'; EventDays = 7; NetworkTimeoutSeconds = 3; Now = [datetime]::UtcNow }
	}
}

AfterAll {
	Remove-Module PadProbes, FakeWindowsHost -ErrorAction SilentlyContinue
	# Function:\<name> is the global function; a scope prefix in a provider path is not understood.
	Remove-Item -Path 'Function:\Get-KdsRootKey' -ErrorAction SilentlyContinue
	foreach ($name in $savedEnvironment.Keys) { [System.Environment]::SetEnvironmentVariable($name, $savedEnvironment[$name]) }
}

Describe 'Test-PadKdsRootKey decision boundaries' {
	BeforeAll {
		Remove-Module FakeWindowsHost -ErrorAction SilentlyContinue
		Import-Module $probesModule -Force
		function global:Get-KdsRootKey { [CmdletBinding()] param() }
		$now = [datetime]::new(2026, 11, 26, 7, 0, 0, [System.DateTimeKind]::Utc)
		$context = @{ Now = $now; EventDays = 7 }
		$domainSid = 'S-1-5-21-1-2-3'
		function Set-Keys([object[]] $Keys) {
			# Each key as @(hours since creation, hours since EffectiveTime); negative = in the future. Whole minutes (so
			# a boundary is exact) and local times, as the cmdlet returns them.
			$script:keyList = @(foreach ($k in $Keys) {
					$created = $now.AddMinutes(-[math]::Round($k[0] * 60)).ToLocalTime()
					$effective = $now.AddMinutes(-[math]::Round($k[1] * 60)).ToLocalTime()
					[pscustomobject]@{ KeyId = [guid]::NewGuid(); CreationTime = $created; EffectiveTime = $effective }
				})
			Mock -ModuleName PadProbes Get-KdsRootKey { $script:keyList }
		}
		function Set-Identity([bool] $Elevated, [string[]] $Groups) {
			$script:identity = [pscustomobject]@{ Name = 'CONTOSO\admin'; IsElevated = $Elevated; GroupSids = $Groups }
			Mock -ModuleName PadProbes Get-PadCurrentIdentity { $script:identity }
		}
		Mock -ModuleName PadProbes Get-PadDomainSids { [pscustomobject]@{ DomainName = 'contoso.com'; DomainSid = $domainSid; ForestRootDomainName = 'contoso.com'; ForestRootDomainSid = 'S-1-5-21-7-8-9' } }
		Set-Identity $true @("$domainSid-512")
	}

	It 'passes a key created exactly 10 hours ago and effective since then' {
		Set-Keys @(, @(10, 10))
		$r = Test-PadKdsRootKey -Context $context
		$r.status | Should -Be 'pass'
		$r.evidence['keyCount'] | Should -Be 1
		$r.evidence['rootKeys'][0]['creationTime'] | Should -Be $now.AddHours(-10).ToString('o')
	}

	It 'warns about a key created one minute less than 10 hours ago, and says from when the others can use it' {
		Set-Keys @(, @((10 - 1 / 60), (10 - 1 / 60)))
		$r = Test-PadKdsRootKey -Context $context
		$r.status | Should -Be 'warning'
		$r.failureIds | Should -Be @('kds-root-key-recent')
		$r.evidence['usableAfter'] | Should -Be $now.AddMinutes(1).ToString('o')
	}

	It 'passes a key created 12 hours ago that became effective 2 hours ago (the age counts from creation)' {
		Set-Keys @(, @(12, 2))
		(Test-PadKdsRootKey -Context $context).status | Should -Be 'pass'
	}

	It 'warns about a back-dated test key: effective 10 hours ago, created just now' {
		Set-Keys @(, @(0.1, 10))
		$r = Test-PadKdsRootKey -Context $context
		$r.failureIds | Should -Be @('kds-root-key-recent')
		$r.evidence['usableAfter'] | Should -Be $now.AddHours(9.9).ToString('o')
	}

	It 'fails when no key is effective yet, and names the earliest EffectiveTime' {
		Set-Keys @(@(20, (-1 / 60)), @(1, -48))
		$r = Test-PadKdsRootKey -Context $context
		$r.status | Should -Be 'fail'
		$r.failureIds | Should -Be @('kds-root-key-not-effective')
		$r.evidence['earliestEffectiveTime'] | Should -Be $now.AddMinutes(1).ToString('o')
		$r.evidence['usableAfter'] | Should -Be $now.AddMinutes(1).ToString('o')
		$r.evidence['rootKeys'].Count | Should -Be 2
	}

	It 'gives a future key created just now the later of its EffectiveTime and creation + 10 h' {
		Set-Keys @(, @(0, -2))
		$r = Test-PadKdsRootKey -Context $context
		$r.evidence['earliestEffectiveTime'] | Should -Be $now.AddHours(2).ToString('o')
		$r.evidence['usableAfter'] | Should -Be $now.AddHours(10).ToString('o')
	}

	It 'takes the hours from the check''s rules, not from the code' {
		Mock -ModuleName PadProbes Get-PadCheckRules { [pscustomobject]@{ convergenceHours = 5 } } -ParameterFilter { $CheckId -eq 'gmsa.kds-root-key' }
		Set-Keys @(, @(6, 6))
		(Test-PadKdsRootKey -Context $context).status | Should -Be 'pass'
		Set-Keys @(, @(4, 4))
		(Test-PadKdsRootKey -Context $context).status | Should -Be 'warning'
	}

	It 'reads an empty answer by elevation and by admin groups of THIS domain: <Case>' -TestCases @(
		@{ Case = 'not elevated'; Elevated = $false; Groups = @('S-1-5-21-1-2-3-512'); Id = 'kds-root-key-unelevated'; Status = 'warning' }
		@{ Case = 'Domain Admin of this domain'; Elevated = $true; Groups = @('S-1-5-21-1-2-3-512'); Id = 'kds-root-key-missing'; Status = 'fail' }
		@{ Case = 'Enterprise Admin of the forest root'; Elevated = $true; Groups = @('S-1-5-21-7-8-9-519'); Id = 'kds-root-key-missing'; Status = 'fail' }
		@{ Case = 'Domain Admin of another domain'; Elevated = $true; Groups = @('S-1-5-21-4-5-6-512'); Id = 'kds-root-key-not-visible'; Status = 'warning' }
		@{ Case = 'RID 519 of this (non-root) domain'; Elevated = $true; Groups = @('S-1-5-21-1-2-3-519'); Id = 'kds-root-key-not-visible'; Status = 'warning' }
		@{ Case = 'no admin group'; Elevated = $true; Groups = @('S-1-5-21-1-2-3-513'); Id = 'kds-root-key-not-visible'; Status = 'warning' }
	) {
		Set-Keys @()
		Set-Identity $Elevated $Groups
		$r = Test-PadKdsRootKey -Context $context
		$r.status | Should -Be $Status
		$r.failureIds | Should -Be @($Id)
		$r.evidence['isElevated'] | Should -Be $Elevated
	}

	It 'does not call the empty answer missing when the domain SIDs cannot be read' {
		Set-Keys @()
		Set-Identity $true @('S-1-5-21-1-2-3-512')
		Mock -ModuleName PadProbes Get-PadDomainSids { throw 'The specified domain either does not exist or could not be contacted.' }
		$r = Test-PadKdsRootKey -Context $context
		$r.failureIds | Should -Be @('kds-root-key-not-visible')
		$r.evidence['domainAdmin'] | Should -BeNullOrEmpty
	}
}

Describe 'Test-PadKdsRootKey in time zones east and west of UTC' {
	# The cmdlet returns local times; the decision must not depend on the zone. A child pwsh per zone runs the same
	# boundary cases (the zone of a running process cannot be changed).
	BeforeAll {
		# The pwsh of this session ($PSHOME), not the process path: that may be the dotnet host running pwsh.dll.
		$pwsh = Join-Path $PSHOME 'pwsh.exe'
		if (-not (Test-Path -LiteralPath $pwsh)) { $pwsh = Join-Path $PSHOME 'pwsh' }
		$child = @'
param($Module)
Import-Module $Module -Force
function global:Get-KdsRootKey { [CmdletBinding()] param() $global:keyList }
$now = [datetime]::new(2026, 11, 26, 7, 0, 0, [System.DateTimeKind]::Utc)
function Get-Status($CreatedMinutesAgo, $EffectiveMinutesAgo) {
	$global:keyList = @([pscustomobject]@{ KeyId = [guid]::NewGuid(); CreationTime = $now.AddMinutes(-$CreatedMinutesAgo).ToLocalTime(); EffectiveTime = $now.AddMinutes(-$EffectiveMinutesAgo).ToLocalTime() })
	$r = Test-PadKdsRootKey -Context @{ Now = $now }
	$r.status + '|' + $r.evidence['usableAfter']
}
'offset=' + [System.TimeZoneInfo]::Local.GetUtcOffset($now).TotalHours
'exact=' + (Get-Status 600 600)
'minuteLess=' + (Get-Status 599 599)
'created12effective2=' + (Get-Status 720 120)
'futureMinute=' + (Get-Status 1200 -1)
'@
		$childPath = Join-Path $TestDrive 'kds-child.ps1'
		Set-Content -LiteralPath $childPath -Value $child -Encoding utf8
		function Invoke-InZone([string] $Zone) {
			$previous = $env:TZ
			$env:TZ = $Zone
			try { $lines = @(& $pwsh -NoProfile -NonInteractive -File $childPath -Module $probesModule) }
			finally { $env:TZ = $previous }
			$map = @{}
			foreach ($line in $lines) { if ($line -match '^(\w+)=(.*)$') { $map[$Matches[1]] = $Matches[2] } }
			$map
		}
	}

	It 'decides the same in <Zone> (UTC offset sign <Sign>)' -TestCases @(
		@{ Zone = 'Asia/Tokyo'; Sign = 1 }
		@{ Zone = 'America/Los_Angeles'; Sign = -1 }
	) {
		$r = Invoke-InZone $Zone
		[math]::Sign([double]$r['offset']) | Should -Be $Sign -Because "the child process must really run in $Zone"
		$r['exact'] | Should -Be 'pass|'
		$r['minuteLess'] | Should -Be 'warning|2026-11-26T07:01:00.0000000Z'
		$r['created12effective2'] | Should -Be 'pass|'
		$r['futureMinute'] | Should -Be 'fail|2026-11-26T07:01:00.0000000Z'
	}
}

Describe 'The KDS catalogue texts' {
	It 'state the 10 hours of the current page, with its source, and no "10 days"' {
		$gmsa = Read-Category 'gmsa'
		$kds = @($gmsa['checks'] | Where-Object { $_['id'] -eq 'gmsa.kds-root-key' })[0]
		$kds['rules']['convergenceHours'] | Should -Be 10
		$kds['rules']['sources'] | Should -Contain 'kds-root-key'
		($gmsa | ConvertTo-Json -Depth 20) | Should -Not -Match '10 days'
	}

	It 'do not promise that -EffectiveImmediately makes the key usable now' {
		$fix = @((Read-Category 'gmsa')['fixes'] | Where-Object { $_['id'] -eq 'add-kds-root-key' })[0]
		$fix['effect'] | Should -Not -Match 'usable now'
		$fix['effect'] | Should -Match 'replicated'
	}

	It 'never blame Domain Admin rights for the unelevated answer' {
		$kds = @((Read-Category 'gmsa')['checks'] | Where-Object { $_['id'] -eq 'gmsa.kds-root-key' })[0]
		$unelevated = @($kds['failures'] | Where-Object { $_['id'] -eq 'kds-root-key-unelevated' })[0]
		(@($unelevated['cause']) + $unelevated['steps']) -join ' ' | Should -Not -Match 'Domain Admin'
	}
}

Describe 'Schema version names and boundaries' {
	BeforeAll {
		Remove-Module FakeWindowsHost -ErrorAction SilentlyContinue
		Import-Module $probesModule -Force
		$versions = @((Get-PadCheckRules -CheckId 'domain.schema-version').versions)
	}

	It 'names <Version> "<Name>"' -TestCases @(
		@{ Version = 47; Name = 'Windows Server 2008 R2' }
		@{ Version = 56; Name = 'Windows Server 2012' }
		@{ Version = 69; Name = 'Windows Server 2012 R2' }
		@{ Version = 87; Name = 'Windows Server 2016' }
		@{ Version = 88; Name = 'Windows Server 2019 and Windows Server 2022' }
		@{ Version = 91; Name = 'Windows Server 2025' }
		@{ Version = 52; Name = 'not a released schema (between Windows Server 2008 R2 and Windows Server 2012)' }
		@{ Version = 92; Name = 'newer than Windows Server 2025' }
		@{ Version = 30; Name = 'older than Windows Server 2008 R2' }
	) {
		Get-PadSchemaName -ObjectVersion $Version -Versions $versions | Should -Be $Name
	}

	It 'passes objectVersion <Version>: <Expected>' -TestCases @(
		@{ Version = 56; Expected = 'pass' }
		@{ Version = 55; Expected = 'fail' }
	) {
		$script:objectVersion = $Version
		Mock -ModuleName PadProbes Test-PadComputerInDomain { $true }
		Mock -ModuleName PadProbes Get-PadDirectoryAttribute {
			if ($DistinguishedName -eq 'RootDSE') { return @{ defaultNamingContext = @('DC=x'); schemaNamingContext = @('CN=Schema,DC=x') } }
			@{ objectVersion = @([string]$script:objectVersion) }
		}
		$r = Test-PadSchemaVersion -Context @{}
		$r.status | Should -Be $Expected
		$r.evidence['minimumObjectVersion'] | Should -Be 56
	}
}

Describe 'Finding the schema attribute through the directory double' {
	It 'finds msDS-ExternalDirectoryObjectId by lDAPDisplayName and objectClass, and not when it is deleted' {
		Use-Scenario 'healthy'
		$found = @(Find-PadDirectoryObject -SearchBase 'CN=Schema,CN=Configuration,DC=contoso,DC=com' -LdapFilter '(&(objectClass=attributeSchema)(lDAPDisplayName=msDS-ExternalDirectoryObjectId))' -Attribute 'lDAPDisplayName')
		$found.Count | Should -Be 1
		$found[0]['lDAPDisplayName'] | Should -Be @('msDS-ExternalDirectoryObjectId')
		@(Find-PadDirectoryObject -SearchBase 'CN=Schema,CN=Configuration,DC=contoso,DC=com' -LdapFilter '(&(objectClass=classSchema)(lDAPDisplayName=msDS-ExternalDirectoryObjectId))' -Attribute 'cn').Count | Should -Be 0
		Use-Scenario 'domain-schema-external-id-missing'
		$r = Invoke-Probe 'Test-PadSchemaExternalId'
		$r.status | Should -Be 'fail'
		$r.evidence['found'] | Should -BeFalse
	}

	It 'rejects a filter it does not understand, so a changed probe cannot pass by accident' {
		Use-Scenario 'healthy'
		{ Find-PadDirectoryObject -SearchBase 'DC=contoso,DC=com' -LdapFilter '(|(cn=a)(cn=b))' -Attribute 'cn' } | Should -Throw '*unsupported LDAP filter*'
		{ Find-PadDirectoryObject -SearchBase 'DC=contoso,DC=com' -LdapFilter '(cn=a*)' -Attribute 'cn' } | Should -Throw '*unsupported LDAP filter*'
	}
}

Describe 'How the gMSA is found and compared' {
	It 'searches AD with the names of agent.json, joined by -or' {
		Import-Module $probesModule -Force
		$gmsa = (Get-Content -LiteralPath (Join-Path $catalogue 'agent.json') -Raw | ConvertFrom-Json).gmsa
		Get-PadGmsaSearchFilter | Should -Be ("Name -eq '" + $gmsa.defaultName + "' -or SamAccountName -like '" + $gmsa.samAccountNamePattern + "'")
	}

	It 'lets the Get-ADServiceAccount double answer that filter by name or by sAMAccountName pattern' {
		Use-Scenario 'gmsa-found-by-name-before-wizard'
		$found = @(Get-ADServiceAccount -Filter (Get-PadGmsaSearchFilter) -Properties 'msDS-SupportedEncryptionTypes')
		$found.Count | Should -Be 1
		$found[0].Name | Should -Be 'provAgentgMSA'
		$found[0].SamAccountName | Should -Be 'pGMSA_2345ad35$'
		$found[0].'msDS-SupportedEncryptionTypes' | Should -Be 28
		@(Get-ADServiceAccount -Filter "SamAccountName -like 'pGMSA_*'").Count | Should -Be 1
		@(Get-ADServiceAccount -Filter "Name -eq 'nobody' -or SamAccountName -like 'x*'").Count | Should -Be 0
		{ Get-ADServiceAccount -Filter "Name -ne 'x'" } | Should -Throw '*unsupported AD filter*'
	}

	It 'uses the account it found before the wizard, with its sAMAccountName for the fixes' {
		Use-Scenario 'gmsa-found-by-name-before-wizard'
		$r = Invoke-Probe 'Test-PadGmsaUsable'
		$r.status | Should -Be 'pass'
		$r.evidence['accountSource'] | Should -Be 'search'
		$r.evidence['samAccountName'] | Should -Be 'pGMSA_2345ad35$'
		@($r.evidence['candidates']) | Should -Be @('pGMSA_2345ad35$')
	}

	It 'uses the service''s logon account once the wizard has run' {
		Use-Scenario 'gmsa-custom-name'
		$r = Invoke-Probe 'Test-PadGmsaUsable'
		$r.evidence['accountSource'] | Should -Be 'service'
		$r.evidence['account'] | Should -Be 'CONTOSO\pGMSA_2345ad35$'
		$r.evidence['samAccountName'] | Should -Be 'pGMSA_2345ad35$'
		$r.evidence['searchFilter'] | Should -BeNullOrEmpty
	}

	It 'reports the two encryption-type values, decoded, when they differ' {
		Use-Scenario 'gmsa-encryption-types-differ'
		$r = Invoke-Probe 'Test-PadGmsaUsable'
		$r.failureIds | Should -Be @('gmsa-encryption-types-differ')
		$r.evidence['gmsaEncryptionTypes'] | Should -Be 28
		$r.evidence['computerEncryptionTypes'] | Should -Be 24
		$r.evidence['gmsaEncryptionTypeNames'] | Should -Be 'RC4, AES128, AES256'
		$r.evidence['computerEncryptionTypeNames'] | Should -Be 'AES128, AES256'
		$r.evidence['encryptionTypesCompared'] | Should -BeTrue
	}

	It 'leaves the types uncompared, with the reason, when the computer account has none' {
		Use-Scenario 'gmsa-encryption-types-not-comparable'
		$r = Invoke-Probe 'Test-PadGmsaUsable'
		$r.status | Should -Be 'pass'
		$r.evidence['encryptionTypesCompared'] | Should -BeFalse
		$r.evidence['encryptionTypesError'] | Should -BeLike '*no msDS-SupportedEncryptionTypes*'
	}

	It 'decodes msDS-SupportedEncryptionTypes <Value> as "<Names>"' -TestCases @(
		@{ Value = 28; Names = 'RC4, AES128, AES256' }
		@{ Value = 24; Names = 'AES128, AES256' }
		@{ Value = 16; Names = 'AES256' }
		@{ Value = 7; Names = 'DES_CBC_CRC, DES_CBC_MD5, RC4' }
		@{ Value = 0; Names = 'not defined' }
		@{ Value = $null; Names = 'not set' }
		@{ Value = 0x3C; Names = 'RC4, AES128, AES256, other bits 0x20' }
	) {
		Import-Module $probesModule -Force
		ConvertTo-PadEncryptionTypeNames -Value $Value -Table @((Get-PadCheckRules -CheckId 'gmsa.account-usable').encryptionTypes) | Should -Be $Names
	}

	It 'tells access denied from "not found" without reading the message' {
		Import-Module $probesModule -Force
		$denied = New-Object System.Management.Automation.ErrorRecord((New-Object System.UnauthorizedAccessException 'x'), 'id', ([System.Management.Automation.ErrorCategory]::NotSpecified), $null)
		$category = New-Object System.Management.Automation.ErrorRecord((New-Object System.Exception 'Zugriff verweigert'), 'id', ([System.Management.Automation.ErrorCategory]::PermissionDenied), $null)
		$inner = New-Object System.Management.Automation.ErrorRecord((New-Object System.Exception 'outer', (New-Object System.UnauthorizedAccessException 'inner')), 'id', ([System.Management.Automation.ErrorCategory]::NotSpecified), $null)
		$notFound = New-Object System.Management.Automation.ErrorRecord((New-Object System.Exception 'Cannot find an object with identity'), 'ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException,X', ([System.Management.Automation.ErrorCategory]::ObjectNotFound), $null)
		foreach ($e in $denied, $category, $inner) { Test-PadAccessDenied $e | Should -BeTrue }
		Test-PadAccessDenied $notFound | Should -BeFalse
		Test-PadAdIdentityNotFound $notFound | Should -BeTrue
		Test-PadAdIdentityNotFound $denied | Should -BeFalse
	}

	It 'never names provAgentgMSA in the code of a probe or a fix, or in a step of these categories' {
		$files = @(Get-ChildItem -LiteralPath (Join-Path $repo 'src/powershell') -Recurse -Filter '*.ps1') + @(Get-ChildItem -LiteralPath (Join-Path $catalogue 'fixes') -Filter '*.ps1')
		foreach ($file in $files) {
			$ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref]$null, [ref]$null)
			# Strings and bare words only: comments may quote Microsoft's pages.
			$hits = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $n.Value -match 'provAgentgMSA' }, $true))
			$hits.Count | Should -Be 0 -Because $file.Name
		}
		foreach ($id in 'domain', 'gmsa', 'network') {
			$data = Read-Category $id
			foreach ($check in $data['checks']) {
				foreach ($failure in $check['failures']) { ($failure['steps'] -join ' ') | Should -Not -Match 'provAgentgMSA' -Because $failure['id'] }
			}
		}
	}
}

Describe 'Test-PadSecureChannel' {
	BeforeAll {
		Remove-Module FakeWindowsHost -ErrorAction SilentlyContinue
		Import-Module $probesModule -Force
		function Set-ComputerSystem([int] $Role, [bool] $Joined = $true) {
			$script:cs = [pscustomobject]@{ Name = 'AGENT01'; Domain = 'contoso.com'; PartOfDomain = $Joined; DomainRole = $Role }
			Mock -ModuleName PadProbes Get-PadComputerSystem { $script:cs }
		}
		Mock -ModuleName PadProbes Get-PadCurrentIdentity { [pscustomobject]@{ Name = 'CONTOSO\admin'; IsElevated = $true; GroupSids = @() } }
	}

	It 'never calls Test-ComputerSecureChannel with -Repair (or any other parameter that changes the system)' {
		$ast = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $repo 'src/powershell/probes/Domain.ps1'), [ref]$null, [ref]$null)
		$calls = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] -and $n.GetCommandName() -eq 'Test-ComputerSecureChannel' }, $true))
		$calls.Count | Should -Be 1
		foreach ($c in $calls) {
			@($c.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] } | ForEach-Object { $_.ParameterName }) | Should -Not -Contain 'Repair'
		}
	}

	It 'does not apply on a domain controller (DomainRole <Role>), where the cmdlet gives false errors' -TestCases @(@{ Role = 4 }, @{ Role = 5 }) {
		Set-ComputerSystem $Role
		$r = Test-PadSecureChannel -Context @{}
		$r.status | Should -Be 'notApplicable'
		$r.evidence['reason'] | Should -BeLike '*domain controller*'
	}

	Context 'where the cmdlet exists (Windows PowerShell 5.1)' {
		BeforeAll { function global:Test-ComputerSecureChannel { [CmdletBinding()] param([switch] $Repair) } }
		AfterAll { Remove-Item -Path 'Function:\Test-ComputerSecureChannel' -ErrorAction SilentlyContinue }

		It 'checks a member server (DomainRole 3) and reports True and False' {
			Set-ComputerSystem 3
			Mock -ModuleName PadProbes Test-ComputerSecureChannel { $true }
			(Test-PadSecureChannel -Context @{}).status | Should -Be 'pass'
			Mock -ModuleName PadProbes Test-ComputerSecureChannel { $false }
			$r = Test-PadSecureChannel -Context @{}
			$r.status | Should -Be 'fail'
			$r.failureIds | Should -Be @('secure-channel-broken')
			Should -Invoke -ModuleName PadProbes Test-ComputerSecureChannel -ParameterFilter { -not $Repair }
		}

		It 'could not check when the session is not elevated (the cmdlet asks for Run as administrator)' {
			Set-ComputerSystem 3
			Mock -ModuleName PadProbes Get-PadCurrentIdentity { [pscustomobject]@{ Name = 'CONTOSO\admin'; IsElevated = $false; GroupSids = @() } }
			Mock -ModuleName PadProbes Test-ComputerSecureChannel { $false }
			$r = Test-PadSecureChannel -Context @{}
			$r.status | Should -Be 'unknown'
			$r.error | Should -BeLike '*elevated*'
			Should -Invoke -ModuleName PadProbes Test-ComputerSecureChannel -Times 0 -Exactly
		}
	}

	Context 'where the cmdlet answers something else' {
		BeforeAll { function global:Test-ComputerSecureChannel { [CmdletBinding()] param([switch] $Repair) } }
		AfterAll { Remove-Item -Path 'Function:\Test-ComputerSecureChannel' -ErrorAction SilentlyContinue }

		It 'could not check when the cmdlet answers neither True nor False (<Label>)' -TestCases @(@{ Label = 'nothing'; Answer = @() }, @{ Label = 'a string'; Answer = @('True') }) {
			Set-ComputerSystem 3
			$script:answer = $Answer
			Mock -ModuleName PadProbes Test-ComputerSecureChannel { $script:answer }
			$r = Test-PadSecureChannel -Context @{}
			$r.status | Should -Be 'unknown'
			$r.error | Should -BeLike '*neither True nor False*'
			$r.evidence['secureChannel'] | Should -BeNullOrEmpty
		}
	}

	Context 'where the cmdlet does not exist (PowerShell 7)' {
		It 'could not check, with the next step, where the cmdlet does not exist (PowerShell 7)' {
			Set-ComputerSystem 3
			$found = Get-Command -Name Test-ComputerSecureChannel -ErrorAction SilentlyContinue
			$found | Should -BeNullOrEmpty -Because "this test runs in a pwsh that has no such cmdlet (found a $($found.CommandType))"
			$r = Test-PadSecureChannel -Context @{}
			$r.status | Should -Be 'unknown'
			$r.failureIds | Should -BeNullOrEmpty
			$r.error | Should -BeLike '*Windows PowerShell (powershell.exe)*'
			$r.evidence['psEdition'] | Should -Be 'Core'
		}
	}
}

Describe 'Test-PadDcReachable' {
	BeforeAll {
		Remove-Module FakeWindowsHost -ErrorAction SilentlyContinue
		Import-Module $probesModule -Force
		Mock -ModuleName PadProbes Get-PadComputerSystem { [pscustomobject]@{ Domain = 'contoso.com'; PartOfDomain = $true; DomainRole = 3 } }
		Mock -ModuleName PadProbes Find-PadDomainController { [pscustomobject]@{ Name = 'DC07.contoso.com'; SiteName = 'Branch'; IPAddress = '10.1.0.7' } }
		Mock -ModuleName PadProbes Find-PadGlobalCatalog { [pscustomobject]@{ Name = 'GC01.contoso.com'; SiteName = 'Hub' } }
	}

	It 'probes 389 on the located domain controller and 3268 on the located Global Catalog in one call, with the network timeout' {
		Mock -ModuleName PadProbes Invoke-PadTcpProbe { foreach ($t in $Targets) { [pscustomobject]@{ Host = $t.Host; Port = $t.Port; Status = 'open' } } }
		$r = Test-PadDcReachable -Context @{ NetworkTimeoutSeconds = 4 }
		$r.status | Should -Be 'pass'
		Should -Invoke -ModuleName PadProbes Invoke-PadTcpProbe -Times 1 -Exactly -ParameterFilter {
			$TimeoutMs -eq 4000 -and (@($Targets | ForEach-Object { $_.Host + ':' + $_.Port }) -join ',') -eq 'DC07.contoso.com:389,GC01.contoso.com:3268'
		}
		$r.evidence['dcSite'] | Should -Be 'Branch'
		$r.evidence['globalCatalog'] | Should -Be 'GC01.contoso.com'
	}

	It 'ranks a closed 389 (fail) above a closed 3268 (warning)' {
		Mock -ModuleName PadProbes Invoke-PadTcpProbe { foreach ($t in $Targets) { [pscustomobject]@{ Host = $t.Host; Port = $t.Port; Status = 'timeout' } } }
		$r = Test-PadDcReachable -Context @{}
		$r.status | Should -Be 'fail'
		$r.failureIds | Should -Be @('dc-ldap-unreachable', 'dc-gc-unreachable')
		$r.evidence['ldapStatus'] | Should -Be 'timeout'
	}
}

Describe 'The fixes of the domain, gMSA and network categories' {
	BeforeDiscovery {
		$cases = @(
			@{ Fix = 'inspect-gmsa'; Scenario = 'gmsa-encryption-types-differ'; Probe = 'Test-PadGmsaUsable' }
			@{ Fix = 'set-gmsa-encryption-types'; Scenario = 'gmsa-encryption-types-differ'; Probe = 'Test-PadGmsaUsable' }
			@{ Fix = 'set-gmsa-aes128-aes256'; Scenario = 'gmsa-found-by-name-before-wizard'; Probe = 'Test-PadGmsaUsable' }
			@{ Fix = 'test-domain-controller-ports'; Scenario = 'domain-dc-ldap-unreachable'; Probe = 'Test-PadDcReachable' }
			@{ Fix = 'test-endpoint-connection'; Scenario = 'network-endpoint-unreachable'; Probe = 'Test-PadEndpoints' }
			@{ Fix = 'test-certificate-endpoint-connection'; Scenario = 'network-certificate-endpoint-unreachable'; Probe = 'Test-PadCertificateEndpoints' }
		)
	}

	It '<Fix> takes exactly its declared parameters, and real evidence of <Scenario> fills and binds them' -TestCases $cases {
		$declared = $null
		foreach ($id in 'domain', 'gmsa', 'network') {
			foreach ($f in (Read-Category $id)['fixes']) { if ($f['id'] -eq $Fix) { $declared = $f } }
		}
		$declared | Should -Not -BeNullOrEmpty
		$script = Join-Path $catalogue $declared['script']
		$ast = [System.Management.Automation.Language.Parser]::ParseFile($script, [ref]$null, [ref]$null)
		$parameters = @($ast.ParamBlock.Parameters)
		@($parameters | ForEach-Object { $_.Name.VariablePath.UserPath }) | Should -Be @($declared['parameters'] | ForEach-Object { $_['name'] })

		Use-Scenario $Scenario
		$result = Invoke-Probe $Probe
		foreach ($p in $declared['parameters']) {
			$value = $result.evidence[$p['from']['evidence']]
			$value | Should -Not -BeNullOrEmpty -Because "$Fix.$($p['name']) comes from $($p['from']['evidence'])"
			($value -is [string] -or $value -is [int]) | Should -BeTrue -Because 'only a scalar fills a parameter'
			$type = @($parameters | Where-Object { $_.Name.VariablePath.UserPath -eq $p['name'] })[0].StaticType
			$null -ne ($value -as $type) | Should -BeTrue -Because "$value binds to [$type]"
		}
		if ($Fix -eq 'set-gmsa-encryption-types') {
			$result.evidence['samAccountName'] | Should -Be 'provAgentgMSA$'
			$result.evidence['computerEncryptionTypes'] | Should -Be 24
		}
	}
}

Describe 'Functional levels and domain controller versions when AD does not tell' {
	BeforeAll {
		Remove-Module FakeWindowsHost -ErrorAction SilentlyContinue
		Import-Module $probesModule -Force
	}
	It 'names no level for no value (not level 0, Windows 2000)' {
		Get-PadFunctionalLevelName $null | Should -BeNullOrEmpty
		Get-PadFunctionalLevelName 0 | Should -Be 'Windows 2000'
	}
	It 'could not check when the domain or the forest functional level is missing (<Missing>)' -TestCases @(@{ Missing = 'DomainModeLevel' }, @{ Missing = 'ForestModeLevel' }) {
		$script:domain = [pscustomobject]@{ Name = 'contoso.com'; ForestName = 'contoso.com'; DomainModeLevel = 7; ForestModeLevel = 7 }
		$script:domain.$Missing = $null
		Mock -ModuleName PadProbes Get-PadJoinedDomain { $script:domain }
		$r = Test-PadFunctionalLevel -Context @{}
		$r.status | Should -Be 'unknown'
		$r.failureIds | Should -BeNullOrEmpty
		$r.error | Should -Be 'The domain or forest functional level could not be read.'
	}
	It 'could not check when no domain controller of the domain is listed' {
		Mock -ModuleName PadProbes Get-PadJoinedDomain { [pscustomobject]@{ Name = 'contoso.com'; DomainControllers = @($null) } }
		$r = Test-PadDcVersion -Context @{}
		$r.status | Should -Be 'unknown'
		$r.error | Should -Be 'No domain controller of the domain was found.'
		@($r.evidence['domainControllers']).Count | Should -Be 0
	}
}
