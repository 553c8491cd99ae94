# Fix "inspect-scm-events" (its title, effect and sources: checks/service.json). Windows PowerShell 5.1 and PowerShell 7.
# The ids of the catalogue's Service Control Manager messages; only events that name the agent are shown.
param()

Get-WinEvent -FilterHashtable @{ LogName = 'System'; ProviderName = 'Service Control Manager'; Id = 7000, 7009, 7034, 7038, 7041 } -MaxEvents 200 -ErrorAction SilentlyContinue |
	Where-Object { $_.Message -match 'AADConnectProvisioningAgent|Provisioning Agent' } |
	Format-List TimeCreated, Id, Message
