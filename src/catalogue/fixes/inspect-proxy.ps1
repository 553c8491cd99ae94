# Fix "inspect-proxy" (its title, effect and sources: checks/network.json). Windows PowerShell 5.1 and PowerShell 7.
param()

netsh winhttp show proxy
Select-String -Path "$env:ProgramFiles\Microsoft Azure AD Connect Provisioning Agent\AADConnectProvisioningAgent.exe.config" -Pattern 'defaultProxy', 'proxyaddress'
