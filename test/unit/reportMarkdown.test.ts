import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categories, findCheck, sources } from '../../src/checks/catalogue';
import type { CheckResult, DiagnosisResult } from '../../src/checks/types';
import { buildReport, type DiagnosisReport } from '../../src/report/reportJson';
import { renderReportMarkdown } from '../../src/report/reportMarkdown';
import { statusLabels } from '../../src/views/treeModel';
import { reportFixtureResult } from './fixtures/reportFixture';

const options = { generatedAt: '2026-11-26T07:05:00.000Z', extensionVersion: '0.1.0' };

function render(result: DiagnosisResult, redacted = false): { readonly report: DiagnosisReport; readonly markdown: string } {
	const report = { ...buildReport(result, options), redacted };
	return { report, markdown: renderReportMarkdown(report) };
}

const lines = (markdown: string) => markdown.split('\n');

/** The section of the Markdown from a heading to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string {
	const all = lines(markdown);
	const start = all.indexOf(heading);
	assert.ok(start >= 0, `heading ${heading} is in the Markdown`);
	const level = heading.indexOf(' ');
	const end = all.findIndex((line, i) => i > start && /^#+ /.test(line) && line.indexOf(' ') <= level);
	return all.slice(start, end < 0 ? undefined : end).join('\n');
}

/** How many `|` of a line are live (a pipe after an odd run of backslashes is escaped, in every renderer). */
function livePipes(line: string): number {
	return [...line.matchAll(/(\\*)\|/g)].filter((m) => m[1].length % 2 === 0).length;
}

test('the header says who ran what, where, when and how', () => {
	const { markdown } = render(reportFixtureResult());
	const header = lines(markdown).slice(0, 24).join('\n');
	assert.ok(markdown.startsWith('# Provisioning Agent Doctor diagnosis report\n\n| | |\n|---|---|\n| Tool | Provisioning Agent Doctor |\n'), 'the title, a blank line, then the table');
	for (const row of [
		'| Tool | Provisioning Agent Doctor |',
		'| Extension version | `0.1.0` |',
		'| Report generated | `2026-11-26T07:05:00.000Z` |',
		'| Computer | `AGENT01` |',
		'| Account running the diagnosis | `CONTOSO\\adm-jsmith` |',
		'| PowerShell | `5.1.17763.1` `Desktop` |',
		'| Elevated | yes |',
		'| Redacted | no: this report shows real names and addresses; review it before you share it |',
		'| Run started | `2026-11-26T07:00:00.0000000Z` |',
		'| Run finished | `2026-11-26T07:00:41.2000000Z` |',
		'| Cloud | `public` |',
		'| Event log window | `7` days |',
		'| Time budget per check | `60` s |',
		'| Network timeout | `10` s |',
		'| Wizard account checked | `helpdesk@contoso.com` |',
		'| Checks selected | 22 |',
	]) {
		assert.ok(header.split('\n').includes(row), `${row}\n${header}`);
	}
	const result = reportFixtureResult();
	const notElevated = render({ ...result, host: { ...result.host, isElevated: false }, parameters: { ...result.parameters, wizardAccount: '' } }, true).markdown;
	assert.ok(lines(notElevated).includes('| Elevated | no |'));
	assert.ok(lines(notElevated).includes('| Wizard account checked | the account running the diagnosis |'));
	assert.match(notElevated, /\n\| Redacted \| yes: computer, domain and account names/);
	assert.ok(lines(render({ ...result, host: { ...result.host, isElevated: null } }).markdown).includes('| Elevated | unknown |'));
	const fatal = render({ ...result, fatal: { code: 'unexpected', message: 'The catalogue could not be read' } }).markdown;
	assert.ok(lines(fatal).includes('**The diagnosis stopped early** (`unexpected`): `The catalogue could not be read`'));
	assert.doesNotMatch(markdown, /stopped early/);
});

test('the summary counts the checks of each status', () => {
	const result = reportFixtureResult();
	const { markdown } = render(result);
	const summary = section(markdown, '## Summary');
	const count = (status: CheckResult['status']) => result.checks.filter((c) => c.status === status).length;
	assert.deepEqual([count('fail'), count('unknown'), count('warning'), count('manual'), count('pass'), count('notApplicable')], [6, 2, 3, 1, 9, 1]);
	for (const status of ['fail', 'unknown', 'warning', 'manual', 'pass', 'notApplicable'] as const) {
		assert.ok(summary.split('\n').includes(`| ${statusLabels[status]} | ${count(status)} |`), `${status}\n${summary}`);
	}
	assert.ok(summary.split('\n').includes(`| Total | ${result.checks.length} |`));
});

test('each category lists its checks in catalogue order; unknown checks come last', () => {
	const result = reportFixtureResult();
	const { markdown } = render(result);
	const headings = lines(markdown).filter((l) => l.startsWith('## ')).map((l) => l.slice(3));
	const present = categories.filter((c) => result.checks.some((r) => findCheck(r.id)?.category === c.id)).map((c) => c.title.replace(/[\\`*_{}[\]()#+\-.!|<>~&:@$=]/g, '\\$&'));
	assert.deepEqual(headings, ['Summary', ...present, 'Checks this version of the extension does not know']);
	const service = section(markdown, '## Service and user rights');
	const rows = service.split('\n').filter((l) => /^\| (Failed|Passed|Warning) \|/.test(l));
	assert.deepEqual(rows.map((r) => /`([a-z.-]+)`/.exec(r)?.[1]), ['service.state', 'service.logon-right', 'service.agent-version']);
	assert.equal(rows[0], '| Failed | Agent service running `service.state` | Service not running |');
	const unknown = section(markdown, '## Checks this version of the extension does not know');
	assert.ok(unknown.includes('| Failed | `future.check` | Unrecognised finding "made\\-up" |'), unknown);
	assert.ok(unknown.includes('This version of the extension does not know this finding'), unknown);
});

test('a failure shows its title, cause, remediation steps, Microsoft sources and the evidence', () => {
	const result = reportFixtureResult();
	const { markdown, report } = render(result);
	const part = section(markdown, '### Failed: Agent service running');
	const failure = report.checks.find((c) => c.id === 'service.state')!.failures[0];
	const definition = findCheck('service.state')!;
	assert.ok(part.includes('`service.state`: Service not running'));
	assert.ok(part.includes('**Service not running** (Failed) `service-stopped`'), part);
	assert.ok(part.includes(failure.cause!.replace(/[\\`*_{}[\]()#+\-.!|<>~&:@$=]/g, '\\$&')), part);
	failure.remediation.forEach((step, i) => assert.ok(part.includes(`\n${i + 1}. ${step.replace(/[\\`*_{}[\]()#+\-.!|<>~&:@$=]/g, '\\$&')}\n`), step));
	for (const source of definition.failures.find((f) => f.id === 'service-stopped')!.sources) {
		assert.ok(part.includes(`](${source.url})`), source.url);
	}
	assert.ok(part.includes('| Evidence | Value |'));
	assert.ok(part.includes(`| ${definition.evidence.state} | \`Stopped\` |`), part);
	assert.ok(part.includes(`| ${definition.evidence.startName} | \`CONTOSO\\syncAgentGmsa$\` |`), part);
	assert.ok(part.includes(`| ${definition.evidence.installed} | \`true\` |`), part);

	const unknown = section(markdown, '### Could not check: KDS root key');
	assert.ok(unknown.includes('Could not check: `Get-KdsRootKey failed: the domain controller DC02.contoso.com (fd12:3456:789a:1::10) did not answer.`'), unknown);
	assert.ok(unknown.includes('| Keys \\(id, EffectiveTime, CreationTime, UTC\\) | *none* |'), unknown);
	assert.ok(unknown.includes('| Session elevated | *unknown* |'), unknown);

	const dc = section(markdown, '### Warning: Domain controller reachable');
	assert.ok(dc.includes('| Ports probed | `host: DC01.contoso.com, port: 389, status: open` · `host: DC02.contoso.com, port: 3268, status: refused` |'), dc);
	// Passing checks are in their category's table only.
	assert.doesNotMatch(markdown, /### Passed/);
	assert.doesNotMatch(markdown, /Windows edition \|/);
});

test('a source that is not Microsoft\'s says so, and a URL that is not plain https is shown, not linked', () => {
	const report = render(reportFixtureResult()).report;
	const edited: DiagnosisReport = {
		...report,
		checks: report.checks.map((c) =>
			c.id === 'service.state'
				? { ...c, failures: [{ ...c.failures[0], sources: [{ title: 'A blog', url: 'https://blog.example/post', publisher: 'other' }, { title: 'Bad', url: 'javascript:alert(1)', publisher: 'microsoft' }] }] }
				: c,
		),
	};
	const part = section(renderReportMarkdown(edited), '### Failed: Agent service running');
	assert.ok(part.includes('Sources: [A blog](https://blog.example/post) (not Microsoft) · Bad `javascript:alert(1)`'), part);
});

const hostileValues = [
	'<script>alert(1)</script>',
	'<img src=x onerror=alert(1)>',
	'[click](javascript:alert(1))',
	'![pixel](https://evil.example/p.png)',
	'a | b | c',
	'back`tick`s and ``two``',
	'line one\n# Injected heading\r\n- injected item\u2028> quote',
	'\rnext',
	'https://evil.example/phish www.evil.example mail@evil.example',
	'C:\\share\\|x',
	'$x^2$ and &lt;b&gt; and &amp;',
	'\u001b[31mred\u001b[0m \u202eright-to-left \u0000nul',
	'[ref]: https://evil.example',
	'    indented as code',
	'*emphasis* __bold__ ~~strike~~',
	'<!-- comment --> <a href="https://evil.example">a</a>',
];

/** A result in which every value the host controls is hostile, evidence, errors and the run's own fields. */
function hostileResult(): DiagnosisResult {
	const base = reportFixtureResult();
	const evidence = Object.fromEntries(hostileValues.map((v, i) => [`key${i}`, v]));
	return {
		...base,
		startedAt: hostileValues[2],
		finishedAt: hostileValues[0],
		host: { ...base.host, computerName: hostileValues[0], userName: hostileValues[2], psVersion: hostileValues[6], psEdition: hostileValues[4] },
		parameters: { ...base.parameters, wizardAccount: hostileValues[3] },
		fatal: { code: 'unexpected', message: hostileValues[6] },
		checks: [
			...base.checks.map((c) => (c.status === 'fail' ? { ...c, evidence: { ...c.evidence, ...evidence, list: hostileValues, objects: hostileValues.map((v) => ({ [v]: v })) }, error: hostileValues[7] } : c)),
			{ id: '<b>future</b>\n# check', status: 'fail', failureIds: ['[x](javascript:alert(1))'], evidence, error: hostileValues[5], durationMs: 1 },
			{ id: 'service.logon-right', status: 'fail', failureIds: ['logon-right-gpo-lacks-accounts'], evidence: { gpo: `${hostileValues[1]} [run](command:workbench.action.terminal.sendSequence)\rnext`, gpoLacks: ['x | y'] }, error: null, durationMs: 1 },
			{ id: 'huge.value', status: 'warning', failureIds: [], evidence: { big: '<'.repeat(100000), many: Array.from({ length: 500 }, (_, i) => `item ${i} <x>`) }, error: null, durationMs: 1 },
		],
	};
}

/** The Markdown with code spans, the catalogue's links and backslash escapes taken out: what a renderer reads as markup. */
function liveMarkup(markdown: string): string {
	const catalogueUrls = new Set(sources.map((s) => s.url));
	return markdown
		.replace(/`[^`\n]*`/g, '')
		.replace(/\]\((https:\/\/[^\s)]+)\)/g, (m, url: string) => (catalogueUrls.has(url) ? '' : m))
		.replace(/\\[\s\S]/g, '');
}

test('hostile host text renders inert: no HTML, no links, no new lines or blocks, tables intact', () => {
	const { markdown } = render(hostileResult());
	const live = liveMarkup(markdown);
	for (const forbidden of ['<', '>', '](', 'javascript:', 'command:', 'https://evil', 'www.evil', 'mail@', '$x', '&lt;', '&amp;', '[ref]:', '~~']) {
		assert.ok(!live.includes(forbidden), `${forbidden} is live: …${live.slice(Math.max(0, live.indexOf(forbidden) - 80), live.indexOf(forbidden) + 40)}…`);
	}
	// Every [ left is the start of a catalogue link.
	assert.equal((live.match(/\[/g) ?? []).length, (markdown.match(/\]\(https:\/\/learn\.microsoft\.com/g) ?? []).length + (live.match(/\]\(/g) ?? []).length);
	assert.doesNotMatch(markdown, /[\u0000-\u0008\u000b-\u001f\u007f\u2028\u202e]/, 'no control, separator or override character survives');

	const all = lines(markdown);
	const ownLine = /^(|#{1,3} \S.*|\|.*\||\d+\. \S.*|\*\*.*|\*\S.*|`[^`]+`: .*|Remediation:|Sources: .*|Could not check: .*|---)$/;
	for (const line of all) {
		// A line of the report's own forms, or a paragraph (a cause, a note) that cannot start a block of its own.
		assert.ok(ownLine.test(line) || !/^\s*([#>+*=_`~<|[!-]|\d+[.)])/.test(line), `a line that starts a block: ${line.slice(0, 120)}`);
		assert.ok(!/^(next|- injected|> quote|# Injected| {4}indented)/.test(line), line);
		assert.ok(line.length < 10000, `a long value is shortened: ${line.length}`);
	}
	// The headings are the report's own: the title, the summary, one per category, one per problem check.
	const hostile = hostileResult();
	const problems = hostile.checks.filter((c) => c.status === 'fail' || c.status === 'warning' || c.status === 'unknown').length;
	const sections = new Set(hostile.checks.map((c) => findCheck(c.id)?.category ?? 'unknown')).size;
	assert.equal(all.filter((l) => l.startsWith('#')).length, 2 + sections + problems);
	// Table rows keep their columns: 2 in the header and evidence tables, 3 in the category tables.
	let expected = 0;
	for (const line of all) {
		if (!line.startsWith('|')) {
			expected = 0;
			continue;
		}
		expected ||= livePipes(line);
		assert.equal(livePipes(line), expected, `a row with other columns: ${line.slice(0, 160)}`);
	}
	assert.ok(markdown.includes('`<script>alert(1)</script>`'), 'hostile text is shown, as code');
	assert.ok(markdown.includes('`C:\\share\u29F5\\|x`'), 'a backslash before a pipe cannot unescape it');
	assert.ok(markdown.includes('*and 450 more*'));
});

/** marked, a GFM renderer (a devDependency for this test): the report must stay inert where tickets render it. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const markedModule = require('marked') as { marked: { parse(markdown: string, options: { async: false }): string } };
const marked = { parse: (markdown: string): string => markedModule.marked.parse(markdown, { async: false }) };

test('rendered by a GFM renderer, the hostile report has only the tags and links the report itself writes', () => {
	const { markdown } = render(hostileResult());
	const html = marked.parse(markdown);
	const tags = new Set([...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1].toLowerCase()));
	const allowed = new Set(['h1', 'h2', 'h3', 'p', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'strong', 'em', 'ol', 'li', 'a', 'hr']);
	assert.deepEqual([...tags].filter((t) => !allowed.has(t)), [], 'no tag beyond the report\'s own');
	const catalogueUrls = new Set(sources.map((s) => s.url));
	const hrefs = [...html.matchAll(/<a [^>]*href="([^"]*)"/g)].map((m) => m[1]);
	assert.ok(hrefs.length > 0);
	assert.deepEqual(hrefs.filter((h) => !catalogueUrls.has(h.replace(/&amp;/g, '&'))), [], 'every link is a catalogue source');
	assert.doesNotMatch(html, /<a [^>]*(?:onerror|onclick|javascript:)/i);
	assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the script is text');
	const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => (m[1].match(/<t[dh]/g) ?? []).length);
	assert.ok(rows.every((cells) => cells === 2 || cells === 3), `every table row has its columns: ${rows.join(',')}`);
});
