// npm run test:electron: the extension-host suite (test/e2e/host/suite) in desktop VS Code (Electron) through
// @vscode/test-electron, for a machine with a display and a desktop VS Code.
//
//   VSCODE_EXECUTABLE=/path/to/code-electron-binary npm run test:electron    use an installed VS Code
//   npm run test:electron                                                   let test-electron download VS Code stable
//
// Where Electron VS Code can neither be downloaded nor shown (no display, only the npm registry, NuGet and Debian apt
// reachable, as on the project's Linux machines) it stops at once and says so: use `npm run test:e2e` there, which runs
// the same suite in code-server's real extension host with a headless Chromium as the client.
// The suite expects the fake Windows host: on Linux and macOS the settings point paDoctor.powershell.path at
// test/e2e/fake-pwsh/pwsh (needs .tools/pwsh/pwsh from scripts/setup-powershell.sh; scenario "healthy").
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function giveUp(why) {
	console.error(`test:electron: ${why}`);
	console.error('test:electron: desktop (Electron) VS Code cannot be downloaded or started on this machine.');
	console.error('test:electron: run the same extension-host suite with `npm run test:e2e` (code-server + headless Chromium).');
	console.log('0 passed, 1 failed');
	process.exit(1);
}

const executable = process.env.VSCODE_EXECUTABLE;
const hasDisplay = process.platform === 'win32' || process.platform === 'darwin' || !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
if (!hasDisplay) giveUp('no display (DISPLAY/WAYLAND_DISPLAY unset); Electron needs one (or run it under xvfb-run on a desktop machine).');
if (executable && !fs.existsSync(executable)) giveUp(`VSCODE_EXECUTABLE does not exist: ${executable}`);
if (!fs.existsSync(path.join(root, 'dist', 'extension.js'))) giveUp('dist/extension.js is missing: run `npm run build` first.');

const { runTests } = require('@vscode/test-electron');
const { userSettings } = require('./e2e/lib/server.js');

// Fresh, isolated profile under .e2e-runs/, with the same user settings as the code-server runs.
const run = path.join(root, '.e2e-runs', `electron-${Date.now().toString(36)}`);
const userData = path.join(run, 'user-data');
fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
fs.mkdirSync(path.join(run, 'extensions'), { recursive: true });
const scenario = process.platform === 'win32' ? undefined : 'healthy';
fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(userSettings({ scenario }), null, 2));

try {
	await runTests({
		...(executable ? { vscodeExecutablePath: executable } : { version: 'stable' }),
		extensionDevelopmentPath: root,
		extensionTestsPath: path.join(root, 'test', 'e2e', 'host', 'suite', 'index.js'),
		extensionTestsEnv: { PAD_E2E_SCENARIO: scenario || '', PAD_E2E_RUN_DIR: run },
		launchArgs: [
			path.join(root, 'test', 'e2e', 'workspace'),
			`--user-data-dir=${userData}`,
			`--extensions-dir=${path.join(run, 'extensions')}`,
			'--disable-workspace-trust',
			'--skip-welcome',
			'--skip-release-notes',
		],
	});
	console.log('test:electron: suite passed');
} catch (e) {
	const msg = String((e && e.message) || e);
	if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo|download/i.test(msg)) giveUp(`could not download VS Code (${msg.split('\n')[0]}).`);
	console.error(`test:electron: ${msg}`);
	console.log('0 passed, 1 failed');
	process.exit(1);
}
