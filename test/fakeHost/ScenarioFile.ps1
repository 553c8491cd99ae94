# Reads a scenario file, following "extends". No side effects, so tests can read expectations at discovery.

function Merge-FakeHostData {
	param($Base, $Overlay)
	if ($Base -is [System.Collections.IDictionary] -and $Overlay -is [System.Collections.IDictionary]) {
		$merged = [ordered]@{}
		foreach ($k in $Base.Keys) { $merged[$k] = $Base[$k] }
		foreach ($k in $Overlay.Keys) {
			if ($merged.Contains($k)) { $merged[$k] = Merge-FakeHostData $merged[$k] $Overlay[$k] }
			else { $merged[$k] = $Overlay[$k] }
		}
		return $merged
	}
	return , $Overlay
}

function Read-FakeHostScenario {
	param([Parameter(Mandatory)] [string] $Path)
	$data = Get-Content -LiteralPath $Path -Raw | ConvertFrom-Json -AsHashtable
	if ($data.Contains('extends') -and $data['extends']) {
		# One base or several, merged in order; names are relative to this file's folder, without ".json".
		$merged = [ordered]@{}
		foreach ($name in @($data['extends'])) {
			$basePath = Join-Path (Split-Path -Parent $Path) ($name + '.json')
			$merged = Merge-FakeHostData $merged (Read-FakeHostScenario -Path $basePath)
		}
		$data.Remove('extends')
		$data = Merge-FakeHostData $merged $data
	}
	return $data
}
