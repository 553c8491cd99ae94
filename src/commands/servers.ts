/**
 * The commands of a run on several servers: Diagnose Provisioning Agent on Servers… (a multi-select pick of the
 * configured servers, remembering the last choice), a server's check panel and why a server has no result, and
 * Compare Two Servers. What the servers are and what is said about them is pure (../remote).
 */
import * as vscode from 'vscode';
import { checks } from '../checks/catalogue';
import type { ServerEntry } from '../checks/types';
import { ConfigKeys, ConfigSection } from '../constants';
import type { DiagnosisService } from '../diagnosis/diagnosisService';
import type { ResultsStore } from '../diagnosis/resultsStore';
import { notificationText } from '../diagnosis/runOutcome';
import type { Log } from '../log';
import { compareServersMarkdown } from '../remote/compareText';
import { describeServer, readServers, serverLabel, serverProblem, type ServerSpec } from '../remote/servers';

/** The servers picked last time ("<transport>:<name>"), so the pick opens with them ticked. */
const lastChoiceKey = 'paDoctor.lastServers';

const specKey = (s: ServerSpec): string => `${s.transport}:${s.name.toLowerCase()}`;

function openServerSettings(): Thenable<unknown> {
	return vscode.commands.executeCommand('workbench.action.openSettings', `${ConfigSection}.${ConfigKeys.servers}`);
}

export async function diagnoseServers(context: vscode.ExtensionContext, diagnosis: DiagnosisService, log: Log, arg?: unknown): Promise<unknown> {
	const config = vscode.workspace.getConfiguration(ConfigSection);
	const { servers, problems } = readServers(config.get(ConfigKeys.servers));
	if (problems.length > 0) {
		log.warn(`The setting ${ConfigSection}.${ConfigKeys.servers} has entries that are not servers: ${problems.join('; ')}`);
		void vscode.window.showWarningMessage(`Some entries of the setting "Servers" are left out: ${notificationText(problems.join('; '))}.`, 'Open Settings').then((pick) => (pick ? openServerSettings() : undefined));
	}
	if (servers.length === 0) {
		const pick = await vscode.window.showInformationMessage(
			'No servers are configured. Add the agent servers to the setting "Servers" (a computer name for WinRM, or { "name": "user@host", "transport": "SSH" }); "Diagnose Provisioning Agent" diagnoses this server.',
			'Open Settings',
		);
		if (pick) {
			await openServerSettings();
		}
		return undefined;
	}
	let chosen: ServerSpec[];
	if (Array.isArray(arg) && arg.every((a) => typeof a === 'string')) {
		// From another command or a test: the names, which must be configured servers.
		const names = (arg as string[]).map((a) => a.toLowerCase());
		chosen = servers.filter((s) => names.includes(s.name.toLowerCase()));
		if (chosen.length !== names.length) {
			throw new Error(`only configured servers can be diagnosed: ${(arg as string[]).join(', ')}`);
		}
	} else {
		const last = new Set(context.globalState.get<string[]>(lastChoiceKey) ?? servers.map(specKey));
		type Item = vscode.QuickPickItem & { spec: ServerSpec };
		const picked = await vscode.window.showQuickPick<Item>(
			servers.map((s) => ({ label: s.name, description: s.transport === 'SSH' ? 'SSH' : 'WinRM', picked: last.has(specKey(s)), spec: s })),
			{ canPickMany: true, title: 'Diagnose Provisioning Agent on Servers', placeHolder: 'The servers to diagnose at once (PowerShell remoting)' },
		);
		if (!picked || picked.length === 0) {
			return undefined;
		}
		chosen = picked.map((p) => p.spec);
		await context.globalState.update(lastChoiceKey, chosen.map(specKey));
	}
	const keyFile = config.get<string>(ConfigKeys.sshKeyFile)?.trim();
	const timeout = config.get<number>(ConfigKeys.remoteTimeoutSeconds);
	const timeoutSeconds = typeof timeout === 'number' && Number.isFinite(timeout) ? Math.min(86400, Math.max(10, Math.round(timeout))) : 600;
	return diagnosis.diagnoseServers(chosen, { keyFilePath: keyFile || undefined, timeoutSeconds });
}

export async function showServerProblem(store: ResultsStore, arg: unknown): Promise<void> {
	const entry = store.servers?.find((s) => s.server === arg);
	if (!entry) {
		void vscode.window.showInformationMessage('That server is not in the last run any more. Run "Diagnose Provisioning Agent on Servers…" again.');
		return;
	}
	const problem = serverProblem(entry);
	if (!problem) {
		void vscode.window.showInformationMessage(`${notificationText(serverLabel(entry))} has results: open its checks in the tree.`);
		return;
	}
	const { why, next } = problem;
	void vscode.window.showWarningMessage(`${notificationText(serverLabel(entry))}: ${notificationText(describeServer(entry))}. ${notificationText(why)}${next ? ` Next step: ${notificationText(next)}` : ''}`);
}

/** Two servers of the last run, side by side, in a Markdown preview (an unsaved document: nothing is written). */
export async function compareServers(store: ResultsStore, arg?: unknown): Promise<unknown> {
	const withResults = (store.servers ?? []).filter((s): s is ServerEntry & { result: NonNullable<ServerEntry['result']> } => s.result !== null && !s.result.fatal);
	if (withResults.length < 2) {
		void vscode.window.showInformationMessage('Comparing needs two servers with results: run "Diagnose Provisioning Agent on Servers…" on at least two servers first.');
		return undefined;
	}
	let pair: ServerEntry[];
	if (Array.isArray(arg) && arg.length === 2) {
		pair = arg.map((name) => withResults.find((s) => s.server === name)).filter((s): s is (typeof withResults)[number] => s !== undefined);
		if (pair.length !== 2) {
			throw new Error('both servers must be in the last run, with results');
		}
	} else if (withResults.length === 2) {
		pair = withResults;
	} else {
		const picked = await vscode.window.showQuickPick(
			withResults.map((s) => ({ label: serverLabel(s), description: describeServer(s), entry: s })),
			{ canPickMany: true, title: 'Compare Two Servers', placeHolder: 'Pick two servers' },
		);
		if (!picked) {
			return undefined;
		}
		if (picked.length !== 2) {
			void vscode.window.showInformationMessage(`Pick exactly two servers to compare (${picked.length} picked).`);
			return undefined;
		}
		pair = picked.map((p) => p.entry);
	}
	const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: compareServersMarkdown(checks, pair[0], pair[1]) });
	await vscode.window.showTextDocument(document, { preview: false });
	await vscode.commands.executeCommand('markdown.showPreviewToSide');
	return document;
}
