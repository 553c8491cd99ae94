/**
 * Integrity of the check catalogue: ids match docs/architecture.md, every failure is explained and sourced,
 * every fix snippet is reachable and runs on Windows PowerShell 5.1, and the seed article's messages are covered.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { categories, checks, findCheck, findFailure, findFixSnippet, fixSnippets } from '../../src/checks/catalogue';

// ---------------------------------------------------------------------------------------------------------------------
// Helpers (each has a test of its own below, so a broken helper cannot hide a broken catalogue)

function repoRoot(): string {
	let dir = __dirname;
	while (!fs.existsSync(path.join(dir, 'package.json'))) {
		const parent = path.dirname(dir);
		if (parent === dir) {
			throw new Error(`package.json not found above ${__dirname}`);
		}
		dir = parent;
	}
	return dir;
}

interface TableRow {
	readonly checkId: string;
	readonly probe: string | undefined;
	readonly failures: readonly { readonly id: string; readonly status: string }[];
}

/** Parses the "check id | probe function | failure ids (status)" table of docs/architecture.md. */
function parseArchitectureTable(markdown: string): TableRow[] {
	const rows: TableRow[] = [];
	for (const line of markdown.split(/\r?\n/)) {
		const cells = line.trim().split('|').map((cell) => cell.trim());
		// A table row splits into ['', c1, c2, c3, ''].
		if (cells.length !== 5 || cells[0] !== '' || cells[4] !== '') {
			continue;
		}
		const [, checkId, probe, failureCell] = cells;
		if (!/^[a-z]+\.[a-z0-9-]+$/.test(checkId)) {
			continue; // header or separator row
		}
		const failures = [...failureCell.matchAll(/([a-z0-9-]+) \((fail|warning|unknown)\b[^)]*\)/g)].map((m) => ({ id: m[1], status: m[2] }));
		rows.push({ checkId, probe: probe.startsWith('(none') ? undefined : probe, failures });
	}
	return rows;
}

/** Returns the PowerShell 7-only constructs found in a script. */
function ps7OnlySyntax(script: string): string[] {
	const found: string[] = [];
	const patterns: [string, RegExp][] = [
		['null-coalescing ??', /\?\?/],
		['null-conditional ?.', /\?\./],
		['pipeline chain &&', /&&/],
		['pipeline chain ||', /\|\|/],
		['ternary ? :', /\s\?\s[^\n]*\s:\s/],
		['ForEach-Object -Parallel', /-Parallel\b/i],
	];
	for (const [name, pattern] of patterns) {
		if (pattern.test(script)) {
			found.push(name);
		}
	}
	return found;
}

/** Returns the problems with the `{key}` placeholders of a text: malformed braces, or keys not in `allowed`. */
function placeholderProblems(text: string, allowed: readonly string[]): string[] {
	const problems: string[] = [];
	for (const match of text.matchAll(/\{([^{}]*)\}/g)) {
		if (!/^[A-Za-z][A-Za-z0-9]*$/.test(match[1])) {
			problems.push(`malformed placeholder ${match[0]}`);
		} else if (!allowed.includes(match[1])) {
			problems.push(`unknown evidence key ${match[0]}`);
		}
	}
	if (/[{}]/.test(text.replace(/\{[^{}]*\}/g, ''))) {
		problems.push('unbalanced brace');
	}
	return problems;
}

// Evidence keys the probes produce, per check (from the probe contract); other checks take no placeholders.
const evidenceKeys: Readonly<Record<string, readonly string[]>> = {
	'server.os-version': ['caption', 'buildNumber'],
	'server.domain-joined': ['domain'],
	'server.memory': ['totalGB'],
	'server.dotnet': ['release'],
	'server.execution-policy': ['effective'],
	'service.state': ['state', 'startMode', 'startName'],
	'service.logon-right': ['account'],
	'gmsa.kds-root-key': ['keyCount'],
	'gmsa.account-usable': ['account'],
	'domain.functional-level': ['domainLevel', 'forestLevel'],
	'domain.dc-version': ['newestDc'],
	'domain.schema-version': ['objectVersion'],
	'domain.msa-container': ['container'],
	'network.endpoints': ['reachable', 'total'],
	'eventlog.scm-events': ['days'],
};

const allFailures = checks.flatMap((check) => check.failures);

// ---------------------------------------------------------------------------------------------------------------------
// Helper self-tests

test('helper: the architecture table parser reads ids, probes and statuses', () => {
	const sample = [
		'| check id | probe function | failure ids (status they produce) |',
		'|---|---|---|',
		'| a.one | Test-PadOne | x-y (fail), z (warning, added beside x-y) |',
		'| a.two | (none, manual) | — (always `manual`) |',
	].join('\n');
	assert.deepEqual(parseArchitectureTable(sample), [
		{ checkId: 'a.one', probe: 'Test-PadOne', failures: [{ id: 'x-y', status: 'fail' }, { id: 'z', status: 'warning' }] },
		{ checkId: 'a.two', probe: undefined, failures: [] },
	]);
});

test('helper: the PowerShell 7 syntax detector finds each construct and passes 5.1 code', () => {
	assert.deepEqual(ps7OnlySyntax('$a ?? 1'), ['null-coalescing ??']);
	assert.deepEqual(ps7OnlySyntax('$a?.Name'), ['null-conditional ?.']);
	assert.deepEqual(ps7OnlySyntax('git status && echo ok'), ['pipeline chain &&']);
	assert.deepEqual(ps7OnlySyntax('git status || echo no'), ['pipeline chain ||']);
	assert.deepEqual(ps7OnlySyntax('$x = $ok ? 1 : 2'), ['ternary ? :']);
	assert.deepEqual(ps7OnlySyntax('1..3 | ForEach-Object -Parallel { $_ }'), ['ForEach-Object -Parallel']);
	assert.deepEqual(ps7OnlySyntax("Get-Service | Where-Object { $_.Name -match 'a|b' }"), []);
});

test('helper: the placeholder checker rejects malformed and unknown placeholders', () => {
	assert.deepEqual(placeholderProblems('{caption} (build {buildNumber})', ['caption', 'buildNumber']), []);
	assert.deepEqual(placeholderProblems('{cap tion}', ['caption']), ['malformed placeholder {cap tion}']);
	assert.deepEqual(placeholderProblems('{other}', ['caption']), ['unknown evidence key {other}']);
	assert.deepEqual(placeholderProblems('{caption', ['caption']), ['unbalanced brace']);
	assert.deepEqual(placeholderProblems('caption}', ['caption']), ['unbalanced brace']);
});

// ---------------------------------------------------------------------------------------------------------------------
// Catalogue

test('categories are the eight tree categories, in order', () => {
	assert.deepEqual(
		categories.map((c) => [c.id, c.title]),
		[
			['permissions', 'Permissions'],
			['server', 'Server'],
			['domain', 'Domain and forest'],
			['gmsa', 'KDS root key and gMSA'],
			['service', 'Service and user rights'],
			['eventlog', 'Event log'],
			['installer', 'Installer'],
			['network', 'Network'],
		],
	);
});

test('check ids, failure ids and snippet ids are unique and kebab case', () => {
	for (const [kind, ids] of [
		['check', checks.map((c) => c.id)],
		['failure', allFailures.map((f) => f.id)],
		['fix snippet', fixSnippets.map((s) => s.id)],
	] as const) {
		const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
		assert.deepEqual(duplicates, [], `duplicate ${kind} ids`);
	}
	for (const check of checks) {
		assert.match(check.id, /^[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*$/, check.id);
		assert.ok(check.id.startsWith(`${check.category}.`), `${check.id} is not in category ${check.category}`);
	}
	for (const id of [...allFailures.map((f) => f.id), ...fixSnippets.map((s) => s.id)]) {
		assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/, id);
	}
});

test('check ids, probes and failure ids equal the table in docs/architecture.md', () => {
	const table = parseArchitectureTable(fs.readFileSync(path.join(repoRoot(), 'docs', 'architecture.md'), 'utf8'));
	assert.ok(table.length > 0, 'no table rows found in docs/architecture.md');
	const fromCatalogue: TableRow[] = checks.map((check) => ({
		checkId: check.id,
		probe: check.probe,
		failures: check.failures.map((f) => ({ id: f.id, status: f.severity })),
	}));
	assert.deepEqual(fromCatalogue, table);
});

test("every check's category exists", () => {
	const ids = new Set(categories.map((c) => c.id));
	for (const check of checks) {
		assert.ok(ids.has(check.category), `${check.id}: unknown category ${check.category}`);
	}
});

test('a check has a probe, or is manual with steps and no failures', () => {
	for (const check of checks) {
		if (check.probe === undefined) {
			assert.ok((check.manualSteps?.length ?? 0) > 0, `${check.id}: manual check without manualSteps`);
			assert.equal(check.failures.length, 0, `${check.id}: a manual check produces no failures`);
		} else {
			assert.match(check.probe, /^Test-Pad[A-Za-z0-9]+$/, `${check.id}: probe name`);
			assert.ok(check.failures.length > 0, `${check.id}: a probed check needs failures`);
		}
		assert.ok(check.title.trim() && check.verifies.trim() && check.passText.trim(), `${check.id}: empty text`);
	}
});

test('every check and every failure has at least one https source', () => {
	const sourced = [...checks, ...allFailures, ...fixSnippets];
	for (const item of sourced) {
		assert.ok(item.sources.length > 0, `${item.id}: no source`);
		for (const source of item.sources) {
			assert.match(source.url, /^https:\/\/[^\s]+$/, `${item.id}: ${source.url}`);
			assert.ok(source.title.trim(), `${item.id}: source without title`);
		}
	}
});

test('every failure has a title, a cause and at least one remediation step', () => {
	for (const failure of allFailures) {
		assert.ok(failure.title.trim(), `${failure.id}: no title`);
		assert.ok(failure.cause.trim(), `${failure.id}: no cause`);
		assert.ok(failure.remediation.steps.length > 0, `${failure.id}: no remediation step`);
		for (const step of failure.remediation.steps) {
			assert.ok(step.trim(), `${failure.id}: empty step`);
		}
		if (failure.unverified !== undefined) {
			assert.ok(failure.unverified.trim(), `${failure.id}: empty unverified note`);
		}
	}
});

test('every referenced fix id exists and every fix snippet is referenced', () => {
	const referenced = new Set<string>();
	for (const failure of allFailures) {
		for (const fixId of failure.remediation.fixIds ?? []) {
			assert.ok(findFixSnippet(fixId), `${failure.id}: unknown fix id ${fixId}`);
			referenced.add(fixId);
		}
	}
	const unreferenced = fixSnippets.map((s) => s.id).filter((id) => !referenced.has(id));
	assert.deepEqual(unreferenced, [], 'fix snippets no failure refers to');
});

test('snippets that change the system say what changes', () => {
	for (const snippet of fixSnippets) {
		assert.ok(snippet.script.trim(), `${snippet.id}: empty script`);
		assert.ok(snippet.title.trim(), `${snippet.id}: empty title`);
		if (snippet.changesSystem) {
			assert.ok(snippet.effect.trim().length > 0, `${snippet.id}: changes the system but has no effect`);
		}
	}
});

test('no snippet uses PowerShell 7-only syntax', () => {
	for (const snippet of fixSnippets) {
		assert.deepEqual(ps7OnlySyntax(snippet.script), [], `${snippet.id}: ${snippet.script}`);
	}
});

test("the seed article's messages and the failed-to-start texts are each explained by a failure", () => {
	const expected = [
		// Seed (1): keeps Microsoft's misspelling "privilages".
		"Service 'Microsoft Azure AD Connect Provisioning Agent' (AADConnectProvisioningAgent) could not be installed. Verify that you have sufficient privilages to install system services.",
		// Seed (2)
		"Failed changing Windows service credentials to gMSA. Please check the logs for more detailed information. If that doesn't help resolve this issue, please contact support.",
		// Seed (3)
		'Unable to create gMSA because KDS may not be running on domain controller. Please create/run KDS manually.',
		// Seed (4): event 7041
		'This service account does not have the required user right',
		// Windows Installer error 1920 and the troubleshooting page's wording
		"Service 'Microsoft Entra Connect Provisioning Agent' (AADConnectProvisioningAgent) failed to start. Verify that you have sufficient privileges to start system services.",
		"Service 'Microsoft Azure AD Connect Provisioning Agent' (AADConnectProvisioningAgent) failed to start. Verify that you have sufficient privileges to start system services.",
		"Service 'Microsoft Entra Provisioning Agent' failed to start. Verify that you have sufficient privileges to start the system services.",
	];
	const known = new Set(allFailures.flatMap((f) => f.errorTexts ?? []));
	for (const message of expected) {
		assert.ok(known.has(message), `no failure lists: ${message}`);
	}
});

test('placeholders in passText and notApplicableText are well formed and name evidence keys', () => {
	for (const check of checks) {
		const allowed = evidenceKeys[check.id] ?? [];
		for (const text of [check.passText, check.notApplicableText ?? '']) {
			assert.deepEqual(placeholderProblems(text, allowed), [], `${check.id}: ${text}`);
		}
	}
});

test('lookups find what the catalogue holds and nothing else', () => {
	for (const check of checks) {
		assert.equal(findCheck(check.id), check);
		for (const failure of check.failures) {
			const found = findFailure(failure.id);
			assert.equal(found?.check, check);
			assert.equal(found?.failure, failure);
		}
	}
	for (const snippet of fixSnippets) {
		assert.equal(findFixSnippet(snippet.id), snippet);
	}
	assert.equal(findCheck('server.no-such-check'), undefined);
	assert.equal(findFailure('no-such-failure'), undefined);
	assert.equal(findFixSnippet('no-such-snippet'), undefined);
});
