/**
 * Two servers side by side, as Markdown: the checks whose status differs first (one that passes on one server and
 * fails on the other at the top), then how many agree. Every value from a host is escaped.
 *
 * Pure: no `vscode` import, no I/O.
 */
import type { CheckDefinition, ServerEntry } from '../checks/types';
import { escapeMarkdown, statusLabels } from '../views/treeModel';
import { compareResults, serverLabel } from './servers';

/** A table cell or heading: escaped (escapeMarkdown escapes the pipe too, which would end the cell). */
function cell(text: string): string {
	return escapeMarkdown(text);
}

export function compareServersMarkdown(checks: readonly CheckDefinition[], a: ServerEntry, b: ServerEntry): string {
	if (!a.result || !b.result) {
		throw new Error('both servers need a result to be compared');
	}
	const { differ, same } = compareResults(checks, a.result, b.result);
	const nameA = serverLabel(a);
	const nameB = serverLabel(b);
	const lines = [`# ${cell(nameA)} and ${cell(nameB)}`, ''];
	lines.push(`Diagnosed at ${cell(a.result.finishedAt)} and ${cell(b.result.finishedAt)}.`, '');
	if (differ.length === 0) {
		lines.push(`Every check has the same status on both servers (${same} checks).`);
		return `${lines.join('\n')}\n`;
	}
	lines.push(`${differ.length} ${differ.length === 1 ? 'check differs' : 'checks differ'}; ${same} ${same === 1 ? 'has' : 'have'} the same status on both.`, '');
	lines.push(`| Check | ${cell(nameA)} | ${cell(nameB)} |`, '|---|---|---|');
	for (const d of differ) {
		const word = (s: typeof d.a): string => (s ? statusLabels[s] : 'Not run');
		lines.push(`| ${cell(d.check.title)} | ${word(d.a)} | ${word(d.b)} |`);
	}
	return `${lines.join('\n')}\n`;
}
