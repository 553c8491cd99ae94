# Probe-level tests for the gMSA, service, event log and installer probes: the parsing and matching that the scenario
# tests only reach through whole runs (secedit INF, sc.exe output, event matching, setup log reading). The KDS root
# key and gMSA decisions are tested in DomainGmsa.Tests.ps1; the log and event rules, the logon-right decisions and
# the checks of the installed agent in ServiceEventInstaller.Tests.ps1.

BeforeAll {
	# The fake host (imported for the secedit tests) points these at its own folders: restore them afterwards.
	$savedEnvironment = @{}
	foreach ($name in 'ProgramFiles', 'ProgramData', 'TEMP', 'SystemRoot', 'COMPUTERNAME', 'PAD_FAKE_HOST_SCENARIO') {
		$savedEnvironment[$name] = [System.Environment]::GetEnvironmentVariable($name)
	}
	$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
	Import-Module (Join-Path $repo 'src/powershell/PadProbes.psm1') -Force
	$work = Join-Path ([System.IO.Path]::GetTempPath()) ('pad-gse-tests-' + [guid]::NewGuid().ToString('n'))
	[void](New-Item -ItemType Directory -Path $work -Force)

	function New-TestEvent {
		param([int] $Id = 7041, [object[]] $Properties = @(), [string] $Message = $null, [datetime] $Time = [datetime]::UtcNow)
		[pscustomobject]@{
			Id          = $Id
			TimeCreated = $Time
			Message     = $Message
			Properties  = @(foreach ($p in $Properties) { [pscustomobject]@{ Value = $p } })
		}
	}
}

AfterAll {
	Remove-Module PadProbes -ErrorAction SilentlyContinue
	foreach ($name in 'Get-WinEvent', 'Get-KdsRootKey') {
		if (Test-Path -LiteralPath ('function:global:' + $name)) { Remove-Item -LiteralPath ('function:global:' + $name) }
	}
	Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
	foreach ($name in $savedEnvironment.Keys) { [System.Environment]::SetEnvironmentVariable($name, $savedEnvironment[$name]) }
}

Describe 'ConvertFrom-PadSeceditInf' {
	BeforeAll {
		$inf = "[Unicode]`r`nUnicode=yes`r`n[Privilege Rights]`r`nSeNetworkLogonRight = *S-1-1-0,*S-1-5-32-544`r`n" +
		"SeServiceLogonRight = *S-1-5-80-0,*S-1-5-20, CONTOSO\svc-agent ,*S-1-5-21-1-2-3-1105`r`n" +
		"[Version]`r`nsignature=`"`$CHICAGO`$`"`r`nSeServiceLogonRight = *S-1-9-9`r`n"
	}

	It 'reads the holders of the right from a UTF-16LE INF with a BOM, without the * prefix' {
		$path = Join-Path $work 'rights.inf'
		[System.IO.File]::WriteAllText($path, $inf, [System.Text.UnicodeEncoding]::new($false, $true))
		$bytes = [System.IO.File]::ReadAllBytes($path)
		@($bytes[0], $bytes[1]) | Should -Be @(0xFF, 0xFE)
		$holders = ConvertFrom-PadSeceditInf -Text ([System.IO.File]::ReadAllText($path)) -Right 'SeServiceLogonRight'
		$holders | Should -Be @('S-1-5-80-0', 'S-1-5-20', 'CONTOSO\svc-agent', 'S-1-5-21-1-2-3-1105')
	}

	It 'ignores a line of the same name outside [Privilege Rights]' {
		$holders = ConvertFrom-PadSeceditInf -Text $inf -Right 'SeServiceLogonRight'
		$holders.Count | Should -Be 4
		$holders | Should -Not -Contain 'S-1-9-9'
	}

	It 'returns an empty array when nobody holds the right' {
		$holders = ConvertFrom-PadSeceditInf -Text "[Privilege Rights]`r`nSeNetworkLogonRight = *S-1-1-0`r`n" -Right 'SeServiceLogonRight'
		, $holders | Should -BeOfType [string[]]
		$holders.Count | Should -Be 0
	}

	It 'tolerates a BOM character left at the start of the text' {
		$text = [string][char]0xFEFF + "[Privilege Rights]`nSeServiceLogonRight = *S-1-5-80-0`n"
		$holders = ConvertFrom-PadSeceditInf -Text $text -Right 'SeServiceLogonRight'
		$holders | Should -Be @('S-1-5-80-0')
	}
}

Describe 'Test-PadRightHolder' {
	It 'finds an account by SID, by full name and by bare name' {
		Test-PadRightHolder -Holders @('S-1-5-20', 'S-1-5-21-1-2-3-1105') -AccountName 'CONTOSO\provAgentgMSA$' -AccountSid 'S-1-5-21-1-2-3-1105' | Should -BeTrue
		Test-PadRightHolder -Holders @('contoso\PROVAGENTGMSA$') -AccountName 'CONTOSO\provAgentgMSA$' -AccountSid $null | Should -BeTrue
		Test-PadRightHolder -Holders @('provAgentgMSA$') -AccountName 'CONTOSO\provAgentgMSA$' -AccountSid $null | Should -BeTrue
	}

	It 'compares SIDs and names without case (secedit and policies may write either)' {
		Test-PadRightHolder -Holders @('s-1-5-80-0') -AccountName 'NT SERVICE\ALL SERVICES' -AccountSid 'S-1-5-80-0' | Should -BeTrue
		Test-PadRightHolder -Holders @('S-1-5-21-1-2-3-1105') -AccountName $null -AccountSid 's-1-5-21-1-2-3-1105' | Should -BeTrue
		Test-PadRightHolder -Holders @('nt service\all services') -AccountName 'NT SERVICE\ALL SERVICES' -AccountSid $null | Should -BeTrue
	}

	It 'does not match another account or another domain' {
		Test-PadRightHolder -Holders @('S-1-5-20', 'FABRIKAM\provAgentgMSA$') -AccountName 'CONTOSO\provAgentgMSA$' -AccountSid 'S-1-5-21-1-2-3-1105' | Should -BeFalse
		Test-PadRightHolder -Holders @() -AccountName 'NT SERVICE\ALL SERVICES' -AccountSid 'S-1-5-80-0' | Should -BeFalse
	}
}

Describe 'Read-PadUserRights with the fake secedit' {
	BeforeAll {
		$env:PAD_FAKE_HOST_SCENARIO = Join-Path $repo 'test/fakeHost/scenarios/healthy.json'
		Import-Module (Join-Path $repo 'test/fakeHost/FakeWindowsHost.psm1') -Force
	}
	AfterAll { Remove-Module FakeWindowsHost -ErrorAction SilentlyContinue }

	It 'writes the INF as UTF-16LE with a BOM to the /cfg path' {
		$path = Join-Path $work 'fake-export.inf'
		$null = secedit /export /areas USER_RIGHTS /cfg $path
		$LASTEXITCODE | Should -Be 0
		$bytes = [System.IO.File]::ReadAllBytes($path)
		@($bytes[0], $bytes[1]) | Should -Be @(0xFF, 0xFE)
		[System.IO.File]::ReadAllText($path) | Should -Match 'SeServiceLogonRight = \*S-1-5-80-0'
	}

	It 'reads the export and deletes its temporary INF' {
		$before = @(Get-ChildItem -LiteralPath $env:TEMP -Filter 'pad-user-rights-*.inf').Count
		$export = Read-PadUserRights
		$export.ExitCode | Should -Be 0
		$holders = ConvertFrom-PadSeceditInf -Text $export.Text -Right 'SeServiceLogonRight'
		$holders | Should -Contain 'S-1-5-80-0'
		@(Get-ChildItem -LiteralPath $env:TEMP -Filter 'pad-user-rights-*.inf').Count | Should -Be $before
	}
}

Describe 'ConvertFrom-PadScManagedAccount' {
	It 'reads TRUE and FALSE from the assumed sc.exe layout' {
		$true_ = @('[SC] QueryServiceConfig2 SUCCESS', '', 'SERVICE_NAME: AADConnectProvisioningAgent', '        ACCOUNT MANAGED   : TRUE')
		$false_ = @('[SC] QueryServiceConfig2 SUCCESS', '', 'SERVICE_NAME: AADConnectProvisioningAgent', '        ACCOUNT MANAGED   : FALSE')
		ConvertFrom-PadScManagedAccount -Lines $true_ | Should -BeTrue
		ConvertFrom-PadScManagedAccount -Lines $false_ | Should -BeFalse
	}

	It 'is tolerant of case and spacing' {
		ConvertFrom-PadScManagedAccount -Lines @('Account Managed: true') | Should -BeTrue
	}

	It 'returns $null when no managed-account line is there' {
		ConvertFrom-PadScManagedAccount -Lines @('[SC] OpenService FAILED 1060:', 'The specified service does not exist as an installed service.') | Should -BeNullOrEmpty
		ConvertFrom-PadScManagedAccount -Lines @('MANAGED ACCOUNT: unknown') | Should -BeNullOrEmpty
	}
}

Describe 'Test-PadPrincipalIsComputer' {
	# By DN and by account name, not a computer whose name starts the same, and nothing when either side is empty.
	It '<Principal> names <Computer>: <Expected>' -TestCases @(
		@{ Principal = 'CN=AGENT01,OU=Servers,DC=contoso,DC=com'; Computer = 'AGENT01'; Expected = $true }
		@{ Principal = 'cn=agent01,OU=Servers,DC=contoso,DC=com'; Computer = 'AGENT01'; Expected = $true }
		@{ Principal = 'CONTOSO\AGENT01$'; Computer = 'AGENT01'; Expected = $true }
		@{ Principal = 'AGENT01$'; Computer = 'AGENT01'; Expected = $true }
		@{ Principal = 'AGENT01'; Computer = 'AGENT01'; Expected = $true }
		@{ Principal = 'CN=AGENT010,OU=Servers,DC=contoso,DC=com'; Computer = 'AGENT01'; Expected = $false }
		@{ Principal = 'CN=Agent Servers,OU=Groups,DC=contoso,DC=com'; Computer = 'AGENT01'; Expected = $false }
		@{ Principal = 'CONTOSO\AGENT02$'; Computer = 'AGENT01'; Expected = $false }
		@{ Principal = ''; Computer = 'AGENT01'; Expected = $false }
		@{ Principal = 'AGENT01$'; Computer = ''; Expected = $false }
	) {
		Test-PadPrincipalIsComputer -Principal $Principal -ComputerName $Computer | Should -Be $Expected
	}
}

Describe 'Test-PadEventNamesService' {
	BeforeAll {
		$svc = 'AADConnectProvisioningAgent'
		$names = Get-PadAgentDisplayNames
	}

	It 'matches the service name or a display name among the insertion strings, whatever the message language' {
		Test-PadEventNamesService -EventRecord (New-TestEvent -Properties @('AADConnectProvisioningAgent', 'NT SERVICE\AADConnectProvisioningAgent')) -ServiceName $svc -DisplayNames $names | Should -BeTrue
		Test-PadEventNamesService -EventRecord (New-TestEvent -Id 7000 -Properties @('Microsoft Entra Connect Provisioning Agent', '%%1069') -Message 'Der Dienst konnte nicht gestartet werden.') -ServiceName $svc -DisplayNames $names | Should -BeTrue
	}

	It 'decodes binary data (the service key name as UTF-16LE)' {
		$binary = [System.Text.Encoding]::Unicode.GetBytes('AADConnectProvisioningAgent' + [char]0)
		Test-PadEventNamesService -EventRecord (New-TestEvent -Id 7036 -Properties @('Dienst X', 'wird ausgefuehrt', $binary)) -ServiceName $svc -DisplayNames $names | Should -BeTrue
	}

	It 'falls back to the rendered message' {
		Test-PadEventNamesService -EventRecord (New-TestEvent -Message 'The Microsoft Entra Provisioning Agent service terminated unexpectedly.') -ServiceName $svc -DisplayNames $names | Should -BeTrue
	}

	It 'does not count events of other services, including the agent updater' {
		Test-PadEventNamesService -EventRecord (New-TestEvent -Properties @('MSSQLSERVER', 'CONTOSO\sqlsvc') -Message 'The MSSQLSERVER service was unable to log on as CONTOSO\sqlsvc.') -ServiceName $svc -DisplayNames $names | Should -BeFalse
		Test-PadEventNamesService -EventRecord (New-TestEvent -Id 7000 -Properties @('Microsoft Azure AD Connect Agent Updater', '%%1053') -Message 'The Microsoft Azure AD Connect Agent Updater service failed to start.') -ServiceName $svc -DisplayNames $names | Should -BeFalse
	}
}

Describe 'Invoke-PadWinEventQuery' {
	BeforeAll {
		function global:Get-WinEvent { [CmdletBinding()] param([hashtable[]] $FilterHashtable) }
	}

	It 'treats NoMatchingEventsFound as no events' {
		Mock -ModuleName PadProbes Get-WinEvent {
			$PSCmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord((New-Object System.Exception 'No events were found that match the specified selection criteria.'), 'NoMatchingEventsFound', 'ObjectNotFound', $null)))
		}
		$r = Invoke-PadWinEventQuery -Filter @{ LogName = 'System'; Id = 7041 }
		$r.LogFound | Should -BeTrue
		@($r.Events).Count | Should -Be 0
	}

	It 'reports a missing log as LogFound = $false, not as an error' {
		Mock -ModuleName PadProbes Get-WinEvent {
			$PSCmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord((New-Object System.Exception 'There is not an event log on the localhost computer that matches "X".'), 'NoMatchingLogsFound', 'ObjectNotFound', $null)))
		}
		$r = Invoke-PadWinEventQuery -Filter @{ LogName = 'X'; Id = 9001 }
		$r.LogFound | Should -BeFalse
	}

	It 'lets any other error through' {
		Mock -ModuleName PadProbes Get-WinEvent { throw 'Attempted to perform an unauthorized operation.' }
		{ Invoke-PadWinEventQuery -Filter @{ LogName = 'System'; Id = 7041 } } | Should -Throw '*unauthorized*'
	}
}

Describe 'ConvertTo-PadEventEvidence' {
	It 'keeps the newest 10, newest first, with ISO times and messages cut at 300 characters' {
		$events = @(foreach ($h in 1..12) { New-TestEvent -Id 7034 -Time ([datetime]::UtcNow.AddHours(-$h)) -Message ('x' * 400) })
		$evidence = ConvertTo-PadEventEvidence -Events ($events | Sort-Object { Get-Random })
		$evidence.Count | Should -Be 10
		[datetime]::Parse($evidence[0].time).ToUniversalTime() | Should -BeGreaterThan ([datetime]::Parse($evidence[9].time).ToUniversalTime())
		$evidence[0].message.Length | Should -Be 300
		$evidence[0].time | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d'
	}
}

Describe 'Read-PadFileTail' {
	BeforeAll {
		$line = "Service 'Microsoft Entra Connect Provisioning Agent' (AADConnectProvisioningAgent) failed to start."
	}

	It 'reads UTF-16LE with a BOM, UTF-8 with a BOM and UTF-16LE without a BOM' {
		$cases = @(
			@{ Name = 'u16bom.log'; Encoding = [System.Text.UnicodeEncoding]::new($false, $true) },
			@{ Name = 'u8bom.log'; Encoding = [System.Text.UTF8Encoding]::new($true) },
			@{ Name = 'u16.log'; Encoding = [System.Text.UnicodeEncoding]::new($false, $false) }
		)
		foreach ($case in $cases) {
			$path = Join-Path $work $case.Name
			[System.IO.File]::WriteAllText($path, "first`r`n$line`r`n", $case.Encoding)
			Read-PadFileTail -Path $path | Should -Match ([regex]::Escape($line)) -Because $case.Name
		}
	}

	It 'reads only the tail of a large file, on a character boundary for UTF-16' {
		$path = Join-Path $work 'big16.log'
		$text = ('filler line' + "`r`n") * 500 + $line + "`r`n"
		[System.IO.File]::WriteAllText($path, $text, [System.Text.UnicodeEncoding]::new($false, $true))
		foreach ($max in 301, 302, 1001) {
			$tail = Read-PadFileTail -Path $path -MaxBytes $max
			$tail.Length | Should -BeLessOrEqual ([int]($max / 2) + 1)
			$tail | Should -Match 'failed to start\.\r\n$' -Because "MaxBytes $max"
		}
	}

	It 'reads a file that another process holds open for writing' {
		$path = Join-Path $work 'open.log'
		$stream = [System.IO.File]::Open($path, 'Create', 'ReadWrite', 'ReadWrite')
		try {
			$bytes = [System.Text.Encoding]::UTF8.GetBytes($line)
			$stream.Write($bytes, 0, $bytes.Length)
			$stream.Flush()
			Read-PadFileTail -Path $path | Should -Be $line
		}
		finally { $stream.Dispose() }
	}
}

Describe 'Get-PadAccountSamName' {
	It 'takes the name out of DOMAIN\name and name@domain, and keeps anything else' {
		Get-PadAccountSamName 'CONTOSO\pGMSA_1$' | Should -BeExactly 'pGMSA_1$'
		Get-PadAccountSamName 'pGMSA_1$@contoso.com' | Should -BeExactly 'pGMSA_1$'
		Get-PadAccountSamName 'pGMSA_1$' | Should -BeExactly 'pGMSA_1$'
	}
}

Describe 'Test-PadManagedAccountFlag with output it cannot read' {
	BeforeAll {
		Mock -ModuleName PadProbes Get-PadAgentService { [pscustomobject]@{ Name = 'AADConnectProvisioningAgent'; StartName = 'CONTOSO\pGMSA_1$' } }
		InModuleScope PadProbes { Set-PadCatalogue (ConvertFrom-PadCatalogueText -Text (Read-PadCatalogueText)) }
	}
	AfterEach { Remove-Item -LiteralPath 'function:global:sc.exe' -ErrorAction SilentlyContinue }
	It 'could not check when sc.exe succeeds but shows no flag' {
		function global:sc.exe { 'Something else entirely'; $global:LASTEXITCODE = 0 }
		$r = Test-PadManagedAccountFlag -Context @{}
		$r.status | Should -Be 'unknown'
		$r.error | Should -Be 'The output of sc.exe qmanagedaccount did not show the managed-account flag.'
		$r.evidence['output'] | Should -BeExactly 'Something else entirely'
	}
	It 'keeps at most 300 characters of the output as evidence' {
		function global:sc.exe { 'x' * 400; $global:LASTEXITCODE = 5 }
		$r = Test-PadManagedAccountFlag -Context @{}
		$r.status | Should -Be 'unknown'
		$r.evidence['output'] | Should -BeExactly ('x' * 300)
		$r.error | Should -BeLike '*(exit code 5)*'
	}
}
