# Measures Invoke-PadTcpProbe (the network check's connect code) against loopback endpoints: some accept, some
# refuse, and K never answer. Prints one JSON line with the wall time. Loopback only; everything is closed at the end.
param([int] $NeverAnswering = 5, [int] $TimeoutMs = 2000, [int] $Open = 3, [int] $Refused = 2)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot '../../src/powershell/lib/WindowsApi.ps1')

function New-LoopbackListener([int] $Backlog) {
	$socket = New-Object System.Net.Sockets.Socket([System.Net.Sockets.AddressFamily]::InterNetwork, [System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Tcp)
	$socket.Bind((New-Object System.Net.IPEndPoint([System.Net.IPAddress]::Loopback, 0)))
	$socket.Listen($Backlog)
	$socket
}

$owned = New-Object System.Collections.Generic.List[System.IDisposable]
try {
	$targets = New-Object System.Collections.Generic.List[object]
	for ($i = 0; $i -lt $Open; $i++) {
		$l = New-LoopbackListener 16
		$owned.Add($l)
		$targets.Add([pscustomobject]@{ Host = '127.0.0.1'; Port = $l.LocalEndPoint.Port })
	}
	for ($i = 0; $i -lt $Refused; $i++) {
		# A port that was bound and released: nothing listens there, so the kernel refuses at once.
		$l = New-LoopbackListener 1
		$port = $l.LocalEndPoint.Port
		$l.Dispose()
		$targets.Add([pscustomobject]@{ Host = '127.0.0.1'; Port = $port })
	}
	for ($i = 0; $i -lt $NeverAnswering; $i++) {
		# Backlog 0 and one connection that is never accepted fill the accept queue: further SYNs are dropped.
		$l = New-LoopbackListener 0
		$owned.Add($l)
		$filler = New-Object System.Net.Sockets.TcpClient
		$owned.Add($filler)
		[void]$filler.ConnectAsync('127.0.0.1', $l.LocalEndPoint.Port).Wait(1000)
		$targets.Add([pscustomobject]@{ Host = '127.0.0.1'; Port = $l.LocalEndPoint.Port })
	}
	$watch = [System.Diagnostics.Stopwatch]::StartNew()
	$results = @(Invoke-PadTcpProbe -Targets $targets.ToArray() -TimeoutMs $TimeoutMs)
	$wall = $watch.ElapsedMilliseconds
	$counts = @{}
	foreach ($r in $results) { $counts[$r.Status] = 1 + [int]$counts[$r.Status] }
	ConvertTo-Json -Compress -InputObject ([ordered]@{ wallMs = $wall; timeoutMs = $TimeoutMs; neverAnswering = $NeverAnswering; open = [int]$counts['open']; refused = [int]$counts['refused']; timeout = [int]$counts['timeout'] })
}
finally {
	foreach ($o in $owned) { try { $o.Dispose() } catch { } }
}
