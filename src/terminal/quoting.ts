/**
 * The one place where values become PowerShell source text. Everything placed into a command line the extension
 * sends to a terminal goes through these functions; nothing from a webview or a log is ever placed there.
 *
 * Every value becomes a single-quoted string and every argument is bound to its parameter with a colon
 * (`-Name:'value'`): test/unit/quotingFuzz.test.ts has PowerShell's own parser read thousands of hostile values and
 * whole command lines back, and everything emitted here is Windows PowerShell 5.1 syntax too.
 */

/**
 * PowerShell treats these as single quotes too (the Unicode left, right, low-9 and reversed-9 single quotation
 * marks), so each of them must be doubled inside a single-quoted string like an ASCII quote. The double-quote-likes
 * (U+201C, U+201D, U+201E) need nothing: inside a single-quoted string they are ordinary characters, and no
 * double-quoted PowerShell string is ever produced; the Windows command line knows only the ASCII `"`.
 */
const singleQuoteLike = /['\u2018\u2019\u201A\u201B]/g;

/**
 * Half of a UTF-16 surrogate pair without its other half. PowerShell's parser would keep it, but the terminal is fed
 * UTF-8, which cannot encode it: the script would get U+FFFD instead, a different value, so it is refused.
 */
const loneSurrogate = /\p{Cs}/u;

/**
 * PowerShell's stop-parsing token. Even quoted (`'--%'`), as a command name or as an argument that is not bound with a
 * colon, the parser takes the rest of the line verbatim (a known PowerShell bug), so a quoted value would lose its
 * quoting. A colon-bound argument is immune; a command name cannot be bound, so this one is refused as a script path.
 */
const stopParsing = '--%';

/** Refuses what no PowerShell or Windows command line can be given faithfully. */
function assertRepresentable(value: string): void {
	if (value.includes('\0')) {
		throw new Error('A PowerShell argument cannot contain a NUL character.');
	}
	if (loneSurrogate.test(value)) {
		throw new Error('A PowerShell argument cannot contain a lone UTF-16 surrogate (UTF-8 cannot carry it to the terminal).');
	}
}

/**
 * Quotes a value as a PowerShell single-quoted (verbatim) string: no variable expansion, no escapes, no
 * sub-expressions. Embedded quote characters are doubled.
 */
export function quotePowerShellLiteral(value: string): string {
	assertRepresentable(value);
	return `'${value.replace(singleQuoteLike, (quote) => quote + quote)}'`;
}

/**
 * A PowerShell array literal of quoted strings, e.g. `'a','b'`. One item is a plain string, which PowerShell binds to
 * a string[] parameter as an array of one.
 */
export function quotePowerShellArray(values: readonly string[]): string {
	if (values.length === 0) {
		throw new Error('An empty array cannot be passed as a parameter value.');
	}
	return values.map(quotePowerShellLiteral).join(',');
}

/**
 * Quotes one argument for a Windows command line as parsed by CommandLineToArgvW / the C runtime, which is how
 * powershell.exe reads the arguments that Start-Process passes to it. Only the ASCII `"` is special there, so the
 * Unicode double quotes are ordinary characters. The output never holds `""` inside quotes, where those two parsers
 * disagree.
 */
export function quoteWindowsArgument(value: string): string {
	assertRepresentable(value);
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

/**
 * A whole number as PowerShell reads it. Past the safe integers JavaScript prints an exponent or loses digits. A
 * negative number is read in argument mode as a bare-word string ("-7") anyway, so it is quoted as that same string:
 * the binder converts either to the number, and every argument stays a single-quoted string or a number constant.
 */
function numberArgument(name: string, value: number): string {
	if (!Number.isSafeInteger(value)) {
		throw new Error(`Parameter ${name} needs a whole number.`);
	}
	return value < 0 ? quotePowerShellLiteral(String(value)) : String(value);
}

function argumentText(name: string, value: ScriptArgument): string {
	if (typeof value === 'number') {
		return numberArgument(name, value);
	}
	return typeof value === 'string' ? quotePowerShellLiteral(value) : quotePowerShellArray(value as readonly string[]);
}

/** `-Name:value`: bound with a colon, the value is the parameter's argument and the stop-parsing bug cannot reach it. */
function boundArgument(name: string, value: ScriptArgument): string {
	return `${parameterName(name)}:${argumentText(name, value)}`;
}

function scriptName(scriptPath: string): string {
	if (scriptPath === stopParsing) {
		throw new Error(`Not a script path: ${stopParsing}`);
	}
	return quotePowerShellLiteral(scriptPath);
}

/** `& 'script.ps1' -Name:'value' ...`: runs a script file in the current PowerShell session. */
export function buildScriptInvocation(scriptPath: string, args: ReadonlyArray<readonly [string, ScriptArgument]>): string {
	return ['&', scriptName(scriptPath), ...args.map(([name, value]) => boundArgument(name, value))].join(' ');
}

/**
 * A command that starts the same script in a new, elevated Windows PowerShell window (UAC prompt). VS Code cannot
 * start an elevated terminal, so this is how a non-elevated session gets complete results into the same file.
 *
 * The script runs through -Command with the same text as in the terminal, not through -File: -File binds arguments by
 * rules of its own (in PowerShell 7 a value such as `-Check` or `–Check`, any dash, is taken for that parameter, and
 * `-Name:true` binds a Boolean, "True"), while the -Command text is read by the parser the fuzz test proves.
 */
export function buildElevatedInvocation(
	windowsPowerShell: string,
	scriptPath: string,
	args: ReadonlyArray<readonly [string, ScriptArgument]>,
): string {
	// -NoExit: the window stays open, so an error there can be read (it is not the terminal the user watches).
	// -Command comes last: everything after it is the command.
	const argv = ['-NoExit', '-NoProfile', '-ExecutionPolicy', 'Bypass', '-Command', buildScriptInvocation(scriptPath, args)];
	const argumentLine = argv.map(quoteWindowsArgument).join(' ');
	const startProcess: Array<[string, string]> = [
		['FilePath', windowsPowerShell],
		['Verb', 'RunAs'],
		['ArgumentList', argumentLine],
	];
	return ['Start-Process', ...startProcess.map(([name, value]) => boundArgument(name, value))].join(' ');
}
