import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckStatus } from '../../src/checks/types';
import { ResultsStore, type RunHistory } from '../../src/diagnosis/resultsStore';
import { compareWithPrevious, describeChange, formatRunTime, readRecord, updateRecord, type RunRecord } from '../../src/diagnosis/runChanges';
import { describeOutcome } from '../../src/diagnosis/runOutcome';
import { checks, categories } from '../../src/checks/catalogue';
import { buildTree, escapeMarkdown } from '../../src/views/treeModel';
import { checkResult, sampleResult } from './fixtures';

const earlier = '2026-11-26T06:00:00.000Z';

function record(statuses: Record<string, CheckStatus>, computerName = 'AGENT01'): RunRecord {
	return { computerName, finishedAt: earlier, checks: Object.fromEntries(Object.entries(statuses).map(([id, status]) => [id, { status, at: earlier }])) };
}

test('every pair of statuses gives the change an admin expects', () => {
	const cases: Array<[CheckStatus, CheckStatus, string | undefined]> = [
		['fail', 'pass', 'fixed'],
		['warning', 'pass', 'fixed'],
		['unknown', 'pass', 'fixed'],
		['fail', 'notApplicable', 'fixed'],
		['fail', 'fail', 'stillFailing'],
		['fail', 'warning', 'stillFailing'],
		['warning', 'unknown', 'stillFailing'],
		['pass', 'fail', 'new'],
		['pass', 'warning', 'new'],
		['notApplicable', 'unknown', 'new'],
		['manual', 'fail', 'new'],
		['pass', 'pass', undefined],
		['notApplicable', 'pass', undefined],
		['manual', 'manual', undefined],
		['fail', 'manual', undefined],
	];
	for (const [before, now, expected] of cases) {
		const changes = compareWithPrevious(record({ c: before }), sampleResult([checkResult('c', now)]));
		assert.equal(changes.get('c')?.kind, expected, `${before} → ${now}`);
		if (expected) {
			assert.equal(changes.get('c')?.since, earlier, 'the time of the run compared with');
		}
	}
});

test('no marks on a first run, for a check the record lacks, on another server or after a fatal run', () => {
	const now = sampleResult([checkResult('a', 'fail'), checkResult('b', 'pass')]);
	assert.equal(compareWithPrevious(undefined, now).size, 0);
	assert.deepEqual([...compareWithPrevious(record({ b: 'fail' }), now).keys()], ['b'], 'a was never run there: not "new"');
	assert.equal(compareWithPrevious(record({ a: 'pass' }, 'OTHER01'), now).size, 0);
	assert.equal(compareWithPrevious(record({ a: 'pass' }, 'agent01'), now).get('a')?.kind, 'new', 'computer names compare without case');
	const fatal = sampleResult([checkResult('a', 'fail')], { fatal: { code: 'unexpected', message: 'x' } });
	assert.equal(compareWithPrevious(record({ a: 'pass' }), fatal).size, 0);
});

test('the record keeps checks a partial run did not report, and a new server starts its own', () => {
	const full = updateRecord(undefined, sampleResult([checkResult('a', 'fail'), checkResult('b', 'pass')]));
	assert.deepEqual(Object.keys(full.checks).sort(), ['a', 'b']);
	const partial = updateRecord(full, sampleResult([checkResult('a', 'pass')], { finishedAt: '2026-11-26T08:00:00.000Z' }));
	assert.equal(partial.checks.a.status, 'pass');
	assert.equal(partial.checks.a.at, '2026-11-26T08:00:00.000Z');
	assert.equal(partial.checks.b.status, 'pass');
	assert.equal(partial.checks.b.at, full.checks.b.at, 'b keeps the time it was found');
	const other = updateRecord(full, sampleResult([checkResult('c', 'pass')], { host: { ...sampleResult([]).host, computerName: 'OTHER01' } }));
	assert.deepEqual(Object.keys(other.checks), ['c']);
	const fatal = updateRecord(full, sampleResult([checkResult('a', 'pass')], { fatal: { code: 'unexpected', message: 'x' } }));
	assert.equal(fatal.checks.a.status, 'fail', 'a stopped run changes no status');
});

test('a stored record is read back only in the shape written', () => {
	const good = updateRecord(undefined, sampleResult([checkResult('a', 'fail')]));
	assert.deepEqual(readRecord(JSON.parse(JSON.stringify(good))), good);
	for (const bad of [undefined, null, 'x', 1, {}, { computerName: 'A', finishedAt: 'x' }, { computerName: 1, finishedAt: 'x', checks: {} }]) {
		assert.equal(readRecord(bad), undefined, JSON.stringify(bad));
	}
	const mixed = readRecord({ computerName: 'A', finishedAt: 'x', checks: { a: { status: 'pass', at: 't' }, b: { status: 'running', at: 't' }, c: null, d: { status: 'fail' } } });
	assert.deepEqual(Object.keys(mixed!.checks), ['a']);
});

test('times read as the local clock, with the date when it is not today', () => {
	const at = new Date(2026, 10, 26, 9, 5);
	assert.equal(formatRunTime(at.toISOString(), new Date(2026, 10, 26, 18, 0)), '09:05');
	assert.equal(formatRunTime(at.toISOString(), new Date(2026, 10, 27, 1, 0)), '2026-11-26 09:05');
	assert.equal(formatRunTime('not a time'), 'not a time');
	const now = new Date(2026, 10, 26, 18, 0);
	assert.equal(describeChange({ kind: 'fixed', since: at.toISOString() }, now), 'Fixed since the run at 09:05');
	assert.equal(describeChange({ kind: 'stillFailing', since: at.toISOString() }, now), 'Still failing since the run at 09:05');
	assert.equal(describeChange({ kind: 'new', since: at.toISOString() }, now), 'New since the run at 09:05');
});

function memoryHistory(): RunHistory & { saved: RunRecord[] } {
	const byName = new Map<string, RunRecord>();
	const saved: RunRecord[] = [];
	return {
		saved,
		load: (name) => byName.get(name.toLowerCase()),
		save: (r) => {
			saved.push(r);
			byName.set(r.computerName.toLowerCase(), r);
		},
	};
}

test('the store marks a fix → re-run as fixed, keeps other marks, and the tree shows it first', () => {
	const history = memoryHistory();
	const store = new ResultsStore(history);
	const logon = 'service.logon-right';
	store.markRunning([logon, 'service.state']);
	store.finishRun({ kind: 'completed', result: sampleResult([checkResult(logon, 'fail', ['logon-right-missing-service-account']), checkResult('service.state', 'fail', ['service-stopped'])]) });
	assert.equal(store.changes.size, 0, 'first run: nothing to compare with');
	store.markRunning([logon]);
	store.finishRun({ kind: 'completed', result: sampleResult([checkResult(logon, 'pass')], { finishedAt: '2026-11-26T07:10:00.000Z' }) });
	assert.equal(store.changes.get(logon)?.kind, 'fixed');
	store.markRunning(['service.state']);
	store.finishRun({ kind: 'completed', result: sampleResult([checkResult('service.state', 'fail', ['service-stopped'])]) });
	assert.equal(store.changes.get('service.state')?.kind, 'stillFailing');
	assert.equal(store.changes.get(logon)?.kind, 'fixed', 'a run of another check keeps this mark');
	assert.equal(history.saved.length, 3);

	const tree = buildTree(categories, checks, { results: store.results, running: new Set(), changes: store.changes });
	const node = tree.flatMap((c) => c.children).find((k) => k.id === logon)!;
	assert.match(node.description, /^Fixed · /);
	// The first run finished then, in this machine's local time (the date too: it was not today).
	const when = formatRunTime(sampleResult([]).finishedAt);
	assert.match(when, /^2026-11-2\d \d\d:\d\d$/);
	assert.ok(node.tooltip.includes(`*${escapeMarkdown(`Fixed since the run at ${when}`)}*`), node.tooltip);
	assert.ok(node.accessibilityLabel.startsWith(`Log on as a service, Passed: Fixed since the run at ${when}. `), node.accessibilityLabel);
	const running = buildTree(categories, checks, { results: store.results, running: new Set([logon]), changes: store.changes });
	assert.equal(running.flatMap((c) => c.children).find((k) => k.id === logon)!.change, undefined, 'no mark while it runs again');

	// A timeout changes no mark; a run on another server clears this one's results and marks.
	store.finishRun({ kind: 'timeout', seconds: 5 });
	assert.equal(store.changes.get(logon)?.kind, 'fixed');
	store.finishRun({ kind: 'completed', result: sampleResult([checkResult('service.state', 'pass')], { host: { ...sampleResult([]).host, computerName: 'OTHER01' } }) });
	assert.equal(store.changes.size, 0);
	assert.deepEqual([...store.results.keys()], ['service.state']);
});

test('the end-of-run message describes the whole tree, not only the checks just re-run', () => {
	const store = new ResultsStore();
	store.finishRun({ kind: 'completed', result: sampleResult([checkResult('a', 'fail'), checkResult('b', 'fail'), checkResult('c', 'warning'), checkResult('d', 'pass')]) });
	const rerun = { kind: 'completed' as const, result: sampleResult([checkResult('d', 'pass')]) };
	store.finishRun(rerun);
	const message = describeOutcome(rerun, store.results);
	assert.doesNotMatch(message.text, /no problems found/);
	assert.equal(message.text, 'Re-ran 1 check on AGENT01: no problem. In the tree: 2 failed, 1 with warnings. Select a check in Prerequisite Checks for details.');
	assert.equal(message.severity, 'warning');
	const two = { kind: 'completed' as const, result: sampleResult([checkResult('a', 'pass'), checkResult('b', 'fail')]) };
	store.finishRun(two);
	assert.match(describeOutcome(two, store.results).text, /^Re-ran 2 checks on AGENT01: 1 failed\. In the tree: 1 failed, 1 with warnings\./);
	const allGood = new ResultsStore();
	allGood.finishRun({ kind: 'completed', result: sampleResult([checkResult('a', 'pass'), checkResult('b', 'notApplicable')]) });
	const one = { kind: 'completed' as const, result: sampleResult([checkResult('a', 'pass')]) };
	assert.equal(describeOutcome(one, allGood.results).text, 'Re-ran 1 check on AGENT01: no problem. Every check in the tree passed or does not apply.');
	assert.equal(describeOutcome(one, allGood.results).severity, 'info');
	// A full run (no other checks in the tree) reads as before.
	const full = { kind: 'completed' as const, result: sampleResult([checkResult('a', 'pass'), checkResult('b', 'notApplicable')]) };
	assert.equal(describeOutcome(full, allGood.results).text, 'Diagnosis finished on AGENT01: no problems found.');
});

test('a check that needs elevation and could not answer in a filtered session says "Needs elevation" first', () => {
	const logon = checks.find((c) => c.id === 'service.logon-right')!;
	assert.equal(logon.needsElevation, true);
	const results = new Map([[logon.id, checkResult(logon.id, 'unknown', [], {}, 'secedit /export /areas USER_RIGHTS failed (exit code 5)')]]);
	const node = (elevated: boolean | null | undefined) =>
		buildTree(categories, checks, { results, running: new Set(), elevated }).flatMap((c) => c.children).find((k) => k.id === logon.id)!;
	assert.match(node(false).description, /^Needs elevation · /);
	assert.match(node(false).accessibilityLabel, /^Log on as a service, Could not check: Needs elevation · /);
	for (const elevated of [true, null, undefined]) {
		assert.doesNotMatch(node(elevated).description, /Needs elevation/, String(elevated));
	}
	// A check that does not need elevation is never blamed on it.
	const os = checks.find((c) => !c.needsElevation && c.probe)!;
	const other = buildTree(categories, checks, { results: new Map([[os.id, checkResult(os.id, 'unknown', [], {}, 'x')]]), running: new Set(), elevated: false });
	assert.doesNotMatch(other.flatMap((c) => c.children).find((k) => k.id === os.id)!.description, /Needs elevation/);
});

test('every mark has its word in the tree; a record keeps every status it can hold and refuses checks: null', () => {
	const store = new ResultsStore(memoryHistory());
	const first = sampleResult([checkResult('service.state', 'fail', ['service-stopped']), checkResult('service.updater', 'pass')]);
	store.finishRun({ kind: 'completed', result: first });
	store.finishRun({ kind: 'completed', result: sampleResult([checkResult('service.state', 'fail', ['service-stopped']), checkResult('service.updater', 'fail', ['updater-not-running'])]) });
	const rows = buildTree(categories, checks, { results: store.results, running: new Set(), changes: store.changes }).flatMap((c) => c.children);
	assert.match(rows.find((k) => k.id === 'service.state')!.description, /^Still failing · /);
	assert.match(rows.find((k) => k.id === 'service.updater')!.description, /^New · /);
	const all = ['pass', 'fail', 'warning', 'unknown', 'manual', 'notApplicable'];
	const read = readRecord({ computerName: 'A', finishedAt: 'x', checks: Object.fromEntries(all.map((s) => [s, { status: s, at: 't' }])) });
	assert.deepEqual(Object.keys(read!.checks), all);
	assert.equal(readRecord({ computerName: 'A', finishedAt: 'x', checks: null }), undefined);
});

test('a run on the same day of another month or year shows its date', () => {
	const now = new Date(2026, 10, 26, 18, 0);
	assert.equal(formatRunTime(new Date(2026, 9, 26, 9, 5).toISOString(), now), '2026-10-26 09:05');
	assert.equal(formatRunTime(new Date(2025, 10, 26, 9, 5).toISOString(), now), '2025-11-26 09:05');
});
