/**
 * The HTML of the failure panel (one check: what was found, the texts users meet, the cause, the steps, the fixes)
 * and of the summary panel (every check, the problems first). The webview glue only hands these strings to a
 * webview; the words come from ../checks/explain, the status labels from ./treeModel.
 *
 * Security: every text reaches the page through `el()`, whose text children pass through the one escaping function,
 * `escapeHtml`. Host text (evidence, error messages, anything filled into a catalogue template) is only ever text:
 * attributes carry fixed words and catalogue ids, never a host value, and no URL is a live link. Documentation links
 * are buttons with a source id; the extension looks the URL up in the catalogue and opens it.
 *
 * Pure: no `vscode` import, no I/O, no randomness (the nonce and the webview URIs are inputs).
 */
import { summarize, type ExplainedFailure, type ExplainedFix, type Explanation } from '../checks/explain';
import type { ResolvedFixParameters } from '../checks/fixParameters';
import { logLinesEvidenceKey, type LogLine } from '../logs/logLines';
import type { CategoryId, CheckDefinition, CheckNote, CheckResult, Fix, Message, MessagePlace, SourceLink } from '../checks/types';
import { buildScriptInvocation, type ScriptArgument } from '../terminal/quoting';
import { statusLabels, type NodeStatus } from './treeModel';

// ---------------------------------------------------------------------------------------------------------------------
// Escaping and markup

const htmlEscapes: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** The one escaping function: text (and attribute values, always double-quoted) can never close or open markup. */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (ch) => htmlEscapes[ch]);
}

const markupBrand: unique symbol = Symbol('markup');

/** Markup built by `el()`. A plain string is never markup: as a child it is escaped. */
export interface Markup {
	readonly [markupBrand]: string;
}

export type Child = Markup | string | undefined | false | readonly Child[];

type Tag =
	| 'html' | 'head' | 'body' | 'meta' | 'title' | 'link' | 'style' | 'script' | 'main' | 'header' | 'section' | 'div' | 'span'
	| 'h1' | 'h2' | 'h3' | 'h4' | 'p' | 'ol' | 'ul' | 'li' | 'dl' | 'dt' | 'dd' | 'code' | 'pre' | 'blockquote' | 'strong' | 'em'
	| 'textarea' | 'label' | 'vscode-button' | 'vscode-badge' | 'vscode-divider';

/** Attribute values are escaped like text; `true` writes a boolean attribute; undefined and false leave it out. */
type Attributes = Readonly<Record<string, string | boolean | undefined>>;

const voidTags: ReadonlySet<Tag> = new Set<Tag>(['meta', 'link']);

function markup(html: string): Markup {
	return { [markupBrand]: html };
}

function isMarkup(child: Child): child is Markup {
	return typeof child === 'object' && child !== null && markupBrand in child;
}

function renderChild(child: Child): string {
	if (child === undefined || child === false) {
		return '';
	}
	if (typeof child === 'string') {
		return escapeHtml(child);
	}
	if (isMarkup(child)) {
		return child[markupBrand];
	}
	return (child as readonly Child[]).map(renderChild).join('');
}

function renderAttributes(attributes: Attributes): string {
	return Object.entries(attributes)
		.filter(([, value]) => value !== undefined && value !== false)
		.map(([name, value]) => {
			// Names are written in this file; the check stops a typo from producing broken markup.
			if (!/^[a-z][a-z0-9-]*$/.test(name)) {
				throw new Error(`Not an attribute name: ${name}`);
			}
			return value === true ? ` ${name}` : ` ${name}="${escapeHtml(value as string)}"`;
		})
		.join('');
}

export function el(tag: Tag, attributes: Attributes, ...children: Child[]): Markup {
	const open = `<${tag}${renderAttributes(attributes)}>`;
	return markup(voidTags.has(tag) ? open : `${open}${renderChild(children)}</${tag}>`);
}

// ---------------------------------------------------------------------------------------------------------------------
// The document: CSP, assets, nonce

/** What the glue gets from the webview: its CSP source, a fresh nonce and the webview URIs of the media files. */
export interface PanelAssets {
	/** `webview.cspSource`. */
	readonly cspSource: string;
	/** From `makeNonce`, new for every render. */
	readonly nonce: string;
	/** The panel's own script (posts the buttons' messages). */
	readonly scriptUri: string;
	/** The panel's stylesheet. */
	readonly styleUri: string;
	/** `@vscode/codicons` dist/codicon.css. */
	readonly codiconsUri: string;
	/** `@vscode-elements/elements` bundled module. */
	readonly elementsUri: string;
}

/** A nonce from random bytes (the glue passes `crypto.randomBytes(16)`): base64, so it is a valid CSP nonce. */
export function makeNonce(randomBytes: Uint8Array): string {
	// 128 bits is the least the CSP specification recommends for a nonce.
	if (randomBytes.length < 16) {
		throw new Error('A nonce needs at least 16 random bytes.');
	}
	return Buffer.from(randomBytes).toString('base64');
}

/** The page's Content-Security-Policy: nothing loads except the webview's own files and the nonce's scripts and styles. */
export function contentSecurityPolicy(cspSource: string, nonce: string): string {
	// Both are pasted into the policy, so a quote, a semicolon or a comma could widen it: refuse them rather than escape.
	if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) {
		throw new Error('The nonce must be base64 text of at least 16 characters.');
	}
	// VS Code gives one host source (desktop: https://*.vscode-cdn.net); code-server adds 'self' (its webviews are
	// served from its own origin). Only host sources and that one keyword are taken: no 'unsafe-…', no separator.
	const expressions = cspSource.split(' ');
	if (expressions.length === 0 || !expressions.every((e) => e === "'self'" || /^[A-Za-z0-9:/.*+_-]+$/.test(e))) {
		throw new Error('The CSP source must be host sources or \'self\' (webview.cspSource).');
	}
	return [
		"default-src 'none'",
		`style-src ${cspSource} 'nonce-${nonce}'`,
		`script-src 'nonce-${nonce}'`,
		`font-src ${cspSource}`,
		`img-src ${cspSource}`,
	].join('; ');
}

/** A webview URI of one of our media files; anything else (a javascript: or data: URL) is a bug in the glue. */
function assetUri(uri: string): string {
	if (!/^(https|vscode-resource|vscode-webview-resource):/i.test(uri)) {
		throw new Error(`Not a webview resource URI: ${uri}`);
	}
	return uri;
}

/**
 * The only inline style: layout that must hold before the stylesheet loads (host text keeps its line breaks and
 * wraps). Colours and fonts are the theme's variables, so the page follows light, dark and high-contrast themes.
 */
const inlineStyle = markup(
	[
		'body { color: var(--vscode-foreground); background-color: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }',
		'code, pre { font-family: var(--vscode-editor-font-family); }',
		'pre.snippet { background-color: var(--vscode-textCodeBlock-background); white-space: pre-wrap; overflow-wrap: anywhere; }',
		'code.host-text { white-space: pre-wrap; overflow-wrap: anywhere; }',
	].join('\n'),
);

export function documentHtml(assets: PanelAssets, title: string, body: readonly Child[], checkId?: string): string {
	const nonce = assets.nonce;
	const head = el(
		'head',
		{},
		// The policy comes first: a meta policy governs only what follows it.
		el('meta', { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy(assets.cspSource, nonce) }),
		el('meta', { charset: 'utf-8' }),
		el('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
		el('title', {}, title),
		// vscode-elements finds the codicon font by this id.
		el('link', { rel: 'stylesheet', href: assetUri(assets.codiconsUri), id: 'vscode-codicon-stylesheet', nonce }),
		el('link', { rel: 'stylesheet', href: assetUri(assets.styleUri), nonce }),
		el('style', { nonce }, inlineStyle),
		el('script', { type: 'module', nonce, src: assetUri(assets.elementsUri) }),
		el('script', { type: 'module', nonce, src: assetUri(assets.scriptUri) }),
	);
	return `<!DOCTYPE html>\n${renderChild(el('html', { lang: 'en' }, head, el('body', {}, el('main', { 'aria-labelledby': 'page-title', 'data-check-id': checkId }, body))))}\n`;
}

// ---------------------------------------------------------------------------------------------------------------------
// Pieces both panels use

/** The codicon of each status, the same icons as the tree (checksTreeProvider.ts). */
export const statusIcons: Readonly<Record<NodeStatus, string>> = {
	pass: 'pass',
	fail: 'error',
	warning: 'warning',
	unknown: 'question',
	manual: 'person',
	notApplicable: 'circle-slash',
	running: 'loading',
	notRun: 'circle-large-outline',
};

export function statusBadge(status: NodeStatus): Markup {
	// The icon is decoration; the label says the status in words.
	return el(
		'span',
		{ class: `status status-${status}` },
		el('span', { class: `codicon codicon-${statusIcons[status]}`, 'aria-hidden': 'true' }),
		' ',
		el('vscode-badge', { variant: 'default' }, statusLabels[status]),
	);
}

/** Host text shown literally (evidence, error messages): escaped like all text, and kept on its own lines. */
export function hostText(text: string): Markup {
	return el('code', { class: 'host-text' }, text);
}

function sourceButton(source: SourceLink): Markup {
	const owner = source.publisher === 'microsoft' ? 'Microsoft documentation' : 'not a Microsoft page';
	return el(
		'li',
		{},
		el(
			'vscode-button',
			{ secondary: true, icon: 'link-external', 'data-action': 'openLink', 'data-source-id': source.id, 'aria-label': `Open '${source.title}' (${owner}) in the browser` },
			source.title,
		),
		source.publisher === 'microsoft' ? undefined : el('span', { class: 'publisher' }, ' (not a Microsoft page)'),
		source.msDate ? el('span', { class: 'source-date' }, ` (dated ${source.msDate})`) : undefined,
	);
}

export function sourceList(sources: readonly SourceLink[], label: string): Child {
	return sources.length === 0 ? undefined : el('ul', { class: 'sources', 'aria-label': label }, sources.map(sourceButton));
}

function unverifiedNote(unverified: string | undefined): Child {
	return unverified ? el('p', { class: 'unverified' }, el('strong', {}, 'Not stated by Microsoft: '), unverified) : undefined;
}

// ---------------------------------------------------------------------------------------------------------------------
// Fix commands

/** The command line of a fix: what "Run in Terminal" sends and "Copy" copies, with the parameters from the evidence. */
export interface FixCommand {
	readonly commandLine: string;
	/** The arguments of `commandLine`, for the elevated form (buildElevatedInvocation) of the same command. */
	readonly args: ReadonlyArray<readonly [string, ScriptArgument]>;
	/** Required parameters without a usable value: the fix cannot run until the admin gives them. */
	readonly missing: readonly string[];
	readonly ready: boolean;
}

/**
 * A resolved value as a script argument, or undefined when the quoting module would refuse it (text it cannot carry
 * faithfully, a number that is not a whole one) or cannot pass it as the type the script expects (a boolean: it has
 * no switch syntax). The quoting module's own rules decide, so they are not repeated here.
 */
function toScriptArgument(name: string, value: string | number | boolean): ScriptArgument | undefined {
	if (typeof value === 'boolean') {
		return undefined;
	}
	// The terminal receives the line as keystrokes: a control character (Ctrl+C, ESC, a line break) would edit or
	// end the line in PSReadLine although the parser reads the quoted text right. Such a value is given by hand.
	// eslint-disable-next-line no-control-regex
	if (typeof value === 'string' && /[\u0000-\u001f\u007f-\u009f]/.test(value)) {
		return undefined;
	}
	try {
		// Stryker disable next-line StringLiteral: a placeholder path; only the value is judged, and any path but '--%' (an empty one too) is quoted alike.
		buildScriptInvocation('fix.ps1', [[name, value]]);
		return value;
	} catch {
		return undefined;
	}
}

/**
 * `& '<script>' -Name:'value' …` through the one quoting module. The glue should send exactly this string, so what
 * the panel shows is what runs. `scriptPath` is where the fix's .ps1 is on the machine of the terminal.
 */
export function buildFixCommand(fix: Fix, parameters: ResolvedFixParameters, scriptPath: string): FixCommand {
	const args: Array<[string, ScriptArgument]> = [];
	const missing = [...parameters.missing];
	for (const parameter of fix.parameters) {
		const value = Object.prototype.hasOwnProperty.call(parameters.values, parameter.name) ? parameters.values[parameter.name] : undefined;
		const argument = value === undefined ? undefined : toScriptArgument(parameter.name, value);
		if (argument !== undefined) {
			args.push([parameter.name, argument]);
		} else if (value !== undefined && parameter.required) {
			missing.push(parameter.name);
		}
	}
	return { commandLine: buildScriptInvocation(scriptPath, args), args, missing, ready: missing.length === 0 };
}

// ---------------------------------------------------------------------------------------------------------------------
// The failure panel

export interface FailurePanelInput {
	readonly assets: PanelAssets;
	/** `explain(check, result, allResults)`: the words, with the host's values filled in. */
	readonly explanation: Explanation;
	/** Fix id → the path of its script on the terminal's machine (dist/powershell/catalogue/<fix.script>). */
	readonly fixScriptPaths: ReadonlyMap<string, string>;
	/** The server the result came from (DiagnosisResult.host.computerName); host text. */
	readonly computerName?: string;
	/** "Fixed since the run at 14:05" and the like (runChanges.describeChange), when the check changed. */
	readonly change?: string;
	/**
	 * Set when the result is an opened report (the sentence that says whose and from when): nothing can run from the
	 * page, so the re-run and fix buttons are left out; the fixes' commands are still shown to read.
	 */
	readonly readOnly?: string;
	/** The log lines the result points at (logLinesOf its evidence), each with a button that opens it in the editor. */
	readonly logLines?: readonly LogLine[];
}

export const placeWords: Readonly<Record<MessagePlace, string>> = {
	wizard: 'the agent configuration wizard',
	'installer-dialog': "the installer's error dialog",
	'bundle-log': "the installer's bundle log",
	'msi-log': 'the MSI log',
	'trace-log': "the agent's trace log",
	'system-event-log': 'the System event log',
	'netlogon-event-log': 'the System event log (Netlogon)',
	portal: 'the Microsoft Entra admin center',
	powershell: 'PowerShell output',
};

/** Ids of elements the page refers to (aria-labelledby, aria-describedby); catalogue ids, unique on the page. */
export function elementId(...parts: string[]): string {
	return parts.join('--');
}

/** `shownApart`: evidence keys the page shows in a section of their own (the log lines), left out of the list. */
function evidenceList(explanation: Explanation, shownApart: readonly string[]): Child {
	if (explanation.evidence.length === 0) {
		return el('p', {}, 'The probe reported no evidence.');
	}
	return el(
		'dl',
		{ class: 'evidence' },
		explanation.evidence.filter((line) => !shownApart.includes(line.key)).map((line) => [el('dt', {}, line.label), el('dd', {}, hostText(line.value))]),
	);
}

function foundSection(explanation: Explanation, computerName: string | undefined, shownApart: readonly string[] = []): Markup {
	const error = explanation.error;
	return el(
		'section',
		{ 'aria-labelledby': 'found' },
		el('h2', { id: 'found' }, computerName ? ['What was found on ', computerName] : 'What was found on this server'),
		el('p', { class: 'summary' }, explanation.summary),
		error && [
			el('p', {}, el('strong', {}, 'Could not check: '), hostText(error.message)),
			el('p', {}, el('strong', {}, 'Next step: '), error.nextStep),
		],
		explanation.unknownFailureIds.length > 0 &&
			el(
				'p',
				{},
				'The probe reported findings this version of the extension does not know: ',
				explanation.unknownFailureIds.map((id, i) => [i > 0 ? ', ' : '', hostText(id)]),
			),
		evidenceList(explanation, shownApart),
	);
}

function messageBlock(message: Message, failureId: string): Markup {
	const when = message.causes.find((c) => c.failure === failureId)?.when;
	return el(
		'li',
		{},
		el('blockquote', {}, el('p', {}, message.text)),
		el('p', { class: 'seen-in' }, 'Seen in ', message.seenIn.map((place) => placeWords[place]).join(', '), '.'),
		when ? el('p', { class: 'when' }, 'This failure explains it when ', when, '.') : undefined,
		unverifiedNote(message.unverified),
	);
}

function fixParameterList(fix: Fix, command: FixCommand, parameters: ResolvedFixParameters): Child {
	if (fix.parameters.length === 0) {
		return undefined;
	}
	return el(
		'dl',
		{ class: 'parameters' },
		fix.parameters.map((parameter) => {
			// Only what the command passes is shown as its value, so the list and the command always agree.
			const passed = command.args.find(([name]) => name === parameter.name);
			const found = Object.prototype.hasOwnProperty.call(parameters.values, parameter.name);
			const unusable = passed === undefined && found ? 'This diagnosis found a value the command cannot carry (a control character or line break, or not text); give it by hand. ' : undefined;
			return [
				el('dt', {}, el('code', {}, `-${parameter.name}`)),
				el(
					'dd',
					{},
					passed === undefined
						? el('em', {}, unusable ?? (parameter.required ? 'Needs a value. ' : 'Not given. '))
						: [hostText(String(passed[1])), parameter.from ? ' (from this diagnosis). ' : '. '],
					parameter.description,
				),
			];
		}),
	);
}

function fixBlock(checkId: string, failureId: string, explained: ExplainedFix, scriptPath: string | undefined, readOnly: boolean): Markup {
	const fix = explained.fix;
	const headingId = elementId('fix', failureId, fix.id);
	const about = [
		el('h4', { id: headingId }, fix.title),
		el('p', {}, el('strong', {}, fix.changesSystem ? 'Changes this system: ' : 'Read-only: '), fix.effect),
		fix.runOn ? el('p', {}, el('strong', {}, 'Run it on: '), fix.runOn) : undefined,
		fix.caveat ? el('p', { class: 'caveat' }, el('strong', {}, 'Before you run it: '), fix.caveat) : undefined,
	];
	if (scriptPath === undefined) {
		// Without the script's path there is no command to show, run or copy; say so rather than drop the fix.
		return el('section', { class: 'fix', 'aria-labelledby': headingId }, about, el('p', {}, 'The script of this fix is not available.'), sourceList(fix.sources, `Documentation of fix '${fix.title}'`));
	}
	const command = buildFixCommand(fix, explained.parameters, scriptPath);
	const missingId = elementId('missing', failureId, fix.id);
	return el(
		'section',
		{ class: 'fix', 'aria-labelledby': headingId },
		about,
		fixParameterList(fix, command, explained.parameters),
		el('pre', { class: 'snippet' }, el('code', {}, command.commandLine)),
		command.ready
			? undefined
			: el('p', { id: missingId, class: 'missing' }, 'Give a value to ', command.missing.map((name) => `-${name}`).join(', '), ' before it can run: copy the command and complete it.'),
		readOnly
			? el('p', { class: 'read-only' }, 'From an opened report: run the diagnosis on that server and use this fix from its panel there.')
			: el(
				'div',
				{ class: 'actions' },
				el(
					'vscode-button',
					{
						icon: 'terminal',
						'data-action': 'runFix',
						'data-check-id': checkId,
						'data-fix-id': fix.id,
						'aria-label': `Run fix '${fix.title}' in the terminal`,
						'aria-describedby': command.ready ? undefined : missingId,
						disabled: !command.ready,
					},
					'Run in Terminal',
				),
				' ',
				el(
					'vscode-button',
					{ secondary: true, icon: 'copy', 'data-action': 'copy', 'data-check-id': checkId, 'data-fix-id': fix.id, 'aria-label': `Copy the command of fix '${fix.title}'` },
					'Copy',
				),
			),
		sourceList(fix.sources, `Documentation of fix '${fix.title}'`),
	);
}

function failureSection(checkId: string, failure: ExplainedFailure, fixScriptPaths: ReadonlyMap<string, string>, readOnly: boolean): Markup {
	const headingId = elementId('failure', failure.id);
	return el(
		'section',
		{ class: 'failure', 'aria-labelledby': headingId },
		el('h2', { id: headingId }, failure.title, ' ', statusBadge(failure.severity)),
		failure.messages.length > 0 && [el('h3', {}, 'What you see'), el('ul', { class: 'messages' }, failure.messages.map((m) => messageBlock(m, failure.id)))],
		el('h3', {}, 'Why it happens'),
		el('p', {}, failure.cause),
		unverifiedNote(failure.unverified),
		failure.caveats.length > 0 && [el('h3', {}, 'Before you start'), el('ul', {}, failure.caveats.map((c) => el('li', {}, c)))],
		el('h3', {}, 'How to fix it'),
		el('ol', { class: 'steps' }, failure.steps.map((step) => el('li', {}, step))),
		sourceList(failure.sources, `Documentation of '${failure.title}'`),
		failure.fixes.length > 0 && [
			el('h3', {}, 'Fix scripts'),
			failure.fixes.map((f) => fixBlock(checkId, failure.id, f, fixScriptPaths.get(f.fix.id), readOnly)),
		],
	);
}

function noteItem(note: CheckNote): Markup {
	return el('li', {}, el('p', {}, note.text), unverifiedNote(note.unverified), sourceList(note.sources, 'Documentation of this note'));
}

/** The last part of a Windows or POSIX path: the file name, which says which log it is. */
function fileName(path: string): string {
	return path.slice(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1);
}

/**
 * The lines of the agent's logs the result names, newest first. An opened report's paths are another machine's, so
 * its page shows the lines without the button.
 */
function logLinesSection(checkId: string, lines: readonly LogLine[], readOnly: boolean): Child {
	if (lines.length === 0) {
		return undefined;
	}
	return el(
		'section',
		{ 'aria-labelledby': 'log-lines' },
		el('h2', { id: 'log-lines' }, 'Lines in the logs'),
		el(
			'ol',
			{ class: 'log-lines' },
			lines.map((line, i) =>
				el(
					'li',
					{},
					el('p', { class: 'log-line' }, hostText(line.text)),
					el('p', { class: 'log-place' }, hostText(line.lineNumber === undefined ? `${line.file} (near its end)` : `${line.file}, line ${line.lineNumber}`)),
					!readOnly &&
						el(
							'vscode-button',
							{ secondary: true, icon: 'go-to-file', 'data-action': 'openLogLine', 'data-check-id': checkId, 'data-line': String(i), 'aria-label': `Open ${fileName(line.file)} at this line` },
							'Open in Editor',
						),
				),
			),
		),
	);
}

export function renderFailurePanel(input: FailurePanelInput): string {
	const e = input.explanation;
	const body: Child[] = [
		el(
			'header',
			{},
			el('h1', { id: 'page-title' }, e.title),
			statusBadge(e.status),
			input.change ? el('p', { class: 'change' }, el('strong', {}, input.change)) : undefined,
			el('p', { class: 'verifies' }, e.verifies),
			input.readOnly
				? el('p', { class: 'read-only' }, el('strong', {}, input.readOnly))
				: el('vscode-button', { icon: 'refresh', 'data-action': 'rerun', 'data-check-id': e.checkId, 'aria-label': `Run the check '${e.title}' again` }, 'Re-run check'),
		),
		el('vscode-divider', { role: 'separator' }),
		foundSection(e, input.computerName, input.logLines && input.logLines.length > 0 ? [logLinesEvidenceKey] : []),
		logLinesSection(e.checkId, input.logLines ?? [], input.readOnly !== undefined),
		e.failures.map((f) => failureSection(e.checkId, f, input.fixScriptPaths, input.readOnly !== undefined)),
		e.manualSteps.length > 0 &&
			el('section', { 'aria-labelledby': 'manual' }, el('h2', { id: 'manual' }, 'Confirm manually'), el('ol', { class: 'steps' }, e.manualSteps.map((s) => el('li', {}, s)))),
		e.notes.length > 0 && el('section', { 'aria-labelledby': 'notes' }, el('h2', { id: 'notes' }, 'Notes'), el('ul', {}, e.notes.map(noteItem))),
		e.sources.length > 0 && el('section', { 'aria-labelledby': 'documentation' }, el('h2', { id: 'documentation' }, 'Documentation'), sourceList(e.sources, `Documentation of '${e.title}'`)),
	];
	return documentHtml(input.assets, `${e.title}: ${statusLabels[e.status]}`, body, e.checkId);
}

/** A check's panel before it has a result (a panel restored after a reload, before the next run). */
export function renderNotRunPanel(assets: PanelAssets, check: CheckDefinition): string {
	const body: Child[] = [
		el(
			'header',
			{},
			el('h1', { id: 'page-title' }, check.title),
			statusBadge('notRun'),
			el('p', { class: 'verifies' }, check.verifies),
			el('vscode-button', { icon: 'refresh', 'data-action': 'rerun', 'data-check-id': check.id, 'aria-label': `Run the check '${check.title}'` }, 'Run check'),
		),
		el('p', {}, 'There is no result for this check in this window yet. Run it, or run the whole diagnosis, to see what it finds on this server.'),
	];
	return documentHtml(assets, `${check.title}: ${statusLabels.notRun}`, body, check.id);
}

// ---------------------------------------------------------------------------------------------------------------------
// The summary panel

/**
 * Order of statuses in the summary: failures first, then warnings (known findings with steps), then checks that
 * could not give an answer (their only step is usually "run again elevated"), then what needs the admin (manual),
 * then the rest. This differs from the tree's attention rank, which puts "could not check" above warnings to colour
 * a category: here the order is what to work on first.
 */
export const summaryStatusOrder: readonly NodeStatus[] = ['fail', 'warning', 'unknown', 'manual', 'notRun', 'pass', 'notApplicable'];

/**
 * How much a category's problems block the install, most first: the order an admin must fix things in.
 * - permissions: without an elevated session and an admin account nothing else can be installed, or even read reliably;
 * - server: the OS, .NET, TLS 1.2 and domain join decide whether the installer runs at all;
 * - domain: the wizard needs a reachable domain controller and a schema that can hold the gMSA;
 * - gmsa: the wizard creates the gMSA from the KDS root key;
 * - service: the service needs its logon right to start once installed;
 * - eventlog, installer: logs and events are symptoms; their causes are in the categories above, so fixing those
 *   often clears them;
 * - network: the outbound endpoints matter last, when the agent registers with the tenant.
 * It equals the catalogue's category order today; it is written out so a reordering of the tree does not silently
 * change what the summary tells the admin to do first.
 */
export const installBlockingRank: Readonly<Record<CategoryId, number>> = {
	permissions: 0,
	server: 1,
	domain: 2,
	gmsa: 3,
	service: 4,
	eventlog: 5,
	installer: 6,
	network: 7,
};

export interface SummaryRow {
	readonly check: CheckDefinition;
	readonly status: NodeStatus;
	/** One line, as in the tree; may hold host text. */
	readonly summary: string;
	/** "Fixed since the run at 14:05" and the like, when the check changed since the previous run. */
	readonly change?: string;
}

/** Orders the summary: by status (summaryStatusOrder), then by installBlockingRank, then in catalogue order. */
export function orderSummaryRows(
	checks: readonly CheckDefinition[],
	results: ReadonlyMap<string, CheckResult>,
	changes?: ReadonlyMap<string, string>,
): SummaryRow[] {
	const rows = checks.map((check, index) => {
		const result = results.get(check.id);
		const status: NodeStatus = result?.status ?? 'notRun';
		const change = changes?.get(check.id);
		const row: SummaryRow = { check, status, summary: result ? summarize(check, result) : 'Not run yet', ...(change ? { change } : {}) };
		return { index, row };
	});
	return rows
		.sort(
			(a, b) =>
				summaryStatusOrder.indexOf(a.row.status) - summaryStatusOrder.indexOf(b.row.status) ||
				installBlockingRank[a.row.check.category] - installBlockingRank[b.row.check.category] ||
				a.index - b.index,
		)
		.map((r) => r.row);
}

export interface SummaryPanelInput {
	readonly assets: PanelAssets;
	/** The catalogue's checks (catalogue.checks), or the ones that ran. */
	readonly checks: readonly CheckDefinition[];
	readonly categories: readonly { readonly id: CategoryId; readonly title: string }[];
	/** The latest result of each check, by check id. */
	readonly results: ReadonlyMap<string, CheckResult>;
	/** The server the results came from; host text. */
	readonly computerName?: string;
	/** Check id → "Fixed since the run at 14:05" and the like (runChanges.describeChange). */
	readonly changes?: ReadonlyMap<string, string>;
	/** Set when the results are an opened report: the sentence that says whose and from when. */
	readonly readOnly?: string;
}

function countsList(rows: readonly SummaryRow[]): Markup {
	return el(
		'ul',
		{ class: 'counts', 'aria-label': 'Checks by status' },
		summaryStatusOrder.map((status) => {
			const n = rows.filter((r) => r.status === status).length;
			return n === 0 ? undefined : el('li', {}, statusBadge(status), ' ', String(n));
		}),
	);
}

function summaryRow(row: SummaryRow, categoryTitle: string): Markup {
	return el(
		'li',
		{ class: `check status-${row.status}` },
		el('span', { class: `codicon codicon-${statusIcons[row.status]}`, 'aria-hidden': 'true' }),
		' ',
		el('strong', {}, row.check.title),
		el('span', { class: 'category' }, ` (${categoryTitle})`),
		': ',
		el('span', { class: 'summary' }, row.summary),
		row.change ? [' ', el('em', { class: 'change' }, `(${row.change})`)] : undefined,
		' ',
		el(
			'vscode-button',
			{ secondary: true, 'data-action': 'showCheck', 'data-check-id': row.check.id, 'aria-label': `Show the details of '${row.check.title}'` },
			'Details',
		),
	);
}

/** The summary's way into Explain an Error: the text goes to that panel, which shows what it found. */
function explainBox(): Markup {
	return el(
		'section',
		{ 'aria-labelledby': 'explain' },
		el('h2', { id: 'explain' }, 'Explain an error'),
		el('p', { id: 'explain-help' }, 'Paste a message you saw (a dialog, log lines, an event, a PowerShell error) to see its possible causes and the checks that tell them apart.'),
		el('label', { for: 'explain-text' }, 'Error text'),
		el('textarea', { id: 'explain-text', rows: '4', spellcheck: 'false', 'aria-describedby': 'explain-help' }),
		el('div', { class: 'actions' }, el('vscode-button', { icon: 'search', 'data-action': 'explain', 'aria-label': 'Explain the text' }, 'Explain')),
	);
}

export function renderSummaryPanel(input: SummaryPanelInput): string {
	const rows = orderSummaryRows(input.checks, input.results, input.changes);
	const categoryTitle = (id: CategoryId) => input.categories.find((c) => c.id === id)?.title ?? id;
	const groups = summaryStatusOrder
		.map((status) => ({ status, rows: rows.filter((r) => r.status === status) }))
		.filter((g) => g.rows.length > 0);
	const body: Child[] = [
		el(
			'header',
			{},
			el('h1', { id: 'page-title' }, input.computerName ? ['Provisioning agent prerequisites on ', input.computerName] : 'Provisioning agent prerequisites'),
			input.readOnly ? el('p', { class: 'read-only' }, el('strong', {}, input.readOnly)) : undefined,
			countsList(rows),
		),
		groups.map((group) =>
			el(
				'section',
				{ 'aria-labelledby': elementId('status', group.status) },
				el('h2', { id: elementId('status', group.status) }, `${statusLabels[group.status]} (${group.rows.length})`),
				el('ul', { class: 'checks' }, group.rows.map((row) => summaryRow(row, categoryTitle(row.check.category)))),
			),
		),
		explainBox(),
	];
	return documentHtml(input.assets, 'Provisioning agent prerequisites', body);
}
