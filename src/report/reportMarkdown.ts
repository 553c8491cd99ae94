/**
 * The diagnosis report as Markdown, for a support ticket: who ran what where, the counts per status, every check by
 * category, and for each problem its cause, remediation, Microsoft sources and evidence. The words come from the
 * report's derived part (./reportJson, itself from ../checks/explain); this module only lays them out.
 *
 * Security: a report is host text (a GPO's display name, an event message, a file's own metadata when it was opened
 * from disk) and must render inert wherever the Markdown is pasted. Every string reaches the output through one of
 * `text`, `code`, `cellText` or `cellCode` below: escaped (every Markdown punctuation, plus what autolinks and
 * GitHub's math start with) or in a code span, on one line, with control and bidirectional-override characters
 * replaced, and in table cells with every `|` escaped. The only links are catalogue sources with a plain https URL.
 *
 * Pure: no `vscode` import, no I/O.
 */
import { categories, checks as catalogueChecks, findCheck } from '../checks/catalogue';
import type { CheckStatus, DiagnosisResult, EvidenceValue } from '../checks/types';
import { codeSpan, escapeMarkdown, statusLabels } from '../views/treeModel';
import type { DiagnosisReport, ReportCheck, ReportFailure, ReportServer, ReportSource, ServersReport } from './reportJson';

/**
 * Characters that are not text: C0 and C1 controls (an escape sequence would act in a terminal showing the file),
 * and the bidirectional overrides that make text read differently from what it is. Line breaks and tabs are left to
 * the escaping functions, which put everything on one line.
 */
// eslint-disable-next-line no-control-regex -- the control characters are exactly what the pattern replaces
const notText = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f\u202a-\u202e\u2066-\u2069]/g;

function clean(value: string): string {
	return value.replace(notText, '\uFFFD');
}

/**
 * Host text as Markdown text. escapeMarkdown covers Markdown's own punctuation; `:` and `@` are escaped too so no
 * renderer turns a URL or an address into a link (autolinks), and `$` and `=` so GitHub starts no math and no line
 * becomes a heading underline.
 */
function text(value: string): string {
	return escapeMarkdown(clean(value)).replace(/[:@$=]/g, '\\$&');
}

/** Host text shown literally. An empty value would leave two bare backticks, so it is named instead. */
function code(value: string): string {
	return value.length === 0 ? '*(empty)*' : codeSpan(clean(value));
}

/**
 * A table cell can only keep a `|` that is escaped, and renderers disagree on a `\|` after another backslash, so a
 * backslash run right before a pipe is shown as U+29F5 (the report's JSON keeps the exact text).
 */
function cellCode(value: string): string {
	return code(value.replace(/\\+(?=\|)/g, (run) => '\u29F5'.repeat(run.length))).replace(/\|/g, '\\|');
}

/** escapeMarkdown already escapes `|` (and backslashes), so an escaped text is a safe cell as it is. */
const cellText = text;

const statusOrder: readonly CheckStatus[] = ['fail', 'unknown', 'warning', 'manual', 'pass', 'notApplicable'];
const problemStatuses: ReadonlySet<CheckStatus> = new Set<CheckStatus>(['fail', 'warning', 'unknown']);

/** The most items an evidence list shows; a hostile or runaway list would bury the table. The JSON has them all. */
const maxEvidenceItems = 50;

function yesNo(value: boolean | null): string {
	return value === null ? 'unknown' : value ? 'yes' : 'no';
}

function scalarCell(value: unknown): string {
	if (value === null || value === undefined) {
		return '*unknown*';
	}
	return cellCode(String(value));
}

function objectText(value: object): string {
	return Object.entries(value)
		.map(([key, item]) => `${key}: ${item === null ? 'null' : String(item)}`)
		.join(', ');
}

/** One evidence value as a cell: each list item in its own code span, an object's fields as "key: value". */
function evidenceCell(value: EvidenceValue | undefined): string {
	if (Array.isArray(value)) {
		if (value.length === 0) {
			return '*none*';
		}
		const items = value.slice(0, maxEvidenceItems).map((item) => (item !== null && typeof item === 'object' ? cellCode(objectText(item)) : scalarCell(item)));
		const more = value.length > maxEvidenceItems ? [`*and ${value.length - maxEvidenceItems} more*`] : [];
		return [...items, ...more].join(' · ');
	}
	// The result schema also allows a flat object as a value, though the probes write none.
	if (value !== null && typeof value === 'object') {
		return cellCode(objectText(value));
	}
	return scalarCell(value);
}

function sourceLink(source: ReportSource): string {
	const title = text(source.title);
	const mark = source.publisher === 'other' ? ' (not Microsoft)' : '';
	// Catalogue URLs are plain https; anything else (a report edited by hand) is shown, never linked.
	return /^https:\/\/[^\s()<>[\]`'"\\]+$/.test(source.url) ? `[${title}](${source.url})${mark}` : `${title} ${code(source.url)}${mark}`;
}

type Row = readonly [string, string];

/** Who made the report, and when: the first rows of every report. */
function toolRows(report: { readonly extensionVersion: string; readonly generatedAt: string }): Row[] {
	return [
		['Tool', 'Provisioning Agent Doctor'],
		['Extension version', cellCode(report.extensionVersion)],
		['Report generated', cellCode(report.generatedAt)],
	];
}

/** The machine a result came from, and the account and PowerShell that ran it. */
function hostRows(host: DiagnosisResult['host']): Row[] {
	return [
		['Computer', cellCode(host.computerName)],
		['Account running the diagnosis', cellCode(host.userName)],
		['PowerShell', `${cellCode(host.psVersion)} ${cellCode(host.psEdition)}`],
		['Elevated', yesNo(host.isElevated)],
	];
}

/** The limits a run was given, the same on one server and on several. */
function limitRows(parameters: DiagnosisResult['parameters']): Row[] {
	return [
		['Cloud', cellCode(parameters.cloud)],
		['Event log window', `${cellCode(String(parameters.eventDays))} days`],
		['Time budget per check', `${cellCode(String(parameters.checkTimeoutSeconds))} s`],
		['Network timeout', `${cellCode(String(parameters.networkTimeoutSeconds))} s`],
	];
}

function tableLines(rows: readonly Row[]): string[] {
	return ['| | |', '|---|---|', ...rows.map(([label, value]) => `| ${label} | ${value} |`)];
}

/** A result's early stop, in its own words. */
function fatalLines(result: DiagnosisResult): string[] {
	return result.fatal ? ['', `**The diagnosis stopped early** (${code(result.fatal.code)}): ${code(result.fatal.message)}`] : [];
}

function headerLines(report: DiagnosisReport): string[] {
	const { host, parameters } = report.result;
	const rows: Row[] = [
		...toolRows(report),
		...hostRows(host),
		[
			'Redacted',
			report.redacted
				? 'yes: computer, domain and account names, domain SIDs, IP addresses and GPO names are pseudonyms (server-1, domain-1.example, account-1, …)'
				: notRedacted,
		],
		['Run started', cellCode(report.result.startedAt)],
		['Run finished', cellCode(report.result.finishedAt)],
		...limitRows(parameters),
		['Wizard account checked', parameters.wizardAccount ? cellCode(parameters.wizardAccount) : 'the account running the diagnosis'],
		['Checks selected', String(parameters.checks.length)],
	];
	return ['# Provisioning Agent Doctor diagnosis report', '', ...tableLines(rows), ...fatalLines(report.result)];
}

const notRedacted = 'no: this report shows real names and addresses; review it before you share it';

function summaryLines(report: DiagnosisReport): string[] {
	const counts = new Map<CheckStatus, number>();
	for (const check of report.checks) {
		counts.set(check.status, (counts.get(check.status) ?? 0) + 1);
	}
	return [
		'## Summary',
		'',
		'| Status | Checks |',
		'|---|---|',
		...statusOrder.map((status) => `| ${statusLabels[status]} | ${counts.get(status) ?? 0} |`),
		`| Total | ${report.checks.length} |`,
	];
}

function failureLines(failure: ReportFailure): string[] {
	const severity = failure.severity ? ` (${statusLabels[failure.severity]})` : '';
	const lines = ['', `**${text(failure.title)}**${severity} ${code(failure.id)}`];
	if (failure.cause) {
		lines.push('', text(failure.cause));
	}
	if (failure.remediation.length > 0) {
		lines.push('', 'Remediation:', '', ...failure.remediation.map((step, i) => `${i + 1}. ${text(step)}`));
	}
	for (const caveat of failure.caveats) {
		lines.push('', `*Before you do this:* ${text(caveat)}`);
	}
	if (failure.unverified) {
		lines.push('', `*Not stated by Microsoft:* ${text(failure.unverified)}`);
	}
	if (failure.sources.length > 0) {
		lines.push('', `Sources: ${failure.sources.map(sourceLink).join(' · ')}`);
	}
	if (failure.remediation.length === 0 && !failure.cause) {
		lines.push('', 'This version of the extension does not know this finding: update the extension, or ask support about it.');
	}
	return lines;
}

function evidenceLines(check: ReportCheck): string[] {
	const entries = Object.entries(check.evidence);
	if (entries.length === 0) {
		return [];
	}
	const labels = findCheck(check.id)?.evidence ?? {};
	return ['', '| Evidence | Value |', '|---|---|', ...entries.map(([key, value]) => `| ${cellText(labels[key] ?? key)} | ${evidenceCell(value)} |`)];
}

/** A heading of a level: a report on one server starts its categories at 2, one on several servers at 3. */
function heading(level: number, title: string): string {
	return `${'#'.repeat(level)} ${title}`;
}

function problemLines(check: ReportCheck, level: number): string[] {
	const lines = ['', heading(level, `${statusLabels[check.status]}: ${text(check.title)}`), '', `${code(check.id)}: ${text(check.summary)}`];
	for (const failure of check.failures) {
		lines.push(...failureLines(failure));
	}
	if (check.error !== null) {
		lines.push('', `Could not check: ${code(check.error)}`);
	}
	lines.push(...evidenceLines(check));
	return lines;
}

/** Catalogue order within a category; checks the catalogue does not know come last, in the report's order. */
function catalogueIndex(id: string): number {
	const index = catalogueChecks.findIndex((c) => c.id === id);
	return index < 0 ? catalogueChecks.length : index;
}

function categoryLines(title: string, checks: readonly ReportCheck[], level: number): string[] {
	if (checks.length === 0) {
		return [];
	}
	const sorted = [...checks].sort((a, b) => catalogueIndex(a.id) - catalogueIndex(b.id));
	const lines = ['', heading(level, text(title)), '', '| Status | Check | Result |', '|---|---|---|'];
	// A check the catalogue does not know is titled by its id: shown once, as code.
	const name = (c: ReportCheck) => (c.title === c.id ? cellCode(c.id) : `${cellText(c.title)} ${cellCode(c.id)}`);
	lines.push(...sorted.map((c) => `| ${statusLabels[c.status]} | ${name(c)} | ${cellText(c.summary)} |`));
	for (const check of sorted.filter((c) => problemStatuses.has(c.status))) {
		lines.push(...problemLines(check, level + 1));
	}
	return lines;
}

/** Every check by category, and the checks no category of this catalogue holds. */
function checksLines(checks: readonly ReportCheck[], level: number): string[] {
	const lines: string[] = [];
	for (const category of categories) {
		lines.push(...categoryLines(category.title, checks.filter((c) => c.category === category.id), level));
	}
	lines.push(...categoryLines('Checks this version of the extension does not know', checks.filter((c) => c.category === null || !categories.some((k) => k.id === c.category)), level));
	return lines;
}

const closingLines = ['', '---', '', '*The JSON report holds every value in full; this text shortens long values and lists.*', ''];

/** The report as Markdown; every value that came from the host is escaped or in a code span. */
export function renderReportMarkdown(report: DiagnosisReport): string {
	return [...headerLines(report), '', ...summaryLines(report), ...checksLines(report.checks, 2), ...closingLines].join('\n');
}

// ---------------------------------------------------------------------------------------------------------------------
// A report on several servers

const redactedWords = 'yes: server, computer, domain and account names, domain SIDs, IP addresses and GPO names are pseudonyms (server-1, domain-1.example, account-1, …), the same on every server';

function serversHeaderLines(report: ServersReport): string[] {
	const { result } = report;
	const parameters = result.parameters;
	const rows: Row[] = [
		...toolRows(report),
		['Servers', String(result.servers.length)],
		['Redacted', report.redacted ? redactedWords : notRedacted],
		['Run started', cellCode(result.startedAt)],
		['Run finished', cellCode(result.finishedAt)],
	];
	if (parameters) {
		rows.push(
			...limitRows(parameters),
			...(parameters.remoteTimeoutSeconds === undefined ? [] : [['Overall time limit', `${cellCode(String(parameters.remoteTimeoutSeconds))} s`] as Row]),
			['Wizard account checked', parameters.wizardAccount ? cellCode(parameters.wizardAccount) : 'the account running the diagnosis on each server'],
			['Checks selected', parameters.checks.length === 0 ? 'all' : String(parameters.checks.length)],
		);
	}
	const lines = [`# Provisioning Agent Doctor diagnosis report on ${result.servers.length} ${result.servers.length === 1 ? 'server' : 'servers'}`, '', ...tableLines(rows)];
	if (result.fatal) {
		lines.push('', `**The run on the servers could not start** (${code(result.fatal.code)}): ${code(result.fatal.message)}`);
	}
	return lines;
}

function countOf(checks: readonly ReportCheck[], status: CheckStatus): number {
	return checks.filter((c) => c.status === status).length;
}

function serverTableLines(report: ServersReport): string[] {
	const lines = ['', '## Servers', '', '| Server | Computer | Transport | Outcome | Failed | Warnings | Could not check | Time |', '|---|---|---|---|---|---|---|---|'];
	report.servers.forEach((server, i) => {
		const entry = report.result.servers[i];
		const computer = entry.result ? cellCode(entry.result.host.computerName) : '*none*';
		const counts = entry.result ? (['fail', 'warning', 'unknown'] as const).map((status) => String(countOf(server.checks, status))) : ['', '', ''];
		lines.push(`| ${cellCode(server.server)} | ${computer} | ${entry.transport} | ${cellText(server.outcome)} | ${counts.join(' | ')} | ${(entry.durationMs / 1000).toFixed(1)} s |`);
	});
	return lines;
}

/**
 * The checks whose status is not the same on every server that sent a result: the first thing an admin looks for
 * (one server fails where another passes). A server without a result has no column.
 */
function differenceLines(report: ServersReport): string[] {
	const columns = report.servers.filter((s) => s.problem === null);
	if (columns.length < 2) {
		return [];
	}
	const ids = [...new Set(columns.flatMap((s) => s.checks.map((c) => c.id)))].sort((a, b) => catalogueIndex(a) - catalogueIndex(b));
	const statusOn = (server: ReportServer, id: string): CheckStatus | undefined => server.checks.find((c) => c.id === id)?.status;
	const differ = ids.filter((id) => new Set(columns.map((s) => statusOn(s, id))).size > 1);
	const lines = ['', '## Checks that differ between servers', ''];
	if (differ.length === 0) {
		return [...lines, `Every check has the same status on all ${columns.length} servers that sent a result.`];
	}
	const title = (id: string): string => {
		const check = columns.flatMap((s) => s.checks).find((c) => c.id === id);
		return check && check.title !== id ? `${cellText(check.title)} ${cellCode(id)}` : cellCode(id);
	};
	lines.push(
		`${differ.length} ${differ.length === 1 ? 'check differs' : 'checks differ'}; ${ids.length - differ.length} ${ids.length - differ.length === 1 ? 'has' : 'have'} the same status on every server.`,
		'',
		`| Check | ${columns.map((s) => cellCode(s.server)).join(' | ')} |`,
		`|---|${columns.map(() => '---|').join('')}`,
		...differ.map((id) => `| ${title(id)} | ${columns.map((s) => { const status = statusOn(s, id); return status ? statusLabels[status] : '*not run*'; }).join(' | ')} |`),
	);
	return lines;
}

function serverHostLines(result: DiagnosisResult): string[] {
	return ['', ...tableLines([...hostRows(result.host), ['Run finished', cellCode(result.finishedAt)]]), ...fatalLines(result)];
}

function serverSectionLines(server: ReportServer, entry: ServersReport['result']['servers'][number]): string[] {
	const lines = ['', `## Server ${code(server.server)}: ${text(server.outcome)}`];
	if (!entry.result) {
		lines.push('', `**No result from this server:** ${code(server.problem?.why ?? '')}`);
		if (server.problem?.next) {
			lines.push('', `Next step: ${text(server.problem.next)}`);
		}
		return lines;
	}
	// A result that stopped early (its fatal) says so with its host, then shows every check as not checked.
	lines.push(...serverHostLines(entry.result));
	if (entry.result.fatal && server.problem?.next) {
		lines.push('', `Next step: ${text(server.problem.next)}`);
	}
	lines.push(...checksLines(server.checks, 3));
	return lines;
}

/**
 * A report on several servers as Markdown: the run, a row per server, the checks that differ, then each server's
 * checks as a one-server report lays them out (a level lower). Escaped as renderReportMarkdown is.
 */
export function renderServersReportMarkdown(report: ServersReport): string {
	const lines = [...serversHeaderLines(report), ...serverTableLines(report), ...differenceLines(report)];
	report.servers.forEach((server, i) => lines.push(...serverSectionLines(server, report.result.servers[i])));
	return [...lines, ...closingLines].join('\n');
}
