'use strict';
// UI: the agent-log language server. Opening a trace log of the configuration wizard (in the agent's Trace folder, so
// VS Code gives it the Provisioning Agent log language) starts the log server, which marks the line with the text of
// System event 7041 ("the user has not been granted the requested logon type"); the Problems panel lists it with the
// failure id as its code, and the hover names the cause and the checks that tell the causes apart. And the other way
// in: the Agent logs check of a diagnosis lists the known lines of the server's trace logs, and its panel's Open in
// Editor opens the log at that line, where the log server marks it.
const assert = require('assert');
const { main } = require('../../../scripts/e2e/lib/harness');
const { loadCatalogue } = require('../../../scripts/e2e/lib/catalogue');
const { webviewFrame } = require('../../../scripts/e2e/lib/webview');

const LOG_NAME = 'AgentTrace-20261126.log';

/** Quick Open (F1 without the `>` prefix searches files), then the file's row. */
async function openFile(t, name) {
	const widget = t.page.locator('.quick-input-widget');
	await t.page.keyboard.press('F1');
	const input = widget.locator('input[type="text"]').first();
	await input.waitFor({ state: 'visible' });
	await input.fill(name);
	const row = widget.locator(`.monaco-list-row[aria-label*="${name}"]`).first();
	await row.waitFor({ state: 'visible', timeout: 15000 });
	await row.click();
	await widget.waitFor({ state: 'hidden' });
	await t.page.locator(`.tab[aria-label*="${name}"]`).first().waitFor({ state: 'visible', timeout: 15000 });
}

const tests = [
	{
		name: 'log-diagnostics-7041',
		scenario: 'healthy',
		timeoutMs: 240000,
		async run(t) {
			const { page } = t;
			const cat = loadCatalogue();
			const logonFailure = cat.failure('logon-right-missing-service-account');
			await openFile(t, LOG_NAME);
			// The language comes from the trace folder's pattern (status bar: the language mode).
			await t.until('the Provisioning Agent Log language', async () => /Provisioning Agent Log/.test(await page.locator('.statusbar-item[id="status.editor.mode"]').innerText().catch(() => '')), { timeout: 20000 });

			// The Problems panel lists the log's known failures, the 7041 one with its failure id.
			await t.runFromPalette(page, 'Problems: Focus on Problems View', 'Problems: Focus on Problems View');
			const problems = page.locator('.markers-panel');
			await problems.waitFor({ state: 'visible', timeout: 20000 });
			let rows = [];
			try {
				await t.until('the known failures in the Problems panel', async () => {
					rows = await problems.locator('.monaco-list-row').evaluateAll((els) => els.map((e) => `${e.getAttribute('aria-label') || ''} ${e.textContent || ''}`));
					return rows.some((r) => /unable to log on/i.test(r) && r.includes('logon-right-missing-service-account'));
				}, { timeout: 60000, interval: 500 });
			} catch (e) {
				e.message += `; rows: ${JSON.stringify(rows)}`;
				throw e;
			}
			t.log(rows.join('\n'));
			assert.ok(rows.some((r) => r.includes('Failed changing Windows service credentials to gMSA')), 'the seed message is listed too');
			// The status bar counts them.
			await t.until('the status bar count', async () => /\d+ known failure/.test(await page.locator('.statusbar').innerText().catch(() => '')), { timeout: 20000 });
			await t.shot('problems');

			// The hover on the marked 7041 text (line 5; the mark is far to the right, so go there as a keyboard user
			// does: Go to Line 5:260, then Show or Focus Hover): the cause and the checks that tell the causes apart.
			const marks = page.locator('.monaco-editor .squiggly-error');
			await t.until('squiggles in the editor', async () => (await marks.count()) >= 1, { timeout: 20000 });
			await page.locator('.monaco-editor .view-line').first().click();
			// Quick Open with ':' is Go to Line/Column.
			const widget = page.locator('.quick-input-widget');
			await page.keyboard.press('F1');
			await widget.locator('input[type="text"]').first().fill(':5:260');
			await page.keyboard.press('Enter');
			await widget.waitFor({ state: 'hidden' });
			await t.until('the cursor on line 5', async () => /Ln 5,/.test(await page.locator('.statusbar').innerText().catch(() => '')), { timeout: 10000 });
			// Show or Focus Hover (Ctrl+K Ctrl+I); the mouse over the mark if the chord did not reach the editor.
			await page.keyboard.press('Control+K');
			await page.keyboard.press('Control+I');
			const shown = () => page.locator('.monaco-hover', { hasText: logonFailure.title }).first().isVisible().catch(() => false);
			await t.until('the hover with the causes', async () => {
				if (await shown()) return true;
				const mark = marks.last();
				const box = await mark.boundingBox().catch(() => null);
				if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
				return false;
			}, { timeout: 20000, interval: 1000 });
			const text = await page.locator('.monaco-hover').filter({ hasText: logonFailure.title }).first().innerText();
			assert.ok(text.includes(logonFailure.title), `the cause in the hover: ${text}`);
			assert.ok(text.includes(cat.check('service.logon-right').title), 'the check that tells it');
			await t.shot('hover');
		},
	},
	{
		name: 'agent-logs-open-line',
		scenario: 'agent-logs-runtime-errors',
		timeoutMs: 300000,
		async run(t) {
			const { page } = t;
			const cat = loadCatalogue();
			const title = cat.check('eventlog.agent-logs').title;
			await t.runFromPalette(page, 'Diagnose Provisioning Agent', 'Provisioning Agent Doctor: Diagnose Provisioning Agent');
			const pane = await t.openView(page);
			let row;
			await t.until(`"${title}" with a warning`, async () => {
				row = (await t.readRows(pane)).find((r) => r.level >= 2 && r.title === title);
				return row && row.status === 'Warning';
			}, { timeout: 180000, interval: 500 });
			assert.ok(row.description.startsWith(cat.failure('agent-logs-known-messages').title), row.label);
			await (await t.rowByLabel(pane, row.label)).click();
			const panel = await webviewFrame(t, title);
			const text = await panel.evaluate(() => document.body.innerText);
			// Newest first: the broken trust relationship (line 5 of the newest file), then the LDAP time-outs.
			assert.ok(text.includes('Lines in the logs'), text);
			assert.ok(text.includes('1 x The trust relationship between this workstation and the primary domain failed.'), 'the count per message');
			assert.ok(text.includes('3 x System.DirectoryServices.Protocols.LdapException'), 'the time-outs of both files in the period');
			assert.match(text, /AgentTrace-20261201\.log, line 5/);
			await t.shot('panel');
			await panel.locator('vscode-button[data-action="openLogLine"][data-line="1"]').click();
			// The file opens as a Provisioning Agent log with the reported line selected (line 4: the second time-out).
			await page.locator('.tab[aria-label*="AgentTrace-20261201.log"]').first().waitFor({ state: 'visible', timeout: 20000 });
			await t.until('the cursor on line 4', async () => /Ln 4,/.test(await page.locator('.statusbar').innerText().catch(() => '')), { timeout: 20000 });
			await t.until('the Provisioning Agent Log language', async () => /Provisioning Agent Log/.test(await page.locator('.statusbar-item[id="status.editor.mode"]').innerText().catch(() => '')), { timeout: 20000 });
			await t.until('the log server marks the time-outs', async () => /\d+ known failure/.test(await page.locator('.statusbar').innerText().catch(() => '')), { timeout: 60000 });
			await t.shot('editor');
		},
	},
];

module.exports = tests;
if (require.main === module) main(tests);
