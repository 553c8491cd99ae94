// The log scanner's speed and memory, measured in one run (`node scripts/bench-logs.mjs`; needs the compiled tests'
// output: `npx tsc -p tsconfig.test.json`, which puts the scanner in out/src/server).
//  1. Wall time of scanFile on a 100 MB CRLF trace log beside `grep -E -c` with the same rules (the catalogue's
//     literals, regex-escaped, and its patterns in ERE syntax), as a ratio (goal ≤ 2). grep runs with -i (the
//     catalogue's matching is case-insensitive) in the C locale; the figure without -i is printed too.
//  2. Peak RSS of a child node process that scans the 10 MB and the 100 MB file (memory must not grow with the file),
//     beside a child that only loads the scanner.
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scannerPath = join(root, 'out/src/server/logScanner.js');
if (!existsSync(scannerPath)) {
	console.error(`bench-logs: ${scannerPath} is missing; run \`npx tsc -p tsconfig.test.json\` first`);
	process.exit(2);
}
const require = createRequire(import.meta.url);
const { scanFile } = require(scannerPath);
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
} finally {
	if (process.env.PAD_BENCH_LOGS_KEEP) {
		console.log(`kept ${work}`);
	} else {
		rmSync(work, { recursive: true, force: true });
	}
}
