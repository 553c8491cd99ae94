# Fix "start-updater-service" (its title, effect and sources: checks/service.json). Windows PowerShell 5.1 and PowerShell 7.
# The updater's service name is not documented, so the check passes the name it found.
param(
	[Parameter(Mandatory = $true)] [string] $Name
)

Start-Service -Name $Name
Get-Service -Name $Name | Select-Object Name, DisplayName, Status
