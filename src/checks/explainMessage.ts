/**
 * "What does this error mean?": finds the catalogue's messages in any pasted text (a wizard dialog, log lines, an event
 * message, a PowerShell error) and returns the causes they can point to, ranked, with the checks that tell those causes
 * apart. The log language server and the panels use the same function.
 *
 * Matching follows the catalogue's rules (messages.json) and equals the PowerShell probes' (lib/Messages.ps1):
 * case-insensitive, every run of white space read as one space. Pure: no `vscode` import, no I/O.
 */
import { findFailure, messages as catalogueMessages } from './catalogue';
import type { Message } from './types';

export interface MessageMatch {
	readonly message: Message;
	/** The (first) line of the text that showed it, trimmed; the whole text when it was spread over lines. */
	readonly excerpt: string;
	/** 1-based line of the excerpt, when it was found on one line. */
	readonly line?: number;
}

export interface RankedCause {
	readonly failureId: string;
	readonly failureTitle: string;
	readonly checkId: string;
	/** In which situation this cause applies, from the first matched message that names it. */
	readonly when?: string;
	/** The matched messages that name this cause. */
	readonly messageIds: readonly string[];
}

export interface MessageExplanation {
	readonly matched: boolean;
	readonly matches: readonly MessageMatch[];
	/** Most likely first: named by more of the matched messages, then named earlier in a message's list. */
	readonly causes: readonly RankedCause[];
	/** The checks that find those causes, in the order of the causes: running them tells the causes apart. */
	readonly checks: readonly string[];
}

export function normalizeMessageText(text: string): string {
	return text.replace(/\s+/g, ' ').trim();
}

const patternCache = new Map<string, RegExp>();

function compiled(pattern: string): RegExp {
	let re = patternCache.get(pattern);
	// Stryker disable next-line ConditionalExpression: a cache; compiling again gives an equal expression.
	if (!re) {
		re = new RegExp(pattern, 'i');
		patternCache.set(pattern, re);
	}
	return re;
}

/** True when the text shows the message by its literal or pattern rule. */
export function messageMatchesText(message: Message, text: string): boolean {
	const normalized = normalizeMessageText(text);
	// Stryker disable next-line ConditionalExpression,BlockStatement: a shortcut only; no catalogue literal or pattern matches empty text.
	if (!normalized) {
		return false;
	}
	const lower = normalized.toLowerCase();
	if (message.match.literal?.some((literal) => lower.includes(normalizeMessageText(literal).toLowerCase()))) {
		return true;
	}
	return message.match.pattern !== undefined && compiled(message.match.pattern).test(normalized);
}

/** Event ids the text names ("Event ID 7041", "event 7041", "EventID: 7041"). */
export function mentionedEventIds(text: string): number[] {
	return [...text.matchAll(/\bevent\s*(?:id)?\s*[:#]?\s*(\d{3,5})\b/gi)].map((m) => Number(m[1]));
}

export function explainMessage(text: string, messages: readonly Message[] = catalogueMessages): MessageExplanation {
	const found = new Map<string, MessageMatch>();
	const lines = text.split(/\r?\n/);
	lines.forEach((raw, index) => {
		const line = raw.trim();
		// Stryker disable next-line ConditionalExpression,BlockStatement: a shortcut only; an empty line matches no message.
		if (!line) {
			return;
		}
		for (const message of messages) {
			if (!found.has(message.id) && messageMatchesText(message, line)) {
				found.set(message.id, { message, excerpt: line, line: index + 1 });
			}
		}
	});
	// A dialog copied as several lines matches only as a whole.
	for (const message of messages) {
		if (!found.has(message.id) && messageMatchesText(message, text)) {
			found.set(message.id, { message, excerpt: normalizeMessageText(text) });
		}
	}
	const ids = mentionedEventIds(text);
	for (const message of messages) {
		const event = message.match.event;
		if (!found.has(message.id) && event && event.ids.some((id) => ids.includes(id))) {
			found.set(message.id, { message, excerpt: normalizeMessageText(text) });
		}
	}
	// Keep the catalogue's order of messages, so results do not depend on where in the text each one was.
	const matches = messages.filter((m) => found.has(m.id)).map((m) => found.get(m.id)!);

	const ranking = new Map<string, { count: number; bestIndex: number; order: number; when?: string; messageIds: string[] }>();
	let order = 0;
	for (const { message } of matches) {
		message.causes.forEach((cause, index) => {
			const entry = ranking.get(cause.failure);
			if (entry) {
				entry.count++;
				entry.bestIndex = Math.min(entry.bestIndex, index);
				entry.messageIds.push(message.id);
				entry.when ??= cause.when;
			} else {
				ranking.set(cause.failure, { count: 1, bestIndex: index, order: order++, when: cause.when, messageIds: [message.id] });
			}
		});
	}
	// Stryker disable ArithmeticOperator: the map is in first-mention order and sort is stable, so the last tie-break only states the rule.
	const causes: RankedCause[] = [...ranking.entries()]
		.sort(([, a], [, b]) => b.count - a.count || a.bestIndex - b.bestIndex || a.order - b.order)
		.flatMap(([failureId, entry]) => {
			const known = findFailure(failureId);
			return known
				? [{ failureId, failureTitle: known.failure.title, checkId: known.check.id, when: entry.when, messageIds: entry.messageIds }]
				: [];
		});
	// Stryker restore ArithmeticOperator
	const checks = [...new Set(causes.map((c) => c.checkId))];
	return { matched: matches.length > 0, matches, causes, checks };
}
