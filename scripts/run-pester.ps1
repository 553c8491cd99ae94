# Runs the Pester tests under test/powershell and prints one closing line: "pester: N passed, N failed".
# -ScenarioChecks a,b runs only those checks in the fake-host scenarios about them; -Scenarios x,y only those scenarios.
param([string[]] $Path = @(), [string] $PesterModule, [string[]] $ScenarioChecks = @(), [string[]] $Scenarios = @())
$ErrorActionPreference = 'Stop'
$repo = Resolve-Path (Join-Path $PSScriptRoot '..')
Import-Module (Resolve-Path $PesterModule).Path -MinimumVersion 5.0
$config = New-PesterConfiguration
# With -File, a list arrives as one comma-separated string.
$Path = @($Path | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
$ScenarioChecks = @($ScenarioChecks | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
$Scenarios = @($Scenarios | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
if ($ScenarioChecks.Count -gt 0 -or $Scenarios.Count -gt 0) {
	$containers = @(New-PesterContainer -Path (Join-Path $repo 'test/powershell/Scenarios.Tests.ps1') -Data @{ OnlyChecks = $ScenarioChecks; OnlyScenarios = $Scenarios })
	foreach ($p in $Path) { $containers += New-PesterContainer -Path $p }
	$config.Run.Container = $containers
}
else {
	$config.Run.Path = if ($Path.Count -gt 0) { $Path } else { @(Join-Path $repo 'test/powershell') }
}
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$run = Invoke-Pester -Configuration $config
$failed = $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount
'pester: {0} passed, {1} failed' -f $run.PassedCount, $failed
if ($failed -gt 0 -or $run.PassedCount -eq 0) { exit 1 }
