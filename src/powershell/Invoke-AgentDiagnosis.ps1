<#
.SYNOPSIS
Checks the prerequisites of the Microsoft Entra Connect cloud sync provisioning agent (AADConnectProvisioningAgent)
on this server and writes the results as one JSON file. Read-only: no check changes the system.

.DESCRIPTION
All checks run in this one PowerShell process, each in its own runspace with its own time budget, so a check that
hangs (an unreachable domain controller, say) is reported as timed out instead of stopping the diagnosis. A check
stuck in a call PowerShell cannot interrupt is abandoned, not waited for: the result is still written on time, and a
-File run still exits.
The result file is written to a temporary name beside -ResultPath and then renamed, so a reader never sees half a file.
Runs on Windows PowerShell 5.1 and PowerShell 7.

.PARAMETER ResultPath
Where to write the JSON result (alias -OutFile).

.PARAMETER Check
Ids of the checks to run (e.g. service.logon-right); all checks when omitted.

.PARAMETER Cloud
Which endpoint list the network check uses: public or usgov.

.PARAMETER EventDays
How many days back the event log checks look.

.PARAMETER WizardAccount
The account the admin will type into the agent's setup wizard (DOMAIN\name or name@domain), whose readiness the
wizard-account check verifies. Empty means the user running the diagnosis.

.PARAMETER ComputerName
Other servers to diagnose through PowerShell remoting over WinRM (Kerberos inside the domain; -Credential to be asked
for other credentials). The result file then holds one result per server (schemaVersion 2).

.PARAMETER HostName
Other servers to diagnose through PowerShell remoting over SSH (PowerShell 7 on both sides), each [user@]host[:port];
the key comes from the SSH agent or -KeyFilePath. Can be combined with -ComputerName.

.PARAMETER ThrottleLimit
How many servers are diagnosed at the same time.

.PARAMETER RemoteTimeoutSeconds
The overall time limit of a run on several servers: a server not done by then is reported as timed out.

.EXAMPLE
powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\Invoke-AgentDiagnosis.ps1 -OutFile C:\Temp\diagnosis.json

.EXAMPLE
.\Invoke-AgentDiagnosis.ps1 -OutFile C:\Temp\agents.json -ComputerName AGENT01,AGENT02,AGENT03
#>
[CmdletBinding()]
param(
	[Parameter(Mandatory = $true)]
	[Alias('OutFile')]
	[string] $ResultPath,
	[string[]] $Check = @(),
	[ValidateSet('public', 'usgov')]
	[string] $Cloud = 'public',
	[ValidateRange(1, 365)]
	[int] $EventDays = 7,
	[ValidateRange(1, 3600)]
	[int] $CheckTimeoutSeconds = 60,
	[ValidateRange(1, 300)]
	[int] $NetworkTimeoutSeconds = 10,
	[ValidateRange(1, 64)]
	[int] $MaxConcurrency = 8,
	[string] $WizardAccount = '',
	# Optional: one JSON line per check is appended here as each check ends, so a caller can show results before the
	# run is over. The result file stays the one complete answer; this file is only progress.
	[string] $ProgressPath = '',
	[string[]] $ComputerName = @(),
	[string[]] $HostName = @(),
	[System.Management.Automation.PSCredential] $Credential,
	[string] $KeyFilePath = '',
	# Options for the SSH client (ssh -o), e.g. @{ StrictHostKeyChecking = 'yes' }; PowerShell 7.3 or later.
	[hashtable] $SshOption = @{},
	[ValidateRange(1, 64)]
	[int] $ThrottleLimit = 8,
	[ValidateRange(10, 86400)]
	[int] $RemoteTimeoutSeconds = 600,
	[ValidateRange(1000, 600000)]
	[int] $ConnectingTimeoutMs = 20000
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'
$startedAt = [datetime]::UtcNow
# The overall deadline of a run on several servers counts from here, so the whole script ends within it.
$scriptClock = [System.Diagnostics.Stopwatch]::StartNew()
$modulePath = Join-Path $PSScriptRoot 'PadProbes.psm1'
# Relative to the current PowerShell location (Set-Location), not to the folder the process started in.
$resultFullPath = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($ResultPath)
$progressFullPath = ''
if ($ProgressPath) { $progressFullPath = $PSCmdlet.GetUnresolvedProviderPathFromPSPath($ProgressPath) }
# Only the host itself calls a script started with -File, so the call stack holds this script alone.
$scriptCallDepth = @(Get-PSCallStack).Count

function Test-PadStartedWithFile {
	<#
	True when the PowerShell process was started to run this script (powershell.exe/pwsh -File <this script>, or pwsh
	with the script as its first argument), so the process ends when the script ends: only then may the script end
	the process itself. A script called from a prompt, -Command or another script has more than one frame on the
	call stack.
	#>
	if ($scriptCallDepth -gt 1) { return $false }
	$arguments = @([System.Environment]::GetCommandLineArgs())
	for ($i = 1; $i -lt $arguments.Count; $i++) {
		$candidate = $null
		try { $candidate = [System.IO.Path]::GetFullPath([string]$arguments[$i]) } catch { continue }
		if ([string]::Equals($candidate, $PSCommandPath, [System.StringComparison]::OrdinalIgnoreCase)) { return $true }
	}
	$false
}

function Write-PadResultFile {
	param([Parameter(Mandatory = $true)] $Result, [Parameter(Mandatory = $true)] [string] $Path)
	$json = ConvertTo-Json -InputObject $Result -Depth 12
	$dir = [System.IO.Path]::GetDirectoryName($Path)
	# CreateDirectory keeps the name exactly as given (New-Item would trim a trailing space from a folder name).
	if ($dir) { [void][System.IO.Directory]::CreateDirectory($dir) }
	$temp = $Path + '.' + [System.Diagnostics.Process]::GetCurrentProcess().Id + '.tmp'
	try {
		# UTF-8 without BOM on 5.1 and 7 alike (5.1's Out-File and Set-Content would not).
		[System.IO.File]::WriteAllText($temp, $json, (New-Object System.Text.UTF8Encoding $false))
		if ([System.IO.File]::Exists($Path)) { [System.IO.File]::Replace($temp, $Path, [NullString]::Value) }
		else { [System.IO.File]::Move($temp, $Path) }
	}
	finally {
		# Left behind only when writing or renaming failed; the error itself still reaches the caller.
		if ([System.IO.File]::Exists($temp)) { try { [System.IO.File]::Delete($temp) } catch { } }
	}
}

function New-PadRunParameters {
	# The run's parameters as the result file records them; a run on several servers adds its remote time limit.
	param([string[]] $CheckIds, $RemoteTimeoutSeconds)
	$parameters = [ordered]@{
		cloud                 = $Cloud
		eventDays             = $EventDays
		checkTimeoutSeconds   = $CheckTimeoutSeconds
		networkTimeoutSeconds = $NetworkTimeoutSeconds
	}
	if ($null -ne $RemoteTimeoutSeconds) { $parameters['remoteTimeoutSeconds'] = $RemoteTimeoutSeconds }
	$parameters['wizardAccount'] = $WizardAccount
	$parameters['checks'] = [string[]]@($CheckIds)
	$parameters
}

function Add-PadProgressLine {
	# One line of compressed JSON (ConvertTo-Json escapes line breaks inside strings), appended whole. Progress is a
	# courtesy: a failure to write it never ends the run.
	param([string] $Path, [string] $Id, $Result)
	if (-not $Path) { return }
	try {
		$line = ConvertTo-Json -Compress -Depth 12 -InputObject ([ordered]@{
				id         = $Id
				status     = [string]$Result.status
				failureIds = [string[]]@($Result.failureIds)
				evidence   = $Result.evidence
				error      = $Result.error
				durationMs = [int]$Result.durationMs
			})
		[System.IO.File]::AppendAllText($Path, $line + "`n", (New-Object System.Text.UTF8Encoding $false))
	}
	catch { Write-Host ('  Could not write progress to ' + $Path + ': ' + $_.Exception.Message) -ForegroundColor Yellow }
}

function Write-PadProgress {
	param([string] $Id, [string] $Status, [int] $DurationMs, [string] $ErrorMessage)
	$color = 'Gray'
	if ($Status -eq 'pass') { $color = 'Green' }
	elseif ($Status -eq 'fail') { $color = 'Red' }
	elseif ($Status -eq 'warning' -or $Status -eq 'unknown') { $color = 'Yellow' }
	$line = ('  {0,-14} {1} ({2} ms)' -f ('[' + $Status + ']'), $Id, $DurationMs)
	if ($ErrorMessage) { $line = $line + ' - ' + $ErrorMessage }
	Write-Host $line -ForegroundColor $color
}

# With -File, a list arrives as one comma-separated string.
$Check = @($Check | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
$ComputerName = @($ComputerName | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })
$HostName = @($HostName | ForEach-Object { $_ -split ',' } | ForEach-Object { $_.Trim() } | Where-Object { $_ })

if ($ComputerName.Count -gt 0 -or $HostName.Count -gt 0) {
	# Several servers: the same diagnosis on each, through remoting, into one result file (remote/PadRemoting.ps1).
	Import-Module $modulePath -Force
	. (Join-Path $PSScriptRoot 'remote/PadRemoting.ps1')
	$fatal = $null
	$servers = @()
	$targets = @()
	try {
		if ($HostName.Count -gt 0 -and $PSVersionTable.PSVersion.Major -lt 7) { throw 'Remoting over SSH (-HostName) needs PowerShell 7 on this computer; use -ComputerName (WinRM) from Windows PowerShell.' }
		$targets = @(@($ComputerName | ForEach-Object { ConvertTo-PadRemoteTarget -Name $_ -Transport WinRM }) + @($HostName | ForEach-Object { ConvertTo-PadRemoteTarget -Name $_ -Transport SSH }))
		$seen = @{}
		foreach ($t in $targets) {
			if ($seen.ContainsKey($t.Name)) { throw ('The server ' + $t.Name + ' is named twice.') }
			$seen[$t.Name] = $true
		}
		Write-Host ('Provisioning Agent Doctor: running the diagnosis on {0} server(s): {1}' -f $targets.Count, (@($targets | ForEach-Object { $_.Name }) -join ', '))
		$remoteParameters = @{ Cloud = $Cloud; EventDays = $EventDays; CheckTimeoutSeconds = $CheckTimeoutSeconds; NetworkTimeoutSeconds = $NetworkTimeoutSeconds; MaxConcurrency = $MaxConcurrency; WizardAccount = $WizardAccount }
		if ($Check.Count -gt 0) { $remoteParameters['Check'] = [string[]]$Check }
		$bundle = Get-PadRemoteBundle -Root $PSScriptRoot -CatalogueRoot (Get-PadCatalogueRoot)
		$servers = @(Invoke-PadFanOut -Targets $targets -Bundle $bundle -Parameters $remoteParameters -Credential $Credential -KeyFilePath $KeyFilePath -SshOption $SshOption -ThrottleLimit $ThrottleLimit -TimeoutSeconds $RemoteTimeoutSeconds -ConnectingTimeoutMs $ConnectingTimeoutMs -Clock $scriptClock)
	}
	catch { $fatal = [ordered]@{ code = 'remote-setup'; message = $_.Exception.Message } }
	if ($fatal) { Write-Host ('  ' + $fatal.message) -ForegroundColor Yellow }
	$combined = [ordered]@{
		schemaVersion = 2
		tool          = 'provisioning-agent-doctor'
		startedAt     = $startedAt.ToString('o')
		finishedAt    = [datetime]::UtcNow.ToString('o')
		parameters    = New-PadRunParameters -CheckIds $Check -RemoteTimeoutSeconds $RemoteTimeoutSeconds
		fatal         = $fatal
		servers       = $servers
	}
	Write-PadResultFile -Result $combined -Path $resultFullPath
	Write-Host ('Result written to ' + $resultFullPath)
	Remove-Module PadProbes -ErrorAction SilentlyContinue
	return
}

$hostInfo = [ordered]@{
	computerName = [string]$env:COMPUTERNAME
	isWindows    = $false
	psVersion    = $PSVersionTable.PSVersion.ToString()
	psEdition    = 'Desktop'
	isElevated   = $null
	userName     = [System.Environment]::UserName
}
if (-not $hostInfo.computerName) { $hostInfo.computerName = [System.Environment]::MachineName }
if ($PSVersionTable.ContainsKey('PSEdition')) { $hostInfo.psEdition = [string]$PSVersionTable.PSEdition }

$fatal = $null
$checkResults = New-Object System.Collections.Generic.List[object]
$pool = $null
$jobs = @()
$selected = @()
Import-Module $modulePath -Force
try {
	# The check list, budgets and rules come from the catalogue, the same data the extension shows.
	$catalogueText = Read-PadCatalogueText
	$catalogue = ConvertFrom-PadCatalogueText -Text $catalogueText
	Set-PadCatalogue $catalogue
	$allIds = @($catalogue.Checks | ForEach-Object { $_.Id })
	$selected = @($catalogue.Checks | Where-Object { $Check.Count -eq 0 -or $Check -contains $_.Id })
	$unknownIds = @($Check | Where-Object { $allIds -notcontains $_ })
	Write-Host ('Provisioning Agent Doctor: running {0} check(s) on {1}' -f $selected.Count, $hostInfo.computerName)
	if ($unknownIds.Count -gt 0) { throw ('Unknown check id(s): ' + ($unknownIds -join ', ')) }
	$hostInfo.isWindows = ((Get-PadPlatform) -eq 'Windows')
	if (-not $hostInfo.isWindows) {
		$fatal = [ordered]@{ code = 'not-windows'; message = 'This is not Windows. Run the diagnosis on the Windows Server that hosts (or will host) the provisioning agent.' }
	}
	else {
		try {
			$identity = Get-PadCurrentIdentity
			$hostInfo.isElevated = [bool]$identity.IsElevated
			$hostInfo.userName = [string]$identity.Name
		}
		catch { Write-Host ('  Could not read the current identity: ' + $_.Exception.Message) -ForegroundColor Yellow }
	}

	if (-not $fatal) {
		$context = @{
			Cloud                 = $Cloud
			EventDays             = $EventDays
			NetworkTimeoutSeconds = $NetworkTimeoutSeconds
			Now                   = $startedAt
			CatalogueText         = $catalogueText
			WizardAccount         = $WizardAccount
		}
		# Each runspace gets the probes, plus any module loaded in this session that provides a command the probes
		# call (a site's proxy for an AD cmdlet, say), so probes see the same commands as this session.
		$iss = [System.Management.Automation.Runspaces.InitialSessionState]::CreateDefault2()
		# PowerShell's own modules are in every runspace already; only the others are candidates.
		$candidates = @(Get-Module | Where-Object { $_.Path -and $_.Name -ne 'PadProbes' -and $_.Name -notlike 'Microsoft.PowerShell.*' -and $_.Name -ne 'PSReadLine' })
		$probeCommands = $null
		if ($candidates.Count -gt 0) { $probeCommands = Get-PadProbeCommandName }
		foreach ($m in $candidates) {
			$provides = @($m.ExportedCommands.Keys | Where-Object { $probeCommands.Contains($_) })
			if ($provides.Count -gt 0) { $iss.ImportPSModule([string[]]@($m.Path)) }
		}
		$iss.ImportPSModule([string[]]@($modulePath))
		$pool = [System.Management.Automation.Runspaces.RunspaceFactory]::CreateRunspacePool(1, $MaxConcurrency, $iss, $Host)
		$pool.Open()
		# Each check's budget starts when it starts running, not when the diagnosis starts: the pool runs at most
		# MaxConcurrency checks at once, and when a domain controller does not answer, more checks than that can wait
		# on it, so a check still queued behind them must not be reported as timed out. Invoke-PadProbe writes the
		# moment it starts into this synchronized table.
		$context['Started'] = [hashtable]::Synchronized(@{})
		$clock = [System.Diagnostics.Stopwatch]::StartNew()
		$context['Clock'] = $clock
		$jobs = @(foreach ($entry in $selected) {
				$budgetMs = $CheckTimeoutSeconds * 1000
				if ($null -ne $entry.NetworkTimeoutPlusSeconds) { $budgetMs = ($NetworkTimeoutSeconds + [int]$entry.NetworkTimeoutPlusSeconds) * 1000 }
				$job = [pscustomobject]@{ Entry = $entry; BudgetMs = $budgetMs; PowerShell = $null; Handle = $null; Result = $null }
				if ($entry.Probe) {
					$ps = [System.Management.Automation.PowerShell]::Create()
					$ps.RunspacePool = $pool
					[void]$ps.AddCommand('Invoke-PadProbe').AddParameter('Probe', [string]$entry.Probe).AddParameter('CheckId', [string]$entry.Id).AddParameter('Context', $context)
					$job.PowerShell = $ps
					$job.Handle = $ps.BeginInvoke()
				}
				else {
					$job.Result = [pscustomobject]@{ status = 'manual'; failureIds = [string[]]@(); evidence = [ordered]@{}; error = $null; durationMs = 0 }
				}
				$job
			})
		$open = New-Object System.Collections.Generic.List[object]
		foreach ($job in $jobs) { if ($null -eq $job.Result) { $open.Add($job) } }
		while ($open.Count -gt 0) {
			# Wake when a check ends, or at least every 100 ms to look at the budgets (WaitAny takes at most 64 handles).
			$handles = @($open | Select-Object -First 64 | ForEach-Object { $_.Handle.AsyncWaitHandle })
			[void][System.Threading.WaitHandle]::WaitAny([System.Threading.WaitHandle[]]$handles, 100)
			$now = $clock.ElapsedMilliseconds
			# A copy: the loop removes finished checks from the list (and @() of a List[object] fails on 7.6: "Argument types do not match").
			foreach ($job in $open.ToArray()) {
				$id = [string]$job.Entry.Id
				if ($job.Handle.IsCompleted) {
					try {
						$output = @($job.PowerShell.EndInvoke($job.Handle))
						$result = $null
						if ($output.Count -gt 0) { $result = $output[$output.Count - 1] }
						if ($null -eq $result) { throw 'The probe returned nothing.' }
					}
					catch {
						$result = [pscustomobject]@{ status = 'unknown'; failureIds = [string[]]@(); evidence = [ordered]@{}; error = $_.Exception.Message; durationMs = 0 }
					}
					$job.Result = $result
				}
				else {
					$runningSince = $context['Started'][$id]
					$message = $null
					if ($null -ne $runningSince) {
						if ($now - [long]$runningSince -ge $job.BudgetMs) { $message = 'Timed out after {0} s' -f [int]($job.BudgetMs / 1000) }
					}
					elseif ($now -ge 2 * [long]$job.BudgetMs) {
						# Every runspace is held by checks that do not stop (blocked in a native or .NET call).
						$message = 'Did not start within {0} s: every runspace was held by checks that did not answer' -f [int](2 * $job.BudgetMs / 1000)
					}
					if ($null -ne $message) {
						# Stop asynchronously: a probe blocked in a native or .NET call does not stop at all until that
						# call returns, and must not hold up the result. Its PowerShell instance is abandoned (see the end).
						[void]$job.PowerShell.BeginStop($null, $null)
						$job.Result = [pscustomobject]@{ status = 'unknown'; failureIds = [string[]]@(); evidence = [ordered]@{}; error = $message; durationMs = $job.BudgetMs }
					}
				}
				if ($null -ne $job.Result) {
					[void]$open.Remove($job)
					Write-PadProgress -Id $id -Status ([string]$job.Result.status) -DurationMs ([int]$job.Result.durationMs) -ErrorMessage $job.Result.error
					Add-PadProgressLine -Path $progressFullPath -Id $id -Result $job.Result
				}
			}
		}
		# The result keeps the catalogue's order, whatever order the checks ended in.
		foreach ($job in $jobs) {
			$result = $job.Result
			$checkResults.Add([ordered]@{
					id         = [string]$job.Entry.Id
					status     = [string]$result.status
					failureIds = [string[]]@($result.failureIds)
					evidence   = $result.evidence
					error      = $result.error
					durationMs = [int]$result.durationMs
				})
		}
	}
}
catch {
	$fatal = [ordered]@{ code = 'unexpected'; message = $_.Exception.Message }
}

if ($fatal) {
	# Every selected check still appears, so the reader can show each one as not checked.
	$checkResults.Clear()
	foreach ($entry in $selected) {
		$checkResults.Add([ordered]@{ id = [string]$entry.Id; status = 'unknown'; failureIds = [string[]]@(); evidence = [ordered]@{}; error = $fatal.message; durationMs = 0 })
	}
	Write-Host ('  ' + $fatal.message) -ForegroundColor Yellow
}

$result = [ordered]@{
	schemaVersion = 1
	tool          = 'provisioning-agent-doctor'
	startedAt     = $startedAt.ToString('o')
	finishedAt    = [datetime]::UtcNow.ToString('o')
	host          = $hostInfo
	parameters    = New-PadRunParameters -CheckIds @($selected | ForEach-Object { [string]$_.Id })
	fatal         = $fatal
	checks        = $checkResults.ToArray()
}
Write-PadResultFile -Result $result -Path $resultFullPath
Write-Host ('Result written to ' + $resultFullPath)

# Clean up without ever waiting on a check that did not finish: Dispose and a synchronous Close would wait for its
# thread, which a call stuck in native or .NET code never hands back. The pool closes in the background once it can.
$stuck = @($jobs | Where-Object { $_.PowerShell -and -not $_.Handle.IsCompleted })
if ($pool) {
	foreach ($job in $jobs) { if ($job.PowerShell -and $job.Handle.IsCompleted) { $job.PowerShell.Dispose() } }
	[void]$pool.BeginClose($null, $null)
}
Remove-Module PadProbes -ErrorAction SilentlyContinue

if ($stuck.Count -gt 0) {
	Write-Host ('  Still running after its time budget, left to end in the background: ' + (@($stuck | ForEach-Object { [string]$_.Entry.Id }) -join ', ')) -ForegroundColor Yellow
	if (Test-PadStartedWithFile) {
		# Measured with pwsh 7.6: after a -File script ends, the process does not exit until every runspace thread has
		# returned, so a check blocked for good would keep the (elevated) window open for good. The result is written;
		# nothing is left to do in this process, so end it (a check that was only slow to stop loses nothing either).
		# Never in an interactive session (VS Code's terminal): there the script returns to the prompt and the
		# blocked thread is left to finish in the background.
		[System.Environment]::Exit(0)
	}
}
