import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCheckProgress } from '../../src/checks/resultSchema';
import { checkResult } from './fixtures';

test('compiling the progress validator warns about nothing (its schema uses union types on purpose)', () => {
	const warnings: unknown[] = [];
	const original = console.warn;
	const originalLog = console.log;
	console.warn = (...args: unknown[]) => void warnings.push(args);
	console.log = (...args: unknown[]) => void warnings.push(args);
	try {
		// The first call in this process compiles the validator.
		assert.equal(parseCheckProgress(`${JSON.stringify(checkResult('service.state', 'pass'))}\n`).checks.length, 1);
	} finally {
		console.warn = original;
		console.log = originalLog;
	}
	assert.deepEqual(warnings, []);
});

test('only a byte order mark that opens a line is dropped; one inside a value is kept', () => {
	const line = JSON.stringify(checkResult('service.state', 'pass', [], { caption: 'a\uFEFFb' }));
	const parsed = parseCheckProgress(`${line}\n\uFEFF${line}\n`);
	assert.equal(parsed.skipped, 0);
	assert.deepEqual(
		parsed.checks.map((c) => c.evidence.caption),
		['a\uFEFFb', 'a\uFEFFb'],
	);
});
