# A long-lived test runner for the mutation script: reads one request per line on standard input (JSON: the Pester
# files and scenario checks to run), runs them in this process and writes one line 'PADRESULT {json}' with the counts.
# One process for many mutants saves starting pwsh and loading Pester for each (about three seconds a mutant). Every
# test imports the probes and the fake host with -Force, so each run reads the (mutated) files afresh.
# With -Coverage, the statement hits of each run (see PadCoverage.ps1) come back too.
param([Parameter(Mandatory = $true)] [string] $PesterModule, [switch] $Coverage)
$ErrorActionPreference = 'Stop'
Import-Module $PesterModule -MinimumVersion 5.0
if ($Coverage) {
	. (Join-Path $PSScriptRoot 'PadCoverage.ps1')
	Register-PadCoverageType
}
while ($null -ne ($line = [Console]::In.ReadLine())) {
	if (-not $line.Trim()) { continue }
	$reply = [ordered]@{ id = $null; passed = 0; failed = 0; error = $null; hits = @() }
	try {
		$request = $line | ConvertFrom-Json
		$reply.id = $request.id
		if ($Coverage) { [void][PadMutationCoverage]::Take() }
		# Pester's SkipRemainingOnFailure skips the tests after a failure but still runs each scenario's BeforeAll, which
		# is where the whole diagnosis runs: so the Pester files run first, then the scenarios a few at a time, and a
		# mutant run stops at the first group that fails (a coverage run goes through everything).
		$runs = New-Object System.Collections.Generic.List[object]
		if (@($request.testFiles).Count -gt 0) { $runs.Add(@(foreach ($f in @($request.testFiles)) { New-PesterContainer -Path $f })) }
		if ($request.scenarios) {
			$names = @($request.onlyScenarios)
			$groups = New-Object System.Collections.Generic.List[object]
			if ($names.Count -gt 0 -and -not $Coverage) {
				for ($i = 0; $i -lt $names.Count; $i += 6) { $groups.Add([string[]]@($names[$i..([Math]::Min($i + 5, $names.Count - 1))])) }
			}
			else { $groups.Add([string[]]$names) }
			foreach ($group in $groups) {
				$data = @{ ScenarioFilter = [string]$request.scenarioFilter; MaxConcurrency = [int]$request.maxConcurrency }
				if (@($request.checks).Count -gt 0) { $data['OnlyChecks'] = [string[]]@($request.checks) }
				if (@($group).Count -gt 0) { $data['OnlyScenarios'] = [string[]]@($group) }
				$runs.Add(@(New-PesterContainer -Path $request.scenarios -Data $data))
			}
		}
		foreach ($containers in $runs) {
			$config = New-PesterConfiguration
			$config.Run.Container = $containers
			$config.Run.PassThru = $true
			if (-not $Coverage) { $config.Run.SkipRemainingOnFailure = 'Run' }
			$config.Output.Verbosity = 'None'
			$run = Invoke-Pester -Configuration $config
			$reply.passed += $run.PassedCount
			$reply.failed += $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount
			if ($reply.failed -gt 0 -and -not $Coverage) { break }
		}
		if ($Coverage) { $reply.hits = @([PadMutationCoverage]::Take()) }
	}
	catch { $reply.failed = 1; $reply.error = $_.Exception.Message }
	[Console]::Out.WriteLine('PADRESULT ' + (ConvertTo-Json -InputObject $reply -Compress -Depth 3))
	[Console]::Out.Flush()
}
