/**
 * Integrity of the catalogue (src/catalogue): every file validates against its schema, every reference resolves, ids
 * match docs/architecture.md, every failure is explained and sourced, every fix is reachable and its script exists, and
 * every text placeholder names evidence the check declares.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { categories, checks, findCheck, findFailure, findFix, findMessage, fixes, messages, sources } from '../../src/checks/catalogue';

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

const allFailures = checks.flatMap((check) => check.failures);

// ---------------------------------------------------------------------------------------------------------------------
// Helper self-tests

test('helper: the placeholder checker rejects malformed and unknown placeholders', () => {
	assert.deepEqual(placeholderProblems('{caption} (build {buildNumber})', ['caption', 'buildNumber']), []);
	assert.deepEqual(placeholderProblems('{cap tion}', ['caption']), ['malformed placeholder {cap tion}']);
	assert.deepEqual(placeholderProblems('{other}', ['caption']), ['unknown evidence key {other}']);
	assert.deepEqual(placeholderProblems('{caption', ['caption']), ['unbalanced brace']);
	assert.deepEqual(placeholderProblems('caption}', ['caption']), ['unbalanced brace']);
});

// ---------------------------------------------------------------------------------------------------------------------
// The data files against their schemas

const catalogueDir = path.join(repoRoot(), 'src', 'catalogue');

function readJson(relative: string): unknown {
	return JSON.parse(fs.readFileSync(path.join(catalogueDir, relative), 'utf8'));
}

function schemaValidator(): Ajv {
	const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
	for (const file of fs.readdirSync(path.join(catalogueDir, 'schema'))) {
		ajv.addSchema(readJson(`schema/${file}`) as object, file);
	}
	return ajv;
}

/** Each data file with the schema its "$schema" names. */
function dataFiles(): Array<{ file: string; schema: string }> {
	const files = ['sources.json', 'messages.json', 'agent.json', 'endpoints.json', ...fs.readdirSync(path.join(catalogueDir, 'checks')).map((f) => `checks/${f}`)];
	return files.map((file) => ({ file, schema: path.basename(String((readJson(file) as { $schema?: unknown }).$schema)) }));
}

test('every data file names its schema, and validates against it', () => {
	const ajv = schemaValidator();
	const files = dataFiles();
	assert.equal(files.filter((f) => f.file.startsWith('checks/')).length, 8, 'one file per category');
	for (const { file, schema } of files) {
		const validate = ajv.getSchema(schema);
		assert.ok(validate, `${file}: "$schema" must name a file in src/catalogue/schema (found ${schema})`);
		const ok = validate(readJson(file));
		assert.ok(ok, `${file}: ${JSON.stringify(validate.errors?.slice(0, 5), null, 1)}`);
	}
});

test('the schemas reject what they must', () => {
	const ajv = schemaValidator();
	const checksSchema = ajv.getSchema('checks.schema.json')!;
	const valid = readJson('checks/server.json') as { checks: Array<Record<string, unknown>> };
	const broken = (change: (file: { checks: Array<Record<string, unknown>> }) => void): boolean => {
		const copy = structuredClone(valid);
		change(copy);
		return checksSchema(copy) as boolean;
	};
	assert.equal(checksSchema(valid), true);
	assert.equal(broken((f) => delete f.checks[0].sources), false, 'a check without sources');
	assert.equal(broken((f) => (f.checks[0].id = 'Server.OS')), false, 'a malformed check id');
	assert.equal(broken((f) => ((f.checks[0].failures as Array<Record<string, unknown>>)[0].severity = 'error')), false, 'an unknown severity');
	assert.equal(broken((f) => (f.checks[0].title = ' padded ')), false, 'text with surrounding spaces');
	assert.equal(broken((f) => (f.checks[0].extra = 1)), false, 'an unknown property');
	const sourcesSchema = ajv.getSchema('sources.schema.json')!;
	assert.equal(sourcesSchema({ sources: { a: { title: 'T', url: 'http://example.com', publisher: 'microsoft' } } }), false, 'a non-https source');
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

test('check, failure, fix and message ids are unique', () => {
	for (const [kind, ids] of [
		['check', checks.map((c) => c.id)],
		['failure', allFailures.map((f) => f.id)],
		['fix', fixes.map((s) => s.id)],
		['message', messages.map((m) => m.id)],
	] as const) {
		const duplicates = ids.filter((id, i) => ids.indexOf(id) !== i);
		assert.deepEqual(duplicates, [], `duplicate ${kind} ids`);
	}
	for (const check of checks) {
		assert.match(check.id, /^[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*$/, check.id);
		assert.ok(check.id.startsWith(`${check.category}.`), `${check.id} is not in category ${check.category}`);
	}
});

test('the checks table in docs/architecture.md is the one the data gives', () => {
	const run = spawnSync(process.execPath, [path.join(repoRoot(), 'scripts', 'catalogue-table.mjs'), '--check'], { encoding: 'utf8' });
	assert.equal(run.status, 0, `${run.stdout}${run.stderr}`);
});

test("every check's category exists", () => {
	const ids = new Set(categories.map((c) => c.id));
	for (const check of checks) {
		assert.ok(ids.has(check.category), `${check.id}: unknown category ${check.category}`);
	}
});

test('a check has a probe with failures or notes, or is manual with steps and no failures', () => {
	for (const check of checks) {
		if (check.probe === undefined) {
			assert.ok((check.manualSteps?.length ?? 0) > 0, `${check.id}: manual check without manualSteps`);
			assert.equal(check.failures.length, 0, `${check.id}: a manual check produces no failures`);
		} else {
			assert.match(check.probe, /^Test-Pad[A-Za-z0-9]+$/, `${check.id}: probe name`);
			// An informational check (it never fails) must at least tell the admin something: its notes.
			assert.ok(check.failures.length > 0 || check.notes.length > 0, `${check.id}: a probed check needs failures or notes`);
		}
		assert.ok(check.title.trim() && check.verifies.trim() && check.passText.trim(), `${check.id}: empty text`);
	}
});

test('every check and every failure has at least one https source', () => {
	const sourced = [...checks, ...allFailures, ...fixes, ...messages];
	for (const item of sourced) {
		assert.ok(item.sources.length > 0, `${item.id}: no source`);
		for (const source of item.sources) {
			assert.match(source.url, /^https:\/\/[^\s]+$/, `${item.id}: ${source.url}`);
			assert.ok(source.title.trim(), `${item.id}: source without title`);
		}
	}
});

test('every referenced fix exists, every fix is offered by a failure, and its script file exists', () => {
	const referenced = new Set<string>();
	for (const failure of allFailures) {
		for (const fixId of failure.fixIds) {
			assert.ok(findFix(fixId), `${failure.id}: unknown fix ${fixId}`);
			referenced.add(fixId);
		}
	}
	assert.deepEqual(fixes.map((f) => f.id).filter((id) => !referenced.has(id)), [], 'fixes no failure offers');
	for (const fix of fixes) {
		// A script is named after its fix; a second fix may run the same script with other values (ALL SERVICES and
		// the service account both get the right from grant-logon-as-service.ps1), then with the same parameters.
		const owner = fixes.find((f) => fix.script === `fixes/${f.id}.ps1`);
		assert.ok(owner, `${fix.id}: ${fix.script} is named after no fix`);
		assert.deepEqual(fix.parameters.map((p) => p.name), owner.parameters.map((p) => p.name), `${fix.id}: the parameters of ${owner.id}, whose script it runs`);
		assert.ok(fs.existsSync(path.join(catalogueDir, fix.script)), `${fix.id}: ${fix.script} is missing`);
		for (const parameter of fix.parameters) {
			if (parameter.from) {
				const source = findCheck(parameter.from.check);
				assert.ok(source, `${fix.id}.${parameter.name}: unknown check ${parameter.from.check}`);
				assert.ok(parameter.from.evidence in source.evidence, `${fix.id}.${parameter.name}: ${parameter.from.check} declares no evidence ${parameter.from.evidence}`);
			}
		}
	}
});

test('every script in fixes/ is a catalogued fix', () => {
	const files = fs.readdirSync(path.join(catalogueDir, 'fixes')).filter((f) => f.endsWith('.ps1'));
	assert.deepEqual(files.filter((f) => !fixes.some((x) => x.script === `fixes/${f}`)), []);
});

test("messages name existing failures, and each message's examples are in the message's own words", () => {
	for (const message of messages) {
		for (const cause of message.causes) {
			assert.ok(findFailure(cause.failure), `${message.id}: unknown cause ${cause.failure}`);
		}
		if (message.finding) {
			assert.ok(findFailure(message.finding), `${message.id}: unknown finding ${message.finding}`);
		}
		assert.ok(message.match.literal || message.match.pattern || message.match.event, `${message.id}: no match rule`);
	}
});

test('placeholders in every text of a check name evidence the check declares', () => {
	for (const check of checks) {
		const allowed = Object.keys(check.evidence);
		const texts = [check.passText, check.notApplicableText ?? '', ...check.notes.map((n) => n.text)];
		for (const failure of check.failures) {
			texts.push(failure.cause, ...failure.steps, ...failure.caveats);
		}
		for (const text of texts) {
			assert.deepEqual(placeholderProblems(text, allowed), [], `${check.id}: ${text}`);
		}
	}
});

test('a note conditions on evidence the check declares', () => {
	for (const check of checks) {
		for (const note of check.notes) {
			if (note.when) {
				assert.ok(note.when.evidence in check.evidence, `${check.id}: note on undeclared evidence ${note.when.evidence}`);
			}
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
			assert.equal(failure.checkId, check.id);
		}
	}
	for (const fix of fixes) {
		assert.equal(findFix(fix.id), fix);
	}
	for (const message of messages) {
		assert.equal(findMessage(message.id), message);
	}
	assert.equal(findCheck('server.no-such-check'), undefined);
	assert.equal(findFailure('no-such-failure'), undefined);
	assert.equal(findFix('no-such-fix'), undefined);
	assert.equal(findMessage('no-such-message'), undefined);
});

test('every source is cited somewhere', () => {
	const cited = new Set<string>();
	const cite = (list: readonly { id: string }[]) => list.forEach((s) => cited.add(s.id));
	for (const check of checks) {
		cite(check.sources);
		check.notes.forEach((n) => cite(n.sources));
		check.failures.forEach((f) => cite(f.sources));
	}
	fixes.forEach((f) => cite(f.sources));
	messages.forEach((m) => cite(m.sources));
	for (const file of ['agent.json', 'endpoints.json']) {
		for (const id of JSON.stringify(readJson(file)).match(/"sources":\[[^\]]*\]/g) ?? []) {
			for (const m of id.matchAll(/"([a-z0-9-]+)"/g)) {
				if (m[1] !== 'sources') {
					cited.add(m[1]);
				}
			}
		}
	}
	assert.deepEqual(sources.map((s) => s.id).filter((id) => !cited.has(id)), [], 'sources nothing cites');
});

test('the messages the README quotes are catalogue messages, word for word', () => {
	const readme = fs.readFileSync(path.join(repoRoot(), 'README.md'), 'utf8');
	const start = readme.indexOf('It explains, among others');
	assert.ok(start > 0, 'README has no list of explained messages');
	const quoted = [...readme.slice(start, readme.indexOf('\n## ', start)).matchAll(/^- `([^`]+)`$/gm)].map((m) => m[1]);
	assert.ok(quoted.length >= 3, 'README quotes the seed messages');
	const known = new Set(messages.flatMap((m) => [m.text, ...m.examples]));
	for (const text of quoted) {
		assert.ok(known.has(text), `README quotes a text the catalogue does not hold: ${text}`);
	}
});

test('the loader fills what the data may leave out, with the right types', () => {
	assert.equal(sources.length, Object.keys((readJson('sources.json') as { sources: Record<string, unknown> }).sources).length);
	for (const check of checks) {
		assert.equal(typeof check.needsElevation, 'boolean', check.id);
		for (const failure of check.failures) assert.ok(Array.isArray(failure.caveats), failure.id);
	}
	// Both values occur, and each is the data's own: a check that declares needsElevation true, and one that omits it.
	const raw = (readJson('checks/service.json') as { checks: { id: string; needsElevation?: boolean }[] }).checks;
	const declared = raw.find((c) => c.needsElevation === true)!;
	const omitted = (readJson('checks/network.json') as { checks: { id: string; needsElevation?: boolean }[] }).checks.find((c) => c.needsElevation === undefined)!;
	assert.equal(findCheck(declared.id)!.needsElevation, true, declared.id);
	assert.equal(findCheck(omitted.id)!.needsElevation, false, omitted.id);
	const withoutCaveats = checks.flatMap((c) => c.failures).find((f) => f.caveats.length === 0);
	assert.ok(withoutCaveats, 'some failure has no caveats');
});
