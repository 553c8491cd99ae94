# Helper of test/unit/quotingFuzz.test.ts: has PowerShell's own parser read PowerShell source texts and reports what it
# read, for the test to judge (this script only describes, it decides nothing).
#
# Input (-InputPath): JSON { "texts": [ <base64 of UTF-16LE> ] }. Output (-ReportPath): JSON { "results": [ per text:
#   { "errors": [<base64>], "nodes": [<every AST node's type name>], "statements": <count>,
#     "commands": [ { "operator": <InvocationOperator>, "elements": [<element>] } ] } ] }
# with an element one of { "k": "SingleQuoted" | "BareWord" | <other StringConstantType>, "v": <base64> },
# { "k": "Parameter", "name": <base64>, "arg": <element or null> }, { "k": "Array", "items": [<element>] },
# { "k": "Number", "t": <.NET type name>, "v": <base64 of its invariant text> }, { "k": "Other", "t": <AST type>, "v": <base64 of its text> }.
#
# Strings travel as base64 of their UTF-16 code units, copied without an encoder: an encoder would replace a lone
# surrogate, and JSON readers turn date-like strings into dates. One process parses every text (thousands of them), so
# the work is in static methods and FindAll gets a compiled predicate: a script block per node, or a function call per
# value, would take a minute.
using namespace System.Management.Automation.Language

param(
	[Parameter(Mandatory = $true)] [string] $InputPath,
	[Parameter(Mandatory = $true)] [string] $ReportPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2

class AstReport {
	# FindAll's predicate "every node", as a compiled delegate.
	static [Func[Ast, bool]] $Everything = [System.Linq.Expressions.Expression]::Lambda(
		[Func[Ast, bool]],
		[System.Linq.Expressions.Expression]::Constant($true),
		[System.Linq.Expressions.ParameterExpression[]] @([System.Linq.Expressions.Expression]::Parameter([Ast]))).Compile()

	static [string] FromUnits([string] $Base64) {
		$bytes = [Convert]::FromBase64String($Base64)
		$chars = [char[]]::new($bytes.Length / 2)
		[Buffer]::BlockCopy($bytes, 0, $chars, 0, $bytes.Length)
		return [string]::new($chars)
	}

	static [string] ToUnits([string] $Text) {
		$chars = $Text.ToCharArray()
		$bytes = [byte[]]::new($chars.Length * 2)
		[Buffer]::BlockCopy($chars, 0, $bytes, 0, $bytes.Length)
		return [Convert]::ToBase64String($bytes)
	}

	# The JSON is written by hand, much faster than ConvertTo-Json over thousands of results. Nothing needs escaping:
	# every string taken from the text (values, parameter names, numbers, messages) is base64, every other one a .NET
	# type or enum name. A parameter name in plain text could be anything when the quoting is broken, even JSON that
	# forges the report.
	static [void] Element([Ast] $Node, [System.Text.StringBuilder] $Out) {
		if ($null -eq $Node) {
			[void]$Out.Append('null')
		} elseif ($Node -is [CommandParameterAst]) {
			[void]$Out.Append('{"k":"Parameter","name":"').Append([AstReport]::ToUnits($Node.ParameterName)).Append('","arg":')
			[AstReport]::Element($Node.Argument, $Out)
			[void]$Out.Append('}')
		} elseif ($Node -is [StringConstantExpressionAst]) {
			[void]$Out.Append('{"k":"').Append([string]$Node.StringConstantType).Append('","v":"').Append([AstReport]::ToUnits($Node.Value)).Append('"}')
		} elseif ($Node -is [ArrayLiteralAst]) {
			[void]$Out.Append('{"k":"Array","items":[')
			$first = $true
			foreach ($item in $Node.Elements) {
				if (-not $first) { [void]$Out.Append(',') }
				$first = $false
				[AstReport]::Element($item, $Out)
			}
			[void]$Out.Append(']}')
		} elseif ($Node -is [ConstantExpressionAst]) {
			[void]$Out.Append('{"k":"Number","t":"').Append($Node.Value.GetType().Name).Append('","v":"')
			[void]$Out.Append([AstReport]::ToUnits([Convert]::ToString($Node.Value, [cultureinfo]::InvariantCulture))).Append('"}')
		} else {
			[void]$Out.Append('{"k":"Other","t":"').Append($Node.GetType().Name).Append('","v":"').Append([AstReport]::ToUnits($Node.Extent.Text)).Append('"}')
		}
	}

	static [void] Describe([string] $Text, [System.Text.StringBuilder] $Out) {
		[Token[]] $tokens = $null
		[ParseError[]] $errors = $null
		$ast = [Parser]::ParseInput($Text, [ref]$tokens, [ref]$errors)
		$nodes = [System.Collections.Generic.List[string]]::new()
		$commands = [System.Collections.Generic.List[CommandAst]]::new()
		foreach ($node in $ast.FindAll([AstReport]::Everything, $true)) {
			$nodes.Add('"' + $node.GetType().Name + '"')
			if ($node -is [CommandAst]) { $commands.Add($node) }
		}
		$messages = [System.Collections.Generic.List[string]]::new()
		foreach ($parseError in $errors) { $messages.Add('"' + [AstReport]::ToUnits($parseError.Message) + '"') }
		$statements = 0
		if ($null -ne $ast.EndBlock) { $statements = $ast.EndBlock.Statements.Count }
		[void]$Out.Append('{"errors":[').Append([string]::Join(',', $messages)).Append('],"nodes":[').Append([string]::Join(',', $nodes))
		[void]$Out.Append('],"statements":').Append($statements).Append(',"commands":[')
		for ($c = 0; $c -lt $commands.Count; $c++) {
			if ($c -gt 0) { [void]$Out.Append(',') }
			[void]$Out.Append('{"operator":"').Append([string]$commands[$c].InvocationOperator).Append('","elements":[')
			$elements = $commands[$c].CommandElements
			for ($e = 0; $e -lt $elements.Count; $e++) {
				if ($e -gt 0) { [void]$Out.Append(',') }
				[AstReport]::Element($elements[$e], $Out)
			}
			[void]$Out.Append(']}')
		}
		[void]$Out.Append(']}')
	}
}

$out = [System.Text.StringBuilder]::new()
[void]$out.Append('{"results":[')
$first = $true
foreach ($encoded in (Get-Content -LiteralPath $InputPath -Raw | ConvertFrom-Json).texts) {
	if (-not $first) { [void]$out.Append(',') }
	$first = $false
	[AstReport]::Describe([AstReport]::FromUnits($encoded), $out)
}
[void]$out.Append(']}')
[System.IO.File]::WriteAllText($ReportPath, $out.ToString(), (New-Object System.Text.UTF8Encoding $false))
