# Fix "inspect-execution-policy" (its title, effect and sources: checks/server.json). Windows PowerShell 5.1 and PowerShell 7.
param()

Get-ExecutionPolicy -List
