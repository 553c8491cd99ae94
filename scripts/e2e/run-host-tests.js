'use strict';
// Runs the mocha suite test/e2e/host/suite inside code-server's real (Node) extension host.
//
// code-server has no CLI test runner: the workbench client starts the extension host and asks it to run the tests,
// so a headless Chromium opens the workbench with a `payload` (extensionDevelopmentPath = this repo, extensionTestsPath
// = the suite, as vscode-remote://remote/... URIs). A built workbench only honours the payload when the server runs with
// `--vscode-option enable-smoke-test-driver`. When the suite ends the workbench calls window.codeAutomationExit(code);
// the extension host's console (mocha's spec reporter) arrives through window.codeAutomationLog.
//
// The extension loads from the development folder (needs dist/extension.js: npm run build). The server runs the fake
// Windows host with the "healthy" scenario. Prints the suite's output and a closing "N passed, N failed" line;
// exits non-zero on failure, crash or timeout. Usage: node scripts/e2e/run-host-tests.js [timeoutSeconds]
const fs = require('fs');
const path = require('path');
const util = require('util');
const P = require('./lib/paths');
const { startServer } = require('./lib/server');
const { launchBrowser } = require('./lib/browser');
const { extensionLogs } = require('./lib/harness');

const NAME = 'host-tests';

async function main() {
	const timeoutS = Number(process.argv[2] || process.env.PAD_E2E_HOST_TIMEOUT || 240);
	fs.mkdirSync(P.output, { recursive: true });
	for (const f of fs.readdirSync(P.output)) if (f.startsWith(`${NAME}.`)) fs.rmSync(path.join(P.output, f));
	if (!fs.existsSync(path.join(P.root, 'dist', 'extension.js'))) {
		console.log('host tests: dist/extension.js is missing: run "npm run build" first');
		return { passed: 0, failed: 1 };
	}
	const suite = path.join(P.root, 'test', 'e2e', 'host', 'suite', 'index.js');
	let server, browser;
	let passed = 0, failed = 0, code = 'timeout';
	const t0 = Date.now();
	try {
		server = await startServer({ name: NAME, scenario: 'healthy' });
		browser = await launchBrowser(path.join(server.dir, 'chromium'));
		const { page } = browser;
		const consoleLog = path.join(server.dir, 'page-console.log');
		page.on('console', (m) => fs.appendFileSync(consoleLog, `[${m.type()}] ${m.text()}\n`));
		let sawResult = false;
		let inSuite = false;
		const hostLog = path.join(server.dir, 'host-console.log');
		await page.exposeFunction('codeAutomationLog', (type, args) => {
			const line = util.format(...(Array.isArray(args) ? args : [args]));
			fs.appendFileSync(hostLog, `[${type}] ${line}\n`);
			if (line.includes('PAD_HOST_BEGIN')) { inSuite = true; return; }
			const m = /PAD_HOST_RESULT (\{.*\})/.exec(line);
			if (m) {
				const r = JSON.parse(m[1]);
				passed = r.passed; failed = r.failed; sawResult = true;
				return;
			}
			// Only the suite's own output (the workbench's console goes to host-console.log).
			if (inSuite) console.log(line);
		});
		let resolveExit;
		const exited = new Promise((r) => { resolveExit = r; });
		await page.exposeFunction('codeAutomationExit', (c) => resolveExit(c));
		const remote = (p) => `vscode-remote://remote${p}`; // code-server's remoteAuthority is "remote"
		const payload = [
			['extensionDevelopmentPath', remote(P.root)],
			['extensionTestsPath', remote(suite)],
		];
		await page.goto(server.url(`&payload=${encodeURIComponent(JSON.stringify(payload))}`));
		let timer;
		code = await Promise.race([
			exited,
			new Promise((r) => { timer = setTimeout(() => r('timeout'), timeoutS * 1000); }),
		]);
		clearTimeout(timer);
		if (code === 'timeout') console.log(`host tests: no exit from the extension host after ${timeoutS} s`);
		if (code !== 0 || !sawResult) {
			await page.screenshot({ path: path.join(P.output, `${NAME}.failure.png`) }).catch(() => {});
			fs.writeFileSync(path.join(P.output, `${NAME}.page.txt`), await page.evaluate(() => document.body.innerText).catch(() => ''));
		} else {
			await page.screenshot({ path: path.join(P.output, `${NAME}.png`) }).catch(() => {});
		}
		if (code !== 0 && failed === 0) failed = 1; // crashed or timed out before mocha reported
	} catch (e) {
		console.log(`host tests: ${e.message}`);
		if (failed === 0) failed = 1;
	} finally {
		if (failed && server) {
			try { fs.copyFileSync(path.join(server.dir, 'host-console.log'), path.join(P.output, `${NAME}.console.log`)); } catch { /* none */ }
			fs.writeFileSync(path.join(P.output, `${NAME}.exthost.log`), extensionLogs(server));
			try { fs.copyFileSync(server.log, path.join(P.output, `${NAME}.server.log`)); } catch { /* none */ }
		}
		if (browser) await browser.close();
		if (server) await server.stop();
	}
	console.log(`host tests: exit code ${code} after ${Date.now() - t0} ms`);
	return { passed, failed };
}

main().then(({ passed, failed }) => {
	console.log(`${passed} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
}, (e) => {
	console.error(e);
	console.log('0 passed, 1 failed');
	process.exit(1);
});
