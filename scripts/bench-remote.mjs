// The diagnosis of several servers through PowerShell remoting over SSH, measured in one run
// (`node scripts/bench-remote.mjs`; needs /usr/sbin/sshd: `bash scripts/setup-sshd.sh`). The servers are loopback sshd
// daemons (test/remoting/sshd-lab.sh), each with the healthy fake-host scenario under its own computer name, started
// once for every figure below.
//  1. Wall time of the whole entry-script process (`pwsh -File Invoke-AgentDiagnosis.ps1 -HostName a,b,...`) fanning
//     out to N = 1, 2, 4, 8 servers, as a ratio to N = 1 (the median of 3 runs, after an untimed one). Goal: close
//     to 1 up to the throttle limit, i.e. the servers are diagnosed at the same time, not one after the other.
//     Every server's status must be ok, with the diagnosis of its own scenario. Each server's remote PowerShell
//     start-up and diagnosis cost CPU on this same machine, so the ratio also shows how many cores there are to
//     share: with fewer cores than servers it grows even when the fan-out is fully concurrent. The machine's CPU use
//     during each run (/proc/stat) is printed beside it to tell the two apart, and its use by other processes
//     before the bench starts anything, since that slows every figure. The servers' own times (each from when a slot of
//     the fan-out took it) over the entry script's time tell how many were diagnosed at once, whatever the CPU allows.
//  2. One healthy server and one that accepts TCP and never answers, with an overall limit (-RemoteTimeoutSeconds)
//     shorter than the connecting timeout, so it is the overall deadline that must end the run. Goal: the whole
//     process within the limit + 1 s; the never-answering server's status must be timeout. Where the time went
//     (PowerShell's start-up, the entry script, the process's end) is printed beside it.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lab = join(root, 'test/remoting/sshd-lab.sh');
const entry = join(root, 'src/powershell/Invoke-AgentDiagnosis.ps1');
const healthy = join(root, 'test/fakeHost/scenarios/healthy');
if (!existsSync('/usr/sbin/sshd')) {
	console.error('bench-remote: /usr/sbin/sshd is missing; run `bash scripts/setup-sshd.sh` first');
	process.exit(2);
}
const [pwsh] = execFileSync('bash', [join(root, 'scripts/setup-powershell.sh')], { encoding: 'utf8' }).trim().split(/\r?\n/).slice(-2);
const counts = [1, 2, 4, 8];
const throttleLimit = 8;
const overallSeconds = 20;
const work = mkdtempSync(join(tmpdir(), 'pad-bench-remote-'));
const labDir = join(work, 'lab');

// Each PowerShell run is a process group of its own, ended as a whole: .tools/pwsh/pwsh is the .NET tool's shim, and
// the shim killed alone leaves the real PowerShell (and its ssh clients) running, to write into a removed folder.
let group = null;
const alive = (pgid) => {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch {
		return false;
	}
};
/** Ends the process group pgid: SIGTERM, then SIGKILL for whatever is still there after 3 s. */
function endGroup(pgid) {
	const pause = new Int32Array(new SharedArrayBuffer(4));
	for (const [signal, waitMs] of [['SIGTERM', 3000], ['SIGKILL', 1000]]) {
		if (!alive(pgid)) {
			return;
		}
		try {
			process.kill(-pgid, signal);
		} catch {
			return;
		}
		for (let waited = 0; waited < waitMs && alive(pgid); waited += 50) {
			Atomics.wait(pause, 0, 0, 50);
		}
	}
}

// A signal must still stop the daemons: the handler ends the PowerShell run under way, whose await then throws into
// the finally below. (Without a handler node would die at once and leave every sshd running.)
let interrupted = null;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, () => {
		interrupted = signal;
		if (group !== null) {
			try {
				process.kill(-group, 'SIGTERM');
			} catch {
				// Already gone.
			}
		}
	});
}

/** Ports the system gives as free now, all different (each held open until all are chosen). */
async function freePorts(n) {
	const servers = await Promise.all(
		Array.from({ length: n }, () => new Promise((resolve, reject) => {
			const s = createServer();
			s.once('error', reject);
			s.listen(0, '127.0.0.1', () => resolve(s));
		})),
	);
	const ports = servers.map((s) => s.address().port);
	await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
	return ports;
}

// -SshOption takes a hashtable, which -File cannot pass; this wrapper is the one thing between the clock and the
// entry script, and hands it -HostName as the one comma-separated string an admin's -File run would.
const wrapper = join(work, 'run-entry.ps1');
const wrapperText = `param([string] $Entry, [string] $ResultPath, [string] $HostName, [string] $KeyFilePath, [int] $ThrottleLimit, [int] $RemoteTimeoutSeconds, [int] $ConnectingTimeoutMs)
# The lab's host key is new each run; QUIET keeps ssh's own messages out of the output.
& $Entry -ResultPath $ResultPath -HostName $HostName -KeyFilePath $KeyFilePath -SshOption @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; LogLevel = 'QUIET' } -ThrottleLimit $ThrottleLimit -RemoteTimeoutSeconds $RemoteTimeoutSeconds -ConnectingTimeoutMs $ConnectingTimeoutMs 6>$null
`;

/** The machine's CPU time so far, busy and in all, from /proc/stat (Linux); undefined where there is none. */
function cpuTimes() {
	try {
		const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
		// user nice system idle iowait irq softirq steal: idle and iowait are the time nothing ran.
		const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
		return { busy: total - fields[3] - fields[4], total };
	} catch {
		return undefined;
	}
}

let runs = 0;
/** Runs the entry script on `hosts` in a fresh pwsh and returns the process's wall time and the result's servers. */
async function diagnose(hosts, { remoteTimeoutSeconds, connectingTimeoutMs }) {
	// A signal that came while the daemons were starting (a synchronous call) is only seen here.
	if (interrupted) {
		throw new Error(`interrupted (${interrupted})`);
	}
	const out = join(work, `result-${runs++}.json`);
	const args = ['-NoProfile', '-NoLogo', '-NonInteractive', '-File', wrapper, '-Entry', entry, '-ResultPath', out, '-HostName', hosts.join(','), '-KeyFilePath', join(labDir, 'keys/client'),
		'-ThrottleLimit', String(throttleLimit), '-RemoteTimeoutSeconds', String(remoteTimeoutSeconds), '-ConnectingTimeoutMs', String(connectingTimeoutMs)];
	const cpuBefore = cpuTimes();
	const spawnedAt = Date.now();
	const started = process.hrtime.bigint();
	const child = spawn(pwsh, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, POWERSHELL_TELEMETRY_OPTOUT: '1', POWERSHELL_UPDATECHECK: 'Off' } });
	group = child.pid;
	let output = '';
	child.stdout.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
	child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-4000)));
	const { code, signal } = await new Promise((resolve, reject) => {
		child.once('error', reject);
		child.once('exit', (c, s) => resolve({ code: c, signal: s }));
	});
	const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
	const exitedAt = Date.now();
	const cpuAfter = cpuTimes();
	// Whatever the run left in its group (nothing, normally) must not outlive it.
	endGroup(child.pid);
	group = null;
	if (interrupted) {
		throw new Error(`interrupted (${interrupted})`);
	}
	if (code !== 0 || !existsSync(out)) {
		throw new Error(`the diagnosis of ${hosts.length} server(s) ended with ${signal ?? `code ${code}`}${existsSync(out) ? '' : ' and wrote no result file'}: ${output.trim()}`);
	}
	const result = JSON.parse(readFileSync(out, 'utf8'));
	if (result.schemaVersion !== 2 || result.fatal) {
		throw new Error(`the diagnosis of ${hosts.length} server(s) did not run: ${result.fatal?.message ?? `schemaVersion ${result.schemaVersion}`}`);
	}
	const servers = new Map(result.servers.map((s) => [s.server, s]));
	for (const h of hosts) {
		if (!servers.has(h)) {
			throw new Error(`the result has no entry for ${h}`);
		}
	}
	// The remote PowerShells are not this process's children (sshd's, and not all reaped by it), so only the
	// machine's counters see their CPU; other load on the machine counts too, hence the idle figure printed first.
	const cpuBusy = cpuBefore && cpuAfter ? (cpuAfter.busy - cpuBefore.busy) / (cpuAfter.total - cpuBefore.total) : undefined;
	// Where the wall time went, by the result's own clock (the same system clock): PowerShell's start-up before the
	// entry script began, the entry script until it wrote the result, and the process's end after that.
	const phases = { beforeMs: Date.parse(result.startedAt) - spawnedAt, scriptMs: Date.parse(result.finishedAt) - Date.parse(result.startedAt), afterMs: exitedAt - Date.parse(result.finishedAt) };
	return { wallMs, servers, cpuBusy, phases };
}

/** Fails unless every server answered ok with a diagnosis from its own scenario (its own computer name). */
function expectOk(run, names) {
	for (const [host, name] of names) {
		const s = run.servers.get(host);
		if (s.status !== 'ok') {
			throw new Error(`server ${name} (${host}) has status ${s.status}, not ok: ${s.error}`);
		}
		if (s.result?.host?.computerName !== name || s.result.fatal || !(s.result.checks?.length > 0)) {
			throw new Error(`server ${name} (${host}) did not send the diagnosis of its own scenario (computer name ${s.result?.host?.computerName}, ${s.result?.checks?.length ?? 0} checks${s.result?.fatal ? `, fatal: ${s.result.fatal.message}` : ''})`);
		}
	}
}

const seconds = (ms) => (ms / 1000).toFixed(2);
const busy = (run) => (run.cpuBusy === undefined ? '' : `; CPU busy ${(run.cpuBusy * 100).toFixed(0)}% of the run`);
const phases = (run) => `pwsh start-up ${seconds(run.phases.beforeMs)} s, entry script ${seconds(run.phases.scriptMs)} s, exit after the result ${seconds(run.phases.afterMs)} s`;
let started = false;
let idle;
try {
	// Other load first, over one idle second: the remote PowerShells share the machine with whatever else runs on it.
	const before = cpuTimes();
	await new Promise((resolve) => setTimeout(resolve, 1000));
	const after = cpuTimes();
	idle = before && after ? (after.busy - before.busy) / (after.total - before.total) : undefined;
	writeFileSync(wrapper, wrapperText);
	const ports = await freePorts(counts.at(-1) + 1);
	const blackholePort = ports.pop();
	mkdirSync(labDir);
	const servers = ports.map((port, i) => {
		const name = `AGENT-${String(i + 1).padStart(2, '0')}`;
		// The healthy scenario under this server's own name, so each entry of the result shows which daemon sent it.
		const scenario = join(work, `${name}.json`);
		writeFileSync(scenario, JSON.stringify({ extends: healthy, description: `healthy as ${name}`, host: { computerSystem: { name } } }));
		return { name, port, scenario, host: `root@127.0.0.1:${port}` };
	});
	started = true;
	const startup = spawnSync('bash', [lab, 'start', labDir, ...servers.map((s) => `srv${s.port}=${s.port}=${s.scenario}`), `blackhole=${blackholePort}`], { encoding: 'utf8' });
	if (startup.status !== 0) {
		throw new Error(`the loopback sshd servers did not start (test/remoting/sshd-lab.sh): ${(startup.stderr || startup.stdout).trim()}`);
	}
	const version = execFileSync(pwsh, ['-NoProfile', '-NoLogo', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.ToString()'], { encoding: 'utf8' }).trim();
	console.log(`PowerShell ${version} on both sides; ${counts.at(-1)} loopback sshd servers (healthy scenario, one computer name each) and a never-answering port; ${cpus().length} CPU core(s); -ThrottleLimit ${throttleLimit}; wall times are of the whole pwsh process${idle === undefined ? '' : `; CPU busy ${(idle * 100).toFixed(0)}% before the bench began (other processes)`}`);

	// Generous, as in the remoting tests: eight remote PowerShells start at once on a few cores, and a slow start-up
	// must show in the figures, not end the run as a failure.
	const fanOut = { remoteTimeoutSeconds: 600, connectingTimeoutMs: 60_000 };
	// Untimed: the first run pays for cold caches (PowerShell's assemblies, the bundle's files) the later ones do not,
	// which would make N = 1 slow and every ratio look better than it is.
	expectOk(await diagnose([servers[0].host], fanOut), [[servers[0].host, servers[0].name]]);

	// N = 1 is the yardstick of every ratio, so it is the median of a few runs; each larger N runs once (N = 8 takes
	// about a minute here).
	const baselineRuns = 3;
	const walls = new Map();
	const overlaps = new Map();
	let last;
	for (const n of counts) {
		const chosen = servers.slice(0, n);
		const tries = [];
		for (let i = 0; i < (n === 1 ? baselineRuns : 1); i++) {
			const run = await diagnose(chosen.map((s) => s.host), fanOut);
			expectOk(run, chosen.map((s) => [s.host, s.name]));
			tries.push(run);
		}
		const run = [...tries].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(tries.length / 2)];
		walls.set(n, run.wallMs);
		last = run;
		const durations = chosen.map((s) => run.servers.get(s.host).durationMs);
		const slowest = Math.max(...durations);
		// How many servers were being diagnosed at once, on average: their own times (each from when a slot took it)
		// over the entry script's time. About N when they overlap, about 1 when they run one after the other.
		const overlap = durations.reduce((a, b) => a + b, 0) / run.phases.scriptMs;
		overlaps.set(n, overlap);
		const of = tries.length > 1 ? ` (median of ${tries.length}: ${tries.map((t) => seconds(t.wallMs)).join(', ')})` : '';
		console.log(`fan-out to N=${n}: wall ${seconds(run.wallMs)} s${of}, ratio to N=1 ${(run.wallMs / walls.get(1)).toFixed(2)}; all ${n} ok; slowest server took ${seconds(slowest)} s; servers at once ${overlap.toFixed(2)} on average${busy(run)}`);
	}
	const most = counts.at(-1);
	// Whether CPU, not the fan-out, set the pace: the machine was busy all along.
	const saturated = last.cpuBusy !== undefined && last.cpuBusy >= 0.9;
	const ratio = walls.get(most) / walls.get(1);
	console.log(
		`goal: ratio close to 1 (≤ 1.25) up to the throttle limit (${throttleLimit}), i.e. the servers run at the same time; N=${most} is ${ratio.toFixed(2)}× N=1 (one after the other would be about ${most}×) ${ratio <= 1.25 ? 'met' : 'NOT MET'}. ` +
			(last.cpuBusy === undefined
				? `Every server's remote PowerShell runs on this machine's ${cpus().length} core(s), so CPU caps the figure.`
				: saturated
					? `The CPU was busy ${(last.cpuBusy * 100).toFixed(0)}% of the N=${most} run, every server's remote PowerShell start-up and diagnosis sharing this machine's ${cpus().length} core(s): the wall time is what the CPU allows, more than what the fan-out does.`
					: `The CPU was busy only ${(last.cpuBusy * 100).toFixed(0)}% of the N=${most} run, so the time above 1× is waiting, not computing.`) +
			` The fan-out itself: on average ${overlaps.get(most).toFixed(2)} of the ${most} servers were being diagnosed at once (${most} is fully concurrent, 1 is one after the other).` +
			(idle !== undefined && idle >= 0.1 ? ` Other processes kept the machine ${(idle * 100).toFixed(0)}% busy before the bench began, which slows every figure.` : ''),
	);

	// 2: the overall deadline ends a server that never answers, and the run, while a healthy one completes.
	const blackhole = `root@127.0.0.1:${blackholePort}`;
	const mixed = await diagnose([servers[0].host, blackhole], { remoteTimeoutSeconds: overallSeconds, connectingTimeoutMs: 60_000 });
	const hole = mixed.servers.get(blackhole);
	// The healthy one is only company here (its status is printed, not required): on a loaded machine its diagnosis
	// alone can outlast the 20 s, and that is the deadline doing its job, not a fault of this figure.
	const company = mixed.servers.get(servers[0].host);
	if (hole.status !== 'timeout') {
		throw new Error(`the never-answering server has status ${hole.status}, not timeout: ${hole.error}`);
	}
	const limitMs = (overallSeconds + 1) * 1000;
	console.log(
		`1 healthy + 1 never-answering server, -RemoteTimeoutSeconds ${overallSeconds}, -ConnectingTimeoutMs 60000: wall ${seconds(mixed.wallMs)} s; ` +
			`never-answering server timeout ${seconds(hole.durationMs)} s after its session began, healthy one ${company.status} after ${seconds(company.durationMs)} s; goal ≤ ${overallSeconds} + 1 s = ${seconds(limitMs)} s ${mixed.wallMs <= limitMs ? 'met' : 'NOT MET'} (${phases(mixed)})${busy(mixed)}`,
	);
} catch (error) {
	console.error(`bench-remote: ${error instanceof Error ? error.message : String(error)}`);
	process.exitCode = interrupted ? 130 : 1;
} finally {
	if (group !== null) {
		endGroup(group);
	}
	if (started) {
		spawnSync('bash', [lab, 'stop', labDir], { stdio: 'ignore' });
	}
	rmSync(work, { recursive: true, force: true });
}
