// End-to-end tests of the packaged extension in a real VS Code (code-server + headless Debian Chromium).
//
//   node scripts/e2e/run-e2e.mjs [--no-setup] [--no-package] [--ui-only | --host-only] [ui-file-or-test-name ...]
//
// 1. bash scripts/e2e/setup.sh (idempotent: a few seconds once installed);
// 2. npm run package → dist-package/provisioning-agent-doctor.vsix (and dist/ for the development copy);
// 3. every UI test file test/e2e/ui/*.js, each test with a fresh code-server, the .vsix installed into fresh user-data
//    and extensions dirs under .e2e-runs/<run>/, and a fresh Chromium; screenshots go to test-output/e2e/;
// 4. the mocha suite test/e2e/host/suite inside the real extension host (scripts/e2e/run-host-tests.js).
// Prints per-test lines, timings, the peak memory (summed RSS of code-server and its children and of Chromium,
// sampled every second), and a closing line "e2e: N passed, N failed"; exits non-zero on any failure.
// Every child runs in its own process group; their whole process trees are killed on exit or Ctrl-C.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const P = require('./lib/paths.js');
const { killTree, killTreeSync, sampleTreeRss, alive } = require('./lib/proc.js');
const here = path.dirname(fileURLToPath(import.meta.url));

const args = process.argv.slice(2);
const flag = (f) => args.includes(f);
const filters = args.filter((a) => !a.startsWith('--'));
const FILE_TIMEOUT_MS = Number(process.env.PAD_E2E_FILE_TIMEOUT || 600) * 1000;

// One run id for every server of this run: .e2e-runs/<id>/<test>/
process.env.PAD_E2E_RUN_ID = Date.now().toString(36).slice(-6) + process.pid.toString(36).slice(-2);
const runDir = path.join(P.runs, process.env.PAD_E2E_RUN_ID);

const children = new Set();
process.on('exit', () => { for (const c of children) killTreeSync(c.pid); });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(sig, () => {
		console.log(`\ne2e: ${sig}, stopping`);
		for (const c of children) killTreeSync(c.pid);
		process.exit(130);
	});
}

/** Run a command; stream (or capture) its output; resolve { code, out }. Kills its tree after timeoutMs. */
function run(cmd, argv, { cwd = P.root, env = process.env, capture = false, timeoutMs = 0, onLine } = {}) {
	return new Promise((resolve) => {
		const child = spawn(cmd, argv, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
		children.add(child);
		let out = '';
		let partial = '';
		const take = (d) => {
			const s = d.toString();
			out += s;
			if (capture) return;
			partial += s;
			const lines = partial.split('\n');
			partial = lines.pop();
			for (const l of lines) { console.log(l); if (onLine) onLine(l); }
		};
		child.stdout.on('data', take);
		child.stderr.on('data', take);
		let timedOut = false;
		const timer = timeoutMs ? setTimeout(() => { timedOut = true; killTree(child.pid, 1000); }, timeoutMs) : null;
		child.on('close', (code) => {
			if (timer) clearTimeout(timer);
			if (partial && !capture) { console.log(partial); if (onLine) onLine(partial); }
			children.delete(child);
			killTreeSync(child.pid); // whatever it left behind in its group
			resolve({ code: timedOut ? 'timeout' : code, out });
		});
	});
}

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const timings = [];
async function timed(label, fn) {
	const t = Date.now();
	try { return await fn(); } finally { timings.push(`${label} ${secs(Date.now() - t)}`); }
}

/** Remove the folders of earlier runs (kept until the next run for debugging), unless a server in them still runs. */
function cleanOldRuns() {
	if (!fs.existsSync(P.runs)) return;
	for (const name of fs.readdirSync(P.runs)) {
		const dir = path.join(P.runs, name);
		// Only folders this tooling makes: run ids (base36) and test-electron's electron-<id>.
		if (dir === runDir || !/^([0-9a-z]{6,10}|electron-[0-9a-z]+)$/.test(name) || !fs.statSync(dir).isDirectory()) continue;
		const pids = [];
		const scan = (d, depth) => {
			for (const e of fs.readdirSync(d, { withFileTypes: true })) {
				if (e.isFile() && e.name === 'code-server.pid') pids.push(Number(fs.readFileSync(path.join(d, e.name), 'utf8')));
				else if (e.isDirectory() && depth < 2) scan(path.join(d, e.name), depth + 1);
			}
		};
		try { scan(dir, 0); } catch { continue; }
		if (pids.some((p) => p && alive(p))) continue;
		fs.rmSync(dir, { recursive: true, force: true });
	}
}

let passed = 0, failed = 0;
const results = [];

async function main() {
	const t0 = Date.now();
	if (!flag('--no-setup')) {
		const r = await timed('setup', () => run('bash', [path.join(here, 'setup.sh')]));
		if (r.code !== 0) { results.push('FAIL setup (scripts/e2e/setup.sh)'); failed++; return; }
	}
	if (!flag('--no-package')) {
		const r = await timed('package', () => run('npm', ['run', 'package'], { capture: true }));
		if (r.code !== 0 || !fs.existsSync(P.vsix)) {
			console.log(r.out.split('\n').slice(-40).join('\n'));
			results.push('FAIL package (npm run package)');
			failed++;
			return;
		}
		console.log(`e2e: packaged ${path.relative(P.root, P.vsix)} (${Math.round(fs.statSync(P.vsix).size / 1024)} KiB)`);
	}
	cleanOldRuns();
	fs.mkdirSync(runDir, { recursive: true });
	// Fresh screenshots each full run (a filtered run only replaces the files of the tests it runs).
	if (!filters.length && !flag('--ui-only') && !flag('--host-only')) fs.rmSync(P.output, { recursive: true, force: true });
	fs.mkdirSync(P.output, { recursive: true });

	const sampler = sampleTreeRss(process.pid, { intervalMs: 1000, skipDirectChildren: true });
	try {
		if (!flag('--host-only')) {
			const uiDir = path.join(P.root, 'test', 'e2e', 'ui');
			let files = fs.readdirSync(uiDir).filter((f) => f.endsWith('.js')).sort();
			// Filters: a file name (diagnose or diagnose.js) runs that file; anything else is a test name.
			const fileFilters = filters.filter((f) => files.includes(f) || files.includes(`${f}.js`));
			const nameFilters = filters.filter((f) => !fileFilters.includes(f));
			if (fileFilters.length) files = files.filter((f) => fileFilters.includes(f) || fileFilters.includes(f.replace(/\.js$/, '')));
			for (const f of files) {
				console.log(`== UI ${f}`);
				let closing = null;
				const r = await timed(`ui/${f}`, () => run(process.execPath, [path.join(uiDir, f), ...nameFilters], {
					timeoutMs: FILE_TIMEOUT_MS,
					onLine: (l) => {
						const m = /^(ok|FAIL)\s+(\S+)/.exec(l);
						if (m) results.push(`${m[1] === 'ok' ? 'ok  ' : 'FAIL'} ui/${m[2]}`);
						const c = /^(\d+) passed, (\d+) failed$/.exec(l.trim());
						if (c) closing = { p: Number(c[1]), f: Number(c[2]) };
					},
				}));
				if (closing) { passed += closing.p; failed += closing.f; }
				if (!closing || (r.code !== 0 && closing.f === 0)) {
					failed++;
					results.push(`FAIL ui/${f} (exit ${r.code})`);
				}
			}
		}
		if (!flag('--ui-only')) {
			console.log('== extension host (mocha)');
			let closing = null;
			const r = await timed('host', () => run(process.execPath, [path.join(here, 'run-host-tests.js')], {
				timeoutMs: FILE_TIMEOUT_MS,
				onLine: (l) => {
					const m = /^\s*(✔|✓|\d+\))\s+(.*)$/.exec(l);
					if (m) results.push(`${/\d+\)/.test(m[1]) ? 'FAIL' : 'ok  '} host/${m[2].trim()}`);
					const c = /^(\d+) passed, (\d+) failed$/.exec(l.trim());
					if (c) closing = { p: Number(c[1]), f: Number(c[2]) };
				},
			}));
			if (closing) { passed += closing.p; failed += closing.f; }
			if (!closing || (r.code !== 0 && closing.f === 0)) { failed++; results.push(`FAIL host (exit ${r.code})`); }
		}
	} finally {
		const mem = sampler.stop();
		timings.push(`peak memory ${mem.peakMb} MB (summed RSS of code-server + children + Chromium, ${mem.samples} samples)`);
		timings.push(`total ${secs(Date.now() - t0)}`);
	}
}

main().catch((e) => {
	console.log(`e2e: ${e && e.stack ? e.stack : e}`);
	failed++;
}).finally(() => {
	console.log('== e2e summary');
	for (const r of results) console.log(r);
	const shots = fs.existsSync(P.output) ? fs.readdirSync(P.output).filter((f) => f.endsWith('.png')).sort() : [];
	if (shots.length) console.log(`screenshots (${path.relative(P.root, P.output)}): ${shots.join(', ')}`);
	console.log(timings.join('; '));
	console.log(`e2e: ${passed} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
});
