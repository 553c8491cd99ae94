# Fix "open-trace-folder" (its title, effect and sources: checks/eventlog.json). Windows PowerShell 5.1 and PowerShell 7.
param()

Invoke-Item -Path "$env:ProgramData\Microsoft\Azure AD Connect Provisioning Agent\Trace"
