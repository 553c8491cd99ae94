# Doubles for the wrappers that read installed files and programs: Get-PadFileVersion and Get-PadUninstallEntries.
# Scenario keys used:
#   "fileVersions": { "%ProgramFiles%\\...\\AADConnectProvisioningAgent.exe": "1.1.2505.0" } (null or absent: no file,
#     or a file without a version)
#   "uninstall": [ { "DisplayName", "DisplayVersion", "Publisher", "InstallDate", "PSChildName", "View" } ] ("View"
#     defaults to "64-bit")

function ConvertTo-FakeHostComparablePath {
	# Windows folder variables expanded to the fake host's folders, one separator, lower case: the probes join paths
	# with the platform's separator, the scenario writes Windows paths.
	param([string] $Path)
	$expanded = $Path
	foreach ($name in 'ProgramFiles', 'ProgramData', 'TEMP', 'SystemRoot') {
		$value = [System.Environment]::GetEnvironmentVariable($name)
		if ($value) { $expanded = $expanded.Replace('%' + $name + '%', $value) }
	}
	$expanded.Replace('\', '/').ToLowerInvariant()
}

function Get-FakePadFileVersion {
	param([string] $Path)
	Invoke-FakeHostHang -Command 'Get-PadFileVersion'
	$versions = Get-FakeHostValue -Path 'fileVersions' -Default @{}
	$wanted = ConvertTo-FakeHostComparablePath $Path
	foreach ($key in $versions.Keys) {
		if ((ConvertTo-FakeHostComparablePath $key) -eq $wanted) {
			if ($null -eq $versions[$key]) { return $null }
			return [string]$versions[$key]
		}
	}
	$null
}
Set-Alias -Name Get-PadFileVersion -Value Get-FakePadFileVersion

function Get-FakePadUninstallEntries {
	Invoke-FakeHostHang -Command 'Get-PadUninstallEntries'
	# Get-FakeHostValue hands the list back as one object: iterate its items, not the list.
	foreach ($entry in (Get-FakeHostValue -Path 'uninstall' -Default @())) {
		if ($null -eq $entry) { continue }
		$row = [ordered]@{}
		foreach ($field in 'DisplayName', 'DisplayVersion', 'Publisher', 'InstallDate', 'PSChildName') {
			$row[$field] = $null
			if ($entry.Contains($field) -and $null -ne $entry[$field]) { $row[$field] = [string]$entry[$field] }
		}
		$row['View'] = '64-bit'
		if ($entry.Contains('View') -and $entry['View']) { $row['View'] = [string]$entry['View'] }
		[pscustomobject]$row
	}
}
Set-Alias -Name Get-PadUninstallEntries -Value Get-FakePadUninstallEntries
