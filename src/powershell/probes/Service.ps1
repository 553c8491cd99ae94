# Service: the AADConnectProvisioningAgent Windows service, its logon account and its "Log on as a service" right.
# Windows PowerShell 5.1 syntax only. Read-only: secedit /export writes a temporary INF below $env:TEMP, deleted at once.

function Test-PadBuiltInServiceAccount {
	# LocalSystem, LocalService and NetworkService: accounts Windows itself runs services as; not checked for the right.
	param([string] $AccountName)
	if (-not $AccountName) { return $false }
	$builtIn = @('LocalSystem', '.\LocalSystem', 'NT AUTHORITY\SYSTEM', 'NT AUTHORITY\LocalService', 'NT AUTHORITY\LOCAL SERVICE',
		'NT AUTHORITY\NetworkService', 'NT AUTHORITY\NETWORK SERVICE')
	foreach ($name in $builtIn) { if ($AccountName -eq $name) { return $true } }
	$false
}

function Get-PadServiceAccountType {
	<#
	.SYNOPSIS
	The kind of account a service logs on as, from its name alone (Win32_Service.StartName):
	'built-in' (LocalSystem, LocalService, NetworkService), 'virtual account' (NT SERVICE\<name>, the account the installer
	sets temporarily, [SA-MSI]), 'gMSA' (a name ending in $, as DOMAIN\provAgentgMSA$ after the wizard, [PRQ]/[GMS]),
	'local user' (.\name or <this computer>\name), 'domain user' (any other DOMAIN\name or name@domain), or $null.
	A standalone managed service account also ends in $; it is reported as 'gMSA' too.
	#>
	param([string] $AccountName, [string] $ComputerName)
	if (-not $AccountName) { return $null }
	if (Test-PadBuiltInServiceAccount $AccountName) { return 'built-in' }
	if ($AccountName -like 'NT SERVICE\*') { return 'virtual account' }
	if ($AccountName.EndsWith('$')) { return 'gMSA' }
	if ($AccountName.Contains('\')) {
		$domainPart = $AccountName.Substring(0, $AccountName.IndexOf('\'))
		if ($domainPart -eq '.' -or ($ComputerName -and $domainPart -eq $ComputerName)) { return 'local user' }
		return 'domain user'
	}
	if ($AccountName.Contains('@')) { return 'domain user' }
	'local user'
}

function Get-PadElevationHint {
	# ' The session is not elevated: ...' when this session's token is filtered (UAC), else ''. Reading the security
	# database, the RSoP data and some event logs is refused to a filtered token, and the message must say so rather than
	# leave a bare "access denied".
	$elevated = $true
	try { $elevated = [bool](Get-PadCurrentIdentity).IsElevated } catch { $elevated = $true }
	if ($elevated) { return '' }
	' The session is not elevated: run the diagnosis elevated (Run as administrator).'
}

function Test-PadServiceState {
	# The agent must be running: [ERR] HybridIdentityServiceNoActiveAgents "check to see if Microsoft Entra Connect cloud
	# sync agent under Services is running"; [TSG] "Agent failed to start". A Disabled service cannot be started at all.
	# Not installed -> notApplicable (the installer creates it). The startup type is not documented (facts section 6:
	# Automatic only seen in screenshots), so only Disabled is a failure. The kind of logon account is evidence: it tells
	# where the installation stands (virtual account during installation, the gMSA after the wizard, a domain user after
	# the documented workaround).
	param([hashtable] $Context)
	$service = Get-PadAgentService
	$evidence = [ordered]@{
		installed   = $false
		state       = $null
		startMode   = $null
		startName   = $null
		accountType = $null
		displayName = $null
		pathName    = $null
	}
	if ($null -eq $service) { return New-PadResult -Status notApplicable -Evidence $evidence }
	$evidence.installed = $true
	$evidence.state = [string](Get-PadPropertyValue $service 'State')
	$evidence.startMode = [string](Get-PadPropertyValue $service 'StartMode')
	$evidence.startName = [string](Get-PadPropertyValue $service 'StartName')
	$evidence.accountType = Get-PadServiceAccountType -AccountName $evidence.startName -ComputerName $env:COMPUTERNAME
	$evidence.displayName = [string](Get-PadPropertyValue $service 'DisplayName')
	$evidence.pathName = [string](Get-PadPropertyValue $service 'PathName')
	$failures = New-Object System.Collections.Generic.List[string]
	if ($evidence.startMode -eq 'Disabled') { $failures.Add('service-disabled') }
	elseif ($evidence.state -ne 'Running') { $failures.Add('service-stopped') }
	if ($failures.Count -eq 0) { return New-PadResult -Status pass -Evidence $evidence }
	New-PadResult -Status (Get-PadWorstSeverity -CheckId 'service.state' -FailureIds $failures.ToArray()) -FailureIds $failures.ToArray() -Evidence $evidence
}

function ConvertFrom-PadSeceditInf {
	<#
	.SYNOPSIS
	The holders of one user right in the INF written by `secedit /export /areas USER_RIGHTS /cfg <file>`:
	    [Privilege Rights]
	    SeServiceLogonRight = *S-1-5-80-0,*S-1-5-20,CONTOSO\svc-name
	Entries are SIDs prefixed with '*' or, for accounts secedit could not translate, plain names. Returns the entries
	without the '*'; an empty array when the right is not listed (nobody holds it).
	#>
	param([AllowEmptyString()] [string] $Text, [Parameter(Mandatory = $true)] [string] $Right)
	$holders = New-Object System.Collections.Generic.List[string]
	if (-not $Text) { return , $holders.ToArray() }
	$section = ''
	foreach ($rawLine in ($Text -split "`r?`n")) {
		$line = $rawLine.Trim().TrimStart([char]0xFEFF).Trim()
		if ($line -match '^\[(.+)\]$') { $section = $Matches[1].Trim(); continue }
		if ($section -ne 'Privilege Rights') { continue }
		$equals = $line.IndexOf('=')
		if ($equals -lt 1) { continue }
		if ($line.Substring(0, $equals).Trim() -ne $Right) { continue }
		foreach ($entry in $line.Substring($equals + 1).Split(',')) {
			$holder = $entry.Trim().TrimStart('*').Trim()
			if ($holder) { $holders.Add($holder) }
		}
	}
	, $holders.ToArray()
}

function Test-PadRightHolder {
	# True when the account appears among the holders, by SID or by name (with or without its domain part). PowerShell's
	# -eq ignores case, so a SID or name written in another case still matches.
	param([string[]] $Holders, [string] $AccountName, [string] $AccountSid)
	$shortName = $null
	if ($AccountName -and $AccountName.Contains('\')) { $shortName = $AccountName.Substring($AccountName.IndexOf('\') + 1) }
	foreach ($holder in @($Holders)) {
		if (-not $holder) { continue }
		if ($AccountSid -and $holder -eq $AccountSid) { return $true }
		if ($AccountName -and $holder -eq $AccountName) { return $true }
		if ($shortName -and -not $holder.Contains('\') -and $holder -eq $shortName) { return $true }
	}
	$false
}

function Read-PadUserRights {
	# Runs `secedit /export /areas USER_RIGHTS` into a temporary INF and returns its text (ExitCode, Output, Text).
	# secedit is a native command: it does not throw, so the exit code and the output are checked. The INF is
	# UTF-16LE with a BOM, which File.ReadAllText detects. The file is always deleted.
	$path = Join-Path $env:TEMP ('pad-user-rights-' + [guid]::NewGuid().ToString('n') + '.inf')
	$exitCode = $null
	$lines = @()
	$text = $null
	$previousPreference = $ErrorActionPreference
	try {
		# 'Continue' so that a line on stderr does not become a terminating error on Windows PowerShell 5.1.
		$ErrorActionPreference = 'Continue'
		# A /db naming a temporary database would export that database's own (empty) configuration, not the rights in
		# effect on this computer, which are what this check needs.
		# reference: no /db on purpose: the current secedit /export page writes /db as optional (without it the system security database is exported); an older revision marked it required
		$lines = @(secedit /export /areas USER_RIGHTS /cfg $path 2>&1 | ForEach-Object { [string]$_ })
		$exitCode = $LASTEXITCODE
		$ErrorActionPreference = $previousPreference
		if ($exitCode -eq 0 -and (Test-Path -LiteralPath $path)) { $text = [System.IO.File]::ReadAllText($path) }
	}
	finally {
		$ErrorActionPreference = $previousPreference
		if (Test-Path -LiteralPath $path) { Remove-Item -LiteralPath $path -Force -ErrorAction SilentlyContinue }
	}
	$output = (@($lines | Where-Object { $_ -and $_.Trim() }) -join ' ').Trim()
	[pscustomobject]@{ ExitCode = $exitCode; Output = $output; Text = $text }
}

function Get-PadLogonRightGpo {
	# The GPO that wins for SeServiceLogonRight, from the RSoP logging data of the last Group Policy refresh: the
	# RSOP_UserPrivilegeRight row with precedence 1 ("The winning setting (the one that is actually applied) is represented
	# by the instance whose precedence is equal to 1", RSOP_PolicySetting) -> GPOID -> RSOP_GPO.name. $null when no GPO sets
	# the right. Any error reading the RSoP namespace is thrown to the caller: it must not look like "no GPO".
	$rows = @(Get-CimInstance -Namespace 'root\rsop\computer' -ClassName RSOP_UserPrivilegeRight -Filter "UserRight='SeServiceLogonRight'" -ErrorAction Stop)
	$winner = $null
	foreach ($row in $rows) {
		$precedence = Get-PadPropertyValue $row 'precedence'
		if ($null -ne $precedence -and [int]$precedence -eq 1) { $winner = $row }
	}
	if ($null -eq $winner) { return $null }
	$gpoId = [string](Get-PadPropertyValue $winner 'GPOID')
	# The Local Group Policy object is logged with the id 'LocalGPO'; it is not refreshed from a domain.
	if (-not $gpoId -or $gpoId -eq 'LocalGPO') { return $null }
	$name = $null
	$escaped = $gpoId.Replace('\', '\\').Replace("'", "\'")
	foreach ($gpo in @(Get-CimInstance -Namespace 'root\rsop\computer' -ClassName RSOP_GPO -Filter ("id='" + $escaped + "'") -ErrorAction Stop)) {
		$name = [string](Get-PadPropertyValue $gpo 'name')
	}
	$accounts = New-Object System.Collections.Generic.List[string]
	foreach ($account in @(Get-PadPropertyValue $winner 'AccountList')) {
		# Policy lists may write a SID with the template's '*' prefix.
		if ($account) { $accounts.Add(([string]$account).Trim().TrimStart('*')) }
	}
	[pscustomobject]@{ Id = $gpoId; Name = $name; AccountList = [string[]]$accounts.ToArray() }
}

function Get-PadHoldersWithSids {
	# The holders plus the SID of every holder given by name that this computer can translate, so that a list written
	# with names (a GPO) and an account known by SID (or the reverse) still match.
	param([string[]] $Holders)
	$all = New-Object System.Collections.Generic.List[string]
	foreach ($holder in @($Holders)) {
		if (-not $holder) { continue }
		$all.Add($holder)
		if ($holder -notmatch '^S-\d+-') {
			$sid = ConvertTo-PadSid -AccountName $holder
			if ($sid) { $all.Add([string]$sid) }
		}
	}
	, $all.ToArray()
}

function Test-PadLogonRight {
	# [SA-MSI]: "If Log on as a service doesn't have ALL SERVICES listed, the installation fails to start" -> the right must
	# hold NT SERVICE\ALL SERVICES, well-known SID S-1-5-80-0 ("All Services", security identifiers page).
	# [SA-CS] (seed): event 7041 "This service account does not have the required user right" -> the account the service
	# runs as needs the right too (an NT SERVICE\ virtual account is covered by ALL SERVICES).
	# [TSG] "typically caused by a group policy": when the GPO that wins for this right (RSoP precedence 1) lacks either
	# account, the next policy refresh replaces the local list with the GPO's, so that is a failure even while the local
	# export still shows the accounts. RSoP data that cannot be read is a warning, never a silent pass.
	param([hashtable] $Context)
	$evidence = [ordered]@{
		account           = $null
		accountType       = $null
		accountSid        = $null
		holders           = @()
		allServicesListed = $null
		allServicesName   = $null
		allServicesSid    = $null
		accountListed     = $null
		gpoSetsRight      = $null
		gpo               = $null
		gpoId             = $null
		gpoAccounts       = @()
		gpoLacks          = @()
		rsopError         = $null
	}
	$service = Get-PadAgentService
	if ($null -ne $service) { $evidence.account = [string](Get-PadPropertyValue $service 'StartName') }
	$evidence.accountType = Get-PadServiceAccountType -AccountName $evidence.account -ComputerName $env:COMPUTERNAME

	$export = Read-PadUserRights
	if ($export.ExitCode -ne 0 -or $null -eq $export.Text) {
		$message = 'secedit /export /areas USER_RIGHTS failed (exit code ' + [string]$export.ExitCode + ')'
		if ($export.Output) { $message = $message + ': ' + $export.Output }
		$message = $message + (Get-PadElevationHint)
		return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage $message
	}
	$holders = ConvertFrom-PadSeceditInf -Text $export.Text -Right 'SeServiceLogonRight'
	$evidence.holders = $holders

	$required = (Get-PadCheckRules -CheckId 'service.logon-right').allServices
	$allServicesName = [string]$required.name
	$allServicesSid = [string]$required.sid
	# Reported so the fix that grants the right to ALL SERVICES takes the name and SID from the catalogue's rule.
	$evidence.allServicesName = $allServicesName
	$evidence.allServicesSid = $allServicesSid
	$failures = New-Object System.Collections.Generic.List[string]
	$allServices = Test-PadRightHolder -Holders $holders -AccountName $allServicesName -AccountSid $allServicesSid
	$evidence.allServicesListed = $allServices
	if (-not $allServices) { $failures.Add('logon-right-missing-all-services') }

	$account = $evidence.account
	$accountNeedsRight = $account -and -not (Test-PadBuiltInServiceAccount $account)
	$isVirtual = $accountNeedsRight -and $account -like 'NT SERVICE\*'
	if ($accountNeedsRight) {
		$sid = ConvertTo-PadSid -AccountName $account
		$evidence.accountSid = $sid
		$listed = Test-PadRightHolder -Holders $holders -AccountName $account -AccountSid $sid
		if (-not $listed -and $isVirtual -and $allServices) { $listed = $true }
		$evidence.accountListed = $listed
		if (-not $listed) { $failures.Add('logon-right-missing-service-account') }
	}

	$gpo = $null
	$rsopRead = $false
	try {
		$gpo = Get-PadLogonRightGpo
		$rsopRead = $true
	}
	catch { $evidence.rsopError = $_.Exception.Message + (Get-PadElevationHint) }
	if ($rsopRead) {
		$evidence.gpoSetsRight = ($null -ne $gpo)
		if ($null -ne $gpo) {
			$evidence.gpo = $gpo.Name
			if (-not $evidence.gpo) { $evidence.gpo = $gpo.Id }
			$evidence.gpoId = $gpo.Id
			$evidence.gpoAccounts = $gpo.AccountList
			$gpoHolders = Get-PadHoldersWithSids -Holders $gpo.AccountList
			$lacks = New-Object System.Collections.Generic.List[string]
			$gpoAllServices = Test-PadRightHolder -Holders $gpoHolders -AccountName $allServicesName -AccountSid $allServicesSid
			if (-not $gpoAllServices) { $lacks.Add($allServicesName) }
			if ($accountNeedsRight -and -not ($isVirtual -and $gpoAllServices)) {
				if (-not (Test-PadRightHolder -Holders $gpoHolders -AccountName $account -AccountSid $evidence.accountSid)) { $lacks.Add($account) }
			}
			$evidence.gpoLacks = $lacks.ToArray()
			if ($lacks.Count -gt 0) { $failures.Add('logon-right-gpo-lacks-accounts') }
		}
	}
	else { $failures.Add('logon-right-rsop-unreadable') }

	if ($failures.Count -eq 0) { return New-PadResult -Status pass -Evidence $evidence }
	$ids = $failures.ToArray()
	New-PadResult -Status (Get-PadWorstSeverity -CheckId 'service.logon-right' -FailureIds $ids) -FailureIds $ids -Evidence $evidence
}
