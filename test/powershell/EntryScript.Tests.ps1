# The entry script itself: behaviours that the scenario runs do not show.

BeforeAll {
	. (Join-Path $PSScriptRoot 'Catalogue.ps1')
	$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
	$entry = Join-Path $repo 'src/powershell/Invoke-AgentDiagnosis.ps1'
	$env:PAD_FAKE_HOST_SCENARIO = Join-Path $repo 'test/fakeHost/scenarios/healthy.json'
	Import-Module (Join-Path $repo 'test/fakeHost/FakeWindowsHost.psm1') -Force
	$allIds = @(Get-CatalogueCheckIds)

	function Invoke-Entry([hashtable] $Parameters) {
		$out = Join-Path ([System.IO.Path]::GetTempPath()) ('pad-entry-' + [guid]::NewGuid().ToString('n') + '.json')
		try {
			& $entry -ResultPath $out @Parameters 6>$null | Out-Null
			Get-Content -LiteralPath $out -Raw | Microsoft.PowerShell.Utility\ConvertFrom-Json -AsHashtable
		}
		finally { Remove-Item -LiteralPath $out -ErrorAction SilentlyContinue }
	}
}

AfterAll {
	Remove-Module FakeWindowsHost -ErrorAction SilentlyContinue
}

Describe 'Invoke-AgentDiagnosis.ps1' {
	Context 'when ConvertFrom-Json behaves as in Windows PowerShell 5.1 (a top-level array arrives as one object)' {
		BeforeAll {
			function global:ConvertFrom-Json {
				param([Parameter(ValueFromPipeline = $true)] $InputObject)
				begin { $text = New-Object System.Text.StringBuilder }
				process { [void]$text.AppendLine([string]$InputObject) }
				end { Microsoft.PowerShell.Utility\ConvertFrom-Json -InputObject $text.ToString() -NoEnumerate }
			}
		}
		AfterAll { Remove-Item -Path function:ConvertFrom-Json }

		It 'still runs every check' {
			$result = Invoke-Entry @{}
			@($result['checks'] | ForEach-Object { $_['id'] }) | Should -Be $allIds
		}

		It 'still runs only the checks asked for' {
			$result = Invoke-Entry @{ Check = @('server.os-version', 'service.state') }
			@($result['checks'] | ForEach-Object { $_['id'] }) | Should -Be @('server.os-version', 'service.state')
		}
	}

	It 'accepts -Check as one comma-separated string, as powershell.exe -File passes it' {
		$result = Invoke-Entry @{ Check = 'server.os-version,service.state' }
		@($result['checks'] | ForEach-Object { $_['id'] }) | Should -Be @('server.os-version', 'service.state')
	}

	It 'prints one line per check and its result file, and no "still running" line when nothing is left running' {
		$out = Join-Path $TestDrive 'printed.json'
		$printed = @(& $entry -ResultPath $out -Check 'server.os-version,service.state' 6>&1 | ForEach-Object { [string]$_ })
		@($printed | Where-Object { $_ -match '^\s+\[(pass|fail|warning|unknown|manual|notApplicable)\]' }).Count | Should -Be 2
		$printed | Should -Contain ('Result written to ' + $out)
		@($printed | Where-Object { $_ -like '*Still running*' }) | Should -BeNullOrEmpty
	}

	It 'appends one progress line per check as it ends, each equal to that check in the result (-ProgressPath)' {
		$out = Join-Path $TestDrive 'progress-result.json'
		$progress = Join-Path $TestDrive 'progress.jsonl'
		& $entry -ResultPath $out -ProgressPath $progress -Check 'server.os-version,service.state,permissions.elevated' 6>$null | Out-Null
		$result = Get-Content -LiteralPath $out -Raw | Microsoft.PowerShell.Utility\ConvertFrom-Json -AsHashtable
		$text = [System.IO.File]::ReadAllText($progress)
		$text.EndsWith("`n") | Should -BeTrue
		$lines = @($text.TrimEnd("`n").Split("`n"))
		$lines.Count | Should -Be 3
		foreach ($line in $lines) {
			$entry1 = $line | Microsoft.PowerShell.Utility\ConvertFrom-Json -AsHashtable
			$final = @($result['checks'] | Where-Object { $_['id'] -eq $entry1['id'] })[0]
			(ConvertTo-Json $entry1 -Depth 12 -Compress) | Should -Be (ConvertTo-Json $final -Depth 12 -Compress)
		}
		@($lines | ForEach-Object { ($_ | Microsoft.PowerShell.Utility\ConvertFrom-Json).id } | Sort-Object) | Should -Be @('permissions.elevated', 'server.os-version', 'service.state')
	}

	It 'writes no progress file without -ProgressPath, and a progress path it cannot write does not stop the run' {
		$out = Join-Path $TestDrive 'no-progress.json'
		& $entry -ResultPath $out -Check 'server.os-version' 6>$null | Out-Null
		@(Get-ChildItem -LiteralPath $TestDrive -Filter '*.jsonl' | Where-Object { $_.Name -ne 'progress.jsonl' }) | Should -BeNullOrEmpty
		$blocked = Join-Path $TestDrive 'a-folder.jsonl'
		[void][System.IO.Directory]::CreateDirectory($blocked)
		$out2 = Join-Path $TestDrive 'blocked-progress.json'
		$printed = @(& $entry -ResultPath $out2 -ProgressPath $blocked -Check 'server.os-version' 6>&1 | ForEach-Object { [string]$_ })
		(Get-Content -LiteralPath $out2 -Raw | Microsoft.PowerShell.Utility\ConvertFrom-Json).checks[0].id | Should -Be 'server.os-version'
		@($printed | Where-Object { $_ -like '*Could not write progress*' }).Count | Should -Be 1
	}

	It 'leaves no temporary file when the final rename fails, and lets the error reach the caller' {
		$folder = Join-Path $TestDrive 'rename-fails'
		# A folder where the result should go: the rename into place cannot succeed.
		$target = Join-Path $folder 'result.json'
		[void](New-Item -ItemType Directory -Path $target -Force)
		{ & $entry -ResultPath $target -Check 'permissions.elevated' 6>$null } | Should -Throw '*result.json*'
		@(Get-ChildItem -LiteralPath $folder -Name) | Should -Be @('result.json')
	}

	It 'ignores empty items and spaces in the -Check list (a trailing comma, a space after one)' {
		$result = Invoke-Entry @{ Check = 'server.os-version, ,service.state,' }
		$result['fatal'] | Should -BeNullOrEmpty
		@($result['checks'] | ForEach-Object { $_['id'] }) | Should -Be @('server.os-version', 'service.state')
	}

	It 'reports an unknown check id as a fatal error in the result, not as a crash' {
		$result = Invoke-Entry @{ Check = @('no.such-check') }
		$result['fatal']['code'] | Should -Be 'unexpected'
		$result['fatal']['message'] | Should -BeLike '*no.such-check*'
		# The platform is read after the ids are checked: not read, so not claimed to be Windows.
		$result['host']['isWindows'] | Should -BeFalse
		@($result['checks']).Count | Should -Be 0
	}

	It 'reports a non-Windows host as not-windows, with every check unknown' {
		Set-Alias -Name Get-PadPlatform -Value Get-LinuxPlatformForTest -Scope Global
		function global:Get-LinuxPlatformForTest { 'Unix' }
		try {
			$result = Invoke-Entry @{}
		}
		finally {
			Remove-Item -Path function:Get-LinuxPlatformForTest
			# Put the fake host's own alias back.
			Set-Alias -Name Get-PadPlatform -Value Get-FakePadPlatform -Scope Global
		}
		$result['fatal']['code'] | Should -Be 'not-windows'
		$result['host']['isWindows'] | Should -BeFalse
		@($result['checks'] | Where-Object { $_['status'] -ne 'unknown' }).Count | Should -Be 0
		@($result['checks']).Count | Should -Be $allIds.Count
		# Each check as the result schema wants it: no failures, no evidence, the fatal message, no time.
		foreach ($c in $result['checks']) {
			$c.Contains('failureIds') | Should -BeTrue -Because $c['id']
			@($c['failureIds']).Count | Should -Be 0
			@($c['evidence'].Keys).Count | Should -Be 0
			$c['error'] | Should -Be $result['fatal']['message']
			$c['durationMs'] | Should -Be 0
		}
	}

	It 'writes null, not an empty string, as the error of a check that has none' {
		$result = Invoke-Entry @{ Check = @('server.os-version') }
		$result['checks'][0]['error'] | Should -BeNullOrEmpty
		$result['checks'][0].ContainsKey('error') | Should -BeTrue
		$null -eq $result['checks'][0]['error'] | Should -BeTrue
	}
}

Describe 'The result file appears only by rename' {
	# A reader (the extension polls for the file) must never see half a result: the script writes a temporary file
	# beside it and renames that into place, both when the result is new and when it replaces an older one.
	It 'is never written under its own name: it arrives renamed from a .tmp file (<Case>)' -TestCases @(
		@{ Case = 'new file'; Existing = $false }
		@{ Case = 'replacing an older result'; Existing = $true }
	) {
		$dir = Join-Path ([System.IO.Path]::GetTempPath()) ('pad-atomic-' + [guid]::NewGuid().ToString('n'))
		[void][System.IO.Directory]::CreateDirectory($dir)
		$out = Join-Path $dir 'result.json'
		if ($Existing) { [System.IO.File]::WriteAllText($out, '{"old":true}') }
		$watcher = New-Object System.IO.FileSystemWatcher $dir
		$watcher.IncludeSubdirectories = $false
		$watcher.NotifyFilter = [System.IO.NotifyFilters]'FileName, LastWrite, Size, CreationTime'
		$id = 'pad-atomic-' + [guid]::NewGuid().ToString('n')
		foreach ($name in 'Created', 'Changed', 'Renamed', 'Deleted') { Register-ObjectEvent -InputObject $watcher -EventName $name -SourceIdentifier "$id-$name" | Out-Null }
		try {
			$watcher.EnableRaisingEvents = $true
			& $entry -ResultPath $out -Check 'server.memory' 6>$null | Out-Null
			# inotify delivers on a background thread: give the last events a moment to be queued.
			Start-Sleep -Milliseconds 500
			$events = @(Get-Event | Where-Object { $_.SourceIdentifier -like "$id-*" } | ForEach-Object {
					$e = $_.SourceEventArgs
					[pscustomobject]@{ Kind = [string]$e.ChangeType; Name = $e.Name; OldName = $(if ($e -is [System.IO.RenamedEventArgs]) { $e.OldName } else { $null }) }
				})
		}
		finally {
			$watcher.EnableRaisingEvents = $false
			foreach ($name in 'Created', 'Changed', 'Renamed', 'Deleted') { Unregister-Event -SourceIdentifier "$id-$name" -ErrorAction SilentlyContinue }
			Get-Event | Where-Object { $_.SourceIdentifier -like "$id-*" } | Remove-Event
			$watcher.Dispose()
		}
		$summary = ($events | ForEach-Object { "$($_.Kind) $($_.OldName) -> $($_.Name)" }) -join '; '
		$renamed = @($events | Where-Object { $_.Kind -eq 'Renamed' -and $_.Name -eq 'result.json' })
		$renamed.Count | Should -BeGreaterThan 0 -Because "the result must arrive by rename ($summary)"
		$renamed[0].OldName | Should -BeLike 'result.json*.tmp'
		@($events | Where-Object { ($_.Kind -eq 'Changed' -or $_.Kind -eq 'Created') -and $_.Name -eq 'result.json' }).Count |
			Should -Be 0 -Because "nothing may write to the result under its own name ($summary)"
		(Get-Content -LiteralPath $out -Raw | ConvertFrom-Json).schemaVersion | Should -Be 1
		@(Get-ChildItem -LiteralPath $dir -Filter '*.tmp').Count | Should -Be 0 -Because 'the temporary file is gone'
		Remove-Item -LiteralPath $dir -Recurse -Force
	}
}

Describe 'Invoke-AgentDiagnosis.ps1 parameters' {
	It 'records -WizardAccount in the result parameters, empty when not given' {
		(Invoke-Entry @{ Check = @('permissions.elevated') })['parameters']['wizardAccount'] | Should -BeExactly ''
		(Invoke-Entry @{ Check = @('permissions.elevated'); WizardAccount = 'CONTOSO\installer' })['parameters']['wizardAccount'] | Should -BeExactly 'CONTOSO\installer'
	}

	It 'hands -WizardAccount to the probes (the wizard-account check reads Context.WizardAccount)' {
		$given = (Invoke-Entry @{ Check = @('permissions.wizard-account'); WizardAccount = 'CONTOSO\installer' })['checks'][0]
		$given['evidence']['account'] | Should -Be 'CONTOSO\installer' -Because "error=$($given['error'])"
		$given['evidence']['accountSource'] | Should -Be 'parameter'
		$default = (Invoke-Entry @{ Check = @('permissions.wizard-account') })['checks'][0]
		$default['evidence']['accountSource'] | Should -Be 'current user' -Because "error=$($default['error'])"
	}

	It 'resolves a relative -ResultPath against the current PowerShell location' {
		$folder = Join-Path $TestDrive 'relative'
		[void](New-Item -ItemType Directory -Path $folder)
		Push-Location -LiteralPath $folder
		try { & $entry -ResultPath 'relative-result.json' -Check 'permissions.elevated' 6>$null | Out-Null }
		finally { Pop-Location }
		Test-Path -LiteralPath (Join-Path $folder 'relative-result.json') | Should -BeTrue
	}
}

Describe 'A check blocked in a call PowerShell cannot interrupt' {
	# The fake host's "block" makes reading Win32_OperatingSystem sleep inside one .NET call, which a pipeline stop
	# cannot end. The run must still end within its budget, write its result, and (as -File) let the process exit.
	BeforeAll {
		function New-BlockedScenario([int] $Seconds) {
			$path = Join-Path $TestDrive ('blocked-' + $Seconds + '.json')
			$healthy = (Join-Path $repo 'test/fakeHost/scenarios/healthy.json').Replace('.json', '')
			Set-Content -LiteralPath $path -Value (@{ extends = $healthy; host = @{ block = @{ 'Get-CimInstance:Win32_OperatingSystem' = $Seconds } } } | ConvertTo-Json -Depth 5)
			$path
		}
		$blockedChecks = @('server.os-version', 'permissions.elevated')
	}

	AfterAll {
		# The other tests of this file run against the healthy host.
		$env:PAD_FAKE_HOST_SCENARIO = Join-Path $repo 'test/fakeHost/scenarios/healthy.json'
		Import-Module (Join-Path $repo 'test/fakeHost/FakeWindowsHost.psm1') -Force
	}

	It 'returns and writes the result within a few seconds, that check timed out and the others done' {
		# Blocked for 20 s: twice the time allowed here, short enough to be over before a whole test run ends.
		$env:PAD_FAKE_HOST_SCENARIO = New-BlockedScenario -Seconds 20
		Import-Module (Join-Path $repo 'test/fakeHost/FakeWindowsHost.psm1') -Force
		$watch = [System.Diagnostics.Stopwatch]::StartNew()
		$result = Invoke-Entry @{ Check = $blockedChecks; CheckTimeoutSeconds = 2 }
		$watch.Stop()
		# About 3 s on an idle machine (the 2 s budget plus starting the runspaces).
		$watch.ElapsedMilliseconds | Should -BeLessThan 10000
		$byId = @{}
		foreach ($c in $result['checks']) { $byId[$c['id']] = $c }
		$byId['server.os-version']['status'] | Should -Be 'unknown'
		$byId['server.os-version']['error'] | Should -Be 'Timed out after 2 s'
		$byId['permissions.elevated']['status'] | Should -Be 'pass'
	}

	It 'says a check queued behind it did not start, after twice its budget, when the blocked check holds the only runspace' {
		$env:PAD_FAKE_HOST_SCENARIO = New-BlockedScenario -Seconds 20
		Import-Module (Join-Path $repo 'test/fakeHost/FakeWindowsHost.psm1') -Force
		# server.os-version comes first in the catalogue, takes the one runspace and never gives it back.
		$result = Invoke-Entry @{ Check = @('server.os-version', 'service.state'); CheckTimeoutSeconds = 2; MaxConcurrency = 1 }
		$byId = @{}
		foreach ($c in $result['checks']) { $byId[$c['id']] = $c }
		$byId['server.os-version']['error'] | Should -Be 'Timed out after 2 s'
		$byId['service.state']['status'] | Should -Be 'unknown'
		$byId['service.state']['error'] | Should -Be 'Did not start within 4 s: every runspace was held by checks that did not answer'
		$byId['service.state']['durationMs'] | Should -Be 2000
	}

	It 'exits when run with <Form>, without waiting for the blocked call' -TestCases @(
		@{ Form = '-File'; Before = @('-NoLogo', '-NonInteractive', '-File') }
		# pwsh runs its first argument as a script file: then the script is the process's first argument.
		@{ Form = 'the script as the first argument'; Before = @() }
	) {
		$scenario = New-BlockedScenario -Seconds 120
		# Like the e2e fake pwsh: the child's profile (pwsh reads it from XDG_CONFIG_HOME) loads the fake host.
		$config = Join-Path $TestDrive 'xdg/config'
		[void](New-Item -ItemType Directory -Path (Join-Path $config 'powershell') -Force)
		Set-Content -LiteralPath (Join-Path $config 'powershell/profile.ps1') -Value ("Import-Module -Name '" + (Join-Path $repo 'test/fakeHost/FakeWindowsHost.psm1').Replace("'", "''") + "' -Force -DisableNameChecking")
		$out = Join-Path $TestDrive ('file-run-' + $Before.Count + '.json')

		$start = New-Object System.Diagnostics.ProcessStartInfo
		# The process running these tests is this PowerShell (dotnet pwsh.dll for the tool install under .tools).
		$start.FileName = [System.Environment]::ProcessPath
		$arguments = New-Object System.Collections.Generic.List[string]
		if ([System.IO.Path]::GetFileNameWithoutExtension($start.FileName) -eq 'dotnet') { $arguments.Add((Join-Path $PSHOME 'pwsh.dll')) }
		foreach ($a in @($Before) + @($entry, '-ResultPath', $out, '-Check', ($blockedChecks -join ','), '-CheckTimeoutSeconds', '2')) { $arguments.Add($a) }
		foreach ($a in $arguments) { $start.ArgumentList.Add($a) }
		$start.UseShellExecute = $false
		$start.RedirectStandardOutput = $true
		$start.RedirectStandardError = $true
		$start.Environment['PAD_FAKE_HOST_SCENARIO'] = $scenario
		$start.Environment['XDG_CONFIG_HOME'] = $config
		$watch = [System.Diagnostics.Stopwatch]::StartNew()
		$process = [System.Diagnostics.Process]::Start($start)
		try {
			$stdout = $process.StandardOutput.ReadToEndAsync()
			$stderr = $process.StandardError.ReadToEndAsync()
			# About 6 s on an idle machine; the limit leaves room for a loaded one and is still far below the 120 s
			# a process would wait for the blocked call.
			$exited = $process.WaitForExit(40000)
			$watch.Stop()
			if (-not $exited) { $process.Kill($true) }
			$exited | Should -BeTrue -Because "pwsh ($Form) must exit although a check is still blocked (output: $($stdout.Result))"
			$process.ExitCode | Should -Be 0 -Because $stderr.Result
		}
		finally { $process.Dispose() }
		$result = Get-Content -LiteralPath $out -Raw | Microsoft.PowerShell.Utility\ConvertFrom-Json -AsHashtable
		@($result['checks'] | Where-Object { $_['id'] -eq 'server.os-version' })[0]['error'] | Should -Be 'Timed out after 2 s'
		Write-Host ('    {0} run with a check blocked for 120 s exited after {1:N1} s' -f $Form, ($watch.ElapsedMilliseconds / 1000))
	}
}

Describe 'Time budgets when more checks wait than the pool runs at once' {
	# A domain controller that does not answer holds every check that reads the domain. Checks queued behind them must
	# get their whole budget from the moment they start, not be reported as timed out because the queue was long.
	BeforeAll {
		$path = Join-Path $TestDrive 'domain-hangs.json'
		$healthy = (Join-Path $repo 'test/fakeHost/scenarios/healthy.json').Replace('.json', '')
		Set-Content -LiteralPath $path -Value (@{ extends = $healthy; host = @{ hang = @{ 'Get-PadComputerDomain' = 30; 'Get-PadDirectoryAttribute' = 30 } } } | ConvertTo-Json -Depth 5)
		$env:PAD_FAKE_HOST_SCENARIO = $path
		Import-Module (Join-Path $repo 'test/fakeHost/FakeWindowsHost.psm1') -Force
	}

	AfterAll {
		$env:PAD_FAKE_HOST_SCENARIO = Join-Path $repo 'test/fakeHost/scenarios/healthy.json'
		Import-Module (Join-Path $repo 'test/fakeHost/FakeWindowsHost.psm1') -Force
	}

	It 'times out the hanging checks and still answers the ones queued behind them' {
		# Two runspaces, three hanging checks (they come first in the catalogue), one quick check last.
		$result = Invoke-Entry @{ Check = @('domain.functional-level', 'domain.dc-version', 'domain.schema-version', 'service.state'); CheckTimeoutSeconds = 2; MaxConcurrency = 2 }
		$byId = @{}
		foreach ($c in $result['checks']) { $byId[$c['id']] = $c }
		foreach ($id in 'domain.functional-level', 'domain.dc-version', 'domain.schema-version') {
			$byId[$id]['status'] | Should -Be 'unknown' -Because $id
			$byId[$id]['error'] | Should -Be 'Timed out after 2 s' -Because $id
		}
		$byId['service.state']['status'] | Should -Be 'pass' -Because "a check that waited for a runspace still gets its budget (error: $($byId['service.state']['error']))"
		@($result['checks'] | ForEach-Object { $_['id'] }) | Should -Be @('domain.functional-level', 'domain.dc-version', 'domain.schema-version', 'service.state')
	}
}
