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
		[Parameter(Mandatory = $true)] [hashtable] $Context,
		[string] $CheckId
	)
	$ErrorActionPreference = 'Stop'
	$watch = [System.Diagnostics.Stopwatch]::StartNew()
	# Tell the entry script when this check started running: its time budget counts from here (see the entry script).
	if ($CheckId -and $Context.ContainsKey('Started') -and $Context.ContainsKey('Clock')) { $Context['Started'][$CheckId] = [long]$Context['Clock'].ElapsedMilliseconds }
	# The entry script read the catalogue's files once; each runspace parses that text for itself (see
	# Read-PadCatalogueText for why objects are not shared).
	if ($Context.ContainsKey('CatalogueText') -and $null -ne $Context['CatalogueText']) { Use-PadCatalogueText -Text $Context['CatalogueText'] }
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
	Every word of the probe and lib files that could name a command (a case-insensitive set): a superset of the
	commands they call. A text scan, not a parse: parsing every file with PowerShell's parser cost about half a second
	of each diagnosis, and a superset is enough to decide which of the session's modules a probe may need.
	#>
	$names = New-Object 'System.Collections.Generic.HashSet[string]' ([System.StringComparer]::OrdinalIgnoreCase)
	foreach ($folder in 'lib', 'probes') {
		$dir = Join-Path $PSScriptRoot $folder
		if (-not (Test-Path -LiteralPath $dir)) { continue }
		foreach ($file in Get-ChildItem -LiteralPath $dir -Filter '*.ps1') {
			$text = [System.IO.File]::ReadAllText($file.FullName)
			foreach ($match in [regex]::Matches($text, '[A-Za-z][A-Za-z0-9_]*(?:[-.][A-Za-z0-9_]+)*')) { [void]$names.Add($match.Value) }
		}
	}
	, $names
}

Export-ModuleMember -Function *
