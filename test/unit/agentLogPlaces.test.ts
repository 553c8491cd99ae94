import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { agentLogPlaces, expandWindowsPath, newestLogs, wildcardTest, type FoundLog } from '../../src/logs/agentLogPlaces';
import { repoRoot } from './fixtures';

const env = { ProgramData: 'C:\\ProgramData', TEMP: 'C:\\Users\\adm\\AppData\\Local\\Temp\\', SystemRoot: 'C:\\Windows' };

test('the places come from agent.json: the trace folder, and the bundle, MSI and policy logs in both TEMP folders', () => {
	const agent = JSON.parse(readFileSync(path.join(repoRoot, 'src/catalogue/agent.json'), 'utf8'));
	const places = agentLogPlaces(env);
	assert.deepEqual(
		places.map((p) => `${p.kind} ${p.folder}`),
		[
			`trace ${agent.files.traceFolder.replace('%ProgramData%', 'C:\\ProgramData')}`,
			'bundle C:\\Users\\adm\\AppData\\Local\\Temp',
			'msi C:\\Users\\adm\\AppData\\Local\\Temp',
			'msiPolicy C:\\Users\\adm\\AppData\\Local\\Temp',
			'bundle C:\\Windows\\Temp',
			'msi C:\\Windows\\Temp',
			'msiPolicy C:\\Windows\\Temp',
		],
	);
	// Without ProgramData (not Windows) there is no trace place; the same TEMP twice is listed once.
	assert.deepEqual(agentLogPlaces({ TEMP: 'C:\\Windows\\Temp', SystemRoot: 'C:\\Windows' }).map((p) => p.kind), ['bundle', 'msi', 'msiPolicy']);
});

test('each kind takes its own file names: the bundle log by its timestamp, the package logs beside it, MSI*.LOG, any trace .log', () => {
	const [trace, bundle, msi, policy] = agentLogPlaces(env);
	const names = [
		'Microsoft_Azure_AD_Connect_Provisioning_Agent_Package_20230112133223.log',
		'Microsoft_Entra_Connect_Provisioning_Agent_Package_20261126070000.log',
		'Microsoft_Azure_AD_Connect_Provisioning_Agent_Package_20230112133223_0_AADConnectProvisioningAgent.log',
		'Microsoft_Azure_AD_Connect_Provisioning_Agent_Package_20230112133223_001_AADConnectProvisioningAgent_rollback.log',
		'MSI3a1b2.LOG',
		'msi9.log',
		'Other_Package_20230112133223.log',
		'ProvAgentTrace.log',
		'notes.txt',
	];
	assert.deepEqual(names.filter(bundle.matches), names.slice(0, 2));
	assert.deepEqual(names.filter(msi.matches), names.slice(2, 4));
	assert.deepEqual(names.filter(policy.matches), ['MSI3a1b2.LOG', 'msi9.log']);
	assert.deepEqual(names.filter(trace.matches), names.filter((n) => n.toLowerCase().endsWith('.log')));
});

test('expanding %Variables% is case-insensitive, drops a trailing separator, and gives nothing when a variable is unset', () => {
	assert.equal(expandWindowsPath('%programdata%\\Microsoft\\X', { ProgramData: 'D:\\PD\\' }), 'D:\\PD\\Microsoft\\X');
	assert.equal(expandWindowsPath('%ProgramData%\\X', {}), undefined);
	assert.equal(expandWindowsPath('C:\\fixed', {}), 'C:\\fixed');
	assert.equal(wildcardTest('a.b*')('A.Bc'), true);
	assert.equal(wildcardTest('a.b*')('axbc'), false, 'a dot is a dot');
});

test('the newest files of each kind come first, five at most, each path once', () => {
	const found: FoundLog[] = [];
	for (let i = 0; i < 7; i++) {
		found.push({ kind: 'trace', path: `C:\\T\\t${i}.log`, modifiedMs: 1000 + i, size: 10 });
	}
	found.push({ kind: 'bundle', path: 'C:\\Temp\\b.log', modifiedMs: 5, size: 10 }, { kind: 'bundle', path: 'c:\\temp\\B.LOG', modifiedMs: 5, size: 10 });
	const newest = newestLogs(found);
	assert.deepEqual(newest.map((f) => f.path), ['C:\\T\\t6.log', 'C:\\T\\t5.log', 'C:\\T\\t4.log', 'C:\\T\\t3.log', 'C:\\T\\t2.log', 'c:\\temp\\B.LOG']);
	assert.equal(newestLogs(found, 1).length, 2);
});
