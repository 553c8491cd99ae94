import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultSettings, sanitizeSettings } from '../../src/diagnosis/settings';

test('missing or wrong-typed settings fall back to the defaults', () => {
	assert.deepEqual(sanitizeSettings({}), defaultSettings);
	assert.deepEqual(sanitizeSettings({ cloud: 'mars', eventLogDays: 'seven', powershellPath: 42 }), defaultSettings);
});

test('numbers are rounded and clamped to what the entry script accepts', () => {
	const s = sanitizeSettings({ eventLogDays: 1000, diagnosisTimeoutSeconds: 1, checkTimeoutSeconds: 2.6, networkTimeoutSeconds: -5, cloud: 'usgov', powershellPath: '  pwsh ' });
	assert.equal(s.eventLogDays, 365);
	assert.equal(s.diagnosisTimeoutSeconds, 10);
	assert.equal(s.checkTimeoutSeconds, 3);
	assert.equal(s.networkTimeoutSeconds, 1);
	assert.equal(s.cloud, 'usgov');
	assert.equal(s.powershellPath, 'pwsh');
});

test('the wizard account keeps the shapes Windows accepts and drops anything else', () => {
	for (const name of ['CONTOSO\\admin', 'admin@contoso.com', 'admin', ' CONTOSO\\svc-install ']) {
		assert.equal(sanitizeSettings({ wizardAccount: name }).wizardAccount, name.trim());
	}
	for (const bad of ['a\\b\\c', 'a@b@c', 'a\\b@c', 'line\nbreak', '\\admin', 'admin\\', 42, null, 'x'.repeat(257)]) {
		assert.equal(sanitizeSettings({ wizardAccount: bad }).wizardAccount, '', JSON.stringify(bad));
	}
	assert.equal(defaultSettings.wizardAccount, '');
});

test('an account name may be up to 256 characters long', () => {
	const at = 'CONTOSO\\' + 'a'.repeat(256 - 'CONTOSO\\'.length);
	assert.equal(at.length, 256);
	assert.equal(sanitizeSettings({ wizardAccount: at }).wizardAccount, at);
	assert.equal(sanitizeSettings({ wizardAccount: at + 'a' }).wizardAccount, '');
});
