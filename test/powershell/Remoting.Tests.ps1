# The diagnosis of several servers through PowerShell remoting. Over SSH for real: sshd daemons on loopback
# (test/remoting/sshd-lab.sh) whose PowerShell sessions load the fake Windows host with a scenario each, one port
# that never answers and one where nothing listens; the entry script fans out to them as an admin would run it. WinRM
# cannot run on these machines: its part is tested as data, against the real cmdlets' parameter sets.

BeforeAll {
	$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
	$entry = Join-Path $repo 'src/powershell/Invoke-AgentDiagnosis.ps1'
	$scenarios = Join-Path $repo 'test/fakeHost/scenarios'
	Import-Module (Join-Path $repo 'src/powershell/PadProbes.psm1') -Force
	. (Join-Path $repo 'src/powershell/remote/PadRemoting.ps1')

	function Get-FreePort {
		# A port the system gives as free now; the daemons start right after, so a clash is very unlikely.
		$listener = New-Object System.Net.Sockets.TcpListener ([System.Net.IPAddress]::Loopback, 0)
		$listener.Start()
		try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
	}

	function New-NamedScenario {
		# A scenario of this run: a stored one under another computer name, and more (a hang) when given.
		param([string] $Base, [string] $Name, [hashtable] $HostData = @{})
		$data = @{ extends = (Join-Path $scenarios $Base); description = "$Base as $Name"; host = @{ computerSystem = @{ name = $Name } } }
		foreach ($k in $HostData.Keys) { $data.host[$k] = $HostData[$k] }
		$path = Join-Path $TestDrive ($Name + '.json')
		Set-Content -LiteralPath $path -Value ($data | ConvertTo-Json -Depth 10) -Encoding utf8
		$path
	}

	function Invoke-Entry {
		# The entry script as the standalone script runs it, in this process; the result file read back.
		param([hashtable] $Parameters)
		$out = Join-Path $TestDrive ('result-' + [guid]::NewGuid().ToString('n') + '.json')
		$watch = [System.Diagnostics.Stopwatch]::StartNew()
		& $entry -ResultPath $out @Parameters 6>$null | Out-Null
		$watch.Stop()
		[pscustomobject]@{ Result = (Get-Content -LiteralPath $out -Raw | ConvertFrom-Json -AsHashtable); Seconds = $watch.Elapsed.TotalSeconds }
	}
}

AfterAll { Remove-Module PadProbes -ErrorAction SilentlyContinue }

Describe 'Servers to diagnose, and how to reach them (as data)' {
	It 'reads SSH targets as [user@]host[:port] and WinRM targets as computer names' {
		$t = ConvertTo-PadRemoteTarget -Name 'admin@agent01.contoso.com:2222' -Transport SSH
		$t.Server | Should -Be 'agent01.contoso.com'
		$t.UserName | Should -Be 'admin'
		$t.Port | Should -Be 2222
		$t.Name | Should -Be 'admin@agent01.contoso.com:2222'
		$v6 = ConvertTo-PadRemoteTarget -Name '[::1]:22' -Transport SSH
		$v6.Server | Should -Be '[::1]'
		$v6.Port | Should -Be 22
		$v6.UserName | Should -BeNullOrEmpty
		$w = ConvertTo-PadRemoteTarget -Name ' AGENT02 ' -Transport WinRM
		$w.Server | Should -Be 'AGENT02'
		$w.Port | Should -BeNullOrEmpty
		Get-PadRemotePort $w | Should -Be 5985
		Get-PadRemotePort (ConvertTo-PadRemoteTarget -Name 'agent01' -Transport SSH) | Should -Be 22
		Get-PadRemotePort $t | Should -Be 2222
	}

	It 'refuses a name that is no server name, saying why' {
		{ ConvertTo-PadRemoteTarget -Name '' -Transport WinRM } | Should -Throw '*empty*'
		{ ConvertTo-PadRemoteTarget -Name 'agent 01' -Transport WinRM } | Should -Throw '*white space*'
		{ ConvertTo-PadRemoteTarget -Name 'a;b' -Transport SSH } | Should -Throw '*separator*'
		{ ConvertTo-PadRemoteTarget -Name "x'y" -Transport SSH } | Should -Throw '*quote*'
		{ ConvertTo-PadRemoteTarget -Name 'admin@agent01' -Transport WinRM } | Should -Throw '*not a computer name for WinRM*'
		{ ConvertTo-PadRemoteTarget -Name 'agent01:70000' -Transport SSH } | Should -Throw '*1 to 65535*'
		{ ConvertTo-PadRemoteTarget -Name 'agent01:' -Transport SSH } | Should -Throw '*not an SSH target*'
	}

	It 'builds a WinRM connection New-PSSession takes in one parameter set: the name, and the port and credential only when given' {
		$plain = New-PadRemoteConnection -Target (ConvertTo-PadRemoteTarget -Name 'AGENT02' -Transport WinRM)
		@($plain.Keys | Sort-Object) | Should -Be @('ComputerName')
		$plain.ComputerName | Should -Be 'AGENT02'
		$credential = New-Object System.Management.Automation.PSCredential ('CONTOSO\admin', (New-Object System.Security.SecureString))
		$full = New-PadRemoteConnection -Target ([pscustomobject]@{ Name = 'AGENT02'; Transport = 'WinRM'; Server = 'AGENT02'; UserName = $null; Port = 5986 }) -Credential $credential -KeyFilePath 'ignored' -SshOption @{ A = 'b' }
		@($full.Keys | Sort-Object) | Should -Be @('ComputerName', 'Credential', 'Port')
		$full.Credential.UserName | Should -Be 'CONTOSO\admin'
		$set = (Get-Command New-PSSession).ParameterSets | Where-Object { $_.Name -eq 'ComputerName' }
		foreach ($key in $full.Keys) { $set.Parameters.Name | Should -Contain $key }
	}

	It 'builds an SSH connection with an absolute key path and a connecting timeout, in New-PSSession''s SSH parameter set' {
		Push-Location $TestDrive
		try {
			$c = New-PadRemoteConnection -Target (ConvertTo-PadRemoteTarget -Name 'admin@agent01:2222' -Transport SSH) -KeyFilePath 'keys/id' -SshOption @{ StrictHostKeyChecking = 'yes' } -ConnectingTimeoutMs 7000
		}
		finally { Pop-Location }
		@($c.Keys | Sort-Object) | Should -Be @('ConnectingTimeout', 'HostName', 'KeyFilePath', 'Options', 'Port', 'UserName')
		$c.KeyFilePath | Should -Be ([System.IO.Path]::GetFullPath((Join-Path $TestDrive 'keys/id')))
		$c.ConnectingTimeout | Should -Be 7000
		$c.Options.StrictHostKeyChecking | Should -Be 'yes'
		$set = (Get-Command New-PSSession).ParameterSets | Where-Object { $_.Name -eq 'SSHHost' }
		foreach ($key in $c.Keys) { $set.Parameters.Name | Should -Contain $key }
		$bare = New-PadRemoteConnection -Target (ConvertTo-PadRemoteTarget -Name 'agent01' -Transport SSH)
		@($bare.Keys | Sort-Object) | Should -Be @('ConnectingTimeout', 'HostName')
	}

	It 'says what to do for each way a server can fail, per transport' {
		$winrm = ConvertTo-PadRemoteTarget -Name 'AGENT02' -Transport WinRM
		$ssh = ConvertTo-PadRemoteTarget -Name 'agent01' -Transport SSH
		$r = Get-PadRemoteFailure -Target $winrm -Stage connect -Message 'x' -PortStatus refused
		$r.Status | Should -Be 'unreachable'
		$r.NextStep | Should -BeLike '*WinRM on port 5985*Enable-PSRemoting*'
		(Get-PadRemoteFailure -Target $ssh -Stage connect -Message 'x' -PortStatus refused).NextStep | Should -BeLike '*SSH on port 22*'
		(Get-PadRemoteFailure -Target $ssh -Stage connect -Message 'x' -PortStatus timeout).Status | Should -Be 'unreachable'
		(Get-PadRemoteFailure -Target $ssh -Stage connect -Message 'SSH connection attempt failed after time out: 3 seconds.' -PortStatus open).Status | Should -Be 'timeout'
		$auth = Get-PadRemoteFailure -Target $ssh -Stage connect -Message 'The SSH transport process has abruptly terminated' -PortStatus open
		$auth.Status | Should -Be 'connectFailed'
		$auth.NextStep | Should -BeLike '*Subsystem powershell*'
		(Get-PadRemoteFailure -Target $winrm -Stage connect -Message 'Access is denied.' -PortStatus open).NextStep | Should -BeLike '*TrustedHosts*'
		(Get-PadRemoteFailure -Target $ssh -Stage run -Message 'boom' -PortStatus open).Status | Should -Be 'error'
	}

	It 'reads a server''s answer: its result, an old PowerShell, or something else' {
		$ok = ConvertFrom-PadRemoteOutput -Output @('noise', '{"schemaVersion":1,"tool":"provisioning-agent-doctor","checks":[]}')
		$ok.Status | Should -Be 'ok'
		$ok.Result.tool | Should -Be 'provisioning-agent-doctor'
		$old = ConvertFrom-PadRemoteOutput -Output @('PAD-REMOTE-ERROR:powershell-too-old:PowerShell 4.0 on this server; needs 5.1')
		$old.Status | Should -Be 'powershell-too-old'
		$old.Message | Should -Be 'PowerShell 4.0 on this server; needs 5.1'
		(ConvertFrom-PadRemoteOutput -Output @('{not json')).Status | Should -Be 'error'
		(ConvertFrom-PadRemoteOutput -Output @('{"schemaVersion":1,"tool":"other"}')).Message | Should -BeLike '*not a diagnosis result*'
		(ConvertFrom-PadRemoteOutput -Output @('{"schemaVersion":2,"tool":"provisioning-agent-doctor"}')).Status | Should -Be 'error'
		(ConvertFrom-PadRemoteOutput -Output @()).Message | Should -Be 'The server sent no result.'
	}

	It 'sends the entry script, the probes and the catalogue''s data, and keeps the remoting code and fix scripts home' {
		$bundle = Get-PadRemoteBundle -Root (Join-Path $repo 'src/powershell') -CatalogueRoot (Join-Path $repo 'src/catalogue')
		# Every script but the remoting code, and every catalogue file but the fix scripts, as found on disk.
		$relativeUnder = {
			param([string] $Folder, [string] $Prefix)
			@(Get-ChildItem -LiteralPath $Folder -Recurse -File | ForEach-Object { $Prefix + [System.IO.Path]::GetRelativePath($Folder, $_.FullName).Replace('\', '/') })
		}
		$scripts = @(& $relativeUnder (Join-Path $repo 'src/powershell') '' | Where-Object { $_ -notlike 'remote/*' })
		$data = @(& $relativeUnder (Join-Path $repo 'src/catalogue') 'catalogue/' | Where-Object { $_ -notlike 'catalogue/fixes/*' })
		$scripts.Count | Should -BeGreaterThan 20
		$data | Should -Contain 'catalogue/messages.json'
		@($bundle.Keys | Sort-Object) | Should -Be @(@($scripts + $data) | Sort-Object)
		@($bundle.Keys | Where-Object { $_ -like 'remote/*' -or $_ -like 'catalogue/fixes/*' -or $_ -like '*\*' }) | Should -BeNullOrEmpty
		$bundle['catalogue/messages.json'] | Should -Be ([System.IO.File]::ReadAllText((Join-Path $repo 'src/catalogue/messages.json')))
	}

	It 'refuses a server named twice before connecting to any' {
		$run = Invoke-Entry @{ HostName = @('root@127.0.0.1:1', 'root@127.0.0.1:1') }
		$run.Result.schemaVersion | Should -Be 2
		$run.Result.fatal.code | Should -Be 'remote-setup'
		$run.Result.fatal.message | Should -BeLike '*named twice*'
		@($run.Result.servers).Count | Should -Be 0
	}
}

Describe 'The diagnosis of several servers over SSH (loopback sshd)' {
	BeforeAll {
		# Never skipped: npm test installs the OpenSSH server first (scripts/setup-sshd.sh).
		if (-not (Test-Path -LiteralPath '/usr/sbin/sshd')) { throw '/usr/sbin/sshd is missing: run scripts/setup-sshd.sh (npm test does).' }
		$lab = Join-Path $TestDrive 'lab'
		$ports = @{ alpha = (Get-FreePort); beta = (Get-FreePort); hang = (Get-FreePort); blackhole = (Get-FreePort); refused = (Get-FreePort) }
		$alpha = New-NamedScenario -Base 'healthy' -Name 'AGENT-A'
		$beta = New-NamedScenario -Base 'seed-7041' -Name 'AGENT-B'
		# Reading the identity is the entry script's first step on the server: a hang there is a server that hangs.
		$hang = New-NamedScenario -Base 'healthy' -Name 'AGENT-H' -HostData @{ hang = @{ 'Get-PadCurrentIdentity' = 600 } }
		& bash (Join-Path $repo 'test/remoting/sshd-lab.sh') start $lab "alpha=$($ports.alpha)=$alpha" "beta=$($ports.beta)=$beta" "hang=$($ports.hang)=$hang" "blackhole=$($ports.blackhole)" | Out-Null
		if ($LASTEXITCODE -ne 0) { throw 'The test sshd daemons did not start (test/remoting/sshd-lab.sh).' }
		$ssh = @{
			KeyFilePath = (Join-Path $lab 'keys/client')
			# The test daemons' host key is new each run; QUIET keeps ssh's own messages out of the test output.
			SshOption   = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'QUIET' }
		}
		$names = [ordered]@{
			alpha     = "root@127.0.0.1:$($ports.alpha)"
			beta      = "root@127.0.0.1:$($ports.beta)"
			refused   = "root@127.0.0.1:$($ports.refused)"
			blackhole = "root@127.0.0.1:$($ports.blackhole)"
			badUser   = "nosuchuser@127.0.0.1:$($ports.alpha)"
			hang      = "root@127.0.0.1:$($ports.hang)"
		}
		$deadline = 45
		$parameters = $ssh.Clone()
		$parameters['HostName'] = @($names.Values)
		# Generous: it runs until the server's PowerShell answers, and six sessions start at once on two cores.
		$parameters['ConnectingTimeoutMs'] = 15000
		$parameters['RemoteTimeoutSeconds'] = $deadline
		$run = Invoke-Entry $parameters
		$byName = @{}
		foreach ($s in @($run.Result.servers)) { $byName[$s.server] = $s }
	}

	AfterAll { & bash (Join-Path $repo 'test/remoting/sshd-lab.sh') stop $lab | Out-Null }

	It 'writes one result file of schema 2 with every server, in the order given' {
		$run.Result.schemaVersion | Should -Be 2
		$run.Result.fatal | Should -BeNullOrEmpty
		@($run.Result.servers | ForEach-Object { $_.server }) | Should -Be @($names.Values)
		foreach ($s in @($run.Result.servers)) { $s.transport | Should -Be 'SSH' }
	}

	It 'diagnoses each reachable server with its own scenario, as a local run of it would' {
		$a = $byName[$names.alpha]
		$b = $byName[$names.beta]
		$a.status | Should -Be 'ok' -Because $a.error
		$b.status | Should -Be 'ok' -Because $b.error
		$a.result.host.computerName | Should -Be 'AGENT-A'
		$b.result.host.computerName | Should -Be 'AGENT-B'
		$a.result.fatal | Should -BeNullOrEmpty
		# The same statuses and failures as the entry script gives for each scenario on this machine.
		$outcomes = @{}
		foreach ($pair in @(@{ Scenario = $alpha; Remote = $a }, @{ Scenario = $beta; Remote = $b })) {
			$env:PAD_FAKE_HOST_SCENARIO = $pair.Scenario
			Import-Module (Join-Path $repo 'test/fakeHost/FakeWindowsHost.psm1') -Force
			try { $local = (Invoke-Entry @{ MaxConcurrency = 2 }).Result }
			finally { Remove-Module FakeWindowsHost -ErrorAction SilentlyContinue; Remove-Item env:PAD_FAKE_HOST_SCENARIO }
			$remoteChecks = @($pair.Remote.result.checks | ForEach-Object { $_.id + '=' + $_.status + ':' + (@($_.failureIds) -join '+') })
			$localChecks = @($local.checks | ForEach-Object { $_.id + '=' + $_.status + ':' + (@($_.failureIds) -join '+') })
			$remoteChecks.Count | Should -BeGreaterThan 30
			$remoteChecks | Should -Be $localChecks
			$outcomes[$pair.Remote.result.host.computerName] = $remoteChecks
		}
		# The seed's host fails Log on as a service; the healthy one does not.
		($outcomes['AGENT-B'] | Where-Object { $_ -like 'service.logon-right=fail*' }) | Should -Not -BeNullOrEmpty
		($outcomes['AGENT-A'] | Where-Object { $_ -like 'service.logon-right=pass*' }) | Should -Not -BeNullOrEmpty
	}

	It 'reports a port where nothing listens as unreachable, with what to check' {
		$s = $byName[$names.refused]
		$s.status | Should -Be 'unreachable'
		$s.error | Should -BeLike "Port $($ports.refused) of 127.0.0.1 did not accept a connection*"
		$s.nextStep | Should -BeLike "*SSH on port $($ports.refused)*"
		$s.result | Should -BeNullOrEmpty
		$s.durationMs | Should -BeLessThan 15000
	}

	It 'ends a server that accepts the connection but never answers at the connecting timeout' {
		$s = $byName[$names.blackhole]
		$s.status | Should -Be 'timeout'
		$s.error | Should -BeLike '*time*out*'
		$s.durationMs | Should -BeGreaterOrEqual 15000
		$s.durationMs | Should -BeLessThan 25000
	}

	It 'reports a login the server refuses as a failed connection, with the key and subsystem to check' {
		$s = $byName[$names.badUser]
		$s.status | Should -Be 'connectFailed'
		$s.nextStep | Should -BeLike '*user name and key*'
	}

	It 'ends a server that hangs at the overall deadline, while the others complete' {
		$s = $byName[$names.hang]
		$s.status | Should -Be 'timeout'
		$s.error | Should -Be "Did not finish within the overall time limit of $deadline s."
		# From when its session started, a little after the script's start, from which the deadline counts.
		$s.durationMs | Should -BeGreaterOrEqual (($deadline - 10) * 1000)
		$s.durationMs | Should -BeLessOrEqual ($deadline * 1000 + 1000)
		$run.Seconds | Should -BeLessThan ($deadline + 10)
	}

	It 'ends a server still waiting for a slot at the deadline as one that never started, with its own next step' {
		# One slot: the hanging server holds it until the deadline, so the healthy one behind it never starts.
		$queued = $ssh.Clone()
		$queued['HostName'] = @($names.hang, $names.alpha)
		$queued['ThrottleLimit'] = 1
		$queued['ConnectingTimeoutMs'] = 15000
		$queued['RemoteTimeoutSeconds'] = 20
		$second = Invoke-Entry $queued
		$hung, $waiting = @($second.Result.servers)
		$hung.status | Should -Be 'timeout'
		$hung.error | Should -Be 'Did not finish within the overall time limit of 20 s.'
		$hung.durationMs | Should -BeGreaterThan 10000
		$waiting.server | Should -Be $names.alpha
		$waiting.status | Should -Be 'timeout'
		$waiting.error | Should -Be 'Did not start within the overall time limit of 20 s: it was waiting its turn (-ThrottleLimit 1 runs that many servers at a time).'
		$waiting.nextStep | Should -BeLike '*higher -ThrottleLimit*'
		$waiting.durationMs | Should -Be 0
	}
}
