/**
 * The lint walls of eslint.config.mjs, proved through ESLint's own API with the repository's configuration: a pure
 * module that imports `vscode` is an error, the extension's glue may import it, and an unawaited promise is caught.
 * The texts are linted in place of real files (lintText with their paths), so the files themselves are not touched.
 */

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';

function repoRoot(): string {
	let dir = __dirname;
	while (!fs.existsSync(path.join(dir, 'eslint.config.mjs'))) {
		const parent = path.dirname(dir);
		if (parent === dir) {
			throw new Error(`eslint.config.mjs not found above ${__dirname}`);
		}
		dir = parent;
	}
	return dir;
}

const repo = repoRoot();
const eslint = new ESLint({ cwd: repo });

const vscodeImport = "import * as vscode from 'vscode';\nexport const window = vscode.window;\n";

/** The rule ids of the errors ESLint reports for this text at this path (relative to the repository). */
async function errorRules(relativePath: string, text: string): Promise<string[]> {
	const filePath = path.join(repo, relativePath);
	// The text stands in for a file the TypeScript project knows, so the type-aware rules can run.
	assert.ok(fs.existsSync(filePath), `${relativePath} must exist`);
	const [result] = await eslint.lintText(text, { filePath });
	return result.messages.filter((m) => m.severity === 2).map((m) => m.ruleId ?? `parse: ${m.message}`);
}

test('a vscode import in a pure module (src/checks) is an error', async () => {
	assert.deepEqual(await errorRules('src/checks/catalogue.ts', vscodeImport), ['@typescript-eslint/no-restricted-imports']);
});

test('the same import in src/extension.ts is allowed', async () => {
	assert.deepEqual(await errorRules('src/extension.ts', vscodeImport), []);
});

test('in src/diagnosis only diagnosisService.ts may import vscode', async () => {
	assert.deepEqual(await errorRules('src/diagnosis/resultWaiter.ts', vscodeImport), ['@typescript-eslint/no-restricted-imports']);
	assert.deepEqual(await errorRules('src/diagnosis/diagnosisService.ts', vscodeImport), []);
});

test('the tree model and the quoting module are pure, their neighbours are not', async () => {
	assert.deepEqual(await errorRules('src/views/treeModel.ts', vscodeImport), ['@typescript-eslint/no-restricted-imports']);
	assert.deepEqual(await errorRules('src/terminal/quoting.ts', vscodeImport), ['@typescript-eslint/no-restricted-imports']);
	assert.deepEqual(await errorRules('src/views/checksTreeProvider.ts', vscodeImport), []);
	assert.deepEqual(await errorRules('src/terminal/powerShellTerminal.ts', vscodeImport), []);
});

test('a type-only import and require("vscode") in a pure module are errors too', async () => {
	const typeOnly = "import type { Uri } from 'vscode';\nexport type Target = Uri;\n";
	assert.deepEqual(await errorRules('src/checks/catalogue.ts', typeOnly), ['@typescript-eslint/no-restricted-imports']);
	const required = "// eslint-disable-next-line @typescript-eslint/no-require-imports\nexport const editor: unknown = require('vscode');\n";
	assert.deepEqual(await errorRules('src/checks/catalogue.ts', required), ['no-restricted-syntax']);
});

test('a promise that nobody awaits is an error (type-aware rule active)', async () => {
	const floating = 'async function save(): Promise<void> {}\nexport function run(): void {\n\tsave();\n}\n';
	assert.deepEqual(await errorRules('src/extension.ts', floating), ['@typescript-eslint/no-floating-promises']);
	const awaited = 'async function save(): Promise<void> {}\nexport async function run(): Promise<void> {\n\tawait save();\n}\n';
	assert.deepEqual(await errorRules('src/extension.ts', awaited), []);
});
