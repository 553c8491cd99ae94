import * as vscode from 'vscode';

/** The extension's one log; users pick its level with "Developer: Set Log Level". */
export type Log = vscode.LogOutputChannel;

export function createLog(): Log {
	return vscode.window.createOutputChannel('Provisioning Agent Doctor', { log: true });
}
