import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fsModule from 'node:fs';
import { mkdtempSync, openSync, closeSync, readdirSync, rmSync, writeFileSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { readResultFromDisk, ResultFileRefused } from '../../src/diagnosis/resultWaiter';

const dir = mkdtempSync(path.join(tmpdir(), 'pad-guard-'));
const linux = process.platform === 'linux';

test('a result of a few megabytes is read with the default limit', async () => {
	const file = path.join(dir, 'big.json');
	const text = `"${'x'.repeat(3 * 1024 * 1024)}"`;
	writeFileSync(file, text);
	assert.equal(await readResultFromDisk(file), text);
});

test('a socket at the result path is refused before anything opens it', { skip: !linux }, async () => {
	const file = path.join(dir, 'sock.json');
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(file, resolve));
	try {
		await assert.rejects(readResultFromDisk(file), (e: unknown) => e instanceof ResultFileRefused && /is not a regular file/.test(e.message));
	} finally {
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
});

test('a FIFO swapped in after the first look is refused at once, not waited on', { skip: !linux }, async () => {
	const file = path.join(dir, 'swap.json');
	writeFileSync(file, '{}');
	const promises = fsModule.promises;
	const realStat = promises.stat;
	promises.stat = (async (...args: Parameters<typeof realStat>) => {
		const stat = await realStat(...args);
		rmSync(file);
		execFileSync('mkfifo', [file]);
		return stat;
	}) as typeof realStat;
	let timer: NodeJS.Timeout | undefined;
	try {
		const outcome = await Promise.race([
			readResultFromDisk(file).then(
				(text) => ({ text }),
				(error: unknown) => ({ error }),
			),
			new Promise<'hung'>((resolve) => {
				timer = setTimeout(() => resolve('hung'), 1500);
			}),
		]);
		if (outcome === 'hung') {
			// Let the blocked open go so the test process can end.
			closeSync(openSync(file, constants.O_WRONLY | constants.O_NONBLOCK));
		}
		assert.ok(typeof outcome === 'object' && 'error' in outcome && outcome.error instanceof ResultFileRefused, `got ${JSON.stringify(outcome)}`);
		assert.match((outcome.error as Error).message, /is not a regular file/);
	} finally {
		clearTimeout(timer);
		promises.stat = realStat;
	}
});

test('the file is closed after each read', { skip: !linux }, async () => {
	const ok = path.join(dir, 'ok.json');
	writeFileSync(ok, '{"ok":true}');
	const before = readdirSync('/proc/self/fd').length;
	for (let i = 0; i < 20; i++) {
		assert.equal(await readResultFromDisk(ok), '{"ok":true}');
	}
	assert.equal(readdirSync('/proc/self/fd').length, before);
});
