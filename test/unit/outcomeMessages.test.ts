import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeOutcome, notificationText } from '../../src/diagnosis/runOutcome';
import { checkResult, sampleResult } from './fixtures';

test('a link-like pair split by a tab or by other text is handled exactly: only ] + blanks + ( is broken apart', () => {
	assert.equal(notificationText('[x]\t(command:evil)'), '[x] (command:evil)');
	assert.equal(notificationText('[x]ab(c)'), '[x]ab(c)');
	assert.equal(notificationText('[x](c)'), '[x] (c)');
});

test('a closed terminal is reported as such, not as a stop', () => {
	const message = describeOutcome({ kind: 'terminalClosed' });
	assert.equal(message.severity, 'warning');
	assert.match(message.text, /its terminal was closed/);
	assert.equal(message.treeMessage, 'The last run stopped: its terminal was closed.');
});

test('a re-run that found nothing says "no problem"; with no failure in the tree it is information', () => {
	const tree = new Map([
		['service.state', checkResult('service.state', 'pass')],
		['service.logon-right', checkResult('service.logon-right', 'warning')],
	]);
	const message = describeOutcome({ kind: 'completed', result: sampleResult([checkResult('service.state', 'pass')]) }, tree);
	assert.equal(message.severity, 'info');
	assert.match(message.text, /^Re-ran 1 check on AGENT01: no problem\. In the tree: 1 with warnings\./);
});
