/**
 * Pseudonyms for what identifies a customer in a diagnosis result, so a report can be shared with support: computer
 * names, domain names, account names, domain SIDs, IP addresses and Group Policy object names. Everything else (the
 * statuses, the numbers, the versions, the well-known accounts and SIDs, Microsoft's endpoints) stays as it is,
 * because that is what support needs to diagnose.
 *
 * How it finds the values: first from the fields that name them (the host, the parameters and the evidence keys in
 * `identifyingEvidence` below), then by pattern in every string (distinguished names, domain SIDs, IP addresses, and
 * host, account and profile names written next to a domain already found). Every value found is then replaced in
 * every string of the result, case-insensitively and as a whole word, so a name inside a sentence (an event message,
 * an error text, a log line) is caught too.
 *
 * A report on several servers has one redactor for all of them (createServersRedactor), so a domain or an account
 * that two servers name has the same pseudonym in both; the servers themselves are server-1, server-2, … in the
 * order the run was given them.
 *
 * Pseudonyms are stable within one redactor (one report) and say what they stand for:
 *   computer  server-1 (this server is always server-1), server-2, …; a host name under a known domain keeps that
 *             shape: DC01.contoso.com -> server-2.domain-1.example
 *   domain    DNS form domain-1.example; the NetBIOS name whose text is the DNS name's first label shares its number
 *             (CONTOSO -> DOMAIN-1); distinguished-name form DC=domain-1,DC=example
 *   account   the name part only: account-1; the domain part gets the domain's pseudonym and a trailing $ (gMSA,
 *             computer account) is kept: CONTOSO\provAgentgMSA$ -> DOMAIN-1\account-2$, helpdesk@contoso.com ->
 *             account-3@domain-1.example
 *   sid       the domain part of a domain SID, keeping the relative id, which says what the account is (512 is
 *             Domain Admins): S-1-5-21-1004336348-1177238915-682003330-512 -> S-1-5-21-sid-1-512
 *   ip        ipv4-1, ipv6-1 (a zone index such as %12 is kept)
 *   gpo       gpo-1
 * The same original (ignoring case) always maps to the same pseudonym, and different originals to different ones.
 *
 * What it cannot know: a name that appears only in free text (an event message, a log line, an error) and never in
 * a field it reads or next to a domain it found (FABRIKAM\user of an unknown domain, a bare server name in a
 * sentence) stays. Organizational unit and site names (OU=Servers, Default-First-Site-Name) and GPO GUIDs are not
 * redacted. A name that is also a common word is replaced wherever that word appears (a server named SERVER turns
 * "Windows Server" into "Windows server-1"); the JSON report keeps the exact values for the admin, the mapping says
 * what each pseudonym stands for.
 *
 * Pure: no `vscode` import, no I/O.
 */
import agentFile from '../catalogue/agent.json';
import endpointsFile from '../catalogue/endpoints.json';
import type { DiagnosisResult, ServerEntry } from '../checks/types';

export type PseudonymKind = 'computer' | 'domain' | 'account' | 'sid' | 'ip' | 'gpo';

export interface Pseudonym {
	readonly kind: PseudonymKind;
	readonly original: string;
	readonly pseudonym: string;
}

export interface Redactor {
	/** A redacted deep copy of the result; the result passed in is not changed. */
	redactResult(result: DiagnosisResult): DiagnosisResult;
	/** Any text with every value found so far (and any SID, IP address or distinguished name in it) replaced. */
	redactText(text: string): string;
	/** What each pseudonym stands for, in the order they were given. Not part of a report: for the admin only. */
	mapping(): ReadonlyArray<Pseudonym>;
}

// ---------------------------------------------------------------------------------------------------------------------
// What the probes report (src/powershell/probes/*.ps1, the fake host's scenarios)

/** What an identifying evidence value holds, which decides how it is read. */
type ValueKind =
	| 'computer-or-domain-host' // a host name, FQDN or URL (DC names, the proxy)
	| 'proxy-list' // netsh winhttp's proxy server: host:port, or a ; list, each maybe "scheme=host:port"
	| 'domain' // a DNS domain name, or a NetBIOS / workgroup name when it has no dot
	| 'dn' // a distinguished name whose DC= parts name the domain (schema, containers, GPO paths)
	| 'account' // DOMAIN\name, name@domain, a sAMAccountName, or a SID (left to the SID pattern)
	| 'account-dn' // a distinguished name of an account: its CN is the account's name (often a person's name)
	| 'principal' // a PrincipalsAllowedToRetrieveManagedPassword entry: a DN or name of a computer or group
	| 'gpo' // a Group Policy object's display name
	| 'sid' // a SID (read by the SID pattern; listed so the domain SID gets the first number)
	| 'ip'; // an IP address

/** An evidence value, or the named property of each object in an evidence array. */
type EvidenceSpec = ValueKind | { readonly kind: ValueKind; readonly property: string };

/**
 * The evidence keys that carry host, domain, account, SID, IP or GPO values, per check, and why:
 * - permissions.elevated / domain-admin `user`: the account running the diagnosis (DOMAIN\name).
 * - permissions.domain-admin `domainSid`, `forestRootDomainSid`: the domain SIDs of this domain and its forest root.
 * - permissions.wizard-account `account`, `samAccountName` (a sAMAccountName or the UPN asked for), `domain` (DNS),
 *   `distinguishedName` (the account's DN: its CN is usually a person's name).
 * - server.domain-joined `domain`: the DNS domain, or the workgroup when not joined.
 * - domain.functional-level `domain`, `forest`; domain.dc-version `domain`, `newestDc` ("FQDN (OS)"),
 *   `domainControllers[].name`; domain.secure-channel `domain`; domain.dc-reachable `domain`, `domainController`,
 *   `globalCatalog`, `endpoints[].host` (DC FQDNs), `dcAddress` (the DC's IP address).
 * - domain.schema-version `schema`, domain.schema-external-id `schema`, `definition`, domain.msa-container `domain`,
 *   `container`: distinguished names whose DC= parts are the forest's or domain's name.
 * - gmsa.account-usable `account`, `samAccountName`, `candidates` (gMSA names), `principalsAllowed` and
 *   `otherPrincipalClasses[].principal` (DNs of this and other computers and of groups); gmsa.managed-account-flag
 *   `account`; service.state `startName`; service.logon-right `account`, `holders` (SIDs, or names secedit could not
 *   translate), `gpoAccounts`, `gpoLacks`, `accountSid`, `gpo` (the GPO's display name), `gpoId` (its DN path).
 * - eventlog.netlogon-msa `accounts` (the gMSA names looked for), `gmsaAccount` (the one the events name).
 * - network.proxy `agentProxy` (the proxy URL of the agent configuration), `winhttpProxy` (netsh's proxy server).
 * Every other string (event messages, log lines, paths, sc.exe output, error texts) is read as free text: the values
 * found here are replaced in it, and the patterns catch SIDs, IP addresses and distinguished names in it.
 */
const identifyingEvidence: Readonly<Record<string, Readonly<Record<string, EvidenceSpec>>>> = {
	'permissions.elevated': { user: 'account' },
	'permissions.domain-admin': { user: 'account', domainSid: 'sid', forestRootDomainSid: 'sid' },
	'permissions.wizard-account': { account: 'account', samAccountName: 'account', domain: 'domain', distinguishedName: 'account-dn' },
	'server.domain-joined': { domain: 'domain' },
	'domain.functional-level': { domain: 'domain', forest: 'domain' },
	'domain.dc-version': { domain: 'domain', newestDc: 'computer-or-domain-host', domainControllers: { kind: 'computer-or-domain-host', property: 'name' } },
	'domain.schema-version': { schema: 'dn' },
	'domain.schema-external-id': { schema: 'dn', definition: 'dn' },
	'domain.msa-container': { domain: 'dn', container: 'dn' },
	'domain.secure-channel': { domain: 'domain' },
	'domain.dc-reachable': {
		domain: 'domain',
		domainController: 'computer-or-domain-host',
		globalCatalog: 'computer-or-domain-host',
		endpoints: { kind: 'computer-or-domain-host', property: 'host' },
		dcAddress: 'ip',
	},
	'gmsa.account-usable': {
		account: 'account',
		samAccountName: 'account',
		candidates: 'account',
		principalsAllowed: 'principal',
		otherPrincipalClasses: { kind: 'principal', property: 'principal' },
	},
	'gmsa.managed-account-flag': { account: 'account' },
	'service.state': { startName: 'account' },
	'service.logon-right': { account: 'account', accountSid: 'sid', holders: 'account', gpoAccounts: 'account', gpoLacks: 'account', gpo: 'gpo', gpoId: 'dn' },
	'eventlog.netlogon-msa': { accounts: 'account', gmsaAccount: 'account' },
	'network.proxy': { agentProxy: 'computer-or-domain-host', winhttpProxy: 'proxy-list' },
};

// ---------------------------------------------------------------------------------------------------------------------
// What is never redacted: it identifies nobody and support needs it

/** Domain parts of accounts Windows itself defines (NT SERVICE\ALL SERVICES, BUILTIN\Administrators, …). */
const wellKnownDomainParts: ReadonlySet<string> = new Set([
	'nt authority', 'nt service', 'builtin', 'nt virtual machine', 'iis apppool', 'window manager', 'font driver host', '.',
	// Windows' own names for a computer outside a domain, and the German and French forms of NT AUTHORITY.
	'workgroup', 'nt-autorität', 'autorite nt',
]);

/** Built-in accounts and groups: the same name in every domain, and the name says what they are. */
const wellKnownAccountNames: ReadonlySet<string> = new Set([
	'administrator', 'guest', 'krbtgt', 'defaultaccount', 'wdagutilityaccount', 'system', 'localsystem', 'local service', 'localservice',
	'network service', 'networkservice', 'all services', 'administrators', 'users', 'guests', 'everyone', 'authenticated users',
	'domain admins', 'enterprise admins', 'schema admins', 'domain users', 'domain computers', 'domain controllers', 'domain guests',
	'protected users', 'account operators', 'backup operators', 'server operators', 'print operators', 'remote desktop users',
	'key admins', 'enterprise key admins', 'read-only domain controllers', 'group policy creator owners', 'cert publishers', 'dnsadmins',
	// The gMSA the wizard creates by default (agent.json gmsa.defaultName): the same in every domain, and whether the
	// agent runs as it or as a custom gMSA is part of the diagnosis.
	'provagentgmsa', 'provagentgmsa$',
	// The superuser of an SSH server (user@host of a run on several servers): the same on every such host, and the word
	// of "KDS root key", which a pseudonym would turn into nonsense.
	'root',
]);

/** Group Policy objects every domain (or computer) has under these names. */
const wellKnownGpoNames: ReadonlySet<string> = new Set(['default domain policy', 'default domain controllers policy', 'local group policy', 'localgpo']);

/** Profile folders below C:\Users that are no one's name. */
const wellKnownProfileFolders: ReadonlySet<string> = new Set(['public', 'default', 'default user', 'all users', 'defaultuser0', 'defaultapppool']);

/**
 * Host labels that are also words the evidence itself uses (winhttp: "proxy") or generic service names. For
 * proxy.contoso.com the whole FQDN is replaced, but "proxy" alone is not, or every such word would be.
 */
const genericHostLabels: ReadonlySet<string> = new Set([
	'proxy', 'www', 'mail', 'server', 'host', 'gateway', 'login', 'ldap', 'dc', 'gc', 'dns', 'web', 'api', 'smtp', 'vpn', 'sts', 'adfs', 'autodiscover', 'localhost',
]);

interface EndpointsData {
	readonly clouds: Readonly<Record<string, { readonly targets: readonly { readonly host: string }[]; readonly wildcards?: readonly string[]; readonly notProbed?: readonly { readonly host: string }[] }>>;
}

/** Microsoft's endpoint hosts and wildcard domains (src/catalogue/endpoints.json), lower case, without "*.". */
const microsoftNames: readonly string[] = Object.values((endpointsFile as unknown as EndpointsData).clouds).flatMap((cloud) => [
	...cloud.targets.map((t) => t.host),
	...(cloud.wildcards ?? []).map((w) => w.replace(/^\*\./, '')),
	...(cloud.notProbed ?? []).map((n) => n.host),
]).map((name) => name.toLowerCase());

function isMicrosoftHost(name: string): boolean {
	const host = name.toLowerCase().replace(/\.$/, '');
	return microsoftNames.some((m) => host === m || host.endsWith(`.${m}`));
}

/** A domain that is Microsoft's or holds one of its endpoints (windows.net, com): redacting it would hide them. */
function holdsMicrosoftHost(domain: string): boolean {
	const d = domain.toLowerCase();
	return isMicrosoftHost(d) || microsoftNames.some((m) => m.endsWith(`.${d}`));
}

/** The agent's release versions (agent.json): 1.1.67.0 reads like an IPv4 address and must stay a version. */
const agentVersions: ReadonlySet<string> = new Set((agentFile as unknown as { versions: readonly { version: string }[] }).versions.map((v) => v.version));

// ---------------------------------------------------------------------------------------------------------------------
// Patterns

/** A character of a name: a value is replaced only where it is not part of a longer name. */
const nameChar = '[\\p{L}\\p{N}_-]';
const notAfterName = `(?<!${nameChar})`;
const notBeforeName = `(?!${nameChar})`;

const dcChainPattern = `${notAfterName}DC=${nameChar}+(?:[ \\t]*,[ \\t]*DC=${nameChar}+)*${notBeforeName}`;
/** Domain SIDs (S-1-5-21 and three sub-authorities, then relative ids) and Entra ID SIDs (S-1-12-1 and four). */
const sidPattern = `${notAfterName}S-1-(?:5-21(?:-\\d{1,10}){3}|12-1(?:-\\d{1,10}){4})(?:-\\d{1,10})*(?![\\p{L}\\p{N}_])`;
const octet = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const ipv4Body = `(?:${octet}\\.){3}${octet}`;
/** Not inside a longer dotted number (a five-part version), not after a letter (v1.2.3.4). */
const ipv4Pattern = `(?<![\\p{L}\\p{N}_]|\\d\\.)${ipv4Body}(?![\\p{L}\\p{N}_]|\\.\\d)`;
const h16 = '[0-9a-f]{1,4}';
const ls32 = `(?:${h16}:${h16}|${ipv4Body})`;
/** RFC 3986's IPv6address, then an optional zone index. */
const ipv6Body = [
	`(?:${h16}:){6}${ls32}`,
	`::(?:${h16}:){5}${ls32}`,
	`(?:${h16})?::(?:${h16}:){4}${ls32}`,
	`(?:(?:${h16}:){0,1}${h16})?::(?:${h16}:){3}${ls32}`,
	`(?:(?:${h16}:){0,2}${h16})?::(?:${h16}:){2}${ls32}`,
	`(?:(?:${h16}:){0,3}${h16})?::${h16}:${ls32}`,
	`(?:(?:${h16}:){0,4}${h16})?::${ls32}`,
	`(?:(?:${h16}:){0,5}${h16})?::${h16}`,
	`(?:(?:${h16}:){0,6}${h16})?::`,
].join('|');
const ipv6Pattern = `(?<![\\p{L}\\p{N}_:.])(?:${ipv6Body})(?:%[\\p{L}\\p{N}_.]+)?(?![\\p{L}\\p{N}_:])`;
const ipv4Exact = new RegExp(`^${ipv4Body}$`);
const ipv6Exact = new RegExp(`^(?:${ipv6Body})$`, 'i');
const hostPattern = new RegExp(`${notAfterName}${nameChar}+(?:\\.${nameChar}+)+`, 'gu');
const sidShape = /^S-\d+-\d+/i;

function escapeRegExp(text: string): string {
	return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** A value as a pattern that matches it only as a whole word (where it starts or ends with a name character). */
function wordPattern(value: string): string {
	const first = /^[\p{L}\p{N}_-]/u.test(value) ? notAfterName : '';
	const last = /[\p{L}\p{N}_-]$/u.test(value) ? notBeforeName : '';
	return `${first}${escapeRegExp(value)}${last}`;
}

/** The host of a value that may be a URL, host:port, [IPv6]:port or "FQDN (description)". */
function hostOf(value: string): string {
	let host = value.trim().split(/\s/)[0] ?? '';
	host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^@/]*@/, '').replace(/[/?#].*$/, '');
	const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
	if (bracketed) {
		return bracketed[1];
	}
	if ((host.match(/:/g) ?? []).length === 1) {
		host = host.replace(/:\d*$/, '');
	}
	return host.replace(/\.$/, '');
}

/** Splits a distinguished name at its commas, except escaped ones (CN=Smith\, John). */
function splitDn(dn: string): string[] {
	return dn.split(/(?<!\\),/).map((part) => part.trim());
}

function isWellKnownIp(ip: string): boolean {
	return /^127\./.test(ip) || ip === '0.0.0.0' || ip === '255.255.255.255' || ip === '::1' || ip === '::';
}

// ---------------------------------------------------------------------------------------------------------------------
// The table of pseudonyms

class Pseudonyms {
	private readonly entries: Pseudonym[] = [];
	/** Names replaced as words, by their lower-case text. */
	private readonly words = new Map<string, Pseudonym>();
	private readonly sids = new Map<string, Pseudonym>();
	private readonly ips = new Map<string, Pseudonym>();
	/** The number of each computer, by its lower-case short name (so DC01 and DC01.contoso.com agree). */
	private readonly computers = new Map<string, string>();
	private readonly counters = new Map<string, number>();
	/** A DNS domain and the NetBIOS name equal to its first label share a number; each form once. */
	private readonly domainNumbers = new Map<string, { readonly number: number; dns: boolean; netbios: boolean }>();
	private domainCount = 0;
	private compiled: { readonly size: number; readonly pattern: RegExp } | undefined;

	mapping(): ReadonlyArray<Pseudonym> {
		return [...this.entries];
	}

	private add(kind: PseudonymKind, original: string, pseudonym: string, table: Map<string, Pseudonym>, key: string): Pseudonym {
		const entry = { kind, original, pseudonym };
		table.set(key, entry);
		this.entries.push(entry);
		return entry;
	}

	/** The next free `prefix-N`: never the text of an original, so a pseudonym cannot be mistaken for a real name. */
	private next(prefix: string): string {
		let n = this.counters.get(prefix) ?? 0;
		do {
			n++;
		} while (this.words.has(`${prefix}-${n}`.toLowerCase()));
		this.counters.set(prefix, n);
		return `${prefix}-${n}`;
	}

	private domainNumber(label: string, form: 'dns' | 'netbios'): number {
		const pair = this.domainNumbers.get(label);
		if (pair && !pair[form]) {
			pair[form] = true;
			return pair.number;
		}
		let number = this.domainCount;
		do {
			number++;
		} while (this.words.has(`domain-${number}.example`) || this.words.has(`domain-${number}`));
		this.domainCount = number;
		if (!pair) {
			this.domainNumbers.set(label, { number, dns: form === 'dns', netbios: form === 'netbios' });
		}
		return number;
	}

	addComputer(name: string, always = false): string | undefined {
		const short = name.trim().replace(/\$+$/, '');
		if (short.includes('.')) {
			this.addHost(short);
			return this.computers.get(short.slice(0, short.indexOf('.')).toLowerCase());
		}
		const key = short.toLowerCase();
		if (!/^[\p{L}\p{N}_-]+$/u.test(short) || key === 'localhost') {
			return undefined;
		}
		const other = this.words.get(key);
		if (other && !this.computers.has(key)) {
			return other.pseudonym; // already known as an account or domain of that name: one pseudonym per text
		}
		let pseudonym = this.computers.get(key);
		if (!pseudonym) {
			pseudonym = this.next('server');
			this.computers.set(key, pseudonym);
		}
		if (!this.words.has(key) && (always || !genericHostLabels.has(key))) {
			this.add('computer', short, pseudonym, this.words, key);
		}
		return pseudonym;
	}

	addHost(value: string): void {
		const host = hostOf(value);
		if (!host || isMicrosoftHost(host)) {
			return;
		}
		// An address (registered as one) or something shaped like one (127.0.0.1, a port list) is no host name.
		if (this.ipPseudonym(host) !== undefined || /^[\d.]+$/.test(host) || host.includes(':')) {
			return;
		}
		if (!/^[\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)*$/u.test(host)) {
			return;
		}
		const dot = host.indexOf('.');
		if (dot < 0) {
			this.addComputer(host);
			return;
		}
		const domain = host.slice(dot + 1);
		this.addDnsDomain(domain);
		const computer = this.addComputer(host.slice(0, dot));
		const key = host.toLowerCase();
		if (computer && !this.words.has(key)) {
			const domainPseudonym = this.words.get(domain.toLowerCase())?.pseudonym ?? domain;
			this.add('computer', host, `${computer}.${domainPseudonym}`, this.words, key);
		}
	}

	addDnsDomain(name: string): void {
		const domain = name.trim().replace(/\.$/, '');
		const key = domain.toLowerCase();
		if (!/^[\p{L}\p{N}_-]+(?:\.[\p{L}\p{N}_-]+)+$/u.test(domain) || this.words.has(key) || holdsMicrosoftHost(key)) {
			return;
		}
		const number = this.domainNumber(key.slice(0, key.indexOf('.')), 'dns');
		this.add('domain', domain, `domain-${number}.example`, this.words, key);
	}

	addNetbiosDomain(name: string): void {
		const domain = name.trim();
		const key = domain.toLowerCase();
		if (domain.includes('.')) {
			this.addDnsDomain(domain);
			return;
		}
		if (!domain || wellKnownDomainParts.has(key) || this.words.has(key) || this.computers.has(key) || !/^[^\\/:*?"<>|\s]+$/.test(domain)) {
			return;
		}
		this.add('domain', domain, `DOMAIN-${this.domainNumber(key, 'netbios')}`, this.words, key);
	}

	/** The name part of an account. A trailing $ is a gMSA's, or a computer account's when `dollarIsComputer`. */
	addAccountName(name: string, dollarIsComputer = false): void {
		const trimmed = name.trim();
		const bare = trimmed.replace(/\$+$/, '');
		const key = bare.toLowerCase();
		if (!bare || /[*?]/.test(bare) || sidShape.test(bare) || this.words.has(key) || this.computers.has(key) || wellKnownAccountNames.has(key)) {
			return;
		}
		if (dollarIsComputer && trimmed.endsWith('$')) {
			this.addComputer(bare);
			return;
		}
		this.add('account', bare, this.next('account'), this.words, key);
	}

	/** DOMAIN\name, name@domain, a bare name or a DN; SIDs are left to the SID pattern. */
	addAccount(value: string, principal = false): void {
		const account = value.trim();
		if (!account || sidShape.test(account)) {
			return;
		}
		if (/^(?:CN|OU|DC)=/i.test(account)) {
			this.addDistinguishedName(account, principal ? 'principal' : 'account');
			return;
		}
		const slash = account.indexOf('\\');
		if (slash >= 0) {
			const domain = account.slice(0, slash);
			if (wellKnownDomainParts.has(domain.toLowerCase())) {
				return;
			}
			// A local account (.\name, AGENT01\name) has the computer as its domain part: already a computer.
			if (!this.computers.has(domain.toLowerCase())) {
				this.addNetbiosDomain(domain);
			}
			this.addAccountName(account.slice(slash + 1), principal);
			return;
		}
		const at = account.lastIndexOf('@');
		if (at > 0) {
			this.addDnsDomain(account.slice(at + 1));
			this.addAccountName(account.slice(0, at));
			return;
		}
		this.addAccountName(account, principal);
	}

	/** The DC= parts name a domain; the first CN names the object when `object` says what it is. */
	addDistinguishedName(dn: string, object: 'account' | 'computer' | 'principal' | 'none'): void {
		const parts = splitDn(dn);
		const labels = parts.filter((p) => /^DC=/i.test(p)).map((p) => p.slice(3).trim());
		if (labels.length >= 2) {
			this.addDnsDomain(labels.join('.'));
		}
		const first = parts[0] ?? '';
		if (object === 'none' || !/^CN=/i.test(first)) {
			return;
		}
		const cn = first.slice(3).trim();
		if (object === 'computer') {
			this.addComputer(cn);
		} else {
			this.addAccountName(cn);
		}
	}

	addGpo(name: string): void {
		const gpo = name.trim();
		const key = gpo.toLowerCase();
		// Without a display name the probe reports the GPO's path (cn={GUID},cn=policies,…): the DC= parts cover that.
		if (!gpo || wellKnownGpoNames.has(key) || /^cn=/i.test(gpo) || /^\{[0-9a-f-]+\}$/i.test(gpo) || this.words.has(key)) {
			return;
		}
		this.add('gpo', gpo, this.next('gpo'), this.words, key);
	}

	/** The pseudonym of a SID; a domain SID keeps its relative ids after its domain's pseudonym. */
	sidPseudonym(sid: string): string {
		const upper = sid.toUpperCase();
		const parts = upper.split('-');
		const domainLength = parts[2] === '5' ? 7 : 8; // S-1-5-21-a-b-c, S-1-12-1-a-b-c-d
		const domain = parts.slice(0, domainLength).join('-');
		const rest = parts.slice(domainLength);
		let entry = this.sids.get(domain);
		if (!entry) {
			const prefix = parts[2] === '5' ? 'S-1-5-21' : 'S-1-12-1';
			entry = this.add('sid', domain, `${prefix}-${this.next('sid')}`, this.sids, domain);
		}
		return [entry.pseudonym, ...rest].join('-');
	}

	/** The pseudonym of an IP address, or undefined when it is not one or is well known (127.0.0.1, ::1). */
	ipPseudonym(text: string): string | undefined {
		const [address, zone] = text.split('%');
		const isV4 = ipv4Exact.test(address);
		const isV6 = !isV4 && ipv6Exact.test(address);
		if (!isV4 && !isV6) {
			return undefined;
		}
		const key = address.toLowerCase();
		// "::Add" (a .NET static call in an error text) parses as IPv6; a real address has two groups or more.
		if (isWellKnownIp(key) || (isV6 && key.split(':').filter((g) => g.length > 0).length < 2)) {
			return undefined;
		}
		const entry = this.ips.get(key) ?? this.add('ip', address, this.next(isV4 ? 'ipv4' : 'ipv6'), this.ips, key);
		return zone === undefined ? entry.pseudonym : `${entry.pseudonym}%${zone}`;
	}

	/** The DN form of a known (or newly seen) domain, or the chain unchanged. */
	private dcChainPseudonym(chain: string): string {
		const labels = chain.split(',').map((part) => part.trim().slice(3));
		if (labels.length < 2) {
			return chain;
		}
		const domain = labels.join('.');
		this.addDnsDomain(domain);
		const entry = this.words.get(domain.toLowerCase());
		return entry ? entry.pseudonym.split('.').map((label) => `DC=${label}`).join(',') : chain;
	}

	private pattern(): RegExp {
		if (this.compiled?.size !== this.words.size) {
			const words = [...this.words.keys()].sort((a, b) => b.length - a.length).map(wordPattern);
			const alternatives = [`(?<dc>${dcChainPattern})`, `(?<sid>${sidPattern})`];
			if (words.length > 0) {
				alternatives.push(`(?<word>${words.join('|')})`);
			}
			alternatives.push(`(?<ipv6>${ipv6Pattern})`, `(?<ipv4>${ipv4Pattern})`);
			this.compiled = { size: this.words.size, pattern: new RegExp(alternatives.join('|'), 'giu') };
		}
		return this.compiled.pattern;
	}

	/**
	 * Replaces, in one pass (so a pseudonym is never replaced again), every known name, distinguished-name domain,
	 * domain SID and IP address. Microsoft's host names are left whole. `versions`: the text is a version field, so a
	 * dotted quad in it is a version, never an address.
	 */
	replace(text: string, versions: boolean): string {
		const microsoftSpans = [...text.matchAll(hostPattern)]
			.filter((m) => isMicrosoftHost(m[0]))
			.map((m) => [m.index ?? 0, (m.index ?? 0) + m[0].length] as const);
		const inMicrosoftHost = (offset: number) => microsoftSpans.some(([start, end]) => offset >= start && offset < end);
		return text.replace(this.pattern(), (match: string, ...args: unknown[]) => {
			const groups = args[args.length - 1] as Record<string, string | undefined>;
			const offset = args[args.length - 3] as number;
			if (inMicrosoftHost(offset)) {
				return match;
			}
			if (groups.dc !== undefined) {
				return this.dcChainPseudonym(match);
			}
			if (groups.sid !== undefined) {
				return this.sidPseudonym(match);
			}
			if (groups.word !== undefined) {
				return this.words.get(match.toLowerCase())?.pseudonym ?? match;
			}
			if (groups.ipv4 !== undefined && (versions || agentVersions.has(match) || /(?:version|ver\.?|build)\s*$/i.test(text.slice(Math.max(0, offset - 12), offset)))) {
				return match;
			}
			return this.ipPseudonym(match) ?? match;
		});
	}

	/**
	 * Finds, in free text, names written next to what is already known: hosts and child domains under a known domain
	 * (OTHERSRV.contoso.com), accounts of a known domain or computer (CONTOSO\sqlsvc, helpdesk@contoso.com), and
	 * profile folders (C:\Users\jsmith\…). Also every distinguished-name domain, SID and IP address, in order.
	 */
	discover(text: string, versions: boolean): void {
		for (const m of text.matchAll(new RegExp(dcChainPattern, 'giu'))) {
			this.dcChainPseudonym(m[0]);
		}
		const domains = this.entries.filter((e) => e.kind === 'domain' && e.original.includes('.')).map((e) => escapeRegExp(e.original));
		if (domains.length > 0) {
			const domainAlternatives = domains.sort((a, b) => b.length - a.length).join('|');
			const hosts = new RegExp(`(?<![\\p{L}\\p{N}_.@-])((?:${nameChar}+\\.)+)(?:${domainAlternatives})${notBeforeName}`, 'giu');
			for (const m of text.matchAll(hosts)) {
				if (!isMicrosoftHost(m[0])) {
					this.addHost(m[0]);
				}
			}
			const upns = new RegExp(`(?<![\\p{L}\\p{N}_.+-])([\\p{L}\\p{N}_.+-]+)@(?:${nameChar}+\\.)*(?:${domainAlternatives})${notBeforeName}`, 'giu');
			for (const m of text.matchAll(upns)) {
				this.addAccountName(m[1]);
			}
		}
		const prefixes = this.entries
			.filter((e) => (e.kind === 'domain' && !e.original.includes('.')) || (e.kind === 'computer' && !e.original.includes('.')))
			.map((e) => escapeRegExp(e.original));
		if (prefixes.length > 0) {
			const accounts = new RegExp(`${notAfterName}(?:${prefixes.join('|')})\\\\([^\\s\\\\/"'<>|,;:()[\\]{}=]+)`, 'giu');
			for (const m of text.matchAll(accounts)) {
				this.addAccountName(m[1].replace(/[.]+$/, ''));
			}
		}
		for (const m of text.matchAll(/(?<![\p{L}\p{N}_-])Users[\\/]([^\\/:*?"<>|\r\n]+)[\\/]/giu)) {
			const folder = m[1].split('.')[0];
			if (!wellKnownProfileFolders.has(folder.toLowerCase())) {
				this.addAccountName(folder);
			}
		}
		for (const m of text.matchAll(new RegExp(sidPattern, 'giu'))) {
			this.sidPseudonym(m[0]);
		}
		// The replacement decides what is an address (not a version, not Microsoft's); its output is not needed here.
		this.replace(text, versions);
	}
}

// ---------------------------------------------------------------------------------------------------------------------
// Reading a result

/** Where a string sits in the result, and whether it is a version (a dotted quad there is no address). */
interface Text {
	readonly value: string;
	readonly versions: boolean;
}

const versionKey = /version|fixedin/i;

/**
 * Fields copied as they are: ids, statuses, numbers, dates, versions and the parameters the run was given. Every other
 * string is redacted, fields a newer script may add included (unknown is not assumed to be harmless).
 */
const verbatimFields: Readonly<Record<string, ReadonlySet<string>>> = {
	'': new Set(['schemaVersion', 'tool', 'startedAt', 'finishedAt']),
	host: new Set(['isWindows', 'psVersion', 'psEdition', 'isElevated']),
	parameters: new Set(['cloud', 'eventDays', 'checkTimeoutSeconds', 'networkTimeoutSeconds', 'checks']),
	fatal: new Set(['code']),
	check: new Set(['id', 'status', 'failureIds', 'durationMs']),
};

function isVerbatim(path: readonly (string | number)[]): boolean {
	const [top, second, third] = path;
	if (path.length === 1) {
		return verbatimFields[''].has(String(top));
	}
	if (path.length === 2 && (top === 'host' || top === 'parameters' || top === 'fatal')) {
		return verbatimFields[top].has(String(second));
	}
	return path.length === 3 && top === 'checks' && verbatimFields.check.has(String(third));
}

/** A version field: an evidence key, or a property of an evidence object, that names a version. */
function isVersionField(path: readonly (string | number)[]): boolean {
	return path[0] === 'checks' && path[2] === 'evidence' && path.slice(3).some((part) => typeof part === 'string' && versionKey.test(part));
}

/** A deep copy in which `redact` rewrites every string outside the verbatim fields. */
function mapStrings(value: unknown, path: (string | number)[], redact: (text: string, versions: boolean) => string): unknown {
	if (isVerbatim(path)) {
		return structuredClone(value);
	}
	if (typeof value === 'string') {
		return redact(value, isVersionField(path));
	}
	if (Array.isArray(value)) {
		return value.map((item, i) => mapStrings(item, [...path, i], redact));
	}
	if (value !== null && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, [...path, key], redact)]));
	}
	return value;
}

function collectTexts(result: DiagnosisResult): Text[] {
	const texts: Text[] = [];
	mapStrings(result, [], (value, versions) => {
		texts.push({ value, versions });
		return value;
	});
	return texts;
}

/** The values of one evidence key as its spec reads them: strings, or the named property of each object. */
function specValues(value: unknown, spec: EvidenceSpec): { readonly kind: ValueKind; readonly values: readonly unknown[] } {
	const items = Array.isArray(value) ? value : [value];
	if (typeof spec === 'string') {
		return { kind: spec, values: items };
	}
	return { kind: spec.kind, values: items.map((item) => (item !== null && typeof item === 'object' ? (item as Record<string, unknown>)[spec.property] : undefined)) };
}

/** The objectClass the gMSA check read for each principal (otherPrincipalClasses), by the principal's text. */
function principalClasses(result: DiagnosisResult): Map<string, string> {
	const classes = new Map<string, string>();
	for (const check of result.checks.filter((c) => c.id === 'gmsa.account-usable')) {
		const others = check.evidence.otherPrincipalClasses;
		for (const item of Array.isArray(others) ? others : []) {
			if (item !== null && typeof item === 'object' && typeof item.principal === 'string' && typeof item.objectClass === 'string') {
				classes.set(item.principal.toLowerCase(), item.objectClass.toLowerCase());
			}
		}
	}
	return classes;
}

/** Every identifying evidence value of the result, with what it holds, in result order. */
function identifyingValues(result: DiagnosisResult): { readonly kind: ValueKind; readonly value: string }[] {
	const found: { kind: ValueKind; value: string }[] = [];
	for (const check of result.checks) {
		const specs = identifyingEvidence[check.id] ?? {};
		for (const [key, spec] of Object.entries(specs)) {
			const { kind, values } = specValues(check.evidence[key], spec);
			for (const value of values) {
				if (typeof value === 'string' && value.trim().length > 0) {
					found.push({ kind, value });
				}
			}
		}
	}
	return found;
}

function learn(table: Pseudonyms, result: DiagnosisResult): void {
	const values = identifyingValues(result);
	const ofKind = (...kinds: ValueKind[]) => values.filter((v) => kinds.includes(v.kind)).map((v) => v.value);
	const classes = principalClasses(result);

	// This server first, so it is always server-1; then the DNS domains, so each NetBIOS name can share its number.
	table.addComputer(result.host.computerName, true);
	for (const domain of ofKind('domain').filter((d) => d.includes('.'))) {
		table.addDnsDomain(domain);
	}
	for (const dn of ofKind('dn', 'account-dn')) {
		table.addDistinguishedName(dn, 'none');
	}
	for (const host of ofKind('computer-or-domain-host')) {
		table.addHost(host);
	}
	for (const list of ofKind('proxy-list')) {
		for (const entry of list.split(/[;\s]+/)) {
			table.addHost(entry.replace(/^[a-z]+=/i, ''));
		}
	}
	const texts = collectTexts(result);
	for (const text of texts) {
		for (const m of text.value.matchAll(new RegExp(dcChainPattern, 'giu'))) {
			table.addDistinguishedName(m[0], 'none');
		}
	}

	// Then the accounts: the one running the diagnosis first.
	table.addAccount(result.host.userName);
	if (result.parameters.wizardAccount) {
		table.addAccount(result.parameters.wizardAccount);
	}
	for (const domain of ofKind('domain').filter((d) => !d.includes('.'))) {
		table.addNetbiosDomain(domain);
	}
	for (const value of values) {
		if (value.kind === 'account') {
			table.addAccount(value.value);
		} else if (value.kind === 'account-dn') {
			table.addDistinguishedName(value.value, 'account');
		} else if (value.kind === 'principal') {
			const objectClass = classes.get(value.value.toLowerCase());
			if (/^CN=/i.test(value.value)) {
				table.addDistinguishedName(value.value, objectClass === 'computer' ? 'computer' : 'account');
			} else {
				table.addAccount(value.value, objectClass === undefined || objectClass === 'computer');
			}
		}
	}
	for (const gpo of ofKind('gpo')) {
		table.addGpo(gpo);
	}

	// The SIDs and addresses the fields name get the first numbers; free text adds what it names after them.
	for (const sid of ofKind('sid')) {
		if (new RegExp(`^${sidPattern}$`, 'iu').test(sid.trim())) {
			table.sidPseudonym(sid.trim());
		}
	}
	for (const ip of ofKind('ip')) {
		table.ipPseudonym(hostOf(ip));
	}
	for (const text of texts) {
		table.discover(text.value, text.versions);
	}
}

/** Learns the identifying values of the result; the redactor then rewrites this result, others, and any text. */
export function createRedactor(result: DiagnosisResult): Redactor {
	const table = new Pseudonyms();
	learn(table, result);
	return {
		redactResult(input: DiagnosisResult): DiagnosisResult {
			if (input !== result) {
				learn(table, input);
			}
			return mapStrings(input, [], (text, versions) => table.replace(text, versions)) as DiagnosisResult;
		},
		redactText(text: string): string {
			table.discover(text, false);
			return table.replace(text, false);
		},
		mapping: () => table.mapping(),
	};
}

/** A redactor for a report on several servers: it has learned every server's names when it is made. */
export interface ServersRedactor {
	/** Redacted deep copies of the entries: the server as given, its error and next step, and its result. */
	redactServers(servers: readonly ServerEntry[]): ServerEntry[];
	/** Any text of the run (its parameters, its fatal error) with every value found so far replaced. */
	redactText(text: string): string;
	mapping(): ReadonlyArray<Pseudonym>;
}

/** The account part of a server given as user@host[:port] (SSH); undefined when there is none. */
function targetUser(server: string): string | undefined {
	const at = server.lastIndexOf('@');
	return at > 0 ? server.slice(0, at) : undefined;
}

/**
 * Learns every server of a run on several servers before anything is replaced, so no name one server reports is left
 * in another's text. Each server's own name first, in the order given (it is server-N, N its place in the run when
 * the names differ), then each result as createRedactor learns one.
 */
export function createServersRedactor(servers: readonly ServerEntry[]): ServersRedactor {
	const table = new Pseudonyms();
	for (const entry of servers) {
		if (entry.result) {
			table.addComputer(entry.result.host.computerName, true);
		}
		table.addHost(entry.server);
		const host = hostOf(entry.server);
		if (!host.includes('.')) {
			table.addComputer(host, true);
		}
		const user = targetUser(entry.server);
		if (user) {
			table.addAccount(user);
		}
	}
	for (const entry of servers) {
		if (entry.result) {
			learn(table, entry.result);
		}
	}
	const texts = (entry: ServerEntry): string[] => [entry.server, ...(entry.error === null ? [] : [entry.error]), ...(entry.nextStep === null ? [] : [entry.nextStep])];
	for (const entry of servers) {
		for (const text of texts(entry)) {
			table.discover(text, false);
		}
	}
	const replace = (text: string): string => table.replace(text, false);
	const redactResult = (input: DiagnosisResult): DiagnosisResult => mapStrings(input, [], (text, versions) => table.replace(text, versions)) as DiagnosisResult;
	return {
		redactText(text: string): string {
			table.discover(text, false);
			return replace(text);
		},
		redactServers(input: readonly ServerEntry[]): ServerEntry[] {
			return input.map((entry) => ({
				...entry,
				server: replace(entry.server),
				error: entry.error === null ? null : replace(entry.error),
				nextStep: entry.nextStep === null ? null : replace(entry.nextStep),
				result: entry.result ? redactResult(entry.result) : null,
			}));
		},
		mapping: () => table.mapping(),
	};
}
