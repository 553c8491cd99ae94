# The probes and their helpers as one module, imported into every runspace the entry script opens.
# Windows PowerShell 5.1 syntax only.

foreach ($folder in 'lib', 'probes') {
	$dir = Join-Path $PSScriptRoot $folder
	if (Test-Path -LiteralPath $dir) {
		foreach ($file in Get-ChildItem -LiteralPath $dir -Filter '*.ps1' | Sort-Object Name) { . $file.FullName }
	}
}

function Invoke-PadProbe {
	<#
	.SYNOPSIS
	Runs one probe function and always returns one result: an exception becomes status 'unknown' with its message.
	#>
	param(
		[Parameter(Mandatory = $true)] [string] $Probe,
		[Parameter(Mandatory = $true)] [hashtable] $Context
	)
	$ErrorActionPreference = 'Stop'
	$watch = [System.Diagnostics.Stopwatch]::StartNew()
	# The entry script read the catalogue once; every runspace uses that copy instead of reading the files again.
	if ($Context.ContainsKey('Catalogue') -and $null -ne $Context['Catalogue']) { Set-PadCatalogue $Context['Catalogue'] }
	try {
		$output = @(& $Probe -Context $Context)
		$result = $null
		foreach ($item in $output) { if ($item -is [psobject] -and $item.PSObject.TypeNames -contains 'Pad.CheckResult') { $result = $item } }
		if ($null -eq $result) { $result = New-PadResult -Status unknown -ErrorMessage ('The probe ' + $Probe + ' returned no result.') }
	}
	catch {
		$result = New-PadResult -Status unknown -ErrorMessage $_.Exception.Message
	}
	$result | Add-Member -NotePropertyName durationMs -NotePropertyValue ([int]$watch.ElapsedMilliseconds) -Force
	$result
}

function Get-PadProbeCommandName {
	<#
	.SYNOPSIS
	The names of all commands the probes call, read from their syntax trees (a case-insensitive set).
	#>
	$names = New-Object 'System.Collections.Generic.HashSet[string]' ([System.StringComparer]::OrdinalIgnoreCase)
	foreach ($folder in 'lib', 'probes') {
		$dir = Join-Path $PSScriptRoot $folder
		if (-not (Test-Path -LiteralPath $dir)) { continue }
		foreach ($file in Get-ChildItem -LiteralPath $dir -Filter '*.ps1') {
			$tokens = $null
			$errors = $null
			$ast = [System.Management.Automation.Language.Parser]::ParseFile($file.FullName, [ref]$tokens, [ref]$errors)
			foreach ($command in $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)) {
				$name = $command.GetCommandName()
				if ($name) { [void]$names.Add($name) }
			}
		}
	}
	, $names
}

Export-ModuleMember -Function *
