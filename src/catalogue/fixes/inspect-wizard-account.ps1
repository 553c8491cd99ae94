# Fix "inspect-wizard-account" (its title, effect and sources: checks/permissions.json). Windows PowerShell 5.1 and PowerShell 7.
param(
	[Parameter(Mandatory = $true)]
	[string] $SamAccountName
)

# msDS-UserPasswordExpiryTimeComputed is shown as stored: 100-ns intervals since 1601, 9223372036854775807 = never.
Get-ADUser -Identity $SamAccountName -Properties Enabled, LockedOut, AccountExpirationDate, PasswordExpired, PasswordNeverExpires, PasswordLastSet, msDS-UserPasswordExpiryTimeComputed |
	Select-Object -Property SamAccountName, DistinguishedName, Enabled, LockedOut, AccountExpirationDate, PasswordExpired, PasswordNeverExpires, PasswordLastSet, msDS-UserPasswordExpiryTimeComputed
# Direct group memberships (Domain Admins, Enterprise Admins, Protected Users); nested ones are in tokenGroups.
Get-ADPrincipalGroupMembership -Identity $SamAccountName | Select-Object -Property Name, SID
