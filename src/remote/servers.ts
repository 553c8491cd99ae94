/**
 * The servers a run on several servers goes to (the paDoctor.servers setting), the entry script's arguments for them,
 * and the words for how each ended. The names follow the entry script's own rules (remote/PadRemoting.ps1), so a
 * name the script would refuse is caught here, with the reason, before anything runs.
 *
 * Pure: no `vscode` import, no I/O.
 */
import type { ScriptArgument } from '../terminal/quoting';
import type { CheckDefinition, CheckStatus, DiagnosisResult, ServerEntry, ServerStatus } from '../checks/types';

export type Transport = 'WinRM' | 'SSH';

export interface ServerSpec {
	/** A computer name (WinRM), or [user@]host[:port] (SSH). */
	readonly name: string;
	readonly transport: Transport;
}

const sshPattern = /^(?:[^@\s,;'"`]+@)?(?:\[[0-9A-Fa-f:.]+\]|[^:@[\]\s,;'"`]+)(?::([0-9]{1,5}))?$/;
const winrmPattern = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;

/** At most this many servers in one run: the entry script runs up to 8 at a time, and the tree stays readable. */
export const maxServers = 64;

/** Why a name is not a server name of that transport, or undefined when it is one. */
export function serverNameProblem(name: string, transport: Transport): string | undefined {
	if (name.length === 0) {
		return 'an empty name';
	}
	if (name.length > 255) {
		return `"${name.slice(0, 40)}…" is longer than a host name can be`;
	}
	if (transport === 'WinRM') {
		return winrmPattern.test(name) ? undefined : `"${name}" is not a computer name for WinRM (use the server's DNS or NetBIOS name)`;
	}
	const match = sshPattern.exec(name);
	if (!match) {
		return `"${name}" is not an SSH target (write it as [user@]host[:port])`;
	}
	const port = match[1] === undefined ? undefined : Number(match[1]);
	return port !== undefined && (port < 1 || port > 65535) ? `"${name}": the port must be from 1 to 65535` : undefined;
}

/**
 * The servers of the setting, each once (by name and transport, ignoring case), with the entries that are not
 * servers and why: a string is a WinRM computer name; an object is { name, transport }.
 */
export function readServers(raw: unknown): { readonly servers: ServerSpec[]; readonly problems: string[] } {
	const servers: ServerSpec[] = [];
	const problems: string[] = [];
	if (raw === undefined || raw === null) {
		return { servers, problems };
	}
	if (!Array.isArray(raw)) {
		return { servers, problems: ['the setting is not a list'] };
	}
	for (const item of raw as unknown[]) {
		let name: unknown;
		let transport: unknown = 'WinRM';
		if (typeof item === 'string') {
			name = item;
		} else if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
			({ name, transport = 'WinRM' } = item as { name?: unknown; transport?: unknown });
		}
		if (typeof name !== 'string' || (transport !== 'WinRM' && transport !== 'SSH')) {
			problems.push(`${JSON.stringify(item)} is neither a computer name nor { "name": ..., "transport": "WinRM" | "SSH" }`);
			continue;
		}
		const trimmed = name.trim();
		const problem = serverNameProblem(trimmed, transport);
		if (problem) {
			problems.push(problem);
			continue;
		}
		if (servers.some((s) => s.transport === transport && s.name.toLowerCase() === trimmed.toLowerCase())) {
			continue;
		}
		if (servers.length >= maxServers) {
			problems.push(`more than ${maxServers} servers: the rest are left out`);
			break;
		}
		servers.push({ name: trimmed, transport });
	}
	return { servers, problems };
}

/** The entry script's remoting arguments for these servers (its other arguments are the same as for a local run). */
export function remoteArguments(servers: readonly ServerSpec[], options: { readonly keyFilePath?: string; readonly timeoutSeconds?: number } = {}): Array<[string, ScriptArgument]> {
	const args: Array<[string, ScriptArgument]> = [];
	const winrm = servers.filter((s) => s.transport === 'WinRM').map((s) => s.name);
	const ssh = servers.filter((s) => s.transport === 'SSH').map((s) => s.name);
	if (winrm.length > 0) {
		args.push(['ComputerName', winrm]);
	}
	if (ssh.length > 0) {
		args.push(['HostName', ssh]);
		if (options.keyFilePath) {
			args.push(['KeyFilePath', options.keyFilePath]);
		}
	}
	if (options.timeoutSeconds !== undefined) {
		args.push(['RemoteTimeoutSeconds', options.timeoutSeconds]);
	}
	return args;
}

/** One word or two for a server that sent no result, as the tree and the messages say it. */
export const serverStatusWords: Readonly<Record<Exclude<ServerStatus, 'ok'>, string>> = {
	unreachable: 'Unreachable',
	connectFailed: 'Connection refused',
	timeout: 'Timed out',
	'powershell-too-old': 'PowerShell too old',
	error: 'Failed',
};

/** Counts of a result's checks by status: "2 failed · 1 warning", or "All passed". */
export function countWords(result: DiagnosisResult): string {
	const count = (status: CheckStatus): number => result.checks.filter((c) => c.status === status).length;
	const parts: string[] = [];
	const failed = count('fail');
	const warnings = count('warning');
	const unknown = count('unknown');
	if (failed > 0) {
		parts.push(`${failed} failed`);
	}
	if (warnings > 0) {
		parts.push(`${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`);
	}
	if (unknown > 0) {
		parts.push(`${unknown} could not check`);
	}
	return parts.length > 0 ? parts.join(' · ') : 'All passed';
}

/** The short description of a server's row: its counts, the fatal error of its run, or how it failed. */
export function describeServer(entry: ServerEntry): string {
	if (entry.result === null) {
		return serverStatusWords[entry.status as Exclude<ServerStatus, 'ok'>] ?? 'Failed';
	}
	if (entry.result.fatal) {
		return `Could not run: ${entry.result.fatal.message}`;
	}
	return countWords(entry.result);
}

/**
 * Why a server's row has no checks, and the next step: the run's fatal error on that server, or why it sent no
 * result. Undefined for a server with results.
 */
export function serverProblem(entry: ServerEntry): { readonly why: string; readonly next: string } | undefined {
	if (entry.result?.fatal) {
		return { why: entry.result.fatal.message, next: 'Fix what the message names on that server, then run the diagnosis again.' };
	}
	if (entry.result === null) {
		return { why: entry.error ?? 'It sent no result.', next: entry.nextStep ?? '' };
	}
	return undefined;
}

/** The name to show: the name given, and the computer's own name when it differs (an address, user@host:port). */
export function serverLabel(entry: ServerEntry): string {
	const computer = entry.result?.host.computerName;
	return computer && computer.toLowerCase() !== entry.server.toLowerCase() ? `${entry.server} (${computer})` : entry.server;
}

export interface ServerComparison {
	/** Checks whose status differs between the two, in catalogue order. */
	readonly differ: ReadonlyArray<{ readonly check: CheckDefinition; readonly a: CheckStatus | undefined; readonly b: CheckStatus | undefined }>;
	/** How many checks have the same status on both. */
	readonly same: number;
}

/** The checks that differ between two servers' results (a check that passes on one and fails on the other first). */
export function compareResults(checks: readonly CheckDefinition[], a: DiagnosisResult, b: DiagnosisResult): ServerComparison {
	const statusIn = (r: DiagnosisResult, id: string): CheckStatus | undefined => r.checks.find((c) => c.id === id)?.status;
	const differ: Array<{ check: CheckDefinition; a: CheckStatus | undefined; b: CheckStatus | undefined }> = [];
	let same = 0;
	for (const check of checks) {
		const sa = statusIn(a, check.id);
		const sb = statusIn(b, check.id);
		if (sa === sb) {
			same++;
		} else {
			differ.push({ check, a: sa, b: sb });
		}
	}
	// pass on one side and fail on the other are what an admin looks at first; the rest keep catalogue order.
	const rank = (d: { a?: CheckStatus; b?: CheckStatus }): number => ((d.a === 'pass' && d.b === 'fail') || (d.a === 'fail' && d.b === 'pass') ? 0 : 1);
	differ.sort((x, y) => rank(x) - rank(y));
	return { differ, same };
}
