// Builds the extension bundle (dist/extension.js) and copies the PowerShell the terminal runs, with the catalogue it
// reads (dist/powershell).
// Usage: node esbuild.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the format of the $esbuild-watch problem matcher. */
const problemMatcher = {
	name: 'problem-matcher',
	setup(build) {
		build.onStart(() => {
			if (watch) {
				console.log('[watch] build started');
			}
		});
		build.onEnd((result) => {
			for (const { text, location } of result.errors) {
				console.error(`✘ [ERROR] ${text}`);
				if (location) {
					console.error(`    ${location.file}:${location.line}:${location.column}:`);
				}
			}
			if (watch) {
				console.log('[watch] build finished');
			}
		});
	},
};

/** dist/powershell is self-contained: the entry script, its probes, and the catalogue they read (with the fixes). */
function copyPowerShell() {
	const target = join(root, 'dist', 'powershell');
	rmSync(target, { recursive: true, force: true });
	cpSync(join(root, 'src', 'powershell'), target, { recursive: true });
	cpSync(join(root, 'src', 'catalogue'), join(target, 'catalogue'), { recursive: true });
}

const context = await esbuild.context({
	entryPoints: [join(root, 'src', 'extension.ts')],
	outfile: join(root, 'dist', 'extension.js'),
	bundle: true,
	platform: 'node',
	format: 'cjs',
	// VS Code 1.93 runs extensions on Node 20.
	target: 'node20',
	external: ['vscode'],
	minify: production,
	sourcemap: !production,
	sourcesContent: false,
	logLevel: 'silent',
	plugins: [problemMatcher],
});

copyPowerShell();
if (watch) {
	await context.watch();
} else {
	const result = await context.rebuild();
	await context.dispose();
	if (result.errors.length > 0) {
		process.exit(1);
	}
}
