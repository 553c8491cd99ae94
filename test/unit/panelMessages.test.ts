import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checks, findCheck, sources } from '../../src/checks/catalogue';
import { maxExplainTextLength, maxIdLength, messageAllowedFrom, parsePanelMessage, type PanelMessage } from '../../src/views/panelMessages';

/** Parses and returns the message and the reason given for a refusal. */
function parse(raw: unknown): { message: ReturnType<typeof parsePanelMessage>; reasons: string[] } {
	const reasons: string[] = [];
	const message = parsePanelMessage(raw, (reason) => reasons.push(reason));
	return { message, reasons };
}

test('every kind a panel button sends is accepted, with real catalogue ids, and comes back as a fresh object', () => {
	const valid: Array<Record<string, string>> = [
		{ type: 'rerun', checkId: 'service.logon-right' },
		{ type: 'runFix', checkId: 'service.logon-right', fixId: 'grant-logon-as-service' },
		{ type: 'copy', checkId: 'service.logon-right', fixId: 'open-secpol' },
		{ type: 'openLink', sourceId: 'cannot-start' },
		{ type: 'showCheck', checkId: 'gmsa.kds-root-key' },
	];
	for (const raw of valid) {
		const { message, reasons } = parse(raw);
		assert.deepEqual(message, raw);
		assert.notEqual(message, raw, 'not the webview object itself');
		assert.deepEqual(reasons, []);
	}
	// As structured clone or JSON.parse deliver them, and with no prototype at all.
	assert.deepEqual(parse(JSON.parse('{"type":"rerun","checkId":"service.state"}')).message, { type: 'rerun', checkId: 'service.state' });
	const bare = Object.assign(Object.create(null) as object, { type: 'openLink', sourceId: 'troubleshoot' });
	assert.deepEqual(parse(bare).message, { type: 'openLink', sourceId: 'troubleshoot' });
});

test('every fix each check offers, and every source, passes the gate', () => {
	for (const check of checks) {
		assert.deepEqual(parse({ type: 'rerun', checkId: check.id }).message, { type: 'rerun', checkId: check.id });
		for (const fixId of check.failures.flatMap((f) => f.fixIds)) {
			assert.ok(parse({ type: 'runFix', checkId: check.id, fixId }).message, `${check.id} ${fixId}`);
		}
	}
	for (const source of sources) {
		assert.ok(parse({ type: 'openLink', sourceId: source.id }).message, source.id);
	}
});

const symbolKey = Symbol('x');
const proxy = new Proxy({}, { ownKeys: () => { throw new Error('trap'); } });

const invalid: ReadonlyArray<readonly [string, unknown, RegExp]> = [
	['null', null, /not an object but null/],
	['undefined', undefined, /not an object but undefined/],
	['a string', 'rerun', /not an object but string/],
	['a number', 42, /not an object but number/],
	['an array', [{ type: 'rerun', checkId: 'service.logon-right' }], /not an object but an array/],
	['an object without type', { checkId: 'service.logon-right' }, /no string type/],
	['an unknown type', { type: 'delete', checkId: 'service.logon-right' }, /unknown type "delete"/],
	['a type from the prototype', { type: '__proto__' }, /unknown type "__proto__"/],
	['a type that is not a string', { type: ['rerun'], checkId: 'service.logon-right' }, /no string type/],
	['a missing id', { type: 'rerun' }, /a rerun message needs checkId/],
	['a missing fix id', { type: 'copy', checkId: 'service.logon-right' }, /a copy message needs fixId/],
	['a number id', { type: 'rerun', checkId: 42 }, /checkId is not a string/],
	['an array id', { type: 'rerun', checkId: ['service.logon-right'] }, /checkId is not a string/],
	['a String object id', { type: 'rerun', checkId: new String('service.logon-right') }, /checkId is not a string/],
	['an empty id', { type: 'rerun', checkId: '' }, /checkId has 0 characters/],
	['an over-long id', { type: 'openLink', sourceId: 'a'.repeat(maxIdLength + 1) }, /sourceId has 65 characters \(1 to 64 allowed\)/],
	['an id with a line break', { type: 'rerun', checkId: 'service.logon-right\n' }, /checkId "service\.logon-right\\n" is not an id/],
	['a URL as source id', { type: 'openLink', sourceId: 'https://evil.example/' }, /sourceId "https:\/\/evil\.example\/" is not an id/],
	['an unknown check', { type: 'rerun', checkId: 'service.no-such-check' }, /unknown check "service\.no-such-check"/],
	['an Object.prototype name as check', { type: 'showCheck', checkId: 'constructor' }, /unknown check "constructor"/],
	['an unknown fix', { type: 'runFix', checkId: 'service.logon-right', fixId: 'format-disk' }, /unknown fix "format-disk"/],
	['a fix of another check', { type: 'runFix', checkId: 'service.logon-right', fixId: 'start-service' }, /fix "start-service" is not offered by check "service\.logon-right"/],
	['a copy of another check’s fix', { type: 'copy', checkId: 'permissions.elevated', fixId: 'grant-logon-as-service' }, /is not offered by check "permissions\.elevated"/],
	['an unknown source', { type: 'openLink', sourceId: 'no-such-page' }, /unknown source "no-such-page"/],
	['a source id from the prototype', { type: 'openLink', sourceId: '__proto__' }, /sourceId "__proto__" is not an id/],
	['a prototype name as source id', { type: 'openLink', sourceId: 'hasownproperty' }, /unknown source "hasownproperty"/],
	['an extra property', { type: 'rerun', checkId: 'service.logon-right', fixId: 'start-service' }, /unexpected property "fixId" in a rerun message/],
	['a property of another kind', { type: 'openLink', sourceId: 'cannot-start', checkId: 'service.logon-right' }, /unexpected property "checkId"/],
	['an own __proto__ key (JSON.parse)', JSON.parse('{"type":"rerun","checkId":"service.logon-right","__proto__":{"polluted":true}}'), /unexpected property "__proto__"/],
	['an own constructor key', JSON.parse('{"type":"rerun","checkId":"service.logon-right","constructor":{"prototype":{}}}'), /unexpected property "constructor"/],
	['a symbol key', { type: 'rerun', checkId: 'service.logon-right', [symbolKey]: 1 }, /has a symbol property/],
	['a class instance', new (class Message { type = 'rerun'; checkId = 'service.logon-right'; })(), /not a plain object/],
	['an object inheriting the fields', Object.create({ type: 'rerun', checkId: 'service.logon-right' }) as object, /not a plain object/],
	['a getter', Object.defineProperty({ type: 'rerun' }, 'checkId', { enumerable: true, get: () => 'service.logon-right' }), /property "checkId" is an accessor/],
	['a proxy whose trap throws', proxy, /could not be read/],
];

for (const [name, raw, reason] of invalid) {
	test(`refused: ${name}`, () => {
		const { message, reasons } = parse(raw);
		assert.equal(message, undefined);
		assert.equal(reasons.length, 1);
		assert.match(reasons[0], /^Ignored a panel message: /);
		assert.match(reasons[0], reason);
		assert.doesNotMatch(reasons[0], /[\r\n]/, 'one log line');
	});
}

test('there are at least 15 refusal cases, and parsing a polluting message pollutes nothing', () => {
	assert.ok(invalid.length >= 15);
	parse(JSON.parse('{"type":"rerun","checkId":"service.logon-right","__proto__":{"polluted":true}}'));
	assert.equal(({} as Record<string, unknown>).polluted, undefined);
	assert.equal(findCheck('service.logon-right')?.id, 'service.logon-right');
});

test('a refusal without a log callback still returns undefined, and a long value in a reason is cut short', () => {
	assert.equal(parsePanelMessage({ type: 'rerun', checkId: 7 }), undefined);
	const { reasons } = parse({ type: 'x'.repeat(5000) });
	assert.ok(reasons[0].length < 150, reasons[0]);
	assert.match(reasons[0], /unknown type "x{64}…"/);
});

test('a panel acts only on what it shows: its own check, or (the summary) opening check panels', () => {
	const logon = { kind: 'check' as const, checkId: 'service.logon-right' };
	const summary = { kind: 'summary' as const };
	const cases: Array<[PanelMessage, boolean, boolean]> = [
		// message, allowed from the logon-right panel, allowed from the summary
		[{ type: 'rerun', checkId: 'service.logon-right' }, true, false],
		[{ type: 'rerun', checkId: 'service.state' }, false, false],
		[{ type: 'runFix', checkId: 'service.logon-right', fixId: 'grant-logon-as-service' }, true, false],
		[{ type: 'runFix', checkId: 'service.state', fixId: 'start-service' }, false, false],
		[{ type: 'copy', checkId: 'service.logon-right', fixId: 'open-secpol' }, true, false],
		[{ type: 'copy', checkId: 'service.state', fixId: 'start-service' }, false, false],
		[{ type: 'showCheck', checkId: 'service.state' }, false, true],
		[{ type: 'showCheck', checkId: 'service.logon-right' }, false, true],
		[{ type: 'openLink', sourceId: sources[0].id }, true, true],
	];
	for (const [message, fromCheck, fromSummary] of cases) {
		assert.equal(messageAllowedFrom(logon, message), fromCheck, `check panel: ${JSON.stringify(message)}`);
		assert.equal(messageAllowedFrom(summary, message), fromSummary, `summary: ${JSON.stringify(message)}`);
	}
});

test('the id rules at their edges: exactly 64 characters is read, an id must start with a letter or digit', () => {
	const reasons: string[] = [];
	// 64 characters passes the length rule and reaches the catalogue lookup (which knows no such source).
	assert.equal(parsePanelMessage({ type: 'openLink', sourceId: 'a'.repeat(maxIdLength) }, (r) => reasons.push(r)), undefined);
	assert.match(reasons.pop()!, /unknown source "a{64}"/);
	// A character that is not allowed anywhere before the end is refused as "not an id", not looked up.
	assert.equal(parsePanelMessage({ type: 'openLink', sourceId: 'X!install' }, (r) => reasons.push(r)), undefined);
	assert.match(reasons.pop()!, /sourceId "X!install" is not an id/);
	// A refused value of exactly 64 characters is quoted whole in the reason, without the ellipsis.
	assert.equal(parsePanelMessage({ type: 'openLink', sourceId: `!${'a'.repeat(maxIdLength - 1)}` }, (r) => reasons.push(r)), undefined);
	assert.ok(reasons.pop()!.includes(`"!${'a'.repeat(maxIdLength - 1)}" is not an id`));
});

test('Explain an Error: the text message carries any text up to its bound, and the run messages carry nothing', () => {
	const text = '<script>alert(1)</script>\r\nFailed changing Windows service credentials to gMSA\u0000';
	assert.deepEqual(parse({ type: 'explain', text }).message, { type: 'explain', text });
	assert.deepEqual(parse({ type: 'explain', text: '' }).message, { type: 'explain', text: '' });
	assert.deepEqual(parse({ type: 'explain', text: 'x'.repeat(maxExplainTextLength) }).message?.type, 'explain');
	const tooLong = parse({ type: 'explain', text: 'x'.repeat(maxExplainTextLength + 1) });
	assert.equal(tooLong.message, undefined);
	assert.match(tooLong.reasons[0], new RegExp(`text has ${maxExplainTextLength + 1} characters \\(at most ${maxExplainTextLength} allowed\\)`));
	assert.match(parse({ type: 'explain', text: ['a'] }).reasons[0], /text is not a string/);
	assert.match(parse({ type: 'explain' }).reasons[0], /an explain message needs text/);
	assert.deepEqual(parse({ type: 'runExplained' }).message, { type: 'runExplained' });
	assert.deepEqual(parse({ type: 'runDiagnosis' }).message, { type: 'runDiagnosis' });
	// The run button sends no ids: ids sent anyway are refused, not read.
	assert.match(parse({ type: 'runExplained', checkIds: 'service.state' }).reasons[0], /unexpected property "checkIds" in a runExplained message/);
});

test('Explain an Error: each panel may send only what its buttons send', () => {
	const logon = { kind: 'check' as const, checkId: 'service.logon-right' };
	const summary = { kind: 'summary' as const };
	const explainPanel = { kind: 'explain' as const };
	const cases: Array<[PanelMessage, boolean, boolean, boolean]> = [
		// message, from a check panel, from the summary, from Explain an Error
		[{ type: 'explain', text: 'x' }, false, true, true],
		[{ type: 'runExplained' }, false, false, true],
		[{ type: 'runDiagnosis' }, false, false, true],
		[{ type: 'showCheck', checkId: 'service.state' }, false, true, true],
		[{ type: 'rerun', checkId: 'service.logon-right' }, true, false, false],
		[{ type: 'runFix', checkId: 'service.logon-right', fixId: 'grant-logon-as-service' }, true, false, false],
		[{ type: 'copy', checkId: 'service.logon-right', fixId: 'open-secpol' }, true, false, false],
		[{ type: 'openLink', sourceId: sources[0].id }, true, true, true],
	];
	for (const [message, fromCheck, fromSummary, fromExplain] of cases) {
		assert.equal(messageAllowedFrom(logon, message), fromCheck, `check panel: ${JSON.stringify(message)}`);
		assert.equal(messageAllowedFrom(summary, message), fromSummary, `summary: ${JSON.stringify(message)}`);
		assert.equal(messageAllowedFrom(explainPanel, message), fromExplain, `explain: ${JSON.stringify(message)}`);
	}
});
