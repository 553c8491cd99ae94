/**
 * The agent-log language server over the real protocol: `node out/src/server/server.js --stdio` spawned as a child
 * process, spoken to with the protocol pieces of vscode-languageserver/node (JSON-RPC over its stdin/stdout). The
 * expected values come from the scanner and the catalogue, so the test checks the wiring (ranges, codes, links,
 * hovers, actions, outline, debounce, cap) rather than the scanner's rules, which its own tests own.
 */
import assert from 'node:assert/strict';
import { fork, spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import {
	CodeActionRequest,
	createProtocolConnection,
	DiagnosticSeverity,
	DidChangeTextDocumentNotification,
	DidCloseTextDocumentNotification,
	DidOpenTextDocumentNotification,
	DocumentSymbolRequest,
	ExitNotification,
	HoverRequest,
	InitializedNotification,
	InitializeRequest,
	IPCMessageReader,
	IPCMessageWriter,
	PublishDiagnosticsNotification,
	ShutdownRequest,
	StreamMessageReader,
	StreamMessageWriter,
	type CodeAction,
	type Command,
	type Diagnostic,
	type DocumentSymbol,
	type MarkupContent,
	type ProtocolConnection,
	type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import { findCheck, findFailure } from '../../src/checks/catalogue';
import { explainMessage } from '../../src/checks/explainMessage';
import { Commands } from '../../src/constants';
import { scanText, type LogFinding } from '../../src/server/logScanner';
import { diagnosticSource, maxDiagnosticsPerDocument, microsoftSourceUrl } from '../../src/server/serverText';
import { escapeMarkdown } from '../../src/views/treeModel';

/** The compiled server; PAD_LOG_SERVER=dist/server.js runs the same tests against the bundle. */
const serverJs = process.env.PAD_LOG_SERVER ? path.resolve(process.env.PAD_LOG_SERVER) : path.resolve(__dirname, '../../src/server/server.js');

const gmsaLine = '[15:16:14.583] [ 16] [ERROR] Exception creating gmsa. Exception: System.DirectoryServices.DirectoryServicesCOMException (0x80072030): There is no such object on the server.';
const event7041Line = '[16:40:02.117] [  4] [ERROR] Event ID 7041: The AADConnectProvisioningAgent service was unable to log on as CONTOSO\\provAgentgMSA$ with the currently configured password due to the following error: Logon failure: the user has not been granted the requested logon type at this computer.';
const traceLines = [
	'[15:16:10.001] [  9] [INFO ] Starting the configuration wizard.',
	'[01:12:13.938] [  9] [INFO ] IsServiceAccountGMSA:: Service account: NT SERVICE\\AADConnectProvisioningAgent is not gmsa.',
	gmsaLine,
	'[15:16:15.002] [ 16] [INFO ] Wizard closed.',
	// More than ten minutes later: a new session in the outline.
	event7041Line,
	'[16:40:03.000] [  4] [INFO ] Service stopped.',
];
const traceText = traceLines.join('\r\n');
const traceUri = 'file:///C%3A/ProgramData/Microsoft/Azure%20AD%20Connect%20Provisioning%20Agent/Trace/AADConnectProvisioningAgent_20261201.log';

const severityOf: Readonly<Record<LogFinding['severity'], DiagnosticSeverity>> = {
	error: DiagnosticSeverity.Error,
	warning: DiagnosticSeverity.Warning,
	information: DiagnosticSeverity.Information,
};

/** A minimal LSP client: the child, its connection, and every publishDiagnostics it has sent, waited on by predicate. */
class TestClient {
	readonly child: ChildProcessWithoutNullStreams;
	readonly connection: ProtocolConnection;
	readonly published: PublishDiagnosticsParams[] = [];
	private waiters: { uri: string; predicate: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
	stderr = '';

	constructor() {
		this.child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: 'pipe' });
		this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
		this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout), new StreamMessageWriter(this.child.stdin));
		this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
			this.published.push(params);
			const ready = this.waiters.filter((w) => w.uri === params.uri && w.predicate(params));
			this.waiters = this.waiters.filter((w) => !ready.includes(w));
			ready.forEach((w) => w.resolve(params));
		});
		this.connection.listen();
	}

	/** The first diagnostics for `uri` (already received or still to come) that satisfy the predicate. */
	diagnostics(uri: string, predicate: (p: PublishDiagnosticsParams) => boolean = () => true, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
		const seen = this.published.find((p) => p.uri === uri && predicate(p));
		if (seen) {
			return Promise.resolve(seen);
		}
		return new Promise((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri}; stderr: ${this.stderr}`)), timeoutMs);
			this.waiters.push({ uri, predicate, resolve: (p) => (clearTimeout(timer), resolve(p)) });
		});
	}

	open(uri: string, text: string, version = 1): void {
		void this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
			textDocument: { uri, languageId: 'provisioning-agent-log', version, text },
		});
	}
}

let client: TestClient;

before(async () => {
	client = new TestClient();
	const result = await client.connection.sendRequest(InitializeRequest.type, {
		processId: process.pid,
		rootUri: null,
		capabilities: { textDocument: { documentSymbol: { hierarchicalDocumentSymbolSupport: true } } },
		workspaceFolders: null,
	});
	assert.equal(result.capabilities.textDocumentSync && typeof result.capabilities.textDocumentSync === 'object' ? result.capabilities.textDocumentSync.change : undefined, 2);
	assert.ok(result.capabilities.hoverProvider);
	assert.ok(result.capabilities.codeActionProvider);
	assert.ok(result.capabilities.documentSymbolProvider);
	await client.connection.sendNotification(InitializedNotification.type, {});
	client.open(traceUri, traceText);
});

after(() => {
	if (client.child.exitCode === null) {
		client.child.kill();
	}
});

/** The diagnostic the server should publish for a finding, computed from the scanner and the catalogue. */
function expected(finding: LogFinding): { range: Diagnostic['range']; code: string; severity: DiagnosticSeverity; href: string | undefined } {
	const code = finding.failureIds[0] ?? finding.messageId;
	const known = finding.failureIds.map((id) => findFailure(id)).find(Boolean);
	return {
		range: { start: { line: finding.line, character: finding.startCharacter }, end: { line: finding.line, character: finding.endCharacter } },
		code,
		severity: severityOf[finding.severity],
		href: known ? microsoftSourceUrl(known.failure.id) : undefined,
	};
}

test('didOpen: a diagnostic per finding, with its range, code, severity and Microsoft link', async () => {
	const published = await client.diagnostics(traceUri);
	const findings = scanText(traceText);
	assert.ok(findings.some((f) => f.line === 2), 'the scanner finds the gMSA line');
	assert.ok(findings.some((f) => f.line === 4), 'the scanner finds the 7041 line');
	assert.equal(published.diagnostics.length, findings.length);
	published.diagnostics.forEach((diagnostic, i) => {
		const want = expected(findings[i]);
		assert.deepEqual(diagnostic.range, want.range);
		assert.equal(diagnostic.code, want.code);
		assert.equal(diagnostic.severity, want.severity);
		assert.equal(diagnostic.codeDescription?.href, want.href);
		assert.equal(diagnostic.source, diagnosticSource);
		assert.ok(diagnostic.message.length > 0);
	});
	const on7041 = published.diagnostics.filter((d) => d.range.start.line === 4);
	assert.ok(on7041.some((d) => String(d.code) === 'event-7041' || findFailure(String(d.code))?.check.id === 'service.logon-right'), JSON.stringify(on7041));
	for (const diagnostic of published.diagnostics) {
		if (diagnostic.codeDescription) {
			assert.match(diagnostic.codeDescription.href, /^https:\/\/learn\.microsoft\.com\//);
		}
	}
	assert.ok(on7041.every((d) => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning));
});

test('hover on a finding: the catalogue message, the causes most likely first (as Explain ranks them), the checks', async () => {
	const finding = scanText(traceText).find((f) => f.line === 4)!;
	const hover = await client.connection.sendRequest(HoverRequest.type, {
		textDocument: { uri: traceUri },
		position: { line: 4, character: finding.startCharacter },
	});
	assert.ok(hover);
	const value = (hover.contents as MarkupContent).value;
	assert.equal((hover.contents as MarkupContent).kind, 'markdown');
	const explanation = explainMessage(event7041Line);
	assert.ok(explanation.causes.length > 0);
	let at = -1;
	for (const cause of explanation.causes) {
		const next = value.indexOf(escapeMarkdown(cause.failureTitle));
		assert.ok(next > at, `${cause.failureTitle} after the cause before it in: ${value}`);
		at = next;
		if (cause.when) {
			assert.ok(value.includes(escapeMarkdown(cause.when)), cause.when);
		}
	}
	for (const checkId of explanation.checks) {
		assert.ok(value.includes(escapeMarkdown(findCheck(checkId)!.title)), checkId);
	}
	// Nothing but catalogue text: no raw log text, no link or HTML from it.
	assert.ok(!value.includes('CONTOSO'));
	assert.doesNotMatch(value, /(^|[^\\])[<\[]/, 'every < and [ is escaped');

	const nothing = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: traceUri }, position: { line: 0, character: 3 } });
	assert.equal(nothing, null);
});

test('code actions: the failure panel, running its check, and Explain on the line', async () => {
	const published = await client.diagnostics(traceUri);
	const diagnostic = published.diagnostics.find((d) => d.range.start.line === 4)!;
	const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
		textDocument: { uri: traceUri },
		range: diagnostic.range,
		context: { diagnostics: [diagnostic] },
	})) as CodeAction[];
	const checkId = findFailure(String(diagnostic.code))?.check.id ?? scanText(traceText).find((f) => f.line === 4)!.failureIds.map((id) => findFailure(id)).find(Boolean)!.check.id;
	const check = findCheck(checkId)!;
	const commands = actions.map((a) => a.command as Command);
	assert.deepEqual(
		commands.map((c) => [c.title, c.command, c.arguments]),
		[
			['Show failure details', Commands.showFailure, [checkId]],
			[`Run the check ${check.title}`, Commands.runCheck, [checkId]],
			['Explain this line', Commands.explainError, [event7041Line]],
		],
	);
	assert.ok(actions.every((a) => a.kind === 'quickfix' && a.diagnostics?.length === 1));

	// A diagnostic of another tool gets no actions of ours.
	const foreign = await client.connection.sendRequest(CodeActionRequest.type, {
		textDocument: { uri: traceUri },
		range: diagnostic.range,
		context: { diagnostics: [{ ...diagnostic, source: 'eslint' }] },
	});
	assert.deepEqual(foreign, []);
});

test('document symbols: one session per run of the log, one child per finding named by its failure', async () => {
	const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: traceUri } })) as DocumentSymbol[];
	// Line 1 goes back in time (01:12 after 15:16), line 2 forward again by hours, line 4 comes 84 minutes after line 3.
	assert.deepEqual(
		symbols.map((s) => [s.name, s.range.start.line, s.range.end.line]),
		[
			['Session 1', 0, 0],
			['Session 2', 1, 1],
			['Session 3', 2, 3],
			['Session 4', 4, 5],
		],
	);
	const findings = scanText(traceText);
	const children = symbols.flatMap((s) => s.children ?? []);
	assert.equal(children.length, findings.length);
	children.forEach((child, i) => {
		const known = findings[i].failureIds.map((id) => findFailure(id)).find(Boolean);
		assert.equal(child.name, known?.failure.title);
		assert.equal(child.range.start.line, findings[i].line);
		assert.equal(child.kind, findings[i].severity === 'error' ? 24 /* Event */ : 20 /* Key */);
	});
});

test('didChange (incremental): validated once after the last change, stale versions never published', async () => {
	const before7041 = (await client.diagnostics(traceUri)).diagnostics.filter((d) => d.range.start.line === 4);
	// Version 2 removes the gMSA line's text; version 3, sent at once, puts a different harmless text there.
	await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
		textDocument: { uri: traceUri, version: 2 },
		contentChanges: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: gmsaLine.length } }, text: '' }],
	});
	await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
		textDocument: { uri: traceUri, version: 3 },
		contentChanges: [{ range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, text: '[15:16:14.583] [ 16] [INFO ] Nothing to see.' }],
	});
	const published = await client.diagnostics(traceUri, (p) => p.version === 3);
	assert.ok(!client.published.some((p) => p.uri === traceUri && p.version === 2), 'version 2 was superseded before its validation');
	assert.ok(!published.diagnostics.some((d) => d.range.start.line === 2), 'the gMSA finding is gone');
	assert.deepEqual(published.diagnostics.filter((d) => d.range.start.line === 4), before7041);
});

test('a long log: at most the cap, and the last diagnostic says how many were left out', async () => {
	const uri = pathToFileURL(path.join(tmpdir(), 'Microsoft_Entra_Connect_Provisioning_Agent_Package_20261201000000.log')).href;
	const count = maxDiagnosticsPerDocument + 5;
	const text = Array.from({ length: count }, () => event7041Line).join('\n');
	const perLine = scanText(event7041Line).length;
	client.open(uri, text);
	const published = await client.diagnostics(uri);
	assert.equal(published.diagnostics.length, maxDiagnosticsPerDocument);
	const last = published.diagnostics[published.diagnostics.length - 1];
	assert.match(last.message, new RegExp(`first ${maxDiagnosticsPerDocument} findings .* ${count * perLine - maxDiagnosticsPerDocument} more`));
	assert.doesNotMatch(published.diagnostics[0].message, /more are not/);

	await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
	const cleared = await client.diagnostics(uri, (p) => p.diagnostics.length === 0);
	assert.deepEqual(cleared.diagnostics, []);
});

test('shutdown and exit: the server process ends with code 0', async () => {
	const exited = new Promise<number | null>((resolve) => client.child.once('exit', (code) => resolve(code)));
	await client.connection.sendRequest(ShutdownRequest.type);
	await client.connection.sendNotification(ExitNotification.type);
	assert.equal(await exited, 0);
	client.connection.dispose();
});

test('node IPC (how the extension starts it, TransportKind.ipc): initialize, diagnostics, shutdown, exit', async () => {
	const child = fork(serverJs, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
	const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
	const published = new Promise<PublishDiagnosticsParams>((resolve) => connection.onNotification(PublishDiagnosticsNotification.type, resolve));
	connection.listen();
	try {
		const result = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null });
		assert.ok(result.capabilities.hoverProvider);
		await connection.sendNotification(InitializedNotification.type, {});
		await connection.sendNotification(DidOpenTextDocumentNotification.type, {
			textDocument: { uri: pathToFileURL(path.join(tmpdir(), 'ProvAgentTrace.log')).href, languageId: 'provisioning-agent-log', version: 1, text: event7041Line },
		});
		assert.equal((await published).diagnostics.length, scanText(event7041Line).length);
		const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
		await connection.sendRequest(ShutdownRequest.type);
		await connection.sendNotification(ExitNotification.type);
		assert.equal(await exited, 0);
	} finally {
		connection.dispose();
		if (child.exitCode === null) {
			child.kill();
		}
	}
});

test('scan: the command-line entry of the same module exits with the scanner CLI code (0 none, 1 found, 2 error)', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'pad-scan-'));
	try {
		const withFindings = path.join(dir, 'trace.log');
		const clean = path.join(dir, 'clean.log');
		writeFileSync(withFindings, traceText);
		writeFileSync(clean, '[15:16:10.001] [  9] [INFO ] Starting the configuration wizard.\r\n');
		const run = (...args: string[]) => spawnSync(process.execPath, [serverJs, 'scan', ...args], { encoding: 'utf8', timeout: 30_000 });

		const found = run(withFindings);
		assert.equal(found.status, 1, found.stderr);
		assert.ok(found.stdout.length > 0);

		const none = run(clean);
		assert.equal(none.status, 0, none.stderr);

		const json = run(withFindings, '--json');
		assert.equal(json.status, 1, json.stderr);
		assert.doesNotThrow(() => JSON.parse(json.stdout));

		const parsed = JSON.parse(json.stdout) as { file: string; line: number; code: string }[];
		assert.deepEqual(
			parsed.map((f) => [f.line, f.code]),
			scanText(traceText).map((f) => [f.line + 1, f.failureIds[0] ?? f.messageId]),
		);

		// 2: an error (an unreadable file, no file, an unknown option); the readable files are still scanned.
		const missing = run(path.join(dir, 'absent.log'), withFindings);
		assert.equal(missing.status, 2);
		assert.match(missing.stderr, /absent\.log/);
		assert.ok(missing.stdout.length > 0);
		assert.equal(run().status, 2);
		assert.equal(run('--bogus', clean).status, 2);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});
