/**
 * Builds what the Prerequisite Checks tree shows from the catalogue and the latest results. Pure (no `vscode`
 * import): the tree provider only turns these models into TreeItems.
 */
import type { Category, CheckDefinition, CheckResult, CheckStatus, EvidenceValue } from '../checks/types';

export type NodeStatus = CheckStatus | 'running' | 'notRun';

export const statusLabels: Readonly<Record<NodeStatus, string>> = {
	pass: 'Passed',
	fail: 'Failed',
	warning: 'Warning',
	unknown: 'Could not check',
	manual: 'Manual',
	notApplicable: 'Not applicable',
	running: 'Running',
	notRun: 'Not run',
};

export interface CheckNodeModel {
	readonly kind: 'check';
	readonly id: string;
	readonly categoryId: string;
	readonly label: string;
	readonly status: NodeStatus;
	readonly description: string;
	/** Markdown; every value that came from the host is escaped. */
	readonly tooltip: string;
	readonly accessibilityLabel: string;
	readonly failureIds: readonly string[];
}

export interface CategoryNodeModel {
	readonly kind: 'category';
	readonly id: string;
	readonly label: string;
	readonly status: NodeStatus;
	readonly description: string;
	readonly accessibilityLabel: string;
	/** Categories holding a problem open expanded, so the problem is seen without a click. */
	readonly expanded: boolean;
	readonly children: readonly CheckNodeModel[];
}

export interface TreeState {
	readonly results: ReadonlyMap<string, CheckResult>;
	readonly running: ReadonlySet<string>;
}

/** How much a status needs attention; a category shows its children's worst. */
const attentionRank: Readonly<Record<NodeStatus, number>> = {
	fail: 7,
	unknown: 6,
	warning: 5,
	running: 4,
	notRun: 3,
	manual: 2,
	pass: 1,
	notApplicable: 0,
};

export function worstStatus(statuses: readonly NodeStatus[]): NodeStatus {
	let worst: NodeStatus = 'notApplicable';
	for (const s of statuses) {
		if (attentionRank[s] > attentionRank[worst]) {
			worst = s;
		}
	}
	return statuses.length === 0 ? 'notRun' : worst;
}

/** Escapes text for Markdown so host-supplied values cannot add links, images or HTML to a tooltip. */
export function escapeMarkdown(text: string): string {
	return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (ch) => `\\${ch}`).replace(/\r?\n/g, ' ');
}

/** A code span: host-supplied text shown literally, never turned into a link. */
export function codeSpan(text: string): string {
	return `\`${text.replace(/`/g, "'").replace(/\r?\n/g, ' ')}\``;
}

export function formatEvidenceValue(value: EvidenceValue | undefined): string {
	if (value === undefined || value === null) {
		return 'unknown';
	}
	if (Array.isArray(value)) {
		return value.map((item) => (item !== null && typeof item === 'object' ? Object.values(item).map((v) => String(v)).join(' ') : String(item))).join(', ');
	}
	return String(value);
}

/** Replaces `{key}` with the evidence value of that key ("unknown" when the probe did not report it). */
export function fillTemplate(template: string, evidence: Readonly<Record<string, EvidenceValue>>): string {
	return template.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, (_m, key: string) => formatEvidenceValue(evidence[key]));
}

function failureTitles(check: CheckDefinition, failureIds: readonly string[]): string[] {
	return failureIds.map((id) => check.failures.find((f) => f.id === id)?.title ?? `Unrecognised finding "${id}"`);
}

export function describeCheck(check: CheckDefinition, status: NodeStatus, result: CheckResult | undefined): string {
	const evidence = result?.evidence ?? {};
	switch (status) {
		case 'running':
			return 'Running…';
		case 'notRun':
			return 'Not run yet';
		case 'manual':
			return 'Confirm manually';
		case 'pass':
			return fillTemplate(check.passText, evidence);
		case 'notApplicable':
			return check.notApplicableText ? fillTemplate(check.notApplicableText, evidence) : 'Not applicable';
		default: {
			const titles = failureTitles(check, result?.failureIds ?? []);
			if (titles.length > 0) {
				return titles.length === 1 ? titles[0] : `${titles[0]} (+${titles.length - 1} more)`;
			}
			if (result?.error) {
				return `Could not check: ${result.error}`;
			}
			return statusLabels[status];
		}
	}
}

function markdownLink(title: string, url: string): string {
	// Catalogue URLs are ours (https, no spaces or parentheses); the title is escaped like any text.
	return `[${escapeMarkdown(title)}](${url})`;
}

function checkTooltip(check: CheckDefinition, status: NodeStatus, description: string, result: CheckResult | undefined): string {
	const lines = [`**${escapeMarkdown(check.title)}** — ${statusLabels[status]}`, '', escapeMarkdown(check.verifies)];
	const showFindings = status === 'fail' || status === 'warning' || status === 'unknown';
	const failures = showFindings ? (result?.failureIds ?? []).map((id) => check.failures.find((f) => f.id === id)) : [];
	for (const failure of failures) {
		if (!failure) {
			continue;
		}
		lines.push('', `**${escapeMarkdown(failure.title)}**`, '', escapeMarkdown(failure.cause), '');
		failure.remediation.steps.forEach((step, i) => lines.push(`${i + 1}. ${escapeMarkdown(step)}`));
		if (failure.unverified) {
			lines.push('', `*Not stated by Microsoft:* ${escapeMarkdown(failure.unverified)}`);
		}
		lines.push('', `Source: ${failure.sources.map((s) => markdownLink(s.title, s.url)).join(' · ')}`);
	}
	if (showFindings && failures.length === 0 && !result?.error) {
		lines.push('', escapeMarkdown(description));
	}
	if (result?.error) {
		lines.push('', `Could not check: ${codeSpan(result.error)}`, '', 'Next step: fix what the message names (or run the diagnosis elevated), then click the check to run it again.');
	}
	const evidence = Object.entries(result?.evidence ?? {});
	if (evidence.length > 0) {
		lines.push('', 'Evidence:', '');
		for (const [key, value] of evidence) {
			lines.push(`- ${escapeMarkdown(key)}: ${codeSpan(formatEvidenceValue(value))}`);
		}
	}
	if (check.manualSteps && status === 'manual') {
		lines.push('', ...check.manualSteps.map((s) => `- ${escapeMarkdown(s)}`));
	}
	return lines.join('\n');
}

export function buildCheckNode(check: CheckDefinition, state: TreeState): CheckNodeModel {
	const result = state.results.get(check.id);
	const status: NodeStatus = state.running.has(check.id) ? 'running' : (result?.status ?? 'notRun');
	const description = describeCheck(check, status, result);
	return {
		kind: 'check',
		id: check.id,
		categoryId: check.category,
		label: check.title,
		status,
		description,
		tooltip: checkTooltip(check, status, description, result),
		accessibilityLabel: `${check.title}, ${statusLabels[status]}: ${description}`,
		failureIds: status === 'running' ? [] : (result?.failureIds ?? []),
	};
}

export function summarizeCategory(children: readonly CheckNodeModel[]): string {
	if (children.some((c) => c.status === 'running')) {
		return 'Running…';
	}
	const counts = new Map<NodeStatus, number>();
	for (const c of children) {
		counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
	}
	const parts: string[] = [];
	const order: NodeStatus[] = ['fail', 'warning', 'unknown', 'manual', 'notRun'];
	for (const status of order) {
		const n = counts.get(status);
		if (n) {
			parts.push(`${n} ${statusLabels[status].toLowerCase()}`);
		}
	}
	if (parts.length === 0) {
		return children.every((c) => c.status === 'notApplicable') ? 'Not applicable' : 'All passed';
	}
	return parts.join(', ');
}

export function buildTree(categories: readonly Category[], checks: readonly CheckDefinition[], state: TreeState): CategoryNodeModel[] {
	return categories
		.map((category) => {
			const children = checks.filter((c) => c.category === category.id).map((c) => buildCheckNode(c, state));
			const status = worstStatus(children.map((c) => c.status));
			const description = summarizeCategory(children);
			return {
				kind: 'category' as const,
				id: category.id,
				label: category.title,
				status,
				description,
				accessibilityLabel: `${category.title}: ${description}`,
				expanded: status === 'fail' || status === 'warning' || status === 'unknown',
				children,
			};
		})
		.filter((c) => c.children.length > 0);
}
