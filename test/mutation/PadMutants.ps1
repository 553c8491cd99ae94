# The parts of the PowerShell mutation run (Invoke-PadMutation.ps1): finding mutants in a file's syntax tree,
# choosing the tests for a file, running them in a child pwsh with a time limit, and the report.
# Dot-sourced; kept apart so the mutant finder can be tested on its own (test/powershell/Mutation.Tests.ps1).

using namespace System.Management.Automation.Language

function Test-PadMutationSkipped {
	# Parameter blocks (defaults, validation attributes) and attributes are declarations, not logic a test can see.
	param([Ast] $Node)
	for ($p = $Node.Parent; $null -ne $p; $p = $p.Parent) {
		if ($p -is [ParamBlockAst] -or $p -is [AttributeAst] -or $p -is [TypeConstraintAst]) { return $true }
	}
	$false
}

function New-PadMutantRecord {
	# One mutant: the text from Start to End (offsets into the file's text) becomes Replacement. From an AST extent,
	# or (the review's hand-made mutants) from explicit offsets.
	param([string] $Kind, [IScriptExtent] $Extent, [string] $Replacement, [string] $Description, [string] $Code,
		[int] $Start = -1, [int] $End = -1, [int] $Line = 0, [string] $Original = '')
	if ($null -ne $Extent) { $Start = $Extent.StartOffset; $End = $Extent.EndOffset; $Line = $Extent.StartLineNumber; $Original = $Extent.Text }
	[pscustomobject]@{ Kind = $Kind; Start = $Start; End = $End; Line = $Line; Original = $Original; Replacement = $Replacement; Description = $Description; Code = $Code }
}

function Get-PadMutant {
	# Every mutant of one file, in the order of the text. Offsets are into the file's text as .NET reads it.
	# The default kinds are the issue's list; 'condition' (an if forced true or false) and 'not' (-not dropped) make
	# about three times as many mutants and are for a closer look at one file.
	param([Parameter(Mandatory = $true)] [string] $Path, [string[]] $Kinds = @('operator', 'number', 'boolean', 'filter', 'filter-key', 'failure-id', 'return'))
	$text = [System.IO.File]::ReadAllText($Path)
	$tokens = $null
	$errors = $null
	$ast = [Parser]::ParseInput($text, $Path, [ref]$tokens, [ref]$errors)
	if ($errors.Count -gt 0) { throw "$Path does not parse: $($errors[0].Message)" }
	$lines = $text -split "`r?`n"
	$codeOf = { param($extent) $lines[$extent.StartLineNumber - 1].Trim() }
	$swap = @{
		Ilt = '-le'; Ile = '-lt'; Igt = '-ge'; Ige = '-gt'; Ieq = '-ne'; Ine = '-eq'
		Clt = '-cle'; Cle = '-clt'; Cgt = '-cge'; Cge = '-cgt'; Ceq = '-cne'; Cne = '-ceq'
		And = '-or'; Or = '-and'
	}
	$filterKeys = 'ProviderName', 'LogName', 'Id', 'StartTime', 'EndTime', 'Level'
	$found = New-Object System.Collections.Generic.List[object]
	# Only the node types a mutant comes from (the parent walk of the skip test is the costly part, so it runs on these only).
	$nodes = $ast.FindAll({
			param($n)
			($n -is [BinaryExpressionAst]) -or ($n -is [ConstantExpressionAst] -and $n -isnot [StringConstantExpressionAst]) -or
			($n -is [VariableExpressionAst] -and ($n.VariablePath.UserPath -eq 'true' -or $n.VariablePath.UserPath -eq 'false')) -or
			($n -is [UnaryExpressionAst]) -or ($n -is [IfStatementAst]) -or ($n -is [CommandAst]) -or ($n -is [HashtableAst]) -or
			($n -is [CommandParameterAst]) -or ($n -is [InvokeMemberExpressionAst]) -or ($n -is [ReturnStatementAst])
		}, $true)
	foreach ($n in $nodes) {
		if (Test-PadMutationSkipped -Node $n) { continue }
		if ($n -is [BinaryExpressionAst] -and $swap.ContainsKey([string]$n.Operator)) {
			$op = $n.ErrorPosition
			$found.Add((New-PadMutantRecord -Kind 'operator' -Extent $op -Replacement $swap[[string]$n.Operator] -Description ("{0} -> {1}" -f $op.Text, $swap[[string]$n.Operator]) -Code (& $codeOf $op)))
		}
		elseif ($n -is [ConstantExpressionAst] -and $n -isnot [StringConstantExpressionAst] -and ($n.Value -is [int] -or $n.Value -is [long] -or $n.Value -is [double])) {
			$v = $n.Value
			foreach ($d in 1, -1) {
				$new = $v + $d
				$found.Add((New-PadMutantRecord -Kind 'number' -Extent $n.Extent -Replacement ([string]$new) -Description ("{0} -> {1}" -f $n.Extent.Text, $new) -Code (& $codeOf $n.Extent)))
			}
		}
		elseif ($n -is [VariableExpressionAst] -and ($n.VariablePath.UserPath -eq 'true' -or $n.VariablePath.UserPath -eq 'false')) {
			$new = if ($n.VariablePath.UserPath -eq 'true') { '$false' } else { '$true' }
			$found.Add((New-PadMutantRecord -Kind 'boolean' -Extent $n.Extent -Replacement $new -Description ("{0} -> {1}" -f $n.Extent.Text, $new) -Code (& $codeOf $n.Extent)))
		}
		elseif ($n -is [UnaryExpressionAst] -and ($n.TokenKind -eq [TokenKind]::Not -or $n.TokenKind -eq [TokenKind]::Exclaim)) {
			$found.Add((New-PadMutantRecord -Kind 'not' -Extent $n.Extent -Replacement ('(' + $n.Child.Extent.Text + ')') -Description ('-not dropped: ' + $n.Extent.Text) -Code (& $codeOf $n.Extent)))
		}
		elseif ($n -is [IfStatementAst]) {
			foreach ($clause in $n.Clauses) {
				$condition = $clause.Item1
				foreach ($forced in '$true', '$false') {
					$found.Add((New-PadMutantRecord -Kind 'condition' -Extent $condition.Extent -Replacement $forced -Description ('if ({0}) -> if ({1})' -f $condition.Extent.Text, $forced) -Code (& $codeOf $condition.Extent)))
				}
			}
		}
		elseif ($n -is [CommandAst] -and @('Where-Object', 'where', '?') -contains $n.GetCommandName()) {
			$block = @($n.CommandElements | Where-Object { $_ -is [ScriptBlockExpressionAst] }) | Select-Object -First 1
			if ($null -ne $block) {
				$found.Add((New-PadMutantRecord -Kind 'filter' -Extent $block.Extent -Replacement '{ $true }' -Description ('Where-Object ' + $block.Extent.Text + ' keeps everything') -Code (& $codeOf $block.Extent)))
			}
		}
		elseif ($n -is [HashtableAst] -and $n.KeyValuePairs.Count -gt 1) {
			$keys = @($n.KeyValuePairs | ForEach-Object { [string]$_.Item1.Extent.Text.Trim("'", '"') })
			if (@($keys | Where-Object { $filterKeys -contains $_ }).Count -eq 0) { continue }
			for ($i = 0; $i -lt $n.KeyValuePairs.Count; $i++) {
				$kept = for ($j = 0; $j -lt $n.KeyValuePairs.Count; $j++) {
					if ($j -ne $i) { $n.KeyValuePairs[$j].Item1.Extent.Text + ' = ' + $n.KeyValuePairs[$j].Item2.Extent.Text }
				}
				$found.Add((New-PadMutantRecord -Kind 'filter-key' -Extent $n.Extent -Replacement ('@{ ' + (@($kept) -join '; ') + ' }') -Description ('filter key dropped: ' + $keys[$i]) -Code (& $codeOf $n.KeyValuePairs[$i].Item1.Extent)))
			}
		}
		elseif ($n -is [CommandParameterAst] -and $n.ParameterName -eq 'FailureIds' -and $null -eq $n.Argument) {
			# -FailureIds 'x': the argument is the next element of the command.
			$elements = @($n.Parent.CommandElements)
			$index = [array]::IndexOf($elements, $n)
			if ($index -ge 0 -and $index + 1 -lt $elements.Count) {
				$arg = $elements[$index + 1]
				$found.Add((New-PadMutantRecord -Kind 'failure-id' -Extent $arg.Extent -Replacement '@()' -Description ('failure ids removed: ' + $arg.Extent.Text) -Code (& $codeOf $arg.Extent)))
			}
		}
		elseif ($n -is [InvokeMemberExpressionAst] -and [string]$n.Member.Extent.Text -eq 'Add' -and @($n.Arguments).Count -eq 1 -and $n.Arguments[0] -is [StringConstantExpressionAst] -and $n.Arguments[0].Value -match '^[a-z0-9]+(-[a-z0-9]+)+$') {
			$found.Add((New-PadMutantRecord -Kind 'failure-id' -Extent $n.Extent -Replacement '$null' -Description ('failure id dropped: ' + $n.Arguments[0].Extent.Text) -Code (& $codeOf $n.Extent)))
		}
		elseif ($n -is [ReturnStatementAst] -and $null -ne $n.Pipeline) {
			# The value is still written, but the function goes on: whatever follows runs (and may write a second value).
			$found.Add((New-PadMutantRecord -Kind 'return' -Extent $n.Extent -Replacement $n.Pipeline.Extent.Text -Description ('return dropped: ' + $n.Extent.Text) -Code (& $codeOf $n.Extent)))
		}
	}
	@($found | Where-Object { $Kinds -contains $_.Kind } | Sort-Object Start, Kind, Replacement)
}

function New-PadReplayMutant {
	# A hand-made mutant: the one place where Entry.find occurs in the file becomes Entry.replace.
	param([string] $Path, [object] $Entry)
	$text = [System.IO.File]::ReadAllText($Path)
	$at = $text.IndexOf([string]$Entry.find, [StringComparison]::Ordinal)
	if ($at -lt 0) { throw "$($Entry.id): its text is not in $($Entry.file) any more; update review-mutants.json" }
	if ($text.IndexOf([string]$Entry.find, $at + 1, [StringComparison]::Ordinal) -ge 0) { throw "$($Entry.id): its text occurs more than once in $($Entry.file)" }
	$line = $text.Substring(0, $at).Split([char]10).Count
	$find = [string]$Entry.find
	New-PadMutantRecord -Kind 'review' -Start $at -End ($at + $find.Length) -Line $line -Original $find -Replacement ([string]$Entry.replace) -Description ('{0}: {1}' -f $Entry.id, $Entry.note) -Code ($find -split "`n")[0].Trim()
}

function Get-PadFunctionCalls {
	# Function name -> the command names it calls, for every function defined in the given files.
	param([string[]] $Files)
	$calls = @{}
	$definedIn = @{}
	foreach ($f in $Files) {
		$tokens = $null; $errors = $null
		$ast = [Parser]::ParseFile($f, [ref]$tokens, [ref]$errors)
		foreach ($fn in $ast.FindAll({ param($n) $n -is [FunctionDefinitionAst] }, $true)) {
			$names = New-Object 'System.Collections.Generic.HashSet[string]' ([StringComparer]::OrdinalIgnoreCase)
			foreach ($c in $fn.Body.FindAll({ param($n) $n -is [CommandAst] }, $true)) {
				$name = $c.GetCommandName()
				if ($name) { [void]$names.Add($name) }
			}
			$calls[$fn.Name] = $names
			$definedIn[$fn.Name] = $f
		}
	}
	@{ Calls = $calls; DefinedIn = $definedIn }
}

function Get-PadMutationTestPlan {
	# For each file: the Pester files that name one of its functions (or the file), and the checks whose probes
	# reach one of its functions (for the scenarios). The entry script and the module reach every check.
	param([string] $Repo, [string[]] $Files)
	. (Join-Path $Repo 'test/powershell/Catalogue.ps1')
	$probeFiles = @(Get-ChildItem -LiteralPath (Join-Path $Repo 'src/powershell') -Recurse -File -Include '*.ps1', '*.psm1' | ForEach-Object { $_.FullName })
	$graph = Get-PadFunctionCalls -Files $probeFiles
	$checks = @(Get-CatalogueChecks | Where-Object { $_.probe })
	# Scenarios, syntax and command-reference tests are not chosen by name: scenarios by check, the others catch no
	# logic mutant (every mutant parses and uses the same commands).
	$unitTests = @(Get-ChildItem -LiteralPath (Join-Path $Repo 'test/powershell') -File -Filter '*.Tests.ps1' |
			Where-Object { @('Scenarios.Tests.ps1', 'Syntax.Tests.ps1', 'CommandReference.Tests.ps1', 'FakeHost.Tests.ps1', 'Mutation.Tests.ps1') -notcontains $_.Name })
	$testText = @{}
	foreach ($t in $unitTests) { $testText[$t.FullName] = [System.IO.File]::ReadAllText($t.FullName) }
	$reach = @{}
	foreach ($c in $checks) {
		$seen = New-Object 'System.Collections.Generic.HashSet[string]' ([StringComparer]::OrdinalIgnoreCase)
		$queue = New-Object System.Collections.Generic.Queue[string]
		$queue.Enqueue([string]$c.probe)
		while ($queue.Count -gt 0) {
			$name = $queue.Dequeue()
			if (-not $seen.Add($name)) { continue }
			if ($graph.Calls.ContainsKey($name)) { foreach ($callee in $graph.Calls[$name]) { $queue.Enqueue($callee) } }
		}
		$reach[[string]$c.id] = $seen
	}
	$plan = @{}
	foreach ($f in $Files) {
		$leaf = Split-Path $f -Leaf
		$functions = @($graph.DefinedIn.Keys | Where-Object { $graph.DefinedIn[$_] -eq $f })
		$everything = $leaf -eq 'Invoke-AgentDiagnosis.ps1' -or $leaf -eq 'PadProbes.psm1'
		$selectedChecks = @(foreach ($c in $checks) {
				$id = [string]$c.id
				if ($everything -or @($functions | Where-Object { $reach[$id].Contains($_) }).Count -gt 0) { $id }
			})
		$selectedTests = @(foreach ($t in $unitTests) {
				$body = $testText[$t.FullName]
				$named = $body.Contains($leaf) -or @($functions | Where-Object { $body.Contains($_) }).Count -gt 0
				if ($named) { $t.FullName }
			})
		# The entry script's own behaviour (time budgets, the result file) is in its scenarios and EntryScript tests;
		# the other scenarios would only repeat the probes' work.
		$filter = $(if ($everything) { 'entry' } else { 'checks' })
		$plan[$f] = [pscustomobject]@{
			TestFiles      = @($selectedTests | ForEach-Object { [System.IO.Path]::GetRelativePath($Repo, $_) })
			Checks         = $selectedChecks
			ScenarioFilter = $filter
			Scenarios      = @(Get-PadPlanScenario -Repo $Repo -Checks $selectedChecks -Filter $filter)
		}
	}
	$plan
}

function Get-PadPlanScenario {
	# The names of the scenarios Scenarios.Tests.ps1 runs for these checks (the same rule: Test-FakeHostScenarioAbout).
	param([string] $Repo, [string[]] $Checks, [string] $Filter = 'checks')
	if ($Checks.Count -eq 0) { return @() }
	. (Join-Path $Repo 'test/fakeHost/ScenarioFile.ps1')
	@(Get-ChildItem -LiteralPath (Join-Path $Repo 'test/fakeHost/scenarios') -Filter '*.json' | Sort-Object Name |
			Where-Object { Test-FakeHostScenarioAbout -Path $_.FullName -Checks $Checks -Filter $Filter } | ForEach-Object { $_.BaseName })
}

function New-PadMutantOutcome {
	param([object] $Mutant, [string] $File, [string] $Outcome, [object[]] $Equivalent = @(), [double] $Seconds = 0, [switch] $Unreached)
	$why = $null
	if ($Outcome -eq 'survived') {
		$match = @($Equivalent | Where-Object { $_.file -eq $File -and $_.code -eq $Mutant.Code -and $_.mutation -eq $Mutant.Description }) | Select-Object -First 1
		if ($null -ne $match) { $Outcome = 'equivalent'; $why = [string]$match.why }
	}
	[pscustomobject]@{
		File        = $File
		Line        = $Mutant.Line
		Start       = $Mutant.Start
		Hash        = $(if ($Mutant.PSObject.Properties['Hash']) { $Mutant.Hash } else { $null })
		Kind        = $Mutant.Kind
		Description = $Mutant.Description
		Code        = $Mutant.Code
		Outcome     = $Outcome
		Why         = $why
		# No test runs the mutated statement (decided from coverage, without a run).
		Unreached   = [bool]$Unreached
		Seconds     = [Math]::Round($Seconds, 1)
	}
}

function Get-PadMutationScore {
	# Killed and timed out count as detected; equivalent mutants are left out. $null when nothing counts.
	param([object[]] $Results)
	$detected = @($Results | Where-Object { $_.Outcome -eq 'killed' -or $_.Outcome -eq 'timeout' }).Count
	$survived = @($Results | Where-Object { $_.Outcome -eq 'survived' }).Count
	if ($detected + $survived -eq 0) { return $null }
	[Math]::Round(100.0 * $detected / ($detected + $survived), 1)
}

function Write-PadMutationReport {
	param([object[]] $Results, [string] $ReportPath, [double] $Seconds, [string] $Sample = '')
	$dir = Split-Path $ReportPath -Parent
	if (-not (Test-Path -LiteralPath $dir)) { New-Item -ItemType Directory -Path $dir -Force | Out-Null }
	$byFile = @($Results | Group-Object File | ForEach-Object {
			$g = @($_.Group)
			[pscustomobject]@{
				File       = $_.Name
				Mutants    = $g.Count
				Killed     = @($g | Where-Object Outcome -EQ 'killed').Count
				TimedOut   = @($g | Where-Object Outcome -EQ 'timeout').Count
				Survived   = @($g | Where-Object Outcome -EQ 'survived').Count
				Equivalent = @($g | Where-Object Outcome -EQ 'equivalent').Count
				Score      = Get-PadMutationScore -Results $g
			}
		})
	$total = Get-PadMutationScore -Results $Results
	[ordered]@{ generatedAt = [datetime]::UtcNow.ToString('o'); seconds = [Math]::Round($Seconds); sample = $(if ($Sample) { $Sample } else { $null }); score = $total; files = $byFile; mutants = $Results } |
		ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $ReportPath -Encoding utf8
	$lines = New-Object System.Collections.Generic.List[string]
	$lines.Add('')
	$lines.Add('PowerShell mutation score per file (killed + timed out) / (all - equivalent):')
	foreach ($f in $byFile) {
		$lines.Add(('  {0,-48} {1,6}  {2,3} mutants: {3} killed, {4} timed out, {5} survived, {6} equivalent' -f $f.File, $(if ($null -eq $f.Score) { 'n/a' } else { '{0:N1}%' -f $f.Score }), $f.Mutants, $f.Killed, $f.TimedOut, $f.Survived, $f.Equivalent))
	}
	$survivors = @($Results | Where-Object Outcome -EQ 'survived')
	if ($survivors.Count -gt 0) {
		$lines.Add('Survivors:')
		foreach ($s in $survivors) { $lines.Add(('  {0}:{1}  {2}    | {3}{4}' -f $s.File, $s.Line, $s.Description, $s.Code, $(if ($s.Unreached) { '    (no test reaches it)' } else { '' }))) }
	}
	if ($Sample) { $lines.Add(('A random sample of mutants ({0}): the score is an estimate; per-file figures rest on few mutants.' -f $Sample)) }
	$lines.Add(('powershell mutation score: {0} ({1} mutants, {2:N0} s); report {3}' -f $(if ($null -eq $total) { 'n/a' } else { '{0:N1}%' -f $total }), $Results.Count, $Seconds, $ReportPath))
	$lines
}
