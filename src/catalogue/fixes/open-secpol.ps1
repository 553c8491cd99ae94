# Fix "open-secpol" (its title, effect and sources: checks/service.json). Windows PowerShell 5.1 and PowerShell 7.
param()

Start-Process secpol.msc
