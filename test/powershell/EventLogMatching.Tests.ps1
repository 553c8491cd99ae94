# Probe-level tests for how the event log probes find and recognise events: which events one query per log brings
# back when only some of the log's rules name a provider, names found at the very start of a text (localized messages
# and the binary data of SCM events), and binary insertion strings read without their terminating NUL. The general
# matching of service and account names is in GmsaServiceEvents.Tests.ps1; whole runs are in Scenarios.Tests.ps1.

BeforeAll {
	$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
	Import-Module (Join-Path $repo 'src/powershell/PadProbes.psm1') -Force

	function New-TestEvent {
		# An event as Get-WinEvent returns it, with what the probes read; each property value becomes a Properties item.
		param([int] $Id = 7036, [string] $Provider = 'Service Control Manager', [object[]] $Properties = @(), [string] $Message = $null)
		[pscustomobject]@{
			Id           = $Id
			ProviderName = $Provider
			TimeCreated  = [datetime]::UtcNow.AddHours(-1)
			Message      = $Message
			Properties   = @(foreach ($p in $Properties) { [pscustomobject]@{ Value = $p } })
		}
	}

	function ConvertTo-BinaryData([string] $Text) {
		# Binary event data as SCM writes the service key name: UTF-16LE with a terminating NUL. The comma returns the
		# byte[] whole (a function's output would be unrolled into single bytes).
		, [System.Text.Encoding]::Unicode.GetBytes($Text + [char]0)
	}
}

AfterAll {
	Remove-Module PadProbes -ErrorAction SilentlyContinue
	if (Test-Path -LiteralPath 'function:global:Get-WinEvent') { Remove-Item -LiteralPath 'function:global:Get-WinEvent' }
}

Describe 'Find-PadRuleEvents when only some rules of a log name a provider' {
	BeforeAll {
		# Linux has no Get-WinEvent: a stand-in the mock below replaces.
		function global:Get-WinEvent { [CmdletBinding()] param([hashtable[]] $FilterHashtable) }
		# What the log holds. The mock answers like the real cmdlet: only events of the filter's log, ids and (when the
		# filter has one) providers, and NoMatchingEventsFound when none is left.
		$script:logEvents = @(
			[pscustomobject]@{ LogName = 'System'; Id = 7041; ProviderName = 'Service Control Manager'; TimeCreated = [datetime]::UtcNow.AddHours(-2); Message = 'scm'; Properties = @() }
			[pscustomobject]@{ LogName = 'System'; Id = 5719; ProviderName = 'NETLOGON'; TimeCreated = [datetime]::UtcNow.AddHours(-3); Message = 'netlogon'; Properties = @() }
		)
		Mock -ModuleName PadProbes Get-WinEvent {
			$filter = $FilterHashtable[0]
			$hits = @($script:logEvents | Where-Object {
					$_.LogName -eq $filter['LogName'] -and @($filter['Id']) -contains $_.Id -and
					(-not $filter.ContainsKey('ProviderName') -or @($filter['ProviderName']) -contains $_.ProviderName)
				})
			if ($hits.Count -eq 0) {
				$PSCmdlet.WriteError((New-Object System.Management.Automation.ErrorRecord((New-Object System.Exception 'No events were found that match the specified selection criteria.'), 'NoMatchingEventsFound', 'ObjectNotFound', $null)))
				return
			}
			$hits
		}
		$rules = @(
			[pscustomobject]@{ Log = 'System'; Provider = 'Service Control Manager'; Ids = [int[]]@(7041); About = 'agent-service'; Finding = 'a'; MessageId = 'with-provider' }
			[pscustomobject]@{ Log = 'System'; Provider = $null; Ids = [int[]]@(5719); About = 'agent-service'; Finding = 'b'; MessageId = 'any-provider' }
		)
	}

	It 'still finds the event of the rule without a provider, from whichever provider wrote it' {
		# One query per log: restricting it to the providers some rules name would hide the events of the other rules.
		$found = Find-PadRuleEvents -Rules $rules -StartTime ([datetime]::UtcNow.AddDays(-7))
		$pairs = @($found.Matches | ForEach-Object { '{0}/{1} -> {2}' -f $_.Event.ProviderName, $_.Event.Id, $_.Rule.MessageId })
		$pairs | Should -Be @('Service Control Manager/7041 -> with-provider', 'NETLOGON/5719 -> any-provider')
		$found.Logs[0]['found'] | Should -BeTrue
	}
}

Describe 'Test-PadEventNamesService with the name at the very start of a text' {
	BeforeAll {
		$svc = 'AADConnectProvisioningAgent'
		$names = Get-PadAgentDisplayNames
	}

	It 'recognises the service key name at the start of binary data that goes on after it (7036: key name, slash, state)' {
		# SCM writes the key name and the new state in the binary data of 7036; the localized strings say nothing usable.
		$event = New-TestEvent -Id 7036 -Properties @('wird ausgefuehrt', (ConvertTo-BinaryData ($svc + '/4')))
		Test-PadEventNamesService -EventRecord $event -ServiceName $svc -DisplayNames $names | Should -BeTrue
	}

	It 'recognises a display name at the start of the rendered message (Japanese puts the service name first)' {
		$event = New-TestEvent -Id 7034 -Message 'Microsoft Entra Connect Provisioning Agent サービスは予期せぬ原因により終了しました。このサービスの終了は 1 回目です。'
		Test-PadEventNamesService -EventRecord $event -ServiceName $svc -DisplayNames $names | Should -BeTrue
	}

	It 'still does not count a message of another service that starts with its own name' {
		$event = New-TestEvent -Id 7034 -Message 'Microsoft Entra Connect Agent Updater サービスは予期せぬ原因により終了しました。'
		Test-PadEventNamesService -EventRecord $event -ServiceName $svc -DisplayNames $names | Should -BeFalse
	}
}

Describe 'Binary insertion strings without their terminating NUL' {
	It 'reads UTF-16LE binary data as the bare text, so it equals the name it carries' {
		$texts = Get-PadEventPropertyText (New-TestEvent -Properties @('running', (ConvertTo-BinaryData 'AADConnectProvisioningAgent')))
		$texts | Should -BeExactly @('running', 'AADConnectProvisioningAgent')
	}

	It 'finds the service''s gMSA named in binary data and reports the name as it is written, without the NUL' {
		$event = New-TestEvent -Id 9002 -Provider 'Microsoft-Windows-Security-Netlogon' -Properties @(, (ConvertTo-BinaryData 'pGMSA_2345ad35$'))
		Get-PadEventAccountName -EventRecord $event -Names @('pGMSA_2345ad35$') | Should -BeExactly 'pGMSA_2345ad35$'
	}
}
