/**
 * What "Run in Terminal" and "Copy" do with a fix, decided before anything runs: the fix must be one the check's
 * latest result offers, its parameters come from that result's evidence, and the confirmation says what will
 * change with the values filled in. Pure: the glue (fixRunner.ts) only shows the dialog and sends the command.
 */
import { findCheck, findFix } from '../checks/catalogue';
import { explain } from '../checks/explain';
import type { CheckDefinition, CheckResult, Fix } from '../checks/types';
import { buildFixCommand, type FixCommand } from '../views/panelHtml';

export type FixPlan =
	| {
			readonly ok: true;
			readonly check: CheckDefinition;
			readonly fix: Fix;
			readonly command: FixCommand;
			/** The modal's message and detail (plain text: the dialog shows no Markdown). */
			readonly confirmation: { readonly message: string; readonly detail: string };
			/** A change to the system from a terminal the result says is not elevated: it would fail there. */
			readonly needsElevation: boolean;
	  }
	| { readonly ok: false; readonly reason: string };

/**
 * Plans fix `fixId` of check `checkId` from the latest results. `scriptPathOf` gives the fix script's path on the
 * terminal's machine; `elevated` is the last run's DiagnosisResult.host.isElevated (null: unknown).
 */
export function planFix(
	checkId: string,
	fixId: string,
	results: ReadonlyMap<string, CheckResult>,
	scriptPathOf: (fix: Fix) => string,
	elevated: boolean | null | undefined,
): FixPlan {
	const check = findCheck(checkId);
	const fix = findFix(fixId);
	if (!check || !fix) {
		return { ok: false, reason: `There is no ${check ? `fix "${fixId}"` : `check "${checkId}"`} in the catalogue.` };
	}
	const result = results.get(checkId);
	if (!result) {
		return { ok: false, reason: `"${check.title}" has no result yet. Run the check, then choose the fix in its panel.` };
	}
	// Only a fix the latest result offers: a panel left open from an earlier run may show one that no longer applies.
	const explained = explain(check, result, results)
		.failures.flatMap((f) => f.fixes)
		.find((f) => f.fix.id === fixId);
	if (!explained) {
		return { ok: false, reason: `The latest result of "${check.title}" does not call for "${fix.title}". Re-run the check to see what it needs now.` };
	}
	const command = buildFixCommand(fix, explained.parameters, scriptPathOf(fix));
	const needsElevation = fix.changesSystem && elevated === false;
	const lines: string[] = [fix.changesSystem ? `What will change: ${fix.effect}` : `Read-only: ${fix.effect}`];
	const given = command.args.map(([name, value]) => `  -${name}: ${Array.isArray(value) ? value.join(', ') : String(value)}`);
	if (given.length > 0) {
		lines.push('', 'With these values (from this diagnosis):', ...given);
	}
	if (fix.runOn) {
		lines.push('', `Run it on: ${fix.runOn}. Run it here only if this terminal is on such a computer; otherwise copy it.`);
	}
	if (fix.caveat) {
		lines.push('', `Before you run it: ${fix.caveat}`);
	}
	if (needsElevation) {
		lines.push('', 'The diagnosis ran without Administrator rights, so this change would be refused in that terminal.');
	}
	lines.push('', 'The command:', command.commandLine);
	return {
		ok: true,
		check,
		fix,
		command,
		needsElevation,
		confirmation: {
			message: fix.changesSystem ? `Run "${fix.title}"? It changes this system.` : `Run "${fix.title}"? It is read-only.`,
			detail: lines.join('\n'),
		},
	};
}
