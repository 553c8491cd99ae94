# Directory objects the agent and the wizard need: the schema version, the schema attribute msDS-ExternalDirectoryObjectId
# and the Managed Service Accounts container.
# Read over LDAP through Get-PadDirectoryAttribute and Find-PadDirectoryObject, so no RSAT module is needed. Windows PowerShell 5.1 syntax only.

function Get-PadDirectoryRoot {
	# RootDSE naming contexts; $null when this computer is not joined to a domain (the checks are then not applicable).
	if (-not (Test-PadComputerInDomain)) { return $null }
	Get-PadDirectoryAttribute -DistinguishedName 'RootDSE' -Attribute 'defaultNamingContext', 'schemaNamingContext'
}

function Get-PadSchemaName {
	# The Windows Server schema an objectVersion stands for, from the table in the check's rules (Microsoft's "Find the
	# current Active Directory schema version"). A value the table does not list is named by its neighbours.
	param([int] $ObjectVersion, [object[]] $Versions)
	$below = $null
	$above = $null
	foreach ($v in @($Versions)) {
		$number = [int]$v.objectVersion
		if ($number -eq $ObjectVersion) { return [string]$v.name }
		if ($number -lt $ObjectVersion -and ($null -eq $below -or $number -gt [int]$below.objectVersion)) { $below = $v }
		if ($number -gt $ObjectVersion -and ($null -eq $above -or $number -lt [int]$above.objectVersion)) { $above = $v }
	}
	if ($null -ne $below -and $null -ne $above) { return ('not a released schema (between ' + $below.name + ' and ' + $above.name + ')') }
	if ($null -ne $below) { return ('newer than ' + $below.name) }
	if ($null -ne $above) { return ('older than ' + $above.name) }
	$null
}

function Test-PadSchemaVersion {
	# how-to-prerequisites (gMSA): "The Active Directory schema in the gMSA domain's forest needs to be updated to
	# Windows Server 2012 or later." Microsoft's schema table gives Windows Server 2012 objectVersion 56; the threshold
	# and the table are in the check's rules. (The "no such object" support article says 52: no released schema lies
	# between 47 and 56, so the verdict is the same.)
	param([hashtable] $Context)
	$root = Get-PadDirectoryRoot
	if ($null -eq $root) { return New-PadResult -Status notApplicable -Evidence @{ joined = $false } }
	$rules = Get-PadCheckRules -CheckId 'domain.schema-version'
	$minimum = [int]$rules.minimumObjectVersion
	$schemaNc = @($root['schemaNamingContext'])[0]
	$version = @((Get-PadDirectoryAttribute -DistinguishedName $schemaNc -Attribute 'objectVersion')['objectVersion'])
	if ($version.Count -eq 0 -or -not $version[0]) { throw ('objectVersion of ' + $schemaNc + ' could not be read.') }
	$objectVersion = [int]$version[0]
	$evidence = [ordered]@{
		objectVersion        = $objectVersion
		schemaName           = Get-PadSchemaName -ObjectVersion $objectVersion -Versions @($rules.versions)
		minimumObjectVersion = $minimum
		schema               = $schemaNc
	}
	if ($objectVersion -ge $minimum) { return New-PadResult -Status pass -Evidence $evidence }
	New-PadResult -Status fail -FailureIds 'schema-too-old' -Evidence $evidence
}

function Test-PadSchemaExternalId {
	# how-to-prerequisites: "The Active Directory Schema is required to have the attribute
	# msDS-ExternalDirectoryObjectId, which is available in Windows Server 2016 and later." Looked up by its
	# lDAPDisplayName among the attributeSchema objects of the schema partition (the name is in the check's rules and
	# holds no character an LDAP filter must escape).
	param([hashtable] $Context)
	$root = Get-PadDirectoryRoot
	if ($null -eq $root) { return New-PadResult -Status notApplicable -Evidence @{ joined = $false } }
	$attribute = [string](Get-PadCheckRules -CheckId 'domain.schema-external-id').attribute
	$schemaNc = @($root['schemaNamingContext'])[0]
	$filter = '(&(objectClass=attributeSchema)(lDAPDisplayName=' + $attribute + '))'
	$found = @(Find-PadDirectoryObject -SearchBase $schemaNc -LdapFilter $filter -Attribute 'lDAPDisplayName')
	$definition = $null
	if ($found.Count -gt 0) { $definition = @($found[0]['distinguishedName'])[0] }
	$evidence = [ordered]@{ attribute = $attribute; found = ($found.Count -gt 0); definition = $definition; schema = $schemaNc }
	if ($found.Count -gt 0) { return New-PadResult -Status pass -Evidence $evidence }
	New-PadResult -Status fail -FailureIds 'schema-external-id-missing' -Evidence $evidence
}

function Test-PadMsaContainer {
	# "There is no such object on the server" support article: otherWellKnownObjects of the domain must reference
	# the Managed Service Accounts container (GUID 1EB93889E40C45DF9F0C64D23BBB6237) and not a deleted object. Its
	# remediation for both cases is the Windows Directory Services team (see the catalogue), not a self-service step.
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
