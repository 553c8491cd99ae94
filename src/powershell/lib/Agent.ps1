# The provisioning agent's own facts (catalogue agent.json) and its Windows service. Windows PowerShell 5.1 syntax only.

function Get-PadAgentFacts {
	(Get-PadCatalogue).Agent
}

function Get-PadAgentServiceName {
	[string](Get-PadAgentFacts).service.name
}

function Get-PadAgentDisplayNames {
	# Used only to recognise texts that name the service; the service itself is always matched by name.
	[string[]]@((Get-PadAgentFacts).service.displayNames)
}

function Expand-PadWindowsFolder {
	# Replaces %ProgramFiles%, %ProgramData%, %TEMP% and %SystemRoot% in a catalogue path with this computer's folders.
	param([Parameter(Mandatory = $true)] [string] $Path)
	$expanded = $Path
	foreach ($name in 'ProgramFiles', 'ProgramData', 'TEMP', 'SystemRoot') {
		$value = [System.Environment]::GetEnvironmentVariable($name)
		if ($value) { $expanded = $expanded.Replace('%' + $name + '%', $value) }
	}
	$expanded
}

function Get-PadAgentPath {
	# installFolder, traceFolder, agentExecutable or configFile as a full path on this computer.
	param([Parameter(Mandatory = $true)] [ValidateSet('installFolder', 'traceFolder', 'agentExecutable', 'configFile')] [string] $Name)
	$files = (Get-PadAgentFacts).files
	$folder = Expand-PadWindowsFolder ([string]$files.installFolder)
	if ($Name -eq 'installFolder') { return $folder }
	if ($Name -eq 'traceFolder') { return (Expand-PadWindowsFolder ([string]$files.traceFolder)) }
	Join-Path $folder ([string]$files.$Name)
}

function Get-PadAgentService {
	# The Win32_Service instance of the agent, matched by Name, or $null when the service is not installed.
	$rows = @(Get-CimInstance -ClassName Win32_Service -Filter ("Name='" + (Get-PadAgentServiceName) + "'") -ErrorAction Stop)
	if ($rows.Count -eq 0) { return $null }
	$rows[0]
}
