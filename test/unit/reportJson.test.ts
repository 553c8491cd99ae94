import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findCheck } from '../../src/checks/catalogue';
import { summarize } from '../../src/checks/explain';
import { parseDiagnosisResult } from '../../src/checks/resultSchema';
import type { CheckResult, DiagnosisResult } from '../../src/checks/types';
import { createRedactor } from '../../src/report/redaction';
import { buildReport, maxReportTextLength, parseReport, REPORT_SCHEMA_VERSION, reportChecks, type DiagnosisReport } from '../../src/report/reportJson';
import { reportFixtureResult } from './fixtures/reportFixture';

const options = { generatedAt: new Date('2026-11-26T07:05:00Z'), extensionVersion: '0.1.0' };

function fixtureReport(): DiagnosisReport {
	return buildReport(reportFixtureResult(), options);
}

function reasonOf(text: string): string {
	const outcome = parseReport(text);
	assert.equal(outcome.ok, false, `expected a failure for ${text.slice(0, 80)}`);
	return outcome.ok ? '' : outcome.reason;
}

/** A report's JSON with one change made to the parsed object. */
function edited(change: (report: Record<string, unknown> & { result: Record<string, unknown> }) => void): string {
	const data = JSON.parse(JSON.stringify(fixtureReport())) as Record<string, unknown> & { result: Record<string, unknown> };
	change(data);
	return JSON.stringify(data);
}

test('a report has the format, tool, kind, time, version and the result it was built from', () => {
	const result = reportFixtureResult();
	const report = buildReport(result, options);
	assert.equal(REPORT_SCHEMA_VERSION, 1);
	assert.equal(report.reportSchemaVersion, 1);
	assert.equal(report.tool, 'provisioning-agent-doctor');
	assert.equal(report.kind, 'diagnosis-report');
	assert.equal(report.generatedAt, '2026-11-26T07:05:00.000Z');
	assert.equal(buildReport(result, { ...options, generatedAt: '2026-11-26T08:00:00+01:00' }).generatedAt, '2026-11-26T08:00:00+01:00');
	assert.equal(report.extensionVersion, '0.1.0');
	assert.equal(report.redacted, false);
	assert.deepEqual(report.result, result);
	assert.deepEqual(report.checks.map((c) => c.id), result.checks.map((c) => c.id), 'one derived entry per check, in the result\'s order');
});

test('the derived part names each check and failure as the catalogue does, with the host\'s values filled in', () => {
	const report = fixtureReport();
	const byId = new Map(report.checks.map((c) => [c.id, c]));
	const state = byId.get('service.state')!;
	const definition = findCheck('service.state')!;
	assert.equal(state.title, definition.title);
	assert.equal(state.category, 'service');
	assert.equal(state.status, 'fail');
	assert.equal(state.summary, summarize(definition, report.result.checks.find((c) => c.id === 'service.state')!));
	assert.equal(state.failures.length, 1);
	const failure = state.failures[0];
	const catalogueFailure = definition.failures.find((f) => f.id === 'service-stopped')!;
	assert.equal(failure.id, 'service-stopped');
	assert.equal(failure.title, catalogueFailure.title);
	assert.equal(failure.severity, 'fail');
	assert.ok(failure.cause && !failure.cause.includes('{'), `the cause is filled: ${failure.cause}`);
	assert.match(failure.cause, /Stopped/, 'the state from the evidence');
	assert.equal(failure.remediation.length, catalogueFailure.steps.length);
	assert.deepEqual(failure.sources, catalogueFailure.sources.map((s) => ({ title: s.title, url: s.url, publisher: s.publisher })));
	assert.deepEqual(state.evidence, report.result.checks.find((c) => c.id === 'service.state')!.evidence);
	assert.equal(state.error, null);

	const logon = byId.get('service.logon-right')!;
	assert.match(logon.failures[0].cause ?? '', /Contoso Tier-1 Server Hardening/, 'the GPO named in the cause');

	const passed = byId.get('server.os-version')!;
	assert.deepEqual(passed.failures, []);
	assert.match(passed.summary, /17763/);
	assert.equal(byId.get('permissions.tenant-role')!.summary, 'Confirm manually');
	assert.equal(byId.get('gmsa.kds-root-key')!.error, 'Get-KdsRootKey failed: the domain controller DC02.contoso.com (fd12:3456:789a:1::10) did not answer.');

	const unknown = byId.get('future.check')!;
	assert.equal(unknown.title, 'future.check', 'a check the catalogue does not know is titled by its id');
	assert.equal(unknown.category, null);
	assert.equal(unknown.summary, 'Unrecognised finding "made-up"');
	assert.deepEqual(unknown.failures, [{ id: 'made-up', title: 'Unrecognised finding "made-up"', remediation: [], caveats: [], sources: [] }]);
});

test('a redacted report holds the redacted result, and its derived texts carry the pseudonyms', () => {
	const result = reportFixtureResult();
	const redactor = createRedactor(result);
	const report = buildReport(result, { ...options, redact: redactor });
	assert.equal(report.redacted, true);
	assert.equal(report.result.host.computerName, 'server-1');
	assert.deepEqual(report.result, createRedactor(result).redactResult(result), 'a second redactor of the same result gives the same pseudonyms');
	const logon = report.checks.find((c) => c.id === 'service.logon-right')!;
	assert.match(logon.failures[0].cause ?? '', /gpo-1/);
	assert.doesNotMatch(JSON.stringify(report.checks), /contoso|Hardening|AGENT01/i);
	assert.equal(result.host.computerName, 'AGENT01', 'the result passed in is unchanged');
});

test('build, JSON.stringify, parseReport: every check, status, failure id and evidence value comes back', () => {
	for (const redact of [false, true]) {
		const result = reportFixtureResult();
		const report = buildReport(result, { ...options, redact: redact ? createRedactor(result) : undefined });
		const outcome = parseReport(JSON.stringify(report, null, '\t'));
		assert.ok(outcome.ok, outcome.ok ? '' : outcome.reason);
		assert.equal(outcome.source, 'report');
		assert.deepEqual(outcome.result, report.result);
		assert.deepEqual(outcome.report, JSON.parse(JSON.stringify(report)));
		for (const [i, check] of report.result.checks.entries()) {
			const back: CheckResult = outcome.result.checks[i];
			assert.equal(back.id, check.id);
			assert.equal(back.status, check.status);
			assert.deepEqual(back.failureIds, check.failureIds);
			assert.deepEqual(back.evidence, check.evidence);
			assert.equal(back.error, check.error);
		}
		assert.equal(outcome.report?.redacted, redact);
	}
});

test('a report or result file with a byte-order mark opens', () => {
	const report = fixtureReport();
	const fromReport = parseReport(`\uFEFF${JSON.stringify(report)}`);
	assert.ok(fromReport.ok && fromReport.source === 'report');
	const fromResult = parseReport(`\uFEFF${JSON.stringify(report.result)}`);
	assert.ok(fromResult.ok && fromResult.source === 'result');
});

test('a plain result file, as the entry script writes it, opens as a result', () => {
	const result = reportFixtureResult();
	const outcome = parseReport(JSON.stringify(result));
	assert.ok(outcome.ok, outcome.ok ? '' : outcome.reason);
	assert.equal(outcome.source, 'result');
	assert.equal(outcome.report, undefined);
	assert.deepEqual(outcome.result, result);
	const older = { ...result, parameters: { ...result.parameters, wizardAccount: undefined } };
	assert.ok(parseReport(JSON.stringify(older)).ok, 'a result of an older script, without wizardAccount');
});

test('a report whose derived checks disagree with its result opens from the result', () => {
	const result = reportFixtureResult();
	const text = edited((data) => {
		const checks = data.checks as { id: string; status: string; summary: string }[];
		checks[0].status = 'fail';
		checks[0].summary = 'edited by hand';
		checks.splice(1, 1);
		checks.push({ id: 'made.up', status: 'pass', summary: 'x' });
	});
	const outcome = parseReport(text);
	assert.ok(outcome.ok && outcome.covers === 'one', outcome.ok ? outcome.covers : outcome.reason);
	assert.deepEqual(outcome.result, result);
	assert.deepEqual(outcome.report?.checks, JSON.parse(JSON.stringify(reportChecks(result))), 'the derived part is written again from the result');
	assert.equal(outcome.report?.checks[0].status, 'pass');
	const withoutChecks = parseReport(edited((data) => delete data.checks));
	assert.ok(withoutChecks.ok && withoutChecks.covers === 'one' && withoutChecks.report?.checks.length === result.checks.length, 'even without a derived part');
});

test('empty, cut off and non-JSON files each say so, with what to do', () => {
	for (const empty of ['', '   \r\n\t', '\uFEFF']) {
		assert.equal(reasonOf(empty), 'The file is empty. Open the report (.json) that Provisioning Agent Doctor saved, or the result file its diagnosis script wrote.');
	}
	const text = JSON.stringify(fixtureReport(), null, 2);
	for (const length of [1, 2, 17, 100, Math.floor(text.length / 3), Math.floor(text.length / 2), text.length - 40, text.length - 2, text.length - 1]) {
		const reason = reasonOf(text.slice(0, length));
		assert.match(reason, /^The file looks cut off: its JSON ends before it is complete \(.+\)\. Copy the whole file again, or save a new report\.$/, `cut at ${length}: ${reason}`);
	}
	assert.match(reasonOf(JSON.stringify(fixtureReport().result).slice(0, 500)), /looks cut off/, 'a result file cut off');
	for (const junk of ['<html><body>Not found</body></html>', 'PS C:\\> Get-Content result.json', '{"tool": "provisioning-agent-doctor",}', 'nope']) {
		assert.match(reasonOf(junk), /^The file is not valid JSON, so it is not a diagnosis report or result \(.+\)\. Open the report/, junk);
	}
});

test('JSON that is not ours says so', () => {
	assert.match(reasonOf('[1, 2]'), /^The file holds a list, not a diagnosis report or result of Provisioning Agent Doctor\./);
	assert.match(reasonOf('42'), /^The file holds a number,/);
	assert.match(reasonOf('null'), /^The file holds null,/);
	assert.match(reasonOf('"text"'), /^The file holds a text,/);
	assert.match(reasonOf('true'), /^The file holds true or false,/);
	const notOurs = 'The file was not written by Provisioning Agent Doctor (it has no "tool": "provisioning-agent-doctor"). Open the report (.json) that Provisioning Agent Doctor saved, or the result file its diagnosis script wrote.';
	assert.equal(reasonOf('{"name": "package", "version": "1.0.0"}'), notOurs);
	assert.equal(reasonOf(JSON.stringify({ ...fixtureReport(), tool: 'other-tool' })), notOurs);
	assert.match(reasonOf(edited((data) => (data.kind = 'run-history'))), /^The file was written by Provisioning Agent Doctor, but it is a "run-history" file, not a diagnosis report or result\./);
});

test('a newer report format or result format asks for an update', () => {
	assert.equal(
		reasonOf(edited((data) => (data.reportSchemaVersion = 3))),
		'The report was written by a newer version of Provisioning Agent Doctor (report format 3); update the extension to open it.',
	);
	// Format 2 is a report on several servers: one server's result inside it is a damaged report, not a newer one.
	assert.match(reasonOf(edited((data) => (data.reportSchemaVersion = 2))), /^The report is a report on several servers, but the result inside it is not \(result format 1\)/);
	assert.equal(
		reasonOf(edited((data) => (data.result.schemaVersion = 3))),
		'The report holds a result written by a newer version of Provisioning Agent Doctor (result format 3); update the extension to open it.',
	);
	assert.equal(
		reasonOf(JSON.stringify({ ...reportFixtureResult(), schemaVersion: 3 })),
		"The result was written by a newer version of Provisioning Agent Doctor's diagnosis script (result format 3); update the extension to open it.",
	);
	assert.match(reasonOf(edited((data) => (data.reportSchemaVersion = 0))), /^The report has the format number 0, which no version of Provisioning Agent Doctor writes: it may have been edited or damaged\. Save a new report/);
	assert.match(reasonOf(edited((data) => (data.reportSchemaVersion = '2'))), /format number "2"/, 'a text is no newer format');
	assert.match(reasonOf(edited((data) => delete data.reportSchemaVersion)), /^The report has no format number \(reportSchemaVersion\)/);
});

test('a report whose result does not validate names the part that is wrong', () => {
	const status = reasonOf(edited((data) => ((data.result.checks as { status: string }[])[0].status = 'ok')));
	assert.match(status, /^The diagnosis result inside the report does not match the expected format: \/checks\/0\/status must be equal to one of the allowed values\. The report may have been edited or damaged\. Save a new report/);
	assert.match(reasonOf(edited((data) => delete data.result.host)), /inside the report .*must have required property 'host'/);
	assert.match(reasonOf(edited((data) => delete (data as Record<string, unknown>).result)), /^The report holds no diagnosis result \(its "result" part is missing\), so there is nothing to show\./);
	assert.match(reasonOf(edited((data) => (data.result = [] as unknown as Record<string, unknown>))), /its "result" part is a list/);
	assert.match(reasonOf(edited((data) => (data.generatedAt = 5))), /^The report is damaged or was edited: its "generatedAt" \(when it was saved\) is 5, not a date\./);
	assert.match(reasonOf(edited((data) => delete data.extensionVersion)), /its "extensionVersion" is missing/);
	assert.match(reasonOf(edited((data) => (data.redacted = 'yes'))), /its "redacted" is "yes", not true or false/);
	assert.match(reasonOf(edited((data) => delete data.kind)), /its "kind" is missing/);
	const plain = reasonOf(JSON.stringify({ ...reportFixtureResult(), fatal: { code: 'boom', message: 'x' } }));
	assert.match(plain, /^The result file does not match the expected format: \/fatal .*Run the diagnosis again to write a new result file\.$/);
});

test('a file larger than the limit is refused before it is read; one at the limit is read', () => {
	const reason = reasonOf(`{"a": "${'x'.repeat(maxReportTextLength)}"}`);
	assert.equal(maxReportTextLength, 20 * 1024 * 1024);
	assert.match(reason, /^The file is 20\.0 MB, more than the 20\.0 MB a diagnosis report can be, so it was not opened\. Open the report/);
	const text = JSON.stringify(fixtureReport());
	const atLimit = parseReport(text + ' '.repeat(maxReportTextLength - text.length));
	assert.ok(atLimit.ok, atLimit.ok ? '' : atLimit.reason);
});

test('hostile text in the evidence comes back as the same data', () => {
	const hostile = [
		'<script>alert(1)</script>',
		'[click](javascript:alert(1)) ![x](https://evil.example/x.png)',
		'| a | b |\n# heading\r\n```\n<img src=x onerror=alert(1)>',
		'\u0000\u0007\u001b[31m\u202e\uFEFF',
		'x'.repeat(200000),
	];
	const result = reportFixtureResult();
	const withHostile: DiagnosisResult = {
		...result,
		host: { ...result.host, computerName: hostile[0] },
		checks: result.checks.map((c, i) => (i === 0 ? { ...c, evidence: { ...c.evidence, user: hostile[1], list: hostile, objects: [{ text: hostile[2] }] }, error: hostile[3] } : c)),
	};
	const outcome = parseReport(JSON.stringify(buildReport(withHostile, options)));
	assert.ok(outcome.ok && outcome.covers === 'one', outcome.ok ? outcome.covers : outcome.reason);
	assert.deepEqual(outcome.result, withHostile);
	assert.equal(outcome.report?.checks[0].evidence.user, hostile[1]);
});

/** A small seeded generator, so a failure can be replayed. */
function generator(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

test('parseReport never throws: random text, mutated reports, junk in every place, deep nesting', () => {
	const random = generator(20261126);
	const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
	const junkValues: unknown[] = [null, 0, -1, 1.5, 2, 1e308, '', 'x', '<script>', '\u0000', true, false, [], {}, [null], { a: [] }, 'S-1-5-21-1-2-3', '__proto__'];
	const randomText = (length: number) => Array.from({ length }, () => String.fromCharCode(Math.floor(random() * 0x3000))).join('');
	const base = JSON.stringify(fixtureReport());
	const inputs: string[] = [];
	for (let i = 0; i < 100; i++) {
		inputs.push(randomText(Math.floor(random() * 200)));
	}
	for (let i = 0; i < 150; i++) {
		const at = Math.floor(random() * base.length);
		const kind = i % 4;
		inputs.push(
			kind === 0 ? base.slice(0, at) + base.slice(at + 1 + Math.floor(random() * 20))
				: kind === 1 ? base.slice(0, at) + pick(['{', '}', '[', ']', '"', ',', ':', '\\', 'null', '1e999']) + base.slice(at)
					: kind === 2 ? base.slice(0, at) + String.fromCharCode(Math.floor(random() * 128)) + base.slice(at + 1)
						: base.slice(0, at),
		);
	}
	// Junk in a random place of the object: every field, at every depth, of the report and of its result.
	for (let i = 0; i < 150; i++) {
		const data = JSON.parse(base) as Record<string, unknown>;
		let target: Record<string, unknown> | unknown[] = data;
		for (let depth = 0; depth < 1 + Math.floor(random() * 5); depth++) {
			const keys = Object.keys(target);
			const next = (target as Record<string, unknown>)[pick(keys)];
			if (next === null || typeof next !== 'object' || keys.length === 0) {
				break;
			}
			target = next as Record<string, unknown>;
		}
		const keys = Object.keys(target);
		if (keys.length > 0) {
			const key = pick(keys);
			if (random() < 0.2) {
				delete (target as Record<string, unknown>)[key];
			} else {
				(target as Record<string, unknown>)[key] = pick(junkValues);
			}
		}
		inputs.push(JSON.stringify(data));
	}
	const deep = 200000;
	inputs.push('['.repeat(deep) + ']'.repeat(deep));
	inputs.push(`{"tool":"provisioning-agent-doctor","kind":"diagnosis-report","reportSchemaVersion":1,"generatedAt":"x","extensionVersion":"1","redacted":false,"result":{"schemaVersion":1,"host":${'['.repeat(deep)}${']'.repeat(deep)}}}`);
	inputs.push(`{"tool":"provisioning-agent-doctor","schemaVersion":1,"checks":[{"evidence":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}]}`);

	let opened = 0;
	for (const input of inputs) {
		const outcome = parseReport(input);
		if (outcome.ok) {
			opened++;
			assert.ok(outcome.covers === 'one', 'no input here is a run on several servers');
			assert.ok(parseDiagnosisResult(JSON.stringify(outcome.result)).ok, 'what opens is a valid result');
			assert.ok(outcome.source === 'result' || outcome.report?.checks.length === outcome.result.checks.length);
		} else {
			assert.equal(typeof outcome.reason, 'string');
			assert.match(outcome.reason, /^The [a-z].*\.$/s, `a sentence: ${outcome.reason.slice(0, 200)}`);
		}
	}
	assert.ok(opened > 0 && opened < inputs.length, `some inputs open (${opened} of ${inputs.length}), most do not`);
});
