# Probe-level tests for how the installer check reads a log before it searches it: which encoding a log is taken to
# be in (the BOMs, and the guess for UTF-16LE logs without one), where the tail of a large log starts, a log that is
# shorter than its announced length when read, the 300-character cut of the lines it reports, and the window in which
# the error number behind a failed MSI action is looked for. A log read in the wrong encoding or from the wrong byte
# is garbage, and the installer errors in it would silently go unreported.

BeforeAll {
	$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
	Import-Module (Join-Path $repo 'src/powershell/PadProbes.psm1') -Force
	$messages = @((Get-Content -LiteralPath (Join-Path $repo 'src/catalogue/messages.json') -Raw | ConvertFrom-Json).messages)
	$work = Join-Path ([System.IO.Path]::GetTempPath()) ('pad-log-reading-tests-' + [guid]::NewGuid().ToString('n'))
	[void](New-Item -ItemType Directory -Path $work -Force)

	function Write-LogBytes {
		# A log file of exactly these bytes, so that a test says which bytes the reader meets first.
		param([string] $Name, [byte[]] $Bytes)
		$path = Join-Path $work $Name
		[System.IO.File]::WriteAllBytes($path, $Bytes)
		$path
	}

	function Write-LogText {
		# A log file of this text in this encoding, with the encoding's BOM when it has one.
		param([string] $Name, [string] $Text, [System.Text.Encoding] $Encoding)
		$path = Join-Path $work $Name
		[System.IO.File]::WriteAllText($path, $Text, $Encoding)
		$path
	}

	function Show-Text {
		# The text with every character outside printable ASCII written as \u and four hex digits. PowerShell compares strings the
		# invariant culture's way even with -ceq (and so does Should -BeExactly), which ignores U+FEFF and U+0000: a
		# BOM left in the text or a UTF-16 text read as UTF-8 would compare equal to the right text.
		param([AllowEmptyString()] [string] $Text)
		$visible = New-Object System.Text.StringBuilder
		foreach ($c in $Text.ToCharArray()) {
			if ([int]$c -ge 0x20 -and [int]$c -lt 0x7F) { [void]$visible.Append($c) }
			else { [void]$visible.Append(('\u{0:X4}' -f [int]$c)) }
		}
		$visible.ToString()
	}

	if (-not ('PadTestShrinkingLog' -as [type])) {
		# A log that another process cut shorter after the reader took its length: Length promises more bytes than
		# Read gives. A reader that kept asking after the end would never return; this stream throws instead, so that
		# such a reader fails the test rather than hanging it.
		Add-Type -TypeDefinition @'
public class PadTestShrinkingLog : System.IO.MemoryStream {
	private readonly long announced;
	private int readsAtEnd;
	public PadTestShrinkingLog(byte[] data, long announced) : base(data) { this.announced = announced; }
	public override long Length { get { return announced; } }
	public override int Read(byte[] buffer, int offset, int count) {
		int n = base.Read(buffer, offset, count);
		if (n == 0 && ++readsAtEnd > 100) { throw new System.IO.IOException("the reader went on reading at the end of the log"); }
		return n;
	}
}
'@
	}
}

AfterAll {
	Remove-Module PadProbes -ErrorAction SilentlyContinue
	Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Read-PadFileTail takes the encoding from the BOM' {
	It 'reads a UTF-8 log with a BOM without the BOM character' {
		# A leftover U+FEFF would start the first line reported as evidence (Trim does not remove it).
		$path = Write-LogText -Name 'utf8bom.log' -Text "Starting.`r`nError 1923.`r`n" -Encoding ([System.Text.UTF8Encoding]::new($true))
		Show-Text (Read-PadFileTail -Path $path) | Should -BeExactly (Show-Text "Starting.`r`nError 1923.`r`n")
	}

	It 'takes only EF BB BF as the UTF-8 BOM: a UTF-8 log without a BOM whose first character is E3 BB BF keeps it' {
		# U+3EFF is written E3 BB BF: its last two bytes are those of the BOM, its first is not.
		$path = Write-LogText -Name 'utf8-cjk.log' -Text "$([char]0x3EFF) Error 1923.`r`n" -Encoding ([System.Text.UTF8Encoding]::new($false))
		Show-Text (Read-PadFileTail -Path $path) | Should -BeExactly (Show-Text "$([char]0x3EFF) Error 1923.`r`n")
	}

	It 'takes only FE FF as the big-endian BOM: a UTF-16LE log without a BOM whose first character ends in FF is read as UTF-16LE' {
		# A fullwidth letter (U+FF21) is written 21 FF in UTF-16LE: its second byte is that of the big-endian BOM.
		$text = "$([char]0xFF21)gent setup`r`nError 1923.`r`n"
		$path = Write-LogText -Name 'utf16-fullwidth.log' -Text $text -Encoding ([System.Text.UnicodeEncoding]::new($false, $false))
		Show-Text (Read-PadFileTail -Path $path) | Should -BeExactly (Show-Text $text)
	}

	It 'reads a UTF-16 log that holds only its BOM (just created, nothing written yet) as empty text' {
		Show-Text (Read-PadFileTail -Path (Write-LogBytes -Name 'bom-only-be.log' -Bytes @(0xFE, 0xFF))) | Should -BeExactly ''
		Show-Text (Read-PadFileTail -Path (Write-LogBytes -Name 'bom-only-le.log' -Bytes @(0xFF, 0xFE))) | Should -BeExactly ''
	}
}

Describe 'Read-PadFileTail recognises UTF-16LE without a BOM' {
	It 'reads a UTF-16LE log of one character, without a BOM, as that character' {
		Show-Text (Read-PadFileTail -Path (Write-LogBytes -Name 'one-char.log' -Bytes @(0x45, 0x00))) | Should -BeExactly 'E'
	}

	It 'reads the last two bytes of a UTF-16LE log without a BOM as its last character' {
		$path = Write-LogText -Name 'utf16-tail2.log' -Text "Error 1923.`r`n" -Encoding ([System.Text.UnicodeEncoding]::new($false, $false))
		Show-Text (Read-PadFileTail -Path $path -MaxBytes 2) | Should -BeExactly '\u000A'
	}
}

Describe 'Read-PadFileTail starts the tail of a large log where its characters start' {
	BeforeAll {
		$line = "Service 'Microsoft Entra Connect Provisioning Agent' (AADConnectProvisioningAgent) failed to start."
		$text = ('MSI (s) (4C:10): Doing action: Filler' + "`r`n") * 200 + $line + "`r`n"
	}

	It 'starts the tail of a UTF-16 big-endian log on a character boundary' {
		$path = Write-LogText -Name 'big-be.log' -Text $text -Encoding ([System.Text.UnicodeEncoding]::new($true, $true))
		# 301 bytes from the end is the second half of a character: the tail is the 150 whole characters after it.
		Show-Text (Read-PadFileTail -Path $path -MaxBytes 301) | Should -BeExactly (Show-Text $text.Substring($text.Length - 150))
		Show-Text (Read-PadFileTail -Path $path -MaxBytes 302) | Should -BeExactly (Show-Text $text.Substring($text.Length - 151))
	}

	It 'cuts the tail of a UTF-8 log at exactly the last MaxBytes, whether it starts at an odd or an even byte' {
		# Only UTF-16 needs whole 2-byte characters; a UTF-8 tail keeps its first byte.
		$path = Write-LogText -Name 'big-utf8.log' -Text $text -Encoding ([System.Text.UTF8Encoding]::new($false))
		Show-Text (Read-PadFileTail -Path $path -MaxBytes 301) | Should -BeExactly (Show-Text $text.Substring($text.Length - 301))
		Show-Text (Read-PadFileTail -Path $path -MaxBytes 302) | Should -BeExactly (Show-Text $text.Substring($text.Length - 302))
	}
}

Describe 'Read-PadFileTail on a log cut shorter while it is read' {
	It 'returns the text that is there and stops, when the log ends before the length it had' {
		# The setup may start its log again while the check reads it: the file is then shorter than the length the
		# check took when it opened it (here 13 bytes of text where the length said 4096).
		Mock -ModuleName PadProbes New-Object -ParameterFilter { $TypeName -eq 'System.IO.FileStream' } -MockWith {
			[PadTestShrinkingLog]::new([System.Text.Encoding]::ASCII.GetBytes("Error 1923.`r`n"), 4096)
		}
		Show-Text (Read-PadFileTail -Path (Join-Path $work 'rewritten.log')) | Should -BeExactly (Show-Text "Error 1923.`r`n")
		Should -Invoke New-Object -ModuleName PadProbes -ParameterFilter { $TypeName -eq 'System.IO.FileStream' } -Times 1 -Exactly
	}
}

Describe 'Find-PadLogMessages keeps at most 300 characters of a line' {
	It 'cuts a matching line of 301 characters to its first 300' {
		$line = 'Error 1923. ' + ('x' * 289)
		$line.Length | Should -Be 301
		$found = @(Find-PadLogMessages -Lines @($line) -Messages $messages)
		@($found | ForEach-Object { $_.FailureId }) | Should -Contain 'setup-log-msi-1923'
		foreach ($match in $found) { $match.Line | Should -BeExactly $line.Substring(0, 300) }
	}
}

Describe 'Find-PadMsiFailedAction looks for the error number up to the first line' {
	It 'takes the error number from the first line of the log it reads' {
		# The tail of a large per-MSI log may begin with the error line, right before the failed action.
		$rules = Get-PadCheckRules -CheckId 'installer.setup-log'
		$lines = @(
			"MSI (s) (A8:9C) [10:15:41:217]: Product: Microsoft Entra Connect Provisioning Agent -- Error 1920. Service 'Microsoft Entra Connect Provisioning Agent' (AADConnectProvisioningAgent) failed to start.",
			'Action ended 10:15:41: InstallFinalize. Return value 3.'
		)
		$failed = Find-PadMsiFailedAction -Lines $lines -Rules $rules
		$failed.Action | Should -Be 'InstallFinalize'
		$failed.ErrorNumber | Should -Be 1920
	}
}
