# Domain accounts and groups, compared by SID so that localized group names do not matter. "Understand security
# identifiers": a domain account's SID is the domain's SID plus a relative identifier (RID); Domain Admins is RID 512
# of its domain, Enterprise Admins RID 519 of the forest root domain, Protected Users RID 525 of its domain.
# Windows PowerShell 5.1 syntax only.

function Get-PadDomainAdminGroups {
	# The admin groups among these SIDs: Domain Admins of this computer's domain and Enterprise Admins of its forest
	# root domain. A 512 of another domain (a trusting forest, a child domain) is not this domain's Domain Admins.
	param([string[]] $GroupSids, [Parameter(Mandatory = $true)] $DomainSids)
	$domainAdmins = [string]$DomainSids.DomainSid + '-512'
	$enterpriseAdmins = [string]$DomainSids.ForestRootDomainSid + '-519'
	$groups = New-Object System.Collections.Generic.List[string]
	foreach ($sid in @($GroupSids)) {
		if ($sid -eq $domainAdmins -and -not $groups.Contains('Domain Admins')) { $groups.Add('Domain Admins') }
		elseif ($sid -eq $enterpriseAdmins -and -not $groups.Contains('Enterprise Admins')) { $groups.Add('Enterprise Admins') }
	}
	, [string[]]$groups.ToArray()
}

function Test-PadProtectedUsersMember {
	# Whether these group SIDs include Protected Users (RID 525) of the given domain.
	param([string[]] $GroupSids, [Parameter(Mandatory = $true)] [string] $DomainSid)
	@($GroupSids) -contains ($DomainSid + '-525')
}

function ConvertFrom-PadFileTime {
	# An AD time (100-ns intervals since 1601-01-01 UTC) as a UTC date; $null for 0 and for 0x7FFFFFFFFFFFFFFF, which
	# accountExpires documents as "never expires" (callers decide what 0 means for their attribute).
	param($Value)
	if ($null -eq $Value) { return $null }
	$ticks = [long]$Value
	if ($ticks -le 0 -or $ticks -eq [long]::MaxValue) { return $null }
	[datetime]::FromFileTimeUtc($ticks)
}
