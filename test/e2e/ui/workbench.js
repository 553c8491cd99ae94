'use strict';
// UI: the workbench comes up in headless Chromium, the smoke-test driver is there, and the default terminal profile
// is the real PowerShell 7 (no extension needed). Also: the extension's view container and welcome content (a).
const assert = require('assert');
const { main } = require('../../../scripts/e2e/lib/harness');

const tests = [
	{
		name: 'workbench-up',
		vsix: false,
		async run({ page, runFromPalette, until, terminalText }) {
			await page.locator('.explorer-folders-view .monaco-list-row[aria-label^="README.md"]').waitFor();
			assert.ok(await page.evaluate(() => !!(window.driver && window.driver.getTerminalBuffer)),
				'window.driver (enable-smoke-test-driver) is missing');
			await runFromPalette(page, 'Terminal: Create New Terminal', 'Terminal: Create New Terminal');
			await until('a PowerShell prompt in the new terminal', async () => /PS \//.test(await terminalText(page)), { timeout: 30000 });
			// The prompt can be drawn before PowerShell reads keys on a busy machine, and keys typed then are lost:
			// type again (after Ctrl+C clears the line) until it answers, a few times at most.
			let answered = false;
			for (let attempt = 1; attempt <= 3 && !answered; attempt++) {
				await page.keyboard.press('Control+c');
				await page.keyboard.type("'PAD' + 'E2E' + $PSVersionTable.PSVersion.Major");
				await page.keyboard.press('Enter');
				answered = await until(`PowerShell to answer PADE2E7 (attempt ${attempt})`, async () => /PADE2E7/.test(await terminalText(page)), { timeout: 10000 })
					.then(() => true, () => false);
			}
			assert.ok(answered, 'PowerShell in the terminal did not answer PADE2E7 after 3 attempts');
		},
	},
	{
		name: 'view-welcome',
		scenario: 'healthy',
		async run({ page, activityBarItem, openView, readRows, CONTAINER_TITLE, VIEW_TITLE }) {
			await activityBarItem(page).waitFor({ state: 'visible', timeout: 20000 });
			const pane = await openView(page);
			// Header aria-label "Prerequisite Checks Section"; with one view in the container the title bar shows it too.
			const header = await pane.locator('.pane-header').getAttribute('aria-label');
			assert.ok(header.startsWith(VIEW_TITLE), `pane header: ${header}`);
			const title = await page.locator('.part.sidebar .composite.title').innerText();
			assert.match(title.toLowerCase(), new RegExp(CONTAINER_TITLE.toLowerCase()), `side bar title: ${title}`);
			const button = pane.locator('.monaco-button', { hasText: 'Diagnose Provisioning Agent' });
			await button.first().waitFor({ state: 'visible', timeout: 20000 });
			assert.deepStrictEqual((await readRows(pane)).map((r) => r.label), [], 'tree rows before any run');
		},
	},
];

module.exports = tests;
if (require.main === module) main(tests);
