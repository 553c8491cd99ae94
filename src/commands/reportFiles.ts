/**
 * Export Diagnosis Report and Open Diagnosis Report: the editor side (dialogs, files, messages). What a report holds,
 * how it is redacted and how it is read back are pure (../report); this only asks, writes and reads.
 */
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { checks } from '../checks/catalogue';
import type { DiagnosisResult, ServersResult } from '../checks/types';
import { ContextKeys, Views } from '../constants';
import type { ResultsStore } from '../diagnosis/resultsStore';
import { notificationText } from '../diagnosis/runOutcome';
import type { Log } from '../log';
import { createRedactor, createServersRedactor, type Pseudonym } from '../report/redaction';
import { buildReport, buildServersReport, maxReportTextLength, parseReport } from '../report/reportJson';
import { renderReportMarkdown, renderServersReportMarkdown } from '../report/reportMarkdown';
import { escapeMarkdown } from '../views/treeModel';

/** What a caller (a test, a task) may pass instead of answering the dialogs. */
export interface ExportOptions {
	/** The Markdown file; the JSON file is written beside it with the same name and .json. */
	readonly uri?: vscode.Uri;
	readonly redactMarkdown?: boolean;
	readonly redactJson?: boolean;
}

export type ExportOutcome =
	| { readonly kind: 'written'; readonly markdown: string; readonly json: string; readonly pseudonyms: number }
	| { readonly kind: 'nothing'; readonly reason: string }
	| { readonly kind: 'cancelled' };

export type OpenOutcome =
	/** computerName is "3 servers" for a report on several servers, and `servers` their number. */
	| { readonly kind: 'opened'; readonly computerName: string; readonly checks: number; readonly unknownChecks: number; readonly servers?: number }
	| { readonly kind: 'refused'; readonly reason: string }
	| { readonly kind: 'cancelled' };

function isExportOptions(arg: unknown): arg is ExportOptions {
	return typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri);
}

/** "provisioning-agent-report-20261201-1405": no computer name, so a redacted report's file name gives none away. */
function defaultBaseName(at: Date): string {
	const pad = (n: number): string => String(n).padStart(2, '0');
	return `provisioning-agent-report-${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}`;
}

async function askRedaction(): Promise<{ markdown: boolean; json: boolean } | undefined> {
	const markdown = {
		label: 'Replace names in the Markdown report',
		description: 'recommended for a support ticket',
		detail: 'Computer, domain and account names, domain SIDs, IP addresses and GPO names become pseudonyms such as server-1.',
		picked: true,
	};
	const json = {
		label: 'Replace names in the JSON report too',
		detail: 'Leave this off to keep the real names in the JSON for your own records (Open Diagnosis Report shows it as it was).',
		picked: false,
	};
	const chosen = await vscode.window.showQuickPick([markdown, json], {
		canPickMany: true,
		title: 'Export Diagnosis Report',
		placeHolder: 'Which files should have their names replaced? (Enter to accept)',
		ignoreFocusOut: true,
	});
	return chosen ? { markdown: chosen.includes(markdown), json: chosen.includes(json) } : undefined;
}

async function askMarkdownUri(at: Date): Promise<vscode.Uri | undefined> {
	const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
	return vscode.window.showSaveDialog({
		title: 'Export Diagnosis Report (a .json file is written beside it)',
		defaultUri: vscode.Uri.joinPath(folder, `${defaultBaseName(at)}.md`),
		filters: { Markdown: ['md'] },
		saveLabel: 'Export',
	});
}

/** The JSON file beside the Markdown one: the same name with .json instead of .md (or added). */
export function jsonUriBeside(markdown: vscode.Uri): vscode.Uri {
	const base = markdown.path.replace(/\.md$/i, '');
	return markdown.with({ path: `${base}.json` });
}

/** The name map the admin may want beside a redacted report (to read support's answer); never written to a file. */
function pseudonymDocument(pseudonyms: readonly Pseudonym[], markdownName: string): string {
	const cell = (text: string): string => escapeMarkdown(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
	return [
		`# Names replaced in ${cell(markdownName)}`,
		'',
		'This list is not in the report. Keep it here; do not attach it to the ticket.',
		'',
		'| Kind | In the report | Real name |',
		'| --- | --- | --- |',
		...pseudonyms.map((p) => `| ${p.kind} | ${cell(p.pseudonym)} | ${cell(p.original)} |`),
		'',
	].join('\n');
}

/** What an export writes: the one-server report, or the report on every server of a run on several servers. */
type ReportSubject = { readonly covers: 'one'; readonly result: DiagnosisResult } | { readonly covers: 'servers'; readonly result: ServersResult };

function subjectOf(store: ResultsStore): ReportSubject | undefined {
	const servers = store.serversResult;
	if (servers) {
		return { covers: 'servers', result: servers };
	}
	return store.lastResult ? { covers: 'one', result: store.lastResult } : undefined;
}

/**
 * The two files' texts; one redactor for both, so a name has the same pseudonym in the Markdown and the JSON. The
 * JSON is built again only when its redaction differs from the Markdown's.
 */
function reportTexts(subject: ReportSubject, redaction: { markdown: boolean; json: boolean }, generatedAt: Date, extensionVersion: string): { markdown: string; json: string; pseudonyms: readonly Pseudonym[] } {
	const wanted = redaction.markdown || redaction.json;
	const texts = <R, Report>(redactor: (R & { mapping(): readonly Pseudonym[] }) | undefined, build: (redact: R | undefined) => Report, render: (report: Report) => string) => {
		const markdownReport = build(redaction.markdown ? redactor : undefined);
		const jsonReport = redaction.json === redaction.markdown ? markdownReport : build(redaction.json ? redactor : undefined);
		return { markdown: render(markdownReport), json: `${JSON.stringify(jsonReport, null, 2)}\n`, pseudonyms: redactor ? redactor.mapping() : [] };
	};
	const options = { generatedAt, extensionVersion };
	if (subject.covers === 'servers') {
		const result = subject.result;
		return texts(wanted ? createServersRedactor(result.servers) : undefined, (redact) => buildServersReport(result, { ...options, redact }), renderServersReportMarkdown);
	}
	const result = subject.result;
	return texts(wanted ? createRedactor(result) : undefined, (redact) => buildReport(result, { ...options, redact }), renderReportMarkdown);
}

export async function exportReport(arg: unknown, store: ResultsStore, log: Log, extensionVersion: string): Promise<ExportOutcome> {
	const options: ExportOptions = arg instanceof vscode.Uri ? { uri: arg } : isExportOptions(arg) ? arg : {};
	const subject = store.isRunning ? undefined : subjectOf(store);
	if (!subject) {
		const reason = store.isRunning
			? 'A diagnosis is running: export the report when it has ended.'
			: 'There is no diagnosis to export yet: run "Diagnose Provisioning Agent" first (or open a report).';
		void vscode.window.showInformationMessage(reason);
		return { kind: 'nothing', reason };
	}
	const now = new Date();
	const redaction =
		options.redactMarkdown !== undefined || options.redactJson !== undefined
			? { markdown: options.redactMarkdown ?? true, json: options.redactJson ?? false }
			: options.uri
				? { markdown: true, json: false }
				: await askRedaction();
	if (!redaction) {
		return { kind: 'cancelled' };
	}
	const markdownUri = options.uri ?? (await askMarkdownUri(now));
	if (!markdownUri) {
		return { kind: 'cancelled' };
	}
	const jsonUri = jsonUriBeside(markdownUri);
	const texts = reportTexts(subject, redaction, now, extensionVersion);
	const encoder = new TextEncoder();
	await vscode.workspace.fs.writeFile(markdownUri, encoder.encode(texts.markdown));
	await vscode.workspace.fs.writeFile(jsonUri, encoder.encode(texts.json));
	const pseudonyms = texts.pseudonyms;
	const covered = subject.covers === 'servers' ? `${subject.result.servers.length} servers` : 'this server';
	log.info(`Exported the diagnosis report on ${covered} to ${markdownUri.fsPath} and ${jsonUri.fsPath} (Markdown redacted: ${redaction.markdown}, JSON redacted: ${redaction.json}, ${pseudonyms.length} pseudonyms).`);
	if (!options.uri) {
		const what = redaction.markdown ? (redaction.json ? ' Names are replaced in both.' : ' Names are replaced in the Markdown; the JSON has the real ones.') : ' Both have the real names.';
		const servers = subject.covers === 'servers' ? ` They cover all ${subject.result.servers.length} servers.` : '';
		const buttons = ['Open Markdown', ...(pseudonyms.length > 0 ? ['Show Replaced Names'] : [])];
		void vscode.window
			.showInformationMessage(notificationText(`Wrote ${path.basename(markdownUri.fsPath)} and ${path.basename(jsonUri.fsPath)}.${servers}${what}`), ...buttons)
			.then(async (pick) => {
				if (pick === 'Open Markdown') {
					await vscode.window.showTextDocument(markdownUri);
				} else if (pick === 'Show Replaced Names') {
					const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: pseudonymDocument(pseudonyms, path.basename(markdownUri.fsPath)) });
					await vscode.window.showTextDocument(doc);
				}
			});
	}
	return { kind: 'written', markdown: markdownUri.fsPath, json: jsonUri.fsPath, pseudonyms: pseudonyms.length };
}

/** Reads a report file as UTF-8 (a BOM is fine), refusing what is too large or not text before parsing it. */
async function readReportText(uri: vscode.Uri): Promise<{ ok: true; text: string } | { ok: false; reason: string }> {
	const stat = await vscode.workspace.fs.stat(uri);
	if (stat.size > maxReportTextLength) {
		return { ok: false, reason: `The file has ${stat.size} bytes; a diagnosis report is well under ${maxReportTextLength / (1024 * 1024)} MB. Choose the .json report or result file.` };
	}
	const bytes = await vscode.workspace.fs.readFile(uri);
	try {
		return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
	} catch {
		return { ok: false, reason: 'The file is not UTF-8 text. Choose the .json report that Export Diagnosis Report wrote, or the result file of the entry script.' };
	}
}

function warnUnknown(unknownChecks: number, fileName: string): void {
	if (unknownChecks > 0) {
		void vscode.window.showWarningMessage(
			`${unknownChecks} check(s) in ${notificationText(fileName)} are not known to this version of the extension and are not shown. Update the extension to see them.`,
		);
	}
}

export async function openReport(arg: unknown, store: ResultsStore, log: Log, showSummary: () => void): Promise<OpenOutcome> {
	if (store.isRunning) {
		const reason = 'A diagnosis is running: open the report when it has ended, or stop it first.';
		void vscode.window.showWarningMessage(reason);
		return { kind: 'refused', reason };
	}
	let uri = arg instanceof vscode.Uri ? arg : undefined;
	if (!uri) {
		const picked = await vscode.window.showOpenDialog({
			title: 'Open Diagnosis Report',
			canSelectMany: false,
			filters: { 'Diagnosis report or result': ['json'] },
			openLabel: 'Open Report',
		});
		uri = picked?.[0];
	}
	if (!uri) {
		return { kind: 'cancelled' };
	}
	const fileName = path.basename(uri.fsPath);
	const refuse = (reason: string): OpenOutcome => {
		log.warn(`Did not open the report ${uri!.fsPath}: ${reason}`);
		void vscode.window.showErrorMessage(notificationText(`Could not open ${fileName}: ${reason}`));
		return { kind: 'refused', reason };
	};
	let read;
	try {
		read = await readReportText(uri);
	} catch (error) {
		return refuse(`it could not be read (${(error as Error).message}).`);
	}
	if (!read.ok) {
		return refuse(read.reason);
	}
	const parsed = parseReport(read.text);
	if (!parsed.ok) {
		return refuse(parsed.reason);
	}
	const known = new Set(checks.map((c) => c.id));
	if (parsed.covers === 'servers') {
		const servers = parsed.result.servers;
		const unknownChecks = servers.reduce((n, s) => n + (s.result?.checks.filter((c) => !known.has(c.id)).length ?? 0), 0);
		const subject = `${servers.length} ${servers.length === 1 ? 'server' : 'servers'}`;
		store.openServersReport(parsed.result, { fileName, computerName: subject, finishedAt: parsed.result.finishedAt, redacted: parsed.report?.redacted ?? false });
		await vscode.commands.executeCommand('setContext', ContextKeys.hasRun, true);
		log.info(`Opened the ${parsed.source === 'report' ? 'report' : 'result file'} ${uri.fsPath} on ${subject} from ${parsed.result.finishedAt}.`);
		warnUnknown(unknownChecks, fileName);
		// No summary panel covers several servers: the tree, with a level per server, is where they are.
		await vscode.commands.executeCommand(`${Views.checks}.focus`);
		return { kind: 'opened', computerName: subject, checks: servers.reduce((n, s) => n + (s.result?.checks.length ?? 0), 0), unknownChecks, servers: servers.length };
	}
	const result = parsed.result;
	const unknownChecks = result.checks.filter((c) => !known.has(c.id)).length;
	store.openReport(result, { fileName, computerName: result.host.computerName, finishedAt: result.finishedAt, redacted: parsed.report?.redacted ?? false });
	await vscode.commands.executeCommand('setContext', ContextKeys.hasRun, true);
	log.info(`Opened the ${parsed.source === 'report' ? 'report' : 'result file'} ${uri.fsPath}: ${result.checks.length} checks of ${result.host.computerName} from ${result.finishedAt}.`);
	warnUnknown(unknownChecks, fileName);
	showSummary();
	return { kind: 'opened', computerName: result.host.computerName, checks: result.checks.length, unknownChecks };
}
