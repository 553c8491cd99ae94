import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findFailure, messages } from '../../src/checks/catalogue';
import { messageMatchesText, normalizeMessageText } from '../../src/checks/explainMessage';
import type { Message } from '../../src/checks/types';
import {
	FOLD_EXCEPTIONS,
	candidateMessageIds,
	eventRow,
	keyContext,
	messageRules,
	prefilterKeys,
	requiredWords,
	scanFile,
	scanLine,
	scanText,
	type LogFinding,
} from '../../src/server/logScanner';

const textRuled = messages.filter((m) => m.match.literal || m.match.pattern !== undefined);
const eventRuled = messages.filter((m) => m.match.event);

/** A small deterministic generator, so a failure can be reproduced. */
function rng(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

/** The places a message is met, as real-looking log lines (formats from the facts file). */
function inFormats(text: string): string[] {
	return [
		text,
		`[15:16:14.583] [ 16] [ERROR] ${text}`,
		`[01:12:13.938] [  9] [INFO ] ${text}`,
		`[0A1C:0B2C][2021-09-15T10:15:41]e000: ${text}`,
		`MSI (s) (A8:9C) [10:15:41:217]: Product: Microsoft Entra Connect Provisioning Agent -- ${text}`,
		`Install-ADServiceAccount : ${text}`,
	];
}

/** The same text with odd case and white space, and the two non-ASCII letters that lowercase to ASCII. */
function oddForms(text: string, random: () => number): string[] {
	const flip = (s: string) => [...s].map((c) => (random() < 0.5 ? c.toUpperCase() : c.toLowerCase())).join('');
	const spaces = ['\t', '  ', ' \t ', '\u00a0', '\u3000', '\u2003', '\v', '\f', '\ufeff'];
	const oddSpace = (s: string) => s.replace(/ /g, () => spaces[Math.floor(random() * spaces.length)]);
	return [
		text.toUpperCase(),
		text.toLowerCase(),
		flip(text),
		oddSpace(text),
		oddSpace(flip(text)),
		`  \t${text}\t  `,
		text.replace(/k/g, '\u212a').replace(/K/g, '\u212a'),
		text.replace(/i$/, '\u0130').replace(/i /g, '\u0130 '),
		text.slice(0, Math.floor(text.length / 2)),
		text.slice(1),
		text.replace(/ /, ''),
	];
}

function sampleLines(): string[] {
	const random = rng(42);
	const base = new Set<string>();
	for (const m of messages) {
		for (const t of [m.text, ...m.examples, ...(m.match.literal ?? [])]) {
			base.add(t);
		}
	}
	const lines: string[] = [];
	for (const t of base) {
		for (const line of inFormats(t)) {
			lines.push(line, ...oddForms(line, random));
		}
	}
	lines.push(
		'',
		'   ',
		'[15:16:14.583] [ 16] [INFO ] Sending heartbeat to https://contoso.msappproxy.net/subscriber/bootstrap',
		'[07:04:17.041] [7041] [ERROR] Request 7041 failed with error 7041 (id=9001, event 7038)',
		'Error 19230 is not Error 1923',
		'error code 1638',
		'ERROR\u00a01920',
		'Unable to install service account pGMSA_1$ after 6 retries',
		'Unable to install service account  after 6 retries',
		'trust relationship between this workstation and the primary domain failed',
		'trust relationship between  failed',
		'Exception caught while creating gmsa',
		'Exception caught  while creating gmsa',
		'EXCEPTION\tCREATING\tGMSA',
		'😀😀 Error 1923. 😀',
	);
	return lines;
}

function expectedIds(line: string): string[] {
	return textRuled.filter((m) => messageMatchesText(m, line)).map((m) => m.id);
}

test('scanLine finds exactly the messages messageMatchesText finds, on every sample line (no event row among them)', () => {
	const lines = sampleLines();
	assert.ok(lines.length > 1000, `only ${lines.length} lines`);
	let matched = 0;
	for (const line of lines) {
		assert.equal(eventRow(line), undefined, `not meant as an event row: ${line}`);
		const found = [...new Set(scanLine(line, 0).map((f) => f.messageId))].sort();
		const expected = expectedIds(line).sort();
		assert.deepEqual(found, expected, JSON.stringify(line));
		matched += expected.length;
	}
	assert.ok(matched > 500, 'the sample lines exercise the rules');
});

test('the prefilter lets through every message messageMatchesText would match (soundness), on random mutations', () => {
	const random = rng(7);
	const texts = messages.flatMap((m) => [m.text, ...m.examples, ...(m.match.literal ?? [])]);
	let checked = 0;
	for (let round = 0; round < 20; round++) {
		for (const text of texts) {
			for (const line of oddForms(`[12:00:00.000] [ 3] [WARN ] x ${text} y`, random)) {
				const candidates = new Set(candidateMessageIds(line));
				for (const id of expectedIds(line)) {
					assert.ok(candidates.has(id), `${id} filtered out of ${JSON.stringify(line)}`);
					checked++;
				}
			}
		}
	}
	assert.ok(checked > 1000);
});

test('only two non-ASCII characters lowercase to something with ASCII in it, and keys avoid them', () => {
	const found: number[] = [];
	for (let cp = 0x80; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff) {
			continue;
		}
		if (/[\x00-\x7f]/.test(String.fromCodePoint(cp).toLowerCase())) {
			found.push(cp);
		}
	}
	assert.deepEqual(found, [0x130, 0x212a]);
	assert.deepEqual(Object.keys(FOLD_EXCEPTIONS).sort(), ['i', 'k']);
	for (const { key } of prefilterKeys()) {
		assert.ok(!key.includes('k'), key);
		assert.match(key, /^[\x20-\x7e]+$/);
	}
});

test('every literal and pattern rule of the catalogue has a key (none is tested on every line)', () => {
	const context = keyContext(messages);
	messages.forEach((m, i) => {
		for (const rule of messageRules(m, i, context)) {
			assert.ok(rule.pieces.length > 0, `${m.id} has a rule without a key`);
			assert.ok(rule.pieces[0].trim().length >= 4, `${m.id}: key ${JSON.stringify(rule.pieces[0])} is short`);
		}
	});
	assert.ok(prefilterKeys().length >= textRuled.length);
});

test('requiredWords keeps what every match must contain and drops what may be absent', () => {
	assert.deepEqual(requiredWords('\\bError 1923\\b'), ['Error 1923']);
	assert.deepEqual(requiredWords('Exception (caught while )?creating gmsa'), ['Exception ', 'creating gmsa']);
	assert.deepEqual(requiredWords('Unable to install service account \\S+ after \\d+ retries'), ['Unable to install service account ', ' after ', ' retries']);
	assert.deepEqual(requiredWords('trust relationship between .{1,80} failed'), ['trust relationship between ', ' failed']);
	assert.deepEqual(requiredWords('\\b(Error|error code) 1638\\b'), [' 1638']);
	assert.deepEqual(requiredWords('colou?r'), ['colo', 'r']);
	assert.deepEqual(requiredWords('ab+c'), ['ab', 'c']);
	assert.deepEqual(requiredWords('a\\.b[xy]z*w{2}'), ['a.b']);
	assert.equal(requiredWords('cat|dog'), undefined);
	assert.deepEqual(requiredWords('ab\\x41cd\\u0041ef\\u{41}gh\\cJij\\p{L}kl\\1mn'), ['ab', 'cd', 'ef', 'gh', 'ij', 'kl', 'mn']);
	assert.deepEqual(requiredWords('a\\x41{2}b(?=c)d'), ['a', 'b', 'd']);
	assert.deepEqual(requiredWords('x[|]y\\|z'), ['x', 'y|z']);
});

test('every message with a text rule is found on a real-looking line of each place it is seen in, at the right range', () => {
	for (const m of textRuled) {
		const samples = [m.text, ...m.examples];
		const formatted = samples.flatMap((t) => {
			const lines = [t];
			if (m.seenIn.includes('trace-log')) lines.push(`[15:16:14.583] [ 16] [ERROR] ${t}`);
			if (m.seenIn.includes('bundle-log')) lines.push(`[0A1C:0B2C][2021-09-15T10:15:41]e000: ${t}`);
			if (m.seenIn.includes('msi-log')) lines.push(`MSI (s) (A8:9C) [10:15:41:217]: Product: Microsoft Entra Connect Provisioning Agent -- ${t}`);
			return lines;
		});
		for (const line of formatted) {
			const f = scanLine(line, 12).find((x) => x.messageId === m.id);
			assert.ok(f, `${m.id} not found in ${line}`);
			assert.equal(f.line, 12);
			assert.deepEqual(f.failureIds, m.causes.map((c) => c.failure));
			assert.equal(f.messageText, m.text);
			const shown = line.slice(f.startCharacter, f.endCharacter);
			const literal = m.match.literal?.find((l) => normalizeMessageText(shown).toLowerCase() === normalizeMessageText(l).toLowerCase());
			const byPattern = m.match.pattern !== undefined && new RegExp(`^(?:${m.match.pattern})$`, 'i').test(normalizeMessageText(shown));
			assert.ok(literal || byPattern, `${m.id}: range shows ${JSON.stringify(shown)}`);
		}
	}
});

test('the severity is error for a failing cause, warning for the worst being a warning', () => {
	for (const m of messages) {
		const severities = m.causes.map((c) => findFailure(c.failure)!.failure.severity);
		const expected = severities.includes('fail') ? 'error' : severities.includes('warning') ? 'warning' : 'information';
		const line = m.match.literal || m.match.pattern ? m.examples[0] ?? m.text : eventLine(m, m.match.event!.ids[0]);
		const f = scanLine(line, 0).find((x) => x.messageId === m.id);
		assert.ok(f, `${m.id} on ${line}`);
		assert.equal(f.severity, expected, m.id);
	}
});

function eventLine(m: Message, id: number): string {
	const source = m.match.event!.provider ?? 'Microsoft-Windows-Security-Netlogon';
	return `Error,11/26/2026 7:00:00 AM,${source},${id},None,"${m.text.replace('<account>', 'CONTOSO\\provAgentgMSA$').replace('<error>', 'Access is denied.').replace('<milliseconds>', '30000')}"`;
}

test('event-id rules: found on Event Viewer CSV, text (tab) and Get-WinEvent table rows; the whole trimmed line', () => {
	for (const m of eventRuled) {
		for (const id of m.match.event!.ids) {
			const csv = eventLine(m, id);
			const f = scanLine(`  ${csv} `, 3).find((x) => x.messageId === m.id);
			assert.ok(f, `${m.id}: ${csv}`);
			if (!messageMatchesText(m, csv)) {
				assert.equal(f.startCharacter, 2);
				assert.equal(f.endCharacter, 2 + csv.length);
			}
			const tab = csv.replace(/,/g, '\t');
			assert.ok(scanLine(tab, 0).some((x) => x.messageId === m.id), `${m.id} tab: ${tab}`);
			const quoted = `"Error","11/26/2026 7:00:00 AM","${m.match.event!.provider ?? 'NETLOGON'}","${id}","None","${m.text}"`;
			assert.ok(scanLine(quoted, 0).some((x) => x.messageId === m.id), `${m.id} quoted: ${quoted}`);
			if (m.match.event!.about === 'agent-service') {
				const table = `11/26/2026 7:00:00 AM   ${id} Error            The AADConnectProvisioningAgent service terminated unexpectedly.`;
				assert.ok(scanLine(table, 0).some((x) => x.messageId === m.id), `${m.id} table: ${table}`);
			}
		}
	}
});

test('event-id rules: not on trace lines with the number, not for another service, not from another provider', () => {
	const trace = [
		'[07:04:17.041] [ 16] [ERROR] Request failed, correlation 7041, event 7041, id 7038 7000 7009 7034 9001 9002',
		'[0A1C:7041][2021-09-15T10:15:41]i000: 7041',
		'MSI (s) (70:41) [10:15:41:217]: 7041',
		'Error 7041 occurred',
		'Information: 7041,7041,7041',
	];
	for (const line of trace) {
		assert.deepEqual(scanLine(line, 0).filter((f) => eventRuled.some((m) => m.id === f.messageId) && !messageMatchesText(messages.find((m) => m.id === f.messageId)!, line)), [], line);
	}
	assert.deepEqual(scanLine('Error,11/26/2026 7:00:00 AM,Service Control Manager,7034,None,The Print Spooler service terminated unexpectedly.', 0), []);
	assert.deepEqual(scanLine('Error,11/26/2026 7:00:00 AM,Some Other Provider,7034,None,The AADConnectProvisioningAgent service terminated unexpectedly.', 0), []);
	assert.deepEqual(scanLine('Error,11/26/2026 7:00:00 AM,Service Control Manager,70341,None,The AADConnectProvisioningAgent service terminated unexpectedly.', 0), []);
});

test('a literal rule on an event row gives one finding per message, at the literal', () => {
	const line = 'Error,11/26/2026 7:00:00 AM,Service Control Manager,7038,None,"The AADConnectProvisioningAgent service was unable to log on as CONTOSO\\x$ with the currently configured password due to the following error: The user name or password is incorrect."';
	const found = scanLine(line, 0).filter((f) => f.messageId === 'event-7038-password-incorrect');
	assert.equal(found.length, 1);
	assert.equal(line.slice(found[0].startCharacter, found[0].endCharacter), 'The user name or password is incorrect');
});

test('columns are UTF-16 code units: characters outside the BMP before a match count two', () => {
	const text = 'There is no such object on the server';
	const line = `😀😀 [ERROR] ${text}.`;
	const f = scanLine(line, 0).find((x) => x.messageId === 'gmsa-no-such-object')!;
	assert.equal(f.startCharacter, '😀😀 [ERROR] '.length);
	assert.equal(f.startCharacter, 13);
	assert.equal(f.endCharacter, 13 + text.length);
	const odd = `😀\tThere\t\tis  no\u00a0SUCH object on the 😀server 😀`;
	assert.deepEqual(scanLine(odd, 0), []);
	const spaced = `😀 There\t\tis  no\u00a0SUCH object on the server😀`;
	const g = scanLine(spaced, 0).find((x) => x.messageId === 'gmsa-no-such-object')!;
	assert.equal(spaced.slice(g.startCharacter, g.endCharacter), 'There\t\tis  no\u00a0SUCH object on the server');
});

test('scanText: CRLF and LF lines, line numbers, the same findings as scanLine line by line', () => {
	const lines = sampleLines().slice(0, 400);
	const text = lines.map((l, i) => (i % 2 ? `${l}\r\n` : `${l}\n`)).join('') + 'Error 0x80070643: Failed to install MSI package.';
	const expected: LogFinding[] = [];
	[...lines, 'Error 0x80070643: Failed to install MSI package.'].forEach((l, i) => expected.push(...scanLine(l, i)));
	assert.deepEqual(scanText(text), expected);
	assert.ok(expected.length > 100);
	assert.deepEqual(scanText(''), []);
});

// ---------------------------------------------------------------------------------------------------------------------
// scanFile

const dir = mkdtempSync(join(tmpdir(), 'pad-logscan-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

async function scan(path: string, chunkSize?: number): Promise<{ findings: LogFinding[]; lines: number; encoding: string }> {
	const findings: LogFinding[] = [];
	const r = await scanFile(path, (f) => findings.push(f), { chunkSize });
	return { findings, ...r };
}

const logText = [
	'[15:16:14.580] [ 16] [INFO ] Starting gMSA creation',
	'[15:16:14.583] [ 16] [ERROR] 😀😀 Exception creating gmsa. Exception: System.DirectoryServices.DirectoryServicesCOMException (0x80072030): There is no such object on the server.',
	'[15:16:14.590] [ 16] [INFO ] Überprüfung abgeschlossen — ✓',
	'Error,11/26/2026 7:00:00 AM,Service Control Manager,7034,None,The AADConnectProvisioningAgent service terminated unexpectedly.',
	'[15:16:15.000] [ 16] [ERROR] Failed changing Windows service credentials to gMSA',
].join('\r\n');

function utf16be(s: string): Uint8Array {
	const le = new Uint8Array(Buffer.from(s, 'utf16le'));
	for (let i = 0; i < le.length; i += 2) {
		[le[i], le[i + 1]] = [le[i + 1], le[i]];
	}
	return le;
}

test('scanFile reads UTF-8, UTF-8 with BOM, UTF-16LE with and without BOM, UTF-16BE with BOM, CRLF, no final line end', async () => {
	const expected = scanText(logText);
	assert.deepEqual(new Set(expected.map((f) => `${f.line} ${f.messageId}`)), new Set(['1 gmsa-no-such-object', '1 trace-exception-creating-gmsa', '3 event-7034-terminated', '4 gmsa-credentials-failed']));
	assert.equal(expected.length, 4);
	const variants: [string, Uint8Array][] = [
		['utf-8', new Uint8Array(Buffer.from(logText, 'utf8'))],
		['utf-8-bom', new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(logText, 'utf8')])],
		['utf-16le-bom', new Uint8Array([0xff, 0xfe, ...Buffer.from(logText, 'utf16le')])],
		['utf-16le', new Uint8Array(Buffer.from(logText, 'utf16le'))],
		['utf-16be-bom', new Uint8Array([0xfe, 0xff, ...utf16be(logText)])],
	];
	for (const [encoding, bytes] of variants) {
		const path = join(dir, `${encoding}.log`);
		writeFileSync(path, bytes);
		for (const chunkSize of [undefined, 1, 3, 7, 64]) {
			const r = await scan(path, chunkSize);
			assert.equal(r.encoding, encoding);
			assert.equal(r.lines, 5, `${encoding} ${chunkSize}`);
			assert.deepEqual(r.findings, expected, `${encoding}, chunks of ${chunkSize}`);
		}
	}
});

test('scanFile: a character split across reads, a line end at a chunk boundary, an empty file, a file ending in a line end', async () => {
	const text = '😀é✓ There is no such object on the server\r\n\r\n€€ Error 1923. x\r\n';
	const path = join(dir, 'split.log');
	writeFileSync(path, text);
	const expected = scanText(text);
	assert.equal(expected.length, 2);
	for (let chunk = 1; chunk <= 12; chunk++) {
		const r = await scan(path, chunk);
		assert.deepEqual(r.findings, expected, `chunks of ${chunk}`);
		assert.equal(r.lines, 3);
	}
	const empty = join(dir, 'empty.log');
	writeFileSync(empty, '');
	assert.deepEqual(await scan(empty), { findings: [], lines: 0, encoding: 'utf-8' });
});

test('scanFile: a truncated last line is still a line; only the first 64 KiB of a very long line is read', async () => {
	const path = join(dir, 'truncated.log');
	writeFileSync(path, '[1] ok\n[15:16:14.583] [ 16] [ERROR] Exception creating gmsa');
	assert.deepEqual((await scan(path)).findings.map((f) => [f.line, f.messageId]), [[1, 'trace-exception-creating-gmsa']]);
	const long = join(dir, 'long.log');
	const filler = 'x'.repeat(70 * 1024);
	writeFileSync(long, `HybridIdentityServiceNoActiveAgents ${filler} 0x80070643\nnext 0x80070643\n${filler}${filler}\nlast HybridIdentityServiceNoActiveAgents`);
	for (const chunkSize of [undefined, 1000, 100 * 1024]) {
		const r = await scan(long, chunkSize);
		assert.deepEqual(r.findings.map((f) => [f.line, f.messageId]), [
			[0, 'portal-no-active-agents'],
			[1, 'msi-install-failure-0x80070643'],
			[3, 'portal-no-active-agents'],
		], `chunks of ${chunkSize}`);
		assert.equal(r.lines, 4);
	}
});

test('scanFile: an unreadable file rejects; an aborted scan rejects with the reason', async () => {
	await assert.rejects(scanFile(join(dir, 'missing.log'), () => {}), /ENOENT/);
	const path = join(dir, 'abort.log');
	writeFileSync(path, 'x\n'.repeat(1000));
	const controller = new AbortController();
	controller.abort(new Error('stopped'));
	await assert.rejects(scanFile(path, () => {}, { signal: controller.signal, chunkSize: 10 }), /stopped/);
});

test('scanFile: a 10 MB log is scanned with the right count in memory well below its size', async () => {
	const path = join(dir, 'big.log');
	const out = createWriteStream(path);
	const normal = [
		'[15:16:14.583] [ 16] [INFO ] IsServiceAccountGMSA:: Service account: NT SERVICE\\AADConnectProvisioningAgent is not gmsa.',
		'[15:16:14.600] [ 12] [VERBOSE] LDAP search (&(objectClass=user)(sAMAccountName=provAgentgMSA$)) returned 1 entries in 12 ms',
		'[15:16:14.700] [  9] [WARN ] Exception: System.Net.WebException: The remote server returned an error: (503) Server Unavailable.',
	];
	const failure = '[15:16:15.000] [ 16] [ERROR] Failed changing Windows service credentials to gMSA. Please check the logs for more detailed information.';
	let written = 0;
	let lines = 0;
	let failures = 0;
	while (written < 10 * 1024 * 1024) {
		const line = lines % 997 === 500 ? failure : normal[lines % 3];
		failures += line === failure ? 1 : 0;
		const s = `${line}\r\n`;
		if (!out.write(s)) {
			await new Promise((resolve) => out.once('drain', resolve));
		}
		written += s.length;
		lines++;
	}
	await new Promise((resolve) => out.end(resolve));
	global.gc?.();
	const before = process.memoryUsage().rss;
	let found = 0;
	let peak = before;
	const r = await scanFile(path, (f) => {
		found += f.messageId === 'gmsa-credentials-failed' ? 1 : 0;
		peak = Math.max(peak, process.memoryUsage().rss);
	});
	peak = Math.max(peak, process.memoryUsage().rss);
	assert.equal(r.lines, lines);
	assert.equal(found, failures);
	assert.ok(failures > 50);
	assert.ok(peak - before < 5 * 1024 * 1024, `rss grew by ${((peak - before) / 1e6).toFixed(1)} MB`);
});

test('scanFile (the byte path) and scanText (the string path) agree on every sample line and event row', async () => {
	const rows = eventRuled.flatMap((m) => m.match.event!.ids.map((id) => eventLine(m, id)));
	const lines = [...sampleLines(), ...rows, ...rows.map((r) => r.replace(/,/g, '\t'))];
	const text = lines.join('\r\n');
	const path = join(dir, 'samples.log');
	writeFileSync(path, text);
	const expected = scanText(text);
	assert.ok(expected.length > 500);
	for (const chunkSize of [undefined, 4096, 333]) {
		const r = await scan(path, chunkSize);
		assert.equal(r.lines, lines.length);
		assert.deepEqual(r.findings, expected, `chunks of ${chunkSize}`);
	}
	const utf16 = join(dir, 'samples-utf16.log');
	writeFileSync(utf16, new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]));
	assert.deepEqual((await scan(utf16)).findings, expected);
});
