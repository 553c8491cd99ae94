# Doubles for the platform, the identity, CIM, the registry, services and TCP connects.
# Scenario keys used: platform, identity, cim, registry, registryErrors, services, tcp, tcpDefault, hang, block, unelevated.
# A service is described by its Win32_Service row ("cim": { "Win32_Service": [...] }, what the probes read) and, for
# some, by a "services" entry (what Get-Service reads). Start-Service and Set-Service change both through
# Set-FakeHostState (see PAD_FAKE_HOST_STATE in FakeWindowsHost.psm1).

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

# Win32_Service.StartMode for each startup type of Set-Service, and Get-Service's StartType for each StartMode.
$script:FakeStartModeOfStartupType = @{ Automatic = 'Auto'; AutomaticDelayedStart = 'Auto'; Manual = 'Manual'; Disabled = 'Disabled' }
$script:FakeStartTypeOfStartMode = @{ Auto = 'Automatic'; Manual = 'Manual'; Disabled = 'Disabled'; Boot = 'Boot'; System = 'System' }

function Get-FakeHostService {
	<#
	One service as Get-Service shows it (Name, DisplayName, Status, StartType), or $null when the host has no service of
	that name (compared case-insensitively, as Windows does). Its "services" entry wins; a service with only a
	Win32_Service row is shown from that row, so every service the probes can see is one Get-Service finds too.
	#>
	param([Parameter(Mandatory)] [string] $Name)
	$services = Get-FakeHostValue -Path 'services' -Default @{}
	if ($services -is [System.Collections.IDictionary]) {
		foreach ($k in $services.Keys) {
			$s = $services[$k]
			if ([string]$k -ine $Name -or $s -isnot [System.Collections.IDictionary]) { continue }
			return [pscustomobject]@{ Name = [string]$k; DisplayName = [string]$s['displayName']; Status = [string]$s['status']; StartType = [string]$s['startType'] }
		}
	}
	foreach ($row in (Get-FakeHostValue -Path 'cim.Win32_Service' -Default @())) {
		if ($row -isnot [System.Collections.IDictionary] -or [string]$row['Name'] -ine $Name) { continue }
		$startType = [string]$row['StartMode']
		if ($script:FakeStartTypeOfStartMode.ContainsKey($startType)) { $startType = $script:FakeStartTypeOfStartMode[$startType] }
		return [pscustomobject]@{ Name = [string]$row['Name']; DisplayName = [string]$row['DisplayName']; Status = [string]$row['State']; StartType = $startType }
	}
	$null
}

function Set-FakeHostService {
	<#
	Changes one service wherever the scenario describes it: -State and -StartMode in its Win32_Service row (the
	CIM values: Running/Stopped/Paused, Auto/Manual/Disabled), and the matching status and startType of its "services"
	entry. Through Set-FakeHostState, so the next diagnosis reads the change. The rows are an array, which a state
	overlay replaces as a whole, so the change holds every row.
	#>
	param([Parameter(Mandatory)] [string] $Name, [string] $State, [string] $StartMode, $DelayedAutoStart = $null)
	$change = [ordered]@{}
	$rows = New-Object System.Collections.Generic.List[object]
	$changedRow = $false
	foreach ($row in (Get-FakeHostValue -Path 'cim.Win32_Service' -Default @())) {
		if ($row -isnot [System.Collections.IDictionary] -or [string]$row['Name'] -ine $Name) { $rows.Add($row); continue }
		$copy = [ordered]@{}
		foreach ($k in $row.Keys) { $copy[$k] = $row[$k] }
		if ($State) { $copy['State'] = $State }
		if ($StartMode) { $copy['StartMode'] = $StartMode }
		if ($null -ne $DelayedAutoStart) { $copy['DelayedAutoStart'] = [bool]$DelayedAutoStart }
		$rows.Add($copy)
		$changedRow = $true
	}
	if ($changedRow) { $change['cim'] = [ordered]@{ Win32_Service = $rows.ToArray() } }
	$services = Get-FakeHostValue -Path 'services' -Default @{}
	if ($services -is [System.Collections.IDictionary]) {
		foreach ($k in @($services.Keys)) {
			if ([string]$k -ine $Name -or $services[$k] -isnot [System.Collections.IDictionary]) { continue }
			$entry = [ordered]@{}
			if ($State) { $entry['status'] = $State }
			if ($StartMode) { $entry['startType'] = $script:FakeStartTypeOfStartMode[$StartMode] }
			# The scenario's own key, in its own case: a second key differing only in case would leave two entries.
			$change['services'] = [ordered]@{ ([string]$k) = $entry }
		}
	}
	if ($change.Count -gt 0) { Set-FakeHostState -Change $change }
}

function Write-FakeServiceNotFound {
	# The error Get-Service, Start-Service and Set-Service write for a name no service has (the message of Get-Service's).
	param([Parameter(Mandatory)] $Cmdlet, [string] $Name, [string] $CommandClass)
	$exception = New-Object System.InvalidOperationException ("Cannot find any service with service name '" + $Name + "'.")
	$Cmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord($exception, ('NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.' + $CommandClass), [System.Management.Automation.ErrorCategory]::ObjectNotFound, $Name)))
}

function Get-Service {
	# "services": { "<Name>": { "status": "Running", "startType": "Automatic", "displayName": "..." } }, else the
	# service's Win32_Service row (Get-FakeHostService).
	[CmdletBinding()]
	param([Parameter(Position = 0)] [string[]] $Name)
	Invoke-FakeHostHang -Command 'Get-Service'
	foreach ($n in $Name) {
		$service = Get-FakeHostService -Name $n
		if ($null -eq $service) {
			Write-Error -Message "Cannot find any service with service name '$n'." -Category ObjectNotFound -ErrorId 'NoServiceFoundForGivenName,Microsoft.PowerShell.Commands.GetServiceCommand'
			continue
		}
		$service
	}
}

function Start-FakeHostService {
	# Starts one service for Start-Service and Set-Service -Status Running. A disabled service does not start: the
	# cmdlet's error (CouldNotStartService), non-terminating. The state is written even for a service shown as running:
	# its "services" entry and its Win32_Service row may disagree, and both must say Running afterwards.
	param([Parameter(Mandatory)] $Cmdlet, [Parameter(Mandatory)] $Service, [string] $CommandClass)
	if ($Service.StartType -eq 'Disabled') {
		$exception = New-Object System.InvalidOperationException ("Service '" + $Service.DisplayName + ' (' + $Service.Name + ")' cannot be started due to the following error: Cannot start service " + $Service.Name + " on computer '.'.")
		$Cmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord($exception, ('CouldNotStartService,Microsoft.PowerShell.Commands.' + $CommandClass), [System.Management.Automation.ErrorCategory]::OpenError, $Service.Name)))
		return
	}
	Set-FakeHostService -Name $Service.Name -State 'Running'
}

function Start-Service {
	# Microsoft.PowerShell.Management (on Windows only in PowerShell 7): -Name, without wildcards. The service's state
	# becomes Running in the scenario's terms (Set-FakeHostService), which the start-service fixes rely on.
	[CmdletBinding(SupportsShouldProcess)]
	param(
		[Parameter(Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)] [Alias('ServiceName')] [string[]] $Name,
		[switch] $PassThru
	)
	process {
		Invoke-FakeHostHang -Command 'Start-Service'
		foreach ($n in $Name) {
			if ([System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($n)) { throw ('FakeWindowsHost: Start-Service -Name with wildcards is not faked: ' + $n) }
			$service = Get-FakeHostService -Name $n
			if ($null -eq $service) { Write-FakeServiceNotFound -Cmdlet $PSCmdlet -Name $n -CommandClass 'StartServiceCommand'; continue }
			if (-not $PSCmdlet.ShouldProcess(($service.DisplayName + ' (' + $service.Name + ')'), 'Start-Service')) { continue }
			Start-FakeHostService -Cmdlet $PSCmdlet -Service $service -CommandClass 'StartServiceCommand'
			if ($PassThru) { Get-FakeHostService -Name $service.Name }
		}
	}
}

function Set-Service {
	# Microsoft.PowerShell.Management (on Windows only in PowerShell 7): -StartupType and -Status of one service by
	# -Name, in the scenario's terms (Set-FakeHostService): the set-vaultsvc-manual fix relies on it. The startup types
	# are PowerShell 7's (the fake host's); AutomaticDelayedStart is StartMode Auto with DelayedAutoStart true.
	[CmdletBinding(SupportsShouldProcess)]
	param(
		[Parameter(Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)] [Alias('ServiceName', 'SN')] [string] $Name,
		[Alias('StartMode', 'SM', 'ST', 'StartType')] [ValidateSet('Automatic', 'AutomaticDelayedStart', 'Disabled', 'Manual')] [string] $StartupType,
		[ValidateSet('Running', 'Stopped', 'Paused')] [string] $Status,
		[switch] $PassThru
	)
	process {
		Invoke-FakeHostHang -Command 'Set-Service'
		$service = Get-FakeHostService -Name $Name
		if ($null -eq $service) { Write-FakeServiceNotFound -Cmdlet $PSCmdlet -Name $Name -CommandClass 'SetServiceCommand'; return }
		if (-not $PSCmdlet.ShouldProcess(($service.DisplayName + ' (' + $service.Name + ')'), 'Set-Service')) { return }
		if ($StartupType) {
			$delayed = $null
			if ($StartupType -like 'Automatic*') { $delayed = ($StartupType -eq 'AutomaticDelayedStart') }
			Set-FakeHostService -Name $service.Name -StartMode $script:FakeStartModeOfStartupType[$StartupType] -DelayedAutoStart $delayed
		}
		if ($Status -eq 'Running') { Start-FakeHostService -Cmdlet $PSCmdlet -Service (Get-FakeHostService -Name $service.Name) -CommandClass 'SetServiceCommand' }
		elseif ($Status) { Set-FakeHostService -Name $service.Name -State $Status }
		if ($PassThru) { Get-FakeHostService -Name $service.Name }
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
