# Fix "set-gmsa-encryption-types" (its title, effect and sources: checks/gmsa.json). Windows PowerShell 5.1 and PowerShell 7.
# The gMSA page's rule: "replace the value of msDS-SupportedEncryptionTypes for the gMSA with the value from the server
# computer account". -Replace takes the attribute's LDAP display name.
param(
	[Parameter(Mandatory = $true)] [string] $Account,
	[Parameter(Mandatory = $true)] [int] $EncryptionTypes
)

Set-ADServiceAccount -Identity $Account -Replace @{ 'msDS-SupportedEncryptionTypes' = $EncryptionTypes }
Get-ADServiceAccount -Identity $Account -Properties msDS-SupportedEncryptionTypes | Select-Object Name, SamAccountName, msDS-SupportedEncryptionTypes
