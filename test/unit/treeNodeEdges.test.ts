import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checks } from '../../src/checks/catalogue';
import { describeChange, type CheckChange } from '../../src/diagnosis/runChanges';
import { buildCheckNode, escapeMarkdown } from '../../src/views/treeModel';
import { checkResult } from './fixtures';

const elevated = checks.find((c) => c.needsElevation);
const change: CheckChange = { kind: 'fixed', since: '2026-11-26T07:00:00.000Z' };

test('the tooltip says how the check changed since the last run, in italics', () => {
	const check = checks[0];
	const node = buildCheckNode(check, { results: new Map([[check.id, checkResult(check.id, 'pass')]]), running: new Set(), changes: new Map([[check.id, change]]) });
	const lines = node.tooltip.split('\n');
	const at = lines.indexOf(`*${escapeMarkdown(describeChange(change))}*`);
	assert.equal(at, 4, node.tooltip);
	assert.deepEqual([lines[1], lines[3]], ['', ''], 'each part is its own paragraph');
	assert.deepEqual(node.change, change);
});

test('only an unknown result of a check that needs elevation, from an unelevated run, says "Needs elevation"', () => {
	assert.ok(elevated, 'the catalogue has a check that needs elevation');
	const node = (status: 'unknown' | 'fail', isElevated: boolean | null) =>
		buildCheckNode(elevated, { results: new Map([[elevated.id, checkResult(elevated.id, status, [], {}, status === 'unknown' ? 'Access is denied.' : null)]]), running: new Set(), elevated: isElevated });
	assert.match(node('unknown', false).description, /^Needs elevation · /);
	assert.doesNotMatch(node('fail', false).description, /Needs elevation/);
	assert.doesNotMatch(node('unknown', true).description, /Needs elevation/);
	assert.doesNotMatch(node('unknown', null).description, /Needs elevation/);
	const plain = checks.find((c) => !c.needsElevation);
	assert.ok(plain);
	const other = buildCheckNode(plain, { results: new Map([[plain.id, checkResult(plain.id, 'unknown', [], {}, 'x')]]), running: new Set(), elevated: false });
	assert.doesNotMatch(other.description, /Needs elevation/);
});
