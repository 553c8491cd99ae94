<#
A fake Windows host for tests: functions with the names of Windows-only cmdlets and executables, and aliases
for the product's Get-Pad* wrappers (an alias wins over a function), all answering from one scenario file.

The scenario is read from $env:PAD_FAKE_HOST_SCENARIO when the module is imported, so every runspace that
imports the module sees the same host. A scenario may name a base with "extends": objects are merged key by key,
anything else (arrays, numbers, strings, null) replaces the base value. The string "$delete" as a value removes
that key from the merged result: a scenario can take away what its base has, e.g. one file of the base's "files"
({ "files": { "%ProgramFiles%\\...\\x.config": "$delete" } }) or a whole branch ({ "registry": "$delete" }).

Keys every double shares (below "host"):
  hang   { "<command>": seconds }   the double sleeps in PowerShell first (Start-Sleep): a pipeline stop ends it, as
                                    it ends a real cmdlet that waits on the network.
  block  { "<command>": seconds }   the double blocks in a .NET call first ([System.Threading.Thread]::Sleep):
                                    PowerShell cannot stop that, as it cannot stop a real native or .NET call that
                                    never returns. The entry script must still finish within its budget.
  unelevated { "<behaviour>": bool } when identity.isElevated is false, the doubles answer as they do for a filtered
                                    (UAC) token; each behaviour is on unless this map sets it to false. See
                                    Test-FakeHostUnelevated.
"<command>" is the name each double passes to Invoke-FakeHostHang (the command name, or e.g.
"Get-CimInstance:Win32_OperatingSystem" for one CIM class).

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
	<# Waits when the scenario says this command hangs ("hang", stoppable) or blocks ("block", not stoppable). #>
	param([Parameter(Mandatory)] [string] $Command)
	$blocked = Get-FakeHostMapEntry (Get-FakeHostValue -Path 'block' -Default @{}) $Command
	# One blocking .NET call, as a real probe stuck in a native call would be: Stop-Pipeline cannot interrupt it.
	if ($blocked) { [System.Threading.Thread]::Sleep([int]([double]$blocked * 1000)) }
	$seconds = Get-FakeHostMapEntry (Get-FakeHostValue -Path 'hang' -Default @{}) $Command
	if ($seconds) { Start-Sleep -Milliseconds ([int]([double]$seconds * 1000)) }
}

function Get-FakeHostMapEntry {
	<# The value of one key of a scenario map, $null when absent. Keys may hold dots ("Get-CimInstance:root/rsop..."). #>
	param($Map, [string] $Key)
	if ($Map -is [System.Collections.IDictionary] -and $Map.Contains($Key)) { return , $Map[$Key] }
	$null
}

function Test-FakeHostUnelevated {
	<#
	True when the session is not elevated and the scenario keeps this filtered-token behaviour (the default). The
	behaviours, each switched off with "unelevated": { "<name>": false }:
	  groupSids    Domain Admins (RID 512), Enterprise Admins (519) and BUILTIN\Administrators (S-1-5-32-544) are
	               missing from GroupSids: a filtered token holds them deny-only, and WindowsIdentity.Groups omits those.
	  secedit      secedit /export fails (access denied, see the secedit double).
	  rsop         Get-CimInstance in root/rsop/computer throws access denied.
	  kdsRootKey   Get-KdsRootKey returns nothing.
	  netlogonLog  Get-WinEvent on Microsoft-Windows-Security-Netlogon/Operational throws unauthorized access
	               (the System log stays readable).
	#>
	param([Parameter(Mandatory)] [string] $Behaviour)
	$identity = Get-FakeHostValue -Path 'identity'
	if ($identity -isnot [System.Collections.IDictionary] -or -not $identity.Contains('isElevated')) { return $false }
	if ([bool]$identity['isElevated']) { return $false }
	$switch = Get-FakeHostMapEntry (Get-FakeHostValue -Path 'unelevated' -Default @{}) $Behaviour
	($null -eq $switch) -or [bool]$switch
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
