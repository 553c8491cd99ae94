# The small helpers of src/powershell/lib, called directly: the branches whole runs seldom take (a missing property, a
# null, an enum, an object that is not a dictionary), which the mutation run showed no test reached.

BeforeAll {
	$repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
	Import-Module (Join-Path $repo 'src/powershell/PadProbes.psm1') -Force
}

Describe 'Get-PadPropertyValue' {
	It 'reads a key of a dictionary, and gives $null for a missing key or no object' {
		Get-PadPropertyValue -InputObject @{ a = 5 } -Name 'a' | Should -Be 5
		Get-PadPropertyValue -InputObject @{ a = 5 } -Name 'b' | Should -BeNullOrEmpty
		Get-PadPropertyValue -InputObject $null -Name 'a' | Should -BeNullOrEmpty
	}
	It 'reads a property of an object, and gives $null for a missing one under strict mode' {
		Set-StrictMode -Version 3.0
		$o = [pscustomobject]@{ a = 'x' }
		Get-PadPropertyValue -InputObject $o -Name 'a' | Should -Be 'x'
		Get-PadPropertyValue -InputObject $o -Name 'missing' | Should -BeNullOrEmpty
	}
}

Describe 'ConvertTo-PadEvidenceValue' {
	It 'keeps $null, strings, booleans and numbers as they are' {
		ConvertTo-PadEvidenceValue $null | Should -BeNullOrEmpty
		ConvertTo-PadEvidenceValue 'text' | Should -BeExactly 'text'
		ConvertTo-PadEvidenceValue $false | Should -BeFalse
		ConvertTo-PadEvidenceValue 42 | Should -Be 42
	}
	It 'writes a date as UTC ISO 8601 and an enum by name' {
		$local = [datetime]::new(2026, 12, 1, 8, 30, 0, [System.DateTimeKind]::Utc).ToLocalTime()
		ConvertTo-PadEvidenceValue $local | Should -BeExactly '2026-12-01T08:30:00.0000000Z'
		ConvertTo-PadEvidenceValue ([System.DayOfWeek]::Tuesday) | Should -BeExactly 'Tuesday'
	}
	It 'flattens a dictionary with string keys, converting each value' {
		$flat = ConvertTo-PadEvidenceValue ([ordered]@{ 1 = [System.DayOfWeek]::Monday; b = 'x' })
		$flat | Should -BeOfType [System.Collections.Specialized.OrderedDictionary]
		@($flat.Keys) | Should -Be @('1', 'b')
		@($flat.Keys)[0] | Should -BeOfType [string]
		@($flat.Values)[0] | Should -BeExactly 'Monday'
	}
	It 'turns a list into an array, a one-element list too' {
		$one = ConvertTo-PadEvidenceValue (New-Object System.Collections.Generic.List[string] (, [string[]]@('only')))
		, $one | Should -BeOfType [object[]]
		$one.Count | Should -Be 1
		(ConvertTo-Json -InputObject (ConvertTo-PadEvidenceValue @(1, 'two')) -Compress) | Should -Be '[1,"two"]'
	}
	It 'turns an object with properties into a dictionary, and anything else into its text' {
		$flat = ConvertTo-PadEvidenceValue ([pscustomobject]@{ Name = 'svc'; When = [System.DayOfWeek]::Friday })
		$flat | Should -BeOfType [System.Collections.Specialized.OrderedDictionary]
		$flat['Name'] | Should -BeExactly 'svc'
		$flat['When'] | Should -BeExactly 'Friday'
		ConvertTo-PadEvidenceValue ([version]'1.2.3') | Should -BeExactly '1.2.3'
		ConvertTo-PadEvidenceValue ([guid]'00000000-0000-0000-0000-000000000001') | Should -BeExactly '00000000-0000-0000-0000-000000000001'
	}
}

Describe 'Message matching helpers' {
	It 'normalises white space, and gives an empty string for no text' {
		ConvertTo-PadMatchText "  a`t`r`n  b  " | Should -BeExactly 'a b'
		ConvertTo-PadMatchText '' | Should -BeExactly ''
		ConvertTo-PadMatchText $null | Should -BeExactly ''
	}
	It 'matches no message in an empty text' {
		$message = [pscustomobject]@{ match = [pscustomobject]@{ literal = @('') } }
		Test-PadMessageText -Message $message -Text '' | Should -BeFalse
		Test-PadMessageText -Message $message -Text '   ' | Should -BeFalse
	}
}

Describe 'ConvertFrom-PadFileTime' {
	It 'gives $null for no value, 0, a negative value and the "never" value, and the UTC date otherwise' {
		ConvertFrom-PadFileTime $null | Should -BeNullOrEmpty
		ConvertFrom-PadFileTime 0 | Should -BeNullOrEmpty
		ConvertFrom-PadFileTime -1 | Should -BeNullOrEmpty
		ConvertFrom-PadFileTime ([long]::MaxValue) | Should -BeNullOrEmpty
		$date = ConvertFrom-PadFileTime 1
		$date | Should -Be ([datetime]::new(1601, 1, 1, 0, 0, 0, [System.DateTimeKind]::Utc).AddTicks(1))
		$date.Kind | Should -Be 'Utc'
	}
}

Describe 'Get-PadAgentPath' {
	It 'gives the install folder itself, and files inside it' {
		InModuleScope PadProbes { Set-PadCatalogue (ConvertFrom-PadCatalogueText -Text (Read-PadCatalogueText)) }
		$saved = $env:ProgramFiles
		try {
			$env:ProgramFiles = '/pf'
			$folder = Get-PadAgentPath -Name installFolder
			$folder | Should -Not -BeLike '*%ProgramFiles%*'
			$folder | Should -BeLike '/pf*'
			$exe = Get-PadAgentPath -Name agentExecutable
			$exe | Should -BeLike '/pf*Provisioning Agent*'
			Split-Path -Leaf $exe | Should -BeExactly ([string](Get-PadAgentFacts).files.agentExecutable)
		}
		finally { $env:ProgramFiles = $saved }
	}
}

Describe 'ConvertTo-PadVersion' {
	It 'reads a leading version of two to four parts, and nothing else' -TestCases @(
		@{ Text = '1.1.2505.0'; Expected = '1.1.2505.0' }
		@{ Text = '  1.1.2505.0 built by: x'; Expected = '1.1.2505.0' }
		@{ Text = '1.2'; Expected = '1.2' }
		@{ Text = '7'; Expected = $null }
		@{ Text = 'v1.2'; Expected = $null }
		@{ Text = ''; Expected = $null }
		@{ Text = $null; Expected = $null }
	) {
		$version = ConvertTo-PadVersion $Text
		if ($null -eq $Expected) { $null -eq $version | Should -BeTrue -Because "'$Text' holds no version" }
		else { $version | Should -Be ([version]$Expected) }
	}
}
