# Fix "set-gmsa-aes128-aes256" (its title, effect and sources: checks/gmsa.json). Windows PowerShell 5.1 and PowerShell 7.
# The support article's command for its example of a server that allows only AES128 and AES256, aimed at the gMSA the
# check found instead of a fixed name.
param(
	[Parameter(Mandatory = $true)] [string] $Account
)

Set-ADServiceAccount -Identity $Account -KerberosEncryptionType AES128, AES256
