# Fix "inspect-vaultsvc" (its title, effect and sources: checks/server.json). Windows PowerShell 5.1 and PowerShell 7.
param()

Get-CimInstance Win32_Service -Filter "Name='VaultSvc'" | Select-Object Name, State, StartMode
