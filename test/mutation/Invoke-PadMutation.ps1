<#
.SYNOPSIS
Mutation testing for the PowerShell side: makes one small bug at a time in the probes, libs and entry script, runs the
Pester tests that load the mutated file, and reports per file how many bugs the tests caught.

.DESCRIPTION
Each file is parsed with PowerShell's own parser and the mutants come from its syntax tree:
  - a comparison moved by one step or flipped (-lt <-> -le, -gt <-> -ge, -eq <-> -ne), -and <-> -or;
  - a number plus or minus one; $true <-> $false; -not dropped;
  - an if condition forced true or false; a Where-Object filter that keeps everything; a key dropped from a
    -FilterHashtable / -Filter hashtable;
  - a failure id removed (-FailureIds 'x' -> @(), $failures.Add('x') dropped); the return of a value dropped.
The tests run in a copy of src/ and test/ in a temporary folder, never in the working tree, and every mutated file
is written back after its run (in a finally block), so stopping the script with Ctrl+C leaves nothing changed.
For each file, the tests are: the Pester files that name one of its functions, and the fake-host scenarios about the
checks whose probes reach it (only those checks are run). The tests must pass on the unmutated copy first.
A mutant is killed when a test fails (or the run errors), timed out when the run takes longer than three times the
clean run, and survived otherwise. Survivors listed in equivalent.json (beside this script) with a reason are
reported as equivalent and left out of the score.

.PARAMETER Path
Files or folders to mutate (default: src/powershell). Relative paths are taken from the repository's root.

.PARAMETER MaxMutantsPerFile
Take at most this many mutants from each file, spread over it (a quicker sample).

.PARAMETER Extended
Also force each if condition true and false, and drop each -not (about three times as many mutants).

.PARAMETER Replay
Instead of making mutants, re-apply the hand-made ones of a JSON file (review-mutants.json: id, file, find, replace,
note, and for catalogue data the checks whose scenarios to run and the Pester files that read it). -Path is then
ignored.

.PARAMETER List
Only list the mutants; run nothing.
#>
[CmdletBinding()]
param(
	[string[]] $Path = @('src/powershell'),
	[Parameter(Mandatory = $true)] [string] $PesterModule,
	[string] $ReportPath = '',
	[int] $MaxMutantsPerFile = 0,
	[switch] $Extended,
	[string] $Replay = '',
	[switch] $List
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$PesterModule = (Resolve-Path $PesterModule).Path
if (-not $ReportPath) { $ReportPath = Join-Path $repo 'test-output/mutation/powershell.json' }
# The pwsh that scripts/setup-powershell.sh installs (a .NET tool: this process's own path is dotnet's).
$pwshExe = Join-Path $repo '.tools/pwsh/pwsh'
if (-not (Test-Path -LiteralPath $pwshExe)) { $pwshExe = 'pwsh' }
$Path = @($Path | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })

. (Join-Path $PSScriptRoot 'PadMutants.ps1')

# --- What to mutate -----------------------------------------------------------------------------------------------------
$files = New-Object System.Collections.Generic.List[string]
$mutantsByFile = [ordered]@{}
$replayChecks = @{}
$replayTests = @{}
if ($Replay) {
	$replayFile = if ([System.IO.Path]::IsPathRooted($Replay)) { $Replay } else { Join-Path $repo $Replay }
	foreach ($entry in @((Get-Content -LiteralPath $replayFile -Raw | ConvertFrom-Json).powershell)) {
		$full = Join-Path $repo $entry.file
		$m = New-PadReplayMutant -Path $full -Entry $entry
		if (-not $mutantsByFile.Contains($full)) { $mutantsByFile[$full] = @(); $files.Add($full) }
		$mutantsByFile[$full] = @($mutantsByFile[$full]) + $m
		if ($entry.PSObject.Properties['checks']) { $replayChecks[$full] = @(@($replayChecks[$full]) + @($entry.checks) | Where-Object { $_ } | Select-Object -Unique) }
		if ($entry.PSObject.Properties['tests']) { $replayTests[$full] = @(@($replayTests[$full]) + @($entry.tests) | Where-Object { $_ } | Select-Object -Unique) }
	}
}
else {
	foreach ($p in $Path) {
		$full = if ([System.IO.Path]::IsPathRooted($p)) { $p } else { Join-Path $repo $p }
		if (-not (Test-Path -LiteralPath $full)) { throw "No such file or folder: $p" }
		if (Test-Path -LiteralPath $full -PathType Container) {
			Get-ChildItem -LiteralPath $full -Recurse -File -Include '*.ps1', '*.psm1' | Sort-Object FullName | ForEach-Object { $files.Add($_.FullName) }
		}
		else { $files.Add((Resolve-Path -LiteralPath $full).Path) }
	}
}
$relative = @{}
foreach ($f in $files) { $relative[$f] = [System.IO.Path]::GetRelativePath($repo, $f).Replace('\', '/') }
$outside = @($files | Where-Object { $relative[$_] -notlike 'src/powershell/*' -and -not ($Replay -and $relative[$_] -like 'src/catalogue/*') })
if ($outside.Count -gt 0) { throw ('Only files under src/powershell can be mutated (and, with -Replay, the catalogue): ' + ($outside -join ', ')) }

$equivalent = @()
$equivalentPath = Join-Path $PSScriptRoot 'equivalent.json'
if (Test-Path -LiteralPath $equivalentPath) { $equivalent = @((Get-Content -LiteralPath $equivalentPath -Raw | ConvertFrom-Json).powershell) }

if (-not $Replay) {
	foreach ($f in $files) {
		$kindParameter = @{}
		if ($Extended) { $kindParameter['Kinds'] = @('operator', 'number', 'boolean', 'filter', 'filter-key', 'failure-id', 'return', 'condition', 'not') }
		$all = @(Get-PadMutant -Path $f @kindParameter)
		if ($MaxMutantsPerFile -gt 0 -and $all.Count -gt $MaxMutantsPerFile) {
			# Spread the sample over the file instead of taking its first lines only.
			$step = $all.Count / $MaxMutantsPerFile
			$all = @(for ($i = 0; $i -lt $MaxMutantsPerFile; $i++) { $all[[int][Math]::Floor($i * $step)] })
		}
		$mutantsByFile[$f] = $all
	}
}

if ($List) {
	foreach ($f in $mutantsByFile.Keys) {
		foreach ($m in $mutantsByFile[$f]) { '{0}:{1}  {2,-16} {3}' -f $relative[$f], $m.Line, $m.Kind, $m.Description }
	}
	'{0} mutants in {1} files' -f (@($mutantsByFile.Values | ForEach-Object { $_ }).Count), $files.Count
	return
}

# --- Which tests load each file ------------------------------------------------------------------------------------------
$plan = Get-PadMutationTestPlan -Repo $repo -Files @($files | Where-Object { $relative[$_] -like 'src/powershell/*' })
foreach ($f in $replayChecks.Keys) {
	if ($relative[$f] -like 'src/catalogue/*') { $plan[$f] = [pscustomobject]@{ TestFiles = @(); Checks = @($replayChecks[$f]); ScenarioFilter = 'checks' } }
}
# Tests a hand-made mutant names (the one the review found to kill it, say) join the file's own.
foreach ($f in $replayTests.Keys) {
	$plan[$f].TestFiles = @(@($plan[$f].TestFiles) + @($replayTests[$f]) | Where-Object { $_ } | Select-Object -Unique)
}
$sandbox = Join-Path ([System.IO.Path]::GetTempPath()) ('pad-mutation-' + [guid]::NewGuid().ToString('n'))
$results = New-Object System.Collections.Generic.List[object]
$started = [datetime]::UtcNow
try {
	New-Item -ItemType Directory -Path $sandbox | Out-Null
	foreach ($dir in 'src', 'test') { Copy-Item -LiteralPath (Join-Path $repo $dir) -Destination (Join-Path $sandbox $dir) -Recurse }

	foreach ($f in $mutantsByFile.Keys) {
		$rel = $relative[$f]
		$target = Join-Path $sandbox $rel
		$tests = $plan[$f]
		$mutants = @($mutantsByFile[$f])
		Write-Host ('== {0}: {1} mutants; tests: {2}; scenario checks: {3}' -f $rel, $mutants.Count, (@($tests.TestFiles | ForEach-Object { Split-Path $_ -Leaf }) -join ', '), $(if ($tests.Checks.Count) { $tests.Checks.Count } else { 'none' }))
		if ($mutants.Count -eq 0) { continue }
		if ($tests.TestFiles.Count -eq 0 -and $tests.Checks.Count -eq 0) {
			Write-Host '   no test loads this file: every mutant survives'
			foreach ($m in $mutants) { $results.Add((New-PadMutantOutcome -Mutant $m -File $rel -Outcome 'survived' -Equivalent $equivalent)) }
			continue
		}
		$clean = Invoke-PadMutationTests -Pwsh $pwshExe -Sandbox $sandbox -PesterModule $PesterModule -Tests $tests -TimeoutSeconds 1800
		if ($clean.Outcome -ne 'passed') {
			throw "The tests for $rel fail without any mutant ($($clean.Outcome)); fix them first:`n$($clean.Output)"
		}
		$timeout = [int][Math]::Ceiling([Math]::Max(30, 3 * $clean.Seconds + 10))
		Write-Host ('   clean run {0:N1} s; timeout per mutant {1} s' -f $clean.Seconds, $timeout)
		$original = [System.IO.File]::ReadAllBytes($target)
		$text = [System.IO.File]::ReadAllText($target)
		$hasBom = $original.Length -ge 3 -and $original[0] -eq 0xEF -and $original[1] -eq 0xBB -and $original[2] -eq 0xBF
		$n = 0
		foreach ($m in $mutants) {
			$n++
			try {
				$mutated = $text.Substring(0, $m.Start) + $m.Replacement + $text.Substring($m.End)
				[System.IO.File]::WriteAllText($target, $mutated, (New-Object System.Text.UTF8Encoding($hasBom)))
				$run = Invoke-PadMutationTests -Pwsh $pwshExe -Sandbox $sandbox -PesterModule $PesterModule -Tests $tests -TimeoutSeconds $timeout
			}
			finally {
				[System.IO.File]::WriteAllBytes($target, $original)
			}
			$outcome = switch ($run.Outcome) { 'passed' { 'survived' } 'timeout' { 'timeout' } default { 'killed' } }
			$r = New-PadMutantOutcome -Mutant $m -File $rel -Outcome $outcome -Equivalent $equivalent -Seconds $run.Seconds
			$results.Add($r)
			Write-Host ('   [{0}/{1}] {2,-10} {3}:{4} {5}' -f $n, $mutants.Count, $r.Outcome, $rel, $m.Line, $m.Description)
		}
	}
}
finally {
	if (Test-Path -LiteralPath $sandbox) { Remove-Item -LiteralPath $sandbox -Recurse -Force -ErrorAction SilentlyContinue }
	if ($results.Count -gt 0) {
		$summary = Write-PadMutationReport -Results $results -ReportPath $ReportPath -Seconds ([datetime]::UtcNow - $started).TotalSeconds
		$summary
	}
}
# A hand-made mutant that survives is a known bug the tests cannot see: fail the run, as the TypeScript replay does.
if ($Replay -and @($results | Where-Object { $_.Outcome -eq 'survived' }).Count -gt 0) { exit 1 }
