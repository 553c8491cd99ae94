'use strict';
// UI, bad paths (d): a PowerShell path that does not exist, and a diagnosis whose probe hangs past the overall timeout.
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { main } = require('../../../scripts/e2e/lib/harness');
const P = require('../../../scripts/e2e/lib/paths');

// The fake host's own "hang" scenario when it exists; otherwise this suite's fallback (a probe that hangs 10 min).
const HANG = fs.existsSync(path.join(P.scenarios, 'hang.json')) ? 'hang' : path.join(__dirname, '..', 'scenarios', 'diagnosis-hang.json');

const COMMAND_TITLE = 'Provisioning Agent Doctor: Diagnose Provisioning Agent';

const tests = [
	{
		name: 'powershell-not-found',
		settings: { 'paDoctor.powershell.path': '/nonexistent/pad-e2e/pwsh' },
		async run(t) {
			const { page } = t;
			await t.runFromPalette(page, 'Diagnose Provisioning Agent', COMMAND_TITLE);
			// Error toasts stay, but read the notification center: it keeps every notification.
			await t.sleep(1000);
			const center = await t.notificationCenter(page);
			const item = center.locator('.notification-list-item', { hasText: 'PowerShell was not found' }).first();
			await item.waitFor({ state: 'visible', timeout: 20000 });
			const message = (await item.locator('.notification-list-item-message').innerText()).trim();
			assert.ok(message.startsWith('PowerShell was not found'), `message: ${message}`);
			const severity = await item.locator('.notification-list-item-icon').getAttribute('class');
			assert.match(severity, /codicon-error/, `icon classes: ${severity}`);
			const button = item.locator('.monaco-button', { hasText: 'Open Settings' });
			await button.waitFor({ state: 'visible' });
			await t.shot('notification');
			await button.click();
			// The button opens the settings (the UI editor or settings.json), on the PowerShell path setting.
			await page.locator('.settings-editor, .tabs-container .tab[aria-label*="settings.json"], .tabs-container .tab[aria-label^="Settings"]').first()
				.waitFor({ state: 'visible', timeout: 20000 });
		},
	},
	{
		name: 'diagnosis-timeout',
		scenario: HANG,
		settings: { 'paDoctor.diagnosis.timeoutSeconds': 15 },
		timeoutMs: 180000,
		async run(t) {
			const { page } = t;
			await t.runFromPalette(page, 'Diagnose Provisioning Agent', COMMAND_TITLE);
			const pane = await t.openView(page);
			const timedOut = async () => {
				const text = await pane.innerText().catch(() => '');
				const labels = (await t.readRows(pane)).map((r) => r.label).join('\n');
				return /timed out/i.test(text) || /timed out/i.test(labels);
			};
			await t.until('the view to say the run timed out', timedOut, { timeout: 75000, interval: 1000 });
			await t.shot('timed-out');
			// The view stays usable: the command runs again and a new diagnosis starts.
			const before = t.squash(await t.terminalText(page));
			await t.runFromPalette(page, 'Diagnose Provisioning Agent', COMMAND_TITLE);
			await t.until('a new run to start (Running rows, a new command line, or the time-out message replaced)', async () => {
				const rows = await t.readRows(pane);
				if (rows.some((r) => r.status === 'Running')) return true;
				const now = t.squash(await t.terminalText(page));
				if (now.split('Invoke-AgentDiagnosis.ps1').length > before.split('Invoke-AgentDiagnosis.ps1').length) return true;
				return !(await timedOut());
			}, { timeout: 30000 });
		},
	},
	{
		// Results stream in (each check shows when it ends, from the progress file) and Stop ends a run at once.
		name: 'stream-and-stop',
		scenario: HANG,
		timeoutMs: 180000,
		async run(t) {
			const { page } = t;
			await t.runFromPalette(page, 'Diagnose Provisioning Agent', COMMAND_TITLE);
			const pane = await t.openView(page);
			const osTitle = require('../../../scripts/e2e/lib/catalogue').loadCatalogue().check('server.os-version').title;
			let rows = [];
			await t.until('finished checks shown while the hanging one still runs', async () => {
				await t.expandCollapsed(pane);
				rows = await t.readRows(pane);
				const checks = rows.filter((r) => r.level >= 2);
				const done = checks.filter((r) => r.status && r.status !== 'Running' && r.status !== 'Not run');
				const os = checks.find((r) => r.title.startsWith(osTitle));
				return os && os.status === 'Running' && done.length >= 10;
			}, { timeout: 60000, interval: 500 });
			await t.shot('streaming');
			// Stop replaces the run button in the view's title while the run goes on.
			// The view's title actions are in the side bar's title when the container holds one view.
			const header = page.locator('.part.sidebar .composite.title, .part.sidebar .pane-header').first();
			const stop = header.locator('.action-label[aria-label^="Stop Diagnosis"]');
			await stop.waitFor({ state: 'visible', timeout: 10000 });
			// Neither run button (this server, several servers) during a run.
			assert.strictEqual(await header.locator('.action-label[aria-label^="Diagnose Provisioning Agent"]').count(), 0, 'no run button during a run');
			await stop.click({ force: true });
			await t.until('the view to say the run was stopped', async () => /stopped/i.test(await pane.innerText().catch(() => '')), { timeout: 20000, interval: 500 });
			// The message line can be drawn a moment before the rows.
			let after = [];
			await t.until('no row to show Running after Stop', async () => {
				after = (await t.readRows(pane)).filter((r) => r.level >= 2);
				return after.length > 0 && !after.some((r) => r.status === 'Running');
			}, { timeout: 10000, interval: 300 });
			const kept = after.filter((r) => r.status && r.status !== 'Not run');
			assert.ok(kept.length >= 10, `the checks that had finished keep their results (${kept.length})`);
			const os = after.find((r) => r.title.startsWith(osTitle));
			assert.strictEqual(os.status, 'Not run', os.label);
			// This server's run button (exactly: "Diagnose Provisioning Agent on Servers…" is beside it).
			await header.locator('.action-label[aria-label="Diagnose Provisioning Agent"]').waitFor({ state: 'visible', timeout: 10000 });
			await t.shot('stopped');
		},
	},
];

module.exports = tests;
if (require.main === module) main(tests);
