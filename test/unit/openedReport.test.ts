import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explain } from '../../src/checks/explain';
import { findCheck } from '../../src/checks/catalogue';
import { ResultsStore, type RunHistory } from '../../src/diagnosis/resultsStore';
import type { RunRecord } from '../../src/diagnosis/runChanges';
import { describeOpenedReport } from '../../src/diagnosis/runOutcome';
import { makeNonce, renderFailurePanel, renderSummaryPanel, type PanelAssets } from '../../src/views/panelHtml';
import { checks, categories, fixes } from '../../src/checks/catalogue';
import { parseReport } from '../../src/report/reportJson';
import { checkResult, sampleResult } from './fixtures';

const logon = 'service.logon-right';
const report = { fileName: 'report.json', computerName: 'CORE01', finishedAt: '2026-11-26T07:10:00.000Z', redacted: false };

function history(): RunHistory & { saved: RunRecord[] } {
	const saved: RunRecord[] = [];
	return { saved, load: () => undefined, save: (r) => void saved.push(r) };
}

test('an opened report replaces every result, marks nothing, saves no history, and a run ends it', () => {
	const h = history();
	const store = new ResultsStore(h);
	store.markRunning(['service.state', logon]);
	store.finishRun({ kind: 'completed', result: sampleResult([checkResult('service.state', 'pass'), checkResult(logon, 'pass')]) });
	assert.equal(h.saved.length, 1);
	let fired = 0;
	store.onDidChange(() => fired++);
	const result = sampleResult([checkResult(logon, 'fail', ['logon-right-missing-service-account'])], { host: { ...sampleResult([]).host, computerName: 'CORE01' } });
	store.openReport(result, report);
	assert.equal(fired, 1);
	assert.deepEqual([...store.results.keys()], [logon], "this window's results are gone");
	assert.equal(store.results.get(logon)?.status, 'fail');
	assert.equal(store.report, report);
	assert.equal(store.lastResult, result);
	assert.deepEqual(store.lastOutcome, { kind: 'completed', result });
	assert.equal(store.changes.size, 0);
	assert.equal(store.hasRun, true);
	assert.equal(h.saved.length, 1, 'a report is not a run of this server');

	// A run on this machine ends the report: none of its results stay beside this machine's.
	store.markRunning(['service.state']);
	assert.equal(store.report, undefined);
	assert.equal(store.results.size, 0);
	assert.equal(store.lastResult, undefined);
	store.finishRun({ kind: 'completed', result: sampleResult([checkResult('service.state', 'pass')]) });
	assert.deepEqual([...store.results.keys()], ['service.state']);
});

test('a report cannot be opened while a diagnosis runs', () => {
	const store = new ResultsStore();
	store.markRunning([logon]);
	assert.throws(() => store.openReport(sampleResult([]), report), /a diagnosis is running/);
	assert.equal(store.report, undefined);
});

test('the read-only line names the machine, the day, the file and redaction, and keeps host text on one line', () => {
	const line = describeOpenedReport({ ...report, redacted: true });
	assert.match(line, /^Read-only report of CORE01 of 2026-11-2\d \d\d:\d\d \(names redacted\), opened from report\.json\. Nothing runs from it here/);
	const today = new Date();
	assert.match(describeOpenedReport({ ...report, finishedAt: today.toISOString() }), /of today \d\d:\d\d, opened/);
	const hostile = describeOpenedReport({ ...report, computerName: 'X[run](command:evil)\r\nY' });
	assert.ok(!hostile.includes('](') && !/[\r\n]/.test(hostile), hostile);
});

const assets: PanelAssets = {
	cspSource: 'https://*.vscode-cdn.net',
	nonce: makeNonce(new Uint8Array(16).fill(3)),
	scriptUri: 'https://x.vscode-cdn.net/media/panel.js',
	styleUri: 'https://x.vscode-cdn.net/media/panel.css',
	codiconsUri: 'https://x.vscode-cdn.net/dist/media/codicons/codicon.css',
	elementsUri: 'https://x.vscode-cdn.net/dist/media/vscode-elements.js',
};

test('the panels of an opened report say whose it is and offer no re-run, fix or copy button', () => {
	const result = checkResult(logon, 'fail', ['logon-right-missing-service-account'], { account: 'CONTOSO\\pGMSA_1$', accountSid: 'S-1-5-21-1-2-3-4' });
	const paths = new Map(fixes.map((f) => [f.id, `C:\\x\\${f.script}`]));
	const input = { assets, explanation: explain(findCheck(logon)!, result), fixScriptPaths: paths };
	const line = describeOpenedReport(report);
	const live = renderFailurePanel(input);
	const readOnly = renderFailurePanel({ ...input, readOnly: line });
	for (const action of ['rerun', 'runFix', 'copy']) {
		assert.ok(live.includes(`data-action="${action}"`), `a live panel has ${action}`);
		assert.ok(!readOnly.includes(`data-action="${action}"`), `a report's panel has no ${action}`);
	}
	assert.ok(readOnly.includes('Read-only report of CORE01'));
	assert.match(readOnly, /From an opened report: run the diagnosis on that server/);
	assert.ok(readOnly.includes('<pre class="snippet">'), 'the fix commands are still there to read');
	const summary = renderSummaryPanel({ assets, checks, categories, results: new Map([[logon, result]]), readOnly: line });
	assert.ok(summary.includes('Read-only report of CORE01'));
	assert.ok(!renderSummaryPanel({ assets, checks, categories, results: new Map([[logon, result]]) }).includes('Read-only report'));
});

test('a hostile report opens as data and its panel and summary render every value as inert text', () => {
	const evil = '<img src=x onerror=alert(1)>[x](command:workbench.action.terminal.sendSequence)';
	const result = sampleResult([checkResult(logon, 'fail', ['logon-right-missing-service-account'], { account: evil, accountSid: 'S-1-5-21-1-2-3-4' })], {
		host: { ...sampleResult([]).host, computerName: `CORE01${evil}` },
	});
	const text = JSON.stringify({ reportSchemaVersion: 1, tool: 'provisioning-agent-doctor', kind: 'diagnosis-report', generatedAt: '2026-11-26T08:00:00.000Z', extensionVersion: '0.1.0', redacted: false, result, checks: [] });
	const parsed = parseReport(text);
	assert.ok(parsed.ok && parsed.covers === 'one', parsed.ok ? parsed.covers : parsed.reason);
	const check = parsed.result.checks[0];
	assert.equal(check.evidence.account, evil, 'the value is kept exactly, as data');
	const line = describeOpenedReport({ fileName: 'evil.json', computerName: parsed.result.host.computerName, finishedAt: parsed.result.finishedAt, redacted: false });
	const panel = renderFailurePanel({ assets, explanation: explain(findCheck(logon)!, check), fixScriptPaths: new Map(), computerName: parsed.result.host.computerName, readOnly: line });
	const summary = renderSummaryPanel({ assets, checks, categories, results: new Map([[logon, check]]), computerName: parsed.result.host.computerName, readOnly: line });
	for (const html of [panel, summary]) {
		assert.ok(!html.includes('<img'), 'no element from host text');
		assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the value shows as text');
	}
});
