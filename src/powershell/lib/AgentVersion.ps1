# The version of the installed provisioning agent. Windows PowerShell 5.1 syntax only.

function ConvertTo-PadVersion {
	# The leading dotted number of a version text ('1.1.2505.0', '1.1.2505.0 built ...') as [version]; $null when
	# there is none. Versions are compared as [version], never as strings ('1.1.972.0' is older than '1.1.1365.0').
	param($Text)
	if ($null -eq $Text) { return $null }
	if ([string]$Text -match '^\s*(\d+(\.\d+){1,3})') { return [version]$Matches[1] }
	$null
}

function Get-PadInstalledAgentVersion {
	# how-to-install: the agent's version is the "Product version" of AADConnectProvisioningAgent.exe in its install
	# folder. $null when the agent is not installed (or the file carries no version).
	ConvertTo-PadVersion (Get-PadFileVersion -Path (Get-PadAgentPath -Name agentExecutable))
}
