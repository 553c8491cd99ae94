# Fix "set-gmsa-aes" (its title, effect and sources: checks/eventlog.json). Windows PowerShell 5.1 and PowerShell 7.
param()

Set-ADServiceAccount -Identity provAgentgMSA -KerberosEncryptionType AES128,AES256
