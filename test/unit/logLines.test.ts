/**
 * The Agent logs check's lines, from the result to the editor: which evidence entries are taken (the result file is
 * host data), where a reported line is once its file is open, the "Open in Editor" button on the check's page (not on
 * an opened report's), and the gate for the message it sends.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explain } from '../../src/checks/explain';
import { findCheck } from '../../src/checks/catalogue';
import { locateLogLine, logLinesOf, maxLogLines } from '../../src/logs/logLines';
import { makeNonce, renderFailurePanel, type PanelAssets } from '../../src/views/panelHtml';
import { messageAllowedFrom, parsePanelMessage } from '../../src/views/panelMessages';
import { checkResult } from './fixtures';

const ldap = 'System.DirectoryServices.Protocols.LdapException: The operation was aborted because the client side timeout limit was exceeded.';
const trace = 'C:\\ProgramData\\Microsoft\\Azure AD Connect Provisioning Agent\\Trace\\AgentTrace-20261201.log';

const entry = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({ messageId: 'ldap-client-timeout', file: trace, lineNumber: 12, line: `[ERROR] ${ldap}`, ...overrides });

test('log lines are read from the knownLines evidence in order, with or without a line number', () => {
	const lines = logLinesOf({ knownLines: [entry(), entry({ lineNumber: null, file: '/var/log/agent/trace.log' }), entry({ file: '\\\\server\\share\\t.log', lineNumber: 1 })] as never });
	assert.deepEqual(lines, [
		{ messageId: 'ldap-client-timeout', file: trace, lineNumber: 12, text: `[ERROR] ${ldap}` },
		{ messageId: 'ldap-client-timeout', file: '/var/log/agent/trace.log', lineNumber: undefined, text: `[ERROR] ${ldap}` },
		{ messageId: 'ldap-client-timeout', file: '\\\\server\\share\\t.log', lineNumber: 1, text: `[ERROR] ${ldap}` },
	]);
	assert.deepEqual(logLinesOf({}), []);
	assert.deepEqual(logLinesOf({ knownLines: 'C:\\x.log' }), []);
});

test('an entry not of the probe\'s shape is left out, and at most maxLogLines are taken', () => {
	const bad = [
		'C:\\a.log',
		null,
		[trace],
		entry({ file: 'relative\\trace.log' }),
		entry({ file: 'C:\\a\nb.log' }),
		entry({ file: 'C:\\a\u0000.log' }),
		entry({ file: 7 }),
		entry({ messageId: undefined }),
		entry({ line: 3 }),
		entry({ lineNumber: 0 }),
		entry({ lineNumber: -2 }),
		entry({ lineNumber: 1.5 }),
		entry({ lineNumber: '12' }),
	];
	assert.deepEqual(logLinesOf({ knownLines: [...bad, entry({ lineNumber: 3 })] as never }).map((l) => l.lineNumber), [3]);
	const many = Array.from({ length: maxLogLines + 5 }, (_, i) => entry({ lineNumber: i + 1 }));
	assert.equal(logLinesOf({ knownLines: many as never }).length, maxLogLines);
});

test('a line is found at its number, else at the last line that starts with its text, else at its number', () => {
	const doc = ['start', `  [ERROR] ${ldap}  `, 'middle', `[ERROR] ${ldap}`, 'end'];
	assert.equal(locateLogLine(doc, { lineNumber: 2, text: `[ERROR] ${ldap}` }), 1, 'its number, leading space ignored');
	assert.equal(locateLogLine(doc, { lineNumber: 3, text: `[ERROR] ${ldap}` }), 3, 'the line moved: the last one that holds it');
	assert.equal(locateLogLine(doc, { lineNumber: undefined, text: `[ERROR] ${ldap}` }), 3, 'a tail: the newest');
	assert.equal(locateLogLine(doc, { lineNumber: undefined, text: '[ERROR] System.Directory' }), 3, 'a cut line is a start');
	assert.equal(locateLogLine(doc, { lineNumber: 5, text: 'gone' }), 4, 'the text is gone but the file has that line');
	assert.equal(locateLogLine(doc, { lineNumber: 6, text: 'gone' }), undefined);
	assert.equal(locateLogLine(doc, { lineNumber: undefined, text: 'gone' }), undefined);
	assert.equal(locateLogLine(doc, { lineNumber: undefined, text: '' }), undefined, 'an empty text names no line');
	assert.equal(locateLogLine([], { lineNumber: 1, text: 'x' }), undefined);
});

const assets: PanelAssets = {
	cspSource: 'https://*.vscode-cdn.net',
	nonce: makeNonce(Uint8Array.from({ length: 16 }, (_, i) => i * 3)),
	scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/panel.js',
	styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/panel.css',
	codiconsUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/codicon.css',
	elementsUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/bundled.js',
};

function agentLogsPage(knownLines: unknown[], readOnly?: string): string {
	const result = checkResult('eventlog.agent-logs', 'warning', ['agent-logs-known-messages'], { days: 7, messagesFound: [`2 x ${ldap}`], knownLines: knownLines as never });
	return renderFailurePanel({ assets, explanation: explain(findCheck('eventlog.agent-logs')!, result), fixScriptPaths: new Map(), readOnly, logLines: logLinesOf(result.evidence) });
}

test('the Agent logs page lists each line with its place and an Open in Editor button that sends only its index', () => {
	const html = agentLogsPage([entry(), entry({ lineNumber: null, file: 'C:\\T\\old.log', line: 'second' })]);
	assert.match(html, /<h2 id="log-lines">Lines in the logs<\/h2>/);
	assert.match(html, /<p class="log-line"><code class="host-text">\[ERROR\] System\.DirectoryServices\.Protocols\.LdapException: The operation was aborted/);
	assert.ok(html.includes(`${trace.replace(/\\/g, '\\')}, line 12`));
	assert.ok(html.includes('C:\\T\\old.log (near its end)'));
	const buttons = [...html.matchAll(/<vscode-button [^>]*data-action="openLogLine"[^>]*>/g)].map((m) => m[0]);
	assert.equal(buttons.length, 2);
	assert.match(buttons[0], /data-check-id="eventlog\.agent-logs"/);
	assert.match(buttons[0], /data-line="0"/);
	assert.match(buttons[1], /data-line="1"/);
	assert.match(buttons[1], /aria-label="Open old\.log at this line"/);
	assert.ok(!/data-file|data-path/.test(html), 'no path goes back to the extension');
});

test('host text in a log line or path is escaped, and a report page shows the lines without the button', () => {
	const html = agentLogsPage([entry({ line: '<img src=x onerror=alert(1)>', file: 'C:\\<script>alert(1)</script>.log' })]);
	assert.ok(!html.includes('<img src=x'));
	assert.ok(!html.includes('<script>alert(1)'));
	assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
	const report = agentLogsPage([entry()], 'Report of AGENT01 from 26 Nov');
	assert.ok(report.includes('Lines in the logs'));
	assert.ok(!report.includes('data-action="openLogLine"'));
	assert.ok(!agentLogsPage([]).includes('Lines in the logs'), 'no section without lines');
});

test('the gate takes openLogLine with a decimal index for a check that reports log lines, from that check\'s page only', () => {
	const reasons: string[] = [];
	const parse = (raw: unknown) => parsePanelMessage(raw, (r) => reasons.push(r));
	assert.deepEqual(parse({ type: 'openLogLine', checkId: 'eventlog.agent-logs', line: '0' }), { type: 'openLogLine', checkId: 'eventlog.agent-logs', line: 0 });
	assert.deepEqual(parse({ type: 'openLogLine', checkId: 'eventlog.agent-logs', line: String(maxLogLines - 1) }), { type: 'openLogLine', checkId: 'eventlog.agent-logs', line: maxLogLines - 1 });
	for (const line of [0, '-1', '01', '1.0', ' 1', String(maxLogLines), '100', '', 'C:\\x.log']) {
		assert.equal(parse({ type: 'openLogLine', checkId: 'eventlog.agent-logs', line }), undefined, JSON.stringify(line));
	}
	assert.equal(parse({ type: 'openLogLine', checkId: 'service.state', line: '0' }), undefined);
	assert.match(reasons.at(-1)!, /check "service\.state" reports no log lines/);
	assert.equal(parse({ type: 'openLogLine', checkId: 'eventlog.agent-logs', line: '0', file: trace }), undefined, 'no path is taken');
	const message = parse({ type: 'openLogLine', checkId: 'eventlog.agent-logs', line: '1' })!;
	assert.equal(messageAllowedFrom({ kind: 'check', checkId: 'eventlog.agent-logs' }, message), true);
	assert.equal(messageAllowedFrom({ kind: 'check', checkId: 'service.state' }, message), false);
	assert.equal(messageAllowedFrom({ kind: 'summary' }, message), false);
	assert.equal(messageAllowedFrom({ kind: 'explain' }, message), false);
});

test('the log lines are not repeated in the evidence list of the page that shows them', () => {
	const html = agentLogsPage([entry()]);
	assert.ok(!html.includes('Lines with catalogued messages'), 'the knownLines label is left out of the list');
	assert.ok(html.includes('<dt>Days searched</dt>'), 'the rest of the evidence stays');
	assert.ok(agentLogsPage([]).includes('<dt>Lines with catalogued messages'), 'without lines to show apart, the list keeps the key');
});

test('edges of the line finder: the first line, the line after the number, a number of 0, and one text on two lines', () => {
	assert.equal(locateLogLine(['only here', 'b', 'c'], { lineNumber: undefined, text: 'only here' }), 0, 'the search reaches the first line');
	assert.equal(locateLogLine(['a', 'X', 'b', 'c'], { lineNumber: 2, text: 'X' }), 1, 'its own number, not the line after it');
	assert.equal(locateLogLine(['X', 'X'], { lineNumber: 1, text: 'X' }), 0, 'at its number, though a later line holds it too');
	assert.equal(locateLogLine(['a', 'X'], { lineNumber: 0, text: 'X' }), 1, 'no line 0: found by its text');
});

test('a path is absolute only from its start, and a missing line number is no number', () => {
	assert.deepEqual(logLinesOf({ knownLines: [entry({ file: 'see C:\\x.log' }), entry({ file: 'x/C:\\y.log' })] as never }), []);
	const { lineNumber: _dropped, ...withoutNumber } = entry();
	assert.deepEqual(logLinesOf({ knownLines: [withoutNumber] as never }).map((l) => l.lineNumber), [undefined]);
});
