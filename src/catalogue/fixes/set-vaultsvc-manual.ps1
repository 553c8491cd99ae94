# Fix "set-vaultsvc-manual" (its title, effect and sources: checks/server.json). Windows PowerShell 5.1 and PowerShell 7.
param()

Set-Service -Name VaultSvc -StartupType Manual
