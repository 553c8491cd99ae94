import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { checks, findFix, fixes } from '../../src/checks/catalogue';
import { resolveFixParameters } from '../../src/checks/fixParameters';
import { parseDiagnosisResult } from '../../src/checks/resultSchema';
import type { CheckResult, Fix } from '../../src/checks/types';
import { pwshPath } from './fixtures';

// --- Against real probe evidence: every fix that takes parameters from evidence gets them from a real run -------------

const root = path.resolve(__dirname, '../../..');
const pwsh = pwshPath;
const scenarioDir = path.join(root, 'test/fakeHost/scenarios');

type Expect = Record<string, { status: string; failureIds?: string[] }>;

/** A scenario's expectations, with those of the scenarios it extends (the fake host merges objects the same way). */
function expectations(name: string): Expect {
	const data = JSON.parse(readFileSync(path.join(scenarioDir, `${name}.json`), 'utf8')) as { extends?: string | string[]; expect?: Expect };
	const bases = data.extends === undefined ? [] : Array.isArray(data.extends) ? data.extends : [data.extends];
	return Object.assign({}, ...bases.map(expectations), data.expect ?? {});
}

function diagnose(scenario: string, checkIds: string[]): Map<string, CheckResult> {
	const out = path.join(mkdtempSync(path.join(tmpdir(), 'pad-fix-')), 'result.json');
	execFileSync(
		pwsh,
		['-NoProfile', '-NonInteractive', '-Command', `Import-Module '${path.join(root, 'test/fakeHost/FakeWindowsHost.psm1')}'; & '${path.join(root, 'src/powershell/Invoke-AgentDiagnosis.ps1')}' -ResultPath '${out}' -Check '${checkIds.join(',')}' -MaxConcurrency 2 6>$null`],
		{ env: { ...process.env, PAD_FAKE_HOST_SCENARIO: path.join(scenarioDir, `${scenario}.json`) }, encoding: 'utf8' },
	);
	const parsed = parseDiagnosisResult(readFileSync(out, 'utf8'));
	assert.ok(parsed.ok, !parsed.ok ? parsed.reason : '');
	return new Map(parsed.result.checks.map((c) => [c.id, c]));
}

test('fix parameters are filled from the evidence real probes report in the scenarios that produce the failure', () => {
	assert.ok(existsSync(pwsh), `pwsh is needed at ${pwsh}; run scripts/setup-powershell.sh (npm test does)`);
	const withEvidence = fixes.filter((f) => f.parameters.some((p) => p.from));
	assert.ok(withEvidence.length > 0, 'no fix takes a parameter from evidence');
	const scenarios = readdirSync(scenarioDir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5));
	// Which failure to look at in which scenario, and the checks that scenario must run: one run per scenario.
	const plan = new Map<string, { checks: Set<string>; cases: Array<{ checkId: string; failureId: string; offered: Fix[] }> }>();
	for (const check of checks) {
		for (const failure of check.failures) {
			const offered = failure.fixIds.map((id) => findFix(id)!).filter((f) => f.parameters.some((p) => p.from));
			const scenario = offered.length > 0 ? scenarios.find((s) => expectations(s)[check.id]?.failureIds?.includes(failure.id)) : undefined;
			if (!scenario) {
				continue; // a fix no failure of any scenario exercises is reported below
			}
			const entry = plan.get(scenario) ?? { checks: new Set<string>(), cases: [] };
			entry.checks.add(check.id);
			offered.forEach((f) => f.parameters.forEach((p) => p.from && entry.checks.add(p.from.check)));
			entry.cases.push({ checkId: check.id, failureId: failure.id, offered });
			plan.set(scenario, entry);
		}
	}
	const covered = new Set<string>();
	for (const [scenario, { checks: needed, cases }] of plan) {
		const real = diagnose(scenario, [...needed]);
		for (const { checkId, failureId, offered } of cases) {
			assert.ok(real.get(checkId)?.failureIds.includes(failureId), `${scenario}: ${checkId} did not report ${failureId}`);
			for (const offeredFix of offered) {
				const resolved = resolveFixParameters(offeredFix, real);
				assert.deepEqual(resolved.missing, [], `${scenario}/${failureId}/${offeredFix.id}: no value for ${resolved.missing.join(', ')}`);
				for (const parameter of offeredFix.parameters.filter((p) => p.from && p.required)) {
					assert.equal(resolved.values[parameter.name], real.get(parameter.from!.check)!.evidence[parameter.from!.evidence]);
				}
				covered.add(offeredFix.id);
			}
		}
	}
	assert.deepEqual(withEvidence.map((f) => f.id).filter((id) => !covered.has(id)), [], 'fixes with evidence parameters that no scenario exercises');
});
