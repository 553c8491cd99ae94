import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultPowerShell, locatePowerShell } from '../../src/diagnosis/powershellLocator';

const files = (...paths: string[]) => (candidate: string) => paths.includes(candidate);

test('the default is powershell.exe on Windows and pwsh elsewhere', () => {
	assert.equal(defaultPowerShell('win32'), 'powershell.exe');
	assert.equal(defaultPowerShell('linux'), 'pwsh');
});

test('finds the default on the PATH, with Windows PATHEXT and case-insensitive Path', () => {
	const win = locatePowerShell('', {
		platform: 'win32',
		env: { Path: 'C:\\Tools;C:\\Windows\\System32\\WindowsPowerShell\\v1.0', PATHEXT: '.COM;.EXE' },
		isFile: files('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'),
	});
	assert.deepEqual(win, { found: true, executable: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', isWindowsPowerShell: true });
	const pwshSetting = locatePowerShell('pwsh', { platform: 'win32', env: { PATH: 'C:\\PS7', PATHEXT: '.EXE' }, isFile: files('C:\\PS7\\pwsh.EXE') });
	assert.deepEqual(pwshSetting, { found: true, executable: 'C:\\PS7\\pwsh.EXE', isWindowsPowerShell: false });
	const linux = locatePowerShell('', { platform: 'linux', env: { PATH: '/usr/bin:/opt/microsoft/powershell/7' }, isFile: files('/opt/microsoft/powershell/7/pwsh') });
	assert.equal(linux.found && linux.executable, '/opt/microsoft/powershell/7/pwsh');
});

test('a configured path must exist; a missing one says whether it came from the setting', () => {
	assert.deepEqual(locatePowerShell('/nowhere/pwsh', { platform: 'linux', env: { PATH: '/usr/bin' }, isFile: files('/usr/bin/pwsh') }), {
		found: false,
		requested: '/nowhere/pwsh',
		fromSetting: true,
	});
	assert.deepEqual(locatePowerShell('  ', { platform: 'linux', env: {}, isFile: files() }), { found: false, requested: 'pwsh', fromSetting: false });
	const full = locatePowerShell('C:\\PS\\pwsh', { platform: 'win32', env: { PATHEXT: '.EXE' }, isFile: files('C:\\PS\\pwsh.EXE') });
	assert.equal(full.found && full.executable, 'C:\\PS\\pwsh.EXE');
});
