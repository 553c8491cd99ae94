# Permissions: who runs the diagnosis (and so, the installer). Windows PowerShell 5.1 syntax only.

function Test-PadElevated {
	# The installer creates and starts a Windows service, which needs an elevated (Administrator) token
	# (no-privileges-msi: run the installer as a Domain or Enterprise Administrator; checks below need elevation too).
	param([hashtable] $Context)
	$identity = Get-PadCurrentIdentity
	$evidence = [ordered]@{ user = $identity.Name; elevated = [bool]$identity.IsElevated }
	if ($identity.IsElevated) { return New-PadResult -Status pass -Evidence $evidence }
	New-PadResult -Status fail -FailureIds 'not-elevated' -Evidence $evidence
}

function Test-PadDomainAdmin {
	# how-to-prerequisites: "Domain Administrator or Enterprise Administrator credentials" to create the gMSA;
	# no-privileges-msi: the installer's user context must be a Domain or Enterprise Administrator. Membership is
	# read from this session's token and matched by SID: Domain Admins of this computer's domain, Enterprise Admins of
	# its forest root domain. reference-version-history 1.1.2505.0: no Domain Admin credentials are needed for a
	# custom gMSA with custom gMSA permissions, so on such an installed agent the absence is a warning.
	param([hashtable] $Context)
	$identity = Get-PadCurrentIdentity
	$evidence = [ordered]@{
		user                = $identity.Name
		adminGroups         = [string[]]@()
		elevated            = [bool]$identity.IsElevated
		domainSid           = $null
		forestRootDomainSid = $null
		agentVersion        = $null
	}
	if (-not (Test-PadComputerInDomain)) { return New-PadResult -Status notApplicable -Evidence $evidence }
	try { $sids = Get-PadDomainSids }
	catch { return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage ('The SIDs of this computer''s domain and forest root domain could not be read: ' + $_.Exception.Message) }
	$evidence['domainSid'] = $sids.DomainSid
	$evidence['forestRootDomainSid'] = $sids.ForestRootDomainSid
	$member = Get-PadDomainAdminGroups -GroupSids $identity.GroupSids -DomainSids $sids
	$evidence['adminGroups'] = $member
	$agent = Get-PadInstalledAgentVersion
	if ($null -ne $agent) { $evidence['agentVersion'] = $agent.ToString() }
	if ($member.Count -gt 0) { return New-PadResult -Status pass -Evidence $evidence }
	# Without elevation UAC filters the token: admin groups are deny-only and WindowsIdentity.Groups leaves them out,
	# so absence proves nothing.
	if (-not $identity.IsElevated) {
		return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage 'The session is not elevated, so Domain Admins and Enterprise Admins membership cannot be seen in its token. Run the diagnosis elevated.'
	}
	$from = [version][string](Get-PadCheckRules -CheckId 'permissions.domain-admin').noAdminForCustomGmsaFrom
	if ($null -ne $agent -and $agent -ge $from) {
		return New-PadResult -Status warning -FailureIds 'not-domain-admin-custom-gmsa' -Evidence $evidence
	}
	New-PadResult -Status fail -FailureIds 'not-domain-admin' -Evidence $evidence
}
