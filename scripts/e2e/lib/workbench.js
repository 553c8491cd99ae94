'use strict';
// Helpers that drive the VS Code web workbench (code-server 4.139 / VS Code 1.139) through playwright-core.
// Selectors were checked against that version; see the e2e reference notes in shared/ (e2e-reference/README.md) for how they were found.

const VIEW_TITLE = 'Prerequisite Checks';
const CONTAINER_TITLE = 'Provisioning Agent Doctor';
const STATUS_LABELS = ['Passed', 'Failed', 'Warning', 'Could not check', 'Manual', 'Not applicable', 'Running', 'Not run'];
const FINAL_LABELS = STATUS_LABELS.filter((s) => s !== 'Running' && s !== 'Not run');
// Every tree row's accessible label is "<title>, <status label>: <description>" (the description may be empty).
const ROW_LABEL = new RegExp(`^(.*?), (${STATUS_LABELS.join('|')})(?::\\s*([\\s\\S]*))?$`);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, fn, { timeout = 30000, interval = 300 } = {}) {
	const end = Date.now() + timeout;
	let last;
	for (;;) {
		try {
			const v = await fn();
			if (v) return v;
		} catch (e) { last = e; }
		if (Date.now() > end) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${last.message.split('\n')[0]})` : ''}`);
		await sleep(interval);
	}
}

/** Open the workbench on the server's workspace and wait until the remote side has listed the folder. */
async function openWorkbench(page, server, extraQuery = '') {
	await page.goto(server.url(extraQuery));
	await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
	await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60000 });
}

/** Run a command from the palette: F1, type `>query`, pick the row whose aria-label starts with rowLabel. */
async function runFromPalette(page, query, rowLabel, { shot } = {}) {
	const widget = page.locator('.quick-input-widget');
	// The label itself, or the label and what VS Code appends after a comma ("recently used", a key binding): not a
	// longer command that starts with it ("Diagnose Provisioning Agent on Servers…").
	const label = cssString(rowLabel);
	const row = widget.locator(`.monaco-list-row[aria-label="${label}"], .monaco-list-row[aria-label^="${label},"]`).first();
	// Commands contributed by extensions can reach the palette a little after the workbench shows: reopen and retry.
	for (let attempt = 0; ; attempt++) {
		await page.keyboard.press('F1');
		const input = widget.locator('input[type="text"]').first();
		await input.waitFor({ state: 'visible' });
		await input.fill(`>${query}`); // fill replaces the text, so keep the `>` command prefix
		try {
			await row.waitFor({ state: 'visible', timeout: 5000 });
			break;
		} catch (e) {
			if (attempt >= 3) {
				const rows = await widget.locator('.monaco-list-row').evaluateAll((els) => els.map((x) => x.getAttribute('aria-label')));
				throw new Error(`no palette row "${rowLabel}" for ">${query}"; rows: ${JSON.stringify(rows)}`);
			}
			await page.keyboard.press('Escape');
			await sleep(1000);
		}
	}
	if (shot) await shot();
	await row.click();
	await widget.waitFor({ state: 'hidden' });
}

function cssString(s) { return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"'); }

function activityBarItem(page) {
	return page.locator([
		`.activitybar .action-item a[aria-label^="${CONTAINER_TITLE}"]`,
		`.activitybar .action-item .action-label[aria-label^="${CONTAINER_TITLE}"]`,
	].join(', ')).first();
}

/** Show the extension's view container (click its activity-bar entry unless the view is already showing). */
async function openView(page) {
	const pane = viewPane(page);
	if (await pane.isVisible().catch(() => false)) return pane;
	// force: while a run is in progress a progress badge lies over the icon (it would "intercept" the click).
	await activityBarItem(page).click({ force: true });
	await pane.waitFor({ state: 'visible', timeout: 20000 });
	await page.mouse.move(900, 400); // away from the activity bar, so its hover doesn't cover the view in screenshots
	return pane;
}

/** The "Prerequisite Checks" pane in the side bar (its header's aria-label is "<view title> Section"). */
function viewPane(page) {
	return page.locator('.part.sidebar .pane', { has: page.locator(`.pane-header[aria-label^="${VIEW_TITLE}"]`) }).first();
}

/** All rendered rows of the pane's tree: aria-label, level, expanded state, and the parsed title/status/description. */
async function readRows(pane) {
	const raw = await pane.locator('.monaco-list-row').evaluateAll((els) => els.map((e) => ({
		label: e.getAttribute('aria-label') || '',
		level: Number(e.getAttribute('aria-level') || 0),
		expanded: e.hasAttribute('aria-expanded') ? e.getAttribute('aria-expanded') === 'true' : null,
		text: e.innerText,
	})));
	return raw.map((r) => {
		const m = ROW_LABEL.exec(r.label);
		return { ...r, title: m ? m[1] : r.label, status: m ? m[2] : null, description: m ? (m[3] || '').trim() : null };
	});
}

/** The row locator whose aria-label is exactly `label` (labels may hold quotes or newlines, so no CSS selector). */
async function rowByLabel(pane, label) {
	const labels = await pane.locator('.monaco-list-row').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
	const i = labels.indexOf(label);
	if (i < 0) throw new Error(`no row "${label}"`);
	return pane.locator('.monaco-list-row').nth(i);
}

/** Rows of checks (not categories): level 2 and below. */
const checkRows = (rows) => rows.filter((r) => r.level >= 2);

/** Expand every collapsed category row once (clicks its twistie: toggles without running a command). */
async function expandCollapsed(pane) {
	const collapsed = pane.locator('.monaco-list-row[aria-expanded="false"]');
	const n = await collapsed.count();
	for (let i = 0; i < n; i++) {
		const row = pane.locator('.monaco-list-row[aria-expanded="false"]').first();
		if (!(await row.count())) break;
		await row.locator('.monaco-tl-twistie').click({ timeout: 5000 }).catch(() => row.click({ timeout: 5000 }));
		await sleep(100);
	}
	return n;
}

/**
 * Wait until the tree shows a finished diagnosis: check rows exist, none is Running / Not run, and every category is
 * expanded. Returns the rows.
 */
async function waitForFinishedTree(pane, { timeout = 120000, minChecks = 1 } = {}) {
	let rows = [];
	try {
		await until('every check row to have a final status', async () => {
			await expandCollapsed(pane);
			rows = await readRows(pane);
			const checks = checkRows(rows);
			if (rows.some((r) => r.expanded === false)) return false;
			return checks.length >= minChecks && checks.every((r) => FINAL_LABELS.includes(r.status));
		}, { timeout, interval: 500 });
	} catch (e) {
		const checks = checkRows(rows);
		const pending = checks.filter((r) => !FINAL_LABELS.includes(r.status)).map((r) => r.label);
		const collapsed = rows.filter((r) => r.expanded === false).map((r) => r.label);
		throw new Error(`${e.message}; ${rows.length} rows, ${checks.length} check rows (want ${minChecks}), `
			+ `not final: ${JSON.stringify(pending).slice(0, 400)}, collapsed: ${JSON.stringify(collapsed)}`);
	}
	return rows;
}

/** Lines of the active terminal (the smoke-test driver's buffer; the DOM rows as a fallback). */
async function terminalText(page) {
	const lines = await page.evaluate(() => (window.driver && window.driver.getTerminalBuffer
		? window.driver.getTerminalBuffer('.terminal-wrapper.active') : null)).catch(() => null);
	if (Array.isArray(lines)) return lines.join('\n');
	return page.locator('.terminal-wrapper.active .xterm-rows').innerText().catch(() => '');
}

/** The terminal text without any whitespace, so that a command wrapped across rows still matches. */
const squash = (s) => s.replace(/\s+/g, '');

/** Names of the terminals in the panel (tabs list, or the single-terminal title). */
async function terminalNames(page) {
	return page.locator('.terminal-tabs-entry, .single-terminal-tab, .panel .terminal-tab')
		.evaluateAll((els) => els.map((e) => `${e.textContent || ''} ${e.getAttribute('aria-label') || ''}`.trim())).catch(() => []);
}

/** Open the notification center and return its items (message text + button labels). */
async function notificationCenter(page) {
	await runFromPalette(page, 'Notifications: Show Notifications', 'Notifications: Show Notifications');
	const center = page.locator('.notifications-center');
	await center.waitFor({ state: 'visible' });
	return center;
}

module.exports = {
	VIEW_TITLE, CONTAINER_TITLE, STATUS_LABELS, FINAL_LABELS, ROW_LABEL,
	sleep, until, openWorkbench, runFromPalette, activityBarItem, openView, viewPane, readRows, rowByLabel, checkRows,
	expandCollapsed, waitForFinishedTree, terminalText, terminalNames, squash, notificationCenter,
};
