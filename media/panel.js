// The panels' only script. It sends which button was pressed — an action and catalogue ids read from the
// button's data attributes, nothing else — and remembers the panel's check id so VS Code can restore the panel
// after a reload. The extension checks every message and takes every value from its own catalogue.
// @ts-check
(function () {
	// eslint-disable-next-line no-undef
	const vscode = acquireVsCodeApi();
	const main = document.querySelector('main');
	const checkId = main && main.getAttribute('data-check-id');
	vscode.setState(checkId ? { checkId } : { summary: true });

	/** @type {Record<string, string[]>} the data attributes each action sends, as in src/views/panelMessages.ts */
	const fields = {
		rerun: ['checkId'],
		runFix: ['checkId', 'fixId'],
		copy: ['checkId', 'fixId'],
		openLink: ['sourceId'],
		showCheck: ['checkId'],
		runExplained: [],
		runDiagnosis: [],
		openLogLine: ['checkId', 'line'],
	};

	/** Explain an Error: the text box's text is the one value a page sends; the extension only matches it. */
	function explain() {
		const box = document.getElementById('explain-text');
		if (box instanceof HTMLTextAreaElement) {
			vscode.postMessage({ type: 'explain', text: box.value });
		}
	}

	document.addEventListener('keydown', (event) => {
		// Ctrl+Enter (Cmd+Enter) in the text box explains, as it submits in VS Code's own multi-line inputs.
		if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && event.target instanceof HTMLTextAreaElement && event.target.id === 'explain-text') {
			event.preventDefault();
			explain();
		}
	});

	document.addEventListener('click', (event) => {
		const target = event.target instanceof Element ? event.target.closest('[data-action]') : null;
		if (!target || target.hasAttribute('disabled')) {
			return;
		}
		const type = target.getAttribute('data-action') || '';
		if (type === 'explain') {
			event.preventDefault();
			explain();
			return;
		}
		const wanted = fields[type];
		if (!wanted) {
			return;
		}
		/** @type {Record<string, string>} */
		const message = { type };
		for (const name of wanted) {
			const value = target.getAttribute('data-' + name.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()));
			if (value === null) {
				return;
			}
			message[name] = value;
		}
		event.preventDefault();
		vscode.postMessage(message);
	});
})();
