// npm run mutate [-- --typescript | --powershell] [-- --file <path>[,<path>...]] [-- --max-per-file N] [-- --extended]
//                 [-- --jobs N] [-- --sample N [--seed S]]
// npm run mutate -- --review
//
// Mutation testing: makes small bugs in the code one at a time and reports how many the tests catch.
//   --typescript   StrykerJS over the pure TypeScript (test/mutation/stryker.config.mjs)
//   --powershell   the PowerShell mutation script over src/powershell (test/mutation/Invoke-PadMutation.ps1)
//   (neither: both, TypeScript first)
//   --file         only these files or folders (TypeScript: src/... .ts files, or file.ts:FROM-TO for lines; PowerShell: files or folders under
//                  src/powershell); files of the other language are ignored
//   --max-per-file take at most N PowerShell mutants per file, spread over it (a quick sample)
//   --extended     PowerShell only: also force each if condition and drop each -not
//   --jobs         PowerShell only: test processes at once (default 2, one per core here)
//   --sample       PowerShell only: N mutants drawn at random from all files (--seed, default 1): an estimate
//   --review       instead: re-apply the hand-made mutants of test/mutation/review-mutants.json (both languages)
// Installs what it needs the way npm test does: pwsh and Pester (scripts/setup-powershell.sh) and, because StrykerJS 10
// needs Node 22 or newer, Node 24 (scripts/setup-node24.sh). Not part of npm test: a full run takes far longer than CI
// allows (see the README).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name) => {
	const i = args.indexOf(name);
	return i >= 0 && i + 1 < args.length ? args[i + 1] : undefined;
};
const known = new Set(['--typescript', '--powershell', '--file', '--max-per-file', '--extended', '--review', '--jobs', '--sample', '--seed']);
for (let i = 0; i < args.length; i++) {
	if (!known.has(args[i])) {
		console.error(`mutate: unknown argument ${args[i]}`);
		process.exit(2);
	}
	if (['--file', '--max-per-file', '--jobs', '--sample', '--seed'].includes(args[i])) i++;
}
const both = !flag('--typescript') && !flag('--powershell');
const files = (value('--file') ?? '').split(',').map((f) => f.trim()).filter(Boolean);
// A TypeScript file may name a range of its lines, as StrykerJS takes it: src/report/reportJson.ts:197-240.
const isTs = (f) => /\.ts(?::\d+-\d+)?$/.test(f);
const tsFiles = files.filter(isTs);
const psFiles = files.filter((f) => !isTs(f));

const [pwsh, pester] = execFileSync('bash', [path.join(root, 'scripts/setup-powershell.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
	.trim()
	.split('\n');
const outcomes = [];

function run(label, command, commandArgs, env = {}) {
	console.log(`=== ${label} ===`);
	const started = Date.now();
	const r = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
	const seconds = ((Date.now() - started) / 1000).toFixed(0);
	const code = r.status ?? 1;
	console.log(`--- ${label}: exit ${code} in ${seconds} s`);
	outcomes.push({ label, code });
}

if (flag('--review')) {
	run('TypeScript review mutants', process.execPath, [path.join(root, 'test/mutation/replay-typescript.mjs')], { PAD_PWSH: pwsh });
	run('PowerShell review mutants', pwsh, ['-NoProfile', '-NonInteractive', '-File', path.join(root, 'test/mutation/Invoke-PadMutation.ps1'), '-PesterModule', pester, '-Replay', 'test/mutation/review-mutants.json', '-ReportPath', path.join(root, 'test-output/mutation/review-powershell.json')]);
} else if ((both && (files.length === 0 || tsFiles.length > 0)) || flag('--typescript')) {
	if (flag('--typescript') && files.length > 0 && tsFiles.length === 0) {
		console.error('mutate: --typescript with --file needs .ts files');
		process.exit(2);
	}
	const node24 = execFileSync('bash', [path.join(root, 'scripts/setup-node24.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
	const stryker = path.join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js');
	if (!existsSync(stryker)) {
		console.error('mutate: StrykerJS is not installed; run npm ci first');
		process.exit(1);
	}
	const strykerArgs = [stryker, 'run', 'test/mutation/stryker.config.mjs'];
	if (tsFiles.length > 0) strykerArgs.push('--mutate', tsFiles.join(','));
	// Node 24 first on PATH, so the build (tsc) and the test processes Stryker starts run on it too.
	run('TypeScript (StrykerJS)', node24, strykerArgs, { PAD_PWSH: pwsh, PATH: `${path.dirname(node24)}${path.delimiter}${process.env.PATH}` });
}

if (!flag('--review') && ((both && (files.length === 0 || psFiles.length > 0)) || flag('--powershell'))) {
	const psArgs = ['-NoProfile', '-NonInteractive', '-File', path.join(root, 'test/mutation/Invoke-PadMutation.ps1'), '-PesterModule', pester];
	if (psFiles.length > 0) psArgs.push('-Path', psFiles.join(','));
	if (value('--max-per-file')) psArgs.push('-MaxMutantsPerFile', value('--max-per-file'));
	if (flag('--extended')) psArgs.push('-Extended');
	if (value('--jobs')) psArgs.push('-Jobs', value('--jobs'));
	if (value('--sample')) psArgs.push('-Sample', value('--sample'), '-Seed', value('--seed') ?? '1');
	// PAD_PWSH: the sandboxes have no .tools/, and the remoting tests' sshd servers run this pwsh.
	run('PowerShell (Invoke-PadMutation.ps1)', pwsh, psArgs, { PAD_PWSH: pwsh });
}

console.log(`mutate: ${outcomes.map((o) => `${o.label} ${o.code === 0 ? 'done' : `failed (exit ${o.code})`}`).join('; ')}; reports in test-output/mutation/`);
process.exit(outcomes.every((o) => o.code === 0) ? 0 : 1);
