# Fix "test-domain-controller-ports" (its title, effect and sources: checks/domain.json). Windows PowerShell 5.1 and PowerShell 7.
param(
	[Parameter(Mandatory = $true)] [string] $DomainController,
	[string] $GlobalCatalog
)

if (-not $GlobalCatalog) { $GlobalCatalog = $DomainController }
Test-NetConnection -ComputerName $DomainController -Port 389 | Select-Object ComputerName, RemotePort, TcpTestSucceeded
Test-NetConnection -ComputerName $GlobalCatalog -Port 3268 | Select-Object ComputerName, RemotePort, TcpTestSucceeded
