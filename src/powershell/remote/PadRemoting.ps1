# Diagnosing other servers through PowerShell remoting (WinRM: -ComputerName; SSH: -HostName), for the entry script.
# Nothing of our own runs on a target but the same read-only entry script and probes, sent with the catalogue as text
# in one script block; the result comes back as JSON over the remoting stream. One runspace per target runs the
# remoting call, so targets run at once (up to the throttle limit), fail on their own, and one overall deadline ends
# them all. Windows PowerShell 5.1 syntax only (SSH remoting itself needs PowerShell 7 on this side).

function ConvertTo-PadRemoteTarget {
	<#
	.SYNOPSIS
	One target of the run: its name as given, the transport, and what the connection needs. An SSH target is
	[user@]host[:port] (an IPv6 address in brackets), as PowerShell's own -HostName takes it; a WinRM target is a
	computer name. A name PowerShell would read as something else is refused here, with the reason.
	#>
	param(
		[Parameter(Mandatory = $true)] [string] $Name,
		[Parameter(Mandatory = $true)] [ValidateSet('WinRM', 'SSH')] [string] $Transport
	)
	$text = $Name.Trim()
	if (-not $text) { throw 'An empty server name was given.' }
	if ($text -match '[\s,;''"`]') { throw ('"' + $text + '" is not a server name: it holds white space, a quote or a separator.') }
	$user = $null
	$server = $text
	$port = $null
	if ($Transport -eq 'SSH') {
		$match = [regex]::Match($text, '^(?:(?<user>[^@]+)@)?(?<host>\[[0-9A-Fa-f:.]+\]|[^:@\[\]]+)(?::(?<port>[0-9]{1,5}))?$')
		if (-not $match.Success) { throw ('"' + $text + '" is not an SSH target: write it as [user@]host[:port].') }
		if ($match.Groups['user'].Success) { $user = $match.Groups['user'].Value }
		$server = $match.Groups['host'].Value
		if ($match.Groups['port'].Success) {
			$port = [int]$match.Groups['port'].Value
			if ($port -lt 1 -or $port -gt 65535) { throw ('"' + $text + '": the port must be from 1 to 65535.') }
		}
	}
	elseif ($text -notmatch '^[A-Za-z0-9][A-Za-z0-9.\-]*$') {
		throw ('"' + $text + '" is not a computer name for WinRM: use the DNS or NetBIOS name of the server.')
	}
	[pscustomobject]@{ Name = $text; Transport = $Transport; Server = $server; UserName = $user; Port = $port }
}

function Get-PadRemotePort {
	# The port a transport connects to: the target's own, else WinRM's default HTTP port 5985 or SSH's 22.
	param([Parameter(Mandatory = $true)] $Target)
	if ($Target.Port) { return [int]$Target.Port }
	if ($Target.Transport -eq 'SSH') { return 22 }
	5985
}

function New-PadRemoteConnection {
	<#
	.SYNOPSIS
	The parameters of Invoke-Command for one target, as a hashtable to splat: -ComputerName (and -Credential when
	given) for WinRM; -HostName, -UserName, -Port, -KeyFilePath, -Options and -ConnectingTimeout for SSH. Pure, so the
	WinRM form, which cannot run on the machines the tests run on, is tested as data.
	#>
	param(
		[Parameter(Mandatory = $true)] $Target,
		[System.Management.Automation.PSCredential] $Credential,
		[string] $KeyFilePath = '',
		[hashtable] $SshOption = @{},
		[int] $ConnectingTimeoutMs = 20000
	)
	$parameters = @{}
	if ($Target.Transport -eq 'WinRM') {
		$parameters['ComputerName'] = [string]$Target.Server
		if ($Target.Port) { $parameters['Port'] = [int]$Target.Port }
		if ($null -ne $Credential) { $parameters['Credential'] = $Credential }
		return $parameters
	}
	$parameters['HostName'] = [string]$Target.Server
	if ($Target.UserName) { $parameters['UserName'] = [string]$Target.UserName }
	if ($Target.Port) { $parameters['Port'] = [int]$Target.Port }
	# The SSH transport does not resolve a relative path against the current location: make it absolute here, from
	# PowerShell's location (Set-Location), not the process's folder.
	if ($KeyFilePath) { $parameters['KeyFilePath'] = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($KeyFilePath) }
	if ($SshOption.Count -gt 0) { $parameters['Options'] = $SshOption }
	# Without it a connection that is accepted but never answered would wait for good (PowerShell's default).
	$parameters['ConnectingTimeout'] = $ConnectingTimeoutMs
	$parameters
}

function Get-PadRemoteBundle {
	<#
	.SYNOPSIS
	The entry script, the probes and the catalogue's data as text, keyed by their path in the layout of a build
	('/' separated; the catalogue under catalogue/, wherever it is here): what a target needs to run the diagnosis,
	sent in the script block's arguments. Left home: this remoting code and the fix scripts (a target runs the local
	diagnosis only).
	#>
	param([Parameter(Mandatory = $true)] [string] $Root, [Parameter(Mandatory = $true)] [string] $CatalogueRoot)
	$bundle = @{}
	foreach ($part in @(@{ From = $Root; Under = '' }, @{ From = $CatalogueRoot; Under = 'catalogue/' })) {
		$from = [System.IO.Path]::GetFullPath($part.From).TrimEnd('\', '/')
		foreach ($file in @(Get-ChildItem -LiteralPath $from -Recurse -File)) {
			$relative = $file.FullName.Substring($from.Length + 1).Replace('\', '/')
			if ($part.Under -eq '' -and ($relative -like 'remote/*' -or $relative -like 'catalogue/*')) { continue }
			$wanted = '\.(ps1|psm1|json)$'
			if ($part.Under -ne '') { $wanted = '\.json$' }
			if ($relative -notmatch $wanted) { continue }
			$bundle[$part.Under + $relative] = [System.IO.File]::ReadAllText($file.FullName)
		}
	}
	$bundle
}

# Runs on the target. Writes the bundle to a folder of its own in the target's temp folder (the entry script and
# its runspaces load the probes from files), runs the entry script there with the given parameters, returns the
# result file's text, and removes the folder. The PowerShell version is checked first: the diagnosis needs 5.1 or 7.
# PAD_REMOTE_PRELOAD on the target may name modules (separated as PATH is) to import first, as an admin would in a
# local session: a site's proxy for an AD cmdlet, or in the tests the fake Windows host.
$script:PadRemoteScript = {
	param([hashtable] $Bundle, [hashtable] $Parameters)
	$ErrorActionPreference = 'Stop'
	$version = $PSVersionTable.PSVersion
	if ($version.Major -lt 5 -or ($version.Major -eq 5 -and $version.Minor -lt 1)) {
		return ('PAD-REMOTE-ERROR:powershell-too-old:PowerShell ' + $version.ToString() + ' on this server; the diagnosis needs Windows PowerShell 5.1 or PowerShell 7.')
	}
	if ($env:PAD_REMOTE_PRELOAD) {
		foreach ($module in @($env:PAD_REMOTE_PRELOAD -split [regex]::Escape([string][System.IO.Path]::PathSeparator))) {
			if ($module) { Import-Module -Name $module -Force -DisableNameChecking }
		}
	}
	$root = Join-Path ([System.IO.Path]::GetTempPath()) ('pad-remote-' + [guid]::NewGuid().ToString('n'))
	try {
		foreach ($relative in $Bundle.Keys) {
			$path = Join-Path $root $relative
			[void][System.IO.Directory]::CreateDirectory([System.IO.Path]::GetDirectoryName($path))
			# With a BOM, Windows PowerShell 5.1 reads a script as UTF-8 (without one, in the ANSI code page).
			$withBom = $relative -match '\.(ps1|psm1)$'
			[System.IO.File]::WriteAllText($path, [string]$Bundle[$relative], (New-Object System.Text.UTF8Encoding $withBom))
		}
		# This session only (a remote session is a process of its own): the copied scripts are not signed.
		if ([System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT) {
			try { Set-ExecutionPolicy -Scope Process -ExecutionPolicy Bypass -Force } catch { }
		}
		$resultPath = Join-Path $root 'result.json'
		$arguments = @{}
		foreach ($key in $Parameters.Keys) { $arguments[$key] = $Parameters[$key] }
		$arguments['ResultPath'] = $resultPath
		& (Join-Path $root 'Invoke-AgentDiagnosis.ps1') @arguments 6>$null | Out-Null
		[System.IO.File]::ReadAllText($resultPath)
	}
	finally {
		if (Test-Path -LiteralPath $root) { Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue }
	}
}

function Get-PadRemoteFailure {
	<#
	.SYNOPSIS
	What a failed remoting call means for the admin: a status and a next step, from where it failed (the port did not
	accept a connection, the session did not open, or the run failed after it opened) and the error's text.
	#>
	param([Parameter(Mandatory = $true)] $Target, [string] $Stage, [string] $Message, [string] $PortStatus)
	$port = Get-PadRemotePort $Target
	if ($PortStatus -eq 'refused' -or $PortStatus -eq 'error') {
		$next = 'Check the name and that the server is on; it must accept '
		if ($Target.Transport -eq 'SSH') { $next += 'SSH on port ' + $port + ' (the OpenSSH server service, sshd).' }
		else { $next += 'WinRM on port ' + $port + ': run Enable-PSRemoting on it, and open the Windows Remote Management firewall rule.' }
		return [pscustomobject]@{ Status = 'unreachable'; Message = ('Port ' + $port + ' of ' + $Target.Server + ' did not accept a connection: ' + $Message); NextStep = $next }
	}
	if ($PortStatus -eq 'timeout') {
		return [pscustomobject]@{ Status = 'unreachable'; Message = ('Port ' + $port + ' of ' + $Target.Server + ' did not answer: ' + $Message); NextStep = 'A firewall may drop the connection, or the server is off: check the name and the network path to port ' + $port + '.' }
	}
	if ($Stage -eq 'connect') {
		if ($Message -match 'time ?out|timed out') {
			return [pscustomobject]@{ Status = 'timeout'; Message = $Message; NextStep = 'The server accepted the connection but PowerShell did not answer in time: check that its remoting endpoint works (Enter-PSSession by hand) and try again.' }
		}
		$next = 'Check the credentials: '
		if ($Target.Transport -eq 'SSH') { $next += 'the user name and key (ssh user@host works), and that the server''s sshd_config has the line "Subsystem powershell ..." for PowerShell 7.' }
		else { $next += 'in a domain, Kerberos needs the server''s name, not its IP address; outside one, add it to TrustedHosts or use HTTPS. Test with Enter-PSSession.' }
		return [pscustomobject]@{ Status = 'connectFailed'; Message = $Message; NextStep = $next }
	}
	[pscustomobject]@{ Status = 'error'; Message = $Message; NextStep = 'The session opened but the diagnosis failed on the server: run the script there directly (Invoke-AgentDiagnosis.ps1) to see the error.' }
}

# Runs in a runspace of the fan-out, one per target: opens the session (so a failure to connect is told apart from a
# failure of the run), runs the remote script in it, and always closes it.
$script:PadRemoteWorker = {
	param($Connection, [string] $RemoteScriptText, [hashtable] $Bundle, [hashtable] $Parameters, [hashtable] $Started, [int] $Key, [System.Diagnostics.Stopwatch] $Clock)
	$ErrorActionPreference = 'Stop'
	# When a slot of the pool took this server: its time counts from here, not from the queue.
	$Started[$Key] = $Clock.ElapsedMilliseconds
	$outcome = [pscustomobject]@{ Stage = 'connect'; Output = @(); Error = $null }
	$session = $null
	try {
		$session = New-PSSession @Connection
		$outcome.Stage = 'run'
		$outcome.Output = @(Invoke-Command -Session $session -ScriptBlock ([scriptblock]::Create($RemoteScriptText)) -ArgumentList $Bundle, $Parameters)
	}
	catch { $outcome.Error = $_.Exception.Message }
	finally { if ($null -ne $session) { Remove-PSSession -Session $session -ErrorAction SilentlyContinue } }
	$outcome
}

function ConvertFrom-PadRemoteOutput {
	<#
	.SYNOPSIS
	A target's answer: the result it sent (the entry script's JSON, schema 1), or why there is none.
	#>
	param([object[]] $Output)
	$text = $null
	foreach ($item in @($Output)) { if ($item -is [string]) { $text = $item } }
	if ($null -eq $text) { return [pscustomobject]@{ Status = 'error'; Result = $null; Message = 'The server sent no result.'; NextStep = 'Run the script on the server directly (Invoke-AgentDiagnosis.ps1) to see why.' } }
	if ($text.StartsWith('PAD-REMOTE-ERROR:')) {
		# The operator, not String.Split: its overloads differ between .NET Framework (5.1) and .NET.
		$parts = @($text -split ':', 3)
		return [pscustomobject]@{ Status = $parts[1]; Result = $null; Message = $parts[2]; NextStep = 'Install Windows PowerShell 5.1 (Windows Management Framework 5.1) or PowerShell 7 on the server.' }
	}
	try { $result = ConvertFrom-Json -InputObject $text }
	catch { return [pscustomobject]@{ Status = 'error'; Result = $null; Message = ('The server sent a result that is not JSON: ' + $_.Exception.Message); NextStep = 'Run the script on the server directly to see its output.' } }
	if ($null -eq $result -or $null -eq $result.PSObject.Properties['tool'] -or [string]$result.tool -ne 'provisioning-agent-doctor' -or [int]$result.schemaVersion -ne 1) {
		return [pscustomobject]@{ Status = 'error'; Result = $null; Message = 'The server sent something that is not a diagnosis result of this version.'; NextStep = 'Run the script on the server directly to see its output.' }
	}
	[pscustomobject]@{ Status = 'ok'; Result = $result; Message = $null; NextStep = $null }
}

function Invoke-PadFanOut {
	<#
	.SYNOPSIS
	Runs the diagnosis on every target at once (at most ThrottleLimit at a time) and returns one entry per target, in
	the order given: { server, transport, status, error, nextStep, durationMs, result }. status is ok (result holds
	the target's result), unreachable, connectFailed, timeout, powershell-too-old or error; every entry ends by the
	overall deadline, whatever the others do.
	#>
	param(
		[Parameter(Mandatory = $true)] [object[]] $Targets,
		[Parameter(Mandatory = $true)] [hashtable] $Bundle,
		[Parameter(Mandatory = $true)] [hashtable] $Parameters,
		[System.Management.Automation.PSCredential] $Credential,
		[string] $KeyFilePath = '',
		[hashtable] $SshOption = @{},
		[int] $ThrottleLimit = 8,
		[int] $TimeoutSeconds = 600,
		[int] $ConnectingTimeoutMs = 20000,
		# The caller's clock, so the deadline counts from when the caller started (the entry script's start).
		[System.Diagnostics.Stopwatch] $Clock
	)
	$clock = $Clock
	if ($null -eq $clock) { $clock = [System.Diagnostics.Stopwatch]::StartNew() }
	$deadlineMs = [long]$TimeoutSeconds * 1000
	$iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
	$pool = [System.Management.Automation.Runspaces.RunspaceFactory]::CreateRunspacePool(1, [Math]::Max(1, $ThrottleLimit), $iss, $Host)
	$pool.Open()
	# Written by each worker as it starts (another thread): a server still queued at the deadline never started.
	$started = [hashtable]::Synchronized(@{})
	$index = 0
	$jobs = @(foreach ($target in $Targets) {
			$connection = New-PadRemoteConnection -Target $target -Credential $Credential -KeyFilePath $KeyFilePath -SshOption $SshOption -ConnectingTimeoutMs $ConnectingTimeoutMs
			$ps = [System.Management.Automation.PowerShell]::Create()
			$ps.RunspacePool = $pool
			[void]$ps.AddScript($script:PadRemoteWorker.ToString()).AddArgument($connection).AddArgument($script:PadRemoteScript.ToString()).AddArgument($Bundle).AddArgument($Parameters).AddArgument($started).AddArgument($index).AddArgument($clock)
			[pscustomobject]@{ Target = $target; Key = $index; PowerShell = $ps; Handle = $ps.BeginInvoke(); Entry = $null }
			$index++
		})
	$open = New-Object System.Collections.Generic.List[object]
	foreach ($job in $jobs) { $open.Add($job) }
	while ($open.Count -gt 0) {
		$handles = @($open | Select-Object -First 64 | ForEach-Object { $_.Handle.AsyncWaitHandle })
		[void][System.Threading.WaitHandle]::WaitAny([System.Threading.WaitHandle[]]$handles, 100)
		foreach ($job in $open.ToArray()) {
			$target = $job.Target
			$entry = $null
			if ($job.Handle.IsCompleted) {
				$outcome = $null
				try { $outcome = @($job.PowerShell.EndInvoke($job.Handle)) | Select-Object -Last 1 }
				catch { $outcome = [pscustomobject]@{ Stage = 'connect'; Output = @(); Error = $_.Exception.Message } }
				if ($null -eq $outcome) { $outcome = [pscustomobject]@{ Stage = 'run'; Output = @(); Error = 'The remoting call returned nothing.' } }
				if ($outcome.Error) {
					$portStatus = 'open'
					if ($outcome.Stage -eq 'connect') {
						# Told apart only now, so a healthy target pays nothing: did the port take a connection at all?
						$probe = @(Invoke-PadTcpProbe -Targets @([pscustomobject]@{ Host = [string]$target.Server.Trim('[', ']'); Port = (Get-PadRemotePort $target) }) -TimeoutMs 3000)
						if ($probe.Count -gt 0) { $portStatus = [string]$probe[0].Status }
					}
					$failure = Get-PadRemoteFailure -Target $target -Stage $outcome.Stage -Message ([string]$outcome.Error) -PortStatus $portStatus
					$entry = [ordered]@{ status = $failure.Status; error = $failure.Message; nextStep = $failure.NextStep; result = $null }
				}
				else {
					$answer = ConvertFrom-PadRemoteOutput -Output $outcome.Output
					$entry = [ordered]@{ status = $answer.Status; error = $answer.Message; nextStep = $answer.NextStep; result = $answer.Result }
				}
				$job.PowerShell.Dispose()
			}
			elseif ($clock.ElapsedMilliseconds -ge $deadlineMs) {
				# Stopped in the background: a remoting call that does not stop must not hold up the others' result.
				[void]$job.PowerShell.BeginStop($null, $null)
				if ($started.ContainsKey($job.Key)) {
					$entry = [ordered]@{ status = 'timeout'; error = ('Did not finish within the overall time limit of ' + $TimeoutSeconds + ' s.'); nextStep = 'Run the diagnosis on that server alone, or give the run more time (-RemoteTimeoutSeconds); a check that hangs there says which in its own result.'; result = $null }
				}
				else {
					$entry = [ordered]@{ status = 'timeout'; error = ('Did not start within the overall time limit of ' + $TimeoutSeconds + ' s: it was waiting its turn (-ThrottleLimit ' + $ThrottleLimit + ' runs that many servers at a time).'); nextStep = 'Run it again with fewer servers, a higher -ThrottleLimit, or more time (-RemoteTimeoutSeconds).'; result = $null }
				}
			}
			if ($null -ne $entry) {
				$full = [ordered]@{ server = [string]$target.Name; transport = [string]$target.Transport }
				foreach ($key in $entry.Keys) { $full[$key] = $entry[$key] }
				# From when a slot took the server; 0 for one that never started.
				$startedMs = [long]$clock.ElapsedMilliseconds
				if ($started.ContainsKey($job.Key)) { $startedMs = [long]$started[$job.Key] }
				$full['durationMs'] = [int]($clock.ElapsedMilliseconds - $startedMs)
				$job.Entry = $full
				[void]$open.Remove($job)
				Write-PadServerProgress -Entry $full
			}
		}
	}
	[void]$pool.BeginClose($null, $null)
	@($jobs | ForEach-Object { $_.Entry })
}

function Write-PadServerProgress {
	# One line per server as it ends: its status and, for a result, how its checks came out.
	param([Parameter(Mandatory = $true)] $Entry)
	$line = ('  {0,-14} {1} ({2} ms)' -f ('[' + $Entry.status + ']'), $Entry.server, $Entry.durationMs)
	$color = 'Yellow'
	if ($Entry.status -eq 'ok' -and $null -ne $Entry.result.fatal) {
		$line += ': could not run there: ' + [string]$Entry.result.fatal.message
	}
	elseif ($Entry.status -eq 'ok') {
		$counts = [ordered]@{}
		foreach ($c in @($Entry.result.checks)) { $s = [string]$c.status; if ($counts.Contains($s)) { $counts[$s]++ } else { $counts[$s] = 1 } }
		$line += ': ' + (@($counts.Keys | ForEach-Object { [string]$counts[$_] + ' ' + $_ }) -join ', ')
		$color = 'Green'
		if ($counts.Contains('fail')) { $color = 'Red' }
	}
	else { $line += ' - ' + $Entry.error }
	Write-Host $line -ForegroundColor $color
}
