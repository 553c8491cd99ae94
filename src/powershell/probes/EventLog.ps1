# Event log: the events of messages.json that name the agent's service (Service Control Manager) or its gMSA (Netlogon).
# Which logs, providers and event ids are searched, and which failure each event is, come from the message rules
# (Get-PadEventRules); severities come from the check's failures. Windows PowerShell 5.1 syntax only. Messages may be
# localized: events are matched on ids, providers, insertion strings (Properties) and names, never on English text.

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

function Find-PadRuleEvents {
	<#
	.SYNOPSIS
	Queries each log the rules name, once, for the rules' ids (and providers, when every rule of that log names one),
	since StartTime. Every event is paired with the rule it answers: its id is one of the rule's ids and, when the rule
	names a provider, the event comes from that provider (checked here too, not only in the query filter).
	.OUTPUTS
	Logs: one { log, found } per log; Matches: one { Event, Rule } per event.
	#>
	param([object[]] $Rules, [Parameter(Mandatory = $true)] [datetime] $StartTime)
	$logs = New-Object System.Collections.Generic.List[object]
	$paired = New-Object System.Collections.Generic.List[object]
	$logNames = New-Object System.Collections.Generic.List[string]
	foreach ($rule in @($Rules)) { if (-not $logNames.Contains($rule.Log)) { $logNames.Add($rule.Log) } }
	foreach ($logName in $logNames) {
		$logRules = @($Rules | Where-Object { $_.Log -eq $logName })
		$ids = New-Object System.Collections.Generic.List[int]
		$providers = New-Object System.Collections.Generic.List[string]
		$everyRuleHasProvider = $true
		foreach ($rule in $logRules) {
			foreach ($id in $rule.Ids) { if (-not $ids.Contains([int]$id)) { $ids.Add([int]$id) } }
			if ($rule.Provider) { if (-not $providers.Contains($rule.Provider)) { $providers.Add($rule.Provider) } }
			else { $everyRuleHasProvider = $false }
		}
		$filter = @{ LogName = $logName; Id = [int[]]$ids.ToArray(); StartTime = $StartTime }
		if ($everyRuleHasProvider -and $providers.Count -gt 0) { $filter['ProviderName'] = [string[]]$providers.ToArray() }
		$query = Invoke-PadWinEventQuery -Filter $filter
		$logs.Add([ordered]@{ log = $logName; found = $query.LogFound })
		foreach ($record in @($query.Events)) {
			$id = [int](Get-PadPropertyValue $record 'Id')
			$provider = [string](Get-PadPropertyValue $record 'ProviderName')
			foreach ($rule in $logRules) {
				if (-not ($rule.Ids -contains $id)) { continue }
				if ($rule.Provider -and $provider -ne $rule.Provider) { continue }
				$paired.Add([pscustomobject]@{ Event = $record; Rule = $rule })
				break
			}
		}
	}
	[pscustomobject]@{ Logs = $logs.ToArray(); Matches = $paired.ToArray() }
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

function Get-PadEventAccountName {
	# The first word of the insertion strings or of the message that is one of the account names, compared without case
	# and with or without the trailing $ of a managed service account (names may be wildcard patterns such as pGMSA_*);
	# $null when the event names none of them.
	param($EventRecord, [string[]] $Names)
	$texts = New-Object System.Collections.Generic.List[string]
	foreach ($text in (Get-PadEventPropertyText $EventRecord)) { $texts.Add($text) }
	$message = [string](Get-PadPropertyValue $EventRecord 'Message')
	if ($message) { $texts.Add($message) }
	foreach ($text in $texts) {
		foreach ($word in ($text -split '[\s"''\\/,;:()\[\]<>]+')) {
			if (-not $word) { continue }
			$word = $word.TrimEnd('.')
			$bare = $word.TrimEnd('$')
			foreach ($name in @($Names)) {
				if (-not $name) { continue }
				if ($bare -like $name.TrimEnd('$')) { return $word }
			}
		}
	}
	$null
}

function Get-PadAgentServiceNames {
	# The service name and every display name it is known by: the catalogue's, and the installed service's own.
	param($Service)
	$displayNames = New-Object System.Collections.Generic.List[string]
	foreach ($n in (Get-PadAgentDisplayNames)) { $displayNames.Add($n) }
	$current = [string](Get-PadPropertyValue $Service 'DisplayName')
	if ($current -and -not $displayNames.Contains($current)) { $displayNames.Add($current) }
	, $displayNames.ToArray()
}

function Get-PadAgentGmsaNames {
	# The names the agent's gMSA goes by in an event: the service's logon account when it is a gMSA (without its domain
	# part), else the names the wizard gives it (agent.json gmsa: provAgentgMSA, and the sAMAccountName pattern pGMSA_*).
	param($Service)
	$account = [string](Get-PadPropertyValue $Service 'StartName')
	if ($account -and (Get-PadServiceAccountType -AccountName $account) -eq 'gMSA') {
		$name = $account
		# Only DOMAIN\name$ is a gMSA here (Get-PadServiceAccountType: a name@domain form does not end in $).
		if ($name.Contains('\')) { $name = $name.Substring($name.LastIndexOf('\') + 1) }
		return , [string[]]@($name)
	}
	$gmsa = (Get-PadAgentFacts).gmsa
	, [string[]]@(([string]$gmsa.defaultName + '$'), [string]$gmsa.samAccountNamePattern)
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

function Get-PadRuleEventIds {
	# Every event id the rules name, each once, in their order.
	param([object[]] $Rules)
	$ids = New-Object System.Collections.Generic.List[int]
	foreach ($rule in @($Rules)) { foreach ($id in $rule.Ids) { if (-not $ids.Contains([int]$id)) { $ids.Add([int]$id) } } }
	, $ids.ToArray()
}

function Get-PadEventFindings {
	# The failure ids of the matched events, each once, in the order of the rules (the catalogue's order).
	param([object[]] $Rules, [object[]] $Paired)
	$ids = New-Object System.Collections.Generic.List[string]
	foreach ($rule in @($Rules)) {
		if (@($Paired | Where-Object { $_.Rule.MessageId -eq $rule.MessageId }).Count -eq 0) { continue }
		if ($rule.Finding -and -not $ids.Contains($rule.Finding)) { $ids.Add($rule.Finding) }
	}
	, $ids.ToArray()
}

function Test-PadScmEvents {
	# The messages whose event rule is about the agent's service ("about": "agent-service"): System log, Service Control
	# Manager, events 7041 ([SA-CS]), 7038 ([SA-LOS]), 7000, 7009, 7034 (generic SCM events; facts section 2b). No source
	# lists these ids for this agent, so only events that name the service (insertion strings or message) count; events
	# of other services are counted as ignored. Not installed and no such event (an earlier attempt still counts) ->
	# notApplicable.
	param([hashtable] $Context)
	$days = Get-PadEventDays $Context
	$now = Get-PadEventNow $Context
	$rules = @(Get-PadEventRules | Where-Object { $_.About -eq 'agent-service' -and $_.Finding })
	$service = Get-PadAgentService
	$serviceName = Get-PadAgentServiceName
	$displayNames = Get-PadAgentServiceNames -Service $service

	try { $found = Find-PadRuleEvents -Rules $rules -StartTime $now.AddDays(-$days) }
	catch [System.UnauthorizedAccessException] { throw ($_.Exception.Message + (Get-PadElevationHint)) }
	$matched = @($found.Matches | Where-Object { Test-PadEventNamesService -EventRecord $_.Event -ServiceName $serviceName -DisplayNames $displayNames })
	$evidence = [ordered]@{
		days             = $days
		serviceInstalled = ($null -ne $service)
		logs             = @($found.Logs | ForEach-Object { $_['log'] })
		eventIds         = (Get-PadRuleEventIds -Rules $rules)
		events           = (ConvertTo-PadEventEvidence -Events @($matched | ForEach-Object { $_.Event }))
		ignoredEvents    = (@($found.Matches).Count - $matched.Count)
	}
	if ($matched.Count -eq 0) {
		if ($null -eq $service) { return New-PadResult -Status notApplicable -Evidence $evidence }
		return New-PadResult -Status pass -Evidence $evidence
	}
	$ids = Get-PadEventFindings -Rules $rules -Paired $matched
	New-PadResult -Status (Get-PadWorstSeverity -CheckId 'eventlog.scm-events' -FailureIds $ids) -FailureIds $ids -Evidence $evidence
}

function Test-PadNetlogonMsaEvents {
	# The messages whose event rule is about the agent's gMSA ("about": "agent-gmsa"): [SA-KDS] Netlogon 9001 ("can't use
	# the account as an MSA locally, because the machine doesn't support all account encryption types") and 9002 ("couldn't
	# add the account as a managed service account (MSA) to the local machine") in Security-Netlogon/Operational: an
	# encryption-type mismatch behind "Unable to create gMSA because KDS may not be running on domain controller". Only
	# events naming the agent's gMSA count (the service's gMSA, else the wizard's names); others are counted as ignored.
	# A missing log is not an error. Not installed and no such event -> notApplicable.
	param([hashtable] $Context)
	$days = Get-PadEventDays $Context
	$now = Get-PadEventNow $Context
	$rules = @(Get-PadEventRules | Where-Object { $_.About -eq 'agent-gmsa' -and $_.Finding })
	$service = Get-PadAgentService
	$accounts = Get-PadAgentGmsaNames -Service $service

	try { $found = Find-PadRuleEvents -Rules $rules -StartTime $now.AddDays(-$days) }
	catch [System.UnauthorizedAccessException] { throw ($_.Exception.Message + (Get-PadElevationHint)) }
	$matched = New-Object System.Collections.Generic.List[object]
	$gmsaAccount = $null
	foreach ($pair in @($found.Matches)) {
		$name = Get-PadEventAccountName -EventRecord $pair.Event -Names $accounts
		if ($null -eq $name) { continue }
		$matched.Add($pair)
		if ($null -eq $gmsaAccount) { $gmsaAccount = $name }
	}
	$logsFound = @($found.Logs | Where-Object { $_['found'] })
	$evidence = [ordered]@{
		days             = $days
		serviceInstalled = ($null -ne $service)
		logName          = ((@($found.Logs | ForEach-Object { $_['log'] })) -join ', ')
		logFound         = ($logsFound.Count -gt 0)
		eventIds         = (Get-PadRuleEventIds -Rules $rules)
		accounts         = $accounts
		gmsaAccount      = $gmsaAccount
		events           = (ConvertTo-PadEventEvidence -Events @($matched | ForEach-Object { $_.Event }))
		ignoredEvents    = (@($found.Matches).Count - $matched.Count)
	}
	if ($matched.Count -eq 0) {
		if ($null -eq $service) { return New-PadResult -Status notApplicable -Evidence $evidence }
		return New-PadResult -Status pass -Evidence $evidence
	}
	$ids = Get-PadEventFindings -Rules $rules -Paired $matched.ToArray()
	New-PadResult -Status (Get-PadWorstSeverity -CheckId 'eventlog.netlogon-msa' -FailureIds $ids) -FailureIds $ids -Evidence $evidence
}
