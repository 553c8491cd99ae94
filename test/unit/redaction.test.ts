import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckResult, DiagnosisResult } from '../../src/checks/types';
import { createRedactor } from '../../src/report/redaction';
import { buildReport } from '../../src/report/reportJson';
import { renderReportMarkdown } from '../../src/report/reportMarkdown';
import { fixtureOriginals, reportFixtureResult } from './fixtures/reportFixture';

const evidenceOf = (result: DiagnosisResult, id: string): CheckResult['evidence'] => {
	const found = result.checks.find((c) => c.id === id);
	assert.ok(found, `${id} is in the result`);
	return found.evidence;
};

const errorOf = (result: DiagnosisResult, id: string): string | null => result.checks.find((c) => c.id === id)?.error ?? null;

/** Markdown with its backslash escapes removed, so an escaped leak (adm\-jsmith) is found too. */
const unescaped = (markdown: string): string => markdown.replace(/\\([\s\S])/g, '$1');

function redactedFixture() {
	const result = reportFixtureResult();
	const redactor = createRedactor(result);
	return { result, redactor, redacted: redactor.redactResult(result) };
}

function renderedMarkdown(result: DiagnosisResult, redact: boolean): string {
	const report = buildReport(result, { generatedAt: '2026-11-26T07:05:00.000Z', extensionVersion: '0.1.0', redact: redact ? createRedactor(result) : undefined });
	return renderReportMarkdown(report);
}

test('the unredacted report shows every identifying value of the fixture (so the searches below can fail)', () => {
	const result = reportFixtureResult();
	const markdown = unescaped(renderedMarkdown(result, false)).toLowerCase();
	const json = JSON.stringify(result).toLowerCase();
	for (const { kind, text } of fixtureOriginals) {
		assert.ok(markdown.includes(text.toLowerCase()), `${kind} ${text} is in the unredacted Markdown`);
		assert.ok(json.includes(text.toLowerCase()), `${kind} ${text} is in the result`);
	}
});

test('redaction leaves no computer, domain, account, SID, IP address or GPO name in the Markdown or the report JSON', () => {
	const result = reportFixtureResult();
	const markdown = renderedMarkdown(result, true);
	const report = buildReport(result, { generatedAt: '2026-11-26T07:05:00.000Z', extensionVersion: '0.1.0', redact: createRedactor(result) });
	const json = JSON.stringify(report).toLowerCase();
	for (const { kind, text } of fixtureOriginals) {
		for (const [where, haystack] of [['Markdown', markdown.toLowerCase()], ['unescaped Markdown', unescaped(markdown).toLowerCase()], ['report JSON', json]] as const) {
			const at = haystack.indexOf(text.toLowerCase());
			assert.equal(at, -1, `${kind} ${text} survives in the ${where}: …${haystack.slice(Math.max(0, at - 60), at + 60)}…`);
		}
	}
	assert.equal(report.redacted, true);
	assert.match(markdown, /\| Redacted \| yes: /);
});

test('each identifying field gets the pseudonym of its kind', () => {
	const { redacted, redactor } = redactedFixture();
	assert.equal(redacted.host.computerName, 'server-1', 'this server is always server-1');
	assert.equal(redacted.host.userName, 'DOMAIN-1\\account-1', 'the NetBIOS name shares the DNS domain\'s number; the runner is account-1');
	assert.equal(redacted.parameters.wizardAccount, 'account-2@domain-1.example');
	const wizard = evidenceOf(redacted, 'permissions.wizard-account');
	assert.equal(wizard.account, 'account-2@domain-1.example');
	assert.equal(wizard.samAccountName, 'account-2');
	assert.equal(wizard.domain, 'domain-1.example');
	assert.match(String(wizard.distinguishedName), /^CN=account-\d+,OU=Staff,DC=domain-1,DC=example$/);
	assert.equal(evidenceOf(redacted, 'domain.msa-container').domain, 'DC=domain-1,DC=example');
	assert.equal(evidenceOf(redacted, 'domain.msa-container').container, 'CN=Managed Service Accounts,DC=domain-1,DC=example');
	const dc = evidenceOf(redacted, 'domain.dc-reachable');
	assert.match(String(dc.domainController), /^server-\d+\.domain-1\.example$/);
	assert.equal(dc.dcAddress, 'ipv4-1');
	assert.equal(dc.dcSite, 'Default-First-Site-Name', 'site names are not redacted');
	const logon = evidenceOf(redacted, 'service.logon-right');
	assert.match(String(logon.gpo), /^gpo-1$/);
	assert.equal(logon.gpoId, 'cn={3F2A9C61-8B4D-4E7A-A1C5-2D9E6B7F0A13},cn=policies,cn=system,DC=domain-1,DC=example');
	assert.match(String(logon.account), /^DOMAIN-1\\account-\d+\$$/, 'a gMSA keeps its $');
	assert.equal(logon.accountSid, 'S-1-5-21-sid-1-1105', 'the relative id stays');
	assert.equal(evidenceOf(redacted, 'permissions.domain-admin').domainSid, 'S-1-5-21-sid-1');
	assert.match(String(errorOf(redacted, 'gmsa.kds-root-key')), /^Get-KdsRootKey failed: the domain controller server-\d+\.domain-1\.example \(ipv6-1\) did not answer\.$/);
	const proxy = evidenceOf(redacted, 'network.proxy');
	assert.match(String(proxy.winhttpProxy), /^(server-\d+)\.domain-1\.example:8080$/);
	assert.equal(proxy.winhttp, 'proxy', 'a generic host label ("proxy") is not replaced as a word');
	const proxyHost = String(proxy.winhttpProxy).replace(/:8080$/, '');
	assert.equal(redactor.redactText('proxyaddress="http://proxy.contoso.com:8080/"'), `proxyaddress="http://${proxyHost}:8080/"`);
});

test('the same original gets the same pseudonym everywhere; different originals get different ones', () => {
	const { redacted, redactor } = redactedFixture();
	const dc = evidenceOf(redacted, 'domain.dc-reachable');
	const versions = evidenceOf(redacted, 'domain.dc-version');
	const controllers = versions.domainControllers as readonly { name: string }[];
	assert.equal(dc.domainController, controllers[0].name, 'DC01 in two checks');
	assert.equal(dc.globalCatalog, controllers[1].name, 'DC02 in two checks');
	assert.notEqual(controllers[0].name, controllers[1].name, 'DC01 and DC02 differ');
	assert.equal(versions.newestDc, `${controllers[1].name} (Windows Server 2019 Datacenter)`);
	const endpoints = dc.endpoints as readonly { host: string }[];
	assert.deepEqual(endpoints.map((e) => e.host), [controllers[0].name, controllers[1].name]);

	const gmsa = evidenceOf(redacted, 'service.logon-right').account;
	assert.equal(evidenceOf(redacted, 'service.state').startName, gmsa);
	assert.equal(evidenceOf(redacted, 'gmsa.account-usable').account, gmsa);
	assert.deepEqual(evidenceOf(redacted, 'service.logon-right').gpoLacks, [gmsa]);
	const events = evidenceOf(redacted, 'eventlog.scm-events').events as readonly { message: string }[];
	assert.ok(events[0].message.includes(`log on as ${String(gmsa)} with`), `the gMSA inside the event's sentence: ${events[0].message}`);

	const holders = evidenceOf(redacted, 'service.logon-right').holders as readonly string[];
	assert.ok(holders.includes('S-1-5-21-sid-1-1105'), 'the same SID in holders and accountSid');
	const other = holders.find((h) => h.endsWith('-1013'));
	assert.match(String(other), /^S-1-5-21-sid-2-1013$/, 'another domain SID gets another pseudonym');
	assert.match(String(holders[holders.length - 1]), /^DOMAIN-2\\account-\d+$/, 'FABRIKAM\\svc-backup: another domain and account');

	const paths = evidenceOf(redacted, 'installer.setup-log').bundleLogsRead as readonly string[];
	assert.ok(paths[0].startsWith('C:\\Users\\account-1\\AppData'), `the profile folder of the runner is the runner's pseudonym: ${paths[0]}`);

	const mapping = redactor.mapping();
	const originals = mapping.map((m) => m.original.toLowerCase());
	const pseudonyms = mapping.map((m) => m.pseudonym.toLowerCase());
	assert.equal(new Set(originals).size, originals.length, 'each original once');
	assert.equal(new Set(pseudonyms).size, pseudonyms.length, 'each pseudonym once');
	for (const entry of mapping) {
		assert.notEqual(entry.pseudonym.toLowerCase(), entry.original.toLowerCase());
	}
	const byOriginal = new Map(mapping.map((m) => [m.original.toLowerCase(), m]));
	assert.deepEqual(byOriginal.get('agent01'), { kind: 'computer', original: 'AGENT01', pseudonym: 'server-1' });
	assert.deepEqual(byOriginal.get('contoso.com'), { kind: 'domain', original: 'contoso.com', pseudonym: 'domain-1.example' });
	assert.deepEqual(byOriginal.get('contoso'), { kind: 'domain', original: 'CONTOSO', pseudonym: 'DOMAIN-1' });
	assert.deepEqual(byOriginal.get('10.0.0.10'), { kind: 'ip', original: '10.0.0.10', pseudonym: 'ipv4-1' });
	assert.deepEqual(byOriginal.get('contoso tier-1 server hardening'), { kind: 'gpo', original: 'Contoso Tier-1 Server Hardening', pseudonym: 'gpo-1' });
	assert.deepEqual(byOriginal.get('s-1-5-21-1004336348-1177238915-682003330'), { kind: 'sid', original: 'S-1-5-21-1004336348-1177238915-682003330', pseudonym: 'S-1-5-21-sid-1' });
	assert.equal(byOriginal.get('othersrv')?.kind, 'computer', 'OTHERSRV is a computer (its objectClass)');
	assert.equal(byOriginal.get('provisioning agent servers')?.kind, 'account', 'a group is an account');
	assert.equal(byOriginal.get('syncagentgmsa')?.kind, 'account');
});

test('redactText replaces known values inside any sentence, without case, as whole words only', () => {
	const { redactor, redacted } = redactedFixture();
	const dc01 = (evidenceOf(redacted, 'domain.dc-reachable').domainController as string).split('.')[0];
	assert.equal(redactor.redactText('dc01.CONTOSO.COM refused agent01 and Agent01$'), `${dc01}.domain-1.example refused server-1 and server-1$`);
	assert.equal(redactor.redactText('AGENT01X and XAGENT01 and AGENT01-old are other names'), 'AGENT01X and XAGENT01 and AGENT01-old are other names');
	assert.equal(redactor.redactText('dc=contoso,dc=com'), 'DC=domain-1,DC=example');
	// Text it has never seen: a new host of a known domain, and an account written with a known NetBIOS name.
	const fresh = redactor.redactText('CONTOSO\\sqlsvc could not reach web01.contoso.com or 192.168.4.20:1433');
	assert.match(fresh, /^DOMAIN-1\\account-\d+ could not reach server-\d+\.domain-1\.example or ipv4-2:1433$/);
	assert.equal(redactor.redactText(fresh), fresh, 'redacted text is left as it is');
	assert.ok(redactor.mapping().some((m) => m.original === 'sqlsvc' && m.kind === 'account'));
});

test('well-known SIDs and accounts, Microsoft endpoints, versions and plain words stay', () => {
	const { redacted } = redactedFixture();
	const logon = evidenceOf(redacted, 'service.logon-right');
	assert.deepEqual((logon.holders as string[]).slice(0, 5), ['S-1-5-80-0', 'S-1-5-20', 'S-1-5-19', 'S-1-5-18', 'S-1-5-32-544']);
	assert.equal(logon.allServicesName, 'NT SERVICE\\ALL SERVICES');
	assert.deepEqual(logon.gpoAccounts, ['NT SERVICE\\ALL SERVICES', 'BUILTIN\\Administrators', 'NT AUTHORITY\\NETWORK SERVICE']);
	assert.deepEqual(evidenceOf(redacted, 'permissions.domain-admin').adminGroups, ['Domain Admins']);
	assert.equal(errorOf(redacted, 'domain.secure-channel'), 'Test-ComputerSecureChannel needs an elevated session: run the diagnosis as administrator.');

	const endpoints = evidenceOf(redacted, 'network.endpoints');
	assert.deepEqual((endpoints.endpoints as { host: string }[]).map((e) => e.host), ['login.windows.net', 'login.microsoftonline.com', 'aadcdn.msauth.net']);
	assert.deepEqual(endpoints.wildcards, ['*.msappproxy.net', '*.servicebus.windows.net']);
	assert.deepEqual(endpoints.notProbed, ['www.msftconnecttest.com']);

	assert.equal(redacted.host.psVersion, '5.1.17763.1');
	assert.equal(evidenceOf(redacted, 'server.os-version').version, '10.0.17763');
	assert.equal(evidenceOf(redacted, 'server.dotnet').version, '4.8');
	assert.equal(evidenceOf(redacted, 'permissions.domain-admin').agentVersion, '1.1.67.0', 'an agent version shaped like an IPv4 address');
	assert.deepEqual(evidenceOf(redacted, 'service.agent-version').newerVersions, ['1.1.281.0', '1.1.2505.0']);
	assert.equal(evidenceOf(redacted, 'network.proxy').configResetFixedIn, '1.1.1365.0');
	const lines = evidenceOf(redacted, 'installer.setup-log').msiFailureLines as string[];
	assert.equal(lines[0], 'MSI (s) (A8:9C) [09:32:39:900]: Installing agent version 1.1.254.0 on server-1', 'a time, MSI ids and a version after "version" are no addresses');
	assert.equal(redacted.startedAt, '2026-11-26T07:00:00.0000000Z');
	assert.deepEqual(redacted.parameters.checks, reportFixtureResult().parameters.checks);
	assert.deepEqual(redacted.checks.map((c) => [c.id, c.status, c.failureIds, c.durationMs]), reportFixtureResult().checks.map((c) => [c.id, c.status, c.failureIds, c.durationMs]));
});

test('the result passed in is not changed, and the copy shares no object with it', () => {
	const result = reportFixtureResult();
	const before = structuredClone(result);
	const redacted = createRedactor(result).redactResult(result);
	assert.deepEqual(result, before);
	assert.notEqual(redacted.checks, result.checks);
	assert.notEqual(redacted.checks[0].evidence, result.checks[0].evidence);
	assert.notEqual(redacted.parameters.checks, result.parameters.checks);
});

function tinyResult(host: Partial<DiagnosisResult['host']>, checks: CheckResult[]): DiagnosisResult {
	const base = reportFixtureResult();
	return { ...base, host: { ...base.host, ...host }, parameters: { ...base.parameters, wizardAccount: '', checks: checks.map((c) => c.id) }, checks };
}

const checkOf = (id: string, evidence: CheckResult['evidence'], error: string | null = null): CheckResult => ({ id, status: 'pass', failureIds: [], evidence, error, durationMs: 1 });

test('a short account name is replaced as a word only: its profile folder goes, Domain Admins and "administrator" stay', () => {
	const result = tinyResult({ userName: 'CONTOSO\\admin' }, [
		checkOf('permissions.domain-admin', { user: 'CONTOSO\\admin', adminGroups: ['Domain Admins'] }),
		checkOf('installer.setup-log', { bundleLogsRead: ['C:\\Users\\admin\\Downloads\\setup.log'] }, 'Run as administrator; the admin account is CONTOSO\\admin.'),
	]);
	const redactor = createRedactor(result);
	const redacted = redactor.redactResult(result);
	assert.deepEqual(evidenceOf(redacted, 'installer.setup-log').bundleLogsRead, ['C:\\Users\\account-1\\Downloads\\setup.log']);
	assert.deepEqual(evidenceOf(redacted, 'permissions.domain-admin').adminGroups, ['Domain Admins']);
	assert.equal(errorOf(redacted, 'installer.setup-log'), 'Run as administrator; the account-1 account is DOMAIN-1\\account-1.');
	assert.equal(redactor.redactText('CONTOSO\\Administrator'), 'DOMAIN-1\\Administrator', 'the built-in Administrator is the same name everywhere');
});

test('a computer named like a Microsoft endpoint label does not touch the endpoint', () => {
	const result = tinyResult({ computerName: 'LOGIN' }, [
		checkOf('network.endpoints', { endpoints: [{ host: 'login.microsoftonline.com', port: 443, status: 'open' }], unreachable: ['login.windows.net:443 (timeout)'] }, 'login failed on LOGIN'),
	]);
	const redacted = createRedactor(result).redactResult(result);
	assert.equal(redacted.host.computerName, 'server-1');
	const evidence = evidenceOf(redacted, 'network.endpoints');
	assert.deepEqual(evidence.endpoints, [{ host: 'login.microsoftonline.com', port: 443, status: 'open' }]);
	assert.deepEqual(evidence.unreachable, ['login.windows.net:443 (timeout)']);
	assert.equal(errorOf(redacted, 'network.endpoints'), 'server-1 failed on server-1');
});

test('IP addresses are told from versions, times and code: IPv4 and IPv6, with port, brackets and zone', () => {
	const result = tinyResult({}, [
		checkOf('service.agent-version', { productVersion: '2.1.0.4', installedVersion: '2.1.0.4', newerReleases: [{ version: '1.2.3.4', notes: 'x' }] }),
		checkOf('network.proxy', { agentProxy: 'http://192.168.1.20:8080' }),
	]);
	const redactor = createRedactor(result);
	const redacted = redactor.redactResult(result);
	assert.equal(evidenceOf(redacted, 'service.agent-version').productVersion, '2.1.0.4', 'a version field');
	assert.deepEqual(evidenceOf(redacted, 'service.agent-version').newerReleases, [{ version: '1.2.3.4', notes: 'x' }]);
	assert.equal(evidenceOf(redacted, 'network.proxy').agentProxy, 'http://ipv4-1:8080');
	const cases: [string, string][] = [
		['connect to 192.168.1.20 and 10.1.2.3.', 'connect to ipv4-1 and ipv4-2.'],
		['version 2.1.0.4, v1.2.3.4, build 10.0.17763.6893, 5.00.10011.00, 1.1.67.0', 'version 2.1.0.4, v1.2.3.4, build 10.0.17763.6893, 5.00.10011.00, 1.1.67.0'],
		['[fd12::10]:443 fe80::1c2b:3d4e%12 2001:db8:85a3:0:0:8a2e:370:7334', '[ipv6-1]:443 ipv6-2%12 ipv6-3'],
		['::1 127.0.0.1 0.0.0.0 at 09:32:39:900 (A8:9C) [System.IO.File]::ReadAllText List::Add 256.1.1.1', '::1 127.0.0.1 0.0.0.0 at 09:32:39:900 (A8:9C) [System.IO.File]::ReadAllText List::Add 256.1.1.1'],
		['again 192.168.1.20 and FD12::10', 'again ipv4-1 and ipv6-1'],
	];
	for (const [input, expected] of cases) {
		assert.equal(redactor.redactText(input), expected, input);
	}
	const ips = redactor.mapping().filter((m) => m.kind === 'ip').map((m) => m.original);
	assert.deepEqual(ips, ['192.168.1.20', '10.1.2.3', 'fd12::10', 'fe80::1c2b:3d4e', '2001:db8:85a3:0:0:8a2e:370:7334']);
});

test('fields a newer script may add are redacted too; ids, statuses and numbers are not', () => {
	const base = tinyResult({}, [checkOf('server.domain-joined', { domain: 'contoso.com' })]);
	const result = { ...base, host: { ...base.host, domainName: 'contoso.com' }, notes: ['ran on AGENT01'] } as unknown as DiagnosisResult;
	const redacted = createRedactor(result).redactResult(result) as unknown as { host: { domainName: string }; notes: string[] };
	assert.equal(redacted.host.domainName, 'domain-1.example');
	assert.deepEqual(redacted.notes, ['ran on server-1']);
});

test('a hostile GPO name is redacted as a whole, markup and line breaks included', () => {
	const hostile = '<img src=x onerror=alert(1)></script><b>GPO</b> [run](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22exit%22%7D)\rnext';
	const result = tinyResult({}, [checkOf('service.logon-right', { gpo: hostile, gpoAccounts: [] }, `The GPO ${hostile} lacks the accounts`)]);
	const redacted = createRedactor(result).redactResult(result);
	assert.equal(evidenceOf(redacted, 'service.logon-right').gpo, 'gpo-1');
	assert.equal(errorOf(redacted, 'service.logon-right'), 'The GPO gpo-1 lacks the accounts');
	assert.equal(createRedactor(result).redactText('Default Domain Policy'), 'Default Domain Policy', 'the default GPO names are the same in every domain');
});

test("the wizard's default gMSA name stays (it is the same in every domain); its domain is still replaced", () => {
	const result = reportFixtureResult();
	const withDefault = {
		...result,
		checks: result.checks.map((c) => (c.id === 'service.state' ? { ...c, evidence: { ...c.evidence, startName: 'CONTOSO\\provAgentgMSA$' } } : c)),
	};
	const redacted = createRedactor(withDefault).redactResult(withDefault);
	const state = redacted.checks.find((c) => c.id === 'service.state')!;
	assert.equal(state.evidence.startName, 'DOMAIN-1\\provAgentgMSA$');
});
