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
		$containers = @(foreach ($f in @($request.testFiles)) { New-PesterContainer -Path $f })
		if ($request.scenarios) {
			$data = @{ ScenarioFilter = [string]$request.scenarioFilter; MaxConcurrency = [int]$request.maxConcurrency }
			if (@($request.checks).Count -gt 0) { $data['OnlyChecks'] = [string[]]@($request.checks) }
			if (@($request.onlyScenarios).Count -gt 0) { $data['OnlyScenarios'] = [string[]]@($request.onlyScenarios) }
			$containers += New-PesterContainer -Path $request.scenarios -Data $data
		}
		if ($Coverage) { [void][PadMutationCoverage]::Take() }
		$config = New-PesterConfiguration
		$config.Run.Container = $containers
		$config.Run.PassThru = $true
		# One failure is enough to kill a mutant; a coverage run must see everything.
		if (-not $Coverage) { $config.Run.SkipRemainingOnFailure = 'Run' }
		$config.Output.Verbosity = 'None'
		$run = Invoke-Pester -Configuration $config
		$reply.passed = $run.PassedCount
		$reply.failed = $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount
		if ($Coverage) { $reply.hits = @([PadMutationCoverage]::Take()) }
	}
	catch { $reply.failed = 1; $reply.error = $_.Exception.Message }
	[Console]::Out.WriteLine('PADRESULT ' + (ConvertTo-Json -InputObject $reply -Compress -Depth 3))
	[Console]::Out.Flush()
}
