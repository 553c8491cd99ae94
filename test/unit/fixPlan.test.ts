import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CheckResult, Fix } from '../../src/checks/types';
import { planFix } from '../../src/fixes/fixPlan';
import { checks, findFix } from '../../src/checks/catalogue';
import { buildScriptInvocation } from '../../src/terminal/quoting';
import { checkResult } from './fixtures';

const scriptOf = (fix: Fix) => `C:\\ext\\dist\\powershell\\catalogue\\${fix.script.replace(/\//g, '\\')}`;
const logon = 'service.logon-right';

function results(...list: CheckResult[]): Map<string, CheckResult> {
	return new Map(list.map((r) => [r.id, r]));
}

/** The seed's 7041 case: the service account lacks Log on as a service, no GPO sets the right. */
const missingRight = checkResult(logon, 'fail', ['logon-right-missing-service-account'], {
	account: 'NT SERVICE\\AADConnectProvisioningAgent',
	accountListed: false,
});

test('a fix the latest result offers is planned with its values, its effect and the exact command', () => {
	const plan = planFix(logon, 'grant-logon-as-service', results(missingRight), scriptOf, true);
	assert.ok(plan.ok);
	const expected = buildScriptInvocation('C:\\ext\\dist\\powershell\\catalogue\\fixes\\grant-logon-as-service.ps1', [['Account', 'NT SERVICE\\AADConnectProvisioningAgent']]);
	assert.equal(plan.command.commandLine, expected);
	assert.equal(plan.command.ready, true);
	assert.equal(plan.needsElevation, false);
	assert.equal(plan.confirmation.message, 'Run "Grant Log on as a service to the service account"? It changes this system.');
	const detail = plan.confirmation.detail.split('\n');
	assert.match(detail[0], /^What will change: Adds the account to the holders of Log on as a service/);
	assert.ok(detail.includes('  -Account: NT SERVICE\\AADConnectProvisioningAgent'), 'the value the effect applies to');
	assert.ok(plan.confirmation.detail.includes('Before you run it: When a Group Policy sets Log on as a service'), 'the caveat');
	assert.equal(detail[detail.length - 1], expected, 'the command is shown last, as it will be sent');
	assert.equal(detail[detail.length - 2], 'The command:');
});

test('a change from a terminal the result says is not elevated is flagged; unknown elevation is not', () => {
	const plan = planFix(logon, 'grant-logon-as-service', results(missingRight), scriptOf, false);
	assert.ok(plan.ok && plan.needsElevation);
	assert.match(plan.confirmation.detail, /ran without Administrator rights/);
	for (const elevated of [true, null, undefined]) {
		const p = planFix(logon, 'grant-logon-as-service', results(missingRight), scriptOf, elevated);
		assert.ok(p.ok && !p.needsElevation, String(elevated));
		assert.doesNotMatch(p.confirmation.detail, /Administrator rights/);
	}
	// A read-only fix never needs it.
	const readOnly = planFix(logon, 'open-secpol', results(checkResult(logon, 'fail', ['logon-right-missing-all-services'])), scriptOf, false);
	assert.ok(readOnly.ok && !readOnly.needsElevation);
	assert.match(readOnly.confirmation.message, /It is read-only\.$/);
	assert.match(readOnly.confirmation.detail, /^Read-only: /);
});

test('nothing is planned for an unknown id, a check without result, or a fix the latest result does not offer', () => {
	const cases: Array<[string, string, Map<string, CheckResult>, RegExp]> = [
		['no.such-check', 'grant-logon-as-service', results(missingRight), /no check "no.such-check"/],
		[logon, 'no-such-fix', results(missingRight), /no fix "no-such-fix"/],
		[logon, 'grant-logon-as-service', results(), /has no result yet/],
		// The right was granted since: the panel may still show the old fix, the plan refuses it.
		[logon, 'grant-logon-as-service', results(checkResult(logon, 'pass')), /does not call for/],
		// Another check's fix, asked for through this check.
		[logon, 'add-kds-root-key', results(missingRight), /does not call for/],
		// A fix of this check, but not of the failure found now.
		[logon, 'grant-logon-as-service', results(checkResult(logon, 'fail', ['logon-right-missing-all-services'])), /does not call for/],
	];
	for (const [checkId, fixId, map, reason] of cases) {
		const plan = planFix(checkId, fixId, map, scriptOf, true);
		assert.equal(plan.ok, false, `${checkId} ${fixId}`);
		assert.match((plan as { reason: string }).reason, reason);
	}
});

test('a required value the evidence lacks, or one the terminal would take as keystrokes, leaves the fix not ready', () => {
	for (const account of [undefined, 'CONTOSO\\svc\u0003$', 'CONTOSO\\svc\r\nStop-Computer']) {
		const evidence: Record<string, string> = account === undefined ? {} : { account };
		const plan = planFix(logon, 'grant-logon-as-service', results(checkResult(logon, 'fail', ['logon-right-missing-service-account'], evidence)), scriptOf, true);
		assert.ok(plan.ok);
		assert.equal(plan.command.ready, false, JSON.stringify(account));
		assert.deepEqual(plan.command.missing, ['Account']);
		assert.doesNotMatch(plan.command.commandLine, /Stop-Computer/);
	}
});

test('the confirmation reads line by line: effect, values, where to run, caveat, elevation, command', () => {
	const plan = planFix(logon, 'grant-logon-as-service', results(missingRight), scriptOf, false);
	assert.ok(plan.ok);
	const fix = plan.fix;
	assert.equal(
		plan.confirmation.detail,
		[
			`What will change: ${fix.effect}`,
			'',
			'With these values (from this diagnosis):',
			'  -Account: NT SERVICE\\AADConnectProvisioningAgent',
			'',
			`Before you run it: ${fix.caveat}`,
			'',
			'The diagnosis ran without Administrator rights, so this change would be refused in that terminal.',
			'',
			'The command:',
			plan.command.commandLine,
		].join('\n'),
	);
	// No values and no caveat: neither heading appears.
	const secpol = planFix(logon, 'open-secpol', results(checkResult(logon, 'fail', ['logon-right-missing-all-services'])), scriptOf, true);
	assert.ok(secpol.ok);
	assert.equal(secpol.confirmation.detail, [`Read-only: ${secpol.fix.effect}`, '', 'The command:', secpol.command.commandLine].join('\n'));
});

test('a fix that must run on another computer says where, before the command', () => {
	const offered = checks.flatMap((c) => c.failures.map((f) => ({ check: c, failure: f })))
		.flatMap(({ check, failure }) => failure.fixIds.map((fixId) => ({ check, failure, fix: findFix(fixId)! })))
		.find(({ fix }) => fix.runOn && fix.parameters.every((p) => !p.required));
	assert.ok(offered, 'the catalogue has a fix with runOn and no required parameter');
	const plan = planFix(offered.check.id, offered.fix.id, results(checkResult(offered.check.id, offered.failure.severity, [offered.failure.id])), scriptOf, true);
	assert.ok(plan.ok);
	assert.ok(plan.confirmation.detail.includes(`\n\nRun it on: ${offered.fix.runOn}. Run it here only if this terminal is on such a computer; otherwise copy it.\n`), plan.confirmation.detail);
});
