# The catalogue (src/catalogue, or catalogue/ beside this folder in a build): the checks to run, their time budgets and
# rules, the messages the log and event checks look for, and the agent's own facts. The probes read it here, so no
# check, failure id, message or rule is written a second time in PowerShell. Windows PowerShell 5.1 syntax only.

function Get-PadCatalogueRoot {
	# dist/powershell/catalogue in a build (the folder is self-contained), src/catalogue beside src/powershell in the
	# repository.
	$powershellRoot = Split-Path -Parent $PSScriptRoot
	foreach ($candidate in @((Join-Path $powershellRoot 'catalogue'), (Join-Path (Split-Path -Parent $powershellRoot) 'catalogue'))) {
		if (Test-Path -LiteralPath (Join-Path $candidate 'messages.json') -PathType Leaf) { return $candidate }
	}
	throw ('The catalogue folder was not found beside ' + $powershellRoot + '. Copy the whole folder the script came with (it holds a "catalogue" folder).')
}

function Read-PadCatalogueText {
	<#
	.SYNOPSIS
	The text of every catalogue file, read once: Root, Categories (the text of each checks/*.json), Messages, Agent,
	Endpoints. The entry script hands this text, not parsed objects, to the check runspaces: objects made by
	ConvertFrom-Json are not safe to read from several threads at once (their member tables are filled lazily), so each
	runspace parses its own copy.
	#>
	param([string] $Root = (Get-PadCatalogueRoot))
	$categories = New-Object System.Collections.Generic.List[string]
	foreach ($file in @(Get-ChildItem -LiteralPath (Join-Path $Root 'checks') -Filter '*.json' -File)) {
		$categories.Add([System.IO.File]::ReadAllText($file.FullName))
	}
	@{
		Id         = [guid]::NewGuid().ToString('n')
		Root       = $Root
		Categories = [string[]]$categories.ToArray()
		Messages   = [System.IO.File]::ReadAllText((Join-Path $Root 'messages.json'))
		Agent      = [System.IO.File]::ReadAllText((Join-Path $Root 'agent.json'))
		Endpoints  = [System.IO.File]::ReadAllText((Join-Path $Root 'endpoints.json'))
	}
}

function ConvertFrom-PadCatalogueText {
	<#
	.SYNOPSIS
	The catalogue from its text: Checks (in tree order, each with Id, Probe, NetworkTimeoutPlusSeconds, Rules,
	Severities), Messages, Agent, Endpoints, Root and the Id of the read. Every file has a top-level object (Windows
	PowerShell 5.1 writes a top-level array as one object).
	#>
	param([Parameter(Mandatory = $true)] [hashtable] $Text)
	$categories = New-Object System.Collections.Generic.List[object]
	foreach ($json in $Text['Categories']) {
		$category = ConvertFrom-Json -InputObject $json
		$categories.Add($category)
	}
	$checks = New-Object System.Collections.Generic.List[object]
	foreach ($category in @($categories | Sort-Object -Property @{ Expression = { [int]$_.category.order } })) {
		foreach ($check in @($category.checks)) {
			$probe = $null
			$extra = $null
			if ($null -ne $check.probe) {
				$probe = [string]$check.probe.function
				$budget = $check.probe.PSObject.Properties['budget']
				if ($null -ne $budget) { $extra = [int]$budget.Value.networkTimeoutPlusSeconds }
			}
			$rules = $null
			if ($check.PSObject.Properties['rules']) { $rules = $check.rules }
			$severities = @{}
			foreach ($failure in @($check.failures)) { $severities[[string]$failure.id] = [string]$failure.severity }
			$checks.Add([pscustomobject]@{
					Id                        = [string]$check.id
					Probe                     = $probe
					NetworkTimeoutPlusSeconds = $extra
					Rules                     = $rules
					Severities                = $severities
				})
		}
	}
	$messages = ConvertFrom-Json -InputObject $Text['Messages']
	$agent = ConvertFrom-Json -InputObject $Text['Agent']
	$endpoints = ConvertFrom-Json -InputObject $Text['Endpoints']
	[pscustomobject]@{
		Id        = [string]$Text['Id']
		Root      = [string]$Text['Root']
		Checks    = $checks.ToArray()
		Messages  = @($messages.messages)
		Agent     = $agent
		Endpoints = $endpoints
	}
}

function Read-PadCatalogue {
	# Reads and parses the catalogue in one go (for this session's own use).
	param([string] $Root = (Get-PadCatalogueRoot))
	ConvertFrom-PadCatalogueText -Text (Read-PadCatalogueText -Root $Root)
}

function Get-PadCatalogue {
	# The catalogue of this run: the one this runspace parsed from the entry script's text (Use-PadCatalogueText), else
	# read once here.
	if ($null -eq $script:PadCatalogue) { $script:PadCatalogue = Read-PadCatalogue }
	$script:PadCatalogue
}

function Set-PadCatalogue {
	param($Catalogue)
	$script:PadCatalogue = $Catalogue
}

function Use-PadCatalogueText {
	# Parses the run's catalogue text in this runspace, once per run (a pooled runspace serves several checks).
	param([Parameter(Mandatory = $true)] [hashtable] $Text)
	if ($null -ne $script:PadCatalogue -and $script:PadCatalogue.Id -eq [string]$Text['Id']) { return }
	$script:PadCatalogue = ConvertFrom-PadCatalogueText -Text $Text
}

function Get-PadCheckRules {
	# The "rules" of one check (thresholds and tables with their sources), $null when it has none.
	param([Parameter(Mandatory = $true)] [string] $CheckId)
	foreach ($check in @((Get-PadCatalogue).Checks)) { if ($check.Id -eq $CheckId) { return $check.Rules } }
	throw ('The catalogue has no check ' + $CheckId + '.')
}

function Get-PadWorstSeverity {
	# The status a set of failures gives: fail before unknown before warning (the same order the tree ranks them).
	param([Parameter(Mandatory = $true)] [string] $CheckId, [string[]] $FailureIds = @())
	$severities = $null
	foreach ($check in @((Get-PadCatalogue).Checks)) { if ($check.Id -eq $CheckId) { $severities = $check.Severities } }
	if ($null -eq $severities) { throw ('The catalogue has no check ' + $CheckId + '.') }
	$rank = @{ 'warning' = 1; 'unknown' = 2; 'fail' = 3 }
	$worst = $null
	foreach ($id in @($FailureIds)) {
		if (-not $severities.ContainsKey($id)) { throw ('The check ' + $CheckId + ' has no failure ' + $id + ' in the catalogue.') }
		$severity = $severities[$id]
		if ($null -eq $worst -or $rank[$severity] -gt $rank[$worst]) { $worst = $severity }
	}
	$worst
}
