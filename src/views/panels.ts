import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { categories, checks, findCheck, findSource, messages } from '../checks/catalogue';
import { explain } from '../checks/explain';
import { explainMessage, type MessageExplanation } from '../checks/explainMessage';
import { describeChange, formatRunTime } from '../diagnosis/runChanges';
import { describeOpenedReport } from '../diagnosis/runOutcome';
import type { ResultsStore } from '../diagnosis/resultsStore';
import type { Log } from '../log';
import { logLinesOf } from '../logs/logLines';
import { renderExplainPanel } from './explainHtml';
import { makeNonce, renderFailurePanel, renderNotRunPanel, renderSummaryPanel, type PanelAssets } from './panelHtml';
import { messageAllowedFrom, parsePanelMessage, type PanelMessage } from './panelMessages';

export const PanelViewTypes = {
	check: 'paDoctor.checkPanel',
	summary: 'paDoctor.summaryPanel',
	explain: 'paDoctor.explainPanel',
} as const;

/** What the panels' buttons do; the extension side of each (re-run, fix, copy) lives with the commands. */
export interface PanelActions {
	rerun(checkId: string): Thenable<unknown>;
	runFix(checkId: string, fixId: string): Thenable<unknown>;
	copyFix(checkId: string, fixId: string): Thenable<unknown>;
	/** Explain an Error's button: exactly the checks of the explanation shown. */
	runChecks(checkIds: readonly string[]): Thenable<unknown>;
	runDiagnosis(): Thenable<unknown>;
	/** A check panel's "Open in Editor": the line at this place of the check's latest result. */
	openLogLine(checkId: string, index: number): Thenable<unknown>;
}

/** The summary has no check id; check panels are keyed by theirs. */
const summaryKey = '';
/** Explain an Error: '#' is in no check id (the catalogue's id pattern). */
const explainKey = '#explain';

/**
 * A check's panel for a server of a run on several servers: '@', the server as given, U+0001, the check id. Neither
 * '@' nor U+0001 is in a check id, and U+0001 is in no server name the setting accepts.
 */
function serverKey(server: string, checkId: string): string {
	return `@${server}\u0001${checkId}`;
}

function parseServerKey(key: string): { readonly server: string; readonly checkId: string } | undefined {
	if (!key.startsWith('@')) {
		return undefined;
	}
	const at = key.lastIndexOf('\u0001');
	return at > 0 ? { server: key.slice(1, at), checkId: key.slice(at + 1) } : undefined;
}

function keyName(key: string): string {
	const remote = parseServerKey(key);
	return remote ? `${remote.checkId} on ${remote.server}` : key === summaryKey ? 'summary' : key === explainKey ? 'Explain an Error' : key;
}

/**
 * The failure panels (one per check, reused) and the summary panel. Each is rendered from the store by the pure
 * panelHtml module and rendered again whenever the store changes, so a re-run updates an open panel. Panels come back
 * after a window reload through the serializers; the webview's saved state holds only a check id, which is looked up
 * in the catalogue again.
 */
export class PanelManager implements vscode.Disposable {
	private readonly panels = new Map<string, vscode.WebviewPanel>();
	private readonly disposables: vscode.Disposable[] = [];

	constructor(
		private readonly extensionUri: vscode.Uri,
		private readonly store: ResultsStore,
		private readonly log: Log,
		/** Where a fix's script is on the terminal's machine (DiagnosisService.fixScriptPath): one rule for panel and runner. */
		private readonly fixScriptPath: (script: string) => string,
		private readonly actions: PanelActions,
	) {
		this.disposables.push(
			vscode.window.registerWebviewPanelSerializer(PanelViewTypes.check, {
				deserializeWebviewPanel: async (panel, state: unknown) => {
					const checkId = (state as { checkId?: unknown } | undefined)?.checkId;
					if (typeof checkId === 'string' && findCheck(checkId) && !this.panels.has(checkId)) {
						this.adopt(panel, checkId);
					} else {
						// Unknown state (an id from another version) or a duplicate: nothing to restore.
						panel.dispose();
					}
				},
			}),
			vscode.window.registerWebviewPanelSerializer(PanelViewTypes.summary, {
				deserializeWebviewPanel: async (panel) => {
					if (this.panels.has(summaryKey)) {
						panel.dispose();
					} else {
						this.adopt(panel, summaryKey);
					}
				},
			}),
			vscode.window.registerWebviewPanelSerializer(PanelViewTypes.explain, {
				// The pasted text is not kept in the page's state (it may hold names the admin did not mean to keep):
				// a restored panel starts empty.
				deserializeWebviewPanel: async (panel) => {
					if (this.panels.has(explainKey)) {
						panel.dispose();
					} else {
						this.adopt(panel, explainKey);
					}
				},
			}),
			store.onDidChange(() => this.renderAll()),
		);
	}

	/** The text Explain an Error last explained and what it found; the run button runs this explanation's checks. */
	private explained: { readonly text: string; readonly explanation: MessageExplanation } | undefined;

	/** Opens (or reveals) Explain an Error; with text, explains it at once. */
	showExplain(text?: string): void {
		if (text !== undefined) {
			this.explained = { text, explanation: explainMessage(text) };
		}
		const open = this.panels.get(explainKey);
		if (open) {
			this.render(open, explainKey, true);
			open.reveal(undefined, false);
			return;
		}
		const panel = vscode.window.createWebviewPanel(PanelViewTypes.explain, 'Explain an Error', vscode.ViewColumn.Active, this.options());
		this.adopt(panel, explainKey);
	}

	/** The checks of the explanation shown, for tests and the run button. */
	get explainedChecks(): readonly string[] {
		return this.explained?.explanation.checks ?? [];
	}

	/** Opens (or reveals) the panel of one check beside the editor. */
	showCheck(checkId: string): void {
		const check = findCheck(checkId);
		if (!check) {
			throw new Error(`there is no check "${checkId}"`);
		}
		const open = this.panels.get(checkId);
		if (open) {
			open.reveal(undefined, false);
			return;
		}
		const panel = vscode.window.createWebviewPanel(PanelViewTypes.check, check.title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, this.options());
		this.adopt(panel, checkId);
	}

	/**
	 * Opens (or reveals) the panel of one check as a server of the last run on several servers reported it. It is
	 * read-only: its fixes are for that server and are run there, not from this window.
	 */
	showServerCheck(server: string, checkId: string): void {
		const check = findCheck(checkId);
		if (!check) {
			throw new Error(`there is no check "${checkId}"`);
		}
		if (!this.store.serverResult(server)) {
			throw new Error(`the last run has no result from the server "${server}"`);
		}
		const key = serverKey(server, checkId);
		const open = this.panels.get(key);
		if (open) {
			open.reveal(undefined, false);
			return;
		}
		const panel = vscode.window.createWebviewPanel(PanelViewTypes.check, `${check.title} (${server})`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, this.options());
		this.adopt(panel, key);
	}

	showSummary(): void {
		const open = this.panels.get(summaryKey);
		if (open) {
			open.reveal(undefined, false);
			return;
		}
		const panel = vscode.window.createWebviewPanel(PanelViewTypes.summary, 'Prerequisites Summary', vscode.ViewColumn.Active, this.options());
		this.adopt(panel, summaryKey);
	}

	private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
		return {
			enableScripts: true,
			enableFindWidget: true,
			// Only the bundle's media: the page can load nothing else from disk.
			localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media'), vscode.Uri.joinPath(this.extensionUri, 'dist', 'media')],
		};
	}

	private adopt(panel: vscode.WebviewPanel, key: string): void {
		// A restored panel keeps the options it was saved with; set them again so the roots are always ours.
		panel.webview.options = this.options();
		panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.svg');
		this.panels.set(key, panel);
		const subscriptions = [
			panel.webview.onDidReceiveMessage((raw: unknown) => this.onMessage(key, raw)),
			panel.onDidDispose(() => {
				if (this.panels.get(key) === panel) {
					this.panels.delete(key);
					this.renderedFrom.delete(key);
				}
				for (const s of subscriptions) {
					s.dispose();
				}
			}),
		];
		this.render(panel, key);
	}

	/** What each open panel was last rendered from; a panel whose inputs did not change keeps its page (and scroll). */
	private readonly renderedFrom = new Map<string, readonly unknown[]>();

	private renderAll(): void {
		for (const [key, panel] of this.panels) {
			this.render(panel, key, true);
		}
	}

	/** The values a panel's page depends on, compared by identity (the store replaces a result, never edits it). */
	private inputsOf(key: string): readonly unknown[] {
		if (key === explainKey) {
			const ids = this.explained?.explanation.checks ?? [];
			return [this.explained, this.store.report, ...ids.map((id) => this.store.results.get(id))];
		}
		if (key === summaryKey) {
			// While results stream in, the summary waits for the end of the run instead of redrawing for every check.
			return this.store.isRunning ? (this.renderedFrom.get(key) ?? []) : [this.store.lastOutcome, this.store.report, this.store.results.size, ...this.store.changes.values()];
		}
		const remote = parseServerKey(key);
		if (remote) {
			return [this.store.serverResult(remote.server)?.checks.find((c) => c.id === remote.checkId), this.store.report];
		}
		return [this.store.results.get(key), this.store.changes.get(key), this.store.lastResult?.host.computerName, this.store.report];
	}

	private assets(webview: vscode.Webview): PanelAssets {
		const uri = (...parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...parts)).toString();
		return {
			cspSource: webview.cspSource,
			nonce: makeNonce(new Uint8Array(randomBytes(16))),
			scriptUri: uri('media', 'panel.js'),
			styleUri: uri('media', 'panel.css'),
			codiconsUri: uri('dist', 'media', 'codicons', 'codicon.css'),
			elementsUri: uri('dist', 'media', 'vscode-elements.js'),
		};
	}

	private render(panel: vscode.WebviewPanel, key: string, onlyIfChanged = false): void {
		const inputs = this.inputsOf(key);
		const before = this.renderedFrom.get(key);
		if (onlyIfChanged && before && before.length === inputs.length && before.every((v, i) => v === inputs[i])) {
			return;
		}
		this.renderedFrom.set(key, inputs);
		try {
			panel.webview.html = this.html(panel.webview, key);
			const remote = parseServerKey(key);
			if (remote) {
				const status = this.store.serverResult(remote.server)?.checks.find((c) => c.id === remote.checkId)?.status;
				panel.title = `${findCheck(remote.checkId)?.title ?? remote.checkId} (${remote.server}${status === 'fail' ? ', failed' : status === 'warning' ? ', warning' : ''})`;
			} else if (key !== summaryKey && key !== explainKey) {
				const status = this.store.results.get(key)?.status;
				panel.title = `${findCheck(key)?.title ?? key}${status === 'fail' ? ' (failed)' : status === 'warning' ? ' (warning)' : ''}`;
			}
		} catch (error) {
			// A rendering bug must not take the extension down; the log has the stack.
			this.log.error(`Could not render the panel "${keyName(key)}" (webview CSP source ${JSON.stringify(panel.webview.cspSource)}): ${(error as Error).stack ?? String(error)}`);
		}
	}

	private html(webview: vscode.Webview, key: string): string {
		const assets = this.assets(webview);
		const remote = parseServerKey(key);
		if (remote) {
			return this.serverCheckHtml(assets, remote.server, remote.checkId);
		}
		const computerName = this.store.lastResult?.host.computerName;
		const report = this.store.report;
		const readOnly = report ? describeOpenedReport(report) : undefined;
		if (key === explainKey) {
			const statuses = new Map([...this.store.results].map(([id, result]) => [id, result.status]));
			return renderExplainPanel({ assets, text: this.explained?.text ?? '', explanation: this.explained?.explanation, statuses, knownMessages: messages.length, readOnly: readOnly !== undefined });
		}
		if (key === summaryKey) {
			const changes = new Map([...this.store.changes].map(([id, change]) => [id, describeChange(change)]));
			return renderSummaryPanel({ assets, checks, categories, results: this.store.results, computerName, changes, readOnly });
		}
		const check = findCheck(key)!;
		const result = this.store.results.get(key);
		if (!result) {
			return renderNotRunPanel(assets, check);
		}
		const explanation = explain(check, result, this.store.results);
		const fixScriptPaths = this.fixScriptPathsOf(explanation);
		const change = this.store.changes.get(key);
		return renderFailurePanel({ assets, explanation, fixScriptPaths, computerName, change: change ? describeChange(change) : undefined, readOnly, logLines: logLinesOf(result.evidence) });
	}

	/** Where the script of each fix the explanation offers is on this machine. */
	private fixScriptPathsOf(explanation: ReturnType<typeof explain>): Map<string, string> {
		const paths = new Map<string, string>();
		for (const failure of explanation.failures) {
			for (const { fix } of failure.fixes) {
				paths.set(fix.id, this.fixScriptPath(fix.script));
			}
		}
		return paths;
	}

	/** A check's page as a server reported it: read-only, named after the server, with that server's results. */
	private serverCheckHtml(assets: PanelAssets, server: string, checkId: string): string {
		const check = findCheck(checkId)!;
		const serverResult = this.store.serverResult(server);
		const result = serverResult?.checks.find((c) => c.id === checkId);
		if (!serverResult || !result) {
			return renderNotRunPanel(assets, check);
		}
		const results = new Map(serverResult.checks.map((c) => [c.id, c]));
		const explanation = explain(check, result, results);
		const fixScriptPaths = this.fixScriptPathsOf(explanation);
		const opened = this.store.report ? ` (in the report ${this.store.report.fileName})` : '';
		const readOnly = `Result from ${server}${opened}, diagnosed through remoting at ${formatRunTime(serverResult.finishedAt)}. Its fixes are for that server: run them in a PowerShell session there (the commands below name this extension's copy of each script).`;
		return renderFailurePanel({ assets, explanation, fixScriptPaths, computerName: serverResult.host.computerName, readOnly, logLines: logLinesOf(result.evidence) });
	}

	/** A message from a page: shape and ids checked (panelMessages), then only what that page may ask for. */
	private onMessage(key: string, raw: unknown): void {
		const message = parsePanelMessage(raw, (reason) => this.log.warn(`Ignored a message from the panel "${keyName(key)}": ${reason}`));
		if (!message) {
			return;
		}
		const remote = parseServerKey(key);
		const origin = remote ? { kind: 'check' as const, checkId: remote.checkId } : key === summaryKey ? { kind: 'summary' as const } : key === explainKey ? { kind: 'explain' as const } : { kind: 'check' as const, checkId: key };
		if (!messageAllowedFrom(origin, message)) {
			this.log.warn(`Ignored a "${message.type}" message from the panel "${keyName(key)}": it is not for that panel.`);
			return;
		}
		if (remote && message.type !== 'openLink') {
			// A server's page has only documentation buttons; a run or fix from here would act on this machine.
			this.log.warn(`Ignored a "${message.type}" message from the panel "${keyName(key)}": a server's result runs nothing here.`);
			return;
		}
		if (this.store.report && (message.type === 'rerun' || message.type === 'runFix' || message.type === 'copy' || message.type === 'runExplained' || message.type === 'runDiagnosis' || message.type === 'openLogLine')) {
			// The page of an opened report has no such button; a stale page from before the report may.
			this.log.warn(`Ignored a "${message.type}" message from the panel "${keyName(key)}": the tree shows an opened report, which runs nothing.`);
			return;
		}
		void this.dispatch(message).then(undefined, (error: unknown) => {
			this.log.error(`The panel action "${message.type}" failed: ${(error as Error).stack ?? String(error)}`);
			void vscode.window.showErrorMessage(`Provisioning Agent Doctor could not complete that action: ${(error as Error).message}. See the log for details.`);
		});
	}

	private async dispatch(message: PanelMessage): Promise<unknown> {
		switch (message.type) {
			case 'rerun':
				return this.actions.rerun(message.checkId);
			case 'runFix':
				return this.actions.runFix(message.checkId, message.fixId);
			case 'copy':
				return this.actions.copyFix(message.checkId, message.fixId);
			case 'showCheck':
				this.showCheck(message.checkId);
				return undefined;
			case 'openLink': {
				const url = findSource(message.sourceId)?.url;
				// The catalogue's URLs are https (its schema says so); anything else is not opened.
				if (!url || !/^https:\/\//.test(url)) {
					this.log.warn(`Not opening the link of source "${message.sourceId}": ${url ?? 'no URL'}`);
					return undefined;
				}
				return vscode.env.openExternal(vscode.Uri.parse(url, true));
			}
			case 'explain':
				this.showExplain(message.text);
				return undefined;
			case 'runExplained': {
				const ids = this.explainedChecks;
				return ids.length > 0 ? this.actions.runChecks(ids) : undefined;
			}
			case 'runDiagnosis':
				return this.actions.runDiagnosis();
			case 'openLogLine':
				return this.actions.openLogLine(message.checkId, message.line);
		}
	}

	dispose(): void {
		for (const panel of [...this.panels.values()]) {
			panel.dispose();
		}
		for (const d of this.disposables) {
			d.dispose();
		}
	}
}
