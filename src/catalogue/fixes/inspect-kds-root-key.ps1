# Fix "inspect-kds-root-key" (its title, effect and sources: checks/gmsa.json). Windows PowerShell 5.1 and PowerShell 7.
param()

Get-KdsRootKey | Select-Object KeyId, EffectiveTime, CreationTime
