import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checks, findFailure, messages } from '../../src/checks/catalogue';
import { couldNotCheckNextStep, explain, fillTemplate, formatEvidenceValue, summarize } from '../../src/checks/explain';
import type { CheckDefinition, SourceLink } from '../../src/checks/types';
import { checkResult } from './fixtures';

const source: SourceLink = { id: 's', title: 'A page', url: 'https://learn.microsoft.com/x', publisher: 'microsoft' };

const check: CheckDefinition = {
	id: 'service.sample',
	category: 'service',
	title: 'Sample check',
	verifies: 'It verifies a thing.',
	probe: 'Test-PadSample',
	passText: 'Runs as {account}',
	notApplicableText: 'Not installed on {computer}',
	needsElevation: false,
	evidence: { account: 'Logon account', gpo: 'Group Policy object', dc: 'Domain controller' },
	notes: [
		{ when: { evidence: 'dc', equals: true }, text: 'This is a domain controller ({account}).', sources: [source] },
		{ text: 'Always shown.', sources: [source] },
	],
	failures: [
		{
			id: 'sample-missing',
			checkId: 'service.sample',
			severity: 'fail',
			title: 'Right missing',
			cause: '{account} lacks the right set by {gpo}.',
			steps: ['Edit {gpo}.', 'Run the check again.'],
			caveats: ['The next refresh of {gpo} wins.'],
			fixIds: [],
			sources: [source],
			unverified: 'Not stated.',
		},
	],
	sources: [source],
};

test('a failure is explained with the host values filled into cause, steps and caveats', () => {
	const e = explain(check, checkResult('service.sample', 'fail', ['sample-missing'], { account: 'CONTOSO\\svc$', gpo: 'Server Policy', dc: false }));
	assert.equal(e.summary, 'Right missing');
	assert.equal(e.failures.length, 1);
	const f = e.failures[0];
	assert.equal(f.cause, 'CONTOSO\\svc$ lacks the right set by Server Policy.');
	assert.deepEqual(f.steps, ['Edit Server Policy.', 'Run the check again.']);
	assert.deepEqual(f.caveats, ['The next refresh of Server Policy wins.']);
	assert.equal(f.unverified, 'Not stated.');
	assert.deepEqual(e.evidence.map((l) => [l.label, l.value]), [['Logon account', 'CONTOSO\\svc$'], ['Group Policy object', 'Server Policy'], ['Domain controller', 'false']]);
});

test('notes appear only when their evidence condition holds', () => {
	const onDc = explain(check, checkResult('service.sample', 'pass', [], { account: 'x', dc: true }));
	assert.deepEqual(onDc.notes.map((n) => n.text), ['This is a domain controller (x).', 'Always shown.']);
	const notDc = explain(check, checkResult('service.sample', 'pass', [], { account: 'x', dc: false }));
	assert.deepEqual(notDc.notes.map((n) => n.text), ['Always shown.']);
	const unknown = explain(check, checkResult('service.sample', 'pass', [], { account: 'x' }));
	assert.deepEqual(unknown.notes.map((n) => n.text), ['Always shown.'], 'a missing value does not satisfy a condition');
});

test('statuses give their summary; failures are explained only for fail, warning and unknown', () => {
	assert.equal(summarize(check, checkResult('service.sample', 'pass', [], { account: 'svc' })), 'Runs as svc');
	assert.equal(summarize(check, checkResult('service.sample', 'notApplicable', [], {})), 'Not installed on unknown');
	assert.equal(summarize(check, checkResult('service.sample', 'manual')), 'Confirm manually');
	assert.equal(explain(check, checkResult('service.sample', 'pass', ['sample-missing'], {})).failures.length, 0);
	assert.equal(explain(check, checkResult('service.sample', 'warning', ['sample-missing'], {})).failures.length, 1);
});

test('an unknown failure id is kept, not dropped, and an error comes with its next step', () => {
	const e = explain(check, checkResult('service.sample', 'unknown', ['from-a-newer-probe'], {}, 'Access is denied.'));
	assert.deepEqual(e.unknownFailureIds, ['from-a-newer-probe']);
	assert.match(e.summary, /Unrecognised finding "from-a-newer-probe"/);
	assert.deepEqual(e.error, { message: 'Access is denied.', nextStep: couldNotCheckNextStep });
	const noFindings = explain(check, checkResult('service.sample', 'unknown', [], {}, 'Timed out after 60 s'));
	assert.equal(noFindings.summary, 'Could not check: Timed out after 60 s');
});

test('evidence values are written as text the same way everywhere', () => {
	assert.equal(formatEvidenceValue(null), 'unknown');
	assert.equal(formatEvidenceValue(undefined), 'unknown');
	assert.equal(formatEvidenceValue([]), 'none');
	assert.equal(formatEvidenceValue(['a', 'b']), 'a, b');
	assert.equal(formatEvidenceValue([{ id: 7041, time: 't' }]), '7041 t');
	assert.equal(fillTemplate('{a} and {b}', { a: 1 }), '1 and unknown');
});

test('every catalogue failure explains itself with the messages that point to it', () => {
	for (const c of checks) {
		for (const failure of c.failures) {
			const e = explain(c, checkResult(c.id, failure.severity, [failure.id], {}));
			assert.equal(e.failures[0].id, failure.id);
			assert.ok(e.failures[0].steps.length > 0);
			for (const m of e.failures[0].messages) {
				assert.ok(m.finding === failure.id || m.causes.some((x) => x.failure === failure.id), `${failure.id}: ${m.id}`);
			}
		}
	}
});

test('array evidence: objects are written as their values, other items as text', () => {
	assert.equal(formatEvidenceValue([null, 'x', 3, true]), 'null, x, 3, true');
	assert.equal(formatEvidenceValue([{ host: 'h', port: 443 }, { host: 'g', port: 80 }]), 'h 443, g 80');
});

test('a failure lists every message that points to it, by finding or by cause', () => {
	for (const m of messages) {
		const named = new Set([...(m.finding ? [m.finding] : []), ...m.causes.map((c) => c.failure)]);
		for (const failureId of named) {
			const found = findFailure(failureId);
			assert.ok(found, `${m.id} names ${failureId}`);
			const e = explain(found.check, checkResult(found.check.id, found.failure.severity, [failureId], {}));
			assert.ok(e.failures[0].messages.some((x) => x.id === m.id), `${failureId} must list ${m.id}`);
		}
	}
});

test("a fix's parameters come from the explained result's own evidence even without the other results", () => {
	const logonRight = checks.find((c) => c.id === 'service.logon-right')!;
	const e = explain(logonRight, checkResult('service.logon-right', 'fail', ['logon-right-missing-service-account'], { account: 'CONTOSO\\svc$', accountSid: 'S-1-5-21-1-2-3-1105' }));
	const grant = e.failures[0].fixes.find((f) => f.fix.id === 'grant-logon-as-service');
	assert.ok(grant, 'the failure offers the grant fix');
	assert.equal(grant.parameters.values.Account, 'CONTOSO\\svc$');
	assert.equal(grant.parameters.values.AccountSid, 'S-1-5-21-1-2-3-1105');
	assert.equal(grant.parameters.ready, true);
});

test('failure ids of a passing or manual result are not explained, and manual steps appear only for manual results', () => {
	const pass = explain(check, checkResult('service.sample', 'pass', ['sample-missing'], { account: 'a' }));
	assert.deepEqual([pass.failures, pass.unknownFailureIds], [[], []]);
	const manualCheck: CheckDefinition = { ...check, manualSteps: ['Confirm it.'] };
	assert.deepEqual(explain(manualCheck, checkResult('service.sample', 'manual')).manualSteps, ['Confirm it.']);
	assert.deepEqual(explain(manualCheck, checkResult('service.sample', 'pass')).manualSteps, []);
	assert.deepEqual(explain(check, checkResult('service.sample', 'manual')).manualSteps, []);
	assert.equal(summarize(check, checkResult('service.sample', 'notApplicable')), 'Not installed on unknown');
	assert.equal(summarize({ ...check, notApplicableText: undefined }, checkResult('service.sample', 'notApplicable')), 'Not applicable');
	assert.equal(couldNotCheckNextStep, 'Fix what the message names (run the diagnosis elevated when it is about access), then run the check again.');
});

test('the summary of a result with neither failure ids nor an error names its status', () => {
	assert.equal(summarize(check, checkResult('service.sample', 'unknown')), 'Could not check');
	assert.equal(summarize(check, checkResult('service.sample', 'fail')), 'Failed');
	assert.equal(summarize(check, checkResult('service.sample', 'warning')), 'Warning');
	assert.equal(summarize(check, checkResult('service.sample', 'fail', ['sample-missing', 'other'])), 'Right missing (+1 more)');
});
