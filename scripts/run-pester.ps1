# Runs the Pester tests under test/powershell and prints one closing line: "pester: N passed, N failed".
param([string[]] $Path = @(), [string] $PesterModule)
$ErrorActionPreference = 'Stop'
$repo = Resolve-Path (Join-Path $PSScriptRoot '..')
Import-Module (Resolve-Path $PesterModule).Path -MinimumVersion 5.0
$config = New-PesterConfiguration
# With -File, a list arrives as one comma-separated string.
$Path = @($Path | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
$config.Run.Path = if ($Path.Count -gt 0) { $Path } else { @(Join-Path $repo 'test/powershell') }
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$run = Invoke-Pester -Configuration $config
$failed = $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount
'pester: {0} passed, {1} failed' -f $run.PassedCount, $failed
if ($failed -gt 0 -or $run.PassedCount -eq 0) { exit 1 }
