// The log scanner's speed and memory, measured in one run (`node scripts/bench-logs.mjs`; needs the compiled tests'
// output: `npx tsc -p tsconfig.test.json`, which puts the scanner in out/src/server).
//  1. Wall time of scanFile on a 100 MB CRLF trace log beside `grep -E -c` with the same rules (the catalogue's
//     literals, regex-escaped, and its patterns in ERE syntax), as a ratio (goal ≤ 2). grep runs with -i (the
//     catalogue's matching is case-insensitive) in the C locale; the figure without -i is printed too.
//  2. Peak RSS of a child node process that scans the 10 MB and the 100 MB file (memory must not grow with the file),
//     beside a child that only loads the scanner.
//  3. Time from opening the 100 MB file in the language server (out/src/server/server.js --stdio, spoken to over the
//     real protocol as an editor would) to its first diagnostics, which includes the server's debounce; how long
//     sending the didOpen took (serialising it and the server reading it off the pipe) is printed apart.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scannerPath = join(root, 'out/src/server/logScanner.js');
const serverPath = join(root, 'out/src/server/server.js');
for (const compiled of [scannerPath, serverPath]) {
	if (!existsSync(compiled)) {
		console.error(`bench-logs: ${compiled} is missing; run \`npx tsc -p tsconfig.test.json\` first`);
		process.exit(2);
	}
}
const require = createRequire(import.meta.url);
const { scanFile } = require(scannerPath);
// Loading server.js does not start a server (that needs it to be the main module); it gives the debounce to print.
const { validationDelayMs } = require(serverPath);
const { maxDiagnosticsPerDocument } = require(join(root, 'out/src/server/serverText.js'));
// The protocol pieces an editor's client uses, so the server is measured as it is driven in real use.
const lsp = require('vscode-languageserver-protocol/node');
const { messages } = JSON.parse(readFileSync(join(root, 'src/catalogue/messages.json'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'pad-bench-logs-'));

/** A JavaScript pattern of the catalogue in POSIX ERE as GNU grep reads it. */
function toEre(pattern) {
	return pattern.replace(/\\d/g, '[0-9]').replace(/\\S/g, '[^[:space:]]').replace(/\\s/g, '[[:space:]]').replace(/\(\?:/g, '(');
}
const escapeEre = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const grepPatterns = messages.flatMap((m) => [...(m.match.literal ?? []).map(escapeEre), ...(m.match.pattern ? [toEre(m.match.pattern)] : [])]);
writeFileSync(join(work, 'patterns.txt'), `${grepPatterns.join('\n')}\n`);

// Lines as the agent and wizard write them ([HH:mm:ss.fff] [ thread] [LEVEL] message), and the known failures.
const normal = [
	'[INFO ] IsServiceAccountGMSA:: Service account: NT SERVICE\\AADConnectProvisioningAgent is not gmsa.',
	'[INFO ] Sending heartbeat to https://contoso.msappproxy.net/subscriber/bootstrap, attempt 1 of 3',
	'[VERBOSE] LDAP search filter (&(objectClass=user)(objectGUID=\\9a\\3b\\c0\\11)) returned 1 entries in 12 ms',
	'[INFO ] Processing job AD2AADProvisioning.2a0c1f8e0c3c4f2e8d0f1b0e4c8a1f3e.7b6a5c4d; exported 250 objects',
	'[WARN ] Exception: System.Net.WebException: The remote server returned an error: (503) Server Unavailable.',
	'[INFO ] Microsoft.Online.Deployment.Framework.Providers.GroupManagedServiceAccountProvider.CreateGroupManagedAccount(...)',
	'[INFO ] Connector configuration updated; service account CONTOSO\\provAgentgMSA$ logged on, version 1.1.1586.0',
	'[VERBOSE] Received 0 messages from the service bus relay endpoint sb://contoso.servicebus.windows.net/',
	'[ERROR] Request failed with status code 429 (Too Many Requests); retrying in 7041 ms',
	'[INFO ] Agent bootstrap complete. Tenant 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0, region EU',
];
const failures = messages.flatMap((m) => (m.match.literal || m.match.pattern ? [...(m.examples ?? []), m.text] : [])).map((t) => `[ERROR] ${t}`);

async function generate(path, bytes, failureEvery) {
	const out = createWriteStream(path);
	let written = 0;
	let n = 0;
	let block = '';
	while (written < bytes) {
		const ms = n % 86_400_000;
		const stamp = `[${String(Math.floor(ms / 3_600_000) % 24).padStart(2, '0')}:${String(Math.floor(ms / 60_000) % 60).padStart(2, '0')}:${String(Math.floor(ms / 1000) % 60).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}]`;
		const text = n % failureEvery === failureEvery - 1 ? failures[(n / failureEvery) % failures.length | 0] : normal[n % normal.length];
		const line = `${stamp} [${String(n % 40).padStart(3)}] ${text}\r\n`;
		block += line;
		written += Buffer.byteLength(line);
		n++;
		if (block.length > 1 << 20) {
			if (!out.write(block)) {
				await new Promise((resolve) => out.once('drain', resolve));
			}
			block = '';
		}
	}
	out.write(block);
	await new Promise((resolve) => out.end(resolve));
	return n;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (b) => (b / 1024 / 1024).toFixed(1);

function timeGrep(args, file) {
	const walls = [];
	let count = '';
	for (let i = 0; i < 3; i++) {
		const started = process.hrtime.bigint();
		const r = spawnSync('grep', [...args, '-c', '-f', join(work, 'patterns.txt'), file], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
		walls.push(Number(process.hrtime.bigint() - started) / 1e6);
		count = r.stdout.trim();
	}
	return { wall: median(walls), count: Number(count) };
}

async function timeScanner(file) {
	const walls = [];
	let lines = new Set();
	for (let i = 0; i < 3; i++) {
		lines = new Set();
		const started = process.hrtime.bigint();
		await scanFile(file, (f) => lines.add(f.line));
		walls.push(Number(process.hrtime.bigint() - started) / 1e6);
	}
	return { wall: median(walls), count: lines.size };
}

function peakRss(file) {
	const script = file
		? `const {scanFile}=require(${JSON.stringify(scannerPath)});let n=0;scanFile(${JSON.stringify(file)},()=>n++).then((r)=>console.log(JSON.stringify({n,lines:r.lines,maxRSS:process.resourceUsage().maxRSS})))`
		: `require(${JSON.stringify(scannerPath)}).scanLine('x',0);console.log(JSON.stringify({maxRSS:process.resourceUsage().maxRSS}))`;
	const started = process.hrtime.bigint();
	const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
	const wall = Number(process.hrtime.bigint() - started) / 1e6;
	return { ...JSON.parse(out), wall };
}

/** Peak RSS of a running process in bytes, where /proc tells it (Linux); undefined elsewhere. */
function peakRssOf(pid) {
	try {
		const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
		return kb === undefined ? undefined : Number(kb) * 1024;
	} catch {
		return undefined;
	}
}

/**
 * Opens `file` in a language server spawned over stdio and times it to the first publishDiagnostics for the file's URI
 * that has diagnostics. The clock starts just before didOpen is sent: serialising the message is part of what an editor
 * pays to open a file. It fails (and kills the server) if the server exits first or publishes nothing within timeoutMs
 * of being spawned, and if it does not end cleanly on shutdown/exit.
 */
async function timeServer(file, timeoutMs) {
	const text = readFileSync(file, 'utf8');
	const uri = pathToFileURL(file).href;
	const child = spawn(process.execPath, [serverPath, '--stdio'], { stdio: 'pipe' });
	let stderr = '';
	child.stderr.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
	const fail = (why) => new Error(`the language server ${why}${stderr.trim() ? `; its stderr ends: ${stderr.trim()}` : ''}`);
	const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
	// Any exit before the clean one at the end is a failure; `ending` tells the two apart.
	let ending = false;
	const died = exited.then(({ code, signal }) => (ending ? new Promise(() => {}) : Promise.reject(fail(`exited (${signal ?? `code ${code}`}) before publishing diagnostics`))));
	died.catch(() => {});
	let timer;
	const timedOut = new Promise((_, reject) => {
		timer = setTimeout(() => reject(fail(`published no diagnostics for the ${mb(statSync(file).size)} MB log within ${timeoutMs / 1000} s of being started`)), timeoutMs);
	});
	timedOut.catch(() => {});
	const bounded = (promise) => Promise.race([promise, died, timedOut]);
	const connection = lsp.createProtocolConnection(new lsp.StreamMessageReader(child.stdout), new lsp.StreamMessageWriter(child.stdin));
	try {
		const published = new Promise((resolve) => {
			connection.onNotification(lsp.PublishDiagnosticsNotification.type, (params) => {
				if (params.uri === uri && params.diagnostics.length > 0) {
					resolve({ params, at: process.hrtime.bigint() });
				}
			});
		});
		connection.listen();
		await bounded(connection.sendRequest(lsp.InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null }));
		await bounded(connection.sendNotification(lsp.InitializedNotification.type, {}));

		const started = process.hrtime.bigint();
		// Resolves once the whole message is written to the pipe, i.e. the server has read all but the pipe's buffer.
		const sent = connection
			.sendNotification(lsp.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'provisioning-agent-log', version: 1, text } })
			.then(() => process.hrtime.bigint());
		// On a failure the server is killed mid-write, and the write's EPIPE is not the error to report.
		sent.catch(() => {});
		const first = await bounded(published);
		const sentAt = await bounded(sent);
		clearTimeout(timer);
		const serverRss = peakRssOf(child.pid);

		ending = true;
		const shutdownBy = Date.now() + 10_000;
		const inTime = (promise, what) =>
			Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(fail(`did not ${what} within 10 s`)), Math.max(0, shutdownBy - Date.now())).unref())]);
		await inTime(connection.sendRequest(lsp.ShutdownRequest.type), 'answer shutdown');
		await connection.sendNotification(lsp.ExitNotification.type);
		const { code, signal } = await inTime(exited, 'exit after shutdown/exit');
		if (code !== 0) {
			throw fail(`ended with ${signal ?? `code ${code}`} after shutdown/exit, not 0`);
		}
		return {
			wall: Number(first.at - started) / 1e6,
			send: Number(sentAt - started) / 1e6,
			diagnostics: first.params.diagnostics.length,
			serverRss,
		};
	} finally {
		clearTimeout(timer);
		connection.dispose();
		if (child.exitCode === null && child.signalCode === null) {
			child.kill();
		}
	}
}

try {
	const big = join(work, 'trace-100mb.log');
	const small = join(work, 'trace-10mb.log');
	const bigLines = await generate(big, 100 * 1024 * 1024, 300);
	const smallLines = await generate(small, 10 * 1024 * 1024, 300);
	console.log(`generated ${mb(statSync(big).size)} MB (${bigLines} lines) and ${mb(statSync(small).size)} MB (${smallLines} lines) CRLF trace logs, a known failure every 300 lines`);

	timeGrep(['-E', '-i'], big); // warm the page cache
	const grepI = timeGrep(['-E', '-i'], big);
	const grepCase = timeGrep(['-E'], big);
	const scanner = await timeScanner(big);
	console.log(`grep -E -i -c (C locale), ${grepPatterns.length} patterns: median ${grepI.wall.toFixed(0)} ms, ${grepI.count} lines`);
	console.log(`grep -E -c (case-sensitive, for reference): median ${grepCase.wall.toFixed(0)} ms, ${grepCase.count} lines`);
	console.log(`scanFile (in process): median ${scanner.wall.toFixed(0)} ms, ${scanner.count} lines with findings`);
	const ratio = scanner.wall / grepI.wall;
	console.log(`ratio scanner / grep -E -i: ${ratio.toFixed(2)} (goal ≤ 2) ${ratio <= 2 ? 'met' : 'NOT MET'}; vs grep -E without -i: ${(scanner.wall / grepCase.wall).toFixed(2)}`);
	if (scanner.count !== grepI.count) {
		console.log(`NOTE: the scanner found ${scanner.count} lines, grep ${grepI.count}`);
	}

	const base = peakRss();
	const rssSmall = peakRss(small);
	const rssBig = peakRss(big);
	console.log(`peak RSS of a child node process: loading the scanner only ${mb(base.maxRSS * 1024)} MB; scanning 10 MB ${mb(rssSmall.maxRSS * 1024)} MB (${rssSmall.n} findings, ${rssSmall.lines} lines, ${(rssSmall.wall / 1000).toFixed(2)} s incl. start-up); scanning 100 MB ${mb(rssBig.maxRSS * 1024)} MB (${rssBig.n} findings, ${rssBig.lines} lines, ${(rssBig.wall / 1000).toFixed(2)} s incl. start-up)`);

	// One run, not a median: each run spawns a server and pushes 100 MB through a pipe, and its debounce is fixed.
	const server = await timeServer(big, 120_000);
	const capped = server.diagnostics === maxDiagnosticsPerDocument ? ` (the server's cap per document; the scanner has ${rssBig.n} findings)` : '';
	console.log(
		`language server (--stdio), didOpen of the 100 MB log to its first diagnostics: ${server.wall.toFixed(0)} ms, including the server's ${validationDelayMs} ms debounce; ${server.diagnostics} diagnostics${capped}; sending the didOpen (serialising it, the server reading it) took ${server.send.toFixed(0)} ms of that${server.serverRss === undefined ? '' : `; server peak RSS ${mb(server.serverRss)} MB`}`,
	);
} catch (error) {
	console.error(`bench-logs: ${error instanceof Error ? error.message : String(error)}`);
	process.exitCode = 1;
} finally {
	if (process.env.PAD_BENCH_LOGS_KEEP) {
		console.log(`kept ${work}`);
	} else {
		rmSync(work, { recursive: true, force: true });
	}
}
