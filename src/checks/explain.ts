/**
 * Turns (catalogue, result) into the words of a check's outcome: the one-line summary, what was found with this host's
 * values, the cause, the steps, the caveats, the notes, the fixes with their parameters filled, and the sources. Every
 * surface (tree tooltip, failure panel, report, log hover) renders this; none of them writes explanation text itself.
 *
 * Pure: no `vscode` import, no I/O.
 */
import { findFix, messages } from './catalogue';
import { resolveFixParameters, ResolvedFixParameters } from './fixParameters';
import type { CheckDefinition, CheckNote, CheckResult, CheckStatus, EvidenceValue, Fix, Message, SourceLink } from './types';

export interface ExplainedFix {
	readonly fix: Fix;
	readonly parameters: ResolvedFixParameters;
}

export interface ExplainedFailure {
	readonly id: string;
	readonly title: string;
	readonly severity: 'fail' | 'warning' | 'unknown';
	readonly cause: string;
	readonly steps: readonly string[];
	readonly caveats: readonly string[];
	readonly unverified?: string;
	readonly sources: readonly SourceLink[];
	readonly fixes: readonly ExplainedFix[];
	/** The texts users meet (wizard, logs, events) that this failure can explain. */
	readonly messages: readonly Message[];
}

export interface EvidenceLine {
	readonly key: string;
	/** The catalogue's label for the key, or the key itself when the catalogue has none. */
	readonly label: string;
	/** The value as text, exactly as the probe reported it (host text: render it escaped). */
	readonly value: string;
}

export interface Explanation {
	readonly checkId: string;
	readonly title: string;
	readonly verifies: string;
	readonly status: CheckStatus;
	/** One line: the pass text, the first failure's title, or why it could not be checked. */
	readonly summary: string;
	readonly evidence: readonly EvidenceLine[];
	readonly notes: readonly CheckNote[];
	readonly failures: readonly ExplainedFailure[];
	/** Failure ids the result names that the catalogue does not know (an older or newer probe). */
	readonly unknownFailureIds: readonly string[];
	readonly error?: { readonly message: string; readonly nextStep: string };
	readonly manualSteps: readonly string[];
	readonly sources: readonly SourceLink[];
}

/** What to do when a check could not give an answer. */
export const couldNotCheckNextStep =
	'Fix what the message names (run the diagnosis elevated when it is about access), then run the check again.';

export function formatEvidenceValue(value: EvidenceValue | undefined): string {
	if (value === undefined || value === null) {
		return 'unknown';
	}
	if (Array.isArray(value)) {
		if (value.length === 0) {
			return 'none';
		}
		return value
			.map((item) => (item !== null && typeof item === 'object' ? Object.values(item).map((v) => String(v)).join(' ') : String(item)))
			.join(', ');
	}
	return String(value);
}

/** Replaces `{key}` with the evidence value of that key ("unknown" when the probe did not report it). */
export function fillTemplate(template: string, evidence: Readonly<Record<string, EvidenceValue>>): string {
	return template.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, (_m, key: string) => formatEvidenceValue(evidence[key]));
}

function noteApplies(note: CheckNote, evidence: Readonly<Record<string, EvidenceValue>>): boolean {
	if (!note.when) {
		return true;
	}
	return Object.prototype.hasOwnProperty.call(evidence, note.when.evidence) && evidence[note.when.evidence] === note.when.equals;
}

function messagesFor(failureId: string): Message[] {
	return messages.filter((m) => m.finding === failureId || m.causes.some((c) => c.failure === failureId));
}

export function summarize(check: CheckDefinition, result: CheckResult): string {
	const evidence = result.evidence;
	switch (result.status) {
		case 'manual':
			return 'Confirm manually';
		case 'pass':
			return fillTemplate(check.passText, evidence);
		case 'notApplicable':
			return check.notApplicableText ? fillTemplate(check.notApplicableText, evidence) : 'Not applicable';
		default: {
			const titles = result.failureIds.map((id) => check.failures.find((f) => f.id === id)?.title ?? `Unrecognised finding "${id}"`);
			if (titles.length > 0) {
				return titles.length === 1 ? titles[0] : `${titles[0]} (+${titles.length - 1} more)`;
			}
			if (result.error) {
				return `Could not check: ${result.error}`;
			}
			return result.status === 'unknown' ? 'Could not check' : result.status === 'fail' ? 'Failed' : 'Warning';
		}
	}
}

/**
 * Explains one check's result. `results` (all checks' latest results) fills fix parameters that come from another
 * check's evidence; without it only this result's evidence is used.
 */
export function explain(check: CheckDefinition, result: CheckResult, results?: ReadonlyMap<string, CheckResult>): Explanation {
	const evidence = result.evidence;
	const all = new Map(results ?? []);
	all.set(check.id, result);
	const showFailures = result.status === 'fail' || result.status === 'warning' || result.status === 'unknown';
	const failures: ExplainedFailure[] = [];
	const unknownFailureIds: string[] = [];
	for (const id of showFailures ? result.failureIds : []) {
		const failure = check.failures.find((f) => f.id === id);
		if (!failure) {
			unknownFailureIds.push(id);
			continue;
		}
		failures.push({
			id: failure.id,
			title: failure.title,
			severity: failure.severity,
			cause: fillTemplate(failure.cause, evidence),
			steps: failure.steps.map((s) => fillTemplate(s, evidence)),
			caveats: failure.caveats.map((s) => fillTemplate(s, evidence)),
			unverified: failure.unverified,
			sources: failure.sources,
			fixes: failure.fixIds.flatMap((fixId) => {
				const fix = findFix(fixId);
				return fix ? [{ fix, parameters: resolveFixParameters(fix, all) }] : [];
			}),
			messages: messagesFor(failure.id),
		});
	}
	return {
		checkId: check.id,
		title: check.title,
		verifies: check.verifies,
		status: result.status,
		summary: summarize(check, result),
		evidence: Object.entries(evidence).map(([key, value]) => ({ key, label: check.evidence[key] ?? key, value: formatEvidenceValue(value) })),
		notes: check.notes.filter((n) => noteApplies(n, evidence)).map((n) => ({ ...n, text: fillTemplate(n.text, evidence) })),
		failures,
		unknownFailureIds,
		error: result.error ? { message: result.error, nextStep: couldNotCheckNextStep } : undefined,
		manualSteps: result.status === 'manual' ? (check.manualSteps ?? []) : [],
		sources: check.sources,
	};
}
