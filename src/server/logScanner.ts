/**
 * The log scanner's pure core: finds the catalogue's messages on the lines of a log (the agent's trace, the wizard's
 * trace, the Burn bundle log, MSI logs, an export of the System or Netlogon event log). The language server and the
 * command-line scanner both use it. No `vscode` import; scanFile is the only function that reads a file.
 *
 * The rules are the catalogue's (messages.json): a line shows a message by its literal or pattern rule exactly when
 * messageMatchesText(message, line) says so (a unit test asserts the equivalence); this module only adds a prefilter,
 * the position of the match on the line, and the event-id rule on event-export rows (below).
 *
 * PREFILTER. Running every message's rules on every line of a 100 MB trace is far too slow. Each literal and pattern
 * rule is reduced, from the catalogue at load time (no copy of its text here), to "pieces": lowercase ASCII parts of the
 * words of its text (of a literal; of a pattern, the literal runs every match must contain: requiredWords), each with
 * a space where the text has one next to the word, e.g. " object " for "There is no such object on the server". The
 * rarest piece (fewest catalogue messages use it) is the rule's key. The text is scanned once for all keys together
 * (Wu-Manber, blocks of two units, on units folded by FOLD: A-Z to a-z, every white space and every non-ASCII unit to
 * a space); on a line where a key occurs the rule's other pieces (up to three) are looked for on the same line, and
 * only then is the line decoded and given to messageMatchesText, for the messages that passed. Lines without a hit
 * are never decoded.
 *
 * Why no line that messageMatchesText would match is missed (soundness): messageMatchesText collapses every run of
 * white space (JavaScript's \s) to one space, trims, lowercases and looks for the literal, or tests the pattern with
 * the `i` flag. So if a line matches, its normalized form holds each piece; each character of a piece comes from one
 * character of the line that is the same ASCII character or its other case, and each space of a piece from at least one
 * white space character (ASCII white space, or a non-ASCII one, which FOLD also makes a space). The exceptions are
 * the only two non-ASCII characters whose lowercase contains ASCII (a unit test enumerates every code point to prove
 * the list complete): KELVIN SIGN U+212A -> "k" and U+0130 -> "i" + U+0307. So no piece holds a "k", nor the final
 * "i" of a literal (elsewhere the U+0307 would have to match the literal's next character). Patterns are tested without
 * the `u` flag, where case-insensitive matching never maps a non-ASCII character to an ASCII one. The same holds for
 * UTF-8 bytes: every byte of a multi-byte sequence is >= 0x80 and folds to a space, never to a letter. A rule with no
 * piece of at least MIN_KEY characters is tested on every line (the slow path; no rule of today's catalogue needs it,
 * and a unit test says so).
 *
 * EVENT-ID RULES (match.event) apply only to a line that is a row of an event log export, which has the event id as a
 * field of its own next to a level word and a date:
 *  - Event Viewer "Save As" CSV (comma) or text (tab): `Level,Date and Time,Source,Event ID,Task Category,Message`,
 *    e.g. `Error,11/26/2026 7:00:00 AM,Service Control Manager,7041,None,"The AADConnectProvisioningAgent service …"`
 *    (fields may be quoted): field 1 a level word, field 2 has a digit, field 4 the id exactly.
 *  - `Get-WinEvent | Format-Table` / `Get-EventLog` style: `<date> <time> [AM|PM]  7041 Error  The … service …`: the line
 *    starts with a date, and the id is a whole field right after the time, before a level word.
 * Where the rule names a provider, the row's source must be it (CSV/text rows); where it is about the agent's service,
 * the row must name the service (AADConnectProvisioningAgent or "Provisioning Agent"). A trace line never starts with
 * a level word or a date followed by these fields, so a 7041 in its timestamp or in an id does not count. The range of
 * an event-id finding is the whole trimmed line (a literal of the same message found on it gives the literal's range
 * instead: one finding per message and line). The prefilter tests these rules only on lines whose first character
 * after white space is a quote, a digit, the first letter of a level word or non-ASCII (mayBeEventRow): the lines of a
 * trace, a bundle log and an MSI log start with "[" or "MSI (" and are skipped. Multi-line exports (wevtutil /f:text,
 * Format-List) and event ids named in prose ("Event ID 7041", which explainMessage reads) are not read here.
 */
import { open } from 'node:fs/promises';
import { findFailure, messages as catalogueMessages } from '../checks/catalogue';
import { messageMatchesText, normalizeMessageText } from '../checks/explainMessage';
import type { Message } from '../checks/types';
import { DETECT_BYTES, LineDecoder, MAX_LINE_UNITS, detectEncoding } from './logDecoding';

export interface LogFinding {
	/** 0-based line number. */
	readonly line: number;
	/** UTF-16 code units in the line, as VS Code counts columns (a character outside the BMP counts 2). */
	readonly startCharacter: number;
	readonly endCharacter: number;
	readonly messageId: string;
	/** The message's causes, in the catalogue's order. */
	readonly failureIds: readonly string[];
	readonly severity: 'error' | 'warning' | 'information';
	/** The catalogue message's text. */
	readonly messageText: string;
}

// ---------------------------------------------------------------------------------------------------------------------
// Keys, computed from the catalogue

/** Shortest key worth scanning for; shorter pieces send the rule to the slow path. */
export const MIN_KEY = 3;

/** Characters that must not be in a key (see the soundness note above): lowercase of a non-ASCII character. */
export const FOLD_EXCEPTIONS: Readonly<Record<string, string>> = {
	k: 'U+212A KELVIN SIGN lowercases to "k"',
	i: 'U+0130 LATIN CAPITAL LETTER I WITH DOT ABOVE lowercases to "i" + U+0307 (only a final "i" of a literal)',
};

/**
 * Words every match of a pattern must contain, as written in the pattern (before lowercasing); undefined when the
 * pattern has a top-level alternation. A literal run is broken by groups, classes, escapes that are not one literal
 * character, `.`, anchors, and white space; a character followed by `*`, `?` or `{` is dropped (it may be absent).
 */
export function requiredWords(pattern: string): string[] | undefined {
	const runs: string[] = [];
	let run = '';
	const flush = () => {
		runs.push(run);
		run = '';
	};
	const skipQuantifier = (i: number): number => {
		const c = pattern[i];
		if (c === '*' || c === '+' || c === '?') {
			i++;
		} else if (c === '{') {
			const close = pattern.indexOf('}', i);
			i = close < 0 ? pattern.length : close + 1;
		} else {
			return i;
		}
		return pattern[i] === '?' ? i + 1 : i;
	};
	let i = 0;
	while (i < pattern.length) {
		const c = pattern[i];
		if (c === '|') {
			return undefined;
		}
		if (c === '(' || c === '[') {
			flush();
			i = skipGroup(pattern, i);
			i = skipQuantifier(i);
			continue;
		}
		let literal: string | undefined;
		let next = i + 1;
		if (c === '\\') {
			const e = pattern[i + 1] ?? '';
			next = i + 2;
			literal = /^[A-Za-z0-9]$/.test(e) ? undefined : e;
			// The tail of \xHH, \uHHHH, \u{…}, \cX, \p{…}, \k<…> is part of the escape, not literal text.
			if (e === 'x') {
				next = i + 4;
			} else if (e === 'u') {
				next = pattern[i + 2] === '{' ? closing(pattern, i + 2, '}') : i + 6;
			} else if (e === 'c') {
				next = i + 3;
			} else if ((e === 'p' || e === 'P') && pattern[i + 2] === '{') {
				next = closing(pattern, i + 2, '}');
			} else if (e === 'k' && pattern[i + 2] === '<') {
				next = closing(pattern, i + 2, '>');
			}
		} else if (c !== '.' && c !== '^' && c !== '$' && c !== ')' && c !== ']' && c !== '}') {
			literal = c;
		}
		const q = pattern[next];
		// A space is kept (it stands for white space in the line); other white space ends the run.
		if (literal !== undefined && (literal === ' ' || !/\s/.test(literal)) && q !== '*' && q !== '?' && q !== '{') {
			run += literal;
			if (q === '+') {
				flush();
			}
		} else {
			flush();
		}
		i = literal === undefined || q === '*' || q === '?' || q === '{' || q === '+' ? skipQuantifier(next) : next;
	}
	flush();
	return runs.filter((r) => r.length > 0);
}

/** The index after the first `close` from i on (the pattern's end when there is none). */
function closing(pattern: string, i: number, close: string): number {
	const at = pattern.indexOf(close, i);
	return at < 0 ? pattern.length : at + 1;
}

/** The index after a group `(…)` or class `[…]` starting at i (escapes and nesting followed). */
function skipGroup(pattern: string, i: number): number {
	if (pattern[i] === '[') {
		for (let j = i + 1; j < pattern.length; j++) {
			if (pattern[j] === '\\') {
				j++;
			} else if (pattern[j] === ']' && j > i + 1) {
				return j + 1;
			}
		}
		return pattern.length;
	}
	let depth = 0;
	for (let j = i; j < pattern.length; j++) {
		const c = pattern[j];
		if (c === '\\') {
			j++;
		} else if (c === '[') {
			j = skipGroup(pattern, j) - 1;
		} else if (c === '(') {
			depth++;
		} else if (c === ')' && --depth === 0) {
			return j + 1;
		}
	}
	return pattern.length;
}

/**
 * The words of a rule's text, each with a space where the text has one next to it: the space stands for "some white
 * space (or a non-ASCII character)" in the line (see FOLD), so " object " is required wherever "no such object on" is.
 */
function boundedWords(text: string): string[] {
	const words = text.split(' ');
	return words
		.map((w, i) => `${i > 0 ? ' ' : ''}${w}${i < words.length - 1 ? ' ' : ''}`)
		.filter((w) => w.trim().length > 0);
}

/**
 * The pieces of a bounded word usable as keys: ASCII without "k" (a space at the word's ends kept), without a final
 * "i" when the word ends a literal.
 */
function safePieces(word: string, endsLiteral: boolean): string[] {
	const w = endsLiteral && word.endsWith('i') ? word.slice(0, -1) : word;
	const lead = w.startsWith(' ') ? ' ' : '';
	const trail = w.endsWith(' ') && w.trim().length > 0 ? ' ' : '';
	const parts = w.trim().split(/[^\x21-\x6a\x6c-\x7e]+/);
	return parts
		.map((part, i) => `${i === 0 ? lead : ''}${part}${i === parts.length - 1 ? trail : ''}`)
		.filter((p) => p.trim().length >= MIN_KEY);
}

/** What choosing keys looks at: the keys chosen so far, and the catalogue's texts (lowercased, one per message). */
export interface KeyContext {
	readonly used: Set<string>;
	readonly corpus: readonly string[];
}

export function keyContext(messages: readonly Message[]): KeyContext {
	return {
		used: new Set(),
		corpus: messages.map((m) => normalizeMessageText([m.text, ...m.examples, ...(m.match.literal ?? [])].join(' ')).toLowerCase()),
	};
}

/**
 * A rule's pieces, best first: at least 5 units when there is one (the search window is the shortest key), then the
 * rarest in the catalogue's own words (in how many messages' texts, examples and literals it occurs: a word many
 * messages share, such as "error" or "service", is frequent in these logs too), then the longest, then one already
 * chosen by another rule. The first is the rule's key; the others are checked on the key's line before the line is
 * decoded (all of them are required too).
 */
function rankPieces(pieces: readonly string[], context: KeyContext): string[] {
	const df = (p: string) => context.corpus.filter((text) => text.includes(p.trim())).length;
	const scored = [...new Set(pieces)].map((p) => ({ p, long: p.length >= 5 ? 1 : 0, df: df(p), used: context.used.has(p) ? 1 : 0 }));
	scored.sort((a, b) => b.long - a.long || a.df - b.df || b.p.length - a.p.length || b.used - a.used);
	return scored.map((x) => x.p);
}

/** One literal or pattern of a message, reduced to the pieces every line showing it contains. */
export interface RuleKeys {
	readonly messageIndex: number;
	/** Best first; empty: the rule has no key and is tested on every line. */
	readonly pieces: readonly string[];
}

/** The keys of a message's literal and pattern rules (event-id rules have none: see the event-export rows). */
export function messageRules(message: Message, messageIndex: number, context: KeyContext): RuleKeys[] {
	const out: RuleKeys[] = [];
	for (const literal of message.match.literal ?? []) {
		const words = boundedWords(normalizeMessageText(literal).toLowerCase());
		out.push({ messageIndex, pieces: rankPieces(words.flatMap((w, i) => safePieces(w, i === words.length - 1)), context) });
	}
	if (message.match.pattern !== undefined) {
		const runs = requiredWords(message.match.pattern);
		const words = (runs ?? []).flatMap((r) => boundedWords(r.toLowerCase()));
		out.push({ messageIndex, pieces: rankPieces(words.flatMap((w) => safePieces(w, false)), context) });
	}
	out.forEach((r) => r.pieces.length > 0 && context.used.add(r.pieces[0]));
	return out;
}

function severityOf(message: Message): LogFinding['severity'] {
	const severities = message.causes.map((c) => findFailure(c.failure)?.failure.severity);
	return severities.includes('fail') ? 'error' : severities.includes('warning') ? 'warning' : 'information';
}

interface Rules {
	readonly messages: readonly Message[];
	/** Distinct keys (first pieces); for each, the rules it starts (with their other pieces, folded). */
	readonly keys: readonly string[];
	readonly keyRules: readonly (readonly { readonly messageIndex: number; readonly others: readonly Uint8Array[] }[])[];
	/** Messages with a text rule that has no key: tested on every line. */
	readonly alwaysTested: readonly number[];
	/** Messages with an event-id rule: tested on lines that may be event-export rows. */
	readonly eventMessages: readonly number[];
	readonly severities: readonly LogFinding['severity'][];
	readonly compiledPatterns: readonly (RegExp | undefined)[];
	readonly matcher: KeyMatcher;
}

/** How many of a rule's other pieces are checked on the line (the rarest ones). */
const OTHER_PIECES = 3;

function buildRules(messages: readonly Message[]): Rules {
	const context = keyContext(messages);
	const byKey = new Map<string, { messageIndex: number; others: Uint8Array[] }[]>();
	const alwaysTested = new Set<number>();
	messages.forEach((message, index) => {
		for (const rule of messageRules(message, index, context)) {
			if (rule.pieces.length === 0) {
				alwaysTested.add(index);
				continue;
			}
			const [key, ...others] = rule.pieces;
			const list = byKey.get(key) ?? [];
			list.push({ messageIndex: index, others: others.slice(0, OTHER_PIECES).map(foldKey) });
			byKey.set(key, list);
		}
	});
	const keys = [...byKey.keys()];
	return {
		messages,
		keys,
		keyRules: keys.map((k) => byKey.get(k)!),
		alwaysTested: [...alwaysTested].sort((a, b) => a - b),
		eventMessages: messages.flatMap((m, i) => (m.match.event ? [i] : [])),
		severities: messages.map(severityOf),
		compiledPatterns: messages.map((m) => (m.match.pattern === undefined ? undefined : new RegExp(m.match.pattern, 'i'))),
		matcher: new KeyMatcher(keys, blockCounter(context.corpus)),
	};
}

/** How often each folded block of two units occurs in the texts (the catalogue's own, as a sample of these logs). */
function blockCounter(texts: readonly string[]): (block: number) => number {
	const counts = new Uint32Array(65536);
	for (const text of texts) {
		for (let i = 1; i < text.length; i++) {
			counts[(foldUnit(text.charCodeAt(i - 1)) << 8) | foldUnit(text.charCodeAt(i))]++;
		}
	}
	return (block) => counts[block];
}

// ---------------------------------------------------------------------------------------------------------------------
// Multi-key search (Wu-Manber, blocks of 2 units) over folded units

/**
 * Folding of a byte (or UTF-16 unit below 0x80): A-Z to a-z; ASCII white space to a space; every non-ASCII unit to a
 * space too (it may be white space such as U+00A0, and no key holds a non-ASCII character, so it only adds
 * candidates); everything else unchanged. A key character c therefore matches exactly the units the catalogue's
 * matching lets stand for it (c, its other ASCII case; for the space: any white space).
 */
export const FOLD: Uint8Array = (() => {
	const fold = new Uint8Array(256);
	for (let b = 0; b < 256; b++) {
		fold[b] = b >= 0x41 && b <= 0x5a ? b + 0x20 : (b >= 9 && b <= 13) || b === 32 || b >= 0x80 ? 32 : b;
	}
	return fold;
})();

function foldKey(key: string): Uint8Array {
	return Uint8Array.from(key, (c) => FOLD[c.charCodeAt(0)]);
}

function foldUnit(u: number): number {
	return u < 0x80 ? FOLD[u] : 32;
}

/** Units read from a Uint8Array (UTF-8 bytes) or a string (UTF-16 units). */
type Units = Uint8Array | string;

function equalsAt(t: Units, start: number, key: Uint8Array): boolean {
	if (typeof t === 'string') {
		for (let j = 0; j < key.length; j++) {
			if (foldUnit(t.charCodeAt(start + j)) !== key[j]) {
				return false;
			}
		}
		return true;
	}
	for (let j = 0; j < key.length; j++) {
		if (FOLD[t[start + j]] !== key[j]) {
			return false;
		}
	}
	return true;
}

/** True when the folded key occurs in t[from, to). */
function containsAt(t: Units, from: number, to: number, key: Uint8Array): boolean {
	return typeof t === 'string' ? containsInString(t, from, to, key) : containsInBytes(t, from, to, key);
}

function containsInBytes(t: Uint8Array, from: number, to: number, key: Uint8Array): boolean {
	const n = key.length;
	outer: for (let i = from, last = to - n; i <= last; i++) {
		for (let j = 0; j < n; j++) {
			if (FOLD[t[i + j]] !== key[j]) {
				continue outer;
			}
		}
		return true;
	}
	return false;
}

function containsInString(t: string, from: number, to: number, key: Uint8Array): boolean {
	const n = key.length;
	outer: for (let i = from, last = to - n; i <= last; i++) {
		for (let j = 0; j < n; j++) {
			if (foldUnit(t.charCodeAt(i + j)) !== key[j]) {
				continue outer;
			}
		}
		return true;
	}
	return false;
}

export class KeyMatcher {
	/** Window length: the shortest key. */
	readonly m: number;
	private readonly shift: Uint8Array;
	/** The same indexed by two raw bytes (the folding done once here instead of at every step of scanBytes). */
	private readonly rawShift = new Uint8Array(65536);
	/** For a block with shift 0: the keys whose window ends with it. */
	private readonly buckets: (number[] | undefined)[] = new Array(65536);
	private readonly folded: readonly Uint8Array[];
	/** Where in each key its window of m units starts. */
	private readonly offsets: readonly number[];

	/**
	 * Each key is searched by one window of m units (Wu-Manber uses the first m; any window works, the hit is moved
	 * back by its offset). The window chosen is the one whose blocks are rarest by `blockCount` (how often a folded
	 * block occurs in some sample text), the last block counting most: that block sends the search to a comparison.
	 */
	constructor(keys: readonly string[], blockCount: (block: number) => number = () => 0) {
		this.folded = keys.map(foldKey);
		this.m = Math.max(2, Math.min(255, ...this.folded.map((k) => k.length)));
		const m = this.m;
		this.shift = new Uint8Array(65536).fill(m - 1);
		this.offsets = this.folded.map((key) => {
			let best = 0;
			let bestScore = Infinity;
			for (let o = 0; o + m <= key.length; o++) {
				let score = 0;
				for (let j = o + 1; j < o + m; j++) {
					score += blockCount((key[j - 1] << 8) | key[j]) * (j === o + m - 1 ? 4 : 1);
				}
				if (score < bestScore) {
					best = o;
					bestScore = score;
				}
			}
			return best;
		});
		this.folded.forEach((key, index) => {
			const o = this.offsets[index];
			for (let j = 1; j < m; j++) {
				const block = (key[o + j - 1] << 8) | key[o + j];
				this.shift[block] = Math.min(this.shift[block], m - 1 - j);
			}
			const last = (key[o + m - 2] << 8) | key[o + m - 1];
			(this.buckets[last] ??= []).push(index);
		});
		for (let hi = 0; hi < 256; hi++) {
			for (let lo = 0; lo < 256; lo++) {
				this.rawShift[(hi << 8) | lo] = this.shift[(FOLD[hi] << 8) | FOLD[lo]];
			}
		}
	}

	/**
	 * Calls hit(position, keyIndex) for every key occurrence in [from, to), in the order of their windows: the order
	 * of lines is kept (no key holds a line end), not always the order within a line.
	 */
	scanBytes(t: Uint8Array, from: number, to: number, hit: (pos: number, key: number) => void): void {
		const m = this.m;
		const shift = this.rawShift;
		let pos = from + m - 1;
		while (pos < to) {
			const s = shift[(t[pos - 1] << 8) | t[pos]];
			if (s > 0) {
				pos += s;
				continue;
			}
			const window = pos - m + 1;
			for (const k of this.buckets[(FOLD[t[pos - 1]] << 8) | FOLD[t[pos]]]!) {
				const key = this.folded[k];
				const start = window - this.offsets[k];
				if (start >= from && start + key.length <= to && equalsAt(t, start, key)) {
					hit(start, k);
				}
			}
			pos++;
		}
	}

	scanString(t: string, from: number, to: number, hit: (pos: number, key: number) => void): void {
		const m = this.m;
		const shift = this.shift;
		let pos = from + m - 1;
		while (pos < to) {
			const block = (foldUnit(t.charCodeAt(pos - 1)) << 8) | foldUnit(t.charCodeAt(pos));
			const s = shift[block];
			if (s > 0) {
				pos += s;
				continue;
			}
			const window = pos - m + 1;
			for (const k of this.buckets[block]!) {
				const key = this.folded[k];
				const start = window - this.offsets[k];
				if (start >= from && start + key.length <= to && equalsAt(t, start, key)) {
					hit(start, k);
				}
			}
			pos++;
		}
	}
}

let rulesCache: Rules | undefined;
function rules(): Rules {
	rulesCache ??= buildRules(catalogueMessages);
	return rulesCache;
}

/**
 * The candidate messages of the line t[from, to) (indexes, ascending), from the key hits on it (pairs of position
 * and key index in hits[h, hEnd)): a rule is a candidate when its key occurred and its other pieces are on the line.
 */
function candidatesOf(r: Rules, t: Units, from: number, to: number, hits: readonly number[], h: number, hEnd: number): readonly number[] {
	let found: number[] | undefined = r.alwaysTested.length > 0 ? [...r.alwaysTested] : undefined;
	for (let i = h; i < hEnd; i += 2) {
		for (const rule of r.keyRules[hits[i + 1]]) {
			if (found?.includes(rule.messageIndex) || !allOn(t, from, to, rule.others)) {
				continue;
			}
			(found ??= []).push(rule.messageIndex);
		}
	}
	if (r.eventMessages.length > 0 && mayBeEventRow(t, from, to)) {
		found = [...new Set([...(found ?? []), ...r.eventMessages])];
	}
	return found === undefined ? noCandidates : found.sort((a, b) => a - b);
}

const noCandidates: readonly number[] = [];

function allOn(t: Units, from: number, to: number, pieces: readonly Uint8Array[]): boolean {
	for (const piece of pieces) {
		if (!containsAt(t, from, to, piece)) {
			return false;
		}
	}
	return true;
}

/** The prefilter's verdict for one line: ids of the messages it lets through to the catalogue's matching (for tests). */
export function candidateMessageIds(line: string): string[] {
	const r = rules();
	const hits: number[] = [];
	r.matcher.scanString(line, 0, line.length, (pos, key) => hits.push(pos, key));
	return candidatesOf(r, line, 0, line.length, hits, 0, hits.length).map((i) => r.messages[i].id);
}

/** The keys the prefilter scans for, with the messages each may show (for the tests and the bench's report). */
export function prefilterKeys(): { key: string; messageIds: string[] }[] {
	const r = rules();
	return r.keys.map((key, i) => ({ key, messageIds: r.keyRules[i].map((rule) => r.messages[rule.messageIndex].id) }));
}

/**
 * Whether t[from, to) may be an event-export row (see eventRow): its first unit after ASCII white space is a quote, a
 * digit, the first letter of a level word, or non-ASCII (which may be white space for the rows' `\s*`).
 */
function mayBeEventRow(t: Units, from: number, to: number): boolean {
	for (let i = from; i < to; i++) {
		const u = typeof t === 'string' ? t.charCodeAt(i) : t[i];
		if (u >= 0x80) {
			return true;
		}
		const c = FOLD[u];
		if (c !== 32) {
			return c === 0x22 || (c >= 0x30 && c <= 0x39) || c === 0x65 || c === 0x77 || c === 0x69 || c === 0x63 || c === 0x76 || c === 0x61;
		}
	}
	return false;
}

// ---------------------------------------------------------------------------------------------------------------------
// Event-export rows

const LEVEL = '(?:error|warning|information|critical|verbose|audit success|audit failure)';
const csvRow = /^\s*"?([^",\t]*)"?[,\t]"?([^",\t]*)"?[,\t]"?([^",\t]*)"?[,\t]"?(\d{1,5})"?(?:[,\t]|$)/;
const levelOnly = new RegExp(`^${LEVEL}$`, 'i');
const tableRow = new RegExp(`^\\s*\\d{1,4}[/.-]\\d{1,2}[/.-]\\d{1,4}\\s+\\d{1,2}:\\d{2}(?::\\d{2})?(?:\\s*[AP]M)?\\s+(\\d{1,5})\\s+${LEVEL}\\b`, 'i');
const agentService = /AADConnectProvisioningAgent|Provisioning Agent/i;

/** When the line is an event-export row: its event id and source (the source only in CSV/text rows). */
export function eventRow(line: string): { id: number; source?: string } | undefined {
	const csv = csvRow.exec(line);
	if (csv && levelOnly.test(csv[1].trim()) && /\d/.test(csv[2])) {
		return { id: Number(csv[4]), source: csv[3].trim() };
	}
	const table = tableRow.exec(line);
	return table ? { id: Number(table[1]) } : undefined;
}

function eventRuleMatches(message: Message, line: string, row: { id: number; source?: string }): boolean {
	const event = message.match.event;
	if (!event || !event.ids.includes(row.id)) {
		return false;
	}
	if (event.provider !== undefined && row.source !== undefined && row.source.toLowerCase() !== event.provider.toLowerCase()) {
		return false;
	}
	return event.about !== 'agent-service' || agentService.test(line);
}

// ---------------------------------------------------------------------------------------------------------------------
// Verification and ranges

/**
 * The line with white space collapsed and trimmed as normalizeMessageText does, with the index in the line of each
 * unit of the result (and one past the end).
 */
function normalizedWithMap(line: string): { text: string; map: number[] } {
	let text = '';
	const map: number[] = [];
	let space = false;
	for (let i = 0; i < line.length; i++) {
		const c = line[i];
		if (/\s/.test(c)) {
			space = text.length > 0;
			continue;
		}
		if (space) {
			text += ' ';
			map.push(i);
			space = false;
		}
		text += c;
		map.push(i);
	}
	return { text, map };
}

/** The range on the line of a message's literal or pattern (the message is known to match the line). */
function textRange(message: Message, pattern: RegExp | undefined, line: string): [number, number] {
	const { text, map } = normalizedWithMap(line);
	const end = (normalizedEnd: number) => map[normalizedEnd - 1] + 1 + (isHighSurrogate(line.charCodeAt(map[normalizedEnd - 1])) ? 1 : 0);
	// Lowercase unit by unit, so that indexes keep their meaning (toLowerCase of the whole can change the length).
	let lower = '';
	const lowerMap: number[] = [];
	for (let i = 0; i < text.length; i++) {
		const l = text[i].toLowerCase();
		lower += l;
		for (let j = 0; j < l.length; j++) {
			lowerMap.push(i);
		}
	}
	for (const literal of message.match.literal ?? []) {
		const wanted = normalizeMessageText(literal).toLowerCase();
		const at = lower.indexOf(wanted);
		if (at >= 0) {
			return [map[lowerMap[at]], end(lowerMap[at + wanted.length - 1] + 1)];
		}
	}
	const m = pattern?.exec(text);
	if (m && m[0].length > 0) {
		return [map[m.index], end(m.index + m[0].length)];
	}
	// A match messageMatchesText sees that the unit-by-unit lowercasing does not (a context-dependent lowercase):
	// the whole trimmed line.
	return trimmedRange(line);
}

function isHighSurrogate(u: number): boolean {
	return u >= 0xd800 && u <= 0xdbff;
}

function trimmedRange(line: string): [number, number] {
	const start = line.length - line.trimStart().length;
	return [start, Math.max(start, line.trimEnd().length)];
}

function finding(r: Rules, index: number, lineNumber: number, [start, end]: [number, number]): LogFinding {
	const message = r.messages[index];
	return {
		line: lineNumber,
		startCharacter: start,
		endCharacter: end,
		messageId: message.id,
		failureIds: message.causes.map((c) => c.failure),
		severity: r.severities[index],
		messageText: message.text,
	};
}

/** Findings of the given candidate messages (indexes, ascending) on one line. */
function verify(r: Rules, line: string, lineNumber: number, candidates: readonly number[]): LogFinding[] {
	const out: LogFinding[] = [];
	let row: ReturnType<typeof eventRow> | null = null;
	for (const index of candidates) {
		const message = r.messages[index];
		if ((message.match.literal || message.match.pattern !== undefined) && messageMatchesText(message, line)) {
			out.push(finding(r, index, lineNumber, textRange(message, r.compiledPatterns[index], line)));
			continue;
		}
		if (message.match.event) {
			row = row === null ? eventRow(line) : row;
			if (row && eventRuleMatches(message, line, row)) {
				out.push(finding(r, index, lineNumber, trimmedRange(line)));
			}
		}
	}
	return out.sort((a, b) => a.startCharacter - b.startCharacter);
}

// ---------------------------------------------------------------------------------------------------------------------
// The API

/** The catalogue's messages on one line (its line number given for the findings). */
export function scanLine(line: string, lineNumber: number): LogFinding[] {
	const r = rules();
	const hits: number[] = [];
	r.matcher.scanString(line, 0, line.length, (pos, key) => hits.push(pos, key));
	const candidates = candidatesOf(r, line, 0, line.length, hits, 0, hits.length);
	return candidates.length === 0 ? [] : verify(r, line, lineNumber, candidates);
}

/**
 * The catalogue's messages in a whole text (a document's), lines split on \r?\n, in line order. Lines are not cut at
 * MAX_LINE_UNITS here (the text is in memory already), so on a line longer than that it may find more than scanFile.
 */
export function scanText(text: string): LogFinding[] {
	const r = rules();
	const out: LogFinding[] = [];
	const hits: number[] = [];
	r.matcher.scanString(text, 0, text.length, (pos, key) => hits.push(pos, key));
	let lineStart = 0;
	let lineNumber = 0;
	let h = 0;
	for (;;) {
		const lf = text.indexOf('\n', lineStart);
		const lineEnd = lf < 0 ? text.length : lf;
		const hStart = h;
		while (h < hits.length && hits[h] < lineEnd) {
			h += 2;
		}
		const candidates = candidatesOf(r, text, lineStart, lineEnd, hits, hStart, h);
		if (candidates.length > 0) {
			const line = text.slice(lineStart, lineEnd > lineStart && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd);
			out.push(...verify(r, line, lineNumber, candidates));
		}
		if (lf < 0) {
			return out;
		}
		lineStart = lf + 1;
		lineNumber++;
	}
}

export interface ScanFileOptions {
	readonly signal?: AbortSignal;
	/** Bytes read at a time (default 1 MiB); small values are for tests. */
	readonly chunkSize?: number;
}

/**
 * Scans a file without holding it: memory is three chunks plus at most MAX_LINE_UNITS of one line. `lines` counts
 * the line ends, plus one for a last line without a line end. Rejects with the AbortSignal's reason when aborted.
 */
export async function scanFile(path: string, onFinding: (f: LogFinding) => void, options: ScanFileOptions = {}): Promise<{ lines: number; encoding: string }> {
	const chunkSize = Math.max(1, Math.floor(options.chunkSize ?? 1 << 20));
	const handle = await open(path, 'r');
	try {
		const head = new Uint8Array(DETECT_BYTES);
		const { bytesRead } = await handle.read(head, 0, DETECT_BYTES, 0);
		const { encoding, bomLength } = detectEncoding(head.subarray(0, bytesRead));
		if (encoding.startsWith('utf-16')) {
			const decoder = new LineDecoder(encoding, (line, n) => scanLine(line, n).forEach(onFinding));
			const chunk = new Uint8Array(chunkSize);
			let position = bomLength;
			for (;;) {
				options.signal?.throwIfAborted();
				const { bytesRead: n } = await handle.read(chunk, 0, chunkSize, position);
				if (n === 0) {
					break;
				}
				position += n;
				decoder.push(chunk.subarray(0, n));
			}
			decoder.end();
			return { lines: decoder.lines, encoding };
		}
		const lines = await scanUtf8(handle, bomLength, chunkSize, onFinding, options.signal);
		return { lines, encoding };
	} finally {
		await handle.close();
	}
}

type FileHandle = Awaited<ReturnType<typeof open>>;

/** The fast path: the prefilter runs over the raw bytes; only candidate lines are decoded. */
async function scanUtf8(handle: FileHandle, bomLength: number, chunkSize: number, onFinding: (f: LogFinding) => void, signal?: AbortSignal): Promise<number> {
	const r = rules();
	const cap = MAX_LINE_UNITS;
	// [0, carry): the start of the current line (at most cap bytes); then the bytes read.
	const bytes = new Uint8Array(chunkSize + cap);
	const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
	let carry = 0;
	let dropping = false; // the current line passed cap bytes: its rest is dropped up to its line end
	let lineNumber = 0;
	let position = bomLength;
	const hits: number[] = [];
	const everyLine = r.alwaysTested.length > 0;

	const lineText = (start: number, end: number): string => {
		if (end > start && buf[end - 1] === 13) {
			end--;
		}
		if (end - start > cap) {
			end = start + cap;
			while (end > start && (buf[end] & 0xc0) === 0x80) {
				end--; // cut on a character boundary
			}
		}
		return buf.toString('utf8', start, end);
	};
	/** Whole lines in [0, to), the last one ending at `to` (its LF or the end of the file). */
	const region = (to: number) => {
		hits.length = 0;
		r.matcher.scanBytes(bytes, 0, to, (pos, key) => hits.push(pos, key));
		let lineStart = 0;
		let h = 0;
		for (;;) {
			let lf = buf.indexOf(10, lineStart);
			if (lf < 0 || lf >= to) {
				lf = to;
			}
			const hStart = h;
			while (h < hits.length && hits[h] < lf) {
				h += 2;
			}
			// Most lines have no hit and do not look like an event row: nothing is decoded for them.
			if (h > hStart || everyLine || (r.eventMessages.length > 0 && mayBeEventRow(bytes, lineStart, lf))) {
				const lineEnd = Math.min(lf, lineStart + cap);
				const candidates = candidatesOf(r, bytes, lineStart, lineEnd, hits, hStart, h);
				if (candidates.length > 0) {
					verify(r, lineText(lineStart, lf), lineNumber, candidates).forEach(onFinding);
				}
			}
			lineNumber++;
			if (lf >= to - 1) {
				return;
			}
			lineStart = lf + 1;
		}
	};

	// Two read buffers: the next chunk is read (in libuv's thread pool) while this one is scanned.
	const spare = [new Uint8Array(chunkSize), new Uint8Array(chunkSize)];
	let which = 0;
	let inFlight: Promise<{ bytesRead: number }> | undefined = handle.read(spare[0], 0, chunkSize, position);
	try {
		for (;;) {
			signal?.throwIfAborted();
			const { bytesRead } = await inFlight!;
			inFlight = undefined;
			if (bytesRead === 0) {
				break;
			}
			position += bytesRead;
			const chunk = spare[which];
			which ^= 1;
			inFlight = handle.read(spare[which], 0, chunkSize, position);
			bytes.set(chunk.subarray(0, bytesRead), carry);
			let end = carry + bytesRead;
			if (dropping) {
				const lf = buf.indexOf(10, carry);
				if (lf < 0 || lf >= end) {
					continue; // still inside the over-long line: drop what was read
				}
				buf.copyWithin(carry, lf, end);
				end -= lf - carry;
			}
			const lastLf = buf.lastIndexOf(10, end - 1);
			if (lastLf >= 0) {
				region(lastLf + 1);
			}
			const tail = end - (lastLf + 1);
			const keep = Math.min(tail, cap);
			buf.copyWithin(0, lastLf + 1, lastLf + 1 + keep);
			carry = keep;
			dropping = tail > cap;
		}
	} finally {
		// Do not close the file under a read still running (an abort, or a throwing onFinding).
		await inFlight?.catch(() => undefined);
	}
	if (carry > 0 || dropping) {
		// A last line without a line end (truncated file): still a line.
		region(carry);
	}
	return lineNumber;
}
