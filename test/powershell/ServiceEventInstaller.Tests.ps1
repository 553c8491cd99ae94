# Probe-level tests for the service, event log and installer checks: that their rules come from the catalogue's data,
# the log reading (kinds of log, encodings, newest files, tails, folders that cannot be listed), the failed MSI action
# behind 0x80070643, the logon-right decisions against the winning GPO, the grant fix run with the evidence of a real
# probe run, and the boundaries of the agent version, updater and previous-installation checks.

BeforeAll {
	$savedEnvironment = @{}
	foreach ($name in 'ProgramFiles', 'ProgramData', 'TEMP', 'SystemRoot', 'COMPUTERNAME', 'PAD_FAKE_HOST_SCENARIO') {
		$savedEnvironment[$name] = [System.Environment]::GetEnvironmentVariable($name)
	}
	$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
	Import-Module (Join-Path $repo 'src/powershell/PadProbes.psm1') -Force
	$catalogueDir = Join-Path $repo 'src/catalogue'
	$messages = @((Get-Content -LiteralPath (Join-Path $catalogueDir 'messages.json') -Raw | ConvertFrom-Json).messages)

	function Get-CatalogueCheck([string] $Id) {
		foreach ($file in Get-ChildItem -LiteralPath (Join-Path $catalogueDir 'checks') -Filter '*.json') {
			foreach ($check in (Get-Content -LiteralPath $file.FullName -Raw | ConvertFrom-Json).checks) { if ($check.id -eq $Id) { return $check } }
		}
		throw "no check $Id"
	}

	function Get-CatalogueFix([string] $Id) {
		foreach ($file in Get-ChildItem -LiteralPath (Join-Path $catalogueDir 'checks') -Filter '*.json') {
			$data = Get-Content -LiteralPath $file.FullName -Raw | ConvertFrom-Json
			if ($data.PSObject.Properties['fixes']) { foreach ($fix in $data.fixes) { if ($fix.id -eq $Id) { return $fix } } }
		}
		throw "no fix $Id"
	}

	function New-LogFolders {
		# Windows folders of a fake computer below TestDrive, for the log reading tests.
		$root = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
		$folders = @{
			TEMP        = Join-Path $root 'Users/admin/AppData/Local/Temp'
			SystemRoot  = Join-Path $root 'Windows'
			ProgramData = Join-Path $root 'ProgramData'
		}
		foreach ($k in $folders.Keys) {
			[void](New-Item -ItemType Directory -Path $folders[$k] -Force)
			Set-Item -Path ('env:' + $k) -Value $folders[$k]
		}
		[void](New-Item -ItemType Directory -Path (Join-Path $folders.SystemRoot 'Temp') -Force)
		$folders['SystemTemp'] = Join-Path $folders.SystemRoot 'Temp'
		# agent.json writes Windows paths; on the test host the probes' file cmdlets read \ as the separator too.
		$folders['Trace'] = ConvertTo-SlashPath (Get-PadAgentPath -Name traceFolder)
		$folders
	}

	function ConvertTo-SlashPath {
		# One separator, so that paths built from agent.json (\) and by the file system compare equal on any host.
		param([AllowNull()] [object[]] $Path)
		foreach ($p in @($Path)) { if ($null -ne $p) { ([string]$p).Replace('\', '/') } }
	}

	function Write-Log {
		# Writes lines with CRLF in one of the encodings installer and trace logs come in; optional age in hours.
		param([string] $Path, [string[]] $Lines, [ValidateSet('utf16bom', 'utf16', 'utf8', 'utf8bom')] [string] $Encoding = 'utf8', [double] $HoursAgo = 0)
		[void](New-Item -ItemType Directory -Path (Split-Path -Parent $Path) -Force)
		$encodings = @{
			utf16bom = [System.Text.UnicodeEncoding]::new($false, $true)
			utf16    = [System.Text.UnicodeEncoding]::new($false, $false)
			utf8     = [System.Text.UTF8Encoding]::new($false)
			utf8bom  = [System.Text.UTF8Encoding]::new($true)
		}
		[System.IO.File]::WriteAllText($Path, (($Lines -join "`r`n") + "`r`n"), $encodings[$Encoding])
		(Get-Item -LiteralPath $Path).LastWriteTimeUtc = [datetime]::UtcNow.AddHours(-$HoursAgo)
	}

	$msi1923Lines = @(
		'=== Verbose logging started: 9/15/2021  10:15:40  Build type: SHIP UNICODE 5.00.10011.00  Calling process: C:\Windows\system32\msiexec.exe ===',
		'MSI (s) (4C:10) [10:15:41:001]: Executing op: ActionStart(Name=InstallServices,Description=Installing new services,Template=Service: [2])',
		'InstallServices: Service: Microsoft Azure AD Connect Provisioning Agent',
		"MSI (s) (4C:10) [10:15:41:210]: Product: Microsoft Azure AD Connect Provisioning Agent -- Error 1923. Service 'Microsoft Azure AD Connect Provisioning Agent' (AADConnectProvisioningAgent) could not be installed. Verify that you have sufficient privilages to install system services.",
		'',
		"Error 1923. Service 'Microsoft Azure AD Connect Provisioning Agent' (AADConnectProvisioningAgent) could not be installed. Verify that you have sufficient privilages to install system services.",
		'MSI (s) (4C:10) [10:15:41:215]: Note: 1: 1708',
		'Action ended 10:15:41: InstallFinalize. Return value 3.',
		'MSI (s) (4C:10) [10:15:41:300]: Executing op: Header(Signature=1397708873,Version=500)',
		'MSI (s) (4C:10) [10:15:41:301]: Executing op: RollbackInfo(,RollbackAction=Rollback)',
		'Action ended 10:15:42: INSTALL. Return value 3.',
		'MSI (s) (4C:10) [10:15:42:020]: MainEngineThread is returning 1603'
	)
	$bundleLines = @(
		'[0A1C:0B2C][2021-09-15T10:14:58]i001: Burn v3.11.2.4516, Windows v10.0 (Build 17763: Service Pack 0)',
		'[0A1C:0B2C][2021-09-15T10:15:40]i301: Applying execute package: AADConnectProvisioningAgent, action: Install',
		'[0A1C:0B2C][2021-09-15T10:15:42]e000: Error 0x80070643: Failed to install MSI package.'
	)
	$bundleName = 'Microsoft_Entra_Connect_Provisioning_Agent_Package_20250301090000'
}

AfterAll {
	Remove-Module PadProbes -ErrorAction SilentlyContinue
	Remove-Module FakeWindowsHost -ErrorAction SilentlyContinue
	foreach ($name in $savedEnvironment.Keys) { [System.Environment]::SetEnvironmentVariable($name, $savedEnvironment[$name]) }
}

Describe 'The event log and installer probes take their rules from the catalogue' {
	It 'keep no event id, Windows Installer error number or message text of their own' {
		foreach ($file in 'EventLog.ps1', 'Installer.ps1') {
			$ast = [System.Management.Automation.Language.Parser]::ParseFile((Join-Path $repo "src/powershell/probes/$file"), [ref]$null, [ref]$null)
			$numbers = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.ConstantExpressionAst] -and $n.Value -is [int] -and $n.Value -in 1603, 1638, 1920, 1923, 7000, 7009, 7034, 7038, 7041, 9001, 9002 }, $true) | ForEach-Object { $_.Value })
			$numbers | Should -BeNullOrEmpty -Because $file
			$strings = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.StringConstantExpressionAst] }, $true) | ForEach-Object { $_.Value })
			@($strings | Where-Object { $_ -match '\b(7000|7009|7034|7038|7041|9001|9002|1920|1923|1638)\b|0x80070643|Service Control Manager|Security-Netlogon|_Package_|MSI\*|could not be installed|failed to start|no such object|creating gmsa' }) | Should -BeNullOrEmpty -Because $file
		}
	}

	It 'no longer define their own rule lists' {
		foreach ($name in 'Get-PadSetupLogRules', 'Get-PadSetupLogPatterns', 'Find-PadSetupLogMatches', 'Find-PadSetupLogs') {
			Get-Command -Name $name -Module PadProbes -ErrorAction SilentlyContinue | Should -BeNullOrEmpty -Because $name
		}
	}

	It 'report, for every log message, a failure of the installer log check, and for every event message one of its event check' {
		$setupLog = @((Get-CatalogueCheck 'installer.setup-log').failures | ForEach-Object { $_.id })
		foreach ($m in @($messages | Where-Object { $_.PSObject.Properties['finding'] })) {
			$seen = @($m.seenIn)
			if ($m.match.PSObject.Properties['event']) {
				$check = @{ 'agent-service' = 'eventlog.scm-events'; 'agent-gmsa' = 'eventlog.netlogon-msa' }[[string]$m.match.event.about]
				@((Get-CatalogueCheck $check).failures | ForEach-Object { $_.id }) | Should -Contain $m.finding -Because $m.id
			}
			elseif (@($seen | Where-Object { $_ -in 'bundle-log', 'msi-log', 'trace-log' }).Count -gt 0) {
				$setupLog | Should -Contain $m.finding -Because $m.id
			}
		}
	}

	It 'take each check status from the severity the catalogue gives the failure' {
		$folders = New-LogFolders
		Write-Log -Path (Join-Path $folders.TEMP ($bundleName + '.log')) -Lines @('e000: Error 1638. Another version of this product is already installed.')
		$catalogue = Read-PadCatalogue
		try {
			Set-PadCatalogue $catalogue
			(Test-PadSetupLog -Context @{}).status | Should -Be 'fail'
			($catalogue.Checks | Where-Object { $_.Id -eq 'installer.setup-log' }).Severities['setup-log-msi-1638'] = 'warning'
			(Test-PadSetupLog -Context @{}).status | Should -Be 'warning'
		}
		finally { Set-PadCatalogue $null }
	}
}

Describe 'Find-PadLogMessages' {
	It 'finds every example of every log message as its own finding' {
		foreach ($m in @($messages | Where-Object { $_.PSObject.Properties['finding'] -and $_.PSObject.Properties['examples'] -and -not $_.match.PSObject.Properties['event'] })) {
			foreach ($example in @($m.examples)) {
				$found = @(Find-PadLogMessages -Lines @('i000: before', $example, 'i000: after') -Messages $messages)
				@($found | ForEach-Object { $_.FailureId }) | Should -Contain ([string]$m.finding) -Because $example
				$expected = $example.Trim()
				if ($expected.Length -gt 300) { $expected = $expected.Substring(0, 300) }
				@($found | Where-Object { $_.MessageId -eq $m.id })[0].Line | Should -Be $expected
			}
		}
	}

	It 'splits one trace line into each message it holds' {
		$line = '[15:16:14.583] [ 16] [ERROR] Exception creating gmsa. Exception: System.DirectoryServices.DirectoryServicesCOMException (0x80072030): There is no such object on the server.'
		@(Find-PadLogMessages -Lines @($line) -Messages $messages | ForEach-Object { $_.FailureId } | Sort-Object) | Should -Be @('setup-log-gmsa-exception', 'setup-log-no-such-object')
	}

	It 'knows MSI 1923 by its number alone, when the line does not carry the dialog text' {
		$line = 'MSI (s) (4C:10) [10:15:41:210]: Product: Microsoft Azure AD Connect Provisioning Agent -- Error 1923.'
		@(Find-PadLogMessages -Lines @($line) -Messages $messages | ForEach-Object { $_.FailureId }) | Should -Contain 'setup-log-msi-1923'
	}

	It 'finds nothing in clean lines or in other error numbers' {
		@(Find-PadLogMessages -Lines @('Error 19230 is not 1923', 'Apply complete, result: 0x0', '') -Messages $messages).Count | Should -Be 0
		@(Find-PadLogMessages -Lines @() -Messages $messages).Count | Should -Be 0
	}
}

Describe 'Log reading at its edges' {
	BeforeAll { InModuleScope PadProbes { Set-PadCatalogue (ConvertFrom-PadCatalogueText -Text (Read-PadCatalogueText)) } }
	AfterAll { Set-PadCatalogue $null }

	It 'reads UTF-16 big-endian text by its BOM' {
		$path = Join-Path $TestDrive 'be.log'
		[System.IO.File]::WriteAllText($path, "Error 1923.`r`n", [System.Text.UnicodeEncoding]::new($true, $true))
		Read-PadFileTail -Path $path | Should -BeExactly "Error 1923.`r`n"
	}
	It 'gives an empty text when the tail of a UTF-16 file is only half a character' {
		$path = Join-Path $TestDrive 'half.log'
		# BOM, "AB", and a lone byte: the last byte alone starts in the middle of a character.
		[System.IO.File]::WriteAllBytes($path, [byte[]]@(0xFF, 0xFE, 0x41, 0x00, 0x42, 0x00))
		Read-PadFileTail -Path $path -MaxBytes 1 | Should -BeExactly ''
		Read-PadFileTail -Path $path -MaxBytes 3 | Should -BeExactly 'B'
	}
	It 'lists %TEMP% once when it is also %SystemRoot%\Temp' {
		$folders = New-LogFolders
		$env:TEMP = $folders.SystemTemp
		$found = Find-PadInstallerLogFiles
		@($found.Folders | ForEach-Object { ConvertTo-SlashPath ([string]$_.path) } | Where-Object { $_ -eq (ConvertTo-SlashPath $folders.SystemTemp) }).Count | Should -Be 1
	}
	It 'finds the agent named in no text, and splits no text into no lines' {
		Test-PadTextNamesAgent -Text '' | Should -BeFalse
		Test-PadTextNamesAgent -Text 'Product: Microsoft Azure AD Connect Provisioning Agent -- Installation failed.' | Should -BeTrue
		$none = Split-PadLogLines -Text ''
		, $none | Should -BeOfType [string[]]
		$none.Count | Should -Be 0
		(Split-PadLogLines -Text "a`r`nb`nc").Count | Should -Be 3
	}
	It 'keeps at most 300 characters of a matching line and of each line around a failed action' {
		$long = 'Error 1923. ' + ('x' * 400)
		$found = @(Find-PadLogMessages -Lines @($long) -Messages $messages)
		$found.Count | Should -BeGreaterThan 0
		$found[0].Line | Should -BeExactly $long.Substring(0, 300)
		$rules = Get-PadCheckRules -CheckId 'installer.setup-log'
		$failed = Find-PadMsiFailedAction -Lines @(('y' * 301), 'Action ended 10:15:41: InstallFinalize. Return value 3.') -Rules $rules
		$failed.Context[0] | Should -BeExactly ('y' * 300)
	}
}

Describe 'Find-PadMsiFailedAction' {
	BeforeAll { $rules = Get-PadCheckRules -CheckId 'installer.setup-log' }

	It 'finds the first action with Return value 3, the error number before it and the lines around it' {
		$failed = Find-PadMsiFailedAction -Lines $msi1923Lines -Rules $rules
		$failed.Action | Should -Be 'InstallFinalize'
		$failed.ErrorNumber | Should -Be 1923
		$failed.Context.Count | Should -Be ([int]$rules.contextLinesBefore + 1 + [int]$rules.contextLinesAfter)
		$failed.Context[[int]$rules.contextLinesBefore] | Should -Be 'Action ended 10:15:41: InstallFinalize. Return value 3.'
		$failed.Context | Should -Contain 'MSI (s) (4C:10) [10:15:41:215]: Note: 1: 1708'
	}

	It 'takes no error number from beyond its search window, and none from a successful log' {
		$far = @($msi1923Lines[0..5]) + @(1..([int]$rules.msiErrorSearchLines + 1) | ForEach-Object { 'MSI (s) (4C:10): Doing action: Filler' }) + @('Action ended 10:15:41: InstallFinalize. Return value 3.')
		$failed = Find-PadMsiFailedAction -Lines $far -Rules $rules
		$failed.Action | Should -Be 'InstallFinalize'
		$failed.ErrorNumber | Should -BeNullOrEmpty
		Find-PadMsiFailedAction -Lines @('Action ended 9:02:59: INSTALL. Return value 1.') -Rules $rules | Should -BeNullOrEmpty
	}
}

Describe 'Test-PadSetupLog reading real files' {
	AfterEach { Set-PadCatalogue $null }

	It 'reads a UTF-16LE bundle log (BOM) and its UTF-16LE per-MSI log (no BOM), and reports the failed MSI action' {
		$folders = New-LogFolders
		Write-Log -Path (Join-Path $folders.TEMP ($bundleName + '.log')) -Lines $bundleLines -Encoding utf16bom
		Write-Log -Path (Join-Path $folders.TEMP ($bundleName + '_0_AADConnectProvisioningAgent.log')) -Lines $msi1923Lines -Encoding utf16
		$r = Test-PadSetupLog -Context @{}
		$r.status | Should -Be 'fail'
		@($r.failureIds | Sort-Object) | Should -Be @('setup-log-install-failure', 'setup-log-msi-1923')
		@($r.evidence['bundleLogsRead']) | Should -Be @((Join-Path $folders.TEMP ($bundleName + '.log')))
		@($r.evidence['msiLogsRead']) | Should -Be @((Join-Path $folders.TEMP ($bundleName + '_0_AADConnectProvisioningAgent.log')))
		$r.evidence['msiFailedAction'] | Should -Be 'InstallFinalize'
		$r.evidence['msiErrorNumber'] | Should -Be 1923
		@($r.evidence['msiFailureLines']) | Should -Contain 'Action ended 10:15:41: InstallFinalize. Return value 3.'
		@($r.evidence['matches'] | ForEach-Object { $_['failureId'] }) | Should -Contain 'setup-log-install-failure'
	}

	It 'reads the wizard errors in the trace folder, in UTF-8 with a BOM, and only there' {
		$folders = New-LogFolders
		$line = '[12:05:00.412] [ 16] [ERROR] Failed changing Windows service credentials to gMSA. Please check the logs for more detailed information.'
		Write-Log -Path (Join-Path $folders.Trace 'wizard.log') -Lines @('[12:00:00.101] [  1] [INFO ] Starting.', $line) -Encoding utf8bom
		$r = Test-PadSetupLog -Context @{}
		$r.failureIds | Should -Be @('setup-log-gmsa-credentials')
		@(ConvertTo-SlashPath $r.evidence['traceFilesRead']) | Should -Be @(ConvertTo-SlashPath (Join-Path $folders.Trace 'wizard.log'))
		Remove-Item -LiteralPath (Join-Path $folders.Trace 'wizard.log')
		Write-Log -Path (Join-Path $folders.TEMP ($bundleName + '.log')) -Lines @($line)
		(Test-PadSetupLog -Context @{}).status | Should -Be 'pass' -Because 'the wizard messages are not bundle-log messages'
	}

	It 'reads only the newest files of a kind' {
		$folders = New-LogFolders
		$max = [int](Get-PadCheckRules -CheckId 'installer.setup-log').newestFilesPerKind
		Write-Log -Path (Join-Path $folders.Trace 'old.log') -Lines @('[ERROR] Exception creating gmsa.') -HoursAgo 100
		foreach ($i in 1..$max) { Write-Log -Path (Join-Path $folders.Trace "new$i.log") -Lines @('[INFO ] fine') -HoursAgo $i }
		$r = Test-PadSetupLog -Context @{}
		$r.status | Should -Be 'pass'
		@($r.evidence['traceFilesRead']).Count | Should -Be $max
		@(ConvertTo-SlashPath $r.evidence['traceFilesRead']) | Should -Not -Contain (ConvertTo-SlashPath (Join-Path $folders.Trace 'old.log'))
		(Get-Item -LiteralPath (Join-Path $folders.Trace "new$max.log")).LastWriteTimeUtc = [datetime]::UtcNow.AddHours(-200)
		(Test-PadSetupLog -Context @{}).failureIds | Should -Be @('setup-log-gmsa-exception')
	}

	It 'reads only the tail of a file' {
		$folders = New-LogFolders
		$catalogue = Read-PadCatalogue
		$rules = ($catalogue.Checks | Where-Object { $_.Id -eq 'installer.setup-log' }).Rules
		$rules.tailBytes = 2000
		Set-PadCatalogue $catalogue
		$filler = @(1..100 | ForEach-Object { '[INFO ] filler line number ' + $_ })
		Write-Log -Path (Join-Path $folders.Trace 'long.log') -Lines (@('[ERROR] Exception creating gmsa.') + $filler) -Encoding utf16bom
		(Test-PadSetupLog -Context @{}).status | Should -Be 'pass'
		Write-Log -Path (Join-Path $folders.Trace 'long.log') -Lines ($filler + @('[ERROR] Exception creating gmsa.')) -Encoding utf16bom
		(Test-PadSetupLog -Context @{}).failureIds | Should -Be @('setup-log-gmsa-exception')
	}

	It 'reads a Windows Installer policy log only when it names the agent, and counts the others' {
		$folders = New-LogFolders
		Write-Log -Path (Join-Path $folders.SystemTemp 'MSI7b2c9.LOG') -Lines @("Product: Contoso Backup -- Error 1920. Service 'Contoso Backup' (ContosoBackup) failed to start. Verify that you have sufficient privileges to start system services.")
		$r = Test-PadSetupLog -Context @{}
		$r.status | Should -Be 'notApplicable'
		$r.evidence['msiPolicyLogsIgnored'] | Should -Be 1
		Write-Log -Path (Join-Path $folders.TEMP 'MSI4f6a1.LOG') -Lines $msi1923Lines -Encoding utf16
		$r = Test-PadSetupLog -Context @{}
		$r.failureIds | Should -Be @('setup-log-msi-1923')
		@($r.evidence['msiPolicyLogsRead']) | Should -Be @((Join-Path $folders.TEMP 'MSI4f6a1.LOG'))
	}

	It 'names every folder it looked in when there is nothing to read' {
		$folders = New-LogFolders
		$r = Test-PadSetupLog -Context @{}
		$r.status | Should -Be 'notApplicable'
		@(ConvertTo-SlashPath $r.evidence['foldersSearched']) | Should -Be @(ConvertTo-SlashPath @($folders.Trace, $folders.TEMP, $folders.SystemTemp))
		@(ConvertTo-SlashPath $r.evidence['foldersMissing']) | Should -Be @(ConvertTo-SlashPath $folders.Trace)
	}

	It 'reports a folder it cannot list as could-not-check, never as no logs' {
		$folders = New-LogFolders
		Mock -ModuleName PadProbes Get-ChildItem { throw [System.UnauthorizedAccessException]::new("Access to the path '$LiteralPath' is denied.") } -ParameterFilter { $LiteralPath -eq $folders.SystemTemp }
		$r = Test-PadSetupLog -Context @{}
		$r.status | Should -Be 'unknown'
		$r.error | Should -BeLike ('*' + $folders.SystemTemp + '*denied*')
		@($r.evidence['foldersUnreadable']).Count | Should -Be 1
	}
}

Describe 'Event rules' {
	BeforeAll { function global:Get-WinEvent { [CmdletBinding()] param([hashtable[]] $FilterHashtable) } }
	AfterAll { Remove-Item -LiteralPath 'function:global:Get-WinEvent' -ErrorAction SilentlyContinue }

	It 'query the log, provider and ids of the message rules, 7009 included' {
		$script:filters = New-Object System.Collections.Generic.List[hashtable]
		Mock -ModuleName PadProbes Get-WinEvent { $script:filters.Add($FilterHashtable[0]) }
		Mock -ModuleName PadProbes Get-PadAgentService { [pscustomobject]@{ Name = 'AADConnectProvisioningAgent'; DisplayName = 'Microsoft Entra Connect Provisioning Agent'; StartName = 'CONTOSO\provAgentgMSA$' } }
		(Test-PadScmEvents -Context @{}).status | Should -Be 'pass'
		$script:filters[0]['LogName'] | Should -Be 'System'
		@($script:filters[0]['ProviderName']) | Should -Be @('Service Control Manager')
		@($script:filters[0]['Id'] | Sort-Object) | Should -Be @(7000, 7009, 7034, 7038, 7041)
	}

	It 'pair an event with a rule only when its provider is the rule''s too' {
		$rules = @(Get-PadEventRules | Where-Object { $_.About -eq 'agent-service' })
		Mock -ModuleName PadProbes Get-WinEvent {
			[pscustomobject]@{ Id = 7041; ProviderName = 'Microsoft-Windows-Kernel-General'; TimeCreated = [datetime]::UtcNow; Properties = @(); Message = 'AADConnectProvisioningAgent' }
			[pscustomobject]@{ Id = 7009; ProviderName = 'Service Control Manager'; TimeCreated = [datetime]::UtcNow; Properties = @(); Message = 'AADConnectProvisioningAgent' }
		}
		$found = Find-PadRuleEvents -Rules $rules -StartTime ([datetime]::UtcNow.AddDays(-1))
		@($found.Matches | ForEach-Object { $_.Rule.Finding }) | Should -Be @('event-7009')
	}

	It 'give the not-installed agent notApplicable only while no event names it' {
		Mock -ModuleName PadProbes Get-PadAgentService { $null }
		Mock -ModuleName PadProbes Get-WinEvent { }
		(Test-PadScmEvents -Context @{}).status | Should -Be 'notApplicable'
		Mock -ModuleName PadProbes Get-WinEvent { [pscustomobject]@{ Id = 7009; ProviderName = 'Service Control Manager'; TimeCreated = [datetime]::UtcNow; Properties = @([pscustomobject]@{ Value = '30000' }, [pscustomobject]@{ Value = 'AADConnectProvisioningAgent' }); Message = $null } }
		$r = Test-PadScmEvents -Context @{}
		$r.status | Should -Be 'warning'
		$r.failureIds | Should -Be @('event-7009')
	}
}

Describe 'The agent''s gMSA in Netlogon events' {
	It 'is the service''s gMSA when it runs as one, else the wizard''s names from agent.json' {
		$names = Get-PadAgentGmsaNames -Service ([pscustomobject]@{ StartName = 'CONTOSO\pGMSA_2345ad35$' })
		$names | Should -Be @('pGMSA_2345ad35$')
		$gmsa = (Get-PadAgentFacts).gmsa
		$defaults = @(([string]$gmsa.defaultName + '$'), [string]$gmsa.samAccountNamePattern)
		$names = Get-PadAgentGmsaNames -Service ([pscustomobject]@{ StartName = 'NT SERVICE\AADConnectProvisioningAgent' })
		$names | Should -Be $defaults
		$names = Get-PadAgentGmsaNames -Service $null
		$names | Should -Be $defaults
	}

	It 'is found in insertion strings or the message, with or without its $, and not in a longer name' {
		$event = { param($p, $m) [pscustomobject]@{ Properties = @(foreach ($x in $p) { [pscustomobject]@{ Value = $x } }); Message = $m } }
		Get-PadEventAccountName -EventRecord (& $event @('provAgentgMSA$') $null) -Names @('provAgentgMSA$') | Should -Be 'provAgentgMSA$'
		Get-PadEventAccountName -EventRecord (& $event @() 'Netlogon could not use the account CONTOSO\provagentgmsa as an MSA.') -Names @('provAgentgMSA$') | Should -Be 'provagentgmsa'
		Get-PadEventAccountName -EventRecord (& $event @('pGMSA_2345ad35$') $null) -Names @('provAgentgMSA$', 'pGMSA_*') | Should -Be 'pGMSA_2345ad35$'
		Get-PadEventAccountName -EventRecord (& $event @('provAgentgMSA2$', 'sqlgmsa$') 'other accounts') -Names @('provAgentgMSA$', 'pGMSA_*') | Should -BeNullOrEmpty
	}
}

Describe 'Service account types' {
	It 'tells virtual accounts, gMSAs, domain and local users and built-in accounts apart' {
		$cases = [ordered]@{
			'NT SERVICE\AADConnectProvisioningAgent' = 'virtual account'
			'CONTOSO\provAgentgMSA$'                  = 'gMSA'
			'CONTOSO\svc-agent'                       = 'domain user'
			'svc-agent@contoso.com'                   = 'domain user'
			'.\localsvc'                              = 'local user'
			'AGENT01\localsvc'                        = 'local user'
			'LocalSystem'                             = 'built-in'
			'NT AUTHORITY\NETWORK SERVICE'            = 'built-in'
		}
		foreach ($name in $cases.Keys) { Get-PadServiceAccountType -AccountName $name -ComputerName 'AGENT01' | Should -Be $cases[$name] -Because $name }
		Get-PadServiceAccountType -AccountName $null | Should -BeNullOrEmpty
	}

	It 'is reported by the service check' {
		Mock -ModuleName PadProbes Get-PadAgentService { [pscustomobject]@{ Name = 'AADConnectProvisioningAgent'; State = 'Running'; StartMode = 'Auto'; StartName = 'NT SERVICE\AADConnectProvisioningAgent'; DisplayName = 'x'; PathName = 'y' } }
		$r = Test-PadServiceState -Context @{}
		$r.status | Should -Be 'pass'
		$r.evidence['accountType'] | Should -Be 'virtual account'
	}
}

Describe 'Test-PadLogonRight against the fake host' {
	BeforeAll {
		function Invoke-InScenario([string] $Name, [scriptblock] $Script) {
			$env:PAD_FAKE_HOST_SCENARIO = Join-Path $repo "test/fakeHost/scenarios/$Name.json"
			Import-Module (Join-Path $repo 'test/fakeHost/FakeWindowsHost.psm1') -Force
			try { & $Script }
			finally { Remove-Module FakeWindowsHost -ErrorAction SilentlyContinue }
		}
	}

	It 'names the winning GPO and the accounts its list lacks, even while the local list is complete' {
		Invoke-InScenario 'service-logon-right-gpo-removes-local-grant' {
			$r = Test-PadLogonRight -Context @{}
			$r.failureIds | Should -Be @('logon-right-gpo-lacks-accounts')
			$r.evidence['gpo'] | Should -Be 'Server Hardening Policy'
			$r.evidence['gpoSetsRight'] | Should -BeTrue
			@($r.evidence['gpoLacks']) | Should -Be @('CONTOSO\provAgentgMSA$')
			$r.evidence['accountListed'] | Should -BeTrue
		}
	}

	It 'uses only the GPO with precedence 1' {
		Invoke-InScenario 'service-logon-right-gpo-precedence' {
			$r = Test-PadLogonRight -Context @{}
			$r.status | Should -Be 'pass'
			$r.evidence['gpoId'] | Should -BeLike '*3F2A9C61*'
		}
	}

	It 'warns with the RSoP error when it cannot read the policy data' {
		Invoke-InScenario 'service-logon-right-rsop-unreadable' {
			$r = Test-PadLogonRight -Context @{}
			$r.status | Should -Be 'warning'
			$r.evidence['rsopError'] | Should -Be 'Access denied'
			$r.evidence['gpoSetsRight'] | Should -BeNullOrEmpty
		}
	}
}

Describe 'Fix grant-logon-as-service, run with the evidence of a real probe run' {
	BeforeAll {
		$fixScript = Join-Path $catalogueDir 'fixes/grant-logon-as-service.ps1'
		function Get-FixArguments($Evidence) {
			# The catalogue's parameters filled from the evidence, as the extension fills them (empty values left out).
			$arguments = @{}
			foreach ($p in (Get-CatalogueFix 'grant-logon-as-service').parameters) {
				$value = $Evidence[[string]$p.from.evidence]
				if ($null -ne $value -and [string]$value -ne '') { $arguments[[string]$p.name] = [string]$value }
			}
			$arguments
		}
	}
	AfterEach { Remove-Module FakeWindowsHost -ErrorAction SilentlyContinue }

	It 'adds the service account to the current holders, keeping them, and deletes its temporary files' {
		$env:PAD_FAKE_HOST_SCENARIO = Join-Path $repo 'test/fakeHost/scenarios/service-logon-right-missing-service-account.json'
		Import-Module (Join-Path $repo 'test/fakeHost/FakeWindowsHost.psm1') -Force
		$before = Test-PadLogonRight -Context @{}
		$before.failureIds | Should -Be @('logon-right-missing-service-account')
		$arguments = Get-FixArguments $before.evidence
		$arguments['Account'] | Should -Be 'CONTOSO\provAgentgMSA$'
		$arguments['AccountSid'] | Should -Be 'S-1-5-21-1004336348-1177238915-682003330-1105'
		$arguments.ContainsKey('Gpo') | Should -BeFalse
		$warnings = @(& $fixScript @arguments 3>&1 6>$null | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
		$warnings.Count | Should -Be 0
		$after = Test-PadLogonRight -Context @{}
		$after.status | Should -Be 'pass'
		@($after.evidence['holders']) | Should -Be (@($before.evidence['holders']) + @('S-1-5-21-1004336348-1177238915-682003330-1105'))
		@(Get-ChildItem -LiteralPath $env:TEMP -Filter 'pad-grant-logon-*').Count | Should -Be 0
	}

	It 'warns first, naming the GPO, when a GPO sets the right' {
		$env:PAD_FAKE_HOST_SCENARIO = Join-Path $repo 'test/fakeHost/scenarios/service-logon-right-gpo-lacks-accounts.json'
		Import-Module (Join-Path $repo 'test/fakeHost/FakeWindowsHost.psm1') -Force
		$arguments = Get-FixArguments (Test-PadLogonRight -Context @{}).evidence
		$arguments['Gpo'] | Should -Be 'Server Hardening Policy'
		$output = @(& $fixScript @arguments 3>&1 6>&1)
		$output[0] | Should -BeOfType [System.Management.Automation.WarningRecord]
		$output[0].Message | Should -BeLike '*Server Hardening Policy*'
	}

	It 'changes nothing when the account already holds the right' {
		$env:PAD_FAKE_HOST_SCENARIO = Join-Path $repo 'test/fakeHost/scenarios/healthy.json'
		Import-Module (Join-Path $repo 'test/fakeHost/FakeWindowsHost.psm1') -Force
		$before = @((Test-PadLogonRight -Context @{}).evidence['holders'])
		$text = (& $fixScript -Account 'CONTOSO\provAgentgMSA$' -AccountSid 'S-1-5-21-1004336348-1177238915-682003330-1105' 6>&1 | Out-String)
		$text | Should -BeLike '*already lists*'
		@((Test-PadLogonRight -Context @{}).evidence['holders']) | Should -Be $before
	}
}

Describe 'Test-PadAgentVersion' {
	BeforeAll {
		Mock -ModuleName PadProbes Get-PadAgentService { [pscustomobject]@{ Name = 'AADConnectProvisioningAgent'; StartName = 'CONTOSO\provAgentgMSA$' } }
		$newest = @((Get-PadAgentFacts).versions | ForEach-Object { [version]$_.version } | Sort-Object)[-1]
	}

	It 'passes at the newest known release and above it' {
		Mock -ModuleName PadProbes Get-PadFileVersion { $newest.ToString() }
		(Test-PadAgentVersion -Context @{}).status | Should -Be 'pass'
		Mock -ModuleName PadProbes Get-PadFileVersion { '99.0.0.0' }
		(Test-PadAgentVersion -Context @{}).status | Should -Be 'pass'
	}

	It 'warns one release below, listing only the newer release with its notes' {
		$below = @((Get-PadAgentFacts).versions | ForEach-Object { [version]$_.version } | Sort-Object)[-2]
		Mock -ModuleName PadProbes Get-PadFileVersion { $below.ToString() }
		$r = Test-PadAgentVersion -Context @{}
		$r.status | Should -Be 'warning'
		$r.failureIds | Should -Be @('agent-version-known-issues')
		@($r.evidence['newerVersions']) | Should -Be @($newest.ToString())
		$r.evidence['newerReleases'][0]['changes'] | Should -Not -BeNullOrEmpty
		$r.evidence['newestKnownVersion'] | Should -Be $newest.ToString()
	}

	It 'compares versions as numbers: 1.1.972.0 is older than 1.1.1365.0' {
		Mock -ModuleName PadProbes Get-PadFileVersion { '1.1.972.0' }
		$r = Test-PadAgentVersion -Context @{}
		@($r.evidence['newerVersions']) | Should -Contain '1.1.1365.0'
		@($r.evidence['newerVersions']) | Should -Not -Contain '1.1.972.0'
	}

	It 'is not applicable without the service, and could not check without a version' {
		Mock -ModuleName PadProbes Get-PadFileVersion { $null }
		(Test-PadAgentVersion -Context @{}).status | Should -Be 'unknown'
		Mock -ModuleName PadProbes Get-PadAgentService { $null }
		(Test-PadAgentVersion -Context @{}).status | Should -Be 'notApplicable'
	}
}

Describe 'Find-PadAgentUpdaterService' {
	BeforeAll {
		# Windows-only cmdlet: a stand-in for Mock to replace on other hosts.
		if (-not (Get-Command Get-CimInstance -ErrorAction SilentlyContinue)) { function global:Get-CimInstance { [CmdletBinding()] param([string] $ClassName, [string] $Filter, [string] $Namespace) } }
	}
	AfterAll { Remove-Item -LiteralPath 'function:global:Get-CimInstance' -ErrorAction SilentlyContinue }

	It 'prefers the executable, then a display name, then the pattern' {
		Mock -ModuleName PadProbes Get-CimInstance {
			[pscustomobject]@{ Name = 'Other'; DisplayName = 'Contoso Agent Updater'; PathName = 'C:\contoso\up.exe'; State = 'Running' }
			[pscustomobject]@{ Name = 'Real'; DisplayName = 'Something'; PathName = '"C:\Program Files\Azure AD Connect Provisioning Agent Updater\AzureADConnectAgentUpdater.exe"'; State = 'Running' }
		}
		$found = Find-PadAgentUpdaterService
		$found.Service.Name | Should -Be 'Real'
		$found.MatchedBy | Should -Be 'executable'
		Mock -ModuleName PadProbes Get-CimInstance {
			[pscustomobject]@{ Name = 'Other'; DisplayName = 'Contoso Agent Updater'; PathName = 'C:\contoso\up.exe'; State = 'Running' }
			[pscustomobject]@{ Name = 'Old'; DisplayName = 'Microsoft Azure AD Connect Agent Updater'; PathName = 'C:\x.exe'; State = 'Running' }
		}
		(Find-PadAgentUpdaterService).Service.Name | Should -Be 'Old'
	}

	It 'falls back to the display-name pattern, and finds nothing for other updaters' {
		Mock -ModuleName PadProbes Get-CimInstance { [pscustomobject]@{ Name = 'Other'; DisplayName = 'Contoso Agent Updater'; PathName = 'C:\contoso\up.exe'; State = 'Running' } }
		(Find-PadAgentUpdaterService).MatchedBy | Should -Be 'display name pattern'
		Mock -ModuleName PadProbes Get-CimInstance { [pscustomobject]@{ Name = 'Upd'; DisplayName = 'Contoso Updater'; PathName = 'C:\contoso\up.exe'; State = 'Running' } }
		Find-PadAgentUpdaterService | Should -BeNullOrEmpty
	}
}

Describe 'Test-PadPreviousInstall' {
	BeforeAll {
		function Set-Installation([bool] $Service, $Version, [object[]] $Entries) {
			$script:svc = $Service; $script:ver = $Version; $script:entries = $Entries
			Mock -ModuleName PadProbes Get-PadAgentService { if ($script:svc) { [pscustomobject]@{ Name = 'AADConnectProvisioningAgent'; PathName = 'C:\a.exe' } } }
			Mock -ModuleName PadProbes Get-PadFileVersion { $script:ver }
			Mock -ModuleName PadProbes Test-Path { $false } -ParameterFilter { $PathType -eq 'Leaf' }
			Mock -ModuleName PadProbes Get-PadUninstallEntries { foreach ($e in $script:entries) { [pscustomobject]$e } }
		}
		$agent = @{ DisplayName = 'Microsoft Entra Provisioning Agent'; DisplayVersion = '1.1.2505.0'; PSChildName = '{A}'; View = '64-bit' }
		$package = @{ DisplayName = 'Microsoft Entra Provisioning Agent Package'; DisplayVersion = '1.1.2505.0'; PSChildName = '{B}'; View = '64-bit' }
		$updater = @{ DisplayName = 'Microsoft Entra Connect Agent Updater'; DisplayVersion = '1.1.1586.0'; PSChildName = '{C}'; View = '64-bit' }
	}

	It 'passes one complete installation, the same entry in both views included' {
		$otherView = $agent.Clone()
		$otherView['View'] = '32-bit'
		Set-Installation $true '1.1.2505.0' @($agent, $package, $updater, $otherView)
		$r = Test-PadPreviousInstall -Context @{}
		$r.status | Should -Be 'pass'
		@($r.evidence['agentVersions']) | Should -Be @('Microsoft Entra Provisioning Agent 1.1.2505.0')
	}

	It 'fails a service without its executable, and an executable or entries without the service' {
		Set-Installation $true $null @($agent)
		(Test-PadPreviousInstall -Context @{}).evidence['serviceWithoutExecutable'] | Should -BeTrue
		(Test-PadPreviousInstall -Context @{}).failureIds | Should -Be @('previous-install-incomplete')
		Set-Installation $false $null @($updater)
		$r = Test-PadPreviousInstall -Context @{}
		$r.failureIds | Should -Be @('previous-install-incomplete')
		$r.evidence['leftoversWithoutService'] | Should -BeTrue
		Set-Installation $false '1.1.818.0' @()
		(Test-PadPreviousInstall -Context @{}).failureIds | Should -Be @('previous-install-incomplete')
	}

	It 'warns about two versions of the agent or of its package' {
		$old = @{ DisplayName = 'Microsoft Azure AD Connect Provisioning Agent'; DisplayVersion = '1.1.972.0'; PSChildName = '{D}'; View = '32-bit' }
		Set-Installation $true '1.1.2505.0' @($agent, $old)
		(Test-PadPreviousInstall -Context @{}).failureIds | Should -Be @('previous-install-several')
		$oldPackage = @{ DisplayName = 'Microsoft Entra Provisioning Agent Package'; DisplayVersion = '1.1.2334.0'; PSChildName = '{E}'; View = '64-bit' }
		Set-Installation $true '1.1.2505.0' @($agent, $package, $oldPackage)
		(Test-PadPreviousInstall -Context @{}).failureIds | Should -Be @('previous-install-several')
	}

	It 'ignores other products and is not applicable when nothing of the agent is there' {
		Set-Installation $false $null @(@{ DisplayName = 'Contoso Backup Agent'; DisplayVersion = '7.2'; PSChildName = '{F}'; View = '64-bit' })
		(Test-PadPreviousInstall -Context @{}).status | Should -Be 'notApplicable'
	}
}

Describe 'Service helpers at their edges' {
	It 'takes no name for a built-in account, and an empty one neither' {
		Test-PadBuiltInServiceAccount -AccountName '' | Should -BeFalse
		Test-PadBuiltInServiceAccount -AccountName 'NT AUTHORITY\NETWORK SERVICE' | Should -BeTrue
		Test-PadBuiltInServiceAccount -AccountName 'CONTOSO\provAgentgMSA$' | Should -BeFalse
	}
	It 'adds no elevation hint when the identity cannot be read (elevated is assumed), and one when not elevated' {
		Mock -ModuleName PadProbes Get-PadCurrentIdentity { throw 'no token' }
		Get-PadElevationHint | Should -BeExactly ''
		Mock -ModuleName PadProbes Get-PadCurrentIdentity { [pscustomobject]@{ Name = 'CONTOSO\admin'; IsElevated = $false; GroupSids = @() } }
		Get-PadElevationHint | Should -BeLike '*not elevated*'
	}
	It 'finds no holders in an empty INF' {
		$none = ConvertFrom-PadSeceditInf -Text '' -Right 'SeServiceLogonRight'
		, $none | Should -BeOfType [string[]]
		$none.Count | Should -Be 0
	}
}
