# Fix "inspect-agent-installation" (its title, effect and sources: checks/installer.json). Windows PowerShell 5.1 and PowerShell 7.
# Both registry views, since which one the agent's packages use is not documented.
param()

Get-CimInstance -ClassName Win32_Service -Filter "Name='AADConnectProvisioningAgent'" | Select-Object Name, DisplayName, State, StartName, PathName
$exe = Join-Path $env:ProgramFiles 'Microsoft Azure AD Connect Provisioning Agent\AADConnectProvisioningAgent.exe'
if (Test-Path -LiteralPath $exe) { (Get-Item -LiteralPath $exe).VersionInfo | Select-Object FileName, ProductVersion }
else { Write-Host ('Not found: ' + $exe) }
Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\*', 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\*' -ErrorAction SilentlyContinue |
	Where-Object { $_.DisplayName -match 'Provisioning Agent|Agent Updater' } |
	Select-Object DisplayName, DisplayVersion, InstallDate, PSChildName
