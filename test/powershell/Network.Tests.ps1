# The network probes. First the REAL Invoke-PadTcpProbe (lib/WindowsApi.ps1) against loopback sockets made here:
# ports that accept, closed ports (refused) and ports that never answer; it must report each one right and finish
# within its one overall timeout however many targets hang. Then Test-PadEndpoints and Test-PadProxy on the fake
# Windows host. Loopback only; every socket is closed in AfterAll.
#
# A port that never answers, without root or firewall rules: a listener with backlog 1 whose accept queue is filled
# with connections that are never accepted. Linux then drops further SYNs (net.ipv4.tcp_abort_on_overflow = 0, the
# default), so a connect stays pending until the client gives up. BeforeAll verifies this really hangs.

BeforeAll {
	$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
	. (Join-Path $repo 'src/powershell/lib/WindowsApi.ps1')
	# The real function, even if a fake host alias of the same name is loaded in this session.
	$script:RealTcpProbe = Get-Command -Name Invoke-PadTcpProbe -CommandType Function

	function New-LoopbackListener {
		param([int] $Backlog = 16)
		$listener = New-Object System.Net.Sockets.TcpListener([System.Net.IPAddress]::Loopback, 0)
		$listener.Start($Backlog)
		$listener
	}

	function Wait-Connect {
		# Starts connects to every port at once and waits at most TimeoutMs for all; returns the clients and tasks.
		param([int[]] $Ports, [int] $TimeoutMs)
		$items = foreach ($p in $Ports) {
			$c = New-Object System.Net.Sockets.TcpClient
			[pscustomobject]@{ Port = $p; Client = $c; Task = $c.ConnectAsync('127.0.0.1', $p) }
		}
		try { [void][System.Threading.Tasks.Task]::WaitAll([System.Threading.Tasks.Task[]]@($items.Task), $TimeoutMs) } catch { }
		@($items)
	}
}

Describe 'Invoke-PadTcpProbe (real sockets on loopback)' {
	BeforeAll {
		$script:T = 2000
		$script:K = 5
		$script:sockets = New-Object System.Collections.Generic.List[object]

		# Ports that accept: the kernel completes the handshake for a listening socket.
		$script:openPorts = @(foreach ($i in 1..3) {
				$l = New-LoopbackListener
				$sockets.Add($l)
				$l.LocalEndpoint.Port
			})

		# Closed ports: bound for a moment to get a free number, then released, so a connect is refused.
		$script:closedPorts = @(foreach ($i in 1..2) {
				$l = New-LoopbackListener
				$port = $l.LocalEndpoint.Port
				$l.Stop()
				$port
			})

		# K ports that never answer: backlog 1, accept queue filled with connections nobody accepts.
		$script:silentPorts = @(foreach ($i in 1..$K) {
				$l = New-LoopbackListener -Backlog 1
				$sockets.Add($l)
				$port = $l.LocalEndpoint.Port
				$full = $false
				for ($n = 0; $n -lt 16 -and -not $full; $n++) {
					$filler = Wait-Connect -Ports $port -TimeoutMs 500
					$sockets.Add($filler[0].Client)
					if (-not $filler[0].Task.IsCompleted) { $full = $true }
				}
				if (-not $full) { throw "Could not fill the accept queue of loopback port ${port}: this kernel does not drop SYNs on a full queue." }
				$port
			})

		# Verify: a fresh connect to each silent port must still be pending after 1.5 s.
		$script:verify = Wait-Connect -Ports $silentPorts -TimeoutMs 1500
		foreach ($v in $verify) { $sockets.Add($v.Client) }
	}

	AfterAll {
		foreach ($s in $sockets) {
			try {
				if ($s -is [System.Net.Sockets.TcpListener]) { $s.Stop() } else { $s.Close() }
			}
			catch { }
		}
	}

	It 'has ports that really never answer (K = <K>)' -TestCases @(@{ K = 5 }) {
		$silentPorts.Count | Should -Be $K
		foreach ($v in $verify) { $v.Task.IsCompleted | Should -BeFalse -Because "a connect to silent port $($v.Port) must hang" }
	}

	It 'reports open, refused and timeout per target and finishes within T + 1 s' {
		$targets = @(
			foreach ($p in $openPorts) { [pscustomobject]@{ Host = '127.0.0.1'; Port = $p } }
			foreach ($p in $closedPorts) { [pscustomobject]@{ Host = '127.0.0.1'; Port = $p } }
			foreach ($p in $silentPorts) { [pscustomobject]@{ Host = '127.0.0.1'; Port = $p } }
		)
		$watch = [System.Diagnostics.Stopwatch]::StartNew()
		$results = @(& $RealTcpProbe -Targets $targets -TimeoutMs $T)
		$watch.Stop()
		$wall = $watch.ElapsedMilliseconds
		Write-Host ('    measured: {0} targets ({1} open, {2} refused, K = {3} never answering), T = {4} ms, K x T = {5} ms, wall time = {6} ms' -f $targets.Count, $openPorts.Count, $closedPorts.Count, $K, $T, ($K * $T), $wall)

		$results.Count | Should -Be $targets.Count
		$byPort = @{}
		foreach ($r in $results) { $byPort[[int]$r.Port] = $r }
		foreach ($p in $openPorts) { $byPort[$p].Status | Should -Be 'open' -Because "port $p accepts" }
		foreach ($p in $closedPorts) { $byPort[$p].Status | Should -Be 'refused' -Because "port $p is closed" }
		foreach ($p in $silentPorts) {
			$byPort[$p].Status | Should -Be 'timeout' -Because "port $p never answers"
			$byPort[$p].Detail | Should -Be "No answer within $T ms"
		}
		foreach ($r in $results) { $r.Host | Should -Be '127.0.0.1' }

		# One overall timeout: about T, never K x T.
		$wall | Should -BeGreaterOrEqual ($T - 100) -Because 'the silent targets make the probe wait for its timeout'
		$wall | Should -BeLessThan ($T + 1000) -Because "all targets are connected at once (sequential would take K x T = $($K * $T) ms)"
	}

	It 'returns at once when every target answers' {
		$targets = @(foreach ($p in @($openPorts) + @($closedPorts)) { [pscustomobject]@{ Host = '127.0.0.1'; Port = $p } })
		$watch = [System.Diagnostics.Stopwatch]::StartNew()
		$results = @(& $RealTcpProbe -Targets $targets -TimeoutMs $T)
		$watch.ElapsedMilliseconds | Should -BeLessThan 1000
		@($results | Where-Object { $_.Status -eq 'open' }).Count | Should -Be $openPorts.Count
		@($results | Where-Object { $_.Status -eq 'refused' }).Count | Should -Be $closedPorts.Count
	}
}

Describe 'Test-PadEndpoints and Test-PadProxy on the fake host' {
	BeforeAll {
		. (Join-Path $repo 'test/fakeHost/ScenarioFile.ps1')
		$script:fakeHostModule = Join-Path $repo 'test/fakeHost/FakeWindowsHost.psm1'
		$script:probesModule = Join-Path $repo 'src/powershell/PadProbes.psm1'
		$script:endpoints = (Get-Content -LiteralPath (Join-Path $repo 'src/catalogue/endpoints.json') -Raw | ConvertFrom-Json).clouds
		$script:configKey = '%ProgramFiles%\Microsoft Azure AD Connect Provisioning Agent\AADConnectProvisioningAgent.exe.config'
		$script:proxyText = "`r`nCurrent WinHTTP proxy settings:`r`n`r`n    Proxy Server(s) :  proxy.contoso.com:8080`r`n    Bypass List     :  (none)`r`n`r`n"

		function Use-FakeHost {
			# Writes the healthy scenario, changed by $Change, as a scenario of its own and loads the fake host and probes.
			param([scriptblock] $Change = {}, [string] $Name = 'network')
			$data = Read-FakeHostScenario -Path (Join-Path $repo 'test/fakeHost/scenarios/healthy.json')
			& $Change $data['host']
			$path = Join-Path $TestDrive ($Name + '.json')
			Set-Content -LiteralPath $path -Value ($data | ConvertTo-Json -Depth 20) -Encoding utf8
			Remove-Module PadProbes, FakeWindowsHost -ErrorAction SilentlyContinue
			$env:PAD_FAKE_HOST_SCENARIO = $path
			Import-Module $fakeHostModule -Force
			Import-Module $probesModule -Force
		}

		function Invoke-Probe {
			param([string] $Probe, [string] $Cloud = 'public', [int] $NetworkTimeoutSeconds = 3)
			Invoke-PadProbe -Probe $Probe -Context @{ Cloud = $Cloud; EventDays = 7; NetworkTimeoutSeconds = $NetworkTimeoutSeconds; Now = [datetime]::UtcNow }
		}
	}

	AfterAll {
		Remove-Module PadProbes, FakeWindowsHost -ErrorAction SilentlyContinue
		Remove-Item env:PAD_FAKE_HOST_SCENARIO -ErrorAction SilentlyContinue
	}

	It 'probes every concrete endpoint of the <Cloud> cloud in one call, with the network timeout' -TestCases @(@{ Cloud = 'public' }, @{ Cloud = 'usgov' }) {
		Use-FakeHost
		$expected = @($endpoints.$Cloud.targets | ForEach-Object { '{0}:{1}' -f $_.host, $_.port })
		Mock -ModuleName PadProbes Invoke-PadTcpProbe {
			foreach ($t in $Targets) { [pscustomobject]@{ Host = $t.Host; Port = $t.Port; Status = 'open'; Detail = $null; ElapsedMs = 1 } }
		}
		$result = Invoke-Probe -Probe Test-PadEndpoints -Cloud $Cloud -NetworkTimeoutSeconds 7
		Should -Invoke -ModuleName PadProbes Invoke-PadTcpProbe -Times 1 -Exactly -ParameterFilter {
			$TimeoutMs -eq 7000 -and @($Targets).Count -eq $expected.Count
		}
		$result.status | Should -Be 'pass'
		$result.evidence['cloud'] | Should -Be $Cloud
		$result.evidence['total'] | Should -Be $expected.Count
		$result.evidence['reachable'] | Should -Be $expected.Count
		@($result.evidence['endpoints'] | ForEach-Object { '{0}:{1}' -f $_['host'], $_['port'] }) | Should -Be $expected
		@($result.evidence['wildcards']) | Should -Be @($endpoints.$Cloud.wildcards)
		foreach ($w in $result.evidence['wildcards']) { $w | Should -BeLike '`**' }
	}

	It 'lists only concrete host names as targets (no wildcards) in endpoints.json' {
		foreach ($cloud in 'public', 'usgov') {
			foreach ($t in $endpoints.$cloud.targets) {
				$t.host | Should -Match '^[a-z0-9.-]+$'
				$t.port | Should -BeIn 80, 443
			}
		}
	}

	It 'maps timeout and refused targets to endpoint-unreachable with per-endpoint statuses' {
		Use-FakeHost -Change { param($h) $h['tcp'] = @{ 'login.windows.net:443' = 'timeout'; 'crl.microsoft.com:80' = 'refused' } }
		$result = Invoke-Probe -Probe Test-PadEndpoints
		$result.status | Should -Be 'fail'
		@($result.failureIds) | Should -Be @('endpoint-unreachable')
		$result.evidence['reachable'] | Should -Be ($result.evidence['total'] - 2)
		$byHost = @{}
		foreach ($e in $result.evidence['endpoints']) { $byHost[$e['host'] + ':' + $e['port']] = $e['status'] }
		$byHost['login.windows.net:443'] | Should -Be 'timeout'
		$byHost['crl.microsoft.com:80'] | Should -Be 'refused'
		$byHost['www.microsoft.com:80'] | Should -Be 'open'
		$result.evidence['proxyConfigured'] | Should -BeFalse
	}

	It 'downgrades unreachable endpoints to a warning when <Case>' -TestCases @(
		@{ Case = 'WinHTTP names a proxy'; Winhttp = $true; AgentProxy = $false }
		@{ Case = 'the agent config has a defaultProxy'; Winhttp = $false; AgentProxy = $true }
	) {
		$change = {
			param($h)
			$h['tcp'] = @{ 'login.windows.net:443' = 'timeout' }
			if ($Winhttp) { $h['winhttpProxy'] = $proxyText }
			if ($AgentProxy) {
				$h['files'][$configKey] = '<configuration><system.net><defaultProxy enabled="true"><proxy usesystemdefault="true" proxyaddress="http://proxy.contoso.com:8080" /></defaultProxy></system.net></configuration>'
			}
		}
		Use-FakeHost -Change $change -Name ('proxy-' + [int]$Winhttp)
		$result = Invoke-Probe -Probe Test-PadEndpoints
		$result.status | Should -Be 'warning'
		@($result.failureIds) | Should -Be @('endpoint-unreachable-proxy')
		$result.evidence['proxyConfigured'] | Should -BeTrue
	}

	It 'passes the proxy check with agentConfig "not installed" when the agent has no config file, even behind a WinHTTP proxy' {
		Use-FakeHost -Name 'not-installed' -Change {
			param($h)
			$h['files'].Remove($configKey)
			$h['winhttpProxy'] = $proxyText
		}
		$result = Invoke-Probe -Probe Test-PadProxy
		$result.status | Should -Be 'pass'
		$result.evidence['agentConfig'] | Should -Be 'not installed'
		$result.evidence['winhttp'] | Should -Be 'proxy'
		$result.evidence['winhttpProxy'] | Should -Be 'proxy.contoso.com:8080'
	}

	It 'ignores a defaultProxy with enabled="false" and reads the proxy address and usesystemdefault' {
		Use-FakeHost -Name 'disabled-proxy' -Change {
			param($h)
			$h['winhttpProxy'] = $proxyText
			$h['files'][$configKey] = '<configuration><system.net><defaultProxy enabled="false"><proxy proxyaddress="http://old:8080" /></defaultProxy></system.net></configuration>'
		}
		$result = Invoke-Probe -Probe Test-PadProxy
		$result.status | Should -Be 'warning'
		@($result.failureIds) | Should -Be @('agent-proxy-not-configured')
		$result.evidence['agentDefaultProxy'] | Should -BeFalse

		Use-FakeHost -Name 'enabled-proxy' -Change {
			param($h)
			$h['winhttpProxy'] = $proxyText
			$h['files'][$configKey] = '<configuration><system.net><defaultProxy enabled="true" useDefaultCredentials="true"><proxy usesystemdefault="false" proxyaddress="http://proxy.contoso.com:8080" bypassonlocal="true" /></defaultProxy></system.net></configuration>'
		}
		$result = Invoke-Probe -Probe Test-PadProxy
		$result.status | Should -Be 'pass'
		$result.evidence['agentProxy'] | Should -Be 'http://proxy.contoso.com:8080'
		$result.evidence['agentUseSystemDefault'] | Should -BeFalse
	}

	It 'reports an unrecognized (localized) netsh output as could-not-check, neither pass nor fail' {
		Use-FakeHost -Name 'localized' -Change { param($h) $h['winhttpProxy'] = "`r`nAktuelle WinHTTP-Proxyeinstellungen:`r`n`r`n    Direkter Zugriff (kein Proxyserver).`r`n" }
		$result = Invoke-Probe -Probe Test-PadProxy
		$result.status | Should -Be 'unknown'
		$result.failureIds | Should -BeNullOrEmpty
		$result.error | Should -BeLike '*not recognised*'
		$result.evidence['winhttp'] | Should -Be 'unrecognized'
	}
}
