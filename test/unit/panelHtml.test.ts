import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { categories, checks, findCheck, findFix, fixes, messages } from '../../src/checks/catalogue';
import { explain } from '../../src/checks/explain';
import { explainMessage } from '../../src/checks/explainMessage';
import { resolveFixParameters } from '../../src/checks/fixParameters';
import type { CheckDefinition, CheckResult } from '../../src/checks/types';
import {
	buildFixCommand,
	contentSecurityPolicy,
	escapeHtml,
	installBlockingRank,
	makeNonce,
	orderSummaryRows,
	PanelAssets,
	renderFailurePanel,
	renderSummaryPanel,
	summaryStatusOrder,
} from '../../src/views/panelHtml';
import { buildScriptInvocation } from '../../src/terminal/quoting';
import { renderExplainPanel } from '../../src/views/explainHtml';
import type { NodeStatus } from '../../src/views/treeModel';
import { checkResult, repoRoot } from './fixtures';

// ---------------------------------------------------------------------------------------------------------------------
// Inputs

const nonce = makeNonce(Uint8Array.from({ length: 16 }, (_, i) => i * 7));
const assets: PanelAssets = {
	cspSource: 'https://*.vscode-cdn.net',
	nonce,
	scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/panel.js',
	styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/panel.css',
	codiconsUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/node_modules/@vscode/codicons/dist/codicon.css',
	elementsUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/node_modules/@vscode-elements/elements/dist/bundled.js',
};

const scriptFolder = 'C:\\ext\\dist\\powershell\\catalogue\\';
const fixScriptPaths = new Map(fixes.map((fix) => [fix.id, scriptFolder + fix.script.replace(/\//g, '\\')]));

const check = (id: string): CheckDefinition => findCheck(id) ?? assert.fail(`no check ${id}`);

function panelFor(result: CheckResult, results?: ReadonlyMap<string, CheckResult>, computerName?: string): string {
	return renderFailurePanel({ assets, explanation: explain(check(result.id), result, results), fixScriptPaths, computerName });
}

const hostile = {
	img: '<img src=x onerror=alert(1)>',
	script: '</script><script>alert(1)</script>',
	svg: '"><svg onload=alert(1)>',
	commandLink: '[x](command:workbench.action.terminal.sendSequence)',
	javascriptUrl: 'javascript:alert(document.cookie)',
	lines: "first line\r\nsecond line\u2028third <b>line</b> & 'quoted'",
};

/** service.logon-right failing for the service account and because of a GPO, every evidence value hostile. */
const hostileLogonRight = checkResult('service.logon-right', 'fail', ['logon-right-missing-service-account', 'logon-right-gpo-lacks-accounts'], {
	account: `CONTOSO\\svc${hostile.img}$`,
	accountSid: 'S-1-5-21-1-2-3-1105',
	gpo: hostile.script,
	gpoLacks: hostile.svg,
	holders: [hostile.commandLink, hostile.javascriptUrl, '*S-1-5-80-0'],
	rsopError: hostile.lines,
	accountListed: false,
	gpoSetsRight: true,
});

// ---------------------------------------------------------------------------------------------------------------------
// A small audit of the markup. Host text is always escaped, so every "<" in the output opens a tag we wrote.

interface ParsedTag {
	readonly source: string;
	readonly name: string;
	readonly closing: boolean;
	readonly attributes: ReadonlyMap<string, string | true>;
}

function unescapeHtml(text: string): string {
	return text.replace(/&(amp|lt|gt|quot|#39);/g, (_m, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name]!);
}

function parseTags(html: string): ParsedTag[] {
	return [...html.matchAll(/<[^>]*>/g)].map(([source]) => {
		const match = /^<(\/?)([a-z][a-z0-9-]*)((?:\s+[a-z][a-z0-9-]*(?:="[^"<>]*")?)*)\s*>$/.exec(source) ?? (source === '<!DOCTYPE html>' ? ['', '', '!doctype', ''] : undefined);
		assert.ok(match, `not a well-formed tag: ${source}`);
		const attributes = new Map<string, string | true>();
		for (const [, name, value] of match[3].matchAll(/([a-z][a-z0-9-]*)(?:="([^"]*)")?/g)) {
			assert.equal(attributes.has(name), false, `attribute ${name} twice in ${source}`);
			attributes.set(name, value === undefined ? true : unescapeHtml(value));
		}
		return { source, name: match[2], closing: match[1] === '/', attributes };
	});
}

const allowedTags = new Set([
	'!doctype', 'html', 'head', 'body', 'meta', 'title', 'link', 'style', 'script', 'main', 'header', 'section', 'div', 'span',
	'h1', 'h2', 'h3', 'h4', 'p', 'ol', 'ul', 'li', 'dl', 'dt', 'dd', 'code', 'pre', 'blockquote', 'strong', 'em',
	'textarea', 'label', 'vscode-button', 'vscode-badge', 'vscode-divider',
]);
const allowedAttributes = new Set([
	'lang', 'http-equiv', 'content', 'charset', 'name', 'rel', 'href', 'id', 'nonce', 'type', 'src', 'class', 'role', 'variant',
	'aria-label', 'aria-labelledby', 'aria-describedby', 'aria-hidden', 'secondary', 'icon', 'disabled',
	'data-action', 'data-check-id', 'data-fix-id', 'data-source-id', 'data-failure-id', 'for', 'rows', 'spellcheck',
]);
const catalogueIds = new Set([...checks.map((c) => c.id), ...fixes.map((f) => f.id), ...checks.flatMap((c) => c.failures.map((f) => f.id))]);

/** Everything a page may contain in markup; returns the parsed tags for further checks. */
function auditMarkup(html: string): ParsedTag[] {
	for (const forbidden of ['<img', '<svg', '<b>', '<a ', '<iframe', '<object', '<form']) {
		assert.equal(html.includes(forbidden), false, `${forbidden} in the output`);
	}
	const tags = parseTags(html);
	const opened = tags.filter((t) => !t.closing);
	for (const tag of opened) {
		assert.ok(allowedTags.has(tag.name), `unexpected tag ${tag.source}`);
		for (const [name, value] of tag.attributes) {
			assert.ok(allowedAttributes.has(name), `unexpected attribute ${name} in ${tag.source}`);
			assert.doesNotMatch(String(value), /javascript:|command:|vbscript:|data:/i, tag.source);
			if (name === 'data-check-id' || name === 'data-fix-id' || name === 'data-failure-id') {
				assert.ok(catalogueIds.has(String(value)), `${name}="${String(value)}" is not a catalogue id`);
			}
		}
		assert.doesNotMatch(tag.source, /\son[a-z]+=|\sstyle=/i, `event handler or inline style in ${tag.source}`);
	}
	// The only URLs in markup are the webview's own files; documentation is reached by source id.
	const withUrl = opened.filter((t) => t.attributes.has('href') || t.attributes.has('src'));
	assert.deepEqual(
		withUrl.map((t) => `${t.name} ${String(t.attributes.get('href') ?? t.attributes.get('src'))}`),
		[`link ${assets.codiconsUri}`, `link ${assets.styleUri}`, `script ${assets.elementsUri}`, `script ${assets.scriptUri}`],
	);
	const scripts = opened.filter((t) => t.name === 'script');
	assert.equal((html.match(/<script/g) ?? []).length, 2, 'exactly the two script tags with the nonce');
	assert.ok(scripts.every((t) => t.attributes.get('nonce') === nonce && t.attributes.get('type') === 'module'));
	assert.doesNotMatch(html, /<script[^>]*>[^<]/, 'no inline script');
	const ids = opened.flatMap((t) => (t.attributes.has('id') ? [String(t.attributes.get('id'))] : []));
	assert.equal(new Set(ids).size, ids.length, 'ids are unique');
	for (const tag of opened) {
		for (const ref of ['aria-labelledby', 'aria-describedby']) {
			if (tag.attributes.has(ref)) {
				assert.ok(ids.includes(String(tag.attributes.get(ref))), `${ref} of ${tag.source} names no element`);
			}
		}
	}
	for (const label of opened.filter((t) => t.name === 'label')) {
		assert.ok(ids.includes(String(label.attributes.get('for'))), `${label.source} labels no element`);
	}
	assert.equal(tags.filter((t) => t.name === 'h1' && !t.closing).length, 1, 'one h1');
	return tags;
}

const buttons = (tags: readonly ParsedTag[]) => tags.filter((t) => t.name === 'vscode-button' && !t.closing);

// ---------------------------------------------------------------------------------------------------------------------
// Escaping

test('escapeHtml escapes the five characters that can open markup or close an attribute, and nothing else', () => {
	assert.equal(escapeHtml(`<a href="x" title='y'>&amp;</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
	assert.equal(escapeHtml('CONTOSO\\svc$ [x](command:y) javascript:\r\n\u2028'), 'CONTOSO\\svc$ [x](command:y) javascript:\r\n\u2028');
});

test('hostile evidence of a real check renders as inert text: the exact escaped text is there, no markup from it', () => {
	const html = panelFor(hostileLogonRight, undefined, 'AGENT01<img src=x onerror=alert(2)>');
	auditMarkup(html);
	for (const text of [
		'CONTOSO\\svc&lt;img src=x onerror=alert(1)&gt;$',
		'&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;',
		'&quot;&gt;&lt;svg onload=alert(1)&gt;',
		'[x](command:workbench.action.terminal.sendSequence), javascript:alert(document.cookie), *S-1-5-80-0',
		'first line\r\nsecond line\u2028third &lt;b&gt;line&lt;/b&gt; &amp; &#39;quoted&#39;',
		'What was found on AGENT01&lt;img src=x onerror=alert(2)&gt;',
	]) {
		assert.ok(html.includes(text), `missing: ${JSON.stringify(text)}`);
	}
	// Filled into the catalogue's cause and steps, the values stay text too.
	assert.ok(html.includes('The account the service runs as (CONTOSO\\svc&lt;img src=x onerror=alert(1)&gt;$) does not hold Log on as a service.'));
	assert.ok(html.includes('The Group Policy object &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; sets Log on as a service on this server'));
});

test('every evidence value is recovered exactly by unescaping what the page shows', () => {
	const html = panelFor(hostileLogonRight);
	const shown = [...html.matchAll(/<code class="host-text">([^<]*)<\/code>/g)].map((m) => unescapeHtml(m[1]));
	const e = explain(check('service.logon-right'), hostileLogonRight);
	for (const line of e.evidence) {
		assert.ok(shown.includes(line.value), `evidence ${line.key} not shown as text`);
	}
});

test('event-log text with markup and line breaks, and a hostile error message, stay text', () => {
	const eventText = 'The AADConnectProvisioningAgent service was unable to log on as <script>x</script>\r\n<a href="command:workbench.action.openSettings">click</a>';
	const events = checkResult('eventlog.scm-events', 'fail', ['event-7041'], {
		days: 7,
		serviceInstalled: true,
		events: [{ id: 7041, time: '2026-11-26T07:00:00Z', message: eventText }],
	});
	const eventsHtml = panelFor(events);
	auditMarkup(eventsHtml);
	assert.ok(eventsHtml.includes(escapeHtml(eventText)));
	assert.ok(eventsHtml.includes('unable to log on as &lt;script&gt;x&lt;/script&gt;\r\n&lt;a href=&quot;command:'));

	const error = checkResult('service.logon-right', 'unknown', ['from-a-newer-probe<svg>'], {}, `Access denied ${hostile.img}\n${hostile.commandLink}`);
	const errorHtml = panelFor(error);
	auditMarkup(errorHtml);
	assert.ok(errorHtml.includes(`Could not check: </strong><code class="host-text">Access denied &lt;img src=x onerror=alert(1)&gt;\n${hostile.commandLink}</code>`));
	assert.ok(errorHtml.includes('<code class="host-text">from-a-newer-probe&lt;svg&gt;</code>'));
});

// ---------------------------------------------------------------------------------------------------------------------
// The document

test('the Content-Security-Policy is exactly the documented one, and the page carries it first', () => {
	const expected = `default-src 'none'; style-src https://*.vscode-cdn.net 'nonce-${nonce}'; script-src 'nonce-${nonce}'; font-src https://*.vscode-cdn.net; img-src https://*.vscode-cdn.net`;
	assert.equal(contentSecurityPolicy(assets.cspSource, nonce), expected);
	const tags = auditMarkup(panelFor(hostileLogonRight));
	const headStart = tags.findIndex((t) => t.name === 'head');
	const meta = tags[headStart + 1];
	assert.equal(meta.attributes.get('http-equiv'), 'Content-Security-Policy', 'the policy is the first element of <head>');
	assert.equal(meta.attributes.get('content'), expected);
	assert.equal(tags.find((t) => t.name === 'html')!.attributes.get('lang'), 'en');
});

test('a nonce or CSP source that could widen the policy is refused, as are asset URIs that are not webview resources', () => {
	assert.throws(() => contentSecurityPolicy(assets.cspSource, "abcdefghijklmnop'; script-src *"), /nonce/);
	assert.throws(() => contentSecurityPolicy(assets.cspSource, 'short'), /nonce/);
	assert.throws(() => contentSecurityPolicy("https://x 'unsafe-inline'", nonce), /CSP source/);
	assert.throws(() => contentSecurityPolicy('https://x; script-src *', nonce), /CSP source/);
	for (const bad of ['', ' ', 'https://x  https://y', "'unsafe-eval'", "'none'", 'https://x,https://y', "'self' 'unsafe-inline'", 'https://x\tdata:']) {
		assert.throws(() => contentSecurityPolicy(bad, nonce), /CSP source/, JSON.stringify(bad));
	}
	// code-server serves webviews from its own origin and gives 'self' with the host source.
	assert.match(contentSecurityPolicy("'self' https://*.vscode-cdn.net", nonce), /^default-src 'none'; style-src 'self' https:\/\/\*\.vscode-cdn\.net 'nonce-/);
	const explanation = explain(check('service.logon-right'), hostileLogonRight);
	for (const bad of ['javascript:alert(1)', 'data:text/javascript,alert(1)', '//evil.example/x.js']) {
		assert.throws(() => renderFailurePanel({ assets: { ...assets, scriptUri: bad }, explanation, fixScriptPaths }), /webview resource/);
	}
});

test('makeNonce is the base64 of the bytes it is given, and refuses fewer than 16', () => {
	assert.equal(makeNonce(Uint8Array.from({ length: 16 }, (_, i) => i)), 'AAECAwQFBgcICQoLDA0ODw==');
	assert.notEqual(makeNonce(new Uint8Array(16)), makeNonce(new Uint8Array(16).fill(1)));
	assert.throws(() => makeNonce(new Uint8Array(15)), /16/);
	assert.doesNotThrow(() => contentSecurityPolicy(assets.cspSource, makeNonce(new Uint8Array(32).fill(255))));
});

test('the inline style uses only theme variables for its values, and no element has a style attribute', () => {
	const html = panelFor(hostileLogonRight);
	const styles = [...html.matchAll(/<style nonce="([^"]*)">([^<]*)<\/style>/g)];
	assert.equal(styles.length, 1);
	assert.equal(styles[0][1], nonce);
	const declarations = [...styles[0][2].matchAll(/([a-z-]+)\s*:\s*([^;}]+)/g)].map((m) => [m[1], m[2].trim()]);
	assert.ok(declarations.length >= 4);
	for (const [property, value] of declarations) {
		assert.ok(/^var\(--vscode-[A-Za-z0-9-]+\)$/.test(value) || ['pre-wrap', 'anywhere'].includes(value), `${property}: ${value}`);
	}
	assert.doesNotMatch(html, /\sstyle="/);
});

// ---------------------------------------------------------------------------------------------------------------------
// The failure panel's content

test('the panel of a real failure shows the texts users meet, the cause, numbered steps and its documentation', () => {
	const html = panelFor(hostileLogonRight);
	const tags = auditMarkup(html);
	const failure = check('service.logon-right').failures.find((f) => f.id === 'logon-right-missing-service-account')!;
	// The wizard's text and the event's text, verbatim from the catalogue (its own "<account>" escaped too).
	assert.ok(html.includes(escapeHtml('Failed changing Windows service credentials to gMSA. Please check the logs for more detailed information.')));
	assert.ok(html.includes('was unable to log on as &lt;account&gt; with the currently configured password'));
	assert.ok(html.includes('Seen in the System event log.'));
	// Steps are an ordered list in catalogue order, the account filled in.
	const section = html.slice(html.indexOf('id="failure--logon-right-missing-service-account"'), html.indexOf('id="failure--logon-right-gpo-lacks-accounts"'));
	const steps = [...section.matchAll(/<ol class="steps">(.*?)<\/ol>/gs)];
	assert.equal(steps.length, 1);
	const items = [...steps[0][1].matchAll(/<li>(.*?)<\/li>/gs)].map((m) => unescapeHtml(m[1]));
	assert.equal(items.length, failure.steps.length);
	assert.ok(items[0].startsWith(`Grant Log on as a service to CONTOSO\\svc${hostile.img}$: in Local Security Policy`));
	// Its documentation: buttons carrying the source id only.
	const sourceIds = [...section.matchAll(/data-source-id="([^"]*)"/g)].map((m) => m[1]);
	for (const source of failure.sources) {
		assert.ok(sourceIds.includes(source.id), source.id);
		assert.equal(html.includes(source.url), false, 'no documentation URL in the page');
	}
	const open = buttons(tags).find((b) => b.attributes.get('data-source-id') === 'cannot-start')!;
	assert.equal(open.attributes.get('data-action'), 'openLink');
	assert.match(String(open.attributes.get('aria-label')), /^Open '.+' \(Microsoft documentation\) in the browser$/);
	// The GPO failure says its link is not stated by Microsoft.
	assert.ok(html.includes('Not stated by Microsoft: </strong>Microsoft names a group policy as the typical cause'));
	assert.equal((html.match(/<h2[ >]/g) ?? []).length >= 3, true, 'sections have h2 headings');
	// The main landmark carries the check id (the panel script saves it, so the panel comes back after a reload).
	assert.match(html, /<main aria-labelledby="page-title" data-check-id="service.logon-right"><header><h1 id="page-title">Log on as a service<\/h1>/);
});

test('fix parameters filled from the evidence appear, quoted for PowerShell and escaped, in the snippet', () => {
	const result = checkResult('service.logon-right', 'fail', ['logon-right-missing-service-account'], {
		account: "CONTOSO\\O'Brien<svc>$",
		accountSid: 'S-1-5-21-1-2-3-1105',
		gpo: 'Server "Baseline" Policy',
	});
	const html = panelFor(result);
	auditMarkup(html);
	// The quoting itself is the quoting module's (quoting.test.ts); here: which values, in which order, escaped.
	const expectedCommand = buildScriptInvocation('C:\\ext\\dist\\powershell\\catalogue\\fixes\\grant-logon-as-service.ps1', [
		['Account', "CONTOSO\\O'Brien<svc>$"],
		['AccountSid', 'S-1-5-21-1-2-3-1105'],
		['Gpo', 'Server "Baseline" Policy'],
	]);
	assert.ok(html.includes(`<pre class="snippet"><code>${escapeHtml(expectedCommand)}</code></pre>`));
	assert.ok(html.includes('&#39;CONTOSO\\O&#39;&#39;Brien&lt;svc&gt;$&#39;'), 'the value is quoted for PowerShell, then escaped');
	assert.ok(html.includes('&#39;Server &quot;Baseline&quot; Policy&#39;'));
	const fix = findFix('grant-logon-as-service')!;
	assert.equal(buildFixCommand(fix, resolveFixParameters(fix, new Map([[result.id, result]])), fixScriptPaths.get(fix.id)!).commandLine, expectedCommand);
	const run = buttons(parseTags(html)).find((b) => b.attributes.get('data-action') === 'runFix' && b.attributes.get('data-fix-id') === 'grant-logon-as-service')!;
	assert.equal(run.attributes.get('aria-label'), "Run fix 'Grant Log on as a service to the service account' in the terminal");
	assert.equal(run.attributes.get('data-check-id'), 'service.logon-right');
	assert.equal(run.attributes.has('disabled'), false);
	const copy = buttons(parseTags(html)).find((b) => b.attributes.get('data-action') === 'copy' && b.attributes.get('data-fix-id') === 'grant-logon-as-service')!;
	assert.equal(copy.attributes.get('aria-label'), "Copy the command of fix 'Grant Log on as a service to the service account'");
	assert.ok(html.includes('Changes this system: '));
});

test('a fix whose required parameter has no usable value cannot be run from the panel and says what is missing', () => {
	const fix = findFix('grant-logon-as-service')!;
	const noAccount = checkResult('service.logon-right', 'fail', ['logon-right-missing-service-account'], { gpo: 'Server Policy' });
	const html = panelFor(noAccount);
	auditMarkup(html);
	const run = buttons(parseTags(html)).find((b) => b.attributes.get('data-fix-id') === fix.id && b.attributes.get('data-action') === 'runFix')!;
	assert.equal(run.attributes.get('disabled'), true);
	assert.equal(run.attributes.get('aria-describedby'), 'missing--logon-right-missing-service-account--grant-logon-as-service');
	assert.ok(html.includes('Give a value to -Account before it can run'));
	// Values the quoting module cannot pass as the script expects count as missing: a fraction, a boolean, a NUL;
	// so do control characters the terminal would take as keystrokes (Ctrl+C, ESC, a line break, a C1 control).
	for (const account of [1.5, true, 'CONTOSO\\svc\0$', 'CONTOSO\\svc\u0003', 'a\u001b[2Kb', 'a\rb', 'a\nb', 'a\tb', 'a\u009bb', 'a\u007fb']) {
		const command = buildFixCommand(fix, { values: { Account: account }, missing: [], ready: true }, 'x.ps1');
		assert.deepEqual([command.ready, command.missing, command.commandLine], [false, ['Account'], buildScriptInvocation('x.ps1', [])], JSON.stringify(account));
	}
	// An optional parameter without a usable value is left out, and the fix stays ready.
	assert.deepEqual(buildFixCommand(fix, { values: { Account: 'a', Gpo: false }, missing: [], ready: true }, 'x.ps1'), {
		commandLine: buildScriptInvocation('x.ps1', [['Account', 'a']]),
		args: [['Account', 'a']],
		missing: [],
		ready: true,
	});
	// Numbers stay numbers; parameters keep the fix's order, not the order of the values.
	const port = findFix('test-endpoint-connection')!;
	assert.equal(
		buildFixCommand(port, { values: { Port: 443, ComputerName: 'h' }, missing: [], ready: true }, 'y.ps1').commandLine,
		buildScriptInvocation('y.ps1', [['ComputerName', 'h'], ['Port', 443]]),
	);
	assert.deepEqual(buildFixCommand(port, { values: {}, missing: ['ComputerName', 'Port'], ready: false }, 'y.ps1').missing, ['ComputerName', 'Port']);
});

test('a fix without a known script path is described without a command or buttons', () => {
	const result = checkResult('service.logon-right', 'fail', ['logon-right-missing-all-services']);
	const html = renderFailurePanel({ assets, explanation: explain(check(result.id), result), fixScriptPaths: new Map() });
	auditMarkup(html);
	assert.ok(html.includes('Open Local Security Policy (secpol.msc)'));
	assert.ok(html.includes('The script of this fix is not available.'));
	assert.equal(html.includes('data-action="runFix"'), false);
	assert.equal(html.includes('<pre class="snippet">'), false);
});

test('the re-run button names the check; every button has an accessible name and a known action', () => {
	const tags = auditMarkup(panelFor(hostileLogonRight));
	const rerun = buttons(tags).filter((b) => b.attributes.get('data-action') === 'rerun');
	assert.equal(rerun.length, 1);
	assert.equal(rerun[0].attributes.get('data-check-id'), 'service.logon-right');
	assert.equal(rerun[0].attributes.get('aria-label'), "Run the check 'Log on as a service' again");
	for (const button of buttons(tags)) {
		assert.ok(String(button.attributes.get('aria-label') ?? '').length > 5, button.source);
		assert.ok(['rerun', 'runFix', 'copy', 'openLink'].includes(String(button.attributes.get('data-action'))), button.source);
	}
});

test('every real check renders with all its failures, and the markup passes the audit', () => {
	const all = new Map<string, CheckResult>();
	for (const c of checks) {
		const status = c.failures.some((f) => f.severity === 'fail') ? 'fail' : c.probe ? 'warning' : 'manual';
		all.set(c.id, checkResult(c.id, status, c.failures.map((f) => f.id), Object.fromEntries(Object.keys(c.evidence).map((k) => [k, hostile.img]))));
	}
	for (const c of checks) {
		const html = panelFor(all.get(c.id)!, all);
		const tags = auditMarkup(html);
		for (const failure of all.get(c.id)!.status === 'manual' ? [] : c.failures) {
			assert.ok(html.includes(escapeHtml(failure.title)), `${c.id}: ${failure.id}`);
		}
		const fixButtons = buttons(tags).filter((b) => b.attributes.get('data-action') === 'copy').map((b) => String(b.attributes.get('data-fix-id')));
		const offered = all.get(c.id)!.status === 'manual' ? [] : c.failures.flatMap((f) => f.fixIds);
		assert.deepEqual(fixButtons, offered, c.id);
	}
});

// ---------------------------------------------------------------------------------------------------------------------
// The summary

test('the install-blocking rank covers every category, in the order the catalogue lists them today', () => {
	assert.deepEqual(Object.keys(installBlockingRank).sort((a, b) => installBlockingRank[a as keyof typeof installBlockingRank] - installBlockingRank[b as keyof typeof installBlockingRank]), categories.map((c) => c.id));
	assert.deepEqual(summaryStatusOrder.slice(0, 3), ['fail', 'warning', 'unknown']);
});

test('the summary lists failures first, then warnings, then could-not-check, each by what blocks the install most', () => {
	const results = new Map(
		[
			checkResult('network.endpoints', 'fail', ['endpoint-unreachable']),
			checkResult('service.logon-right', 'warning', ['logon-right-rsop-unreadable'], { rsopError: 'x' }),
			checkResult('gmsa.kds-root-key', 'fail', ['kds-root-key-missing']),
			checkResult('server.tls12', 'unknown', [], {}, 'Timed out'),
			checkResult('service.logon-right-not-a-check', 'fail'),
			checkResult('permissions.elevated', 'fail', ['not-elevated']),
			checkResult('service.state', 'fail', ['service-stopped']),
			checkResult('domain.dc-reachable', 'pass'),
			checkResult('permissions.tenant-role', 'manual'),
			checkResult('installer.setup-log', 'warning', []),
			checkResult('server.memory', 'notApplicable'),
		].map((r) => [r.id, r]),
	);
	const rows = orderSummaryRows(checks, results);
	const ids = rows.map((r) => r.check.id);
	assert.deepEqual(ids.slice(0, 9), [
		'permissions.elevated',
		'gmsa.kds-root-key',
		'service.state',
		'network.endpoints',
		'service.logon-right',
		'installer.setup-log',
		'server.tls12',
		'permissions.tenant-role',
		'permissions.domain-admin',
	]);
	assert.equal(rows.length, checks.length, 'every check once; results of unknown checks are ignored');
	assert.deepEqual(ids.slice(-2), ['domain.dc-reachable', 'server.memory']);
	assert.ok(rows.filter((r) => r.status === 'notRun').every((r) => r.summary === 'Not run yet'));
});

test('the summary panel counts statuses, groups them under headings and links each check to its panel', () => {
	const results = new Map(
		[
			checkResult('network.endpoints', 'fail', [], {}, `Blocked by proxy ${hostile.svg}`),
			checkResult('permissions.elevated', 'fail', ['not-elevated']),
			checkResult('service.logon-right', 'warning', ['logon-right-rsop-unreadable'], { rsopError: hostile.script }),
			checkResult('domain.dc-reachable', 'pass'),
		].map((r) => [r.id, r]),
	);
	const html = renderSummaryPanel({ assets, checks, categories, results, computerName: 'AGENT01' });
	const tags = auditMarkup(html);
	assert.ok(html.includes('<h1 id="page-title">Provisioning agent prerequisites on AGENT01</h1>'));
	assert.deepEqual([...html.matchAll(/<h2 id="status--[a-zA-Z]+">([^<]*)<\/h2>/g)].map((m) => m[1]), [
		'Failed (2)',
		'Warning (1)',
		`Not run (${checks.length - 4})`,
		'Passed (1)',
	]);
	assert.match(html, /<ul class="counts" aria-label="Checks by status"><li>.*?Failed<\/vscode-badge><\/span> 2<\/li>/);
	const links = buttons(tags).filter((b) => b.attributes.get('data-action') === 'showCheck');
	assert.deepEqual(links.slice(0, 3).map((b) => b.attributes.get('data-check-id')), ['permissions.elevated', 'network.endpoints', 'service.logon-right']);
	assert.equal(links.length, checks.length);
	assert.equal(links[0].attributes.get('aria-label'), "Show the details of 'Elevated session'");
	assert.ok(html.includes('<span class="summary">Could not check: Blocked by proxy &quot;&gt;&lt;svg onload=alert(1)&gt;</span>'));
	assert.ok(html.includes('(Permissions)'));
});

// ---------------------------------------------------------------------------------------------------------------------

test('the panel modules are pure: they import nothing from vscode', () => {
	for (const file of ['src/views/panelHtml.ts', 'src/views/panelMessages.ts', 'src/views/explainHtml.ts']) {
		const source = readFileSync(path.join(repoRoot, file), 'utf8');
		assert.doesNotMatch(source, /from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\)/, file);
	}
});

test('a found value the command cannot carry is left out of the command and the parameter list says so', () => {
	const result = checkResult('service.logon-right', 'fail', ['logon-right-missing-service-account', 'logon-right-gpo-lacks-accounts'], {
		account: 'NT SERVICE\\AADConnectProvisioningAgent',
		gpo: 'Hardening\rnext line',
		gpoSetsRight: true,
	});
	const html = panelFor(result);
	auditMarkup(html);
	const fix = findFix('grant-logon-as-service')!;
	const expected = buildScriptInvocation(fixScriptPaths.get(fix.id)!, [['Account', 'NT SERVICE\\AADConnectProvisioningAgent']]);
	assert.ok(html.includes(`<pre class="snippet"><code>${escapeHtml(expected)}</code></pre>`), 'no -Gpo in the command');
	assert.ok(html.includes('<dt><code>-Gpo</code></dt><dd><em>This diagnosis found a value the command cannot carry'), 'and the list says why');
	const parameterLists = html.split('<dl class="parameters">').slice(1).map((part) => part.slice(0, part.indexOf('</dl>')));
	assert.ok(parameterLists.length > 0);
	assert.ok(parameterLists.every((list) => !list.includes('Hardening')), 'the value is not shown as the parameter value');
	assert.ok(html.includes('Hardening\rnext line'), 'it is still evidence');
});

// ---------------------------------------------------------------------------------------------------------------------
// Explain an Error

const seedGmsaText =
	"Failed changing Windows service credentials to gMSA. Please check the logs for more detailed information. If that doesn't help resolve this issue, please contact support.";

function explainPanel(text: string, statuses: ReadonlyMap<string, NodeStatus> = new Map(), readOnly = false): string {
	return renderExplainPanel({ assets, text, explanation: explainMessage(text), statuses, knownMessages: messages.length, readOnly });
}

test('Explain an Error lists the seed message, every cause in rank order and the checks that tell them apart, with one run button', () => {
	const explanation = explainMessage(seedGmsaText);
	assert.ok(explanation.causes.length >= 2, 'the gMSA credential message is ambiguous');
	const html = explainPanel(seedGmsaText, new Map([[explanation.checks[0], 'fail']]));
	const tags = auditMarkup(html);
	assert.ok(html.includes(escapeHtml(explanation.matches[0].message.text)));
	assert.match(html, /Found on line 1: /);
	// Causes in the explanation's order, each by its failure id.
	const shownCauses = tags.filter((t) => t.name === 'li' && t.attributes.has('data-failure-id')).map((t) => t.attributes.get('data-failure-id'));
	assert.deepEqual(shownCauses, explanation.causes.map((c) => c.failureId));
	for (const cause of explanation.causes) {
		assert.ok(html.includes(escapeHtml(cause.failureTitle)), cause.failureTitle);
	}
	// One Details button per check that tells the causes apart, and one button that runs them all.
	const details = buttons(tags).filter((b) => b.attributes.get('data-action') === 'showCheck').map((b) => b.attributes.get('data-check-id'));
	assert.deepEqual(details, explanation.checks);
	const run = buttons(tags).filter((b) => b.attributes.get('data-action') === 'runExplained');
	assert.equal(run.length, 1);
	assert.equal([...run[0].attributes.keys()].filter((k) => k.startsWith('data-')).join(), 'data-action', 'the run button carries no data');
	assert.match(html, new RegExp(`Run These ${explanation.checks.length} Checks`));
	assert.match(html, /The latest run found a problem in this check/);
	assert.equal(buttons(tags).some((b) => b.attributes.get('data-action') === 'runDiagnosis'), false);
});

test('Explain an Error says when a check already passed, and offers no run button for an opened report', () => {
	const explanation = explainMessage(seedGmsaText);
	const passed = explainPanel(seedGmsaText, new Map(explanation.checks.map((id) => [id, 'pass' as NodeStatus])));
	assert.equal((passed.match(/The latest run passed this check, so this cause is unlikely on that server/g) ?? []).length, explanation.causes.length);
	const notApplicable = explainPanel(seedGmsaText, new Map([[explanation.checks[0], 'notApplicable' as NodeStatus]]));
	assert.match(notApplicable, /This check does not apply on that server, so this cause is unlikely there/);
	assert.doesNotMatch(notApplicable, /The latest run passed/);
	const readOnly = explainPanel(seedGmsaText, new Map(), true);
	assert.equal(buttons(auditMarkup(readOnly)).some((b) => /^run/.test(String(b.attributes.get('data-action')))), false);
	assert.match(readOnly, /shows an opened report/);
});

test('Explain an Error: text that matches nothing says so and offers the full diagnosis', () => {
	const html = explainPanel('The printer is out of paper.');
	const tags = auditMarkup(html);
	assert.match(html, /No known message in this text/);
	assert.ok(html.includes(`None of the ${messages.length} messages`));
	assert.deepEqual(buttons(tags).map((b) => b.attributes.get('data-action')), ['explain', 'runDiagnosis']);
	assert.match(html, /<title>Explain an Error: no known message<\/title>/);
});

test('Explain an Error: the pasted text and its excerpts stay inert text, and long excerpts are cut', () => {
	const text = `${hostile.script}\n${seedGmsaText} ${hostile.img}${'x'.repeat(600)}\n${hostile.commandLink}`;
	const html = explainPanel(text);
	auditMarkup(html);
	// The text box holds the whole text, escaped.
	const box = /<textarea[^>]*>([^<]*)<\/textarea>/.exec(html);
	assert.ok(box);
	assert.equal(unescapeHtml(box[1]), text);
	assert.match(html, /Found on line 2: /);
	const shown = [...html.matchAll(/<code class="host-text">([^<]*)<\/code>/g)].map((m) => unescapeHtml(m[1]));
	assert.equal(shown.length, 1);
	assert.equal(shown[0].length, 401);
	assert.ok(shown[0].endsWith('…'));
	assert.ok(shown[0].startsWith(seedGmsaText));
});

test('before anything is explained the panel is the text box and its button only; the summary has the same box', () => {
	const empty = renderExplainPanel({ assets, text: '', statuses: new Map(), knownMessages: messages.length });
	const tags = auditMarkup(empty);
	assert.deepEqual(buttons(tags).map((b) => b.attributes.get('data-action')), ['explain']);
	assert.doesNotMatch(empty, /Known messages|No known message/);
	const summary = renderSummaryPanel({ assets, checks, categories, results: new Map() });
	const summaryTags = auditMarkup(summary);
	assert.ok(summaryTags.some((t) => t.name === 'textarea' && t.attributes.get('id') === 'explain-text'));
	assert.ok(buttons(summaryTags).some((b) => b.attributes.get('data-action') === 'explain'));
});
