# The PowerShell side reads the catalogue's data (src/catalogue) instead of keeping its own copy: the check list, the
# message rules of the log and event checks, and the match rules themselves behave in .NET as in the extension.

BeforeDiscovery {
	$messageCases = @((Get-Content -LiteralPath (Join-Path $PSScriptRoot '../../src/catalogue/messages.json') -Raw | ConvertFrom-Json).messages |
			Where-Object { $_.match.PSObject.Properties['literal'] -or $_.match.PSObject.Properties['pattern'] } |
			ForEach-Object { @{ id = $_.id; Message = $_ } })
}

BeforeAll {
	. (Join-Path $PSScriptRoot 'Catalogue.ps1')
	$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
	$fakeHost = Join-Path $repo 'test/fakeHost/FakeWindowsHost.psm1'
	$messages = @((Get-Content -LiteralPath (Join-Path $repo 'src/catalogue/messages.json') -Raw | ConvertFrom-Json).messages)

	function New-PackageCopy {
		# The layout of a build (dist/powershell with its catalogue folder), in a folder of its own, changed by $Change
		# (which gets the catalogue folder).
		param([scriptblock] $Change = {})
		$target = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
		Copy-Item -LiteralPath (Join-Path $repo 'src/powershell') -Destination $target -Recurse
		Copy-Item -LiteralPath (Join-Path $repo 'src/catalogue') -Destination (Join-Path $target 'catalogue') -Recurse
		& $Change (Join-Path $target 'catalogue')
		$target
	}

	function Edit-Json {
		param([string] $Path, [scriptblock] $Change)
		$data = Get-Content -LiteralPath $Path -Raw | ConvertFrom-Json -AsHashtable
		& $Change $data
		Set-Content -LiteralPath $Path -Value ($data | ConvertTo-Json -Depth 30) -Encoding utf8
	}

	function Invoke-Package {
		param([string] $Package, [string] $Scenario, [string[]] $Check = @())
		$env:PAD_FAKE_HOST_SCENARIO = Join-Path $repo ('test/fakeHost/scenarios/' + $Scenario + '.json')
		Import-Module $fakeHost -Force
		$out = Join-Path $TestDrive ('result-' + [guid]::NewGuid().ToString('n') + '.json')
		try {
			$parameters = @{ ResultPath = $out }
			if ($Check.Count -gt 0) { $parameters['Check'] = $Check }
			& (Join-Path $Package 'Invoke-AgentDiagnosis.ps1') @parameters 6>$null | Out-Null
			Get-Content -LiteralPath $out -Raw | ConvertFrom-Json -AsHashtable
		}
		finally { Remove-Module FakeWindowsHost -ErrorAction SilentlyContinue }
	}

	function Get-CheckResult([hashtable] $Result, [string] $Id) { @($Result['checks'] | Where-Object { $_['id'] -eq $Id })[0] }
}

AfterAll { Remove-Item env:PAD_FAKE_HOST_SCENARIO -ErrorAction SilentlyContinue }

Describe 'The entry script runs the checks of the catalogue' {
	It 'runs every check of the data files, in their order, from a build layout' {
		$result = Invoke-Package -Package (New-PackageCopy) -Scenario 'healthy'
		$result['fatal'] | Should -BeNullOrEmpty
		@($result['checks'] | ForEach-Object { $_['id'] }) | Should -Be @(Get-CatalogueCheckIds)
	}

	It 'gives each check runspace its own parsed copy, so probes reading the catalogue at the same time never collide' {
		# Objects from ConvertFrom-Json shared between threads failed now and then ("Cannot index into a null array")
		# when several probes read the messages at once; three whole runs make that visible if it comes back.
		$package = New-PackageCopy
		foreach ($run in 1..3) {
			$result = Invoke-Package -Package $package -Scenario 'seed-7041'
			$errors = @($result['checks'] | Where-Object { $_['error'] } | ForEach-Object { $_['id'] + ': ' + $_['error'] })
			$errors | Should -BeNullOrEmpty -Because "run $run"
		}
		Import-Module (Join-Path $package 'PadProbes.psm1') -Force
		try {
			$text = Read-PadCatalogueText
			$text['Messages'] | Should -BeOfType [string]
			Use-PadCatalogueText -Text $text
			$first = Get-PadCatalogue
			Use-PadCatalogueText -Text $text
			[object]::ReferenceEquals($first, (Get-PadCatalogue)) | Should -BeTrue -Because 'a runspace parses a run once'
			$text['Id'] = 'another run'
			Use-PadCatalogueText -Text $text
			[object]::ReferenceEquals($first, (Get-PadCatalogue)) | Should -BeFalse
		}
		finally { Remove-Module PadProbes -ErrorAction SilentlyContinue }
	}

	It 'drops a check that is removed from the data' {
		$package = New-PackageCopy -Change {
			param($catalogue)
			Edit-Json -Path (Join-Path $catalogue 'checks/server.json') -Change { param($d) $d['checks'] = @($d['checks'] | Where-Object { $_['id'] -ne 'server.memory' }) }
		}
		$ids = @((Invoke-Package -Package $package -Scenario 'healthy')['checks'] | ForEach-Object { $_['id'] })
		$ids | Should -Not -Contain 'server.memory'
		$ids.Count | Should -Be (@(Get-CatalogueCheckIds).Count - 1)
	}

	It 'reports a missing catalogue as a fatal error that says what to copy' {
		$package = New-PackageCopy -Change { param($catalogue) Remove-Item -LiteralPath $catalogue -Recurse -Force }
		# Beside the repository's own src/catalogue the copy would still find one: move it out of reach.
		$lonely = Join-Path ([System.IO.Path]::GetTempPath()) ('pad-no-catalogue-' + [guid]::NewGuid().ToString('n'))
		Move-Item -LiteralPath $package -Destination $lonely
		try {
			$result = Invoke-Package -Package $lonely -Scenario 'healthy'
			$result['fatal']['code'] | Should -Be 'unexpected'
			$result['fatal']['message'] | Should -BeLike '*catalogue*'
		}
		finally { Remove-Item -LiteralPath $lonely -Recurse -Force -ErrorAction SilentlyContinue }
	}
}

Describe 'The log and event checks take their rules from messages.json' {
	It 'finds the seed installer error only while the message rule matches it' {
		$before = Get-CheckResult (Invoke-Package -Package (New-PackageCopy) -Scenario 'seed-7041' -Check 'installer.setup-log') 'installer.setup-log'
		$before['failureIds'] | Should -Contain 'setup-log-msi-1923'
		$package = New-PackageCopy -Change {
			param($catalogue)
			Edit-Json -Path (Join-Path $catalogue 'messages.json') -Change {
				param($d)
				foreach ($m in $d['messages']) { if ($m['id'] -eq 'msi-1923-service-not-installed') { $m['match'] = @{ literal = @('a text no log contains') } } }
			}
		}
		$after = Get-CheckResult (Invoke-Package -Package $package -Scenario 'seed-7041' -Check 'installer.setup-log') 'installer.setup-log'
		$after['failureIds'] | Should -Not -Contain 'setup-log-msi-1923'
	}

	It 'reports event 7041 only while a message rule names that event id' {
		$before = Get-CheckResult (Invoke-Package -Package (New-PackageCopy) -Scenario 'seed-7041' -Check 'eventlog.scm-events') 'eventlog.scm-events'
		$before['failureIds'] | Should -Contain 'event-7041'
		$package = New-PackageCopy -Change {
			param($catalogue)
			Edit-Json -Path (Join-Path $catalogue 'messages.json') -Change {
				param($d)
				foreach ($m in $d['messages']) { if ($m['id'] -eq 'event-7041-logon-right') { $m['match']['event']['ids'] = @(7999) } }
			}
		}
		$after = Get-CheckResult (Invoke-Package -Package $package -Scenario 'seed-7041' -Check 'eventlog.scm-events') 'eventlog.scm-events'
		$after['failureIds'] | Should -Not -Contain 'event-7041'
	}
}

Describe 'Message match rules in .NET' {
	BeforeAll { Import-Module (Join-Path $repo 'src/powershell/PadProbes.psm1') -Force }
	AfterAll { Remove-Module PadProbes -ErrorAction SilentlyContinue }

	It 'recognises <id> in its own words and in each example' -ForEach $messageCases {
		Test-PadMessageText -Message $Message -Text $Message.text | Should -BeTrue
		$examples = $Message.PSObject.Properties['examples']
		foreach ($example in @(if ($examples) { $examples.Value })) {
			Test-PadMessageText -Message $Message -Text $example | Should -BeTrue -Because $example
		}
	}

	It 'compiles every pattern, and rejects unrelated text' {
		foreach ($m in $messages) {
			if ($m.match.PSObject.Properties['pattern']) { { [regex]::new([string]$m.match.pattern) } | Should -Not -Throw }
			Test-PadMessageText -Message $m -Text 'The printer is out of paper.' | Should -BeFalse -Because $m.id
		}
	}

	It 'reads case and runs of white space as the extension does' {
		$m = @($messages | Where-Object { $_.id -eq 'gmsa-install-retries' })[0]
		Test-PadMessageText -Message $m -Text "unable   to install SERVICE account`tpGMSA_2345ad35$ after 6 retries" | Should -BeTrue
		Test-PadMessageText -Message $m -Text 'Unable to install service account after retries' | Should -BeFalse
	}

	It 'lists the event rules with their findings' {
		$rules = @(Get-PadEventRules -Log 'System')
		($rules | Where-Object { $_.Ids -contains 7041 }).Finding | Should -Be 'event-7041'
		@($rules | Where-Object { $_.Provider -ne 'Service Control Manager' }).Count | Should -Be 0
		@(Get-PadEventRules -Log 'Microsoft-Windows-Security-Netlogon/Operational' | ForEach-Object { $_.Ids }) | Sort-Object | Should -Be @(9001, 9002)
	}
}
