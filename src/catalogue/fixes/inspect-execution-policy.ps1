# Fix "inspect-execution-policy" (its title, effect and sources: checks/server.json). Windows PowerShell 5.1 and PowerShell 7.
param()

# Windows PowerShell 5.1 keeps its policies in the registry (PowerShell 7 keeps LocalMachine and CurrentUser in its
# configuration files), so these values are what the agent's registration scripts meet, whichever PowerShell runs this.
foreach ($path in @(
		'HKLM:\Software\Policies\Microsoft\Windows\PowerShell',
		'HKCU:\Software\Policies\Microsoft\Windows\PowerShell',
		'HKCU:\SOFTWARE\Microsoft\PowerShell\1\ShellIds\Microsoft.PowerShell',
		'HKLM:\SOFTWARE\Microsoft\PowerShell\1\ShellIds\Microsoft.PowerShell')) {
	Get-ItemProperty -Path $path -ErrorAction SilentlyContinue | Select-Object PSPath, EnableScripts, ExecutionPolicy
}
# The policies of the PowerShell running this snippet (PowerShell 7 shows its own LocalMachine and CurrentUser).
Get-ExecutionPolicy -List
