# Fix "inspect-ntlm" (its title, effect and sources: checks/server.json). Windows PowerShell 5.1 and PowerShell 7.
param()

# RestrictSendingNTLMTraffic: 0 Allow all, 1 Audit all, 2 Deny all; absent = Not defined (Allow all).
Get-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Control\Lsa\MSV1_0' -Name RestrictSendingNTLMTraffic -ErrorAction SilentlyContinue |
	Select-Object RestrictSendingNTLMTraffic
# The agent's version is the product version of its executable (1.1.1365.0 fixed the wrong-credentials error under Deny all).
$agent = Join-Path $env:ProgramFiles 'Microsoft Azure AD Connect Provisioning Agent\AADConnectProvisioningAgent.exe'
if (Test-Path -LiteralPath $agent) { (Get-Item -LiteralPath $agent).VersionInfo.ProductVersion }
