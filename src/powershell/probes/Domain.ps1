# Domain: the Active Directory domain the server is joined to: functional levels, domain controller versions, the
# secure channel and whether a domain controller answers. Read-only; needs no RSAT module (Get-PadComputerDomain and
# the DC locator wrappers use System.DirectoryServices). Windows PowerShell 5.1 syntax only; ASCII only.

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

function Get-PadComputerSystem {
	# The one Win32_ComputerSystem instance (domain, PartOfDomain, DomainRole).
	$cs = @(Get-CimInstance -ClassName Win32_ComputerSystem -ErrorAction Stop)
	if ($cs.Count -eq 0) { throw 'Get-CimInstance returned no instance of Win32_ComputerSystem.' }
	$cs[0]
}

function Test-PadSecureChannel {
	# [TCSC] Test-ComputerSecureChannel "returns $true if the channel is working correctly and $false if it is not";
	# "This cmdlet only works on Domain Member computers. When you run it on Domain Controllers, it returns false
	# positive errors" -> not applicable on a domain controller (Win32_ComputerSystem.DomainRole 4 or 5). Called
	# WITHOUT -Repair, which would rebuild the channel. Its notes ask for "Run as administrator", so an unelevated run is
	# "could not check". Facts P32/E20: the link to the agent is unverified (the catalogue says so).
	# PowerShell 7: Microsoft documents this cmdlet for Windows PowerShell 5.1 only (no page in the 7.x reference), so
	# under pwsh it may be missing; then the check could not check and says to run the diagnosis with Windows PowerShell.
	param([hashtable] $Context)
	$cs = Get-PadComputerSystem
	$edition = 'Desktop'
	if ($PSVersionTable.ContainsKey('PSEdition')) { $edition = [string]$PSVersionTable.PSEdition }
	$role = Get-PadPropertyValue $cs 'DomainRole'
	if ($null -ne $role) { $role = [int]$role }
	$evidence = [ordered]@{ domain = [string](Get-PadPropertyValue $cs 'Domain'); domainRole = $role; secureChannel = $null; reason = $null; psEdition = $edition }
	if (-not [bool](Get-PadPropertyValue $cs 'PartOfDomain')) {
		$evidence.reason = 'the server is not joined to a domain'
		return New-PadResult -Status notApplicable -Evidence $evidence
	}
	if ($null -ne $role -and $role -ge 4) {
		$evidence.reason = 'this server is a domain controller, where Microsoft says Test-ComputerSecureChannel returns false errors (it names netdom.exe and nltest.exe for domain controllers)'
		return New-PadResult -Status notApplicable -Evidence $evidence
	}
	if (-not (Get-Command -Name Test-ComputerSecureChannel -ErrorAction SilentlyContinue)) {
		return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage ('Test-ComputerSecureChannel is not available in this PowerShell (' + $edition + '); Microsoft documents it for Windows PowerShell 5.1 only. Run the diagnosis with Windows PowerShell (powershell.exe) to check the secure channel.')
	}
	if (-not [bool](Get-PadCurrentIdentity).IsElevated) {
		return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage 'Test-ComputerSecureChannel needs an elevated session: run the diagnosis as administrator.'
	}
	$answer = $null
	foreach ($item in @(Test-ComputerSecureChannel -ErrorAction Stop)) { if ($item -is [bool]) { $answer = $item } }
	$evidence.secureChannel = $answer
	if ($null -eq $answer) { return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage 'Test-ComputerSecureChannel answered neither True nor False.' }
	if ($answer) { return New-PadResult -Status pass -Evidence $evidence }
	New-PadResult -Status fail -FailureIds 'secure-channel-broken' -Evidence $evidence
}

function Test-PadDcReachable {
	# how-to-prerequisites (group provisioning to AD): "The provisioning agent must be able to communicate with one or
	# more domain controllers on ports TCP/389 (LDAP) and TCP/3268 (Global Catalog)." Workday tutorial (same agent):
	# the wizard "takes a long time trying to load the AD schema and eventually times out" when it cannot contact the
	# domain controller because of a firewall. The DC locator picks the domain controller (Find-PadDomainController);
	# the Global Catalog is located on its own because not every domain controller is one. Both ports in one
	# Invoke-PadTcpProbe call, under the network timeout. 389 closed fails; 3268 closed only warns, as only group
	# provisioning to AD names it.
	param([hashtable] $Context)
	$cs = Get-PadComputerSystem
	if (-not [bool](Get-PadPropertyValue $cs 'PartOfDomain')) { return New-PadResult -Status notApplicable -Evidence ([ordered]@{ joined = $false }) }
	$timeoutSeconds = 10
	if ($Context -and $Context['NetworkTimeoutSeconds']) { $timeoutSeconds = [int]$Context['NetworkTimeoutSeconds'] }
	$evidence = [ordered]@{
		domain           = [string](Get-PadPropertyValue $cs 'Domain')
		domainController = $null
		dcSite           = $null
		dcAddress        = $null
		globalCatalog    = $null
		ldapStatus       = $null
		gcStatus         = $null
		endpoints        = @()
	}
	$dc = Find-PadDomainController
	if ($null -eq $dc) { return New-PadResult -Status fail -FailureIds 'dc-not-found' -Evidence $evidence }
	$evidence.domainController = [string]$dc.Name
	$evidence.dcSite = $dc.SiteName
	$evidence.dcAddress = $dc.IPAddress
	$gc = Find-PadGlobalCatalog
	$targets = New-Object System.Collections.Generic.List[object]
	$targets.Add([pscustomobject]@{ Host = [string]$dc.Name; Port = 389 })
	if ($null -ne $gc) {
		$evidence.globalCatalog = [string]$gc.Name
		$targets.Add([pscustomobject]@{ Host = [string]$gc.Name; Port = 3268 })
	}
	else { $evidence.gcStatus = 'no Global Catalog found' }
	$endpoints = New-Object System.Collections.Generic.List[object]
	foreach ($r in @(Invoke-PadTcpProbe -Targets $targets.ToArray() -TimeoutMs ($timeoutSeconds * 1000))) {
		$endpoints.Add([ordered]@{ host = [string]$r.Host; port = [int]$r.Port; status = [string]$r.Status })
		if ([int]$r.Port -eq 389) { $evidence.ldapStatus = [string]$r.Status }
		if ([int]$r.Port -eq 3268) { $evidence.gcStatus = [string]$r.Status }
	}
	$evidence.endpoints = $endpoints.ToArray()
	$failures = New-Object System.Collections.Generic.List[string]
	if ($evidence.ldapStatus -ne 'open') { $failures.Add('dc-ldap-unreachable') }
	if ($evidence.gcStatus -ne 'open') { $failures.Add('dc-gc-unreachable') }
	if ($failures.Count -eq 0) { return New-PadResult -Status pass -Evidence $evidence }
	$ids = $failures.ToArray()
	New-PadResult -Status (Get-PadWorstSeverity -CheckId 'domain.dc-reachable' -FailureIds $ids) -FailureIds $ids -Evidence $evidence
}
