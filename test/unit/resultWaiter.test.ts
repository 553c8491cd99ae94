import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { waitForResultFile } from '../../src/diagnosis/resultWaiter';

const dir = mkdtempSync(path.join(tmpdir(), 'pad-wait-'));

test('resolves with the file once it is renamed into place', async () => {
	const file = path.join(dir, 'a.json');
	setTimeout(() => {
		writeFileSync(file + '.tmp', '{"ok":true}');
		renameSync(file + '.tmp', file);
	}, 100);
	const outcome = await waitForResultFile(file, { timeoutMs: 5000, pollMs: 20 });
	assert.deepEqual(outcome, { kind: 'file', text: '{"ok":true}' });
});

test('times out when nothing arrives, close to the limit', async () => {
	const started = Date.now();
	const outcome = await waitForResultFile(path.join(dir, 'never.json'), { timeoutMs: 200, pollMs: 20 });
	assert.deepEqual(outcome, { kind: 'timeout' });
	assert.ok(Date.now() - started < 1500);
});

test('stops early with the reason when cancelled, unless the file landed', async () => {
	const cancelled = new Promise<string>((resolve) => setTimeout(() => resolve('terminalClosed'), 50));
	assert.deepEqual(await waitForResultFile(path.join(dir, 'none.json'), { timeoutMs: 5000, pollMs: 20, cancelled }), { kind: 'cancelled', reason: 'terminalClosed' });
	const file = path.join(dir, 'late.json');
	writeFileSync(file, 'x');
	assert.deepEqual(await waitForResultFile(file, { timeoutMs: 5000, pollMs: 20, cancelled: Promise.resolve('terminalClosed') }), { kind: 'file', text: 'x' });
});
