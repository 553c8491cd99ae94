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
import type { Log } from '../log';
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
export async function showAgentLog(uri: vscode.Uri): Promise<void> {
	const document = await vscode.workspace.openTextDocument(uri);
	const shown = document.languageId === AgentLogLanguage ? document : await vscode.languages.setTextDocumentLanguage(document, AgentLogLanguage);
	await vscode.window.showTextDocument(shown, { preview: false });
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
