import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineDecoder, MAX_LINE_UNITS, decoderLabel, detectEncoding, type LogEncoding } from '../../src/server/logDecoding';

function encode(text: string, encoding: LogEncoding): Uint8Array {
	const body = encoding.startsWith('utf-16') ? new Uint8Array(Buffer.from(text, 'utf16le')) : new Uint8Array(Buffer.from(text, 'utf8'));
	if (encoding === 'utf-16be-bom') {
		for (let i = 0; i < body.length; i += 2) {
			[body[i], body[i + 1]] = [body[i + 1], body[i]];
		}
	}
	const bom = { 'utf-8': [], 'utf-8-bom': [0xef, 0xbb, 0xbf], 'utf-16le-bom': [0xff, 0xfe], 'utf-16le': [], 'utf-16be-bom': [0xfe, 0xff] }[encoding];
	return new Uint8Array([...bom, ...body]);
}

/** Decodes the bytes (after the BOM) fed in chunks of the given size. */
function decode(bytes: Uint8Array, chunk: number, maxLine?: number): { lines: string[]; encoding: LogEncoding } {
	const { encoding, bomLength } = detectEncoding(bytes.subarray(0, 1024));
	const lines: string[] = [];
	const decoder = new LineDecoder(encoding, (line, n) => {
		assert.equal(n, lines.length);
		lines.push(line);
	}, maxLine);
	for (let i = bomLength; i < bytes.length; i += chunk) {
		decoder.push(bytes.subarray(i, Math.min(bytes.length, i + chunk)));
	}
	decoder.end();
	assert.equal(decoder.lines, lines.length);
	return { lines, encoding };
}

const encodings: LogEncoding[] = ['utf-8', 'utf-8-bom', 'utf-16le-bom', 'utf-16le', 'utf-16be-bom'];

test('detectEncoding: BOMs, UTF-16LE without a BOM by its zero bytes, UTF-8 otherwise', () => {
	const text = 'MSI (s) (A8:9C) [10:15:41:217]: Product: Microsoft Entra Connect Provisioning Agent -- Error 1920.';
	for (const encoding of encodings) {
		assert.deepEqual(detectEncoding(encode(text, encoding)), { encoding, bomLength: { 'utf-8': 0, 'utf-8-bom': 3, 'utf-16le-bom': 2, 'utf-16le': 0, 'utf-16be-bom': 2 }[encoding] });
	}
	assert.equal(detectEncoding(new Uint8Array()).encoding, 'utf-8');
	assert.equal(detectEncoding(new Uint8Array([0x41])).encoding, 'utf-8');
	assert.equal(detectEncoding(new Uint8Array([0x41, 0])).encoding, 'utf-16le');
	assert.equal(detectEncoding(encode('日本語のログ', 'utf-8')).encoding, 'utf-8');
	assert.equal(detectEncoding(new Uint8Array(64)).encoding, 'utf-8', 'all zeros is not text in UTF-16LE');
	assert.equal(decoderLabel('utf-16be-bom'), 'utf-16be');
	assert.equal(decoderLabel('utf-8-bom'), 'utf-8');
});

test('LineDecoder: LF and CRLF, the CR not in the line, a last line without a line end, in every encoding and chunk size', () => {
	const text = 'first\r\nsecond\n\r\n😀 fourth é ✓ 😀\r\nlast without end';
	const expected = ['first', 'second', '', '😀 fourth é ✓ 😀', 'last without end'];
	for (const encoding of encodings) {
		for (const chunk of [1, 2, 3, 5, 7, 1000]) {
			const r = decode(encode(text, encoding), chunk);
			assert.equal(r.encoding, encoding);
			assert.deepEqual(r.lines, expected, `${encoding} in chunks of ${chunk}`);
		}
	}
});

test('LineDecoder: a text ending with a line end has no empty last line; an empty input has no line', () => {
	assert.deepEqual(decode(encode('a\r\nb\r\n', 'utf-8'), 1).lines, ['a', 'b']);
	assert.deepEqual(decode(encode('', 'utf-8'), 1).lines, []);
	assert.deepEqual(decode(encode('\n', 'utf-16le-bom'), 1).lines, ['']);
	assert.deepEqual(decode(encode('a\r', 'utf-8'), 1).lines, ['a\r'], 'a lone CR at the end is content');
});

test('LineDecoder: a character cut by the end of the input becomes U+FFFD, not lost silently', () => {
	const bytes = encode('ok\n😀', 'utf-8');
	assert.deepEqual(decode(bytes.subarray(0, bytes.length - 1), 1).lines, ['ok', '\ufffd']);
});

test('LineDecoder: only the first maxLine units of a line are kept, the rest dropped up to its line end', () => {
	const long = 'y'.repeat(50);
	for (const chunk of [1, 4, 100]) {
		assert.deepEqual(decode(encode(`${long}\r\nshort\r\n${long}`, 'utf-8'), chunk, 10).lines, ['y'.repeat(10), 'short', 'y'.repeat(10)]);
	}
	assert.deepEqual(decode(encode('0123456789\r\n', 'utf-16le-bom'), 3, 10).lines, ['0123456789']);
	assert.equal(MAX_LINE_UNITS, 65536);
	const huge = new LineDecoder('utf-8', (line) => assert.equal(line.length, MAX_LINE_UNITS));
	for (let i = 0; i < 100; i++) {
		huge.push(new Uint8Array(10_000).fill(0x61));
	}
	huge.end();
	assert.equal(huge.lines, 1);
});
