# Fix "inspect-os" (its title, effect and sources: checks/server.json). Windows PowerShell 5.1 and PowerShell 7.
param()

Get-CimInstance Win32_OperatingSystem | Select-Object Caption, Version, BuildNumber, ProductType
# UBR is the revision after the build number (26100.6901 = Windows Server 2025 with KB5070773); InstallationType
# shows Server Core.
Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion' | Select-Object CurrentBuildNumber, UBR, InstallationType
# The override an earlier version of the prerequisites page gave as a workaround for KB5065426 (absent when not set).
Get-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Policies\Microsoft\FeatureManagement\Overrides' -Name '2362988687' -ErrorAction SilentlyContinue
