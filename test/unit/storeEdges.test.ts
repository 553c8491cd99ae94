import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ResultsStore, type RunHistory } from '../../src/diagnosis/resultsStore';
import type { RunRecord } from '../../src/diagnosis/runChanges';
import { checkResult, sampleResult } from './fixtures';

const report = { fileName: 'report.json', computerName: 'CORE01', finishedAt: '2026-11-26T07:10:00.000Z', redacted: false };

/** Keeps the last record it was given, as the extension's global state does. */
function memoryHistory(): RunHistory & { saved: RunRecord[] } {
	const saved: RunRecord[] = [];
	return { saved, load: () => saved[saved.length - 1], save: (r) => void saved.push(r) };
}

test('a new store is not running: a report opens at once', () => {
	const store = new ResultsStore();
	assert.equal(store.isRunning, false);
	store.openReport(sampleResult([checkResult('service.state', 'pass')]), report);
	assert.equal(store.report, report);
	assert.equal(store.results.get('service.state')?.status, 'pass');
});

test('a check whose status is the same as last time loses the mark an earlier run gave it', () => {
	const h = memoryHistory();
	const store = new ResultsStore(h);
	const run = (status: 'pass' | 'fail', at: string): void => {
		store.markRunning(['service.state']);
		store.finishRun({ kind: 'completed', result: sampleResult([checkResult('service.state', status)], { finishedAt: at }) });
	};
	run('fail', '2026-11-26T07:00:00.000Z');
	run('pass', '2026-11-26T08:00:00.000Z');
	assert.equal(store.changes.get('service.state')?.kind, 'fixed');
	run('pass', '2026-11-26T09:00:00.000Z');
	assert.equal(store.changes.has('service.state'), false, 'passing twice is no change');
	assert.equal(store.changes.size, 0);
});

test('a run that stopped on a fatal error is not saved as this server\'s last run', () => {
	const h = memoryHistory();
	const store = new ResultsStore(h);
	store.markRunning(['service.state']);
	store.finishRun({ kind: 'completed', result: sampleResult([], { fatal: { code: 'unexpected', message: 'boom' } }) });
	assert.equal(h.saved.length, 0);
	store.markRunning(['service.state']);
	store.finishRun({ kind: 'completed', result: sampleResult([checkResult('service.state', 'pass')]) });
	assert.equal(h.saved.length, 1);
});

test('a run that ends without a result leaves no check running', () => {
	const store = new ResultsStore();
	store.markRunning(['service.state', 'service.logon-right']);
	assert.equal(store.running.size, 2);
	store.finishRun({ kind: 'stopped' });
	assert.equal(store.running.size, 0);
	assert.equal(store.isRunning, false);
});
