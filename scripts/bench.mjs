// `npm run bench`: the speed figures the design promises, measured in one run.
//  1. PowerShell start-ups per full diagnosis (goal: 1) — the diagnosis is started through a `pwsh` shim first on
//     the PATH that counts every PowerShell process started by name, so a probe that spawned PowerShell would show.
//  2. Wall time of a full diagnosis (fake Windows host, healthy scenario).
//  3. The network probe's wall time with K never-answering loopback endpoints at timeout T, beside K×T (goal ≤ T + 1 s).
//  4. The agent-log scanner against grep on a 100 MB trace log, and its peak memory at 10 and 100 MB (bench-logs.mjs).
//  5. The diagnosis of 1, 2, 4 and 8 servers over SSH remoting (loopback sshd), and the overall deadline ending a
//     server that never answers (bench-remote.mjs).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [pwsh] = execFileSync('bash', [join(root, 'scripts/setup-powershell.sh')], { encoding: 'utf8' }).trim().split(/\r?\n/).slice(-2);
const work = mkdtempSync(join(tmpdir(), 'pad-bench-'));
const entry = join(root, 'src/powershell/Invoke-AgentDiagnosis.ps1');
const fakeHost = join(root, 'test/fakeHost/FakeWindowsHost.psm1');
const scenario = join(root, 'test/fakeHost/scenarios/healthy.json');

try {
	// 1 + 2: start-ups and wall time of full diagnoses.
	const log = join(work, 'startups.log');
	const shimDir = join(work, 'shim');
	execFileSync('mkdir', ['-p', shimDir]);
	for (const name of ['pwsh', 'powershell', 'powershell.exe']) {
		const shim = join(shimDir, name);
		writeFileSync(shim, `#!/usr/bin/env bash\necho "$0 $*" >> '${log}'\nexec '${pwsh}' "$@"\n`);
		chmodSync(shim, 0o755);
	}
	const runs = 3;
	const walls = [];
	const startups = [];
	for (let i = 0; i < runs; i++) {
		rmSync(log, { force: true });
		const out = join(work, `result-${i}.json`);
		const started = process.hrtime.bigint();
		const r = spawnSync(join(shimDir, 'pwsh'), ['-NoProfile', '-NoLogo', '-NonInteractive', '-Command', `Import-Module '${fakeHost}'; & '${entry}' -ResultPath '${out}' 6>$null`], {
			env: { ...process.env, PATH: `${shimDir}:${process.env.PATH}`, PAD_FAKE_HOST_SCENARIO: scenario },
			encoding: 'utf8',
		});
		walls.push(Number(process.hrtime.bigint() - started) / 1e6);
		if (r.status !== 0 || !existsSync(out)) {
			throw new Error(`the diagnosis failed: ${r.stderr || r.stdout}`);
		}
		const result = JSON.parse(readFileSync(out, 'utf8'));
		if (result.checks.length === 0) {
			throw new Error('the diagnosis ran no checks');
		}
		startups.push(readFileSync(log, 'utf8').trim().split('\n').length);
	}
	const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
	console.log(`PowerShell start-ups per full diagnosis: ${Math.max(...startups)} (goal 1; ${runs} runs: ${startups.join(', ')})`);
	console.log(`full diagnosis wall time (fake host, healthy, incl. PowerShell start-up): median ${(median(walls) / 1000).toFixed(2)} s of ${runs} runs (${walls.map((w) => (w / 1000).toFixed(2)).join(', ')})`);

	// 3: the network probe.
	for (const [k, t] of [[5, 2000], [10, 3000]]) {
		const out = execFileSync(pwsh, ['-NoProfile', '-NonInteractive', '-File', join(root, 'scripts/bench/network-probe.ps1'), '-NeverAnswering', String(k), '-TimeoutMs', String(t)], { encoding: 'utf8' });
		const m = JSON.parse(out.trim().split('\n').pop());
		const ok = m.wallMs <= t + 1000 && m.timeout === k;
		console.log(
			`network probe: K=${k} never-answering + ${m.open} open + ${m.refused} refused endpoints, T=${(t / 1000).toFixed(1)} s: wall ${(m.wallMs / 1000).toFixed(2)} s; K×T = ${((k * t) / 1000).toFixed(1)} s; goal ≤ T + 1 s = ${((t + 1000) / 1000).toFixed(1)} s ${ok ? 'met' : 'NOT MET'}`,
		);
	}
} finally {
	rmSync(work, { recursive: true, force: true });
}

// 4: the agent-log scanner (scripts/bench-logs.mjs), on the compiled sources.
execFileSync('npx', ['tsc', '-p', join(root, 'tsconfig.test.json')], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, [join(root, 'scripts/bench-logs.mjs')], { cwd: root, stdio: 'inherit' });

// 5: the diagnosis of several servers through remoting (scripts/bench-remote.mjs), against loopback sshd servers.
execFileSync(process.execPath, [join(root, 'scripts/bench-remote.mjs')], { cwd: root, stdio: 'inherit' });
