# Fix "inspect-computer-system" (its title, effect and sources: checks/server.json). Windows PowerShell 5.1 and PowerShell 7.
param()

Get-CimInstance Win32_ComputerSystem | Select-Object Name, PartOfDomain, Domain, @{ Name = 'MemoryGB'; Expression = { [math]::Round($_.TotalPhysicalMemory / 1GB, 1) } }
