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

test('the details of the search: trimmed setting, exact Windows PowerShell names, case-sensitive names off Windows', () => {
	// A setting with spaces around it is used trimmed.
	assert.deepEqual(locatePowerShell('  /opt/pwsh  ', { platform: 'linux', env: {}, isFile: files('/opt/pwsh') }), { found: true, executable: '/opt/pwsh', isWindowsPowerShell: false });
	// Only powershell / powershell.exe is Windows PowerShell, not a name that merely contains it.
	const isWps = (name: string) => {
		const r = locatePowerShell(`C:\\x\\${name}`, { platform: 'win32', env: { PATHEXT: '.EXE' }, isFile: () => true });
		return r.found && r.isWindowsPowerShell;
	};
	assert.equal(isWps('powershell.exe'), true);
	assert.equal(isWps('PowerShell.EXE'), true);
	assert.equal(isWps('mypowershell.exe'), false);
	assert.equal(isWps('powershell.exe.bak'), false);
	assert.equal(isWps('powershellx'), false);
	// Off Windows the environment is case-sensitive: "Path" is not PATH.
	assert.deepEqual(locatePowerShell('', { platform: 'linux', env: { Path: '/usr/bin' }, isFile: files('/usr/bin/pwsh') }), { found: false, requested: 'pwsh', fromSetting: false });
	// A backslash is a directory separator only on Windows.
	assert.deepEqual(locatePowerShell('a\\pwsh', { platform: 'linux', env: { PATH: '/usr/bin' }, isFile: files('/usr/bin/a\\pwsh') }), { found: true, executable: '/usr/bin/a\\pwsh', isWindowsPowerShell: false });
	// Without PATHEXT, Windows tries .COM, .EXE, .BAT and .CMD; empty PATH entries are skipped.
	assert.deepEqual(locatePowerShell('powershell', { platform: 'win32', env: { PATH: ';C:\\W;' }, isFile: files('C:\\W\\powershell.CMD') }), { found: true, executable: 'C:\\W\\powershell.CMD', isWindowsPowerShell: false });
	assert.deepEqual(locatePowerShell('', { platform: 'win32', env: { PATH: ';C:\\W' }, isFile: files('powershell.exe') }), { found: false, requested: 'powershell.exe', fromSetting: false });
});

test('Windows PowerShell is recognised without its extension too, and PATHEXT lists are searched in order', () => {
	assert.deepEqual(locatePowerShell('/mnt/c/WINDOWS/powershell', { platform: 'linux', env: {}, isFile: files('/mnt/c/WINDOWS/powershell') }), { found: true, executable: '/mnt/c/WINDOWS/powershell', isWindowsPowerShell: true });
	assert.deepEqual(locatePowerShell('C:\\PS\\pwsh', { platform: 'win32', env: { PATHEXT: '.COM;.EXE' }, isFile: files('C:\\PS\\pwsh.EXE') }), { found: true, executable: 'C:\\PS\\pwsh.EXE', isWindowsPowerShell: false });
	assert.deepEqual(locatePowerShell('C:\\PS\\pwsh', { platform: 'win32', env: {}, isFile: files('C:\\PS\\pwsh.BAT') }), { found: true, executable: 'C:\\PS\\pwsh.BAT', isWindowsPowerShell: false });
});

test('PATHEXT is what the environment says, and its empty entries are not an extension', () => {
	assert.deepEqual(locatePowerShell('C:\\PS\\pwsh', { platform: 'win32', env: { PATHEXT: '.XYZ' }, isFile: files('C:\\PS\\pwsh.XYZ', 'C:\\PS\\pwsh.EXE') }), { found: true, executable: 'C:\\PS\\pwsh.XYZ', isWindowsPowerShell: false });
	// "C:\PS\pwsh" without an extension is not run on Windows, even when such a file exists.
	assert.deepEqual(locatePowerShell('C:\\PS\\pwsh', { platform: 'win32', env: { PATHEXT: ';.EXE;' }, isFile: files('C:\\PS\\pwsh', 'C:\\PS\\pwsh.EXE') }), { found: true, executable: 'C:\\PS\\pwsh.EXE', isWindowsPowerShell: false });
});
