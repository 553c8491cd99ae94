# Runs the real entry script against every fake-host scenario and checks the exact statuses and failure ids
# the scenario expects. A scenario inherits the expectations of the scenario it extends.

BeforeDiscovery {
	$scenarioDir = Join-Path $PSScriptRoot '../fakeHost/scenarios'
	. (Join-Path $PSScriptRoot '../fakeHost/ScenarioFile.ps1')
	$scenarios = foreach ($file in Get-ChildItem -LiteralPath $scenarioDir -Filter '*.json' | Sort-Object Name) {
		$data = Read-FakeHostScenario -Path $file.FullName
		$expect = @(foreach ($k in @($data['expect'].Keys | Sort-Object)) { @{ Key = $k; Value = $data['expect'][$k] } })
		@{ Name = $file.BaseName; Path = $file.FullName; Expect = $expect; Parameters = ($data['parameters'] ?? @{}) }
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
		$runParameters = @{ MaxConcurrency = 2 }
		foreach ($k in ([hashtable]$Parameters).Keys) { $runParameters[$k] = $Parameters[$k] }
		$result = Invoke-Scenario -Path $Path -Parameters $runParameters
		$byId = @{}
		foreach ($c in $result['checks']) { $byId[$c['id']] = $c }
	}

	It 'writes a complete result with valid statuses' {
		$result['schemaVersion'] | Should -Be 1
		$result['fatal'] | Should -BeNullOrEmpty
		@($result['checks']).Count | Should -Be $checkIds.Count
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
	}
}
