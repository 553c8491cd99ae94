# One test run for the mutation script: the Pester files and scenario checks a plan file names. Exit 0 when every
# test passes, 1 otherwise (the first failure stops the run: one is enough to kill a mutant).
param([Parameter(Mandatory = $true)] [string] $PlanPath)
$ErrorActionPreference = 'Stop'
$plan = Get-Content -LiteralPath $PlanPath -Raw | ConvertFrom-Json
Import-Module $plan.pester -MinimumVersion 5.0
$containers = @(foreach ($f in @($plan.testFiles)) { New-PesterContainer -Path $f })
if (@($plan.checks).Count -gt 0) {
	$containers += New-PesterContainer -Path $plan.scenarios -Data @{ OnlyChecks = @($plan.checks); ScenarioFilter = [string]$plan.scenarioFilter }
}
$config = New-PesterConfiguration
$config.Run.Container = $containers
$config.Run.PassThru = $true
$config.Run.SkipRemainingOnFailure = 'Run'
$config.Output.Verbosity = 'None'
$run = Invoke-Pester -Configuration $config
$failed = $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount
'{0} passed, {1} failed' -f $run.PassedCount, $failed
if ($failed -gt 0 -or $run.PassedCount -eq 0) { exit 1 }
exit 0
