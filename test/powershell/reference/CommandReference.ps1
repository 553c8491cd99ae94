# Checks PowerShell syntax trees against windows-commands.json (Microsoft's cmdlet reference for Windows PowerShell 5.1
# and PowerShell 7.4, beside this file; README.md says where it comes from). Dot-sourced by CommandReference.Tests.ps1.
# Runs on PowerShell 7 (the test host); what it checks is code that must run on 5.1 and 7.
#
# Findings are objects { File, Line, Severity ('error' | 'warning'), Message }. The rules, and the comments that
# satisfy them:
#  - A command is a key of the reference, a function defined in the checked files, or a documented name of a native
#    executable. A command alias resolves to its command but is reported as a warning (write the full name).
#  - ps51 must be true. ps7 false is an error unless the function that calls it both guards the call with
#    Get-Command -Name <command> and says in a comment what happens on "PowerShell 7". ps7 null (Microsoft lists the
#    module as untested in PowerShell 7) is a warning.
#  - A command of a Windows Server module that is natively compatible with PowerShell 7 only on later releases than
#    Windows Server 2016 (ActiveDirectory, Kds, NetTCPIP, DnsClient: see ps7Status) needs a comment containing
#    "PowerShell 7" in the function that calls it (or directly above that function, or in the file for a call outside
#    any function), saying what the pwsh path does there.
#  - Every named parameter resolves, the way PowerShell binds it (exact name or alias, else a unique prefix, own
#    parameters before common ones), on 5.1 and, where the command exists there, on 7.4. Literal values of parameters
#    with acceptedValues must be among them. Parameters of our own functions are checked against their param() block.
#  - Get-Command -Name <literal> must name a command the reference or the checked files know.
#  - A native executable's first argument is a documented switch or subcommand (netsh: context plus command), later
#    switches are documented for that subcommand, and switches the reference marks as required are present, unless
#    the line directly above the call says why with a comment "# reference: <why>".

Set-StrictMode -Version 3.0
$script:CommandReferenceLookup = $null

function Read-CommandReference {
	param([Parameter(Mandatory)] [string] $Path)
	Get-Content -LiteralPath $Path -Raw | ConvertFrom-Json -AsHashtable
}

function New-CommandReferenceFinding {
	param([string] $File, [int] $Line, [ValidateSet('error', 'warning')] [string] $Severity, [string] $Message)
	[pscustomobject]@{ File = $File; Line = $Line; Severity = $Severity; Message = $Message }
}

function Get-FunctionParameterSpec {
	# The named parameters one function definition accepts: { Names: @{ name -> [name + aliases] }, Advanced }.
	param([Parameter(Mandatory)] [System.Management.Automation.Language.FunctionDefinitionAst] $Definition)
	$parameters = @()
	if ($Definition.Body.ParamBlock) { $parameters = @($Definition.Body.ParamBlock.Parameters) }
	elseif ($Definition.Parameters) { $parameters = @($Definition.Parameters) }
	$names = @{}
	$advanced = $false
	if ($Definition.Body.ParamBlock) {
		foreach ($attribute in $Definition.Body.ParamBlock.Attributes) { if ($attribute.TypeName.Name -in 'CmdletBinding', 'System.Management.Automation.CmdletBindingAttribute') { $advanced = $true } }
	}
	foreach ($p in $parameters) {
		$name = $p.Name.VariablePath.UserPath
		$all = [System.Collections.Generic.List[string]]::new()
		$all.Add($name)
		foreach ($attribute in $p.Attributes) {
			if ($attribute -isnot [System.Management.Automation.Language.AttributeAst]) { continue }
			if ($attribute.TypeName.Name -in 'Parameter', 'System.Management.Automation.ParameterAttribute') { $advanced = $true }
			if ($attribute.TypeName.Name -in 'Alias', 'System.Management.Automation.AliasAttribute') {
				foreach ($a in $attribute.PositionalArguments) { if ($a -is [System.Management.Automation.Language.StringConstantExpressionAst]) { $all.Add($a.Value) } }
			}
		}
		$names[$name] = [string[]]$all.ToArray()
	}
	[pscustomobject]@{ Names = $names; Advanced = $advanced }
}

function Get-CommandReferenceFunctionIndex {
	# Every function defined in these syntax trees: name -> list of parameter specs (one per definition).
	param([Parameter(Mandatory)] [System.Management.Automation.Language.Ast[]] $Ast)
	$index = [System.Collections.Generic.Dictionary[string, object]]::new([System.StringComparer]::OrdinalIgnoreCase)
	foreach ($tree in $Ast) {
		foreach ($definition in $tree.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $true)) {
			if (-not $index.ContainsKey($definition.Name)) { $index[$definition.Name] = [System.Collections.Generic.List[object]]::new() }
			$index[$definition.Name].Add((Get-FunctionParameterSpec -Definition $definition))
		}
	}
	$index
}

function Resolve-ReferenceParameter {
	<#
	Binds a parameter name as PowerShell does: an exact name or alias wins; else the parameters whose name or an alias
	starts with it: one is a match, several with exactly one of the command's own among them is that one, otherwise
	ambiguous. Returns { Status: 'match' | 'missing' | 'ambiguous', Name, Candidates }.
	#>
	param([Parameter(Mandatory)] [string] $Given, [Parameter(Mandatory)] [hashtable] $Own, [hashtable] $Common = @{})
	foreach ($set in $Own, $Common) {
		foreach ($name in $set.Keys) {
			foreach ($n in $set[$name]) { if ($n -ieq $Given) { return [pscustomobject]@{ Status = 'match'; Name = $name; Candidates = @($name) } } }
		}
	}
	$ownHits = [System.Collections.Generic.List[string]]::new()
	$commonHits = [System.Collections.Generic.List[string]]::new()
	foreach ($pair in @(@($Own, $ownHits), @($Common, $commonHits))) {
		$set = $pair[0]
		foreach ($name in $set.Keys) {
			# Several aliases of one parameter count once.
			foreach ($n in $set[$name]) { if ($n.StartsWith($Given, [System.StringComparison]::OrdinalIgnoreCase)) { $pair[1].Add($name); break } }
		}
	}
	$all = @($ownHits) + @($commonHits)
	if ($all.Count -eq 1) { return [pscustomobject]@{ Status = 'match'; Name = $all[0]; Candidates = $all } }
	if ($all.Count -gt 1 -and $ownHits.Count -eq 1) { return [pscustomobject]@{ Status = 'match'; Name = $ownHits[0]; Candidates = $all } }
	if ($all.Count -eq 0) { return [pscustomobject]@{ Status = 'missing'; Name = $null; Candidates = @() } }
	[pscustomobject]@{ Status = 'ambiguous'; Name = $null; Candidates = @($all | Sort-Object) }
}

function Get-ReferenceParameterSet {
	# The parameters of one reference command for one edition: { Own, Common } as name -> [name + aliases], or $null
	# when the reference has no parameter list for that edition.
	param([Parameter(Mandatory)] [System.Collections.IDictionary] $Command, [Parameter(Mandatory)] [ValidateSet('5.1', '7.4')] [string] $Edition, [Parameter(Mandatory)] [object[]] $CommonParameters)
	if ($Edition -eq '5.1') {
		$names = @($Command['parameters'])
		$aliases = $Command['aliases']
	}
	else {
		if (-not $Command.Contains('ps7Parameters')) { return $null }
		$names = @($Command['ps7Parameters'])
		$aliases = if ($Command.Contains('ps7Aliases')) { $Command['ps7Aliases'] } else { $Command['aliases'] }
	}
	$own = @{}
	foreach ($n in $names) {
		$list = [System.Collections.Generic.List[string]]::new()
		$list.Add([string]$n)
		if ($aliases -and $aliases.Contains($n)) { foreach ($a in $aliases[$n]) { $list.Add([string]$a) } }
		$own[[string]$n] = [string[]]$list.ToArray()
	}
	$common = @{}
	if ($Command['commonParameters']) {
		foreach ($c in $CommonParameters) {
			if ($c['kind'] -ne 'common') { continue }
			if ($Edition -eq '5.1' -and -not $c['ps51']) { continue }
			if ($Edition -eq '7.4' -and -not $c['ps7']) { continue }
			$common[[string]$c['name']] = [string[]](@($c['name']) + @($c['aliases']))
		}
	}
	[pscustomobject]@{ Own = $own; Common = $common }
}

function Get-EnclosingScope {
	# The function definition around a node, or the whole tree when it is outside any function.
	param([Parameter(Mandatory)] [System.Management.Automation.Language.Ast] $Node)
	$n = $Node.Parent
	while ($null -ne $n) {
		if ($n -is [System.Management.Automation.Language.FunctionDefinitionAst]) { return $n }
		$n = $n.Parent
	}
	$top = $Node
	while ($null -ne $top.Parent) { $top = $top.Parent }
	$top
}

function Get-ScopeComment {
	# The comments of a scope: inside its extent, plus the comment block directly above a function definition.
	param([Parameter(Mandatory)] $Scope, [Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Comments)
	$texts = [System.Collections.Generic.List[string]]::new()
	$endsOnLine = @{}
	foreach ($c in $Comments) {
		if ($c.Extent.StartOffset -ge $Scope.Extent.StartOffset -and $c.Extent.EndOffset -le $Scope.Extent.EndOffset) { $texts.Add($c.Text) }
		$endsOnLine[$c.Extent.EndLineNumber] = $c
	}
	if ($Scope -is [System.Management.Automation.Language.FunctionDefinitionAst]) {
		$line = $Scope.Extent.StartLineNumber - 1
		while ($endsOnLine.ContainsKey($line)) {
			$c = $endsOnLine[$line]
			$texts.Add($c.Text)
			$line = $c.Extent.StartLineNumber - 1
		}
	}
	, $texts.ToArray()
}

function Test-ReferenceCommentAbove {
	# True when the line directly above this node is a comment "# reference: <why>".
	param([Parameter(Mandatory)] [System.Management.Automation.Language.Ast] $Node, [Parameter(Mandatory)] [AllowEmptyCollection()] [System.Management.Automation.Language.Token[]] $Tokens)
	$line = $Node.Extent.StartLineNumber - 1
	foreach ($t in $Tokens) {
		if ($t.Kind -eq 'Comment' -and $t.Extent.EndLineNumber -eq $line -and $t.Text -match '^#\s*reference:\s*\S') { return $true }
	}
	$false
}

function Get-ArgumentText {
	# The text of a literal command argument (bare word, quoted string, or -switch), $null when it is computed.
	param($Element)
	if ($Element -is [System.Management.Automation.Language.StringConstantExpressionAst]) { return $Element.Value }
	if ($Element -is [System.Management.Automation.Language.CommandParameterAst]) { return '-' + $Element.ParameterName }
	$null
}

function Get-LiteralValue {
	# The literal string values of a parameter argument (one string or an array of strings), else empty.
	# Written to the pipeline one by one: callers collect them with @().
	param($Argument)
	if ($Argument -is [System.Management.Automation.Language.StringConstantExpressionAst]) { return $Argument.Value }
	if ($Argument -is [System.Management.Automation.Language.ArrayLiteralAst]) {
		$values = @($Argument.Elements | Where-Object { $_ -is [System.Management.Automation.Language.StringConstantExpressionAst] } | ForEach-Object { $_.Value })
		if ($values.Count -eq $Argument.Elements.Count) { $values }
	}
}

function Get-NamedArgument {
	# Each named parameter of a command call with its argument AST (the next element, or the colon argument).
	param([Parameter(Mandatory)] [System.Management.Automation.Language.CommandAst] $Command)
	$elements = $Command.CommandElements
	for ($i = 1; $i -lt $elements.Count; $i++) {
		$e = $elements[$i]
		if ($e -isnot [System.Management.Automation.Language.CommandParameterAst]) { continue }
		$argument = $e.Argument
		if ($null -eq $argument -and $i + 1 -lt $elements.Count -and $elements[$i + 1] -isnot [System.Management.Automation.Language.CommandParameterAst]) { $argument = $elements[$i + 1] }
		[pscustomobject]@{ Parameter = $e; Argument = $argument }
	}
}

function Test-NativeCall {
	# Findings for one call of a native executable.
	param($Command, [System.Collections.IDictionary] $Native, [string] $ExeName, [System.Management.Automation.Language.Token[]] $Tokens, [string] $File)
	$line = $Command.Extent.StartLineNumber
	$texts = @($Command.CommandElements | Select-Object -Skip 1 | ForEach-Object { Get-ArgumentText $_ })
	if ($texts.Count -eq 0 -or $null -eq $texts[0]) { return }
	$first = [string]$texts[0]
	$subcommands = if ($Native.Contains('subcommands') -and $Native['subcommands']) { $Native['subcommands'] } else { @{} }
	$sub = $null
	foreach ($k in $subcommands.Keys) { if ($k -ieq $first) { $sub = $subcommands[$k] } }
	if ($null -eq $sub) {
		if (@($Native['switches']) -inotcontains $first) {
			New-CommandReferenceFinding -File $File -Line $line -Severity error -Message ("{0} {1}: not a documented switch or subcommand of {0}" -f $ExeName, $first)
		}
		return
	}
	if ($sub.Contains('commands')) {
		# netsh style: a context, then a command of one or two words.
		$words = @($texts | Select-Object -Skip 1)
		$two = if ($words.Count -ge 2) { ($words[0] + ' ' + $words[1]) } else { $null }
		$one = if ($words.Count -ge 1) { [string]$words[0] } else { $null }
		if (-not ((@($sub['commands']) -icontains $two) -or (@($sub['commands']) -icontains $one))) {
			New-CommandReferenceFinding -File $File -Line $line -Severity error -Message ("{0} {1} {2}: not a documented command of that context" -f $ExeName, $first, (($words | Select-Object -First 2) -join ' '))
		}
		return
	}
	$switches = @($sub['switches'])
	$given = [System.Collections.Generic.List[string]]::new()
	foreach ($t in @($texts | Select-Object -Skip 1)) {
		if ($null -eq $t) { continue }
		$switchLike = $t.StartsWith('/') -or $t.StartsWith('-') -or $t.EndsWith('=')
		if (-not $switchLike) { continue }
		$given.Add($t)
		if ($switches -inotcontains $t) {
			New-CommandReferenceFinding -File $File -Line $line -Severity error -Message ("{0} {1} {2}: not a documented switch of {1}" -f $ExeName, $first, $t)
		}
	}
	if ($sub.Contains('values')) {
		for ($i = 1; $i -lt $texts.Count - 1; $i++) {
			$name = [string]$texts[$i]
			foreach ($k in $sub['values'].Keys) {
				if ($k -ieq $name -and $null -ne $texts[$i + 1] -and @($sub['values'][$k]) -inotcontains [string]$texts[$i + 1]) {
					New-CommandReferenceFinding -File $File -Line $line -Severity error -Message ("{0} {1} {2} {3}: not a documented value (documented: {4})" -f $ExeName, $first, $name, $texts[$i + 1], (@($sub['values'][$k]) -join ', '))
				}
			}
		}
	}
	if ($sub.Contains('documentedAsRequired')) {
		$missing = @($sub['documentedAsRequired'] | Where-Object { $given -inotcontains $_ })
		if ($missing.Count -gt 0 -and -not (Test-ReferenceCommentAbove -Node $Command -Tokens $Tokens)) {
			New-CommandReferenceFinding -File $File -Line $line -Severity error -Message ("{0} {1} without {2}, which the reference marks required: add it, or say why on the line above with '# reference: <why>'" -f $ExeName, $first, ($missing -join ', '))
		}
	}
}

function Get-CommandReferenceFinding {
	<#
	.SYNOPSIS
	All findings for one syntax tree. $Functions is the index of the functions the checked files define
	(Get-CommandReferenceFunctionIndex); $Reference the parsed windows-commands.json.
	#>
	param(
		[Parameter(Mandatory)] [System.Management.Automation.Language.Ast] $Ast,
		[Parameter(Mandatory)] [AllowEmptyCollection()] [System.Management.Automation.Language.Token[]] $Tokens,
		[Parameter(Mandatory)] [string] $File,
		[Parameter(Mandatory)] $Functions,
		[Parameter(Mandatory)] [System.Collections.IDictionary] $Reference
	)
	$commands = $Reference['commands']
	$common = @($Reference['commonParameters'])
	# Lookups built once per reference (the test checks many files against one).
	if ($null -eq $script:CommandReferenceLookup -or -not [object]::ReferenceEquals($script:CommandReferenceLookup.Reference, $Reference)) {
		$byName = [System.Collections.Generic.Dictionary[string, string]]::new([System.StringComparer]::OrdinalIgnoreCase)
		$aliasOf = [System.Collections.Generic.Dictionary[string, string]]::new([System.StringComparer]::OrdinalIgnoreCase)
		foreach ($name in $commands.Keys) {
			$byName[[string]$name] = [string]$name
			foreach ($a in @($commands[$name]['commandAliases'])) { if ($a) { $aliasOf[[string]$a] = $name } }
		}
		$natives = [System.Collections.Generic.Dictionary[string, string]]::new([System.StringComparer]::OrdinalIgnoreCase)
		foreach ($exe in $Reference['native'].Keys) { foreach ($n in @($Reference['native'][$exe]['invokedAs'])) { $natives[[string]$n] = $exe } }
		$functionCommon = @{}
		foreach ($c in $common) { if ($c['kind'] -eq 'common' -and $c['ps51']) { $functionCommon[[string]$c['name']] = [string[]](@($c['name']) + @($c['aliases'])) } }
		$script:CommandReferenceLookup = [pscustomobject]@{ Reference = $Reference; ByName = $byName; AliasOf = $aliasOf; Natives = $natives; FunctionCommon = $functionCommon; ParameterSets = @{} }
	}
	$byName = $script:CommandReferenceLookup.ByName
	$aliasOf = $script:CommandReferenceLookup.AliasOf
	$natives = $script:CommandReferenceLookup.Natives
	$parameterSets = $script:CommandReferenceLookup.ParameterSets
	$comments = @($Tokens | Where-Object { $_.Kind -eq 'Comment' })
	# Per scope: whether its comments mention PowerShell 7 (computed once per function).
	$saysSevenIn = [System.Collections.Generic.Dictionary[object, bool]]::new()

	foreach ($command in $Ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true)) {
		$name = $command.GetCommandName()
		$line = $command.Extent.StartLineNumber
		# Dynamic (& $Probe, . $file) or a script path: nothing to look up.
		if (-not $name -or $name -match '[\\/]' -or $name -like '*.ps1') { continue }

		if ($Functions.ContainsKey($name)) {
			foreach ($named in @(Get-NamedArgument -Command $command)) {
				$given = $named.Parameter.ParameterName
				$results = foreach ($spec in $Functions[$name]) {
					$commonSet = if ($spec.Advanced) { $script:CommandReferenceLookup.FunctionCommon } else { @{} }
					Resolve-ReferenceParameter -Given $given -Own $spec.Names -Common $commonSet
				}
				if (-not @($results | Where-Object { $_.Status -eq 'match' })) {
					$r = @($results)[0]
					$why = if ($r.Status -eq 'ambiguous') { 'is ambiguous (' + ($r.Candidates -join ', ') + ')' } else { 'is not a parameter of this function' }
					New-CommandReferenceFinding -File $File -Line $line -Severity error -Message ("{0} -{1}: {2}" -f $name, $given, $why)
				}
			}
			continue
		}

		if ($natives.ContainsKey($name)) {
			Test-NativeCall -Command $command -Native $Reference['native'][$natives[$name]] -ExeName $name -Tokens $Tokens -File $File
			continue
		}

		$key = $null
		if ($byName.ContainsKey($name)) { $key = $byName[$name] }
		if ($null -eq $key -and $aliasOf.ContainsKey($name)) {
			$key = $aliasOf[$name]
			New-CommandReferenceFinding -File $File -Line $line -Severity warning -Message ("{0} is an alias of {1}: write the command's name" -f $name, $key)
		}
		if ($null -eq $key) {
			New-CommandReferenceFinding -File $File -Line $line -Severity error -Message ("{0}: not in the command reference, not a function of ours, not a documented executable" -f $name)
			continue
		}
		$entry = $commands[$key]
		$scope = Get-EnclosingScope -Node $command
		$saysSeven = $false
		if ($entry['ps7'] -eq $false -or $entry.Contains('ps7Status')) {
			if (-not $saysSevenIn.ContainsKey($scope)) {
				$saysSevenIn[$scope] = @((Get-ScopeComment -Scope $scope -Comments $comments) -match 'PowerShell 7').Count -gt 0
			}
			$saysSeven = $saysSevenIn[$scope]
		}

		if (-not $entry['ps51']) {
			New-CommandReferenceFinding -File $File -Line $line -Severity error -Message ("{0}: not documented for Windows PowerShell 5.1 (only PowerShell 7)" -f $key)
		}
		if ($entry['ps7'] -eq $false) {
			$guards = @($scope.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] -and $n.GetCommandName() -ieq 'Get-Command' }, $true) |
					Where-Object { @($_.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $_.Value -ieq $key }).Count -gt 0 })
			if (-not ($saysSeven -and $guards.Count -gt 0)) {
				New-CommandReferenceFinding -File $File -Line $line -Severity error -Message ("{0}: not in PowerShell 7; guard it with Get-Command -Name {0} and say in a comment what happens on PowerShell 7" -f $key)
			}
		}
		elseif ($null -eq $entry['ps7']) {
			New-CommandReferenceFinding -File $File -Line $line -Severity warning -Message ("{0}: Microsoft lists module {1} as '{2}' in PowerShell 7" -f $key, $entry['module'], $entry['ps7Status'])
		}
		elseif ($entry.Contains('ps7Status') -and [string]$entry['ps7Status'] -notmatch 'Windows Server (2016|1607)' -and -not $saysSeven) {
			New-CommandReferenceFinding -File $File -Line $line -Severity error -Message ("{0}: module {1} is natively compatible with PowerShell 7 only as '{2}', not on Windows Server 2016; say what the PowerShell 7 path does in a comment of this function" -f $key, $entry['module'], $entry['ps7Status'])
		}

		foreach ($named in @(Get-NamedArgument -Command $command)) {
			$given = $named.Parameter.ParameterName
			$bound = $null
			foreach ($edition in '5.1', '7.4') {
				if ($edition -eq '7.4' -and $entry['ps7'] -ne $true) { continue }
				$setKey = $key + '|' + $edition
				if (-not $parameterSets.ContainsKey($setKey)) { $parameterSets[$setKey] = Get-ReferenceParameterSet -Command $entry -Edition $edition -CommonParameters $common }
				$set = $parameterSets[$setKey]
				if ($null -eq $set) { continue }
				$r = Resolve-ReferenceParameter -Given $given -Own $set.Own -Common $set.Common
				if ($r.Status -eq 'missing') {
					New-CommandReferenceFinding -File $File -Line $line -Severity error -Message ("{0} -{1}: no such parameter in {2}" -f $key, $given, $(if ($edition -eq '5.1') { 'Windows PowerShell 5.1' } else { 'PowerShell 7.4' }))
				}
				elseif ($r.Status -eq 'ambiguous') {
					New-CommandReferenceFinding -File $File -Line $line -Severity error -Message ("{0} -{1}: ambiguous in {2} ({3})" -f $key, $given, $(if ($edition -eq '5.1') { 'Windows PowerShell 5.1' } else { 'PowerShell 7.4' }), ($r.Candidates -join ', '))
				}
				elseif ($edition -eq '5.1') { $bound = $r.Name }
			}
			if ($bound -and $entry.Contains('acceptedValues') -and $entry['acceptedValues'] -and $entry['acceptedValues'].Contains($bound)) {
				$allowed = @($entry['acceptedValues'][$bound])
				foreach ($value in @(Get-LiteralValue $named.Argument)) {
					foreach ($part in ([string]$value -split ',')) {
						if ($allowed -inotcontains $part.Trim()) {
							New-CommandReferenceFinding -File $File -Line $line -Severity error -Message ("{0} -{1} {2}: not an accepted value ({3})" -f $key, $bound, $part.Trim(), ($allowed -join ', '))
						}
					}
				}
			}
		}

		if ($key -eq 'Get-Command') {
			$values = @()
			foreach ($named in @(Get-NamedArgument -Command $command)) {
				if ('Name' -like ($named.Parameter.ParameterName + '*')) { $values += @(Get-LiteralValue $named.Argument) }
			}
			$elements = $command.CommandElements
			if ($elements.Count -gt 1 -and $elements[1] -isnot [System.Management.Automation.Language.CommandParameterAst]) { $values += @(Get-LiteralValue $elements[1]) }
			foreach ($v in $values) {
				$known = $Functions.ContainsKey($v) -or $natives.ContainsKey($v) -or $byName.ContainsKey($v)
				if (-not $known) {
					New-CommandReferenceFinding -File $File -Line $line -Severity error -Message ("Get-Command -Name {0}: not in the command reference" -f [string]$v)
				}
			}
		}
	}
}
