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
