import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { readResultFromDisk, waitForResultFile } from '../../src/diagnosis/resultWaiter';

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

test('takes one last look after a cancel: a file that lands between the two reads is the result', async () => {
	const reads: string[] = [];
	const readFile = async (file: string): Promise<string> => {
		reads.push(file);
		if (reads.length === 1) {
			throw Object.assign(new Error('not yet'), { code: 'ENOENT' });
		}
		return '{"late":true}';
	};
	const outcome = await waitForResultFile('result.json', { timeoutMs: 5000, pollMs: 1000, cancelled: Promise.resolve('terminalClosed'), readFile });
	assert.deepEqual(outcome, { kind: 'file', text: '{"late":true}' });
	assert.equal(reads.length, 2);
});

test('a read error other than "not there yet" is not swallowed', async () => {
	const readFile = async (): Promise<string> => {
		throw Object.assign(new Error('disk on fire'), { code: 'EIO' });
	};
	await assert.rejects(waitForResultFile('result.json', { timeoutMs: 5000, readFile }), /disk on fire/);
});

test('a file that is briefly locked (EBUSY, EPERM, EACCES) is read again on the next poll', async () => {
	for (const code of ['EBUSY', 'EPERM', 'EACCES', 'ENOENT']) {
		let reads = 0;
		const readFile = async (): Promise<string> => {
			reads++;
			if (reads === 1) {
				throw Object.assign(new Error(code), { code });
			}
			return 'ok';
		};
		assert.deepEqual(await waitForResultFile('r.json', { timeoutMs: 5000, pollMs: 5, readFile }), { kind: 'file', text: 'ok' }, code);
		assert.equal(reads, 2, code);
	}
});

test('the last wait before the deadline is cut to the time left, not a whole poll interval', async () => {
	const started = Date.now();
	const never = async (): Promise<string> => {
		throw Object.assign(new Error('no'), { code: 'ENOENT' });
	};
	assert.deepEqual(await waitForResultFile('r.json', { timeoutMs: 100, pollMs: 10000, readFile: never }), { kind: 'timeout' });
	assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
});

test('a directory at the result path ends the wait with the reason, not a throw', async () => {
	const file = path.join(dir, 'is-a-dir.json');
	mkdirSync(file);
	const outcome = await waitForResultFile(file, { timeoutMs: 2000, pollMs: 20 });
	assert.deepEqual(outcome, { kind: 'refused', reason: `${file} is not a regular file` });
});

test('a FIFO at the result path ends the wait at once, never opened (opening would wait for a writer)', { skip: process.platform === 'win32' ? 'no FIFOs on Windows' : false }, async () => {
	const file = path.join(dir, 'fifo.json');
	execFileSync('mkfifo', [file]);
	const started = Date.now();
	const outcome = await waitForResultFile(file, { timeoutMs: 5000, pollMs: 20 });
	assert.equal(outcome.kind, 'refused');
	assert.ok(Date.now() - started < 2000, 'no hang on the FIFO');
});

test('a file larger than a result can be is refused with its size; one of exactly the limit is read', async () => {
	const file = path.join(dir, 'big.json');
	writeFileSync(file, 'x'.repeat(101));
	const outcome = await waitForResultFile(file, { timeoutMs: 2000, pollMs: 20, maxBytes: 100 });
	assert.deepEqual(outcome, { kind: 'refused', reason: `${file} is 101 bytes, more than a result can be (100)` });
	writeFileSync(file, 'y'.repeat(100));
	assert.equal(await readResultFromDisk(file, 100), 'y'.repeat(100));
	await assert.rejects(readResultFromDisk(path.join(dir, 'missing.json')), { code: 'ENOENT' });
});
