# Doubles for the platform, the identity, CIM, the registry, services and TCP connects.
# Scenario keys used: platform, identity, cim, registry, services, tcp, hang.

function Get-FakePadPlatform { [string](Get-FakeHostValue -Path 'platform' -Default 'Windows') }
Set-Alias -Name Get-PadPlatform -Value Get-FakePadPlatform

function Get-FakePadCurrentIdentity {
	Invoke-FakeHostHang -Command 'Get-PadCurrentIdentity'
	$identity = Get-FakeHostValue -Path 'identity'
	if ($null -eq $identity) { throw 'The current identity could not be read.' }
	[pscustomobject]@{
		Name       = [string]$identity['name']
		UserSid    = [string]$identity['userSid']
		IsElevated = [bool]$identity['isElevated']
		GroupSids  = [string[]]@($identity['groupSids'])
	}
}
Set-Alias -Name Get-PadCurrentIdentity -Value Get-FakePadCurrentIdentity

function Get-CimInstance {
	# "cim": { "<ClassName>": [ { properties } ] }; -Filter "Name='x'" selects by the Name property.
	[CmdletBinding()]
	param(
		[Parameter(Position = 0)] [Alias('Class')] [string] $ClassName,
		[string] $Filter,
		[string] $Namespace = 'root/cimv2',
		[string[]] $Property
	)
	Invoke-FakeHostHang -Command ('Get-CimInstance:' + $ClassName)
	$ns = $Namespace.Replace('\', '/').ToLowerInvariant()
	$key = $ClassName
	if ($ns -ne 'root/cimv2') { $key = $ns + ':' + $ClassName }
	$failure = Get-FakeHostValue -Path ('cimErrors.' + $key)
	if ($failure) { throw [string]$failure }
	$rows = Get-FakeHostValue -Path ('cim.' + $key) -Default @()
	foreach ($row in $rows) {
		if ($null -eq $row) { continue }
		if ($Filter) {
			if ($Filter -match "^\s*(\w+)\s*=\s*'([^']*)'\s*$") {
				if ([string]$row[$Matches[1]] -ne $Matches[2]) { continue }
			}
			else { throw "FakeWindowsHost: unsupported CIM filter: $Filter" }
		}
		[pscustomobject]$row
	}
}

function Get-ItemProperty {
	# Registry paths answer from "registry": { "HKLM:\\path": { "Name": value } }; other paths go to the real cmdlet.
	[CmdletBinding()]
	param(
		[Parameter(Position = 0)] [Alias('LiteralPath')] [string[]] $Path,
		[Parameter(Position = 1)] [string[]] $Name
	)
	foreach ($p in $Path) {
		if ($p -notmatch '^(HKLM|HKCU|Registry::)') {
			Microsoft.PowerShell.Management\Get-ItemProperty -LiteralPath $p -Name $Name
			continue
		}
		$normalized = $p -replace '^Registry::HKEY_LOCAL_MACHINE', 'HKLM:' -replace '^HKLM:(?!\\)', 'HKLM:\'
		$registry = Get-FakeHostValue -Path 'registry' -Default @{}
		$values = $null
		foreach ($k in $registry.Keys) { if ($k -ieq $normalized) { $values = $registry[$k] } }
		if ($null -eq $values) {
			Write-Error -Message "Cannot find path '$p' because it does not exist." -Category ObjectNotFound -ErrorId 'PathNotFound,Microsoft.PowerShell.Commands.GetItemPropertyCommand'
			continue
		}
		$out = [ordered]@{}
		foreach ($k in $values.Keys) { if (-not $Name -or $Name -contains $k) { $out[$k] = $values[$k] } }
		if ($Name -and $out.Count -eq 0) {
			Write-Error -Message "Property $($Name -join ', ') does not exist at path $p." -Category InvalidArgument -ErrorId 'System.Management.Automation.PSArgumentException,Microsoft.PowerShell.Commands.GetItemPropertyCommand'
			continue
		}
		[pscustomobject]$out
	}
}

function Get-Service {
	# "services": { "<Name>": { "status": "Running", "startType": "Automatic", "displayName": "..." } }
	[CmdletBinding()]
	param([Parameter(Position = 0)] [string[]] $Name)
	Invoke-FakeHostHang -Command 'Get-Service'
	$services = Get-FakeHostValue -Path 'services' -Default @{}
	foreach ($n in $Name) {
		if (-not $services.Contains($n)) {
			Write-Error -Message "Cannot find any service with service name '$n'." -Category ObjectNotFound -ErrorId 'NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.GetServiceCommand'
			continue
		}
		$s = $services[$n]
		[pscustomobject]@{ Name = $n; DisplayName = [string]$s['displayName']; Status = [string]$s['status']; StartType = [string]$s['startType'] }
	}
}

function Invoke-FakePadTcpProbe {
	# "tcp": { "host:port": "open" | "refused" | "timeout" }; unnamed targets are open.
	param([object[]] $Targets, [int] $TimeoutMs)
	Invoke-FakeHostHang -Command 'Invoke-PadTcpProbe'
	$tcp = Get-FakeHostValue -Path 'tcp' -Default @{}
	foreach ($t in $Targets) {
		$key = '{0}:{1}' -f $t.Host, $t.Port
		$status = 'open'
		if ($tcp.Contains($key)) { $status = [string]$tcp[$key] }
		$detail = $null
		if ($status -eq 'timeout') { $detail = 'No answer within ' + $TimeoutMs + ' ms' }
		elseif ($status -eq 'refused') { $detail = 'Connection refused' }
		[pscustomobject]@{ Host = [string]$t.Host; Port = [int]$t.Port; Status = $status; Detail = $detail; ElapsedMs = 5 }
	}
}
Set-Alias -Name Invoke-PadTcpProbe -Value Invoke-FakePadTcpProbe
