/**
 * The one place where values become PowerShell source text. Everything placed into a command line the extension
 * sends to a terminal goes through these functions; nothing from a webview or a log is ever placed there.
 */

/**
 * PowerShell treats these as single quotes too (the Unicode left, right, low-9 and reversed-9 single quotation
 * marks), so each of them must be doubled inside a single-quoted string like an ASCII quote.
 */
const singleQuoteLike = /['\u2018\u2019\u201A\u201B]/g;

/**
 * Quotes a value as a PowerShell single-quoted (verbatim) string: no variable expansion, no escapes, no
 * sub-expressions. Embedded quote characters are doubled.
 */
export function quotePowerShellLiteral(value: string): string {
	if (value.includes('\0')) {
		throw new Error('A PowerShell argument cannot contain a NUL character.');
	}
	return `'${value.replace(singleQuoteLike, (quote) => quote + quote)}'`;
}

/** A PowerShell array literal of quoted strings, e.g. `'a','b'`. */
export function quotePowerShellArray(values: readonly string[]): string {
	if (values.length === 0) {
		throw new Error('An empty array cannot be passed as a parameter value.');
	}
	return values.map(quotePowerShellLiteral).join(',');
}

/**
 * Quotes one argument for a Windows command line as parsed by CommandLineToArgvW / the C runtime, which is how
 * powershell.exe reads the arguments that Start-Process passes to it.
 */
export function quoteWindowsArgument(value: string): string {
	if (value.length > 0 && !/[\s"]/.test(value)) {
		return value;
	}
	let out = '"';
	let backslashes = 0;
	for (const ch of value) {
		if (ch === '\\') {
			backslashes++;
			continue;
		}
		if (ch === '"') {
			out += '\\'.repeat(backslashes * 2 + 1) + '"';
		} else {
			out += '\\'.repeat(backslashes) + ch;
		}
		backslashes = 0;
	}
	// Backslashes before the closing quote must be doubled, or the quote would be escaped.
	return out + '\\'.repeat(backslashes * 2) + '"';
}

/** Parameter names are ours, never user data; this guards against a typo producing a broken command line. */
function parameterName(name: string): string {
	if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) {
		throw new Error(`Not a PowerShell parameter name: ${name}`);
	}
	return `-${name}`;
}

export type ScriptArgument = string | number | readonly string[];

/** `& 'script.ps1' -Name 'value' ...`: runs a script file in the current PowerShell session. */
export function buildScriptInvocation(scriptPath: string, args: ReadonlyArray<readonly [string, ScriptArgument]>): string {
	const parts = ['&', quotePowerShellLiteral(scriptPath)];
	for (const [name, value] of args) {
		parts.push(parameterName(name));
		if (typeof value === 'number') {
			if (!Number.isInteger(value)) {
				throw new Error(`Parameter ${name} needs a whole number.`);
			}
			parts.push(String(value));
		} else if (typeof value === 'string') {
			parts.push(quotePowerShellLiteral(value));
		} else {
			parts.push(quotePowerShellArray(value as readonly string[]));
		}
	}
	return parts.join(' ');
}

/**
 * A command that starts the same script in a new, elevated Windows PowerShell window (UAC prompt). VS Code cannot
 * start an elevated terminal, so this is how a non-elevated session gets complete results into the same file.
 */
export function buildElevatedInvocation(
	windowsPowerShell: string,
	scriptPath: string,
	args: ReadonlyArray<readonly [string, ScriptArgument]>,
): string {
	// -NoExit: the window stays open, so an error there can be read (it is not the terminal the user watches).
	const argv: string[] = ['-NoExit', '-NoProfile', '-ExecutionPolicy', 'Bypass', '-File', scriptPath];
	for (const [name, value] of args) {
		argv.push(parameterName(name));
		argv.push(Array.isArray(value) ? (value as readonly string[]).join(',') : String(value));
	}
	// -File passes each argument as a string; the script splits a comma list for -Check itself.
	const argumentLine = argv.map(quoteWindowsArgument).join(' ');
	return `Start-Process -FilePath ${quotePowerShellLiteral(windowsPowerShell)} -Verb RunAs -ArgumentList ${quotePowerShellLiteral(argumentLine)}`;
}
