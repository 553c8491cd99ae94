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
	$configPath = Get-PadAgentPath -Name configFile
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
	# The catalogue object is shared by the probes running at the same time. Its members are read with plain member
	# access only: the PSObject.Properties indexer is not safe to use from several runspaces at once (seen failing as
	# "Cannot index into a null array" when both endpoint checks ran together).
	$clouds = (Get-PadCatalogue).Endpoints.clouds
	$list = $null
	try { $list = $clouds.$Cloud } catch { $list = $null }
	if ($null -eq $list) { throw ('The catalogue has no endpoints for the cloud ' + $Cloud + '.') }
	[pscustomobject]@{
		Targets   = @($list.targets | Where-Object { $Purpose -contains [string]$_.purpose })
		Wildcards = @($list.wildcards)
		NotProbed = @($list.notProbed)
	}
}

function Invoke-PadEndpointProbe {
	<#
	.SYNOPSIS
	Probes the documented endpoints of the selected cloud whose purpose is one of Purpose, all in ONE
	Invoke-PadTcpProbe call (concurrent, under the one network timeout), and builds the result of CheckId.
	.NOTES
	A direct TCP connect ignores a proxy, so where a proxy is configured a failed connect is only the warning
	ProxyFailureId; otherwise FailureId.
	#>
	param(
		[hashtable] $Context,
		[Parameter(Mandatory = $true)] [string[]] $Purpose,
		[Parameter(Mandatory = $true)] [string] $FailureId,
		[Parameter(Mandatory = $true)] [string] $ProxyFailureId,
		[switch] $WithWildcards
	)
	$cloud = 'public'
	if ($Context -and $Context['Cloud']) { $cloud = [string]$Context['Cloud'] }
	$timeoutSeconds = 10
	if ($Context -and $Context['NetworkTimeoutSeconds']) { $timeoutSeconds = [int]$Context['NetworkTimeoutSeconds'] }
	$list = Get-PadEndpointList -Cloud $cloud -Purpose $Purpose
	$targets = New-Object System.Collections.Generic.List[object]
	foreach ($t in @($list.Targets)) { $targets.Add([pscustomobject]@{ Host = [string]$t.host; Port = [int]$t.port }) }

	$results = @(Invoke-PadTcpProbe -Targets $targets.ToArray() -TimeoutMs ($timeoutSeconds * 1000))
	$endpoints = New-Object System.Collections.Generic.List[object]
	$unreachable = New-Object System.Collections.Generic.List[string]
	$first = $null
	foreach ($r in $results) {
		$endpoints.Add([ordered]@{ host = [string]$r.Host; port = [int]$r.Port; status = [string]$r.Status })
		if ([string]$r.Status -ne 'open') {
			$unreachable.Add(([string]$r.Host + ':' + [int]$r.Port + ' (' + [string]$r.Status + ')'))
			if ($null -eq $first) { $first = $r }
		}
	}
	$proxy = Get-PadProxySetting
	$evidence = [ordered]@{
		cloud           = $cloud
		reachable       = $endpoints.Count - $unreachable.Count
		total           = $endpoints.Count
		endpoints       = $endpoints.ToArray()
		unreachable     = $unreachable.ToArray()
		unreachableHost = $null
		unreachablePort = $null
	}
	if ($null -ne $first) {
		$evidence.unreachableHost = [string]$first.Host
		$evidence.unreachablePort = [int]$first.Port
	}
	if ($WithWildcards) {
		$wildcards = New-Object System.Collections.Generic.List[string]
		foreach ($w in @($list.Wildcards)) { if ($w) { $wildcards.Add([string]$w) } }
		$notProbed = New-Object System.Collections.Generic.List[string]
		foreach ($n in @($list.NotProbed)) { if ($null -ne $n) { $notProbed.Add([string]$n.host) } }
		$evidence['wildcards'] = $wildcards.ToArray()
		$evidence['notProbed'] = $notProbed.ToArray()
	}
	$evidence['proxyConfigured'] = [bool]$proxy.ProxyConfigured
	if ($endpoints.Count -gt 0 -and $unreachable.Count -eq 0) { return New-PadResult -Status pass -Evidence $evidence }
	if ($proxy.ProxyConfigured) { return New-PadResult -Status warning -FailureIds $ProxyFailureId -Evidence $evidence }
	New-PadResult -Status fail -FailureIds $FailureId -Evidence $evidence
}

function Test-PadEndpoints {
	# how-to-prerequisites: 443 "Handles all outbound communication with the service", and the URL lists per cloud
	# (endpoints.json, purposes service and registration). The wildcard hosts cannot be probed without the tenant's
	# host names: they are reported as evidence, and the pass text says so.
	param([hashtable] $Context)
	Invoke-PadEndpointProbe -Context $Context -Purpose 'service', 'registration' -FailureId 'endpoint-unreachable' -ProxyFailureId 'endpoint-unreachable-proxy' -WithWildcards
}

function Test-PadCertificateEndpoints {
	# how-to-prerequisites: 80 "Downloads the certificate revocation lists (CRLs) while validating the TLS/SSL
	# certificate", and the hosts "to verify certificates"; how-to-troubleshoot lists the CRL/OCSP hosts on 80 as well
	# (endpoints.json, purpose certificates). That a blocked host gives "Agent times out or certificate isn't valid" is
	# an inference the catalogue marks unverified.
	param([hashtable] $Context)
	Invoke-PadEndpointProbe -Context $Context -Purpose 'certificates' -FailureId 'certificate-endpoint-unreachable' -ProxyFailureId 'certificate-endpoint-unreachable-proxy'
}

function Get-PadConfigResetFixedVersion {
	# The release that stopped resetting AADConnectProvisioningAgent.exe.config on update: the version of agent.json's
	# table whose "affects" names proxy-config (1.1.1365.0, reference-version-history).
	foreach ($entry in @((Get-PadAgentFacts).versions)) {
		if (@($entry.affects) -contains 'proxy-config') { return (ConvertTo-PadVersion ([string]$entry.version)) }
	}
	$null
}

function Test-PadProxy {
	# how-to-troubleshoot ("Agent times out or certificate isn't valid"): when the server reaches the internet through a
	# proxy, the agent needs it in AADConnectProvisioningAgent.exe.config (system.net/defaultProxy). A WinHTTP proxy
	# with no defaultProxy in the agent config is a warning. The agent not installed (no service): not applicable.
	# Notes (catalogue): the proxy must support HTTP 1.1 and chunked encoding (how-to-prerequisites), and an agent
	# older than the version-history fix resets the file when it updates.
	param([hashtable] $Context)
	if ($null -eq (Get-PadAgentService)) { return New-PadResult -Status notApplicable -Evidence ([ordered]@{ agentInstalled = $false }) }
	$proxy = Get-PadProxySetting
	$evidence = [ordered]@{
		agentInstalled        = $true
		agentConfig           = $proxy.AgentConfig
		agentDefaultProxy     = [bool]$proxy.AgentDefaultProxy
		agentProxy            = $proxy.AgentProxy
		agentUseSystemDefault = $proxy.AgentUseSystemDefault
		winhttp               = $proxy.WinHttp
		winhttpProxy          = $proxy.WinHttpProxy
		proxyConfigured       = [bool]$proxy.ProxyConfigured
		agentVersion          = $null
		configResetFixedIn    = $null
		configResetOnUpdate   = $null
	}
	$version = Get-PadInstalledAgentVersion
	$fixedIn = Get-PadConfigResetFixedVersion
	if ($null -ne $fixedIn) { $evidence.configResetFixedIn = $fixedIn.ToString() }
	if ($null -ne $version) {
		$evidence.agentVersion = $version.ToString()
		if ($null -ne $fixedIn) { $evidence.configResetOnUpdate = ($version -lt $fixedIn) }
	}
	if ($proxy.AgentConfig -eq 'unreadable') {
		return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage ('The agent configuration file could not be read: ' + $proxy.AgentConfigError)
	}
	if ($proxy.AgentConfig -eq 'not installed') {
		return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage ('The agent service exists, but its configuration file was not found at ' + (Get-PadAgentPath -Name configFile) + '.')
	}
	if (-not $proxy.AgentDefaultProxy) {
		if ($proxy.WinHttp -eq 'proxy') { return New-PadResult -Status warning -FailureIds 'agent-proxy-not-configured' -Evidence $evidence }
		if ($proxy.WinHttp -eq 'unreadable') { return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage 'The WinHTTP proxy setting could not be read (netsh winhttp show proxy).' }
		if ($proxy.WinHttp -eq 'unrecognized') { return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage 'The output of netsh winhttp show proxy was not recognised (another display language?): compare it with the agent configuration by hand.' }
	}
	New-PadResult -Status pass -Evidence $evidence
}
