'use strict';
// UI: Explain an Error. The admin pastes the seed's wizard message ("Failed changing Windows service credentials to
// gMSA") into the panel's text box, sees every cause the catalogue gives for it with the checks that tell them apart,
// and the panel's button runs exactly those checks on the fake host (seed-7041-local-policy: the service account
// lacks Log on as a service, so one cause is confirmed). Also: text that matches nothing offers the full diagnosis.
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { main } = require('../../../scripts/e2e/lib/harness');
const { loadCatalogue } = require('../../../scripts/e2e/lib/catalogue');
const { webviewFrame } = require('../../../scripts/e2e/lib/webview');
const P = require('../../../scripts/e2e/lib/paths');

const COMMAND_TITLE = 'Provisioning Agent Doctor: Explain an Error...';
const SEED_TEXT =
	"Failed changing Windows service credentials to gMSA. Please check the logs for more detailed information. If that doesn't help resolve this issue, please contact support.";

/**
 * What the catalogue says the seed message points to: its causes in the catalogue's order, and the checks of those
 * causes (each once). The seed text matches this one message, so that is the order the panel must give.
 */
function expectedFromCatalogue() {
	const cat = loadCatalogue();
	const data = JSON.parse(fs.readFileSync(path.join(P.root, 'src', 'catalogue', 'messages.json'), 'utf8'));
	const list = Array.isArray(data) ? data : data.messages;
	const message = list.find((m) => SEED_TEXT.startsWith(m.text.split('.')[0]));
	assert.ok(message, 'the catalogue knows the seed message');
	const checkOf = (failureId) => cat.checks.find((c) => c.failures.some((f) => f.id === failureId));
	const causes = message.causes.map((c) => ({ failureId: c.failure, title: cat.failure(c.failure).title, check: checkOf(c.failure) }));
	const checks = [...new Map(causes.map((c) => [c.check.id, c.check])).values()];
	return { cat, message, causes, checks };
}

/**
 * Opens Explain an Error from the palette, types the text into its box and presses Explain. The answer is a new page
 * (the panel is rendered again), so the frame is looked up again until it shows `answered` (a selector).
 */
async function explainText(t, text, answered) {
	await t.runFromPalette(t.page, 'Explain an Error', COMMAND_TITLE);
	const panel = await webviewFrame(t, 'Explain an Error');
	const box = panel.locator('#explain-text');
	await box.waitFor({ state: 'visible', timeout: 20000 });
	await box.fill(text);
	await panel.locator('vscode-button[data-action="explain"]').first().click();
	return answeredFrame(t, answered);
}

/** The Explain an Error page once it shows `selector`; pages are replaced when they are rendered again. */
async function answeredFrame(t, selector, predicate = () => true) {
	let found;
	await t.until(`Explain an Error to show ${selector}`, async () => {
		const frame = await webviewFrame(t, 'Explain an Error', { timeout: 5000 });
		const ok = await frame.evaluate((sel) => document.querySelectorAll(sel).length > 0, selector).catch(() => false);
		if (ok && (await predicate(frame))) found = frame;
		return Boolean(found);
	}, { timeout: 30000, interval: 500 });
	return found;
}

const tests = [
	{
		name: 'explain-seed-message',
		scenario: 'seed-7041-local-policy',
		timeoutMs: 300000,
		async run(t) {
			const { page } = t;
			const expected = expectedFromCatalogue();
			assert.ok(expected.causes.length >= 2, 'the seed message is ambiguous: more than one cause');
			let panel = await explainText(t, SEED_TEXT, 'li.cause');
			const shown = await panel.evaluate(() => ({
				text: document.body.innerText,
				causes: [...document.querySelectorAll('li.cause')].map((li) => li.getAttribute('data-failure-id')),
				checks: [...document.querySelectorAll('ul.checks vscode-button[data-action="showCheck"]')].map((b) => b.getAttribute('data-check-id')),
				box: document.getElementById('explain-text').value,
			}));
			assert.strictEqual(shown.box, SEED_TEXT, 'the text box keeps what was explained');
			assert.ok(shown.text.includes(expected.message.text), 'the catalogue message it matched');
			assert.match(shown.text, /Found on line 1: Failed changing Windows service credentials to gMSA/);
			// Every cause, in the catalogue's order (one message: its own order is the rank), each with its check.
			assert.deepStrictEqual(shown.causes, expected.causes.map((c) => c.failureId));
			for (const cause of expected.causes) {
				assert.ok(shown.text.includes(cause.title), `cause "${cause.title}"`);
				assert.ok(shown.text.includes(`Told by the check ${cause.check.title}`), `its check "${cause.check.title}"`);
			}
			assert.deepStrictEqual(shown.checks, expected.checks.map((c) => c.id), 'the checks that tell the causes apart');
			const run = panel.locator('vscode-button[data-action="runExplained"]');
			assert.strictEqual((await run.innerText()).trim(), `Run These ${expected.checks.length} Checks`);
			await t.shot('explained');

			// The button runs exactly those checks: afterwards they, and only they, have a result in the tree.
			await run.click();
			const pane = await t.openView(page);
			const titles = expected.checks.map((c) => c.title).sort();
			let rows;
			await t.until('exactly the explained checks to have a result', async () => {
				await t.expandCollapsed(pane);
				rows = t.checkRows(await t.readRows(pane));
				const ran = rows.filter((r) => r.status && r.status !== 'Not run').map((r) => r.title).sort();
				return rows.length === expected.cat.checks.length && rows.every((r) => r.status !== 'Running') && JSON.stringify(ran) === JSON.stringify(titles);
			}, { timeout: 180000, interval: 500 });
			const logon = rows.find((r) => r.title === expected.cat.check('service.logon-right').title);
			assert.strictEqual(logon.status, 'Failed', 'this host lacks the right: one cause is confirmed');

			// The panel follows the results: the confirmed cause says so, a passed one says it is unlikely.
			panel = await answeredFrame(t, 'p.verdict', async (frame) => /The latest run found a problem in this check/.test(await frame.evaluate(() => document.body.innerText)));
			const after = await panel.evaluate(() => document.body.innerText);
			assert.ok(after.includes('Failed'), 'the status of a check that ran');
			await t.shot('explained-after-run');
		},
	},
	{
		name: 'explain-unknown-text',
		scenario: 'healthy',
		timeoutMs: 240000,
		async run(t) {
			const panel = await explainText(t, 'The printer on the third floor is out of paper.\r\n<img src=x onerror=alert(1)>', '#no-match');
			const inert = await panel.evaluate(() => ({ images: document.querySelectorAll('main img').length, text: document.body.innerText }));
			assert.strictEqual(inert.images, 0, 'the pasted markup stays text');
			assert.match(inert.text, /run the full diagnosis/);
			await t.shot('no-match');
			// Its button runs the whole diagnosis.
			await panel.locator('vscode-button[data-action="runDiagnosis"]').first().click();
			const pane = await t.openView(t.page);
			const installed = loadCatalogue(path.join(t.extensionDir, 'dist', 'powershell', 'catalogue')).checks.length;
			await t.waitForFinishedTree(pane, { timeout: 150000, minChecks: installed });
		},
	},
];

module.exports = tests;
if (require.main === module) main(tests);
