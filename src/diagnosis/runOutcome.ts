/**
 * How a diagnosis run ended, and what the user is told about it. Pure: every message says what happened and
 * what to do next; the glue code only adds buttons.
 */
import type { CheckResult, DiagnosisResult, ServersResult } from '../checks/types';
import { describeServer } from '../remote/servers';
import { formatRunTime } from './runChanges';

export type RunOutcome =
	| { readonly kind: 'completed'; readonly result: DiagnosisResult }
	/** A run on several servers (through remoting) that wrote its combined result. */
	| { readonly kind: 'serversCompleted'; readonly result: ServersResult }
	| { readonly kind: 'malformed'; readonly reason: string; readonly rawText: string; readonly resultPath: string }
	| { readonly kind: 'timeout'; readonly seconds: number }
	| { readonly kind: 'terminalClosed' }
	/** The user pressed Stop. */
	| { readonly kind: 'stopped' }
	| { readonly kind: 'endedWithoutResult'; readonly exitCode: number | undefined }
	| { readonly kind: 'elevationCancelled'; readonly exitCode: number | undefined }
	| { readonly kind: 'noPowerShell'; readonly requested: string; readonly fromSetting: boolean }
	| { readonly kind: 'busy' };

export type Severity = 'info' | 'warning' | 'error';

export interface OutcomeMessage {
	readonly severity: Severity;
	readonly text: string;
	/** A shorter form for the tree view's message line. */
	readonly treeMessage?: string;
}

/**
 * Host text (a computer name, a fatal message, why a result was refused) as notifications may show it: VS Code turns
 * `[text](target)` in a notification into a live link, command: targets included, so the bracket-parenthesis pair is
 * broken apart; the text is kept on one line and short, so the sentence around it stays readable.
 */
export function notificationText(text: string): string {
	const flat = text.replace(/\r\n|[\r\n\u0085\u2028\u2029\v\f]/g, ' ').replace(/\]\s*\(/g, '] (');
	return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

/**
 * `tree`: the latest result of every check after this run (the store's results). When given, a completed run is
 * described by the whole tree, so re-running one passing check cannot say "no problems found" while others fail.
 */
export function describeOutcome(outcome: RunOutcome, tree?: ReadonlyMap<string, CheckResult>): OutcomeMessage {
	switch (outcome.kind) {
		case 'completed':
			return describeCompleted(outcome.result, tree);
		case 'serversCompleted':
			return describeServersRun(outcome.result);
		case 'malformed':
			return {
				severity: 'error',
				text: `The diagnosis finished but its result could not be read: ${notificationText(outcome.reason)} Use "Show Raw Output" to see what was written, and run the diagnosis again.`,
				treeMessage: 'The last result could not be read. Run "Show Raw Output" to see it.',
			};
		case 'timeout':
			return {
				severity: 'error',
				text: `The diagnosis timed out: no result arrived within ${outcome.seconds} s. Look at the terminal for a prompt or an error, then run it again (the time limit is the setting "Diagnosis: Timeout Seconds").`,
				treeMessage: `The last run timed out after ${outcome.seconds} s. Check the terminal, then run it again.`,
			};
		case 'terminalClosed':
			return {
				severity: 'warning',
				text: 'The diagnosis stopped because its terminal was closed before the result arrived. Run it again and leave the terminal open until it finishes.',
				treeMessage: 'The last run stopped: its terminal was closed.',
			};
		case 'stopped':
			return {
				severity: 'warning',
				text: 'The diagnosis was stopped. The checks that had finished show their results; run it again for the others.',
				treeMessage: 'The last run was stopped before it finished. Run it again for the remaining checks.',
			};
		case 'endedWithoutResult':
			return {
				severity: 'error',
				text: `PowerShell finished without writing a result${outcome.exitCode === undefined ? '' : ` (exit code ${outcome.exitCode})`}. Read the error in the terminal or with "Show Raw Output", then run the diagnosis again.`,
				treeMessage: 'The last run ended without a result. See the terminal.',
			};
		case 'elevationCancelled':
			return {
				severity: 'warning',
				text: 'The elevated window did not start (the UAC prompt was declined or failed). Run "Diagnose in an Elevated Window" again and accept the prompt, or start VS Code as Administrator.',
				treeMessage: 'The elevated run did not start.',
			};
		case 'noPowerShell':
			return {
				severity: 'error',
				text: outcome.fromSetting
					? `PowerShell was not found at "${outcome.requested}" (setting "Provisioning Agent Doctor: PowerShell Path"). Point the setting at powershell.exe or pwsh on this machine, or clear it to use the default.`
					: `PowerShell was not found: "${outcome.requested}" is not on the PATH. Run the diagnosis on the Windows Server that hosts the agent (for example through a Remote - SSH window), or set "Provisioning Agent Doctor: PowerShell Path".`,
				treeMessage: 'PowerShell was not found. Set the PowerShell path setting.',
			};
		case 'busy':
			return { severity: 'info', text: 'A diagnosis is already running. Wait for it to finish.' };
	}
}

function problemCounts(checks: readonly CheckResult[]): string[] {
	const count = (status: string): number => checks.filter((c) => c.status === status).length;
	const failed = count('fail');
	const warnings = count('warning');
	const unknown = count('unknown');
	const parts: string[] = [];
	if (failed) {
		parts.push(`${failed} failed`);
	}
	if (warnings) {
		parts.push(`${warnings} with warnings`);
	}
	if (unknown) {
		parts.push(`${unknown} could not be checked`);
	}
	return parts;
}

function describeCompleted(result: DiagnosisResult, tree: ReadonlyMap<string, CheckResult> | undefined): OutcomeMessage {
	if (result.fatal?.code === 'not-windows') {
		return {
			severity: 'error',
			text: 'The diagnosis ran on a machine that is not Windows, so nothing could be checked. Open this folder on the Windows Server that hosts (or will host) the agent, for example with Remote - SSH, and run it there.',
			treeMessage: 'Not Windows: run the diagnosis on the agent server.',
		};
	}
	if (result.fatal) {
		return {
			severity: 'error',
			text: `The diagnosis stopped early: ${notificationText(result.fatal.message)} Run it again; if it persists, "Show Raw Output" shows the details.`,
			treeMessage: `The last run stopped early: ${notificationText(result.fatal.message)}`,
		};
	}
	const computer = notificationText(result.host.computerName);
	const ran = problemCounts(result.checks);
	const others = tree ? [...tree.values()].filter((c) => !result.checks.some((r) => r.id === c.id)) : [];
	if (others.length > 0) {
		// A partial run (one check re-run): say what it found, then what the whole tree shows.
		const all = problemCounts([...result.checks, ...others]);
		const what = result.checks.length === 1 ? 'Re-ran 1 check' : `Re-ran ${result.checks.length} checks`;
		const found = ran.length === 0 ? 'no problem' : ran.join(', ');
		return {
			severity: all.some((p) => p.endsWith('failed')) ? 'warning' : 'info',
			text:
				all.length === 0
					? `${what} on ${computer}: ${found}. Every check in the tree passed or does not apply.`
					: `${what} on ${computer}: ${found}. In the tree: ${all.join(', ')}. Select a check in Prerequisite Checks for details.`,
		};
	}
	if (ran.length === 0) {
		return { severity: 'info', text: `Diagnosis finished on ${computer}: no problems found.` };
	}
	return {
		severity: ran.some((p) => p.endsWith('failed')) ? 'warning' : 'info',
		text: `Diagnosis finished on ${computer}: ${ran.join(', ')}. Select a check in Prerequisite Checks for details.`,
	};
}

/** Checks whose answer depends on Administrator rights, given the result of a non-elevated run. */
export function checksAffectedByElevation(result: DiagnosisResult, needsElevation: (checkId: string) => boolean): string[] {
	if (result.host.isElevated !== false) {
		return [];
	}
	return result.checks.filter((c) => needsElevation(c.id)).map((c) => c.id);
}

/**
 * The tree's message while it shows an opened report: whose results they are, from when and which file, and that
 * nothing of it runs here. Host text (the computer name, the file name) goes through notificationText like every
 * message line.
 */
export function describeOpenedReport(report: { readonly fileName: string; readonly computerName: string; readonly finishedAt: string; readonly redacted: boolean }): string {
	const names = report.redacted ? ' (names redacted)' : '';
	const when = formatRunTime(report.finishedAt);
	const day = /^\d{4}-/.test(when) ? when : `today ${when}`;
	return notificationText(
		`Read-only report of ${report.computerName} of ${day}${names}, opened from ${report.fileName}. Nothing runs from it here: run the diagnosis to check this machine instead.`,
	);
}

/**
 * A run on several servers: one clause per server ("AGENT02: 2 failed"), worst news first in the severity. Names are
 * host text, flattened for the notification.
 */
export function describeServersRun(result: ServersResult): OutcomeMessage {
	if (result.fatal) {
		return {
			severity: 'error',
			text: `The diagnosis on several servers could not start: ${notificationText(result.fatal.message)} Fix the server list (the setting "Servers") and run it again.`,
			treeMessage: 'The last run on several servers could not start.',
		};
	}
	const servers = result.servers;
	const clauses = servers.map((s) => `${notificationText(s.server)}: ${notificationText(describeServer(s))}`);
	const failedToRun = servers.filter((s) => s.result === null || s.result.fatal !== null).length;
	const withProblems = servers.filter((s) => s.result !== null && s.result.checks.some((c) => c.status === 'fail')).length;
	const severity: Severity = failedToRun > 0 || withProblems > 0 ? (failedToRun > 0 ? 'error' : 'warning') : 'info';
	const next = failedToRun > 0 ? ' Each server that could not be diagnosed says why and what to do in its row.' : withProblems > 0 ? ' Open a server in the tree to see its failed checks.' : '';
	return {
		severity,
		text: `Diagnosed ${servers.length} ${servers.length === 1 ? 'server' : 'servers'}: ${clauses.join('; ')}.${next}`,
		treeMessage: `${servers.length} ${servers.length === 1 ? 'server' : 'servers'}: ${servers.length - failedToRun} diagnosed, ${failedToRun} could not be reached or run, ${withProblems} with failed checks.`,
	};
}
