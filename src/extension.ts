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
import { FixRunner } from './fixes/fixRunner';
import { PanelManager } from './views/panels';
import { readRecord, type RunRecord } from './diagnosis/runChanges';
import { LogClient } from './logClient';
import { openLogLine } from './commands/agentLogs';

/** What activate() returns: a small API for tests and for other extensions that want the results. */
export interface ProvisioningAgentDoctorApi {
	getTreeSnapshot(): ReturnType<ChecksTreeProvider['snapshot']>;
	runDiagnosis(checkIds?: string[]): Promise<RunOutcome>;
	readonly store: ResultsStore;
}

/** Where the last run of each server is kept, so the next run (even after a restart) can say what changed. */
const runHistoryKey = 'paDoctor.runHistory';
/** Servers remembered; the oldest is forgotten first. */
const maxRememberedServers = 20;

/** The agent-log language client, stopped (and awaited) on deactivate. */
let logClient: LogClient | undefined;

export function activate(context: vscode.ExtensionContext): ProvisioningAgentDoctorApi {
	const log = createLog();
	context.subscriptions.push(log);
	const store = new ResultsStore({
		load: (computerName) => {
			const all = context.globalState.get<Record<string, unknown>>(runHistoryKey, {});
			return readRecord(all[computerName.toLowerCase()]);
		},
		save: (record: RunRecord) => {
			const all = { ...context.globalState.get<Record<string, unknown>>(runHistoryKey, {}) };
			delete all[record.computerName.toLowerCase()];
			all[record.computerName.toLowerCase()] = record;
			const keys = Object.keys(all);
			for (const key of keys.slice(0, Math.max(0, keys.length - maxRememberedServers))) {
				delete all[key];
			}
			void context.globalState.update(runHistoryKey, all);
		},
	});
	const terminal = new PowerShellTerminal(log);
	const diagnosis = new DiagnosisService(context, log, store, terminal);
	const fixes = new FixRunner(log, store, diagnosis);
	const panels = new PanelManager(context.extensionUri, store, log, (script) => diagnosis.fixScriptPath(script), {
		rerun: (checkId) => diagnosis.diagnose([checkId]),
		runFix: (checkId, fixId) => fixes.run(checkId, fixId),
		copyFix: (checkId, fixId) => fixes.copy(checkId, fixId),
		runChecks: (checkIds) => diagnosis.diagnose(checkIds),
		runDiagnosis: () => diagnosis.diagnose(),
		openLogLine: (checkId, index) => openLogLine(store, log, checkId, index),
	});
	const tree = new ChecksTreeProvider(store);
	logClient = new LogClient(context, log);
	context.subscriptions.push(terminal, tree, panels, logClient);
	registerCommands(context, log, diagnosis, panels, store);
	void vscode.commands.executeCommand('setContext', ContextKeys.canElevate, canElevate());
	log.info(`Activated (${context.extension.id} ${context.extension.packageJSON.version}).`);
	return {
		getTreeSnapshot: () => tree.snapshot(),
		runDiagnosis: (checkIds) => diagnosis.diagnose(checkIds),
		store,
	};
}

export function deactivate(): Promise<void> | undefined {
	// Everything else is disposed through context.subscriptions; the language server's stop is asynchronous.
	return logClient?.stop();
}
