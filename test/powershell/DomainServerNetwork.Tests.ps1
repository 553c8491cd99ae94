# Probe-level tests for details of the domain, server and network probes, and of Invoke-PadProbe, that whole scenario
# runs did not pin down (the mutation run found them unchecked): the names of the functional levels, a registry override
# written as text, the default network timeout, an endpoint check that probed nothing, and that a check runs on the
# catalogue the entry script handed over. Windows is replaced by mocks in the PadProbes module, so each case states
# exactly what the probe sees.

BeforeAll {
	$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
	$probesModule = Join-Path $repo 'src/powershell/PadProbes.psm1'
	Remove-Module FakeWindowsHost -ErrorAction SilentlyContinue
	Import-Module $probesModule -Force
}

AfterAll {
	Remove-Module PadProbes -ErrorAction SilentlyContinue
}

Describe 'Functional level names in the domain evidence' {
	It 'names msDS-Behavior-Version <Level> "<Name>"' -TestCases @(
		@{ Level = 5; Name = 'Windows Server 2012' }
		@{ Level = 6; Name = 'Windows Server 2012 R2' }
		@{ Level = 7; Name = 'Windows Server 2016' }
		@{ Level = 10; Name = 'Windows Server 2025' }
	) {
		# Exactly one name: a switch without break would give two for a level listed twice.
		$names = @(Get-PadFunctionalLevelName $Level)
		$names | Should -Be @($Name)
	}

	It 'passes a domain at level 6 in a forest at level 7 and names both levels in the evidence' {
		# Level 6 is the lowest the check accepts; the evidence is what the admin reads next to the verdict.
		Mock -ModuleName PadProbes Get-PadJoinedDomain { [pscustomobject]@{ Name = 'child.contoso.com'; ForestName = 'contoso.com'; DomainModeLevel = 6; ForestModeLevel = 7 } }
		$r = Test-PadFunctionalLevel -Context @{}
		$r.status | Should -Be 'pass'
		$r.evidence['domainLevel'] | Should -BeExactly 'Windows Server 2012 R2'
		$r.evidence['forestLevel'] | Should -BeExactly 'Windows Server 2016'
		$r.evidence['domainLevelNumber'] | Should -Be 6
		$r.evidence['forestLevelNumber'] | Should -Be 7
	}
}

Describe 'Test-PadOsVersion reads the KB5065426 workaround override' {
	BeforeAll {
		$script:overrideValue = $null
		Mock -ModuleName PadProbes Get-PadServerSingleInstance {
			[pscustomobject]@{ Caption = 'Microsoft Windows Server 2025 Datacenter'; Version = '10.0.26100'; BuildNumber = '26100'; ProductType = 3 }
		} -ParameterFilter { $ClassName -eq 'Win32_OperatingSystem' }
		Mock -ModuleName PadProbes Read-PadServerRegistryKey { [pscustomobject]@{ CurrentBuild = '26100'; UBR = 6901 } } -ParameterFilter { $Path -like '*\Windows NT\CurrentVersion' }
		Mock -ModuleName PadProbes Read-PadServerRegistryKey { [pscustomobject]@{ '2362988687' = $script:overrideValue } } -ParameterFilter { $Path -like '*\FeatureManagement\Overrides' }
	}

	It 'reports an override written as text ("0", as New-ItemProperty writes without -PropertyType) as the number 0' {
		# The catalogue's note on this override shows when the evidence equals the number 0 (a strict comparison in the
		# extension), so a REG_SZ "0" must come out as 0, the same as the REG_DWORD 0 the workaround asked for.
		$script:overrideValue = '0'
		$r = Test-PadOsVersion -Context @{}
		$r.status | Should -Be 'pass'
		$r.evidence['kb5065426Workaround'] | Should -BeOfType [long]
		$r.evidence['kb5065426Workaround'] | Should -Be 0
		ConvertTo-Json -InputObject $r.evidence['kb5065426Workaround'] | Should -BeExactly '0'
	}

	It 'keeps an override that is not a number as its text, and a DWORD as its number' {
		$script:overrideValue = 'off'
		(Test-PadOsVersion -Context @{}).evidence['kb5065426Workaround'] | Should -BeExactly 'off'
		$script:overrideValue = [int]1
		$r = Test-PadOsVersion -Context @{}
		$r.evidence['kb5065426Workaround'] | Should -Be 1
		ConvertTo-Json -InputObject $r.evidence['kb5065426Workaround'] | Should -BeExactly '1'
	}
}

Describe 'The endpoint checks without a timeout or without targets' {
	BeforeAll {
		Mock -ModuleName PadProbes Get-PadProxySetting {
			[pscustomobject]@{ AgentConfig = 'present'; AgentConfigError = $null; AgentDefaultProxy = $false; AgentProxy = $null; AgentUseSystemDefault = $null; WinHttp = 'direct'; WinHttpProxy = $null; ProxyConfigured = $false }
		}
		Mock -ModuleName PadProbes Invoke-PadTcpProbe {
			foreach ($t in $Targets) { [pscustomobject]@{ Host = $t.Host; Port = $t.Port; Status = 'open'; Detail = $null; ElapsedMs = 1 } }
		}
	}

	It 'waits the default 10 seconds per connect when the context sets no network timeout' {
		# Without the default the connects would get 0 ms and every endpoint would look unreachable.
		$r = Test-PadCertificateEndpoints -Context @{ Cloud = 'public' }
		$r.status | Should -Be 'pass'
		Should -Invoke -ModuleName PadProbes Invoke-PadTcpProbe -Times 1 -Exactly -ParameterFilter { $TimeoutMs -eq 10000 }
	}

	It 'could not check, and never passes, when the catalogue gives it no endpoint to probe' {
		# Invoke-PadTcpProbe refuses an empty target list, so a cloud without targets of the check's purposes is an
		# error (unknown), not an all-reachable pass.
		Mock -ModuleName PadProbes Get-PadEndpointList { [pscustomobject]@{ Targets = @(); Wildcards = @(); NotProbed = @() } }
		$r = Invoke-PadProbe -Probe 'Test-PadEndpoints' -Context @{ Cloud = 'public'; NetworkTimeoutSeconds = 3 }
		$r.status | Should -Be 'unknown'
		$r.failureIds | Should -BeNullOrEmpty
	}
}

Describe 'Invoke-PadProbe and the catalogue text of the run' {
	BeforeAll {
		Import-Module $probesModule -Force
		# 6 GiB reported: enough for the catalogue on disk (3.5 GiB), not for the 8 GiB of the changed copy below.
		Mock -ModuleName PadProbes Get-PadServerSingleInstance { [pscustomobject]@{ TotalPhysicalMemory = 6442450944 } } -ParameterFilter { $ClassName -eq 'Win32_ComputerSystem' }
	}
	AfterAll {
		# The changed catalogue stays cached in the module: load it afresh for whatever runs next.
		Import-Module $probesModule -Force
	}

	It 'runs the check on the catalogue text in the context (the one the entry script read), not on a copy of its own' {
		# The module's own catalogue (read from disk) is loaded first, so a probe that ignored the context's text would
		# still see the 3.5 GiB threshold and pass.
		(Test-PadMemory -Context @{}).evidence['minimumBytes'] | Should -Be 3758096384
		$text = Read-PadCatalogueText
		$changed = @(foreach ($json in $text['Categories']) { $json -replace '"minimumBytes":\s*3758096384', '"minimumBytes": 8589934592' })
		($changed -join '') | Should -Match '"minimumBytes": 8589934592' -Because 'the copy must really carry the changed threshold'
		$text['Categories'] = [string[]]$changed
		$r = Invoke-PadProbe -Probe 'Test-PadMemory' -Context @{ CatalogueText = $text } -CheckId 'server.memory'
		$r.status | Should -Be 'fail'
		@($r.failureIds) | Should -Be @('memory-below-minimum')
		$r.evidence['minimumBytes'] | Should -Be 8589934592
	}

	It 'still returns the check''s own result when the context carries no catalogue text (null)' {
		Import-Module $probesModule -Force
		Mock -ModuleName PadProbes Get-PadServerSingleInstance { [pscustomobject]@{ TotalPhysicalMemory = 6442450944 } } -ParameterFilter { $ClassName -eq 'Win32_ComputerSystem' }
		$r = Invoke-PadProbe -Probe 'Test-PadMemory' -Context @{ CatalogueText = $null }
		$r.status | Should -Be 'pass'
		$r.evidence['minimumBytes'] | Should -Be 3758096384
	}
}
