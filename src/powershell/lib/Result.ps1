# Helpers every probe uses to build its result. Windows PowerShell 5.1 syntax only.

function New-PadResult {
	<#
	.SYNOPSIS
	Builds the result of one check. Status is one of pass, fail, warning, unknown, manual, notApplicable.
	#>
	param(
		[Parameter(Mandatory = $true)]
		[ValidateSet('pass', 'fail', 'warning', 'unknown', 'manual', 'notApplicable')]
		[string] $Status,
		[string[]] $FailureIds = @(),
		[System.Collections.IDictionary] $Evidence = @{},
		$ErrorMessage = $null
	)
	# Arrays are built here, never from a pipeline, so that one element stays an array in JSON on 5.1 and 7.
	$ids = New-Object System.Collections.Generic.List[string]
	foreach ($id in $FailureIds) { if ($id) { $ids.Add($id) } }
	$ordered = [ordered]@{}
	foreach ($key in @($Evidence.get_Keys())) { $ordered[[string]$key] = ConvertTo-PadEvidenceValue $Evidence[$key] }
	[pscustomobject]@{
		PSTypeName = 'Pad.CheckResult'
		status     = $Status
		failureIds = [string[]]$ids.ToArray()
		evidence   = $ordered
		error      = $(if ($ErrorMessage) { [string]$ErrorMessage } else { $null })
	}
}

function ConvertTo-PadEvidenceValue {
	# Evidence must survive ConvertTo-Json identically on 5.1 and 7: dates become ISO strings, enums strings.
	param($Value)
	if ($null -eq $Value) { return $null }
	if ($Value -is [datetime]) { return $Value.ToUniversalTime().ToString('o') }
	if ($Value -is [enum]) { return $Value.ToString() }
	if ($Value -is [string] -or $Value -is [bool] -or $Value -is [int] -or $Value -is [long] -or $Value -is [double] -or $Value -is [decimal]) { return $Value }
	if ($Value -is [System.Collections.IDictionary]) {
		$flat = [ordered]@{}
		# By entry, not $Value[$key]: an ordered dictionary's indexer takes an int key for a position.
		foreach ($entry in @($Value.GetEnumerator())) { $flat[[string]$entry.Key] = ConvertTo-PadEvidenceValue $entry.Value }
		return $flat
	}
	if ($Value -is [System.Collections.IEnumerable]) {
		$list = New-Object System.Collections.ArrayList
		foreach ($item in $Value) { [void]$list.Add((ConvertTo-PadEvidenceValue $item)) }
		return , $list.ToArray()
	}
	if ($Value -is [psobject] -and $Value.PSObject.Properties.Count -gt 0 -and -not ($Value -is [ValueType])) {
		$flat = [ordered]@{}
		foreach ($p in $Value.PSObject.Properties) { $flat[$p.Name] = ConvertTo-PadEvidenceValue $p.Value }
		return $flat
	}
	return [string]$Value
}

function ConvertTo-PadIsoDate {
	param([datetime] $Date)
	$Date.ToUniversalTime().ToString('o')
}
