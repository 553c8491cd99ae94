# Fix "inspect-tls12" (its title, effect and sources: checks/server.json). Windows PowerShell 5.1 and PowerShell 7.
param()

$base = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2'
foreach ($side in @('Client', 'Server')) {
	Get-ItemProperty -Path "$base\$side" -ErrorAction SilentlyContinue | Select-Object PSChildName, DisabledByDefault, Enabled
}
Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\.NETFramework\v4.0.30319' -ErrorAction SilentlyContinue | Select-Object SchUseStrongCrypto
