# Installer: the logs the agent's installation writes, searched for the messages of messages.json: the agent trace
# folder (the wizard's gMSA errors, [SA-NSO], [REF]), the setup bundle's logs and the per-MSI logs beside them (WiX Burn),
# and Windows Installer's policy logs (MSI*.LOG), in this account's %TEMP% and in %SystemRoot%\Temp. Which messages
# are looked for in which kind of log comes from each message's "seenIn"; the failure reported is its "finding". File
# name patterns come from agent.json, limits from the check's rules. Windows PowerShell 5.1 syntax only. Read-only.

function Read-PadFileTail {
	<#
	.SYNOPSIS
	The text of the last MaxBytes of a file (the whole file when smaller), read with sharing so a log still being written
	can be read. Encoding: BOM (UTF-8, UTF-16LE/BE), else UTF-16LE when most odd bytes are zero, else UTF-8 (which reads
	ASCII and the ASCII part of ANSI text correctly).
	#>
	param([Parameter(Mandatory = $true)] [string] $Path, [long] $MaxBytes = 2MB)
	$share = [System.IO.FileShare]::ReadWrite -bor [System.IO.FileShare]::Delete
	$stream = New-Object System.IO.FileStream($Path, [System.IO.FileMode]::Open, [System.IO.FileAccess]::Read, $share)
	try {
		$length = $stream.Length
		$head = New-Object byte[] 3
		$headCount = $stream.Read($head, 0, 3)
		$encoding = $null
		$bomLength = 0
		if ($headCount -ge 3 -and $head[0] -eq 0xEF -and $head[1] -eq 0xBB -and $head[2] -eq 0xBF) { $encoding = New-Object System.Text.UTF8Encoding $false; $bomLength = 3 }
		elseif ($headCount -ge 2 -and $head[0] -eq 0xFF -and $head[1] -eq 0xFE) { $encoding = [System.Text.Encoding]::Unicode; $bomLength = 2 }
		elseif ($headCount -ge 2 -and $head[0] -eq 0xFE -and $head[1] -eq 0xFF) { $encoding = [System.Text.Encoding]::BigEndianUnicode; $bomLength = 2 }

		$start = [Math]::Max([long]$bomLength, $length - $MaxBytes)
		$count = [int]($length - $start)
		$buffer = New-Object byte[] $count
		$stream.Position = $start
		$read = 0
		while ($read -lt $count) {
			$n = $stream.Read($buffer, $read, $count - $read)
			if ($n -le 0) { break }
			$read += $n
		}
		if ($null -eq $encoding) {
			$sample = [Math]::Min($read, 4096)
			$zeros = 0
			for ($i = 1; $i -lt $sample; $i += 2) { if ($buffer[$i] -eq 0) { $zeros++ } }
			if ($sample -ge 2 -and $zeros -gt ($sample / 4)) { $encoding = [System.Text.Encoding]::Unicode }
			else { $encoding = New-Object System.Text.UTF8Encoding $false }
		}
		$offset = 0
		# A tail of UTF-16 text must start on a character boundary (the BOM and every character are 2 bytes).
		if ($encoding.CodePage -eq 1200 -or $encoding.CodePage -eq 1201) {
			if ((($start - $bomLength) % 2) -ne 0) { $offset = 1 }
		}
		if ($read -le $offset) { return '' }
		$encoding.GetString($buffer, $offset, $read - $offset)
	}
	finally { $stream.Dispose() }
}

function Get-PadLogKinds {
	# The kinds of log the check reads, each with the "seenIn" places of messages.json whose messages it can hold.
	[ordered]@{
		trace     = @('trace-log')
		bundle    = @('bundle-log')
		msi       = @('msi-log')
		msiPolicy = @('msi-log')
	}
}

function Get-PadFolderFiles {
	# The files of one folder whose names match one of the patterns (wildcards, without case, as Windows matches file
	# names), newest first. The folder is listed once per run (Listings caches it): %TEMP% may hold thousands of files.
	# A folder that does not exist gives none; one that cannot be listed throws, so that it is never "no logs".
	param([Parameter(Mandatory = $true)] [string] $Folder, [string[]] $Patterns = @('*'), [hashtable] $Listings = @{})
	if (-not $Listings.ContainsKey($Folder)) {
		if (-not (Test-Path -LiteralPath $Folder -PathType Container)) { $Listings[$Folder] = @() }
		else { $Listings[$Folder] = @(Get-ChildItem -LiteralPath $Folder -File -ErrorAction Stop) }
	}
	$matching = New-Object System.Collections.Generic.List[object]
	foreach ($file in $Listings[$Folder]) {
		foreach ($pattern in $Patterns) {
			if ($file.Name -like $pattern) { $matching.Add($file); break }
		}
	}
	# Written to the pipeline one by one: callers collect them with @().
	$matching.ToArray() | Sort-Object -Property LastWriteTimeUtc -Descending
}

function Find-PadInstallerLogFiles {
	<#
	.SYNOPSIS
	The newest log files of each kind, and every folder looked in:
	  trace      any file of the agent trace folder (agent.json files.traceFolder; file names are not documented)
	  bundle     agent.json installerLogs.bundleLogPatterns in %TEMP% and %SystemRoot%\Temp
	  msi        <bundle log name without .log>_*.log beside each bundle log read (Burn's per-package logs)
	  msiPolicy  installerLogs.msiPolicyLogPattern (MSI*.LOG) in the same temp folders
	A bundle pattern also matches the per-package logs (they start with the bundle log's name), so a file that starts
	with another match's name plus '_' is a per-package log, not a bundle log.
	.OUTPUTS
	Folders: { path, exists, error } per folder; Files: kind -> FileInfo[] (newest first, at most Max each; msiPolicy
	holds every candidate, newest first, for the caller to filter).
	#>
	param([int] $Max = 3)
	$facts = Get-PadAgentFacts
	$folders = New-Object System.Collections.Generic.List[object]
	$files = [ordered]@{ trace = @(); bundle = @(); msi = @(); msiPolicy = @() }
	$listings = @{}

	$traceFolder = Get-PadAgentPath -Name traceFolder
	$tempFolders = New-Object System.Collections.Generic.List[string]
	# The setup runs elevated, possibly as another account or as SYSTEM, hence %SystemRoot%\Temp beside this account's.
	$systemTemp = $null
	if ($env:SystemRoot) { $systemTemp = Join-Path $env:SystemRoot 'Temp' }
	foreach ($candidate in @($env:TEMP, $systemTemp)) {
		if (-not $candidate) { continue }
		$full = $candidate.TrimEnd('\', '/')
		$known = $false
		foreach ($t in $tempFolders) { if ($t -eq $full) { $known = $true } }
		if (-not $known) { $tempFolders.Add($full) }
	}

	$traceEntry = [ordered]@{ path = $traceFolder; exists = (Test-Path -LiteralPath $traceFolder -PathType Container); error = $null }
	try { $files.trace = @(Get-PadFolderFiles -Folder $traceFolder -Listings $listings | Select-Object -First $Max) }
	catch { $traceEntry.error = $_.Exception.Message }
	$folders.Add($traceEntry)

	$bundleCandidates = New-Object System.Collections.Generic.List[object]
	$policyCandidates = New-Object System.Collections.Generic.List[object]
	foreach ($folder in $tempFolders) {
		$entry = [ordered]@{ path = $folder; exists = (Test-Path -LiteralPath $folder -PathType Container); error = $null }
		try {
			foreach ($f in @(Get-PadFolderFiles -Folder $folder -Patterns @($facts.installerLogs.bundleLogPatterns | ForEach-Object { [string]$_ }) -Listings $listings)) { $bundleCandidates.Add($f) }
			foreach ($f in @(Get-PadFolderFiles -Folder $folder -Patterns @([string]$facts.installerLogs.msiPolicyLogPattern) -Listings $listings)) { $policyCandidates.Add($f) }
		}
		catch { $entry.error = $_.Exception.Message }
		$folders.Add($entry)
	}

	$bundles = New-Object System.Collections.Generic.List[object]
	foreach ($f in $bundleCandidates) {
		$isPackageLog = $false
		foreach ($other in $bundleCandidates) {
			if ($other.FullName -eq $f.FullName -or $other.DirectoryName -ne $f.DirectoryName) { continue }
			if ($f.Name.StartsWith($other.BaseName + '_', [System.StringComparison]::OrdinalIgnoreCase)) { $isPackageLog = $true }
		}
		if (-not $isPackageLog) { $bundles.Add($f) }
	}
	$files.bundle = @($bundles.ToArray() | Sort-Object -Property LastWriteTimeUtc -Descending | Select-Object -First $Max)

	$packageLogs = New-Object System.Collections.Generic.List[object]
	foreach ($bundle in $files.bundle) {
		foreach ($f in @(Get-PadFolderFiles -Folder $bundle.DirectoryName -Patterns @($bundle.BaseName + '_*.log') -Listings $listings)) { $packageLogs.Add($f) }
	}
	$files.msi = @($packageLogs.ToArray() | Sort-Object -Property LastWriteTimeUtc -Descending | Select-Object -First $Max)
	$files.msiPolicy = @($policyCandidates.ToArray() | Sort-Object -Property LastWriteTimeUtc -Descending)
	[pscustomobject]@{ Folders = $folders.ToArray(); Files = $files }
}

function Test-PadTextNamesAgent {
	# True when a log names the agent (its service name or a display name): Windows Installer's policy logs are written
	# for every product, and only the agent's count.
	param([AllowEmptyString()] [string] $Text)
	if (-not $Text) { return $false }
	foreach ($name in @(@(Get-PadAgentServiceName) + @(Get-PadAgentDisplayNames))) {
		if ($name -and $Text.IndexOf($name, [System.StringComparison]::OrdinalIgnoreCase) -ge 0) { return $true }
	}
	$false
}

function Split-PadLogLines {
	param([AllowEmptyString()] [string] $Text)
	if (-not $Text) { return , [string[]]@() }
	, [string[]]($Text -split "\r?\n")
}

function Find-PadLogMessages {
	<#
	.SYNOPSIS
	The messages found in one log's lines: each match as { failureId, messageId, line } (the line trimmed, at most 300
	characters). The whole text is tested first so that only the messages it holds are tried line by line.
	#>
	param([string[]] $Lines, [object[]] $Messages)
	# Written to the pipeline one by one: callers collect them with @().
	$found = New-Object System.Collections.Generic.List[object]
	if (@($Lines).Count -eq 0) { return }
	$whole = [string]::Join("`n", $Lines)
	$candidates = @($Messages | Where-Object { $_.PSObject.Properties['finding'] -and (Test-PadMessageText -Message $_ -Text $whole) })
	if ($candidates.Count -eq 0) { return }
	foreach ($rawLine in $Lines) {
		$line = $rawLine.Trim()
		if (-not $line) { continue }
		foreach ($message in $candidates) {
			if (Test-PadMessageText -Message $message -Text $line) {
				if ($line.Length -gt 300) { $line = $line.Substring(0, 300) }
				$found.Add([pscustomobject]@{ FailureId = [string]$message.finding; MessageId = [string]$message.id; Line = $line })
			}
		}
	}
	$found.ToArray()
}

function Find-PadMsiFailedAction {
	<#
	.SYNOPSIS
	The action a Windows Installer log reports as failed: the first line matching the rule's failed-action pattern
	("Return value 3" = ERROR_INSTALL_FAILURE 1603, "Logging of Action Return Values"), the nearest error number
	before it (within the rule's search window, e.g. "Error 1920."), and the lines around it. $null when there is none.
	#>
	param([string[]] $Lines, [Parameter(Mandatory = $true)] $Rules)
	$actionPattern = [string]$Rules.msiFailedActionPattern
	$errorPattern = [string]$Rules.msiErrorNumberPattern
	$options = [System.Text.RegularExpressions.RegexOptions]::IgnoreCase
	for ($i = 0; $i -lt @($Lines).Count; $i++) {
		$match = [regex]::Match($Lines[$i], $actionPattern, $options)
		if (-not $match.Success) { continue }
		$errorNumber = $null
		$first = [Math]::Max(0, $i - [int]$Rules.msiErrorSearchLines)
		for ($j = $i; $j -ge $first; $j--) {
			$errorMatch = [regex]::Match($Lines[$j], $errorPattern, $options)
			if ($errorMatch.Success) { $errorNumber = [int]$errorMatch.Groups[1].Value; break }
		}
		$context = New-Object System.Collections.Generic.List[string]
		$from = [Math]::Max(0, $i - [int]$Rules.contextLinesBefore)
		$to = [Math]::Min(@($Lines).Count - 1, $i + [int]$Rules.contextLinesAfter)
		for ($k = $from; $k -le $to; $k++) {
			$text = $Lines[$k].Trim()
			if ($text.Length -gt 300) { $text = $text.Substring(0, 300) }
			$context.Add($text)
		}
		return [pscustomobject]@{ Action = $match.Groups[1].Value; ErrorNumber = $errorNumber; Context = $context.ToArray() }
	}
	$null
}

function Test-PadSetupLog {
	# The installer and wizard errors of facts section 2a (E01-E06, 0x80070643, 1638) in the newest logs of each kind
	# (rules.newestFilesPerKind, the last rules.tailBytes of each). Findings are split per message. Nothing to read in any
	# folder -> notApplicable, naming the folders looked in; a folder that could not be listed is never "no logs".
	param([hashtable] $Context)
	$rules = Get-PadCheckRules -CheckId 'installer.setup-log'
	$max = [int]$rules.newestFilesPerKind
	$tail = [long]$rules.tailBytes
	$kinds = Get-PadLogKinds
	$located = Find-PadInstallerLogFiles -Max $max

	$evidence = [ordered]@{
		foldersSearched      = @($located.Folders | ForEach-Object { $_['path'] })
		foldersMissing       = @($located.Folders | Where-Object { -not $_['exists'] } | ForEach-Object { $_['path'] })
		foldersUnreadable    = @($located.Folders | Where-Object { $_['error'] } | ForEach-Object { $_['path'] + ': ' + $_['error'] })
		traceFilesRead       = @()
		bundleLogsRead       = @()
		msiLogsRead          = @()
		msiPolicyLogsRead    = @()
		msiPolicyLogsIgnored = 0
		matches              = @()
		msiFailedAction      = $null
		msiErrorNumber       = $null
		msiFailureFile       = $null
		msiFailureLines      = @()
	}

	$findings = New-Object System.Collections.Generic.List[string]
	$matchEvidence = New-Object System.Collections.Generic.List[object]
	$msiLogs = New-Object System.Collections.Generic.List[object]
	$read = @{ trace = (New-Object System.Collections.Generic.List[string]); bundle = (New-Object System.Collections.Generic.List[string]); msi = (New-Object System.Collections.Generic.List[string]); msiPolicy = (New-Object System.Collections.Generic.List[string]) }
	$examined = 0
	foreach ($kind in $kinds.Keys) {
		$seenIn = $kinds[$kind]
		$messages = @(Get-PadMessages -SeenIn $seenIn)
		foreach ($file in @($located.Files[$kind])) {
			if ($kind -eq 'msiPolicy') {
				if ($read.msiPolicy.Count -ge $max -or $examined -ge [int]$rules.msiPolicyLogsExamined) { break }
				$examined++
			}
			$lines = Split-PadLogLines (Read-PadFileTail -Path $file.FullName -MaxBytes $tail)
			if ($kind -eq 'msiPolicy' -and -not (Test-PadTextNamesAgent ([string]::Join("`n", $lines)))) {
				$evidence.msiPolicyLogsIgnored = $evidence.msiPolicyLogsIgnored + 1
				continue
			}
			$read[$kind].Add($file.FullName)
			if ($kind -eq 'msi' -or $kind -eq 'msiPolicy') { $msiLogs.Add([pscustomobject]@{ File = $file.FullName; Lines = $lines }) }
			foreach ($hit in (Find-PadLogMessages -Lines $lines -Messages $messages)) {
				if (-not $findings.Contains($hit.FailureId)) { $findings.Add($hit.FailureId) }
				if ($matchEvidence.Count -lt 10) { $matchEvidence.Add([ordered]@{ failureId = $hit.FailureId; file = $file.FullName; line = $hit.Line }) }
			}
		}
	}
	$evidence.traceFilesRead = $read.trace.ToArray()
	$evidence.bundleLogsRead = $read.bundle.ToArray()
	$evidence.msiLogsRead = $read.msi.ToArray()
	$evidence.msiPolicyLogsRead = $read.msiPolicy.ToArray()
	$evidence.matches = $matchEvidence.ToArray()

	foreach ($log in $msiLogs) {
		$failed = Find-PadMsiFailedAction -Lines $log.Lines -Rules $rules
		if ($null -eq $failed) { continue }
		$evidence.msiFailedAction = $failed.Action
		$evidence.msiErrorNumber = $failed.ErrorNumber
		$evidence.msiFailureFile = $log.File
		$evidence.msiFailureLines = $failed.Context
		break
	}

	$filesRead = $read.trace.Count + $read.bundle.Count + $read.msi.Count + $read.msiPolicy.Count
	if ($findings.Count -gt 0) {
		$ids = $findings.ToArray()
		return New-PadResult -Status (Get-PadWorstSeverity -CheckId 'installer.setup-log' -FailureIds $ids) -FailureIds $ids -Evidence $evidence
	}
	if (@($evidence.foldersUnreadable).Count -gt 0) {
		return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage ('Could not list ' + (@($evidence.foldersUnreadable) -join '; '))
	}
	if ($filesRead -eq 0) { return New-PadResult -Status notApplicable -Evidence $evidence }
	New-PadResult -Status pass -Evidence $evidence
}
