# Fix "add-kds-root-key" (its title, effect and sources: checks/gmsa.json). Windows PowerShell 5.1 and PowerShell 7.
param()

Add-KdsRootKey -EffectiveImmediately
