# Fix "set-managed-account" (its title, effect and sources: checks/gmsa.json). Windows PowerShell 5.1 and PowerShell 7.
param()

sc.exe managedaccount AADConnectProvisioningAgent true
