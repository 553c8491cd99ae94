/**
 * The agent-log language server (dist/server.js): diagnostics, hovers, quick fixes and an outline for the provisioning
 * agent's trace logs and installer logs, from the pure scanner (logScanner.ts) and the catalogue (serverText.ts).
 *
 * Transports: the extension starts it over node IPC (`--node-ipc`, TransportKind.ipc); `node dist/server.js --stdio`
 * runs it over stdin/stdout for other editors and the unit tests. `node dist/server.js scan FILE... [--json]` runs the
 * command-line scanner (cli.ts) instead and exits with its code.
 *
 * Pure module folder: no `vscode` import (eslint enforces it).
 */
import {
	CodeActionKind,
	createConnection,
	ProposedFeatures,
	TextDocuments,
	TextDocumentSyncKind,
	type CodeAction,
	type Connection,
	type DocumentSymbol,
	type Hover,
	type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { runScanCli } from './cli';
import { scanLine, scanText, type LogFinding } from './logScanner';
import { codeActionsFor, hoverFor, outline, toDiagnostics } from './serverText';

/** Changes typed within this time are validated once, after the last. */
export const validationDelayMs = 300;

function lineOf(document: TextDocument, line: number): string {
	const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
	return text.replace(/\r?\n$/, '');
}

function findingsOfLine(document: TextDocument, line: number): { text: string; findings: LogFinding[] } {
	const text = lineOf(document, line);
	return { text, findings: scanLine(text, line) };
}

/** Wires the handlers to a connection and starts listening. */
export function startServer(connection: Connection): void {
	const documents = new TextDocuments(TextDocument);
	const timers = new Map<string, NodeJS.Timeout>();
	/** The findings of each document's last validation, so the outline of an unchanged document does not scan again. */
	const latest = new Map<string, { readonly version: number; readonly findings: LogFinding[] }>();

	connection.onInitialize(
		(): InitializeResult => ({
			capabilities: {
				textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
				hoverProvider: true,
				codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
				documentSymbolProvider: { label: 'Provisioning Agent Log' },
			},
			serverInfo: { name: 'Provisioning Agent Doctor log server' },
		}),
	);

	/**
	 * Validates the document if it is still at `version`: a newer version (typed after the timer fired) or a closed
	 * document makes this run stale, and a stale result is never published. scanText is synchronous, so the check is
	 * made before the scan and again before publishing.
	 */
	const validate = async (uri: string, version: number): Promise<void> => {
		const document = documents.get(uri);
		if (!document || document.version !== version) {
			return;
		}
		let findings: LogFinding[];
		try {
			findings = scanText(document.getText());
		} catch (error) {
			connection.console.error(`Scanning ${uri} failed: ${(error as Error).stack ?? String(error)}`);
			return;
		}
		if (documents.get(uri)?.version !== version) {
			return;
		}
		latest.set(uri, { version, findings });
		await connection.sendDiagnostics({ uri, version, diagnostics: toDiagnostics(findings) });
	};

	const schedule = (document: TextDocument): void => {
		clearTimeout(timers.get(document.uri));
		const { uri, version } = document;
		timers.set(
			uri,
			setTimeout(() => {
				timers.delete(uri);
				validate(uri, version).catch((error: unknown) => connection.console.error(`Validating ${uri} failed: ${String(error)}`));
			}, validationDelayMs),
		);
	};

	documents.onDidOpen((event) => schedule(event.document));
	documents.onDidChangeContent((event) => schedule(event.document));
	documents.onDidClose((event) => {
		clearTimeout(timers.get(event.document.uri));
		timers.delete(event.document.uri);
		latest.delete(event.document.uri);
		void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
	});

	connection.onHover((params): Hover | null => {
		const document = documents.get(params.textDocument.uri);
		if (!document) {
			return null;
		}
		try {
			const { line, character } = params.position;
			const { text, findings } = findingsOfLine(document, line);
			return hoverFor(text, findings, line, character) ?? null;
		} catch (error) {
			connection.console.error(`Hover failed: ${String(error)}`);
			return null;
		}
	});

	connection.onCodeAction((params): CodeAction[] => {
		const document = documents.get(params.textDocument.uri);
		if (!document) {
			return [];
		}
		try {
			return params.context.diagnostics.flatMap((diagnostic) => codeActionsFor(diagnostic, lineOf(document, diagnostic.range.start.line)));
		} catch (error) {
			connection.console.error(`Code actions failed: ${String(error)}`);
			return [];
		}
	});

	connection.onDocumentSymbol((params): DocumentSymbol[] => {
		const document = documents.get(params.textDocument.uri);
		if (!document) {
			return [];
		}
		try {
			const text = document.getText();
			const cached = latest.get(document.uri);
			return outline(text.split(/\r?\n/), cached?.version === document.version ? cached.findings : scanText(text));
		} catch (error) {
			connection.console.error(`Outline failed: ${String(error)}`);
			return [];
		}
	});

	connection.onShutdown(() => {
		for (const timer of timers.values()) {
			clearTimeout(timer);
		}
		timers.clear();
	});

	documents.listen(connection);
	connection.listen();
}

/**
 * `scan` as the first argument runs the command-line scanner; a transport argument (`--stdio`, `--node-ipc`, what the
 * client passes, `--socket=`, `--pipe=`) the server; anything else prints the usage.
 */
function main(argv: readonly string[]): void {
	const args = argv.slice(2);
	if (args[0] === 'scan') {
		runScanCli(
			args.slice(1),
			(s) => process.stdout.write(s),
			(s) => process.stderr.write(s),
		).then(
			(code) => {
				// exitCode, not exit(): output written to a pipe must be flushed first.
				process.exitCode = code;
			},
			(error: unknown) => {
				process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
				process.exitCode = 2;
			},
		);
		return;
	}
	if (!args.some((arg) => arg === '--stdio' || arg === '--node-ipc' || /^--(socket|pipe)=/.test(arg))) {
		process.stderr.write('usage: server.js --stdio | --node-ipc | --socket=PORT | --pipe=NAME\n       server.js scan FILE... [--json]\n');
		process.exitCode = 2;
		return;
	}
	const connection = createConnection(ProposedFeatures.all);
	process.on('uncaughtException', (error) => connection.console.error(`Uncaught: ${error.stack ?? String(error)}`));
	startServer(connection);
}

if (require.main === module) {
	main(process.argv);
}
