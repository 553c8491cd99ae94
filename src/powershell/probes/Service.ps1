# Service: the AADConnectProvisioningAgent Windows service and its "Log on as a service" right.
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

function Test-PadServiceState {
	# The agent must be running: [ERR] HybridIdentityServiceNoActiveAgents "check to see if Microsoft Entra Connect cloud
	# sync agent under Services is running"; [TSG] "Agent failed to start". A Disabled service cannot be started at all.
	# Not installed -> notApplicable (the installer creates it). The startup type is not documented (facts section 6:
	# Automatic only seen in screenshots), so only Disabled is a failure.
	param([hashtable] $Context)
	$service = Get-PadAgentService
	$evidence = [ordered]@{ installed = $false; state = $null; startMode = $null; startName = $null; displayName = $null; pathName = $null }
	if ($null -eq $service) { return New-PadResult -Status notApplicable -Evidence $evidence }
	$evidence.installed = $true
	$evidence.state = [string](Get-PadPropertyValue $service 'State')
	$evidence.startMode = [string](Get-PadPropertyValue $service 'StartMode')
	$evidence.startName = [string](Get-PadPropertyValue $service 'StartName')
	$evidence.displayName = [string](Get-PadPropertyValue $service 'DisplayName')
	$evidence.pathName = [string](Get-PadPropertyValue $service 'PathName')
	if ($evidence.startMode -eq 'Disabled') { return New-PadResult -Status fail -FailureIds 'service-disabled' -Evidence $evidence }
	if ($evidence.state -ne 'Running') { return New-PadResult -Status fail -FailureIds 'service-stopped' -Evidence $evidence }
	New-PadResult -Status pass -Evidence $evidence
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
	# True when the account appears among the holders, by SID or by name (with or without its domain part).
	param([string[]] $Holders, [string] $AccountName, [string] $AccountSid)
	$shortName = $null
	if ($AccountName -and $AccountName.Contains('\')) { $shortName = $AccountName.Substring($AccountName.IndexOf('\') + 1) }
	foreach ($holder in @($Holders)) {
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
	# The GPO that wins for SeServiceLogonRight, from the RSoP logging data of the last Group Policy refresh
	# (RSOP_UserPrivilegeRight with precedence 1 -> GPOID -> RSOP_GPO.name). $null when no GPO sets the right.
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
	foreach ($account in @(Get-PadPropertyValue $winner 'AccountList')) { if ($account) { $accounts.Add([string]$account) } }
	[pscustomobject]@{ Id = $gpoId; Name = $name; AccountList = [string[]]$accounts.ToArray() }
}

function Test-PadLogonRight {
	# [SA-MSI]: "If Log on as a service doesn't have ALL SERVICES listed, the installation fails to start" -> the right must
	# hold NT SERVICE\ALL SERVICES. Its SID S-1-5-80-0 is well known but not verified in the facts file (section 1a).
	# [SA-CS] (seed): event 7041 "This service account does not have the required user right" -> the account the service
	# runs as needs the right too (an NT SERVICE\ virtual account is covered by ALL SERVICES). [TSG]: "typically caused by
	# a group policy" -> when a GPO sets the right, name it: a local grant is overwritten at the next policy refresh.
	param([hashtable] $Context)
	$evidence = [ordered]@{
		account           = $null
		accountSid        = $null
		holders           = @()
		allServicesListed = $null
		accountListed     = $null
		gpo               = $null
		gpoId             = $null
		gpoAccounts       = @()
		gpoError          = $null
	}
	$service = Get-PadAgentService
	if ($null -ne $service) { $evidence.account = [string](Get-PadPropertyValue $service 'StartName') }

	$export = Read-PadUserRights
	if ($export.ExitCode -ne 0 -or $null -eq $export.Text) {
		$message = 'secedit /export /areas USER_RIGHTS failed (exit code ' + [string]$export.ExitCode + ')'
		if ($export.Output) { $message = $message + ': ' + $export.Output }
		return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage $message
	}
	$holders = ConvertFrom-PadSeceditInf -Text $export.Text -Right 'SeServiceLogonRight'
	$evidence.holders = $holders

	$failures = New-Object System.Collections.Generic.List[string]
	$allServices = Test-PadRightHolder -Holders $holders -AccountName 'NT SERVICE\ALL SERVICES' -AccountSid 'S-1-5-80-0'
	$evidence.allServicesListed = $allServices
	if (-not $allServices) { $failures.Add('logon-right-missing-all-services') }

	$account = $evidence.account
	if ($account -and -not (Test-PadBuiltInServiceAccount $account)) {
		$sid = ConvertTo-PadSid -AccountName $account
		$evidence.accountSid = $sid
		$listed = Test-PadRightHolder -Holders $holders -AccountName $account -AccountSid $sid
		if (-not $listed -and $account -like 'NT SERVICE\*' -and $allServices) { $listed = $true }
		$evidence.accountListed = $listed
		if (-not $listed) { $failures.Add('logon-right-missing-service-account') }
	}

	try {
		$gpo = Get-PadLogonRightGpo
		if ($null -ne $gpo) {
			$evidence.gpo = $gpo.Name
			$evidence.gpoId = $gpo.Id
			$evidence.gpoAccounts = $gpo.AccountList
		}
	}
	catch { $evidence.gpoError = $_.Exception.Message }

	if ($failures.Count -eq 0) { return New-PadResult -Status pass -Evidence $evidence }
	if ($evidence.gpoId) { $failures.Add('logon-right-set-by-gpo') }
	New-PadResult -Status fail -FailureIds $failures.ToArray() -Evidence $evidence
}
