# Runs the real entry script against every fake-host scenario and checks the exact statuses and failure ids
# the scenario expects. A scenario inherits the expectations of the scenario it extends.
#
# The mutation script (test/mutation) runs a part of it: OnlyChecks runs just those checks, in the scenarios whose
# own file expects one of them (and the healthy one); ScenarioFilter 'entry' picks the scenarios about the entry
# script itself (their own parameters, or time budgets) instead. OnlyScenarios names the scenarios to run (the
# time-zone runs of npm test; the mutation script's scenarios that reach a mutant), and both filters apply when both
# are given. MaxConcurrency is the runspaces each run gets unless the scenario sets its own (the mutation script asks
# for one: a run of a few checks starts faster with one). Without data, everything runs.
param([string[]] $OnlyChecks = @(), [string] $ScenarioFilter = 'checks', [string[]] $OnlyScenarios = @(), [int] $MaxConcurrency = 2)

BeforeDiscovery {
	$scenarioDir = Join-Path $PSScriptRoot '../fakeHost/scenarios'
	. (Join-Path $PSScriptRoot '../fakeHost/ScenarioFile.ps1')
	$scenarios = foreach ($file in Get-ChildItem -LiteralPath $scenarioDir -Filter '*.json' | Sort-Object Name) {
		if ($OnlyScenarios.Count -gt 0 -and $OnlyScenarios -notcontains $file.BaseName) { continue }
		if (-not (Test-FakeHostScenarioAbout -Path $file.FullName -Checks $OnlyChecks -Filter $ScenarioFilter)) { continue }
		$data = Read-FakeHostScenario -Path $file.FullName
		$keys = @($data['expect'].Keys | Where-Object { $OnlyChecks.Count -eq 0 -or $OnlyChecks -contains $_ } | Sort-Object)
		$expect = @(foreach ($k in $keys) { @{ Key = $k; Value = $data['expect'][$k] } })
		@{ Name = $file.BaseName; Path = $file.FullName; Expect = $expect; Parameters = ($data['parameters'] ?? @{}); OnlyChecks = $OnlyChecks; MaxConcurrency = $MaxConcurrency }
	}
}

BeforeAll {
	. (Join-Path $PSScriptRoot 'Catalogue.ps1')
	$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
	$entry = Join-Path $repo 'src/powershell/Invoke-AgentDiagnosis.ps1'
	$fakeHost = Join-Path $repo 'test/fakeHost/FakeWindowsHost.psm1'
	$checkIds = @(Get-CatalogueCheckIds)
	$declaredEvidence = Get-CatalogueEvidenceKeys
	$validStatuses = 'pass', 'fail', 'warning', 'unknown', 'manual', 'notApplicable'

	function Invoke-Scenario {
		param([string] $Path, [hashtable] $Parameters = @{})
		$env:PAD_FAKE_HOST_SCENARIO = $Path
		Import-Module $fakeHost -Force
		$out = Join-Path ([System.IO.Path]::GetTempPath()) ('pad-result-' + [guid]::NewGuid().ToString('n') + '.json')
		try {
			& $entry -ResultPath $out @Parameters 6>$null | Out-Null
			Get-Content -LiteralPath $out -Raw | ConvertFrom-Json -AsHashtable
		}
		finally {
			Remove-Item -LiteralPath $out -ErrorAction SilentlyContinue
			Remove-Module FakeWindowsHost -ErrorAction SilentlyContinue
		}
	}
}

Describe 'Scenario <Name>' -ForEach $scenarios {
	BeforeAll {
		# Two runspaces: on the 2-core machines the tests run on, this is more than twice as fast as the default eight
		# (each runspace loads the probes, the fake host and the catalogue), and the results do not depend on it: a
		# check's budget counts from when it starts. A scenario may still set its own MaxConcurrency.
		$runParameters = @{ MaxConcurrency = $MaxConcurrency }
		foreach ($k in ([hashtable]$Parameters).Keys) { $runParameters[$k] = $Parameters[$k] }
		if ($OnlyChecks.Count -gt 0 -and -not $runParameters.ContainsKey('Check')) { $runParameters['Check'] = $OnlyChecks }
		$expectedCount = if ($runParameters.ContainsKey('Check')) { @($runParameters['Check']).Count } else { $checkIds.Count }
		$result = Invoke-Scenario -Path $Path -Parameters $runParameters
		$byId = @{}
		foreach ($c in $result['checks']) { $byId[$c['id']] = $c }
	}

	It 'writes a complete result with valid statuses' {
		$result['schemaVersion'] | Should -Be 1
		$result['fatal'] | Should -BeNullOrEmpty
		@($result['checks']).Count | Should -Be $expectedCount
		foreach ($c in $result['checks']) { $c['status'] | Should -BeIn $validStatuses -Because $c['id'] }
	}

	It 'reports only evidence its catalogue entries declare (the labels users read)' {
		foreach ($c in $result['checks']) {
			$undeclared = @($c['evidence'].Keys | Where-Object { $declaredEvidence[$c['id']] -notcontains $_ })
			$undeclared | Should -BeNullOrEmpty -Because "$($c['id']) reports evidence its entry in src/catalogue/checks does not declare"
		}
	}

	It 'gives <_.Key> the expected status and failures' -ForEach $Expect {
		$check = $byId[$_.Key]
		$check | Should -Not -BeNullOrEmpty -Because "the result must contain $($_.Key)"
		$expected = $_.Value
		$check['status'] | Should -Be $expected['status'] -Because "$($_.Key): error=$($check['error']) evidence=$($check['evidence'] | ConvertTo-Json -Compress -Depth 5)"
		$expectedIds = @($expected['failureIds'] ?? @() | Sort-Object)
		@($check['failureIds'] | Sort-Object) | Should -Be $expectedIds -Because $_.Key
		if ($expected['errorLike']) { $check['error'] | Should -BeLike $expected['errorLike'] }
		# Evidence a scenario names must be exactly what the probe reported (compared as JSON), or match a wildcard
		# pattern given as { "$like": "..." }: the GPO that wins, the host that did not answer, the time a key is usable.
		if ($expected.Contains('evidence')) {
			foreach ($key in @($expected['evidence'].Keys)) {
				$want = $expected['evidence'][$key]
				$check['evidence'].Contains($key) | Should -BeTrue -Because "$($_.Key) must report evidence '$key'"
				$got = $check['evidence'][$key]
				if ($want -is [System.Collections.IDictionary] -and $want.Contains('$like')) {
					[string]$got | Should -BeLike ([string]$want['$like']) -Because "$($_.Key) evidence '$key'"
				}
				else {
					(ConvertTo-Json -InputObject $got -Compress -Depth 8) | Should -Be (ConvertTo-Json -InputObject $want -Compress -Depth 8) -Because "$($_.Key) evidence '$key'"
				}
			}
		}
	}
}
