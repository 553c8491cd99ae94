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

Environment variables, read when the module is imported:
  PAD_FAKE_HOST_SCENARIO  the scenario file (required).
  PAD_FAKE_HOST_STATE     optional: a JSON file of changes below "host", e.g. { "userRights": { "SeServiceLogonRight":
                          "*S-1-5-20,NT SERVICE\\ALL SERVICES" } }. When the file exists it is merged over the
                          scenario's "host" with the rules of "extends" ("$delete" included). The doubles that change
                          the system (secedit /configure, Start-Service, Set-Service, Add-KdsRootKey, sc.exe
                          managedaccount, Set-ADServiceAccount) write their change into it as well as into this
                          session's host (Set-FakeHostState): the entry script imports the module anew in every check
                          runspace, and the next diagnosis must see what a fix run in the terminal changed. Unset, the
                          changes stay in the memory of the session that made them.

Independent of Pester: the end-to-end tests load it into the terminal's PowerShell. Runs on PowerShell 7.
#>

Set-StrictMode -Version 3.0

. (Join-Path $PSScriptRoot 'ScenarioFile.ps1')

$script:ScenarioPath = $env:PAD_FAKE_HOST_SCENARIO
if (-not $script:ScenarioPath) { throw 'FakeWindowsHost: set PAD_FAKE_HOST_SCENARIO to the path of a scenario JSON file before importing.' }
$script:Scenario = Read-FakeHostScenario -Path $script:ScenarioPath
$script:FakeHost = $script:Scenario['host']
# Resolved once, against this session's folder, so a relative path still names the same file after a Set-Location.
$script:StatePath = $null
if ($env:PAD_FAKE_HOST_STATE) { $script:StatePath = [System.IO.Path]::GetFullPath($env:PAD_FAKE_HOST_STATE, (Get-Location -PSProvider FileSystem).ProviderPath) }

function Read-FakeHostState {
	<# The state overlay file as a dictionary; empty when there is no such file yet (nothing has been changed). #>
	if (-not $script:StatePath -or -not [System.IO.File]::Exists($script:StatePath)) { return [ordered]@{} }
	$text = [System.IO.File]::ReadAllText($script:StatePath)
	if (-not $text.Trim()) { return [ordered]@{} }
	$state = ConvertFrom-Json -InputObject $text -AsHashtable -Depth 100
	if ($state -isnot [System.Collections.IDictionary]) { throw ('FakeWindowsHost: the state file ' + $script:StatePath + ' does not hold a JSON object.') }
	$state
}

# The overlay is merged before anything reads the host: the files below, the computer name and the doubles that are
# defined only for some scenarios all see the changed host.
if ($script:StatePath) { $script:FakeHost = Merge-FakeHostData $script:FakeHost (Read-FakeHostState) }

function Merge-FakeHostStateChange {
	<#
	A change merged into the state overlay: like Merge-FakeHostData, but a "$delete" value is kept, not applied. The
	file is merged over the scenario at each import, and only a marker still in it removes the scenario's value then.
	#>
	param($State, $Change)
	if ($Change -is [System.Collections.IDictionary] -and $State -is [System.Collections.IDictionary]) {
		$merged = [ordered]@{}
		foreach ($k in $State.Keys) { $merged[$k] = $State[$k] }
		foreach ($k in $Change.Keys) {
			$before = $null
			if ($merged.Contains($k)) { $before = $merged[$k] }
			$merged[$k] = Merge-FakeHostStateChange $before $Change[$k]
		}
		return $merged
	}
	return , $Change
}

function Set-FakeHostState {
	<#
	Records what a double changed on the host, given in the scenario's own shape below "host" (objects merge key by
	key, an array replaces the whole array, "$delete" removes a key): in this session at once, and in the state file
	when PAD_FAKE_HOST_STATE is set, so later imports (the entry script's runspaces, another pwsh) see it as well.
	#>
	param([Parameter(Mandatory)] [System.Collections.IDictionary] $Change)
	$script:FakeHost = Merge-FakeHostData $script:FakeHost $Change
	if (-not $script:StatePath) { return }
	$folder = [System.IO.Path]::GetDirectoryName($script:StatePath)
	[void][System.IO.Directory]::CreateDirectory($folder)
	# Read-modify-write under an exclusive lock on a file beside it: two sessions changing the host at once (two
	# terminals, say) must not drop each other's change. The lock file stays; removing it would race the next writer.
	$lockPath = $script:StatePath + '.lock'
	$lock = $null
	$deadline = [datetime]::UtcNow.AddSeconds(10)
	while ($null -eq $lock) {
		try { $lock = [System.IO.File]::Open($lockPath, [System.IO.FileMode]::OpenOrCreate, [System.IO.FileAccess]::ReadWrite, [System.IO.FileShare]::None) }
		catch [System.IO.IOException] {
			if ([datetime]::UtcNow -gt $deadline) { throw ('FakeWindowsHost: the state file ' + $script:StatePath + ' stayed locked for 10 s.') }
			Start-Sleep -Milliseconds 20
		}
	}
	try {
		$state = Merge-FakeHostStateChange (Read-FakeHostState) $Change
		# Written beside the file and renamed over it: a session importing the module meanwhile reads the old file or
		# the new one, never half of one.
		$temp = Join-Path $folder ('.' + [System.IO.Path]::GetFileName($script:StatePath) + '.' + [guid]::NewGuid().ToString('n') + '.tmp')
		try {
			[System.IO.File]::WriteAllText($temp, (ConvertTo-Json -InputObject $state -Depth 100), [System.Text.UTF8Encoding]::new($false))
			[System.IO.File]::Move($temp, $script:StatePath, $true)
		}
		finally { if ([System.IO.File]::Exists($temp)) { [System.IO.File]::Delete($temp) } }
	}
	finally { $lock.Dispose() }
}

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
	# ConvertFrom-Json turns an ISO 8601 string (a time a double wrote into the state file) into a DateTime of the right
	# kind; [string] on it would drop the kind, and the time would move by the machine's offset from UTC.
	if ($Value -is [datetime]) { return $Value.ToUniversalTime() }
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
	# "fileTimes" gives a file its last write time ({ "hoursAgo": n }), for probes that read only recent files.
	$time = ConvertTo-FakeHostDate (Get-FakeHostMapEntry (Get-FakeHostValue -Path 'fileTimes' -Default @{}) $key)
	if ($null -ne $time) { [System.IO.File]::SetLastWriteTimeUtc($target, $time) }
}

foreach ($file in Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot 'doubles') -Filter '*.ps1' | Sort-Object Name) { . $file.FullName }

Export-ModuleMember -Function * -Alias *
