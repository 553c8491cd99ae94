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
];

module.exports = tests;
if (require.main === module) main(tests);
