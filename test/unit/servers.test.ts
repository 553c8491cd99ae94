/**
 * A run on several servers, on the extension's side: which names the Servers setting takes (the same as the entry
 * script's own rules, asked of pwsh), the command line that runs it, the schema-2 result file, the tree level per
 * server, the words for each way a server ends, the store, and two servers compared.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { categories, checks } from '../../src/checks/catalogue';
import { parseServersResult } from '../../src/checks/resultSchema';
import type { DiagnosisResult, ServerEntry, ServersResult } from '../../src/checks/types';
import { ResultsStore } from '../../src/diagnosis/resultsStore';
import { describeOutcome } from '../../src/diagnosis/runOutcome';
import { compareServersMarkdown } from '../../src/remote/compareText';
import { compareResults, countWords, describeServer, readServers, remoteArguments, serverLabel, serverNameProblem } from '../../src/remote/servers';
import { buildScriptInvocation } from '../../src/terminal/quoting';
import { buildServerTree } from '../../src/views/treeModel';
import { checkResult, pwshPath, repoRoot, sampleResult } from './fixtures';

function resultOf(computerName: string, statuses: Record<string, DiagnosisResult['checks'][number]['status']>): DiagnosisResult {
	return sampleResult(
		checks.map((c) => checkResult(c.id, statuses[c.id] ?? 'pass')),
		{ host: { computerName, isWindows: true, psVersion: '7.6.9', psEdition: 'Core', isElevated: true, userName: 'CONTOSO\\admin' } },
	);
}

const ok = (server: string, result: DiagnosisResult): ServerEntry => ({ server, transport: 'SSH', status: 'ok', error: null, nextStep: null, durationMs: 9000, result });
const failed = (server: string, status: ServerEntry['status'], error: string, nextStep: string): ServerEntry => ({ server, transport: 'WinRM', status, error, nextStep, durationMs: 600, result: null });

function fileOf(servers: ServerEntry[]): ServersResult {
	return { schemaVersion: 2, tool: 'provisioning-agent-doctor', startedAt: '2026-12-02T03:00:00Z', finishedAt: '2026-12-02T03:00:20Z', fatal: null, servers };
}

test('the Servers setting takes computer names and { name, transport } entries, each once, and says what it leaves out', () => {
	const { servers, problems } = readServers([
		'AGENT01',
		' agent02.contoso.com ',
		{ name: 'admin@agent03:2222', transport: 'SSH' },
		{ name: 'AGENT01' },
		'agent01',
		{ name: '[::1]:22', transport: 'SSH' },
		'admin@agent04',
		{ name: 'agent 05', transport: 'SSH' },
		{ name: 'agent06', transport: 'Telnet' },
		7,
		{ name: 'agent07:70000', transport: 'SSH' },
	]);
	assert.deepEqual(servers, [
		{ name: 'AGENT01', transport: 'WinRM' },
		{ name: 'agent02.contoso.com', transport: 'WinRM' },
		{ name: 'admin@agent03:2222', transport: 'SSH' },
		{ name: '[::1]:22', transport: 'SSH' },
	]);
	assert.equal(problems.length, 5);
	assert.match(problems[0], /"admin@agent04" is not a computer name for WinRM/);
	assert.match(problems[1], /"agent 05" is not an SSH target/);
	assert.match(problems[2], /neither a computer name nor/);
	assert.match(problems[4], /the port must be from 1 to 65535/);
	assert.deepEqual(readServers(undefined), { servers: [], problems: [] });
	assert.deepEqual(readServers('AGENT01').problems, ['the setting is not a list']);
	assert.equal(readServers(Array.from({ length: 70 }, (_, i) => `AGENT${i}`)).servers.length, 64);
});

test('a name the setting takes is one the entry script takes, and the other way round (asked of pwsh)', () => {
	const cases: Array<[string, 'WinRM' | 'SSH']> = [
		['AGENT01', 'WinRM'],
		['agent01.contoso.com', 'WinRM'],
		['admin@agent01', 'WinRM'],
		['-agent', 'WinRM'],
		['agent_01', 'WinRM'],
		['admin@agent01:2222', 'SSH'],
		['agent01', 'SSH'],
		['[::1]:22', 'SSH'],
		['[fe80::1]', 'SSH'],
		['agent01:', 'SSH'],
		['agent01:0', 'SSH'],
		['agent01:65536', 'SSH'],
		['a b', 'SSH'],
		["o'brien@agent", 'SSH'],
		['a;b', 'SSH'],
		['user@@agent', 'SSH'],
	];
	const script = `. '${path.join(repoRoot, 'src/powershell/remote/PadRemoting.ps1').replace(/'/g, "''")}'
$cases = '${JSON.stringify(cases).replace(/'/g, "''")}' | ConvertFrom-Json
foreach ($c in $cases) { try { [void](ConvertTo-PadRemoteTarget -Name $c[0] -Transport $c[1]); 'ok' } catch { 'refused' } }`;
	const answers = execFileSync(pwshPath, ['-NoProfile', '-NonInteractive', '-Command', script], { encoding: 'utf8' }).trim().split(/\r?\n/);
	assert.equal(answers.length, cases.length);
	cases.forEach(([name, transport], i) => {
		assert.equal(serverNameProblem(name, transport) === undefined ? 'ok' : 'refused', answers[i], `${transport} ${name}`);
	});
});

test('the command line names WinRM and SSH servers apart, quoted, with the key and the overall limit', () => {
	const args = remoteArguments(
		[
			{ name: 'AGENT01', transport: 'WinRM' },
			{ name: "admin@agent03:2222", transport: 'SSH' },
			{ name: 'AGENT02', transport: 'WinRM' },
		],
		{ keyFilePath: "C:\\Users\\o'brien\\.ssh\\id_ed25519", timeoutSeconds: 900 },
	);
	assert.deepEqual(args, [
		['ComputerName', ['AGENT01', 'AGENT02']],
		['HostName', ['admin@agent03:2222']],
		['KeyFilePath', "C:\\Users\\o'brien\\.ssh\\id_ed25519"],
		['RemoteTimeoutSeconds', 900],
	]);
	const line = buildScriptInvocation('C:\\ext\\Invoke-AgentDiagnosis.ps1', args);
	assert.ok(line.includes("-ComputerName:'AGENT01','AGENT02'"), line);
	assert.ok(line.includes("-HostName:'admin@agent03:2222'"), line);
	assert.ok(line.includes("-KeyFilePath:'C:\\Users\\o''brien\\.ssh\\id_ed25519'"), line);
	assert.deepEqual(remoteArguments([{ name: 'AGENT01', transport: 'WinRM' }], { keyFilePath: 'k' }), [['ComputerName', ['AGENT01']]], 'no key without an SSH server');
});

test('a schema-2 result file is read with each server\'s own result checked as a schema-1 result', () => {
	const file = fileOf([ok('root@127.0.0.1:22411', resultOf('AGENT-A', {})), failed('AGENT09', 'unreachable', 'Port 5985 of AGENT09 did not accept a connection', 'Run Enable-PSRemoting on it')]);
	const parsed = parseServersResult(`\uFEFF${JSON.stringify(file)}`);
	assert.ok(parsed.ok);
	assert.equal(parsed.result.servers[0].result?.host.computerName, 'AGENT-A');
	const broken = (change: (f: ServersResult & Record<string, unknown>) => unknown): string => {
		const copy = JSON.parse(JSON.stringify(file)) as ServersResult & Record<string, unknown>;
		change(copy);
		const outcome = parseServersResult(JSON.stringify(copy));
		assert.equal(outcome.ok, false);
		return (outcome as { reason: string }).reason;
	};
	assert.match(broken((f) => ((f.servers[0] as { result: { checks: unknown } }).result.checks = 'x')), /\/servers\/0\/result/);
	assert.match(broken((f) => ((f.servers[1] as { status: string }).status = 'ok')), /\/servers\/1 is "ok" without a result/);
	assert.match(broken((f) => ((f.servers[0] as { status: string }).status = 'timeout')), /\/servers\/0 is "timeout" with a result/);
	assert.match(broken((f) => ((f.servers[1] as { error: string | null }).error = null)), /failed without saying why/);
	assert.match(broken((f) => ((f as { schemaVersion: number }).schemaVersion = 1)), /schemaVersion/);
	assert.match(broken((f) => ((f.servers[1] as { transport: string }).transport = 'RDP')), /transport/);
	assert.match(parseServersResult('').ok ? '' : (parseServersResult('') as { reason: string }).reason, /empty/);
	assert.match((parseServersResult('{') as { reason: string }).reason, /not valid JSON/);
});

test('a server row says its counts, or why it has no result with the next step; one with a failure opens', () => {
	const a = ok('root@127.0.0.1:22411', resultOf('AGENT-A', {}));
	const b = ok('AGENT-B', resultOf('AGENT-B', { 'service.logon-right': 'fail', 'eventlog.scm-events': 'fail', 'service.agent-version': 'warning' }));
	const c = failed('AGENT09', 'unreachable', 'Port 5985 of AGENT09 did not accept a connection: <b>x</b>', 'Run Enable-PSRemoting on it.');
	const fatal = ok('AGENT10', { ...resultOf('AGENT10', {}), fatal: { code: 'not-windows', message: 'This is not Windows.' }, checks: [] });
	const tree = buildServerTree([a, b, c, fatal], categories, checks);
	assert.deepEqual(
		tree.map((n) => [n.label, n.description, n.status, n.expanded, n.children.length > 0]),
		[
			['root@127.0.0.1:22411 (AGENT-A)', 'All passed', 'pass', false, true],
			['AGENT-B', '2 failed · 1 warning', 'fail', true, true],
			['AGENT09', 'Unreachable', 'unknown', false, false],
			['AGENT10', 'Could not run: This is not Windows.', 'unknown', false, false],
		],
	);
	const logon = tree[1].children.find((cat) => cat.id === 'service')!.children.find((k) => k.id === 'service.logon-right')!;
	assert.equal(logon.status, 'fail');
	assert.match(tree[2].tooltip, /\*\*Next step:\*\* Run Enable\\-PSRemoting on it\\\./);
	assert.ok(tree[2].tooltip.includes('\\<b\\>x'), 'host text escaped');
	assert.match(tree[2].accessibilityLabel, /Next step: Run Enable-PSRemoting on it\./);
	assert.equal(countWords(resultOf('X', { 'server.memory': 'unknown' })), '1 could not check');
	assert.equal(describeServer(failed('X', 'connectFailed', 'e', 'n')), 'Connection refused');
	assert.equal(describeServer(failed('X', 'powershell-too-old', 'e', 'n')), 'PowerShell too old');
	assert.equal(serverLabel(ok('agent-b', resultOf('AGENT-B', {}))), 'agent-b', 'the same name in another case is not repeated');
});

test('the end of a run on several servers names each server, worst news first in the severity', () => {
	const a = ok('AGENT-A', resultOf('AGENT-A', {}));
	const b = ok('AGENT-B', resultOf('AGENT-B', { 'service.logon-right': 'fail' }));
	const c = failed('AGENT09', 'timeout', 'Did not finish within the overall time limit of 600 s.', 'Run it on that server alone.');
	const all = describeOutcome({ kind: 'serversCompleted', result: fileOf([a, b, c]) });
	assert.equal(all.severity, 'error');
	assert.equal(all.text, 'Diagnosed 3 servers: AGENT-A: All passed; AGENT-B: 1 failed; AGENT09: Timed out. Each server that could not be diagnosed says why and what to do in its row.');
	assert.equal(all.treeMessage, '3 servers: 2 diagnosed, 1 could not be reached or run, 1 with failed checks.');
	assert.equal(describeOutcome({ kind: 'serversCompleted', result: fileOf([a, b]) }).severity, 'warning');
	assert.equal(describeOutcome({ kind: 'serversCompleted', result: fileOf([a]) }).text, 'Diagnosed 1 server: AGENT-A: All passed.');
	const fatal = describeOutcome({ kind: 'serversCompleted', result: { ...fileOf([]), fatal: { code: 'remote-setup', message: 'The server AGENT01 is named twice.' } } });
	assert.match(fatal.text, /could not start: The server AGENT01 is named twice\. Fix the server list/);
});

test('the store shows the servers of a run on several servers until the next run or report', () => {
	const store = new ResultsStore();
	store.markRunning(['service.state']);
	store.finishRun({ kind: 'completed', result: resultOf('AGENT01', {}) });
	assert.equal(store.servers, undefined);
	store.markRunning(checks.map((c) => c.id));
	const file = fileOf([ok('AGENT-A', resultOf('AGENT-A', {})), failed('AGENT09', 'unreachable', 'x', 'y')]);
	store.finishRun({ kind: 'serversCompleted', result: file });
	assert.equal((store.servers as readonly ServerEntry[] | undefined)?.length, 2);
	assert.equal(store.results.size, 0, 'this machine\'s results are not shown beside the servers\'');
	assert.equal(store.lastResult, undefined);
	assert.equal(store.serverResult('AGENT-A')?.host.computerName, 'AGENT-A');
	assert.equal(store.serverResult('AGENT09'), undefined);
	assert.equal(store.isRunning, false);
	store.markRunning(['service.state']);
	assert.equal(store.servers, undefined, 'a new run ends them');
	store.finishRun({ kind: 'serversCompleted', result: file });
	store.openReport(resultOf('AGENT07', {}), { fileName: 'r.json', computerName: 'AGENT07', finishedAt: '2026-12-01T00:00:00Z', redacted: false });
	assert.equal(store.servers, undefined, 'an opened report ends them');
});

test('two servers compared: the checks that differ, pass against fail first, then how many agree; names escaped', () => {
	const a = ok('AGENT-A', resultOf('AGENT-A', { 'service.agent-version': 'warning', 'service.logon-right': 'pass' }));
	const b = ok('AGENT-B|x', resultOf('AGENT-B|x', { 'service.logon-right': 'fail', 'server.memory': 'fail' }));
	const { differ, same } = compareResults(checks, a.result!, b.result!);
	assert.deepEqual(differ.map((d) => [d.check.id, d.a, d.b]), [
		['server.memory', 'pass', 'fail'],
		['service.logon-right', 'pass', 'fail'],
		['service.agent-version', 'warning', 'pass'],
	]);
	assert.equal(same, checks.length - 3);
	const md = compareServersMarkdown(checks, a, b);
	assert.match(md, /^# AGENT\\-A and AGENT\\-B\\\|x\n/);
	assert.match(md, /3 checks differ; \d+ have the same status on both\./);
	assert.match(md, /\| Check \| AGENT\\-A \| AGENT\\-B\\\|x \|/);
	const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Check'));
	assert.equal(rows.length, 3);
	assert.match(rows[0], /\| Pass.* \| Failed \|$|\| Passed \| Failed \|$/);
	assert.match(compareServersMarkdown(checks, a, a), /Every check has the same status on both servers/);
	assert.throws(() => compareServersMarkdown(checks, a, failed('X', 'timeout', 'e', 'n')), /both servers need a result/);
});

test('name edges: empty, too long, the first and last ports, and entries that are no server', () => {
	assert.equal(serverNameProblem('', 'WinRM'), 'an empty name');
	assert.equal(serverNameProblem('', 'SSH'), 'an empty name');
	assert.equal(serverNameProblem('a'.repeat(255), 'WinRM'), undefined);
	assert.match(serverNameProblem('a'.repeat(256), 'SSH')!, /^"a{40}…" is longer than a host name can be$/);
	assert.equal(serverNameProblem('agent:1', 'SSH'), undefined);
	assert.equal(serverNameProblem('agent:65535', 'SSH'), undefined);
	assert.equal(serverNameProblem('agent:0', 'SSH'), '"agent:0": the port must be from 1 to 65535');
	assert.equal(serverNameProblem('agent', 'SSH'), undefined);
	assert.deepEqual(readServers(null), { servers: [], problems: [] });
	const { servers, problems } = readServers([null, ['AGENT01'], { name: 7 }, '   ', { transport: 'SSH' }, 'AGENT01']);
	assert.deepEqual(servers, [{ name: 'AGENT01', transport: 'WinRM' }]);
	assert.deepEqual(problems, [
		'null is neither a computer name nor { "name": ..., "transport": "WinRM" | "SSH" }',
		'["AGENT01"] is neither a computer name nor { "name": ..., "transport": "WinRM" | "SSH" }',
		'{"name":7} is neither a computer name nor { "name": ..., "transport": "WinRM" | "SSH" }',
		'an empty name',
		'{"transport":"SSH"} is neither a computer name nor { "name": ..., "transport": "WinRM" | "SSH" }',
	]);
	// The same name over both transports is two servers; the limit's message comes once.
	assert.equal(readServers(['AGENT01', { name: 'AGENT01', transport: 'SSH' }]).servers.length, 2);
	const many = readServers(Array.from({ length: 70 }, (_, i) => `AGENT${i}`));
	assert.deepEqual(many.problems, ['more than 64 servers: the rest are left out']);
	assert.deepEqual(remoteArguments([{ name: 'a', transport: 'SSH' }]), [['HostName', ['a']]], 'no ComputerName without a WinRM server, no limit unless given');
});

test('server words: one warning, an unknown status, and the counts of a run on several servers', () => {
	assert.equal(countWords(resultOf('X', { 'server.memory': 'warning' })), '1 warning');
	assert.equal(countWords(resultOf('X', { 'server.memory': 'warning', 'server.dotnet': 'warning', 'server.tls12': 'fail' })), '1 failed · 2 warnings');
	assert.equal(describeServer({ ...failed('X', 'error', 'e', 'n') }), 'Failed');
	assert.equal(describeServer({ ...failed('X', 'nonsense' as ServerEntry['status'], 'e', 'n') }), 'Failed', 'a status this version does not know');
});

test('comparing puts pass against fail first, in both directions, before other differences in catalogue order', () => {
	const a = ok('A', resultOf('A', { 'server.os-version': 'warning', 'service.logon-right': 'fail', 'installer.setup-log': 'pass' }));
	const b = ok('B', resultOf('B', { 'server.os-version': 'pass', 'service.logon-right': 'pass', 'installer.setup-log': 'fail', 'network.proxy': 'unknown' }));
	const { differ } = compareResults(checks, a.result!, b.result!);
	assert.deepEqual(differ.map((d) => d.check.id), ['service.logon-right', 'installer.setup-log', 'server.os-version', 'network.proxy']);
	// A warning against a failure, and a failure against a warning, are differences of the second kind.
	const c = ok('C', resultOf('C', { 'server.memory': 'warning', 'server.dotnet': 'fail', 'service.state': 'pass' }));
	const d = ok('D', resultOf('D', { 'server.memory': 'fail', 'server.dotnet': 'warning', 'service.state': 'fail' }));
	assert.deepEqual(compareResults(checks, c.result!, d.result!).differ.map((x) => x.check.id), ['service.state', 'server.memory', 'server.dotnet']);
	const missing = { ...b.result!, checks: b.result!.checks.filter((c) => c.id !== 'network.proxy') };
	const md = compareServersMarkdown(checks, a, { ...b, result: missing });
	assert.ok(md.includes(`| ${checks.find((c) => c.id === 'network.proxy')!.title.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (ch) => `\\${ch}`)} | Passed | Not run |`), md);
	assert.ok(md.includes('Diagnosed at 2026\\-11\\-26T07:00:03\\.0000000Z and 2026\\-11\\-26T07:00:03\\.0000000Z.'), md);
	assert.match(md, /^# A and B\n\nDiagnosed at .*\n\n4 checks differ; \d+ have the same status on both\.\n\n\| Check \| A \| B \|\n\|---\|---\|---\|\n/);
	const one = compareServersMarkdown(checks, a, ok('C', resultOf('C', { 'server.os-version': 'warning', 'service.logon-right': 'fail', 'installer.setup-log': 'pass', 'server.memory': 'fail' })));
	assert.match(one, /\n1 check differs; \d+ have the same status on both\.\n/);
	const same = compareServersMarkdown(checks, a, a);
	assert.equal(same, `# A and A\n\nDiagnosed at 2026\\-11\\-26T07:00:03\\.0000000Z and 2026\\-11\\-26T07:00:03\\.0000000Z.\n\nEvery check has the same status on both servers (${checks.length} checks).\n`);
	const twoChecks = checks.slice(0, 2);
	assert.match(compareServersMarkdown(twoChecks, a, ok('D', resultOf('D', { [twoChecks[0].id]: 'fail' }))), /1 check differs; 1 has the same status on both\./);
});
