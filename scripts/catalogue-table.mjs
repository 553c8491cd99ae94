// Writes the table of checks in docs/architecture.md from the catalogue's data (src/catalogue/checks/*.json), so the
// doc never drifts from the data. Usage: node scripts/catalogue-table.mjs [--check]
// --check exits 1 (and prints the difference) when the doc is not what the data gives; the unit tests run it.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const docPath = join(root, 'docs', 'architecture.md');
const begin = '<!-- checks table: generated from src/catalogue by `npm run docs:catalogue`; do not edit by hand -->';
const end = '<!-- end of checks table -->';

export function renderTable() {
	const dir = join(root, 'src', 'catalogue', 'checks');
	const files = readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')))
		.sort((a, b) => a.category.order - b.category.order);
	const rows = ['| check id | probe function | failure ids (status they produce) |', '|---|---|---|'];
	for (const file of files) {
		for (const check of file.checks) {
			const probe = check.probe ? check.probe.function : '(none, manual)';
			const failures = check.failures.length > 0 ? check.failures.map((f) => `${f.id} (${f.severity})`).join(', ') : check.probe ? '— (informational)' : '— (always `manual`)';
			rows.push(`| ${check.id} | ${probe} | ${failures} |`);
		}
	}
	return rows.join('\n');
}

const doc = readFileSync(docPath, 'utf8');
const start = doc.indexOf(begin);
const stop = doc.indexOf(end);
if (start < 0 || stop < start) {
	console.error(`docs/architecture.md has no generated table between the markers:\n${begin}\n${end}`);
	process.exit(1);
}
const wanted = `${doc.slice(0, start + begin.length)}\n${renderTable()}\n${doc.slice(stop)}`;
if (process.argv.includes('--check')) {
	if (wanted !== doc) {
		console.error('docs/architecture.md: the checks table differs from the catalogue. Run `npm run docs:catalogue`.');
		process.exit(1);
	}
	console.log('docs/architecture.md: the checks table matches the catalogue.');
} else {
	writeFileSync(docPath, wanted);
	console.log('docs/architecture.md: checks table written from the catalogue.');
}
