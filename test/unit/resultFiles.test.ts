import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filesToPrune } from '../../src/diagnosis/resultFiles';

test('keeps the newest results, deletes older ones and every temporary file a killed run left', () => {
	const names = [
		'diagnosis-2026-12-01T10-00-00-000Z-aaaa0001.json',
		'diagnosis-2026-12-01T09-00-00-000Z-aaaa0002.json',
		'diagnosis-2026-12-01T11-00-00-000Z-aaaa0003.json',
		'diagnosis-2026-12-01T08-00-00-000Z-aaaa0004.json.4242.tmp',
		'diagnosis-2026-12-01T11-00-00-000Z-aaaa0003.json.17.tmp',
		'notes.txt',
		'diagnosis-report.md',
	];
	assert.deepEqual(filesToPrune(names, 2), [
		'diagnosis-2026-12-01T09-00-00-000Z-aaaa0002.json',
		'diagnosis-2026-12-01T08-00-00-000Z-aaaa0004.json.4242.tmp',
		'diagnosis-2026-12-01T11-00-00-000Z-aaaa0003.json.17.tmp',
	]);
	// A temporary file does not take the place of a kept result.
	assert.deepEqual(filesToPrune(names.slice(0, 3), 3), []);
	assert.deepEqual(filesToPrune(names.slice(0, 3), 0).length, 3);
	assert.deepEqual(filesToPrune([], 10), []);
});

test('a progress file left by a killed run is deleted; it never counts as a kept result', () => {
	const names = ['diagnosis-2026-12-01T10-00-00-000Z-aaaa0001.json', 'diagnosis-2026-12-01T10-00-00-000Z-aaaa0001.progress.jsonl', 'diagnosis-x.jsonl', 'progress.jsonl'];
	assert.deepEqual(filesToPrune(names, 1), ['diagnosis-2026-12-01T10-00-00-000Z-aaaa0001.progress.jsonl']);
});
