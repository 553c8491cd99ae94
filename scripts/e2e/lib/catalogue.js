'use strict';
// The check catalogue (src/checks/catalogue.ts, data only, no vscode import), loaded by bundling it with esbuild
// in memory, so the UI tests compare the tree against the same titles and descriptions the extension uses.
const path = require('path');
const Module = require('module');
const P = require('./paths');

let cached;
function loadCatalogue() {
	if (cached) return cached;
	const esbuild = require(path.join(P.root, 'node_modules', 'esbuild'));
	const entry = path.join(P.root, 'src', 'checks', 'catalogue.ts');
	const out = esbuild.buildSync({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', write: false, logLevel: 'silent' });
	const m = new Module(entry);
	m.filename = entry;
	m.paths = Module._nodeModulePaths(path.dirname(entry));
	m._compile(out.outputFiles[0].text, entry);
	const exp = m.exports;
	const arrays = Object.values(exp).filter(Array.isArray);
	const checks = arrays.find((a) => a.length && a.every((c) => c && c.id && c.category && c.title && Array.isArray(c.failures)));
	const categories = arrays.find((a) => a.length && a.every((c) => c && c.id && c.title && !c.category && !c.failures));
	if (!checks) throw new Error(`no check list among the exports of ${entry}: ${Object.keys(exp).join(', ')}`);
	const failure = (id) => {
		for (const c of checks) for (const f of c.failures) if (f.id === id) return f;
		throw new Error(`failure id ${id} is not in the catalogue`);
	};
	const check = (id) => {
		const c = checks.find((x) => x.id === id);
		if (!c) throw new Error(`check id ${id} is not in the catalogue`);
		return c;
	};
	cached = { checks, categories: categories || [], check, failure, exports: exp };
	return cached;
}

module.exports = { loadCatalogue };
