import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { fixes } from '../../src/checks/catalogue';
import { FixParameterValue, resolveFixParameters } from '../../src/checks/fixParameters';
import type { CheckResult, Fix } from '../../src/checks/types';
import { buildFixCommand } from '../../src/views/panelHtml';
import { buildElevatedInvocation, buildScriptInvocation, quotePowerShellLiteral, quoteWindowsArgument, ScriptArgument } from '../../src/terminal/quoting';
import { checkResult, pwshPath, repoRoot } from './fixtures';

// PowerShell's own parser is the judge: thousands of hostile values and whole command lines are built by the quoting
// functions, parsed by one pwsh process (test/unit/parse-quoted.ps1 describes each AST) and compared here with what
// the command must mean. Values the functions refuse (NUL, lone surrogates, the stop-parsing token as a script
// path, numbers that are not safe integers) must be refused, and only those.

const valueCount = 10_000;
const seed = 0x5eed2026;

// --- Deterministic hostile values ------------------------------------------------------------------------------------

/** xorshift32: a seeded generator, so a failure names a value that the next run produces again. */
function generator(start: number): () => number {
	let state = start >>> 0 || 1;
	return () => {
		state ^= state << 13;
		state >>>= 0;
		state ^= state >>> 17;
		state ^= state << 5;
		state >>>= 0;
		return state / 0x1_0000_0000;
	};
}

const random = generator(seed);
const below = (n: number) => Math.floor(random() * n);
const pick = <T>(list: readonly T[]): T => list[below(list.length)];

const fragments = [
	"'", "''", '\u2018', '\u2019', '\u201A', '\u201B', '"', '""', '\u201C', '\u201D', '\u201E', '`', '``', "`'", '`"',
	'$(Remove-Item C:\\ -Recurse)', '$(', ')', '@(', '@(1)', '@{', '${env:PATH}', '$x', '$env:TEMP', '$_', '$$', '$?',
	';', ';exit', '; Stop-Computer', '|', '||', '| Out-File x', '&', '&&', '& calc', '>', '>>', '<', '2>&1', '*>',
	'--%', ' --% ', '--', '-', '\u2013', '\u2014', '\u2015', '-Name', '-Check:', '-Command', 'true', 'false', '$true',
	'#', '# comment', '<#', '#>', '<# block #>', '\n', '\r', '\r\n', '\u2028', '\u2029', '\u0085', '\t', '\v', '\f',
	' ', '  ', '\u00A0', '\u3000', '\uFEFF', '\\', '\\\\', '\\"', 'C:\\Program Files\\', '\\\\server\\share\\',
	'{', '}', '(', ')', '[', ']', ',', '.', ':', '::', '=', '+', '%', '^', '!', '?', '~', '\u001B[31m', '\u0001',
	'\u0003', '\u007F', 'plain', 'CONTOSO\\svc$', 'gmsa$', '\u00E9', '\u0130', '\uD83D\uDE00', '\uD800\uDC00', '\uDBFF\uDFFF',
];

/** Corner cases first, so every run has them whatever the generator does. */
const cornerCases = [
	'', "'", "''", "'''", '--%', ' --%', '--% ', '-', '--', 'true', 'false', '$true', '\\', 'a\\', '\\"', '"', '""',
	'\u201C\u201D\u201E', '\u2018\u2019\u201A\u201B', "'\u2018\u2019\u201A\u201B'", '\r', '\n', '\r\n', '\u2028',
	'\u0085', '#', '<#', '`', '$()', '@()', ';', '|', '&', 'tab\there', '\t', 'C:\\dir with space\\',
	'\uD83D\uDE00', 'x'.repeat(50_000), "'".repeat(5_000), '\\'.repeat(3_000) + '"',
];

/**
 * A value for a command line: the stop-parsing token one time in ten and another corner case one time in ten, so each
 * meets every position (first, last, in an array, after another --%).
 */
function pickValue(values: readonly string[]): string {
	const roll = random();
	return roll < 0.1 ? '--%' : roll < 0.2 ? pick(cornerCases) : pick(values);
}

/** One random UTF-16 code unit that is neither NUL nor a surrogate. */
function randomBmpUnit(): string {
	const unit = 1 + below(0xffff);
	return unit >= 0xd800 && unit <= 0xdfff ? '\uFFFD' : String.fromCharCode(unit);
}

function randomAstral(): string {
	return String.fromCodePoint(0x10000 + below(0x100000));
}

function randomPiece(): string {
	const roll = random();
	if (roll < 0.6) {
		return pick(fragments);
	}
	if (roll < 0.85) {
		return Array.from({ length: 1 + below(4) }, randomBmpUnit).join('');
	}
	return roll < 0.95 ? randomAstral() : String.fromCharCode(0x20 + below(0x5f));
}

/** A few values carry a NUL or half a surrogate pair, which the quoting must refuse. */
function spoil(value: string): string {
	const roll = random();
	const at = below(value.length + 1);
	if (roll < 0.02) {
		return value.slice(0, at) + '\0' + value.slice(at);
	}
	if (roll < 0.05) {
		return value.slice(0, at) + String.fromCharCode(0xd800 + below(0x800)) + value.slice(at);
	}
	return value;
}

function randomValue(index: number): string {
	const pieces = Array.from({ length: below(13) }, randomPiece);
	let value = pieces.join('');
	// Every 997th value is long: the parser must not tire of a quoted string of tens of thousands of characters.
	if (index % 997 === 0) {
		value = (value || "'").repeat(Math.ceil((20_000 + below(40_000)) / Math.max(1, value.length)));
	}
	return spoil(value);
}

// --- What must be refused, decided here independently of the code under test -----------------------------------------

function hasLoneSurrogate(value: string): boolean {
	for (let i = 0; i < value.length; i++) {
		const unit = value.charCodeAt(i);
		if (unit >= 0xd800 && unit <= 0xdbff) {
			const next = value.charCodeAt(i + 1);
			if (!(next >= 0xdc00 && next <= 0xdfff)) {
				return true;
			}
			i++;
		} else if (unit >= 0xdc00 && unit <= 0xdfff) {
			return true;
		}
	}
	return false;
}

const unrepresentable = (value: string) => value.includes('\0') || hasLoneSurrogate(value);

function argumentRefused(value: ScriptArgument): boolean {
	if (typeof value === 'number') {
		return !Number.isSafeInteger(value);
	}
	return typeof value === 'string' ? unrepresentable(value) : value.length === 0 || value.some(unrepresentable);
}

type Args = ReadonlyArray<readonly [string, ScriptArgument]>;

const invocationRefused = (scriptPath: string, args: Args) =>
	scriptPath === '--%' || unrepresentable(scriptPath) || args.some(([, value]) => argumentRefused(value));

// --- What each command line must parse to ----------------------------------------------------------------------------

type Element =
	| { k: string; v: string }
	| { k: 'Parameter'; name: string; arg: Element | null }
	| { k: 'Array'; items: Element[] }
	| { k: 'Number'; t: string; v: string }
	| { k: 'Other'; t: string; v: string };

interface Command {
	operator: string;
	elements: Element[];
}

const quoted = (v: string): Element => ({ k: 'SingleQuoted', v });

function expectedArgument(value: ScriptArgument): Element {
	if (typeof value === 'number') {
		// PowerShell reads a whole number that fits as Int32, then Int64; a negative one is the string "-7" anyway.
		return value < 0 ? quoted(String(value)) : { k: 'Number', t: value <= 0x7fff_ffff ? 'Int32' : 'Int64', v: String(value) };
	}
	if (typeof value === 'string') {
		return quoted(value);
	}
	const items = value as readonly string[];
	return items.length === 1 ? quoted(items[0]) : { k: 'Array', items: items.map(quoted) };
}

function expectedInvocation(scriptPath: string, args: Args): Command {
	return {
		operator: 'Ampersand',
		elements: [quoted(scriptPath), ...args.map(([name, value]): Element => ({ k: 'Parameter', name, arg: expectedArgument(value) }))],
	};
}

const elevatedPrefix = ['-NoExit', '-NoProfile', '-ExecutionPolicy', 'Bypass', '-Command'];

function expectedStartProcess(windowsPowerShell: string, argumentLine: string): Command {
	const parameter = (name: string, value: string): Element => ({ k: 'Parameter', name, arg: quoted(value) });
	return {
		operator: 'Unknown',
		elements: [{ k: 'BareWord', v: 'Start-Process' }, parameter('FilePath', windowsPowerShell), parameter('Verb', 'RunAs'), parameter('ArgumentList', argumentLine)],
	};
}

/** Every AST node the command may contain: one statement, one pipeline, one command, and its constants. */
function expectedNodes(command: Command): string[] {
	const nodes = ['ScriptBlockAst', 'NamedBlockAst', 'PipelineAst', 'CommandAst'];
	const visit = (element: Element | null) => {
		if (element === null) {
			return;
		}
		if (element.k === 'Parameter') {
			nodes.push('CommandParameterAst');
			visit((element as { arg: Element | null }).arg);
		} else if (element.k === 'Array') {
			nodes.push('ArrayLiteralAst');
			(element as { items: Element[] }).items.forEach(visit);
		} else {
			nodes.push(element.k === 'Number' ? 'ConstantExpressionAst' : 'StringConstantExpressionAst');
		}
	};
	command.elements.forEach(visit);
	return nodes.sort();
}

// --- CommandLineToArgvW, as Microsoft documents it, for the line Start-Process hands to powershell.exe ----------------

/**
 * Splits the arguments part of a Windows command line: white space (space, tab) separates arguments outside quotes;
 * 2n backslashes before `"` are n backslashes and the quote toggles quoting; 2n+1 are n and a literal `"`; other
 * backslashes are literal. `""` inside quotes is read differently by CommandLineToArgvW and the C runtime: refused.
 */
function commandLineToArgv(line: string): string[] {
	const argv: string[] = [];
	let i = 0;
	for (;;) {
		while (line[i] === ' ' || line[i] === '\t') {
			i++;
		}
		if (i >= line.length) {
			return argv;
		}
		let arg = '';
		let inQuotes = false;
		while (i < line.length && (inQuotes || (line[i] !== ' ' && line[i] !== '\t'))) {
			let backslashes = 0;
			while (line[i] === '\\') {
				backslashes++;
				i++;
			}
			if (line[i] !== '"') {
				arg += '\\'.repeat(backslashes);
				if (i < line.length && backslashes === 0) {
					arg += line[i++];
				}
				continue;
			}
			arg += '\\'.repeat(Math.floor(backslashes / 2));
			if (backslashes % 2 === 1) {
				arg += '"';
			} else if (inQuotes && line[i + 1] === '"') {
				throw new Error(`Ambiguous "" inside quotes at ${i}`);
			} else {
				inQuotes = !inQuotes;
			}
			i++;
		}
		if (inQuotes) {
			throw new Error('Unterminated quote');
		}
		argv.push(arg);
	}
}

// --- The cases ---------------------------------------------------------------------------------------------------------

interface Case {
	readonly kind: 'value' | 'invocation' | 'elevated' | 'fix' | 'raw';
	readonly text: string;
	readonly expected: Command;
	/** For an elevated line: the text -Command must carry (itself a case of its own). */
	readonly commandText?: string;
}

const parameterNames = ['ResultPath', 'Cloud', 'EventDays', 'CheckTimeoutSeconds', 'WizardAccount', 'Check', 'Name', 'A1'];
const numbers = [0, 1, 7, 365, -1, -7, 0x7fff_ffff, 0x8000_0000, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1.5, 1e21, Number.NaN, Number.POSITIVE_INFINITY];

function randomArgs(values: readonly string[]): Array<[string, ScriptArgument]> {
	// Distinct names, in a random order (a partial Fisher-Yates shuffle).
	const names = [...parameterNames];
	const length = 1 + below(6);
	for (let i = 0; i < length; i++) {
		const j = i + below(names.length - i);
		[names[i], names[j]] = [names[j], names[i]];
	}
	names.length = length;
	return names.map((name): [string, ScriptArgument] => {
		const roll = random();
		if (roll < 0.5) {
			return [name, pickValue(values)];
		}
		if (roll < 0.8) {
			return [name, Array.from({ length: below(5) }, () => pickValue(values))];
		}
		return [name, roll < 0.9 ? pick(numbers) : below(100_000)];
	});
}

/** Calls the builder; a refusal is fine exactly when the case was predicted to be refused. */
function attempt(build: () => string, refused: boolean, label: string): string | undefined {
	let text: string | undefined;
	try {
		text = build();
	} catch (error) {
		assert.ok(refused, `${label} was refused unexpectedly: ${(error as Error).message}`);
		return undefined;
	}
	assert.ok(!refused, `${label} should have been refused: ${JSON.stringify(text.slice(0, 200))}`);
	return text;
}

const sampleScript = 'C:\\Program Files\\Provisioning Agent Doctor\\dist\\powershell\\Invoke-AgentDiagnosis.ps1';

function invocationCase(kind: Case['kind'], scriptPath: string, args: Args, refusedCount: { n: number }): Case | undefined {
	const text = attempt(() => buildScriptInvocation(scriptPath, args), invocationRefused(scriptPath, args), `${kind} ${JSON.stringify(scriptPath).slice(0, 80)}`);
	if (text === undefined) {
		refusedCount.n++;
		return undefined;
	}
	return { kind, text, expected: expectedInvocation(scriptPath, args) };
}

function elevatedCases(values: readonly string[], count: number, refusedCount: { n: number }): Case[] {
	const cases: Case[] = [];
	for (let i = 0; i < count; i++) {
		const windowsPowerShell = i % 4 === 0 ? pickValue(values) : 'powershell.exe';
		const scriptPath = i % 2 === 0 ? pickValue(values) : sampleScript;
		const args = randomArgs(values);
		const refused = unrepresentable(windowsPowerShell) || invocationRefused(scriptPath, args);
		const text = attempt(() => buildElevatedInvocation(windowsPowerShell, scriptPath, args), refused, `elevated ${i}`);
		if (text === undefined) {
			refusedCount.n++;
			continue;
		}
		const commandText = buildScriptInvocation(scriptPath, args);
		const argumentLine = [...elevatedPrefix, commandText].map(quoteWindowsArgument).join(' ');
		cases.push({ kind: 'elevated', text, expected: expectedStartProcess(windowsPowerShell, argumentLine), commandText });
		cases.push({ kind: 'invocation', text: commandText, expected: expectedInvocation(scriptPath, args) });
	}
	return cases;
}

/** Evidence as a hostile host could report it: strings of every kind, numbers in and out of range, Booleans, blanks. */
function hostileEvidence(values: readonly string[]): FixParameterValue {
	const roll = random();
	if (roll < 0.7) {
		return pickValue(values);
	}
	if (roll < 0.9) {
		return pick(numbers);
	}
	return roll < 0.95 ? random() < 0.5 : pick([' ', '\t', '\r\n']);
}

/** The arguments a fix's command must carry: its parameters in order, each with a value the quoting can pass. */
function expectedFixArguments(fix: Fix, values: Readonly<Record<string, FixParameterValue>>): Array<[string, ScriptArgument]> {
	return fix.parameters.flatMap((p): Array<[string, ScriptArgument]> => {
		const value = values[p.name];
		// A control character would act as a keystroke in the terminal: the fix leaves such a value for the admin.
		// eslint-disable-next-line no-control-regex
		const keystroke = typeof value === 'string' && /[\u0000-\u001f\u007f-\u009f]/.test(value);
		return p.name in values && typeof value !== 'boolean' && !keystroke && !argumentRefused(value) ? [[p.name, value]] : [];
	});
}

/**
 * Every fix of the catalogue, built by the panel's buildFixCommand (what "Run in Terminal" sends and "Copy" copies)
 * under hostile folders; those with parameters filled from hostile evidence through resolveFixParameters.
 */
function fixCases(values: readonly string[], perFix: number, refusedCount: { n: number }): Case[] {
	assert.ok(fixes.filter((f) => f.parameters.length > 0).length >= 5, 'the catalogue has fixes with parameters');
	const cases: Case[] = [];
	for (const fix of fixes) {
		for (let i = 0; i < (fix.parameters.length > 0 ? perFix : perFix / 10); i++) {
			const results = new Map<string, CheckResult>();
			for (const { from } of fix.parameters) {
				if (!from) {
					continue;
				}
				const result = results.get(from.check) ?? checkResult(from.check, 'fail');
				results.set(from.check, { ...result, evidence: { ...result.evidence, [from.evidence]: hostileEvidence(values) } });
			}
			const scriptPath = `${i % 3 === 0 ? pickValue(values) : 'C:\\Program Files\\pad'}\\catalogue\\${fix.script.replace(/\//g, '\\')}`;
			const resolved = resolveFixParameters(fix, results);
			const args = expectedFixArguments(fix, resolved.values);
			let missing: readonly string[] = [];
			const text = attempt(
				() => {
					const command = buildFixCommand(fix, resolved, scriptPath);
					missing = command.missing;
					return command.commandLine;
				},
				invocationRefused(scriptPath, args),
				`fix ${fix.id}`,
			);
			if (text === undefined) {
				refusedCount.n++;
				continue;
			}
			// A required value the quoting cannot pass is not dropped silently: the fix says it is missing.
			const passed = new Set(args.map(([name]) => name));
			const unpassed = fix.parameters.filter((p) => p.required && !passed.has(p.name)).map((p) => p.name);
			assert.deepEqual([...missing].sort(), unpassed.sort(), `fix ${fix.id}: missing parameters`);
			cases.push({ kind: 'fix', text, expected: expectedInvocation(scriptPath, args) });
		}
	}
	return cases;
}

/**
 * Literals with a lone surrogate written by hand (the quoting refuses them): they show the parser is not what loses
 * such a value; UTF-8, which carries the command to the terminal, is.
 */
const loneSurrogates = ['a\uD800b', '\uDC00', 'x\uD83D', '\uDFFF\uD800'];

function rawCases(): Case[] {
	return loneSurrogates.map((v) => ({ kind: 'raw', text: `& 'C:\\x.ps1' -Value:'${v}'`, expected: expectedInvocation('C:\\x.ps1', [['Value', v]]) }));
}

// --- Running the parser once over everything --------------------------------------------------------------------------

interface Description {
	errors: string[];
	nodes: string[];
	statements: number;
	commands: Command[];
}

const fromUnits = (base64: string) => Buffer.from(base64, 'base64').toString('utf16le');
const toUnits = (text: string) => Buffer.from(text, 'utf16le').toString('base64');

function decodeElement(element: Element | null): Element | null {
	if (element === null) {
		return null;
	}
	switch (element.k) {
		case 'Parameter': {
			const p = element as { name: string; arg: Element | null };
			return { k: 'Parameter', name: fromUnits(p.name), arg: decodeElement(p.arg) };
		}
		case 'Array':
			return { k: 'Array', items: (element as { items: Element[] }).items.map((e) => decodeElement(e)!) };
		case 'Number':
		case 'Other': {
			const o = element as { k: 'Number' | 'Other'; t: string; v: string };
			return { k: o.k, t: o.t, v: fromUnits(o.v) };
		}
		default:
			return { k: element.k, v: fromUnits((element as { v: string }).v) };
	}
}

function parseAll(texts: readonly string[]): Description[] {
	assert.ok(existsSync(pwshPath), `pwsh is needed at ${pwshPath}; run scripts/setup-powershell.sh (npm test does)`);
	const dir = mkdtempSync(path.join(tmpdir(), 'pad-fuzz-'));
	try {
		const input = path.join(dir, 'texts.json');
		const report = path.join(dir, 'report.json');
		writeFileSync(input, JSON.stringify({ texts: texts.map(toUnits) }), 'utf8');
		execFileSync(pwshPath, ['-NoProfile', '-NonInteractive', '-File', path.join(repoRoot, 'test/unit/parse-quoted.ps1'), '-InputPath', input, '-ReportPath', report], {
			encoding: 'utf8',
			maxBuffer: 64 * 1024 * 1024,
		});
		return (JSON.parse(readFileSync(report, 'utf8')) as { results: Description[] }).results;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** Why a parsed text does not mean what its case says, or undefined when it does. */
function mismatch(c: Case, parsed: Description): string | undefined {
	if (parsed.errors.length > 0) {
		return `parse errors: ${parsed.errors.map(fromUnits).join('; ')}`;
	}
	if (parsed.statements !== 1 || parsed.commands.length !== 1) {
		return `${parsed.statements} statements, ${parsed.commands.length} commands`;
	}
	const command = { operator: parsed.commands[0].operator, elements: parsed.commands[0].elements.map((e) => decodeElement(e)!) };
	if (!isDeepStrictEqual(command, c.expected)) {
		return `parsed as ${JSON.stringify(command).slice(0, 400)}`;
	}
	if (!isDeepStrictEqual([...parsed.nodes].sort(), expectedNodes(c.expected))) {
		return `AST nodes ${parsed.nodes.join(',')}`;
	}
	if (c.commandText !== undefined) {
		// What PowerShell read as -ArgumentList is what powershell.exe gets; split as Windows does, it must be the
		// fixed switches and then -Command with exactly the text of the invocation (parsed as a case of its own).
		const argumentList = (command.elements[3] as { arg: { v: string } }).arg.v;
		let argv: string[];
		try {
			argv = commandLineToArgv(argumentList);
		} catch (error) {
			return `Windows arguments: ${(error as Error).message}`;
		}
		if (!isDeepStrictEqual(argv, [...elevatedPrefix, c.commandText])) {
			return `Windows arguments ${JSON.stringify(argv).slice(0, 400)}`;
		}
	}
	return undefined;
}

test('CommandLineToArgvW as implemented here splits documented examples as Microsoft documents them', () => {
	assert.deepEqual(commandLineToArgv('"a b c" d e'), ['a b c', 'd', 'e']);
	assert.deepEqual(commandLineToArgv('"ab\\"c" "\\\\" d'), ['ab"c', '\\', 'd']);
	assert.deepEqual(commandLineToArgv('a\\\\\\b d"e f"g h'), ['a\\\\\\b', 'de fg', 'h']);
	assert.deepEqual(commandLineToArgv('a\\\\\\"b c d'), ['a\\"b', 'c', 'd']);
	assert.deepEqual(commandLineToArgv('a\\\\\\\\"b c" d e'), ['a\\\\b c', 'd', 'e']);
	assert.deepEqual(commandLineToArgv('""  \t x'), ['', 'x']);
	assert.throws(() => commandLineToArgv('"a""b"'), /Ambiguous/);
	assert.throws(() => commandLineToArgv('"open'), /Unterminated/);
});

test('the elevated line, run as far as this platform allows, hands the script exactly its values', () => {
	assert.ok(existsSync(pwshPath), `pwsh is needed at ${pwshPath}; run scripts/setup-powershell.sh (npm test does)`);
	const dir = mkdtempSync(path.join(tmpdir(), "pad-elevated '--% "));
	try {
		const script = path.join(dir, "echo 'args' --%.ps1");
		writeFileSync(script, 'param([string] $A, [string[]] $B, [int] $N)\nforeach ($v in @($A) + $B + @([string]$N)) { [Console]::Out.Write([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($v)) + "|") }\n');
		const values = ['--%', '-Check', 'true', "it's \u2019", '\u201Cq\u201D \u201E', 'a"b\\', 'tab\there', 'C:\\dir with space\\', '$(exit 1)'];
		const line = buildElevatedInvocation('powershell.exe', script, [['A', values[0]], ['B', values.slice(1)], ['N', 7]]);
		// Start-Process, replaced by a function, shows what it would hand to ShellExecute: the argument line.
		const caller = path.join(dir, 'caller.ps1');
		writeFileSync(caller, '\uFEFFfunction Start-Process { param($FilePath, $Verb, $ArgumentList) [Console]::Out.Write([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($ArgumentList))) }\n' + line, 'utf8');
		const argumentLine = Buffer.from(execFileSync(pwshPath, ['-NoProfile', '-NonInteractive', '-File', caller], { encoding: 'utf8' }), 'base64').toString('utf8');
		const argv = commandLineToArgv(argumentLine);
		assert.deepEqual(argv.slice(0, 5), elevatedPrefix);
		// The arguments as Windows splits them, run by pwsh (without -NoExit, which would wait for input).
		const out = execFileSync(pwshPath, ['-NonInteractive', ...argv.slice(1)], { encoding: 'utf8' });
		const received = out.split('|').slice(0, -1).map((b64) => Buffer.from(b64, 'base64').toString('utf8'));
		assert.deepEqual(received, [...values, '7']);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('NUL and lone surrogates are refused, and UTF-8 (the way to the terminal) could not carry a lone surrogate', () => {
	for (const value of ['\0', 'a\0b', 'C:\\x\0.ps1']) {
		assert.throws(() => quotePowerShellLiteral(value), /NUL/);
		assert.throws(() => quoteWindowsArgument(value), /NUL/);
		assert.throws(() => buildScriptInvocation('C:\\x.ps1', [['Value', value]]), /NUL/);
		assert.throws(() => buildElevatedInvocation('powershell.exe', value, []), /NUL/);
	}
	for (const value of loneSurrogates) {
		assert.throws(() => quotePowerShellLiteral(value), /lone UTF-16 surrogate/);
		assert.throws(() => quoteWindowsArgument(value), /lone UTF-16 surrogate/);
		assert.throws(() => buildScriptInvocation('C:\\x.ps1', [['Check', ['ok', value]]]), /lone UTF-16 surrogate/);
		assert.notEqual(Buffer.from(value, 'utf8').toString('utf8'), value);
	}
	assert.equal(quotePowerShellLiteral('\uD83D\uDE00'), "'\uD83D\uDE00'");
});

test(`PowerShell parses ${valueCount} hostile values and every command line built from them as single constants`, () => {
	const started = Date.now();
	const generated = [...cornerCases];
	for (let i = 0; generated.length < valueCount * 1.2; i++) {
		generated.push(randomValue(i));
	}
	const accepted = generated.filter((v) => !unrepresentable(v));
	const refused = { n: 0 };
	const cases: Case[] = [];
	// Each value alone, as the argument of a parameter, until valueCount of them were accepted (and parsed).
	for (let i = 0; cases.length < valueCount; i++) {
		const made = invocationCase('value', sampleScript, [['Value', generated[i]]], refused);
		if (made) {
			cases.push(made);
		}
	}
	// Whole command lines: hostile script paths with several parameters, random mixes of strings, arrays and numbers,
	// the elevated Start-Process line with its -Command text, and every fix's command as the panel builds it, filled
	// from hostile evidence.
	for (const scriptPath of generated.slice(0, 1500)) {
		const made = invocationCase('invocation', scriptPath, [['ResultPath', pickValue(generated)], ['EventDays', 7], ['Check', [pickValue(generated), pickValue(generated)]]], refused);
		if (made) {
			cases.push(made);
		}
	}
	for (let i = 0; i < 2000; i++) {
		const made = invocationCase('invocation', pick(accepted), randomArgs(generated), refused);
		if (made) {
			cases.push(made);
		}
	}
	cases.push(...elevatedCases(generated, 1000, refused), ...fixCases(generated, 200, refused), ...rawCases());

	const parsed = parseAll(cases.map((c) => c.text));
	assert.equal(parsed.length, cases.length);
	const failures = cases.flatMap((c, i) => {
		const why = mismatch(c, parsed[i]);
		return why === undefined ? [] : [`${c.kind} ${JSON.stringify(c.text.slice(0, 160))}: ${why}`];
	});
	assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${cases.length} texts did not parse as intended`);

	const count = (kind: Case['kind']) => cases.filter((c) => c.kind === kind).length;
	const lines = cases.length - count('value') - count('raw');
	const stopParsingLines = cases.filter((c) => c.kind !== 'value' && c.text.includes("'--%'")).length;
	assert.ok(stopParsingLines > 1000, `only ${stopParsingLines} command lines carry a --% value`);
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	console.log(
		`quoting fuzz: ${count('value')} values, ${lines} command lines (${count('invocation')} script invocations, ${count('elevated')} elevated, ` +
			`${count('fix')} fix snippets; ${stopParsingLines} with a '--%' value), all parsed as single constants; ${refused.n} refused as predicted (NUL, lone surrogate, --% script path, ` +
			`unsafe number, empty array); ${count('raw')} hand-written lone-surrogate literals kept exactly by the parser; ${seconds} s`,
	);
});
