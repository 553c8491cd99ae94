/**
 * Types of the check catalogue (loaded from src/catalogue by ./catalogue.ts) and of a diagnosis result. No `vscode`
 * import: these are shared by the extension, the unit tests and (later) the language server.
 */

export type CheckStatus = 'pass' | 'fail' | 'warning' | 'unknown' | 'manual' | 'notApplicable';

export type CategoryId = 'permissions' | 'server' | 'domain' | 'gmsa' | 'service' | 'eventlog' | 'installer' | 'network';

export interface Category {
	readonly id: CategoryId;
	readonly title: string;
}

/** A public page the catalogue cites (src/catalogue/sources.json). */
export interface SourceLink {
	readonly id: string;
	readonly title: string;
	readonly url: string;
	/** 'other' pages are named to the user as not Microsoft's. */
	readonly publisher: 'microsoft' | 'other';
	readonly msDate?: string;
	readonly note?: string;
}

/** A parameter of a fix script, filled from the evidence of a check's latest result where `from` says so. */
export interface FixParameter {
	readonly name: string;
	readonly description: string;
	readonly required: boolean;
	readonly from?: { readonly check: string; readonly evidence: string };
}

/**
 * A fix the admin may run in the terminal or copy: one .ps1 file with a param() block. Values never come from the
 * webview or from logs: the extension looks fixes up here by id and fills parameters from its own results.
 */
export interface Fix {
	readonly id: string;
	readonly title: string;
	/** Path of the script below the catalogue folder, e.g. "fixes/set-managed-account.ps1". */
	readonly script: string;
	/** True when running it changes the system; such fixes ask for confirmation and say what changes. */
	readonly changesSystem: boolean;
	/** What will change when it runs (shown in the confirmation). */
	readonly effect: string;
	/** Where it must run, when that is not the agent server (e.g. "a domain controller"). */
	readonly runOn?: string;
	/** A warning shown before it runs. */
	readonly caveat?: string;
	readonly parameters: readonly FixParameter[];
	readonly sources: readonly SourceLink[];
}

export interface Failure {
	readonly id: string;
	/** The check that reports it. */
	readonly checkId: string;
	/** Status the probe gives when this failure is found. */
	readonly severity: 'fail' | 'warning' | 'unknown';
	/** One line shown as the tree item's description, e.g. "Not elevated". */
	readonly title: string;
	/** Why it happens, in plain words; may name evidence as {key}. */
	readonly cause: string;
	/** Remediation in order; may name evidence as {key}. */
	readonly steps: readonly string[];
	/** What to know before following the steps. */
	readonly caveats: readonly string[];
	readonly fixIds: readonly string[];
	readonly sources: readonly SourceLink[];
	/** Set when the link between symptom and cause is not stated by Microsoft (say so to the user). */
	readonly unverified?: string;
}

/** A sentence shown with a check's result whenever its condition on the evidence holds. */
export interface CheckNote {
	readonly when?: { readonly evidence: string; readonly equals: string | number | boolean | null };
	readonly text: string;
	readonly sources: readonly SourceLink[];
	readonly unverified?: string;
}

export interface CheckDefinition {
	readonly id: string;
	readonly category: CategoryId;
	readonly title: string;
	/** What the check verifies and why it matters. */
	readonly verifies: string;
	/** PowerShell probe function in src/powershell/probes, or undefined for a manual check. */
	readonly probe?: string;
	/** Description when the check passes; `{key}` is replaced by the evidence value of that key. */
	readonly passText: string;
	/** Description when the check is not applicable; `{key}` as above. */
	readonly notApplicableText?: string;
	/** For manual checks: what the admin must confirm. */
	readonly manualSteps?: readonly string[];
	/** True when the check needs an elevated (Administrator) session to give a reliable answer. */
	readonly needsElevation: boolean;
	/** Evidence keys the probe reports, with the label users read. */
	readonly evidence: Readonly<Record<string, string>>;
	readonly notes: readonly CheckNote[];
	readonly failures: readonly Failure[];
	readonly sources: readonly SourceLink[];
}

/** Where users meet a message. */
export type MessagePlace =
	| 'wizard'
	| 'installer-dialog'
	| 'bundle-log'
	| 'msi-log'
	| 'trace-log'
	| 'system-event-log'
	| 'netlogon-event-log'
	| 'portal'
	| 'powershell';

/** A text users meet, verbatim, with how to recognise it and the failures that can cause it (most likely first). */
export interface Message {
	readonly id: string;
	readonly text: string;
	readonly seenIn: readonly MessagePlace[];
	readonly match: {
		readonly literal?: readonly string[];
		readonly pattern?: string;
		readonly event?: { readonly log: string; readonly provider?: string; readonly ids: readonly number[]; readonly about: 'agent-service' | 'agent-gmsa' };
	};
	/** The failure the log or event check reports when it finds this message on the server. */
	readonly finding?: string;
	readonly causes: readonly { readonly failure: string; readonly when?: string }[];
	readonly examples: readonly string[];
	readonly note?: string;
	readonly sources: readonly SourceLink[];
	readonly unverified?: string;
}

export type EvidenceScalar = string | number | boolean | null;
export type EvidenceValue = EvidenceScalar | readonly (EvidenceScalar | Readonly<Record<string, EvidenceScalar>>)[];

export interface CheckResult {
	readonly id: string;
	readonly status: CheckStatus;
	readonly failureIds: readonly string[];
	readonly evidence: Readonly<Record<string, EvidenceValue>>;
	readonly error: string | null;
	readonly durationMs: number;
}

export interface DiagnosisResult {
	readonly schemaVersion: 1;
	readonly tool: 'provisioning-agent-doctor';
	readonly startedAt: string;
	readonly finishedAt: string;
	readonly host: {
		readonly computerName: string;
		readonly isWindows: boolean;
		readonly psVersion: string;
		readonly psEdition: string;
		readonly isElevated: boolean | null;
		readonly userName: string;
	};
	readonly parameters: {
		readonly cloud: 'public' | 'usgov';
		readonly eventDays: number;
		readonly checkTimeoutSeconds: number;
		readonly networkTimeoutSeconds: number;
		/** The account the wizard-account check read ('' = the current user); absent in results of older scripts. */
		readonly wizardAccount?: string;
		readonly checks: readonly string[];
	};
	readonly fatal: null | { readonly code: 'not-windows' | 'unexpected'; readonly message: string };
	readonly checks: readonly CheckResult[];
}

/** How one server of a run on several servers ended (the entry script's -ComputerName / -HostName). */
export type ServerStatus = 'ok' | 'unreachable' | 'connectFailed' | 'timeout' | 'powershell-too-old' | 'error';

export interface ServerEntry {
	/** The server as it was given: a computer name (WinRM) or [user@]host[:port] (SSH). Host text. */
	readonly server: string;
	readonly transport: 'WinRM' | 'SSH';
	readonly status: ServerStatus;
	readonly error: string | null;
	readonly nextStep: string | null;
	readonly durationMs: number;
	/** The server's own result, when it sent one (status ok). */
	readonly result: DiagnosisResult | null;
}

/** The result file of a run on several servers: schema 2, one entry per server in the order given. */
export interface ServersResult {
	readonly schemaVersion: 2;
	readonly tool: 'provisioning-agent-doctor';
	readonly startedAt: string;
	readonly finishedAt: string;
	/** What every server was asked to run, and the run's overall time limit (the entry script writes it). */
	readonly parameters?: DiagnosisResult['parameters'] & { readonly remoteTimeoutSeconds?: number };
	readonly fatal: null | { readonly code: string; readonly message: string };
	readonly servers: readonly ServerEntry[];
}
