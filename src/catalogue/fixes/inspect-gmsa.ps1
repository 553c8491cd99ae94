# Fix "inspect-gmsa" (its title, effect and sources: checks/gmsa.json). Windows PowerShell 5.1 and PowerShell 7.
param(
	[Parameter(Mandatory = $true)] [string] $Account
)

Get-ADServiceAccount -Identity $Account -Properties PrincipalsAllowedToRetrieveManagedPassword, msDS-SupportedEncryptionTypes | Select-Object Name, SamAccountName, Enabled, PrincipalsAllowedToRetrieveManagedPassword, msDS-SupportedEncryptionTypes
Get-ADComputer -Identity $env:COMPUTERNAME -Properties msDS-SupportedEncryptionTypes | Select-Object Name, msDS-SupportedEncryptionTypes
Test-ADServiceAccount -Identity $Account
