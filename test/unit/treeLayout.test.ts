import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Category, CheckDefinition, CheckResult, SourceLink } from '../../src/checks/types';
import { buildCheckNode, buildTree, codeSpan, describeCheck, escapeMarkdown, statusLabels, summarizeCategory, worstStatus } from '../../src/views/treeModel';
import type { CheckNodeModel, NodeStatus } from '../../src/views/treeModel';
import { checkResult } from './fixtures';

// The tree's exact words and layout, on a made-up check that uses every part of an explanation (so the catalogue's
// real texts can change without touching these tests, and every line the tooltip writes is pinned down).

const docs: SourceLink = { id: 'docs', title: 'Docs page', url: 'https://learn.microsoft.com/x', publisher: 'microsoft' };
const blog: SourceLink = { id: 'blog', title: 'A blog', url: 'https://example.com/y', publisher: 'other' };

const synthetic: CheckDefinition = {
	id: 'server.synthetic',
	category: 'server',
	title: 'Synthetic check',
	verifies: 'It checks a thing.',
	probe: 'Test-PadSynthetic',
	passText: 'All good on {host}',
	notApplicableText: 'Nothing to check on {host}',
	needsElevation: false,
	evidence: { host: 'Host name', count: 'Count' },
	notes: [
		{ text: 'Always noted about {host}.', sources: [docs] },
		{ when: { evidence: 'count', equals: 3 }, text: 'Three of them.', sources: [docs], unverified: 'Our reading.' },
	],
	failures: [
		{
			id: 'synthetic-broken',
			checkId: 'server.synthetic',
			severity: 'fail',
			title: 'Broken',
			cause: 'The thing on {host} is broken.',
			steps: ['Open the thing.', 'Fix it on {host}.'],
			caveats: ['It restarts.'],
			fixIds: [],
			sources: [docs, blog],
			unverified: 'Nobody says so.',
		},
		{ id: 'synthetic-odd', checkId: 'server.synthetic', severity: 'warning', title: 'Odd', cause: 'Odd.', steps: ['Look.'], caveats: [], fixIds: [], sources: [docs] },
	],
	sources: [docs],
};
const manualCheck: CheckDefinition = {
	...synthetic,
	id: 'server.manual-one',
	title: 'Manual one',
	probe: undefined,
	manualSteps: ['Confirm A.', 'Confirm B.'],
	notes: [],
	failures: [],
};
const otherCategoryCheck: CheckDefinition = { ...synthetic, id: 'network.synthetic', category: 'network', title: 'Network synthetic', notes: [], failures: [] };
const categories: Category[] = [
	{ id: 'server', title: 'Server' },
	{ id: 'domain', title: 'Domain' },
	{ id: 'network', title: 'Network' },
];

const state = (results: CheckResult[], running: string[] = []) => ({ results: new Map(results.map((r) => [r.id, r])), running: new Set(running) });
const node = (result: CheckResult | undefined, running = false, check = synthetic): CheckNodeModel =>
	buildCheckNode(check, state(result ? [result] : [], running ? [check.id] : []));

test('every status has its own label', () => {
	assert.deepEqual(statusLabels, {
		pass: 'Passed',
		fail: 'Failed',
		warning: 'Warning',
		unknown: 'Could not check',
		manual: 'Manual',
		notApplicable: 'Not applicable',
		running: 'Running',
		notRun: 'Not run',
	});
});

test('worstStatus keeps the first of equally bad statuses and ranks every status', () => {
	const order: NodeStatus[] = ['notApplicable', 'pass', 'manual', 'notRun', 'running', 'warning', 'unknown', 'fail'];
	for (let i = 1; i < order.length; i++) {
		assert.equal(worstStatus([order[i - 1], order[i]]), order[i]);
		assert.equal(worstStatus([order[i], order[i - 1]]), order[i]);
	}
	assert.equal(worstStatus(['notApplicable']), 'notApplicable');
});

test('Markdown escaping and code spans flatten every kind of line break', () => {
	assert.equal(escapeMarkdown('a\r\nb\nc'), 'a b c');
	// A lone CR starts a new Markdown block too (planted log text could become a live link): flattened like the rest.
	assert.equal(escapeMarkdown('a\rb'), 'a b');
	assert.equal(codeSpan('x`y\r\nz\nw'), "`x'y z w`");
});

test('describeCheck: running, not run, and the summary of a result', () => {
	assert.equal(describeCheck(synthetic, 'running', checkResult(synthetic.id, 'pass', [], { host: 'H' })), 'Running…');
	assert.equal(describeCheck(synthetic, 'notRun', undefined), 'Not run yet');
	assert.equal(describeCheck(synthetic, 'notRun', checkResult(synthetic.id, 'pass', [], { host: 'H' })), 'Not run yet');
	assert.equal(describeCheck(synthetic, 'pass', undefined), 'Not run yet');
	assert.equal(describeCheck(synthetic, 'pass', checkResult(synthetic.id, 'pass', [], { host: 'H' })), 'All good on H');
});

test('a failed check: its tooltip, line by line', () => {
	const n = node(checkResult(synthetic.id, 'fail', ['synthetic-broken'], { host: 'AGENT_01', count: 3 }));
	assert.equal(n.status, 'fail');
	assert.equal(n.description, 'Broken');
	assert.equal(n.label, 'Synthetic check');
	assert.equal(n.categoryId, 'server');
	assert.equal(n.accessibilityLabel, 'Synthetic check, Failed: Broken');
	assert.deepEqual(n.failureIds, ['synthetic-broken']);
	assert.equal(
		n.tooltip,
		[
			'**Synthetic check** — Failed',
			'',
			'It checks a thing\\.',
			'',
			'**Broken**',
			'',
			'The thing on AGENT\\_01 is broken\\.',
			'',
			'1. Open the thing\\.',
			'2. Fix it on AGENT\\_01\\.',
			'',
			'*Before you do this:* It restarts\\.',
			'',
			'*Not stated by Microsoft:* Nobody says so\\.',
			'',
			'Source: [Docs page](https://learn.microsoft.com/x) · [A blog](https://example.com/y)',
			'',
			'*Note:* Always noted about AGENT\\_01\\.',
			'',
			'*Note:* Three of them\\. (not stated by Microsoft: Our reading\\.)',
			'',
			'Evidence:',
			'',
			'- Host name: `AGENT_01`',
			'- Count: `3`',
		].join('\n'),
	);
});

test('a check that could not be checked: the error, its next step, and what was found', () => {
	const n = node(checkResult(synthetic.id, 'unknown', [], { host: 'H' }, 'Access is denied.'));
	assert.equal(n.description, 'Could not check: Access is denied.');
	assert.equal(
		n.tooltip,
		[
			'**Synthetic check** — Could not check',
			'',
			'It checks a thing\\.',
			'',
			'*Note:* Always noted about H\\.',
			'',
			'Could not check: `Access is denied.`',
			'',
			'Next step: Fix what the message names \\(run the diagnosis elevated when it is about access\\), then run the check again\\.',
			'',
			'Evidence:',
			'',
			'- Host name: `H`',
		].join('\n'),
	);
});

test('a warning without failure ids or evidence says what was found and nothing more', () => {
	const n = node(checkResult(synthetic.id, 'warning', [], {}));
	assert.equal(n.tooltip, ['**Synthetic check** — Warning', '', 'It checks a thing\\.', '', 'Warning', '', '*Note:* Always noted about unknown\\.'].join('\n'));
});

test('a passing check shows its notes and evidence but no failure text; a manual check lists what to confirm', () => {
	const pass = node(checkResult(synthetic.id, 'pass', [], { host: 'H', count: 2 }));
	assert.equal(pass.tooltip, ['**Synthetic check** — Passed', '', 'It checks a thing\\.', '', '*Note:* Always noted about H\\.', '', 'Evidence:', '', '- Host name: `H`', '- Count: `2`'].join('\n'));
	const manual = node(checkResult(manualCheck.id, 'manual', [], {}), false, manualCheck);
	assert.equal(manual.description, 'Confirm manually');
	assert.equal(manual.tooltip, ['**Manual one** — Manual', '', 'It checks a thing\\.', '', '- Confirm A\\.', '- Confirm B\\.'].join('\n'));
});

test('a running check shows no findings of its previous result, and no tooltip beyond what it verifies', () => {
	const n = node(checkResult(synthetic.id, 'fail', ['synthetic-broken'], { host: 'H' }), true);
	assert.equal(n.status, 'running');
	assert.equal(n.description, 'Running…');
	assert.deepEqual(n.failureIds, []);
	assert.equal(n.tooltip, ['**Synthetic check** — Running', '', 'It checks a thing\\.'].join('\n'));
	const notRun = node(undefined);
	assert.equal(notRun.status, 'notRun');
	assert.deepEqual(notRun.failureIds, []);
	assert.equal(notRun.tooltip, ['**Synthetic check** — Not run', '', 'It checks a thing\\.'].join('\n'));
});

test('summarizeCategory counts each status in order; all passed or not applicable otherwise', () => {
	const kids = (...statuses: CheckResult['status'][]) => statuses.map((s, i) => node(checkResult(`x${i}`, s), false, { ...synthetic, id: `x${i}` }));
	assert.equal(summarizeCategory(kids('manual', 'fail', 'warning', 'fail', 'unknown', 'warning', 'warning', 'pass')), '2 failed, 3 warning, 1 could not check, 1 manual');
	assert.equal(summarizeCategory(kids('pass', 'notApplicable')), 'All passed');
	assert.equal(summarizeCategory(kids('notApplicable', 'notApplicable')), 'Not applicable');
	assert.equal(summarizeCategory([...kids('fail'), node(undefined, true)]), 'Running…');
	assert.equal(summarizeCategory([node(undefined), node(undefined)]), '2 not run');
});

test('buildTree: categories in order, empty ones left out, expanded exactly when they hold a problem', () => {
	const checks = [synthetic, otherCategoryCheck];
	const expandedFor = (status: CheckResult['status']) => buildTree(categories, checks, state([checkResult(synthetic.id, status)]))[0].expanded;
	for (const status of ['fail', 'warning', 'unknown'] as const) assert.equal(expandedFor(status), true, status);
	for (const status of ['pass', 'manual', 'notApplicable'] as const) assert.equal(expandedFor(status), false, status);
	const tree = buildTree(categories, checks, state([checkResult(synthetic.id, 'fail', ['synthetic-broken']), checkResult(otherCategoryCheck.id, 'pass', [], { host: 'H' })]));
	assert.deepEqual(tree.map((c) => c.id), ['server', 'network']);
	assert.deepEqual(tree.map((c) => [c.status, c.description, c.accessibilityLabel]), [
		['fail', '1 failed', 'Server: 1 failed'],
		['pass', 'All passed', 'Network: All passed'],
	]);
	assert.deepEqual(tree[0].children.map((c) => c.id), ['server.synthetic']);
	assert.equal(tree[1].expanded, false);
});
