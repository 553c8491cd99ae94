import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categories, checks } from '../../src/checks/catalogue';
import type { CheckResult } from '../../src/checks/types';
import { fillTemplate } from '../../src/checks/explain';
import { buildTree, codeSpan, escapeMarkdown, maxTooltipValueLength, statusLabels, worstStatus } from '../../src/views/treeModel';
import { checkResult } from './fixtures';

const state = (results: CheckResult[], running: string[] = []) => ({
	results: new Map(results.map((r) => [r.id, r])),
	running: new Set(running),
});

test('every catalogue check appears once, under its category, in catalogue order', () => {
	const tree = buildTree(categories, checks, state([]));
	const ids = tree.flatMap((c) => c.children.map((k) => k.id));
	assert.deepEqual(ids, [...checks].sort((a, b) => categories.findIndex((c) => c.id === a.category) - categories.findIndex((c) => c.id === b.category)).map((c) => c.id));
	assert.ok(tree.every((c) => c.children.every((k) => k.status === 'notRun')));
});

test('statuses map to labels, descriptions and accessibility labels', () => {
	const tree = buildTree(
		categories,
		checks,
		state([
			checkResult('server.os-version', 'pass', [], { caption: 'Windows Server 2019 Datacenter', buildNumber: 17763 }),
			checkResult('service.logon-right', 'fail', ['logon-right-missing-all-services', 'logon-right-gpo-lacks-accounts']),
			checkResult('gmsa.kds-root-key', 'unknown', [], {}, 'Timed out after 60 s'),
		], ['network.endpoints']),
	);
	const find = (id: string) => tree.flatMap((c) => c.children).find((k) => k.id === id)!;
	const os = find('server.os-version');
	assert.equal(os.status, 'pass');
	assert.match(os.description, /17763/);
	assert.equal(os.accessibilityLabel, `${os.label}, Passed: ${os.description}`);
	const logon = find('service.logon-right');
	assert.equal(logon.status, 'fail');
	assert.match(logon.description, /\(\+1 more\)$/);
	assert.ok(logon.accessibilityLabel.includes(', Failed: '));
	assert.equal(find('gmsa.kds-root-key').description, 'Could not check: Timed out after 60 s');
	assert.equal(find('network.endpoints').status, 'running');
	assert.equal(find('permissions.elevated').status, 'notRun');
	const service = tree.find((c) => c.id === 'service')!;
	assert.equal(service.status, 'fail');
	assert.equal(service.expanded, true);
	assert.match(service.description, /1 failed/);
	assert.equal(tree.find((c) => c.id === 'network')!.description, 'Running…');
});

test('an unrecognised failure id is shown, not hidden', () => {
	const tree = buildTree(categories, checks, state([checkResult('server.dotnet', 'fail', ['made-up'])]));
	const node = tree.flatMap((c) => c.children).find((k) => k.id === 'server.dotnet')!;
	assert.match(node.description, /Unrecognised finding "made-up"/);
});

test('worstStatus ranks failures above warnings above passes', () => {
	assert.equal(worstStatus(['pass', 'warning', 'fail']), 'fail');
	assert.equal(worstStatus(['pass', 'notApplicable']), 'pass');
	assert.equal(worstStatus(['pass', 'unknown', 'warning']), 'unknown');
	// A failure outranks "could not check" in either order: a category with both shows as failed.
	assert.equal(worstStatus(['unknown', 'fail']), 'fail');
	assert.equal(worstStatus(['fail', 'unknown', 'pass']), 'fail');
	assert.equal(worstStatus([]), 'notRun');
	assert.equal(Object.keys(statusLabels).length, 8);
});

test('templates fill evidence; tooltips escape host-supplied Markdown', () => {
	assert.equal(fillTemplate('Build {buildNumber} of {caption}', { buildNumber: 17763 }), 'Build 17763 of unknown');
	assert.equal(fillTemplate('{list}', { list: ['a', 'b'] }), 'a, b');
	assert.equal(escapeMarkdown('[x](javascript:alert(1)) <img>'), '\\[x\\]\\(javascript:alert\\(1\\)\\) \\<img\\>');
	const tree = buildTree(categories, checks, state([checkResult('permissions.elevated', 'fail', ['not-elevated'], { user: '[evil](http://x) `tick`' }, null)]));
	const node = tree.flatMap((c) => c.children).find((k) => k.id === 'permissions.elevated')!;
	// Host values appear only inside code spans (never rendered as links), with backticks neutralised.
	assert.ok(node.tooltip.includes("- Account running the diagnosis: `[evil](http://x) 'tick'`"), node.tooltip);
	assert.equal(node.tooltip.split('\n').filter((l) => l.includes('[evil]') && !l.includes('`[evil]')).length, 0);
});

test("a failed check's tooltip explains the failure: cause, numbered steps, caveat and Microsoft source", () => {
	const tree = buildTree(categories, checks, state([checkResult('domain.dc-version', 'warning', ['no-dc-2016'])]));
	const node = tree.flatMap((c) => c.children).find((k) => k.id === 'domain.dc-version')!;
	const failure = checks.find((c) => c.id === 'domain.dc-version')!.failures.find((f) => f.id === 'no-dc-2016')!;
	assert.ok(node.tooltip.includes('1. '), 'numbered remediation steps');
	assert.ok(node.tooltip.includes('*Not stated by Microsoft:*'), 'the unverified caveat is shown');
	assert.ok(node.tooltip.includes(`](${failure.sources[0].url})`), 'links the source');
	assert.ok(node.tooltip.includes(failure.cause.slice(0, 20).replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) => `\\${c}`)), 'shows the cause');
	const passing = buildTree(categories, checks, state([checkResult('domain.dc-version', 'pass', [], { newestDc: 'DC1' })]));
	assert.ok(!passing.flatMap((c) => c.children).find((k) => k.id === 'domain.dc-version')!.tooltip.includes('Source:'));
});

test('a warning or failure without failure ids still says in its tooltip what was found; a pass does not repeat it', () => {
	for (const status of ['warning', 'fail', 'unknown'] as const) {
		const tree = buildTree(categories, checks, state([checkResult('server.memory', status, [], { totalBytes: 1 })]));
		const node = tree.flatMap((c) => c.children).find((k) => k.id === 'server.memory')!;
		// A line of its own (the title line names the status too).
		assert.ok(node.tooltip.split('\n').includes(escapeMarkdown(node.description)), `${status}: ${node.tooltip}`);
	}
	const passing = buildTree(categories, checks, state([checkResult('server.memory', 'pass', [], { totalBytes: 1 })]));
	const node = passing.flatMap((c) => c.children).find((k) => k.id === 'server.memory')!;
	assert.ok(!node.tooltip.split('\n').includes(escapeMarkdown(node.description)), node.tooltip);
});

test('host text in a tooltip stays on one line whatever its line terminators, and is capped below the editor cut', () => {
	// A lone CR, NEL, the Unicode line and paragraph separators, VT and FF would each let a planted line start a block.
	for (const terminator of ['\r\n', '\r', '\n', '\u0085', '\u2028', '\u2029', '\v', '\f']) {
		const planted = `ok${terminator}[click](command:workbench.action.terminal.sendSequence)${terminator}![x](https://x/y.png)`;
		const span = codeSpan(planted);
		assert.equal(span, '`ok [click](command:workbench.action.terminal.sendSequence) ![x](https://x/y.png)`', JSON.stringify(terminator));
		assert.doesNotMatch(escapeMarkdown(planted), /[\r\n\u0085\u2028\u2029\v\f]/, JSON.stringify(terminator));
		assert.ok(escapeMarkdown(planted).includes('\\[click\\]\\(command:'), JSON.stringify(terminator));
	}
	const long = 'a'.repeat(maxTooltipValueLength + 500);
	assert.equal(codeSpan(long), `\`${'a'.repeat(maxTooltipValueLength)}…\``);
	assert.equal(escapeMarkdown(long).length, maxTooltipValueLength + 1);
	assert.equal(codeSpan('b'.repeat(maxTooltipValueLength)), `\`${'b'.repeat(maxTooltipValueLength)}\``, 'a value of exactly the cap is not cut');
	// In a whole tooltip: a huge evidence value cannot push the tooltip near VS Code's 100,000-character cut.
	const tree = buildTree(categories, checks, state([checkResult('permissions.elevated', 'fail', ['not-elevated'], { user: 'u'.repeat(500000) }, null)]));
	const node = tree.flatMap((c) => c.children).find((k) => k.id === 'permissions.elevated')!;
	assert.ok(node.tooltip.length < 20000, String(node.tooltip.length));
});
