// ESLint (flat config) for the extension's TypeScript. Run with `npm run lint`; `npm test` runs it as a suite of its own.
//
// Two walls it keeps:
// - The pure modules (the catalogue and check logic, the result reader, quoting, the tree model, and the log server and
//   shared code to come) must not import `vscode`: they are unit-tested under plain Node and reused outside the editor,
//   where that module does not exist. Only the glue (extension.ts, commands, views' providers, the terminal, the
//   diagnosis service) may talk to VS Code.
// - A promise nobody awaits hides its rejection; in an extension that means a command that silently does nothing.
//   no-floating-promises needs type information, so the TypeScript project service is on.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Files that must stay free of the editor API. Globs that match nothing yet (server, shared) guard future code. */
export const pureModules = [
	'src/catalogue/**/*.ts',
	'src/checks/**/*.ts',
	'src/diagnosis/*.ts',
	'src/terminal/quoting.ts',
	'src/views/treeModel.ts',
	'src/views/panelHtml.ts',
	'src/views/panelMessages.ts',
	'src/views/explainHtml.ts',
	'src/fixes/fixPlan.ts',
	'src/report/**/*.ts',
	'src/server/**/*.ts',
	'src/shared/**/*.ts',
];

const vscodeMessage = 'This is a pure module: it runs under plain Node (unit tests, the log server) where `vscode` does not exist. Pass what it needs in from the extension side instead.';

export default defineConfig(
	{ ignores: ['dist/**', 'out/**', 'node_modules/**', '.tools/**', '.e2e-tools/**', '.e2e-runs/**', '.stryker-tmp/**', 'test-output/**', 'test/**', 'scripts/**', 'media/**', 'docs/**'] },
	{
		files: ['src/**/*.ts'],
		extends: [js.configs.recommended, tseslint.configs.recommended],
		languageOptions: {
			parserOptions: {
				projectService: true,
				tsconfigRootDir: import.meta.dirname,
			},
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
		},
	},
	{
		files: pureModules,
		// The one module in src/diagnosis that is glue: it drives the terminal and the tree.
		ignores: ['src/diagnosis/diagnosisService.ts'],
		rules: {
			// The typescript-eslint form of no-restricted-imports: it also sees `import x = require('vscode')`.
			// Type-only imports are refused too, so a pure module does not start to depend on the editor's types.
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{ paths: [{ name: 'vscode', message: vscodeMessage }], patterns: [{ group: ['vscode/*'], message: vscodeMessage }] },
			],
			// require('vscode') and import('vscode') are not import declarations; catch them by their syntax.
			'no-restricted-syntax': [
				'error',
				{ selector: "CallExpression[callee.name='require'][arguments.0.value='vscode']", message: vscodeMessage },
				{ selector: "ImportExpression[source.value='vscode']", message: vscodeMessage },
			],
		},
	},
);
