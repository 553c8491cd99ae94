/**
 * The check catalogue: every check, failure, remediation, fix snippet and source the user reads.
 *
 * Data only: no `vscode` import and no I/O, so the extension, the unit tests and the language server share it.
 * Ids follow docs/architecture.md (test/unit/catalogue.test.ts compares them with its table).
 * Every statement here is backed by shared/knowledge/cloud-sync-agent-facts.md; where Microsoft does not state
 * the link between symptom and cause, the failure says so in `unverified`.
 */

import type { Category, CheckDefinition, Failure, FixSnippet, SourceLink } from './types';

// ---------------------------------------------------------------------------------------------------------------------
// Sources

const learn = 'https://learn.microsoft.com';
const cloudSync = `${learn}/entra/identity/hybrid/cloud-sync`;
const supportArticles = `${learn}/troubleshoot/entra/entra-id/ad-dmn-services`;

const src = {
	prerequisites: { title: 'Prerequisites for Microsoft Entra Cloud Sync', url: `${cloudSync}/how-to-prerequisites` },
	gmsaPrerequisites: {
		title: 'Prerequisites for Microsoft Entra Cloud Sync: Prerequisites for gMSA',
		url: `${cloudSync}/how-to-prerequisites#prerequisites-for-gmsa`,
	},
	troubleshoot: { title: 'Microsoft Entra Cloud Sync troubleshooting', url: `${cloudSync}/how-to-troubleshoot` },
	agentFailedToStart: {
		title: 'Cloud sync troubleshooting: Agent failed to start',
		url: `${cloudSync}/how-to-troubleshoot#agent-failed-to-start`,
	},
	agentTimesOut: {
		title: "Cloud sync troubleshooting: Agent times out or certificate isn't valid",
		url: `${cloudSync}/how-to-troubleshoot#agent-times-out-or-certificate-isnt-valid`,
	},
	registrationSecurityError: {
		title: 'Cloud sync troubleshooting: Agent registration fails with security error',
		url: `${cloudSync}/how-to-troubleshoot#agent-registration-fails-with-security-error`,
	},
	install: { title: 'Install the Microsoft Entra provisioning agent', url: `${cloudSync}/how-to-install` },
	gmsa: { title: 'Group managed service accounts with Microsoft Entra Cloud Sync', url: `${cloudSync}/gmsa-cloud-sync` },
	errorCodes: { title: 'Microsoft Entra Cloud Sync error codes', url: `${cloudSync}/reference-error-codes` },
	versionHistory: { title: 'Microsoft Entra provisioning agent: version history', url: `${cloudSync}/reference-version-history` },
	cannotStart: {
		title: 'Hybrid sync agent installation issues: Cannot start service AADConnectProvisioningAgent',
		url: `${supportArticles}/azure-ad-hybrid-sync-cannot-start-aadconnect-provisioning-agent`,
	},
	// The seed: the same article as `cannotStart`, in its 09/15/2021 wording, which Microsoft has since replaced.
	cannotStart2021: {
		title: 'Cannot start service AADConnectProvisioningAgent (support article; stated in its 2021 version only)',
		url: `${supportArticles}/azure-ad-hybrid-sync-cannot-start-aadconnect-provisioning-agent`,
	},
	noPrivilegesMsi: {
		title: 'Hybrid sync agent installation issues: No privileges to install MSI',
		url: `${supportArticles}/azure-ad-hybrid-sync-no-privileges-install-msi`,
	},
	gmsaLogOnAsService: {
		title: 'Hybrid sync agent installation issues: The gMSA is set to log on as Service',
		url: `${supportArticles}/azure-ad-hybrid-sync-gmsa-set-logon-service`,
	},
	unableToCreateGmsa: {
		title: 'Hybrid sync agent installation issues: Unable to create gMSA because KDS may not be running on domain controller',
		url: `${supportArticles}/azure-ad-hybrid-sync-unable-create-gmsa-kds-domain-controller`,
	},
	noSuchObject: {
		title: 'Hybrid sync agent installation issues: There is no such object on the server',
		url: `${supportArticles}/azure-ad-hybrid-sync-no-such-object-on-server`,
	},
	kdsRootKey: {
		title: 'Create the Key Distribution Services KDS Root Key',
		url: `${learn}/windows-server/security/group-managed-service-accounts/create-the-key-distribution-services-kds-root-key`,
	},
	kdsRootKeyVisibility: {
		title: 'Google Cloud Managed Service for Microsoft AD: Create a gMSA (not a Microsoft source)',
		url: 'https://cloud.google.com/managed-microsoft-ad/docs/create-gmsa',
	},
	msiErrors: { title: 'Windows Installer error messages', url: `${learn}/windows/win32/msi/windows-installer-error-messages` },
	executionPolicies: {
		title: 'about_Execution_Policies',
		url: `${learn}/powershell/module/microsoft.powershell.core/about/about_execution_policies`,
	},
	dotnetVersions: {
		title: 'How to determine which .NET Framework versions are installed',
		url: `${learn}/dotnet/framework/install/how-to-determine-which-versions-are-installed`,
	},
	servicesGuidance: {
		title: 'Guidance on disabling system services on Windows Server 2016 with Desktop Experience',
		url: `${learn}/windows-server/security/windows-services/security-guidelines-for-disabling-system-services-in-windows-server`,
	},
} satisfies Record<string, SourceLink>;

// ---------------------------------------------------------------------------------------------------------------------
// Exact texts users meet. Kept verbatim, including Microsoft's misspelling "privilages" in the 2021 article.

const text = {
	/** Windows Installer error 1923, as quoted by the 2021 support article. */
	serviceNotInstalled:
		"Service 'Microsoft Azure AD Connect Provisioning Agent' (AADConnectProvisioningAgent) could not be installed. Verify that you have sufficient privilages to install system services.",
	/** Windows Installer error 1920, current product name. */
	serviceNotStarted:
		"Service 'Microsoft Entra Connect Provisioning Agent' (AADConnectProvisioningAgent) failed to start. Verify that you have sufficient privileges to start system services.",
	/** Windows Installer error 1920, product name before the 2023 rebrand. */
	serviceNotStartedOldName:
		"Service 'Microsoft Azure AD Connect Provisioning Agent' (AADConnectProvisioningAgent) failed to start. Verify that you have sufficient privileges to start system services.",
	/** The wording on the troubleshooting page. */
	serviceNotStartedTroubleshootPage:
		"Service 'Microsoft Entra Provisioning Agent' failed to start. Verify that you have sufficient privileges to start the system services.",
	gmsaCredentialsFailed:
		"Failed changing Windows service credentials to gMSA. Please check the logs for more detailed information. If that doesn't help resolve this issue, please contact support.",
	/** The shorter form quoted by the "gMSA is set to log on as Service" article. */
	gmsaCredentialsFailedShort: 'Failed changing Windows service credentials to gMSA.',
	kdsMayNotBeRunning: 'Unable to create gMSA because KDS may not be running on domain controller. Please create/run KDS manually.',
	event7041: 'This service account does not have the required user right',
	event7038: 'The user name or password is incorrect.',
	noSuchObject: 'Error while creating group managed service account (gMSA). Error: There is no such object on the server.',
	noSuchObjectVariant: 'Error when creating group managed service account (gMSA). Error: There is no such object on the server.',
} as const;

const serviceNotStartedTexts = [text.serviceNotStarted, text.serviceNotStartedOldName, text.serviceNotStartedTroubleshootPage];

// ---------------------------------------------------------------------------------------------------------------------
// Categories

export const categories: readonly Category[] = [
	{ id: 'permissions', title: 'Permissions' },
	{ id: 'server', title: 'Server' },
	{ id: 'domain', title: 'Domain and forest' },
	{ id: 'gmsa', title: 'KDS root key and gMSA' },
	{ id: 'service', title: 'Service and user rights' },
	{ id: 'eventlog', title: 'Event log' },
	{ id: 'installer', title: 'Installer' },
	{ id: 'network', title: 'Network' },
];

// ---------------------------------------------------------------------------------------------------------------------
// Fix snippets. Looked up by id only; Windows PowerShell 5.1 syntax throughout.

const tls12Key = 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols\\TLS 1.2';
const netFrameworkKey = 'HKLM:\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319';
const agentConfig = '$env:ProgramFiles\\Microsoft Azure AD Connect Provisioning Agent\\AADConnectProvisioningAgent.exe.config';
const traceFolder = '$env:ProgramData\\Microsoft\\Azure AD Connect Provisioning Agent\\Trace';

function script(...lines: string[]): string {
	return lines.join('\n');
}

export const fixSnippets: readonly FixSnippet[] = [
	{
		id: 'inspect-other-well-known-objects',
		title: 'Show where the domain says its Managed Service Accounts container is',
		// Verbatim from the "There is no such object on the server" support article; needs the ActiveDirectory module.
		script: '(Get-ADObject (Get-ADRootDSE).DefaultNamingContext -Properties otherWellKnownObjects).otherWellKnownObjects',
		changesSystem: false,
		effect: 'Reads the otherWellKnownObjects attribute of the domain; changes nothing.',
		sources: [src.noSuchObject],
	},
	// Read-only
	{
		id: 'inspect-os',
		title: 'Show the Windows version and installation type',
		script: script(
			'Get-CimInstance Win32_OperatingSystem | Select-Object Caption, Version, BuildNumber, ProductType',
			"(Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion').InstallationType",
		),
		changesSystem: false,
		effect: 'Reads the operating system version and installation type; changes nothing.',
		sources: [src.prerequisites],
	},
	{
		id: 'inspect-computer-system',
		title: 'Show domain membership and installed memory',
		script: 'Get-CimInstance Win32_ComputerSystem | Select-Object Name, PartOfDomain, Domain, @{ Name = \'MemoryGB\'; Expression = { [math]::Round($_.TotalPhysicalMemory / 1GB, 1) } }',
		changesSystem: false,
		effect: 'Reads the computer system information; changes nothing.',
		sources: [src.prerequisites],
	},
	{
		id: 'inspect-dotnet',
		title: 'Show the .NET Framework 4 release key',
		script: "(Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\NET Framework Setup\\NDP\\v4\\Full' -ErrorAction SilentlyContinue).Release",
		changesSystem: false,
		effect: 'Reads one registry value; changes nothing.',
		sources: [src.prerequisites, src.dotnetVersions],
	},
	{
		id: 'inspect-tls12',
		title: 'Show the TLS 1.2 registry values',
		script: script(
			`$base = '${tls12Key}'`,
			"foreach ($side in @('Client', 'Server')) {",
			'\tGet-ItemProperty -Path "$base\\$side" -ErrorAction SilentlyContinue | Select-Object PSChildName, DisabledByDefault, Enabled',
			'}',
			`Get-ItemProperty -Path '${netFrameworkKey}' -ErrorAction SilentlyContinue | Select-Object SchUseStrongCrypto`,
		),
		changesSystem: false,
		effect: 'Reads registry values; changes nothing.',
		sources: [src.prerequisites],
	},
	{
		id: 'inspect-execution-policy',
		title: 'Show the execution policy of every scope',
		script: 'Get-ExecutionPolicy -List',
		changesSystem: false,
		effect: 'Lists the execution policies; changes nothing.',
		sources: [src.registrationSecurityError, src.executionPolicies],
	},
	{
		id: 'inspect-vaultsvc',
		title: 'Show the Credential Manager service',
		script: 'Get-CimInstance Win32_Service -Filter "Name=\'VaultSvc\'" | Select-Object Name, State, StartMode',
		changesSystem: false,
		effect: 'Reads the service configuration; changes nothing.',
		sources: [src.prerequisites],
	},
	{
		id: 'inspect-service',
		title: 'Show the provisioning agent service',
		script: 'Get-CimInstance Win32_Service -Filter "Name=\'AADConnectProvisioningAgent\'" | Select-Object Name, State, StartMode, StartName',
		changesSystem: false,
		effect: 'Reads the service configuration; changes nothing.',
		sources: [src.troubleshoot],
	},
	{
		id: 'query-managed-account',
		title: 'Show whether the service account is flagged as managed',
		script: 'sc.exe qmanagedaccount AADConnectProvisioningAgent',
		changesSystem: false,
		effect: 'Queries the service; changes nothing.',
		sources: [src.gmsaLogOnAsService],
	},
	{
		id: 'open-secpol',
		title: 'Open Local Security Policy (secpol.msc)',
		script: 'Start-Process secpol.msc',
		changesSystem: false,
		effect: 'Opens the Local Security Policy console; nothing changes until you edit a policy there.',
		sources: [src.noPrivilegesMsi, src.cannotStart],
	},
	{
		id: 'inspect-kds-root-key',
		title: 'List the KDS root keys',
		script: 'Get-KdsRootKey | Select-Object KeyId, EffectiveTime, CreationTime',
		changesSystem: false,
		effect: 'Lists the KDS root keys; changes nothing.',
		runOn: 'a domain controller, as a Domain Admin or Enterprise Admin (other accounts may see an empty list)',
		sources: [src.kdsRootKey],
	},
	{
		id: 'inspect-gmsa',
		title: 'Show the default gMSA provAgentgMSA and test it on this server',
		script: script(
			'Get-ADServiceAccount -Identity provAgentgMSA -Properties PrincipalsAllowedToRetrieveManagedPassword, msDS-SupportedEncryptionTypes | Select-Object Name, Enabled, PrincipalsAllowedToRetrieveManagedPassword, msDS-SupportedEncryptionTypes',
			'Test-ADServiceAccount -Identity provAgentgMSA',
		),
		changesSystem: false,
		effect: 'Reads the gMSA from Active Directory and tests it on this server; changes nothing.',
		runOn: 'the agent server, with the ActiveDirectory PowerShell module installed',
		sources: [src.gmsa, src.gmsaPrerequisites],
	},
	{
		id: 'inspect-kerberos-encryption-types',
		title: 'Show the Kerberos encryption types this server allows',
		script: "Get-ItemProperty -Path 'HKLM:\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\Kerberos\\Parameters' -Name SupportedEncryptionTypes -ErrorAction SilentlyContinue | Select-Object SupportedEncryptionTypes",
		changesSystem: false,
		effect: 'Reads one registry value; changes nothing.',
		sources: [src.unableToCreateGmsa],
	},
	{
		id: 'inspect-scm-events',
		title: 'Show Service Control Manager events for the agent',
		script: script(
			"Get-WinEvent -FilterHashtable @{ LogName = 'System'; ProviderName = 'Service Control Manager'; Id = 7000, 7034, 7038, 7041 } -MaxEvents 200 -ErrorAction SilentlyContinue |",
			"\tWhere-Object { $_.Message -match 'AADConnectProvisioningAgent|Provisioning Agent' } |",
			'\tFormat-List TimeCreated, Id, Message',
		),
		changesSystem: false,
		effect: 'Reads the System event log; changes nothing.',
		sources: [src.cannotStart, src.gmsaLogOnAsService],
	},
	{
		id: 'inspect-netlogon-events',
		title: 'Show Netlogon events 9001 and 9002',
		script: "Get-WinEvent -FilterHashtable @{ LogName = 'Microsoft-Windows-Security-Netlogon/Operational'; Id = 9001, 9002 } -MaxEvents 20 -ErrorAction SilentlyContinue | Format-List TimeCreated, Id, Message",
		changesSystem: false,
		effect: 'Reads the Security-Netlogon event log; changes nothing.',
		sources: [src.unableToCreateGmsa],
	},
	{
		id: 'open-trace-folder',
		title: 'Open the agent trace log folder',
		script: `Invoke-Item -Path "${traceFolder}"`,
		changesSystem: false,
		effect: 'Opens the folder in File Explorer; changes nothing.',
		sources: [src.troubleshoot],
	},
	{
		id: 'test-endpoints-public',
		title: 'Test the registration and certificate endpoints (public cloud)',
		// Direct TCP tests: they do not use the agent's proxy settings.
		script: script(
			'Test-NetConnection -ComputerName login.windows.net -Port 443 | Select-Object ComputerName, RemotePort, TcpTestSucceeded',
			'Test-NetConnection -ComputerName crl.microsoft.com -Port 80 | Select-Object ComputerName, RemotePort, TcpTestSucceeded',
		),
		changesSystem: false,
		effect: 'Opens test TCP connections; changes nothing.',
		sources: [src.prerequisites],
	},
	{
		id: 'test-endpoints-usgov',
		title: 'Test the registration and certificate endpoints (US Government cloud)',
		script: script(
			'Test-NetConnection -ComputerName login.windows.us -Port 443 | Select-Object ComputerName, RemotePort, TcpTestSucceeded',
			'Test-NetConnection -ComputerName crl.microsoft.us -Port 80 | Select-Object ComputerName, RemotePort, TcpTestSucceeded',
		),
		changesSystem: false,
		effect: 'Opens test TCP connections; changes nothing.',
		sources: [src.prerequisites],
	},
	{
		id: 'inspect-proxy',
		title: 'Show the machine proxy and the agent proxy setting',
		script: script(
			'netsh winhttp show proxy',
			`Select-String -Path "${agentConfig}" -Pattern 'defaultProxy', 'proxyaddress'`,
		),
		changesSystem: false,
		effect: 'Reads the WinHTTP proxy and the agent configuration file; changes nothing.',
		sources: [src.agentTimesOut],
	},

	// System-changing: only commands Microsoft documents for this purpose.
	{
		id: 'set-managed-account',
		title: 'Flag the service account as managed',
		script: 'sc.exe managedaccount AADConnectProvisioningAgent true',
		changesSystem: true,
		effect: 'Sets the account-managed flag of the AADConnectProvisioningAgent service to TRUE.',
		sources: [src.gmsaLogOnAsService],
	},
	{
		id: 'add-kds-root-key',
		title: 'Create a KDS root key',
		script: 'Add-KdsRootKey -EffectiveImmediately',
		changesSystem: true,
		effect: 'Adds a KDS root key to the forest, usable now on this domain controller and on the others once it replicates.',
		runOn: 'a domain controller, as a Domain Admin or Enterprise Admin',
		sources: [src.kdsRootKey],
	},
	{
		id: 'add-kds-root-key-lab',
		title: 'Create a KDS root key effective 10 hours ago (lab with a single domain controller only)',
		script: 'Add-KdsRootKey -EffectiveTime ((Get-Date).AddHours(-10))',
		changesSystem: true,
		effect: 'Adds a KDS root key back-dated by 10 hours, which skips the replication wait; use it only in a test forest with one domain controller.',
		runOn: 'the only domain controller of a test forest, as a Domain Admin or Enterprise Admin',
		sources: [src.kdsRootKey],
	},
	{
		id: 'set-gmsa-aes',
		title: 'Limit provAgentgMSA to AES encryption types',
		script: 'Set-ADServiceAccount -Identity provAgentgMSA -KerberosEncryptionType AES128,AES256',
		changesSystem: true,
		effect: 'Sets the Kerberos encryption types of the gMSA provAgentgMSA to AES128 and AES256, removing RC4.',
		runOn: 'a domain controller',
		sources: [src.unableToCreateGmsa],
	},
	{
		id: 'set-execution-policy-remotesigned',
		title: 'Set the LocalMachine execution policy to RemoteSigned',
		script: 'Set-ExecutionPolicy RemoteSigned -Scope LocalMachine',
		changesSystem: true,
		effect: 'Sets the LocalMachine execution policy to RemoteSigned; Group Policy scopes still take precedence.',
		sources: [src.prerequisites, src.registrationSecurityError, src.executionPolicies],
	},
	{
		id: 'set-tls12',
		title: 'Set the TLS 1.2 registry values from the prerequisites page',
		// New-Item -Force on an existing key would recreate it, so create only the keys that are missing.
		script: script(
			`$base = '${tls12Key}'`,
			'foreach ($key in @($base, "$base\\Client", "$base\\Server")) {',
			'\tif (-not (Test-Path -Path $key)) { New-Item -Path $key -Force | Out-Null }',
			'}',
			"foreach ($side in @('Client', 'Server')) {",
			"\tNew-ItemProperty -Path \"$base\\$side\" -Name 'DisabledByDefault' -Value 0 -PropertyType DWord -Force | Out-Null",
			"\tNew-ItemProperty -Path \"$base\\$side\" -Name 'Enabled' -Value 1 -PropertyType DWord -Force | Out-Null",
			'}',
			`$net = '${netFrameworkKey}'`,
			'if (-not (Test-Path -Path $net)) { New-Item -Path $net -Force | Out-Null }',
			"New-ItemProperty -Path $net -Name 'SchUseStrongCrypto' -Value 1 -PropertyType DWord -Force | Out-Null",
			"Write-Output 'TLS 1.2 values set. Restart the server for them to take effect.'",
		),
		changesSystem: true,
		effect: 'Writes DisabledByDefault=0 and Enabled=1 under SCHANNEL\\Protocols\\TLS 1.2\\Client and \\Server, and SchUseStrongCrypto=1 under .NETFramework\\v4.0.30319; a restart is needed afterwards.',
		sources: [src.prerequisites],
	},
	{
		id: 'set-vaultsvc-manual',
		title: 'Set the Credential Manager service (VaultSvc) to Manual',
		script: 'Set-Service -Name VaultSvc -StartupType Manual',
		changesSystem: true,
		effect: 'Sets the startup type of the VaultSvc service to Manual.',
		sources: [src.prerequisites, src.servicesGuidance],
	},
	{
		id: 'start-service',
		title: 'Start the provisioning agent service',
		script: 'Start-Service -Name AADConnectProvisioningAgent',
		changesSystem: true,
		effect: 'Starts the AADConnectProvisioningAgent service.',
		sources: [src.agentFailedToStart],
	},
];

// ---------------------------------------------------------------------------------------------------------------------
// Failures shared by several checks

const grantLogOnAsServiceSteps = [
	'Open Local Security Policy (secpol.msc) > Local Policies > User Rights Assignment > Log on as a service.',
	'Add the account named in event 7041 (for the gMSA, DOMAIN\\provAgentgMSA$ unless you chose a custom gMSA).',
	'If the setting is greyed out, a Group Policy defines it: add the account in that policy instead.',
	'Select Confirm in the wizard again.',
];

// ---------------------------------------------------------------------------------------------------------------------
// Checks, in the order of the table in docs/architecture.md

export const checks: readonly CheckDefinition[] = [
	// Permissions -----------------------------------------------------------------------------------------------------
	{
		id: 'permissions.elevated',
		category: 'permissions',
		title: 'Elevated session',
		verifies: 'The diagnosis runs as Administrator. Without elevation, the user-rights, event-log and service-account checks cannot read everything they need.',
		probe: 'Test-PadElevated',
		passText: 'Running elevated',
		failures: [
			{
				id: 'not-elevated',
				severity: 'fail',
				title: 'Not elevated',
				cause: 'The PowerShell session that ran the diagnosis is not elevated, so checks that need Administrator rights return partial or unknown results.',
				remediation: {
					steps: [
						'Run "Diagnose in an Elevated Window" (Provisioning Agent Doctor) and accept the UAC prompt: the same checks run elevated and their results land in this tree.',
						'Or start VS Code (or the PowerShell session) with Run as administrator, signed in with an administrator account, and run the diagnosis again.',
						'Run the agent installer elevated too.',
					],
				},
				sources: [src.agentFailedToStart, src.noPrivilegesMsi],
			},
		],
		sources: [src.agentFailedToStart, src.noPrivilegesMsi],
	},
	{
		id: 'permissions.domain-admin',
		category: 'permissions',
		title: 'Domain Admin or Enterprise Admin',
		verifies: 'The signed-in account is in Domain Admins or Enterprise Admins. Microsoft requires these credentials to run the installer and to create the gMSA.',
		probe: 'Test-PadDomainAdmin',
		passText: 'Member of Domain Admins or Enterprise Admins',
		needsElevation: true,
		notApplicableText: 'The server is not domain-joined',
		failures: [
			{
				id: 'not-domain-admin',
				severity: 'fail',
				title: 'Not a Domain Admin or Enterprise Admin',
				cause: 'The account is in neither Domain Admins nor Enterprise Admins. The installer must run in that context, and the wizard needs those credentials to create the gMSA and add the domain.',
				remediation: {
					steps: [
						'Sign in (or run the installer) as a member of Domain Admins or Enterprise Admins.',
						'In the wizard, give Domain Admin or Enterprise Admin credentials for Create gMSA and for Add directory; the account must not have an expired password.',
					],
				},
				sources: [src.prerequisites, src.noPrivilegesMsi, src.install],
			},
		],
		sources: [src.prerequisites, src.noPrivilegesMsi],
	},
	{
		id: 'permissions.tenant-role',
		category: 'permissions',
		title: 'Hybrid Identity Administrator in Microsoft Entra ID',
		verifies: 'The account you sign in with in the wizard has at least the Hybrid Identity Administrator role and is not a guest. This cannot be checked from the server.',
		passText: 'Confirmed by the administrator',
		manualSteps: [
			'In the Microsoft Entra admin center, open the account you will sign in with and check its role assignments.',
			'Confirm it holds Hybrid Identity Administrator (or a role above it) and is a member of the tenant, not a guest. Older guidance named Global Administrator.',
			'If sign-in is blocked in the wizard, Internet Explorer Enhanced Security Configuration may be on: close the installer, turn it off, and start the installation again.',
		],
		failures: [],
		sources: [src.prerequisites, src.install],
	},

	// Server ----------------------------------------------------------------------------------------------------------
	{
		id: 'server.os-version',
		category: 'server',
		title: 'Windows Server 2016 or later',
		verifies: 'The server runs Windows Server 2016 or later, the minimum for the agent.',
		probe: 'Test-PadOsVersion',
		passText: '{caption} (build {buildNumber})',
		failures: [
			{
				id: 'os-too-old',
				severity: 'fail',
				title: 'Older than Windows Server 2016',
				cause: 'The server runs a Windows version older than Windows Server 2016, which the agent does not support.',
				remediation: {
					steps: ['Install the agent on a domain-joined server running Windows Server 2016 or later.'],
					fixIds: ['inspect-os'],
				},
				sources: [src.prerequisites],
			},
			{
				id: 'os-not-server',
				severity: 'fail',
				title: 'Not a Windows Server edition',
				cause: 'This is a client edition of Windows (for example Windows 10 or 11). The agent needs Windows Server 2016 or later.',
				remediation: {
					steps: ['Install the agent on a domain-joined server running Windows Server 2016 or later.'],
					fixIds: ['inspect-os'],
				},
				sources: [src.prerequisites],
			},
		],
		sources: [src.prerequisites],
	},
	{
		id: 'server.server-core',
		category: 'server',
		title: 'Not Server Core',
		verifies: 'Windows is installed with Desktop Experience. Microsoft does not support the agent on Server Core.',
		probe: 'Test-PadServerCore',
		passText: 'Windows Server with Desktop Experience',
		failures: [
			{
				id: 'server-core',
				severity: 'fail',
				title: 'Server Core installation',
				cause: 'Windows is installed as Server Core. Installing the cloud provisioning agent on Server Core is not supported.',
				remediation: {
					steps: ['Install the agent on a Windows Server 2016 or later installation with Desktop Experience.'],
					fixIds: ['inspect-os'],
				},
				sources: [src.prerequisites],
			},
		],
		sources: [src.prerequisites],
	},
	{
		id: 'server.domain-joined',
		category: 'server',
		title: 'Domain-joined',
		verifies: 'The server is joined to an Active Directory domain. The wizard creates the gMSA in the domain the server is joined to.',
		probe: 'Test-PadDomainJoined',
		passText: 'Joined to {domain}',
		failures: [
			{
				id: 'not-domain-joined',
				severity: 'fail',
				title: 'Not joined to a domain',
				cause: 'The server is not a member of an Active Directory domain. The agent needs a domain-joined host, and its gMSA is created in that domain.',
				remediation: {
					steps: ['Join the server to the Active Directory domain you want to synchronize, restart it, and run the diagnosis again.'],
					fixIds: ['inspect-computer-system'],
				},
				sources: [src.prerequisites, src.install],
			},
		],
		sources: [src.prerequisites],
	},
	{
		id: 'server.memory',
		category: 'server',
		title: 'At least 4 GB of RAM',
		verifies: 'The server has at least the 4 GB of RAM Microsoft lists as the minimum.',
		probe: 'Test-PadMemory',
		passText: '{totalGB} GB of RAM',
		failures: [
			{
				id: 'memory-below-minimum',
				severity: 'fail',
				title: 'Less than 4 GB of RAM',
				cause: 'The server has less than the 4 GB of RAM that the prerequisites page sets as the minimum.',
				remediation: {
					steps: ['Give the server at least 4 GB of RAM, or install the agent on another server.'],
					fixIds: ['inspect-computer-system'],
				},
				sources: [src.prerequisites],
			},
		],
		sources: [src.prerequisites],
	},
	{
		id: 'server.dotnet',
		category: 'server',
		title: '.NET Framework 4.7.1 or later',
		verifies: 'The .NET Framework 4 release key shows 4.7.1 or later, the minimum runtime for the agent.',
		probe: 'Test-PadDotNet',
		passText: '.NET Framework 4 release key {release}',
		failures: [
			{
				id: 'dotnet-too-old',
				severity: 'fail',
				title: '.NET Framework older than 4.7.1',
				cause: '.NET Framework 4.7.1 or later is not installed. The agent needs it.',
				remediation: {
					steps: ['Install .NET Framework 4.7.1 or later (any 4.8 release qualifies), restart if Setup asks, and run the installer again.'],
					fixIds: ['inspect-dotnet'],
				},
				sources: [src.prerequisites, src.dotnetVersions],
			},
		],
		sources: [src.prerequisites, src.dotnetVersions],
	},
	{
		id: 'server.tls12',
		category: 'server',
		title: 'TLS 1.2 enabled',
		verifies: 'The SCHANNEL TLS 1.2 Client and Server values and SchUseStrongCrypto are set as the prerequisites page lists them. TLS 1.2 must be enabled before installation.',
		probe: 'Test-PadTls12',
		passText: 'TLS 1.2 Client and Server enabled; SchUseStrongCrypto set',
		failures: [
			{
				id: 'tls12-disabled',
				severity: 'fail',
				title: 'TLS 1.2 disabled in SCHANNEL',
				cause: 'Under SCHANNEL\\Protocols\\TLS 1.2, Client or Server has Enabled set to 0 or DisabledByDefault set to 1. The agent needs TLS 1.2 enabled before it is installed.',
				remediation: {
					steps: [
						'Set the TLS 1.2 Client and Server values and SchUseStrongCrypto as listed on the prerequisites page.',
						'Restart the server, then run the installer again.',
					],
					fixIds: ['inspect-tls12', 'set-tls12'],
				},
				sources: [src.prerequisites],
			},
			{
				id: 'tls12-strong-crypto-missing',
				severity: 'fail',
				title: 'SchUseStrongCrypto not set',
				cause: "SchUseStrongCrypto under HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319 is missing or not 1. Microsoft's TLS 1.2 steps for the agent set it to 1.",
				remediation: {
					steps: [
						'Set SchUseStrongCrypto to 1 together with the TLS 1.2 values from the prerequisites page.',
						'Restart the server, then run the installer again.',
					],
					fixIds: ['inspect-tls12', 'set-tls12'],
				},
				sources: [src.prerequisites],
			},
			{
				id: 'tls12-keys-absent',
				severity: 'warning',
				title: 'TLS 1.2 registry keys absent',
				cause: 'The SCHANNEL TLS 1.2 keys that the prerequisites page sets do not exist, so Windows uses its built-in defaults.',
				remediation: {
					steps: [
						'Create the values listed on the prerequisites page so that TLS 1.2 is explicitly enabled.',
						'Restart the server.',
					],
					fixIds: ['inspect-tls12', 'set-tls12'],
				},
				sources: [src.prerequisites],
				unverified: 'Whether Windows Server 2016 and later enable TLS 1.2 without these keys is not stated on the cloud sync prerequisites page; it asks for the explicit values.',
			},
		],
		sources: [src.prerequisites],
	},
	{
		id: 'server.execution-policy',
		category: 'server',
		title: 'PowerShell execution policy',
		verifies: 'The machine and user execution policies are Undefined or RemoteSigned. Registration runs PowerShell scripts and fails with a security error under other policies, including Unrestricted.',
		probe: 'Test-PadExecutionPolicy',
		passText: 'Effective policy {effective}',
		failures: [
			{
				id: 'execution-policy-unrestricted',
				severity: 'fail',
				title: 'A scope is Unrestricted',
				cause: 'A machine or user execution policy is Unrestricted. Microsoft states that registration then fails with a security error; it requires Undefined or RemoteSigned.',
				remediation: {
					steps: [
						'Set every scope that shows Unrestricted to RemoteSigned or Undefined (the snippet sets LocalMachine).',
						'If MachinePolicy or UserPolicy shows it, a Group Policy sets it: change that policy.',
						'Run the installer again.',
					],
					fixIds: ['inspect-execution-policy', 'set-execution-policy-remotesigned'],
				},
				sources: [src.registrationSecurityError, src.prerequisites, src.executionPolicies],
			},
			{
				id: 'execution-policy-unsupported',
				severity: 'fail',
				title: 'Policy other than Undefined or RemoteSigned',
				cause: 'A machine or user execution policy is set to a value other than Undefined or RemoteSigned (for example AllSigned, Restricted or Bypass). The prerequisites page allows only those two.',
				remediation: {
					steps: [
						'Set the scope to RemoteSigned or Undefined (the snippet sets LocalMachine).',
						'If MachinePolicy or UserPolicy shows it, a Group Policy sets it: change that policy.',
						'Run the installer again.',
					],
					fixIds: ['inspect-execution-policy', 'set-execution-policy-remotesigned'],
				},
				sources: [src.prerequisites, src.registrationSecurityError, src.executionPolicies],
			},
		],
		sources: [src.prerequisites, src.registrationSecurityError],
	},
	{
		id: 'server.credential-manager',
		category: 'server',
		title: 'Credential Manager service not disabled',
		verifies: 'The Windows Credential Manager service (VaultSvc) is not disabled. Microsoft states a disabled VaultSvc prevents the agent from installing.',
		probe: 'Test-PadCredentialManager',
		passText: 'Credential Manager (VaultSvc) is not disabled',
		failures: [
			{
				id: 'vaultsvc-disabled',
				severity: 'fail',
				title: 'Credential Manager (VaultSvc) disabled',
				cause: 'The Windows Credential Manager service (VaultSvc) is disabled, which prevents the provisioning agent from installing.',
				remediation: {
					steps: [
						"Change the VaultSvc startup type from Disabled; Microsoft's Windows Server 2016 service guidance lists Manual for it.",
						'If a Group Policy or security baseline disables VaultSvc, change it there, or the policy sets it back.',
						'Run the installer again.',
					],
					fixIds: ['inspect-vaultsvc', 'set-vaultsvc-manual'],
				},
				sources: [src.prerequisites, src.servicesGuidance],
			},
		],
		sources: [src.prerequisites],
	},

	// Domain and forest -----------------------------------------------------------------------------------------------
	{
		id: 'domain.functional-level',
		category: 'domain',
		title: 'Functional levels 2012 R2 or higher (2021 guidance)',
		verifies: "The domain and forest functional levels are Windows Server 2012 R2 or higher. Only the 2021 version of the support article lists this; Microsoft's current gMSA prerequisites do not.",
		probe: 'Test-PadFunctionalLevel',
		passText: 'Domain level {domainLevel}, forest level {forestLevel}',
		failures: [
			{
				id: 'functional-level-below-2012r2',
				severity: 'warning',
				title: 'Functional level below 2012 R2',
				cause: 'The domain or forest functional level is below Windows Server 2012 R2, which the 2021 version of the "Cannot start service AADConnectProvisioningAgent" article lists as a prerequisite.',
				remediation: {
					steps: [
						"Compare with Microsoft's current gMSA prerequisites: the forest schema at Windows Server 2012 or later and at least one domain controller running Windows Server 2012 or later.",
						'If those are met and the other checks pass, treat this as advisory; raise the functional levels only as part of your own AD upgrade plan.',
					],
				},
				sources: [src.cannotStart2021, src.gmsaPrerequisites],
				unverified: "Not in Microsoft's current prerequisites page; it appears only in the 2021 version of the support article.",
			},
		],
		sources: [src.cannotStart2021, src.gmsaPrerequisites],
	},
	{
		id: 'domain.dc-version',
		category: 'domain',
		title: 'Domain controller version',
		verifies: 'At least one domain controller in the domain runs Windows Server 2012 or later (required for the gMSA); the 2021 support article also asked for one on Windows Server 2016.',
		probe: 'Test-PadDcVersion',
		passText: 'Newest domain controller: {newestDc}',
		failures: [
			{
				id: 'no-dc-2012',
				severity: 'fail',
				title: 'No domain controller on Windows Server 2012 or later',
				cause: 'No domain controller in the domain runs Windows Server 2012 or later. The gMSA the agent runs as requires at least one.',
				remediation: {
					steps: [
						'Add a domain controller running Windows Server 2012 or later (2016 or later also meets the older guidance), and let it replicate.',
						'Run the installer again.',
					],
				},
				sources: [src.gmsaPrerequisites],
			},
			{
				id: 'no-dc-2016',
				severity: 'warning',
				title: 'No domain controller on Windows Server 2016 or later',
				cause: 'No domain controller runs Windows Server 2016 or later. The 2021 version of the support article lists one as a prerequisite; the current prerequisites page asks only for Windows Server 2012 or later.',
				remediation: {
					steps: [
						'If the gMSA prerequisites are met and the other checks pass, treat this as advisory.',
						'Plan a Windows Server 2016 or later domain controller if you use group provisioning to Active Directory, which Microsoft documents as needing a Windows Server 2016 AD DS schema (msDS-ExternalDirectoryObjectId).',
					],
				},
				sources: [src.cannotStart2021, src.gmsaPrerequisites, src.prerequisites],
				unverified: "Not in Microsoft's current prerequisites for the agent; it appears only in the 2021 version of the support article.",
			},
		],
		sources: [src.gmsaPrerequisites, src.cannotStart2021],
	},

	{
		id: 'domain.schema-version',
		category: 'domain',
		title: 'Active Directory schema version',
		verifies: 'The forest schema has been updated to Windows Server 2012 or later, which the gMSA the agent runs as requires.',
		probe: 'Test-PadSchemaVersion',
		passText: 'Schema objectVersion {objectVersion}',
		notApplicableText: 'The server is not joined to a domain',
		failures: [
			{
				id: 'schema-too-old',
				severity: 'fail',
				title: 'Schema older than Windows Server 2012',
				cause: 'The objectVersion of the schema is below 52, the value the support article gives for the Windows Server 2012 schema that gMSAs need. The wizard cannot create the gMSA.',
				remediation: {
					steps: [
						'Have a member of Schema Admins and Enterprise Admins update the forest schema to Windows Server 2012 or later (Adprep /forestprep from that version, or promote a domain controller of that version).',
						'Wait for the schema change to replicate, then run the wizard again.',
					],
				},
				sources: [src.gmsaPrerequisites, src.noSuchObject],
			},
		],
		sources: [src.gmsaPrerequisites, src.noSuchObject],
	},
	{
		id: 'domain.msa-container',
		category: 'domain',
		title: 'Managed Service Accounts container',
		verifies: "The domain's otherWellKnownObjects attribute points to an existing Managed Service Accounts container, where the wizard creates the gMSA.",
		probe: 'Test-PadMsaContainer',
		passText: 'Found at {container}',
		notApplicableText: 'The server is not joined to a domain',
		failures: [
			{
				id: 'msa-container-missing',
				severity: 'fail',
				title: 'No Managed Service Accounts container is registered',
				errorTexts: [
					'Error while creating group managed service account (gMSA). Error: There is no such object on the server.',
					'Error when creating group managed service account (gMSA). Error: There is no such object on the server.',
				],
				cause: 'otherWellKnownObjects of the domain has no entry for the Managed Service Accounts container (well-known GUID 1EB93889E40C45DF9F0C64D23BBB6237), so creating the gMSA fails with "There is no such object on the server" (0x80072030 in the agent trace).',
				remediation: {
					steps: [
						'In Active Directory Users and Computers (View > Advanced Features), check whether CN=Managed Service Accounts exists under the domain root.',
						'Restore the container, or create it with ADPrep /Domainprep, as the support article describes; if that is not possible, open a ticket with the Windows Directory Services team.',
						'Run the wizard again.',
					],
					fixIds: ['inspect-other-well-known-objects'],
				},
				sources: [src.noSuchObject],
			},
			{
				id: 'msa-container-deleted',
				severity: 'fail',
				title: 'Managed Service Accounts container is deleted',
				errorTexts: [
					'Error while creating group managed service account (gMSA). Error: There is no such object on the server.',
					'Error when creating group managed service account (gMSA). Error: There is no such object on the server.',
				],
				cause: 'otherWellKnownObjects points the Managed Service Accounts GUID to a deleted object (its DN contains \\0ADEL: or CN=Deleted Objects), so creating the gMSA fails with "There is no such object on the server".',
				remediation: {
					steps: [
						'Restore the deleted Managed Service Accounts container (for example from the AD Recycle Bin), or recreate it with ADPrep /Domainprep, as the support article describes.',
						'Confirm otherWellKnownObjects now points to the live container, then run the wizard again.',
					],
					fixIds: ['inspect-other-well-known-objects'],
				},
				sources: [src.noSuchObject],
			},
		],
		sources: [src.noSuchObject],
	},

	// KDS root key and gMSA -------------------------------------------------------------------------------------------
	{
		id: 'gmsa.kds-root-key',
		category: 'gmsa',
		title: 'KDS root key',
		verifies: 'The forest has a KDS root key that is already effective. Domain controllers need one to generate gMSA passwords.',
		probe: 'Test-PadKdsRootKey',
		passText: '{keyCount} KDS root key(s), at least one effective',
		needsElevation: true,
		failures: [
			{
				id: 'kds-root-key-missing',
				severity: 'fail',
				title: 'No KDS root key',
				errorTexts: [text.kdsMayNotBeRunning],
				cause: 'The forest has no KDS root key, so domain controllers cannot generate gMSA passwords and the wizard cannot create the gMSA.',
				remediation: {
					steps: [
						'On a domain controller, as a Domain Admin or Enterprise Admin, create a root key with Add-KdsRootKey -EffectiveImmediately.',
						'Other domain controllers can use the key only after it replicates; Microsoft says domain controllers wait up to 10 hours after creation before allowing gMSA creation.',
						'In a test forest with a single domain controller, you can instead back-date the key by 10 hours.',
						'Check for event 4004 in the KDS event log on that domain controller, then run the wizard again.',
					],
					fixIds: ['inspect-kds-root-key', 'add-kds-root-key', 'add-kds-root-key-lab'],
				},
				sources: [src.kdsRootKey, src.unableToCreateGmsa],
				unverified: "The wizard message names KDS, but Microsoft's article for it describes a Kerberos encryption-type mismatch (see Netlogon events 9001/9002). That a missing root key produces it is inferred from the wording.",
			},
			{
				id: 'kds-root-key-not-effective',
				severity: 'fail',
				title: 'KDS root key not yet effective',
				cause: 'Every KDS root key has an EffectiveTime in the future, so domain controllers do not use any of them yet.',
				remediation: {
					steps: [
						'Wait until the EffectiveTime shown by Get-KdsRootKey has passed, then run the wizard again.',
						'If you cannot wait, add a key with Add-KdsRootKey -EffectiveImmediately; other domain controllers still need it replicated.',
					],
					fixIds: ['inspect-kds-root-key', 'add-kds-root-key'],
				},
				sources: [src.kdsRootKey],
			},
			{
				id: 'kds-root-key-recent',
				severity: 'warning',
				title: 'KDS root key less than 10 hours old',
				cause: 'The newest effective KDS root key was created less than 10 hours ago. Until it has replicated to every domain controller, gMSA password retrieval can fail.',
				remediation: {
					steps: [
						'Wait until the key is at least 10 hours old, then run the wizard again.',
						'If the wizard still fails, check Active Directory replication between the domain controllers.',
					],
					fixIds: ['inspect-kds-root-key'],
				},
				sources: [src.kdsRootKey],
				unverified: "Microsoft's KDS page gives 10 hours in its 2016 revision and 10 days in a later one. The 10-hour threshold matches its lab procedure, which back-dates a key by 10 hours.",
			},
			{
				id: 'kds-module-missing',
				severity: 'unknown',
				title: 'Get-KdsRootKey not available here',
				cause: 'The KDS cmdlets are not installed on this server, so it cannot read the forest\'s KDS root keys.',
				remediation: {
					steps: [
						'Run the check on a domain controller, where the gMSA prerequisites call for the PowerShell RSAT modules, or install the AD DS RSAT tools on this server.',
						'Run the diagnosis again.',
					],
				},
				sources: [src.gmsaPrerequisites, src.kdsRootKey],
			},
			{
				id: 'kds-root-key-not-visible',
				severity: 'warning',
				title: 'KDS root key not visible to this account',
				cause: 'Get-KdsRootKey returned no key, but the account is not a Domain Admin, so an empty list does not prove the key is missing.',
				remediation: {
					steps: [
						'Run Get-KdsRootKey on a domain controller as a Domain Admin or Enterprise Admin.',
						'If it lists no key, follow the steps for a missing KDS root key.',
					],
					fixIds: ['inspect-kds-root-key'],
				},
				sources: [src.kdsRootKey, src.kdsRootKeyVisibility],
				unverified: "That other accounts see an empty list comes from Google Cloud's Managed Microsoft AD documentation, not from Microsoft.",
			},
		],
		sources: [src.kdsRootKey, src.unableToCreateGmsa],
	},
	{
		id: 'gmsa.account-usable',
		category: 'gmsa',
		title: 'gMSA usable on this server',
		verifies: "The gMSA the service runs as exists and this server may retrieve its password, so the service can log on with it.",
		probe: 'Test-PadGmsaUsable',
		passText: '{account} is usable on this server',
		notApplicableText: '{account} does not exist in Active Directory yet (the wizard creates it)',
		failures: [
			{
				id: 'gmsa-not-usable-on-host',
				severity: 'fail',
				title: 'gMSA not usable on this server',
				cause: 'Test-ADServiceAccount returns False for the service\'s gMSA on this server. A mismatch between the encryption types of the gMSA and the computer account is one documented cause; the wizard then reports "Unable to install service account pGMSA_<hex-string>$ after 6 retries."',
				remediation: {
					steps: [
						'Check the KDS root key and Netlogon events 9001/9002 first.',
						'In Active Directory Users and Computers (Attribute Editor), compare msDS-SupportedEncryptionTypes on the gMSA and on this server\'s computer account.',
						"If they differ, set the gMSA's msDS-SupportedEncryptionTypes to the computer account's value, then run the wizard again.",
					],
					fixIds: ['inspect-gmsa'],
				},
				sources: [src.gmsa, src.unableToCreateGmsa],
				unverified: "Microsoft's cloud sync pages do not use Test-ADServiceAccount; its result is the standard Windows gMSA test.",
			},
			{
				id: 'gmsa-host-not-allowed',
				severity: 'fail',
				title: 'Server not allowed to retrieve the gMSA password',
				cause: "This server is not in the gMSA's PrincipalsAllowedToRetrieveManagedPassword, directly or through a group, so it cannot retrieve the password.",
				remediation: {
					steps: [
						'For the default gMSA, run the wizard again, choose Create gMSA and give Domain Admin credentials; Microsoft states it detects the existing account and adds the permissions this agent needs.',
						'For a custom gMSA, add this server (or a group it is in) to PrincipalsAllowedToRetrieveManagedPassword on a domain controller; after a group change, restart the server so its token includes the group.',
					],
					fixIds: ['inspect-gmsa'],
				},
				sources: [src.install, src.gmsa],
				unverified: "Microsoft's cloud sync pages do not describe this attribute; the check follows standard gMSA behaviour.",
			},
			{
				id: 'ad-module-missing',
				severity: 'unknown',
				title: 'ActiveDirectory module missing',
				cause: 'The ActiveDirectory PowerShell module is not installed on this server, so the gMSA cannot be examined from here.',
				remediation: {
					steps: [
						'Run the gMSA commands on a domain controller, where the gMSA prerequisites call for the PowerShell RSAT modules, or install the AD DS RSAT tools on this server.',
						'Run the diagnosis again.',
					],
					fixIds: ['inspect-gmsa'],
				},
				sources: [src.gmsaPrerequisites],
			},
		],
		sources: [src.gmsaPrerequisites, src.gmsa],
	},
	{
		id: 'gmsa.managed-account-flag',
		category: 'gmsa',
		title: 'Service account flagged as managed',
		verifies: 'When the service runs as a gMSA, sc.exe qmanagedaccount reports the account as managed (TRUE). Otherwise the logon fails and the wizard cannot switch the service to the gMSA.',
		probe: 'Test-PadManagedAccountFlag',
		passText: 'The service account is flagged as managed',
		notApplicableText: 'The service is not installed or does not run as a gMSA',
		failures: [
			{
				id: 'gmsa-not-managed-account',
				severity: 'fail',
				title: 'gMSA not flagged as managed',
				errorTexts: [text.gmsaCredentialsFailed, text.gmsaCredentialsFailedShort, text.event7038],
				cause: 'The service logs on as a gMSA, but its account-managed flag is FALSE. Windows logs event 7038 "The user name or password is incorrect" and the wizard cannot change the service credentials to the gMSA.',
				remediation: {
					steps: [
						'Confirm with sc.exe qmanagedaccount AADConnectProvisioningAgent; the Log On tab of the service is also not greyed out.',
						'Set the flag with sc.exe managedaccount AADConnectProvisioningAgent true.',
						'Select Confirm in the wizard again; Microsoft reports it then completes.',
					],
					fixIds: ['query-managed-account', 'set-managed-account'],
				},
				sources: [src.gmsaLogOnAsService],
			},
		],
		sources: [src.gmsaLogOnAsService],
	},

	// Service and user rights -----------------------------------------------------------------------------------------
	{
		id: 'service.state',
		category: 'service',
		title: 'Agent service running',
		verifies: 'The AADConnectProvisioningAgent service is installed, not disabled and running. It is matched by service name, which did not change with the Entra rebrand.',
		probe: 'Test-PadServiceState',
		passText: '{state}, start mode {startMode}, logs on as {startName}',
		notApplicableText: 'The AADConnectProvisioningAgent service is not installed',
		failures: [
			{
				id: 'service-stopped',
				severity: 'fail',
				title: 'Service not running',
				cause: 'The service is installed but not running, so the agent does not talk to the service; the portal then reports no active agents (HybridIdentityServiceNoActiveAgents).',
				remediation: {
					steps: [
						'Check the Event log and user-rights checks for the reason it stopped.',
						'Start the service and confirm that it stays running.',
					],
					fixIds: ['inspect-service', 'start-service'],
				},
				sources: [src.troubleshoot, src.errorCodes],
			},
			{
				id: 'service-disabled',
				severity: 'fail',
				title: 'Service disabled',
				cause: 'The startup type of the service is Disabled, so it cannot start.',
				remediation: {
					steps: [
						'In Services, open the provisioning agent service and choose a startup type other than Disabled. Microsoft does not document the startup type the installer sets.',
						'Start the service.',
					],
					fixIds: ['inspect-service', 'start-service'],
				},
				sources: [src.troubleshoot],
			},
		],
		sources: [src.troubleshoot],
	},
	{
		id: 'service.logon-right',
		category: 'service',
		title: 'Log on as a service',
		verifies: 'The Log on as a service user right lists NT SERVICE\\ALL SERVICES (needed by the installer) and the account the service runs as.',
		probe: 'Test-PadLogonRight',
		passText: 'Log on as a service includes NT SERVICE\\ALL SERVICES and the service account',
		needsElevation: true,
		failures: [
			{
				id: 'logon-right-missing-all-services',
				severity: 'fail',
				title: 'NT SERVICE\\ALL SERVICES lacks Log on as a service',
				errorTexts: serviceNotStartedTexts,
				cause: 'Log on as a service does not list NT SERVICE\\ALL SERVICES. The installer creates the service with the temporary account NT SERVICE\\AADConnectProvisioningAgent, which then cannot log on, so the service fails to start.',
				remediation: {
					steps: [
						'Open Local Security Policy (secpol.msc) > Local Policies > User Rights Assignment > Log on as a service.',
						'Add NT SERVICE\\ALL SERVICES.',
						'If the setting is greyed out, a Group Policy defines it: add NT SERVICE\\ALL SERVICES in that policy instead.',
						'Run the installer again as a Domain Admin or Enterprise Admin.',
					],
					fixIds: ['open-secpol'],
				},
				sources: [src.noPrivilegesMsi, src.agentFailedToStart],
			},
			{
				id: 'logon-right-missing-service-account',
				severity: 'fail',
				title: 'Service account lacks Log on as a service',
				errorTexts: [text.serviceNotInstalled, text.gmsaCredentialsFailed, text.kdsMayNotBeRunning, text.event7041],
				cause: 'The account the service runs as does not hold Log on as a service. Windows logs event 7041, and the wizard fails with "Failed changing Windows service credentials to gMSA", then "Unable to create gMSA because KDS may not be running on domain controller".',
				remediation: {
					steps: [
						'If the installer reported that the service could not be installed, first give the service a domain admin logon (Services > provisioning agent > Log On > This account), as the support article describes.',
						...grantLogOnAsServiceSteps,
					],
					fixIds: ['open-secpol', 'inspect-scm-events'],
				},
				sources: [src.cannotStart, src.cannotStart2021, src.agentFailedToStart],
			},
			{
				id: 'logon-right-set-by-gpo',
				severity: 'warning',
				title: 'Log on as a service set by Group Policy',
				errorTexts: serviceNotStartedTexts,
				cause: 'A Group Policy defines Log on as a service on this server, so local changes are overwritten. Microsoft names a group policy as the typical cause of the agent failing to start.',
				remediation: {
					steps: [
						'Find the Group Policy object that sets Log on as a service for this server (for example with gpresult /h report.html).',
						'Add NT SERVICE\\ALL SERVICES, and the gMSA if it is missing, to that policy.',
						'Refresh policy on the server (gpupdate /force) and run the diagnosis again.',
					],
					fixIds: ['open-secpol'],
				},
				sources: [src.agentFailedToStart, src.noPrivilegesMsi],
			},
		],
		sources: [src.noPrivilegesMsi, src.cannotStart, src.agentFailedToStart],
	},

	// Event log -------------------------------------------------------------------------------------------------------
	{
		id: 'eventlog.scm-events',
		category: 'eventlog',
		title: 'Service Control Manager events',
		verifies: 'The System log has no Service Control Manager errors for the agent service (events 7041, 7038, 7000, 7034) in the period searched.',
		probe: 'Test-PadScmEvents',
		passText: 'No agent service errors in the last {days} days',
		failures: [
			{
				id: 'event-7041',
				severity: 'fail',
				title: 'Event 7041: missing Log on as a service',
				errorTexts: [text.event7041, text.gmsaCredentialsFailed, text.kdsMayNotBeRunning],
				cause: 'Event 7041 shows that the service account does not have the Log on as a service user right, so the service cannot log on.',
				remediation: {
					steps: grantLogOnAsServiceSteps,
					fixIds: ['inspect-scm-events', 'open-secpol'],
				},
				sources: [src.cannotStart, src.cannotStart2021],
			},
			{
				id: 'event-7038',
				severity: 'fail',
				title: 'Event 7038: user name or password incorrect',
				errorTexts: [text.event7038, text.gmsaCredentialsFailed, text.gmsaCredentialsFailedShort],
				cause: 'Event 7038 "The user name or password is incorrect": the service could not log on with its account. With a gMSA, Microsoft traces this to the account-managed flag being FALSE.',
				remediation: {
					steps: [
						'Run sc.exe qmanagedaccount AADConnectProvisioningAgent.',
						'If it reports FALSE, run sc.exe managedaccount AADConnectProvisioningAgent true.',
						'Select Confirm in the wizard again.',
					],
					fixIds: ['inspect-scm-events', 'query-managed-account', 'set-managed-account'],
				},
				sources: [src.gmsaLogOnAsService],
			},
			{
				id: 'event-7000',
				severity: 'warning',
				title: 'Event 7000: service failed to start',
				cause: 'Event 7000 shows the service failed to start; the event names the Windows error.',
				remediation: {
					steps: [
						'Read the error in the event.',
						'Check the Log on as a service and gMSA checks, which cover the documented start failures.',
					],
					fixIds: ['inspect-scm-events'],
				},
				sources: [src.agentFailedToStart],
				unverified: 'No Microsoft cloud sync page links event 7000 to this agent; the event is matched by service name only.',
			},
			{
				id: 'event-7034',
				severity: 'warning',
				title: 'Event 7034: service terminated unexpectedly',
				cause: 'Event 7034 shows the service stopped unexpectedly after it had started.',
				remediation: {
					steps: [
						'Look in the agent trace logs (C:\\ProgramData\\Microsoft\\Azure AD Connect Provisioning Agent\\Trace) around the time of the event.',
						'Start the service again if it stays stopped.',
					],
					fixIds: ['inspect-scm-events', 'open-trace-folder', 'start-service'],
				},
				sources: [src.troubleshoot],
				unverified: 'No Microsoft cloud sync page links event 7034 to this agent; the event is matched by service name only.',
			},
		],
		sources: [src.cannotStart, src.gmsaLogOnAsService],
	},
	{
		id: 'eventlog.netlogon-msa',
		category: 'eventlog',
		title: 'Netlogon managed service account events',
		verifies: 'The Security-Netlogon log has no events 9001 or 9002, which mean this server cannot use the gMSA because of its encryption types.',
		probe: 'Test-PadNetlogonMsaEvents',
		passText: 'No Netlogon 9001 or 9002 events',
		needsElevation: true,
		failures: [
			{
				id: 'event-netlogon-9001-9002',
				severity: 'fail',
				title: 'Netlogon 9001/9002: gMSA encryption types',
				errorTexts: [text.kdsMayNotBeRunning],
				cause: 'Netlogon events 9001/9002: this server does not support all encryption types of the gMSA (for example RC4 on the gMSA while the server allows only AES), so it cannot add the gMSA as a managed service account.',
				remediation: {
					steps: [
						'Read SupportedEncryptionTypes under HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Policies\\System\\Kerberos\\Parameters on this server (0x7ffffff8 means AES128 and AES256 only).',
						'Compare it with msDS-SupportedEncryptionTypes of provAgentgMSA (Active Directory Users and Computers > Attribute Editor).',
						'If they differ, remove RC4 from the gMSA on a domain controller with Set-ADServiceAccount -Identity provAgentgMSA -KerberosEncryptionType AES128,AES256.',
						'Restart the agent server and reinstall the agent.',
					],
					fixIds: ['inspect-netlogon-events', 'inspect-kerberos-encryption-types', 'set-gmsa-aes'],
				},
				sources: [src.unableToCreateGmsa, src.gmsa],
			},
		],
		sources: [src.unableToCreateGmsa],
	},

	// Installer -------------------------------------------------------------------------------------------------------
	{
		id: 'installer.setup-log',
		category: 'installer',
		title: 'Installer and wizard logs',
		verifies: 'The newest installer (bundle) logs in %TEMP% and C:\\Windows\\Temp contain none of the documented installation errors. The file name pattern is known from a user report, not from Microsoft.',
		probe: 'Test-PadSetupLog',
		passText: 'No documented installation errors in the logs',
		needsElevation: true,
		notApplicableText: 'No installer or agent trace logs found',
		failures: [
			{
				id: 'setup-log-service-not-installed',
				severity: 'fail',
				title: 'Service could not be installed',
				errorTexts: [text.serviceNotInstalled],
				cause: 'Windows Installer could not install the AADConnectProvisioningAgent service (Windows Installer error 1923).',
				remediation: {
					steps: [
						'Run the installer elevated, as a Domain Admin or Enterprise Admin.',
						'Give the service a domain admin logon (Services > provisioning agent > Log On > This account), as the support article and "Agent failed to start" describe.',
						'If the wizard then stops at "Failed changing Windows service credentials to gMSA", look for System event 7041 and grant Log on as a service in secpol.msc.',
					],
					fixIds: ['inspect-service', 'open-secpol'],
				},
				sources: [src.cannotStart2021, src.agentFailedToStart, src.msiErrors],
			},
			{
				id: 'setup-log-service-not-started',
				severity: 'fail',
				title: 'Service failed to start during installation',
				errorTexts: serviceNotStartedTexts,
				cause: 'The installer created the service but could not start it (Windows Installer error 1920). Microsoft traces this to Log on as a service missing NT SERVICE\\ALL SERVICES, typically through a Group Policy.',
				remediation: {
					steps: [
						'Add NT SERVICE\\ALL SERVICES to Log on as a service (secpol.msc > Local Policies > User Rights Assignment), or in the Group Policy that defines it.',
						'Run the installer again as a Domain Admin or Enterprise Admin.',
						'Alternatively, as the troubleshooting page describes, set the service Log On account to a domain admin and restart the service.',
					],
					fixIds: ['open-secpol', 'inspect-service'],
				},
				sources: [src.noPrivilegesMsi, src.agentFailedToStart, src.msiErrors],
			},
			{
				id: 'setup-log-gmsa-failed',
				severity: 'fail',
				title: 'Wizard could not set up the gMSA',
				errorTexts: [
					text.gmsaCredentialsFailed,
					text.gmsaCredentialsFailedShort,
					text.kdsMayNotBeRunning,
					text.noSuchObject,
					text.noSuchObjectVariant,
				],
				cause: 'The wizard could not create the gMSA or switch the service to it. The message in the log tells which of the documented causes applies.',
				remediation: {
					steps: [
						'"Failed changing Windows service credentials to gMSA": check System events 7041 (grant Log on as a service) and 7038 (set the managed-account flag).',
						'"Unable to create gMSA because KDS may not be running on domain controller": check Netlogon events 9001/9002 (encryption types), Log on as a service, and the KDS root key.',
						'"There is no such object on the server": the Managed Service Accounts container is missing or otherWellKnownObjects points to a deleted one. Check it in Active Directory Users and Computers; Microsoft names ADPrep /Domainprep to restore it, or a case with the Windows Directory Services team.',
						'"Unable to install service account pGMSA_<hex-string>$ after 6 retries": set msDS-SupportedEncryptionTypes of the gMSA to the value on the server\'s computer account.',
					],
					fixIds: ['open-trace-folder', 'inspect-scm-events'],
				},
				sources: [src.cannotStart, src.gmsaLogOnAsService, src.unableToCreateGmsa, src.noSuchObject, src.gmsa],
			},
		],
		sources: [src.troubleshoot, src.cannotStart],
	},

	// Network ---------------------------------------------------------------------------------------------------------
	{
		id: 'network.endpoints',
		category: 'network',
		title: 'Outbound endpoints',
		verifies: 'The documented endpoints for the selected cloud answer on TCP 443 and, for certificate checks, TCP 80.',
		probe: 'Test-PadEndpoints',
		passText: '{reachable} of {total} endpoints reachable',
		failures: [
			{
				id: 'endpoint-unreachable',
				severity: 'fail',
				title: 'Endpoint unreachable',
				cause: 'One or more documented endpoints did not answer. The agent sends all service traffic over outbound 443 and downloads certificate revocation lists over 80.',
				remediation: {
					steps: [
						'Allow outbound TCP 443 and 80 from this server to the URLs on the prerequisites page (8080 is optional, for status reports).',
						'If your firewall filters by originating user, allow the traffic for Windows services running as network service.',
						'If your firewall cannot allow domain suffixes, allow the Azure datacenter IP ranges instead.',
						'Avoid TLS inspection or termination on this traffic.',
					],
					fixIds: ['test-endpoints-public', 'test-endpoints-usgov'],
				},
				sources: [src.prerequisites, src.troubleshoot],
			},
			{
				id: 'endpoint-unreachable-proxy',
				severity: 'warning',
				title: 'Unreachable directly; a proxy is configured',
				cause: 'Direct connections failed, but this server uses a proxy. The test does not go through the proxy, so it cannot tell whether the agent reaches the service.',
				remediation: {
					steps: [
						'Confirm the proxy allows the documented URLs and supports at least HTTP 1.1 with chunked encoding.',
						'Make sure the agent configuration file names the proxy (see the proxy check).',
					],
					fixIds: ['inspect-proxy'],
				},
				sources: [src.prerequisites, src.agentTimesOut],
			},
		],
		sources: [src.prerequisites],
	},
	{
		id: 'network.proxy',
		category: 'network',
		title: 'Agent proxy configuration',
		verifies: "When the server uses a proxy, the agent's AADConnectProvisioningAgent.exe.config names it; otherwise registration can time out or report an invalid certificate.",
		probe: 'Test-PadProxy',
		passText: 'No proxy in use, or the agent is configured for it',
		notApplicableText: 'The agent is not installed, so it has no configuration file yet',
		failures: [
			{
				id: 'agent-proxy-not-configured',
				severity: 'warning',
				title: 'Proxy not set in the agent configuration',
				cause: 'This server uses a proxy, but AADConnectProvisioningAgent.exe.config has no defaultProxy element, so the agent may not reach the service.',
				remediation: {
					steps: [
						'Edit C:\\Program Files\\Microsoft Azure AD Connect Provisioning Agent\\AADConnectProvisioningAgent.exe.config and add, just before </configuration>: <system.net><defaultProxy enabled="true" useDefaultCredentials="true"><proxy usesystemdefault="true" proxyaddress="http://[proxy-server]:[proxy-port]" bypassonlocal="true" /></defaultProxy></system.net>, with your proxy name and port.',
						'Restart the AADConnectProvisioningAgent service.',
						'An agent older than 1.1.1365.0 resets this file when it updates automatically; check it after each upgrade.',
					],
					fixIds: ['inspect-proxy'],
				},
				sources: [src.agentTimesOut, src.versionHistory],
			},
		],
		sources: [src.agentTimesOut],
	},
];

// ---------------------------------------------------------------------------------------------------------------------
// Lookups

const checksById = new Map(checks.map((check) => [check.id, check]));
const failuresById = new Map<string, { readonly check: CheckDefinition; readonly failure: Failure }>(
	checks.flatMap((check) => check.failures.map((failure) => [failure.id, { check, failure }] as const)),
);
const fixSnippetsById = new Map(fixSnippets.map((snippet) => [snippet.id, snippet]));

export function findCheck(id: string): CheckDefinition | undefined {
	return checksById.get(id);
}

/** Finds a failure by its catalogue-wide id, together with the check that produces it. */
export function findFailure(failureId: string): { readonly check: CheckDefinition; readonly failure: Failure } | undefined {
	return failuresById.get(failureId);
}

export function findFixSnippet(id: string): FixSnippet | undefined {
	return fixSnippetsById.get(id);
}
