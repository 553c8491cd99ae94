# Event log: Service Control Manager events of the agent's service, and Netlogon managed-service-account events.
# Windows PowerShell 5.1 syntax only. Messages may be localized: events are matched on ids, insertion strings
# (Properties) and the service's names, never on English message text.

function Get-PadEventDays {
	param([hashtable] $Context)
	$days = 7
	if ($Context -and $Context['EventDays']) { $days = [int]$Context['EventDays'] }
	$days
}

function Get-PadEventNow {
	param([hashtable] $Context)
	if ($Context -and $Context['Now']) { return ([datetime]$Context['Now']).ToUniversalTime() }
	[datetime]::UtcNow
}

function Invoke-PadWinEventQuery {
	# Get-WinEvent -FilterHashtable, returning LogFound and Events. Get-WinEvent reports "no events" as an error
	# (NoMatchingEventsFound): that is an empty answer. A log that does not exist (NoMatchingLogsFound) gives
	# LogFound = $false. Any other error is thrown.
	param([Parameter(Mandatory = $true)] [hashtable] $Filter)
	$events = @()
	$logFound = $true
	try {
		$events = @(Get-WinEvent -FilterHashtable $Filter -ErrorAction Stop | Where-Object { $null -ne $_ })
	}
	catch {
		$errorId = [string]$_.FullyQualifiedErrorId
		if ($errorId -like 'NoMatchingEventsFound*') { $events = @() }
		elseif ($errorId -like 'NoMatchingLogsFound*') { $events = @(); $logFound = $false }
		else { throw }
	}
	[pscustomobject]@{ LogFound = $logFound; Events = $events }
}

function Get-PadEventPropertyText {
	# The insertion strings of an event as text; binary data (SCM events carry the service key name there as UTF-16)
	# is decoded as UTF-16LE.
	param($EventRecord)
	$texts = New-Object System.Collections.Generic.List[string]
	foreach ($property in @(Get-PadPropertyValue $EventRecord 'Properties')) {
		if ($null -eq $property) { continue }
		# Read in place: passing a byte[] through a function's output would unroll it into single bytes.
		$valueProperty = $property.PSObject.Properties['Value']
		if ($null -eq $valueProperty) { continue }
		$value = $valueProperty.Value
		if ($null -eq $value) { continue }
		if ($value -is [byte[]]) {
			$texts.Add(([System.Text.Encoding]::Unicode.GetString($value)).Trim([char]0).Trim())
		}
		else { $texts.Add(([string]$value).Trim()) }
	}
	, $texts.ToArray()
}

function Test-PadEventNamesService {
	# True when an insertion string is the service name or one of its display names (or contains the service name),
	# or the rendered message contains one of them. Names are not translated, so this works on localized systems.
	param($EventRecord, [Parameter(Mandatory = $true)] [string] $ServiceName, [string[]] $DisplayNames = @())
	$names = @(@($ServiceName) + @($DisplayNames) | Where-Object { $_ })
	foreach ($text in (Get-PadEventPropertyText $EventRecord)) {
		if (-not $text) { continue }
		if ($text.IndexOf($ServiceName, [System.StringComparison]::OrdinalIgnoreCase) -ge 0) { return $true }
		foreach ($name in $names) { if ($text -eq $name) { return $true } }
	}
	$message = [string](Get-PadPropertyValue $EventRecord 'Message')
	if ($message) {
		foreach ($name in $names) {
			if ($message.IndexOf($name, [System.StringComparison]::OrdinalIgnoreCase) -ge 0) { return $true }
		}
	}
	$false
}

function ConvertTo-PadEventEvidence {
	# Newest first, at most $Max events as { id, time (ISO), message (first 300 characters) }.
	param([object[]] $Events, [int] $Max = 10)
	$sorted = @($Events | Sort-Object -Property @{ Expression = { $t = Get-PadPropertyValue $_ 'TimeCreated'; if ($null -eq $t) { [datetime]::MinValue } else { ([datetime]$t).ToUniversalTime() } } } -Descending)
	$list = New-Object System.Collections.Generic.List[object]
	foreach ($e in $sorted) {
		if ($list.Count -ge $Max) { break }
		$time = Get-PadPropertyValue $e 'TimeCreated'
		$message = Get-PadPropertyValue $e 'Message'
		if ($null -ne $message) {
			$message = [string]$message
			if ($message.Length -gt 300) { $message = $message.Substring(0, 300) }
		}
		$iso = $null
		if ($null -ne $time) { $iso = ([datetime]$time).ToUniversalTime().ToString('o') }
		$list.Add([ordered]@{ id = [int](Get-PadPropertyValue $e 'Id'); time = $iso; message = $message })
	}
	, $list.ToArray()
}

function Test-PadScmEvents {
	# System log, Service Control Manager ([SA-CS], [SA-LOS]; facts section 2b):
	#   7041 the account lacks "Log on as a service" (seed/[SA-CS]) -> fail
	#   7038 "The user name or password is incorrect." (gMSA not a managed account, [SA-LOS]) -> fail
	#   7000 failed to start, 7034 terminated unexpectedly: generic SCM events, not tied to this agent by any Microsoft
	#        source (facts: UNVERIFIED) -> warning
	# No source lists these ids for this agent, so only events that name the service (insertion strings or message)
	# count (facts section 2b).
	param([hashtable] $Context)
	$days = Get-PadEventDays $Context
	$now = Get-PadEventNow $Context
	$serviceName = Get-PadAgentServiceName
	$displayNames = New-Object System.Collections.Generic.List[string]
	foreach ($n in (Get-PadAgentDisplayNames)) { $displayNames.Add($n) }
	try {
		# The installed service's own display name, in case it differs from the known ones.
		$service = Get-PadAgentService
		$current = [string](Get-PadPropertyValue $service 'DisplayName')
		if ($current -and -not $displayNames.Contains($current)) { $displayNames.Add($current) }
	}
	catch { }

	$filter = @{ LogName = 'System'; ProviderName = 'Service Control Manager'; Id = 7000, 7034, 7038, 7041; StartTime = $now.AddDays(-$days) }
	$query = Invoke-PadWinEventQuery -Filter $filter
	$matched = @($query.Events | Where-Object { Test-PadEventNamesService -EventRecord $_ -ServiceName $serviceName -DisplayNames $displayNames.ToArray() })
	$evidence = [ordered]@{ days = $days; events = (ConvertTo-PadEventEvidence -Events $matched) }

	$ids = @($matched | ForEach-Object { [int](Get-PadPropertyValue $_ 'Id') })
	$failures = New-Object System.Collections.Generic.List[string]
	foreach ($id in 7041, 7038, 7000, 7034) { if ($ids -contains $id) { $failures.Add('event-' + $id) } }
	if ($failures.Count -eq 0) { return New-PadResult -Status pass -Evidence $evidence }
	$status = 'warning'
	if ($failures.Contains('event-7041') -or $failures.Contains('event-7038')) { $status = 'fail' }
	New-PadResult -Status $status -FailureIds $failures.ToArray() -Evidence $evidence
}

function Test-PadNetlogonMsaEvents {
	# [SA-KDS]: Netlogon 9001 ("can't use the account as an MSA locally, because the machine doesn't support all account
	# encryption types") and 9002 ("Netlogon couldn't add the account as a managed service account (MSA) to the local
	# machine") in Applications and Services Logs > Microsoft > Windows > Security-Netlogon: an encryption-type mismatch
	# behind "Unable to create gMSA because KDS may not be running on domain controller". A missing log is not an error.
	param([hashtable] $Context)
	$days = Get-PadEventDays $Context
	$now = Get-PadEventNow $Context
	$logName = 'Microsoft-Windows-Security-Netlogon/Operational'
	$query = Invoke-PadWinEventQuery -Filter @{ LogName = $logName; Id = 9001, 9002; StartTime = $now.AddDays(-$days) }
	$evidence = [ordered]@{ days = $days; logName = $logName; logFound = $query.LogFound; events = (ConvertTo-PadEventEvidence -Events $query.Events) }
	if (@($query.Events).Count -eq 0) { return New-PadResult -Status pass -Evidence $evidence }
	New-PadResult -Status fail -FailureIds 'event-netlogon-9001-9002' -Evidence $evidence
}
