# Facts about this computer and the current user that several probes share. Windows PowerShell 5.1 syntax only.

function Get-PadAdminGroup {
	# The names of the admin groups among these SIDs: Domain Admins (RID 512) and Enterprise Admins (RID 519),
	# matched by SID so localized group names do not matter.
	param([string[]] $GroupSids)
	$groups = New-Object System.Collections.Generic.List[string]
	foreach ($sid in @($GroupSids)) {
		if ($sid -match '^S-1-5-21-\d+-\d+-\d+-512$') { $groups.Add('Domain Admins') }
		elseif ($sid -match '^S-1-5-21-\d+-\d+-\d+-519$') { $groups.Add('Enterprise Admins') }
	}
	, [string[]]$groups.ToArray()
}

function Test-PadComputerInDomain {
	# Win32_ComputerSystem.PartOfDomain: whether the domain checks apply at all.
	$cs = @(Get-CimInstance -ClassName Win32_ComputerSystem -ErrorAction Stop)
	if ($cs.Count -eq 0) { throw 'Get-CimInstance returned no instance of Win32_ComputerSystem.' }
	$joined = $cs[0].PSObject.Properties['PartOfDomain']
	($null -ne $joined) -and [bool]$joined.Value
}
