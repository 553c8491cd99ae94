# gMSA: the KDS root key, the group managed service account the agent runs as, and the service's managed-account flag.
# Windows PowerShell 5.1 syntax only. Read-only: Get-KdsRootKey, Get-ADServiceAccount, Test-ADServiceAccount,
# Get-ADObject and `sc.exe qmanagedaccount` only query.

function Get-PadDefaultGmsaName {
	# The account the wizard creates (catalogue agent.json), as its sAMAccountName with the trailing '$'.
	[string](Get-PadAgentFacts).gmsa.defaultName + '$'
}

function Get-PadAccountSamName {
	# DOMAIN\name -> name; name@domain -> name; anything else unchanged.
	param([string] $AccountName)
	if (-not $AccountName) { return $AccountName }
	if ($AccountName.Contains('\')) { return $AccountName.Substring($AccountName.LastIndexOf('\') + 1) }
	if ($AccountName.Contains('@')) { return $AccountName.Substring(0, $AccountName.IndexOf('@')) }
	$AccountName
}

function Test-PadKdsRootKey {
	# [KDS]: "Domain Controllers (DC) require a root key to begin generating gMSA passwords. The domain controllers will
	# wait up to 10 hours from time of creation to allow all domain controllers to converge their AD replication before
	# allowing the creation of a gMSA." The lab key made with -EffectiveTime ((get-date).addhours(-10)) counts as usable.
	# [SA-CS]/[SA-KDS]: wizard error "Unable to create gMSA because KDS may not be running on domain controller".
	# Facts section 1b: Get-KdsRootKey may return nothing without Domain Admin rights, so an empty answer is only
	# conclusive for a Domain or Enterprise Admin.
	param([hashtable] $Context)
	# The key list is "rootKeys", not "keys": an evidence key named "keys" would shadow IDictionary.Keys in New-PadResult.
	$evidence = [ordered]@{ keyCount = 0; newestEffectiveTime = $null; rootKeys = @() }
	if (-not (Get-Command -Name Get-KdsRootKey -ErrorAction SilentlyContinue)) {
		return New-PadResult -Status unknown -FailureIds 'kds-module-missing' -Evidence $evidence -ErrorMessage 'Get-KdsRootKey is not available here: run the diagnosis on a domain controller or on a server with the AD DS tools (RSAT) installed.'
	}
	$now = [datetime]::UtcNow
	if ($Context -and $Context['Now']) { $now = ([datetime]$Context['Now']).ToUniversalTime() }
	$keys = @(Get-KdsRootKey -ErrorAction Stop | Where-Object { $null -ne $_ })

	$list = New-Object System.Collections.Generic.List[object]
	$newest = $null
	$converged = $false
	$effective = $false
	foreach ($key in $keys) {
		$time = Get-PadPropertyValue $key 'EffectiveTime'
		$utc = $null
		if ($null -ne $time) { $utc = ([datetime]$time).ToUniversalTime() }
		$list.Add([ordered]@{ keyId = [string](Get-PadPropertyValue $key 'KeyId'); effectiveTime = $utc })
		if ($null -eq $utc) { continue }
		if ($null -eq $newest -or $utc -gt $newest) { $newest = $utc }
		if ($utc -le $now.AddHours(-10)) { $converged = $true }
		if ($utc -le $now) { $effective = $true }
	}
	$evidence.keyCount = $keys.Count
	$evidence.newestEffectiveTime = $newest
	$evidence['rootKeys'] = $list.ToArray()

	if ($keys.Count -eq 0) {
		$isAdmin = $false
		try { $isAdmin = (Get-PadAdminGroup -GroupSids (Get-PadCurrentIdentity).GroupSids).Count -gt 0 } catch { $isAdmin = $false }
		$evidence['domainAdmin'] = $isAdmin
		if ($isAdmin) { return New-PadResult -Status fail -FailureIds 'kds-root-key-missing' -Evidence $evidence }
		return New-PadResult -Status warning -FailureIds 'kds-root-key-not-visible' -Evidence $evidence
	}
	if ($converged) { return New-PadResult -Status pass -Evidence $evidence }
	if ($effective) { return New-PadResult -Status warning -FailureIds 'kds-root-key-recent' -Evidence $evidence }
	New-PadResult -Status fail -FailureIds 'kds-root-key-not-effective' -Evidence $evidence
}

function Get-PadGmsaAccountName {
	# The gMSA to check: the account the service runs as when it is one (ends with '$'), else the wizard's default.
	# Facts section 3: newer builds may name it pGMSA_<hex>$, so the configured StartName is preferred.
	param($Service)
	$startName = [string](Get-PadPropertyValue $Service 'StartName')
	if ($startName -and $startName.EndsWith('$')) { return $startName }
	Get-PadDefaultGmsaName
}

function Test-PadPrincipalIsComputer {
	# True when a PrincipalsAllowedToRetrieveManagedPassword entry names this computer (by DN "CN=<name>,..." or name).
	param([string] $Principal, [string] $ComputerName)
	if (-not $Principal -or -not $ComputerName) { return $false }
	if ($Principal.StartsWith('CN=' + $ComputerName + ',', [System.StringComparison]::OrdinalIgnoreCase)) { return $true }
	if ($Principal -eq $ComputerName -or $Principal -eq ($ComputerName + '$')) { return $true }
	if ($Principal.Contains('\') -and ((Get-PadAccountSamName $Principal) -eq ($ComputerName + '$'))) { return $true }
	$false
}

function Get-PadAdObjectClass {
	# objectClass of a directory object by DN, or $null when it cannot be read.
	param([string] $DistinguishedName)
	if (-not (Get-Command -Name Get-ADObject -ErrorAction SilentlyContinue)) { return $null }
	try {
		$object = Get-ADObject -Identity $DistinguishedName -ErrorAction Stop
		$class = Get-PadPropertyValue $object 'ObjectClass'
		if ($null -ne $class) { return [string]$class }
	}
	catch { }
	$null
}

function Test-PadGmsaUsable {
	# Not stated by an Entra page: these pass criteria are standard gMSA semantics (facts section 3, UNVERIFIED for this
	# agent): Test-ADServiceAccount must return True on the host, and PrincipalsAllowedToRetrieveManagedPassword must
	# include this computer (directly, or through a group; group membership is not expanded here, so a list of groups
	# alone is not a failure). The account is the service's StartName when it is a gMSA, else provAgentgMSA$ ([PRQ],
	# [GMS]). When the account does not exist yet -> notApplicable: the wizard creates it.
	param([hashtable] $Context)
	$service = Get-PadAgentService
	$account = Get-PadGmsaAccountName -Service $service
	$sam = Get-PadAccountSamName $account
	$evidence = [ordered]@{ account = $account; testResult = $null; principalsAllowed = @(); computerListed = $null; otherPrincipalClasses = @() }

	$missing = @(foreach ($command in 'Get-ADServiceAccount', 'Test-ADServiceAccount') {
			if (-not (Get-Command -Name $command -ErrorAction SilentlyContinue)) { $command }
		})
	if ($missing.Count -gt 0) {
		$evidence['missingCommands'] = [string[]]$missing
		return New-PadResult -Status unknown -FailureIds 'ad-module-missing' -Evidence $evidence -ErrorMessage ('The ActiveDirectory module is not available (missing: ' + ($missing -join ', ') + ').')
	}

	try {
		$gmsa = Get-ADServiceAccount -Identity $sam -Properties PrincipalsAllowedToRetrieveManagedPassword -ErrorAction Stop
	}
	catch {
		$notFound = ([string]$_.FullyQualifiedErrorId -like '*ADIdentityNotFoundException*') -or
			($_.Exception.GetType().Name -eq 'ADIdentityNotFoundException') -or
			($_.CategoryInfo.Category -eq [System.Management.Automation.ErrorCategory]::ObjectNotFound)
		if ($notFound) {
			$evidence['exists'] = $false
			return New-PadResult -Status notApplicable -Evidence $evidence
		}
		throw
	}
	$evidence['exists'] = $true

	$principals = New-Object System.Collections.Generic.List[string]
	foreach ($p in @(Get-PadPropertyValue $gmsa 'PrincipalsAllowedToRetrieveManagedPassword')) { if ($p) { $principals.Add([string]$p) } }
	$evidence.principalsAllowed = $principals.ToArray()

	$testResult = $null
	foreach ($item in @(Test-ADServiceAccount -Identity $sam -ErrorAction Stop)) { if ($item -is [bool]) { $testResult = $item } }
	$evidence.testResult = $testResult

	$computer = [string]$env:COMPUTERNAME
	$listed = $false
	$others = New-Object System.Collections.Generic.List[object]
	$mayIncludeHost = $false
	foreach ($p in $principals) {
		if (Test-PadPrincipalIsComputer -Principal $p -ComputerName $computer) { $listed = $true; continue }
		$class = Get-PadAdObjectClass -DistinguishedName $p
		$others.Add([ordered]@{ principal = $p; objectClass = $class })
		# A group may contain this computer; an object of unknown class is given the benefit of the doubt.
		if ($null -eq $class -or $class -eq 'group') { $mayIncludeHost = $true }
	}
	$evidence.computerListed = $listed
	$evidence.otherPrincipalClasses = $others.ToArray()

	$failures = New-Object System.Collections.Generic.List[string]
	if ($testResult -ne $true) { $failures.Add('gmsa-not-usable-on-host') }
	if (-not $listed -and -not $mayIncludeHost) { $failures.Add('gmsa-host-not-allowed') }
	if ($failures.Count -eq 0) { return New-PadResult -Status pass -Evidence $evidence }
	New-PadResult -Status fail -FailureIds $failures.ToArray() -Evidence $evidence
}

function ConvertFrom-PadScManagedAccount {
	<#
	.SYNOPSIS
	The managed-account flag from `sc.exe qmanagedaccount <service>` output: $true, $false, or $null when not found.
	.NOTES
	The output layout is not documented in the facts file ([SA-LOS] only says the status "shows False"). Assumed sample:
	    [SC] QueryServiceConfig2 SUCCESS

	    SERVICE_NAME: AADConnectProvisioningAgent
	            ACCOUNT MANAGED   : TRUE
	Parsed tolerantly: the first line containing "MANAGED" and the word TRUE or FALSE.
	#>
	param([string[]] $Lines)
	foreach ($line in @($Lines)) {
		if (-not $line -or $line -notmatch 'MANAGED') { continue }
		if ($line -match '\bTRUE\b') { return $true }
		if ($line -match '\bFALSE\b') { return $false }
	}
	$null
}

function Test-PadManagedAccountFlag {
	# [SA-LOS]: "Failed changing Windows service credentials to gMSA" with System event 7038 "The user name or password is
	# incorrect."; `Sc.exe qmanagedaccount aadconnectprovisioningagent` shows False; fix `Sc.exe managedaccount ... true`.
	# So a service running as a gMSA (account ending in '$') must have the managed-account flag TRUE.
	param([hashtable] $Context)
	$service = Get-PadAgentService
	$account = [string](Get-PadPropertyValue $service 'StartName')
	$evidence = [ordered]@{ account = $account; managedAccount = $null; output = $null }
	if ($null -eq $service -or -not $account.EndsWith('$')) { return New-PadResult -Status notApplicable -Evidence $evidence }

	$previousPreference = $ErrorActionPreference
	try {
		# 'Continue' so that a line on stderr does not become a terminating error on Windows PowerShell 5.1.
		$ErrorActionPreference = 'Continue'
		$lines = @(sc.exe qmanagedaccount (Get-PadAgentServiceName) 2>&1 | ForEach-Object { [string]$_ })
		$exitCode = $LASTEXITCODE
	}
	finally { $ErrorActionPreference = $previousPreference }
	$text = (@($lines | Where-Object { $_ -and $_.Trim() } | ForEach-Object { $_.Trim() }) -join ' | ')
	if ($text.Length -gt 300) { $text = $text.Substring(0, 300) }
	$evidence.output = $text
	if ($exitCode -ne 0) {
		return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage ('sc.exe qmanagedaccount failed (exit code ' + [string]$exitCode + '): ' + $text)
	}
	$flag = ConvertFrom-PadScManagedAccount -Lines $lines
	$evidence.managedAccount = $flag
	if ($null -eq $flag) {
		return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage 'The output of sc.exe qmanagedaccount did not show the managed-account flag.'
	}
	if ($flag) { return New-PadResult -Status pass -Evidence $evidence }
	New-PadResult -Status fail -FailureIds 'gmsa-not-managed-account' -Evidence $evidence
}
