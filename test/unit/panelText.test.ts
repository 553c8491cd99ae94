/**
 * What an admin reads and a screen reader announces on the failure panel and the summary panel: the exact words of
 * every section, the class names the stylesheet and the script rely on, the attributes the ARIA references and the
 * buttons carry, and both sides of every condition. The pages are parsed into a small tree so that each assertion
 * names one element, its attributes and its text (unescaped, as the user gets it).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { categories, checks } from '../../src/checks/catalogue';
import { summarize, type ExplainedFailure, type ExplainedFix, type Explanation } from '../../src/checks/explain';
import type { CheckDefinition, CheckResult, Fix, Message, SourceLink } from '../../src/checks/types';
import {
	contentSecurityPolicy,
	documentHtml,
	el,
	makeNonce,
	orderSummaryRows,
	PanelAssets,
	placeWords,
	renderFailurePanel,
	renderNotRunPanel,
	renderSummaryPanel,
	statusBadge,
	statusIcons,
} from '../../src/views/panelHtml';
import type { NodeStatus } from '../../src/views/treeModel';
import { checkResult, repoRoot } from './fixtures';

// ---------------------------------------------------------------------------------------------------------------------
// Inputs (the assets as in panelHtml.test.ts)

const nonce = makeNonce(Uint8Array.from({ length: 16 }, (_, i) => i * 7));
const assets: PanelAssets = {
	cspSource: 'https://*.vscode-cdn.net',
	nonce,
	scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/panel.js',
	styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/panel.css',
	codiconsUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/node_modules/@vscode/codicons/dist/codicon.css',
	elementsUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/node_modules/@vscode-elements/elements/dist/bundled.js',
};

const stylesheet = readFileSync(path.join(repoRoot, 'media/panel.css'), 'utf8');
const panelScript = readFileSync(path.join(repoRoot, 'media/panel.js'), 'utf8');
const codiconCss = readFileSync(path.join(repoRoot, 'node_modules/@vscode/codicons/dist/codicon.css'), 'utf8');

/** The stylesheet styles `.name` (as a class selector, not a prefix of a longer name). */
function styled(className: string): void {
	const escaped = className.replace(/[-]/g, '\\-');
	assert.match(stylesheet, new RegExp(`\\.${escaped}(?![A-Za-z0-9_-])`), `panel.css has no rule for .${className}`);
}

// ---------------------------------------------------------------------------------------------------------------------
// A small tree of the page. Text is unescaped, so assertions compare what the user reads.

interface PageNode {
	readonly name: string;
	readonly attributes: Readonly<Record<string, string | true>>;
	readonly children: Array<PageNode | string>;
}

const voidElements = new Set(['meta', 'link']);

function unescapeHtml(text: string): string {
	return text.replace(/&(amp|lt|gt|quot|#39);/g, (_m, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name]!);
}

function parsePage(html: string): PageNode {
	const root: PageNode = { name: '#root', attributes: {}, children: [] };
	const stack: PageNode[] = [root];
	for (const [token] of html.matchAll(/<[^>]*>|[^<]+/g)) {
		const top = stack[stack.length - 1];
		if (!token.startsWith('<')) {
			top.children.push(unescapeHtml(token));
			continue;
		}
		if (token === '<!DOCTYPE html>') {
			continue;
		}
		const closing = /^<\/([a-z][a-z0-9-]*)>$/.exec(token);
		if (closing) {
			assert.equal(closing[1], top.name, `</${closing[1]}> closes <${top.name}>`);
			assert.equal(voidElements.has(closing[1]), false, `a void element is closed: ${token}`);
			stack.pop();
			continue;
		}
		const open = /^<([a-z][a-z0-9-]*)((?:\s+[a-z][a-z0-9-]*(?:="[^"<>]*")?)*)>$/.exec(token);
		assert.ok(open, `not a well-formed tag: ${token}`);
		const attributes: Record<string, string | true> = {};
		for (const [, name, value] of open[2].matchAll(/([a-z][a-z0-9-]*)(?:="([^"]*)")?/g)) {
			attributes[name] = value === undefined ? true : unescapeHtml(value);
		}
		const node: PageNode = { name: open[1], attributes, children: [] };
		top.children.push(node);
		if (!voidElements.has(node.name)) {
			stack.push(node);
		}
	}
	assert.equal(stack.length, 1, 'every element is closed');
	return root;
}

function textOf(node: PageNode | string): string {
	return typeof node === 'string' ? node : node.children.map(textOf).join('');
}

function findAll(node: PageNode, match: (n: PageNode) => boolean): PageNode[] {
	const found: PageNode[] = [];
	for (const child of node.children) {
		if (typeof child !== 'string') {
			if (match(child)) {
				found.push(child);
			}
			found.push(...findAll(child, match));
		}
	}
	return found;
}

function findOne(node: PageNode, match: (n: PageNode) => boolean, what: string): PageNode {
	const found = findAll(node, match);
	assert.equal(found.length, 1, `exactly one ${what}, found ${found.length}`);
	return found[0];
}

const byId = (node: PageNode, id: string) => findOne(node, (n) => n.attributes.id === id, `#${id}`);
const named = (name: string) => (n: PageNode) => n.name === name;
const withClass = (className: string) => (n: PageNode) => typeof n.attributes.class === 'string' && n.attributes.class.split(' ').includes(className);
const elementChildren = (node: PageNode) => node.children.filter((c): c is PageNode => typeof c !== 'string');

/** The element children as `tag text`, for comparing a section's outline. */
const outline = (node: PageNode) => elementChildren(node).map((c) => `${c.name}: ${textOf(c)}`);

// ---------------------------------------------------------------------------------------------------------------------
// A synthetic explanation that reaches every branch of the failure panel

const msSource: SourceLink = { id: 'ms-doc', title: 'Prerequisites', url: 'https://learn.microsoft.com/x', publisher: 'microsoft', msDate: '2025-03-04' };
const otherSource: SourceLink = { id: 'blog-post', title: 'A blog post', url: 'https://example.org/x', publisher: 'other' };

const fullFix: Fix = {
	id: 'full-fix',
	title: 'Grant the right',
	script: 'fixes/grant.ps1',
	changesSystem: true,
	effect: 'Adds the account to the policy.',
	runOn: 'a domain controller',
	caveat: 'It replaces the GPO setting.',
	parameters: [
		{ name: 'Account', description: 'The account.', required: true, from: { check: 'c', evidence: 'account' } },
		{ name: 'Gpo', description: 'The GPO.', required: false },
		{ name: 'Needed', description: 'A required one.', required: true },
		{ name: 'Extra', description: 'An optional one.', required: false },
		{ name: 'Bad', description: 'A broken one.', required: true, from: { check: 'c', evidence: 'bad' } },
	],
	sources: [otherSource],
};
const readOnlyFix: Fix = { id: 'read-fix', title: 'Show the state', script: 'fixes/show.ps1', changesSystem: false, effect: 'Only reads.', parameters: [], sources: [] };
const scriptlessFix: Fix = { id: 'lost-fix', title: 'Open the console', script: 'fixes/lost.ps1', changesSystem: false, effect: 'Opens it.', parameters: [], sources: [msSource] };

const fullFixExplained: ExplainedFix = {
	fix: fullFix,
	parameters: { values: { Account: 'CONTOSO\\svc', Gpo: 'Server Policy', Bad: 'line\nbreak' }, missing: ['Needed'], ready: false },
};

const seenEverywhere: Message = {
	id: 'm-everywhere',
	text: 'The service <x> did not start.',
	seenIn: ['wizard', 'installer-dialog', 'bundle-log', 'msi-log', 'trace-log', 'system-event-log', 'netlogon-event-log', 'portal', 'powershell'],
	match: {},
	causes: [
		{ failure: 'fail-b', when: 'the other failure applies' },
		{ failure: 'fail-a', when: 'the account lacks the right' },
	],
	examples: [],
	sources: [],
};
const seenInWizard: Message = { id: 'm-wizard', text: 'Wizard says no.', seenIn: ['wizard'], match: {}, causes: [{ failure: 'fail-a' }], examples: [], sources: [], unverified: 'Only seen in one tenant.' };

const failureA: ExplainedFailure = {
	id: 'fail-a',
	title: 'The right is missing',
	severity: 'fail',
	cause: 'The account does not hold the right.',
	steps: ['Open the policy.', 'Add the account.'],
	caveats: ['Back up the GPO.', 'Tell the owner.'],
	unverified: 'Microsoft does not say this.',
	sources: [msSource, otherSource],
	fixes: [fullFixExplained, { fix: readOnlyFix, parameters: { values: {}, missing: [], ready: true } }, { fix: scriptlessFix, parameters: { values: {}, missing: [], ready: true } }],
	messages: [seenEverywhere, seenInWizard],
};
const failureB: ExplainedFailure = {
	id: 'fail-b',
	title: 'A lesser problem',
	severity: 'warning',
	cause: 'Something else.',
	steps: ['Do the other thing.'],
	caveats: [],
	sources: [],
	fixes: [],
	messages: [],
};

const fullExplanation: Explanation = {
	checkId: 'service.logon-right',
	title: 'Log on as a service',
	verifies: 'The account holds the right.',
	status: 'fail',
	summary: 'The right is missing (+1 more)',
	evidence: [
		{ key: 'account', label: 'Service account', value: 'CONTOSO\\svc' },
		{ key: 'gpo', label: 'GPO', value: 'Server <Policy>' },
	],
	notes: [{ text: 'A note for admins.', sources: [otherSource], unverified: 'Note not confirmed.' }],
	failures: [failureA, failureB],
	unknownFailureIds: ['from-newer-1', 'from-newer-2'],
	error: { message: 'Access denied', nextStep: 'Run it elevated.' },
	manualSteps: ['Look at the console.', 'Compare the names.'],
	sources: [msSource],
};

const bareExplanation: Explanation = {
	checkId: 'server.tls12',
	title: 'TLS 1.2',
	verifies: 'TLS 1.2 is on.',
	status: 'pass',
	summary: 'TLS 1.2 is enabled',
	evidence: [],
	notes: [],
	failures: [],
	unknownFailureIds: [],
	manualSteps: [],
	sources: [],
};

const scriptPaths = new Map([
	['full-fix', 'C:\\ext\\fixes\\grant.ps1'],
	['read-fix', 'C:\\ext\\fixes\\show.ps1'],
]);

function failurePage(explanation: Explanation, options: { computerName?: string; change?: string; readOnly?: string } = {}): PageNode {
	return parsePage(renderFailurePanel({ assets, explanation, fixScriptPaths: scriptPaths, ...options }));
}

const fullPage = failurePage(fullExplanation, { computerName: 'AGENT01', change: 'Fixed since the run at 14:05' });
const barePage = failurePage(bareExplanation);

// ---------------------------------------------------------------------------------------------------------------------
// Markup primitives

test('el refuses an attribute name that is not lower-case letters, digits and dashes, anywhere in the name', () => {
	for (const bad of ['Class', 'data-X', 'a"b', 'on click', '1a', '-a', 'xA']) {
		assert.throws(() => el('div', { [bad]: 'v' }), new RegExp(`^Error: Not an attribute name: ${bad.replace(/[.*+?^${}()|[\]\\"]/g, '\\$&')}$`), bad);
	}
	const html = documentHtml(assets, 't', [el('div', { 'data-ok-1': 'v', hidden: true, gone: false, none: undefined }), undefined, false, 'text']);
	assert.ok(html.includes('<main aria-labelledby="page-title"><div data-ok-1="v" hidden></div>text</main>'));
});

test('the head holds the policy, charset, viewport, title, both stylesheets, the inline style and the two module scripts, in that order', () => {
	const html = renderFailurePanel({ assets, explanation: bareExplanation, fixScriptPaths: scriptPaths });
	assert.equal(html.includes('</meta>') || html.includes('</link>'), false, 'meta and link are void elements');
	const head = findOne(parsePage(html), named('head'), 'head');
	assert.deepEqual(
		elementChildren(head).map((c) => [c.name, c.attributes]),
		[
			['meta', { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy(assets.cspSource, nonce) }],
			['meta', { charset: 'utf-8' }],
			['meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }],
			['title', {}],
			['link', { rel: 'stylesheet', href: assets.codiconsUri, id: 'vscode-codicon-stylesheet', nonce }],
			['link', { rel: 'stylesheet', href: assets.styleUri, nonce }],
			['style', { nonce }],
			['script', { type: 'module', nonce, src: assets.elementsUri }],
			['script', { type: 'module', nonce, src: assets.scriptUri }],
		],
	);
	assert.equal(textOf(findOne(head, named('title'), 'title')), 'TLS 1.2: Passed');
	// The inline style: layout that must hold before panel.css loads, one rule a line.
	assert.equal(
		textOf(findOne(head, named('style'), 'style')),
		[
			'body { color: var(--vscode-foreground); background-color: var(--vscode-editor-background); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }',
			'code, pre { font-family: var(--vscode-editor-font-family); }',
			'pre.snippet { background-color: var(--vscode-textCodeBlock-background); white-space: pre-wrap; overflow-wrap: anywhere; }',
			'code.host-text { white-space: pre-wrap; overflow-wrap: anywhere; }',
		].join('\n'),
	);
});

test('a nonce or an asset URI with an acceptable tail but a bad start is refused', () => {
	assert.throws(() => contentSecurityPolicy(assets.cspSource, "x'; script-src * AAAAAAAAAAAAAAAA"), /nonce/);
	const explanation = bareExplanation;
	for (const bad of ['javascript:alert(1)//https:', 'data:text/html,vscode-resource:']) {
		assert.throws(() => renderFailurePanel({ assets: { ...assets, scriptUri: bad }, explanation, fixScriptPaths: scriptPaths }), /Not a webview resource URI/, bad);
	}
});

test('each status has its codicon, which the codicon font has, and the badge says the status in words', () => {
	const expected: Record<NodeStatus, [string, string]> = {
		pass: ['pass', 'Passed'],
		fail: ['error', 'Failed'],
		warning: ['warning', 'Warning'],
		unknown: ['question', 'Could not check'],
		manual: ['person', 'Manual'],
		notApplicable: ['circle-slash', 'Not applicable'],
		running: ['loading', 'Running'],
		notRun: ['circle-large-outline', 'Not run'],
	};
	assert.deepEqual(Object.keys(statusIcons).sort(), Object.keys(expected).sort());
	styled('status');
	for (const [status, [icon, label]] of Object.entries(expected) as Array<[NodeStatus, [string, string]]>) {
		assert.equal(statusIcons[status], icon);
		assert.ok(codiconCss.includes(`.codicon-${icon}:before`), `codicon-${icon} exists`);
		const badge = elementChildren(findOne(parsePage(documentHtml(assets, 't', [statusBadge(status)])), named('main'), 'main'))[0];
		assert.deepEqual([badge.name, badge.attributes], ['span', { class: `status status-${status}` }]);
		assert.deepEqual(
			badge.children.map((c) => (typeof c === 'string' ? c : [c.name, c.attributes, textOf(c)])),
			[['span', { class: `codicon codicon-${icon}`, 'aria-hidden': 'true' }, ''], ' ', ['vscode-badge', { variant: 'default' }, label]],
			status,
		);
	}
	for (const status of ['fail', 'warning', 'unknown', 'pass']) {
		assert.ok(stylesheet.includes(`.status-${status} .codicon`), `panel.css colours the icon of ${status}`);
	}
});

// ---------------------------------------------------------------------------------------------------------------------
// The failure panel: header and "What was found"

test('the header: the title, the status, the change since the last run, what the check verifies and the re-run button', () => {
	const header = findOne(fullPage, named('header'), 'header');
	assert.deepEqual(outline(header), ['h1: Log on as a service', 'span:  Failed', 'p: Fixed since the run at 14:05', 'p: The account holds the right.', 'vscode-button: Re-run check']);
	styled('change');
	const change = findOne(header, withClass('change'), 'change line');
	assert.deepEqual([change.name, outline(change)], ['p', ['strong: Fixed since the run at 14:05']]);
	assert.deepEqual(findOne(header, withClass('verifies'), 'verifies').attributes, { class: 'verifies' });
	const rerun = findOne(header, named('vscode-button'), 'button');
	assert.deepEqual(rerun.attributes, { icon: 'refresh', 'data-action': 'rerun', 'data-check-id': 'service.logon-right', 'aria-label': "Run the check 'Log on as a service' again" });
	assert.ok(panelScript.includes('rerun:'), 'panel.js sends rerun');
	// Without a change there is no change line; the page is titled by the check and its status.
	assert.equal(findAll(barePage, withClass('change')).length, 0);
	assert.deepEqual(outline(findOne(barePage, named('header'), 'header')), ['h1: TLS 1.2', 'span:  Passed', 'p: TLS 1.2 is on.', 'vscode-button: Re-run check']);
	assert.equal(textOf(findOne(fullPage, named('title'), 'title')), 'Log on as a service: Failed');
	assert.deepEqual(findOne(fullPage, named('vscode-divider'), 'divider').attributes, { role: 'separator' });
	assert.deepEqual(findOne(fullPage, named('main'), 'main').attributes, { 'aria-labelledby': 'page-title', 'data-check-id': 'service.logon-right' });
});

test('"What was found": the server, the summary, why it could not check and the next step, unknown findings, the evidence', () => {
	const found = findOne(fullPage, (n) => n.name === 'section' && n.attributes['aria-labelledby'] === 'found', 'found section');
	assert.deepEqual(found.attributes, { 'aria-labelledby': 'found' });
	assert.deepEqual(outline(found), [
		'h2: What was found on AGENT01',
		'p: The right is missing (+1 more)',
		'p: Could not check: Access denied',
		'p: Next step: Run it elevated.',
		'p: The probe reported findings this version of the extension does not know: from-newer-1, from-newer-2',
		'dl: Service accountCONTOSO\\svcGPOServer <Policy>',
	]);
	assert.deepEqual(byId(found, 'found').name, 'h2');
	const [, summary, couldNot, next, unknown, evidence] = elementChildren(found);
	assert.deepEqual(summary.attributes, { class: 'summary' });
	assert.deepEqual(outline(couldNot), ['strong: Could not check: ', 'code: Access denied']);
	assert.deepEqual(outline(next), ['strong: Next step: ']);
	assert.deepEqual(outline(unknown), ['code: from-newer-1', 'code: from-newer-2']);
	styled('evidence');
	assert.deepEqual(evidence.attributes, { class: 'evidence' });
	assert.deepEqual(outline(evidence), ['dt: Service account', 'dd: CONTOSO\\svc', 'dt: GPO', 'dd: Server <Policy>']);
	assert.deepEqual(findAll(evidence, named('code')).map((c) => c.attributes), [{ class: 'host-text' }, { class: 'host-text' }]);

	// A check that found nothing odd: no error lines, no unknown findings, and it says there was no evidence.
	const bare = findOne(barePage, (n) => n.name === 'section' && n.attributes['aria-labelledby'] === 'found', 'found section');
	assert.deepEqual(outline(bare), ['h2: What was found on this server', 'p: TLS 1.2 is enabled', 'p: The probe reported no evidence.']);
	assert.equal(findAll(barePage, withClass('evidence')).length, 0);
});

test('a single unknown finding is listed without a separator', () => {
	const page = failurePage({ ...bareExplanation, unknownFailureIds: ['only-one'] });
	const p = findOne(page, (n) => n.name === 'p' && textOf(n).startsWith('The probe reported findings'), 'unknown findings');
	assert.deepEqual(p.children.map((c) => (typeof c === 'string' ? c : textOf(c))), ['The probe reported findings this version of the extension does not know: ', 'only-one']);
});

// ---------------------------------------------------------------------------------------------------------------------
// The failure panel: a failure

const sectionOf = (page: PageNode, failureId: string) =>
	findOne(page, (n) => n.name === 'section' && n.attributes['aria-labelledby'] === `failure--${failureId}`, `section of ${failureId}`);

test('a failure section: its heading with the severity, what you see, why, before you start, how to fix, documentation, fix scripts', () => {
	const a = sectionOf(fullPage, 'fail-a');
	assert.deepEqual(a.attributes, { class: 'failure', 'aria-labelledby': 'failure--fail-a' });
	assert.deepEqual(
		elementChildren(a).map((c) => (c.name === 'section' ? `section.fix ${String(c.attributes['aria-labelledby'])}` : `${c.name}: ${textOf(c)}`)),
		[
			'h2: The right is missing  Failed',
			'h3: What you see',
			`ul: ${textOf(findOne(a, withClass('messages'), 'messages'))}`,
			'h3: Why it happens',
			'p: The account does not hold the right.',
			'p: Not stated by Microsoft: Microsoft does not say this.',
			'h3: Before you start',
			'ul: Back up the GPO.Tell the owner.',
			'h3: How to fix it',
			'ol: Open the policy.Add the account.',
			'ul: Prerequisites (dated 2025-03-04)A blog post (not a Microsoft page)',
			'h3: Fix scripts',
			'section.fix fix--fail-a--full-fix',
			'section.fix fix--fail-a--read-fix',
			'section.fix fix--fail-a--lost-fix',
		],
	);
	const heading = byId(a, 'failure--fail-a');
	assert.equal(heading.name, 'h2');
	assert.deepEqual(heading.children[0], 'The right is missing ');
	assert.deepEqual(findOne(heading, withClass('status'), 'badge').attributes, { class: 'status status-fail' });
	assert.deepEqual(findOne(a, withClass('messages'), 'messages').attributes, { class: 'messages' });
	styled('unverified');
	assert.deepEqual(elementChildren(a)[5].attributes, { class: 'unverified' });
	assert.deepEqual(outline(elementChildren(a)[5]), ['strong: Not stated by Microsoft: ']);
	assert.deepEqual(outline(elementChildren(a)[7]), ['li: Back up the GPO.', 'li: Tell the owner.']);
	assert.deepEqual(elementChildren(a)[9].attributes, { class: 'steps' });
	assert.deepEqual(outline(elementChildren(a)[9]), ['li: Open the policy.', 'li: Add the account.']);
	styled('sources');
	assert.deepEqual(elementChildren(a)[10].attributes, { class: 'sources', 'aria-label': "Documentation of 'The right is missing'" });

	// A failure with no messages, caveats, sources or fixes has none of those headings or lists.
	const b = sectionOf(fullPage, 'fail-b');
	assert.deepEqual(outline(b), ['h2: A lesser problem  Warning', 'h3: Why it happens', 'p: Something else.', 'h3: How to fix it', 'ol: Do the other thing.']);
});

test('the documentation buttons: Microsoft pages with their date, other pages marked as such', () => {
	const list = findOne(sectionOf(fullPage, 'fail-a'), (n) => n.attributes['aria-label'] === "Documentation of 'The right is missing'", 'failure sources');
	const [ms, other] = elementChildren(list);
	assert.deepEqual(ms.children.map((c) => (typeof c === 'string' ? c : [c.name, c.attributes, textOf(c)])), [
		['vscode-button', { secondary: true, icon: 'link-external', 'data-action': 'openLink', 'data-source-id': 'ms-doc', 'aria-label': "Open 'Prerequisites' (Microsoft documentation) in the browser" }, 'Prerequisites'],
		['span', { class: 'source-date' }, ' (dated 2025-03-04)'],
	]);
	assert.deepEqual(other.children.map((c) => (typeof c === 'string' ? c : [c.name, c.attributes, textOf(c)])), [
		['vscode-button', { secondary: true, icon: 'link-external', 'data-action': 'openLink', 'data-source-id': 'blog-post', 'aria-label': "Open 'A blog post' (not a Microsoft page) in the browser" }, 'A blog post'],
		['span', { class: 'publisher' }, ' (not a Microsoft page)'],
	]);
	assert.ok(panelScript.includes("openLink: ['sourceId']"), 'panel.js sends the source id');
});

test('what you see: the quoted text, every place it is seen in words, when this failure explains it, and what is not confirmed', () => {
	assert.deepEqual(placeWords, {
		wizard: 'the agent configuration wizard',
		'installer-dialog': "the installer's error dialog",
		'bundle-log': "the installer's bundle log",
		'msi-log': 'the MSI log',
		'trace-log': "the agent's trace log",
		'system-event-log': 'the System event log',
		'netlogon-event-log': 'the System event log (Netlogon)',
		portal: 'the Microsoft Entra admin center',
		powershell: 'PowerShell output',
	});
	const [everywhere, wizard] = elementChildren(findOne(sectionOf(fullPage, 'fail-a'), withClass('messages'), 'messages'));
	assert.deepEqual(outline(everywhere), [
		'blockquote: The service <x> did not start.',
		"p: Seen in the agent configuration wizard, the installer's error dialog, the installer's bundle log, the MSI log, the agent's trace log, the System event log, the System event log (Netlogon), the Microsoft Entra admin center, PowerShell output.",
		// The cause of this failure, not the first cause the message names.
		'p: This failure explains it when the account lacks the right.',
	]);
	assert.deepEqual(elementChildren(everywhere).slice(1).map((c) => c.attributes), [{ class: 'seen-in' }, { class: 'when' }]);
	assert.deepEqual(outline(wizard), ['blockquote: Wizard says no.', 'p: Seen in the agent configuration wizard.', 'p: Not stated by Microsoft: Only seen in one tenant.']);
	assert.deepEqual(elementChildren(wizard)[2].attributes, { class: 'unverified' });
});

// ---------------------------------------------------------------------------------------------------------------------
// The failure panel: fixes

const fixSection = (page: PageNode, fixId: string) => findOne(page, (n) => n.name === 'section' && n.attributes['aria-labelledby'] === `fix--fail-a--${fixId}`, `fix ${fixId}`);

test('a fix that changes the system: where to run it, its caveat, each parameter, the command, what is missing, disabled Run and Copy', () => {
	const fix = fixSection(fullPage, 'full-fix');
	styled('fix');
	assert.deepEqual(fix.attributes, { class: 'fix', 'aria-labelledby': 'fix--fail-a--full-fix' });
	assert.deepEqual(outline(fix).slice(0, 4), [
		'h4: Grant the right',
		'p: Changes this system: Adds the account to the policy.',
		'p: Run it on: a domain controller',
		'p: Before you run it: It replaces the GPO setting.',
	]);
	const [heading, changes, runOn, caveat, parameters, snippet, missing, actions, sources] = elementChildren(fix);
	assert.deepEqual(heading.attributes, { id: 'fix--fail-a--full-fix' });
	assert.deepEqual(outline(changes), ['strong: Changes this system: ']);
	assert.deepEqual(outline(runOn), ['strong: Run it on: ']);
	styled('caveat');
	assert.deepEqual([caveat.attributes, outline(caveat)], [{ class: 'caveat' }, ['strong: Before you run it: ']]);

	styled('parameters');
	assert.deepEqual([parameters.name, parameters.attributes], ['dl', { class: 'parameters' }]);
	assert.deepEqual(outline(parameters), [
		'dt: -Account',
		'dd: CONTOSO\\svc (from this diagnosis). The account.',
		'dt: -Gpo',
		'dd: Server Policy. The GPO.',
		'dt: -Needed',
		'dd: Needs a value. A required one.',
		'dt: -Extra',
		'dd: Not given. An optional one.',
		'dt: -Bad',
		'dd: This diagnosis found a value the command cannot carry (a control character or line break, or not text); give it by hand. A broken one.',
	]);
	const dds = elementChildren(parameters).filter((c) => c.name === 'dd');
	assert.deepEqual(dds.map((dd) => outline(dd)), [['code: CONTOSO\\svc'], ['code: Server Policy'], ['em: Needs a value. '], ['em: Not given. '], [`em: ${textOf(elementChildren(dds[4])[0])}`]]);
	assert.deepEqual(findOne(dds[0], named('code'), 'value').attributes, { class: 'host-text' });

	styled('snippet');
	assert.deepEqual([snippet.name, snippet.attributes, textOf(snippet)], ['pre', { class: 'snippet' }, "& 'C:\\ext\\fixes\\grant.ps1' -Account:'CONTOSO\\svc' -Gpo:'Server Policy'"]);
	styled('missing');
	assert.deepEqual([missing.name, missing.attributes, textOf(missing)], [
		'p',
		{ id: 'missing--fail-a--full-fix', class: 'missing' },
		'Give a value to -Needed, -Bad before it can run: copy the command and complete it.',
	]);
	styled('actions');
	assert.deepEqual(actions.attributes, { class: 'actions' });
	assert.deepEqual(actions.children.map((c) => (typeof c === 'string' ? c : [c.name, c.attributes, textOf(c)])), [
		[
			'vscode-button',
			{ icon: 'terminal', 'data-action': 'runFix', 'data-check-id': 'service.logon-right', 'data-fix-id': 'full-fix', 'aria-label': "Run fix 'Grant the right' in the terminal", 'aria-describedby': 'missing--fail-a--full-fix', disabled: true },
			'Run in Terminal',
		],
		' ',
		['vscode-button', { secondary: true, icon: 'copy', 'data-action': 'copy', 'data-check-id': 'service.logon-right', 'data-fix-id': 'full-fix', 'aria-label': "Copy the command of fix 'Grant the right'" }, 'Copy'],
	]);
	assert.ok(panelScript.includes("hasAttribute('disabled')"), 'panel.js ignores a disabled button');
	assert.ok(panelScript.includes("runFix: ['checkId', 'fixId']") && panelScript.includes("copy: ['checkId', 'fixId']"));
	assert.deepEqual(sources.attributes, { class: 'sources', 'aria-label': "Documentation of fix 'Grant the right'" });
	assert.equal(elementChildren(fix).length, 9);
});

test('a read-only fix without parameters: no parameter list, no missing line, Run enabled; a fix without its script says so', () => {
	const fix = fixSection(fullPage, 'read-fix');
	assert.deepEqual(outline(fix), [
		'h4: Show the state',
		'p: Read-only: Only reads.',
		"pre: & 'C:\\ext\\fixes\\show.ps1'",
		'div: Run in Terminal Copy',
	]);
	assert.deepEqual(outline(elementChildren(fix)[1]), ['strong: Read-only: ']);
	const run = findOne(fix, (n) => n.attributes['data-action'] === 'runFix', 'run');
	assert.deepEqual(run.attributes, { icon: 'terminal', 'data-action': 'runFix', 'data-check-id': 'service.logon-right', 'data-fix-id': 'read-fix', 'aria-label': "Run fix 'Show the state' in the terminal" });

	const lost = fixSection(fullPage, 'lost-fix');
	assert.deepEqual(lost.attributes, { class: 'fix', 'aria-labelledby': 'fix--fail-a--lost-fix' });
	assert.deepEqual(outline(lost), ['h4: Open the console', 'p: Read-only: Opens it.', 'p: The script of this fix is not available.', 'ul: Prerequisites (dated 2025-03-04)']);
	assert.deepEqual(elementChildren(lost)[3].attributes, { class: 'sources', 'aria-label': "Documentation of fix 'Open the console'" });
});

test('an opened report: the line saying whose it is instead of re-run, and no fix buttons, only the command to read', () => {
	const page = failurePage(fullExplanation, { readOnly: 'Report of AGENT01 at 14:05' });
	const header = findOne(page, named('header'), 'header');
	assert.deepEqual(outline(header), ['h1: Log on as a service', 'span:  Failed', 'p: The account holds the right.', 'p: Report of AGENT01 at 14:05']);
	styled('read-only');
	assert.deepEqual([elementChildren(header)[3].attributes, outline(elementChildren(header)[3])], [{ class: 'read-only' }, ['strong: Report of AGENT01 at 14:05']]);
	const fix = fixSection(page, 'full-fix');
	const note = findOne(fix, withClass('read-only'), 'read-only note');
	assert.deepEqual([note.name, note.attributes, textOf(note)], ['p', { class: 'read-only' }, 'From an opened report: run the diagnosis on that server and use this fix from its panel there.']);
	assert.equal(findAll(page, (n) => n.name === 'vscode-button' && ['runFix', 'copy', 'rerun'].includes(String(n.attributes['data-action']))).length, 0);
	assert.equal(findAll(page, withClass('actions')).length, 0);
});

test('manual steps, notes and the check documentation each have their section, and only when there is something in it', () => {
	const sectionBy = (page: PageNode, id: string) => findAll(page, (n) => n.name === 'section' && n.attributes['aria-labelledby'] === id);
	const [manual] = sectionBy(fullPage, 'manual');
	assert.deepEqual(manual.attributes, { 'aria-labelledby': 'manual' });
	assert.deepEqual(outline(manual), ['h2: Confirm manually', 'ol: Look at the console.Compare the names.']);
	assert.deepEqual(byId(manual, 'manual').name, 'h2');
	assert.deepEqual(elementChildren(manual)[1].attributes, { class: 'steps' });
	assert.deepEqual(outline(elementChildren(manual)[1]), ['li: Look at the console.', 'li: Compare the names.']);

	const [notes] = sectionBy(fullPage, 'notes');
	assert.deepEqual(notes.attributes, { 'aria-labelledby': 'notes' });
	assert.deepEqual(outline(notes), ['h2: Notes', 'ul: A note for admins.Not stated by Microsoft: Note not confirmed.A blog post (not a Microsoft page)']);
	const note = elementChildren(elementChildren(notes)[1])[0];
	assert.deepEqual(outline(note), ['p: A note for admins.', 'p: Not stated by Microsoft: Note not confirmed.', 'ul: A blog post (not a Microsoft page)']);
	assert.deepEqual(elementChildren(note)[2].attributes, { class: 'sources', 'aria-label': 'Documentation of this note' });

	const [documentation] = sectionBy(fullPage, 'documentation');
	assert.deepEqual(documentation.attributes, { 'aria-labelledby': 'documentation' });
	assert.deepEqual(outline(documentation), ['h2: Documentation', 'ul: Prerequisites (dated 2025-03-04)']);
	assert.deepEqual(elementChildren(documentation)[1].attributes, { class: 'sources', 'aria-label': "Documentation of 'Log on as a service'" });

	for (const id of ['manual', 'notes', 'documentation']) {
		assert.equal(sectionBy(barePage, id).length, 0, id);
	}
	// Nothing else follows the found section of a bare check, and no empty source list is written anywhere.
	assert.deepEqual(elementChildren(findOne(barePage, named('main'), 'main')).map((c) => c.name), ['header', 'vscode-divider', 'section']);
	assert.equal(findAll(barePage, withClass('sources')).length, 0);
});

test('a check without a result yet: its title, the not-run status, what it verifies and a Run check button', () => {
	const check = checks.find((c) => c.id === 'service.logon-right')!;
	const html = renderNotRunPanel(assets, check);
	const page = parsePage(html);
	assert.equal(textOf(findOne(page, named('title'), 'title')), `${check.title}: Not run`);
	assert.deepEqual(findOne(page, named('main'), 'main').attributes, { 'aria-labelledby': 'page-title', 'data-check-id': check.id });
	const header = findOne(page, named('header'), 'header');
	assert.deepEqual(outline(header), [`h1: ${check.title}`, 'span:  Not run', `p: ${check.verifies}`, 'vscode-button: Run check']);
	const [h1, badge, verifies, run] = elementChildren(header);
	assert.deepEqual(h1.attributes, { id: 'page-title' });
	assert.deepEqual(badge.attributes, { class: 'status status-notRun' });
	assert.deepEqual(verifies.attributes, { class: 'verifies' });
	assert.deepEqual(run.attributes, { icon: 'refresh', 'data-action': 'rerun', 'data-check-id': check.id, 'aria-label': `Run the check '${check.title}'` });
	assert.deepEqual(outline(findOne(page, named('main'), 'main')).slice(1), [
		'p: There is no result for this check in this window yet. Run it, or run the whole diagnosis, to see what it finds on this server.',
	]);
});

// ---------------------------------------------------------------------------------------------------------------------
// The summary

const checkById = (id: string): CheckDefinition => checks.find((c) => c.id === id) ?? assert.fail(`no check ${id}`);
const categoryTitle = (check: CheckDefinition) => categories.find((c) => c.id === check.category)!.title;

test('rows of one status follow the install-blocking rank and then the order given, whatever order the checks come in', () => {
	const given = ['network.endpoints', 'server.tls12', 'permissions.elevated', 'service.state', 'permissions.tenant-role', 'permissions.domain-admin'].map(checkById);
	assert.deepEqual(new Set(given.map((c) => c.category)).size >= 4, true);
	const ids = orderSummaryRows(given, new Map()).map((r) => r.check.id);
	const expected = [...given].map((c, i) => ({ c, i })).sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i).map((x) => x.c.id);
	assert.deepEqual(ids, expected);
	assert.deepEqual(ids.slice(0, 3), ['permissions.elevated', 'permissions.tenant-role', 'permissions.domain-admin']);
	// In one category: the order given, also when it is not the catalogue's.
	const sameCategory = checks.filter((c) => c.category === 'permissions').reverse();
	assert.ok(sameCategory.length >= 3);
	assert.deepEqual(orderSummaryRows(sameCategory, new Map()).map((r) => r.check.id), sameCategory.map((c) => c.id));
	// A row carries its change only when the check has one.
	const rows = orderSummaryRows(given, new Map(), new Map([['server.tls12', 'Fixed since the run at 14:05']]));
	assert.deepEqual(rows.map((r) => [r.check.id, r.change, r.summary]), expected.map((id) => [id, id === 'server.tls12' ? 'Fixed since the run at 14:05' : undefined, 'Not run yet']));
	assert.ok(rows.every((r) => r.change !== undefined || !('change' in r)));
});

function rank(check: CheckDefinition): number {
	return ['permissions', 'server', 'domain', 'gmsa', 'service', 'eventlog', 'installer', 'network'].indexOf(check.category);
}

test('the summary: its title and heading, the counts of statuses that occur, a section per status, each row and its Details button', () => {
	const results = new Map<string, CheckResult>(
		[
			checkResult('network.endpoints', 'fail', ['endpoint-unreachable']),
			checkResult('permissions.elevated', 'fail', ['not-elevated']),
			checkResult('server.tls12', 'warning', [], {}, 'Timed out'),
			checkResult('domain.dc-reachable', 'pass'),
		].map((r) => [r.id, r]),
	);
	const given = ['permissions.elevated', 'network.endpoints', 'server.tls12', 'domain.dc-reachable', 'service.state'].map(checkById);
	const html = renderSummaryPanel({ assets, checks: given, categories, results, changes: new Map([['server.tls12', 'New since the run at 14:05']]) });
	const page = parsePage(html);
	assert.equal(textOf(findOne(page, named('title'), 'title')), 'Provisioning agent prerequisites');
	assert.deepEqual(findOne(page, named('main'), 'main').attributes, { 'aria-labelledby': 'page-title' });
	const header = findOne(page, named('header'), 'header');
	assert.deepEqual(elementChildren(header).map((c) => c.name), ['h1', 'ul']);
	assert.equal(textOf(byId(header, 'page-title')), 'Provisioning agent prerequisites');

	styled('counts');
	const counts = findOne(header, withClass('counts'), 'counts');
	assert.deepEqual(counts.attributes, { class: 'counts', 'aria-label': 'Checks by status' });
	assert.deepEqual(outline(counts), ['li:  Failed 2', 'li:  Warning 1', 'li:  Not run 1', 'li:  Passed 1']);

	const sections = findAll(page, (n) => n.name === 'section' && String(n.attributes['aria-labelledby']).startsWith('status--'));
	assert.deepEqual(sections.map((s) => s.attributes), ['fail', 'warning', 'notRun', 'pass'].map((s) => ({ 'aria-labelledby': `status--${s}` })));
	assert.deepEqual(sections.map((s) => textOf(byId(s, String(s.attributes['aria-labelledby'])))), ['Failed (2)', 'Warning (1)', 'Not run (1)', 'Passed (1)']);
	styled('checks');
	for (const s of sections) {
		assert.deepEqual(elementChildren(s).map((c) => [c.name, c.attributes.class]), [['h2', undefined], ['ul', 'checks']]);
		assert.deepEqual(elementChildren(s)[1].attributes, { class: 'checks' });
	}

	styled('category');
	const rows = findAll(page, withClass('check'));
	assert.deepEqual(rows.map((r) => r.attributes.class), ['check status-fail', 'check status-fail', 'check status-warning', 'check status-notRun', 'check status-pass']);
	const expectedRows: Array<[string, NodeStatus, string?]> = [
		['permissions.elevated', 'fail'],
		['network.endpoints', 'fail'],
		['server.tls12', 'warning', 'New since the run at 14:05'],
		['service.state', 'notRun'],
		['domain.dc-reachable', 'pass'],
	];
	rows.forEach((row, i) => {
		const [id, status, change] = expectedRows[i];
		const check = checkById(id);
		const result = results.get(id);
		const summary = result ? summarize(check, result) : 'Not run yet';
		assert.deepEqual(
			row.children.map((c) => (typeof c === 'string' ? c : [c.name, c.attributes, textOf(c)])),
			[
				['span', { class: `codicon codicon-${statusIcons[status]}`, 'aria-hidden': 'true' }, ''],
				' ',
				['strong', {}, check.title],
				['span', { class: 'category' }, ` (${categoryTitle(check)})`],
				': ',
				['span', { class: 'summary' }, summary],
				...(change ? [' ', ['em', { class: 'change' }, `(${change})`]] : []),
				' ',
				['vscode-button', { secondary: true, 'data-action': 'showCheck', 'data-check-id': id, 'aria-label': `Show the details of '${check.title}'` }, 'Details'],
			],
			id,
		);
	});
	assert.ok(panelScript.includes("showCheck: ['checkId']"));
	// The explain box follows the status sections.
	assert.deepEqual(elementChildren(findOne(page, named('main'), 'main')).map((c) => c.attributes['aria-labelledby'] ?? c.name), [
		'header',
		'status--fail',
		'status--warning',
		'status--notRun',
		'status--pass',
		'explain',
	]);
});

test('the summary of a named server, and of an opened report, says so in the heading and under it', () => {
	const page = parsePage(renderSummaryPanel({ assets, checks, categories, results: new Map(), computerName: 'AGENT01', readOnly: 'Report of AGENT01 at 14:05' }));
	const header = findOne(page, named('header'), 'header');
	assert.deepEqual(outline(header).slice(0, 2), ['h1: Provisioning agent prerequisites on AGENT01', 'p: Report of AGENT01 at 14:05']);
	assert.deepEqual([elementChildren(header)[1].attributes, outline(elementChildren(header)[1])], [{ class: 'read-only' }, ['strong: Report of AGENT01 at 14:05']]);
	assert.deepEqual(outline(findOne(header, withClass('counts'), 'counts')), [`li:  Not run ${checks.length}`]);
});
