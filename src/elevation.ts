import * as vscode from 'vscode';

/**
 * Where a UAC prompt can appear: the extension host on Windows in a local window. Over Remote - SSH the server has
 * no desktop session for the prompt, so Start-Process -Verb RunAs cannot work there.
 */
export function canElevate(): boolean {
	return process.platform === 'win32' && vscode.env.remoteName === undefined;
}
