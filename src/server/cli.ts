/**
 * The command-line scanner: `node dist/server.js scan FILE... [--json]` (the server's entry calls runScanCli with the
 * arguments after `scan`). Pure apart from reading the files: output goes through the callbacks, the exit status is
 * returned.
 *
 * Output: one line per finding, `file:line:col code message` (1-based line and column in UTF-16 units, as VS Code
 * counts; code = the first cause's failure id, or the message id when it names none), or with --json one JSON array
 * of { file, line, column, endColumn, code, messageId, failureIds, severity, message } (1-based too).
 * Exit status: 0 nothing found, 1 something found, 2 an error (no file given, an unknown option, an unreadable file:
 * the other files are still scanned and their findings printed).
 */
import { scanFile, type LogFinding } from './logScanner';

export const usage = 'usage: scan FILE... [--json]';

interface JsonFinding {
	readonly file: string;
	readonly line: number;
	readonly column: number;
	readonly endColumn: number;
	readonly code: string;
	readonly messageId: string;
	readonly failureIds: readonly string[];
	readonly severity: LogFinding['severity'];
	readonly message: string;
}

function codeOf(f: LogFinding): string {
	return f.failureIds[0] ?? f.messageId;
}

export async function runScanCli(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
	let json = false;
	const files: string[] = [];
	let endOfOptions = false;
	for (const arg of argv) {
		if (!endOfOptions && arg === '--') {
			endOfOptions = true;
		} else if (!endOfOptions && arg === '--json') {
			json = true;
		} else if (!endOfOptions && arg.startsWith('-') && arg !== '-') {
			err(`scan: unknown option ${arg}\n${usage}\n`);
			return 2;
		} else {
			files.push(arg);
		}
	}
	if (files.length === 0) {
		err(`scan: no file given\n${usage}\n`);
		return 2;
	}
	let failed = false;
	let found = 0;
	const collected: JsonFinding[] = [];
	for (const file of files) {
		try {
			await scanFile(file, (f) => {
				found++;
				if (json) {
					collected.push({
						file,
						line: f.line + 1,
						column: f.startCharacter + 1,
						endColumn: f.endCharacter + 1,
						code: codeOf(f),
						messageId: f.messageId,
						failureIds: f.failureIds,
						severity: f.severity,
						message: f.messageText,
					});
				} else {
					out(`${file}:${f.line + 1}:${f.startCharacter + 1} ${codeOf(f)} ${f.messageText}\n`);
				}
			});
		} catch (error) {
			failed = true;
			const e = error as NodeJS.ErrnoException;
			const reason = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.code === 'EACCES' ? 'permission denied' : e.message;
			err(`scan: cannot read ${file}: ${reason}\n`);
		}
	}
	if (json) {
		out(`${JSON.stringify(collected, null, 2)}\n`);
	}
	return failed ? 2 : found > 0 ? 1 : 0;
}
