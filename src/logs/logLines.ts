/**
 * The log lines a check's result points at (the Agent logs check's `knownLines` evidence: file, line number, the
 * line's text), and where such a line is in the file once it is open. The result file is host data, so every entry is
 * checked before it is used, and one that is not what the probe writes is left out.
 *
 * Pure: no `vscode` import, no I/O.
 */
import type { EvidenceValue } from '../checks/types';

/** The evidence key the probe writes its lines under (src/powershell/probes/AgentLogs.ps1). */
export const logLinesEvidenceKey = 'knownLines';

/** At most this many lines get a button: the probe reports 10 (its rules), and a page never grows with host data. */
export const maxLogLines = 20;

export interface LogLine {
	readonly messageId: string;
	/** The file's full path on the machine the diagnosis ran on. */
	readonly file: string;
	/** 1-based; undefined when the probe read only the file's tail and could not count the lines before it. */
	readonly lineNumber: number | undefined;
	/** The line as the probe reported it: trimmed, and cut to its rules' length. */
	readonly text: string;
}

/** A path the extension could open on Windows or elsewhere: absolute, one line, no NUL. */
function isAbsolutePath(value: string): boolean {
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001f]/.test(value)) {
		return false;
	}
	return /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\\\') || value.startsWith('/');
}

/** The lines of one result's evidence, in the probe's order (newest first); entries not of the probe's shape are dropped. */
export function logLinesOf(evidence: Readonly<Record<string, EvidenceValue>>): LogLine[] {
	const value = evidence[logLinesEvidenceKey];
	if (!Array.isArray(value)) {
		return [];
	}
	const lines: LogLine[] = [];
	for (const item of value.slice(0, maxLogLines) as unknown[]) {
		if (typeof item !== 'object' || item === null || Array.isArray(item)) {
			continue;
		}
		const entry = item as Record<string, unknown>;
		const { messageId, file, lineNumber, line } = entry;
		if (typeof messageId !== 'string' || typeof file !== 'string' || typeof line !== 'string' || !isAbsolutePath(file)) {
			continue;
		}
		const numbered = typeof lineNumber === 'number' && Number.isSafeInteger(lineNumber) && lineNumber >= 1;
		if (!numbered && lineNumber !== null && lineNumber !== undefined) {
			continue;
		}
		lines.push({ messageId, file, lineNumber: numbered ? lineNumber : undefined, text: line });
	}
	return lines;
}

/**
 * The 0-based line of `documentLines` that `line` names: its line number when that line still holds its text (a log
 * that grew keeps its earlier lines), otherwise the last line that starts with its text (a tail has no numbers, and
 * the newest occurrence is the one reported), otherwise the line number if the file has that many lines, else
 * undefined.
 */
export function locateLogLine(documentLines: readonly string[], line: Pick<LogLine, 'lineNumber' | 'text'>): number | undefined {
	const holds = (index: number): boolean => index >= 0 && index < documentLines.length && documentLines[index].trim().startsWith(line.text);
	if (line.lineNumber !== undefined && holds(line.lineNumber - 1)) {
		return line.lineNumber - 1;
	}
	if (line.text.length > 0) {
		for (let i = documentLines.length - 1; i >= 0; i--) {
			if (holds(i)) {
				return i;
			}
		}
	}
	if (line.lineNumber !== undefined && line.lineNumber <= documentLines.length) {
		return line.lineNumber - 1;
	}
	return undefined;
}
