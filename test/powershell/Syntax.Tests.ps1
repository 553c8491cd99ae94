# The probes and the fixes must run on Windows PowerShell 5.1 as well as PowerShell 7. This parses every shipped
# script (src/powershell and src/catalogue/fixes) with PowerShell's own parser and rejects what 5.1 cannot run: 7-only
# operators, parameters and commands, and non-ASCII text in files without a BOM (5.1 reads those in the ANSI code
# page). CommandReference.Tests.ps1 checks every command and parameter against Microsoft's reference as well.

BeforeDiscovery {
	$src = Resolve-Path (Join-Path $PSScriptRoot '../../src')
	$shipped = @(
		Get-ChildItem -LiteralPath (Join-Path $src 'powershell') -Recurse -Include '*.ps1', '*.psm1'
		Get-ChildItem -LiteralPath (Join-Path $src 'catalogue/fixes') -Filter '*.ps1'
	)
	$files = foreach ($f in $shipped) {
		@{ Name = $f.FullName.Substring($src.Path.Length + 1).Replace('\', '/'); Path = $f.FullName }
	}
}

Describe 'Windows PowerShell 5.1 compatibility of <Name>' -ForEach $files {
	BeforeAll {
		$tokens = $null
		$errors = $null
		$ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref]$tokens, [ref]$errors)
		function Find-Node([scriptblock] $Predicate) { @($ast.FindAll($Predicate, $true)) }
	}

	It 'parses without errors' {
		$errors | Should -BeNullOrEmpty
	}

	It 'uses no PowerShell 7-only operators (?:, ??, ??=, ?., &&, ||)' {
		Find-Node { param($n) $n.GetType().Name -in 'TernaryExpressionAst', 'PipelineChainAst' } | Should -BeNullOrEmpty
		Find-Node { param($n) $n -is [System.Management.Automation.Language.BinaryExpressionAst] -and $n.Operator.ToString() -eq 'QuestionQuestion' } | Should -BeNullOrEmpty
		Find-Node { param($n) $n -is [System.Management.Automation.Language.AssignmentStatementAst] -and $n.Operator.ToString() -eq 'QuestionQuestionEquals' } | Should -BeNullOrEmpty
		Find-Node { param($n) $n -is [System.Management.Automation.Language.MemberExpressionAst] -and $n.NullConditional } | Should -BeNullOrEmpty
	}

	It 'uses no PowerShell 7-only parameters or commands' {
		$sevenOnlyParameters = 'Parallel', 'AsHashtable', 'EnumsAsStrings', 'SkipCertificateCheck', 'AsByteStream'
		$found = Find-Node { param($n) $n -is [System.Management.Automation.Language.CommandParameterAst] -and $sevenOnlyParameters -contains $n.ParameterName }
		# -ThrottleLimit of ForEach-Object is 7-only (it comes with -Parallel); Invoke-Command's and our own are not.
		$found += Find-Node { param($n) $n -is [System.Management.Automation.Language.CommandParameterAst] -and $n.ParameterName -eq 'ThrottleLimit' -and $n.Parent.GetCommandName() -in 'ForEach-Object', 'foreach', '%' }
		@($found | ForEach-Object { $_.Extent.Text }) | Should -BeNullOrEmpty
		$sevenOnlyCommands = 'Join-String', 'Get-Error', 'Test-Json', 'ConvertFrom-Markdown', 'Get-Uptime', 'Remove-Alias', 'Remove-Service', 'Start-ThreadJob'
		$commands = Find-Node { param($n) $n -is [System.Management.Automation.Language.CommandAst] -and $sevenOnlyCommands -contains $n.GetCommandName() }
		@($commands | ForEach-Object { $_.Extent.Text }) | Should -BeNullOrEmpty
	}

	It 'assigns ConvertFrom-Json output before using it (5.1 writes a top-level JSON array as one object)' {
		$uses = Find-Node { param($n) $n -is [System.Management.Automation.Language.CommandAst] -and $n.GetCommandName() -eq 'ConvertFrom-Json' }
		$unassigned = @($uses | Where-Object { -not ($_.Parent -is [System.Management.Automation.Language.PipelineAst] -and $_.Parent.Parent -is [System.Management.Automation.Language.AssignmentStatementAst]) })
		@($unassigned | ForEach-Object { $_.Parent.Extent.Text }) | Should -BeNullOrEmpty
	}

	It 'does not rely on $IsWindows, $IsLinux or $IsMacOS (undefined on 5.1)' {
		$vars = Find-Node { param($n) $n -is [System.Management.Automation.Language.VariableExpressionAst] -and $n.VariablePath.UserPath -in 'IsWindows', 'IsLinux', 'IsMacOS' }
		@($vars | ForEach-Object { $_.Extent.Text }) | Should -BeNullOrEmpty
	}

	It 'is ASCII, or UTF-8 with a BOM' {
		$bytes = [System.IO.File]::ReadAllBytes($Path)
		$hasBom = $bytes.Length -ge 3 -and $bytes[0] -eq 0xEF -and $bytes[1] -eq 0xBB -and $bytes[2] -eq 0xBF
		$nonAscii = @($bytes | Where-Object { $_ -gt 127 }).Count
		($hasBom -or $nonAscii -eq 0) | Should -BeTrue -Because "$nonAscii non-ASCII bytes without a BOM"
	}
}

Describe 'The syntax checks themselves' {
	It 'catch 7-only syntax when it is there' {
		$tokens = $null
		$errors = $null
		$bad = [System.Management.Automation.Language.Parser]::ParseInput('$a = $b ?? 1; $c = $d ? 1 : 2; Get-Thing && Get-Other; 1..3 | ForEach-Object -Parallel { $_ }', [ref]$tokens, [ref]$errors)
		@($bad.FindAll({ param($n) $n.GetType().Name -in 'TernaryExpressionAst', 'PipelineChainAst' }, $true)).Count | Should -Be 2
		@($bad.FindAll({ param($n) $n -is [System.Management.Automation.Language.BinaryExpressionAst] -and $n.Operator.ToString() -eq 'QuestionQuestion' }, $true)).Count | Should -Be 1
		@($bad.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandParameterAst] -and $n.ParameterName -eq 'Parallel' }, $true)).Count | Should -Be 1
	}
}
