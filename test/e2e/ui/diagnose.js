'use strict';
// UI: run the diagnosis from the command palette against a fake Windows host, and read the tree (b); click a failed
// check for its next step (c). Statuses are read from the rows' accessible labels "<title>, <status>: <description>".
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { main, extensionLogs } = require('../../../scripts/e2e/lib/harness');
const { loadCatalogue } = require('../../../scripts/e2e/lib/catalogue');
const { readScenario, STATUS_LABEL } = require('../../../scripts/e2e/lib/scenario');

const COMMAND_TITLE = 'Provisioning Agent Doctor: Diagnose Provisioning Agent';
const TERMINAL_NAME = 'Provisioning Agent Doctor';
const ENTRY_SCRIPT = 'Invoke-AgentDiagnosis.ps1';

const count = (hay, needle) => hay.split(needle).length - 1;

/** Palette → diagnosis command line in the extension's terminal → finished tree. Returns the rows. */
async function diagnoseFromPalette(t) {
	const { page, shot, runFromPalette, until, terminalText, terminalNames, squash, openView, waitForFinishedTree } = t;
	await runFromPalette(page, 'Diagnose Provisioning Agent', COMMAND_TITLE, { shot: () => shot('palette') });
	await until(`a terminal named "${TERMINAL_NAME}"`, async () => (await terminalNames(page)).some((n) => n.includes(TERMINAL_NAME)), { timeout: 30000 });
	await until(`the diagnosis command line (${ENTRY_SCRIPT}) in the terminal`, async () => squash(await terminalText(page)).includes(ENTRY_SCRIPT), { timeout: 30000 });
	const pane = await openView(page);
	// As many check rows as the installed package's entry script runs (the catalogue it reads).
	const installedChecks = loadCatalogue(path.join(t.extensionDir, 'dist', 'powershell', 'catalogue')).checks;
	let rows;
	try {
		rows = await waitForFinishedTree(pane, { timeout: 120000, minChecks: installedChecks.length });
	} catch (e) {
		// Name the known way this goes wrong: the extension typed the command before PowerShell was ready.
		const log = extensionLogs(t.server);
		const term = await terminalText(page);
		if (/sending the command as text/.test(log) && !/running \d+ check/.test(term)) {
			e.message += ' [the extension fell back to sendText (no shell integration within its wait) and the typed'
				+ ' command never ran: the terminal shows it on the prompt line with no output]';
		}
		throw e;
	}
	t.log(rows.map((r) => `${r.level} ${r.label}`).join('\n'));
	return { pane, rows };
}

function rowOf(rows, title) {
	const r = rows.find((x) => x.level >= 2 && x.title === title);
	assert.ok(r, `no check row titled "${title}"; rows:\n${rows.map((x) => x.label).join('\n')}`);
	return r;
}

function assertAllChecksShown(rows, cat) {
	const titles = rows.filter((r) => r.level >= 2).map((r) => r.title);
	const missing = cat.checks.map((c) => c.title).filter((x) => !titles.includes(x));
	assert.deepStrictEqual(missing, [], 'catalogue checks without a row');
}

const tests = [
	{
		name: 'diagnose-healthy',
		scenario: 'healthy',
		timeoutMs: 180000,
		async run(t) {
			const cat = loadCatalogue();
			const { rows } = await diagnoseFromPalette(t);
			assertAllChecksShown(rows, cat);
			const checks = rows.filter((r) => r.level >= 2);
			// The checks the admin confirms by hand (no probe in the catalogue) show Manual; every other one passes.
			const manualTitles = cat.checks.filter((c) => !c.probe).map((c) => c.title);
			const manual = checks.filter((r) => manualTitles.includes(r.title));
			assert.strictEqual(manual.length, manualTitles.length, `one row per manual check: ${manualTitles.join(', ')}`);
			for (const row of manual) assert.strictEqual(row.status, 'Manual', row.label);
			const wrong = checks.filter((r) => !manual.includes(r) && r.status !== 'Passed' && r.status !== 'Not applicable');
			assert.deepStrictEqual(wrong.map((r) => r.label), [], 'rows neither Passed nor Not applicable');
			assert.ok(checks.filter((r) => r.status === 'Passed').length >= cat.checks.length - manualTitles.length - 4, 'most checks pass on a healthy host');
		},
	},
	{
		name: 'diagnose-seed-7041',
		scenario: 'seed-7041',
		timeoutMs: 240000,
		async run(t) {
			const cat = loadCatalogue();
			const { page, pane, rows } = { ...(await diagnoseFromPalette(t)), page: t.page };
			assertAllChecksShown(rows, cat);
			// The scenario's "expect" block says which checks fail and why; the logon right and the SCM event log
			// check must be among them (the seed article: event 7041, the account lacks Log on as a service).
			const expect = readScenario('seed-7041').expect || {};
			assert.strictEqual(expect['service.logon-right'] && expect['service.logon-right'].status, 'fail', 'scenario expects service.logon-right to fail');
			assert.strictEqual(expect['eventlog.scm-events'] && expect['eventlog.scm-events'].status, 'fail', 'scenario expects eventlog.scm-events to fail');
			for (const [id, e] of Object.entries(expect)) {
				const row = rowOf(rows, cat.check(id).title);
				assert.strictEqual(row.status, STATUS_LABEL[e.status], `${id}: ${row.label}`);
				if (e.failureIds && e.failureIds.length) {
					// The description is the title of the first finding, then "(+N more)" when there are several.
					const titles = e.failureIds.map((f) => cat.failure(f).title);
					assert.ok(titles.some((x) => row.description.startsWith(x)), `${id} description "${row.description}" starts with none of ${JSON.stringify(titles)}`);
					if (e.failureIds.length > 1) assert.match(row.description, new RegExp(`\\(\\+${e.failureIds.length - 1} more\\)`), `${id}: ${row.description}`);
				}
			}
			const logon = rowOf(rows, cat.check('service.logon-right').title);
			const scm = rowOf(rows, cat.check('eventlog.scm-events').title);
			assert.strictEqual(scm.description, cat.failure('event-7041').title, scm.label);
			await t.shot('tree');

			// (c) Clicking the failed check gives the next step: for now the check runs again (`-Check <id>`);
			// a details panel (editor tab) is accepted too, for when the extension moves to that.
			const before = t.squash(await t.terminalText(page));
			const tabsBefore = await page.locator('.tabs-container .tab').count();
			await (await t.rowByLabel(pane, logon.label)).click();
			const outcome = await t.until('a re-run of service.logon-right in the terminal, or a details panel', async () => {
				const now = t.squash(await t.terminalText(page));
				if (/-Check:?['"]?service\.logon-right/.test(now) && count(now, 'Invoke-AgentDiagnosis.ps1') > count(before, 'Invoke-AgentDiagnosis.ps1')) return 'rerun';
				if (await page.locator('.tabs-container .tab').count() > tabsBefore) return 'panel';
				return false;
			}, { timeout: 30000 });
			t.log('click on failed check gave:', outcome);
			if (outcome === 'rerun') {
				// The re-run finishes and the row keeps its (failed) status. The terminal can show the command before
				// the tree has re-rendered the row as Running, so wait for Running first (a very quick run may be over
				// before it is seen), then for every row to be final again.
				await t.until('the re-run to show as Running', async () => {
					const row = (await t.readRows(pane)).find((r) => r.level >= 2 && r.title === logon.title);
					return !!row && row.status === 'Running';
				}, { timeout: 10000 }).catch(() => undefined);
				await t.waitForFinishedTree(pane, { timeout: 90000 });
				const again = rowOf(await t.readRows(pane), logon.title);
				assert.strictEqual(again.status, 'Failed', again.label);
			}
			await t.shot('after-click');
		},
	},
];

module.exports = tests;
if (require.main === module) main(tests);
