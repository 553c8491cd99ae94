# Server: policies stored in the registry that the agent's installation and registration depend on (execution
# policy, outgoing NTLM, IE Enhanced Security Configuration). Read-only. Windows PowerShell 5.1 syntax only.
# Keys and value names are the checks' rules; an unreadable or unrecognised value is "could not check", never a pass.

function Read-PadExecutionPolicyScope {
	# One scope of the execution policy as Windows PowerShell 5.1 stores it (about_Execution_Policies, 5.1: "stored in
	# the registry"; the Group Policy setting "Turn on Script Execution": disabled = Restricted, enabled = the policy
	# chosen, not configured = no effect). Returns @{ Policy = name or $null; Problem = why it could not be read }.
	param([Parameter(Mandatory = $true)] $Scope, [Parameter(Mandatory = $true)] $Rules)
	$path = [string]$Scope.path
	try { $key = Read-PadServerRegistryKey -Path $path }
	catch { return @{ Policy = $null; Problem = ([string]$Scope.scope + ': ' + $path + ' could not be read (' + $_.Exception.Message + ')') } }
	$value = Get-PadPropertyValue $key 'ExecutionPolicy'
	$names = @($Rules.knownPolicies)
	if ([string]$Scope.kind -eq 'groupPolicy') {
		$enable = Get-PadPropertyValue $key 'EnableScripts'
		if ($null -eq $enable) { return @{ Policy = 'Undefined'; Problem = $null } }
		if ([string]$enable -eq '0') { return @{ Policy = [string]$Rules.groupPolicyDisabled; Problem = $null } }
		if ([string]$enable -ne '1') {
			return @{ Policy = $null; Problem = ([string]$Scope.scope + ': EnableScripts at ' + $path + ' is ' + [string]$enable + ', neither 0 nor 1') }
		}
		$names = @($Rules.groupPolicyValues)
	}
	elseif ($null -eq $value) { return @{ Policy = 'Undefined'; Problem = $null } }
	foreach ($name in $names) { if ([string]$value -ieq [string]$name) { return @{ Policy = [string]$name; Problem = $null } } }
	@{ Policy = $null; Problem = ([string]$Scope.scope + ": ExecutionPolicy at " + $path + " is '" + [string]$value + "', not a policy this check recognises") }
}

function Test-PadExecutionPolicy {
	# how-to-prerequisites: "The PowerShell execution policy on the local server must be set to Undefined or RemoteSigned."
	# how-to-troubleshoot ("Agent registration fails with security error"): "You need to have machine and user policies
	# set as Undefined or RemoteSigned. If they're set as Unrestricted, you'll see this error."
	# Read from the registry, as Windows PowerShell 5.1 sees it, also when PowerShell 7 runs the diagnosis (7 keeps its
	# own LocalMachine and CurrentUser policies in configuration files). The Process scope belongs to this session and
	# is not checked. Scopes are in the rules in precedence order.
	param([hashtable] $Context)
	$rules = Get-PadCheckRules -CheckId 'server.execution-policy'
	$evidence = [ordered]@{}
	$problems = New-Object System.Collections.Generic.List[string]
	$unrestricted = $false
	$unsupported = $false
	$effective = $null
	$effectiveKnown = $true
	foreach ($scope in @($rules.scopes)) {
		$name = [string]$scope.scope
		$read = Read-PadExecutionPolicyScope -Scope $scope -Rules $rules
		$evidence[$name.Substring(0, 1).ToLowerInvariant() + $name.Substring(1)] = $read.Policy
		if ($read.Problem) {
			$problems.Add($read.Problem)
			if ($null -eq $effective) { $effectiveKnown = $false }
			continue
		}
		if ($null -eq $effective -and $read.Policy -ne 'Undefined') { $effective = $read.Policy }
		if (@($rules.allowed) -contains $read.Policy) { continue }
		if ($read.Policy -eq 'Unrestricted') { $unrestricted = $true }
		else { $unsupported = $true }
	}
	# about_Execution_Policies: with every scope Undefined the effective policy is RemoteSigned on Windows Server.
	if ($null -eq $effective -and $effectiveKnown) { $effective = [string]$rules.defaultOnServer }
	$evidence['effective'] = $effective
	$failures = New-Object System.Collections.Generic.List[string]
	if ($unrestricted) { $failures.Add('execution-policy-unrestricted') }
	if ($unsupported) { $failures.Add('execution-policy-unsupported') }
	if ($failures.Count -gt 0) { return New-PadResult -Status fail -FailureIds $failures.ToArray() -Evidence $evidence }
	if ($problems.Count -gt 0) { return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage ('Could not check the execution policy: ' + ($problems -join '; ') + '.') }
	New-PadResult -Status pass -Evidence $evidence
}

function Test-PadNtlm {
	# how-to-prerequisites: deny NTLM on the agent server ("Network security: Restrict NTLM: Outgoing NTLM traffic to
	# remote servers"); reference-version-history 1.1.1365.0: "Fixed provisioning agent incorrect creds if NTLM traffic
	# is set to 'Deny-All'". So Deny all with an installed agent older than that is a warning; otherwise pass (notes
	# carry the recommendation). The registry form of the policy is the check's rules.
	param([hashtable] $Context)
	$rules = Get-PadCheckRules -CheckId 'server.ntlm'
	$raw = Get-PadPropertyValue (Read-PadServerRegistryKey -Path ([string]$rules.key)) ([string]$rules.value)
	$agent = Get-PadInstalledAgentVersion
	$evidence = [ordered]@{
		restrictSendingNtlmTraffic = $raw
		outgoingNtlmPolicy         = [string]$rules.notDefined
		denyAll                    = $false
		agentVersion               = $null
	}
	if ($null -ne $agent) { $evidence['agentVersion'] = $agent.ToString() }
	if ($null -ne $raw) {
		$setting = $null
		foreach ($entry in @($rules.settings)) { if ([string]$entry.value -eq [string]$raw) { $setting = $entry } }
		if ($null -eq $setting) {
			$evidence['outgoingNtlmPolicy'] = $null
			$evidence['denyAll'] = $null
			return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage ("The value " + [string]$rules.value + " is '" + [string]$raw + "', which this check does not recognise.")
		}
		$evidence['restrictSendingNtlmTraffic'] = [long]$raw
		$evidence['outgoingNtlmPolicy'] = [string]$setting.name
		$evidence['denyAll'] = ([string]$raw -eq [string]$rules.denyAllValue)
	}
	if ($evidence['denyAll'] -and $null -ne $agent -and $agent -lt [version][string]$rules.fixedInAgentVersion) {
		return New-PadResult -Status warning -FailureIds 'ntlm-deny-all-old-agent' -Evidence $evidence
	}
	New-PadResult -Status pass -Evidence $evidence
}

function Test-PadIeEsc {
	# how-to-install: "If you have Internet Explorer enhanced security enabled, it blocks the sign-in." On for
	# administrators (who run the wizard) is a warning; keys absent (no IE ESC on this Windows) pass. Where the state
	# is stored is the check's rules.
	param([hashtable] $Context)
	$rules = Get-PadCheckRules -CheckId 'server.ie-esc'
	$evidence = [ordered]@{}
	$problems = New-Object System.Collections.Generic.List[string]
	foreach ($component in @($rules.components)) {
		$key = Read-PadServerRegistryKey -Path ([string]$component.key)
		$state = $null
		if ($null -ne $key) {
			$value = Get-PadPropertyValue $key ([string]$rules.value)
			if ([string]$value -eq [string]$rules.on) { $state = 'on' }
			elseif ([string]$value -eq [string]$rules.off) { $state = 'off' }
			else { $problems.Add([string]$component.for + ": " + [string]$rules.value + " is '" + [string]$value + "'") }
		}
		$evidence[[string]$component.for] = $state
	}
	if ($evidence['administrators'] -eq 'on') { return New-PadResult -Status warning -FailureIds 'ie-esc-on' -Evidence $evidence }
	if ($problems.Count -gt 0) { return New-PadResult -Status unknown -Evidence $evidence -ErrorMessage ('Could not read IE Enhanced Security Configuration: ' + ($problems -join '; ') + '.') }
	New-PadResult -Status pass -Evidence $evidence
}
