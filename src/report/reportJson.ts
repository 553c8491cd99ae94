/**
 * The diagnosis report for support, as JSON: the result file unchanged (or redacted), so a report opens again
 * exactly as it was, plus a part derived from it for people reading the file (each check's title, category, summary,
 * failures with their remediation and sources). The words of that part come from ../checks/explain.
 *
 * Reading a report back, the result is the truth and the derived part is only for people: `parseReport` validates
 * the result as the result file is validated, then derives the part again from it with this extension's catalogue.
 * A report whose `checks` disagree with its `result` (edited by hand, written with another catalogue) therefore
 * opens with what its result says.
 *
 * Pure: no `vscode` import, no I/O (the glue reads and writes the files and passes text).
 */
import { categories, findCheck } from '../checks/catalogue';
import { explain, summarize } from '../checks/explain';
import { parseDiagnosisResult, parseServersResult } from '../checks/resultSchema';
import type { CategoryId, CheckDefinition, CheckResult, CheckStatus, DiagnosisResult, EvidenceValue, ServerEntry, ServersResult, SourceLink } from '../checks/types';
import { describeServer, serverProblem } from '../remote/servers';
import type { Redactor, ServersRedactor } from './redaction';

export const REPORT_SCHEMA_VERSION = 1;

/** A report on several servers: version 2, so an older extension says to update rather than misreading it. */
export const SERVERS_REPORT_SCHEMA_VERSION = 2;

/** The result file's format this extension reads (DiagnosisResult.schemaVersion). */
const RESULT_SCHEMA_VERSION = 1;

/** The result file of a run on several servers (ServersResult.schemaVersion). */
const SERVERS_RESULT_SCHEMA_VERSION = 2;

const tool = 'provisioning-agent-doctor';
const kind = 'diagnosis-report';

/** The largest text parseReport reads: a real report is well under 1 MB; anything near this is not one. */
export const maxReportTextLength = 20 * 1024 * 1024;

export interface ReportSource {
	readonly title: string;
	readonly url: string;
	/** 'other' pages are named to the reader as not Microsoft's. */
	readonly publisher: SourceLink['publisher'];
}

export interface ReportFailure {
	readonly id: string;
	readonly title: string;
	/** Absent for a failure id this catalogue does not know (a newer or older probe). */
	readonly severity?: 'fail' | 'warning' | 'unknown';
	readonly cause?: string;
	/** The remediation steps, in order, with this host's values filled in. */
	readonly remediation: readonly string[];
	/** What to know before following the steps. */
	readonly caveats: readonly string[];
	/** Set when the link between symptom and cause is not stated by Microsoft. */
	readonly unverified?: string;
	readonly sources: readonly ReportSource[];
}

export interface ReportCheck {
	readonly id: string;
	/** The catalogue's title; the id itself for a check this catalogue does not know. */
	readonly title: string;
	/** null for a check this catalogue does not know. */
	readonly category: CategoryId | null;
	readonly status: CheckStatus;
	readonly summary: string;
	/** Shown for fail, warning and unknown results, as the tree and the panels show them. */
	readonly failures: readonly ReportFailure[];
	readonly evidence: Readonly<Record<string, EvidenceValue>>;
	readonly error: string | null;
}

export interface DiagnosisReport {
	readonly reportSchemaVersion: 1;
	readonly tool: 'provisioning-agent-doctor';
	readonly kind: 'diagnosis-report';
	/** ISO 8601. */
	readonly generatedAt: string;
	readonly extensionVersion: string;
	/** True when identifying values were replaced by pseudonyms (./redaction). */
	readonly redacted: boolean;
	readonly result: DiagnosisResult;
	readonly checks: readonly ReportCheck[];
}

/** One server of a report on several servers: the derived, human-readable part of its entry. */
export interface ReportServer {
	/** The server as the run was given it (host text, redacted in a redacted report). */
	readonly server: string;
	/** How its run ended, as the tree words it: "2 failed · 1 warning", "Unreachable", … */
	readonly outcome: string;
	/** Why it has no checks, and what to do; null for a server that sent its result. */
	readonly problem: null | { readonly why: string; readonly next: string };
	/** Its checks as a one-server report words them; empty for a server that sent no result. */
	readonly checks: readonly ReportCheck[];
}

/**
 * A report on several servers: the result file of that run unchanged (or redacted) and, derived from it, each
 * server's part for people. As with one server, the result is the truth and the derived part is written again on
 * reading.
 */
export interface ServersReport {
	readonly reportSchemaVersion: 2;
	readonly tool: 'provisioning-agent-doctor';
	readonly kind: 'diagnosis-report';
	readonly generatedAt: string;
	readonly extensionVersion: string;
	readonly redacted: boolean;
	readonly result: ServersResult;
	readonly servers: readonly ReportServer[];
}

export interface BuildReportOptions {
	readonly generatedAt: Date | string;
	readonly extensionVersion: string;
	/** Given: the report holds the redacted result, and the derived part is written from it. */
	readonly redact?: Redactor;
}

export interface BuildServersReportOptions {
	readonly generatedAt: Date | string;
	readonly extensionVersion: string;
	/** Given: one redactor for every server, so a name two servers share has one pseudonym. */
	readonly redact?: ServersRedactor;
}

export type ParseReportOutcome =
	| { readonly ok: true; readonly covers: 'one'; readonly report?: DiagnosisReport; readonly result: DiagnosisResult; readonly source: 'report' | 'result' }
	| { readonly ok: true; readonly covers: 'servers'; readonly report?: ServersReport; readonly result: ServersResult; readonly source: 'report' | 'result' }
	| { readonly ok: false; readonly reason: string };

// ---------------------------------------------------------------------------------------------------------------------
// Building

/** A catalogue entry for a check this catalogue does not know, so summarize and explain can word its result. */
function unknownCheck(id: string): CheckDefinition {
	// The category is never read for it: the report says null. summarize() needs a pass text: "Passed".
	return { id, category: categories[0].id, title: id, verifies: '', passText: 'Passed', needsElevation: false, evidence: {}, notes: [], failures: [], sources: [] };
}

function reportSources(sources: readonly SourceLink[]): ReportSource[] {
	return sources.map((s) => ({ title: s.title, url: s.url, publisher: s.publisher }));
}

function reportCheck(result: CheckResult, results: ReadonlyMap<string, CheckResult>): ReportCheck {
	const known = findCheck(result.id);
	const definition = known ?? unknownCheck(result.id);
	const explanation = explain(definition, result, results);
	const failures: ReportFailure[] = explanation.failures.map((f) => ({
		id: f.id,
		title: f.title,
		severity: f.severity,
		cause: f.cause,
		remediation: f.steps,
		caveats: f.caveats,
		...(f.unverified ? { unverified: f.unverified } : {}),
		sources: reportSources(f.sources),
	}));
	for (const id of explanation.unknownFailureIds) {
		failures.push({ id, title: `Unrecognised finding "${id}"`, remediation: [], caveats: [], sources: [] });
	}
	return {
		id: result.id,
		title: definition.title,
		category: known ? known.category : null,
		status: result.status,
		summary: summarize(definition, result),
		failures,
		evidence: result.evidence,
		error: result.error,
	};
}

/** The derived, human-readable part of a report: one entry per check of the result, in the result's order. */
export function reportChecks(result: DiagnosisResult): ReportCheck[] {
	const results = new Map(result.checks.map((c) => [c.id, c]));
	return result.checks.map((check) => reportCheck(check, results));
}

/** The fields every report has: what wrote it, when, and whether its names are pseudonyms. */
interface ReportHead {
	readonly tool: typeof tool;
	readonly kind: typeof kind;
	readonly generatedAt: string;
	readonly extensionVersion: string;
	readonly redacted: boolean;
}

function builtHead(options: { readonly generatedAt: Date | string; readonly extensionVersion: string; readonly redact?: unknown }): ReportHead {
	return {
		tool,
		kind,
		generatedAt: options.generatedAt instanceof Date ? options.generatedAt.toISOString() : options.generatedAt,
		extensionVersion: options.extensionVersion,
		redacted: options.redact !== undefined,
	};
}

/** A report of this result. With `redact`, the result and every text derived from it carry pseudonyms. */
export function buildReport(result: DiagnosisResult, options: BuildReportOptions): DiagnosisReport {
	const reported = options.redact ? options.redact.redactResult(result) : result;
	return { reportSchemaVersion: REPORT_SCHEMA_VERSION, ...builtHead(options), result: reported, checks: reportChecks(reported) };
}

/** Each server's derived part, in the run's order. */
export function reportServers(result: ServersResult): ReportServer[] {
	return result.servers.map((entry: ServerEntry) => ({
		server: entry.server,
		outcome: describeServer(entry),
		problem: serverProblem(entry) ?? null,
		checks: entry.result ? reportChecks(entry.result) : [],
	}));
}

/** The run's parameters with the one name they may hold (the wizard account) redacted. */
function redactParameters(parameters: ServersResult['parameters'], redact: ServersRedactor): ServersResult['parameters'] {
	if (!parameters || parameters.wizardAccount === undefined) {
		return parameters;
	}
	return { ...parameters, wizardAccount: redact.redactText(parameters.wizardAccount) };
}

/** A report on every server of a run on several servers. With `redact`, every server's part carries pseudonyms. */
export function buildServersReport(result: ServersResult, options: BuildServersReportOptions): ServersReport {
	const redact = options.redact;
	const reported: ServersResult = redact
		? {
				...result,
				parameters: redactParameters(result.parameters, redact),
				fatal: result.fatal ? { code: result.fatal.code, message: redact.redactText(result.fatal.message) } : null,
				servers: redact.redactServers(result.servers),
			}
		: result;
	return { reportSchemaVersion: SERVERS_REPORT_SCHEMA_VERSION, ...builtHead(options), result: reported, servers: reportServers(reported) };
}

// ---------------------------------------------------------------------------------------------------------------------
// Reading

const chooseAnother = 'Open the report (.json) that Provisioning Agent Doctor saved, or the result file its diagnosis script wrote.';
const saveAgain = 'Save a new report from the extension (run the diagnosis again if needed).';

function fail(reason: string): ParseReportOutcome {
	return { ok: false, reason };
}

function megabytes(length: number): string {
	return (length / (1024 * 1024)).toFixed(1);
}

/** True when the text ends inside a string or with brackets still open: a JSON text cut short. */
function looksCutOff(text: string): boolean {
	let depth = 0;
	let inString = false;
	let escaped = false;
	for (const ch of text) {
		if (inString) {
			if (escaped) {
				escaped = false;
			} else if (ch === '\\') {
				escaped = true;
			} else if (ch === '"') {
				inString = false;
			}
		} else if (ch === '"') {
			inString = true;
		} else if (ch === '{' || ch === '[') {
			depth++;
		} else if (ch === '}' || ch === ']') {
			depth--;
			if (depth < 0) {
				return false;
			}
		}
	}
	return inString || depth > 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shortened(text: string): string {
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** A value for a message: short, and as JSON so its type shows ("2", 2, null). */
function shown(value: unknown): string {
	return shortened(JSON.stringify(value) ?? String(value));
}

function describeJson(value: unknown): string {
	if (Array.isArray(value)) {
		return 'a list';
	}
	if (value === null) {
		return 'null';
	}
	return typeof value === 'string' ? 'a text' : typeof value === 'number' ? 'a number' : 'true or false';
}

function isNewerVersion(value: unknown, current: number): value is number {
	return typeof value === 'number' && Number.isInteger(value) && value > current;
}

/** The validator's reason without the words that say it is about a result file (here it is a report's part). */
function resultProblems(reason: string): string {
	return reason.replace(/^The result file does not match the expected format: /, '').replace(/\.$/, '');
}

function parseServersResultFile(text: string): ParseReportOutcome {
	const parsed = parseServersResult(text);
	if (!parsed.ok) {
		return fail(`${parsed.reason} Run the diagnosis on the servers again to write a new result file.`);
	}
	return { ok: true, covers: 'servers', result: parsed.result, source: 'result' };
}

function parseResultFile(data: Record<string, unknown>, text: string): ParseReportOutcome {
	if (data.schemaVersion === SERVERS_RESULT_SCHEMA_VERSION) {
		return parseServersResultFile(text);
	}
	if (isNewerVersion(data.schemaVersion, SERVERS_RESULT_SCHEMA_VERSION)) {
		return fail(`The result was written by a newer version of Provisioning Agent Doctor's diagnosis script (result format ${data.schemaVersion}); update the extension to open it.`);
	}
	const parsed = parseDiagnosisResult(text);
	if (!parsed.ok) {
		return fail(`${parsed.reason} Run the diagnosis again to write a new result file.`);
	}
	return { ok: true, covers: 'one', result: parsed.result, source: 'result' };
}

/** The report's own fields, each with what is wrong with it; undefined when all are as this version writes them. */
function reportFieldProblem(data: Record<string, unknown>): string | undefined {
	if (data.kind !== kind) {
		return data.kind === undefined ? 'its "kind" is missing' : `its "kind" is ${shown(data.kind)}, not "${kind}"`;
	}
	if (typeof data.generatedAt !== 'string' || data.generatedAt.length === 0) {
		return `its "generatedAt" (when it was saved) is ${data.generatedAt === undefined ? 'missing' : `${shown(data.generatedAt)}, not a date`}`;
	}
	if (typeof data.extensionVersion !== 'string') {
		return `its "extensionVersion" is ${data.extensionVersion === undefined ? 'missing' : `${shown(data.extensionVersion)}, not a text`}`;
	}
	if (typeof data.redacted !== 'boolean') {
		return `its "redacted" is ${data.redacted === undefined ? 'missing' : `${shown(data.redacted)}, not true or false`}`;
	}
	return undefined;
}

/** The fields every report has, once reportFieldProblem has found nothing wrong with them. */
function reportHead(data: Record<string, unknown>): ReportHead {
	return { tool, kind, generatedAt: data.generatedAt as string, extensionVersion: data.extensionVersion as string, redacted: data.redacted as boolean };
}

function parseServersReportFile(data: Record<string, unknown>): ParseReportOutcome {
	const problem = reportFieldProblem(data);
	if (problem) {
		return fail(`The report is damaged or was edited: ${problem}. ${saveAgain}`);
	}
	if (!isObject(data.result)) {
		return fail(`The report holds no result of the servers (its "result" part is ${data.result === undefined ? 'missing' : describeJson(data.result)}), so there is nothing to show. ${saveAgain}`);
	}
	if (isNewerVersion(data.result.schemaVersion, SERVERS_RESULT_SCHEMA_VERSION)) {
		return fail(`The report holds a result written by a newer version of Provisioning Agent Doctor (result format ${data.result.schemaVersion}); update the extension to open it.`);
	}
	if (data.result.schemaVersion !== SERVERS_RESULT_SCHEMA_VERSION) {
		return fail(`The report is a report on several servers, but the result inside it is not (result format ${shown(data.result.schemaVersion)}). The report may have been edited or damaged. ${saveAgain}`);
	}
	const parsed = parseServersResult(JSON.stringify(data.result));
	if (!parsed.ok) {
		return fail(`The result of the servers inside the report does not match the expected format: ${resultProblems(parsed.reason)}. The report may have been edited or damaged. ${saveAgain}`);
	}
	const result = parsed.result;
	const report: ServersReport = { reportSchemaVersion: SERVERS_REPORT_SCHEMA_VERSION, ...reportHead(data), result, servers: reportServers(result) };
	return { ok: true, covers: 'servers', report, result, source: 'report' };
}

function parseReportFile(data: Record<string, unknown>): ParseReportOutcome {
	const version = data.reportSchemaVersion;
	if (version === SERVERS_REPORT_SCHEMA_VERSION) {
		return parseServersReportFile(data);
	}
	if (isNewerVersion(version, SERVERS_REPORT_SCHEMA_VERSION)) {
		return fail(`The report was written by a newer version of Provisioning Agent Doctor (report format ${version}); update the extension to open it.`);
	}
	if (version !== REPORT_SCHEMA_VERSION) {
		const what = version === undefined ? 'has no format number (reportSchemaVersion)' : `has the format number ${shown(version)}, which no version of Provisioning Agent Doctor writes`;
		return fail(`The report ${what}: it may have been edited or damaged. ${saveAgain}`);
	}
	const problem = reportFieldProblem(data);
	if (problem) {
		return fail(`The report is damaged or was edited: ${problem}. ${saveAgain}`);
	}
	if (!isObject(data.result)) {
		return fail(`The report holds no diagnosis result (its "result" part is ${data.result === undefined ? 'missing' : describeJson(data.result)}), so there is nothing to show. ${saveAgain}`);
	}
	if (isNewerVersion(data.result.schemaVersion, RESULT_SCHEMA_VERSION)) {
		return fail(`The report holds a result written by a newer version of Provisioning Agent Doctor (result format ${data.result.schemaVersion}); update the extension to open it.`);
	}
	const parsed = parseDiagnosisResult(JSON.stringify(data.result));
	if (!parsed.ok) {
		return fail(`The diagnosis result inside the report does not match the expected format: ${resultProblems(parsed.reason)}. The report may have been edited or damaged. ${saveAgain}`);
	}
	const result = parsed.result;
	// The derived part is written again from the result: the result is the truth (see the module comment).
	const report: DiagnosisReport = { reportSchemaVersion: REPORT_SCHEMA_VERSION, ...reportHead(data), result, checks: reportChecks(result) };
	return { ok: true, covers: 'one', report, result, source: 'report' };
}

function parseText(text: string): ParseReportOutcome {
	if (text.length > maxReportTextLength) {
		return fail(`The file is ${megabytes(text.length)} MB, more than the ${megabytes(maxReportTextLength)} MB a diagnosis report can be, so it was not opened. ${chooseAnother}`);
	}
	const body = text.replace(/^\uFEFF/, '');
	if (body.trim().length === 0) {
		return fail(`The file is empty. ${chooseAnother}`);
	}
	let data: unknown;
	try {
		data = JSON.parse(body);
	} catch (error) {
		const detail = (error as Error).message;
		if (looksCutOff(body) || /end of JSON input|Unterminated/i.test(detail)) {
			return fail(`The file looks cut off: its JSON ends before it is complete (${detail}). Copy the whole file again, or save a new report.`);
		}
		return fail(`The file is not valid JSON, so it is not a diagnosis report or result (${detail}). ${chooseAnother}`);
	}
	if (!isObject(data)) {
		return fail(`The file holds ${describeJson(data)}, not a diagnosis report or result of Provisioning Agent Doctor. ${chooseAnother}`);
	}
	if (data.tool !== tool) {
		return fail(`The file was not written by Provisioning Agent Doctor (it has no "tool": "${tool}"). ${chooseAnother}`);
	}
	if (data.kind !== undefined && data.kind !== kind) {
		return fail(`The file was written by Provisioning Agent Doctor, but it is ${typeof data.kind === 'string' ? `a "${shortened(data.kind)}" file` : 'another kind of file'}, not a diagnosis report or result. ${chooseAnother}`);
	}
	return data.kind === kind || 'reportSchemaVersion' in data ? parseReportFile(data) : parseResultFile(data, body);
}

/**
 * Reads a report (JSON written from buildReport) or a plain result file (as the entry script writes it). Never
 * throws: whatever the text, the outcome is a result or a reason an admin can act on. Nothing in the text is
 * trusted or interpreted beyond validation; host text stays data (escaping is the renderer's job).
 */
export function parseReport(text: string): ParseReportOutcome {
	try {
		return parseText(text);
	} catch (error) {
		// A guard: deeply nested JSON can exhaust the stack of the validator or of JSON.stringify.
		return fail(`The file could not be read as a diagnosis report (${error instanceof Error ? error.message : String(error)}). ${chooseAnother}`);
	}
}
