import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { checks } from '../../src/checks/catalogue';
import { parseDiagnosisResult } from '../../src/checks/resultSchema';
import type { DiagnosisResult } from '../../src/checks/types';
import { pwshPath } from './fixtures';

// The catalogue's `{key}` placeholders must name evidence the real probes produce. This runs the real entry
// script under pwsh against fake-host scenarios and checks every placeholder of the text the tree would show.
const root = path.resolve(__dirname, '../../..');
const pwsh = pwshPath;

function diagnose(scenario: string): DiagnosisResult {
	assert.ok(existsSync(pwsh), `pwsh is needed at ${pwsh}; run scripts/setup-powershell.sh (npm test does)`);
	const out = path.join(mkdtempSync(path.join(tmpdir(), 'pad-evidence-')), 'result.json');
	execFileSync(
		pwsh,
		['-NoProfile', '-NonInteractive', '-Command', `Import-Module '${path.join(root, 'test/fakeHost/FakeWindowsHost.psm1')}'; & '${path.join(root, 'src/powershell/Invoke-AgentDiagnosis.ps1')}' -ResultPath '${out}' -MaxConcurrency 2 6>$null`],
		{ env: { ...process.env, PAD_FAKE_HOST_SCENARIO: path.join(root, 'test/fakeHost/scenarios', `${scenario}.json`) }, encoding: 'utf8' },
	);
	const parsed = parseDiagnosisResult(readFileSync(out, 'utf8'));
	assert.ok(parsed.ok, !parsed.ok ? parsed.reason : '');
	return parsed.result;
}

const placeholders = (text: string | undefined): string[] => [...(text ?? '').matchAll(/\{([A-Za-z][A-Za-z0-9]*)\}/g)].map((m) => m[1]);

test('the real probes produce every evidence key the pass and not-applicable texts name', () => {
	const seen = new Set<string>();
	for (const scenario of ['healthy', 'server-not-domain-joined', 'gmsa-not-created', 'service-not-installed']) {
		if (!existsSync(path.join(root, 'test/fakeHost/scenarios', `${scenario}.json`))) {
			assert.fail(`scenario ${scenario} is missing`);
		}
		const result = diagnose(scenario);
		assert.equal(result.fatal, null);
		for (const check of result.checks) {
			const definition = checks.find((c) => c.id === check.id);
			assert.ok(definition, `${check.id} is not in the catalogue`);
			const text = check.status === 'pass' ? definition.passText : check.status === 'notApplicable' ? definition.notApplicableText : undefined;
			for (const key of placeholders(text)) {
				assert.ok(key in check.evidence, `${scenario}: ${check.id} (${check.status}) names {${key}} but the probe reported ${Object.keys(check.evidence).join(', ') || 'no evidence'}`);
				seen.add(`${check.id}:${check.status}`);
			}
		}
	}
	// Every check whose pass text has a placeholder was seen passing at least once.
	for (const check of checks.filter((c) => placeholders(c.passText).length > 0)) {
		assert.ok(seen.has(`${check.id}:pass`), `${check.id} never passed in the scenarios used here`);
	}
});
