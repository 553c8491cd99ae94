import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCheckProgress, parseDiagnosisResult } from '../../src/checks/resultSchema';
import { checkResult, sampleResult } from './fixtures';

const valid = sampleResult([
	checkResult('server.os-version', 'pass', [], { caption: 'Windows Server 2019', buildNumber: 17763 }),
	checkResult('network.endpoints', 'fail', ['endpoint-unreachable'], { endpoints: [{ host: 'login.windows.net', port: 443, status: 'timeout' }], total: 6 }),
]);

test('a valid result parses, with or without a BOM', () => {
	const parsed = parseDiagnosisResult(JSON.stringify(valid));
	assert.ok(parsed.ok);
	assert.equal(parsed.ok && parsed.result.checks[1].failureIds[0], 'endpoint-unreachable');
	assert.ok(parseDiagnosisResult('\uFEFF' + JSON.stringify(valid)).ok);
});

test('empty, truncated and non-JSON files are malformed with a reason', () => {
	for (const [text, reason] of [
		['', /empty/],
		['{"schemaVersion": 1, "checks": [', /not valid JSON/],
		['<html>', /not valid JSON/],
	] as const) {
		const parsed = parseDiagnosisResult(text);
		assert.equal(parsed.ok, false);
		assert.match(!parsed.ok ? parsed.reason : '', reason);
	}
});

test('schema violations name the offending field', () => {
	const cases: Array<[unknown, RegExp]> = [
		[{ ...valid, schemaVersion: 2 }, /schemaVersion/],
		[{ ...valid, checks: [{ ...valid.checks[0], status: 'ok' }] }, /\/checks\/0\/status/],
		[{ ...valid, checks: [{ ...valid.checks[0], failureIds: 'x' }] }, /failureIds/],
		[{ ...valid, host: { ...valid.host, isWindows: 'yes' } }, /isWindows/],
		[{ ...valid, fatal: { code: 'boom', message: 'x' } }, /fatal/],
		[{ ...valid, checks: [{ ...valid.checks[0], evidence: { deep: { a: { b: 1 } } } }] }, /evidence/],
		[(() => { const { checks: _c, ...rest } = valid; return rest; })(), /checks/],
		// Every field of a check is required, error and durationMs too (null and a number when there is nothing to say).
		[{ ...valid, checks: [(() => { const { error: _e, ...rest } = valid.checks[0]; return rest; })()] }, /error/],
		[{ ...valid, checks: [(() => { const { durationMs: _d, ...rest } = valid.checks[0]; return rest; })()] }, /durationMs/],
	];
	for (const [data, pattern] of cases) {
		const parsed = parseDiagnosisResult(JSON.stringify(data));
		assert.equal(parsed.ok, false, JSON.stringify(data).slice(0, 80));
		assert.match(!parsed.ok ? parsed.reason : '', pattern);
	}
});

test('the reason lists every violation, each with its place, joined by "; "', () => {
	const bad = { ...valid, checks: [{ ...valid.checks[0], status: 'ok' }, { ...valid.checks[1], durationMs: 'slow' }] };
	const parsed = parseDiagnosisResult(JSON.stringify(bad));
	assert.equal(parsed.ok, false);
	const reason = !parsed.ok ? parsed.reason : '';
	assert.match(reason, /\/checks\/0\/status must be equal to one of the allowed values/);
	assert.match(reason, /; .*\/checks\/1\/durationMs must be number/);
	const root = parseDiagnosisResult(JSON.stringify([1]));
	assert.match(!root.ok ? root.reason : '', /\(root\) must be object/);
});

test('only a leading BOM is dropped; text of only white space is empty', () => {
	const withMark = sampleResult([checkResult('server.os-version', 'pass', [], { caption: 'a\uFEFFb' })]);
	const parsed = parseDiagnosisResult(JSON.stringify(withMark));
	assert.ok(parsed.ok);
	assert.equal(parsed.ok && parsed.result.checks[0].evidence.caption, 'a\uFEFFb');
	const blank = parseDiagnosisResult(' \r\n\t ');
	assert.equal(blank.ok, false);
	assert.match(!blank.ok ? blank.reason : '', /empty/);
});

test('at most five violations are listed, so the message stays readable', () => {
	const many = { ...valid, checks: Array.from({ length: 7 }, (_, i) => ({ ...valid.checks[0], id: `c${i}`, status: 'ok' })) };
	const parsed = parseDiagnosisResult(JSON.stringify(many));
	assert.equal(!parsed.ok && parsed.reason.split('; ').length, 5);
});

test('progress lines: complete valid lines are taken, a line still being written waits, bad lines are skipped', () => {
	const [a, b] = valid.checks;
	const line = (x: unknown) => `${JSON.stringify(x)}\n`;
	assert.deepEqual(parseCheckProgress(''), { checks: [], skipped: 0 });
	assert.deepEqual(parseCheckProgress(line(a) + line(b)), { checks: [a, b], skipped: 0 });
	// The second line has no line break yet: the writer is in the middle of it.
	assert.deepEqual(parseCheckProgress(line(a) + JSON.stringify(b)), { checks: [a], skipped: 0 });
	assert.deepEqual(parseCheckProgress(line(a) + JSON.stringify(b).slice(0, 20)), { checks: [a], skipped: 0 });
	// Not JSON, not a check result (a missing field, a wrong status), blank lines, CRLF and a BOM.
	const text = `\uFEFF${JSON.stringify(a)}\r\n{oops\n${line({ ...b, status: 'great' })}${line({ id: 'x' })}\n   \n${line(b)}`;
	assert.deepEqual(parseCheckProgress(text), { checks: [a, b], skipped: 3 });
});
