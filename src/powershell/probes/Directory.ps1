# Directory objects the wizard needs for the gMSA: the schema version and the Managed Service Accounts container.
# Read over LDAP through Get-PadDirectoryAttribute, so no RSAT module is needed. Windows PowerShell 5.1 syntax only.

function Get-PadDirectoryRoot {
	# RootDSE naming contexts; $null when this computer is not joined to a domain (the checks are then not applicable).
	if (-not (Test-PadComputerInDomain)) { return $null }
	Get-PadDirectoryAttribute -DistinguishedName 'RootDSE' -Attribute 'defaultNamingContext', 'schemaNamingContext'
}

function Test-PadSchemaVersion {
	# how-to-prerequisites (gMSA): "The Active Directory schema in the gMSA domain's forest needs to be updated to
	# Windows Server 2012 or later." The "There is no such object on the server" support article gives objectVersion 52.
	param([hashtable] $Context)
	$root = Get-PadDirectoryRoot
	if ($null -eq $root) { return New-PadResult -Status notApplicable -Evidence @{ joined = $false } }
	$schemaNc = @($root['schemaNamingContext'])[0]
	$version = @((Get-PadDirectoryAttribute -DistinguishedName $schemaNc -Attribute 'objectVersion')['objectVersion'])
	if ($version.Count -eq 0 -or -not $version[0]) { throw ('objectVersion of ' + $schemaNc + ' could not be read.') }
	$objectVersion = [int]$version[0]
	$evidence = [ordered]@{ objectVersion = $objectVersion; schema = $schemaNc }
	if ($objectVersion -ge 52) { return New-PadResult -Status pass -Evidence $evidence }
	New-PadResult -Status fail -FailureIds 'schema-too-old' -Evidence $evidence
}

function Test-PadMsaContainer {
	# "There is no such object on the server" support article: otherWellKnownObjects of the domain must reference
	# the Managed Service Accounts container (GUID 1EB93889E40C45DF9F0C64D23BBB6237) and not a deleted object.
	param([hashtable] $Context)
	$root = Get-PadDirectoryRoot
	if ($null -eq $root) { return New-PadResult -Status notApplicable -Evidence @{ joined = $false } }
	$domainNc = @($root['defaultNamingContext'])[0]
	$values = @((Get-PadDirectoryAttribute -DistinguishedName $domainNc -Attribute 'otherWellKnownObjects')['otherWellKnownObjects'])
	$prefix = 'B:32:1EB93889E40C45DF9F0C64D23BBB6237:'
	$entry = $null
	foreach ($v in $values) { if ($v -and $v.ToUpperInvariant().StartsWith($prefix)) { $entry = $v } }
	if ($null -eq $entry) {
		return New-PadResult -Status fail -FailureIds 'msa-container-missing' -Evidence ([ordered]@{ domain = $domainNc; container = $null })
	}
	$container = $entry.Substring($prefix.Length)
	$evidence = [ordered]@{ domain = $domainNc; container = $container }
	# A deleted object's DN carries "\0ADEL:<guid>" and lives under CN=Deleted Objects.
	if ($container.Contains('\0ADEL:') -or $container -match 'CN=Deleted Objects') {
		return New-PadResult -Status fail -FailureIds 'msa-container-deleted' -Evidence $evidence
	}
	New-PadResult -Status pass -Evidence $evidence
}
