# The network probes. First the REAL Invoke-PadTcpProbe (lib/WindowsApi.ps1) against loopback sockets made here:
# ports that accept, closed ports (refused) and ports that never answer; it must report each one right and finish
# within its one overall timeout however many targets hang. Then Test-PadEndpoints, Test-PadCertificateEndpoints
# and Test-PadProxy on the fake Windows host. Loopback only; every socket is closed in AfterAll.
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

Describe 'The endpoint, certificate endpoint and proxy probes on the fake host' {
	BeforeAll {
		. (Join-Path $repo 'test/fakeHost/ScenarioFile.ps1')
		$script:fakeHostModule = Join-Path $repo 'test/fakeHost/FakeWindowsHost.psm1'
		$script:probesModule = Join-Path $repo 'src/powershell/PadProbes.psm1'
		$script:endpoints = (Get-Content -LiteralPath (Join-Path $repo 'src/catalogue/endpoints.json') -Raw | ConvertFrom-Json).clouds
		$script:configKey = '%ProgramFiles%\Microsoft Azure AD Connect Provisioning Agent\AADConnectProvisioningAgent.exe.config'
		$script:exeKey = '%ProgramFiles%\Microsoft Azure AD Connect Provisioning Agent\AADConnectProvisioningAgent.exe'
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

		function Get-Expected {
			# host:port of the cloud's targets whose purpose is one of Purpose, in file order.
			param([string] $Cloud, [string[]] $Purpose)
			@($endpoints.$Cloud.targets | Where-Object { $Purpose -contains $_.purpose } | ForEach-Object { '{0}:{1}' -f $_.host, $_.port })
		}

		function Remove-AgentService {
			param($h)
			$h['cim']['Win32_Service'] = @($h['cim']['Win32_Service'] | Where-Object { $_['Name'] -ne 'AADConnectProvisioningAgent' })
		}
	}

	AfterAll {
		Remove-Module PadProbes, FakeWindowsHost -ErrorAction SilentlyContinue
		Remove-Item env:PAD_FAKE_HOST_SCENARIO -ErrorAction SilentlyContinue
	}

	It '<Probe> probes exactly the <Cloud> targets of its purposes in ONE call, with the network timeout' -TestCases @(
		@{ Probe = 'Test-PadEndpoints'; Cloud = 'public'; Purpose = @('service', 'registration') }
		@{ Probe = 'Test-PadEndpoints'; Cloud = 'usgov'; Purpose = @('service', 'registration') }
		@{ Probe = 'Test-PadCertificateEndpoints'; Cloud = 'public'; Purpose = @('certificates') }
		@{ Probe = 'Test-PadCertificateEndpoints'; Cloud = 'usgov'; Purpose = @('certificates') }
	) {
		Use-FakeHost
		$expected = Get-Expected -Cloud $Cloud -Purpose $Purpose
		$expected.Count | Should -BeGreaterThan 0
		Mock -ModuleName PadProbes Invoke-PadTcpProbe {
			foreach ($t in $Targets) { [pscustomobject]@{ Host = $t.Host; Port = $t.Port; Status = 'open'; Detail = $null; ElapsedMs = 1 } }
		}
		$result = Invoke-Probe -Probe $Probe -Cloud $Cloud -NetworkTimeoutSeconds 7
		Should -Invoke -ModuleName PadProbes Invoke-PadTcpProbe -Times 1 -Exactly -ParameterFilter {
			$TimeoutMs -eq 7000 -and @($Targets).Count -eq $expected.Count
		}
		$result.status | Should -Be 'pass'
		$result.evidence['cloud'] | Should -Be $Cloud
		$result.evidence['total'] | Should -Be $expected.Count
		$result.evidence['reachable'] | Should -Be $expected.Count
		@($result.evidence['endpoints'] | ForEach-Object { '{0}:{1}' -f $_['host'], $_['port'] }) | Should -Be $expected
		@($result.evidence['unreachable']).Count | Should -Be 0
		$result.evidence['unreachableHost'] | Should -BeNullOrEmpty
	}

	It 'splits the endpoint list: every target is probed by exactly one of the two checks, certificates only on port 80' {
		foreach ($cloud in 'public', 'usgov') {
			$service = Get-Expected -Cloud $cloud -Purpose 'service', 'registration'
			$certificates = Get-Expected -Cloud $cloud -Purpose 'certificates'
			($service.Count + $certificates.Count) | Should -Be @($endpoints.$cloud.targets).Count
			@($service | Where-Object { $certificates -contains $_ }) | Should -BeNullOrEmpty
			foreach ($c in $certificates) { $c | Should -Match ':80$' }
		}
	}

	It 'lists only concrete host names as targets (no wildcards) in endpoints.json' {
		foreach ($cloud in 'public', 'usgov') {
			foreach ($t in $endpoints.$cloud.targets) {
				$t.host | Should -Match '^[a-z0-9.-]+$'
				$t.port | Should -BeIn 80, 443
			}
		}
	}

	It 'reports the wildcard hosts, which it cannot probe, and the named hosts it does not probe, as evidence' {
		Use-FakeHost
		$result = Invoke-Probe -Probe Test-PadEndpoints
		@($result.evidence['wildcards']) | Should -Be @($endpoints.public.wildcards)
		foreach ($w in $result.evidence['wildcards']) { $w | Should -BeLike '`**' }
		@($result.evidence['notProbed']) | Should -Be @($endpoints.public.notProbed | ForEach-Object { $_.host })
	}

	It 'maps a timeout and a refusal to the failure of the check that probes them, naming the first for the fix' {
		Use-FakeHost -Change { param($h) $h['tcp'] = @{ 'login.windows.net:443' = 'timeout'; 'crl.microsoft.com:80' = 'refused' } }
		$service = Invoke-Probe -Probe Test-PadEndpoints
		$service.status | Should -Be 'fail'
		@($service.failureIds) | Should -Be @('endpoint-unreachable')
		$service.evidence['reachable'] | Should -Be ($service.evidence['total'] - 1)
		@($service.evidence['unreachable']) | Should -Be @('login.windows.net:443 (timeout)')
		$service.evidence['unreachableHost'] | Should -Be 'login.windows.net'
		$service.evidence['unreachablePort'] | Should -Be 443
		$service.evidence['proxyConfigured'] | Should -BeFalse

		$certificates = Invoke-Probe -Probe Test-PadCertificateEndpoints
		$certificates.status | Should -Be 'fail'
		@($certificates.failureIds) | Should -Be @('certificate-endpoint-unreachable')
		@($certificates.evidence['unreachable']) | Should -Be @('crl.microsoft.com:80 (refused)')
		$certificates.evidence['unreachableHost'] | Should -Be 'crl.microsoft.com'
		$certificates.evidence['unreachablePort'] | Should -Be 80
		$byHost = @{}
		foreach ($e in $certificates.evidence['endpoints']) { $byHost[$e['host'] + ':' + $e['port']] = $e['status'] }
		$byHost['www.microsoft.com:80'] | Should -Be 'open'
	}

	It 'downgrades unreachable endpoints to the proxy warnings when <Case>' -TestCases @(
		@{ Case = 'WinHTTP names a proxy'; Winhttp = $true; AgentProxy = $false }
		@{ Case = 'the agent config has a defaultProxy'; Winhttp = $false; AgentProxy = $true }
	) {
		$change = {
			param($h)
			$h['tcp'] = @{ 'login.windows.net:443' = 'timeout'; 'ocsp.digicert.com:80' = 'timeout' }
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
		$certificates = Invoke-Probe -Probe Test-PadCertificateEndpoints
		$certificates.status | Should -Be 'warning'
		@($certificates.failureIds) | Should -Be @('certificate-endpoint-unreachable-proxy')
	}

	It 'is not applicable to the proxy check when the agent service is not installed, even with a config file and a WinHTTP proxy' {
		Use-FakeHost -Name 'not-installed' -Change {
			param($h)
			Remove-AgentService $h
			$h['winhttpProxy'] = $proxyText
		}
		$result = Invoke-Probe -Probe Test-PadProxy
		$result.status | Should -Be 'notApplicable'
		$result.evidence['agentInstalled'] | Should -BeFalse
	}

	It 'cannot check the proxy when the service exists but its configuration file does not' {
		Use-FakeHost -Name 'no-config' -Change { param($h) $h['files'].Remove($configKey) }
		$result = Invoke-Probe -Probe Test-PadProxy
		$result.status | Should -Be 'unknown'
		$result.failureIds | Should -BeNullOrEmpty
		$result.error | Should -BeLike '*configuration file was not found*'
		$result.evidence['agentConfig'] | Should -Be 'not installed'
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
		$result.evidence['proxyConfigured'] | Should -BeTrue

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

	It 'flags an agent older than <Fixed> as resetting its configuration on update: <Version> -> <Resets>' -TestCases @(
		@{ Version = '1.1.1364.0'; Resets = $true; Fixed = '1.1.1365.0' }
		@{ Version = '1.1.1365.0'; Resets = $false; Fixed = '1.1.1365.0' }
		@{ Version = '1.1.972.0'; Resets = $true; Fixed = '1.1.1365.0' }
		@{ Version = '1.1.2505.0'; Resets = $false; Fixed = '1.1.1365.0' }
	) {
		Use-FakeHost -Name ('version-' + $Version) -Change { param($h) $h['fileVersions'] = @{ $exeKey = $Version } }
		$result = Invoke-Probe -Probe Test-PadProxy
		$result.status | Should -Be 'pass'
		$result.evidence['agentVersion'] | Should -Be $Version
		$result.evidence['configResetFixedIn'] | Should -Be $Fixed
		$result.evidence['configResetOnUpdate'] | Should -Be $Resets
	}

	It 'leaves the reset flag unset when the agent version cannot be read' {
		Use-FakeHost -Name 'no-version' -Change { param($h) $h['fileVersions'] = @{} }
		$result = Invoke-Probe -Probe Test-PadProxy
		$result.evidence['agentVersion'] | Should -BeNullOrEmpty
		$result.evidence['configResetOnUpdate'] | Should -BeNullOrEmpty
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

Describe 'Test-PadProxy when WinHTTP cannot be read' {
	BeforeAll {
		Remove-Module FakeWindowsHost -ErrorAction SilentlyContinue
		Import-Module (Join-Path $repo 'src/powershell/PadProbes.psm1') -Force
		Mock -ModuleName PadProbes Get-PadAgentService { [pscustomobject]@{ Name = 'AADConnectProvisioningAgent'; StartName = 'CONTOSO\provAgentgMSA$' } }
		Mock -ModuleName PadProbes Get-PadInstalledAgentVersion { $null }
	}
	It 'could not check when the agent sets no proxy and netsh winhttp show proxy fails' {
		Mock -ModuleName PadProbes Get-PadProxySetting { [pscustomobject]@{ AgentConfig = 'present'; AgentConfigError = $null; AgentDefaultProxy = $false; AgentProxy = $null; AgentUseSystemDefault = $null; WinHttp = 'unreadable'; WinHttpProxy = $null; ProxyConfigured = $false } }
		$r = Test-PadProxy -Context @{}
		$r.status | Should -Be 'unknown'
		$r.failureIds | Should -BeNullOrEmpty
		$r.error | Should -Be 'The WinHTTP proxy setting could not be read (netsh winhttp show proxy).'
		$r.evidence['winhttp'] | Should -Be 'unreadable'
	}
}
