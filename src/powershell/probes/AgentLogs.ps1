# Agent logs: what the agent's trace logs say, read with the catalogue's messages (messages.json, those seen in the
# trace log) and their match rules, the same ones Explain an Error and the log language server use. The folder comes
# from agent.json ([TSG]); which files and how much of each, from the check's rules. Windows PowerShell 5.1 syntax
# only. Read-only.

function Find-PadMessageLines {
	<#
	.SYNOPSIS
	The indexes of the lines that show one message, as Test-PadMessageText decides for each line alone.
	.DESCRIPTION
	Testing every line of a few MB in a PowerShell loop takes seconds per message, so the rules run over the whole text
	at once, with each line's white space already folded as Test-PadMessageText folds it, and line breaks kept: a literal
	(folded, so without a line break) and the catalogue's patterns (whose spaces are plain spaces and whose '.' and \S
	never match a line break; Catalogue.Tests asserts it) cannot match across a line, so a match lies in one line. Each
	line found is tested again with Test-PadMessageText, which stays the one judge.
	#>
	param(
		[Parameter(Mandatory = $true)] $Message,
		[Parameter(Mandatory = $true)] [AllowEmptyString()] [string] $Folded,
		[Parameter(Mandatory = $true)] [AllowEmptyCollection()] [int[]] $LineStarts,
		[Parameter(Mandatory = $true)] [AllowEmptyCollection()] [AllowEmptyString()] [string[]] $Lines
	)
	$positions = New-Object System.Collections.Generic.List[int]
	$match = $Message.match
	$literals = $match.PSObject.Properties['literal']
	if ($null -ne $literals) {
		foreach ($literal in @($literals.Value)) {
			$needle = ConvertTo-PadMatchText ([string]$literal)
			if (-not $needle) { continue }
			$at = $Folded.IndexOf($needle, [System.StringComparison]::OrdinalIgnoreCase)
			while ($at -ge 0) {
				$positions.Add($at)
				$at = $Folded.IndexOf($needle, $at + 1, [System.StringComparison]::OrdinalIgnoreCase)
			}
		}
	}
	$pattern = $match.PSObject.Properties['pattern']
	if ($null -ne $pattern) {
		foreach ($m in [regex]::Matches($Folded, [string]$pattern.Value, [System.Text.RegularExpressions.RegexOptions]::IgnoreCase)) { $positions.Add($m.Index) }
	}
	$found = New-Object System.Collections.Generic.List[int]
	if ($positions.Count -eq 0) { return , $found.ToArray() }
	$seen = @{}
	foreach ($position in $positions) {
		# The line holding a position: the last line start at or before it.
		$index = [Array]::BinarySearch($LineStarts, $position)
		if ($index -lt 0) { $index = (-bnot $index) - 1 }
		if ($seen.ContainsKey($index)) { continue }
		$seen[$index] = $true
		if (Test-PadMessageText -Message $Message -Text $Lines[$index]) { $found.Add($index) }
	}
	$found.Sort()
	, $found.ToArray()
}

function Get-PadLineStarts {
	# Where each line of the text starts (0 first), for lines split at "`n" as Split-PadLogLines splits them.
	param([AllowEmptyString()] [string] $Text)
	$starts = New-Object System.Collections.Generic.List[int]
	$starts.Add(0)
	if (-not $Text) { return , $starts.ToArray() }
	# A [char], not a string: IndexOf(string) compares with the culture's rules, which is slow (seconds for a few MB).
	$newline = [char]10
	$at = $Text.IndexOf($newline)
	while ($at -ge 0) {
		$starts.Add($at + 1)
		$at = $Text.IndexOf($newline, $at + 1)
	}
	, $starts.ToArray()
}

function Test-PadAgentLogs {
	# The catalogued messages of the trace log in the trace files changed in the last rules.days days (the newest
	# rules.maxFiles, the last rules.tailBytes of each), counted per message, with the newest lines that show them.
	# No such file -> notApplicable, naming the folder; a folder that cannot be listed is never "no logs".
	param([hashtable] $Context)
	$rules = Get-PadCheckRules -CheckId 'eventlog.agent-logs'
	$days = [int]$rules.days
	$tail = [long]$rules.tailBytes
	$width = [int]$rules.lineLength
	$folder = Get-PadAgentPath -Name traceFolder
	$evidence = [ordered]@{
		traceFolder    = $folder
		days           = $days
		filesRead      = @()
		filesReadCount = 0
		filesNotRead   = 0
		tailBytes      = $tail
		linesRead      = 0
		messagesFound  = @()
		knownLines     = @()
	}
	try { $all = @(Get-PadFolderFiles -Folder $folder) }
	catch { return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage ('Could not list ' + $folder + ': ' + $_.Exception.Message) }
	$since = (Get-PadEventNow -Context $Context).AddDays( - $days)
	$recent = @($all | Where-Object { $_.LastWriteTimeUtc -ge $since })
	$files = @($recent | Select-Object -First ([int]$rules.maxFiles))
	$evidence.filesNotRead = $recent.Count - $files.Count
	if ($files.Count -eq 0) { return New-PadResult -Status notApplicable -Evidence $evidence }

	$messages = @(Get-PadMessages -SeenIn @('trace-log'))
	# Per message, in catalogue order: how many lines show it. Lines are kept newest first: newest file first, and in
	# each file from its end.
	$counts = [ordered]@{}
	$known = New-Object System.Collections.Generic.List[object]
	$read = New-Object System.Collections.Generic.List[string]
	$lineTotal = 0
	foreach ($file in $files) {
		try { $text = Read-PadFileTail -Path $file.FullName -MaxBytes $tail }
		catch { return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage ('Could not read ' + $file.FullName + ': ' + $_.Exception.Message) }
		$read.Add($file.FullName)
		$wholeFile = ([long]$file.Length -le $tail)
		$lines = Split-PadLogLines $text
		# A text that ends with a line break splits into one empty piece more, which is no line.
		$count = $lines.Count
		if ($count -gt 0 -and $lines[$count - 1] -eq '') { $count-- }
		$lineTotal += $count
		# One space for each run of white space but line breaks, as ConvertTo-PadMatchText folds a line.
		$folded = [regex]::Replace($text, '[^\S\n]+', ' ')
		$starts = Get-PadLineStarts $folded
		$hits = New-Object System.Collections.Generic.List[object]
		foreach ($message in $messages) {
			$indexes = Find-PadMessageLines -Message $message -Folded $folded -LineStarts $starts -Lines $lines
			if ($indexes.Count -eq 0) { continue }
			$id = [string]$message.id
			if (-not $counts.Contains($id)) { $counts[$id] = [ordered]@{ count = 0; text = [string]$message.text } }
			$counts[$id].count = $counts[$id].count + $indexes.Count
			foreach ($index in $indexes) { $hits.Add([pscustomobject]@{ Index = $index; MessageId = $id }) }
		}
		foreach ($hit in @($hits.ToArray() | Sort-Object -Property Index -Descending)) {
			if ($known.Count -ge [int]$rules.knownLinesShown) { break }
			$line = $lines[$hit.Index].Trim()
			if ($line.Length -gt $width) { $line = $line.Substring(0, $width) }
			$lineNumber = $null
			# In a tail the first line may be cut and the lines before it are not counted.
			if ($wholeFile) { $lineNumber = $hit.Index + 1 }
			$known.Add([ordered]@{ messageId = $hit.MessageId; file = $file.FullName; lineNumber = $lineNumber; line = $line })
		}
	}
	$evidence.filesRead = $read.ToArray()
	$evidence.filesReadCount = $read.Count
	$evidence.linesRead = $lineTotal
	$evidence.messagesFound = @(foreach ($id in $counts.Keys) { [string]$counts[$id].count + ' x ' + $counts[$id].text })
	$evidence.knownLines = $known.ToArray()
	if ($counts.Count -gt 0) {
		$ids = @('agent-logs-known-messages')
		return New-PadResult -Status (Get-PadWorstSeverity -CheckId 'eventlog.agent-logs' -FailureIds $ids) -FailureIds $ids -Evidence $evidence
	}
	New-PadResult -Status pass -Evidence $evidence
}
