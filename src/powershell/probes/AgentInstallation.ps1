# The installed agent as a whole: its Agent Updater service, its version against the known issues of later releases,
# and leftovers of an earlier installation. Windows PowerShell 5.1 syntax only. Read-only.

function Find-PadAgentUpdaterService {
	<#
	.SYNOPSIS
	The Agent Updater's Win32_Service row, or $null. Microsoft does not document its service name (agent.json updater),
	so it is recognised by its executable in PathName first, then by one of its display names, then by the display-name
	pattern. Returns the row and how it was matched.
	#>
	$updater = (Get-PadAgentFacts).updater
	$executable = [string]$updater.executable
	$displayNames = @($updater.displayNames | ForEach-Object { [string]$_ })
	$pattern = [string]$updater.displayNamePattern
	$best = $null
	$bestRank = 0
	foreach ($row in @(Get-CimInstance -ClassName Win32_Service -ErrorAction Stop)) {
		$path = [string](Get-PadPropertyValue $row 'PathName')
		$display = [string](Get-PadPropertyValue $row 'DisplayName')
		$rank = 0
		$how = $null
		if ($executable -and $path.IndexOf($executable, [System.StringComparison]::OrdinalIgnoreCase) -ge 0) { $rank = 3; $how = 'executable' }
		elseif ($display -and ($displayNames -contains $display)) { $rank = 2; $how = 'display name' }
		elseif ($display -and $pattern -and $display -like $pattern) { $rank = 1; $how = 'display name pattern' }
		if ($rank -gt $bestRank) {
			$bestRank = $rank
			$best = [pscustomobject]@{ Service = $row; MatchedBy = $how }
		}
	}
	$best
}

function Test-PadAgentUpdater {
	# [TSG] "Under Services, make sure Microsoft Entra Connect Agent Updater and Microsoft Entra Provisioning Agent are
	# there. Also confirm that their status is Running." (P27). Both findings are warnings: the page gives no failure that
	# a missing updater causes, and [FAQ] says the agents are auto upgraded by Microsoft. Not installed -> notApplicable.
	param([hashtable] $Context)
	$evidence = [ordered]@{
		agentInstalled     = $false
		updaterName        = $null
		updaterDisplayName = $null
		updaterState       = $null
		updaterStartMode   = $null
		updaterPathName    = $null
		matchedBy          = $null
	}
	if ($null -eq (Get-PadAgentService)) { return New-PadResult -Status notApplicable -Evidence $evidence }
	$evidence.agentInstalled = $true
	$found = Find-PadAgentUpdaterService
	$failures = New-Object System.Collections.Generic.List[string]
	if ($null -eq $found) { $failures.Add('updater-missing') }
	else {
		$evidence.updaterName = [string](Get-PadPropertyValue $found.Service 'Name')
		$evidence.updaterDisplayName = [string](Get-PadPropertyValue $found.Service 'DisplayName')
		$evidence.updaterState = [string](Get-PadPropertyValue $found.Service 'State')
		$evidence.updaterStartMode = [string](Get-PadPropertyValue $found.Service 'StartMode')
		$evidence.updaterPathName = [string](Get-PadPropertyValue $found.Service 'PathName')
		$evidence.matchedBy = $found.MatchedBy
		if ($evidence.updaterState -ne 'Running') { $failures.Add('updater-stopped') }
	}
	if ($failures.Count -eq 0) { return New-PadResult -Status pass -Evidence $evidence }
	$ids = $failures.ToArray()
	New-PadResult -Status (Get-PadWorstSeverity -CheckId 'service.updater' -FailureIds $ids) -FailureIds $ids -Evidence $evidence
}

function Get-PadKnownReleases {
	# The releases of agent.json "versions" as objects with a [version], oldest first.
	$list = New-Object System.Collections.Generic.List[object]
	foreach ($entry in @((Get-PadAgentFacts).versions)) {
		$version = ConvertTo-PadVersion ([string]$entry.version)
		if ($null -eq $version) { continue }
		$note = $null
		if ($entry.PSObject.Properties['note']) { $note = [string]$entry.note }
		$list.Add([pscustomobject]@{
				Version  = $version
				Released = [string]$entry.released
				Changes  = [string[]]@($entry.changes | ForEach-Object { [string]$_ })
				Note     = $note
			})
	}
	@($list.ToArray() | Sort-Object -Property Version)
}

function Test-PadAgentVersion {
	# [INS]: the version is the "Product version" of AADConnectProvisioningAgent.exe (Get-PadFileVersion). [VH-live]:
	# "Customers must take the latest update to remain supported"; every release newer than the installed one that the
	# catalogue's table lists (agent.json versions, facts section 8) fixed something that matters for installing,
	# starting or running the agent, so all of them are listed, and the newest is recommended. Versions are compared as
	# [version]. Not installed -> notApplicable.
	param([hashtable] $Context)
	$evidence = [ordered]@{
		agentInstalled     = $false
		exePath            = (Get-PadAgentPath -Name agentExecutable)
		productVersion     = $null
		installedVersion   = $null
		newestKnownVersion = $null
		newerVersions      = @()
		newerReleases      = @()
	}
	if ($null -eq (Get-PadAgentService)) { return New-PadResult -Status notApplicable -Evidence $evidence }
	$evidence.agentInstalled = $true
	$releases = Get-PadKnownReleases
	if ($releases.Count -gt 0) { $evidence.newestKnownVersion = $releases[$releases.Count - 1].Version.ToString() }
	$product = Get-PadFileVersion -Path $evidence.exePath
	$evidence.productVersion = $product
	$installed = ConvertTo-PadVersion $product
	if ($null -eq $installed) {
		$reason = 'has no product version'
		if ($null -eq $product) { $reason = 'was not found or has no version resource' }
		return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage ('The agent service is installed, but ' + $evidence.exePath + ' ' + $reason + '.')
	}
	$evidence.installedVersion = $installed.ToString()
	$newerVersions = New-Object System.Collections.Generic.List[string]
	$newerReleases = New-Object System.Collections.Generic.List[object]
	foreach ($release in $releases) {
		if ($release.Version -le $installed) { continue }
		$newerVersions.Add($release.Version.ToString())
		$newerReleases.Add([ordered]@{
				version  = $release.Version.ToString()
				released = $release.Released
				changes  = ($release.Changes -join ' / ')
				note     = $release.Note
			})
	}
	$evidence.newerVersions = $newerVersions.ToArray()
	$evidence.newerReleases = $newerReleases.ToArray()
	if ($newerVersions.Count -eq 0) { return New-PadResult -Status pass -Evidence $evidence }
	New-PadResult -Status (Get-PadWorstSeverity -CheckId 'service.agent-version' -FailureIds 'agent-version-known-issues') -FailureIds 'agent-version-known-issues' -Evidence $evidence
}

function Get-PadUninstallRole {
	# Which part of the agent an Add or Remove Programs name belongs to ([UPG]: the Agent Updater, the Provisioning Agent,
	# the Provisioning Agent Package), read from the catalogue's names themselves.
	param([string] $DisplayName)
	if ($DisplayName -like '*Updater*') { return 'updater' }
	if ($DisplayName -like '*Package*') { return 'package' }
	'agent'
}

function Test-PadPreviousInstall {
	# P33: [WD] "Ensure that previous versions of the agent are uninstalled before installing the new agent" (E02 "is also
	# seen if you have a previous version of the agent running"); [VH] 1.1.972.0 "Cloud sync agent is now uninstalled, when
	# the bundle is uninstalled" (older bundles left the agent behind). Leftovers: the service registered without its
	# executable, or the executable or uninstall entries without the service -> fail; more than one version of the agent
	# (or of its package) in Add or Remove Programs -> warning. Nothing of the agent at all -> notApplicable.
	# Which registry view holds the entries and whether DisplayVersion equals the file version are not documented
	# (facts section 8), so both views are read and versions are only compared with each other.
	param([hashtable] $Context)
	$facts = Get-PadAgentFacts
	$evidence = [ordered]@{
		serviceInstalled         = $false
		servicePathName          = $null
		exePath                  = (Get-PadAgentPath -Name agentExecutable)
		exePresent               = $false
		exeVersion               = $null
		uninstallEntries         = @()
		entryNames               = @()
		agentVersions            = @()
		packageVersions          = @()
		serviceWithoutExecutable = $false
		leftoversWithoutService  = $false
	}
	$service = Get-PadAgentService
	if ($null -ne $service) {
		$evidence.serviceInstalled = $true
		$evidence.servicePathName = [string](Get-PadPropertyValue $service 'PathName')
	}
	$evidence.exeVersion = Get-PadFileVersion -Path $evidence.exePath
	$evidence.exePresent = ($null -ne $evidence.exeVersion) -or (Test-Path -LiteralPath $evidence.exePath -PathType Leaf)

	$names = @($facts.uninstallNames | ForEach-Object { [string]$_ })
	$entries = New-Object System.Collections.Generic.List[object]
	$entryNames = New-Object System.Collections.Generic.List[string]
	$byRole = @{ agent = (New-Object System.Collections.Generic.List[string]); package = (New-Object System.Collections.Generic.List[string]) }
	foreach ($entry in @(Get-PadUninstallEntries)) {
		$displayName = [string](Get-PadPropertyValue $entry 'DisplayName')
		if (-not $displayName -or -not ($names -contains $displayName.Trim())) { continue }
		$displayVersion = [string](Get-PadPropertyValue $entry 'DisplayVersion')
		$entries.Add([ordered]@{
				displayName    = $displayName
				displayVersion = $displayVersion
				view           = [string](Get-PadPropertyValue $entry 'View')
				keyName        = [string](Get-PadPropertyValue $entry 'PSChildName')
			})
		if (-not $entryNames.Contains($displayName)) { $entryNames.Add($displayName) }
		$role = Get-PadUninstallRole $displayName
		if ($byRole.ContainsKey($role)) {
			# The same product seen twice (name and version equal) is one installation, not two versions.
			$key = ($displayName + ' ' + $displayVersion).Trim()
			if (-not $byRole[$role].Contains($key)) { $byRole[$role].Add($key) }
		}
	}
	$evidence.uninstallEntries = $entries.ToArray()
	$evidence.entryNames = $entryNames.ToArray()
	$evidence.agentVersions = $byRole['agent'].ToArray()
	$evidence.packageVersions = $byRole['package'].ToArray()

	if (-not $evidence.serviceInstalled -and -not $evidence.exePresent -and $entries.Count -eq 0) {
		return New-PadResult -Status notApplicable -Evidence $evidence
	}
	$failures = New-Object System.Collections.Generic.List[string]
	$evidence.serviceWithoutExecutable = $evidence.serviceInstalled -and -not $evidence.exePresent
	$evidence.leftoversWithoutService = (-not $evidence.serviceInstalled) -and ($evidence.exePresent -or $entries.Count -gt 0)
	if ($evidence.serviceWithoutExecutable -or $evidence.leftoversWithoutService) { $failures.Add('previous-install-incomplete') }
	if ($byRole['agent'].Count -gt 1 -or $byRole['package'].Count -gt 1) { $failures.Add('previous-install-several') }
	if ($failures.Count -eq 0) { return New-PadResult -Status pass -Evidence $evidence }
	$ids = $failures.ToArray()
	New-PadResult -Status (Get-PadWorstSeverity -CheckId 'installer.previous-install' -FailureIds $ids) -FailureIds $ids -Evidence $evidence
}
