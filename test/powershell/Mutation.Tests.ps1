# The PowerShell mutation script's own parts (test/mutation): which mutants it makes, that each one still parses,
# and that the review's hand-made mutants still fit today's code. Running mutants is `npm run mutate`, not this.

BeforeAll {
	$repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
	. (Join-Path $repo 'test/mutation/PadMutants.ps1')
	$sample = Join-Path $TestDrive 'Sample.ps1'
	Set-Content -LiteralPath $sample -Encoding utf8 -Value @'
function Test-PadSample {
	param([Parameter(Mandatory = $true)] [int] $Limit = 5)
	if ($Limit -ge 10 -and $true) { return New-PadResult -Status fail -FailureIds 'sample-too-big' }
	$list = @(1, 2) | Where-Object { $_ -gt 1 }
	$failures.Add('sample-other')
	$filter = @{ LogName = 'System'; Id = 7041 }
	-not $list
}
'@
}

Describe 'Get-PadMutant' {
	BeforeAll { $mutants = @(Get-PadMutant -Path $sample) }

	It 'makes the documented kinds of mutant, with the replacement text of each' {
		$by = @{}
		foreach ($m in $mutants) { $by[$m.Description] = $m }
		$by['-ge -> -gt'].Replacement | Should -Be '-gt'
		$by['-gt -> -ge'].Replacement | Should -Be '-ge'
		$by['-and -> -or'].Replacement | Should -Be '-or'
		$by['10 -> 11'].Replacement | Should -Be '11'
		$by['10 -> 9'].Replacement | Should -Be '9'
		$by['7041 -> 7042'].Replacement | Should -Be '7042'
		$by['$true -> $false'].Replacement | Should -Be '$false'
		$by["failure ids removed: 'sample-too-big'"].Replacement | Should -Be '@()'
		$by["failure id dropped: 'sample-other'"].Replacement | Should -Be '$null'
		$by['Where-Object { $_ -gt 1 } keeps everything'].Replacement | Should -Be '{ $true }'
		$by['filter key dropped: LogName'].Replacement | Should -Be '@{ Id = 7041 }'
		$by['filter key dropped: Id'].Replacement | Should -Be "@{ LogName = 'System' }"
		$by.Keys | Where-Object { $_ -like 'return dropped:*' } | Should -HaveCount 1
	}

	It 'leaves parameter blocks and attributes alone, and adds conditions and -not only when asked' {
		@($mutants | Where-Object { $_.Line -eq 2 }) | Should -HaveCount 0
		@($mutants | Where-Object { $_.Kind -eq 'condition' -or $_.Kind -eq 'not' }) | Should -HaveCount 0
		$extended = @(Get-PadMutant -Path $sample -Kinds 'condition', 'not')
		@($extended | Where-Object Kind -EQ 'condition') | Should -HaveCount 2
		@($extended | Where-Object Kind -EQ 'not').Replacement | Should -Be '($list)'
	}

	It 'gives offsets into the file text that cover exactly the mutated code' {
		$text = [System.IO.File]::ReadAllText($sample)
		foreach ($m in $mutants) { $text.Substring($m.Start, $m.End - $m.Start) | Should -Be $m.Original }
	}

	It 'makes only mutants that still parse, in every file of src/powershell' {
		# Operators, numbers and booleans swap one token for another of the same kind; the kinds that rewrite a larger
		# piece of code (filters, hashtables, failure ids, returns, -not) are the ones that could break the syntax.
		$files = @(Get-ChildItem -LiteralPath (Join-Path $repo 'src/powershell') -Recurse -File -Include '*.ps1', '*.psm1')
		$broken = New-Object System.Collections.Generic.List[string]
		$count = 0
		foreach ($f in $files) {
			$text = [System.IO.File]::ReadAllText($f.FullName)
			foreach ($m in @(Get-PadMutant -Path $f.FullName -Kinds 'filter', 'filter-key', 'failure-id', 'return', 'not')) {
				$count++
				$tokens = $null; $errors = $null
				[void][System.Management.Automation.Language.Parser]::ParseInput($text.Substring(0, $m.Start) + $m.Replacement + $text.Substring($m.End), [ref]$tokens, [ref]$errors)
				if ($errors.Count -gt 0) { $broken.Add("$($f.Name):$($m.Line) $($m.Description): $($errors[0].Message)") }
			}
		}
		$count | Should -BeGreaterThan 200
		$broken | Should -BeNullOrEmpty
	}
}

Describe 'The review''s hand-made mutants' {
	It 'each still names text that occurs exactly once in its file (<Id>)' -ForEach @(
		(Get-Content -LiteralPath (Join-Path $PSScriptRoot '../mutation/review-mutants.json') -Raw | ConvertFrom-Json).powershell |
			ForEach-Object { @{ Id = $_.id; Entry = $_ } }
	) {
		$m = New-PadReplayMutant -Path (Join-Path $repo $Entry.file) -Entry $Entry
		$m.Replacement | Should -Be $Entry.replace
		$m.End - $m.Start | Should -Be ([string]$Entry.find).Length
	}
}

Describe 'Get-PadMutationScore' {
	It 'counts killed and timed out as found, leaves equivalent mutants out, and has no score for nothing' {
		$r = @(
			[pscustomobject]@{ Outcome = 'killed' }, [pscustomobject]@{ Outcome = 'timeout' },
			[pscustomobject]@{ Outcome = 'survived' }, [pscustomobject]@{ Outcome = 'equivalent' }
		)
		Get-PadMutationScore -Results $r | Should -Be 66.7
		Get-PadMutationScore -Results @([pscustomobject]@{ Outcome = 'equivalent' }) | Should -BeNullOrEmpty
	}
}

Describe 'Statement coverage (PadCoverage.ps1)' {
	BeforeAll {
		. (Join-Path $repo 'test/mutation/PadCoverage.ps1')
		Register-PadCoverageType
		$text = [System.IO.File]::ReadAllText($sample)
		$ast = [System.Management.Automation.Language.Parser]::ParseInput($text, [ref]$null, [ref]$null)
		$statements = @(Get-PadCoverageStatement -Ast $ast)
		$instrumented = ConvertTo-PadInstrumentedText -Text $text -Statements $statements -FileIndex 7
	}
	It 'instruments every statement of every block, and the copy still parses with its lines where they were' {
		# The function, and in it: the if, its return, the assignment, the 1, 2 inside @(), the filter's comparison, the
		# Add, the hashtable, the -not.
		$statements.Count | Should -Be 9
		$errors = $null
		[void][System.Management.Automation.Language.Parser]::ParseInput($instrumented, [ref]$null, [ref]$errors)
		$errors | Should -BeNullOrEmpty
		($instrumented -split "`n").Count | Should -Be ($text -split "`n").Count
		([regex]::Matches($instrumented, '\[PadMutationCoverage\]::Hit\(7,')).Count | Should -Be 9
	}
	It 'finds the innermost statement that holds a mutant, and none outside every statement' {
		$at = $text.IndexOf('$_ -gt 1')
		$inner = Get-PadInnermostStatement -Statements $statements -Start $at -End ($at + 8)
		$text.Substring($statements[$inner].Start, $statements[$inner].End - $statements[$inner].Start) | Should -BeExactly '$_ -gt 1'
		$function = Get-PadInnermostStatement -Statements $statements -Start 0 -End $text.TrimEnd().Length
		$function | Should -Be 0
		Get-PadInnermostStatement -Statements $statements -Start ($text.Length + 1) -End ($text.Length + 2) | Should -Be -1
	}
	It 'records the statements a run reaches, also from other runspaces, and only those' {
		$code = 'function Test-Branch([int] $x) { if ($x -gt 0) { "positive" } else { "other" } }'
		$codeAst = [System.Management.Automation.Language.Parser]::ParseInput($code, [ref]$null, [ref]$null)
		$codeStatements = @(Get-PadCoverageStatement -Ast $codeAst)
		$copy = ConvertTo-PadInstrumentedText -Text $code -Statements $codeStatements -FileIndex 3
		[void][PadMutationCoverage]::Take()
		$ps = [System.Management.Automation.PowerShell]::Create()
		try { [void]$ps.AddScript($copy + '; Test-Branch 5').Invoke() } finally { $ps.Dispose() }
		$hits = @([PadMutationCoverage]::Take())
		$reached = @($hits | ForEach-Object { [int]($_ -split ':')[1] } | ForEach-Object { $code.Substring($codeStatements[$_].Start, $codeStatements[$_].End - $codeStatements[$_].Start) })
		$reached | Should -Contain '"positive"'
		$reached | Should -Not -Contain '"other"'
		@($hits | Where-Object { -not $_.StartsWith('3:') }) | Should -BeNullOrEmpty
		@([PadMutationCoverage]::Take()) | Should -BeNullOrEmpty -Because 'Take empties the record'
	}
	It 'says which check reached a statement: the one Invoke-PadProbe named on that thread in this run' {
		$code = 'function Invoke-PadProbe([string] $CheckId) { Get-Inner }' + "`n" + 'function Get-Inner { "inner" }'
		$codeAst = [System.Management.Automation.Language.Parser]::ParseInput($code, [ref]$null, [ref]$null)
		$codeStatements = @(Get-PadCoverageStatement -Ast $codeAst)
		$copy = ConvertTo-PadInstrumentedText -Text $code -Statements $codeStatements -FileIndex 4 -Ast $codeAst
		$copy | Should -BeLike '*{ `[PadMutationCoverage`]::Enter($CheckId); `[PadMutationCoverage`]::Hit(4,*'
		[void][PadMutationCoverage]::Take()
		$ps = [System.Management.Automation.PowerShell]::Create()
		try { [void]$ps.AddScript($copy + '; Invoke-PadProbe -CheckId "server.os"').Invoke() } finally { $ps.Dispose() }
		$inner = [array]::IndexOf(@($codeStatements | ForEach-Object { $code.Substring($_.Start, $_.End - $_.Start) }), '"inner"')
		$hits = @([PadMutationCoverage]::Take())
		$hits | Should -Contain ('4:{0}:server.os' -f $inner)
		# The function definitions run before any probe: no check.
		$hits | Should -Contain '4:0:'
		# A later run on the same thread, outside a probe, is not put on the earlier run's check.
		[PadMutationCoverage]::Enter('server.ntlm')
		[void][PadMutationCoverage]::Take()
		[PadMutationCoverage]::Hit(4, 99)
		@([PadMutationCoverage]::Take()) | Should -Be @('4:99:')
	}
}
