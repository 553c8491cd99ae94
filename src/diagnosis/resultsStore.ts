/**
 * The latest state of every check: results of the last run that reported it, which checks are running, and how
 * the last run ended. Pure: views subscribe to `onDidChange`.
 */
import type { CheckResult, DiagnosisResult, ServerEntry, ServersResult } from '../checks/types';
import { compareWithPrevious, updateRecord, type CheckChange, type RunRecord } from './runChanges';
import type { RunOutcome } from './runOutcome';

/** Where the last run of each server is kept between sessions (the glue puts it in the extension's global state). */
export interface RunHistory {
	load(computerName: string): RunRecord | undefined;
	save(record: RunRecord): void;
}

/** Where the results shown come from when they are an opened report rather than a run in this window. */
export interface OpenedReport {
	/** The report file's name (no folder), as the admin chose it. */
	readonly fileName: string;
	/** The machine of the diagnosis in the report (host text), or "3 servers" for a report on several servers. */
	readonly computerName: string;
	readonly finishedAt: string;
	/** The report's names were replaced by pseudonyms (a redacted export). */
	readonly redacted: boolean;
}

export class ResultsStore {
	private readonly resultsById = new Map<string, CheckResult>();
	private readonly runningIds = new Set<string>();
	private readonly listeners = new Set<() => void>();
	private started = false;
	private active = false;
	private last: RunOutcome | undefined;
	private lastResultValue: DiagnosisResult | undefined;
	private readonly changesById = new Map<string, CheckChange>();
	private opened: OpenedReport | undefined;
	private serverEntries: readonly ServerEntry[] | undefined;

	constructor(private readonly history?: RunHistory) {}

	get results(): ReadonlyMap<string, CheckResult> {
		return this.resultsById;
	}
	get running(): ReadonlySet<string> {
		return this.runningIds;
	}
	/** True once any run has started: until then the view shows its welcome content. */
	get hasRun(): boolean {
		return this.started;
	}
	/** From markRunning to finishRun, even when every check has already shown its progress. */
	get isRunning(): boolean {
		return this.active;
	}
	get lastOutcome(): RunOutcome | undefined {
		return this.last;
	}
	get lastResult(): DiagnosisResult | undefined {
		return this.lastResultValue;
	}
	/** Set while the results are an opened report (read-only: nothing of it runs here); a run ends it. */
	get report(): OpenedReport | undefined {
		return this.opened;
	}
	/**
	 * Set after a run on several servers: one entry per server, each with its own result (the tree shows a level per
	 * server), or the servers of an opened report on several servers. A run on this machine or an opened report on
	 * one server ends it.
	 */
	get servers(): readonly ServerEntry[] | undefined {
		return this.serverEntries;
	}
	/** The whole result of the last run on several servers (or of the opened report on several servers). */
	get serversResult(): ServersResult | undefined {
		return this.serverEntries && this.last?.kind === 'serversCompleted' ? this.last.result : undefined;
	}
	/** The result a server of the last run on several servers sent, by the name it was given. */
	serverResult(server: string): DiagnosisResult | undefined {
		return this.serverEntries?.find((s) => s.server === server)?.result ?? undefined;
	}
	/** How each check differs from the previous run on the same server (fixed, still failing, new). */
	get changes(): ReadonlyMap<string, CheckChange> {
		return this.changesById;
	}

	onDidChange(listener: () => void): { dispose(): void } {
		this.listeners.add(listener);
		return { dispose: () => this.listeners.delete(listener) };
	}

	/**
	 * Shows a report's results instead of this window's: every check of the report, nothing else, no changes (they
	 * compare runs of this window's server) and no history (a report is not a run here). Refused during a run.
	 */
	openReport(result: DiagnosisResult, report: OpenedReport): void {
		this.clearForReport();
		this.serverEntries = undefined;
		for (const check of result.checks) {
			this.resultsById.set(check.id, check);
		}
		this.started = true;
		this.opened = report;
		this.lastResultValue = result;
		this.last = { kind: 'completed', result };
		this.fire();
	}

	/**
	 * Shows a report on several servers (or the result file of such a run): a level per server, as after that run,
	 * read-only. Refused during a run.
	 */
	openServersReport(result: ServersResult, report: OpenedReport): void {
		this.clearForReport();
		this.serverEntries = result.servers;
		this.started = true;
		this.opened = report;
		this.lastResultValue = undefined;
		this.last = { kind: 'serversCompleted', result };
		this.fire();
	}

	markRunning(checkIds: readonly string[]): void {
		// A new run replaces the servers' results: a run on several servers sets them again when it ends.
		this.serverEntries = undefined;
		if (this.opened) {
			// A run on this machine replaces the report: its results must not sit beside this machine's.
			this.opened = undefined;
			this.resultsById.clear();
			this.changesById.clear();
			this.lastResultValue = undefined;
			this.last = undefined;
		}
		this.started = true;
		this.active = true;
		for (const id of checkIds) {
			this.runningIds.add(id);
		}
		this.fire();
	}

	/**
	 * Results of checks that ended while the run goes on (the progress file): each shows at once, and its check is no
	 * longer running. Only checks of this run that are still running take one; the final result replaces them all.
	 */
	applyProgress(checks: readonly CheckResult[]): void {
		let changed = false;
		for (const check of checks) {
			if (this.runningIds.delete(check.id)) {
				this.resultsById.set(check.id, check);
				changed = true;
			}
		}
		if (changed) {
			this.fire();
		}
	}

	/** Ends the run: results replace those of the same checks; checks without a result keep their last one. */
	finishRun(outcome: RunOutcome): void {
		this.last = outcome;
		if (outcome.kind === 'serversCompleted') {
			// The servers' results replace this machine's in the tree; each keeps its own (nothing is merged).
			this.serverEntries = outcome.result.servers;
			this.resultsById.clear();
			this.changesById.clear();
			this.lastResultValue = undefined;
		}
		if (outcome.kind === 'completed') {
			const result = outcome.result;
			if (this.lastResultValue && this.lastResultValue.host.computerName.toLowerCase() !== result.host.computerName.toLowerCase()) {
				// Another server: its results must not sit beside this one's.
				this.resultsById.clear();
				this.changesById.clear();
			}
			const previous = this.history?.load(result.host.computerName);
			const changes = compareWithPrevious(previous, result);
			for (const check of result.checks) {
				const change = changes.get(check.id);
				if (change) {
					this.changesById.set(check.id, change);
				} else {
					this.changesById.delete(check.id);
				}
			}
			if (!result.fatal) {
				this.history?.save(updateRecord(previous, result));
			}
			this.lastResultValue = outcome.result;
			for (const check of outcome.result.checks) {
				this.resultsById.set(check.id, check);
			}
		}
		this.runningIds.clear();
		this.active = false;
		this.fire();
	}

	/** What an opened report replaces; refused during a run, whose results must not be mixed with a report's. */
	private clearForReport(): void {
		if (this.active) {
			throw new Error('a diagnosis is running: open the report when it has ended, or stop it first');
		}
		this.resultsById.clear();
		this.changesById.clear();
		this.runningIds.clear();
	}

	private fire(): void {
		for (const listener of [...this.listeners]) {
			listener();
		}
	}
}
