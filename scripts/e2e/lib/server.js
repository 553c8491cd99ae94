'use strict';
// Start and stop an isolated code-server (a real VS Code server + web workbench) for one test.
//
// Everything a server writes goes under one run folder (.e2e-runs/<run>/<name>/): user data, extensions, XDG dirs,
// and a short TMPDIR (Unix socket paths are limited to 107 bytes). It listens on 127.0.0.1 at a free port with
// `--auth none`, runs in its own session (detached = setsid), and is stopped by killing its whole process tree:
// the extension host and the pty host outlive a plain kill of the server.
//
// As a module: const s = await startServer({ name, scenario, settings, vsix }); ... await s.stop();
// As a CLI (debugging): node scripts/e2e/lib/server.js start [--scenario healthy] [--vsix file]   (prints URL, Ctrl-C stops)
const fs = require('fs');
const os = require('os');
const net = require('net');
const path = require('path');
const http = require('http');
const { spawn } = require('child_process');
const P = require('./paths');
const { killTree, killTreeSync } = require('./proc');

const live = new Set();
let handlersInstalled = false;
function installExitHandlers() {
	if (handlersInstalled) return;
	handlersInstalled = true;
	// The "trap": whatever ends this process, no server tree survives it.
	process.on('exit', () => { for (const s of live) s.killSync(); });
	for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.on(sig, () => {
			for (const s of live) s.killSync();
			process.exit(sig === 'SIGINT' ? 130 : 143);
		});
	}
}

let runId;
/** The folder of this e2e run, shared by the servers it starts: .e2e-runs/<short id>. */
function runBase() {
	if (!runId) {
		runId = process.env.PAD_E2E_RUN_ID || (Date.now().toString(36).slice(-6) + process.pid.toString(36).slice(-2));
		process.env.PAD_E2E_RUN_ID = runId; // child processes of this run share the folder
	}
	const dir = path.join(P.runs, runId);
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

function httpOk(url) {
	return new Promise((resolve) => {
		const req = http.get(url, (res) => { res.resume(); resolve(res.statusCode >= 200 && res.statusCode < 400); });
		req.on('error', () => resolve(false));
		req.setTimeout(2000, () => { req.destroy(); resolve(false); });
	});
}

const BASE_SETTINGS = {
	'workbench.startupEditor': 'none',
	'workbench.tips.enabled': false,
	'workbench.enableExperiments': false,
	'workbench.secondarySideBar.defaultVisibility': 'hidden',
	'telemetry.telemetryLevel': 'off',
	'update.mode': 'none',
	'extensions.autoCheckUpdates': false,
	'extensions.autoUpdate': false,
	'extensions.ignoreRecommendations': true,
	'security.workspace.trust.enabled': false,
	'chat.disableAIFeatures': true,
	'terminal.integrated.gpuAcceleration': 'off',
	'terminal.integrated.enablePersistentSessions': false,
	'window.restoreWindows': 'none',
	// The run folders sit inside this git checkout: don't offer to open the parent repository.
	'git.openRepositoryInParentFolders': 'never',
};

/** User settings for a run: the isolation settings, PowerShell as the default terminal, and the fake host if asked. */
function userSettings({ scenario, settings = {} } = {}) {
	const s = {
		...BASE_SETTINGS,
		'terminal.integrated.profiles.linux': { PowerShell: { path: P.pwsh, icon: 'terminal-powershell' } },
		'terminal.integrated.defaultProfile.linux': 'PowerShell',
	};
	if (scenario) s['paDoctor.powershell.path'] = P.fakePwsh;
	return { ...s, ...settings };
}

/** Environment for code-server (inherited by the extension host, the pty host and the terminals' shells). */
function serverEnv(dir, tmp, { scenario, env = {} } = {}) {
	const e = {};
	for (const [k, v] of Object.entries(process.env)) {
		// Never let an outer VS Code (when the runner is started from its terminal) leak into the server.
		if (/^(VSCODE_|ELECTRON_)/.test(k) || k === 'CODE_SERVER_PARENT_PID') continue;
		e[k] = v;
	}
	Object.assign(e, {
		PATH: `${path.dirname(P.node24)}:${process.env.PATH}`,
		XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
		XDG_DATA_HOME: path.join(dir, 'xdg-data'),
		XDG_CACHE_HOME: path.join(dir, 'xdg-cache'),
		TMPDIR: tmp,
		NODE_COMPILE_CACHE: path.join(dir, 'xdg-cache', 'node-compile-cache'),
		PAD_E2E_RUN_DIR: dir,
		POWERSHELL_TELEMETRY_OPTOUT: '1',
		POWERSHELL_UPDATECHECK: 'Off',
		DOTNET_CLI_TELEMETRY_OPTOUT: '1',
	});
	delete e.PAD_E2E_SCENARIO;
	if (scenario) e.PAD_E2E_SCENARIO = scenario;
	// The fake host's state file is the test's own: one inherited from the runner would carry one test's fixes into
	// the next. A test may still name one in its env; by default test/e2e/fake-pwsh/pwsh puts it in the run folder.
	delete e.PAD_E2E_STATE;
	const out = { ...e, ...env };
	if (out.PAD_E2E_STATE) out.PAD_E2E_STATE = path.resolve(out.PAD_E2E_STATE);
	return out;
}

/** The fake host's state file of a server (what test/e2e/fake-pwsh/pwsh passes on as PAD_FAKE_HOST_STATE). */
function fakeHostStatePath(s) {
	return s.env.PAD_E2E_STATE || path.join(s.dir, 'fake-host-state.json');
}

function commonArgs(s) {
	return ['--config', s.config, '--user-data-dir', s.userData, '--extensions-dir', s.extensions];
}

function runCli(s, args, timeoutMs = 60000) {
	return new Promise((resolve, reject) => {
		const child = spawn(P.node24, [P.codeServerEntry, ...commonArgs(s), ...args], { env: s.env, stdio: ['ignore', 'pipe', 'pipe'] });
		let out = '';
		child.stdout.on('data', (d) => { out += d; });
		child.stderr.on('data', (d) => { out += d; });
		const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`code-server ${args.join(' ')} timed out:\n${out}`)); }, timeoutMs);
		child.on('exit', (code) => {
			clearTimeout(timer);
			if (code === 0) resolve(out);
			else reject(new Error(`code-server ${args.join(' ')} exited ${code}:\n${out}`));
		});
	});
}

/**
 * Start a fresh, isolated code-server.
 * @param {object} o
 * @param {string} o.name          short folder name under the run folder
 * @param {string} [o.scenario]    fake host scenario (name or path); sets paDoctor.powershell.path to the fake pwsh
 * @param {object} [o.settings]    extra user settings (override the defaults)
 * @param {string} [o.vsix]        a .vsix to install into the fresh extensions dir before the start
 * @param {string} [o.workspace]   folder to open; default: a copy of test/e2e/workspace in the run folder
 * @param {object} [o.env]         extra environment for the server (and so the extension host and terminals);
 *                                 PAD_E2E_STATE names the fake host's state file (default <run folder>/fake-host-state.json)
 * @param {string[]} [o.args]      extra code-server arguments
 * @param {number} [o.port]        port to listen on (default: a free one)
 */
async function startServer(o) {
	if (!fs.existsSync(P.codeServerEntry) || !fs.existsSync(P.node24)) {
		throw new Error('code-server is not installed: run bash scripts/e2e/setup.sh');
	}
	installExitHandlers();
	const base = runBase();
	const dir = path.join(base, o.name);
	fs.rmSync(dir, { recursive: true, force: true });
	// TMPDIR: short, because VS Code puts Unix sockets (vscode-ipc-<uuid>.sock, ~52 bytes) there.
	let tmp = path.join(base, `t${fs.readdirSync(base).filter((n) => /^t\d+$/.test(n)).length}`);
	let ownTmp = false;
	if (Buffer.byteLength(tmp) > 50) {
		tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pad-e2e-'));
		ownTmp = true;
	}
	const s = {
		name: o.name,
		dir,
		tmp,
		userData: path.join(dir, 'user-data'),
		extensions: path.join(dir, 'extensions'),
		config: path.join(dir, 'config.yaml'),
		log: path.join(dir, 'code-server.log'),
		workspace: o.workspace,
		scenario: o.scenario,
	};
	for (const d of [s.userData + '/User', s.extensions, tmp, dir + '/xdg-config', dir + '/xdg-data', dir + '/xdg-cache']) {
		fs.mkdirSync(d, { recursive: true });
	}
	if (!s.workspace) {
		s.workspace = path.join(dir, 'workspace');
		fs.cpSync(P.workspace, s.workspace, { recursive: true });
	}
	// In code-server the window is remote: settings of "machine" scope (paDoctor.powershell.path) are read from the
	// remote machine settings (<user-data>/Machine/settings.json), not from the user settings. Write both.
	const settingsJson = JSON.stringify(userSettings(o), null, 2);
	fs.mkdirSync(path.join(s.userData, 'Machine'), { recursive: true });
	fs.writeFileSync(path.join(s.userData, 'User', 'settings.json'), settingsJson);
	fs.writeFileSync(path.join(s.userData, 'Machine', 'settings.json'), settingsJson);
	s.env = serverEnv(dir, tmp, o);
	// Every test starts from its scenario alone: no state left by a fix an earlier test (or run) applied. The default
	// file is in the run folder removed above; one a test names may be anywhere. Its lock file goes too: nothing of
	// this server runs yet.
	s.fakeHostState = fakeHostStatePath(s);
	for (const f of [s.fakeHostState, `${s.fakeHostState}.lock`]) fs.rmSync(f, { force: true });

	let port;
	for (let attempt = 0; ; attempt++) {
		port = o.port && attempt === 0 ? o.port : await freePort();
		fs.writeFileSync(s.config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
		if (o.vsix && attempt === 0) await runCli(s, ['--install-extension', o.vsix]);
		const logFd = fs.openSync(s.log, 'a');
		const child = spawn(P.node24, [
			P.codeServerEntry, ...commonArgs(s),
			'--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
			'--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
			'--disable-getting-started-override', '--ignore-last-opened',
			'--reconnection-grace-time', '10',
			'--vscode-option', 'enable-smoke-test-driver',
			...(o.args || []),
			s.workspace,
		], { env: s.env, cwd: dir, detached: true, stdio: ['ignore', logFd, logFd] });
		fs.closeSync(logFd);
		s.pid = child.pid;
		fs.writeFileSync(path.join(dir, 'code-server.pid'), String(child.pid));
		let exited = false;
		child.on('exit', () => { exited = true; });
		const handle = {
			killSync: () => { killTreeSync(s.pid); if (ownTmp) fs.rmSync(tmp, { recursive: true, force: true }); },
		};
		live.add(handle);
		s.stop = async () => {
			live.delete(handle);
			await killTree(s.pid);
			if (ownTmp) fs.rmSync(tmp, { recursive: true, force: true });
		};
		const deadline = Date.now() + 60000;
		let up = false;
		while (!exited && Date.now() < deadline) {
			if (await httpOk(`http://127.0.0.1:${port}/healthz`)) { up = true; break; }
			await new Promise((r) => setTimeout(r, 300));
		}
		if (up) break;
		await s.stop();
		const log = fs.readFileSync(s.log, 'utf8');
		if (attempt < 2 && !o.port && /EADDRINUSE/.test(log)) continue; // lost the race for the port: try another
		throw new Error(`code-server did not start (see ${s.log}):\n${log.slice(-3000)}`);
	}
	s.port = port;
	s.origin = `http://127.0.0.1:${port}`;
	s.url = (extra = '') => `${s.origin}/?folder=${encodeURIComponent(s.workspace)}${extra}`;
	s.installExtension = (vsix) => runCli(s, ['--install-extension', vsix]);
	return s;
}

module.exports = { startServer, userSettings, runBase, fakeHostStatePath };

if (require.main === module) {
	// Debug CLI: start one server and keep it until Ctrl-C.
	const argv = process.argv.slice(2);
	const opt = (k) => { const i = argv.indexOf(k); return i >= 0 ? argv[i + 1] : undefined; };
	if (argv[0] !== 'start') {
		console.error('usage: node scripts/e2e/lib/server.js start [--scenario NAME|PATH] [--vsix FILE] [--name NAME]');
		process.exit(2);
	}
	startServer({ name: opt('--name') || 'manual', scenario: opt('--scenario'), vsix: opt('--vsix') }).then((s) => {
		console.log(`code-server pid ${s.pid} (run folder ${s.dir})`);
		console.log(`open ${s.url()}`);
		console.log('Ctrl-C stops it and every child.');
	}, (e) => { console.error(e.message); process.exit(1); });
}
