/**
 * The HTML of the Explain an Error panel: a text box for what the admin saw, and, once explained, the known messages
 * found in it, their possible causes (most likely first) and the checks that tell those causes apart, with one button
 * that runs exactly those checks. The words come from ../checks/explainMessage and the catalogue.
 *
 * Security as in panelHtml: the pasted text is host text (it may hold anything) and is only ever escaped text, here
 * the content of the text box and the excerpts. No button carries it: "Run These Checks" sends no data at all, and the
 * extension runs the checks of the explanation it rendered.
 *
 * Pure: no `vscode` import, no I/O.
 */
import { findCheck } from '../checks/catalogue';
import type { MessageExplanation, MessageMatch, RankedCause } from '../checks/explainMessage';
import type { CheckDefinition } from '../checks/types';
import { documentHtml, el, elementId, hostText, placeWords, sourceList, statusBadge, type Child, type Markup, type PanelAssets } from './panelHtml';
import type { NodeStatus } from './treeModel';

export interface ExplainPanelInput {
	readonly assets: PanelAssets;
	/** The text that was explained (shown again in the text box); '' before the first explanation. */
	readonly text: string;
	/** explainMessage(text), once the admin pressed Explain. */
	readonly explanation?: MessageExplanation;
	/** The latest status of each check (the store's results), so the panel says what this server already showed. */
	readonly statuses: ReadonlyMap<string, NodeStatus>;
	/** How many messages the catalogue knows; said when nothing matched. */
	readonly knownMessages: number;
	/** When the tree shows an opened report, nothing can run: the buttons that would run checks are left out. */
	readonly readOnly?: boolean;
}

/** The longest excerpt shown for one match; a pasted log line can be long, the whole text is in the box above. */
const maxExcerptLength = 400;

function excerpt(match: MessageMatch): string {
	return match.excerpt.length > maxExcerptLength ? `${match.excerpt.slice(0, maxExcerptLength)}…` : match.excerpt;
}

function matchItem(match: MessageMatch): Markup {
	const message = match.message;
	return el(
		'li',
		{ class: 'match' },
		el('blockquote', {}, el('p', {}, message.text)),
		el('p', { class: 'found-at' }, match.line !== undefined ? `Found on line ${match.line}: ` : 'Found in the text: ', hostText(excerpt(match))),
		el('p', { class: 'seen-in' }, 'Seen in ', message.seenIn.map((place) => placeWords[place]).join(', '), '.'),
		message.note ? el('p', {}, message.note) : undefined,
		sourceList(message.sources, 'Documentation of this message'),
	);
}

function statusOf(statuses: ReadonlyMap<string, NodeStatus>, checkId: string): NodeStatus {
	return statuses.get(checkId) ?? 'notRun';
}

function causeItem(cause: RankedCause, check: CheckDefinition | undefined, statuses: ReadonlyMap<string, NodeStatus>): Markup {
	const status = statusOf(statuses, cause.checkId);
	// The latest result says whether this cause is present: the check found it, found something else, or has not run.
	const found = status === 'fail' || status === 'warning';
	const ruledOut = status === 'pass' || status === 'notApplicable';
	return el(
		'li',
		{ class: 'cause', 'data-failure-id': cause.failureId },
		el('strong', {}, cause.failureTitle),
		cause.when ? el('p', { class: 'when' }, 'It explains the message when ', cause.when, '.') : undefined,
		el('p', {}, 'Told by the check ', el('em', {}, check?.title ?? cause.checkId), ': ', statusBadge(status)),
		found ? el('p', { class: 'verdict' }, 'The latest run found a problem in this check: its details have the steps.') : undefined,
		ruledOut
			? el('p', { class: 'verdict' }, status === 'pass' ? 'The latest run passed this check, so this cause is unlikely on that server.' : 'This check does not apply on that server, so this cause is unlikely there.')
			: undefined,
	);
}

function checkItem(checkId: string, statuses: ReadonlyMap<string, NodeStatus>): Markup {
	const check = findCheck(checkId);
	const title = check?.title ?? checkId;
	return el(
		'li',
		{ class: 'check' },
		statusBadge(statusOf(statuses, checkId)),
		' ',
		el('strong', {}, title),
		check ? [' ', el('vscode-button', { secondary: true, 'data-action': 'showCheck', 'data-check-id': checkId, 'aria-label': `Show the details of '${title}'` }, 'Details')] : undefined,
	);
}

function matchedSections(explanation: MessageExplanation, input: ExplainPanelInput): Child[] {
	const checkCount = explanation.checks.length;
	return [
		el(
			'section',
			{ 'aria-labelledby': 'messages' },
			el('h2', { id: 'messages' }, `Known messages in the text (${explanation.matches.length})`),
			el('ul', { class: 'messages' }, explanation.matches.map(matchItem)),
		),
		el(
			'section',
			{ 'aria-labelledby': 'causes' },
			el('h2', { id: 'causes' }, `Possible causes, most likely first (${explanation.causes.length})`),
			explanation.causes.length === 0
				? el('p', {}, 'The catalogue names no cause for these messages yet; their documentation is linked above.')
				: el('ol', { class: 'causes' }, explanation.causes.map((cause) => causeItem(cause, findCheck(cause.checkId), input.statuses))),
		),
		checkCount > 0 &&
			el(
				'section',
				{ 'aria-labelledby': 'telling-apart' },
				el('h2', { id: 'telling-apart' }, `Checks that tell them apart (${checkCount})`),
				el('ul', { class: 'checks' }, explanation.checks.map((id) => checkItem(id, input.statuses))),
				input.readOnly
					? el('p', {}, 'The tree shows an opened report: run the diagnosis on the agent server to run these checks there.')
					: el(
							'vscode-button',
							{ icon: 'play', 'data-action': 'runExplained', 'aria-label': `Run the ${checkCount} checks that tell these causes apart` },
							checkCount === 1 ? 'Run This Check' : `Run These ${checkCount} Checks`,
						),
			),
	];
}

function unmatchedSection(input: ExplainPanelInput): Markup {
	return el(
		'section',
		{ 'aria-labelledby': 'no-match' },
		el('h2', { id: 'no-match' }, 'No known message in this text'),
		el(
			'p',
			{},
			`None of the ${input.knownMessages} messages the catalogue knows (from the wizard, the installer, the service, the event log and the agent's logs, as Microsoft's troubleshooting pages give them) is in this text. `,
			'Paste the whole dialog or log line if it was cut, or run the full diagnosis: it checks every prerequisite, whatever the message was.',
		),
		input.readOnly
			? undefined
			: el('vscode-button', { icon: 'play', 'data-action': 'runDiagnosis', 'aria-label': 'Run the full diagnosis' }, 'Run Full Diagnosis'),
	);
}

export function renderExplainPanel(input: ExplainPanelInput): string {
	const explanation = input.explanation;
	const body: Child[] = [
		el(
			'header',
			{},
			el('h1', { id: 'page-title' }, 'Explain an Error'),
			el(
				'p',
				{ id: elementId('explain', 'help') },
				"Paste what you saw: the wizard's or the installer's dialog, lines of a log, an event message or a PowerShell error. ",
				'The known messages in it are listed with their possible causes and the checks that tell those causes apart.',
			),
			el('label', { for: 'explain-text' }, 'Error text'),
			el('textarea', { id: 'explain-text', rows: '8', spellcheck: 'false', 'aria-describedby': elementId('explain', 'help') }, input.text),
			el('div', { class: 'actions' }, el('vscode-button', { icon: 'search', 'data-action': 'explain', 'aria-label': 'Explain the text' }, 'Explain')),
		),
		explanation && el('vscode-divider', { role: 'separator' }),
		explanation && (explanation.matched ? matchedSections(explanation, input) : unmatchedSection(input)),
	];
	const title = explanation ? (explanation.matched ? `Explain an Error: ${explanation.matches.length} known message${explanation.matches.length === 1 ? '' : 's'}` : 'Explain an Error: no known message') : 'Explain an Error';
	return documentHtml(input.assets, title, body);
}
