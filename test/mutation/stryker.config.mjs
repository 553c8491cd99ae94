// StrykerJS over the pure TypeScript (the modules that run without an editor). Run with `npm run mutate`
// (scripts/mutate.mjs), which also runs the PowerShell mutation script; `npm run mutate -- --typescript` runs this alone.
//
// How it fits together: Stryker copies the repository into a sandbox, writes all mutants into the TypeScript sources
// at once (each switched on by an id at run time), compiles the sandbox once with the test tsconfig, and then runs
// the compiled node:test files (TAP) with one mutant switched on at a time, only the files that cover it.
// The PowerShell-heavy unit tests find pwsh through PAD_PWSH, because the sandbox has no .tools/.
const only = process.env.PAD_MUTATE_FILES ? process.env.PAD_MUTATE_FILES.split(',') : undefined;

export default {
	$schema: '../../node_modules/@stryker-mutator/core/schema/stryker-schema.json',
	packageManager: 'npm',
	mutate: only ?? [
		'src/checks/**/*.ts',
		'!src/checks/types.ts',
		'src/terminal/quoting.ts',
		'src/views/treeModel.ts',
		'src/views/panelHtml.ts',
		'src/views/panelMessages.ts',
		'src/fixes/fixPlan.ts',
		'src/logs/*.ts',
		'src/remote/*.ts',
		'src/diagnosis/*.ts',
		// The one module of src/diagnosis that is editor glue; the end-to-end suite covers it.
		'!src/diagnosis/diagnosisService.ts',
	],
	testRunner: 'tap',
	tap: {
		// Left out: lint.test (ESLint over the tree) and manifest.test (packages the extension) catch no logic mutant;
		// the *Evidence tests run the real entry script under pwsh against fake-host scenarios (20 to 50 s a run) to
		// test the PowerShell side's evidence, which the PowerShell mutation run covers; the TypeScript they touch
		// (the catalogue loader, fix parameters) has unit tests of its own.
		testFiles: ['out/test/unit/!(lint|manifest|catalogueEvidence|fixParametersEvidence).test.js'],
	},
	buildCommand: 'npx tsc -p tsconfig.test.json',
	checkers: ['typescript'],
	tsconfigFile: 'tsconfig.json',
	coverageAnalysis: 'perTest',
	concurrency: 2,
	timeoutMS: 60000,
	// What the sandbox must not copy: installed tools, earlier builds and test output.
	ignorePatterns: ['.tools', '.e2e-tools', '.e2e-runs', 'out', 'dist', 'dist-package', 'test-output', '.stryker-tmp', '*.vsix'],
	tempDirName: '.stryker-tmp',
	reporters: ['clear-text', 'progress', 'html', 'json'],
	clearTextReporter: { allowColor: false, logTests: false, reportMutants: true, reportScoreTable: true },
	htmlReporter: { fileName: 'test-output/mutation/typescript.html' },
	jsonReporter: { fileName: 'test-output/mutation/typescript.json' },
	thresholds: { high: 90, low: 85, break: null },
};
