# Network: outbound connectivity of the provisioning agent and its proxy settings. Read-only.
# Windows PowerShell 5.1 syntax only (no ??, ?., ternary, && / ||); ASCII only.

function Get-PadProxySetting {
	<#
	.SYNOPSIS
	The proxy the agent is configured with (its .exe.config) and the machine's WinHTTP proxy (netsh winhttp show proxy).
	Shared by network.endpoints and network.proxy. Never throws: what cannot be read is reported in the result.
	.OUTPUTS
	AgentConfig: 'not installed' | 'present' | 'unreadable'; AgentConfigError; AgentDefaultProxy (a defaultProxy element
	that is not enabled="false"); AgentProxy (proxyaddress or $null); AgentUseSystemDefault (usesystemdefault or $null);
	WinHttp: 'direct' | 'proxy' | 'unrecognized' | 'unreadable'; WinHttpProxy (the proxy server or $null);
	ProxyConfigured (the agent config or WinHTTP names a proxy).
	#>
	# how-to-troubleshoot ("Agent times out or certificate isn't valid"): the proxy goes into
	# C:\Program Files\Microsoft Azure AD Connect Provisioning Agent\AADConnectProvisioningAgent.exe.config as
	# <system.net><defaultProxy enabled="true" useDefaultCredentials="true"><proxy usesystemdefault="true"
	# proxyaddress="http://[proxy-server]:[proxy-port]" bypassonlocal="true" /></defaultProxy></system.net>.
	$setting = [ordered]@{
		AgentConfig           = 'not installed'
		AgentConfigError      = $null
		AgentDefaultProxy     = $false
		AgentProxy            = $null
		AgentUseSystemDefault = $null
		WinHttp               = 'unreadable'
		WinHttpProxy          = $null
		ProxyConfigured       = $false
	}
	$folder = Join-Path ([string]$env:ProgramFiles) 'Microsoft Azure AD Connect Provisioning Agent'
	$configPath = Join-Path $folder 'AADConnectProvisioningAgent.exe.config'
	if (Test-Path -LiteralPath $configPath -PathType Leaf) {
		try {
			$xml = New-Object System.Xml.XmlDocument
			$xml.XmlResolver = $null
			$xml.Load($configPath)
			$setting.AgentConfig = 'present'
			$node = $xml.SelectSingleNode('/configuration/system.net/defaultProxy')
			if ($null -ne $node -and [string]$node.GetAttribute('enabled') -ne 'false') {
				$setting.AgentDefaultProxy = $true
				$proxy = $node.SelectSingleNode('proxy')
				if ($null -ne $proxy) {
					$address = [string]$proxy.GetAttribute('proxyaddress')
					if ($address) { $setting.AgentProxy = $address }
					$systemDefault = [string]$proxy.GetAttribute('usesystemdefault')
					if ($systemDefault) { $setting.AgentUseSystemDefault = ($systemDefault -eq 'true') }
				}
			}
		}
		catch {
			$setting.AgentConfig = 'unreadable'
			$setting.AgentConfigError = $_.Exception.Message
		}
	}

	# Real output: "Current WinHTTP proxy settings:" then "Direct access (no proxy server)." or
	# "Proxy Server(s) :  host:port" and "Bypass List :  ...". Other display languages are 'unrecognized'.
	try {
		$lines = @(& netsh winhttp show proxy)
		$text = ($lines | ForEach-Object { [string]$_ }) -join "`n"
		if ($text -match '(?m)^\s*Proxy Server\(s\)\s*:\s*(\S.*?)\s*$') {
			$setting.WinHttp = 'proxy'
			$setting.WinHttpProxy = $Matches[1]
		}
		elseif ($text -match 'Direct access') { $setting.WinHttp = 'direct' }
		else { $setting.WinHttp = 'unrecognized' }
	}
	catch { $setting.WinHttp = 'unreadable' }

	$setting.ProxyConfigured = ($setting.AgentDefaultProxy -or $setting.WinHttp -eq 'proxy')
	[pscustomobject]$setting
}

function Get-PadEndpointList {
	# The documented endpoints of one cloud (catalogue endpoints.json) whose purpose is one of Purpose.
	param([Parameter(Mandatory = $true)] [string] $Cloud, [Parameter(Mandatory = $true)] [string[]] $Purpose)
	$clouds = (Get-PadCatalogue).Endpoints.clouds
	$list = $clouds.PSObject.Properties[$Cloud]
	if ($null -eq $list) { throw ('The catalogue has no endpoints for the cloud ' + $Cloud + '.') }
	[pscustomobject]@{
		Targets   = @($list.Value.targets | Where-Object { $Purpose -contains [string]$_.purpose })
		Wildcards = @($list.Value.wildcards)
	}
}

function Test-PadEndpoints {
	# how-to-prerequisites: outbound 80 (CRLs) and 443 (all communication with the service), and the URL lists per
	# cloud (see endpoints.json). All targets are connected at once, with one overall timeout. A direct TCP connect
	# ignores a proxy, so where a proxy is configured a failed connect is only a warning.
	param([hashtable] $Context)
	$cloud = 'public'
	if ($Context -and $Context['Cloud']) { $cloud = [string]$Context['Cloud'] }
	$timeoutSeconds = 10
	if ($Context -and $Context['NetworkTimeoutSeconds']) { $timeoutSeconds = [int]$Context['NetworkTimeoutSeconds'] }
	$list = Get-PadEndpointList -Cloud $cloud -Purpose 'service', 'registration', 'certificates'
	$targets = New-Object System.Collections.Generic.List[object]
	foreach ($t in @($list.Targets)) { $targets.Add([pscustomobject]@{ Host = [string]$t.host; Port = [int]$t.port }) }

	$results = @(Invoke-PadTcpProbe -Targets $targets.ToArray() -TimeoutMs ($timeoutSeconds * 1000))
	$endpoints = New-Object System.Collections.Generic.List[object]
	$reachable = 0
	foreach ($r in $results) {
		$endpoints.Add([ordered]@{ host = [string]$r.Host; port = [int]$r.Port; status = [string]$r.Status })
		if ([string]$r.Status -eq 'open') { $reachable++ }
	}
	$proxy = Get-PadProxySetting
	$wildcards = New-Object System.Collections.Generic.List[string]
	foreach ($w in @($list.Wildcards)) { if ($w) { $wildcards.Add([string]$w) } }
	$evidence = [ordered]@{
		cloud           = $cloud
		reachable       = $reachable
		total           = $endpoints.Count
		endpoints       = $endpoints.ToArray()
		wildcards       = $wildcards.ToArray()
		proxyConfigured = [bool]$proxy.ProxyConfigured
	}
	if ($endpoints.Count -gt 0 -and $reachable -eq $endpoints.Count) { return New-PadResult -Status pass -Evidence $evidence }
	if ($proxy.ProxyConfigured) { return New-PadResult -Status warning -FailureIds 'endpoint-unreachable-proxy' -Evidence $evidence }
	New-PadResult -Status fail -FailureIds 'endpoint-unreachable' -Evidence $evidence
}

function Test-PadProxy {
	# how-to-troubleshoot ("Agent times out or certificate isn't valid"): when the server reaches the internet through a
	# proxy, the agent needs it in AADConnectProvisioningAgent.exe.config (system.net/defaultProxy). A WinHTTP proxy
	# with no defaultProxy in the agent config is a warning. Agent not installed yet: nothing to compare, pass.
	param([hashtable] $Context)
	$proxy = Get-PadProxySetting
	$evidence = [ordered]@{
		agentConfig           = $proxy.AgentConfig
		agentDefaultProxy     = [bool]$proxy.AgentDefaultProxy
		agentProxy            = $proxy.AgentProxy
		agentUseSystemDefault = $proxy.AgentUseSystemDefault
		winhttp               = $proxy.WinHttp
		winhttpProxy          = $proxy.WinHttpProxy
	}
	if ($proxy.AgentConfig -eq 'unreadable') {
		return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage ('The agent configuration file could not be read: ' + $proxy.AgentConfigError)
	}
	if ($proxy.AgentConfig -eq 'present' -and -not $proxy.AgentDefaultProxy) {
		if ($proxy.WinHttp -eq 'proxy') { return New-PadResult -Status warning -FailureIds 'agent-proxy-not-configured' -Evidence $evidence }
		if ($proxy.WinHttp -eq 'unreadable') { return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage 'The WinHTTP proxy setting could not be read (netsh winhttp show proxy).' }
		if ($proxy.WinHttp -eq 'unrecognized') { return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage 'The output of netsh winhttp show proxy was not recognised (another display language?): compare it with the agent configuration by hand.' }
	}
	New-PadResult -Status pass -Evidence $evidence
}
