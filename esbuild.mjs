// Builds the extension bundle (dist/extension.js) and copies the PowerShell the terminal runs, with the catalogue it
// reads (dist/powershell).
// Usage: node esbuild.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
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

/**
 * dist/media: the webview libraries the panels load, from their npm packages (the panels' localResourceRoots are
 * media/ and dist/media/ only). vscode-elements' bundle is one ES module; codicons is its stylesheet and font.
 */
function copyWebviewLibraries() {
	const target = join(root, 'dist', 'media');
	rmSync(target, { recursive: true, force: true });
	mkdirSync(join(target, 'codicons'), { recursive: true });
	cpSync(join(root, 'node_modules', '@vscode-elements', 'elements', 'dist', 'bundled.js'), join(target, 'vscode-elements.js'));
	for (const file of ['codicon.css', 'codicon.ttf']) {
		cpSync(join(root, 'node_modules', '@vscode', 'codicons', 'dist', file), join(target, 'codicons', file));
	}
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
copyWebviewLibraries();
if (watch) {
	await context.watch();
} else {
	const result = await context.rebuild();
	await context.dispose();
	if (result.errors.length > 0) {
		process.exit(1);
	}
}
