# Doubles for the domain account wrappers: Get-PadDomainSids and Get-PadDirectoryAccount.
# Scenario keys used:
#   "domainSids": { "domainName", "domainSid", "forestRootDomainName", "forestRootDomainSid" } (null: off a domain;
#     "domainSidsError": "message" throws that message instead)
#   "directoryAccounts": { "<sAMAccountName>": { "userPrincipalName", "principalName" (DOMAIN\name),
#     "distinguishedName", "userAccountControl", "userAccountControlComputed", "accountExpires", "passwordExpiryTime",
#     "pwdLastSet", "tokenGroups": [SIDs] } } (null: no domain controller answers). The three times are the stored
#     integers, "never" (0x7FFFFFFFFFFFFFFF) or relative: { "hoursAgo": n } / { "hoursFromNow": n }.

function Get-FakePadDomainSids {
	Invoke-FakeHostHang -Command 'Get-PadDomainSids'
	$failure = Get-FakeHostValue -Path 'domainSidsError'
	if ($failure) { throw [string]$failure }
	$sids = Get-FakeHostValue -Path 'domainSids'
	if ($null -eq $sids) { throw 'Current security context is not associated with an Active Directory domain or forest.' }
	[pscustomobject]@{
		DomainName           = [string]$sids['domainName']
		DomainSid            = [string]$sids['domainSid']
		ForestRootDomainName = [string]$sids['forestRootDomainName']
		ForestRootDomainSid  = [string]$sids['forestRootDomainSid']
	}
}
Set-Alias -Name Get-PadDomainSids -Value Get-FakePadDomainSids

function ConvertTo-FakeHostFileTime {
	# A scenario time as the integer AD stores.
	param($Value)
	if ($null -eq $Value) { return $null }
	if ($Value -is [string] -and $Value -eq 'never') { return [long]::MaxValue }
	if ($Value -is [System.Collections.IDictionary]) { return (ConvertTo-FakeHostDate $Value).ToFileTimeUtc() }
	[long]$Value
}

function Get-FakePadDirectoryAccount {
	param([string] $SamAccountName, [string] $UserPrincipalName)
	Invoke-FakeHostHang -Command 'Get-PadDirectoryAccount'
	$accounts = Get-FakeHostValue -Path 'directoryAccounts'
	if ($null -eq $accounts) { throw 'The specified domain either does not exist or could not be contacted.' }
	$domain = [string](Get-FakeHostValue -Path 'domainSids.domainName' -Default 'contoso.com')
	foreach ($sam in $accounts.Keys) {
		$a = $accounts[$sam]
		if ($null -eq $a) { continue }
		if ($UserPrincipalName) { if ([string]$a['userPrincipalName'] -ne $UserPrincipalName) { continue } }
		elseif ($sam -ne $SamAccountName) { continue }
		return [pscustomobject]@{
			DistinguishedName          = [string]$a['distinguishedName']
			SamAccountName             = [string]$sam
			PrincipalName              = [string]$a['principalName']
			UserAccountControl         = $a['userAccountControl']
			UserAccountControlComputed = $a['userAccountControlComputed']
			AccountExpires             = ConvertTo-FakeHostFileTime $a['accountExpires']
			PasswordExpiryTime         = ConvertTo-FakeHostFileTime $a['passwordExpiryTime']
			PasswordLastSet            = ConvertTo-FakeHostFileTime $a['pwdLastSet']
			TokenGroups                = [string[]]@($a['tokenGroups'] | Where-Object { $_ })
			Domain                     = $domain
		}
	}
	$null
}
Set-Alias -Name Get-PadDirectoryAccount -Value Get-FakePadDirectoryAccount
