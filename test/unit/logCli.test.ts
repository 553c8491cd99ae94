import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findMessage } from '../../src/checks/catalogue';
import { runScanCli } from '../../src/server/cli';

const dir = mkdtempSync(join(tmpdir(), 'pad-logcli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const clean = join(dir, 'clean.log');
writeFileSync(clean, '[15:16:14.580] [ 16] [INFO ] Starting\r\n[15:16:14.581] [ 16] [INFO ] Done\r\n');
const failing = join(dir, 'failing.log');
writeFileSync(
	failing,
	'[15:16:14.580] [ 16] [INFO ] Starting\r\n😀 [15:16:14.583] [ 16] [ERROR] Failed changing Windows service credentials to gMSA.\r\n[0A1C:0B2C][2021-09-15T10:15:42]e000: Error 0x80070643: Failed to install MSI package.',
);
const portal = join(dir, 'portal.txt');
writeFileSync(portal, 'HybridIdentityServiceNoActiveAgents\n');

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
	let out = '';
	let err = '';
	const code = await runScanCli(argv, (s) => (out += s), (s) => (err += s));
	return { code, out, err };
}

test('scan: nothing found is exit 0 and no output', async () => {
	assert.deepEqual(await run(clean), { code: 0, out: '', err: '' });
	assert.deepEqual(await run('--json', clean), { code: 0, out: '[]\n', err: '' });
});

test('scan: findings are exit 1, one line each: file:line:col code message (1-based, UTF-16 columns)', async () => {
	const r = await run(clean, failing);
	assert.equal(r.code, 1);
	assert.equal(r.err, '');
	const gmsa = findMessage('gmsa-credentials-failed')!;
	const msi = findMessage('msi-install-failure-0x80070643')!;
	assert.equal(
		r.out,
		`${failing}:2:33 ${gmsa.causes[0].failure} ${gmsa.text}\n` + `${failing}:3:45 ${msi.causes[0].failure} ${msi.text}\n`,
	);
});

test('scan --json: one JSON array of the findings of every file', async () => {
	const r = await run(failing, '--json', portal);
	assert.equal(r.code, 1);
	const parsed = JSON.parse(r.out) as { file: string; line: number; column: number; endColumn: number; code: string; messageId: string; failureIds: string[]; severity: string; message: string }[];
	assert.deepEqual(parsed.map((f) => [f.file, f.line, f.column, f.messageId, f.code]), [
		[failing, 2, 33, 'gmsa-credentials-failed', 'logon-right-missing-service-account'],
		[failing, 3, 45, 'msi-install-failure-0x80070643', 'setup-log-install-failure'],
		[portal, 1, 1, 'portal-no-active-agents', 'service-stopped'],
	]);
	assert.equal(parsed[2].endColumn, 1 + 'HybridIdentityServiceNoActiveAgents'.length);
	assert.equal(parsed[0].severity, 'error');
	assert.deepEqual(parsed[0].failureIds, findMessage('gmsa-credentials-failed')!.causes.map((c) => c.failure));
});

test('scan: errors are exit 2 with a clear message: no file, an unknown option, a missing file, a directory', async () => {
	const none = await run();
	assert.equal(none.code, 2);
	assert.match(none.err, /no file given/);
	assert.match(none.err, /usage: scan FILE\.\.\. \[--json\]/);
	const option = await run('--jsn', clean);
	assert.equal(option.code, 2);
	assert.match(option.err, /unknown option --jsn/);
	const missing = await run(join(dir, 'missing.log'), failing);
	assert.equal(missing.code, 2, 'an error wins over findings');
	assert.match(missing.err, /cannot read .*missing\.log: no such file/);
	assert.match(missing.out, /gmsa-credentials-failed|logon-right-missing-service-account/, 'the other files are still scanned');
	const sub = join(dir, 'sub');
	mkdirSync(sub);
	const directory = await run(sub);
	assert.equal(directory.code, 2);
	assert.match(directory.err, /cannot read .*sub: is a directory/);
	const dash = await run('--', '--json');
	assert.equal(dash.code, 2, 'after -- a name is a file');
	assert.match(dash.err, /cannot read --json/);
});
