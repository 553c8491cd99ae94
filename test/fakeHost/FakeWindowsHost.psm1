<#
A fake Windows host for tests: functions with the names of Windows-only cmdlets and executables, and aliases
for the product's Get-Pad* wrappers (an alias wins over a function), all answering from one scenario file.

The scenario is read from $env:PAD_FAKE_HOST_SCENARIO when the module is imported, so every runspace that
imports the module sees the same host. A scenario may name a base with "extends": objects are merged key by key,
anything else (arrays, numbers, strings, null) replaces the base value.

Independent of Pester: the end-to-end tests load it into the terminal's PowerShell. Runs on PowerShell 7.
#>

Set-StrictMode -Version 3.0

. (Join-Path $PSScriptRoot 'ScenarioFile.ps1')

$script:ScenarioPath = $env:PAD_FAKE_HOST_SCENARIO
if (-not $script:ScenarioPath) { throw 'FakeWindowsHost: set PAD_FAKE_HOST_SCENARIO to the path of a scenario JSON file before importing.' }
$script:Scenario = Read-FakeHostScenario -Path $script:ScenarioPath
$script:FakeHost = $script:Scenario['host']

function Get-FakeHostValue {
	<# Value at a dotted path below "host" (e.g. 'services.VaultSvc'), or $Default when any part is missing. #>
	param([Parameter(Mandatory)] [string] $Path, $Default = $null)
	$node = $script:FakeHost
	foreach ($part in $Path.Split('.')) {
		if ($node -is [System.Collections.IDictionary] -and $node.Contains($part)) { $node = $node[$part] }
		else { return $Default }
	}
	return , $node
}

function Invoke-FakeHostHang {
	<# Sleeps when the scenario says this command hangs ("hang": { "<command>": seconds }). #>
	param([Parameter(Mandatory)] [string] $Command)
	$seconds = Get-FakeHostValue -Path ('hang.' + $Command)
	if ($seconds) { Start-Sleep -Seconds ([int]$seconds) }
}

function Get-FakeHostNow { [datetime]::UtcNow }

function ConvertTo-FakeHostDate {
	<# Scenario times are relative, so scenario files never go stale: { "hoursAgo": 12 } or { "hoursFromNow": 2 }. #>
	param($Value)
	if ($null -eq $Value) { return $null }
	if ($Value -is [System.Collections.IDictionary]) {
		if ($Value.Contains('hoursAgo')) { return (Get-FakeHostNow).AddHours( - [double]$Value['hoursAgo']) }
		if ($Value.Contains('hoursFromNow')) { return (Get-FakeHostNow).AddHours([double]$Value['hoursFromNow']) }
	}
	return [datetime]::Parse([string]$Value, [cultureinfo]::InvariantCulture).ToUniversalTime()
}

# Files of the scenario ("files": { "%ProgramData%\\...\\x.log": "text" }) are written below a folder of their own,
# and the Windows folder variables point there, so probes read real files.
$script:FileRoot = Join-Path ([System.IO.Path]::GetTempPath()) ('pad-fake-host-' + [System.IO.Path]::GetFileNameWithoutExtension($script:ScenarioPath) + '-' + $PID)
$folders = [ordered]@{ ProgramFiles = 'Program Files'; ProgramData = 'ProgramData'; TEMP = 'Temp'; SystemRoot = 'Windows' }
foreach ($name in $folders.Keys) {
	$path = Join-Path $script:FileRoot $folders[$name]
	[void](New-Item -ItemType Directory -Path $path -Force)
	Set-Item -Path ('env:' + $name) -Value $path
}
$env:COMPUTERNAME = [string](Get-FakeHostValue -Path 'computerSystem.name' -Default 'AGENT01')
$files = Get-FakeHostValue -Path 'files' -Default @{}
foreach ($key in $files.Keys) {
	$relative = $key
	foreach ($name in $folders.Keys) { $relative = $relative.Replace('%' + $name + '%', $folders[$name]) }
	$target = Join-Path $script:FileRoot ($relative.Replace('\', [System.IO.Path]::DirectorySeparatorChar))
	[void](New-Item -ItemType Directory -Path (Split-Path -Parent $target) -Force)
	$content = $files[$key]
	$temp = $target + '.' + [guid]::NewGuid().ToString('n')
	[System.IO.File]::WriteAllText($temp, [string]$content, [System.Text.UTF8Encoding]::new($false))
	Move-Item -LiteralPath $temp -Destination $target -Force
}

foreach ($file in Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot 'doubles') -Filter '*.ps1' | Sort-Object Name) { . $file.FullName }

Export-ModuleMember -Function * -Alias *
