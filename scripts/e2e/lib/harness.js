'use strict';
// A tiny runner for the UI tests: each test gets a fresh code-server (own user data, extensions, XDG dirs), the
// packaged .vsix installed, and a fresh headless Chromium. It saves test-output/e2e/<name>.png at the end, and on
// failure also <name>.failure.png, <name>.page.txt (the page's innerText), <name>.exthost.log (the extension's
// output channel "Provisioning Agent Doctor" and the extension host log) and <name>.server.log.
// Prints "ok   <name> (<ms> ms)" / "FAIL <name>: <message>" per test and a closing "N passed, N failed".
const fs = require('fs');
const path = require('path');
const P = require('./paths');
const { startServer } = require('./server');
const { launchBrowser } = require('./browser');
const W = require('./workbench');

function walk(dir, out = []) {
	let entries;
	try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return out; }
	for (const e of entries) {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) walk(p, out);
		else out.push(p);
	}
	return out;
}

/** The extension's output channel and the extension host logs of a server, as one text. */
function extensionLogs(server) {
	const files = walk(path.join(server.userData, 'logs'));
	const mine = files.filter((f) => /Provisioning Agent Doctor|provisioning-agent-doctor/i.test(f));
	const host = files.filter((f) => /exthost\d*\/(remoteexthost|exthost)\.log$|remoteexthost\.log$|remoteagent\.log$/.test(f));
	const parts = [];
	for (const f of [...mine, ...host]) {
		parts.push(`===== ${path.relative(server.dir, f)}\n${fs.readFileSync(f, 'utf8')}`);
	}
	return parts.join('\n') || `(no extension logs under ${path.join(server.userData, 'logs')})`;
}

function vsixPath() {
	return process.env.PAD_E2E_VSIX ? path.resolve(process.env.PAD_E2E_VSIX) : P.vsix;
}

/**
 * Run UI tests one after another.
 * A test: { name, scenario?, settings?, env?, vsix?: false, timeoutMs?, run: async (t) => {} } where t = { page, server, pane(),
 * shot(suffix?), log(...) } plus every helper of workbench.js.
 */
async function runTests(tests, { only } = {}) {
	fs.mkdirSync(P.output, { recursive: true });
	const vsix = vsixPath();
	if (tests.some((t) => t.vsix !== false && (!only || only.includes(t.name))) && !fs.existsSync(vsix)) {
		console.log(`FAIL setup: ${vsix} is missing: run "npm run package" first`);
		console.log(`0 passed, ${tests.length} failed`);
		return 1;
	}
	let passed = 0, failed = 0;
	for (const test of tests) {
		if (only && !only.includes(test.name)) continue;
		const t0 = Date.now();
		for (const f of fs.readdirSync(P.output)) {
			if (f.startsWith(`${test.name}.`) || f.startsWith(`${test.name}-`)) fs.rmSync(path.join(P.output, f));
		}
		let server, browser, page;
		const shot = async (suffix) => {
			if (!page) return;
			const file = path.join(P.output, `${test.name}${suffix ? `-${suffix}` : ''}.png`);
			await page.screenshot({ path: file }).catch(() => {});
			return file;
		};
		try {
			const body = async () => {
				server = await startServer({
					name: test.name, scenario: test.scenario, settings: test.settings, env: test.env,
					vsix: test.vsix === false ? undefined : vsix,
				});
				browser = await launchBrowser(path.join(server.dir, 'chromium'));
				page = browser.page;
				page.setDefaultTimeout(30000);
				const consoleLog = path.join(server.dir, 'page-console.log');
				page.on('console', (m) => fs.appendFileSync(consoleLog, `[${m.type()}] ${m.text()}\n`));
				page.on('pageerror', (e) => fs.appendFileSync(consoleLog, `[pageerror] ${e.message}\n`));
				await W.openWorkbench(page, server);
				// The remote extensions are registered a moment after the explorer shows: wait for ours.
				if (test.vsix !== false) await W.activityBarItem(page).waitFor({ state: 'attached', timeout: 30000 });
				const installed = fs.existsSync(server.extensions)
					? fs.readdirSync(server.extensions).find((n) => n.startsWith(`${P.extensionId}-`)) : undefined;
				const t = {
					...W, page, server, shot,
					// The installed package's folder (what is under test, which may differ from src/ if packaging failed).
					extensionDir: installed && path.join(server.extensions, installed),
					pane: () => W.viewPane(page),
					log: (...a) => { if (process.env.PAD_E2E_VERBOSE) console.log(`     [${test.name}]`, ...a); },
				};
				await test.run(t);
				await shot();
			};
			const limit = test.timeoutMs || 120000;
			let timer;
			await Promise.race([
				body(),
				new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`test timed out after ${limit} ms`)), limit); }),
			]).finally(() => clearTimeout(timer));
			passed++;
			console.log(`ok   ${test.name} (${Date.now() - t0} ms)`);
		} catch (e) {
			failed++;
			console.log(`FAIL ${test.name} (${Date.now() - t0} ms): ${String((e && e.message) || e).split('\n')[0]}`);
			if (process.env.PAD_E2E_VERBOSE && e && e.stack) console.log(e.stack);
			const base = path.join(P.output, test.name);
			await shot('failure');
			if (page) {
				const text = await page.evaluate(() => document.body.innerText).catch((err) => `(innerText failed: ${err.message})`);
				fs.writeFileSync(`${base}.page.txt`, text);
			}
			if (server) {
				fs.writeFileSync(`${base}.exthost.log`, extensionLogs(server));
				try { fs.copyFileSync(server.log, `${base}.server.log`); } catch { /* none */ }
			}
			console.log(`     artifacts: ${path.relative(P.root, base)}.{failure.png,page.txt,exthost.log,server.log}`);
		} finally {
			if (browser) await browser.close();
			if (server) await server.stop();
		}
	}
	console.log(`${passed} passed, ${failed} failed`);
	return failed ? 1 : 0;
}

/** Entry for `node test/e2e/ui/<file>.js [test names...]`. */
function main(tests) {
	const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
	runTests(tests, { only: only.length ? only : undefined }).then((code) => process.exit(code), (e) => {
		console.error(e);
		console.log(`0 passed, ${tests.length} failed`);
		process.exit(1);
	});
}

module.exports = { runTests, main, extensionLogs };
