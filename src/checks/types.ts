/**
 * Types of the check catalogue and of a diagnosis result. No `vscode` import: these are shared by the
 * extension, the unit tests and (later) the language server.
 */

export type CheckStatus = 'pass' | 'fail' | 'warning' | 'unknown' | 'manual' | 'notApplicable';

export type CategoryId = 'permissions' | 'server' | 'domain' | 'gmsa' | 'service' | 'eventlog' | 'installer' | 'network';

export interface Category {
	readonly id: CategoryId;
	readonly title: string;
}

/** A link to public Microsoft documentation (or, where marked, another public source). */
export interface SourceLink {
	readonly title: string;
	readonly url: string;
}

/**
 * A snippet the admin may run in the terminal or copy. Values never come from the webview or from logs:
 * the extension looks snippets up here by id.
 */
export interface FixSnippet {
	readonly id: string;
	readonly title: string;
	/** PowerShell (5.1 compatible) exactly as it will be shown and run. */
	readonly script: string;
	/** True when running it changes the system; such snippets ask for confirmation and say what changes. */
	readonly changesSystem: boolean;
	/** One sentence: what will change when it runs (shown in the confirmation). */
	readonly effect: string;
	/** Where it must run, when that is not the agent server (e.g. "a domain controller"). */
	readonly runOn?: string;
	readonly sources: readonly SourceLink[];
}

export interface Remediation {
	/** Steps in order, plain sentences. */
	readonly steps: readonly string[];
	/** Fix snippets that carry out (part of) the steps. */
	readonly fixIds?: readonly string[];
}

export interface Failure {
	readonly id: string;
	/** Status the probe gives when this failure is found. */
	readonly severity: 'fail' | 'warning' | 'unknown';
	/** One line shown as the tree item's description, e.g. "Not elevated". */
	readonly title: string;
	/** Exact error texts users meet (installer, wizard, event log) that this failure explains. */
	readonly errorTexts?: readonly string[];
	/** Why it happens, in one or two sentences. */
	readonly cause: string;
	readonly remediation: Remediation;
	readonly sources: readonly SourceLink[];
	/** Set when the link between symptom and cause is not stated by Microsoft (say so to the user). */
	readonly unverified?: string;
}

export interface CheckDefinition {
	readonly id: string;
	readonly category: CategoryId;
	readonly title: string;
	/** What the check verifies and why it matters, one or two sentences. */
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
	readonly needsElevation?: boolean;
	readonly failures: readonly Failure[];
	readonly sources: readonly SourceLink[];
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
		readonly checks: readonly string[];
	};
	readonly fatal: null | { readonly code: 'not-windows' | 'unexpected'; readonly message: string };
	readonly checks: readonly CheckResult[];
}
