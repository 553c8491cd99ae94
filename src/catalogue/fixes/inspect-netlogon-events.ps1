# Fix "inspect-netlogon-events" (its title, effect and sources: checks/eventlog.json). Windows PowerShell 5.1 and PowerShell 7.
param()

Get-WinEvent -FilterHashtable @{ LogName = 'Microsoft-Windows-Security-Netlogon/Operational'; Id = 9001, 9002 } -MaxEvents 20 -ErrorAction SilentlyContinue | Format-List TimeCreated, Id, Message
