import * as vscode from 'vscode';
import { checks } from '../checks/catalogue';
import { Commands, ExtensionId } from '../constants';
import type { DiagnosisService } from '../diagnosis/diagnosisService';
import type { ResultsStore } from '../diagnosis/resultsStore';
import type { Log } from '../log';
import type { TreeNode } from '../views/checksTreeProvider';
import { orderSummaryRows } from '../views/panelHtml';
import type { PanelManager } from '../views/panels';
import { openAgentLogs } from './agentLogs';
import { exportReport, openReport } from './reportFiles';
import { compareServers, diagnoseServers, showServerProblem } from './servers';
import { statusLabels } from '../views/treeModel';

/**
 * Registers every command. Each handler is wrapped so an unexpected error is logged with its stack and the user
 * gets one sentence and a way to the log, never a raw stack trace.
 */
export function registerCommands(
	context: vscode.ExtensionContext,
	log: Log,
	diagnosis: DiagnosisService,
	panels: PanelManager,
	store: ResultsStore,
): void {
	const register = (id: string, handler: (...args: unknown[]) => unknown): void => {
		context.subscriptions.push(
			vscode.commands.registerCommand(id, async (...args: unknown[]) => {
				try {
					return await handler(...args);
				} catch (error) {
					log.error(`Command ${id} failed: ${(error as Error).stack ?? String(error)}`);
					const pick = await vscode.window.showErrorMessage(
						`Provisioning Agent Doctor could not complete "${id}": ${(error as Error).message}. See the log for details.`,
						'Show Log',
					);
					if (pick) {
						log.show(true);
					}
					return undefined;
				}
			}),
		);
	};

	register(Commands.diagnose, () => diagnosis.diagnose());
	register(Commands.stop, () => diagnosis.stop());
	register(Commands.diagnoseElevated, () => {
		if (process.platform !== 'win32') {
			void vscode.window.showWarningMessage(
				'An elevated window can only be opened on Windows. Open this folder on the agent server (for example with Remote - SSH) and run it there.',
			);
			return undefined;
		}
		if (vscode.env.remoteName !== undefined) {
			void vscode.window.showWarningMessage(
				'A remote session has no desktop for the UAC prompt. Sign in to the remote session as an administrator whose token is elevated (for example an SSH session of a member of Administrators), or run VS Code on the server itself as administrator.',
			);
			return undefined;
		}
		return diagnosis.diagnoseElevated();
	});
	register(Commands.runCheck, async (arg?: unknown) => {
		const id = await pickCheckId(arg);
		return id ? diagnosis.diagnose([id]) : undefined;
	});
	register(Commands.showFailure, async (arg?: unknown) => {
		const id = await pickCheckId(arg, store);
		if (id) {
			panels.showCheck(id);
		}
	});
	register(Commands.showSummary, () => panels.showSummary());
	const version = String(context.extension.packageJSON.version);
	register(Commands.exportReport, (arg?: unknown) => exportReport(arg, store, log, version));
	register(Commands.openReport, (arg?: unknown) => openReport(arg, store, log, () => panels.showSummary()));
	register(Commands.openAgentLogs, () => openAgentLogs(log));
	register(Commands.explainError, (arg?: unknown) => {
		// Text from a caller (the log diagnostics' quick fix, a test) or the editor's selection is explained at once;
		// otherwise the panel opens with an empty text box for a paste.
		if (typeof arg === 'string') {
			panels.showExplain(arg);
			return;
		}
		const editor = vscode.window.activeTextEditor;
		const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
		panels.showExplain(selected.trim() ? selected : undefined);
	});
	register(Commands.showRawOutput, () => diagnosis.showRawOutput());
	register(Commands.showLog, () => log.show(true));
	register(Commands.openSettings, () => vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${ExtensionId}`));
	register(Commands.diagnoseServers, (arg?: unknown) => diagnoseServers(context, diagnosis, log, arg));
	register(Commands.compareServers, (arg?: unknown) => compareServers(store, arg));
	register(Commands.showServerProblem, (arg?: unknown) => showServerProblem(store, arg));
	register(Commands.showServerCheck, (server?: unknown, checkId?: unknown) => {
		if (typeof server !== 'string' || typeof checkId !== 'string') {
			throw new Error('a server and a check are needed');
		}
		panels.showServerCheck(server, checkId);
	});
}

/**
 * The check id from a tree node or an id argument; from the palette, a quick pick. Unknown ids are refused. With the
 * store (Show Failure), the pick lists the checks that have a result, the problems first as in the summary.
 */
async function pickCheckId(arg: unknown, store?: ResultsStore): Promise<string | undefined> {
	const candidate = typeof arg === 'string' ? arg : (arg as TreeNode | undefined)?.kind === 'check' ? (arg as TreeNode).id : undefined;
	if (candidate) {
		if (!checks.some((c) => c.id === candidate)) {
			throw new Error(`there is no check "${candidate}"`);
		}
		return candidate;
	}
	if (store) {
		const rows = orderSummaryRows(checks, store.results).filter((r) => r.status !== 'notRun');
		if (rows.length === 0) {
			void vscode.window.showInformationMessage('No check has a result yet: run "Diagnose Provisioning Agent" first.');
			return undefined;
		}
		const shown = await vscode.window.showQuickPick(
			rows.map((r) => ({ label: r.check.title, description: statusLabels[r.status], detail: r.summary, id: r.check.id })),
			{ placeHolder: 'Which check should its panel show?', matchOnDescription: true },
		);
		return shown?.id;
	}
	const pick = await vscode.window.showQuickPick(
		checks.filter((c) => c.probe).map((c) => ({ label: c.title, description: c.id, id: c.id })),
		{ placeHolder: 'Which check should run again?' },
	);
	return pick?.id;
}
