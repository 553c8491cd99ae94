# Doubles for the platform, the identity, CIM, the registry, services and TCP connects.
# Scenario keys used: platform, identity, cim, registry, registryErrors, services, tcp, tcpDefault, hang, block, unelevated.

function Get-FakePadPlatform { [string](Get-FakeHostValue -Path 'platform' -Default 'Windows') }
Set-Alias -Name Get-PadPlatform -Value Get-FakePadPlatform

function Get-FakePadCurrentIdentity {
	Invoke-FakeHostHang -Command 'Get-PadCurrentIdentity'
	$identity = Get-FakeHostValue -Path 'identity'
	if ($null -eq $identity) { throw 'The current identity could not be read.' }
	$groups = [string[]]@($identity['groupSids'] | Where-Object { $_ })
	if (Test-FakeHostUnelevated -Behaviour 'groupSids') {
		# A filtered (UAC) token holds the admin groups deny-only, and WindowsIdentity.Groups leaves deny-only groups out.
		$groups = [string[]]@($groups | Where-Object { $_ -ne 'S-1-5-32-544' -and $_ -notmatch '^S-1-5-21-\d+-\d+-\d+-(512|519)$' })
	}
	[pscustomobject]@{
		Name       = [string]$identity['name']
		UserSid    = [string]$identity['userSid']
		IsElevated = [bool]$identity['isElevated']
		GroupSids  = $groups
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
	if ($ns -like 'root/rsop*' -and (Test-FakeHostUnelevated -Behaviour 'rsop')) {
		# WMI refuses the RSoP namespaces to a filtered token: WBEM_E_ACCESS_DENIED, written as a non-terminating error.
		Write-Error -Message 'Access denied ' -Category PermissionDenied -ErrorId 'HRESULT 0x80041003,Microsoft.Management.Infrastructure.CimCmdlets.GetCimInstanceCommand'
		return
	}
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
		$normalized = $p -replace '^Registry::HKEY_LOCAL_MACHINE', 'HKLM:' -replace '^Registry::HKEY_CURRENT_USER', 'HKCU:' -replace '^(HKLM|HKCU):(?!\\)', '$1:\'
		# "registryErrors": { "HKCU:\\path": "message" } makes reading that key fail as access denied does.
		$errors = Get-FakeHostValue -Path 'registryErrors' -Default @{}
		$denied = $null
		foreach ($k in $errors.Keys) { if ($k -ieq $normalized) { $denied = $errors[$k] } }
		if ($denied) {
			Write-Error -Message ([string]$denied) -Category PermissionDenied -ErrorId 'System.Security.SecurityException,Microsoft.PowerShell.Commands.GetItemPropertyCommand'
			continue
		}
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
	# "tcp": { "host:port": answer }; targets not named get "tcpDefault" (default "open"). An answer is:
	#   "open" | "refused"              at once
	#   "timeout"                       at once, reported as no answer (keeps scenarios fast)
	#   "never"                         no answer: the probe waits its whole TimeoutMs, then reports timeout
	#   { "delayMs": n, "status": s }   answers s ("open" unless given) after n ms; n >= TimeoutMs is a timeout
	# Like Invoke-PadTcpProbe, all targets wait together under one TimeoutMs: the call takes as long as the slowest
	# answer, at most TimeoutMs, however many targets never answer.
	param([object[]] $Targets, [int] $TimeoutMs)
	Invoke-FakeHostHang -Command 'Invoke-PadTcpProbe'
	$watch = [System.Diagnostics.Stopwatch]::StartNew()
	$tcp = Get-FakeHostValue -Path 'tcp' -Default @{}
	$default = Get-FakeHostValue -Path 'tcpDefault' -Default 'open'
	$planned = New-Object System.Collections.Generic.List[object]
	$waitMs = 0
	foreach ($t in $Targets) {
		$key = '{0}:{1}' -f $t.Host, $t.Port
		$answer = $default
		if ($tcp.Contains($key)) { $answer = $tcp[$key] }
		$status = 'open'
		$delay = 0
		if ($answer -is [System.Collections.IDictionary]) {
			$delay = [int]$answer['delayMs']
			if ($answer.Contains('status') -and $answer['status']) { $status = [string]$answer['status'] }
		}
		elseif ([string]$answer -eq 'never') { $delay = -1 }
		else { $status = [string]$answer }
		# A target that answers no sooner than the timeout has not answered when the wait ends.
		if ($delay -lt 0 -or $delay -ge $TimeoutMs) { $status = 'timeout'; $delay = $TimeoutMs }
		if ($delay -gt $waitMs) { $waitMs = $delay }
		$planned.Add([pscustomobject]@{ Target = $t; Status = $status })
	}
	if ($waitMs -gt 0) { Start-Sleep -Milliseconds $waitMs }
	$elapsed = [int]$watch.ElapsedMilliseconds
	foreach ($p in $planned) {
		$detail = $null
		if ($p.Status -eq 'timeout') { $detail = 'No answer within ' + $TimeoutMs + ' ms' }
		elseif ($p.Status -eq 'refused') { $detail = 'Connection refused' }
		[pscustomobject]@{ Host = [string]$p.Target.Host; Port = [int]$p.Target.Port; Status = $p.Status; Detail = $detail; ElapsedMs = $elapsed }
	}
}
Set-Alias -Name Invoke-PadTcpProbe -Value Invoke-FakePadTcpProbe
