# The catalogue's messages (messages.json): the texts users meet, and how to recognise them in a log line or an event.
# Matching is the same as the extension's (src/checks/explainMessage.ts): case-insensitive, with every run of white
# space read as one space. Windows PowerShell 5.1 syntax only.

function ConvertTo-PadMatchText {
	param([AllowEmptyString()] [string] $Text)
	if (-not $Text) { return '' }
	([regex]::Replace($Text, '\s+', ' ')).Trim()
}

function Test-PadMessageText {
	# True when the text (a log line, an event message) shows the message by its literal or pattern rule.
	param([Parameter(Mandatory = $true)] $Message, [AllowEmptyString()] [string] $Text)
	$normalized = ConvertTo-PadMatchText $Text
	if (-not $normalized) { return $false }
	$match = $Message.match
	$literals = $match.PSObject.Properties['literal']
	if ($null -ne $literals) {
		foreach ($literal in @($literals.Value)) {
			if ($normalized.IndexOf((ConvertTo-PadMatchText ([string]$literal)), [System.StringComparison]::OrdinalIgnoreCase) -ge 0) { return $true }
		}
	}
	$pattern = $match.PSObject.Properties['pattern']
	if ($null -ne $pattern) {
		if ([regex]::IsMatch($normalized, [string]$pattern.Value, [System.Text.RegularExpressions.RegexOptions]::IgnoreCase)) { return $true }
	}
	$false
}

function Get-PadMessages {
	# The messages seen in one of the given places (trace-log, bundle-log, msi-log, system-event-log, ...).
	param([Parameter(Mandatory = $true)] [string[]] $SeenIn)
	@((Get-PadCatalogue).Messages | Where-Object {
			$message = $_
			@($message.seenIn | Where-Object { $SeenIn -contains [string]$_ }).Count -gt 0
		})
}

function Get-PadEventRules {
	# The event rules of the messages that have one: Log, Provider (or $null), Ids, About, Finding, MessageId.
	param([string] $Log)
	$rules = New-Object System.Collections.Generic.List[object]
	foreach ($message in @((Get-PadCatalogue).Messages)) {
		$event = $message.match.PSObject.Properties['event']
		if ($null -eq $event) { continue }
		$rule = $event.Value
		if ($Log -and [string]$rule.log -ne $Log) { continue }
		$provider = $null
		if ($rule.PSObject.Properties['provider']) { $provider = [string]$rule.provider }
		$finding = $null
		if ($message.PSObject.Properties['finding']) { $finding = [string]$message.finding }
		$rules.Add([pscustomobject]@{
				Log       = [string]$rule.log
				Provider  = $provider
				Ids       = [int[]]@($rule.ids)
				About     = [string]$rule.about
				Finding   = $finding
				MessageId = [string]$message.id
			})
	}
	# Written to the pipeline one by one: callers collect them with @().
	$rules.ToArray()
}
