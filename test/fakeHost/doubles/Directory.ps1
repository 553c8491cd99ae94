# Double for Get-PadDirectoryAttribute (LDAP reads). Scenario key "directory": { "<DN or RootDSE>": { "<attribute>": value or [values] } }.
# "directory": null makes every read fail the way an unreachable domain does.

function Get-FakePadDirectoryAttribute {
	param([string] $DistinguishedName, [string[]] $Attribute)
	Invoke-FakeHostHang -Command 'Get-PadDirectoryAttribute'
	$directory = Get-FakeHostValue -Path 'directory'
	if ($null -eq $directory) { throw 'The specified domain either does not exist or could not be contacted.' }
	$object = $null
	foreach ($k in $directory.Keys) { if ($k -ieq $DistinguishedName) { $object = $directory[$k] } }
	if ($null -eq $object) { throw 'There is no such object on the server.' }
	$values = @{}
	foreach ($name in $Attribute) {
		$values[$name] = [string[]]@(if ($object.Contains($name)) { @($object[$name]) | ForEach-Object { [string]$_ } })
	}
	$values
}
Set-Alias -Name Get-PadDirectoryAttribute -Value Get-FakePadDirectoryAttribute
