// npm start: build the extension and open it in VS Code with the sample workspace (test/e2e/workspace).
//
// - With a desktop `code` on PATH: code --extensionDevelopmentPath=<repo> test/e2e/workspace
// - Otherwise (this Linux machine, a server, a container): installs the e2e tools if needed (scripts/e2e/setup.sh),
//   starts code-server on 127.0.0.1 at a free port, isolated under .e2e-runs/<run>/start (fresh user data), with the
//   extension loaded from this folder as a development extension (part of the printed URL), PowerShell 7
//   (.tools/pwsh/pwsh) as the default terminal profile and as paDoctor.powershell.path, and prints the URL to open.
//   Ctrl-C stops the server and every process under it.
//
// The fake Windows host (test/fakeHost) is for tests and is NOT loaded: on Linux the extension then runs the real
// entry script, which reports that this is not Windows. For a demo on Linux, pick a scenario of the fake host:
//   PAD_FAKE_SCENARIO=healthy npm start          (or seed-7041, hang, ...: test/fakeHost/scenarios/<name>.json)
// which sets paDoctor.powershell.path to test/e2e/fake-pwsh/pwsh (real pwsh + the fake host module).
//
// Options (environment): PAD_START_PORT=<port> to choose the port; PAD_START_NO_CODE=1 to ignore a desktop `code`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const workspace = path.join(root, 'test', 'e2e', 'workspace');

function step(cmd, args, opts = {}) {
	const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
	if (r.status !== 0) {
		console.error(`start: ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
		process.exit(1);
	}
}

function onPath(cmd) {
	return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim() || null;
}

// A fresh clone has no node_modules yet.
if (!existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
	step('npm', ['ci', '--no-audit', '--no-fund']);
}
step('npm', ['run', 'build']);

const code = process.env.PAD_START_NO_CODE ? null : onPath('code');
if (code) {
	console.log(`start: opening desktop VS Code (${code}) with the extension from ${root}`);
	const child = spawn(code, [`--extensionDevelopmentPath=${root}`, workspace], { stdio: 'inherit' });
	child.on('exit', (c) => process.exit(c ?? 0));
} else {
	step('bash', [path.join(root, 'scripts', 'e2e', 'setup.sh')]);
	const P = require('./e2e/lib/paths.js');
	const { startServer } = require('./e2e/lib/server.js');
	const scenario = process.env.PAD_FAKE_SCENARIO || undefined;
	const server = await startServer({
		name: 'start',
		workspace,
		scenario,
		// Without a scenario: the real pwsh, so the diagnosis runs for real (and reports that this is not Windows).
		settings: scenario ? {} : { 'paDoctor.powershell.path': P.pwsh },
		port: process.env.PAD_START_PORT ? Number(process.env.PAD_START_PORT) : undefined,
	});
	// The extension loads as a development extension from this folder (rebuild, then "Developer: Reload Window").
	// A built workbench accepts this payload because the server runs with enable-smoke-test-driver.
	const payload = [['extensionDevelopmentPath', `vscode-remote://remote${root}`]];
	const url = server.url(`&payload=${encodeURIComponent(JSON.stringify(payload))}`);
	console.log('');
	console.log(`Provisioning Agent Doctor in code-server${scenario ? ` (fake Windows host, scenario "${scenario}")` : ''}:`);
	console.log(`  ${url}`);
	console.log(`  (run folder ${path.relative(root, server.dir)}, log ${path.relative(root, server.log)})`);
	console.log('Ctrl-C stops it.');
	// Keep running until a signal: the server module's handlers kill the whole tree on SIGINT/SIGTERM/exit.
	setInterval(() => {}, 1 << 30);
}
