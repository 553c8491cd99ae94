# Test helper: the catalogue as the tests read it, straight from the data files (not through the product's reader, so a
# bug there cannot hide itself).

function Get-CatalogueCheckIds {
	$root = Join-Path $PSScriptRoot '../../src/catalogue'
	$categories = foreach ($file in Get-ChildItem -LiteralPath (Join-Path $root 'checks') -Filter '*.json') {
		Get-Content -LiteralPath $file.FullName -Raw | ConvertFrom-Json -AsHashtable
	}
	foreach ($category in @($categories | Sort-Object { $_['category']['order'] })) {
		foreach ($check in $category['checks']) { $check['id'] }
	}
}

function Get-CatalogueEvidenceKeys {
	# Check id -> the evidence keys its catalogue entry declares.
	$root = Join-Path $PSScriptRoot '../../src/catalogue'
	$keys = @{}
	foreach ($file in Get-ChildItem -LiteralPath (Join-Path $root 'checks') -Filter '*.json') {
		$category = Get-Content -LiteralPath $file.FullName -Raw | ConvertFrom-Json -AsHashtable
		foreach ($check in $category['checks']) {
			$declared = @()
			if ($check.ContainsKey('evidence')) { $declared = @($check['evidence'].Keys) }
			$keys[$check['id']] = $declared
		}
	}
	$keys
}

function Get-CatalogueChecks {
	# Each check as { id, probe } (probe $null for a manual check), in catalogue order.
	$root = Join-Path $PSScriptRoot '../../src/catalogue'
	$categories = foreach ($file in Get-ChildItem -LiteralPath (Join-Path $root 'checks') -Filter '*.json') {
		Get-Content -LiteralPath $file.FullName -Raw | ConvertFrom-Json -AsHashtable
	}
	foreach ($category in @($categories | Sort-Object { $_['category']['order'] })) {
		foreach ($check in $category['checks']) {
			$probe = $null
			if ($check.ContainsKey('probe') -and $check['probe']) { $probe = $check['probe']['function'] }
			[pscustomobject]@{ id = $check['id']; probe = $probe }
		}
	}
}
