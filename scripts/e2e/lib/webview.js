'use strict';
// Webview panels in the workbench: each page is the content frame (fake.html) inside nested iframes, and a page is
// replaced, not updated, when the extension renders it again; so a test looks the frame up by what it shows.

/** The content frame of the webview whose page title (h1) starts with `heading`. */
async function webviewFrame(t, heading, { timeout = 30000 } = {}) {
	let found;
	await t.until(`a webview showing "${heading}"`, async () => {
		for (const frame of t.page.frames()) {
			if (!/fake\.html/.test(frame.url())) continue;
			const h1 = await frame.evaluate(() => (document.querySelector('h1') || {}).textContent || '').catch(() => '');
			if (h1.startsWith(heading)) {
				found = frame;
				return true;
			}
		}
		return false;
	}, { timeout });
	return found;
}

module.exports = { webviewFrame };
