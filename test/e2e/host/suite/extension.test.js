'use strict';
// Tests in the real extension host (Node extension host of code-server, or desktop VS Code via test-electron).
// Order matters: the first test checks that nothing has activated the extension yet.
// The server runs the fake Windows host ("healthy" scenario) through paDoctor.powershell.path.
const assert = require('assert');
const vscode = require('vscode');

const EXTENSION_ID = 'provisioning-agent-doctor.provisioning-agent-doctor';
const FINAL = ['pass', 'fail', 'warning', 'unknown', 'manual', 'notApplicable'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The checks of the catalogue the entry script reads (in the bundle, or in the sources). */
function catalogueChecks(extensionPath) {
	const fs = require('fs');
	const path = require('path');
	for (const rel of ['dist/powershell/catalogue/checks', 'src/catalogue/checks']) {
		const dir = path.join(extensionPath, rel);
		if (!fs.existsSync(dir)) continue;
		return fs
			.readdirSync(dir)
			.filter((f) => f.endsWith('.json'))
			.flatMap((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')).checks);
	}
	throw new Error(`no catalogue below ${extensionPath}`);
}

function checkCount(extensionPath) {
	return catalogueChecks(extensionPath).length;
}

function leaves(nodes, out = []) {
	for (const n of nodes) {
		if (n.children && n.children.length) leaves(n.children, out);
		else out.push(n);
	}
	return out;
}

describe('Provisioning Agent Doctor in the extension host', function () {
	let ext;
	let diagnosis;

	it('is installed and not active before its view is opened or a command runs', function () {
		ext = vscode.extensions.getExtension(EXTENSION_ID);
		assert.ok(ext, `extension ${EXTENSION_ID} not found`);
		assert.strictEqual(ext.isActive, false, 'activated too early (check activationEvents)');
	});

	it('activates when paDoctor.diagnose runs', async function () {
		// The command resolves only when the whole diagnosis has ended: keep its promise for the last test.
		// The command's promise may settle only when the run has ended; the snapshot test polls instead of waiting.
		diagnosis = { error: undefined };
		Promise.resolve(vscode.commands.executeCommand('paDoctor.diagnose')).catch((e) => { diagnosis.error = e; });
		const deadline = Date.now() + 30000;
		while (!ext.isActive && Date.now() < deadline) await sleep(100);
		assert.strictEqual(ext.isActive, true);
	});

	it('registers every command of contributes.commands', async function () {
		const declared = (ext.packageJSON.contributes.commands || []).map((c) => c.command);
		assert.ok(declared.length > 0, 'no commands in package.json');
		const registered = new Set(await vscode.commands.getCommands(true));
		assert.deepStrictEqual(declared.filter((c) => !registered.has(c)), [], 'declared but not registered');
	});

	it('runs the diagnosis in the "Provisioning Agent Doctor" terminal', async function () {
		const deadline = Date.now() + 20000;
		while (!vscode.window.terminals.some((t) => t.name === 'Provisioning Agent Doctor')) {
			if (Date.now() > deadline) throw new Error(`terminals: ${vscode.window.terminals.map((t) => t.name).join(', ')}`);
			await sleep(200);
		}
	});

	it('exports getTreeSnapshot() with the statuses of the healthy scenario', async function () {
		this.timeout(75000);
		const api = ext.exports;
		assert.ok(api && typeof api.getTreeSnapshot === 'function', 'exports.getTreeSnapshot is missing');
		const expected = checkCount(ext.extensionPath);
		let snapshot, checks;
		const deadline = Date.now() + 60000;
		for (;;) {
			if (diagnosis.error) throw new Error(`paDoctor.diagnose failed: ${diagnosis.error.message || diagnosis.error}`);
			snapshot = await api.getTreeSnapshot();
			checks = leaves(snapshot);
			if (checks.length === expected && checks.every((c) => FINAL.includes(c.status))) break;
			if (Date.now() > deadline) {
				throw new Error(`diagnosis did not finish: ${JSON.stringify(checks.map((c) => [c.id, c.status]))}`);
			}
			await sleep(500);
		}
		for (const n of snapshot) {
			assert.ok(typeof n.id === 'string' && typeof n.label === 'string', `category node: ${JSON.stringify(n)}`);
		}
		const ids = checks.map((c) => c.id);
		for (const id of ['permissions.elevated', 'service.logon-right', 'eventlog.scm-events', 'network.proxy']) {
			assert.ok(ids.includes(id), `no node for ${id} in ${ids.join(', ')}`);
		}
		// The checks without a probe are confirmed by hand; every other one passes on the healthy host.
		const manualIds = catalogueChecks(ext.extensionPath).filter((c) => !c.probe).map((c) => c.id);
		assert.ok(manualIds.includes('permissions.tenant-role'), 'permissions.tenant-role is a manual check');
		for (const id of manualIds) {
			const node = checks.find((c) => c.id === id);
			assert.strictEqual(node && node.status, 'manual', `${id} is manual`);
		}
		const bad = checks.filter((c) => !manualIds.includes(c.id) && c.status !== 'pass' && c.status !== 'notApplicable');
		assert.deepStrictEqual(bad.map((c) => `${c.id}: ${c.status} (${c.description})`), [], 'healthy host: not pass');
		for (const c of checks) {
			assert.strictEqual(typeof c.label, 'string');
			assert.strictEqual(typeof c.description, 'string', `${c.id} description`);
		}
	});

	it('exports the diagnosis as redacted Markdown and real JSON, and opens the JSON back into the same tree', async function () {
		this.timeout(60000);
		const fs = require('fs');
		const os = require('os');
		const path = require('path');
		const before = leaves(await ext.exports.getTreeSnapshot()).map((c) => [c.id, c.status]);
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pad-report-'));
		const markdownUri = vscode.Uri.file(path.join(dir, 'report.md'));
		const written = await vscode.commands.executeCommand('paDoctor.exportReport', { uri: markdownUri, redactMarkdown: true, redactJson: false });
		assert.strictEqual(written && written.kind, 'written', JSON.stringify(written));
		const markdown = fs.readFileSync(markdownUri.fsPath, 'utf8');
		const report = JSON.parse(fs.readFileSync(path.join(dir, 'report.json'), 'utf8'));
		assert.strictEqual(report.kind, 'diagnosis-report');
		assert.strictEqual(report.redacted, false);
		assert.strictEqual(report.extensionVersion, ext.packageJSON.version);
		const computer = report.result.host.computerName;
		assert.ok(computer.length > 0);
		assert.ok(!markdown.toLowerCase().includes(computer.toLowerCase()), `the Markdown names ${computer}`);
		assert.ok(written.pseudonyms > 0, 'names were replaced');

		const opened = await vscode.commands.executeCommand('paDoctor.openReport', vscode.Uri.file(path.join(dir, 'report.json')));
		assert.deepStrictEqual(opened, { kind: 'opened', computerName: computer, checks: report.result.checks.length, unknownChecks: 0 });
		const after = leaves(await ext.exports.getTreeSnapshot()).map((c) => [c.id, c.status]);
		assert.deepStrictEqual(after, before, 'the opened report shows every check as the run did');

		// A truncated report is refused with a reason, and the tree keeps what it showed.
		const cut = path.join(dir, 'cut.json');
		fs.writeFileSync(cut, fs.readFileSync(path.join(dir, 'report.json'), 'utf8').slice(0, 500));
		const refused = await vscode.commands.executeCommand('paDoctor.openReport', vscode.Uri.file(cut));
		assert.strictEqual(refused && refused.kind, 'refused', JSON.stringify(refused));
		assert.ok(refused.reason.length > 20, refused.reason);
		assert.deepStrictEqual(leaves(await ext.exports.getTreeSnapshot()).map((c) => [c.id, c.status]), before);
	});
	it('opens the result of a run on several servers as read-only servers, exports one report on them all, and opens it again', async function () {
		this.timeout(60000);
		const fs = require('fs');
		const os = require('os');
		const path = require('path');
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pad-servers-report-'));
		// This machine's real result (the report the test before opened), sent as three servers would send it.
		const plain = await vscode.commands.executeCommand('paDoctor.exportReport', { uri: vscode.Uri.file(path.join(dir, 'one.md')), redactMarkdown: false, redactJson: false });
		assert.strictEqual(plain && plain.kind, 'written', JSON.stringify(plain));
		const result = JSON.parse(fs.readFileSync(path.join(dir, 'one.json'), 'utf8')).result;
		const failing = { ...result, host: { ...result.host, computerName: 'AGENT02' }, checks: result.checks.map((c) => (c.id === 'permissions.elevated' ? { ...c, status: 'fail', failureIds: ['not-elevated'] } : c)) };
		const ok = (server, r) => ({ server, transport: 'WinRM', status: 'ok', error: null, nextStep: null, durationMs: 1000, result: r });
		const run = {
			schemaVersion: 2,
			tool: 'provisioning-agent-doctor',
			startedAt: result.startedAt,
			finishedAt: result.finishedAt,
			parameters: { ...result.parameters, remoteTimeoutSeconds: 600 },
			fatal: null,
			servers: [
				ok('agent01.contoso.com', result),
				ok('agent02.contoso.com', failing),
				{ server: 'agent03.contoso.com', transport: 'WinRM', status: 'unreachable', error: 'agent03.contoso.com does not answer on port 5985.', nextStep: 'Run Enable-PSRemoting on agent03.contoso.com.', durationMs: 20000, result: null },
			],
		};
		const resultFile = path.join(dir, 'servers-result.json');
		fs.writeFileSync(resultFile, JSON.stringify(run));
		const opened = await vscode.commands.executeCommand('paDoctor.openReport', vscode.Uri.file(resultFile));
		assert.deepStrictEqual(opened, { kind: 'opened', computerName: '3 servers', checks: result.checks.length * 2, unknownChecks: 0, servers: 3 });
		const tree = await ext.exports.getTreeSnapshot();
		const roots = tree.map((n) => [n.id, n.description]);
		assert.deepStrictEqual(roots.map((r) => r[0]), ['agent01.contoso.com', 'agent02.contoso.com', 'agent03.contoso.com']);
		assert.match(roots[1][1], /1 failed/);
		assert.strictEqual(roots[2][1], 'Unreachable');

		// One report on all three, names replaced in the Markdown (the same pseudonyms across the servers).
		const markdownUri = vscode.Uri.file(path.join(dir, 'servers.md'));
		const written = await vscode.commands.executeCommand('paDoctor.exportReport', { uri: markdownUri, redactMarkdown: true, redactJson: false });
		assert.strictEqual(written && written.kind, 'written', JSON.stringify(written));
		const markdown = fs.readFileSync(markdownUri.fsPath, 'utf8');
		const report = JSON.parse(fs.readFileSync(path.join(dir, 'servers.json'), 'utf8'));
		assert.strictEqual(report.reportSchemaVersion, 2);
		assert.strictEqual(report.servers.length, 3);
		assert.deepStrictEqual(report.result.servers.map((s) => s.server), run.servers.map((s) => s.server), 'the JSON keeps the real names');
		assert.match(markdown, /^# Provisioning Agent Doctor diagnosis report on 3 servers$/m);
		assert.match(markdown, /^## Checks that differ between servers$/m);
		for (const name of ['agent01', 'agent02', 'agent03', 'contoso', result.host.computerName]) {
			assert.ok(!markdown.toLowerCase().includes(name.toLowerCase()), `the Markdown names ${name}`);
		}
		assert.match(markdown, /`server-1\.domain-1\.example`/);

		// The exported report opens again as the same servers.
		const again = await vscode.commands.executeCommand('paDoctor.openReport', vscode.Uri.file(path.join(dir, 'servers.json')));
		assert.strictEqual(again && again.kind, 'opened', JSON.stringify(again));
		assert.deepStrictEqual((await ext.exports.getTreeSnapshot()).map((n) => [n.id, n.description]), roots);
	});
});
