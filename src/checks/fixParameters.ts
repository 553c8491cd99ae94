/**
 * Fills a fix's parameters from the evidence of the latest results, as the catalogue declares (`from`). Only scalar
 * evidence fills a parameter; the values are passed to PowerShell by the one quoting function, never pasted into code.
 *
 * Pure: no `vscode` import, no I/O.
 */
import type { CheckResult, Fix } from './types';

export type FixParameterValue = string | number | boolean;

export interface ResolvedFixParameters {
	/** Parameter name → value, for every parameter whose evidence was found. */
	readonly values: Readonly<Record<string, FixParameterValue>>;
	/** Required parameters without a value: the fix cannot run until the admin supplies them. */
	readonly missing: readonly string[];
	readonly ready: boolean;
}

export function resolveFixParameters(fix: Fix, results: ReadonlyMap<string, CheckResult>): ResolvedFixParameters {
	const values: Record<string, FixParameterValue> = {};
	const missing: string[] = [];
	for (const parameter of fix.parameters) {
		const value = parameter.from ? results.get(parameter.from.check)?.evidence[parameter.from.evidence] : undefined;
		if (typeof value === 'string' ? value.trim().length > 0 : typeof value === 'number' || typeof value === 'boolean') {
			values[parameter.name] = value as FixParameterValue;
		} else if (parameter.required) {
			missing.push(parameter.name);
		}
	}
	return { values, missing, ready: missing.length === 0 };
}
