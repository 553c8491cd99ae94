import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { DiagnosisService } from './diagnosis/diagnosisService';
import { ResultsStore } from './diagnosis/resultsStore';
import type { RunOutcome } from './diagnosis/runOutcome';
import { ContextKeys } from './constants';
import { canElevate } from './elevation';
import { createLog } from './log';
import { PowerShellTerminal } from './terminal/powerShellTerminal';
import { ChecksTreeProvider } from './views/checksTreeProvider';

/** What activate() returns: a small API for tests and for other extensions that want the results. */
export interface ProvisioningAgentDoctorApi {
	getTreeSnapshot(): ReturnType<ChecksTreeProvider['snapshot']>;
	runDiagnosis(checkIds?: string[]): Promise<RunOutcome>;
	readonly store: ResultsStore;
}

export function activate(context: vscode.ExtensionContext): ProvisioningAgentDoctorApi {
	const log = createLog();
	context.subscriptions.push(log);
	const store = new ResultsStore();
	const terminal = new PowerShellTerminal(log);
	const diagnosis = new DiagnosisService(context, log, store, terminal);
	const tree = new ChecksTreeProvider(store);
	context.subscriptions.push(terminal, tree);
	registerCommands(context, log, diagnosis);
	void vscode.commands.executeCommand('setContext', ContextKeys.canElevate, canElevate());
	log.info(`Activated (${context.extension.id} ${context.extension.packageJSON.version}).`);
	return {
		getTreeSnapshot: () => tree.snapshot(),
		runDiagnosis: (checkIds) => diagnosis.diagnose(checkIds),
		store,
	};
}

export function deactivate(): void {
	// Everything is disposed through context.subscriptions.
}
