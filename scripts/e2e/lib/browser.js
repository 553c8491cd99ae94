'use strict';
// Launch Debian's Chromium through playwright-core (which never downloads a browser), isolated in a profile folder.
const fs = require('fs');
const path = require('path');
const P = require('./paths');
const { chromium } = require(P.playwrightCore);

/**
 * @param {string} profileDir  fresh folder for Chromium's user data (and its XDG dirs)
 * @returns {Promise<{context, page, close}>}
 */
async function launchBrowser(profileDir, { viewport = { width: 1600, height: 1200 } } = {}) {
	if (!fs.existsSync(P.chromium)) throw new Error(`Chromium not found at ${P.chromium}: run bash scripts/e2e/setup.sh`);
	fs.rmSync(profileDir, { recursive: true, force: true });
	fs.mkdirSync(profileDir, { recursive: true });
	const context = await chromium.launchPersistentContext(profileDir, {
		executablePath: P.chromium, // the real binary, not Debian's /usr/bin/chromium wrapper script
		headless: true,
		viewport,
		// Chromium writes crash-report settings and dconf under the XDG dirs even with a user-data dir.
		env: {
			...process.env,
			XDG_CONFIG_HOME: path.join(profileDir, 'xdg-config'),
			XDG_CACHE_HOME: path.join(profileDir, 'xdg-cache'),
			XDG_DATA_HOME: path.join(profileDir, 'xdg-data'),
		},
		args: [
			'--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync',
			'--disable-dev-shm-usage',
		],
	});
	const page = context.pages()[0] || (await context.newPage());
	const close = () => context.close().catch(() => {});
	return { context, page, close };
}

module.exports = { launchBrowser };
