'use strict';
// Process-tree helpers from /proc: find descendants, kill a whole tree, sum its resident memory.
const fs = require('fs');

/** Map ppid -> [pid] of every live process. */
function childrenMap() {
	const map = new Map();
	for (const name of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		let stat;
		try { stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8'); } catch { continue; }
		// Field 4 (ppid) comes after the command name, which is in parentheses and may contain spaces.
		const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const ppid = Number(rest[1]);
		if (!map.has(ppid)) map.set(ppid, []);
		map.get(ppid).push(Number(name));
	}
	return map;
}

/** pid and all its descendants (pid first). */
function tree(pid) {
	const map = childrenMap();
	const out = [];
	const stack = [pid];
	while (stack.length) {
		const p = stack.pop();
		out.push(p);
		for (const c of map.get(p) || []) stack.push(c);
	}
	return out;
}

function alive(pid) {
	try { process.kill(pid, 0); } catch { return false; }
	try {
		// A zombie still answers kill(0); treat it as gone.
		return !/\)\s+Z\s/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
	} catch { return false; }
}

function signal(pids, sig) {
	for (const p of pids) { try { process.kill(p, sig); } catch { /* gone */ } }
}

/** Kill pid's whole tree now (SIGKILL), plus its process group: for exit handlers, which cannot wait. */
function killTreeSync(pid) {
	if (!pid) return;
	const pids = tree(pid);
	signal(pids, 'SIGKILL');
	try { process.kill(-pid, 'SIGKILL'); } catch { /* no such group */ }
}

/** SIGTERM pid's tree and group, wait up to graceMs, then SIGKILL what is left. */
async function killTree(pid, graceMs = 4000) {
	if (!pid) return;
	const pids = tree(pid);
	signal(pids, 'SIGTERM');
	try { process.kill(-pid, 'SIGTERM'); } catch { /* no such group */ }
	const end = Date.now() + graceMs;
	while (Date.now() < end && pids.some(alive)) await new Promise((r) => setTimeout(r, 100));
	// Processes started in the meantime (or that re-parented) are caught by the group kill.
	signal(pids.filter(alive), 'SIGKILL');
	try { process.kill(-pid, 'SIGKILL'); } catch { /* no such group */ }
}

function rssKb(pid) {
	try {
		const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) : 0;
	} catch { return 0; }
}

/**
 * Sample the summed RSS of pid's descendants every intervalMs. Not counted: pid itself and, with
 * skipDirectChildren, its direct children (the runner's test-driver node processes), so what remains is
 * code-server with its extension host, pty host and shells, and Chromium with its helpers.
 * Returns { stop(): { peakMb, samples } }.
 */
function sampleTreeRss(pid, { intervalMs = 1000, skipDirectChildren = false } = {}) {
	let peakKb = 0, samples = 0;
	const tick = () => {
		const map = childrenMap();
		const skip = new Set([pid, ...(skipDirectChildren ? map.get(pid) || [] : [])]);
		const all = [];
		const stack = [pid];
		while (stack.length) { const p = stack.pop(); all.push(p); for (const c of map.get(p) || []) stack.push(c); }
		const kb = all.filter((p) => !skip.has(p)).reduce((a, p) => a + rssKb(p), 0);
		samples++;
		if (kb > peakKb) peakKb = kb;
	};
	const timer = setInterval(tick, intervalMs);
	timer.unref();
	return { stop() { clearInterval(timer); tick(); return { peakMb: Math.round(peakKb / 1024), samples }; } };
}

module.exports = { tree, alive, killTree, killTreeSync, sampleTreeRss };
