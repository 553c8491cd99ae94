import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { Commands, ConfigKeys, ConfigSection, Views } from '../../src/constants';

const root = path.resolve(__dirname, '../../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

test('activation is lazy: no "*" and no startup activation', () => {
	const events: string[] = manifest.activationEvents ?? [];
	assert.ok(!events.includes('*'));
	assert.ok(!events.includes('onStartupFinished'));
});

test('every command id in the code is contributed, and the other way round', () => {
	const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
	assert.deepEqual(contributed, Object.values(Commands).sort());
	const diagnose = manifest.contributes.commands.find((c: { command: string }) => c.command === Commands.diagnose);
	assert.equal(diagnose.title, 'Diagnose Provisioning Agent');
	assert.ok(manifest.contributes.views[Views.container].some((v: { id: string }) => v.id === Views.checks));
});

test('settings: every key is declared, executables are machine-scoped and restricted in untrusted workspaces', () => {
	const props = manifest.contributes.configuration.properties;
	for (const key of Object.values(ConfigKeys)) {
		assert.ok(props[`${ConfigSection}.${key}`], key);
	}
	assert.equal(props[`${ConfigSection}.${ConfigKeys.powershellPath}`].scope, 'machine');
	// What runs (the PowerShell) and where it connects with the admin's credentials (the servers, the SSH key) come
	// only from user or machine settings in an untrusted workspace.
	assert.deepEqual(manifest.capabilities.untrustedWorkspaces.restrictedConfigurations, [
		`${ConfigSection}.${ConfigKeys.powershellPath}`,
		`${ConfigSection}.${ConfigKeys.servers}`,
		`${ConfigSection}.${ConfigKeys.sshKeyFile}`,
	]);
	assert.deepEqual(manifest.extensionKind, ['workspace']);
});

test('the package holds the bundle, the PowerShell and the icon, and no sources, tests or tools', () => {
	const vsce = path.join(root, 'node_modules/.bin/vsce');
	const files = execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' })
		.split(/\r?\n/)
		.filter(Boolean);
	for (const needed of ['package.json', 'dist/extension.js', 'dist/powershell/Invoke-AgentDiagnosis.ps1', 'dist/powershell/PadProbes.psm1', 'dist/powershell/catalogue/messages.json', 'dist/powershell/catalogue/checks/server.json', 'dist/powershell/catalogue/fixes/set-managed-account.ps1', 'media/icon.svg', 'media/panel.js', 'media/panel.css', 'dist/media/vscode-elements.js', 'dist/media/codicons/codicon.css', 'dist/media/codicons/codicon.ttf', 'README.md', 'LICENSE']) {
		assert.ok(files.includes(needed), `${needed} missing from the package: ${files.join(', ')}`);
	}
	for (const file of files) {
		assert.ok(!/^(src|test|scripts|node_modules|\.tools|\.e2e-tools|out)\//.test(file), `${file} must not be packaged`);
		assert.ok(!file.endsWith('.map'), `${file}: source maps stay out of the package`);
	}
});
