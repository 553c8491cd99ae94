# Fix "inspect-kerberos-encryption-types" (its title, effect and sources: checks/eventlog.json). Windows PowerShell 5.1 and PowerShell 7.
param()

Get-ItemProperty -Path 'HKLM:\Software\Microsoft\Windows\CurrentVersion\Policies\System\Kerberos\Parameters' -Name SupportedEncryptionTypes -ErrorAction SilentlyContinue | Select-Object SupportedEncryptionTypes
