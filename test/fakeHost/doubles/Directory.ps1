# Doubles for the directory reads of the domain checks.
# Scenario keys used (below "host"):
#   directory      { "<DN or RootDSE>": { "<attribute>": value or [values] } | null } for Get-PadDirectoryAttribute
#                  (base reads) and Find-PadDirectoryObject (searches below a DN). "directory": null makes every read
#                  fail the way an unreachable domain does; an object set to null does not exist.
#   dcLocator      { "domainController": { "name", "siteName", "ipAddress" } | null,
#                    "globalCatalog": { "name", "siteName" } | null }: what the DC locator finds (null: none found).
#   dcLocatorError "message": the locator fails with that message (not the "none found" answer).
#   secureChannel  true | false: what Test-ComputerSecureChannel answers; "unavailable": the cmdlet does not exist
#                  (PowerShell 7, where Microsoft does not document it); { "error": "message" }: it throws that.
#   hang           { "Get-PadDirectoryAttribute" | "Find-PadDirectoryObject" | "Find-PadDomainController" |
#                    "Find-PadGlobalCatalog" | "Test-ComputerSecureChannel": seconds }

function Get-FakeDirectory {
	$directory = Get-FakeHostValue -Path 'directory'
	if ($null -eq $directory) { throw 'The specified domain either does not exist or could not be contacted.' }
	$directory
}

function Get-FakePadDirectoryAttribute {
	param([string] $DistinguishedName, [string[]] $Attribute)
	Invoke-FakeHostHang -Command 'Get-PadDirectoryAttribute'
	$directory = Get-FakeDirectory
	$object = $null
	foreach ($k in $directory.Keys) { if ($k -ieq $DistinguishedName) { $object = $directory[$k] } }
	if ($null -eq $object) { throw 'There is no such object on the server.' }
	$values = @{}
	foreach ($name in $Attribute) {
		$values[$name] = [string[]]@(if ($object.Contains($name)) { @($object[$name]) | ForEach-Object { [string]$_ } })
	}
	$values
}
Set-Alias -Name Get-PadDirectoryAttribute -Value Get-FakePadDirectoryAttribute

function ConvertFrom-FakeLdapFilter {
	# The equality terms of an LDAP filter "(a=b)" or "(&(a=b)(c=d))"; anything else throws, so a probe that starts
	# using another filter shows up in the tests.
	param([string] $Filter)
	$inner = $Filter
	if ($inner -match '^\(&(.*)\)$') { $inner = $Matches[1] }
	$terms = @([regex]::Matches($inner, '\(([A-Za-z][A-Za-z0-9-]*)=([^()*]*)\)') | ForEach-Object { [pscustomobject]@{ Attribute = $_.Groups[1].Value; Value = $_.Groups[2].Value } })
	if ($terms.Count -eq 0 -or (($terms | ForEach-Object { '(' + $_.Attribute + '=' + $_.Value + ')' }) -join '') -ne $inner) {
		throw ('FakeWindowsHost: unsupported LDAP filter: ' + $Filter)
	}
	$terms
}

function Find-FakePadDirectoryObject {
	# Every object below SearchBase (or SearchBase itself) whose attributes equal all terms of the filter, compared
	# case-insensitively as LDAP does; objectClass matches any of an object's classes.
	param([string] $SearchBase, [string] $LdapFilter, [string[]] $Attribute)
	Invoke-FakeHostHang -Command 'Find-PadDirectoryObject'
	$directory = Get-FakeDirectory
	$terms = @(ConvertFrom-FakeLdapFilter -Filter $LdapFilter)
	foreach ($dn in @($directory.Keys)) {
		$object = $directory[$dn]
		if ($null -eq $object -or $dn -ieq 'RootDSE') { continue }
		if (-not ([string]$dn -ieq $SearchBase -or ([string]$dn).EndsWith(',' + $SearchBase, [System.StringComparison]::OrdinalIgnoreCase))) { continue }
		$matched = $true
		foreach ($t in $terms) {
			$values = @(if ($object.Contains($t.Attribute)) { @($object[$t.Attribute]) | ForEach-Object { [string]$_ } })
			if (-not ($values | Where-Object { $_ -ieq $t.Value })) { $matched = $false }
		}
		if (-not $matched) { continue }
		$result = @{ distinguishedName = [string[]]@([string]$dn) }
		foreach ($name in $Attribute) {
			$result[$name] = [string[]]@(if ($object.Contains($name)) { @($object[$name]) | ForEach-Object { [string]$_ } })
		}
		$result
	}
}
Set-Alias -Name Find-PadDirectoryObject -Value Find-FakePadDirectoryObject

function Get-FakeDcLocatorAnswer {
	param([string] $Command, [string] $Key)
	Invoke-FakeHostHang -Command $Command
	$failure = Get-FakeHostValue -Path 'dcLocatorError'
	if ($failure) { throw [string]$failure }
	Get-FakeHostValue -Path ('dcLocator.' + $Key)
}

function Find-FakePadDomainController {
	$dc = Get-FakeDcLocatorAnswer -Command 'Find-PadDomainController' -Key 'domainController'
	if ($null -eq $dc) { return $null }
	[pscustomobject]@{ Name = [string]$dc['name']; SiteName = [string]$dc['siteName']; IPAddress = [string]$dc['ipAddress'] }
}
Set-Alias -Name Find-PadDomainController -Value Find-FakePadDomainController

function Find-FakePadGlobalCatalog {
	$gc = Get-FakeDcLocatorAnswer -Command 'Find-PadGlobalCatalog' -Key 'globalCatalog'
	if ($null -eq $gc) { return $null }
	[pscustomobject]@{ Name = [string]$gc['name']; SiteName = [string]$gc['siteName'] }
}
Set-Alias -Name Find-PadGlobalCatalog -Value Find-FakePadGlobalCatalog

if ([string](Get-FakeHostValue -Path 'secureChannel') -ne 'unavailable') {
	function Test-ComputerSecureChannel {
		# Microsoft.PowerShell.Management in Windows PowerShell 5.1. -Repair changes the system: a probe must never use it.
		[CmdletBinding()]
		param([switch] $Repair, [string] $Server, [pscredential] $Credential)
		Invoke-FakeHostHang -Command 'Test-ComputerSecureChannel'
		if ($Repair) { throw 'FakeWindowsHost: Test-ComputerSecureChannel -Repair changes the system; the probes are read-only.' }
		$answer = Get-FakeHostValue -Path 'secureChannel'
		if ($answer -is [System.Collections.IDictionary]) { throw [string]$answer['error'] }
		if ($answer -isnot [bool]) { throw 'FakeWindowsHost: the scenario has no "secureChannel" answer.' }
		$answer
	}
}
