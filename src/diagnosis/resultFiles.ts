/**
 * Which files of the extension's run folder to delete after a run. Results are kept for the last few runs (Show Raw
 * Output reads the latest). A temporary file is what the entry script writes before its final rename; it stays behind
 * only when its PowerShell was killed mid-write (terminal closed, run timed out), and no run is going when this is
 * asked, so every one of them is stale.
 */
const resultName = /^diagnosis-.+\.json$/;
const temporaryName = /^diagnosis-.+\.json\.\d+\.tmp$/;
/** A run's progress file (one line per finished check); the run deletes it, a killed extension host may not. */
const progressName = /^diagnosis-.+\.progress\.jsonl$/;

export function filesToPrune(names: readonly string[], keepResults: number): string[] {
	// Result names start with an ISO time stamp, so their order is their age.
	const results = names.filter((n) => resultName.test(n)).sort();
	const old = results.slice(0, Math.max(0, results.length - keepResults));
	return [...old, ...names.filter((n) => temporaryName.test(n) || progressName.test(n)).sort()];
}
