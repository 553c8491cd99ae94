# Fix "inspect-os" (its title, effect and sources: checks/server.json). Windows PowerShell 5.1 and PowerShell 7.
param()

Get-CimInstance Win32_OperatingSystem | Select-Object Caption, Version, BuildNumber, ProductType
(Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion').InstallationType
