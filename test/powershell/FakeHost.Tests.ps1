# The fake Windows host itself (test/fakeHost): how scenario files merge, how the doubles answer for a slow network,
# a filtered (not elevated) token and a call that blocks. The scenario runs rely on these behaviours, so they are
# proved here on their own, with scenarios written for each test.

BeforeAll {
	$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
	$modulePath = Join-Path $repo 'test/fakeHost/FakeWindowsHost.psm1'
	$scenarioDir = Join-Path $repo 'test/fakeHost/scenarios'
	. (Join-Path $repo 'test/fakeHost/ScenarioFile.ps1')

	function Write-Scenario {
		# Writes a scenario as JSON below TestDrive and returns its path.
		param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [System.Collections.IDictionary] $Data)
		$path = Join-Path $TestDrive ($Name + '.json')
		Set-Content -LiteralPath $path -Value ($Data | ConvertTo-Json -Depth 20) -Encoding utf8NoBOM
		$path
	}

	function Use-FakeHost {
		# Imports the fake host with this scenario (as the product's runspaces would see it).
		param([Parameter(Mandatory)] [System.Collections.IDictionary] $Data, [string] $Name = ('host-' + [guid]::NewGuid().ToString('n')))
		$env:PAD_FAKE_HOST_SCENARIO = Write-Scenario -Name $Name -Data $Data
		Import-Module $modulePath -Force
	}

	function Get-ElapsedMs([scriptblock] $Script) {
		$watch = [System.Diagnostics.Stopwatch]::StartNew()
		$null = & $Script
		$watch.ElapsedMilliseconds
	}

	$domainSid = 'S-1-5-21-1004336348-1177238915-682003330'
	$adminToken = @('S-1-5-32-544', 'S-1-5-32-545', "$domainSid-512", "$domainSid-513", "$domainSid-519", "$domainSid-5120", 'S-1-5-21-1-2-3-512')
}

AfterAll {
	Remove-Module FakeWindowsHost -ErrorAction SilentlyContinue
}

Describe 'Scenario files: "$delete"' {
	BeforeAll {
		$base = Write-Scenario -Name 'base' -Data ([ordered]@{
				host   = [ordered]@{
					registry = [ordered]@{ 'HKLM:\A' = [ordered]@{ X = 1; Y = 2 }; 'HKLM:\B' = [ordered]@{ Z = 3 } }
					files    = [ordered]@{ '%ProgramData%\keep.log' = 'kept'; '%ProgramData%\gone.log' = 'removed' }
					tcp      = [ordered]@{ 'a:443' = 'refused' }
				}
				expect = [ordered]@{ 'x.one' = @{ status = 'pass' }; 'x.two' = @{ status = 'pass' } }
			})
	}

	It 'removes one inherited value and keeps its siblings' {
		$child = Write-Scenario -Name 'child-value' -Data ([ordered]@{ extends = $base.Replace('.json', ''); host = @{ registry = @{ 'HKLM:\A' = @{ X = '$delete' } } } })
		$data = Read-FakeHostScenario -Path $child
		@($data['host']['registry']['HKLM:\A'].Keys) | Should -Be @('Y')
		$data['host']['registry']['HKLM:\B']['Z'] | Should -Be 3
	}

	It 'removes a whole inherited branch' {
		$child = Write-Scenario -Name 'child-branch' -Data ([ordered]@{ extends = $base.Replace('.json', ''); host = @{ tcp = '$delete' } })
		$data = Read-FakeHostScenario -Path $child
		$data['host'].Contains('tcp') | Should -BeFalse
		$data['host'].Contains('registry') | Should -BeTrue
	}

	It 'removes an inherited expectation' {
		$child = Write-Scenario -Name 'child-expect' -Data ([ordered]@{ extends = $base.Replace('.json', ''); expect = @{ 'x.two' = '$delete' } })
		@((Read-FakeHostScenario -Path $child)['expect'].Keys) | Should -Be @('x.one')
	}

	It 'leaves no marker behind for a key the base does not have, nor in a scenario without a base' {
		$child = Write-Scenario -Name 'child-absent' -Data ([ordered]@{ extends = $base.Replace('.json', ''); host = @{ services = @{ Nope = '$delete' } } })
		$data = Read-FakeHostScenario -Path $child
		@($data['host']['services'].Keys) | Should -BeNullOrEmpty
		$alone = Write-Scenario -Name 'alone' -Data ([ordered]@{ host = @{ platform = 'Windows'; tcp = '$delete'; deep = @{ k = '$delete'; v = 1 } } })
		$data = Read-FakeHostScenario -Path $alone
		$data['host'].Contains('tcp') | Should -BeFalse
		@($data['host']['deep'].Keys) | Should -Be @('v')
	}

	It 'is exact: another string, or the marker inside an array, is an ordinary value' {
		$child = Write-Scenario -Name 'child-literal' -Data ([ordered]@{ extends = $base.Replace('.json', ''); host = @{ tcp = @{ 'a:443' = '$DELETE' }; list = @('$delete', 'x') } })
		$data = Read-FakeHostScenario -Path $child
		$data['host']['tcp']['a:443'] | Should -BeExactly '$DELETE'
		@($data['host']['list']) | Should -Be @('$delete', 'x')
	}

	It 'removes an inherited file: the fake host does not write it' {
		$child = Write-Scenario -Name 'child-file' -Data ([ordered]@{ extends = $base.Replace('.json', ''); host = @{ files = @{ '%ProgramData%\gone.log' = '$delete' } } })
		$env:PAD_FAKE_HOST_SCENARIO = $child
		Import-Module $modulePath -Force
		Get-Content -LiteralPath (Join-Path $env:ProgramData 'keep.log') -Raw | Should -Be 'kept'
		Test-Path -LiteralPath (Join-Path $env:ProgramData 'gone.log') | Should -BeFalse
	}

	It 'is used by the shipped scenarios the same way (healthy still reads)' {
		$data = Read-FakeHostScenario -Path (Join-Path $scenarioDir 'healthy.json')
		$data['host']['identity']['isElevated'] | Should -BeTrue
	}
}

Describe 'TCP double: delays and endpoints that never answer' {
	BeforeAll {
		Use-FakeHost @{
			host = @{
				tcp = [ordered]@{
					'open:443'    = 'open'
					'refused:443' = 'refused'
					'fast:443'    = @{ delayMs = 200 }
					'slowno:443'  = @{ delayMs = 300; status = 'refused' }
					'edge:443'    = @{ delayMs = 1000 }
					'never:443'   = 'never'
				}
			}
		}
		function Get-Probe([string[]] $Names, [int] $TimeoutMs) {
			$targets = @($Names | ForEach-Object { [pscustomobject]@{ Host = $_; Port = 443 } })
			$watch = [System.Diagnostics.Stopwatch]::StartNew()
			$rows = @(Invoke-PadTcpProbe -Targets $targets -TimeoutMs $TimeoutMs)
			$elapsed = $watch.ElapsedMilliseconds
			$status = @{}
			foreach ($row in $rows) { $status[$row.Host] = $row.Status }
			[pscustomobject]@{ ElapsedMs = $elapsed; Status = $status; Rows = $rows }
		}
	}

	It 'answers open and refused at once, and unnamed targets as open' {
		$r = Get-Probe -Names 'open', 'refused', 'unnamed' -TimeoutMs 5000
		$r.Status['open'] | Should -Be 'open'
		$r.Status['refused'] | Should -Be 'refused'
		$r.Status['unnamed'] | Should -Be 'open'
		$r.ElapsedMs | Should -BeLessThan 1000
	}

	It 'answers a delayed endpoint after its delay when that is within the timeout' {
		$r = Get-Probe -Names 'fast', 'slowno' -TimeoutMs 1000
		$r.Status['fast'] | Should -Be 'open'
		$r.Status['slowno'] | Should -Be 'refused'
		# The slowest answer (300 ms) ends the wait, not the timeout.
		$r.ElapsedMs | Should -BeGreaterOrEqual 290
		$r.ElapsedMs | Should -BeLessThan 900
	}

	It 'reports a delay equal to the timeout as a timeout, one step below as an answer' {
		(Get-Probe -Names 'edge' -TimeoutMs 1000).Status['edge'] | Should -Be 'timeout'
		(Get-Probe -Names 'edge' -TimeoutMs 1001).Status['edge'] | Should -Be 'open'
	}

	It 'waits for all targets together: twelve that never answer take one timeout, not twelve' {
		$names = @(1..11 | ForEach-Object { 'never' }) + 'fast'
		$r = Get-Probe -Names $names -TimeoutMs 1500
		@($r.Rows | Where-Object { $_.Status -eq 'timeout' }).Count | Should -Be 11
		$r.Status['fast'] | Should -Be 'open'
		$r.ElapsedMs | Should -BeGreaterOrEqual 1450
		$r.ElapsedMs | Should -BeLessThan 2500
		@($r.Rows | Where-Object { $_.Status -eq 'timeout' })[0].Detail | Should -Be 'No answer within 1500 ms'
	}

	It 'uses "tcpDefault" for targets the scenario does not name' {
		Use-FakeHost @{ host = @{ tcpDefault = 'never'; tcp = @{ 'open:443' = 'open' } } }
		$r = Get-Probe -Names 'open', 'other' -TimeoutMs 300
		$r.Status['open'] | Should -Be 'open'
		$r.Status['other'] | Should -Be 'timeout'
	}
}

Describe 'Doubles with a filtered token (identity.isElevated false)' {
	BeforeAll {
		$kdsKey = @{ keyId = '7d3e4a9c-2f6b-4c1e-9a58-0b6f3c2d1e4f'; effectiveTime = @{ hoursAgo = 1000 } }
		$systemEvent = @{ logName = 'System'; providerName = 'Service Control Manager'; id = 7000; hoursAgo = 1; properties = @('x'); message = 'm' }
		function New-HostData([bool] $Elevated, [hashtable] $Extra = @{}) {
			$h = [ordered]@{
				identity    = @{ name = 'CONTOSO\admin'; userSid = "$domainSid-1104"; isElevated = $Elevated; groupSids = $adminToken }
				modules     = @{ Kds = $true }
				kdsRootKeys = @($kdsKey)
				userRights  = @{ SeServiceLogonRight = '*S-1-5-80-0' }
				events      = @($systemEvent)
				cim         = @{ 'root/rsop/computer:RSOP_GPO' = @(@{ id = 'g'; name = 'Default Domain Policy' }); Win32_OperatingSystem = @(@{ Caption = 'Windows Server' }) }
			}
			foreach ($k in $Extra.Keys) { $h[$k] = $Extra[$k] }
			@{ host = $h }
		}
		function Invoke-Secedit {
			$cfg = Join-Path $TestDrive ('rights-' + [guid]::NewGuid().ToString('n') + '.inf')
			$output = @(secedit /export /areas USER_RIGHTS /cfg $cfg)
			[pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join ' ').Trim(); Exported = (Test-Path -LiteralPath $cfg) }
		}
		$netlogon = @{ LogName = 'Microsoft-Windows-Security-Netlogon/Operational'; Id = 9001, 9002 }
	}

	Context 'not elevated, every behaviour on' {
		BeforeAll { Use-FakeHost (New-HostData -Elevated $false) }

		It 'leaves Domain Admins, Enterprise Admins and Administrators out of GroupSids, and nothing else' {
			$groups = @((Get-PadCurrentIdentity).GroupSids)
			$groups | Should -Be @('S-1-5-32-545', "$domainSid-513", "$domainSid-5120")
			(Get-PadCurrentIdentity).IsElevated | Should -BeFalse
		}

		It 'makes secedit /export fail with access denied and a non-zero exit code, writing no file' {
			$r = Invoke-Secedit
			$r.ExitCode | Should -Be 5
			$r.Output | Should -Be 'Access is denied.'
			$r.Exported | Should -BeFalse
		}

		It 'refuses the RSoP namespace with access denied, and still answers root/cimv2' {
			{ Get-CimInstance -Namespace 'root\rsop\computer' -ClassName RSOP_GPO -ErrorAction Stop } | Should -Throw -ExpectedMessage 'Access denied*'
			$e = $null
			try { Get-CimInstance -Namespace 'root\rsop\computer' -ClassName RSOP_GPO -ErrorAction Stop } catch { $e = $_ }
			$e.FullyQualifiedErrorId | Should -BeLike 'HRESULT 0x80041003*'
			(Get-CimInstance -ClassName Win32_OperatingSystem).Caption | Should -Be 'Windows Server'
		}

		It 'returns no KDS root key' {
			@(Get-KdsRootKey) | Should -BeNullOrEmpty
		}

		It 'refuses the Netlogon operational log as unauthorized, and still reads the System log' {
			$e = $null
			try { Get-WinEvent -FilterHashtable $netlogon -ErrorAction Stop } catch { $e = $_ }
			$e | Should -Not -BeNullOrEmpty
			$e.Exception | Should -BeOfType System.UnauthorizedAccessException
			$e.FullyQualifiedErrorId | Should -BeLike 'System.UnauthorizedAccessException*'
			@(Get-WinEvent -FilterHashtable @{ LogName = 'System'; Id = 7000 } -ErrorAction Stop).Count | Should -Be 1
		}
	}

	Context 'elevated: the same host answers in full' {
		BeforeAll { Use-FakeHost (New-HostData -Elevated $true) }

		It 'keeps every group SID' {
			@((Get-PadCurrentIdentity).GroupSids) | Should -Be $adminToken
		}

		It 'exports the user rights, reads RSoP, the KDS key and the Netlogon log' {
			$r = Invoke-Secedit
			$r.ExitCode | Should -Be 0
			$r.Exported | Should -BeTrue
			@(Get-CimInstance -Namespace 'root\rsop\computer' -ClassName RSOP_GPO -ErrorAction Stop).Count | Should -Be 1
			@(Get-KdsRootKey).Count | Should -Be 1
			$e = $null
			try { Get-WinEvent -FilterHashtable $netlogon -ErrorAction Stop } catch { $e = $_ }
			$e.FullyQualifiedErrorId | Should -BeLike 'NoMatchingEventsFound*'
		}
	}

	Context 'not elevated, each behaviour switched off by the scenario' {
		BeforeAll {
			$off = @{ groupSids = $false; secedit = $false; rsop = $false; kdsRootKey = $false; netlogonLog = $false }
			Use-FakeHost (New-HostData -Elevated $false -Extra @{ unelevated = $off })
		}

		It 'answers as for an elevated token' {
			@((Get-PadCurrentIdentity).GroupSids) | Should -Be $adminToken
			(Invoke-Secedit).ExitCode | Should -Be 0
			@(Get-CimInstance -Namespace 'root\rsop\computer' -ClassName RSOP_GPO -ErrorAction Stop).Count | Should -Be 1
			@(Get-KdsRootKey).Count | Should -Be 1
			$e = $null
			try { Get-WinEvent -FilterHashtable $netlogon -ErrorAction Stop } catch { $e = $_ }
			$e.FullyQualifiedErrorId | Should -BeLike 'NoMatchingEventsFound*'
		}
	}

	Context 'not elevated, with one behaviour off and a scenario answer for secedit' {
		BeforeAll { Use-FakeHost (New-HostData -Elevated $false -Extra @{ unelevated = @{ kdsRootKey = $false }; secedit = @{ exitCode = 1; output = 'scenario answer' } }) }

		It 'keeps the other behaviours, and the scenario''s own secedit answer wins' {
			@(Get-KdsRootKey).Count | Should -Be 1
			@((Get-PadCurrentIdentity).GroupSids) | Should -Not -Contain 'S-1-5-32-544'
			$r = Invoke-Secedit
			$r.ExitCode | Should -Be 1
			$r.Output | Should -Be 'scenario answer'
		}
	}
}

Describe 'hang and block' {
	BeforeAll {
		Use-FakeHost @{ host = @{ hang = @{ 'sc.exe' = 0.4; 'Get-Service' = 30 }; block = @{ 'Get-CimInstance:Win32_OperatingSystem' = 0.4; 'Get-PadCurrentIdentity' = 2 }; identity = @{ name = 'x'; isElevated = $true } } }

		function Measure-Stop {
			# Starts $Command in a runspace of its own with the fake host, asks it to stop after 300 ms and returns how
			# long Stop() took to come back: as long as the call goes on when PowerShell cannot interrupt it.
			param([string] $Command)
			$iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
			$iss.ImportPSModule([string[]]@($modulePath))
			$runspace = [System.Management.Automation.Runspaces.RunspaceFactory]::CreateRunspace($iss)
			$runspace.Open()
			$ps = [System.Management.Automation.PowerShell]::Create()
			$ps.Runspace = $runspace
			try {
				[void]$ps.AddScript($Command)
				$handle = $ps.BeginInvoke()
				Start-Sleep -Milliseconds 300
				$handle.IsCompleted | Should -BeFalse -Because 'the command must still be waiting when it is stopped'
				$watch = [System.Diagnostics.Stopwatch]::StartNew()
				$ps.Stop()
				$watch.ElapsedMilliseconds
			}
			finally {
				$ps.Dispose()
				$runspace.Dispose()
			}
		}
	}

	It 'waits as long as the scenario says, for a command name that holds a dot too' {
		Get-ElapsedMs { Invoke-FakeHostHang -Command 'sc.exe' } | Should -BeGreaterOrEqual 390
		Get-ElapsedMs { Get-CimInstance -ClassName Win32_OperatingSystem } | Should -BeGreaterOrEqual 390
		Get-ElapsedMs { Invoke-FakeHostHang -Command 'Get-ItemProperty' } | Should -BeLessThan 200
	}

	It 'lets a pipeline stop end a hang at once' {
		Measure-Stop -Command 'Get-Service -Name VaultSvc' | Should -BeLessThan 1000
	}

	It 'blocks in a way a pipeline stop cannot end: Stop() returns only when the call does' {
		Measure-Stop -Command 'Get-PadCurrentIdentity' | Should -BeGreaterOrEqual 1400
	}
}
