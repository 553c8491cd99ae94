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
];

test('quotePowerShellLiteral doubles ASCII and Unicode single quotes', () => {
	assert.equal(quotePowerShellLiteral("it's"), "'it''s'");
	assert.equal(quotePowerShellLiteral('a\u2019b'), "'a\u2019\u2019b'");
	assert.equal(quotePowerShellLiteral('$x'), "'$x'");
	assert.throws(() => quotePowerShellLiteral('a\0b'), /NUL/);
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
});

test('buildScriptInvocation quotes every value and validates parameter names and numbers', () => {
	const line = buildScriptInvocation("C:\\it's\\Invoke-AgentDiagnosis.ps1", [
		['ResultPath', 'C:\\r.json'],
		['EventDays', 7],
		['Check', ['a.b', 'c.d']],
	]);
	assert.equal(line, "& 'C:\\it''s\\Invoke-AgentDiagnosis.ps1' -ResultPath 'C:\\r.json' -EventDays 7 -Check 'a.b','c.d'");
	assert.throws(() => buildScriptInvocation('x', [['Bad Name', 'v']]), /Not a PowerShell parameter name: Bad Name/);
	assert.throws(() => buildScriptInvocation('x', [['Days', 1.5]]), /Parameter Days needs a whole number/);
});

test('buildElevatedInvocation starts Windows PowerShell elevated with -File and quoted arguments', () => {
	const line = buildElevatedInvocation('powershell.exe', 'C:\\Program Files\\x\\Invoke-AgentDiagnosis.ps1', [
		['ResultPath', "C:\\Users\\o'brien\\r.json"],
		['Check', ['a.b', 'c.d']],
	]);
	assert.equal(
		line,
		"Start-Process -FilePath 'powershell.exe' -Verb RunAs -ArgumentList '-NoExit -NoProfile -ExecutionPolicy Bypass -File \"C:\\Program Files\\x\\Invoke-AgentDiagnosis.ps1\" -ResultPath C:\\Users\\o''brien\\r.json -Check a.b,c.d'",
	);
});

// The real parser is the only honest judge of quoting: every value must come back unchanged from PowerShell.
const pwsh = pwshPath;
test('PowerShell itself reads every quoted value back unchanged', () => {
	assert.ok(existsSync(pwsh), `pwsh is needed at ${pwsh}; run scripts/setup-powershell.sh (npm test does)`);
	const script = nasty.map((v) => `[Console]::Out.Write([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes(${quotePowerShellLiteral(v)}))); [Console]::Out.Write("|")`).join('; ');
	const file = path.join(mkdtempSync(path.join(tmpdir(), 'pad-quote-')), 'roundtrip.ps1');
	writeFileSync(file, '\uFEFF' + script, 'utf8');
	const out = execFileSync(pwsh, ['-NoProfile', '-NonInteractive', '-File', file], { encoding: 'utf8' });
	const values = out.split('|').filter((_, i, all) => i < all.length - 1).map((b64) => Buffer.from(b64.trim(), 'base64').toString('utf8'));
	assert.deepEqual(values, nasty);
});
