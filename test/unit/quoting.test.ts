import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import {
	buildElevatedInvocation,
	buildScriptInvocation,
	quotePowerShellArray,
	quotePowerShellLiteral,
	quoteWindowsArgument,
} from '../../src/terminal/quoting';
import { pwshPath } from './fixtures';

const nasty = [
	'plain',
	'',
	"it's",
	"''",
	'C:\\Program Files\\Microsoft Azure AD Connect Provisioning Agent\\x.ps1',
	'$(Remove-Item C:\\ -Recurse)',
	'`backtick` and $env:PATH and @(1) and ;exit',
	'smart \u2018quotes\u2019 \u201Alow\u201B',
	'new\nline',
	'"double"',
	'tab\there',
	'\u201Cdouble-likes\u201D \u201Elow',
	'--%',
	'-Check',
	'true',
];

test('quotePowerShellLiteral doubles ASCII and Unicode single quotes and leaves everything else alone', () => {
	assert.equal(quotePowerShellLiteral("it's"), "'it''s'");
	assert.equal(quotePowerShellLiteral('a\u2019b'), "'a\u2019\u2019b'");
	assert.equal(quotePowerShellLiteral('\u2018\u201A\u201B'), "'\u2018\u2018\u201A\u201A\u201B\u201B'");
	// Double-quote-likes, tabs and the stop-parsing token mean nothing inside a single-quoted string.
	assert.equal(quotePowerShellLiteral('\u201Cx\u201D \u201E"'), "'\u201Cx\u201D \u201E\"'");
	assert.equal(quotePowerShellLiteral('tab\there'), "'tab\there'");
	assert.equal(quotePowerShellLiteral('--%'), "'--%'");
	assert.equal(quotePowerShellLiteral('$x'), "'$x'");
	assert.throws(() => quotePowerShellLiteral('a\0b'), /NUL/);
	assert.throws(() => quotePowerShellLiteral('a\uD800b'), /lone UTF-16 surrogate/);
	assert.equal(quotePowerShellLiteral('\uD83D\uDE00'), "'\uD83D\uDE00'");
});

test('quotePowerShellArray joins quoted items and refuses an empty list', () => {
	assert.equal(quotePowerShellArray(['a', "b'c"]), "'a','b''c'");
	assert.throws(() => quotePowerShellArray([]), /An empty array cannot be passed as a parameter value/);
});

test('quoteWindowsArgument follows the CommandLineToArgvW rules', () => {
	assert.equal(quoteWindowsArgument('simple'), 'simple');
	assert.equal(quoteWindowsArgument(''), '""');
	assert.equal(quoteWindowsArgument('C:\\Program Files\\x.ps1'), '"C:\\Program Files\\x.ps1"');
	assert.equal(quoteWindowsArgument('C:\\dir with space\\'), '"C:\\dir with space\\\\"');
	assert.equal(quoteWindowsArgument('say "hi"'), '"say \\"hi\\""');
	assert.equal(quoteWindowsArgument('a\\\\"b'), '"a\\\\\\\\\\"b"');
	// Any white space splits a Windows command line, not only the space: a tab or a line break must be quoted too.
	assert.equal(quoteWindowsArgument('tab\there'), '"tab\there"');
	assert.equal(quoteWindowsArgument('two\nlines'), '"two\nlines"');
	// Only the ASCII double quote is special to CommandLineToArgvW; the Unicode ones are ordinary characters.
	assert.equal(quoteWindowsArgument('\u201Cx\u201D\u201E'), '\u201Cx\u201D\u201E');
	assert.equal(quoteWindowsArgument('--%'), '--%');
	assert.throws(() => quoteWindowsArgument('a\0b'), /NUL/);
	assert.throws(() => quoteWindowsArgument('\uDC00'), /lone UTF-16 surrogate/);
});

test('buildScriptInvocation binds every value with a colon and validates parameter names, numbers and the script path', () => {
	const line = buildScriptInvocation("C:\\it's\\Invoke-AgentDiagnosis.ps1", [
		['ResultPath', 'C:\\r.json'],
		['EventDays', 7],
		['Check', ['a.b', 'c.d']],
		['Offset', -3],
	]);
	assert.equal(line, "& 'C:\\it''s\\Invoke-AgentDiagnosis.ps1' -ResultPath:'C:\\r.json' -EventDays:7 -Check:'a.b','c.d' -Offset:'-3'");
	// Bound with a colon, a quoted --% stays a value and the arguments after it keep their quoting.
	assert.equal(buildScriptInvocation('C:\\x.ps1', [['A', '--%'], ['B', 'x;y']]), "& 'C:\\x.ps1' -A:'--%' -B:'x;y'");
	assert.throws(() => buildScriptInvocation('x', [['Bad Name', 'v']]), /Not a PowerShell parameter name: Bad Name/);
	assert.throws(() => buildScriptInvocation('x', [['Days', 1.5]]), /Parameter Days needs a whole number/);
	assert.throws(() => buildScriptInvocation('x', [['Days', 1e21]]), /Parameter Days needs a whole number/);
	assert.throws(() => buildScriptInvocation('--%', []), /Not a script path: --%/);
});

test('buildElevatedInvocation starts Windows PowerShell elevated with -Command and the same invocation', () => {
	const line = buildElevatedInvocation('powershell.exe', 'C:\\Program Files\\x\\Invoke-AgentDiagnosis.ps1', [
		['ResultPath', "C:\\Users\\o'brien\\r.json"],
		['Check', ['a.b', 'c.d']],
	]);
	assert.equal(
		line,
		"Start-Process -FilePath:'powershell.exe' -Verb:'RunAs' -ArgumentList:'-NoExit -NoProfile -ExecutionPolicy Bypass -Command " +
			"\"& ''C:\\Program Files\\x\\Invoke-AgentDiagnosis.ps1'' -ResultPath:''C:\\Users\\o''''brien\\r.json'' -Check:''a.b'',''c.d''\"'",
	);
	// A value that starts with a dash is only a value to -Command (-File would take it for a parameter name).
	assert.match(buildElevatedInvocation('powershell.exe', 'C:\\x.ps1', [['WizardAccount', '-Check']]), / -WizardAccount:''-Check''"'$/);
});

// The real parser is the only honest judge of quoting: every value must come back unchanged from PowerShell.
const pwsh = pwshPath;

function runPowerShellFile(script: string): string {
	assert.ok(existsSync(pwsh), `pwsh is needed at ${pwsh}; run scripts/setup-powershell.sh (npm test does)`);
	const dir = mkdtempSync(path.join(tmpdir(), 'pad-quote-'));
	const file = path.join(dir, 'roundtrip.ps1');
	writeFileSync(file, '\uFEFF' + script, 'utf8');
	return execFileSync(pwsh, ['-NoProfile', '-NonInteractive', '-File', file], { encoding: 'utf8', cwd: dir });
}

const fromBase64List = (out: string) =>
	out.split('|').filter((_, i, all) => i < all.length - 1).map((b64) => Buffer.from(b64.trim(), 'base64').toString('utf8'));

test('PowerShell itself reads every quoted value back unchanged', () => {
	const script = nasty.map((v) => `[Console]::Out.Write([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes(${quotePowerShellLiteral(v)}))); [Console]::Out.Write("|")`).join('; ');
	assert.deepEqual(fromBase64List(runPowerShellFile(script)), nasty);
});

test('a script run by buildScriptInvocation gets exactly the values, also after a --% value', () => {
	// The parameter binder, not only the parser: a script echoes what it was given, one value per parameter.
	const target = [
		'param([string] $A, [string[]] $B, [int] $N, [int] $M, [string] $C)',
		'foreach ($v in @($A) + $B + @([string]$N, [string]$M, $C)) { [Console]::Out.Write([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($v)) + "|") }',
	].join('\n');
	const line = buildScriptInvocation('./echo-args.ps1', [
		['A', '--%'],
		['B', ['--%', "x'; Write-Output pwned; '", '\u201C$(1)\u201D']],
		['N', 42],
		['M', -7],
		['C', 'tab\there --% # not a comment'],
	]);
	const script = `Set-Content -LiteralPath ./echo-args.ps1 -Value ${quotePowerShellLiteral(target)}\n${line}`;
	assert.deepEqual(fromBase64List(runPowerShellFile(script)), ['--%', '--%', "x'; Write-Output pwned; '", '\u201C$(1)\u201D', '42', '-7', 'tab\there --% # not a comment']);
});
