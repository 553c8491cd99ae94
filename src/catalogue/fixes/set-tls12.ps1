# Fix "set-tls12" (its title, effect and sources: checks/server.json). Windows PowerShell 5.1 and PowerShell 7.
param()

$base = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\TLS 1.2'
foreach ($key in @($base, "$base\Client", "$base\Server")) {
	if (-not (Test-Path -Path $key)) { New-Item -Path $key -Force | Out-Null }
}
foreach ($side in @('Client', 'Server')) {
	New-ItemProperty -Path "$base\$side" -Name 'DisabledByDefault' -Value 0 -PropertyType DWord -Force | Out-Null
	New-ItemProperty -Path "$base\$side" -Name 'Enabled' -Value 1 -PropertyType DWord -Force | Out-Null
}
$net = 'HKLM:\SOFTWARE\Microsoft\.NETFramework\v4.0.30319'
if (-not (Test-Path -Path $net)) { New-Item -Path $net -Force | Out-Null }
New-ItemProperty -Path $net -Name 'SchUseStrongCrypto' -Value 1 -PropertyType DWord -Force | Out-Null
Write-Output 'TLS 1.2 values set. Restart the server for them to take effect.'
