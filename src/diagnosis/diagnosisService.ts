import { randomBytes } from 'crypto';
import { promises as fs, statSync } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { checks, findCheck } from '../checks/catalogue';
import { parseCheckProgress, parseDiagnosisResult, parseServersResult } from '../checks/resultSchema';
import { remoteArguments, type ServerSpec } from '../remote/servers';
import { readSettings } from '../config';
import { canElevate } from '../elevation';
import { Commands, ConfigKeys, ConfigSection, ContextKeys, Views } from '../constants';
import type { Log } from '../log';
import { buildElevatedInvocation, buildScriptInvocation, ScriptArgument } from '../terminal/quoting';
import { PowerShellTerminal, SentCommand } from '../terminal/powerShellTerminal';
import { locatePowerShell } from './powershellLocator';
import { ResultsStore } from './resultsStore';
import { checksAffectedByElevation, describeOutcome, notificationText, RunOutcome } from './runOutcome';
import { filesToPrune } from './resultFiles';
import { maxResultBytes, waitForResultFile } from './resultWaiter';
import type { DiagnosisSettings } from './settings';

/** Result files kept in the extension's storage (older ones are deleted), so "Show Raw Output" has something to open. */
const keptResultFiles = 10;
/** After the terminal says the command ended, how long the result file may still take to appear. */
const endGraceMs = 3000;
/** How long a copied elevated command may take to write its result before nobody waits for it any more. */
const elevatedCopyWaitMs = 30 * 60 * 1000;
/** How often the progress file is read while a run goes on. */
const progressPollMs = 500;

type RunMode = 'terminal' | 'elevated';

const rawOutputScheme = 'pad-raw';

/**
 * Runs the entry script for the whole catalogue or some checks, waits for its result file and hands the outcome
 * to the store. One run at a time.
 */
export class DiagnosisService {
	/** Set before the first await of a run, so a double click cannot start a second one. */
	private busy = false;
	private rawOutput = '';
	private rawOutputPath: string | undefined;

	constructor(
		private readonly context: vscode.ExtensionContext,
		private readonly log: Log,
		private readonly store: ResultsStore,
		private readonly terminal: PowerShellTerminal,
	) {
		// Raw output opens as a read-only document of this scheme: nothing to save, no prompt on close.
		context.subscriptions.push(
			vscode.workspace.registerTextDocumentContentProvider(rawOutputScheme, { provideTextDocumentContent: (uri) => this.rawDocuments.get(uri.toString()) ?? '' }),
		);
	}

	/** Raw output shown so far, by document URI; a new URI per showing, so each shows what it was then. */
	private readonly rawDocuments = new Map<string, string>();
	private rawShown = 0;
	/** Ends the wait of the run going on (Stop); set while a run waits for its result. */
	private stopWaiting: (() => void) | undefined;
	private readingProgress = false;

	get entryScriptPath(): string {
		return path.join(this.context.extensionPath, 'dist', 'powershell', 'Invoke-AgentDiagnosis.ps1');
	}

	/** Runs the given checks (all when omitted) in the integrated terminal. */
	diagnose(checkIds?: readonly string[]): Promise<RunOutcome> {
		return this.run('terminal', checkIds);
	}

	/** Runs the whole diagnosis in an elevated Windows PowerShell window; results land in the same tree. */
	diagnoseElevated(): Promise<RunOutcome> {
		return this.run('elevated', undefined);
	}

	private run(mode: RunMode, checkIds: readonly string[] | undefined): Promise<RunOutcome> {
		return this.exclusive(() => this.runExclusive(mode, checkIds));
	}

	/** One run at a time, whatever it runs: a second one is refused with a message while the first goes on. */
	private async exclusive(body: () => Promise<RunOutcome>): Promise<RunOutcome> {
		if (this.busy) {
			const busy: RunOutcome = { kind: 'busy' };
			void vscode.window.showInformationMessage(describeOutcome(busy).text);
			return busy;
		}
		this.busy = true;
		try {
			return await body();
		} finally {
			this.busy = false;
		}
	}

	/**
	 * Stop: the wait ends at once, Ctrl+C goes to the terminal, and the next run starts a fresh terminal (the old one
	 * may still be busy). Checks that had finished keep the results their progress lines gave.
	 */
	stop(): void {
		if (!this.busy || !this.stopWaiting) {
			return;
		}
		this.log.info('Stop requested.');
		this.stopWaiting();
	}

	/** Where the catalogue's fix scripts are on this machine (the terminal's). */
	fixScriptPath(script: string): string {
		return path.join(this.context.extensionPath, 'dist', 'powershell', 'catalogue', ...script.split('/'));
	}

	/**
	 * Sends a command (a fix) to the diagnosis terminal, with the PowerShell the diagnosis uses. Undefined when there is
	 * no PowerShell (the user was told) or a diagnosis is running.
	 */
	async sendToTerminal(commandLine: string): Promise<SentCommand | undefined> {
		if (this.busy) {
			void vscode.window.showInformationMessage(describeOutcome({ kind: 'busy' }).text);
			return undefined;
		}
		const located = this.locate(readSettings());
		if (!located.found) {
			void this.report({ kind: 'noPowerShell', requested: located.requested, fromSetting: located.fromSetting });
			return undefined;
		}
		this.log.info(`Running a fix with ${located.executable}: ${commandLine}`);
		return this.terminal.send(located.executable, commandLine);
	}

	private locate(settings: DiagnosisSettings): ReturnType<typeof locatePowerShell> {
		return locatePowerShell(settings.powershellPath, {
			platform: process.platform,
			env: process.env,
			isFile: (candidate) => {
				try {
					return statSync(candidate).isFile();
				} catch {
					return false;
				}
			},
		});
	}

	private async runExclusive(mode: RunMode, checkIds: readonly string[] | undefined): Promise<RunOutcome> {
		const settings = readSettings();
		const located = this.locate(settings);
		if (!located.found) {
			return this.noPowerShell(located);
		}

		const ids = checkIds && checkIds.length > 0 ? [...checkIds] : checks.map((c) => c.id);
		const resultPath = await this.newResultPath();
		const progressPath = resultPath.replace(/\.json$/, '.progress.jsonl');
		const args = this.scriptArguments(settings, resultPath, checkIds);
		args.push(['ProgressPath', progressPath]);
		const commandLine =
			mode === 'elevated'
				? buildElevatedInvocation('powershell.exe', this.entryScriptPath, args)
				: buildScriptInvocation(this.entryScriptPath, args);
		this.log.info(`Running (${mode}) with ${located.executable}: ${commandLine}`);

		await this.startRun(ids);
		let outcome: RunOutcome;
		try {
			outcome = await vscode.window.withProgress(
				{ location: { viewId: Views.checks }, title: 'Diagnosing the provisioning agent' },
				async () => {
					const sent = await this.terminal.send(located.executable, commandLine);
					// Each check shows as soon as its progress line is there; the result file still decides.
					const poll = setInterval(() => void this.readProgress(progressPath), progressPollMs);
					try {
						return await this.awaitOutcome(mode, sent, resultPath, settings);
					} finally {
						clearInterval(poll);
					}
				},
			);
		} catch (error) {
			this.log.error(`The run failed: ${(error as Error).stack ?? String(error)}`);
			outcome = { kind: 'endedWithoutResult', exitCode: undefined };
		}
		void fs.rm(progressPath, { force: true }).catch(() => undefined);
		return this.endRun(outcome, resultPath, 'Run');
	}

	/** No PowerShell to run with: the tree and the user are told, and nothing starts. */
	private noPowerShell(located: { readonly requested: string; readonly fromSetting: boolean }): RunOutcome {
		const outcome: RunOutcome = { kind: 'noPowerShell', requested: located.requested, fromSetting: located.fromSetting };
		this.log.warn(`PowerShell not found: ${located.requested}`);
		this.store.finishRun(outcome);
		void this.report(outcome);
		return outcome;
	}

	/** The start of every run in the terminal: its checks show as running, and the views know a run is on. */
	private async startRun(ids: readonly string[]): Promise<void> {
		this.store.markRunning(ids);
		await vscode.commands.executeCommand('setContext', ContextKeys.running, true);
		await vscode.commands.executeCommand('setContext', ContextKeys.hasRun, true);
	}

	/** The end of every run in the terminal: the tree, the raw output, the user told, old result files pruned. */
	private async endRun(outcome: RunOutcome, resultPath: string, what: string): Promise<RunOutcome> {
		if (outcome.kind === 'timeout' || outcome.kind === 'stopped') {
			this.terminal.markStuck();
		}
		this.rawOutput = outcome.kind === 'malformed' ? outcome.rawText : this.terminal.lastOutput;
		this.rawOutputPath = resultPath;
		this.store.finishRun(outcome);
		await vscode.commands.executeCommand('setContext', ContextKeys.running, false);
		this.log.info(`${what} ended: ${outcome.kind}`);
		// Not awaited: a notification stays until the user answers it, and the run is over now.
		void this.report(outcome);
		void this.pruneResultFiles();
		return outcome;
	}

	private scriptArguments(
		settings: DiagnosisSettings,
		resultPath: string,
		checkIds: readonly string[] | undefined,
	): Array<[string, ScriptArgument]> {
		const args: Array<[string, ScriptArgument]> = [
			['ResultPath', resultPath],
			['Cloud', settings.cloud],
			['EventDays', settings.eventLogDays],
			['CheckTimeoutSeconds', settings.checkTimeoutSeconds],
			['NetworkTimeoutSeconds', settings.networkTimeoutSeconds],
		];
		if (settings.wizardAccount) {
			args.push(['WizardAccount', settings.wizardAccount]);
		}
		if (checkIds && checkIds.length > 0) {
			args.push(['Check', [...checkIds]]);
		}
		return args;
	}

	/**
	 * Runs the diagnosis on other servers through PowerShell remoting, from the same terminal: one command, which the
	 * admin sees, fans out to every server and writes one result file. Credentials are PowerShell's own business
	 * (Kerberos, the SSH agent or key, a prompt in the terminal); the extension never sees a password.
	 */
	diagnoseServers(servers: readonly ServerSpec[], options: { readonly keyFilePath?: string; readonly timeoutSeconds: number }): Promise<RunOutcome> {
		return this.exclusive(() => this.runServers(servers, options));
	}

	private async runServers(servers: readonly ServerSpec[], options: { readonly keyFilePath?: string; readonly timeoutSeconds: number }): Promise<RunOutcome> {
		const settings = readSettings();
		const located = this.locate(settings);
		if (!located.found) {
			return this.noPowerShell(located);
		}
		const resultPath = await this.newResultPath();
		const args = [...this.scriptArguments(settings, resultPath, undefined), ...remoteArguments(servers, options)];
		const commandLine = buildScriptInvocation(this.entryScriptPath, args);
		this.log.info(`Running on ${servers.length} server(s) with ${located.executable}: ${commandLine}`);
		await this.startRun(checks.map((c) => c.id));
		// The script ends every server by its own deadline; the extension waits a minute more for the file.
		const waitSettings = { ...settings, diagnosisTimeoutSeconds: Math.max(settings.diagnosisTimeoutSeconds, options.timeoutSeconds + 60) };
		let outcome: RunOutcome;
		try {
			outcome = await vscode.window.withProgress({ location: { viewId: Views.checks }, title: `Diagnosing ${servers.length} servers` }, async () => {
				const sent = await this.terminal.send(located.executable, commandLine);
				return this.awaitOutcome('terminal', sent, resultPath, waitSettings, (text) => this.outcomeOfServersText(text, resultPath));
			});
		} catch (error) {
			this.log.error(`The run on several servers failed: ${(error as Error).stack ?? String(error)}`);
			outcome = { kind: 'endedWithoutResult', exitCode: undefined };
		}
		return this.endRun(outcome, resultPath, 'Run on several servers');
	}

	private outcomeOfServersText(text: string, resultPath: string): RunOutcome {
		const parsed = parseServersResult(text);
		if (!parsed.ok) {
			this.log.error(`Malformed result in ${resultPath}: ${parsed.reason}`);
			return { kind: 'malformed', reason: parsed.reason, rawText: text, resultPath };
		}
		return { kind: 'serversCompleted', result: parsed.result };
	}

	private async awaitOutcome(
		mode: RunMode,
		sent: SentCommand,
		resultPath: string,
		settings: DiagnosisSettings,
		outcomeOf: (text: string, resultPath: string) => RunOutcome = (text, at) => this.outcomeOfResultText(text, at),
	): Promise<RunOutcome> {
		// In the elevated mode the terminal only starts the other window: its command ending is not the run ending.
		const cancelled = new Promise<string>((resolve) => {
			this.stopWaiting = () => resolve('stopped');
			if (mode === 'terminal') {
				void sent.closed.then(() => resolve('terminalClosed'));
			}
			void sent.ended?.then(async (end) => {
				if (mode === 'elevated') {
					if (end.exitCode !== undefined && end.exitCode !== 0) {
						resolve(`elevationCancelled:${end.exitCode}`);
					}
					return;
				}
				await new Promise((r) => setTimeout(r, endGraceMs));
				resolve(`ended:${end.exitCode ?? ''}`);
			});
		});
		const waited = await waitForResultFile(resultPath, { timeoutMs: settings.diagnosisTimeoutSeconds * 1000, cancelled }).finally(() => {
			this.stopWaiting = undefined;
		});
		switch (waited.kind) {
			case 'timeout':
				return { kind: 'timeout', seconds: settings.diagnosisTimeoutSeconds };
			case 'cancelled': {
				const [reason, code] = waited.reason.split(':');
				const exitCode = code ? Number(code) : undefined;
				if (reason === 'terminalClosed') {
					return { kind: 'terminalClosed' };
				}
				if (reason === 'stopped') {
					return { kind: 'stopped' };
				}
				return reason === 'elevationCancelled' ? { kind: 'elevationCancelled', exitCode } : { kind: 'endedWithoutResult', exitCode };
			}
			case 'refused':
				// A directory, a FIFO or a huge file at the result path: reported like a malformed result, with why.
				this.log.error(`Refused the result at ${resultPath}: ${waited.reason}`);
				return { kind: 'malformed', reason: waited.reason, rawText: '', resultPath };
			case 'file':
				return outcomeOf(waited.text, resultPath);
		}
	}

	/** A result file's text as the end of a run: completed, or malformed with the reason. */
	private outcomeOfResultText(text: string, resultPath: string): RunOutcome {
		const parsed = parseDiagnosisResult(text);
		if (!parsed.ok) {
			this.log.error(`Malformed result in ${resultPath}: ${parsed.reason}`);
			return { kind: 'malformed', reason: parsed.reason, rawText: text, resultPath };
		}
		return { kind: 'completed', result: parsed.result };
	}

	/** Tells the user how the run ended, with a button for the next step where there is one. */
	private async report(outcome: RunOutcome): Promise<void> {
		const message = describeOutcome(outcome, this.store.results);
		const actions: Record<string, () => Thenable<unknown>> = {};
		switch (outcome.kind) {
			case 'noPowerShell':
				actions['Open Settings'] = () =>
					vscode.commands.executeCommand('workbench.action.openSettings', `${ConfigSection}.${ConfigKeys.powershellPath}`);
				break;
			case 'malformed':
			case 'endedWithoutResult':
				actions['Show Raw Output'] = () => vscode.commands.executeCommand(Commands.showRawOutput);
				break;
			case 'timeout':
				actions['Open Settings'] = () =>
					vscode.commands.executeCommand('workbench.action.openSettings', `${ConfigSection}.${ConfigKeys.diagnosisTimeoutSeconds}`);
				break;
			case 'completed': {
				const affected = checksAffectedByElevation(outcome.result, (id) => findCheck(id)?.needsElevation === true);
				if (affected.length > 0 && !outcome.result.fatal) {
					const names = affected.map((id) => findCheck(id)?.title ?? id).join(', ');
					if (canElevate()) {
						const text = `PowerShell ran without Administrator rights, so these checks may be incomplete: ${names}. VS Code cannot open an elevated terminal; run the same diagnosis in an elevated Windows PowerShell window instead.`;
						if ((await vscode.window.showWarningMessage(text, 'Run Elevated')) === 'Run Elevated') {
							await vscode.commands.executeCommand(Commands.diagnoseElevated);
						}
						return;
					}
					// A remote window has no desktop for a UAC prompt: give the command to run elevated on the server.
					const text = `PowerShell ran without Administrator rights, so these checks may be incomplete: ${names}. This window cannot open an elevated one: copy the diagnosis command, run it in PowerShell started as Administrator on ${notificationText(outcome.result.host.computerName)}, and its results appear here.`;
					if ((await vscode.window.showWarningMessage(text, 'Copy Elevated Command')) === 'Copy Elevated Command') {
						await this.copyElevatedCommand();
					}
					return;
				}
				if (!outcome.result.fatal) {
					actions['Show Summary'] = () => vscode.commands.executeCommand(Commands.showSummary);
				}
				break;
			}
			default:
				break;
		}
		const show =
			message.severity === 'error'
				? vscode.window.showErrorMessage
				: message.severity === 'warning'
					? vscode.window.showWarningMessage
					: vscode.window.showInformationMessage;
		const pick = await show(message.text, ...Object.keys(actions), 'Show Log');
		if (pick === 'Show Log') {
			this.log.show(true);
		} else if (pick && actions[pick]) {
			await actions[pick]();
		}
	}

	/**
	 * For a window that cannot elevate: copies the diagnosis command with a new result path for the admin to run in an
	 * elevated PowerShell on the server, then waits (up to 30 minutes, in the background) for that result and shows it.
	 */
	private async copyElevatedCommand(): Promise<void> {
		const settings = readSettings();
		const resultPath = await this.newResultPath();
		const commandLine = buildScriptInvocation(this.entryScriptPath, this.scriptArguments(settings, resultPath, undefined));
		await vscode.env.clipboard.writeText(commandLine);
		this.log.info(`Copied the elevated command: ${commandLine}`);
		void vscode.window.showInformationMessage('Copied. Open PowerShell as Administrator on the server, run "Set-ExecutionPolicy -Scope Process Bypass" there if its policy blocks scripts (that process only), paste the command and run it; the tree updates when its result is written.');
		const waited = await waitForResultFile(resultPath, { timeoutMs: elevatedCopyWaitMs });
		if (waited.kind !== 'file') {
			this.log.info(`No result from the copied elevated command (${waited.kind}).`);
			return;
		}
		const outcome = this.outcomeOfResultText(waited.text, resultPath);
		if (this.busy) {
			// A run of the extension's own is going: its end would overwrite the view; keep the file for Show Raw Output.
			this.log.info(`The elevated result arrived during a run; it is in ${resultPath}.`);
			return;
		}
		this.store.finishRun(outcome);
		void this.report(outcome);
	}

	/** What the last run wrote: the malformed result file, or the terminal output shell integration captured. */
	async showRawOutput(): Promise<void> {
		let content = this.rawOutput;
		if (!content && this.rawOutputPath) {
			content = await fs.readFile(this.rawOutputPath, 'utf8').catch(() => '');
		}
		if (!content) {
			void vscode.window.showInformationMessage(
				'There is no raw output to show yet: run the diagnosis first. Output is captured when the terminal has shell integration; otherwise read it in the terminal itself.',
			);
			return;
		}
		const language = content.trimStart().startsWith('{') ? 'json' : 'log';
		const uri = vscode.Uri.from({ scheme: rawOutputScheme, path: `/${++this.rawShown}/Raw Output.${language === 'json' ? 'json' : 'log'}` });
		// Only the newest few stay in memory; an older tab still open keeps what it showed.
		if (this.rawDocuments.size >= 5) {
			this.rawDocuments.delete(this.rawDocuments.keys().next().value as string);
		}
		this.rawDocuments.set(uri.toString(), content);
		const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), language);
		await vscode.window.showTextDocument(doc, { preview: true });
	}

	/** Reads the progress file as it grows; a missing, odd or half-written file just means nothing new yet. */
	private async readProgress(progressPath: string): Promise<void> {
		if (this.readingProgress) {
			return;
		}
		this.readingProgress = true;
		try {
			const stat = await fs.stat(progressPath);
			if (!stat.isFile() || stat.size > maxResultBytes) {
				return;
			}
			const { checks: done, skipped } = parseCheckProgress(await fs.readFile(progressPath, 'utf8'));
			if (skipped > 0) {
				this.log.debug(`Skipped ${skipped} unreadable progress line(s) in ${progressPath}.`);
			}
			this.store.applyProgress(done);
		} catch {
			// Not there yet.
		} finally {
			this.readingProgress = false;
		}
	}

	private async newResultPath(): Promise<string> {
		const dir = path.join(this.context.globalStorageUri.fsPath, 'runs');
		await fs.mkdir(dir, { recursive: true });
		const stamp = new Date().toISOString().replace(/[:.]/g, '-');
		return path.join(dir, `diagnosis-${stamp}-${randomBytes(4).toString('hex')}.json`);
	}

	private async pruneResultFiles(): Promise<void> {
		const dir = path.join(this.context.globalStorageUri.fsPath, 'runs');
		try {
			for (const name of filesToPrune(await fs.readdir(dir), keptResultFiles)) {
				await fs.rm(path.join(dir, name), { force: true });
			}
		} catch (error) {
			this.log.debug(`Could not prune old results: ${String(error)}`);
		}
	}
}
