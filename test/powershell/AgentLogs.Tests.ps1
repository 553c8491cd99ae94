# Probe-level tests of the Agent logs check: that its whole-text search finds exactly the lines Test-PadMessageText
# finds line by line (the rule the log language server and Explain an Error share), in every encoding the reader
# knows, and how it counts, orders, limits and numbers what it reports. The scenarios (agent-logs-*.json) run it
# through the entry script against the fake host.

# The -ForEach tests below are made at discovery, which runs before BeforeAll: the messages they take are read here
# (in BeforeAll alone the list would be empty at discovery, and those tests would silently not exist).
BeforeDiscovery {
	$discoveryRepo = Resolve-Path (Join-Path $PSScriptRoot '../..')
	$traceMessages = @(@((Get-Content -LiteralPath (Join-Path $discoveryRepo 'src/catalogue/messages.json') -Raw | ConvertFrom-Json).messages) | Where-Object { @($_.seenIn) -contains 'trace-log' })
	if ($traceMessages.Count -eq 0) { throw 'No catalogue message is seen in the trace log: the -ForEach tests would be empty.' }
}

BeforeAll {
	$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
	Import-Module (Join-Path $repo 'src/powershell/PadProbes.psm1') -Force
	$messages = @((Get-Content -LiteralPath (Join-Path $repo 'src/catalogue/messages.json') -Raw | ConvertFrom-Json).messages)
	$traceMessages = @($messages | Where-Object { @($_.seenIn) -contains 'trace-log' })
	$work = Join-Path ([System.IO.Path]::GetTempPath()) ('pad-agent-logs-tests-' + [guid]::NewGuid().ToString('n'))
	$ldap = 'System.DirectoryServices.Protocols.LdapException: The operation was aborted because the client side timeout limit was exceeded.'
	$trust = 'The trust relationship between this workstation and the primary domain failed.'

	function Find-ByLines {
		# The reference: every line tested alone, as the installer check and the extension test a line.
		param($Message, [string[]] $Lines)
		$found = @()
		for ($i = 0; $i -lt $Lines.Count; $i++) { if (Test-PadMessageText -Message $Message -Text $Lines[$i]) { $found += $i } }
		, [int[]]$found
	}

	function Find-ByText {
		param($Message, [string] $Text)
		$lines = Split-PadLogLines $Text
		$folded = [regex]::Replace($Text, '[^\S\n]+', ' ')
		Find-PadMessageLines -Message $Message -Folded $folded -LineStarts (Get-PadLineStarts $folded) -Lines $lines
	}

	function New-TraceFolder {
		# A fresh trace folder that Get-PadAgentPath returns, with these files (name -> @{ Text; Encoding; HoursAgo }).
		param([hashtable] $Files)
		$folder = Join-Path $work ([guid]::NewGuid().ToString('n'))
		[void](New-Item -ItemType Directory -Path $folder -Force)
		foreach ($name in $Files.Keys) {
			$spec = $Files[$name]
			$path = Join-Path $folder $name
			$encoding = $spec['Encoding']
			if ($null -eq $encoding) { $encoding = New-Object System.Text.UTF8Encoding $false }
			[System.IO.File]::WriteAllText($path, [string]$spec['Text'], $encoding)
			$hours = 1
			if ($spec.ContainsKey('HoursAgo')) { $hours = [double]$spec['HoursAgo'] }
			[System.IO.File]::SetLastWriteTimeUtc($path, [datetime]::UtcNow.AddHours(-$hours))
		}
		$script:traceFolder = $folder
		$folder
	}

}

AfterAll {
	Remove-Module PadProbes -ErrorAction SilentlyContinue
	Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The whole-text search of the Agent logs check' {
	It 'needs catalogue patterns that cannot match across a line' {
		# Find-PadMessageLines relies on this: a match of the whole text then always lies in one line.
		foreach ($m in $messages) {
			$pattern = $m.match.PSObject.Properties['pattern']
			if ($null -eq $pattern) { continue }
			# Case-sensitive: \S, \w and \d are fine; \s, \W, \D, a negated class and single-line mode can match a line break.
			[string]$pattern.Value | Should -Not -MatchExactly '\\s|\\W|\\D|\[\^|\(\?[a-z]*s|\\n|\\r' -Because $m.id
		}
	}

	It 'finds the same lines as testing each line alone, for <_.id>' -ForEach $traceMessages {
		$message = $_
		$samples = @([string]$message.text)
		$examples = $message.PSObject.Properties['examples']
		if ($examples) { $samples += @($examples.Value | ForEach-Object { [string]$_ }) }
		$lines = New-Object System.Collections.Generic.List[string]
		foreach ($sample in $samples) {
			$words = $sample -split ' '
			$lines.Add('[06:12:41.310] [ 22] [ERROR] ' + $sample)
			# Other case, other white space, and the same words broken over two lines (which must not count).
			$lines.Add("`t" + $sample.ToUpperInvariant().Replace(' ', "  `t "))
			$half = [int][Math]::Floor($words.Count / 2)
			$lines.Add([string]::Join(' ', $words[0..($half - 1)]))
			$lines.Add([string]::Join(' ', $words[$half..($words.Count - 1)]))
			$lines.Add('[06:12:41.311] [ 22] [INFO ] ' + $sample.Substring(0, [Math]::Max(1, $sample.Length - 12)))
		}
		foreach ($separator in "`r`n", "`n") {
			$text = [string]::Join($separator, $lines) + $separator
			$expected = Find-ByLines -Message $message -Lines (Split-PadLogLines $text)
			$expected.Count | Should -BeGreaterThan 0 -Because 'the sample lines must show the message'
			$found = Find-ByText -Message $message -Text $text
			$found | Should -Be $expected -Because $message.id
		}
	}

	It 'finds nothing in a text without the messages, and in an empty one' {
		foreach ($m in $traceMessages) {
			(Find-ByText -Message $m -Text "[06:00:00.000] [  1] [INFO ] Heartbeat sent.`r`n").Count | Should -Be 0
			(Find-ByText -Message $m -Text '').Count | Should -Be 0
		}
	}

	It 'counts a line once however often the message is in it, and gives the line of each position' {
		$m = @($traceMessages | Where-Object { $_.id -eq 'ldap-client-timeout' })[0]
		$text = "first`r`n$ldap $ldap`r`nmiddle`r`n$ldap"
		$found = Find-ByText -Message $m -Text $text
		$found | Should -Be @(1, 3)
	}

	It 'finds a message at the very start of the text, for <_.id>' -ForEach $traceMessages {
		# Position 0 is a match like any other: the first line of a file is often the one that failed.
		$text = [string]$_.text + "`r`nnext line`r`n"
		Find-ByText -Message $_ -Text $text | Should -Be @(0) -Because $_.id
	}

	It 'lists the line starts of LF and CRLF text' {
		$starts = Get-PadLineStarts "ab`ncd`r`nef"
		$starts | Should -Be @(0, 3, 7)
		$starts = Get-PadLineStarts ''
		$starts | Should -Be @(0)
		$starts = Get-PadLineStarts "x`n"
		$starts | Should -Be @(0, 2)
		# A break as the very first character: an empty first line, then the next.
		$starts = Get-PadLineStarts "`nab"
		$starts | Should -Be @(0, 1)
	}
}

Describe 'Test-PadAgentLogs' {
	BeforeEach {
		Mock -ModuleName PadProbes Get-PadAgentPath { $script:traceFolder } -ParameterFilter { $Name -eq 'traceFolder' }
	}

	It 'passes on recent trace files without catalogued messages, and counts their lines' {
		New-TraceFolder @{ 'AgentTrace-1.log' = @{ Text = "[06:00:00.000] [  1] [INFO ] Service started.`r`n[06:00:01.000] [  1] [INFO ] Heartbeat sent.`r`n" } } | Out-Null
		$r = Test-PadAgentLogs -Context @{}
		$r.status | Should -Be 'pass'
		$r.evidence.filesReadCount | Should -Be 1
		$r.evidence.linesRead | Should -Be 2
		$r.evidence.days | Should -Be 7
		@($r.evidence.messagesFound).Count | Should -Be 0
	}

	It 'is not applicable when the folder is missing or its files are older than the days searched' {
		$script:traceFolder = Join-Path $work 'no-such-folder'
		(Test-PadAgentLogs -Context @{}).status | Should -Be 'notApplicable'
		New-TraceFolder @{ 'old.log' = @{ Text = $ldap; HoursAgo = 24 * 7 + 1 } } | Out-Null
		$r = Test-PadAgentLogs -Context @{}
		$r.status | Should -Be 'notApplicable'
		$r.evidence.filesReadCount | Should -Be 0
	}

	It 'takes the days from the context''s time, so the period moves with it' {
		New-TraceFolder @{ 'a.log' = @{ Text = $ldap; HoursAgo = 24 * 7 + 1 } } | Out-Null
		(Test-PadAgentLogs -Context @{ Now = [datetime]::UtcNow.AddHours(-2) }).status | Should -Be 'warning'
	}

	It 'counts each message over the files, lists the newest lines first with their numbers, and names the message' {
		New-TraceFolder @{
			'newest.log' = @{ Text = "start`r`n$ldap`r`n$trust`r`nend`r`n"; HoursAgo = 1 }
			'older.log'  = @{ Text = "$ldap`r`n"; HoursAgo = 30 }
		} | Out-Null
		$r = Test-PadAgentLogs -Context @{}
		$r.status | Should -Be 'warning'
		$r.failureIds | Should -Be @('agent-logs-known-messages')
		$r.evidence.messagesFound | Should -Be @("1 x $trust", "2 x $ldap")
		$lines = @($r.evidence.knownLines)
		@($lines | ForEach-Object { $_['messageId'] }) | Should -Be @('trust-relationship-failed', 'ldap-client-timeout', 'ldap-client-timeout')
		@($lines | ForEach-Object { [System.IO.Path]::GetFileName($_['file']) }) | Should -Be @('newest.log', 'newest.log', 'older.log')
		@($lines | ForEach-Object { $_['lineNumber'] }) | Should -Be @(3, 2, 1)
		$lines[0]['line'] | Should -BeExactly $trust
		@($r.evidence.filesRead | ForEach-Object { [System.IO.Path]::GetFileName($_) }) | Should -Be @('newest.log', 'older.log')
	}

	It 'reads UTF-16LE trace files with and without a BOM' {
		New-TraceFolder @{
			'bom.log'   = @{ Text = "x`r`n$ldap`r`n"; Encoding = (New-Object System.Text.UnicodeEncoding $false, $true) }
			'nobom.log' = @{ Text = "y`r`n$trust`r`n"; Encoding = (New-Object System.Text.UnicodeEncoding $false, $false) }
		} | Out-Null
		$r = Test-PadAgentLogs -Context @{}
		@($r.evidence.messagesFound) | Sort-Object | Should -Be @("1 x $ldap", "1 x $trust")
	}

	It 'reads only the tail of a large file, and then gives no line numbers' {
		$filler = ('[06:00:00.000] [  1] [INFO ] ' + ('x' * 70) + "`r`n") * 60000
		New-TraceFolder @{ 'big.log' = @{ Text = "$trust`r`n" + $filler + "$ldap`r`n" } } | Out-Null
		$r = Test-PadAgentLogs -Context @{}
		# The file is over 4 MB: the trust line at its start is outside the tail that is read.
		$r.evidence.messagesFound | Should -Be @("1 x $ldap")
		@($r.evidence.knownLines)[0]['lineNumber'] | Should -BeNullOrEmpty
		$r.evidence.linesRead | Should -BeLessThan 60002
	}

	It 'gives line numbers for a file exactly as long as the tail it reads: that is the whole file' {
		$text = "start`r`n$ldap`r`n"
		$size = [System.Text.Encoding]::UTF8.GetByteCount($text)
		$rules = Get-PadCheckRules -CheckId 'eventlog.agent-logs'
		$small = [pscustomobject]@{ days = $rules.days; maxFiles = $rules.maxFiles; tailBytes = $size; knownLinesShown = $rules.knownLinesShown; lineLength = $rules.lineLength }
		Mock -ModuleName PadProbes Get-PadCheckRules { $small } -ParameterFilter { $CheckId -eq 'eventlog.agent-logs' }
		New-TraceFolder @{ 'exact.log' = @{ Text = $text } } | Out-Null
		$r = Test-PadAgentLogs -Context @{}
		$r.evidence.tailBytes | Should -Be $size
		@($r.evidence.knownLines)[0]['lineNumber'] | Should -Be 2
	}

	It 'reads the newest files up to the limit and counts the others' {
		$files = @{}
		for ($i = 1; $i -le 12; $i++) { $files[('t{0:D2}.log' -f $i)] = @{ Text = $ldap; HoursAgo = $i } }
		New-TraceFolder $files | Out-Null
		$r = Test-PadAgentLogs -Context @{}
		$r.evidence.filesReadCount | Should -Be 10
		$r.evidence.filesNotRead | Should -Be 2
		@($r.evidence.filesRead | ForEach-Object { [System.IO.Path]::GetFileName($_) })[0] | Should -Be 't01.log'
		$r.evidence.messagesFound | Should -Be @("10 x $ldap")
		@($r.evidence.knownLines).Count | Should -Be 10
	}

	It 'cuts the lines it reports to 300 characters' {
		New-TraceFolder @{ 'long.log' = @{ Text = ('[ERROR] ' + $ldap + (' y' * 400)) } } | Out-Null
		$line = @((Test-PadAgentLogs -Context @{}).evidence.knownLines)[0]['line']
		$line.Length | Should -Be 300
		$line | Should -BeLike "``[ERROR``] System.DirectoryServices*"
	}

	It 'counts no line for an empty file and every line of one without a final line break' {
		New-TraceFolder @{ 'empty.log' = @{ Text = '' }; 'open.log' = @{ Text = "a`r`nb" } } | Out-Null
		$r = Test-PadAgentLogs -Context @{}
		$r.evidence.filesReadCount | Should -Be 2
		$r.evidence.linesRead | Should -Be 2
	}

	It 'lists at most the newest 10 lines however many show a message, and counts them all' {
		New-TraceFolder @{ 'many.log' = @{ Text = ((1..12 | ForEach-Object { "[$_] $ldap" }) -join "`r`n") } } | Out-Null
		$r = Test-PadAgentLogs -Context @{}
		$r.evidence.messagesFound | Should -Be @("12 x $ldap")
		@($r.evidence.knownLines).Count | Should -Be 10
		@($r.evidence.knownLines)[0]['lineNumber'] | Should -Be 12
	}

	It 'searches a file changed exactly the days ago it searches back to' {
		$now = [datetime]::new(2026, 12, 2, 6, 0, 0, [System.DateTimeKind]::Utc)
		$folder = New-TraceFolder @{ 'edge.log' = @{ Text = $ldap } }
		[System.IO.File]::SetLastWriteTimeUtc((Join-Path $folder 'edge.log'), $now.AddDays(-7))
		(Test-PadAgentLogs -Context @{ Now = $now }).status | Should -Be 'warning'
		(Test-PadAgentLogs -Context @{ Now = $now.AddSeconds(1) }).status | Should -Be 'notApplicable'
	}

	It 'starts its evidence at nothing read, as a run that stops early reports it' {
		$script:traceFolder = Join-Path $work 'no-such-folder'
		$r = Test-PadAgentLogs -Context @{}
		$r.status | Should -Be 'notApplicable'
		$r.evidence.filesNotRead | Should -Be 0
		$r.evidence.linesRead | Should -Be 0
	}

	It 'cannot check when a trace file cannot be read, and says which' {
		New-TraceFolder @{ 'locked.log' = @{ Text = $ldap } } | Out-Null
		Mock -ModuleName PadProbes Read-PadFileTail { throw 'The process cannot access the file because it is being used by another process.' }
		$r = Test-PadAgentLogs -Context @{}
		$r.status | Should -Be 'unknown'
		$r.error | Should -BeLike "Could not read *locked.log: The process cannot access the file*"
		$r.evidence.linesRead | Should -Be 0
	}

	It 'cannot check when the folder cannot be listed, and says which folder' {
		New-TraceFolder @{ 'a.log' = @{ Text = 'x' } } | Out-Null
		Mock -ModuleName PadProbes Get-PadFolderFiles { throw 'Access to the path is denied.' }
		$r = Test-PadAgentLogs -Context @{}
		$r.status | Should -Be 'unknown'
		$r.error | Should -BeLike "Could not list $($script:traceFolder)*Access to the path is denied.*"
		$r.evidence.filesNotRead | Should -Be 0
		$r.evidence.linesRead | Should -Be 0
	}
}
