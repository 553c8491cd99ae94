import * as vscode from 'vscode';
import { TerminalName } from '../constants';
import type { Log } from '../log';

/** How a command sent to the terminal ended, when shell integration could tell. */
export interface CommandEnd {
	readonly exitCode: number | undefined;
}

export interface SentCommand {
	/** Resolves when shell integration reports the command finished; undefined when it cannot be tracked. */
	readonly ended: Promise<CommandEnd> | undefined;
	/** Resolves when the terminal is closed. */
	readonly closed: Promise<void>;
}

/**
 * How long a new terminal may take to report shell integration. PowerShell can take several seconds to show its
 * first prompt on a busy server, and text typed before the prompt may lose its Enter; so wait generously, and type
 * the command only when shell integration is off or never arrives (by then the prompt is there).
 */
const shellIntegrationWaitMs = 20000;
const maxCapturedChars = 64 * 1024;
/** How long a command sent through shell integration may take to start before Enter is pressed again. */
const startNudgeMs = 8000;

/**
 * Owns the one "Provisioning Agent Doctor" terminal. Commands run through shell integration where it is active
 * (so the end of a command and its output are known) and are otherwise typed with sendText.
 */
export class PowerShellTerminal implements vscode.Disposable {
	private terminal: vscode.Terminal | undefined;
	private executable: string | undefined;
	private stuck = false;
	private output = '';
	private readonly disposables: vscode.Disposable[] = [];

	constructor(private readonly log: Log) {
		this.disposables.push(
			vscode.window.onDidCloseTerminal((closed) => {
				if (closed === this.terminal) {
					this.terminal = undefined;
				}
			}),
		);
	}

	/** Output of the last command, when shell integration captured it (escape sequences removed). */
	get lastOutput(): string {
		return this.output;
	}

	/** Marks the terminal as possibly still busy (a run timed out), so the next run starts a fresh one. */
	markStuck(): void {
		this.stuck = true;
		// Ctrl+C stops a PowerShell pipeline that is merely waiting.
		this.terminal?.sendText('\u0003', false);
	}

	async send(executable: string, commandLine: string): Promise<SentCommand> {
		const terminal = this.acquire(executable);
		terminal.show(true);
		const closed = new Promise<void>((resolve) => {
			const sub = vscode.window.onDidCloseTerminal((t) => {
				if (t === terminal) {
					sub.dispose();
					resolve();
				}
			});
			this.disposables.push(sub);
		});
		this.output = '';
		const enabled = vscode.workspace.getConfiguration('terminal.integrated').get<boolean>('shellIntegration.enabled', true);
		const integration = terminal.shellIntegration ?? (enabled ? await this.waitForShellIntegration(terminal) : undefined);
		if (!integration) {
			this.log.info('Shell integration is not active in the terminal; sending the command as text.');
			terminal.sendText(commandLine, true);
			return { ended: undefined, closed };
		}
		const ended = new Promise<CommandEnd>((resolve) => {
			const sub = vscode.window.onDidEndTerminalShellExecution((e) => {
				if (e.execution === execution) {
					sub.dispose();
					resolve({ exitCode: e.exitCode });
				}
			});
			this.disposables.push(sub);
		});
		const execution = integration.executeCommand(commandLine);
		this.nudgeIfNotStarted(terminal, execution);
		void this.capture(execution);
		return { ended, closed };
	}

	/**
	 * A new PowerShell can report shell integration before it reads keys (a slow profile, a busy server): the command
	 * is then typed onto the prompt line but its Enter is lost, and nothing runs. When the command has not started
	 * after a while, Enter is pressed once more; if it had started after all, the Enter only leaves an empty line.
	 */
	private nudgeIfNotStarted(terminal: vscode.Terminal, execution: vscode.TerminalShellExecution): void {
		let started = false;
		const sub = vscode.window.onDidStartTerminalShellExecution((e) => {
			if (e.execution === execution) {
				started = true;
				sub.dispose();
			}
		});
		this.disposables.push(sub);
		setTimeout(() => {
			sub.dispose();
			if (!started && this.terminal === terminal) {
				this.log.info(`The command had not started after ${startNudgeMs / 1000} s; pressing Enter in the terminal again.`);
				terminal.sendText('', true);
			}
		}, startNudgeMs);
	}

	private acquire(executable: string): vscode.Terminal {
		if (this.terminal && (this.stuck || this.executable !== executable)) {
			this.log.info('Starting a new terminal (the previous one timed out or used another PowerShell).');
			this.terminal.dispose();
			this.terminal = undefined;
		}
		if (!this.terminal) {
			this.terminal = vscode.window.createTerminal({
				name: TerminalName,
				shellPath: executable,
				shellArgs: ['-NoLogo'],
				// Process-scope policy only: the machine's own policy is what the execution-policy check reports.
				env: { PSExecutionPolicyPreference: 'Bypass' },
				iconPath: new vscode.ThemeIcon('shield'),
				isTransient: true,
			});
			this.executable = executable;
			this.stuck = false;
		}
		return this.terminal;
	}

	private waitForShellIntegration(terminal: vscode.Terminal): Promise<vscode.TerminalShellIntegration | undefined> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				sub.dispose();
				resolve(undefined);
			}, shellIntegrationWaitMs);
			const sub = vscode.window.onDidChangeTerminalShellIntegration((e) => {
				if (e.terminal === terminal) {
					clearTimeout(timer);
					sub.dispose();
					resolve(e.shellIntegration);
				}
			});
		});
	}

	private async capture(execution: vscode.TerminalShellExecution): Promise<void> {
		try {
			for await (const chunk of execution.read()) {
				// eslint-disable-next-line no-control-regex
				this.output = (this.output + chunk.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*(\x07|\x1b\\)/g, '')).slice(-maxCapturedChars);
			}
		} catch (error) {
			this.log.debug(`Reading terminal output stopped: ${String(error)}`);
		}
	}

	dispose(): void {
		for (const d of this.disposables) {
			d.dispose();
		}
		this.terminal?.dispose();
	}
}
