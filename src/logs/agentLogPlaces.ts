/**
 * Where the agent's logs are on the agent server, from the catalogue's agent.json (no second copy of the knowledge):
 * the trace folder of the agent and the configuration wizard, the setup bundle's log and the MSI logs beside it in
 * %TEMP% (and the Windows TEMP folder, where a run as SYSTEM writes), and the MSI*.LOG files of the Windows Installer
 * Logging policy. Open Agent Logs lists the newest files of each kind. Pure: the glue lists the folders.
 */
import agentFile from '../catalogue/agent.json';

export type AgentLogKind = 'trace' | 'bundle' | 'msi' | 'msiPolicy';

export interface AgentLogPlace {
	readonly kind: AgentLogKind;
	/** A folder with its environment variables expanded; the glue lists it. */
	readonly folder: string;
	/** Whether a file name in that folder is a log of this kind. */
	readonly matches: (fileName: string) => boolean;
}

export const agentLogKindTitles: Readonly<Record<AgentLogKind, string>> = {
	trace: 'Agent and wizard trace',
	bundle: 'Setup bundle log',
	msi: 'MSI log of the setup bundle',
	msiPolicy: 'Windows Installer policy log',
};

/** The environment the folders are expanded with (process.env on the server; tests pass their own). */
export interface LogEnvironment {
	readonly ProgramData?: string;
	readonly TEMP?: string;
	readonly SystemRoot?: string;
}

/** `%Name%` expanded from the environment; undefined when a variable is not set (the place is then left out). */
export function expandWindowsPath(template: string, env: LogEnvironment): string | undefined {
	let missing = false;
	const expanded = template.replace(/%([A-Za-z]+)%/g, (_all, name: string) => {
		const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase()) as keyof LogEnvironment | undefined;
		const value = key ? env[key] : undefined;
		if (!value) {
			missing = true;
			return '';
		}
		return value.replace(/[\\/]+$/, '');
	});
	return missing ? undefined : expanded;
}

/** A `*` wildcard file pattern as a case-insensitive test (Windows file names are case-insensitive). */
export function wildcardTest(pattern: string): (fileName: string) => boolean {
	const body = pattern
		.split('*')
		.map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
		.join('.*');
	const re = new RegExp(`^${body}$`, 'i');
	return (fileName) => re.test(fileName);
}

/**
 * The bundle's own log and the per-package logs named after it: Burn names its log <prefix>_<yyyyMMddHHmmss>.log and
 * each package's log <that name without .log>_<n>_<package id>.log, in the same folder.
 */
function bundleLogTests(): { bundle: (name: string) => boolean; msi: (name: string) => boolean } {
	const named = agentFile.installerLogs.bundleLogPatterns.map(wildcardTest);
	const any = (name: string) => named.some((test) => test(name));
	return {
		bundle: (name) => any(name) && /_\d{14}\.log$/i.test(name),
		msi: (name) => any(name) && /_\d{14}_\d+_[^\\/]+\.log$/i.test(name),
	};
}

export function agentLogPlaces(env: LogEnvironment): AgentLogPlace[] {
	const places: AgentLogPlace[] = [];
	const trace = expandWindowsPath(agentFile.files.traceFolder, env);
	if (trace) {
		// The trace files' names are not documented (only the optional ProvAgentTrace.log is): every .log there.
		places.push({ kind: 'trace', folder: trace, matches: wildcardTest('*.log') });
	}
	const tests = bundleLogTests();
	const policy = wildcardTest(agentFile.installerLogs.msiPolicyLogPattern);
	const temps = [env.TEMP, env.SystemRoot ? `${env.SystemRoot.replace(/[\\/]+$/, '')}\\Temp` : undefined].filter((t): t is string => Boolean(t));
	for (const temp of [...new Set(temps.map((t) => t.replace(/[\\/]+$/, '')))]) {
		places.push({ kind: 'bundle', folder: temp, matches: tests.bundle });
		places.push({ kind: 'msi', folder: temp, matches: tests.msi });
		places.push({ kind: 'msiPolicy', folder: temp, matches: policy });
	}
	return places;
}

export interface FoundLog {
	readonly kind: AgentLogKind;
	readonly path: string;
	readonly modifiedMs: number;
	readonly size: number;
}

/** The newest `perKind` files of each kind, newest first, kinds in the order of agentLogKindTitles. */
export function newestLogs(found: readonly FoundLog[], perKind = 5): FoundLog[] {
	const order = Object.keys(agentLogKindTitles) as AgentLogKind[];
	const unique = [...new Map(found.map((f) => [f.path.toLowerCase(), f])).values()];
	return order.flatMap((kind) =>
		unique
			.filter((f) => f.kind === kind)
			.sort((a, b) => b.modifiedMs - a.modifiedMs)
			.slice(0, perKind),
	);
}
