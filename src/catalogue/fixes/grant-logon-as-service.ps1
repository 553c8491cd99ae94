# Fix "grant-logon-as-service" (its title, effect and sources: checks/service.json). Windows PowerShell 5.1 and PowerShell 7.
# Adds one account to the holders of "Log on as a service" (SeServiceLogonRight) on this computer. secedit applies a
# right from a security template as the complete list of its holders, so the template written here holds every current
# holder plus the account; it defines no other right, so no other right changes. Run elevated.
param(
	[string] $Account,
	[string] $AccountSid,
	[string] $Gpo
)

$ErrorActionPreference = 'Stop'
if (-not $Account -and -not $AccountSid) { throw 'Give the account (-Account DOMAIN\name) or its SID (-AccountSid).' }
if ($Gpo) {
	# A GPO's list replaces a local grant at the next refresh: say so before anything changes.
	Write-Warning ('The Group Policy object "' + $Gpo + '" sets Log on as a service on this server. Add the account in that GPO instead: ' +
		'at its next refresh Group Policy writes its own list again and removes the grant made here.')
}

$entry = $Account
if ($AccountSid) { $entry = '*' + $AccountSid }
$stem = Join-Path $env:TEMP ('pad-grant-logon-' + [guid]::NewGuid().ToString('n'))
$exported = $stem + '-current.inf'
$template = $stem + '-grant.inf'
$database = $stem + '.sdb'
$log = $stem + '.log'
try {
	# A new database named with /db would export its own empty configuration, not the rights in effect here.
	# reference: no /db on purpose: the current secedit /export page writes /db as optional (without it the system security database is exported); an older revision marked it required
	$null = secedit /export /areas USER_RIGHTS /cfg $exported
	if ($LASTEXITCODE -ne 0 -or -not (Test-Path -LiteralPath $exported)) { throw ('secedit /export failed (exit code ' + $LASTEXITCODE + '). Run this elevated.') }

	$holders = New-Object System.Collections.Generic.List[string]
	$section = ''
	foreach ($line in [System.IO.File]::ReadAllLines($exported)) {
		$text = $line.Trim()
		if ($text -match '^\[(.+)\]$') { $section = $Matches[1]; continue }
		if ($section -ne 'Privilege Rights' -or $text -notmatch '^SeServiceLogonRight\s*=(.*)$') { continue }
		foreach ($holder in $Matches[1].Split(',')) { if ($holder.Trim()) { $holders.Add($holder.Trim()) } }
	}

	$already = $false
	foreach ($holder in $holders) {
		if ($holder -eq $entry -or ($Account -and $holder -eq $Account) -or ($AccountSid -and $holder -eq ('*' + $AccountSid))) { $already = $true }
	}
	if ($already) {
		Write-Host ('Log on as a service already lists ' + $entry + '; nothing changed.')
		return
	}
	$holders.Add($entry)

	$lines = @('[Unicode]', 'Unicode=yes', '[Version]', 'signature="$CHICAGO$"', 'Revision=1', '[Privilege Rights]', ('SeServiceLogonRight = ' + ($holders -join ',')))
	[System.IO.File]::WriteAllLines($template, [string[]]$lines, (New-Object System.Text.UnicodeEncoding($false, $true)))

	# secedit /configure documents /db as required, and /cfg as needed for a database without a template: a new
	# temporary database takes the template, and /areas USER_RIGHTS applies only its user rights.
	$null = secedit /configure /db $database /cfg $template /areas USER_RIGHTS /log $log /quiet
	if ($LASTEXITCODE -ne 0) {
		$reason = ''
		if (Test-Path -LiteralPath $log) { $reason = (@(Get-Content -LiteralPath $log -Tail 5) -join ' ').Trim() }
		throw ('secedit /configure failed (exit code ' + $LASTEXITCODE + '). ' + $reason)
	}
	Write-Host ('Log on as a service now lists: ' + ($holders -join ', '))
}
finally {
	foreach ($path in @($exported, $template, $database, $log)) {
		if (Test-Path -LiteralPath $path) { Remove-Item -LiteralPath $path -Force -ErrorAction SilentlyContinue }
	}
}
