/**
 * One report on every server of a run on several servers: what it holds, one redactor across all servers (a name two
 * servers share has one pseudonym, no server's name is left in another's text), the Markdown (a row per server, the
 * checks that differ, each server's checks, host text escaped), and reading it back (and the schema-2 result file) in
 * the store as read-only servers.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckResult, DiagnosisResult, ServerEntry, ServersResult } from '../../src/checks/types';
import { findCheck } from '../../src/checks/catalogue';
import { ResultsStore } from '../../src/diagnosis/resultsStore';
import { describeOpenedReport } from '../../src/diagnosis/runOutcome';
import { createServersRedactor } from '../../src/report/redaction';
import { buildServersReport, parseReport, SERVERS_REPORT_SCHEMA_VERSION } from '../../src/report/reportJson';
import { renderServersReportMarkdown } from '../../src/report/reportMarkdown';
import { checkResult, sampleResult } from './fixtures';
import { fixtureOriginals, reportFixtureResult } from './fixtures/reportFixture';

/** The fixture as a second server sent it: another computer, and its gMSA check failing where AGENT01's passes. */
function secondServer(): DiagnosisResult {
	const first = reportFixtureResult();
	const text = JSON.stringify(first).replace(/AGENT01/g, 'AGENT02');
	const second = JSON.parse(text) as DiagnosisResult;
	return { ...second, checks: second.checks.map((c) => (c.id === 'permissions.elevated' ? { ...c, status: 'fail', failureIds: ['not-elevated'] } : c)) };
}

const third: ServerEntry = {
	server: 'admin@agent03.contoso.com:2222',
	transport: 'SSH',
	status: 'connectFailed',
	error: 'agent03.contoso.com: Permission denied (publickey).',
	nextStep: 'Check the key for admin on agent03.contoso.com.',
	durationMs: 1500,
	result: null,
};

function run(): ServersResult {
	return {
		schemaVersion: 2,
		tool: 'provisioning-agent-doctor',
		startedAt: '2026-12-02T03:00:00Z',
		finishedAt: '2026-12-02T03:00:42Z',
		parameters: { cloud: 'public', eventDays: 7, checkTimeoutSeconds: 60, networkTimeoutSeconds: 10, remoteTimeoutSeconds: 600, wizardAccount: 'helpdesk@contoso.com', checks: [] },
		fatal: null,
		servers: [
			{ server: 'agent01.contoso.com', transport: 'WinRM', status: 'ok', error: null, nextStep: null, durationMs: 41000, result: reportFixtureResult() },
			{ server: 'AGENT02', transport: 'WinRM', status: 'ok', error: null, nextStep: null, durationMs: 40000, result: secondServer() },
			third,
		],
	};
}

const options = { generatedAt: '2026-12-02T03:01:00.000Z', extensionVersion: '0.1.0' };
const unescaped = (markdown: string): string => markdown.replace(/\\([\s\S])/g, '$1');

test('the report on several servers holds the run unchanged and each server\'s part in the order given', () => {
	const result = run();
	const report = buildServersReport(result, options);
	assert.equal(report.reportSchemaVersion, SERVERS_REPORT_SCHEMA_VERSION);
	assert.equal(report.redacted, false);
	assert.deepEqual(report.result, result);
	assert.deepEqual(
		report.servers.map((s) => [s.server, s.checks.length, s.problem?.why ?? null]),
		[
			['agent01.contoso.com', result.servers[0].result!.checks.length, null],
			['AGENT02', result.servers[1].result!.checks.length, null],
			['admin@agent03.contoso.com:2222', 0, 'agent03.contoso.com: Permission denied (publickey).'],
		],
	);
	assert.equal(report.servers[2].outcome, 'Connection refused');
	assert.equal(report.servers[2].problem?.next, 'Check the key for admin on agent03.contoso.com.');
	assert.match(report.servers[1].outcome, /failed/);
	assert.equal(report.servers[1].checks.find((c) => c.id === 'permissions.elevated')?.failures[0]?.id, 'not-elevated');
});

test('one redactor for every server: no name of any server survives, and the servers are server-1, -2, -3 in order', () => {
	const result = run();
	const redactor = createServersRedactor(result.servers);
	const report = buildServersReport(result, { ...options, redact: redactor });
	const markdown = renderServersReportMarkdown(report);
	const json = JSON.stringify(report).toLowerCase();
	for (const { kind, text } of [...fixtureOriginals, { kind: 'computer', text: 'AGENT02' }, { kind: 'computer', text: 'agent03' }, { kind: 'account', text: 'admin@' }]) {
		for (const [where, haystack] of [['Markdown', unescaped(markdown).toLowerCase()], ['report JSON', json]] as const) {
			const at = haystack.indexOf(text.toLowerCase());
			assert.equal(at, -1, `${kind} ${text} survives in the ${where}: …${haystack.slice(Math.max(0, at - 60), at + 60)}…`);
		}
	}
	assert.equal(report.redacted, true);
	assert.deepEqual(
		report.result.servers.map((s) => s.result?.host.computerName ?? null),
		['server-1', 'server-2', null],
	);
	assert.match(report.result.servers[0].server, /^server-1\.domain-1\.example$/);
	assert.equal(report.result.servers[1].server, 'server-2');
	assert.match(report.result.servers[2].server, /^account-\d+@server-3\.domain-1\.example:2222$/);
	assert.equal(report.result.servers[2].error, 'server-3.domain-1.example: Permission denied (publickey).');
	// The domain both servers name has the one pseudonym in both results.
	const domainIn = (r: DiagnosisResult | null) => JSON.stringify(r).match(/domain-\d+\.example/g) ?? [];
	assert.deepEqual([...new Set([...domainIn(report.result.servers[0].result), ...domainIn(report.result.servers[1].result)])].sort()[0], 'domain-1.example');
	assert.equal(report.result.parameters?.wizardAccount?.toLowerCase().includes('helpdesk'), false);
	// What each pseudonym stands for, for the admin: every server's own name is in the map.
	const originals = redactor.mapping().map((p) => p.original.toLowerCase());
	for (const name of ['agent01', 'agent02', 'agent03.contoso.com', 'admin']) {
		assert.ok(originals.includes(name), `${name} is in the mapping`);
	}
	// The input is left as it was.
	assert.equal(result.servers[1].result?.host.computerName, 'AGENT02');
});

test('the Markdown has a row per server, the checks that differ first, then each server a level lower', () => {
	const markdown = renderServersReportMarkdown(buildServersReport(run(), options));
	assert.match(markdown, /^# Provisioning Agent Doctor diagnosis report on 3 servers$/m);
	const table = markdown.slice(markdown.indexOf('## Servers'), markdown.indexOf('## Checks that differ'));
	assert.equal(table.split('\n').filter((l) => l.startsWith('| `')).length, 3);
	assert.match(table, /\| `admin@agent03\.contoso\.com:2222` \| \*none\* \| SSH \| Connection refused \|/);
	const differ = markdown.slice(markdown.indexOf('## Checks that differ'), markdown.indexOf('## Server `'));
	assert.match(differ, /^1 check differs; \d+ have the same status on every server\.$/m);
	assert.match(differ, /\| Check \| `agent01\.contoso\.com` \| `AGENT02` \|/);
	assert.match(differ, /`permissions\.elevated` \| Passed \| Failed \|/);
	assert.ok(markdown.indexOf('## Checks that differ') < markdown.indexOf('## Server `agent01.contoso.com`'));
	assert.match(markdown, /^## Server `AGENT02`: /m);
	assert.match(markdown, /^### Permissions$/m);
	assert.match(markdown, /^#### Failed: /m);
	assert.match(markdown, /\*\*No result from this server:\*\* `agent03\.contoso\.com: Permission denied \(publickey\)\.`/);
	assert.match(markdown, /^Next step: Check the key for admin on agent03\\\.contoso\\\.com\\\.$/m);
	assert.match(markdown, /\| Overall time limit \| `600` s \|/);
});

test('the Markdown says so when every check agrees, and has no comparison with fewer than two results', () => {
	const same = run();
	const agreeing: ServersResult = { ...same, servers: [same.servers[0], { ...same.servers[0], server: 'agent09' }] };
	assert.match(renderServersReportMarkdown(buildServersReport(agreeing, options)), /^Every check has the same status on all 2 servers that sent a result\.$/m);
	const alone: ServersResult = { ...same, servers: [same.servers[0], third] };
	assert.doesNotMatch(renderServersReportMarkdown(buildServersReport(alone, options)), /Checks that differ/);
});

test('host text in a report on several servers stays inert: a computer name and an error are escaped or code', () => {
	const hostile = sampleResult([checkResult('permissions.elevated', 'pass')], { host: { ...sampleResult([]).host, computerName: '<img src=x onerror=alert(1)>' } });
	const entries: ServerEntry[] = [
		{ server: 'agent01', transport: 'WinRM', status: 'ok', error: null, nextStep: null, durationMs: 1, result: hostile },
		{ server: 'agent02', transport: 'WinRM', status: 'error', error: 'boom | `x` [link](javascript:alert(1))', nextStep: '**do** <b>this</b>', durationMs: 1, result: null },
	];
	const markdown = renderServersReportMarkdown(buildServersReport({ ...run(), servers: entries }, options));
	const lines = markdown.split('\n').filter((l) => l.includes('<img'));
	assert.ok(lines.length > 0);
	assert.ok(lines.every((l) => l.replace(/`<img src=x onerror=alert\(1\)>`/g, '').indexOf('<img') === -1), lines.join('\n'));
	assert.match(markdown, /`<img src=x onerror=alert\(1\)>`/);
	// The error is one code span: its link text and backticks are inert there.
	assert.match(markdown, /^\*\*No result from this server:\*\* `boom \| 'x' \[link\]\(javascript:alert\(1\)\)`$/m);
	assert.equal(markdown.split('\n').filter((l) => l.includes('[link]')).length, 1);
	assert.match(markdown, /^Next step: \\\*\\\*do\\\*\\\* \\<b\\>this\\<\/b\\>$/m);
});

test('a saved report on several servers reads back as it was, its derived part written again', () => {
	const report = buildServersReport(run(), options);
	const parsed = parseReport(JSON.stringify(report, null, 2));
	assert.ok(parsed.ok && parsed.covers === 'servers', JSON.stringify(parsed).slice(0, 300));
	assert.equal(parsed.source, 'report');
	assert.deepEqual(parsed.result, report.result);
	assert.deepEqual(parsed.report, report);
	// Edited derived part: the result wins.
	const edited = { ...report, servers: [] };
	const again = parseReport(JSON.stringify(edited));
	assert.ok(again.ok && again.covers === 'servers');
	assert.equal(again.report?.servers.length, 3);
});

test('the result file of a run on several servers opens too, and a damaged one says what is wrong', () => {
	const parsed = parseReport(JSON.stringify(run()));
	assert.ok(parsed.ok && parsed.covers === 'servers');
	assert.equal(parsed.source, 'result');
	assert.equal(parsed.result.servers.length, 3);
	const broken = run();
	const noResult = { ...broken, servers: [{ ...broken.servers[0], result: null }] };
	const outcome = parseReport(JSON.stringify(noResult));
	assert.ok(!outcome.ok);
	assert.match(outcome.reason, /\/servers\/0 is "ok" without a result/);
	assert.match(outcome.reason, /Run the diagnosis on the servers again/);
	const newer = parseReport(JSON.stringify({ ...broken, schemaVersion: 3 }));
	assert.ok(!newer.ok);
	assert.match(newer.reason, /newer version .*result format 3/);
});

test('a damaged report on several servers is refused with its reason', () => {
	const report = buildServersReport(run(), options);
	const reasons = [
		{ ...report, reportSchemaVersion: 3 },
		{ ...report, result: reportFixtureResult() },
		{ ...report, result: undefined },
		{ ...report, generatedAt: 5 },
		{ ...report, result: { ...report.result, servers: [{ ...report.result.servers[2], error: null }] } },
	].map((data) => {
		const outcome = parseReport(JSON.stringify(data));
		assert.ok(!outcome.ok, JSON.stringify(data).slice(0, 80));
		return outcome.reason;
	});
	assert.match(reasons[0], /newer version of Provisioning Agent Doctor \(report format 3\); update the extension/);
	assert.match(reasons[1], /report on several servers, but the result inside it is not \(result format 1\)/);
	assert.match(reasons[2], /holds no result of the servers \(its "result" part is missing\)/);
	assert.match(reasons[3], /"generatedAt" .* is 5, not a date/);
	assert.match(reasons[4], /\/servers\/0 failed without saying why/);
});

test('the store shows an opened report on several servers read-only, and a run on this machine ends it', () => {
	const store = new ResultsStore();
	const result = run();
	const opened = { fileName: 'three.json', computerName: '3 servers', finishedAt: result.finishedAt, redacted: true };
	store.openServersReport(result, opened);
	assert.equal(store.servers, result.servers);
	assert.equal(store.serversResult, result);
	assert.equal(store.report, opened);
	assert.equal(store.lastResult, undefined);
	assert.equal(store.serverResult('AGENT02')?.host.computerName, 'AGENT02');
	assert.match(describeOpenedReport(opened), /^Read-only report of 3 servers of .* \(names redacted\), opened from three\.json\./);
	store.markRunning(['permissions.elevated']);
	assert.equal(store.servers, undefined);
	assert.equal(store.serversResult, undefined);
	assert.equal(store.report, undefined);
	store.finishRun({ kind: 'completed', result: reportFixtureResult() });
	store.openServersReport(result, opened);
	store.openReport(reportFixtureResult(), { ...opened, computerName: 'AGENT01' });
	assert.equal(store.servers, undefined, 'a one-server report replaces the servers');
	assert.equal(store.serversResult, undefined);
	store.markRunning([]);
	assert.throws(() => store.openServersReport(result, opened), /a diagnosis is running/);
});

test('an SSH login as root is no name to replace: "KDS root key" stays as it is', () => {
	const base = run();
	const entries: ServerEntry[] = [{ ...base.servers[0], server: 'root@agent01.contoso.com:22', transport: 'SSH' }, base.servers[1]];
	const markdown = renderServersReportMarkdown(buildServersReport({ ...base, servers: entries }, { ...options, redact: createServersRedactor(entries) }));
	assert.match(markdown, /KDS root key/);
	assert.match(markdown, /`root@server-1\.domain-1\.example:22`/);
	const admin: ServerEntry[] = [{ ...entries[0], server: 'jsmith@agent01.contoso.com' }];
	assert.match(renderServersReportMarkdown(buildServersReport({ ...base, servers: admin }, { ...options, redact: createServersRedactor(admin) })), /`account-\d+@server-1\.domain-1\.example`/);
});

/** A small run whose whole Markdown head can be written out: two checks a server, one server without a result. */
function smallRun(): ServersResult {
	const two = (status: 'pass' | 'unknown'): CheckResult[] => [checkResult('permissions.elevated', status, [], {}, status === 'unknown' ? 'Access denied.' : null), checkResult('service.logon-right', 'pass')];
	const host = (computerName: string) => ({ ...sampleResult([]).host, computerName });
	return {
		...run(),
		parameters: { cloud: 'public', eventDays: 7, checkTimeoutSeconds: 60, networkTimeoutSeconds: 10, remoteTimeoutSeconds: 600, wizardAccount: '', checks: [] },
		servers: [
			{ server: 'agent01', transport: 'WinRM', status: 'ok', error: null, nextStep: null, durationMs: 12345, result: sampleResult(two('pass'), { host: host('AGENT01') }) },
			{ server: 'agent02', transport: 'WinRM', status: 'ok', error: null, nextStep: null, durationMs: 9000, result: sampleResult(two('unknown'), { host: host('AGENT02') }) },
			{ server: 'agent03', transport: 'SSH', status: 'unreachable', error: 'Port 22 of agent03 did not accept a connection.', nextStep: 'Check the name.', durationMs: 640, result: null },
		],
	};
}

test('the Markdown head, the servers table, the differences and a server\'s host block are exactly as laid out', () => {
	const markdown = renderServersReportMarkdown(buildServersReport(smallRun(), options));
	const elevated = findCheck('permissions.elevated')!.title;
	const head = [
		'# Provisioning Agent Doctor diagnosis report on 3 servers',
		'',
		'| | |',
		'|---|---|',
		'| Tool | Provisioning Agent Doctor |',
		'| Extension version | `0.1.0` |',
		'| Report generated | `2026-12-02T03:01:00.000Z` |',
		'| Servers | 3 |',
		'| Redacted | no: this report shows real names and addresses; review it before you share it |',
		'| Run started | `2026-12-02T03:00:00Z` |',
		'| Run finished | `2026-12-02T03:00:42Z` |',
		'| Cloud | `public` |',
		'| Event log window | `7` days |',
		'| Time budget per check | `60` s |',
		'| Network timeout | `10` s |',
		'| Overall time limit | `600` s |',
		'| Wizard account checked | the account running the diagnosis on each server |',
		'| Checks selected | all |',
		'',
		'## Servers',
		'',
		'| Server | Computer | Transport | Outcome | Failed | Warnings | Could not check | Time |',
		'|---|---|---|---|---|---|---|---|',
		'| `agent01` | `AGENT01` | WinRM | All passed | 0 | 0 | 0 | 12.3 s |',
		'| `agent02` | `AGENT02` | WinRM | 1 could not check | 0 | 0 | 1 | 9.0 s |',
		'| `agent03` | *none* | SSH | Unreachable |  |  |  | 0.6 s |',
		'',
		'## Checks that differ between servers',
		'',
		'1 check differs; 1 has the same status on every server.',
		'',
		'| Check | `agent01` | `agent02` |',
		'|---|---|---|',
		`| ${elevated} \`permissions.elevated\` | Passed | Could not check |`,
		'',
		'## Server `agent01`: All passed',
		'',
		'| | |',
		'|---|---|',
		'| Computer | `AGENT01` |',
		'| Account running the diagnosis | `CONTOSO\\admin` |',
		'| PowerShell | `5.1.17763.1` `Desktop` |',
		'| Elevated | yes |',
		'| Run finished | `2026-11-26T07:00:03.0000000Z` |',
		'',
		'### Permissions',
	].join('\n');
	assert.equal(markdown.slice(0, head.length), head);
	const third = markdown.slice(markdown.indexOf('## Server `agent03`'));
	assert.equal(third, ['## Server `agent03`: Unreachable', '', '**No result from this server:** `Port 22 of agent03 did not accept a connection.`', '', 'Next step: Check the name\\.', '', '---', '', '*The JSON report holds every value in full; this text shortens long values and lists.*', ''].join('\n'));
	// agent02's check that could not run is told as a problem of its own, a level below its category.
	const second = markdown.slice(markdown.indexOf('## Server `agent02`'), markdown.indexOf('## Server `agent03`'));
	assert.ok(second.split('\n').includes(`#### Could not check: ${elevated}`), second);
	assert.match(second, /^Could not check: `Access denied\.`$/m);
});

test('the Markdown names what the run was given, an early stop, a check it does not know, and the plural counts', () => {
	const base = smallRun();
	const stopped = sampleResult([checkResult('permissions.elevated', 'unknown', [], {}, 'not Windows')], { host: { ...sampleResult([]).host, computerName: 'AGENT04' }, fatal: { code: 'not-windows', message: 'This is not Windows.' } });
	const unknown = sampleResult([checkResult('future.check', 'fail', ['x']), checkResult('service.logon-right', 'fail', ['logon-right-missing-service-account'])], { host: { ...sampleResult([]).host, computerName: 'AGENT05' } });
	const given: ServersResult = {
		...base,
		parameters: { ...base.parameters!, wizardAccount: 'CONTOSO\\helpdesk', checks: ['permissions.elevated', 'service.logon-right'] },
		servers: [base.servers[0], { ...base.servers[0], server: 'agent05', result: unknown }, { ...base.servers[0], server: 'agent04', result: stopped }],
	};
	const markdown = renderServersReportMarkdown(buildServersReport(given, options));
	assert.match(markdown, /^\| Wizard account checked \| `CONTOSO\\helpdesk` \|$/m);
	assert.match(markdown, /^\| Checks selected \| 2 \|$/m);
	assert.match(markdown, /^\*\*The diagnosis stopped early\*\* \(`not-windows`\): `This is not Windows\.`$/m);
	assert.match(markdown, /^3 checks differ; 0 have the same status on every server\.$/m);
	// agent04 stopped early: its checks say nothing about it, so it has no column.
	assert.match(markdown, /^\| Check \| `agent01` \| `agent05` \|$/m);
	assert.match(markdown, /^\| `future\.check` \| \*not run\* \| Failed \|$/m, 'an unknown check is named by its id alone');
	assert.match(markdown, /^Next step: Fix what the message names on that server, then run the diagnosis again\\\.$/m);
	const fatal = renderServersReportMarkdown(buildServersReport({ ...base, fatal: { code: 'remote-setup', message: 'The server agent01 is named twice.' }, servers: [] }, options));
	assert.match(fatal, /^\*\*The run on the servers could not start\*\* \(`remote-setup`\): `The server agent01 is named twice\.`$/m);
	assert.match(fatal, /^# Provisioning Agent Doctor diagnosis report on 0 servers$/m);
	const one = renderServersReportMarkdown(buildServersReport({ ...base, servers: [base.servers[0]] }, { ...options, redact: createServersRedactor([base.servers[0]]) }));
	assert.match(one, /^# Provisioning Agent Doctor diagnosis report on 1 server$/m);
	assert.match(one, /^\| Redacted \| yes: server, computer, domain and account names, domain SIDs, IP addresses and GPO names are pseudonyms \(server-1, domain-1\.example, account-1, …\), the same on every server \|$/m);
});

test('the servers redactor learns names only the servers\' own entries give: a bare login, an alias, an address, a host in an error', () => {
	const base = smallRun();
	const entries: ServerEntry[] = [
		{ ...base.servers[0], server: '10.0.0.21', result: sampleResult([checkResult('permissions.elevated', 'pass')], { host: { ...sampleResult([]).host, computerName: 'AGENT01' } }) },
		{ ...base.servers[0], server: 'syncbox', result: sampleResult([checkResult('permissions.elevated', 'pass')], { host: { ...sampleResult([]).host, computerName: 'AGENT02' } }) },
		{ server: 'opsadmin@agent07', transport: 'SSH', status: 'error', error: 'agent07 asked dc07.contoso.com, which did not answer.', nextStep: 'Check dc07.contoso.com.', durationMs: 5, result: null },
		// Its DNS domain, which the results here do not name, comes from this server's name.
		{ server: 'agent09.contoso.com', transport: 'WinRM', status: 'unreachable', error: 'Port 5985 of agent09.contoso.com did not accept a connection.', nextStep: 'Run Enable-PSRemoting on it.', durationMs: 5, result: null },
	];
	const redactor = createServersRedactor(entries);
	const [first, second, third, fourth] = redactor.redactServers(entries);
	assert.equal(first.result?.host.computerName, 'server-1', 'the first server is server-1 even when it is given as an address');
	assert.match(first.server, /^ipv4-\d+$/);
	assert.equal(second.result?.host.computerName, 'server-2');
	assert.match(second.server, /^server-\d+$/);
	assert.notEqual(second.server, 'syncbox');
	assert.match(third.server, /^account-\d+@server-\d+$/);
	assert.doesNotMatch(JSON.stringify([third, fourth]), /opsadmin|agent07|agent09|dc07|contoso/i);
	assert.match(third.nextStep ?? '', /^Check server-\d+\.domain-1\.example\.$/, 'a host only the error names, under a domain a server name gives');
	assert.equal(redactor.redactText('Access denied for 10.0.0.21 and 10.0.0.99.'), `Access denied for ${first.server} and ipv4-2.`);
	const kinds = new Map(redactor.mapping().map((p) => [p.original.toLowerCase(), p.kind]));
	assert.equal(kinds.get('opsadmin'), 'account');
	assert.equal(kinds.get('syncbox'), 'computer');
});

test('a damaged field of a report on several servers is named, as for one server', () => {
	const report = buildServersReport(run(), options);
	const reasonOf = (data: unknown): string => {
		const outcome = parseReport(JSON.stringify(data));
		assert.ok(!outcome.ok);
		return outcome.reason;
	};
	assert.match(reasonOf({ ...report, kind: undefined, reportSchemaVersion: 2 }), /^The report is damaged or was edited: its "kind" is missing\./);
	assert.match(reasonOf({ ...report, generatedAt: '' }), /its "generatedAt" \(when it was saved\) is "", not a date/);
	assert.match(reasonOf({ ...report, generatedAt: undefined }), /its "generatedAt" \(when it was saved\) is missing/);
	assert.match(reasonOf({ ...report, extensionVersion: 5 }), /its "extensionVersion" is 5, not a text/);
	assert.match(reasonOf({ ...report, extensionVersion: undefined }), /its "extensionVersion" is missing/);
	assert.match(reasonOf({ ...report, redacted: 'yes' }), /its "redacted" is "yes", not true or false/);
	assert.match(reasonOf({ ...report, redacted: undefined }), /its "redacted" is missing/);
	assert.match(reasonOf({ ...report, result: 5 }), /its "result" part is a number\)/);
	assert.match(reasonOf({ ...report, result: { ...report.result, schemaVersion: 3 } }), /^The report holds a result written by a newer version of Provisioning Agent Doctor \(result format 3\); update the extension to open it\.$/);
});

test('opening a report on several servers tells the views, which then show it', () => {
	const store = new ResultsStore();
	let fired = 0;
	store.onDidChange(() => fired++);
	assert.equal(store.hasRun, false);
	store.openServersReport(run(), { fileName: 'a.json', computerName: '3 servers', finishedAt: run().finishedAt, redacted: false });
	assert.equal(fired, 1);
	assert.equal(store.hasRun, true, 'the tree leaves its welcome view');
});

test('a server the admin names with a word hosts often have (gateway, web) is still replaced, and so is its computer', () => {
	const base = smallRun();
	const entries: ServerEntry[] = [
		{ ...base.servers[0], server: 'gateway', result: sampleResult([checkResult('permissions.elevated', 'pass')], { host: { ...sampleResult([]).host, computerName: 'WEB' } }) },
		// Only its error names one host, only its next step another: each is learned from where it is.
		{ server: 'agent09.contoso.com', transport: 'WinRM', status: 'error', error: 'dc08.contoso.com refused the ticket.', nextStep: 'Check dc09.contoso.com.', durationMs: 5, result: null },
	];
	const [first, second] = createServersRedactor(entries).redactServers(entries);
	assert.equal(first.result?.host.computerName, 'server-1');
	assert.match(first.server, /^server-\d+$/);
	assert.match(second.error ?? '', /^server-\d+\.domain-1\.example refused the ticket\.$/);
	assert.match(second.nextStep ?? '', /^Check server-\d+\.domain-1\.example\.$/);
});

test('the Markdown leaves out what the run did not say, lists differences in catalogue order, and keeps its blank lines', () => {
	const base = smallRun();
	const { remoteTimeoutSeconds: _unused, ...older } = base.parameters!;
	const reversed = (first: 'pass' | 'fail'): DiagnosisResult =>
		sampleResult([checkResult('service.logon-right', first), checkResult('permissions.elevated', first)], { host: { ...sampleResult([]).host, computerName: `AGENT-${first}` } });
	const given: ServersResult = { ...base, parameters: older, servers: [{ ...base.servers[0], result: reversed('pass') }, { ...base.servers[1], result: reversed('fail') }] };
	const markdown = renderServersReportMarkdown(buildServersReport(given, options));
	assert.doesNotMatch(markdown, /Overall time limit/);
	const rows = markdown.split('\n').filter((l) => / \| Passed \| Failed \|$/.test(l));
	assert.deepEqual(rows.map((l) => /`([a-z.-]+)` \| Passed/.exec(l)?.[1]), ['permissions.elevated', 'service.logon-right']);
	const alone = renderServersReportMarkdown(buildServersReport({ ...base, servers: [base.servers[0], base.servers[2]] }, options));
	assert.match(alone, /\| 0\.6 s \|\n\n## Server `agent01`/, 'nothing between the servers table and the first server without a comparison');
	const stopped = sampleResult([checkResult('permissions.elevated', 'unknown', [], {}, 'x')], { fatal: { code: 'unexpected', message: 'It broke.' } });
	const early = renderServersReportMarkdown(buildServersReport({ ...base, fatal: { code: 'remote-setup', message: 'No.' }, servers: [{ ...base.servers[0], result: stopped }] }, options));
	assert.match(early, /\|\n\n\*\*The run on the servers could not start\*\* \(`remote-setup`\): `No\.`\n\n## Servers/);
	assert.match(early, /\|\n\n\*\*The diagnosis stopped early\*\* \(`unexpected`\): `It broke\.`\n\nNext step: /);
});
