# Fix "inspect-gmsa" (its title, effect and sources: checks/gmsa.json). Windows PowerShell 5.1 and PowerShell 7.
param()

Get-ADServiceAccount -Identity provAgentgMSA -Properties PrincipalsAllowedToRetrieveManagedPassword, msDS-SupportedEncryptionTypes | Select-Object Name, Enabled, PrincipalsAllowedToRetrieveManagedPassword, msDS-SupportedEncryptionTypes
Test-ADServiceAccount -Identity provAgentgMSA
