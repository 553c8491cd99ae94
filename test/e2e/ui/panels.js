'use strict';
// UI: the failure panel and the fix → re-run loop, from the seed's case (event 7041: the service account lacks
// "Log on as a service"), on a host where no Group Policy sets that right (seed-7041-local-policy), so a local grant
// is the documented fix and can turn the check green. Also: categories with problems open by themselves, the
// summary panel, and screenshots of the panel in the dark and the light theme.
const assert = require('assert');
const { main } = require('../../../scripts/e2e/lib/harness');
const { loadCatalogue } = require('../../../scripts/e2e/lib/catalogue');
const { webviewFrame } = require('../../../scripts/e2e/lib/webview');

const COMMAND_TITLE = 'Provisioning Agent Doctor: Diagnose Provisioning Agent';
const LOGON = 'service.logon-right';
const FIX = 'grant-logon-as-service-all-services';

/** Runs the diagnosis from the palette and shows the view; the logon-right check is what both tests look at. */
async function startDiagnosis(t) {
	const cat = loadCatalogue();
	await t.runFromPalette(t.page, 'Diagnose Provisioning Agent', COMMAND_TITLE);
	return { cat, logonTitle: cat.check(LOGON).title, pane: await t.openView(t.page) };
}

/** Switches the colour theme as a user does (Preferences: Color Theme), and waits until the workbench has it. */
async function setTheme(t, theme, workbenchClass) {
	// Not runFromPalette: it waits for the palette to close, and this command opens a second pick in it.
	const widget = t.page.locator('.quick-input-widget');
	const input = widget.locator('input[type="text"]').first();
	await t.page.keyboard.press('F1');
	await input.fill('>Preferences: Color Theme');
	// Click the row itself: the first row of the fuzzy match may be another command (Browse Color Themes…).
	const command = widget.locator('.monaco-list-row[aria-label^="Preferences: Color Theme"]').first();
	await command.waitFor({ state: 'visible', timeout: 10000 });
	await command.click();
	await t.until('the theme picker', async () => !(await input.inputValue()).startsWith('>'), { timeout: 10000 });
	await input.fill(theme);
	const row = widget.locator(`.monaco-list-row[aria-label^="${theme}"]`).first();
	await row.waitFor({ state: 'visible', timeout: 10000 });
	await row.click();
	await t.until(`the ${theme} theme`, async () => t.page.locator(`.monaco-workbench.${workbenchClass}`).count(), { timeout: 20000 });
	await t.sleep(1500); // the webview takes the new theme's variables a moment later
}

const tests = [
	{
		name: 'panel-fix-loop',
		scenario: 'seed-7041-local-policy',
		timeoutMs: 420000,
		async run(t) {
			const { page } = t;
			const { cat, logonTitle, pane } = await startDiagnosis(t);
			const categoryTitle = cat.categories.find((c) => c.id === cat.check(LOGON).category).title;
			// The extension opens the categories with problems and selects the first problem: no click of the test's.
			let rows;
			await t.until(`"${logonTitle}" shown Failed inside its opened category`, async () => {
				rows = await t.readRows(pane);
				// Category rows are labelled "<title>: <counts>" (no status word).
				const category = rows.find((r) => r.level === 1 && r.label.startsWith(`${categoryTitle}: `));
				const row = rows.find((r) => r.level >= 2 && r.title === logonTitle);
				const failed = rows.filter((r) => r.level === 1 && /\d+ failed/.test(r.label));
				return category && category.expanded === true && row && row.status === 'Failed' && failed.every((c) => c.expanded === true);
			}, { timeout: 180000, interval: 500 });
			const failedCategories = rows.filter((r) => r.level === 1 && /\d+ failed/.test(r.label));
			assert.ok(failedCategories.length > 0, 'some category reports a failure');
			for (const c of failedCategories) assert.strictEqual(c.expanded, true, `category with a failure is open: ${c.label}`);
			const selected = await pane.locator('.monaco-list-row.selected').first().getAttribute('aria-label').catch(() => null);
			assert.ok(selected && / Failed: /.test(selected), `the first problem is selected: ${selected}`);
			const logon = rows.find((r) => r.level >= 2 && r.title === logonTitle);
			// A short description, the value that matters first (the finding's title).
			assert.ok(logon.description.startsWith(cat.failure('logon-right-missing-all-services').title), logon.label);
			await t.shot('tree');

			// Clicking the failed check opens its panel beside the editor, with what the probe found on this host.
			await (await t.rowByLabel(pane, logon.label)).click();
			const panel = await webviewFrame(t, logonTitle);
			const text = await panel.evaluate(() => document.body.innerText);
			assert.match(text, /What was found on /, 'the evidence section');
			assert.ok(text.includes('NT SERVICE\\AADConnectProvisioningAgent'), 'the service account this host reported');
			assert.ok(text.includes('S-1-5-20'), 'a holder of the right this host reported');
			// The exact text users meet (System event 7041), the cause, numbered steps and the documentation.
			assert.ok(text.includes('This service account does not have the required user right'), 'the 7041 event text');
			assert.ok(text.includes('the System event log'), 'where that text is seen');
			assert.ok(text.includes(cat.failure('logon-right-missing-all-services').cause), 'the cause, in plain words');
			assert.ok(text.includes(cat.failure('logon-right-missing-all-services').steps[0]), 'the first step');
			const steps = await panel.locator('ol.steps li').count();
			assert.ok(steps >= 3, `numbered steps (${steps})`);
			const docs = await panel.locator('vscode-button[data-action="openLink"]').count();
			assert.ok(docs > 0, 'documentation links');
			// The fix's command, filled from the evidence, shown as it will run.
			const snippet = await panel.locator(`vscode-button[data-fix-id="${FIX}"][data-action="runFix"]`).first();
			assert.strictEqual(await snippet.getAttribute('disabled'), null, 'the fix can run: its values came from the evidence');
			const snippets = await panel.locator('pre.snippet').allInnerTexts();
			assert.ok(snippets.some((s) => s.includes("-Account:'NT SERVICE\\ALL SERVICES'") && s.includes("-AccountSid:'S-1-5-80-0'")), snippets.join('\n'));
			// Landmarks and labelled buttons for a screen reader.
			assert.strictEqual(await panel.locator('main[aria-labelledby="page-title"]').count(), 1);
			assert.ok((await snippet.getAttribute('aria-label')).startsWith('Run fix '), 'the button says what it runs');

			await setTheme(t, 'Dark 2026', 'vs-dark');
			await t.shot('panel-dark');
			await setTheme(t, 'Light 2026', 'vs');
			await t.shot('panel-light');

			// Run in Terminal asks first, saying what will change, with the values.
			await snippet.click();
			const dialog = page.locator('.monaco-dialog-box');
			await dialog.waitFor({ state: 'visible', timeout: 20000 });
			const dialogText = await dialog.innerText();
			assert.match(dialogText, /It changes this system/);
			assert.match(dialogText, /What will change: Adds NT SERVICE\\ALL SERVICES/);
			assert.ok(dialogText.includes('-Account: NT SERVICE\\ALL SERVICES'), dialogText);
			assert.ok(dialogText.includes('grant-logon-as-service.ps1'), 'the command is shown');
			await t.shot('confirm');
			await dialog.locator('.monaco-button', { hasText: 'Run in Terminal' }).first().click();
			await dialog.waitFor({ state: 'hidden', timeout: 10000 });

			// The snippet runs in the terminal against the fake host, then the check runs again by itself.
			// The script's own last line ("Log on as a service now lists: ..."), read without the terminal's wrapping.
			await t.until('the fix to finish in the terminal', async () => t.squash(await t.terminalText(page)).includes('Logonasaservicenowlists:'), { timeout: 60000 });
			await t.until(`"${logonTitle}" to pass, marked fixed`, async () => {
				const row = (await t.readRows(pane)).find((r) => r.level >= 2 && r.title === logonTitle);
				return row && row.status === 'Passed' && row.description.startsWith('Fixed since the run at');
			}, { timeout: 120000, interval: 500 });
			const row = (await t.readRows(pane)).find((r) => r.level >= 2 && r.title === logonTitle);
			assert.match(row.text, /Fixed ·/, `the row's visible description starts with the mark: ${row.text}`);
			// The panel follows: passed, with the mark.
			const after = await webviewFrame(t, logonTitle);
			await t.until('the panel to show Passed', async () => /Passed/.test(await after.evaluate(() => document.querySelector('header').innerText).catch(() => '')), { timeout: 20000 });
			assert.match(await after.evaluate(() => document.body.innerText), /Fixed since the run at \d/);
			await t.shot('fixed');

			// The summary: counts by status, the problems first, the fixed check marked.
			await t.runFromPalette(page, 'Provisioning Agent Doctor: Show Summary', 'Provisioning Agent Doctor: Show Summary');
			const summary = await webviewFrame(t, 'Provisioning agent prerequisites');
			const summaryText = await summary.evaluate(() => document.body.innerText);
			const headings = await summary.locator('h2').allInnerTexts();
			assert.match(headings[0], /^Failed \(\d+\)$/, `failures come first: ${headings.join(' | ')}`);
			assert.ok(summaryText.includes(`${logonTitle}`) && /\(Fixed since the run at [^)]+\)/.test(summaryText), 'the fixed check is marked');
			await t.shot('summary');
		},
	},
	{
		name: 'panel-hostile-evidence',
		scenario: 'hostile-gpo-name',
		timeoutMs: 300000,
		async run(t) {
			const { page } = t;
			const hostile = readScenarioGpoName();
			const { logonTitle, pane } = await startDiagnosis(t);
			let row;
			await t.until(`"${logonTitle}" to fail`, async () => {
				row = (await t.readRows(pane)).find((r) => r.level >= 2 && r.title === logonTitle);
				return row && row.status === 'Failed';
			}, { timeout: 180000, interval: 500 });

			// The tooltip: the GPO name is text, with no link, image or command of its own.
			const element = await t.rowByLabel(pane, row.label);
			await element.hover();
			const hover = page.locator('.monaco-hover, .workbench-hover').filter({ hasText: 'GPO' }).first();
			await hover.waitFor({ state: 'visible', timeout: 15000 });
			const hoverHtml = await hover.evaluate((e) => e.innerHTML);
			assert.ok(!/<img\b/i.test(hoverHtml), 'no image from host text in the tooltip');
			assert.ok(!/href="command:/i.test(hoverHtml) && !/data-href="command:/i.test(hoverHtml), 'no command: link in the tooltip');
			assert.ok((await hover.innerText()).includes('<img src=x onerror=alert(1)>'), 'the name shows as literal text');
			await t.shot('tooltip');
			await page.mouse.move(900, 700);

			// The panel: the same text, inert; the fix's -Gpo value is that text, quoted.
			await element.click();
			const panel = await webviewFrame(t, logonTitle);
			const inert = await panel.evaluate(() => ({
				images: document.querySelectorAll('main img').length,
				bold: [...document.querySelectorAll('main b')].length,
				links: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')),
				scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src')),
				text: document.body.innerText,
			}));
			assert.strictEqual(inert.images, 0, 'no image element');
			assert.strictEqual(inert.bold, 0, 'no markup from host text');
			assert.deepStrictEqual(inert.links, [], 'no live link in the panel: documentation opens through the extension');
			// VS Code adds its own inline script (acquireVsCodeApi); every script with a source is one of the bundle's.
			const sourced = inert.scripts.filter(Boolean);
			assert.deepStrictEqual(sourced.map((src) => src.split('/').pop()).sort(), ['panel.js', 'vscode-elements.js'], `scripts: ${inert.scripts.join(', ')}`);
			assert.ok(inert.text.includes('<img src=x onerror=alert(1)></script><b>GPO</b>'), 'the GPO name as text');
			assert.ok(inert.text.includes('[run](command:workbench.action.terminal.sendSequence'), 'the link as text');
			// The name holds a line break, which the terminal would take as Enter: it is not put into the command, the
			// parameter list says so, and the grant (whose -Gpo only adds a warning) can still run.
			assert.ok(hostile.includes('\r'));
			const snippets = await panel.locator('pre.snippet').allInnerTexts();
			assert.ok(snippets.length > 0 && snippets.every((x) => !x.includes('-Gpo:')), snippets.join('\n'));
			assert.ok(inert.text.includes('found a value the command cannot carry'), 'the parameter list says why -Gpo is not given');
			const runGrant = panel.locator('vscode-button[data-action="runFix"][data-fix-id="grant-logon-as-service"]').first();
			assert.strictEqual(await runGrant.getAttribute('disabled'), null, 'the GPO is optional: the grant stays runnable without it');
			await t.shot('panel');
		},
	},
];

/** The hostile display name the scenario gives the GPO. */
function readScenarioGpoName() {
	const { readScenario } = require('../../../scripts/e2e/lib/scenario');
	const gpos = readScenario('hostile-gpo-name').host.cim['root/rsop/computer:RSOP_GPO'];
	return gpos[1].name;
}

module.exports = tests;
if (require.main === module) main(tests);
