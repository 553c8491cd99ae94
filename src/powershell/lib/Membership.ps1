# Facts about this computer and the current user that several probes share. Windows PowerShell 5.1 syntax only.

function Test-PadComputerInDomain {
	# Win32_ComputerSystem.PartOfDomain: whether the domain checks apply at all.
	$cs = @(Get-CimInstance -ClassName Win32_ComputerSystem -ErrorAction Stop)
	if ($cs.Count -eq 0) { throw 'Get-CimInstance returned no instance of Win32_ComputerSystem.' }
	$joined = $cs[0].PSObject.Properties['PartOfDomain']
	($null -ne $joined) -and [bool]$joined.Value
}
