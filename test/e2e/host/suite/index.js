'use strict';
// Entry of the extension-host test suite (extensionTestsPath): VS Code calls run() inside the real extension host.
// Used by scripts/e2e/run-host-tests.js (code-server + headless Chromium) and scripts/test-electron.mjs (desktop).
const path = require('path');
const fs = require('fs');
const Mocha = require('mocha');

function run() {
	const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60000, reporter: 'spec' });
	for (const f of fs.readdirSync(__dirname).filter((n) => n.endsWith('.test.js')).sort()) {
		mocha.addFile(path.join(__dirname, f));
	}
	return new Promise((resolve, reject) => {
		try {
			console.log('PAD_HOST_BEGIN');
			const runner = mocha.run((failures) => {
				const { passes = 0, failures: failed = 0 } = runner.stats || {};
				// One machine-readable line for the runner, in addition to mocha's own "N passing / N failing".
				console.log(`PAD_HOST_RESULT ${JSON.stringify({ passed: passes, failed })}`);
				if (failures > 0) reject(new Error(`${failures} test(s) failed`));
				else resolve();
			});
			// Say why a test failed as soon as it fails (the spec reporter only lists failures at the end).
			runner.on('fail', (test, err) => console.log(`    FAILED: ${test.fullTitle()}: ${(err && (err.stack || err.message)) || err}`));
		} catch (e) {
			reject(e);
		}
	});
}

module.exports = { run };
