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
The tests run in copies of src/ and test/ in temporary folders (one per test process), never in the working tree;
each mutated file is written back after its run, and the copies are deleted at the end, so stopping the script with
Ctrl+C leaves nothing changed.
For each file, the plan is: the Pester files that name one of its functions, and the fake-host scenarios about the
checks whose probes reach it (only those checks are run). First, every scenario and Pester file of the plans runs once
on an instrumented copy (PadCoverage.ps1), which records the statements each one reaches; this also checks that the
tests pass without any mutant. A mutant then runs only the tests of its plan that reach its statement, and one that
no test reaches survives without a run. The tests run in long-lived pwsh processes (PadMutantWorker.ps1), -Jobs of
them at once.
A mutant is killed when a test fails (or the run errors), timed out when the run takes longer than three times what
its tests took in the coverage run plus 15 s (at least a minute: a loaded machine is slow), and survived otherwise. Survivors listed in equivalent.json (beside
this script) with a reason are reported as equivalent and left out of the score.

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

.PARAMETER Sample
Run only this many mutants, drawn at random (with -Seed) from all the files' mutants: an estimate of the score when a
full run takes too long. The report says it is a sample.

.PARAMETER Seed
The seed of -Sample's draw (the same seed and code give the same mutants).

.PARAMETER Jobs
Test processes at once, each with its own copy of the tree (default 2: one per core of the machines this runs on).

.PARAMETER Resume
A report of an earlier run (also one that was stopped: the report is written as the run goes). Mutants it found
killed or timed out in an unchanged file are taken from it without a run; survivors run again, so tests added since
can kill them.

.PARAMETER Survivors
A report of an earlier run: only the mutants that survived there run again (matched by file, the mutated line's text
and the mutation, so lines that moved still match), to check that new tests kill them.

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
	[int] $Jobs = 2,
	[int] $Sample = 0,
	[int] $Seed = 1,
	[string] $Resume = '',
	[string] $Survivors = '',
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
. (Join-Path $PSScriptRoot 'PadCoverage.ps1')
. (Join-Path $PSScriptRoot 'PadWorkers.ps1')

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

if ($Survivors) {
	$wanted = New-Object 'System.Collections.Generic.HashSet[string]'
	foreach ($r in @((Get-Content -LiteralPath $Survivors -Raw | ConvertFrom-Json).mutants)) {
		if ($r.Outcome -eq 'survived') { [void]$wanted.Add(('{0}|{1}|{2}' -f $r.File, $r.Code, $r.Description)) }
	}
	foreach ($f in @($mutantsByFile.Keys)) {
		$mutantsByFile[$f] = @($mutantsByFile[$f] | Where-Object { $wanted.Contains(('{0}|{1}|{2}' -f $relative[$f], $_.Code, $_.Description)) })
	}
	Write-Host ('{0} of the {1} survivors in {2} found in today''s code' -f @($mutantsByFile.Values | ForEach-Object { $_ }).Count, $wanted.Count, $Survivors)
}

if ($Sample -gt 0) {
	$pairs = @(foreach ($f in @($mutantsByFile.Keys)) { foreach ($m in @($mutantsByFile[$f])) { [pscustomobject]@{ File = $f; Mutant = $m } } })
	$random = New-Object System.Random $Seed
	$keys = @(foreach ($p in $pairs) { $random.NextDouble() })
	$chosen = @(0..($pairs.Count - 1) | Sort-Object { $keys[$_] } | Select-Object -First $Sample | Sort-Object)
	foreach ($f in @($mutantsByFile.Keys)) { $mutantsByFile[$f] = @() }
	foreach ($i in $chosen) { $mutantsByFile[$pairs[$i].File] = @($mutantsByFile[$pairs[$i].File]) + $pairs[$i].Mutant }
	Write-Host ('A sample of {0} of {1} mutants (seed {2})' -f $chosen.Count, $pairs.Count, $Seed)
}

if ($List) {
	foreach ($f in $mutantsByFile.Keys) {
		foreach ($m in $mutantsByFile[$f]) { '{0}:{1}  {2,-16} {3}' -f $relative[$f], $m.Line, $m.Kind, $m.Description }
	}
	'{0} mutants in {1} files' -f (@($mutantsByFile.Values | ForEach-Object { $_ }).Count), $files.Count
	return
}

# --- Which tests load each file ------------------------------------------------------------------------------------------
# Only files with mutants left (a sample or -Survivors may leave none in a file): the coverage run covers their plans.
foreach ($f in @($mutantsByFile.Keys)) { if (@($mutantsByFile[$f]).Count -eq 0) { $mutantsByFile.Remove($f) } }
$plan = Get-PadMutationTestPlan -Repo $repo -Files @($files | Where-Object { $relative[$_] -like 'src/powershell/*' -and $mutantsByFile.Contains($_) })
foreach ($f in $replayChecks.Keys) {
	if ($relative[$f] -like 'src/catalogue/*') {
		$plan[$f] = [pscustomobject]@{ TestFiles = @(); Checks = @($replayChecks[$f]); ScenarioFilter = 'checks'; Scenarios = @(Get-PadPlanScenario -Repo $repo -Checks @($replayChecks[$f])) }
	}
}
# Tests a hand-made mutant names (the one the review found to kill it, say) join the file's own.
foreach ($f in $replayTests.Keys) {
	$plan[$f].TestFiles = @(@($plan[$f].TestFiles) + @($replayTests[$f]) | Where-Object { $_ } | Select-Object -Unique)
}
$started = [datetime]::UtcNow
$results = New-Object System.Collections.Generic.List[object]
$workers = New-Object System.Collections.Generic.List[object]
$sandboxes = New-Object System.Collections.Generic.List[string]
function New-PadSandbox {
	$dir = Join-Path ([System.IO.Path]::GetTempPath()) ('pad-mutation-' + [guid]::NewGuid().ToString('n'))
	New-Item -ItemType Directory -Path $dir | Out-Null
	foreach ($d in 'src', 'test') { Copy-Item -LiteralPath (Join-Path $repo $d) -Destination (Join-Path $dir $d) -Recurse }
	$sandboxes.Add($dir)
	$dir
}

function Invoke-PadTaskQueue {
	# Runs every task on the workers, as many at once as there are workers. Each task has a TimeoutSeconds; $OnStart
	# (worker, task) prepares its sandbox and returns the request; $OnDone (worker, task, reply, seconds) takes the
	# reply, which is $null when the task timed out.
	param([System.Collections.Generic.Queue[object]] $Queue, [object[]] $Pool, [scriptblock] $OnStart, [scriptblock] $OnDone)
	while ($Queue.Count -gt 0 -or @($Pool | Where-Object { $null -ne $_.Task }).Count -gt 0) {
		$busy = $false
		for ($i = 0; $i -lt $Pool.Count; $i++) {
			$w = $Pool[$i]
			if ($null -eq $w.Task) {
				if ($Queue.Count -eq 0) { continue }
				$task = $Queue.Dequeue()
				Send-PadWorkerRequest -Worker $w -Task $task -Request (& $OnStart $w $task)
				$busy = $true
				continue
			}
			$reply = Receive-PadWorkerReply -Worker $w
			$timedOut = $null -eq $reply -and $w.Clock.Elapsed.TotalSeconds -gt $w.Task.TimeoutSeconds
			if ($null -eq $reply -and -not $timedOut) { continue }
			$task = $w.Task
			$seconds = $w.Clock.Elapsed.TotalSeconds
			$w.Task = $null
			# A hung mutant (or a worker that has run many) gets a fresh process; the sandbox stays.
			if ($timedOut -or $w.Requests -ge 150 -or $w.Process.HasExited) {
				Stop-PadWorker -Worker $w
				$fresh = Start-PadWorker -Pwsh $w.Pwsh -PesterModule $w.PesterModule -Sandbox $w.Sandbox -Coverage:$w.Coverage
				$Pool[$i] = $fresh
				$workers.Add($fresh)
			}
			& $OnDone $w $task $reply $seconds
			$busy = $true
		}
		if (-not $busy) { Start-Sleep -Milliseconds 20 }
	}
}

try {
	# --- Coverage: which test reaches which statement ------------------------------------------------------------------
	# Every file under src/powershell is instrumented in the coverage sandboxes (a file can reach another's functions),
	# and each scenario and Pester file of the plans runs once, alone, on the unmutated code. That run is also the check
	# that the tests pass without any mutant, and gives each test's time for the timeouts.
	$allSources = @(Get-ChildItem -LiteralPath (Join-Path $repo 'src/powershell') -Recurse -File -Include '*.ps1', '*.psm1' | Sort-Object FullName | ForEach-Object { $_.FullName })
	$statements = @{}
	$asts = @{}
	$fileIndex = @{}
	for ($i = 0; $i -lt $allSources.Count; $i++) {
		$fileIndex[$allSources[$i]] = $i
		$asts[$allSources[$i]] = [System.Management.Automation.Language.Parser]::ParseFile($allSources[$i], [ref]$null, [ref]$null)
		$statements[$allSources[$i]] = @(Get-PadCoverageStatement -Ast $asts[$allSources[$i]])
	}
	# What each scenario itself expects: a mutant reached only by some checks runs only the scenarios about them.
	. (Join-Path $repo 'test/fakeHost/ScenarioFile.ps1')
	$ownChecks = @{}
	foreach ($file in Get-ChildItem -LiteralPath (Join-Path $repo 'test/fakeHost/scenarios') -Filter '*.json') { $ownChecks[$file.BaseName] = Get-FakeHostScenarioOwnChecks -Path $file.FullName }
	$coverScenarios = @($plan.Values | ForEach-Object { $_.Scenarios } | Where-Object { $_ } | Sort-Object -Unique)
	$coverTests = @($plan.Values | ForEach-Object { $_.TestFiles } | Where-Object { $_ } | Sort-Object -Unique)
	$reachedBy = @{}
	$checksBy = @{}
	$unmeasured = New-Object 'System.Collections.Generic.HashSet[string]'
	$testSeconds = @{}
	$broken = New-Object System.Collections.Generic.List[string]
	$queue = New-Object System.Collections.Generic.Queue[object]
	$labels = @(foreach ($n in $coverScenarios) { 'scenario:' + $n }) + @(foreach ($t in $coverTests) { 'test:' + $t })
	foreach ($label in $labels) { $queue.Enqueue([pscustomobject]@{ Label = $label; TimeoutSeconds = 900 }) }
	$startCoverage = {
		param($worker, $task)
		if ($task.Label.StartsWith('scenario:')) { New-PadTestRequest -Sandbox $worker.Sandbox -OnlyScenarios @($task.Label.Substring(9)) -AllChecks }
		else { New-PadTestRequest -Sandbox $worker.Sandbox -TestFiles @($task.Label.Substring(5)) }
	}
	$doneCoverage = {
		param($worker, $task, $reply, $seconds)
		$label = $task.Label
		$testSeconds[$label] = $seconds
		if ($null -eq $reply -or $reply.failed -gt 0) {
			if ($label.StartsWith('scenario:')) { $broken.Add(('{0}: {1}' -f $label, $(if ($null -eq $reply) { 'timed out' } else { $reply.error }))) }
			# A Pester file that fails only when instrumented (it starts a pwsh of its own, which lacks the coverage
			# class) cannot be measured: it runs for every mutant of the files it tests.
			[void]$unmeasured.Add($label)
		}
		if ($null -ne $reply) {
			foreach ($h in @($reply.hits)) {
				# file:statement:check (the check is empty outside a probe).
				$parts = $h.Split(':', 3)
				$key = $parts[0] + ':' + $parts[1]
				if (-not $reachedBy.ContainsKey($key)) { $reachedBy[$key] = New-Object 'System.Collections.Generic.HashSet[string]' }
				[void]$reachedBy[$key].Add($label)
				if ($label.StartsWith('scenario:')) {
					if (-not $checksBy.ContainsKey($key)) { $checksBy[$key] = New-Object 'System.Collections.Generic.HashSet[string]' }
					[void]$checksBy[$key].Add($parts[2])
				}
			}
		}
		Write-Host ('   {0,-60} {1,5:N1} s{2}' -f $label, $seconds, $(if ($unmeasured.Contains($label)) { '  (not measurable)' } else { '' }))
	}
	Write-Host ('== coverage: {0} scenarios and {1} Pester files on {2} worker(s)' -f $coverScenarios.Count, $coverTests.Count, $Jobs)
	$pool = @(for ($j = 0; $j -lt $Jobs; $j++) {
			$box = New-PadSandbox
			foreach ($src in $allSources) {
				$target = Join-Path $box ([System.IO.Path]::GetRelativePath($repo, $src))
				$text = [System.IO.File]::ReadAllText($src)
				[System.IO.File]::WriteAllText($target, (ConvertTo-PadInstrumentedText -Text $text -Statements $statements[$src] -FileIndex $fileIndex[$src] -Ast $asts[$src]))
			}
			$w = Start-PadWorker -Pwsh $pwshExe -PesterModule $PesterModule -Sandbox $box -Coverage
			$workers.Add($w)
			$w
		})
	$coverageClock = [System.Diagnostics.Stopwatch]::StartNew()
	Invoke-PadTaskQueue -Queue $queue -Pool $pool -OnStart $startCoverage -OnDone $doneCoverage
	foreach ($w in $workers) { Stop-PadWorker -Worker $w }
	$workers.Clear()
	if ($broken.Count -gt 0) { throw ("Scenarios fail without any mutant; fix them first:`n" + ($broken -join "`n")) }
	Write-Host ('   coverage took {0:N0} s; {1} statement(s) reached; not measurable: {2}' -f $coverageClock.Elapsed.TotalSeconds, $reachedBy.Count, $(if ($unmeasured.Count) { @($unmeasured) -join ', ' } else { 'none' }))

	# --- Mutants ---------------------------------------------------------------------------------------------------------
	$pool = @(for ($j = 0; $j -lt $Jobs; $j++) {
			$w = Start-PadWorker -Pwsh $pwshExe -PesterModule $PesterModule -Sandbox (New-PadSandbox)
			$workers.Add($w)
			$w
		})
	# What could not be measured must still pass without a mutant, on the plain copy.
	$queue = New-Object System.Collections.Generic.Queue[object]
	foreach ($label in @($unmeasured)) { $queue.Enqueue([pscustomobject]@{ Label = $label; TimeoutSeconds = 900 }) }
	$doneClean = {
		param($worker, $task, $reply, $seconds)
		$testSeconds[$task.Label] = $seconds
		if ($null -eq $reply -or $reply.failed -gt 0 -or $reply.passed -eq 0) { $broken.Add(('{0}: {1}' -f $task.Label, $(if ($null -eq $reply) { 'timed out' } else { $reply.error }))) }
	}
	Invoke-PadTaskQueue -Queue $queue -Pool $pool -OnStart $startCoverage -OnDone $doneClean
	if ($broken.Count -gt 0) { throw ("Tests fail without any mutant; fix them first:`n" + ($broken -join "`n")) }

	$previous = @{}
	if ($Resume) {
		foreach ($r in @((Get-Content -LiteralPath $Resume -Raw | ConvertFrom-Json).mutants)) {
			if ($r.PSObject.Properties['Hash'] -and ($r.Outcome -eq 'killed' -or $r.Outcome -eq 'timeout')) { $previous[('{0}|{1}|{2}|{3}' -f $r.File, $r.Hash, $r.Start, $r.Description)] = $r }
		}
	}
	$queue = New-Object System.Collections.Generic.Queue[object]
	$texts = @{}
	$reused = New-Object System.Collections.Generic.List[object]
	foreach ($f in $mutantsByFile.Keys) {
		$rel = $relative[$f]
		$tests = $plan[$f]
		$mutants = @($mutantsByFile[$f])
		Write-Host ('== {0}: {1} mutants; tests: {2}; scenarios: {3}' -f $rel, $mutants.Count, (@($tests.TestFiles | ForEach-Object { Split-Path $_ -Leaf }) -join ', '), $tests.Scenarios.Count)
		$bytes = [System.IO.File]::ReadAllBytes($f)
		$texts[$f] = [pscustomobject]@{
			Bytes = $bytes
			Text  = [System.IO.File]::ReadAllText($f)
			Bom   = $bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF
			Hash  = [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($bytes)).Substring(0, 16)
		}
		foreach ($m in $mutants) {
			$m | Add-Member -NotePropertyName Hash -NotePropertyValue $texts[$f].Hash -Force
			$earlier = $previous[('{0}|{1}|{2}|{3}' -f $rel, $texts[$f].Hash, $m.Start, $m.Description)]
			if ($null -ne $earlier) {
				$results.Add((New-PadMutantOutcome -Mutant $m -File $rel -Outcome $earlier.Outcome -Equivalent $equivalent -Seconds $earlier.Seconds))
				$reused.Add($m)
				continue
			}
			# The tests that reach the mutant's statement (all of the plan's when that cannot be told: a catalogue file,
			# a script's own param block).
			$scenarios = @($tests.Scenarios)
			$testFiles = @($tests.TestFiles)
			$checks = @($tests.Checks)
			if ($statements.ContainsKey($f)) {
				$s = Get-PadInnermostStatement -Statements $statements[$f] -Start $m.Start -End $m.End
				if ($s -ge 0) {
					$key = '{0}:{1}' -f $fileIndex[$f], $s
					$who = $reachedBy[$key]
					# Reached only inside probes: just those checks, and the scenarios about them (the same rule as the plan's).
					$which = $checksBy[$key]
					if ($null -ne $which -and -not $which.Contains('') -and $tests.ScenarioFilter -eq 'checks') {
						$checks = @($which | Sort-Object)
						$scenarios = @($ownChecks.Keys | Sort-Object | Where-Object { Test-FakeHostScenarioAboutChecks -Name $_ -OwnChecks $ownChecks[$_] -Checks $checks })
					}
					$scenarios = @($scenarios | Where-Object { $unmeasured.Contains('scenario:' + $_) -or ($null -ne $who -and $who.Contains('scenario:' + $_)) })
					$testFiles = @($testFiles | Where-Object { $unmeasured.Contains('test:' + $_) -or ($null -ne $who -and $who.Contains('test:' + $_)) })
				}
			}
			if ($scenarios.Count -eq 0 -and $testFiles.Count -eq 0) {
				# Nothing runs this statement, so no test can see the mutant.
				$r = New-PadMutantOutcome -Mutant $m -File $rel -Outcome 'survived' -Equivalent $equivalent -Unreached
				$results.Add($r)
				Write-Host ('   {0,-10} {1}:{2} {3} (no test reaches it)' -f $r.Outcome, $rel, $m.Line, $m.Description)
				continue
			}
			$budget = 0.0
			foreach ($n in $scenarios) { $budget += [double]$testSeconds['scenario:' + $n] }
			foreach ($t in $testFiles) { $budget += [double]$testSeconds['test:' + $t] }
			$queue.Enqueue([pscustomobject]@{
					File = $f; Mutant = $m; Scenarios = $scenarios; TestFiles = $testFiles; Checks = $checks
					TimeoutSeconds = [int][Math]::Ceiling([Math]::Max(60, 3 * $budget + 15))
				})
		}
	}
	if ($Sample -gt 0) {
		# In random order, so a sample stopped early is still a random sample (file by file it would favour the first files).
		$order = New-Object System.Random ($Seed + 1)
		$shuffled = @($queue.ToArray() | Sort-Object { $order.NextDouble() })
		$queue = New-Object System.Collections.Generic.Queue[object]
		foreach ($task in $shuffled) { $queue.Enqueue($task) }
	}
	$progress = @{ Done = $results.Count; Total = $results.Count + $queue.Count }
	if ($Resume) { Write-Host ('   {0} mutant(s) killed in an earlier run of the same code, taken from {1}' -f $reused.Count, $Resume) }
	$startMutant = {
		param($worker, $task)
		$source = $texts[$task.File]
		$m = $task.Mutant
		$mutated = $source.Text.Substring(0, $m.Start) + $m.Replacement + $source.Text.Substring($m.End)
		[System.IO.File]::WriteAllText((Join-Path $worker.Sandbox $relative[$task.File]), $mutated, (New-Object System.Text.UTF8Encoding($source.Bom)))
		$tests = $plan[$task.File]
		New-PadTestRequest -Sandbox $worker.Sandbox -TestFiles $task.TestFiles -Checks $task.Checks -ScenarioFilter $tests.ScenarioFilter -OnlyScenarios $task.Scenarios
	}
	$doneMutant = {
		param($worker, $task, $reply, $seconds)
		# Restored before anything else can fail.
		[System.IO.File]::WriteAllBytes((Join-Path $worker.Sandbox $relative[$task.File]), $texts[$task.File].Bytes)
		$outcome = if ($null -eq $reply) { 'timeout' } elseif ($reply.failed -gt 0 -or $reply.passed -eq 0) { 'killed' } else { 'survived' }
		$r = New-PadMutantOutcome -Mutant $task.Mutant -File $relative[$task.File] -Outcome $outcome -Equivalent $equivalent -Seconds $seconds
		$results.Add($r)
		$progress.Done++
		# The report so far, so a stopped run can be resumed (-Resume).
		if ($progress.Done % 20 -eq 0) { $null = Write-PadMutationReport -Results $results -ReportPath $ReportPath -Seconds ([datetime]::UtcNow - $started).TotalSeconds }
		Write-Host ('   [{0}/{1}] {2,-10} {3}:{4} {5} ({6:N0} s; {7} scenarios, {8} checks, {9} Pester files)' -f $progress.Done, $progress.Total, $r.Outcome, $r.File, $r.Line, $r.Description, $seconds, $task.Scenarios.Count, $task.Checks.Count, $task.TestFiles.Count)
	}
	Invoke-PadTaskQueue -Queue $queue -Pool $pool -OnStart $startMutant -OnDone $doneMutant
}
finally {
	foreach ($w in $workers) { Stop-PadWorker -Worker $w }
	# Only the sandboxes held mutated files; the working tree was never written.
	foreach ($box in $sandboxes) { if (Test-Path -LiteralPath $box) { Remove-Item -LiteralPath $box -Recurse -Force -ErrorAction SilentlyContinue } }
	if ($results.Count -gt 0) {
		$summary = Write-PadMutationReport -Results $results -ReportPath $ReportPath -Seconds ([datetime]::UtcNow - $started).TotalSeconds -Sample $(if ($Sample -gt 0) { '{0} of {1}, seed {2}' -f $results.Count, $pairs.Count, $Seed } else { '' })
		$summary
	}
}
# A hand-made mutant that survives is a known bug the tests cannot see: fail the run, as the TypeScript replay does.
if ($Replay -and @($results | Where-Object { $_.Outcome -eq 'survived' }).Count -gt 0) { exit 1 }
