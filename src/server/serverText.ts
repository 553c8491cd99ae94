/**
 * What the log language server says about an agent log, as LSP values: the scanner's findings turned into
 * diagnostics, the hover's Markdown, the code actions of a diagnostic and the outline. Pure: no connection, no I/O and
 * no `vscode` import, so server.ts only wires these to the protocol and the unit tests can call them directly.
 *
 * Every sentence comes from the catalogue; every piece of log text put into Markdown is escaped.
 */
import {
	CodeAction,
	CodeActionKind,
	DiagnosticSeverity,
	DocumentSymbol,
	MarkupKind,
	SymbolKind,
	type Diagnostic,
	type Hover,
	type MarkupContent,
	type Range,
} from 'vscode-languageserver';
import { findCheck, findFailure, findMessage, findSource } from '../checks/catalogue';
import { explainMessage } from '../checks/explainMessage';
import { Commands } from '../constants';
import { escapeMarkdown } from '../views/treeModel';
import type { LogFinding } from './logScanner';

/** The `source` of every diagnostic this server publishes; the client's status bar counts by it. */
export const diagnosticSource = 'Provisioning Agent Doctor';

/** At most this many diagnostics per document; the last one says how many were left out. */
export const maxDiagnosticsPerDocument = 1000;

/** What a diagnostic carries for its code actions, so they need no lookup of server state. */
export interface FindingData {
	readonly messageId: string;
	readonly failureIds: readonly string[];
	/** The check of the first known failure: its panel explains the failure, running it tells the causes apart. */
	readonly checkId?: string;
}

const severities: Readonly<Record<LogFinding['severity'], DiagnosticSeverity>> = {
	error: DiagnosticSeverity.Error,
	warning: DiagnosticSeverity.Warning,
	information: DiagnosticSeverity.Information,
};

/** The first failure id of the finding that the catalogue knows, with its check. */
function firstKnownFailure(finding: Pick<LogFinding, 'failureIds'>): ReturnType<typeof findFailure> {
	for (const id of finding.failureIds) {
		const known = findFailure(id);
		if (known) {
			return known;
		}
	}
	return undefined;
}

/** The first Microsoft page the failure cites (findFailure(...).failure.sources, resolved again through findSource). */
export function microsoftSourceUrl(failureId: string): string | undefined {
	const known = findFailure(failureId);
	const source = known?.failure.sources.map((s) => findSource(s.id)).find((s) => s?.publisher === 'microsoft');
	return source?.url;
}

function rangeOf(finding: LogFinding): Range {
	return {
		start: { line: finding.line, character: finding.startCharacter },
		end: { line: finding.line, character: Math.max(finding.startCharacter, finding.endCharacter) },
	};
}

/**
 * One finding as a diagnostic: the catalogue's message text and the most likely cause's title; `code` is the finding's
 * first failure id and the link that failure's first Microsoft page.
 */
export function toDiagnostic(finding: LogFinding): Diagnostic {
	const known = firstKnownFailure(finding);
	const code = finding.failureIds[0] ?? finding.messageId;
	const messageText = findMessage(finding.messageId)?.text ?? finding.messageText;
	const href = known ? microsoftSourceUrl(known.failure.id) : undefined;
	const data: FindingData = { messageId: finding.messageId, failureIds: finding.failureIds, checkId: known?.check.id };
	// The short cause is the message's most likely one (its first), as Explain an Error ranks a single message.
	const likely = findFailure(findMessage(finding.messageId)?.causes[0]?.failure ?? '')?.failure ?? known?.failure;
	return {
		range: rangeOf(finding),
		severity: severities[finding.severity],
		code,
		...(href ? { codeDescription: { href } } : {}),
		source: diagnosticSource,
		message: likely ? `${messageText} Most likely cause: ${likely.title}.` : messageText,
		data,
	};
}

/**
 * The diagnostics of a document's findings, at most `max`; when some are left out, the last one shown says how many,
 * so a long log does not flood the Problems panel silently.
 */
export function toDiagnostics(findings: readonly LogFinding[], max = maxDiagnosticsPerDocument): Diagnostic[] {
	const shown = findings.slice(0, max).map(toDiagnostic);
	const left = findings.length - shown.length;
	if (left > 0 && shown.length > 0) {
		const last = shown[shown.length - 1];
		shown[shown.length - 1] = {
			...last,
			message: `${last.message} (Only the first ${max} findings of this log are shown; ${left} more are not.)`,
		};
	}
	return shown;
}

function contains(range: Range, line: number, character: number): boolean {
	return range.start.line === line && character >= range.start.character && character <= range.end.character;
}

/**
 * The hover of a position: the catalogue message of each finding under it, then the causes of the whole line ranked
 * exactly as Explain an Error ranks them (explainMessage on the line), then the checks that tell them apart.
 * Undefined when no finding covers the position.
 */
export function hoverFor(lineText: string, findings: readonly LogFinding[], line: number, character: number): Hover | undefined {
	const under = findings.filter((f) => contains(rangeOf(f), line, character));
	if (under.length === 0) {
		return undefined;
	}
	const parts: string[] = [];
	for (const messageId of [...new Set(under.map((f) => f.messageId))]) {
		const finding = under.find((f) => f.messageId === messageId)!;
		parts.push(`**${escapeMarkdown(findMessage(messageId)?.text ?? finding.messageText)}**`);
	}
	const explanation = explainMessage(lineText);
	// The line's causes when explainMessage sees them; otherwise the finding's own failure ids, in their order.
	const causes = explanation.causes.length > 0
		? explanation.causes.map((c) => ({ title: c.failureTitle, when: c.when, checkId: c.checkId }))
		: [...new Set(under.flatMap((f) => f.failureIds))].flatMap((id) => {
			const known = findFailure(id);
			return known ? [{ title: known.failure.title, when: undefined as string | undefined, checkId: known.check.id }] : [];
		});
	if (causes.length > 0) {
		parts.push('Possible causes, most likely first:');
		parts.push(causes.map((c, i) => `${i + 1}. ${escapeMarkdown(c.title)}${c.when ? ` — ${escapeMarkdown(c.when)}` : ''}`).join('\n'));
		const checkIds = explanation.checks.length > 0 ? explanation.checks : [...new Set(causes.map((c) => c.checkId))];
		const titles = checkIds.map((id) => findCheck(id)?.title).filter((t): t is string => Boolean(t));
		if (titles.length > 0) {
			parts.push(`Checks that tell them apart: ${titles.map(escapeMarkdown).join(', ')}.`);
		}
	}
	const contents: MarkupContent = { kind: MarkupKind.Markdown, value: parts.join('\n\n') };
	const first = rangeOf(under[0]);
	return { contents, range: first };
}

function isFindingData(value: unknown): value is FindingData {
	const data = value as FindingData | undefined;
	return typeof data?.messageId === 'string' && Array.isArray(data.failureIds);
}

/**
 * The code actions of one of our diagnostics: the failure's panel, running its check (when a probe can run it) and
 * Explain an Error on the line. The commands are the extension's own (client side); their arguments are catalogue ids
 * and the line's text, nothing else.
 */
export function codeActionsFor(diagnostic: Diagnostic, lineText: string): CodeAction[] {
	if (diagnostic.source !== diagnosticSource || !isFindingData(diagnostic.data)) {
		return [];
	}
	const actions: CodeAction[] = [];
	const check = diagnostic.data.checkId ? findCheck(diagnostic.data.checkId) : undefined;
	const action = (title: string, command: string, argument: string): CodeAction => {
		const result = CodeAction.create(title, { title, command, arguments: [argument] }, CodeActionKind.QuickFix);
		result.diagnostics = [diagnostic];
		return result;
	};
	if (check) {
		actions.push(action('Show failure details', Commands.showFailure, check.id));
		if (check.probe) {
			actions.push(action(`Run the check ${check.title}`, Commands.runCheck, check.id));
		}
	}
	actions.push(action('Explain this line', Commands.explainError, lineText));
	return actions;
}

/** A trace line's time of day, `[HH:mm:ss.fff]`, or a Burn line's `[pid:tid][yyyy-MM-ddTHH:mm:ss]`, in seconds. */
function timeOfLine(line: string): number | undefined {
	const m = /^\[(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?\]/.exec(line) ?? /^\[[0-9A-Fa-f]+:[0-9A-Fa-f]+\]\[\d{4}-\d{2}-\d{2}T(\d{2}):(\d{2}):(\d{2})\]/.exec(line);
	return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : undefined;
}

/** A gap of at least this many seconds between two timed lines starts a new session in the outline. */
export const sessionGapSeconds = 10 * 60;

/**
 * The outline of a log: one symbol per session, one child per finding (named by its most likely failure).
 *
 * The rule, kept simple on purpose: a session starts at the first line, at every MSI `=== Logging started` line, and at
 * every timed line (trace `[HH:mm:ss.fff]`, Burn `[pid:tid][date T time]`) that is at least ten minutes after the
 * previous timed line or earlier than it (the clock went back: a new day or a new run appended to the file).
 */
export function outline(lines: readonly string[], findings: readonly LogFinding[]): DocumentSymbol[] {
	const starts: number[] = [];
	let previous: number | undefined;
	lines.forEach((text, index) => {
		const time = timeOfLine(text);
		const gap = time !== undefined && previous !== undefined && (time < previous || time - previous >= sessionGapSeconds);
		if (index === 0 || /^=== Logging started/i.test(text) || gap) {
			if (starts[starts.length - 1] !== index) {
				starts.push(index);
			}
		}
		if (time !== undefined) {
			previous = time;
		}
	});
	if (lines.length === 0) {
		return [];
	}
	return starts.map((start, i) => {
		const end = i + 1 < starts.length ? starts[i + 1] - 1 : lines.length - 1;
		const range: Range = { start: { line: start, character: 0 }, end: { line: end, character: lines[end].length } };
		const selection: Range = { start: { line: start, character: 0 }, end: { line: start, character: lines[start].length } };
		const first = lines[start].trim();
		const label = first.length > 60 ? `${first.slice(0, 60)}…` : first;
		const children = findings
			.filter((f) => f.line >= start && f.line <= end)
			.map((f) => {
				const known = firstKnownFailure(f);
				const findingRange = rangeOf(f);
				return DocumentSymbol.create(
					known?.failure.title ?? findMessage(f.messageId)?.text ?? f.messageId,
					`line ${f.line + 1}`,
					f.severity === 'error' ? SymbolKind.Event : SymbolKind.Key,
					findingRange,
					findingRange,
				);
			});
		return DocumentSymbol.create(`Session ${i + 1}`, label || `line ${start + 1}`, SymbolKind.Namespace, range, selection, children);
	});
}
