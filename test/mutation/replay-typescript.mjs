// Re-applies the hand-made TypeScript mutants of review-mutants.json one at a time, in a copy of the repository,
// and runs the unit tests each names. Prints killed / survived per mutant and a closing "N killed, N survived" line;
// exits 1 when one survives. `npm run mutate -- --review` runs it (with the PowerShell replay).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { typescript: mutants } = JSON.parse(readFileSync(path.join(root, 'test/mutation/review-mutants.json'), 'utf8'));
const sandbox = mkdtempSync(path.join(tmpdir(), 'pad-ts-replay-'));
const tsc = path.join(root, 'node_modules/typescript/bin/tsc');

function compile() {
	// Type errors do not stop the emit (noEmitOnError is off), and a mutant may well be ill-typed: only the JS matters.
	spawnSync(process.execPath, [tsc, '-p', 'tsconfig.test.json'], { cwd: sandbox, stdio: 'ignore' });
}

function runTests(names) {
	const files = names.map((n) => `out/test/unit/${n}.test.js`);
	const r = spawnSync(process.execPath, ['--test', ...files], { cwd: sandbox, encoding: 'utf8', env: { ...process.env, PAD_PWSH: process.env.PAD_PWSH ?? path.join(root, '.tools/pwsh/pwsh') } });
	return r.status === 0;
}

let killed = 0;
let survived = 0;
try {
	// The working tree's files (tracked and new, not ignored): tests read the README and docs as well as the sources.
	const listed = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
	if (listed.status !== 0) throw new Error('git ls-files failed: ' + listed.stderr);
	for (const f of listed.stdout.split('\0').filter(Boolean)) {
		if (existsSync(path.join(root, f))) cpSync(path.join(root, f), path.join(sandbox, f), { recursive: true });
	}
	symlinkSync(path.join(root, 'node_modules'), path.join(sandbox, 'node_modules'), 'dir');
	compile();
	const allTests = [...new Set(mutants.flatMap((m) => m.tests))];
	if (!runTests(allTests)) throw new Error(`the unit tests fail without any mutant: ${allTests.join(', ')}`);
	for (const m of mutants) {
		const file = path.join(sandbox, m.file);
		const original = readFileSync(file, 'utf8');
		const at = original.indexOf(m.find);
		if (at < 0 || original.indexOf(m.find, at + 1) >= 0) throw new Error(`${m.id}: its text must occur exactly once in ${m.file}`);
		try {
			writeFileSync(file, original.slice(0, at) + m.replace + original.slice(at + m.find.length));
			compile();
			const passed = runTests(m.tests);
			if (passed) survived++;
			else killed++;
			console.log(`${passed ? 'survived' : 'killed  '} ${m.id} ${m.file}: ${m.note} (tests: ${m.tests.join(', ')})`);
		} finally {
			writeFileSync(file, original);
		}
	}
} finally {
	rmSync(sandbox, { recursive: true, force: true });
}
console.log(`typescript review mutants: ${killed} killed, ${survived} survived`);
process.exit(survived > 0 ? 1 : 0);
