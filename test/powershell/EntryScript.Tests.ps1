# The entry script itself: behaviours that the scenario runs do not show.

BeforeAll {
	. (Join-Path $PSScriptRoot 'Catalogue.ps1')
	$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
	$entry = Join-Path $repo 'src/powershell/Invoke-AgentDiagnosis.ps1'
	$env:PAD_FAKE_HOST_SCENARIO = Join-Path $repo 'test/fakeHost/scenarios/healthy.json'
	Import-Module (Join-Path $repo 'test/fakeHost/FakeWindowsHost.psm1') -Force
	$allIds = @(Get-CatalogueCheckIds)

	function Invoke-Entry([hashtable] $Parameters) {
		$out = Join-Path ([System.IO.Path]::GetTempPath()) ('pad-entry-' + [guid]::NewGuid().ToString('n') + '.json')
		try {
			& $entry -ResultPath $out @Parameters 6>$null | Out-Null
			Get-Content -LiteralPath $out -Raw | Microsoft.PowerShell.Utility\ConvertFrom-Json -AsHashtable
		}
		finally { Remove-Item -LiteralPath $out -ErrorAction SilentlyContinue }
	}
}

AfterAll {
	Remove-Module FakeWindowsHost -ErrorAction SilentlyContinue
}

Describe 'Invoke-AgentDiagnosis.ps1' {
	Context 'when ConvertFrom-Json behaves as in Windows PowerShell 5.1 (a top-level array arrives as one object)' {
		BeforeAll {
			function global:ConvertFrom-Json {
				param([Parameter(ValueFromPipeline = $true)] $InputObject)
				begin { $text = New-Object System.Text.StringBuilder }
				process { [void]$text.AppendLine([string]$InputObject) }
				end { Microsoft.PowerShell.Utility\ConvertFrom-Json -InputObject $text.ToString() -NoEnumerate }
			}
		}
		AfterAll { Remove-Item -Path function:ConvertFrom-Json }

		It 'still runs every check' {
			$result = Invoke-Entry @{}
			@($result['checks'] | ForEach-Object { $_['id'] }) | Should -Be $allIds
		}

		It 'still runs only the checks asked for' {
			$result = Invoke-Entry @{ Check = @('server.os-version', 'service.state') }
			@($result['checks'] | ForEach-Object { $_['id'] }) | Should -Be @('server.os-version', 'service.state')
		}
	}

	It 'accepts -Check as one comma-separated string, as powershell.exe -File passes it' {
		$result = Invoke-Entry @{ Check = 'server.os-version,service.state' }
		@($result['checks'] | ForEach-Object { $_['id'] }) | Should -Be @('server.os-version', 'service.state')
	}

	It 'reports an unknown check id as a fatal error in the result, not as a crash' {
		$result = Invoke-Entry @{ Check = @('no.such-check') }
		$result['fatal']['code'] | Should -Be 'unexpected'
		$result['fatal']['message'] | Should -BeLike '*no.such-check*'
	}

	It 'reports a non-Windows host as not-windows, with every check unknown' {
		Set-Alias -Name Get-PadPlatform -Value Get-LinuxPlatformForTest -Scope Global
		function global:Get-LinuxPlatformForTest { 'Unix' }
		try {
			$result = Invoke-Entry @{}
		}
		finally {
			Remove-Item -Path function:Get-LinuxPlatformForTest
			# Put the fake host's own alias back.
			Set-Alias -Name Get-PadPlatform -Value Get-FakePadPlatform -Scope Global
		}
		$result['fatal']['code'] | Should -Be 'not-windows'
		$result['host']['isWindows'] | Should -BeFalse
		@($result['checks'] | Where-Object { $_['status'] -ne 'unknown' }).Count | Should -Be 0
		@($result['checks']).Count | Should -Be $allIds.Count
	}

	It 'writes null, not an empty string, as the error of a check that has none' {
		$result = Invoke-Entry @{ Check = @('server.os-version') }
		$result['checks'][0]['error'] | Should -BeNullOrEmpty
		$result['checks'][0].ContainsKey('error') | Should -BeTrue
		$null -eq $result['checks'][0]['error'] | Should -BeTrue
	}
}
