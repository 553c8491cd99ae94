# Installer: the provisioning agent package's setup (WiX Burn bundle) logs in the temp folders.
# Windows PowerShell 5.1 syntax only. Read-only.

function Get-PadSetupLogPatterns {
	# UNVERIFIED name patterns (facts section 5): the bundle log was seen once as
	# %TEMP%\Microsoft_Azure_AD_Connect_Provisioning_Agent_Package_<yyyyMMddHHmmss>.log (user log in
	# Azure/azure-quickstart-templates#13125, not a Microsoft document); builds after the Entra rebrand may write
	# "Microsoft_Entra..." names instead, hence the second pattern.
	[string[]]@('Microsoft_Azure_AD_Connect_Provisioning_Agent_Package_*.log', 'Microsoft_Entra*Provisioning_Agent*.log')
}

function Get-PadSetupLogRules {
	# Failure id -> texts (regular expressions, case-insensitive) that identify it in a setup log.
	#  - Windows Installer error 1923 "Service '[2]' ([3]) could not be installed. Verify that you have sufficient
	#    privileges to install system services." - the seed's E01 spells it "privilages", so the text stops at "privi".
	#  - Windows Installer error 1920 "... failed to start. Verify that you have sufficient privileges to start system
	#    services." (E02/E02b, [SA-MSI], [TSG]).
	#  - Wizard gMSA errors E03 "Failed changing Windows service credentials to gMSA" ([SA-CS], [SA-LOS]), E04 "Unable to
	#    create gMSA" ([SA-CS], [SA-KDS]), E05/E06 "Error while/when creating group managed service account" ([GMS],
	#    [SA-NSO]).
	@(
		[pscustomobject]@{ Id = 'setup-log-service-not-installed'; Patterns = @([regex]::Escape('could not be installed. Verify that you have sufficient privi'), '\bError 1923\b') },
		[pscustomobject]@{ Id = 'setup-log-service-not-started'; Patterns = @([regex]::Escape('failed to start. Verify that you have sufficient privileges'), '\bError 1920\b') },
		[pscustomobject]@{ Id = 'setup-log-gmsa-failed'; Patterns = @([regex]::Escape('Failed changing Windows service credentials to gMSA'), [regex]::Escape('Unable to create gMSA'), 'Error (while|when) creating group managed service account') }
	)
}

function Find-PadSetupLogs {
	# Setup logs in $env:TEMP and %SystemRoot%\Temp (the bundle runs elevated, possibly as another user), newest first.
	param([int] $Max = 3)
	$folders = New-Object System.Collections.Generic.List[string]
	if ($env:TEMP) { $folders.Add($env:TEMP) }
	if ($env:SystemRoot) { $folders.Add((Join-Path $env:SystemRoot 'Temp')) }
	$seen = New-Object 'System.Collections.Generic.HashSet[string]' ([System.StringComparer]::OrdinalIgnoreCase)
	$files = New-Object System.Collections.Generic.List[object]
	foreach ($folder in $folders) {
		if (-not (Test-Path -LiteralPath $folder -PathType Container)) { continue }
		foreach ($pattern in (Get-PadSetupLogPatterns)) {
			foreach ($file in @(Get-ChildItem -LiteralPath $folder -Filter $pattern -File -ErrorAction SilentlyContinue)) {
				if ($seen.Add($file.FullName)) { $files.Add($file) }
			}
		}
	}
	$files.ToArray() | Sort-Object -Property LastWriteTimeUtc -Descending | Select-Object -First $Max
}

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

function Find-PadSetupLogMatches {
	# The failure ids found in a log's text and the matching lines (trimmed, at most 300 characters each).
	param([AllowEmptyString()] [string] $Text)
	$rules = Get-PadSetupLogRules
	$ids = New-Object System.Collections.Generic.List[string]
	$lines = New-Object System.Collections.Generic.List[string]
	if (-not $Text) { return [pscustomobject]@{ FailureIds = [string[]]@(); Lines = [string[]]@() } }
	foreach ($rawLine in ($Text -split "`n")) {
		$line = $rawLine.Trim()
		if (-not $line) { continue }
		$hit = $false
		foreach ($rule in $rules) {
			foreach ($pattern in $rule.Patterns) {
				if ($line -match $pattern) {
					$hit = $true
					if (-not $ids.Contains($rule.Id)) { $ids.Add($rule.Id) }
					break
				}
			}
		}
		if ($hit) {
			if ($line.Length -gt 300) { $line = $line.Substring(0, 300) }
			$lines.Add($line)
		}
	}
	[pscustomobject]@{ FailureIds = [string[]]$ids.ToArray(); Lines = [string[]]$lines.ToArray() }
}

function Test-PadSetupLog {
	# Looks for the installer errors of facts section 2a (E01-E06) in the newest setup logs (at most 3, the last 2 MB of
	# each). No log -> notApplicable (nothing was installed from this account, or the log was cleaned up).
	param([hashtable] $Context)
	$files = @(Find-PadSetupLogs -Max 3)
	$evidence = [ordered]@{ file = $null; lastWrite = $null; matches = @(); filesSearched = @() }
	if ($files.Count -eq 0) { return New-PadResult -Status notApplicable -Evidence $evidence }
	$evidence.file = $files[0].FullName
	$evidence.lastWrite = $files[0].LastWriteTimeUtc
	$evidence.filesSearched = @($files | ForEach-Object { $_.FullName })

	$failures = New-Object System.Collections.Generic.List[string]
	$lines = New-Object System.Collections.Generic.List[string]
	$firstHit = $null
	foreach ($file in $files) {
		$found = Find-PadSetupLogMatches -Text (Read-PadFileTail -Path $file.FullName)
		if ($found.FailureIds.Count -eq 0) { continue }
		if ($null -eq $firstHit) { $firstHit = $file }
		foreach ($id in $found.FailureIds) { if (-not $failures.Contains($id)) { $failures.Add($id) } }
		foreach ($line in $found.Lines) { if ($lines.Count -lt 5) { $lines.Add($line) } }
	}
	if ($null -ne $firstHit) {
		$evidence.file = $firstHit.FullName
		$evidence.lastWrite = $firstHit.LastWriteTimeUtc
	}
	$evidence.matches = $lines.ToArray()
	if ($failures.Count -eq 0) { return New-PadResult -Status pass -Evidence $evidence }
	New-PadResult -Status fail -FailureIds $failures.ToArray() -Evidence $evidence
}
