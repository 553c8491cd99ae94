import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findCheck, messages } from '../../src/checks/catalogue';
import { explainMessage, mentionedEventIds, messageMatchesText, normalizeMessageText } from '../../src/checks/explainMessage';
import type { Message } from '../../src/checks/types';

const ids = (text: string) => explainMessage(text).matches.map((m) => m.message.id);

test('every message with a text rule is recognised in its own words and in each of its examples', () => {
	for (const message of messages) {
		if (message.match.literal || message.match.pattern) {
			assert.ok(ids(message.text).includes(message.id), `${message.id}: its own text is not recognised`);
		}
		for (const example of message.examples) {
			assert.ok(ids(example).includes(message.id), `${message.id}: example not recognised: ${example}`);
		}
	}
});

test('a message known only by its event id is found when the text names the event', () => {
	for (const message of messages.filter((m) => m.match.event && !m.match.literal && !m.match.pattern)) {
		for (const id of message.match.event!.ids) {
			assert.ok(ids(`System log, Event ID ${id}`).includes(message.id), `${message.id}: event ${id}`);
		}
	}
	assert.deepEqual(mentionedEventIds('Event ID 7041, event 7038, EventID: 9001, eventlog 12'), [7041, 7038, 9001]);
});

test('every cause of every message is a catalogue failure whose check is returned to tell them apart', () => {
	for (const message of messages) {
		const explained = explainMessage(message.examples[0] ?? message.text);
		if (!explained.matched) {
			continue; // event-only messages: covered above
		}
		for (const cause of message.causes) {
			const ranked = explained.causes.find((c) => c.failureId === cause.failure);
			assert.ok(ranked, `${message.id}: cause ${cause.failure} not returned`);
			assert.ok(findCheck(ranked.checkId), ranked.checkId);
			assert.ok(explained.checks.includes(ranked.checkId), `${message.id}: ${ranked.checkId} not among the checks`);
		}
	}
});

test('an ambiguous text returns every cause, with the checks that tell them apart', () => {
	const explained = explainMessage('The user name or password is incorrect.');
	assert.deepEqual(explained.matches.map((m) => m.message.id), ['event-7038-password-incorrect']);
	const failures = explained.causes.map((c) => c.failureId);
	for (const expected of ['gmsa-not-managed-account', 'wizard-account-password-expired', 'wizard-account-locked', 'wizard-account-disabled', 'ntlm-deny-all-old-agent', 'wizard-account-protected-users']) {
		assert.ok(failures.includes(expected), `missing cause ${expected}`);
	}
	assert.equal(failures[0], 'gmsa-not-managed-account', 'the event reading comes first, as the catalogue ranks it');
	for (const check of ['gmsa.managed-account-flag', 'permissions.wizard-account', 'server.ntlm']) {
		assert.ok(explained.checks.includes(check), `missing distinguishing check ${check}`);
	}
	assert.ok(explained.causes.every((c) => c.when), 'each cause says when it applies');
});

test('the seed article: each of its messages is explained', () => {
	const seed = [
		["Service 'Microsoft Azure AD Connect Provisioning Agent' (AADConnectProvisioningAgent) could not be installed. Verify that you have sufficient privilages to install system services.", 'msi-1923-service-not-installed'],
		["Failed changing Windows service credentials to gMSA. Please check the logs for more detailed information. If that doesn't help resolve this issue, please contact support.", 'gmsa-credentials-failed'],
		['Unable to create gMSA because KDS may not be running on domain controller. Please create/run KDS manually.', 'kds-may-not-be-running'],
		['Event ID 7041, Service Control Manager: This service account does not have the required user right "Log on as a service."', 'event-7041-logon-right'],
	];
	for (const [text, id] of seed) {
		assert.deepEqual(ids(text), [id], text);
	}
	// The gMSA text after the seed's Log On change: Log on as a service first (named by the KDS text too).
	const both = explainMessage(`${seed[1][0]}\n${seed[2][0]}`);
	assert.equal(both.causes[0].failureId, 'logon-right-missing-service-account');
	assert.deepEqual(both.causes[0].messageIds, ['gmsa-credentials-failed', 'kds-may-not-be-running']);
});

test('a pasted multi-line log excerpt finds each known line, with its line number', () => {
	const log = [
		'[0A1C:0B2C][2021-09-15T10:15:40]i301: Applying execute package: AADConnectProvisioningAgent, action: Install',
		"[0A1C:0B2C][2021-09-15T10:15:41]e000: Error 1923. Service 'Microsoft Azure AD Connect Provisioning Agent' (AADConnectProvisioningAgent) could not be installed. Verify that you have sufficient privilages to install system services.",
		'[0A1C:0B2C][2021-09-15T10:15:42]e000: Error 0x80070643: Failed to install MSI package.',
		'[15:16:14.583] [ 16] [ERROR] Exception creating gmsa. Exception: System.DirectoryServices.DirectoryServicesCOMException (0x80072030): There is no such object on the server.',
		'',
	].join('\r\n');
	const explained = explainMessage(log);
	const byId = new Map(explained.matches.map((m) => [m.message.id, m.line]));
	assert.equal(byId.get('msi-1923-service-not-installed'), 2);
	assert.equal(byId.get('msi-install-failure-0x80070643'), 3);
	assert.equal(byId.get('gmsa-no-such-object'), 4);
	assert.equal(byId.get('trace-exception-creating-gmsa'), 4);
	assert.equal(byId.size, 4, [...byId.keys()].join(', '));
});

test('a dialog copied over several lines is still recognised', () => {
	const wrapped = 'Failed changing Windows service\ncredentials to gMSA. Please check the logs';
	assert.deepEqual(ids(wrapped), ['gmsa-credentials-failed']);
});

test('text that matches nothing says so', () => {
	const explained = explainMessage('The printer is out of paper.');
	assert.equal(explained.matched, false);
	assert.deepEqual(explained.matches, []);
	assert.deepEqual(explained.causes, []);
	assert.deepEqual(explained.checks, []);
	assert.equal(explainMessage('').matched, false);
});

test('matching ignores case and runs of white space, and uses the pattern rules', () => {
	const message = messages.find((m) => m.id === 'gmsa-install-retries')!;
	assert.ok(messageMatchesText(message, 'unable   to install SERVICE account pGMSA_2345ad35$ after 6 retries'));
	assert.ok(!messageMatchesText(message, 'Unable to install service account after retries'));
	assert.equal(normalizeMessageText('  a \t b\r\n c '), 'a b c');
});

// --- Ranking and matching rules, on made-up messages whose causes are real catalogue failures --------------------------

const page = { id: 'p', title: 'Page', url: 'https://learn.microsoft.com/p', publisher: 'microsoft' as const };
function message(id: string, match: Message['match'], causes: Message['causes']): Message {
	return { id, text: id, seenIn: ['trace-log'], match, causes, examples: [], sources: [page] };
}

test('causes are ranked by how many matched messages name them, then by their place in a list, then by first mention', () => {
	const a = message('a', { literal: ['alpha failed'] }, [{ failure: 'not-elevated' }, { failure: 'os-too-old', when: 'from a' }]);
	const b = message('b', { literal: ['beta failed'] }, [{ failure: 'memory-below-minimum' }, { failure: 'os-too-old', when: 'from b' }]);
	const r = explainMessage('alpha failed\nbeta failed', [a, b]);
	assert.deepEqual(r.causes.map((c) => [c.failureId, c.messageIds, c.when]), [
		['os-too-old', ['a', 'b'], 'from a'],
		['not-elevated', ['a'], undefined],
		['memory-below-minimum', ['b'], undefined],
	]);
	assert.deepEqual(r.checks, ['server.os-version', 'permissions.elevated', 'server.memory']);
	// The later place in a list loses to the earlier one, whatever the order of first mention.
	const c = message('c', { literal: ['gamma failed'] }, [{ failure: 'not-elevated' }, { failure: 'memory-below-minimum' }]);
	const d = message('d', { literal: ['delta failed'] }, [{ failure: 'os-too-old' }]);
	assert.deepEqual(explainMessage('gamma failed delta failed', [c, d]).causes.map((x) => x.failureId), ['not-elevated', 'os-too-old', 'memory-below-minimum']);
	// A cause's "when" comes from the first matched message that gives one.
	const e = message('e', { literal: ['epsilon'] }, [{ failure: 'os-too-old' }]);
	const f = message('f', { literal: ['phi'] }, [{ failure: 'os-too-old', when: 'from f' }]);
	assert.equal(explainMessage('epsilon phi', [e, f]).causes[0].when, 'from f');
	// Best place wins over a worse one in another message: the entry keeps the smaller index.
	const g = message('g', { literal: ['one'] }, [{ failure: 'not-elevated' }, { failure: 'os-too-old' }]);
	const h = message('h', { literal: ['two'] }, [{ failure: 'os-too-old' }, { failure: 'not-elevated' }, { failure: 'memory-below-minimum' }]);
	const k = message('k', { literal: ['three'] }, [{ failure: 'memory-below-minimum' }]);
	assert.deepEqual(explainMessage('one two three', [g, h, k]).causes.map((x) => x.failureId), ['not-elevated', 'os-too-old', 'memory-below-minimum']);
	assert.deepEqual(explainMessage('two three', [g, h, k]).causes.map((x) => x.failureId), ['memory-below-minimum', 'os-too-old', 'not-elevated']);
	// Named by both messages, first in one and last in the other, still ranks by its best place.
	const p1 = message('p1', { literal: ['pea'] }, [{ failure: 'not-elevated' }, { failure: 'os-too-old' }]);
	const q1 = message('q1', { literal: ['queue'] }, [{ failure: 'memory-below-minimum' }, { failure: 'os-too-old' }, { failure: 'not-elevated' }]);
	assert.deepEqual(explainMessage('pea queue', [p1, q1]).causes.map((x) => x.failureId), ['not-elevated', 'os-too-old', 'memory-below-minimum']);
});

test('any one of several literals is enough; an event id is enough when it is any of the message\'s ids', () => {
	const m = message('m', { literal: ['first wording', 'second wording'] }, [{ failure: 'not-elevated' }]);
	assert.equal(explainMessage('only the SECOND   wording here', [m]).matched, true);
	const ev = message('ev', { event: { log: 'System', ids: [7000, 7001], about: 'agent-service' } }, [{ failure: 'not-elevated' }]);
	assert.equal(explainMessage('Event ID 7001 was logged', [ev]).matched, true);
	assert.equal(explainMessage('EventID:7000', [ev]).matched, true);
	assert.equal(explainMessage('event 7002', [ev]).matched, false);
	assert.deepEqual(mentionedEventIds('EventID:7041, event 7000 and Event ID #7009; not 12 or event 123456'), [7041, 7000, 7009]);
});

test('lines split on LF as well as CRLF, and each excerpt is the trimmed line', () => {
	const m = message('m', { literal: ['known text'] }, [{ failure: 'not-elevated' }]);
	const lf = explainMessage('noise\n   known text here   \nmore', [m]);
	assert.deepEqual(lf.matches.map((x) => [x.line, x.excerpt]), [[2, 'known text here']]);
	const crlf = explainMessage('noise\r\nnoise\r\n\tknown text\r\n', [m]);
	assert.deepEqual(crlf.matches.map((x) => [x.line, x.excerpt]), [[3, 'known text']]);
	const none = explainMessage('nothing here', [m]);
	assert.deepEqual([none.matched, none.matches, none.causes, none.checks], [false, [], [], []]);
});
