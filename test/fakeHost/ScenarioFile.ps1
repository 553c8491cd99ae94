# Reads a scenario file, following "extends". No side effects, so tests can read expectations at discovery.
# Merging: objects merge key by key; anything else replaces the base value; the string "$delete" removes the key
# (from the base and from the result), so a scenario can take away an inherited value, file or expectation.

$script:FakeHostDeleteMarker = '$delete'

function Test-FakeHostDeleteMarker {
	param($Value)
	($Value -is [string]) -and ($Value -ceq $script:FakeHostDeleteMarker)
}

function Merge-FakeHostData {
	param($Base, $Overlay)
	if ($Overlay -is [System.Collections.IDictionary]) {
		# An overlay object always goes through the merge, even with no base, so no "$delete" marker survives in it.
		$merged = [ordered]@{}
		if ($Base -is [System.Collections.IDictionary]) { foreach ($k in $Base.Keys) { $merged[$k] = $Base[$k] } }
		foreach ($k in $Overlay.Keys) {
			$value = $Overlay[$k]
			if (Test-FakeHostDeleteMarker $value) { $merged.Remove($k); continue }
			$baseValue = $null
			if ($merged.Contains($k)) { $baseValue = $merged[$k] }
			$merged[$k] = Merge-FakeHostData $baseValue $value
		}
		return $merged
	}
	return , $Overlay
}

function Get-FakeHostScenarioText {
	# The text of a scenario file and of every file it extends, in order (cheap: no JSON parsing), to key the cache.
	param([Parameter(Mandatory)] [string] $Path)
	$text = [System.IO.File]::ReadAllText($Path)
	$parts = New-Object System.Text.StringBuilder
	[void]$parts.Append($Path).Append([char]0).Append($text).Append([char]0)
	$extends = [regex]::Match($text, '"extends"\s*:\s*(\[[^\]]*\]|"(?:[^"\\]|\\.)*")')
	if ($extends.Success) {
		foreach ($name in [regex]::Matches($extends.Groups[1].Value, '"((?:[^"\\]|\\.)*)"')) {
			$basePath = [regex]::Unescape($name.Groups[1].Value) + '.json'
			if (-not [System.IO.Path]::IsPathRooted($basePath)) { $basePath = Join-Path (Split-Path -Parent $Path) $basePath }
			if (Test-Path -LiteralPath $basePath) { [void]$parts.Append((Get-FakeHostScenarioText -Path $basePath)) }
		}
	}
	$parts.ToString()
}

function Read-FakeHostScenario {
	<#
	The merged scenario. Merging in PowerShell is slow and the entry script imports the fake host into every check
	runspace, so the merged result is kept once per process (keyed by the text of the file and of its bases, so an
	edited file is read again) and each caller gets its own fresh copy.
	#>
	param([Parameter(Mandatory)] [string] $Path)
	$sha = [System.Security.Cryptography.SHA256]::Create()
	try { $key = 'pad-fake-host-scenario:' + [System.BitConverter]::ToString($sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes((Get-FakeHostScenarioText -Path $Path)))) }
	finally { $sha.Dispose() }
	$cached = [System.AppDomain]::CurrentDomain.GetData($key)
	if ($cached -is [string]) { return (ConvertFrom-Json -InputObject $cached -AsHashtable -Depth 100) }
	$merged = Read-FakeHostScenarioUncached -Path $Path
	[System.AppDomain]::CurrentDomain.SetData($key, (ConvertTo-Json -InputObject $merged -Depth 100 -Compress))
	$merged
}

function Read-FakeHostScenarioUncached {
	param([Parameter(Mandatory)] [string] $Path)
	$data = Get-Content -LiteralPath $Path -Raw | ConvertFrom-Json -AsHashtable
	if ($data.Contains('extends') -and $data['extends']) {
		# One base or several, merged in order; names are relative to this file's folder (or absolute, for scenarios
		# that tests write elsewhere), without ".json".
		$merged = [ordered]@{}
		foreach ($name in @($data['extends'])) {
			$basePath = $name + '.json'
			if (-not [System.IO.Path]::IsPathRooted($basePath)) { $basePath = Join-Path (Split-Path -Parent $Path) $basePath }
			$merged = Merge-FakeHostData $merged (Read-FakeHostScenarioUncached -Path $basePath)
		}
		$data.Remove('extends')
		return Merge-FakeHostData $merged $data
	}
	# Without a base, the merge still drops "$delete" markers (they delete nothing here).
	return Merge-FakeHostData $null $data
}

function Get-FakeHostScenarioOwnChecks {
	# The checks a scenario file itself expects something of (not those it inherits).
	param([Parameter(Mandatory)] [string] $Path)
	$own = [System.IO.File]::ReadAllText($Path) | ConvertFrom-Json -AsHashtable
	if (-not $own.ContainsKey('expect')) { return , [string[]]@() }
	, [string[]]@($own['expect'].Keys)
}

function Test-FakeHostScenarioAboutChecks {
	# The rule of Test-FakeHostScenarioAbout for 'checks', on what a scenario itself expects (Get-FakeHostScenarioOwnChecks).
	param([string] $Name, [string[]] $OwnChecks = @(), [string[]] $Checks = @())
	if ($Checks.Count -eq 0 -or $Name -eq 'healthy') { return $true }
	@($OwnChecks | Where-Object { $Checks -contains $_ }).Count -gt 0
}

function Test-FakeHostScenarioAbout {
	<#
	Whether a scenario file is about the given checks: its own file (not what it extends) expects one of them, or it is
	the healthy baseline. With Filter 'entry': a scenario about the entry script itself (its own parameters, or time
	budgets). Scenarios.Tests.ps1 runs these when asked for some checks, and the mutation script plans with the same rule.
	#>
	param([Parameter(Mandatory)] [string] $Path, [string[]] $Checks = @(), [string] $Filter = 'checks')
	$name = [System.IO.Path]::GetFileNameWithoutExtension($Path)
	if ($Checks.Count -eq 0 -or $name -eq 'healthy') { return $true }
	if ($Filter -eq 'entry') {
		$own = [System.IO.File]::ReadAllText($Path) | ConvertFrom-Json -AsHashtable
		return ($own.ContainsKey('parameters') -or $name -match 'timeout|hang|block|fatal')
	}
	Test-FakeHostScenarioAboutChecks -Name $name -OwnChecks (Get-FakeHostScenarioOwnChecks -Path $Path) -Checks $Checks
}
