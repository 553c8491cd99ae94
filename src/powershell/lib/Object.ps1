# Reading properties safely under Set-StrictMode. Windows PowerShell 5.1 syntax only.

function Get-PadPropertyValue {
	# A property of an object or a key of a dictionary, $null when absent (safe under Set-StrictMode).
	param($InputObject, [Parameter(Mandatory = $true)] [string] $Name)
	if ($null -eq $InputObject) { return $null }
	if ($InputObject -is [System.Collections.IDictionary]) {
		if ($InputObject.Contains($Name)) { return $InputObject[$Name] }
		return $null
	}
	$property = $InputObject.PSObject.Properties[$Name]
	if ($null -eq $property) { return $null }
	$property.Value
}
