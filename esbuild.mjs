// Builds the extension bundle (dist/extension.js) and the agent-log language server (dist/server.js), in one run, and
// copies the PowerShell the terminal runs, with the catalogue it reads (dist/powershell).
// Usage: node esbuild.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Builds under way; both bundles share one "[watch] build started/finished" pair, so the matcher sees one build. */
let building = 0;

/** Prints errors in the format of the $esbuild-watch problem matcher. */
const problemMatcher = {
	name: 'problem-matcher',
	setup(build) {
		build.onStart(() => {
			if (watch && building++ === 0) {
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
			if (watch && --building === 0) {
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

/** What both bundles share. */
const common = {
	bundle: true,
	platform: 'node',
	format: 'cjs',
	// VS Code 1.93 runs extensions on Node 20.
	target: 'node20',
	minify: production,
	sourcemap: !production,
	sourcesContent: false,
	logLevel: 'silent',
	plugins: [problemMatcher],
};

/**
 * The language server runs in its own Node process, where `vscode` does not exist: a plugin fails the build if
 * anything in its bundle imports it (eslint's wall catches it in src/server; this also catches it through an import).
 */
const noVscode = {
	name: 'no-vscode',
	setup(build) {
		build.onResolve({ filter: /^vscode$/ }, (args) => ({
			errors: [{ text: `dist/server.js must not import "vscode" (imported by ${args.importer})` }],
		}));
	},
};

const serverContext = await esbuild.context({
	...common,
	entryPoints: [join(root, 'src', 'server', 'server.ts')],
	outfile: join(root, 'dist', 'server.js'),
	plugins: [problemMatcher, noVscode],
});

const context = await esbuild.context({
	...common,
	entryPoints: [join(root, 'src', 'extension.ts')],
	outfile: join(root, 'dist', 'extension.js'),
	external: ['vscode'],
});

copyPowerShell();
copyWebviewLibraries();
if (watch) {
	await Promise.all([context.watch(), serverContext.watch()]);
} else {
	// rebuild() rejects when a build has errors; the problem matcher has printed them already.
	const results = await Promise.allSettled([context.rebuild(), serverContext.rebuild()]);
	await Promise.all([context.dispose(), serverContext.dispose()]);
	if (results.some((result) => result.status === 'rejected' || result.value.errors.length > 0)) {
		process.exit(1);
	}
}
