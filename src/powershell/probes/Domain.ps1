# Domain: the Active Directory domain the server is joined to. Read-only; needs no RSAT module (Get-PadComputerDomain
# reads the domain through System.DirectoryServices). Windows PowerShell 5.1 syntax only; ASCII only.

function Get-PadFunctionalLevelName {
	# msDS-Behavior-Version of a domain or forest to the Windows Server version it stands for. 8 and 9 are not used:
	# Windows Server 2019 and 2022 kept level 7 (Windows Server 2016).
	param($Level)
	if ($null -eq $Level) { return $null }
	switch ([int]$Level) {
		0 { 'Windows 2000' }
		1 { 'Windows Server 2003 interim' }
		2 { 'Windows Server 2003' }
		3 { 'Windows Server 2008' }
		4 { 'Windows Server 2008 R2' }
		5 { 'Windows Server 2012' }
		6 { 'Windows Server 2012 R2' }
		7 { 'Windows Server 2016' }
		10 { 'Windows Server 2025' }
		default { $null }
	}
}

function Get-PadJoinedDomain {
	# $null when this computer is not joined to a domain (Win32_ComputerSystem.PartOfDomain), else the domain read
	# through Get-PadComputerDomain, which throws when no domain controller answers (the check is then 'unknown').
	if (-not (Test-PadComputerInDomain)) { return $null }
	Get-PadComputerDomain
}

function Get-PadDcOsYear {
	# The Windows Server year in an operatingSystem string ("Windows Server 2012 R2 Datacenter" -> 2012), or $null.
	param([string] $OSVersion)
	if ($OSVersion -match '(?<!\d)((?:19|20)\d\d)(?!\d)') { return [int]$Matches[1] }
	$null
}

function Test-PadFunctionalLevel {
	# Seed article (2021 version of "Can't start the AADConnectProvisioningAgent"): "both a domain functional level and a
	# forest functional level of at least 2012 R2" (level 6). NOT in the current how-to-prerequisites, hence a warning
	# only; the current gMSA prerequisites (schema Windows Server 2012, a DC on Windows Server 2012) are checked elsewhere.
	param([hashtable] $Context)
	$domain = Get-PadJoinedDomain
	if ($null -eq $domain) { return New-PadResult -Status notApplicable -Evidence ([ordered]@{ partOfDomain = $false }) }
	$domainLevel = $null
	$forestLevel = $null
	if ($null -ne $domain.DomainModeLevel) { $domainLevel = [int]$domain.DomainModeLevel }
	if ($null -ne $domain.ForestModeLevel) { $forestLevel = [int]$domain.ForestModeLevel }
	$evidence = [ordered]@{
		domain            = [string]$domain.Name
		forest            = [string]$domain.ForestName
		domainLevel       = Get-PadFunctionalLevelName $domainLevel
		forestLevel       = Get-PadFunctionalLevelName $forestLevel
		domainLevelNumber = $domainLevel
		forestLevelNumber = $forestLevel
	}
	if ($null -eq $domainLevel -or $null -eq $forestLevel) {
		return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage 'The domain or forest functional level could not be read.'
	}
	if ($domainLevel -lt 6 -or $forestLevel -lt 6) {
		return New-PadResult -Status warning -FailureIds 'functional-level-below-2012r2' -Evidence $evidence
	}
	New-PadResult -Status pass -Evidence $evidence
}

function Test-PadDcVersion {
	# how-to-prerequisites (gMSA): "At least one domain controller in the domain must be running Windows Server 2012 or
	# later." -> no-dc-2012 (fail). Seed article (2021): "At least one domain controller running Windows Server 2016"
	# -> no-dc-2016, a warning only because the current how-to-prerequisites no longer says it.
	param([hashtable] $Context)
	$domain = Get-PadJoinedDomain
	if ($null -eq $domain) { return New-PadResult -Status notApplicable -Evidence ([ordered]@{ partOfDomain = $false }) }
	$dcs = New-Object System.Collections.Generic.List[object]
	$newest = $null
	$newestYear = 0
	$unparsed = 0
	foreach ($dc in @($domain.DomainControllers)) {
		if ($null -eq $dc) { continue }
		$name = [string]$dc.Name
		$os = $dc.OSVersion
		if ($null -ne $os) { $os = [string]$os }
		$dcs.Add([ordered]@{ name = $name; osVersion = $os })
		$year = Get-PadDcOsYear $os
		if ($null -eq $year) { $unparsed++; continue }
		if ($year -gt $newestYear) { $newestYear = $year; $newest = $name + ' (' + $os + ')' }
	}
	$evidence = [ordered]@{
		domain            = [string]$domain.Name
		newestDc          = $newest
		domainControllers = $dcs.ToArray()
	}
	if ($dcs.Count -eq 0) { return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage 'No domain controller of the domain was found.' }
	if ($newestYear -ge 2016) { return New-PadResult -Status pass -Evidence $evidence }
	if ($unparsed -gt 0) {
		# A domain controller whose version could not be read may be the newer one: no verdict.
		return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage ('The operating system version of ' + $unparsed + ' domain controller(s) could not be read.')
	}
	if ($newestYear -ge 2012) { return New-PadResult -Status warning -FailureIds 'no-dc-2016' -Evidence $evidence }
	New-PadResult -Status fail -FailureIds 'no-dc-2012' -Evidence $evidence
}
