# Doubles for the server, domain and network checks: Get-ExecutionPolicy, Get-PadComputerDomain (alias) and netsh.
# Scenario keys used: executionPolicy, domain, domainError, winhttpProxy, hang.
# (CIM classes, registry values and TCP connects of these checks are answered by Core.ps1.)

function Get-ExecutionPolicy {
	# "executionPolicy": { "MachinePolicy": "Undefined", "UserPolicy": "Undefined", "Process": "Undefined",
	#   "CurrentUser": "Undefined", "LocalMachine": "RemoteSigned", "effective": "RemoteSigned" (optional) }
	# Returns the real enum types, as the cmdlet does, so probes must turn them into strings themselves.
	[CmdletBinding()]
	param(
		[Parameter(Position = 0)] [Microsoft.PowerShell.ExecutionPolicyScope] $Scope,
		[switch] $List
	)
	Invoke-FakeHostHang -Command 'Get-ExecutionPolicy'
	$policies = Get-FakeHostValue -Path 'executionPolicy' -Default @{}
	$order = 'MachinePolicy', 'UserPolicy', 'Process', 'CurrentUser', 'LocalMachine'
	$values = [ordered]@{}
	foreach ($s in $order) {
		$v = 'Undefined'
		if ($policies.Contains($s) -and $policies[$s]) { $v = [string]$policies[$s] }
		$values[$s] = [Microsoft.PowerShell.ExecutionPolicy]$v
	}
	if ($List) {
		foreach ($s in $order) {
			[pscustomobject]@{ Scope = [Microsoft.PowerShell.ExecutionPolicyScope]$s; ExecutionPolicy = $values[$s] }
		}
		return
	}
	if ($PSBoundParameters.ContainsKey('Scope')) { return $values[[string]$Scope] }
	if ($policies.Contains('effective') -and $policies['effective']) { return [Microsoft.PowerShell.ExecutionPolicy][string]$policies['effective'] }
	# The first defined scope in precedence order wins; with none defined Windows Server uses RemoteSigned.
	foreach ($s in $order) { if ($values[$s] -ne [Microsoft.PowerShell.ExecutionPolicy]::Undefined) { return $values[$s] } }
	[Microsoft.PowerShell.ExecutionPolicy]::RemoteSigned
}

function Get-FakePadComputerDomain {
	# "domain": { "name", "domainModeLevel", "forestName", "forestModeLevel", "domainControllers": [ { "name", "osVersion" } ] }
	# "domain": null throws what [DirectoryServices.ActiveDirectory.Domain]::GetComputerDomain() throws off a domain;
	# "domainError": "message" throws that message instead (e.g. no domain controller could be contacted).
	Invoke-FakeHostHang -Command 'Get-PadComputerDomain'
	$failure = Get-FakeHostValue -Path 'domainError'
	if ($failure) { throw [string]$failure }
	$domain = Get-FakeHostValue -Path 'domain'
	if ($null -eq $domain) { throw 'Current security context is not associated with an Active Directory domain or forest.' }
	$dcs = New-Object System.Collections.Generic.List[object]
	foreach ($dc in @($domain['domainControllers'])) {
		if ($null -eq $dc) { continue }
		$dcs.Add([pscustomobject]@{ Name = [string]$dc['name']; OSVersion = $dc['osVersion'] })
	}
	[pscustomobject]@{
		Name              = [string]$domain['name']
		DomainModeLevel   = [int]$domain['domainModeLevel']
		ForestName        = [string]$domain['forestName']
		ForestModeLevel   = [int]$domain['forestModeLevel']
		DomainControllers = $dcs.ToArray()
	}
}
Set-Alias -Name Get-PadComputerDomain -Value Get-FakePadComputerDomain

$script:FakeNetshDirect = "`r`nCurrent WinHTTP proxy settings:`r`n`r`n    Direct access (no proxy server).`r`n`r`n"

function netsh {
	# Only "netsh winhttp show proxy": answers with the text of "winhttpProxy" (the real command's output),
	# "Direct access (no proxy server)." when the scenario has none.
	Invoke-FakeHostHang -Command 'netsh'
	$command = ($args | ForEach-Object { [string]$_ }) -join ' '
	if ($command -ne 'winhttp show proxy') { throw "FakeWindowsHost: unsupported netsh command: $command" }
	$text = Get-FakeHostValue -Path 'winhttpProxy'
	if ($null -eq $text) { $text = $script:FakeNetshDirect }
	$global:LASTEXITCODE = 0
	foreach ($line in ([string]$text -split "`r?`n")) { $line }
}
