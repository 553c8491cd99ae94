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
	# how-to-prerequisites: "An on-premises server for the provisioning agent with Windows 2016 or later" /
	# "domain-joined host server running Windows Server 2016 or greater". Windows Server 2016 is build 14393;
	# ProductType 1 is a workstation (2 = domain controller, 3 = server).
	param([hashtable] $Context)
	$os = Get-PadServerSingleInstance -ClassName Win32_OperatingSystem
	$build = 0
	[void][int]::TryParse([string](Get-PadPropertyValue $os 'BuildNumber'), [ref]$build)
	$productType = [int](Get-PadPropertyValue $os 'ProductType')
	$evidence = [ordered]@{
		caption     = [string](Get-PadPropertyValue $os 'Caption')
		buildNumber = $build
		productType = $productType
		version     = [string](Get-PadPropertyValue $os 'Version')
	}
	$failures = New-Object System.Collections.Generic.List[string]
	if ($build -lt 14393) { $failures.Add('os-too-old') }
	if ($productType -eq 1) { $failures.Add('os-not-server') }
	if ($failures.Count -gt 0) { return New-PadResult -Status fail -FailureIds $failures.ToArray() -Evidence $evidence }
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
	$evidence = [ordered]@{
		domain       = [string](Get-PadPropertyValue $cs 'Domain')
		partOfDomain = $joined
		domainRole   = $role
	}
	if ($joined) { return New-PadResult -Status pass -Evidence $evidence }
	New-PadResult -Status fail -FailureIds 'not-domain-joined' -Evidence $evidence
}

function Test-PadMemory {
	# how-to-prerequisites: "minimum of 4-GB RAM". TotalPhysicalMemory is what Windows can use, so a server with 4 GB
	# installed reports a little less (memory reserved by firmware and devices, e.g. 3.8 to 3.99 GiB). Tolerance:
	# 3.5 GiB or more passes; a server with less than that has less than 4 GB installed.
	param([hashtable] $Context)
	$cs = Get-PadServerSingleInstance -ClassName Win32_ComputerSystem
	$bytes = [long](Get-PadPropertyValue $cs 'TotalPhysicalMemory')
	$evidence = [ordered]@{
		totalGB    = [double][Math]::Round($bytes / 1GB, 1)
		totalBytes = $bytes
	}
	$minimumBytes = [long](3.5 * 1GB)
	if ($bytes -ge $minimumBytes) { return New-PadResult -Status pass -Evidence $evidence }
	New-PadResult -Status fail -FailureIds 'memory-below-minimum' -Evidence $evidence
}

function Get-PadDotNetVersionName {
	# Release DWORD to .NET Framework version: the highest version whose minimum Release value the given value reaches.
	# Values from Microsoft's "Determine which .NET Framework versions are installed" page
	# (dotnet/docs: docs/framework/install/how-to-determine-which-versions-are-installed.md, "minimum version" table):
	# 4.7.1 = 461308 / 461310, 4.7.2 = 461808 / 461814, 4.8 = 528040 / 528049 / 528372 / 528449, 4.8.1 = 533320 / 533325.
	param($Release)
	if ($null -eq $Release) { return $null }
	$minimums = @(
		@(533320, '4.8.1'), @(528040, '4.8'), @(461808, '4.7.2'), @(461308, '4.7.1'), @(460798, '4.7'),
		@(394802, '4.6.2'), @(394254, '4.6.1'), @(393295, '4.6'), @(379893, '4.5.2'), @(378675, '4.5.1'), @(378389, '4.5')
	)
	foreach ($pair in $minimums) { if ([long]$Release -ge [long]$pair[0]) { return [string]$pair[1] } }
	$null
}

function Test-PadDotNet {
	# how-to-prerequisites: ".NET 4.7.1+ runtime"; "Minimum Microsoft .NET Framework 4.7.1". 4.7.1 is Release 461308
	# (Windows 10 1709 / Windows Server 1709) or 461310 (all other systems), so Release >= 461308 passes.
	# No v4\Full key (or no Release value) means no .NET Framework 4.5 or later.
	param([hashtable] $Context)
	$key = Read-PadServerRegistryKey -Path 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full'
	$release = Get-PadPropertyValue $key 'Release'
	if ($null -ne $release) { $release = [long]$release }
	$evidence = [ordered]@{ release = $release; version = (Get-PadDotNetVersionName $release) }
	if ($null -ne $release -and $release -ge 461308) { return New-PadResult -Status pass -Evidence $evidence }
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

function Test-PadExecutionPolicy {
	# how-to-prerequisites: "The PowerShell execution policy on the local server must be set to Undefined or RemoteSigned."
	# how-to-troubleshoot ("Agent registration fails with security error"): "You need to have machine and user policies
	# set as Undefined or RemoteSigned. If they're set as Unrestricted, you'll see this error."
	# The Process scope is not checked: it belongs to this session (which may run with -ExecutionPolicy Bypass).
	param([hashtable] $Context)
	$scopes = 'MachinePolicy', 'UserPolicy', 'LocalMachine', 'CurrentUser'
	$found = @{}
	foreach ($entry in @(Get-ExecutionPolicy -List)) {
		# Enum values become their names here, the same on 5.1 and 7.
		$found[[string]$entry.Scope] = [string]$entry.ExecutionPolicy
	}
	$evidence = [ordered]@{}
	$unrestricted = $false
	$unsupported = $false
	foreach ($scope in $scopes) {
		$policy = $null
		if ($found.ContainsKey($scope)) { $policy = $found[$scope] }
		$evidence[$scope] = $policy
		if ($null -eq $policy -or $policy -eq 'Undefined' -or $policy -eq 'RemoteSigned') { continue }
		if ($policy -eq 'Unrestricted') { $unrestricted = $true }
		else { $unsupported = $true }
	}
	$evidence['effective'] = [string](Get-ExecutionPolicy)
	$failures = New-Object System.Collections.Generic.List[string]
	if ($unrestricted) { $failures.Add('execution-policy-unrestricted') }
	if ($unsupported) { $failures.Add('execution-policy-unsupported') }
	if ($failures.Count -gt 0) { return New-PadResult -Status fail -FailureIds $failures.ToArray() -Evidence $evidence }
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
