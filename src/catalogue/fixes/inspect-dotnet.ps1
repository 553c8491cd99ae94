# Fix "inspect-dotnet" (its title, effect and sources: checks/server.json). Windows PowerShell 5.1 and PowerShell 7.
param()

(Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full' -ErrorAction SilentlyContinue).Release
