# Permissions: who runs the diagnosis (and so, the installer). Windows PowerShell 5.1 syntax only.

function Test-PadElevated {
	# The installer creates a Windows service, which needs an elevated (Administrator) token: without it the installer
	# fails with Windows Installer error 1923 "Service ... could not be installed" (seed article; MSI error table).
	param([hashtable] $Context)
	$identity = Get-PadCurrentIdentity
	$evidence = [ordered]@{ user = $identity.Name; elevated = [bool]$identity.IsElevated }
	if ($identity.IsElevated) { return New-PadResult -Status pass -Evidence $evidence }
	New-PadResult -Status fail -FailureIds 'not-elevated' -Evidence $evidence
}

function Test-PadDomainAdmin {
	# how-to-prerequisites: "Domain Administrator or Enterprise Administrator credentials".
	param([hashtable] $Context)
	$identity = Get-PadCurrentIdentity
	$member = Get-PadAdminGroup -GroupSids $identity.GroupSids
	$evidence = [ordered]@{ user = $identity.Name; adminGroups = $member; elevated = [bool]$identity.IsElevated }
	if ($member.Count -gt 0) { return New-PadResult -Status pass -Evidence $evidence }
	# Without elevation UAC filters the token: admin groups are deny-only and WindowsIdentity.Groups leaves them out,
	# so absence proves nothing.
	if (-not $identity.IsElevated) {
		return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage 'The session is not elevated, so Domain Admins and Enterprise Admins membership cannot be seen in its token. Run the diagnosis elevated.'
	}
	New-PadResult -Status fail -FailureIds 'not-domain-admin' -Evidence $evidence
}
