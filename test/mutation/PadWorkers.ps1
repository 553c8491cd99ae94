# The mutation script's test runners: long-lived pwsh processes (PadMutantWorker.ps1), one per sandbox, each taking
# one request at a time. Reading their replies never blocks, so one loop can watch several workers and their timeouts.

function Start-PadWorker {
	param([string] $Pwsh, [string] $PesterModule, [string] $Sandbox, [switch] $Coverage)
	$psi = New-Object System.Diagnostics.ProcessStartInfo
	$psi.FileName = $Pwsh
	$arguments = @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'PadMutantWorker.ps1'), '-PesterModule', $PesterModule)
	if ($Coverage) { $arguments += '-Coverage' }
	foreach ($a in $arguments) { $psi.ArgumentList.Add($a) }
	$psi.WorkingDirectory = $Sandbox
	$psi.RedirectStandardInput = $true
	$psi.RedirectStandardOutput = $true
	# What the tests write to standard error is not the reply; it must not fill a pipe nobody reads either.
	$psi.RedirectStandardError = $true
	$psi.UseShellExecute = $false
	$process = [System.Diagnostics.Process]::Start($psi)
	$process.StandardError.BaseStream.CopyToAsync([System.IO.Stream]::Null) | Out-Null
	[pscustomobject]@{
		Pwsh = $Pwsh; PesterModule = $PesterModule; Sandbox = $Sandbox; Coverage = [bool]$Coverage
		Process = $process; Read = $process.StandardOutput.ReadLineAsync(); Task = $null; Clock = $null; Requests = 0
	}
}

function Stop-PadWorker {
	param([object] $Worker)
	try { if (-not $Worker.Process.HasExited) { $Worker.Process.Kill($true); [void]$Worker.Process.WaitForExit(5000) } } catch { }
	$Worker.Process.Dispose()
}

function Send-PadWorkerRequest {
	param([object] $Worker, [object] $Task, [hashtable] $Request)
	$Worker.Task = $Task
	$Worker.Requests++
	$Worker.Clock = [System.Diagnostics.Stopwatch]::StartNew()
	$Worker.Process.StandardInput.WriteLine((ConvertTo-Json -InputObject $Request -Compress -Depth 4))
	$Worker.Process.StandardInput.Flush()
}

function Receive-PadWorkerReply {
	# The worker's reply if it has written one (the other lines it writes are the tests' own output), or $null.
	# A worker that exits without replying gives a reply with an error.
	param([object] $Worker)
	while ($Worker.Read.IsCompleted) {
		$line = $Worker.Read.Result
		if ($null -eq $line) {
			return [pscustomobject]@{ passed = 0; failed = 1; error = 'the test process ended without a reply'; hits = @() }
		}
		$Worker.Read = $Worker.Process.StandardOutput.ReadLineAsync()
		if ($line.StartsWith('PADRESULT ')) { return ($line.Substring(10) | ConvertFrom-Json) }
	}
	$null
}

function New-PadTestRequest {
	# What a worker runs: Pester files and scenario checks, paths inside its sandbox.
	param([string] $Sandbox, [string[]] $TestFiles = @(), [string[]] $Checks = @(), [string] $ScenarioFilter = 'checks',
		[string[]] $OnlyScenarios = @(), [switch] $AllChecks)
	$request = @{
		testFiles      = @($TestFiles | ForEach-Object { Join-Path $Sandbox $_ })
		scenarios      = $null
		checks         = @($Checks)
		scenarioFilter = $ScenarioFilter
		onlyScenarios  = @($OnlyScenarios)
		# One runspace: a run of a few checks starts faster with one, and the results do not depend on it.
		maxConcurrency = 1
	}
	if ($AllChecks -or $Checks.Count -gt 0) { $request.scenarios = Join-Path $Sandbox 'test/powershell/Scenarios.Tests.ps1' }
	$request
}
