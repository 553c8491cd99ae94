import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filesToPrune } from '../../src/diagnosis/resultFiles';

test('only names that start with "diagnosis-" and end as a result, temporary or progress file are pruned or counted', () => {
	const names = [
		'old-diagnosis-2026-12-01T01-00-00-000Z-a.json',
		'diagnosis-2026-12-01T10-00-00-000Z-b.json',
		'backup-diagnosis-2026-12-01T10-00-00-000Z-b.json.12.tmp',
		'diagnosis-2026-12-01T10-00-00-000Z-b.json.12.tmp.keep',
		'my-diagnosis-2026-12-01T10-00-00-000Z-b.progress.jsonl',
		'diagnosis-2026-12-01T10-00-00-000Z-b.progress.jsonl.bak',
	];
	// Only one real result: it is the newest, so it stays; nothing else is the run's.
	assert.deepEqual(filesToPrune(names, 1), []);
});

test('stale temporary and progress files are listed in name order, whatever order the folder gave', () => {
	const names = [
		'diagnosis-2026-12-01T11-00-00-000Z-c.progress.jsonl',
		'diagnosis-2026-12-01T11-00-00-000Z-c.json.9.tmp',
		'diagnosis-2026-12-01T08-00-00-000Z-a.json.4242.tmp',
	];
	assert.deepEqual(filesToPrune(names, 5), [
		'diagnosis-2026-12-01T08-00-00-000Z-a.json.4242.tmp',
		'diagnosis-2026-12-01T11-00-00-000Z-c.json.9.tmp',
		'diagnosis-2026-12-01T11-00-00-000Z-c.progress.jsonl',
	]);
});
