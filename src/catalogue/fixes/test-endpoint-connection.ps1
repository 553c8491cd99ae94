# Fix "test-endpoint-connection" (its title, effect and sources: checks/network.json). Windows PowerShell 5.1 and PowerShell 7.
# Test-NetConnection connects directly, as the check did; behind a proxy a failure here is inconclusive too.
param(
	[Parameter(Mandatory = $true)] [string] $ComputerName,
	[Parameter(Mandatory = $true)] [int] $Port
)

Test-NetConnection -ComputerName $ComputerName -Port $Port | Select-Object ComputerName, RemotePort, TcpTestSucceeded
