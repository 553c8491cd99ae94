import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ResultsStore } from '../../src/diagnosis/resultsStore';
import { checksAffectedByElevation, describeOutcome, notificationText, RunOutcome } from '../../src/diagnosis/runOutcome';
import { checkResult, sampleResult } from './fixtures';

test('every way a run can end gives a message with a next step', () => {
	const outcomes: RunOutcome[] = [
		{ kind: 'malformed', reason: 'The result file is empty.', rawText: '', resultPath: '/x.json' },
		{ kind: 'timeout', seconds: 15 },
		{ kind: 'terminalClosed' },
		{ kind: 'stopped' },
		{ kind: 'endedWithoutResult', exitCode: 1 },
		{ kind: 'elevationCancelled', exitCode: 1 },
		{ kind: 'noPowerShell', requested: '/nowhere/pwsh', fromSetting: true },
		{ kind: 'noPowerShell', requested: 'pwsh', fromSetting: false },
		{ kind: 'completed', result: sampleResult([], { fatal: { code: 'not-windows', message: 'x' } }) },
		{ kind: 'completed', result: sampleResult([], { fatal: { code: 'unexpected', message: 'Unknown check id(s): x' } }) },
	];
	for (const outcome of outcomes) {
		const m = describeOutcome(outcome);
		assert.notEqual(m.severity, 'info', outcome.kind);
		assert.match(m.text, /(Run|run|Point|Open|Look|Read|Wait|clear)/, outcome.kind);
		assert.ok(m.treeMessage && m.treeMessage.length > 0, outcome.kind);
	}
	assert.match(describeOutcome({ kind: 'noPowerShell', requested: '/nowhere/pwsh', fromSetting: true }).text, /^PowerShell was not found/);
	assert.match(describeOutcome({ kind: 'timeout', seconds: 15 }).text, /timed out/);
});

test('a completed run summarises failures, warnings and unchecked checks', () => {
	const ok = describeOutcome({ kind: 'completed', result: sampleResult([checkResult('a', 'pass')]) });
	assert.equal(ok.severity, 'info');
	assert.match(ok.text, /no problems found/);
	const bad = describeOutcome({ kind: 'completed', result: sampleResult([checkResult('a', 'fail'), checkResult('b', 'warning'), checkResult('c', 'unknown')]) });
	assert.equal(bad.severity, 'warning');
	assert.match(bad.text, /1 failed, 1 with warnings, 1 could not be checked/);
	// Different counts for each status, so a count taken from the wrong status shows.
	const mixed = describeOutcome({
		kind: 'completed',
		result: sampleResult([
			checkResult('a', 'fail'),
			checkResult('b', 'unknown'),
			checkResult('c', 'warning'),
			checkResult('d', 'fail'),
			checkResult('e', 'unknown'),
			checkResult('f', 'unknown'),
			checkResult('g', 'pass'),
		]),
	});
	assert.match(mixed.text, /: 2 failed, 1 with warnings, 3 could not be checked\./);
	const warningsOnly = describeOutcome({ kind: 'completed', result: sampleResult([checkResult('a', 'warning'), checkResult('b', 'warning')]) });
	assert.equal(warningsOnly.severity, 'info');
	assert.match(warningsOnly.text, /: 2 with warnings\./);
});

test('elevation-sensitive checks are named only when the run was not elevated', () => {
	const checks = [checkResult('service.logon-right', 'unknown'), checkResult('server.os-version', 'pass')];
	const needs = (id: string) => id === 'service.logon-right';
	assert.deepEqual(checksAffectedByElevation(sampleResult(checks, { host: { ...sampleResult([]).host, isElevated: false } }), needs), ['service.logon-right']);
	assert.deepEqual(checksAffectedByElevation(sampleResult(checks), needs), []);
	// Elevation unknown (null: the script could not tell) is not "not elevated": no check is blamed on it.
	assert.deepEqual(checksAffectedByElevation(sampleResult(checks, { host: { ...sampleResult([]).host, isElevated: null } }), needs), []);
});

test('the store keeps results of checks a partial run did not report, and clears running on any end', () => {
	const store = new ResultsStore();
	let changes = 0;
	store.onDidChange(() => changes++);
	assert.equal(store.hasRun, false);
	store.markRunning(['a', 'b']);
	assert.equal(store.isRunning, true);
	assert.equal(store.hasRun, true, 'the view leaves its welcome content once a run starts');
	store.finishRun({ kind: 'completed', result: sampleResult([checkResult('a', 'pass'), checkResult('b', 'fail', ['x'])]) });
	store.markRunning(['b']);
	store.finishRun({ kind: 'completed', result: sampleResult([checkResult('b', 'pass')]) });
	assert.equal(store.results.get('a')?.status, 'pass');
	assert.equal(store.results.get('b')?.status, 'pass');
	store.markRunning(['a']);
	store.finishRun({ kind: 'timeout', seconds: 5 });
	assert.equal(store.isRunning, false);
	assert.equal(store.results.get('a')?.status, 'pass');
	assert.equal(store.lastOutcome?.kind, 'timeout');
	assert.equal(changes, 6);
	// A listener that was disposed hears nothing more.
	let late = 0;
	const subscription = store.onDidChange(() => late++);
	store.markRunning(['a']);
	subscription.dispose();
	store.finishRun({ kind: 'terminalClosed' });
	assert.equal(late, 1);
});

test('each ending says its own specifics: the exit code when known, not Windows, busy', () => {
	assert.match(describeOutcome({ kind: 'endedWithoutResult', exitCode: 3 }).text, /^PowerShell finished without writing a result \(exit code 3\)\. Read/);
	assert.match(describeOutcome({ kind: 'endedWithoutResult', exitCode: undefined }).text, /^PowerShell finished without writing a result\. Read/);
	const notWindows = describeOutcome({ kind: 'completed', result: sampleResult([], { fatal: { code: 'not-windows', message: 'x' } }) });
	assert.equal(notWindows.treeMessage, 'Not Windows: run the diagnosis on the agent server.');
	assert.match(notWindows.text, /not Windows/);
	const unexpected = describeOutcome({ kind: 'completed', result: sampleResult([], { fatal: { code: 'unexpected', message: 'Boom.' } }) });
	assert.match(unexpected.text, /^The diagnosis stopped early: Boom\. Run it again/);
	assert.deepEqual(describeOutcome({ kind: 'busy' }), { severity: 'info', text: 'A diagnosis is already running. Wait for it to finish.' });
});

test('host text in notifications cannot become a link, stays on one line and is cut', () => {
	const planted = 'AGENT01 [Open](command:workbench.action.terminal.sendSequence?%7B%7D)\r[x] (https://x)\u2028next';
	assert.equal(notificationText(planted), 'AGENT01 [Open] (command:workbench.action.terminal.sendSequence?%7B%7D) [x] (https://x) next');
	assert.equal(notificationText('a'.repeat(301)), `${'a'.repeat(300)}…`);
	assert.equal(notificationText('a'.repeat(300)), 'a'.repeat(300));
	const host = { ...sampleResult([]).host, computerName: 'EVIL[go](command:x)' };
	const done = describeOutcome({ kind: 'completed', result: sampleResult([checkResult('server.os-version', 'fail', [], {}, null)], { host }) });
	assert.ok(done.text.includes('EVIL[go] (command:x)'), done.text);
	assert.doesNotMatch(done.text, /\]\(/);
	const fatal = describeOutcome({ kind: 'completed', result: sampleResult([], { fatal: { code: 'unexpected', message: 'boom [a](command:y)\nline' } }) });
	assert.doesNotMatch(fatal.text, /\]\(|\n/);
	assert.doesNotMatch(fatal.treeMessage ?? '', /\]\(|\n/);
	const malformed = describeOutcome({ kind: 'malformed', reason: '[b](command:z)', rawText: '', resultPath: '/r.json' });
	assert.doesNotMatch(malformed.text, /\]\(/);
});

test('progress: a finished check shows at once, only for checks of this run still running; the run stays running until it ends', () => {
	const store = new ResultsStore();
	let fired = 0;
	store.onDidChange(() => fired++);
	store.markRunning(['a', 'b']);
	fired = 0;
	store.applyProgress([checkResult('a', 'fail', ['x']), checkResult('z', 'pass')]);
	assert.equal(fired, 1);
	assert.equal(store.results.get('a')?.status, 'fail');
	assert.equal(store.results.has('z'), false, 'a check this run does not run takes no progress');
	assert.deepEqual([...store.running], ['b']);
	store.applyProgress([checkResult('a', 'pass')]);
	assert.equal(store.results.get('a')?.status, 'fail', 'a check is taken once: it is no longer running');
	assert.equal(fired, 1, 'nothing new, no change event');
	store.applyProgress([checkResult('b', 'pass')]);
	assert.equal(store.running.size, 0);
	assert.equal(store.isRunning, true, 'every check has shown, but the run has not ended');
	store.finishRun({ kind: 'stopped' });
	assert.equal(store.isRunning, false);
	assert.equal(store.results.get('b')?.status, 'pass', 'a stopped run keeps what its progress showed');
	const stopped = describeOutcome({ kind: 'stopped' });
	assert.equal(stopped.severity, 'warning');
	assert.match(stopped.text, /stopped.*run it again/);
});
