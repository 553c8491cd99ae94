'use strict';
// UI: the diagnosis of several servers through PowerShell remoting. Two loopback SSH servers (test/remoting/sshd-lab.sh:
// sshd daemons whose PowerShell sessions load the fake Windows host, one healthy, one with the seed's missing "Log on
// as a service", under its own computer name) are configured in the Servers setting; "Diagnose Provisioning Agent on Servers…" picks both, runs one
// command in the terminal, and the tree shows a row per server, the failing one open on its failed check, whose
// panel says which server it came from. Export Diagnosis Report then writes one report on both, names replaced.
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync, spawnSync } = require('child_process');
const { main } = require('../../../scripts/e2e/lib/harness');
const { loadCatalogue } = require('../../../scripts/e2e/lib/catalogue');
const { webviewFrame } = require('../../../scripts/e2e/lib/webview');

const root = path.resolve(__dirname, '../../..');
const labScript = path.join(root, 'test/remoting/sshd-lab.sh');

/** A port the system gives as free now (asked of a child process, so this file can set its test up synchronously). */
function freePort() {
	const r = spawnSync(process.execPath, ['-e', "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"], { encoding: 'utf8' });
	const port = Number(r.stdout.trim());
	if (!port) throw new Error(`no free port: ${r.stderr}`);
	return port;
}

/** Starts the two servers once for this file and stops them when the process ends. */
function startLab() {
	if (!fs.existsSync('/usr/sbin/sshd')) throw new Error('/usr/sbin/sshd is missing: scripts/setup-sshd.sh installs it (the e2e setup runs it)');
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pad-e2e-servers-'));
	const scenario = (base, name) => {
		const file = path.join(dir, `${name}.json`);
		fs.writeFileSync(file, JSON.stringify({ extends: path.join(root, 'test/fakeHost/scenarios', base), description: `${base} as ${name}`, host: { computerSystem: { name } } }));
		return file;
	};
	const ports = { a: freePort(), b: freePort() };
	// The healthy one as it is (AGENT01: its gMSA allows that computer), the other under a name of its own.
	const healthy = path.join(root, 'test/fakeHost/scenarios/healthy.json');
	execFileSync('bash', [labScript, 'start', dir, `alpha=${ports.a}=${healthy}`, `beta=${ports.b}=${scenario('seed-7041', 'AGENT-B')}`], { stdio: ['ignore', 'ignore', 'inherit'] });
	process.on('exit', () => spawnSync('bash', [labScript, 'stop', dir]));
	// What an admin's ~/.ssh/config would say for these servers: their key, and a host key that is new every run.
	const config = path.join(dir, 'ssh_config');
	fs.writeFileSync(config, `Host 127.0.0.1\n  User root\n  IdentityFile ${path.join(dir, 'keys/client')}\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  LogLevel QUIET\n`);
	return { dir, config, a: `root@127.0.0.1:${ports.a}`, b: `root@127.0.0.1:${ports.b}` };
}

let lab;
const tests = [
	{
		name: 'servers-two-loopback',
		// The local PowerShell is the fake host's too, as in every e2e test; the servers answer over real SSH.
		scenario: 'healthy',
		get settings() {
			lab ??= startLab();
			return { 'paDoctor.servers': [{ name: lab.a, transport: 'SSH' }, { name: lab.b, transport: 'SSH' }], 'paDoctor.remote.timeoutSeconds': 240 };
		},
		get env() {
			lab ??= startLab();
			return { PAD_E2E_SSH_CONFIG: lab.config };
		},
		timeoutMs: 420000,
		async run(t) {
			const { page } = t;
			const cat = loadCatalogue();
			const logonTitle = cat.check('service.logon-right').title;
			// The pick lists both servers, ticked the first time; OK runs them.
			const widget = page.locator('.quick-input-widget');
			await page.keyboard.press('F1');
			await widget.locator('input[type="text"]').first().fill('>Diagnose Provisioning Agent on Servers');
			await widget.locator('.monaco-list-row[aria-label*="Diagnose Provisioning Agent on Servers"]').first().click();
			await t.until('the server pick', async () => (await widget.locator('.monaco-list-row', { hasText: lab.b }).count()) > 0, { timeout: 20000 });
			const picked = await widget.locator('.monaco-list-row[aria-checked="true"]').count();
			assert.strictEqual(picked, 2, 'both servers ticked');
			await t.shot('pick');
			await page.keyboard.press('Enter');
			await widget.waitFor({ state: 'hidden', timeout: 10000 });

			const pane = await t.openView(page);
			let rows = [];
			await t.until('a row per server, the failing one open on its failed check', async () => {
				rows = await t.readRows(pane);
				const a = rows.find((r) => r.level === 1 && r.label === `${lab.a} (AGENT01): All passed`);
				const b = rows.find((r) => r.level === 1 && r.label.startsWith(`${lab.b} (AGENT-B)`));
				const logon = rows.find((r) => r.level === 3 && r.title === logonTitle && r.status === 'Failed');
				return a && b && b.expanded === true && / failed/.test(b.label) && logon;
			}, { timeout: 300000, interval: 1000 });
			t.log(rows.map((r) => `${r.level} ${r.label}`).join('\n'));
			// The terminal shows the one command that ran, naming both servers.
			const terminal = t.squash(await t.terminalText(page));
			assert.ok(terminal.includes(t.squash(`-HostName:'${lab.a}','${lab.b}'`)), 'the command with both servers');
			await t.shot('tree');

			// The failed check opens its panel for that server: read-only, named after it.
			const logon = rows.find((r) => r.level === 3 && r.title === logonTitle && r.status === 'Failed');
			await (await t.rowByLabel(pane, logon.label)).click();
			const panel = await webviewFrame(t, logonTitle);
			const text = await panel.evaluate(() => document.body.innerText);
			assert.ok(text.includes(`Result from ${lab.b}`), text.slice(0, 400));
			assert.match(text, /What was found on AGENT-B/);
			assert.strictEqual(await panel.locator('vscode-button[data-action="runFix"]').count(), 0, 'no fix runs from here');
			await t.shot('panel');

			// Export Diagnosis Report, as an admin does it: the palette, the redaction pick as it is, a file name.
			// One report covers both servers, their names replaced.
			const target = path.join(lab.dir, 'two-servers.md');
			await page.keyboard.press('F1');
			await widget.locator('input[type="text"]').first().fill('>Export Diagnosis Report');
			await widget.locator('.monaco-list-row[aria-label*="Export Diagnosis Report"]').first().click();
			await t.until('the redaction pick', async () => (await widget.locator('.monaco-list-row', { hasText: 'Replace names in the Markdown report' }).count()) > 0, { timeout: 20000 });
			await page.keyboard.press('Enter');
			// The save dialog (VS Code's own, in a browser): its path box takes the file's full path.
			await t.until('the save dialog', async () => (await widget.isVisible()) && /\.md$/.test(await widget.locator('input[type="text"]').first().inputValue()), { timeout: 20000 });
			await widget.locator('input[type="text"]').first().fill(target);
			// The dialog lists the folder as the path changes; its OK button takes the path once it shows it.
			await t.until('the path in the dialog', async () => (await widget.locator('input[type="text"]').first().inputValue()) === target, { timeout: 10000 });
			await widget.locator('.monaco-button', { hasText: /^OK$/ }).first().click();
			await t.until('the report files', () => fs.existsSync(target) && fs.existsSync(target.replace(/\.md$/, '.json')), { timeout: 30000 });
			const markdown = fs.readFileSync(target, 'utf8');
			const report = JSON.parse(fs.readFileSync(target.replace(/\.md$/, '.json'), 'utf8'));
			assert.strictEqual(report.reportSchemaVersion, 2);
			assert.deepStrictEqual(report.result.servers.map((s) => s.server), [lab.a, lab.b], 'the JSON keeps the real names');
			assert.match(markdown, /^# Provisioning Agent Doctor diagnosis report on 2 servers$/m);
			assert.match(markdown, /`service\.logon-right` \| Passed \| Failed \|/, 'the check that differs, passing on the first server');
			// The fake host's file system sits in a temporary folder named after its computer (pad-fake-host-AGENT-B-123),
			// a word of its own to the redactor, as on a real server C:\AGENT01-old would be: that folder is left out.
			const shown = markdown.replace(/pad-fake-host-[A-Za-z0-9-]+-\d+/g, 'pad-fake-host');
			for (const name of ['AGENT01', 'AGENT-B']) {
				const at = shown.indexOf(name);
				assert.ok(at < 0, `the Markdown names ${name}: ${JSON.stringify(shown.slice(Math.max(0, at - 300), at + 100))}`);
			}
			// The notification says what was written, and opens the Markdown.
			const center = await t.notificationCenter(page);
			const item = center.locator('.notification-list-item', { hasText: 'They cover all 2 servers' }).first();
			await item.waitFor({ state: 'visible', timeout: 20000 });
			assert.match(await item.locator('.notification-list-item-message').innerText(), /^Wrote two-servers\.md and two-servers\.json\. They cover all 2 servers\. Names are replaced in the Markdown; the JSON has the real ones\./);
			await item.locator('.monaco-button', { hasText: 'Open Markdown' }).click();
			await page.locator('.tabs-container .tab', { hasText: 'two-servers.md' }).first().waitFor({ state: 'visible', timeout: 20000 });
			await t.shot('exported');
		},
	},
];

module.exports = tests;
if (require.main === module) main(tests);
