# Fix "set-execution-policy-remotesigned" (its title, effect and sources: checks/server.json). Windows PowerShell 5.1.
param()

# In PowerShell 7 Set-ExecutionPolicy writes PowerShell 7's configuration file, not the registry value Windows
# PowerShell (and the agent's registration) reads: stop instead of changing the wrong setting.
if ($PSVersionTable.PSEdition -ne 'Desktop') {
	throw 'Run this in Windows PowerShell 5.1 (powershell.exe), elevated: in PowerShell 7 it would change PowerShell 7''s own policy.'
}
Set-ExecutionPolicy -ExecutionPolicy RemoteSigned -Scope LocalMachine
