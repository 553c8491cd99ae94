# gMSA: the KDS root key, the group managed service account the agent runs as, and the service's managed-account flag.
# Windows PowerShell 5.1 syntax only. Read-only: Get-KdsRootKey, Get-ADServiceAccount, Test-ADServiceAccount,
# Get-ADComputer, Get-ADObject and `sc.exe qmanagedaccount` only query. PowerShell 7: Microsoft lists the
# ActiveDirectory module as natively compatible from Windows Server 1809 (2019) and Kds from 20H1, and states nothing
# for older servers; where pwsh lacks them the checks report the module as missing (could not check), never a pass.

function Get-PadAccountSamName {
	# DOMAIN\name -> name; name@domain -> name; anything else unchanged.
	param([string] $AccountName)
	if (-not $AccountName) { return $AccountName }
	if ($AccountName.Contains('\')) { return $AccountName.Substring($AccountName.LastIndexOf('\') + 1) }
	if ($AccountName.Contains('@')) { return $AccountName.Substring(0, $AccountName.IndexOf('@')) }
	$AccountName
}

function Test-PadKdsRootKey {
	# [KDS-2507]: "Domain Controllers (DC) require a root key to begin generating gMSA passwords. The domain controllers
	# will wait up to 10 hours from time of creation to allow all domain controllers to converge their AD replication
	# before allowing the creation of a gMSA." Its TIP: with -EffectiveImmediately the KDS of the target DC uses the key
	# at once, "other domain controllers will not be able to use the root key until replication is successful". So a
	# key is usable everywhere when EffectiveTime <= now AND CreationTime <= now - 10 h (the hours are in the check's
	# rules); effective but younger is the warning kds-root-key-recent; nothing effective yet is a fail.
	# An empty answer is conclusive only elevated and as a Domain Admin of this domain or an Enterprise Admin of its
	# forest (by SID, Get-PadDomainSids; facts section 1b). Unelevated, the filtered token hides the keys: that must not
	# be blamed on missing admin rights.
	# PowerShell 7: Microsoft lists the Kds module as natively compatible from Windows Server 20H1 only; where pwsh has
	# no Get-KdsRootKey (Windows Server 2016 and 2019) the check reports kds-module-missing, could not check.
	param([hashtable] $Context)
	$waitHours = [double](Get-PadCheckRules -CheckId 'gmsa.kds-root-key').convergenceHours
	# The key list is "rootKeys", not "keys": an evidence key named "keys" would shadow IDictionary.Keys in New-PadResult.
	$evidence = [ordered]@{ keyCount = 0; rootKeys = @(); usableAfter = $null; earliestEffectiveTime = $null; isElevated = $null; domainAdmin = $null }
	if (-not (Get-Command -Name Get-KdsRootKey -ErrorAction SilentlyContinue)) {
		return New-PadResult -Status unknown -FailureIds 'kds-module-missing' -Evidence $evidence -ErrorMessage 'Get-KdsRootKey is not available here: run the diagnosis on a domain controller or on a server with the AD DS tools (RSAT) installed.'
	}
	$now = [datetime]::UtcNow
	if ($Context -and $Context['Now']) { $now = ([datetime]$Context['Now']).ToUniversalTime() }
	$keys = @(Get-KdsRootKey -ErrorAction Stop | Where-Object { $null -ne $_ })

	$list = New-Object System.Collections.Generic.List[object]
	$usable = $false
	$effectiveCount = 0
	$earliestEffective = $null
	$firstUsableAll = $null
	$firstUsableEffective = $null
	foreach ($key in $keys) {
		# Both times are turned into UTC before any comparison: the cmdlet returns local times.
		$effective = Get-PadPropertyValue $key 'EffectiveTime'
		if ($null -ne $effective) { $effective = ([datetime]$effective).ToUniversalTime() }
		$created = Get-PadPropertyValue $key 'CreationTime'
		if ($null -ne $created) { $created = ([datetime]$created).ToUniversalTime() }
		$list.Add([ordered]@{ keyId = [string](Get-PadPropertyValue $key 'KeyId'); effectiveTime = $effective; creationTime = $created })
		if ($null -eq $effective) { continue }
		# A key without a CreationTime is dated by its EffectiveTime, the only time it has.
		if ($null -eq $created) { $created = $effective }
		$replicated = $created.AddHours($waitHours)
		$usableAt = $replicated
		if ($effective -gt $usableAt) { $usableAt = $effective }
		if ($null -eq $earliestEffective -or $effective -lt $earliestEffective) { $earliestEffective = $effective }
		if ($null -eq $firstUsableAll -or $usableAt -lt $firstUsableAll) { $firstUsableAll = $usableAt }
		if ($effective -le $now) {
			$effectiveCount++
			if ($created -le $now.AddHours(-$waitHours)) { $usable = $true }
			if ($null -eq $firstUsableEffective -or $replicated -lt $firstUsableEffective) { $firstUsableEffective = $replicated }
		}
	}
	$evidence.keyCount = $keys.Count
	$evidence['rootKeys'] = $list.ToArray()
	$evidence.earliestEffectiveTime = $earliestEffective

	if ($keys.Count -eq 0) {
		$identity = Get-PadCurrentIdentity
		$evidence.isElevated = [bool]$identity.IsElevated
		if (-not $identity.IsElevated) { return New-PadResult -Status warning -FailureIds 'kds-root-key-unelevated' -Evidence $evidence }
		$isAdmin = $null
		try { $isAdmin = (Get-PadDomainAdminGroups -GroupSids $identity.GroupSids -DomainSids (Get-PadDomainSids)).Count -gt 0 }
		catch { $isAdmin = $null }
		$evidence.domainAdmin = $isAdmin
		if ($isAdmin -eq $true) { return New-PadResult -Status fail -FailureIds 'kds-root-key-missing' -Evidence $evidence }
		return New-PadResult -Status warning -FailureIds 'kds-root-key-not-visible' -Evidence $evidence
	}
	if ($usable) { return New-PadResult -Status pass -Evidence $evidence }
	if ($effectiveCount -gt 0) {
		$evidence.usableAfter = $firstUsableEffective
		return New-PadResult -Status warning -FailureIds 'kds-root-key-recent' -Evidence $evidence
	}
	$evidence.usableAfter = $firstUsableAll
	New-PadResult -Status fail -FailureIds 'kds-root-key-not-effective' -Evidence $evidence
}

function Get-PadGmsaSearchFilter {
	# The -Filter that finds the wizard's gMSA by the names Microsoft gives it (agent.json): the object named
	# provAgentgMSA, or a sAMAccountName pGMSA_<hex>$ (facts section 3: one object may carry both).
	$gmsa = (Get-PadAgentFacts).gmsa
	"Name -eq '" + [string]$gmsa.defaultName + "' -or SamAccountName -like '" + [string]$gmsa.samAccountNamePattern + "'"
}

function Test-PadAccessDenied {
	# True for an error that says access was denied: category PermissionDenied or SecurityError, or an
	# UnauthorizedAccessException anywhere in the chain (what the AD cmdlets throw), without reading localized text.
	param($ErrorRecord)
	$category = $ErrorRecord.CategoryInfo.Category
	if ($category -eq [System.Management.Automation.ErrorCategory]::PermissionDenied -or $category -eq [System.Management.Automation.ErrorCategory]::SecurityError) { return $true }
	$exception = $ErrorRecord.Exception
	while ($null -ne $exception) {
		if ($exception -is [System.UnauthorizedAccessException]) { return $true }
		$exception = $exception.InnerException
	}
	$false
}

function Test-PadAdIdentityNotFound {
	# True for the AD cmdlets' "Cannot find an object with identity" (ADIdentityNotFoundException).
	param($ErrorRecord)
	([string]$ErrorRecord.FullyQualifiedErrorId -like '*ADIdentityNotFoundException*') -or
	($ErrorRecord.Exception.GetType().Name -eq 'ADIdentityNotFoundException') -or
	($ErrorRecord.CategoryInfo.Category -eq [System.Management.Automation.ErrorCategory]::ObjectNotFound)
}

function ConvertTo-PadEncryptionTypeNames {
	# msDS-SupportedEncryptionTypes as names, by the bit table of the check's rules ("Detect and remediate RC4 usage
	# in Kerberos"). 0 is "not defined" there; bits the table does not name are shown as a number.
	param($Value, [object[]] $Table)
	if ($null -eq $Value) { return 'not set' }
	$number = [long]$Value
	if ($number -eq 0) { return 'not defined' }
	$names = New-Object System.Collections.Generic.List[string]
	$known = [long]0
	foreach ($row in @($Table)) {
		$bit = [long]$row.bit
		$known = $known -bor $bit
		if (($number -band $bit) -ne 0) { $names.Add([string]$row.name) }
	}
	$rest = $number -band (-bnot $known)
	if ($rest -ne 0) { $names.Add('other bits 0x' + $rest.ToString('X')) }
	$names -join ', '
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
	# objectClass of a directory object by DN, or $null when it cannot be read (also under PowerShell 7 without the
	# ActiveDirectory module: the object then gets the benefit of the doubt).
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
	# The gMSA is resolved the way the agent does (facts section 3): the service's logon account when it is a gMSA
	# (ends with '$'), else the wizard's account searched by its documented names (Get-PadGmsaSearchFilter); never a
	# fixed name. Pass criteria are standard gMSA semantics (facts section 3, UNVERIFIED for this agent):
	# Test-ADServiceAccount True on this host, and this computer in PrincipalsAllowedToRetrieveManagedPassword
	# (directly, or through a group; group membership is not expanded here, so a list of groups alone is not a
	# failure). Before the wizard ran here (account found by search) a missing permission is only a warning: Create
	# gMSA "detects the existing account and adds the required permissions" ([INS]), and Test-ADServiceAccount cannot
	# succeed until then. [GMS] (2024): msDS-SupportedEncryptionTypes of the gMSA must match the computer account's.
	# No account found by the search -> notApplicable (the wizard creates it); access denied -> unknown, never
	# "not created". PowerShell 7: the ActiveDirectory module is natively compatible from Windows Server 1809 (2019);
	# where pwsh lacks its cmdlets (Windows Server 2016) the check reports ad-module-missing, could not check.
	param([hashtable] $Context)
	$table = @((Get-PadCheckRules -CheckId 'gmsa.account-usable').encryptionTypes)
	$service = Get-PadAgentService
	$startName = [string](Get-PadPropertyValue $service 'StartName')
	$evidence = [ordered]@{
		account               = $null
		samAccountName        = $null
		accountSource         = $null
		searchFilter          = $null
		candidates            = @()
		exists                = $null
		testResult            = $null
		principalsAllowed     = @()
		computerListed        = $null
		otherPrincipalClasses = @()
	}

	$missing = @(foreach ($command in 'Get-ADServiceAccount', 'Test-ADServiceAccount', 'Get-ADComputer') {
			if (-not (Get-Command -Name $command -ErrorAction SilentlyContinue)) { $command }
		})
	if ($missing.Count -gt 0) {
		$evidence['missingCommands'] = [string[]]$missing
		return New-PadResult -Status unknown -FailureIds 'ad-module-missing' -Evidence $evidence -ErrorMessage ('The ActiveDirectory module is not available (missing: ' + ($missing -join ', ') + ').')
	}

	$properties = [string[]]@('PrincipalsAllowedToRetrieveManagedPassword', 'msDS-SupportedEncryptionTypes')
	$gmsa = $null
	if ($startName.EndsWith('$')) {
		$evidence.account = $startName
		$evidence.accountSource = 'service'
		try { $gmsa = Get-ADServiceAccount -Identity (Get-PadAccountSamName $startName) -Properties $properties -ErrorAction Stop }
		catch {
			if (Test-PadAccessDenied $_) {
				return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage ('Active Directory denied reading the gMSA ' + $startName + ', so it could not be checked: ' + $_.Exception.Message)
			}
			if (Test-PadAdIdentityNotFound $_) {
				$evidence.exists = $false
				return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage ('The service logs on as ' + $startName + ', but Active Directory has no gMSA of that name: ' + $_.Exception.Message)
			}
			throw
		}
	}
	else {
		$filter = Get-PadGmsaSearchFilter
		$evidence.accountSource = 'search'
		$evidence.searchFilter = $filter
		try { $found = @(Get-ADServiceAccount -Filter $filter -Properties $properties -ErrorAction Stop | Where-Object { $null -ne $_ }) }
		catch {
			if (Test-PadAccessDenied $_) {
				return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage ('Active Directory denied the search for the agent''s gMSA, so it could not be checked: ' + $_.Exception.Message)
			}
			throw
		}
		$names = New-Object System.Collections.Generic.List[string]
		foreach ($candidate in $found) { $names.Add([string](Get-PadPropertyValue $candidate 'SamAccountName')) }
		$evidence.candidates = $names.ToArray()
		if ($found.Count -eq 0) {
			$evidence.exists = $false
			return New-PadResult -Status notApplicable -Evidence $evidence
		}
		# When the search finds several, the object named as the wizard names it comes first.
		$gmsa = $found[0]
		$defaultName = [string](Get-PadAgentFacts).gmsa.defaultName
		foreach ($candidate in $found) { if ([string](Get-PadPropertyValue $candidate 'Name') -eq $defaultName) { $gmsa = $candidate; break } }
	}
	$evidence.exists = $true
	$sam = [string](Get-PadPropertyValue $gmsa 'SamAccountName')
	if (-not $sam) { $sam = Get-PadAccountSamName $startName }
	$evidence.samAccountName = $sam
	if (-not $evidence.account) { $evidence.account = $sam }

	$principals = New-Object System.Collections.Generic.List[string]
	foreach ($p in @(Get-PadPropertyValue $gmsa 'PrincipalsAllowedToRetrieveManagedPassword')) { if ($p) { $principals.Add([string]$p) } }
	$evidence.principalsAllowed = $principals.ToArray()

	$testResult = $null
	try { foreach ($item in @(Test-ADServiceAccount -Identity $sam -ErrorAction Stop)) { if ($item -is [bool]) { $testResult = $item } } }
	catch {
		if (Test-PadAccessDenied $_) { return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage ('Test-ADServiceAccount was denied access, so the gMSA could not be checked: ' + $_.Exception.Message) }
		throw
	}
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

	# Encryption types: the gMSA's against this server's computer account's. A value that cannot be read leaves them
	# uncompared (a note says so), never a failure: with nothing to copy, the documented fix cannot apply.
	$gmsaTypes = Get-PadPropertyValue $gmsa 'msDS-SupportedEncryptionTypes'
	if ($null -ne $gmsaTypes) { $gmsaTypes = [int]$gmsaTypes }
	$evidence['gmsaEncryptionTypes'] = $gmsaTypes
	$evidence['gmsaEncryptionTypeNames'] = ConvertTo-PadEncryptionTypeNames -Value $gmsaTypes -Table $table
	$computerTypes = $null
	$compareError = $null
	try {
		$computerAccount = Get-ADComputer -Identity $computer -Properties 'msDS-SupportedEncryptionTypes' -ErrorAction Stop
		$computerTypes = Get-PadPropertyValue $computerAccount 'msDS-SupportedEncryptionTypes'
		if ($null -ne $computerTypes) { $computerTypes = [int]$computerTypes }
		else { $compareError = 'the computer account has no msDS-SupportedEncryptionTypes value to compare with' }
	}
	catch { $compareError = 'the computer account could not be read (' + $_.Exception.Message + ')' }
	$evidence['computerEncryptionTypes'] = $computerTypes
	$evidence['computerEncryptionTypeNames'] = ConvertTo-PadEncryptionTypeNames -Value $computerTypes -Table $table
	$evidence['encryptionTypesCompared'] = ($null -eq $compareError)
	if ($null -ne $compareError) { $evidence['encryptionTypesError'] = $compareError }

	$failures = New-Object System.Collections.Generic.List[string]
	$beforeWizard = ($evidence.accountSource -eq 'search')
	$notAllowed = (-not $listed -and -not $mayIncludeHost)
	if ($notAllowed -and $beforeWizard) { $failures.Add('gmsa-host-not-yet-allowed') }
	elseif ($notAllowed) { $failures.Add('gmsa-host-not-allowed') }
	# Until the wizard grants this server the password, Test-ADServiceAccount cannot succeed: no failure of its own.
	if ($testResult -ne $true -and -not ($notAllowed -and $beforeWizard)) { $failures.Add('gmsa-not-usable-on-host') }
	if ($null -eq $compareError -and $gmsaTypes -ne $computerTypes) { $failures.Add('gmsa-encryption-types-differ') }
	if ($failures.Count -eq 0) { return New-PadResult -Status pass -Evidence $evidence }
	$ids = $failures.ToArray()
	New-PadResult -Status (Get-PadWorstSeverity -CheckId 'gmsa.account-usable' -FailureIds $ids) -FailureIds $ids -Evidence $evidence
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
