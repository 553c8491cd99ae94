/**
 * Open Agent Logs: lists the newest logs of each kind on this machine (the agent server, when the window runs there)
 * and opens the one picked as a Provisioning Agent log, so the log server marks its known failures. Where the logs
 * are is pure (../logs/agentLogPlaces); this lists folders and asks.
 */
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { formatRunTime } from '../diagnosis/runChanges';
import type { ResultsStore } from '../diagnosis/resultsStore';
import type { Log } from '../log';
import { locateLogLine, logLinesOf } from '../logs/logLines';
import { agentLogKindTitles, agentLogPlaces, newestLogs, type FoundLog } from '../logs/agentLogPlaces';

export const AgentLogLanguage = 'provisioning-agent-log';

export type OpenLogsOutcome = { readonly kind: 'opened'; readonly path: string } | { readonly kind: 'none'; readonly folders: readonly string[] } | { readonly kind: 'cancelled' };

function size(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

async function findLogs(log: Log): Promise<{ found: FoundLog[]; folders: string[] }> {
	const env = { ProgramData: process.env.ProgramData, TEMP: process.env.TEMP ?? os.tmpdir(), SystemRoot: process.env.SystemRoot };
	const places = agentLogPlaces(env);
	const found: FoundLog[] = [];
	for (const place of places) {
		let names: string[];
		try {
			names = (await fs.readdir(place.folder, { withFileTypes: true })).filter((e) => e.isFile() && place.matches(e.name)).map((e) => e.name);
		} catch (error) {
			// A folder that is not there (no agent yet, not Windows) or not readable is simply not listed.
			log.info(`Open Agent Logs: ${place.folder} not listed (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`);
			continue;
		}
		for (const name of names) {
			const file = path.join(place.folder, name);
			try {
				const stat = await fs.stat(file);
				found.push({ kind: place.kind, path: file, modifiedMs: stat.mtimeMs, size: stat.size });
			} catch {
				// Deleted between the listing and the stat: leave it out.
			}
		}
	}
	return { found, folders: [...new Set(places.map((p) => p.folder))] };
}

/** Opens a log file as a Provisioning Agent log (the trace files' names are not documented, so no pattern covers them all). */
export async function showAgentLog(uri: vscode.Uri): Promise<vscode.TextEditor> {
	const document = await vscode.workspace.openTextDocument(uri);
	const shown = document.languageId === AgentLogLanguage ? document : await vscode.languages.setTextDocumentLanguage(document, AgentLogLanguage);
	return vscode.window.showTextDocument(shown, { preview: false });
}

export type OpenLogLineOutcome =
	| { readonly kind: 'opened'; readonly path: string; readonly line: number }
	| { readonly kind: 'lineGone'; readonly path: string }
	| { readonly kind: 'fileGone'; readonly path: string; readonly reason: string }
	| { readonly kind: 'noLine' };

/**
 * A check panel's "Open in Editor": the log line at `index` of the check's latest result, opened as a Provisioning
 * Agent log with the line selected. The path comes from the result the extension holds, never from the page.
 */
export async function openLogLine(store: ResultsStore, log: Log, checkId: string, index: number): Promise<OpenLogLineOutcome> {
	const result = store.report ? undefined : store.results.get(checkId);
	const line = result ? logLinesOf(result.evidence)[index] : undefined;
	if (!line) {
		void vscode.window.showWarningMessage('That log line is not in the latest result any more. Run the check again to list the lines its logs hold now.');
		return { kind: 'noLine' };
	}
	let editor: vscode.TextEditor;
	try {
		editor = await showAgentLog(vscode.Uri.file(line.file));
	} catch (error) {
		const reason = (error as Error).message;
		log.warn(`Could not open the log ${line.file}: ${reason}`);
		void vscode.window.showWarningMessage(
			`Could not open ${line.file}: ${reason}. The agent may have removed or rotated the file, or this window may not run on the agent server; run the check again, or use Open Agent Logs.`,
		);
		return { kind: 'fileGone', path: line.file, reason };
	}
	const document = editor.document;
	const lines: string[] = [];
	for (let i = 0; i < document.lineCount; i++) {
		lines.push(document.lineAt(i).text);
	}
	const at = locateLogLine(lines, line);
	if (at === undefined) {
		void vscode.window.showInformationMessage(`The line is no longer in ${path.basename(line.file)}: the log changed since the check ran. Run the check again.`);
		return { kind: 'lineGone', path: line.file };
	}
	const range = new vscode.Range(at, 0, at, document.lineAt(at).text.length);
	editor.selection = new vscode.Selection(range.start, range.end);
	editor.revealRange(range, vscode.TextEditorRevealType.InCenter);
	return { kind: 'opened', path: line.file, line: at + 1 };
}

export async function openAgentLogs(log: Log): Promise<OpenLogsOutcome> {
	const { found, folders } = await findLogs(log);
	const newest = newestLogs(found);
	if (newest.length === 0) {
		void vscode.window.showInformationMessage(
			`No provisioning agent logs were found in ${folders.join(', ') || 'the trace and TEMP folders'}. They are on the agent server: open this window there (for example with Remote - SSH), or open a copied log with File > Open; paste a message into Explain an Error to read it without the file.`,
		);
		return { kind: 'none', folders };
	}
	type Item = vscode.QuickPickItem & { file?: FoundLog };
	const items: Item[] = [];
	for (const file of newest) {
		if (!items.some((i) => i.file?.kind === file.kind)) {
			items.push({ label: agentLogKindTitles[file.kind], kind: vscode.QuickPickItemKind.Separator });
		}
		items.push({ label: path.basename(file.path), description: `${formatRunTime(new Date(file.modifiedMs).toISOString())} · ${size(file.size)}`, detail: path.dirname(file.path), file });
	}
	const pick = await vscode.window.showQuickPick(items, { title: 'Open Agent Logs', placeHolder: 'The newest logs of each kind on this machine', matchOnDescription: true, matchOnDetail: true });
	if (!pick?.file) {
		return { kind: 'cancelled' };
	}
	await showAgentLog(vscode.Uri.file(pick.file.path));
	return { kind: 'opened', path: pick.file.path };
}
