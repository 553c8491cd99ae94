/**
 * "What changed": each run is compared with the previous one on the same server, so the loop fix → re-run → green
 * is visible (a check is marked fixed, still failing, or new since that run). Pure: the glue persists the records.
 */
import type { CheckStatus, DiagnosisResult } from '../checks/types';

/** What a server's checks were at the end of its last run; kept between sessions. */
export interface RunRecord {
	readonly computerName: string;
	/** When the run that last set any of these statuses finished (ISO 8601). */
	readonly finishedAt: string;
	/** Check id → status and when that status was found. */
	readonly checks: Readonly<Record<string, { readonly status: CheckStatus; readonly at: string }>>;
}

export type ChangeKind = 'fixed' | 'stillFailing' | 'new';

export interface CheckChange {
	readonly kind: ChangeKind;
	/** When the run this one is compared with found the earlier status (ISO 8601). */
	readonly since: string;
}

export const changeLabels: Readonly<Record<ChangeKind, string>> = {
	fixed: 'Fixed',
	stillFailing: 'Still failing',
	new: 'New',
};

/** A status that needs the admin: the ones a fix is offered for. "Could not check" counts, it has a next step. */
function isProblem(status: CheckStatus): boolean {
	return status === 'fail' || status === 'warning' || status === 'unknown';
}

/** A status that means the prerequisite holds. */
function isResolved(status: CheckStatus): boolean {
	return status === 'pass' || status === 'notApplicable';
}

function changeOf(before: CheckStatus, now: CheckStatus): ChangeKind | undefined {
	if (isProblem(before) && isResolved(now)) {
		return 'fixed';
	}
	if (isProblem(before) && isProblem(now)) {
		return 'stillFailing';
	}
	if (!isProblem(before) && isProblem(now)) {
		return 'new';
	}
	// Manual before or after, or resolved both times: nothing to tell.
	return undefined;
}

/**
 * How each check of this run differs from the same check's last known status on the same server. A check the
 * previous record does not hold (it never ran there) gets no mark: "new" means it was fine before.
 */
export function compareWithPrevious(previous: RunRecord | undefined, current: DiagnosisResult): Map<string, CheckChange> {
	const changes = new Map<string, CheckChange>();
	if (!previous || previous.computerName.toLowerCase() !== current.host.computerName.toLowerCase() || current.fatal) {
		return changes;
	}
	for (const check of current.checks) {
		const before = Object.prototype.hasOwnProperty.call(previous.checks, check.id) ? previous.checks[check.id] : undefined;
		const kind = before ? changeOf(before.status, check.status) : undefined;
		if (before && kind) {
			changes.set(check.id, { kind, since: before.at });
		}
	}
	return changes;
}

/**
 * The record after this run: its checks replace theirs, the others keep what an earlier run found (re-running one
 * check must not forget the rest). A run on another server starts that server's own record.
 */
export function updateRecord(previous: RunRecord | undefined, current: DiagnosisResult): RunRecord {
	const sameServer = previous !== undefined && previous.computerName.toLowerCase() === current.host.computerName.toLowerCase();
	const checks: Record<string, { status: CheckStatus; at: string }> = sameServer ? { ...previous.checks } : {};
	if (!current.fatal) {
		for (const check of current.checks) {
			checks[check.id] = { status: check.status, at: current.finishedAt };
		}
	}
	return { computerName: current.host.computerName, finishedAt: current.finishedAt, checks };
}

/** A persisted record read back: anything that is not the shape written is dropped rather than trusted. */
export function readRecord(raw: unknown): RunRecord | undefined {
	if (typeof raw !== 'object' || raw === null) {
		return undefined;
	}
	const r = raw as { computerName?: unknown; finishedAt?: unknown; checks?: unknown };
	if (typeof r.computerName !== 'string' || typeof r.finishedAt !== 'string' || typeof r.checks !== 'object' || r.checks === null) {
		return undefined;
	}
	const statuses: ReadonlySet<string> = new Set(['pass', 'fail', 'warning', 'unknown', 'manual', 'notApplicable']);
	const checks: Record<string, { status: CheckStatus; at: string }> = {};
	for (const [id, value] of Object.entries(r.checks as Record<string, unknown>)) {
		const v = value as { status?: unknown; at?: unknown } | null;
		if (v && typeof v.status === 'string' && statuses.has(v.status) && typeof v.at === 'string') {
			checks[id] = { status: v.status as CheckStatus, at: v.at };
		}
	}
	return { computerName: r.computerName, finishedAt: r.finishedAt, checks };
}

/** "14:05" in the local time of the machine showing it, or the text as it is when it is not a time. */
export function formatRunTime(iso: string, now: Date = new Date()): string {
	const at = new Date(iso);
	if (Number.isNaN(at.getTime())) {
		return iso;
	}
	const pad = (n: number): string => String(n).padStart(2, '0');
	const time = `${pad(at.getHours())}:${pad(at.getMinutes())}`;
	const sameDay = at.getFullYear() === now.getFullYear() && at.getMonth() === now.getMonth() && at.getDate() === now.getDate();
	return sameDay ? time : `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${time}`;
}

/** "Fixed since the run at 14:05" — the words the tree's tooltip, the panel and the summary use. */
export function describeChange(change: CheckChange, now?: Date): string {
	const when = formatRunTime(change.since, now);
	switch (change.kind) {
		case 'fixed':
			return `Fixed since the run at ${when}`;
		case 'stillFailing':
			return `Still failing since the run at ${when}`;
		case 'new':
			return `New since the run at ${when}`;
	}
}
