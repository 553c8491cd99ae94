# Fix "inspect-other-well-known-objects" (its title, effect and sources: checks/domain.json). Windows PowerShell 5.1 and PowerShell 7.
param()

(Get-ADObject (Get-ADRootDSE).DefaultNamingContext -Properties otherWellKnownObjects).otherWellKnownObjects
