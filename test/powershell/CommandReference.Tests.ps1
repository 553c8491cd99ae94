# Every command and named parameter of the shipped PowerShell (probes, lib, entry script, module, fixes) must exist in
# Microsoft's cmdlet reference for Windows PowerShell 5.1 and PowerShell 7.4 (reference/windows-commands.json), or be a
# function of our own, so no probe or fix calls something that Windows does not have. The rules are listed at the top
# of reference/CommandReference.ps1; warnings are printed, errors fail the file.

BeforeDiscovery {
	$repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
	$files = @(
		Get-ChildItem -LiteralPath (Join-Path $repo 'src/powershell') -Recurse -Filter '*.ps1'
		Get-ChildItem -LiteralPath (Join-Path $repo 'src/powershell') -Filter '*.psm1'
		Get-ChildItem -LiteralPath (Join-Path $repo 'src/catalogue/fixes') -Filter '*.ps1'
	) | Sort-Object FullName | ForEach-Object { @{ Name = $_.FullName.Substring($repo.Length + 1).Replace('\', '/'); Path = $_.FullName } }
}

BeforeAll {
	. (Join-Path $PSScriptRoot 'reference/CommandReference.ps1')
	$repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
	$reference = Read-CommandReference -Path (Join-Path $PSScriptRoot 'reference/windows-commands.json')

	$parsed = @{}
	$paths = @(
		Get-ChildItem -LiteralPath (Join-Path $repo 'src/powershell') -Recurse -Filter '*.ps1'
		Get-ChildItem -LiteralPath (Join-Path $repo 'src/powershell') -Filter '*.psm1'
		Get-ChildItem -LiteralPath (Join-Path $repo 'src/catalogue/fixes') -Filter '*.ps1'
	) | ForEach-Object { $_.FullName }
	foreach ($p in $paths) {
		$tokens = $null
		$errors = $null
		$ast = [System.Management.Automation.Language.Parser]::ParseFile($p, [ref]$tokens, [ref]$errors)
		$parsed[$p] = [pscustomobject]@{ Ast = $ast; Tokens = [System.Management.Automation.Language.Token[]]$tokens }
	}
	# Functions of every checked file count as ours (the module dot-sources lib and probes into one scope).
	$functions = Get-CommandReferenceFunctionIndex -Ast @($parsed.Values | ForEach-Object { $_.Ast })

	function Get-InlineFinding {
		# Findings for a piece of code on its own, with only the functions it defines as ours.
		param([Parameter(Mandatory)] [string] $Code)
		$tokens = $null
		$errors = $null
		$ast = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref]$tokens, [ref]$errors)
		$errors | Should -BeNullOrEmpty -Because 'the sample must parse'
		$own = Get-CommandReferenceFunctionIndex -Ast @($ast)
		@(Get-CommandReferenceFinding -Ast $ast -Tokens $tokens -File 'sample.ps1' -Functions $own -Reference $reference)
	}
	function Get-InlineError([string] $Code) { @(Get-InlineFinding -Code $Code | Where-Object { $_.Severity -eq 'error' } | ForEach-Object { $_.Message }) }
	function Get-InlineWarning([string] $Code) { @(Get-InlineFinding -Code $Code | Where-Object { $_.Severity -eq 'warning' } | ForEach-Object { $_.Message }) }
}

Describe 'Documented commands and parameters in <Name>' -ForEach $files {
	BeforeAll {
		$file = $parsed[$Path]
		$findings = @(Get-CommandReferenceFinding -Ast $file.Ast -Tokens $file.Tokens -File $Name -Functions $functions -Reference $reference)
		foreach ($w in @($findings | Where-Object { $_.Severity -eq 'warning' })) {
			Write-Host ('    warning {0}:{1}: {2}' -f $w.File, $w.Line, $w.Message) -ForegroundColor Yellow
		}
	}

	It 'calls only what the reference documents, the way it documents it' {
		$errors = @($findings | Where-Object { $_.Severity -eq 'error' } | ForEach-Object { '{0}:{1}: {2}' -f $_.File, $_.Line, $_.Message })
		$errors | Should -BeNullOrEmpty
	}
}

Describe 'The command reference itself' {
	It 'is the table with its sources' {
		@($reference['sources']).Count | Should -BeGreaterThan 0
		$reference['commands'].Count | Should -BeGreaterThan 500
		$reference['commands']['Get-CimInstance']['ps51'] | Should -BeTrue
	}
}

Describe 'The command reference checker' {
	It 'accepts documented commands, parameters, prefixes, aliases of parameters and common parameters' {
		Get-InlineError 'Get-ChildItem -LiteralPath x -Recur -ea Stop -ErrorAction SilentlyContinue -File' | Should -BeNullOrEmpty
		Get-InlineError 'Get-CimInstance -ClassName Win32_Service -Filter "Name=''x''" -Namespace root/cimv2' | Should -BeNullOrEmpty
	}

	It 'catches a made-up cmdlet' {
		Get-InlineError 'Get-MadeUpWidget -Name x' | Should -Be @('Get-MadeUpWidget: not in the command reference, not a function of ours, not a documented executable')
	}

	It 'catches a made-up parameter on both editions' {
		Get-InlineError 'Get-ChildItem -Bogus x' | Should -Be @('Get-ChildItem -Bogus: no such parameter in Windows PowerShell 5.1', 'Get-ChildItem -Bogus: no such parameter in PowerShell 7.4')
	}

	It 'catches an ambiguous prefix (Where-Object -Not on 5.1), and accepts it where it binds (7.4)' {
		$found = @(Get-InlineError '$x | Where-Object -Not')
		$found.Count | Should -Be 1
		$found[0] | Should -BeLike 'Where-Object -Not: ambiguous in Windows PowerShell 5.1 (*NotContains*NotIn*NotLike*NotMatch*)'
	}

	It 'prefers the command''s own parameter over common ones for a shared prefix' {
		# -Out: OutFile is the only own candidate; OutVariable and OutBuffer are common.
		Get-InlineError 'Invoke-WebRequest -Uri x -Out y' | Should -BeNullOrEmpty
	}

	It 'catches a 7-only parameter and a 7-only command' {
		Get-InlineError '1 | ConvertTo-Json -AsArray' | Should -Be @('ConvertTo-Json -AsArray: no such parameter in Windows PowerShell 5.1')
		Get-InlineError "'a' | Join-String" | Should -Be @('Join-String: not documented for Windows PowerShell 5.1 (only PowerShell 7)')
		Get-InlineError 'Get-ChildItem -ProgressAction SilentlyContinue' | Should -Be @('Get-ChildItem -ProgressAction: no such parameter in Windows PowerShell 5.1')
	}

	It 'catches a parameter that 5.1 has and 7.4 dropped' {
		Get-InlineError 'Get-ChildItem -UseTransaction' | Should -Be @('Get-ChildItem -UseTransaction: no such parameter in PowerShell 7.4')
	}

	It 'catches a 5.1-only command unless it is guarded and its PowerShell 7 path explained' {
		Get-InlineError 'function Get-A { Get-WmiObject -Class Win32_Service }' | Should -BeLike '*Get-WmiObject: not in PowerShell 7*'
		$guarded = "function Get-A {`n`t# PowerShell 7 has no Get-WmiObject: this answers unknown there.`n`tif (-not (Get-Command -Name Get-WmiObject -ErrorAction SilentlyContinue)) { return }`n`tGet-WmiObject -Class Win32_Service`n}"
		Get-InlineError $guarded | Should -BeNullOrEmpty
		$unexplained = "function Get-A {`n`tif (-not (Get-Command -Name Get-WmiObject -ErrorAction SilentlyContinue)) { return }`n`tGet-WmiObject -Class Win32_Service`n}"
		Get-InlineError $unexplained | Should -BeLike '*Get-WmiObject: not in PowerShell 7*'
	}

	It 'requires a PowerShell 7 comment where a module is not native in PowerShell 7 on Windows Server 2016' {
		Get-InlineError 'function Get-A { Get-KdsRootKey }' | Should -BeLike '*Get-KdsRootKey: module Kds is natively compatible with PowerShell 7 only as*'
		Get-InlineError "function Get-A {`n`t# On PowerShell 7 before Windows Server 20H1 the Kds module may be missing: reported as unknown.`n`tGet-KdsRootKey`n}" | Should -BeNullOrEmpty
		Get-InlineError "# PowerShell 7 on Windows Server 2016: the ActiveDirectory module is not native there.`nfunction Get-A {`n`tGet-ADServiceAccount -Identity x`n}" | Should -BeNullOrEmpty
		# The comment of another function does not count.
		Get-InlineError "function Get-B {`n`t# PowerShell 7`n}`n`nfunction Get-A { Get-ADServiceAccount -Identity x }" | Should -BeLike '*Get-ADServiceAccount: module ActiveDirectory*'
	}

	It 'warns about a command whose module Microsoft lists as untested in PowerShell 7' {
		Get-InlineError 'Get-GPResultantSetOfPolicy -ReportType Xml -Path x' | Should -BeNullOrEmpty
		Get-InlineWarning 'Get-GPResultantSetOfPolicy -ReportType Xml -Path x' | Should -BeLike "*Get-GPResultantSetOfPolicy: Microsoft lists module GroupPolicy as 'Untested with Compatibility Layer'*"
	}

	It 'checks accepted values of a literal argument' {
		Get-InlineError 'Get-ChildItem -Attributes Hidden' | Should -BeNullOrEmpty
		Get-InlineError 'Get-ChildItem -Attributes Sparkly' | Should -BeLike 'Get-ChildItem -Attributes Sparkly: not an accepted value*'
	}

	It 'checks the literal of Get-Command -Name, named or positional' {
		Get-InlineError 'Get-Command -Name Get-KdsRootKeys -ErrorAction SilentlyContinue' | Should -Be @('Get-Command -Name Get-KdsRootKeys: not in the command reference')
		Get-InlineError 'Get-Command Get-MadeUpWidget' | Should -Be @('Get-Command -Name Get-MadeUpWidget: not in the command reference')
		Get-InlineError 'Get-Command -Name Get-CimInstance' | Should -BeNullOrEmpty
	}

	It 'resolves a command alias but warns about it' {
		Get-InlineError 'gci -Recurse' | Should -BeNullOrEmpty
		Get-InlineWarning 'gci -Recurse' | Should -Be @("gci is an alias of Get-ChildItem: write the command's name")
	}

	It 'checks the parameters of our own functions' {
		Get-InlineError "function Get-A { param([string] `$Alpha, [Alias('B')] [string] `$Beta) }`nGet-A -Alpha 1 -B 2 -Al 3" | Should -BeNullOrEmpty
		Get-InlineError "function Get-A { param([string] `$Alpha) }`nGet-A -Gamma 1" | Should -Be @('Get-A -Gamma: is not a parameter of this function')
		Get-InlineError "function Get-A { [CmdletBinding()] param([string] `$Alpha) }`nGet-A -ErrorAction Stop" | Should -BeNullOrEmpty
	}

	It 'checks native subcommands and switches' {
		Get-InlineError 'sc.exe qmanagedaccount AADConnectProvisioningAgent' | Should -BeNullOrEmpty
		Get-InlineError 'sc.exe qmanagedacount AADConnectProvisioningAgent' | Should -BeLike '*qmanagedacount: not a documented switch or subcommand*'
		Get-InlineError 'netsh winhttp show proxy' | Should -BeNullOrEmpty
		Get-InlineError 'netsh winhttp show proxies' | Should -BeLike '*netsh winhttp show proxies: not a documented command*'
		Get-InlineError 'secedit /export /db x.sdb /cfg x.inf /areas USER_RIGHTS /bogus' | Should -Be @('secedit /export /bogus: not a documented switch of /export')
		Get-InlineError 'secedit /export /db x.sdb /cfg x.inf /areas USER_RITES' | Should -BeLike '*USER_RITES: not a documented value*'
	}

	It 'reports a switch the reference marks required unless the line above says why' {
		Get-InlineError 'secedit /export /areas USER_RIGHTS /cfg $path' | Should -BeLike "secedit /export without /db, which the reference marks required*"
		Get-InlineError "# reference: without /db secedit exports the system database`nsecedit /export /areas USER_RIGHTS /cfg `$path" | Should -BeNullOrEmpty
		# Only the line directly above counts, and it must say why.
		Get-InlineError "# reference: without /db secedit exports the system database`n`nsecedit /export /areas USER_RIGHTS /cfg `$path" | Should -Not -BeNullOrEmpty
		Get-InlineError "# reference:`nsecedit /export /areas USER_RIGHTS /cfg `$path" | Should -Not -BeNullOrEmpty
	}
}
