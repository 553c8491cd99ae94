/**
 * The gate for messages a panel's webview posts to the extension. A webview is a page: whatever it sends is treated
 * like input from outside, so only the exact shapes its buttons produce pass, with ids the catalogue knows. The
 * extension still looks every id up again and takes every value (script, parameters, URL) from its own data; the
 * message only says which button was pressed.
 *
 * Pure: no `vscode` import, no I/O.
 */
import { findCheck, findFix, findSource } from '../checks/catalogue';
import { logLinesEvidenceKey, maxLogLines } from '../logs/logLines';

export type PanelMessage =
	| { readonly type: 'rerun'; readonly checkId: string }
	| { readonly type: 'runFix'; readonly checkId: string; readonly fixId: string }
	| { readonly type: 'copy'; readonly checkId: string; readonly fixId: string }
	| { readonly type: 'openLink'; readonly sourceId: string }
	/** From the summary or Explain an Error: open the failure panel of that check. */
	| { readonly type: 'showCheck'; readonly checkId: string }
	/** Explain an Error (its own panel, or the summary's text box): the pasted text, only ever matched, never run. */
	| { readonly type: 'explain'; readonly text: string }
	/** Explain an Error: run the checks of the explanation the panel shows (the extension kept it; nothing is sent). */
	| { readonly type: 'runExplained' }
	/** Explain an Error, when nothing matched: run the whole diagnosis. */
	| { readonly type: 'runDiagnosis' }
	/** A check's panel: open the log line at this place of its result's list (the extension reads the path itself). */
	| { readonly type: 'openLogLine'; readonly checkId: string; readonly line: number };

export type PanelMessageType = PanelMessage['type'];

/** The properties each kind has, besides `type`; no other property is accepted. */
const shapes: Readonly<Record<PanelMessageType, readonly string[]>> = {
	rerun: ['checkId'],
	runFix: ['checkId', 'fixId'],
	copy: ['checkId', 'fixId'],
	openLink: ['sourceId'],
	showCheck: ['checkId'],
	explain: ['text'],
	runExplained: [],
	runDiagnosis: [],
	openLogLine: ['checkId', 'line'],
};

/**
 * The most text Explain an Error takes: a log excerpt of a few thousand lines. More is refused (the log says why)
 * rather than matched line by line against every message while the extension host waits.
 */
export const maxExplainTextLength = 200_000;

/** Catalogue ids are at most 38 characters today; the bound keeps a flood of text out of the log. */
export const maxIdLength = 64;

const idPattern = /^[a-z0-9][a-z0-9.-]*$/;

class Rejected extends Error {}

function reject(reason: string): never {
	throw new Rejected(reason);
}

/** A plain object as structured clone delivers it: no array, no class instance, no getters. */
function ownDataProperties(raw: unknown): ReadonlyMap<string, unknown> {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
		reject(`not an object but ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`);
	}
	const prototype: unknown = Object.getPrototypeOf(raw);
	if (prototype !== Object.prototype && prototype !== null) {
		reject('not a plain object');
	}
	const properties = new Map<string, unknown>();
	// Reflect.ownKeys sees symbols and "__proto__" as an own key (JSON.parse makes one), which `in` and spread hide.
	for (const key of Reflect.ownKeys(raw)) {
		if (typeof key !== 'string') {
			reject('has a symbol property');
		}
		const descriptor = Object.getOwnPropertyDescriptor(raw, key)!;
		if (!('value' in descriptor)) {
			reject(`property "${printable(key)}" is an accessor`);
		}
		properties.set(key, descriptor.value);
	}
	return properties;
}

/** A value named in a reason, cut short and with control characters made visible, so the log line stays one line. */
function printable(text: string): string {
	const cut = text.length > maxIdLength ? `${text.slice(0, maxIdLength)}…` : text;
	return JSON.stringify(cut).slice(1, -1);
}

function isMessageType(value: unknown): value is PanelMessageType {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(shapes, value);
}

function readId(properties: ReadonlyMap<string, unknown>, name: string): string {
	const value = properties.get(name);
	if (typeof value !== 'string') {
		reject(`${name} is not a string`);
	}
	if (value.length === 0 || value.length > maxIdLength) {
		reject(`${name} has ${value.length} characters (1 to ${maxIdLength} allowed)`);
	}
	if (!idPattern.test(value)) {
		reject(`${name} "${printable(value)}" is not an id`);
	}
	return value;
}

/** An id of the message that the catalogue knows (`find` looks it up); `what` names it in the reason for the log. */
function knownId(properties: ReadonlyMap<string, unknown>, name: string, what: string, find: (id: string) => unknown): string {
	const id = readId(properties, name);
	if (!find(id)) {
		reject(`unknown ${what} "${id}"`);
	}
	return id;
}

function knownCheck(properties: ReadonlyMap<string, unknown>): string {
	return knownId(properties, 'checkId', 'check', findCheck);
}

/** The fix must be one that a failure of that check offers: a panel shows no other fix. */
function fixOfCheck(properties: ReadonlyMap<string, unknown>, checkId: string): string {
	const fixId = knownId(properties, 'fixId', 'fix', findFix);
	if (!findCheck(checkId)!.failures.some((failure) => failure.fixIds.includes(fixId))) {
		reject(`fix "${fixId}" is not offered by check "${checkId}"`);
	}
	return fixId;
}

function knownSource(properties: ReadonlyMap<string, unknown>): string {
	// Every catalogue URL is https (sources.schema.json, enforced by the catalogue tests); the glue opens the URL it
	// looks up by this id, never one from the message.
	return knownId(properties, 'sourceId', 'source', findSource);
}

/** "an explain message", "a rerun message": the reasons are read in the log. */
function article(type: string): string {
	return /^[aeiou]/.test(type) ? 'an' : 'a';
}

function parse(raw: unknown): PanelMessage {
	const properties = ownDataProperties(raw);
	const type = properties.get('type');
	if (!isMessageType(type)) {
		reject(typeof type === 'string' ? `unknown type "${printable(type)}"` : 'no string type');
	}
	const expected = new Set(['type', ...shapes[type]]);
	for (const key of properties.keys()) {
		if (!expected.has(key)) {
			reject(`unexpected property "${printable(key)}" in ${article(type)} ${type} message`);
		}
	}
	for (const key of expected) {
		if (!properties.has(key)) {
			reject(`${article(type)} ${type} message needs ${key}`);
		}
	}
	switch (type) {
		case 'rerun':
		case 'showCheck':
			return { type, checkId: knownCheck(properties) };
		case 'runFix':
		case 'copy': {
			const checkId = knownCheck(properties);
			return { type, checkId, fixId: fixOfCheck(properties, checkId) };
		}
		case 'openLink':
			return { type, sourceId: knownSource(properties) };
		case 'explain':
			return { type, text: readText(properties) };
		case 'runExplained':
		case 'runDiagnosis':
			return { type };
		case 'openLogLine': {
			const checkId = knownCheck(properties);
			if (!Object.prototype.hasOwnProperty.call(findCheck(checkId)!.evidence, logLinesEvidenceKey)) {
				reject(`check "${checkId}" reports no log lines`);
			}
			return { type, checkId, line: readLineIndex(properties) };
		}
	}
}

/** The place of a line in the list, as the button's data attribute gives it: a string of decimal digits. */
function readLineIndex(properties: ReadonlyMap<string, unknown>): number {
	const value = properties.get('line');
	if (typeof value !== 'string' || !/^(0|[1-9][0-9]?)$/.test(value)) {
		reject(`line is not a number from 0 to ${maxLogLines - 1}`);
	}
	const index = Number(value);
	if (index >= maxLogLines) {
		reject(`line is not a number from 0 to ${maxLogLines - 1}`);
	}
	return index;
}

function readText(properties: ReadonlyMap<string, unknown>): string {
	const value = properties.get('text');
	if (typeof value !== 'string') {
		reject('text is not a string');
	}
	if (value.length > maxExplainTextLength) {
		reject(`text has ${value.length} characters (at most ${maxExplainTextLength} allowed)`);
	}
	return value;
}

/**
 * The message if it is one a panel's button sends, with ids the catalogue knows; otherwise undefined, and
 * `onRejected` gets the reason (one line, for the log; it may quote a shortened, escaped part of the message).
 */
export function parsePanelMessage(raw: unknown, onRejected?: (reason: string) => void): PanelMessage | undefined {
	try {
		return parse(raw);
	} catch (error) {
		// Anything else that throws (a proxy's trap, say) is refused too: the gate never lets an error through.
		const reason = error instanceof Rejected ? error.message : 'it could not be read';
		onRejected?.(`Ignored a panel message: ${reason}.`);
		return undefined;
	}
}

/** Which panel a message came from: the summary, Explain an Error, or the panel of one check. */
export type PanelOrigin = { readonly kind: 'summary' } | { readonly kind: 'explain' } | { readonly kind: 'check'; readonly checkId: string };

/**
 * Whether that panel has such a button: a check's panel acts on its own check only (re-run, its fixes), the summary
 * opens check panels and explains text, Explain an Error explains, opens check panels and runs what it explained;
 * all open documentation. A message that passed the gate but names another check is
 * refused, so a page can never act on a check it does not show.
 */
export function messageAllowedFrom(origin: PanelOrigin, message: PanelMessage): boolean {
	switch (message.type) {
		case 'openLink':
			return true;
		case 'showCheck':
			return origin.kind === 'summary' || origin.kind === 'explain';
		case 'explain':
			return origin.kind === 'summary' || origin.kind === 'explain';
		case 'runExplained':
		case 'runDiagnosis':
			return origin.kind === 'explain';
		default:
			return origin.kind === 'check' && message.checkId === origin.checkId;
	}
}
