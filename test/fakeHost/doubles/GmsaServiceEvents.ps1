# Doubles for the gMSA, service, event log and installer probes.
# Scenario keys used (below "host"):
#   modules            { "ActiveDirectory": bool, "Kds": bool }: the AD and KDS cmdlets exist only when true
#   kdsRootKeys        [ { "keyId": "<guid>", "effectiveTime": { "hoursAgo": n }, "creationTime": ... } ]
#                      (Add-KdsRootKey appends a key, its times in ISO 8601 UTC: Set-FakeHostState)
#   adServiceAccounts  { "<sAMAccountName>": { "name": "<CN, default the sAMAccountName without $>", "distinguishedName": "...",
#                        "principalsAllowed": [DN...], "testResult": bool, "msDS-SupportedEncryptionTypes": n | null } | null }
#                        (Set-ADServiceAccount changes msDS-SupportedEncryptionTypes: Set-FakeHostState)
#   adObjects          { "<DN>": { "objectClass": "group" | "computer" | ..., "msDS-SupportedEncryptionTypes": n } }
#                        (a computer's entry also answers Get-ADComputer -Identity <its CN>)
#   adErrors           { "Get-ADServiceAccount" | "Test-ADServiceAccount" | "Get-ADComputer": "accessDenied" | "<message>" }
#                        the cmdlet fails: access denied as the AD module reports it, or any other error with that message
#   accountSids        { "DOMAIN\\name": "S-1-5-..." }                  (ConvertTo-PadSid)
#   scManagedAccount   { "<service name>": bool }                        (sc.exe qmanagedaccount; sc.exe managedaccount sets it)
#   userRights         { "SeServiceLogonRight": "*S-1-5-80-0,..." | null } (secedit /export /areas USER_RIGHTS)
#   secedit            { "exitCode": n, "output": "..." }                when secedit fails
#                      (secedit /configure /db /cfg applies a template's [Privilege Rights] to userRights: Set-FakeHostState)
#   events             [ { "logName", "providerName", "id", "hoursAgo", "properties": [...], "message" } ]
#   missingLogs        [ "<log name>" ]                                   logs that do not exist on the host
#   hang               { "Get-WinEvent" | "secedit" | "sc.exe" | "Get-KdsRootKey" | "Get-ADServiceAccount" | ...: seconds }
#   unelevated         with identity.isElevated false: secedit, kdsRootKey, netlogonLog answer as for a filtered token
#                      (Test-FakeHostUnelevated in FakeWindowsHost.psm1)

function Get-FakeHostMapValue {
	<# Value of a key in a dictionary, compared case-insensitively (keys such as DNs may contain dots). #>
	param($Map, [string] $Key)
	if ($Map -isnot [System.Collections.IDictionary]) { return $null }
	# Arrays are unrolled into the pipeline: callers collect them with @().
	foreach ($k in $Map.Keys) { if ([string]$k -ieq $Key) { return $Map[$k] } }
	return $null
}

function Test-FakeHostMapKey {
	param($Map, [string] $Key)
	if ($Map -isnot [System.Collections.IDictionary]) { return $false }
	foreach ($k in $Map.Keys) { if ([string]$k -ieq $Key) { return $true } }
	return $false
}

function ConvertTo-FakePadSid {
	# Like ConvertTo-PadSid: the SID string, or $null when the name cannot be translated.
	param([Parameter(Mandatory)] [string] $AccountName)
	$sid = Get-FakeHostMapValue (Get-FakeHostValue -Path 'accountSids' -Default @{}) $AccountName
	if ($null -eq $sid) { return $null }
	[string]$sid
}
Set-Alias -Name ConvertTo-PadSid -Value ConvertTo-FakePadSid

function secedit {
	# secedit /export /areas USER_RIGHTS /cfg <file>: writes the INF as UTF-16LE with a BOM, like the real one.
	# A native command: it never throws; the result is in $LASTEXITCODE and its output.
	Invoke-FakeHostHang -Command 'secedit'
	$arguments = @($args | ForEach-Object { [string]$_ })
	$settings = Get-FakeHostValue -Path 'secedit' -Default @{}
	$exitCode = Get-FakeHostMapValue $settings 'exitCode'
	if ($null -ne $exitCode -and [int]$exitCode -ne 0) {
		''
		[string](Get-FakeHostMapValue $settings 'output')
		$global:LASTEXITCODE = [int]$exitCode
		return
	}
	if (Test-FakeHostUnelevated -Behaviour 'secedit') {
		# Reading the local security database needs an elevated token. The secedit-export page does not list the
		# answer; this double gives Windows' access-denied text and code (5), which the probe must not parse anyway.
		''
		'Access is denied.'
		$global:LASTEXITCODE = 5
		return
	}
	$cfg = $null
	$db = $null
	$log = $null
	for ($i = 0; $i -lt $arguments.Count - 1; $i++) {
		if ($arguments[$i] -ieq '/cfg') { $cfg = $arguments[$i + 1] }
		if ($arguments[$i] -ieq '/db') { $db = $arguments[$i + 1] }
		if ($arguments[$i] -ieq '/log') { $log = $arguments[$i + 1] }
	}
	if ($arguments -icontains '/configure') {
		# secedit /configure /db <database> /cfg <template> [/areas USER_RIGHTS]: applies each right of the template's
		# [Privilege Rights] to this host's "userRights", as the whole list of holders of that right, as secedit does.
		# Set-FakeHostState keeps it for later imports too (PAD_FAKE_HOST_STATE), so a grant run in the terminal shows in
		# the next diagnosis. /db is required (secedit-configure page); the database itself is not modelled.
		if (-not $db -or -not $cfg -or -not (Test-Path -LiteralPath $cfg)) {
			'The parameter is incorrect.'
			$global:LASTEXITCODE = 87
			return
		}
		$rights = [ordered]@{}
		$section = ''
		foreach ($line in [System.IO.File]::ReadAllLines($cfg)) {
			$text = $line.Trim()
			if ($text -match '^\[(.+)\]$') { $section = $Matches[1]; continue }
			if ($section -ne 'Privilege Rights' -or $text -notmatch '^(\w+)\s*=\s*(.*)$') { continue }
			$rights[$Matches[1]] = (@($Matches[2].Split(',') | ForEach-Object { $_.Trim() } | Where-Object { $_ }) -join ',')
		}
		# Only the rights the template names change; a host without "userRights" (or with null there) gets the map.
		Set-FakeHostState -Change @{ userRights = $rights }
		if ($log) { [System.IO.File]::WriteAllText($log, 'Configuration completed.') }
		''
		'The task has completed successfully.'
		$global:LASTEXITCODE = 0
		return
	}
	if (($arguments -inotcontains '/export') -or -not $cfg) {
		'The parameter is incorrect.'
		$global:LASTEXITCODE = 87
		return
	}
	$lines = New-Object System.Collections.Generic.List[string]
	$lines.Add('[Unicode]')
	$lines.Add('Unicode=yes')
	$lines.Add('[Privilege Rights]')
	$rights = Get-FakeHostValue -Path 'userRights' -Default @{}
	foreach ($right in $rights.Keys) {
		$value = $rights[$right]
		if ($null -eq $value -or [string]$value -eq '') { continue }
		$lines.Add(('{0} = {1}' -f $right, [string]$value))
	}
	$lines.Add('[Version]')
	$lines.Add('signature="$CHICAGO$"')
	$lines.Add('Revision=1')
	$text = ($lines -join "`r`n") + "`r`n"
	[System.IO.File]::WriteAllText($cfg, $text, [System.Text.UnicodeEncoding]::new($false, $true))
	''
	'The task has completed successfully.'
	'See log %windir%\security\logs\scesrv.log for detail info.'
	$global:LASTEXITCODE = 0
}

function Set-FakeScManagedAccount {
	# sc.exe managedaccount <service> true|false: sets the flag qmanagedaccount reads, through Set-FakeHostState so the
	# next diagnosis sees it. A service the host has (a flag already, a Win32_Service row or a "services" entry) is
	# known; another gets the answer qmanagedaccount gives (1060). The success line is assumed, like the layout of
	# qmanagedaccount's output: "[SC] ChangeServiceConfig2 SUCCESS", what sc.exe prints for its other subcommands
	# that call ChangeServiceConfig2.
	param([string[]] $Arguments)
	if ($Arguments.Count -ne 3 -or @('true', 'false') -inotcontains $Arguments[2]) {
		throw ('FakeWindowsHost: sc.exe ' + ($Arguments -join ' ') + ' is not faked (only managedaccount <service> true|false).')
	}
	$name = $Arguments[1]
	$flags = Get-FakeHostValue -Path 'scManagedAccount' -Default @{}
	$key = $null
	if ($flags -is [System.Collections.IDictionary]) { foreach ($k in $flags.Keys) { if ([string]$k -ieq $name) { $key = [string]$k } } }
	if ($null -eq $key) {
		$service = Get-FakeHostService -Name $name
		if ($null -eq $service) {
			'[SC] OpenService FAILED 1060:'
			''
			'The specified service does not exist as an installed service.'
			''
			$global:LASTEXITCODE = 1060
			return
		}
		$key = $service.Name
	}
	# The scenario's own key, in its own case: a second key differing only in case would not be the one read.
	Set-FakeHostState -Change @{ scManagedAccount = @{ $key = ($Arguments[2] -ieq 'true') } }
	'[SC] ChangeServiceConfig2 SUCCESS'
	$global:LASTEXITCODE = 0
}

function sc.exe {
	# sc.exe qmanagedaccount <service>; the output layout is assumed (see ConvertFrom-PadScManagedAccount).
	# sc.exe managedaccount <service> true|false: Set-FakeScManagedAccount.
	Invoke-FakeHostHang -Command 'sc.exe'
	$arguments = @($args | ForEach-Object { [string]$_ })
	if ($arguments.Count -ge 1 -and $arguments[0] -ieq 'managedaccount') {
		Set-FakeScManagedAccount -Arguments $arguments
		return
	}
	if ($arguments.Count -lt 2 -or $arguments[0] -ine 'qmanagedaccount') {
		throw ('FakeWindowsHost: sc.exe ' + ($arguments -join ' ') + ' is not faked (only qmanagedaccount and managedaccount).')
	}
	$name = $arguments[1]
	$flags = Get-FakeHostValue -Path 'scManagedAccount' -Default @{}
	$flag = Get-FakeHostMapValue $flags $name
	if ($null -eq $flag) {
		'[SC] OpenService FAILED 1060:'
		''
		'The specified service does not exist as an installed service.'
		''
		$global:LASTEXITCODE = 1060
		return
	}
	$word = 'FALSE'
	if ([bool]$flag) { $word = 'TRUE' }
	'[SC] QueryServiceConfig2 SUCCESS'
	''
	'SERVICE_NAME: ' + $name
	'        ACCOUNT MANAGED   : ' + $word
	''
	$global:LASTEXITCODE = 0
}

function New-FakeWinEventError {
	param([string] $Message, [string] $ErrorId)
	New-Object System.Management.Automation.ErrorRecord((New-Object System.Exception $Message), $ErrorId, [System.Management.Automation.ErrorCategory]::ObjectNotFound, $null)
}

function Get-WinEvent {
	# -FilterHashtable with LogName, ProviderName, Id and StartTime, answering from "events". Like the real cmdlet it
	# writes "No events were found that match the specified selection criteria." (NoMatchingEventsFound) when nothing
	# matches, and NoMatchingLogsFound for a log in "missingLogs".
	[CmdletBinding()]
	param(
		[Parameter(Mandatory, Position = 0)] [hashtable[]] $FilterHashtable,
		[long] $MaxEvents = -1,
		[switch] $Oldest
	)
	Invoke-FakeHostHang -Command 'Get-WinEvent'
	$all = Get-FakeHostValue -Path 'events' -Default @()
	$missing = @(Get-FakeHostValue -Path 'missingLogs' -Default @() | ForEach-Object { $_ })
	$now = Get-FakeHostNow
	$found = New-Object System.Collections.Generic.List[object]
	foreach ($filter in $FilterHashtable) {
		$logs = @(Get-FakeHostMapValue $filter 'LogName' | Where-Object { $null -ne $_ } | ForEach-Object { [string]$_ })
		$providers = @(Get-FakeHostMapValue $filter 'ProviderName' | Where-Object { $null -ne $_ } | ForEach-Object { [string]$_ })
		$ids = @(Get-FakeHostMapValue $filter 'Id' | Where-Object { $null -ne $_ } | ForEach-Object { [int]$_ })
		$startTime = Get-FakeHostMapValue $filter 'StartTime'
		foreach ($log in $logs) {
			if ($log -ieq 'Microsoft-Windows-Security-Netlogon/Operational' -and (Test-FakeHostUnelevated -Behaviour 'netlogonLog')) {
				# This log is not readable with a filtered token; the System log is.
				$denied = New-Object System.UnauthorizedAccessException 'Attempted to perform an unauthorized operation.'
				$PSCmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord($denied, 'System.UnauthorizedAccessException,Microsoft.PowerShell.Commands.GetWinEventCommand', [System.Management.Automation.ErrorCategory]::PermissionDenied, $null)))
				return
			}
			if ($missing -icontains $log) {
				$PSCmdlet.WriteError((New-FakeWinEventError -Message ('There is not an event log on the localhost computer that matches "' + $log + '".') -ErrorId 'NoMatchingLogsFound'))
				return
			}
		}
		foreach ($e in $all) {
			if ($null -eq $e) { continue }
			if ($logs.Count -gt 0 -and -not ($logs | Where-Object { [string]$e['logName'] -like $_ })) { continue }
			if ($providers.Count -gt 0 -and -not ($providers | Where-Object { [string]$e['providerName'] -like $_ })) { continue }
			if ($ids.Count -gt 0 -and $ids -notcontains [int]$e['id']) { continue }
			$created = $now.AddHours( - [double]$e['hoursAgo'])
			if ($null -ne $startTime -and $created -lt ([datetime]$startTime).ToUniversalTime()) { continue }
			$properties = @(foreach ($p in @($e['properties'])) { if ($null -ne $p) { [pscustomobject]@{ Value = $p } } })
			$found.Add([pscustomobject]@{
					Id               = [int]$e['id']
					LogName          = [string]$e['logName']
					ProviderName     = [string]$e['providerName']
					TimeCreated      = $created.ToLocalTime()
					LevelDisplayName = 'Error'
					Message          = $e['message']
					Properties       = $properties
				})
		}
	}
	if ($found.Count -eq 0) {
		$PSCmdlet.WriteError((New-FakeWinEventError -Message 'No events were found that match the specified selection criteria.' -ErrorId 'NoMatchingEventsFound'))
		return
	}
	$sorted = @($found | Sort-Object -Property TimeCreated -Descending:(-not $Oldest))
	if ($MaxEvents -gt 0) { $sorted = @($sorted | Select-Object -First $MaxEvents) }
	$sorted
}

if ([bool](Get-FakeHostValue -Path 'modules.Kds' -Default $false)) {
	function Get-KdsRootKey {
		# KdsCmdlets; defined only when the scenario has "modules": { "Kds": true }.
		[CmdletBinding()]
		param()
		Invoke-FakeHostHang -Command 'Get-KdsRootKey'
		# With a filtered token the keys are not readable, and the cmdlet answers with nothing rather than an error.
		if (Test-FakeHostUnelevated -Behaviour 'kdsRootKey') { return }
		foreach ($k in (Get-FakeHostValue -Path 'kdsRootKeys' -Default @())) {
			if ($null -eq $k) { continue }
			$effective = ConvertTo-FakeHostDate $k['effectiveTime']
			$creation = ConvertTo-FakeHostDate $k['creationTime']
			if ($null -eq $creation) { $creation = $effective }
			[pscustomobject]@{
				KeyId         = [guid][string]$k['keyId']
				EffectiveTime = $effective.ToLocalTime()
				CreationTime  = $creation.ToLocalTime()
				IsFormatValid = $true
			}
		}
	}

	function Add-KdsRootKey {
		# KdsCmdlets. Adds a key to "kdsRootKeys" (Set-FakeHostState, so the next diagnosis reads it) and returns its id,
		# as the cmdlet does. Its CreationTime is now; its EffectiveTime is now with -EffectiveImmediately, the given
		# -EffectiveTime, or, with neither, 10 days from now (the cmdlet's documented default). The times are stored as
		# ISO 8601 UTC: a real key's times are fixed, unlike the relative times a scenario writes. -LocalTestOnly
		# creates the key on this host only, not in the forest: nothing is stored, and the cmdlet then returns whether
		# its test passed (here: true).
		[CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'EffectiveTime')]
		param(
			[Parameter(Position = 0, ValueFromPipeline, ParameterSetName = 'EffectiveTime')] [datetime] $EffectiveTime,
			[Parameter(Mandatory, ParameterSetName = 'EffectiveImmediately')] [switch] $EffectiveImmediately,
			[switch] $LocalTestOnly
		)
		process {
			Invoke-FakeHostHang -Command 'Add-KdsRootKey'
			$now = Get-FakeHostNow
			$effective = $now.AddDays(10)
			if ($EffectiveImmediately) { $effective = $now }
			elseif ($PSBoundParameters.ContainsKey('EffectiveTime')) { $effective = $EffectiveTime.ToUniversalTime() }
			if (-not $PSCmdlet.ShouldProcess('KDS root key', 'Add-KdsRootKey')) { return }
			if ($LocalTestOnly) { return $true }
			$id = [guid]::NewGuid()
			$keys = New-Object System.Collections.Generic.List[object]
			foreach ($k in (Get-FakeHostValue -Path 'kdsRootKeys' -Default @())) { if ($null -ne $k) { $keys.Add($k) } }
			$keys.Add([ordered]@{ keyId = $id.ToString(); effectiveTime = $effective.ToString('o'); creationTime = $now.ToString('o') })
			# "kdsRootKeys" is an array, which a state overlay replaces as a whole: the change holds every key.
			Set-FakeHostState -Change @{ kdsRootKeys = $keys.ToArray() }
			$id
		}
	}
}

function New-FakeAdIdentityNotFound {
	param([string] $Identity, [string] $Command)
	New-Object System.Management.Automation.ErrorRecord(
		(New-Object System.Exception ("Cannot find an object with identity: '" + $Identity + "' under: 'DC=contoso,DC=com'.")),
		('ActiveDirectoryCmdlet:Microsoft.ActiveDirectory.Management.ADIdentityNotFoundException,Microsoft.ActiveDirectory.Management.Commands.' + $Command),
		[System.Management.Automation.ErrorCategory]::ObjectNotFound, $Identity)
}

function Get-FakeAdError {
	# The error "adErrors" gives this cmdlet, as an ErrorRecord, or $null. "accessDenied" is what the AD module
	# reports for missing rights (an UnauthorizedAccessException, category PermissionDenied).
	param([string] $Command)
	$setting = Get-FakeHostMapValue (Get-FakeHostValue -Path 'adErrors' -Default @{}) $Command
	if ($null -eq $setting) { return $null }
	$id = 'ActiveDirectoryCmdlet:{0},Microsoft.ActiveDirectory.Management.Commands.' + $Command.Replace('-', '')
	if ([string]$setting -eq 'accessDenied') {
		$denied = New-Object System.UnauthorizedAccessException 'Insufficient access rights to perform the operation'
		return New-Object System.Management.Automation.ErrorRecord($denied, ($id -f 'System.UnauthorizedAccessException'), [System.Management.Automation.ErrorCategory]::PermissionDenied, $null)
	}
	New-Object System.Management.Automation.ErrorRecord((New-Object System.Exception ([string]$setting)), ($id -f 'Microsoft.ActiveDirectory.Management.ADServerDownException'), [System.Management.Automation.ErrorCategory]::ResourceUnavailable, $null)
}

function Find-FakeAdServiceAccount {
	# The scenario entry for an identity given as name, name$ or DOMAIN\name$; $null when absent.
	param([string] $Identity)
	$name = $Identity
	if ($name.Contains('\')) { $name = $name.Substring($name.LastIndexOf('\') + 1) }
	$accounts = Get-FakeHostValue -Path 'adServiceAccounts' -Default @{}
	foreach ($candidate in @($name, ($name + '$'), $name.TrimEnd('$'))) {
		$entry = Get-FakeHostMapValue $accounts $candidate
		if ($null -ne $entry) { return [pscustomobject]@{ Sam = $candidate; Entry = $entry } }
	}
	$null
}

function ConvertFrom-FakeAdFilter {
	# The terms of an AD -Filter of the simple form the probes use: "<Property> -eq|-like '<value>'", joined by -or.
	# Anything else throws, so a probe that starts using another filter shows up in the tests.
	param([string] $Filter)
	foreach ($term in ($Filter -split '\s+-or\s+')) {
		if ($term -notmatch "^\s*(\w+)\s+-(eq|like)\s+'([^']*)'\s*$") { throw ('FakeWindowsHost: unsupported AD filter: ' + $Filter) }
		[pscustomobject]@{ Property = $Matches[1]; Operator = $Matches[2]; Value = $Matches[3] }
	}
}

function Test-FakeAdFilter {
	# True when the object matches any of the terms (they are joined by -or); compared case-insensitively, as AD does.
	param($Object, [object[]] $Terms)
	foreach ($t in $Terms) {
		$property = $Object.PSObject.Properties[$t.Property]
		if ($null -eq $property) { continue }
		$value = [string]$property.Value
		if ($t.Operator -eq 'eq' -and $value -ieq $t.Value) { return $true }
		if ($t.Operator -eq 'like' -and $value -ilike $t.Value) { return $true }
	}
	$false
}

function New-FakeAdServiceAccount {
	# The object Get-ADServiceAccount returns for one scenario entry, with the requested extra properties.
	param([string] $Sam, $Entry, [string[]] $Properties)
	$dn = [string]$Entry['distinguishedName']
	$name = [string]$Entry['name']
	if (-not $name) { $name = $Sam.TrimEnd('$') }
	if (-not $dn) { $dn = 'CN=' + $name + ',CN=Managed Service Accounts,DC=contoso,DC=com' }
	$out = [ordered]@{
		DistinguishedName = $dn
		Enabled           = $true
		Name              = $name
		ObjectClass       = 'msDS-GroupManagedServiceAccount'
		SamAccountName    = $Sam
	}
	$all = $Properties -contains '*'
	if ($all -or $Properties -icontains 'PrincipalsAllowedToRetrieveManagedPassword') {
		$out['PrincipalsAllowedToRetrieveManagedPassword'] = [string[]]@($Entry['principalsAllowed'] | Where-Object { $_ })
	}
	if ($all -or $Properties -icontains 'msDS-SupportedEncryptionTypes') {
		$out['msDS-SupportedEncryptionTypes'] = $Entry['msDS-SupportedEncryptionTypes']
	}
	[pscustomobject]$out
}

if ([bool](Get-FakeHostValue -Path 'modules.ActiveDirectory' -Default $false)) {
	function Get-ADServiceAccount {
		# ActiveDirectory module; defined only when the scenario has "modules": { "ActiveDirectory": true }.
		# -Identity throws "cannot find" for an unknown account; -Filter returns what matches, possibly nothing.
		[CmdletBinding(DefaultParameterSetName = 'Identity')]
		param(
			[Parameter(Mandatory, Position = 0, ParameterSetName = 'Identity')] [string] $Identity,
			[Parameter(Mandatory, ParameterSetName = 'Filter')] [string] $Filter,
			[string[]] $Properties = @()
		)
		Invoke-FakeHostHang -Command 'Get-ADServiceAccount'
		$failure = Get-FakeAdError -Command 'Get-ADServiceAccount'
		if ($null -ne $failure) { $PSCmdlet.ThrowTerminatingError($failure) }
		if ($PSCmdlet.ParameterSetName -eq 'Filter') {
			$terms = @(ConvertFrom-FakeAdFilter -Filter $Filter)
			$accounts = Get-FakeHostValue -Path 'adServiceAccounts' -Default @{}
			foreach ($sam in @($accounts.Keys)) {
				if ($null -eq $accounts[$sam]) { continue }
				$object = New-FakeAdServiceAccount -Sam ([string]$sam) -Entry $accounts[$sam] -Properties $Properties
				if (Test-FakeAdFilter -Object $object -Terms $terms) { $object }
			}
			return
		}
		$found = Find-FakeAdServiceAccount -Identity $Identity
		if ($null -eq $found) { $PSCmdlet.ThrowTerminatingError((New-FakeAdIdentityNotFound -Identity $Identity -Command 'GetADServiceAccount')) }
		New-FakeAdServiceAccount -Sam ([string]$found.Sam) -Entry $found.Entry -Properties $Properties
	}

	function Test-ADServiceAccount {
		[CmdletBinding()]
		param([Parameter(Mandatory, Position = 0)] [string] $Identity)
		Invoke-FakeHostHang -Command 'Test-ADServiceAccount'
		$failure = Get-FakeAdError -Command 'Test-ADServiceAccount'
		if ($null -ne $failure) { $PSCmdlet.ThrowTerminatingError($failure) }
		$found = Find-FakeAdServiceAccount -Identity $Identity
		if ($null -eq $found) { $PSCmdlet.ThrowTerminatingError((New-FakeAdIdentityNotFound -Identity $Identity -Command 'TestADServiceAccount')) }
		# "testResult": null stands for an answer that is not a boolean (nothing at all).
		if ($null -eq $found.Entry['testResult']) { return }
		[bool]$found.Entry['testResult']
	}

	function Set-ADServiceAccount {
		# ActiveDirectory module. Only what the gMSA fixes use: -Replace @{ 'msDS-SupportedEncryptionTypes' = n } and
		# -KerberosEncryptionType, which sets that attribute to the bits of the types given (DES 3, RC4 4, AES128 8,
		# AES256 16; None 0), replacing its value. Stored in the account's "adServiceAccounts" entry through
		# Set-FakeHostState, so the next diagnosis compares the new value. Any other attribute throws, so a fix that
		# starts changing more shows up in the tests.
		[CmdletBinding(SupportsShouldProcess)]
		param(
			[Parameter(Mandatory, Position = 0)] [string] $Identity,
			[hashtable] $Replace,
			[ValidateSet('None', 'DES', 'RC4', 'AES128', 'AES256')] [string[]] $KerberosEncryptionType,
			[switch] $PassThru
		)
		Invoke-FakeHostHang -Command 'Set-ADServiceAccount'
		$failure = Get-FakeAdError -Command 'Set-ADServiceAccount'
		if ($null -ne $failure) { $PSCmdlet.ThrowTerminatingError($failure) }
		$found = Find-FakeAdServiceAccount -Identity $Identity
		if ($null -eq $found) { $PSCmdlet.ThrowTerminatingError((New-FakeAdIdentityNotFound -Identity $Identity -Command 'SetADServiceAccount')) }
		$values = [ordered]@{}
		if ($PSBoundParameters.ContainsKey('KerberosEncryptionType')) {
			$bits = @{ None = 0; DES = 3; RC4 = 4; AES128 = 8; AES256 = 16 }
			$value = 0
			foreach ($type in $KerberosEncryptionType) { $value = $value -bor $bits[$type] }
			$values['msDS-SupportedEncryptionTypes'] = $value
		}
		if ($Replace) {
			foreach ($attribute in $Replace.Keys) {
				if ([string]$attribute -ine 'msDS-SupportedEncryptionTypes') { throw ('FakeWindowsHost: Set-ADServiceAccount -Replace ' + $attribute + ' is not faked (only msDS-SupportedEncryptionTypes).') }
				$values['msDS-SupportedEncryptionTypes'] = [int]$Replace[$attribute]
			}
		}
		if ($values.Count -gt 0 -and $PSCmdlet.ShouldProcess($Identity, 'Set')) {
			Set-FakeHostState -Change @{ adServiceAccounts = @{ ([string]$found.Sam) = $values } }
		}
		if ($PassThru) { New-FakeAdServiceAccount -Sam ([string]$found.Sam) -Entry (Find-FakeAdServiceAccount -Identity $Identity).Entry -Properties @() }
	}

	function Get-ADComputer {
		# Only -Identity <name> (with or without the trailing $), answering from the "adObjects" entry of class computer
		# whose CN is that name.
		[CmdletBinding()]
		param([Parameter(Mandatory, Position = 0)] [string] $Identity, [string[]] $Properties = @())
		Invoke-FakeHostHang -Command 'Get-ADComputer'
		$failure = Get-FakeAdError -Command 'Get-ADComputer'
		if ($null -ne $failure) { $PSCmdlet.ThrowTerminatingError($failure) }
		$objects = Get-FakeHostValue -Path 'adObjects' -Default @{}
		$name = $Identity.TrimEnd('$')
		foreach ($dn in @($objects.Keys)) {
			$entry = $objects[$dn]
			if ($null -eq $entry -or [string]$entry['objectClass'] -ne 'computer') { continue }
			if ([string]$dn -notmatch '^CN=([^,]+),' -or $Matches[1] -ine $name) { continue }
			$out = [ordered]@{ DistinguishedName = [string]$dn; Enabled = $true; Name = $Matches[1]; ObjectClass = 'computer'; SamAccountName = $Matches[1] + '$' }
			if ($Properties -contains '*' -or $Properties -icontains 'msDS-SupportedEncryptionTypes') {
				$out['msDS-SupportedEncryptionTypes'] = $entry['msDS-SupportedEncryptionTypes']
			}
			return [pscustomobject]$out
		}
		$PSCmdlet.ThrowTerminatingError((New-FakeAdIdentityNotFound -Identity $Identity -Command 'GetADComputer'))
	}

	function Get-ADObject {
		# Only -Identity <DN>, answering from "adObjects".
		[CmdletBinding()]
		param([Parameter(Mandatory, Position = 0)] [string] $Identity, [string[]] $Properties = @())
		Invoke-FakeHostHang -Command 'Get-ADObject'
		$entry = Get-FakeHostMapValue (Get-FakeHostValue -Path 'adObjects' -Default @{}) $Identity
		if ($null -eq $entry) { $PSCmdlet.ThrowTerminatingError((New-FakeAdIdentityNotFound -Identity $Identity -Command 'GetADObject')) }
		$name = $Identity
		if ($Identity -match '^CN=([^,]+)') { $name = $Matches[1] }
		[pscustomobject]@{ DistinguishedName = $Identity; Name = $name; ObjectClass = [string]$entry['objectClass'] }
	}
}
