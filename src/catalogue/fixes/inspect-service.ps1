# Fix "inspect-service" (its title, effect and sources: checks/service.json). Windows PowerShell 5.1 and PowerShell 7.
param()

Get-CimInstance Win32_Service -Filter "Name='AADConnectProvisioningAgent'" | Select-Object Name, State, StartMode, StartName
