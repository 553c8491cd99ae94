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

function Get-PadDomainSids {
	<#
	.SYNOPSIS
	The SIDs of the domain this computer is joined to and of its forest root domain, read through
	System.DirectoryServices (no RSAT needed). Domain Admins is RID 512 of the first, Enterprise Admins RID 519 of the
	second ("Understand security identifiers").
	.OUTPUTS
	DomainName, DomainSid, ForestRootDomainName, ForestRootDomainSid. Throws when the computer is not joined or no
	domain controller answers.
	#>
	$domain = [System.DirectoryServices.ActiveDirectory.Domain]::GetComputerDomain()
	$root = $domain.Forest.RootDomain
	$sids = @{}
	foreach ($pair in @(@('domain', $domain), @('root', $root))) {
		$entry = $pair[1].GetDirectoryEntry()
		try { $sids[$pair[0]] = (New-Object System.Security.Principal.SecurityIdentifier([byte[]]$entry.Properties['objectSid'][0], 0)).Value }
		finally { $entry.Dispose() }
	}
	[pscustomobject]@{
		DomainName           = $domain.Name
		DomainSid            = $sids['domain']
		ForestRootDomainName = $root.Name
		ForestRootDomainSid  = $sids['root']
	}
}

function Get-PadDirectoryAccount {
	<#
	.SYNOPSIS
	Reads one user account of the computer's domain over LDAP (System.DirectoryServices, no RSAT): found by
	sAMAccountName or userPrincipalName, then read with a base-scope search, the only scope in which the constructed
	attributes (tokenGroups, msDS-User-Account-Control-Computed, msDS-UserPasswordExpiryTimeComputed,
	msDS-PrincipalName) are returned.
	.OUTPUTS
	$null when the domain has no such user; else DistinguishedName, SamAccountName, PrincipalName (DOMAIN\name),
	UserAccountControl, UserAccountControlComputed, AccountExpires, PasswordExpiryTime, PasswordLastSet (the
	stored integers: intervals of 100 ns since 1601 for the last three), TokenGroups (SID strings), Domain.
	Throws when the computer is not in a domain or no domain controller answers.
	#>
	param([string] $SamAccountName, [string] $UserPrincipalName)
	$domain = [System.DirectoryServices.ActiveDirectory.Domain]::GetComputerDomain()
	# RFC 4515 escaping, so a name with * ( ) \ cannot change the filter.
	$escape = { param($text) $text.Replace('\', '\5c').Replace('*', '\2a').Replace('(', '\28').Replace(')', '\29').Replace([string][char]0, '\00') }
	if ($UserPrincipalName) { $match = '(userPrincipalName=' + (& $escape $UserPrincipalName) + ')' }
	else { $match = '(sAMAccountName=' + (& $escape $SamAccountName) + ')' }
	$root = $domain.GetDirectoryEntry()
	$finder = New-Object System.DirectoryServices.DirectorySearcher($root, ('(&(objectCategory=person)(objectClass=user)' + $match + ')'), [string[]]@('distinguishedName'), [System.DirectoryServices.SearchScope]::Subtree)
	$entry = $null
	$reader = $null
	try {
		$found = $finder.FindOne()
		if ($null -eq $found) { return $null }
		$entry = $found.GetDirectoryEntry()
		$attributes = 'distinguishedName', 'sAMAccountName', 'msDS-PrincipalName', 'userAccountControl', 'msDS-User-Account-Control-Computed', 'accountExpires', 'msDS-UserPasswordExpiryTimeComputed', 'pwdLastSet', 'tokenGroups'
		$reader = New-Object System.DirectoryServices.DirectorySearcher($entry, '(objectClass=*)', [string[]]$attributes, [System.DirectoryServices.SearchScope]::Base)
		$properties = $reader.FindOne().Properties
		$values = @{}
		foreach ($name in $attributes) {
			$key = $name.ToLowerInvariant()
			$values[$name] = $null
			if ($properties.Contains($key) -and $properties[$key].Count -gt 0) { $values[$name] = $properties[$key][0] }
		}
		$groups = New-Object System.Collections.Generic.List[string]
		if ($properties.Contains('tokengroups')) {
			foreach ($bytes in $properties['tokengroups']) { $groups.Add((New-Object System.Security.Principal.SecurityIdentifier([byte[]]$bytes, 0)).Value) }
		}
		[pscustomobject]@{
			DistinguishedName          = [string]$values['distinguishedName']
			SamAccountName             = [string]$values['sAMAccountName']
			PrincipalName              = [string]$values['msDS-PrincipalName']
			UserAccountControl         = $values['userAccountControl']
			UserAccountControlComputed = $values['msDS-User-Account-Control-Computed']
			AccountExpires             = $values['accountExpires']
			PasswordExpiryTime         = $values['msDS-UserPasswordExpiryTimeComputed']
			PasswordLastSet            = $values['pwdLastSet']
			TokenGroups                = [string[]]$groups.ToArray()
			Domain                     = $domain.Name
		}
	}
	finally {
		if ($reader) { $reader.Dispose() }
		if ($entry) { $entry.Dispose() }
		$finder.Dispose()
		$root.Dispose()
	}
}

function Get-PadFileVersion {
	# The ProductVersion of a file (the "Product version" of its Details tab), $null when the file does not exist or
	# carries no version resource.
	param([Parameter(Mandatory = $true)] [string] $Path)
	if (-not [System.IO.File]::Exists($Path)) { return $null }
	$version = [System.Diagnostics.FileVersionInfo]::GetVersionInfo($Path).ProductVersion
	if ($version) { return [string]$version }
	$null
}

function Get-PadUninstallEntries {
	<#
	.SYNOPSIS
	The programs Windows lists as installed: the entries under ...\CurrentVersion\Uninstall in the 64-bit and the
	32-bit (WOW6432Node) registry views, since which view a product uses is not documented for every product.
	.OUTPUTS
	One object per entry with a DisplayName: DisplayName, DisplayVersion, Publisher, InstallDate, PSChildName (the
	key name; the ProductCode for an MSI product) and View ('64-bit' or '32-bit').
	#>
	$views = [ordered]@{
		'64-bit' = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall'
		'32-bit' = 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall'
	}
	foreach ($view in $views.Keys) {
		if (-not (Test-Path -LiteralPath $views[$view])) { continue }
		# Every user may read these keys; a single unreadable entry must not hide the others.
		foreach ($entry in @(Get-ItemProperty -Path ($views[$view] + '\*') -ErrorAction SilentlyContinue)) {
			$name = $entry.PSObject.Properties['DisplayName']
			if ($null -eq $name -or -not $name.Value) { continue }
			$row = [ordered]@{}
			foreach ($field in 'DisplayName', 'DisplayVersion', 'Publisher', 'InstallDate', 'PSChildName') {
				$p = $entry.PSObject.Properties[$field]
				$row[$field] = $null
				if ($null -ne $p -and $null -ne $p.Value) { $row[$field] = [string]$p.Value }
			}
			$row['View'] = $view
			[pscustomobject]$row
		}
	}
}

function Find-PadDirectoryObject {
	<#
	.SYNOPSIS
	An LDAP search below SearchBase (whole subtree) with System.DirectoryServices (no RSAT needed).
	.OUTPUTS
	One hashtable per object found: 'distinguishedName' and each requested attribute -> array of string values.
	Nothing when no object matches; throws when no domain controller answers.
	#>
	param(
		[Parameter(Mandatory = $true)] [string] $SearchBase,
		[Parameter(Mandatory = $true)] [string] $LdapFilter,
		[Parameter(Mandatory = $true)] [string[]] $Attribute
	)
	$load = [string[]](@('distinguishedName') + @($Attribute))
	$root = New-Object System.DirectoryServices.DirectoryEntry('LDAP://' + $SearchBase)
	$searcher = New-Object System.DirectoryServices.DirectorySearcher($root, $LdapFilter, $load, [System.DirectoryServices.SearchScope]::Subtree)
	$found = $null
	try {
		$found = $searcher.FindAll()
		foreach ($item in $found) {
			$values = @{}
			foreach ($name in $load) {
				$list = New-Object System.Collections.Generic.List[string]
				if ($item.Properties.Contains($name.ToLowerInvariant())) {
					foreach ($v in $item.Properties[$name.ToLowerInvariant()]) { $list.Add([string]$v) }
				}
				$values[$name] = [string[]]$list.ToArray()
			}
			$values
		}
	}
	finally {
		if ($null -ne $found) { $found.Dispose() }
		$searcher.Dispose()
		$root.Dispose()
	}
}

function Find-PadDomainController {
	# A domain controller of this computer's domain, as the DC locator picks it (Domain.FindDomainController):
	# Name, SiteName, IPAddress; $null when the locator finds none (ActiveDirectoryObjectNotFoundException).
	# The type is compared by name so that this file needs System.DirectoryServices only when it runs.
	try { $dc = [System.DirectoryServices.ActiveDirectory.Domain]::GetComputerDomain().FindDomainController() }
	catch {
		if ($_.Exception.GetBaseException().GetType().Name -eq 'ActiveDirectoryObjectNotFoundException') { return $null }
		throw
	}
	[pscustomobject]@{ Name = [string]$dc.Name; SiteName = [string]$dc.SiteName; IPAddress = [string]$dc.IPAddress }
}

function Find-PadGlobalCatalog {
	# A Global Catalog of this computer's forest, as the DC locator picks it (Forest.FindGlobalCatalog): Name, SiteName;
	# $null when the locator finds none.
	try { $gc = [System.DirectoryServices.ActiveDirectory.Domain]::GetComputerDomain().Forest.FindGlobalCatalog() }
	catch {
		if ($_.Exception.GetBaseException().GetType().Name -eq 'ActiveDirectoryObjectNotFoundException') { return $null }
		throw
	}
	[pscustomobject]@{ Name = [string]$gc.Name; SiteName = [string]$gc.SiteName }
}
