/**
 * The client of the agent-log language server (dist/server.js, over node IPC) and the status-bar item that counts the
 * known failures in the active agent log. The server starts only once a `provisioning-agent-log` document is open (the
 * extension may have been activated by the view or a command) and stops with the extension.
 */
import * as vscode from 'vscode';
import { LanguageClient, RevealOutputChannelOn, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { Log } from './log';

/** The language id the manifest gives the agent's trace logs and installer logs. */
export const agentLogLanguageId = 'provisioning-agent-log';

/** The `source` of the server's diagnostics (src/server/serverText.ts says the same). */
const diagnosticSource = 'Provisioning Agent Doctor';

export class LogClient implements vscode.Disposable {
	private client: LanguageClient | undefined;
	private starting: Promise<void> | undefined;
	private readonly statusItem: vscode.StatusBarItem;
	private readonly disposables: vscode.Disposable[] = [];

	constructor(
		private readonly context: vscode.ExtensionContext,
		private readonly log: Log,
	) {
		this.statusItem = vscode.window.createStatusBarItem('paDoctor.logFindings', vscode.StatusBarAlignment.Left, 50);
		this.statusItem.name = 'Provisioning Agent Doctor: known failures in this log';
		this.statusItem.command = 'workbench.actions.view.problems';
		this.disposables.push(
			this.statusItem,
			// Also fired when the language mode of an open document changes (close, then open with the new language).
			vscode.workspace.onDidOpenTextDocument((document) => {
				this.startIfNeeded(document);
				this.updateStatus();
			}),
			vscode.window.onDidChangeActiveTextEditor(() => this.updateStatus()),
			vscode.languages.onDidChangeDiagnostics((event) => {
				const active = vscode.window.activeTextEditor?.document.uri.toString();
				if (active && event.uris.some((uri) => uri.toString() === active)) {
					this.updateStatus();
				}
			}),
		);
		for (const document of vscode.workspace.textDocuments) {
			this.startIfNeeded(document);
		}
		this.updateStatus();
	}

	private startIfNeeded(document: vscode.TextDocument): void {
		if (document.languageId !== agentLogLanguageId || this.starting) {
			return;
		}
		this.starting = this.start();
	}

	private async start(): Promise<void> {
		const module = this.context.asAbsolutePath('dist/server.js');
		const serverOptions: ServerOptions = {
			run: { module, transport: TransportKind.ipc },
			debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
		};
		const clientOptions: LanguageClientOptions = {
			documentSelector: [{ language: agentLogLanguageId }],
			outputChannel: this.log,
			revealOutputChannelOn: RevealOutputChannelOn.Never,
			initializationFailedHandler: (error) => {
				this.log.error(`The agent log server did not start: ${String(error)}`);
				return false;
			},
		};
		const client = new LanguageClient('paDoctorLogs', 'Provisioning Agent Doctor Log Server', serverOptions, clientOptions);
		this.client = client;
		try {
			await client.start();
			this.log.info('Agent log server started.');
		} catch (error) {
			this.log.error(`The agent log server did not start: ${(error as Error).stack ?? String(error)}`);
		}
	}

	/** The count of this server's diagnostics on the active agent log; hidden for any other editor. */
	private updateStatus(): void {
		const document = vscode.window.activeTextEditor?.document;
		if (!document || document.languageId !== agentLogLanguageId) {
			this.statusItem.hide();
			return;
		}
		const count = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === diagnosticSource).length;
		this.statusItem.text = count === 0 ? '$(check) No known failures' : `$(warning) ${count} known failure${count === 1 ? '' : 's'}`;
		this.statusItem.tooltip = count === 0
			? 'Provisioning Agent Doctor found no known failure in this log. Click to open the Problems panel.'
			: `Provisioning Agent Doctor found ${count} line${count === 1 ? '' : 's'} with a known failure in this log. Click to open the Problems panel.`;
		this.statusItem.show();
	}

	/** Stops the server (deactivate awaits this). */
	async stop(): Promise<void> {
		const client = this.client;
		this.client = undefined;
		await this.starting?.catch(() => undefined);
		if (client?.isRunning()) {
			await client.stop();
		}
	}

	dispose(): void {
		for (const disposable of this.disposables) {
			disposable.dispose();
		}
		void this.stop().catch((error: unknown) => this.log.error(`Stopping the agent log server failed: ${String(error)}`));
	}
}
