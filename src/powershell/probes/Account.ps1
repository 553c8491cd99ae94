# Permissions: the on-premises administrator account the wizard will be given (how-to-install: Domain Administrator
# credentials for Create gMSA and Add directory; "The domain administrator account shouldn't have an expired
# password"). Read over LDAP from the domain this server is joined to; no RSAT needed. Windows PowerShell 5.1 syntax only.

function Get-PadWizardAccountName {
	# The entry script's -WizardAccount (Context WizardAccount); empty or absent means the user running the diagnosis.
	param([hashtable] $Context)
	if ($null -ne $Context -and $Context.ContainsKey('WizardAccount') -and ([string]$Context['WizardAccount']).Trim()) {
		return [pscustomobject]@{ Name = ([string]$Context['WizardAccount']).Trim(); Source = 'parameter' }
	}
	[pscustomobject]@{ Name = [string](Get-PadCurrentIdentity).Name; Source = 'current user' }
}

function Split-PadAccountName {
	# 'DOMAIN\name' -> Domain + SamAccountName; 'name@suffix' -> UserPrincipalName; 'name' -> SamAccountName.
	param([Parameter(Mandatory = $true)] [string] $Name)
	$parts = [ordered]@{ Domain = $null; SamAccountName = $null; UserPrincipalName = $null }
	if ($Name.Contains('\')) {
		$at = $Name.IndexOf('\')
		$parts['Domain'] = $Name.Substring(0, $at)
		$parts['SamAccountName'] = $Name.Substring($at + 1)
	}
	elseif ($Name.Contains('@')) { $parts['UserPrincipalName'] = $Name }
	else { $parts['SamAccountName'] = $Name }
	[pscustomobject]$parts
}

function Get-PadWizardAccountFindings {
	<#
	.SYNOPSIS
	The failure ids for one directory account (see Get-PadDirectoryAccount) at time Now, and the evidence they rest on.
	userAccountControl 0x2 = disabled; msDS-User-Account-Control-Computed 0x10 = locked out, 0x800000 = password
	expired; accountExpires 0 or 0x7FFFFFFFFFFFFFFF = never; msDS-UserPasswordExpiryTimeComputed 0x7FFFFFFFFFFFFFFF =
	never, 0 = pwdLastSet is 0 (the password must be changed before the next sign-in).
	#>
	param(
		[Parameter(Mandatory = $true)] $Account,
		[Parameter(Mandatory = $true)] $DomainSids,
		[Parameter(Mandatory = $true)] $Rules,
		[Parameter(Mandatory = $true)] [datetime] $Now,
		$AgentVersion
	)
	$failures = New-Object System.Collections.Generic.List[string]
	$evidence = [ordered]@{}
	$evidence['disabled'] = $null
	if ($null -ne $Account.UserAccountControl) {
		$evidence['disabled'] = (([long]$Account.UserAccountControl -band 0x2) -ne 0)
		if ($evidence['disabled']) { $failures.Add('wizard-account-disabled') }
	}

	$computed = $Account.UserAccountControlComputed
	$evidence['lockedOut'] = $null
	if ($null -ne $computed) {
		$evidence['lockedOut'] = (([long]$computed -band 0x10) -ne 0)
		if ($evidence['lockedOut']) { $failures.Add('wizard-account-locked') }
	}

	$evidence['accountExpires'] = 'never'
	$expires = ConvertFrom-PadFileTime $Account.AccountExpires
	if ($null -ne $expires) {
		$evidence['accountExpires'] = $expires
		if ($expires -le $Now) { $failures.Add('wizard-account-expired') }
	}

	$expiry = $Account.PasswordExpiryTime
	$evidence['passwordExpires'] = $null
	$evidence['daysUntilPasswordExpiry'] = $null
	$evidence['passwordWarningDays'] = [int]$Rules.passwordExpiryWarningDays
	$evidence['mustChangePassword'] = ($null -ne $expiry -and [long]$expiry -eq 0)
	$expired = ($null -ne $computed -and ([long]$computed -band 0x800000) -ne 0) -or $evidence['mustChangePassword']
	if ($evidence['mustChangePassword']) { $evidence['passwordExpires'] = 'at the next sign-in' }
	elseif ($null -ne $expiry -and [long]$expiry -eq [long]::MaxValue) { $evidence['passwordExpires'] = 'never' }
	elseif ($null -ne $expiry -and [long]$expiry -gt 0) {
		$when = ConvertFrom-PadFileTime $expiry
		$evidence['passwordExpires'] = $when
		$days = ($when - $Now).TotalDays
		$evidence['daysUntilPasswordExpiry'] = [double][Math]::Round($days, 1)
		if ($days -le 0) { $expired = $true }
		elseif ($days -lt [double]$Rules.passwordExpiryWarningDays -and -not $expired) { $failures.Add('wizard-account-password-expiring') }
	}
	if ($expired) { $failures.Add('wizard-account-password-expired') }

	$groups = @($Account.TokenGroups)
	$evidence['protectedUsers'] = Test-PadProtectedUsersMember -GroupSids $groups -DomainSid $DomainSids.DomainSid
	if ($evidence['protectedUsers']) { $failures.Add('wizard-account-protected-users') }

	$admins = Get-PadDomainAdminGroups -GroupSids $groups -DomainSids $DomainSids
	$evidence['adminGroups'] = $admins
	# reference-version-history 1.1.2505.0: no Domain Admin credentials for a custom gMSA with custom gMSA permissions.
	$evidence['adminOptionalForCustomGmsa'] = ($null -ne $AgentVersion -and $AgentVersion -ge [version][string]$Rules.noAdminForCustomGmsaFrom)
	if ($admins.Count -eq 0 -and -not $evidence['adminOptionalForCustomGmsa']) { $failures.Add('wizard-account-not-admin') }
	[pscustomobject]@{ FailureIds = [string[]]$failures.ToArray(); Evidence = $evidence }
}

function Test-PadWizardAccount {
	param([hashtable] $Context)
	$who = Get-PadWizardAccountName -Context $Context
	$name = Split-PadAccountName -Name $who.Name
	$lookup = $name.SamAccountName
	if ($name.UserPrincipalName) { $lookup = $name.UserPrincipalName }
	$evidence = [ordered]@{
		account           = $who.Name
		accountSource     = $who.Source
		samAccountName    = $lookup
		domain            = $null
		distinguishedName = $null
	}
	if (-not (Test-PadComputerInDomain)) { return New-PadResult -Status notApplicable -Evidence $evidence }
	try {
		$sids = Get-PadDomainSids
		if ($name.UserPrincipalName) { $account = Get-PadDirectoryAccount -UserPrincipalName $name.UserPrincipalName }
		else { $account = Get-PadDirectoryAccount -SamAccountName $name.SamAccountName }
	}
	catch { return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage ('The account could not be read from the domain: ' + $_.Exception.Message) }
	$evidence['domain'] = $sids.DomainName
	# A DOMAIN\ prefix must name this domain: a local account or one of another domain is not the account found here.
	$sameDomain = $true
	if ($null -ne $account -and $name.Domain) {
		$principal = [string]$account.PrincipalName
		$sameDomain = $principal.Contains('\') -and ($principal.Substring(0, $principal.IndexOf('\')) -ieq $name.Domain)
	}
	if ($null -eq $account -or -not $sameDomain) {
		return New-PadResult -Status unknown -FailureIds 'wizard-account-not-found' -Evidence $evidence
	}
	$evidence['samAccountName'] = [string]$account.SamAccountName
	$evidence['distinguishedName'] = [string]$account.DistinguishedName
	$agent = Get-PadInstalledAgentVersion
	$evidence['agentVersion'] = $null
	if ($null -ne $agent) { $evidence['agentVersion'] = $agent.ToString() }
	$now = [datetime]::UtcNow
	if ($Context.ContainsKey('Now') -and $Context['Now']) { $now = ([datetime]$Context['Now']).ToUniversalTime() }
	$findings = Get-PadWizardAccountFindings -Account $account -DomainSids $sids -Rules (Get-PadCheckRules -CheckId 'permissions.wizard-account') -Now $now -AgentVersion $agent
	foreach ($key in $findings.Evidence.Keys) { $evidence[$key] = $findings.Evidence[$key] }
	$missing = @()
	if ($null -eq $account.UserAccountControl) { $missing += 'userAccountControl' }
	if ($null -eq $account.UserAccountControlComputed) { $missing += 'msDS-User-Account-Control-Computed' }
	if ($missing.Count -gt 0 -and $findings.FailureIds.Count -eq 0) {
		return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage ('The domain controller did not return ' + ($missing -join ' and ') + ' for the account, so whether it is disabled, locked out or has an expired password is unknown.')
	}
	if ($findings.FailureIds.Count -gt 0) {
		return New-PadResult -Status (Get-PadWorstSeverity -CheckId 'permissions.wizard-account' -FailureIds $findings.FailureIds) -FailureIds $findings.FailureIds -Evidence $evidence
	}
	New-PadResult -Status pass -Evidence $evidence
}
