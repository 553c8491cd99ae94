'use strict';
// The catalogue, read from its data files (src/catalogue, or dist/powershell/catalogue of an installed package), so the
// UI tests compare the tree against the same titles and descriptions the extension shows.
const fs = require('fs');
const path = require('path');
const P = require('./paths');

const cache = new Map();

/** Reads the checks of every category file in tree order, with check(id) and failure(id) lookups that throw. */
function loadCatalogue(dir = path.join(P.root, 'src', 'catalogue')) {
	if (cache.has(dir)) return cache.get(dir);
	const files = fs
		.readdirSync(path.join(dir, 'checks'))
		.filter((f) => f.endsWith('.json'))
		.map((f) => JSON.parse(fs.readFileSync(path.join(dir, 'checks', f), 'utf8')))
		.sort((a, b) => a.category.order - b.category.order);
	const categories = files.map((f) => f.category);
	const checks = files.flatMap((f) => f.checks.map((c) => ({ ...c, category: f.category.id })));
	const check = (id) => {
		const c = checks.find((x) => x.id === id);
		if (!c) throw new Error(`check id ${id} is not in the catalogue at ${dir}`);
		return c;
	};
	const failure = (id) => {
		for (const c of checks) for (const f of c.failures) if (f.id === id) return f;
		throw new Error(`failure id ${id} is not in the catalogue at ${dir}`);
	};
	const result = { checks, categories, check, failure };
	cache.set(dir, result);
	return result;
}

module.exports = { loadCatalogue };
