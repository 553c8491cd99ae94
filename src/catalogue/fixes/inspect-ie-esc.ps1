# Fix "inspect-ie-esc" (its title, effect and sources: checks/server.json). Windows PowerShell 5.1 and PowerShell 7.
param()

# IsInstalled 1 = IE Enhanced Security Configuration on; A7 is the administrators' setting, A8 the users'.
$components = 'HKLM:\SOFTWARE\Microsoft\Active Setup\Installed Components'
foreach ($id in @('{A509B1A7-37EF-4b3f-8CFC-4F3A74704073}', '{A509B1A8-37EF-4b3f-8CFC-4F3A74704073}')) {
	Get-ItemProperty -Path (Join-Path $components $id) -ErrorAction SilentlyContinue | Select-Object PSChildName, IsInstalled
}
