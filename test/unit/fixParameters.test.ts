import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveFixParameters } from '../../src/checks/fixParameters';
import type { CheckResult, Fix } from '../../src/checks/types';
import { checkResult } from './fixtures';

const fix: Fix = {
	id: 'sample',
	title: 'Sample',
	script: 'fixes/sample.ps1',
	changesSystem: true,
	effect: 'Changes a thing.',
	parameters: [
		{ name: 'Account', description: 'The account', required: true, from: { check: 'a.one', evidence: 'account' } },
		{ name: 'Sid', description: 'Its SID', required: false, from: { check: 'a.two', evidence: 'sid' } },
		{ name: 'Note', description: 'Typed by the admin', required: false },
	],
	sources: [],
};

const results = (...list: CheckResult[]) => new Map(list.map((r) => [r.id, r]));

test('parameters are filled from the evidence of the checks they name', () => {
	const resolved = resolveFixParameters(fix, results(checkResult('a.one', 'fail', [], { account: 'CONTOSO\\svc$' }), checkResult('a.two', 'pass', [], { sid: 'S-1-5-21-1-2-3-1105' })));
	assert.deepEqual(resolved, { values: { Account: 'CONTOSO\\svc$', Sid: 'S-1-5-21-1-2-3-1105' }, missing: [], ready: true });
});

test('a required parameter without scalar evidence is missing, and the fix is not ready', () => {
	for (const account of [undefined, null, '', '  ', ['a', 'b']]) {
		const evidence = account === undefined ? {} : { account };
		const resolved = resolveFixParameters(fix, results(checkResult('a.one', 'fail', [], evidence as CheckResult['evidence'])));
		assert.deepEqual(resolved.missing, ['Account'], JSON.stringify(account));
		assert.equal(resolved.ready, false);
		assert.equal('Account' in resolved.values, false);
	}
	const optional = resolveFixParameters(fix, results(checkResult('a.one', 'fail', [], { account: 'x' })));
	assert.deepEqual(optional, { values: { Account: 'x' }, missing: [], ready: true });
	assert.deepEqual(resolveFixParameters({ ...fix, parameters: [] }, new Map()), { values: {}, missing: [], ready: true });
});

test('evidence values a parameter accepts: non-blank text, numbers (0 too) and booleans (false too)', () => {
	const typed: Fix = {
		...fix,
		parameters: [
			{ name: 'Text', description: 't', required: true, from: { check: 'a.one', evidence: 'text' } },
			{ name: 'Zero', description: 'z', required: true, from: { check: 'a.one', evidence: 'zero' } },
			{ name: 'No', description: 'n', required: true, from: { check: 'a.one', evidence: 'no' } },
			{ name: 'Blank', description: 'b', required: true, from: { check: 'a.one', evidence: 'blank' } },
			{ name: 'List', description: 'l', required: true, from: { check: 'a.one', evidence: 'list' } },
		],
	};
	const r = resolveFixParameters(typed, results(checkResult('a.one', 'fail', [], { text: 'x', zero: 0, no: false, blank: '  ', list: ['a'] })));
	assert.deepEqual(r, { values: { Text: 'x', Zero: 0, No: false }, missing: ['Blank', 'List'], ready: false });
});
