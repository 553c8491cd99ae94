# Fix "test-endpoints-public" (its title, effect and sources: checks/network.json). Windows PowerShell 5.1 and PowerShell 7.
param()

Test-NetConnection -ComputerName login.windows.net -Port 443 | Select-Object ComputerName, RemotePort, TcpTestSucceeded
Test-NetConnection -ComputerName crl.microsoft.com -Port 80 | Select-Object ComputerName, RemotePort, TcpTestSucceeded
