# Fix "set-execution-policy-remotesigned" (its title, effect and sources: checks/server.json). Windows PowerShell 5.1 and PowerShell 7.
param()

Set-ExecutionPolicy RemoteSigned -Scope LocalMachine
