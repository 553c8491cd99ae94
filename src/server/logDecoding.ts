/**
 * Bytes of a log file -> its lines, streaming and bounded. Pure: no `vscode` import, no I/O (the caller reads the file).
 *
 * Encodings: UTF-8 with or without a BOM (the default), UTF-16LE with a BOM (FF FE), UTF-16LE without a BOM (found by
 * zero bytes at odd offsets in the first KiB: ASCII text in UTF-16LE has a zero high byte in every second byte), and
 * UTF-16BE with a BOM (FE FF). Windows Installer logs are often UTF-16LE; the agent's trace and the Burn bundle log are
 * UTF-8.
 *
 * Lines end at LF or CRLF (the CR is not part of the line). A last line without a line end is still a line. A character
 * split across two chunks (a UTF-8 multi-byte sequence, a UTF-16 surrogate pair, even one byte of a UTF-16 code unit)
 * is decoded correctly: TextDecoder keeps the partial bytes between calls (`stream: true`).
 *
 * Very long lines: only the first MAX_LINE_UNITS UTF-16 code units (64 Ki) of a line are kept for matching; the rest of
 * that line is dropped as it arrives, so memory stays bounded by the chunk size plus that limit whatever the file holds.
 */

import { TextDecoder } from 'node:util';

export type LogEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le-bom' | 'utf-16le' | 'utf-16be-bom';

/** How much of one line is kept for matching (UTF-16 code units when decoded; bytes in the scanner's UTF-8 path). */
export const MAX_LINE_UNITS = 64 * 1024;

/** How many bytes of the file's start detectEncoding wants to see (fewer is fine for a small file). */
export const DETECT_BYTES = 1024;

export interface DetectedEncoding {
	readonly encoding: LogEncoding;
	/** Bytes of the byte order mark at the file's start (to skip). */
	readonly bomLength: number;
}

/** The encoding of a log from its first bytes (up to DETECT_BYTES). */
export function detectEncoding(head: Uint8Array): DetectedEncoding {
	if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
		return { encoding: 'utf-8-bom', bomLength: 3 };
	}
	if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) {
		return { encoding: 'utf-16le-bom', bomLength: 2 };
	}
	if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) {
		return { encoding: 'utf-16be-bom', bomLength: 2 };
	}
	// UTF-16LE without a BOM: text that is mostly ASCII has a zero at most odd offsets and (almost) none at even ones.
	// UTF-8 text has no zero bytes at all, so requiring a third of the odd bytes to be zero is a safe margin.
	const n = Math.min(head.length, DETECT_BYTES) & ~1;
	if (n >= 2) {
		let oddZeros = 0;
		let evenZeros = 0;
		for (let i = 0; i < n; i += 2) {
			if (head[i] === 0) {
				evenZeros++;
			}
			if (head[i + 1] === 0) {
				oddZeros++;
			}
		}
		const pairs = n / 2;
		if (oddZeros * 3 >= pairs && evenZeros * 10 < pairs) {
			return { encoding: 'utf-16le', bomLength: 0 };
		}
	}
	return { encoding: 'utf-8', bomLength: 0 };
}

/** The WHATWG label TextDecoder knows for an encoding. */
export function decoderLabel(encoding: LogEncoding): 'utf-8' | 'utf-16le' | 'utf-16be' {
	return encoding === 'utf-16be-bom' ? 'utf-16be' : encoding.startsWith('utf-16le') ? 'utf-16le' : 'utf-8';
}

/**
 * Push chunks of bytes (after the BOM), get lines. Lines are handed to `onLine` in order with their 0-based number.
 * Bounded: holds the decoder's few partial bytes and at most `maxLine` code units of the current line.
 */
export class LineDecoder {
	private readonly decoder: TextDecoder;
	private pending = '';
	/** The current line passed maxLine: drop the rest of it until its line end. */
	private truncated = false;
	private lineNumber = 0;

	constructor(
		encoding: LogEncoding,
		private readonly onLine: (line: string, lineNumber: number) => void,
		private readonly maxLine: number = MAX_LINE_UNITS,
	) {
		// ignoreBOM: the caller strips the BOM (detectEncoding says how long it is); a second one would be content.
		this.decoder = new TextDecoder(decoderLabel(encoding), { fatal: false, ignoreBOM: true });
	}

	/** How many lines were handed out so far. */
	get lines(): number {
		return this.lineNumber;
	}

	push(chunk: Uint8Array): void {
		this.take(this.decoder.decode(chunk, { stream: true }));
	}

	/** The end of the input: flushes a partial character (as U+FFFD) and a last line without a line end. */
	end(): void {
		this.take(this.decoder.decode());
		if (this.pending.length > 0 || this.truncated) {
			this.emit(this.pending);
		}
		this.pending = '';
		this.truncated = false;
	}

	private take(text: string): void {
		let from = 0;
		for (;;) {
			const lf = text.indexOf('\n', from);
			if (lf < 0) {
				this.append(text, from, text.length);
				return;
			}
			this.append(text, from, lf);
			let line = this.pending;
			// The CR of a CRLF: the last kept unit, unless the line was cut (then the CR was dropped with the rest).
			if (!this.truncated && line.endsWith('\r')) {
				line = line.slice(0, -1);
			}
			this.emit(line);
			this.pending = '';
			this.truncated = false;
			from = lf + 1;
		}
	}

	private append(text: string, from: number, to: number): void {
		if (from >= to || this.truncated) {
			return;
		}
		const room = this.maxLine - this.pending.length;
		if (to - from > room) {
			this.pending += text.slice(from, from + room);
			this.truncated = true;
		} else {
			this.pending += text.slice(from, to);
		}
	}

	private emit(line: string): void {
		this.onLine(line, this.lineNumber++);
	}
}
