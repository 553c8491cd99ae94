# Server: the Windows Server that hosts (or will host) the provisioning agent. Read-only.
# Windows PowerShell 5.1 syntax only (no ??, ?., ternary, && / ||); ASCII only.

function Read-PadServerRegistryKey {
	# The values of one registry key as an object, or $null when the key does not exist. Other errors (access denied)
	# are thrown, so the check becomes 'unknown' instead of guessing.
	param([Parameter(Mandatory = $true)] [string] $Path)
	try { Get-ItemProperty -LiteralPath $Path -ErrorAction Stop }
	catch {
		if ($_.CategoryInfo.Category -eq [System.Management.Automation.ErrorCategory]::ObjectNotFound) { return $null }
		throw
	}
}

function Get-PadServerSingleInstance {
	# The first instance of a CIM class (Win32_OperatingSystem and Win32_ComputerSystem have exactly one).
	param([Parameter(Mandatory = $true)] [string] $ClassName)
	$instances = @(Get-CimInstance -ClassName $ClassName -ErrorAction Stop)
	if ($instances.Count -eq 0) { throw ('Get-CimInstance returned no instance of ' + $ClassName + '.') }
	$instances[0]
}

function Test-PadOsVersion {
	# how-to-prerequisites (2026-07-27): "We recommend using Windows Server 2025 or Windows Server 2022. You can also
	# deploy Microsoft Entra Cloud Sync on older Windows Server versions that are in extended support"; its gMSA list
	# names Windows Server 2016 to 2025. The build -> version table, the oldest build and the update level Windows
	# Server 2025 needs (KB5070773 = build 26100.6901) are the check's rules. ProductType 1 is a workstation
	# (2 = domain controller, 3 = server); client Windows 11 shares build 26100, so it is never named Windows Server 2025.
	param([hashtable] $Context)
	$rules = Get-PadCheckRules -CheckId 'server.os-version'
	$os = Get-PadServerSingleInstance -ClassName Win32_OperatingSystem
	$build = 0
	[void][int]::TryParse([string](Get-PadPropertyValue $os 'BuildNumber'), [ref]$build)
	$productType = [int](Get-PadPropertyValue $os 'ProductType')
	# The revision after the build (10.0.26100.6901) is the UBR value; the override value is the earlier KB5065426
	# workaround, shown for information only.
	$ubr = Get-PadPropertyValue (Read-PadServerRegistryKey -Path 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion') 'UBR'
	if ($null -ne $ubr) { $ubr = [long]$ubr }
	$override = Get-PadPropertyValue (Read-PadServerRegistryKey -Path ([string]$rules.kb5065426Workaround.key)) ([string]$rules.kb5065426Workaround.value)
	if ($null -ne $override -and [string]$override -match '^\d+$') { $override = [long]$override }
	$known = $null
	if ($productType -ne 1) {
		foreach ($entry in @($rules.builds)) { if ([int]$entry.build -eq $build) { $known = $entry } }
	}
	$evidence = [ordered]@{
		caption             = [string](Get-PadPropertyValue $os 'Caption')
		version             = [string](Get-PadPropertyValue $os 'Version')
		buildNumber         = $build
		ubr                 = $ubr
		productType         = $productType
		versionName         = $null
		recommended         = $null
		extendedSupport     = $null
		kb5065426Workaround = $override
	}
	if ($null -ne $known) {
		$evidence['versionName'] = [string]$known.name
		# A flag the table does not give stays unknown (null) rather than false.
		$evidence['recommended'] = Get-PadPropertyValue $known 'recommended'
		$evidence['extendedSupport'] = Get-PadPropertyValue $known 'extendedSupport'
	}
	$failures = New-Object System.Collections.Generic.List[string]
	if ($build -lt [int]$rules.minimumBuild) { $failures.Add('os-too-old') }
	if ($productType -eq 1) { $failures.Add('os-not-server') }
	$update = $null
	if ($null -ne $known) { $update = $known.PSObject.Properties['minimumRevision'] }
	if ($null -ne $update) {
		if ($null -eq $ubr) {
			return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage ('The build revision (registry value UBR) of this ' + $known.name + ' server could not be read, so whether update ' + $known.update + ' is installed is unknown.')
		}
		if ($ubr -lt [long]$update.Value) { $failures.Add('os-2025-update-missing') }
	}
	if ($failures.Count -gt 0) {
		return New-PadResult -Status (Get-PadWorstSeverity -CheckId 'server.os-version' -FailureIds $failures.ToArray()) -FailureIds $failures.ToArray() -Evidence $evidence
	}
	New-PadResult -Status pass -Evidence $evidence
}

function Test-PadServerCore {
	# how-to-prerequisites: "Installing the cloud provisioning agent on Windows Server Core isn't supported."
	# InstallationType is 'Server Core' on Server Core and 'Server' with Desktop Experience.
	param([hashtable] $Context)
	$key = Read-PadServerRegistryKey -Path 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
	$type = Get-PadPropertyValue $key 'InstallationType'
	$evidence = [ordered]@{ installationType = $type }
	if ($null -eq $type) { return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage 'The registry value InstallationType was not found.' }
	if ([string]$type -eq 'Server Core') { return New-PadResult -Status fail -FailureIds 'server-core' -Evidence $evidence }
	New-PadResult -Status pass -Evidence $evidence
}

function Test-PadDomainJoined {
	# how-to-prerequisites: "Identify a domain-joined host server ..."; gMSA prerequisites: "A domain joined server
	# where the agent is being installed needs to be either Windows Server 2016 or later."
	param([hashtable] $Context)
	$cs = Get-PadServerSingleInstance -ClassName Win32_ComputerSystem
	$joined = [bool](Get-PadPropertyValue $cs 'PartOfDomain')
	$role = Get-PadPropertyValue $cs 'DomainRole'
	if ($null -ne $role) { $role = [int]$role }
	# DomainRole 4 and 5 are a backup and the primary domain controller.
	$evidence = [ordered]@{
		domain           = [string](Get-PadPropertyValue $cs 'Domain')
		partOfDomain     = $joined
		domainRole       = $role
		domainController = ($role -eq 4 -or $role -eq 5)
	}
	if ($joined) { return New-PadResult -Status pass -Evidence $evidence }
	New-PadResult -Status fail -FailureIds 'not-domain-joined' -Evidence $evidence
}

function Test-PadMemory {
	# how-to-prerequisites: "minimum of 4-GB RAM". TotalPhysicalMemory is the memory Windows can use, so a server with
	# 4 GB installed reports a little less (firmware and devices reserve part of it). The check's rules hold the
	# threshold it accepts (3.5 GiB) and why; below it the server has less than 4 GB installed.
	param([hashtable] $Context)
	$minimumBytes = [long](Get-PadCheckRules -CheckId 'server.memory').minimumBytes
	$cs = Get-PadServerSingleInstance -ClassName Win32_ComputerSystem
	$bytes = [long](Get-PadPropertyValue $cs 'TotalPhysicalMemory')
	$evidence = [ordered]@{
		totalGB      = [double][Math]::Round($bytes / 1GB, 2)
		totalBytes   = $bytes
		minimumBytes = $minimumBytes
	}
	if ($bytes -ge $minimumBytes) { return New-PadResult -Status pass -Evidence $evidence }
	New-PadResult -Status fail -FailureIds 'memory-below-minimum' -Evidence $evidence
}

function Get-PadDotNetVersionName {
	# Release DWORD to .NET Framework version: the highest version whose minimum Release value the given value
	# reaches, from the "releaseNames" table of the check's rules.
	param($Release)
	if ($null -eq $Release) { return $null }
	$best = $null
	foreach ($entry in @((Get-PadCheckRules -CheckId 'server.dotnet').releaseNames)) {
		if ([long]$Release -ge [long]$entry.minimumRelease -and ($null -eq $best -or [long]$entry.minimumRelease -gt [long]$best.minimumRelease)) { $best = $entry }
	}
	if ($null -eq $best) { return $null }
	[string]$best.version
}

function Test-PadDotNet {
	# how-to-prerequisites: ".NET 4.7.1+ runtime"; "Minimum Microsoft .NET Framework 4.7.1". 4.7.1 is Release 461308
	# on some systems and 461310 on the others, so the rules' minimumRelease 461308 passes.
	# No v4\Full key (or no Release value) means no .NET Framework 4.5 or later.
	param([hashtable] $Context)
	$minimum = [long](Get-PadCheckRules -CheckId 'server.dotnet').minimumRelease
	$key = Read-PadServerRegistryKey -Path 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full'
	$release = Get-PadPropertyValue $key 'Release'
	if ($null -ne $release) { $release = [long]$release }
	$evidence = [ordered]@{ release = $release; version = (Get-PadDotNetVersionName $release) }
	if ($null -ne $release -and $release -ge $minimum) { return New-PadResult -Status pass -Evidence $evidence }
	New-PadResult -Status fail -FailureIds 'dotnet-too-old' -Evidence $evidence
}

function Test-PadTls12 {
	# how-to-prerequisites (TLS 1.2 section, .reg content): SCHANNEL\Protocols\TLS 1.2\Client and \Server with
	# Enabled=1 and DisabledByDefault=0, and HKLM\SOFTWARE\Microsoft\.NETFramework\v4.0.30319 SchUseStrongCrypto=1,
	# then "Restart the server." A value that disables TLS 1.2 fails; SchUseStrongCrypto missing or not 1 fails;
	# SCHANNEL values not set at all leave the OS default (not stated by the source), so that is only a warning.
	# SystemDefaultTlsVersions and the WOW6432Node copy are not in how-to-prerequisites: evidence only.
	param([hashtable] $Context)
	$protocols = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2'
	$client = Read-PadServerRegistryKey -Path ($protocols + '\Client')
	$server = Read-PadServerRegistryKey -Path ($protocols + '\Server')
	$netFx = Read-PadServerRegistryKey -Path 'HKLM:\SOFTWARE\Microsoft\.NETFramework\v4.0.30319'
	$netFx32 = Read-PadServerRegistryKey -Path 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\.NETFramework\v4.0.30319'

	$schannel = [ordered]@{
		clientEnabled           = Get-PadPropertyValue $client 'Enabled'
		clientDisabledByDefault = Get-PadPropertyValue $client 'DisabledByDefault'
		serverEnabled           = Get-PadPropertyValue $server 'Enabled'
		serverDisabledByDefault = Get-PadPropertyValue $server 'DisabledByDefault'
	}
	$disabled = $false
	$absent = $false
	foreach ($name in @($schannel.Keys)) {
		$value = $schannel[$name]
		if ($null -eq $value) { $absent = $true; continue }
		$value = [long]$value
		$schannel[$name] = $value
		if ($name -like '*DisabledByDefault') { if ($value -ne 0) { $disabled = $true } }
		elseif ($value -eq 0) { $disabled = $true }
	}
	$strongCrypto = Get-PadPropertyValue $netFx 'SchUseStrongCrypto'
	if ($null -ne $strongCrypto) { $strongCrypto = [long]$strongCrypto }

	$evidence = [ordered]@{}
	foreach ($name in $schannel.Keys) { $evidence[$name] = $schannel[$name] }
	$evidence['schUseStrongCrypto'] = $strongCrypto
	$evidence['systemDefaultTlsVersions'] = Get-PadPropertyValue $netFx 'SystemDefaultTlsVersions'
	$evidence['wow6432SchUseStrongCrypto'] = Get-PadPropertyValue $netFx32 'SchUseStrongCrypto'
	$evidence['wow6432SystemDefaultTlsVersions'] = Get-PadPropertyValue $netFx32 'SystemDefaultTlsVersions'

	$failures = New-Object System.Collections.Generic.List[string]
	if ($disabled) { $failures.Add('tls12-disabled') }
	if ($strongCrypto -ne 1) { $failures.Add('tls12-strong-crypto-missing') }
	if ($absent -and -not $disabled) { $failures.Add('tls12-keys-absent') }
	if ($disabled -or $strongCrypto -ne 1) { return New-PadResult -Status fail -FailureIds $failures.ToArray() -Evidence $evidence }
	if ($absent) { return New-PadResult -Status warning -FailureIds $failures.ToArray() -Evidence $evidence }
	New-PadResult -Status pass -Evidence $evidence
}

function Test-PadCredentialManager {
	# how-to-prerequisites: "The Windows Credential Manager service (VaultSvc) cannot be disabled as that prevents the
	# provisioning agent from installing." Win32_Service.StartMode is read because ServiceController.StartType is not
	# on every Windows PowerShell 5.1 host.
	param([hashtable] $Context)
	$services = @(Get-CimInstance -ClassName Win32_Service -Filter "Name='VaultSvc'" -ErrorAction Stop)
	if ($services.Count -eq 0) {
		return New-PadResult -Status unknown -Evidence ([ordered]@{ startMode = $null; state = $null }) -ErrorMessage 'The service VaultSvc was not found.'
	}
	$startMode = [string](Get-PadPropertyValue $services[0] 'StartMode')
	$evidence = [ordered]@{ startMode = $startMode; state = [string](Get-PadPropertyValue $services[0] 'State') }
	if ($startMode -eq 'Disabled') { return New-PadResult -Status fail -FailureIds 'vaultsvc-disabled' -Evidence $evidence }
	New-PadResult -Status pass -Evidence $evidence
}

function Test-PadConnectSync {
	# reference-cloud-sync-faq: installing the provisioning agent on the same server as Microsoft Entra Connect Sync
	# "is supported", and "staging servers aren't supported" with the cloud provisioning agent. Informational: the
	# result is always pass (or unknown when nothing could be read); notes say what was found. The display and service
	# names are the check's rules (not documented by Microsoft for this purpose, hence the notes' caveat).
	param([hashtable] $Context)
	$rules = Get-PadCheckRules -CheckId 'server.connect-sync'
	$names = @($rules.uninstallDisplayNames | ForEach-Object { ([string]$_).ToLowerInvariant() })
	$programs = New-Object System.Collections.Generic.List[object]
	foreach ($entry in @(Get-PadUninstallEntries)) {
		if ($names -contains ([string]$entry.DisplayName).ToLowerInvariant()) {
			$programs.Add([ordered]@{ name = [string]$entry.DisplayName; version = [string]$entry.DisplayVersion; view = [string]$entry.View })
		}
	}
	$service = $null
	foreach ($name in @($rules.serviceNames)) {
		$rows = @(Get-CimInstance -ClassName Win32_Service -Filter ("Name='" + [string]$name + "'") -ErrorAction Stop)
		if ($rows.Count -gt 0 -and $null -eq $service) { $service = [string]$name + ' (' + [string](Get-PadPropertyValue $rows[0] 'State') + ')' }
	}
	$evidence = [ordered]@{
		connectSyncInstalled = ($programs.Count -gt 0 -or $null -ne $service)
		connectSyncPrograms  = $programs.ToArray()
		connectSyncService   = $service
	}
	New-PadResult -Status pass -Evidence $evidence
}
