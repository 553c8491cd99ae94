/**
 * Builds what the Prerequisite Checks tree shows from the catalogue and the latest results. Pure (no `vscode`
 * import): the tree provider only turns these models into TreeItems. The words come from ../checks/explain; this
 * module only lays them out as Markdown, escaping every value that came from the host.
 */
import { explain, Explanation, summarize } from '../checks/explain';
import type { Category, CheckDefinition, CheckResult, CheckStatus, ServerEntry, SourceLink } from '../checks/types';
import { changeLabels, describeChange, type CheckChange } from '../diagnosis/runChanges';
import { describeServer, serverLabel, serverProblem } from '../remote/servers';

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
	/** Fixed, still failing or new since the previous run on this server; none while running or on a first run. */
	readonly change?: CheckChange;
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
	/** From the store: how each check differs from the previous run on the same server. */
	readonly changes?: ReadonlyMap<string, CheckChange>;
	/** The last run's DiagnosisResult.host.isElevated: false marks what the filtered token hid as needing elevation. */
	readonly elevated?: boolean | null;
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
		// Stryker disable next-line EqualityOperator: every status has its own rank, so >= picks the same status.
		if (attentionRank[s] > attentionRank[worst]) {
			worst = s;
		}
	}
	return statuses.length === 0 ? 'notRun' : worst;
}

/**
 * Every line terminator Markdown (or the editor's renderer) may start a new line or block at: CRLF, a lone CR or LF,
 * NEL, the Unicode line and paragraph separators, vertical tab and form feed. Host text is kept on one line, so a
 * planted line can never begin a new block (a link definition, an image, raw HTML).
 */
const lineTerminators = /\r\n|[\r\n\u0085\u2028\u2029\v\f]/g;

/**
 * The longest host value a tooltip shows. VS Code cuts a tooltip's Markdown at 100,000 characters; a cut inside a code
 * span would leave the span open and let what follows be read as Markdown, so no single value comes near that.
 */
export const maxTooltipValueLength = 2000;

function oneLine(text: string): string {
	const flat = text.replace(lineTerminators, ' ');
	return flat.length > maxTooltipValueLength ? `${flat.slice(0, maxTooltipValueLength)}…` : flat;
}

/** Escapes text for Markdown so host-supplied values cannot add links, images or HTML to a tooltip. */
export function escapeMarkdown(text: string): string {
	return oneLine(text).replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (ch) => `\\${ch}`);
}

/** A code span: host-supplied text shown literally, never turned into a link. */
export function codeSpan(text: string): string {
	return `\`${oneLine(text).replace(/`/g, "'")}\``;
}

export function describeCheck(check: CheckDefinition, status: NodeStatus, result: CheckResult | undefined): string {
	if (status === 'running') {
		return 'Running…';
	}
	if (status === 'notRun' || !result) {
		return 'Not run yet';
	}
	return summarize(check, result);
}

function markdownLink(title: string, url: string): string {
	// Catalogue URLs are ours (https, no spaces or parentheses); the title is escaped like any text.
	return `[${escapeMarkdown(title)}](${url})`;
}

function sourceLinks(sources: readonly SourceLink[]): string {
	return sources.map((s) => markdownLink(s.title, s.url)).join(' · ');
}

/** Renders an explanation as the tooltip's Markdown. Host values only ever appear escaped or in code spans. */
function checkTooltip(
	check: CheckDefinition,
	status: NodeStatus,
	description: string,
	explanation: Explanation | undefined,
	change: CheckChange | undefined,
): string {
	const lines = [`**${escapeMarkdown(check.title)}** — ${statusLabels[status]}`, '', escapeMarkdown(check.verifies)];
	if (change) {
		lines.push('', `*${escapeMarkdown(describeChange(change))}*`);
	}
	if (!explanation) {
		return lines.join('\n');
	}
	for (const failure of explanation.failures) {
		lines.push('', `**${escapeMarkdown(failure.title)}**`, '', escapeMarkdown(failure.cause), '');
		failure.steps.forEach((step, i) => lines.push(`${i + 1}. ${escapeMarkdown(step)}`));
		for (const caveat of failure.caveats) {
			lines.push('', `*Before you do this:* ${escapeMarkdown(caveat)}`);
		}
		if (failure.unverified) {
			lines.push('', `*Not stated by Microsoft:* ${escapeMarkdown(failure.unverified)}`);
		}
		lines.push('', `Source: ${sourceLinks(failure.sources)}`);
	}
	const findings = status === 'fail' || status === 'warning' || status === 'unknown';
	if (findings && explanation.failures.length === 0 && !explanation.error) {
		lines.push('', escapeMarkdown(description));
	}
	for (const note of explanation.notes) {
		lines.push('', `*Note:* ${escapeMarkdown(note.text)}${note.unverified ? ` (not stated by Microsoft: ${escapeMarkdown(note.unverified)})` : ''}`);
	}
	if (explanation.error) {
		lines.push('', `Could not check: ${codeSpan(explanation.error.message)}`, '', `Next step: ${escapeMarkdown(explanation.error.nextStep)}`);
	}
	if (explanation.evidence.length > 0) {
		lines.push('', 'Evidence:', '');
		for (const line of explanation.evidence) {
			lines.push(`- ${escapeMarkdown(line.label)}: ${codeSpan(line.value)}`);
		}
	}
	if (explanation.manualSteps.length > 0) {
		lines.push('', ...explanation.manualSteps.map((s) => `- ${escapeMarkdown(s)}`));
	}
	return lines.join('\n');
}

export function buildCheckNode(check: CheckDefinition, state: TreeState): CheckNodeModel {
	const result = state.results.get(check.id);
	const status: NodeStatus = state.running.has(check.id) ? 'running' : (result?.status ?? 'notRun');
	// A check that needs Administrator rights and could not answer in a filtered (UAC) session says so first: the
	// next step is the elevated run, not the error text.
	const needsElevation = status === 'unknown' && check.needsElevation && state.elevated === false;
	const summary = needsElevation ? `Needs elevation · ${describeCheck(check, status, result)}` : describeCheck(check, status, result);
	const explanation = result && status !== 'running' ? explain(check, result, state.results) : undefined;
	const change = status === 'running' ? undefined : state.changes?.get(check.id);
	// The mark comes first and short, so it is seen in a narrow sidebar; the tooltip says since when.
	const description = change ? `${changeLabels[change.kind]} · ${summary}` : summary;
	return {
		kind: 'check',
		id: check.id,
		categoryId: check.category,
		label: check.title,
		status,
		description,
		tooltip: checkTooltip(check, status, summary, explanation, change),
		accessibilityLabel: `${check.title}, ${statusLabels[status]}: ${change ? `${describeChange(change)}. ` : ''}${summary}`,
		failureIds: status === 'running' ? [] : (result?.failureIds ?? []),
		...(change ? { change } : {}),
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

export interface ServerNodeModel {
	readonly kind: 'server';
	/** The server as it was given (the result file's name for it): host text. */
	readonly id: string;
	readonly label: string;
	readonly status: NodeStatus;
	readonly description: string;
	/** Markdown; host text escaped. Why a server without a result has none, and the next step. */
	readonly tooltip: string;
	readonly accessibilityLabel: string;
	readonly expanded: boolean;
	readonly children: readonly CategoryNodeModel[];
}

/**
 * The tree after a run on several servers: a row per server (its counts, or why it has no result) over that server's
 * categories and checks. A server that sent no result, or whose run failed there, has no children and shows as
 * "could not check" with the reason; a server with a failed or unknown check opens by itself, as a category does.
 */
export function buildServerTree(servers: readonly ServerEntry[], categories: readonly Category[], checks: readonly CheckDefinition[]): ServerNodeModel[] {
	return servers.map((entry) => {
		const label = serverLabel(entry);
		const description = describeServer(entry);
		const problem = serverProblem(entry);
		if (problem || entry.result === null) {
			const { why, next } = problem ?? { why: 'It sent no result.', next: '' };
			return {
				kind: 'server' as const,
				id: entry.server,
				label,
				status: 'unknown' as const,
				description,
				tooltip: `**${escapeMarkdown(label)}**: ${escapeMarkdown(description)}\n\n${escapeMarkdown(why)}${next ? `\n\n**Next step:** ${escapeMarkdown(next)}` : ''}`,
				accessibilityLabel: `${label}: ${description}. ${why}${next ? ` Next step: ${next}` : ''}`,
				expanded: false,
				children: [],
			};
		}
		const result = entry.result;
		const children = buildTree(categories, checks, { results: new Map(result.checks.map((c) => [c.id, c])), running: new Set(), elevated: result.host.isElevated });
		const status = worstStatus(children.map((c) => c.status));
		return {
			kind: 'server' as const,
			id: entry.server,
			label,
			status,
			description,
			tooltip: `**${escapeMarkdown(label)}**: ${escapeMarkdown(description)}\n\nRun at ${escapeMarkdown(result.finishedAt)} over ${entry.transport}, PowerShell ${escapeMarkdown(result.host.psVersion)}.`,
			accessibilityLabel: `${label}: ${description}`,
			expanded: status === 'fail' || status === 'unknown',
			children,
		};
	});
}
