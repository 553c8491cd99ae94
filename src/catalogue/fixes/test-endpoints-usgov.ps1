# Fix "test-endpoints-usgov" (its title, effect and sources: checks/network.json). Windows PowerShell 5.1 and PowerShell 7.
param()

Test-NetConnection -ComputerName login.windows.us -Port 443 | Select-Object ComputerName, RemotePort, TcpTestSucceeded
Test-NetConnection -ComputerName crl.microsoft.us -Port 80 | Select-Object ComputerName, RemotePort, TcpTestSucceeded
