# Thin wrappers over the .NET calls the probes need. Each is one named command, so that a test double can
# stand in for it; they hold no logic of their own. Windows PowerShell 5.1 syntax only.

function Get-PadPlatform {
	# 'Windows' or the platform name; [Environment]::OSVersion works on 5.1 and 7 alike.
	if ([System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT) { 'Windows' }
	else { [string][System.Environment]::OSVersion.Platform }
}

function Get-PadCurrentIdentity {
	# Name, elevation and group SIDs of the token this session runs with.
	$identity = [System.Security.Principal.WindowsIdentity]::GetCurrent()
	$principal = New-Object System.Security.Principal.WindowsPrincipal($identity)
	$groups = New-Object System.Collections.Generic.List[string]
	foreach ($g in $identity.Groups) { $groups.Add($g.Value) }
	[pscustomobject]@{
		Name       = $identity.Name
		UserSid    = $identity.User.Value
		IsElevated = $principal.IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)
		GroupSids  = [string[]]$groups.ToArray()
	}
}

function Get-PadComputerDomain {
	# The AD domain this computer is joined to, read through System.DirectoryServices (no RSAT needed).
	# Throws when the computer is not joined or no domain controller answers.
	$domain = [System.DirectoryServices.ActiveDirectory.Domain]::GetComputerDomain()
	$forest = $domain.Forest
	$dcs = New-Object System.Collections.Generic.List[object]
	foreach ($dc in $domain.FindAllDomainControllers()) {
		# OSVersion opens a connection to that DC; one that does not answer must not hide the others.
		$os = $null
		try { $os = $dc.OSVersion } catch { $os = $null }
		$dcs.Add([pscustomobject]@{ Name = $dc.Name; OSVersion = $os })
	}
	[pscustomobject]@{
		Name              = $domain.Name
		DomainModeLevel   = $domain.DomainModeLevel
		ForestName        = $forest.Name
		ForestModeLevel   = $forest.ForestModeLevel
		DomainControllers = $dcs.ToArray()
	}
}

function ConvertTo-PadSid {
	# Account name (DOMAIN\name, NT SERVICE\name) to SID string; $null when it cannot be translated.
	param([Parameter(Mandatory = $true)] [string] $AccountName)
	try {
		$account = New-Object System.Security.Principal.NTAccount($AccountName)
		$account.Translate([System.Security.Principal.SecurityIdentifier]).Value
	}
	catch { $null }
}

function Invoke-PadTcpProbe {
	<#
	.SYNOPSIS
	Opens TCP connections to all targets at once and waits for all of them together, at most TimeoutMs in total.
	.OUTPUTS
	One object per target: Host, Port, Status ('open', 'refused', 'timeout', 'error'), Detail, ElapsedMs.
	#>
	param(
		[Parameter(Mandatory = $true)] [object[]] $Targets,
		[Parameter(Mandatory = $true)] [int] $TimeoutMs
	)
	$watch = [System.Diagnostics.Stopwatch]::StartNew()
	$pending = New-Object System.Collections.Generic.List[object]
	foreach ($t in $Targets) {
		$client = New-Object System.Net.Sockets.TcpClient
		$task = $null
		$startError = $null
		try { $task = $client.ConnectAsync([string]$t.Host, [int]$t.Port) }
		catch { $startError = $_.Exception.Message }
		$pending.Add([pscustomobject]@{ Target = $t; Client = $client; Task = $task; StartError = $startError })
	}
	$tasks = New-Object System.Collections.Generic.List[System.Threading.Tasks.Task]
	foreach ($p in $pending) { if ($p.Task) { $tasks.Add($p.Task) } }
	if ($tasks.Count -gt 0) {
		# One wait for everything: the whole probe ends within TimeoutMs, however many targets never answer.
		try { [void][System.Threading.Tasks.Task]::WaitAll($tasks.ToArray(), $TimeoutMs) } catch { }
	}
	$elapsed = [int]$watch.ElapsedMilliseconds
	$results = New-Object System.Collections.Generic.List[object]
	foreach ($p in $pending) {
		$status = 'error'
		$detail = $p.StartError
		if ($p.Task) {
			if ($p.Task.IsCompleted -and -not $p.Task.IsFaulted -and -not $p.Task.IsCanceled) { $status = 'open'; $detail = $null }
			elseif ($p.Task.IsFaulted) {
				$inner = $p.Task.Exception.GetBaseException()
				$detail = $inner.Message
				if ($inner -is [System.Net.Sockets.SocketException] -and $inner.SocketErrorCode -eq [System.Net.Sockets.SocketError]::ConnectionRefused) { $status = 'refused' }
				else { $status = 'error' }
			}
			else { $status = 'timeout'; $detail = 'No answer within ' + $TimeoutMs + ' ms' }
		}
		try { $p.Client.Close() } catch { }
		$results.Add([pscustomobject]@{ Host = [string]$p.Target.Host; Port = [int]$p.Target.Port; Status = $status; Detail = $detail; ElapsedMs = $elapsed })
	}
	$results.ToArray()
}

function Get-PadDirectoryAttribute {
	<#
	.SYNOPSIS
	Reads attributes of one directory object over LDAP with System.DirectoryServices (no RSAT needed).
	.PARAMETER DistinguishedName
	The object's DN, or 'RootDSE'.
	.OUTPUTS
	A hashtable: attribute name -> array of string values (DN-with-binary values arrive as 'B:32:<hex>:<DN>').
	Throws when the computer is not in a domain or no domain controller answers.
	#>
	param(
		[Parameter(Mandatory = $true)] [string] $DistinguishedName,
		[Parameter(Mandatory = $true)] [string[]] $Attribute
	)
	$values = @{}
	if ($DistinguishedName -eq 'RootDSE') {
		$entry = New-Object System.DirectoryServices.DirectoryEntry('LDAP://RootDSE')
		try {
			foreach ($name in $Attribute) { $values[$name] = [string[]]@($entry.Properties[$name] | ForEach-Object { [string]$_ }) }
		}
		finally { $entry.Dispose() }
		return $values
	}
	$root = New-Object System.DirectoryServices.DirectoryEntry('LDAP://' + $DistinguishedName)
	$searcher = New-Object System.DirectoryServices.DirectorySearcher($root, '(objectClass=*)', $Attribute, [System.DirectoryServices.SearchScope]::Base)
	try {
		$found = $searcher.FindOne()
		foreach ($name in $Attribute) {
			$list = New-Object System.Collections.Generic.List[string]
			if ($found -and $found.Properties.Contains($name.ToLowerInvariant())) {
				foreach ($v in $found.Properties[$name.ToLowerInvariant()]) { $list.Add([string]$v) }
			}
			$values[$name] = [string[]]$list.ToArray()
		}
	}
	finally {
		$searcher.Dispose()
		$root.Dispose()
	}
	$values
}
