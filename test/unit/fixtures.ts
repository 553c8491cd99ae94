import * as path from 'node:path';
import type { CheckResult, DiagnosisResult } from '../../src/checks/types';

/** The repository's root (tests run from out/test/unit). */
export const repoRoot = path.resolve(__dirname, '../../..');

/**
 * The pwsh the tests run. PAD_PWSH lets a run from a copy of the repository (mutation testing works in a sandbox
 * without .tools/) use the one that scripts/setup-powershell.sh installed.
 */
export const pwshPath = process.env.PAD_PWSH || path.join(repoRoot, '.tools/pwsh/pwsh');

/** A valid result as the entry script writes it, for tests to modify. */
export function sampleResult(checks: CheckResult[], overrides: Partial<DiagnosisResult> = {}): DiagnosisResult {
	return {
		schemaVersion: 1,
		tool: 'provisioning-agent-doctor',
		startedAt: '2026-11-26T07:00:00.0000000Z',
		finishedAt: '2026-11-26T07:00:03.0000000Z',
		host: { computerName: 'AGENT01', isWindows: true, psVersion: '5.1.17763.1', psEdition: 'Desktop', isElevated: true, userName: 'CONTOSO\\admin' },
		parameters: { cloud: 'public', eventDays: 7, checkTimeoutSeconds: 60, networkTimeoutSeconds: 10, checks: checks.map((c) => c.id) },
		fatal: null,
		checks,
		...overrides,
	};
}

export function checkResult(id: string, status: CheckResult['status'], failureIds: string[] = [], evidence: CheckResult['evidence'] = {}, error: string | null = null): CheckResult {
	return { id, status, failureIds, evidence, error, durationMs: 5 };
}
