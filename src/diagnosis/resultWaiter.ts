/**
 * Waits for the entry script's result file. The script writes to a temporary name and renames it, so the file
 * appears whole; polling (rather than fs.watch) works the same on local disks, network shares and remote hosts.
 */
import { constants as fsConstants, promises as fs } from 'fs';

export type WaitOutcome =
	| { readonly kind: 'file'; readonly text: string }
	| { readonly kind: 'refused'; readonly reason: string }
	| { readonly kind: 'timeout' }
	| { readonly kind: 'cancelled'; readonly reason: string };

/** No result is near this size (all checks with their evidence are tens of kilobytes); more is not a result. */
export const maxResultBytes = 16 * 1024 * 1024;

export interface WaitOptions {
	readonly timeoutMs: number;
	readonly pollMs?: number;
	/** Resolves (with a reason) when the run should stop waiting early, e.g. the terminal was closed. */
	readonly cancelled?: Promise<string>;
	/** How the file is read (the file system by default); tests replace it to order reads and a cancel exactly. */
	readonly readFile?: (file: string) => Promise<string>;
	/** The largest file taken as a result (maxResultBytes by default). */
	readonly maxBytes?: number;
}

/** Something is at the result path, but it cannot be the result: the run ends with this reason, not a throw or a hang. */
export class ResultFileRefused extends Error {}

function checkResultStat(file: string, stat: { isFile(): boolean; size: number }, maxBytes: number): void {
	if (!stat.isFile()) {
		throw new ResultFileRefused(`${file} is not a regular file`);
	}
	if (stat.size > maxBytes) {
		throw new ResultFileRefused(`${file} is ${stat.size} bytes, more than a result can be (${maxBytes})`);
	}
}

/**
 * Reads the result only if it is a regular file of a sane size. The path is looked at before it is opened, so a FIFO
 * there is never opened (opening one for reading waits for a writer); O_NONBLOCK covers one put there in between, and
 * the open file is looked at again.
 */
export async function readResultFromDisk(file: string, maxBytes = maxResultBytes): Promise<string> {
	checkResultStat(file, await fs.stat(file), maxBytes);
	const handle = await fs.open(file, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
	try {
		checkResultStat(file, await handle.stat(), maxBytes);
		return await handle.readFile('utf8');
	} finally {
		await handle.close();
	}
}

async function readIfExists(file: string, readFile: (file: string) => Promise<string>): Promise<string | undefined> {
	try {
		return await readFile(file);
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		// EBUSY/EPERM/EACCES: briefly locked, e.g. while an antivirus scans the file just renamed into place.
		if (code === 'ENOENT' || code === 'EBUSY' || code === 'EPERM' || code === 'EACCES') {
			return undefined;
		}
		throw error;
	}
}

/** The file's text, undefined while it is not there, or the reason it cannot be the result. */
async function look(file: string, readFile: (file: string) => Promise<string>): Promise<string | undefined | ResultFileRefused> {
	try {
		return await readIfExists(file, readFile);
	} catch (error) {
		if (error instanceof ResultFileRefused) {
			return error;
		}
		throw error;
	}
}

export async function waitForResultFile(file: string, options: WaitOptions): Promise<WaitOutcome> {
	const pollMs = options.pollMs ?? 250;
	const maxBytes = options.maxBytes ?? maxResultBytes;
	const readFile = options.readFile ?? ((f: string) => readResultFromDisk(f, maxBytes));
	const deadline = Date.now() + options.timeoutMs;
	let cancelReason: string | undefined;
	void options.cancelled?.then((reason) => {
		cancelReason = reason;
	});
	const found = (seen: string | ResultFileRefused): WaitOutcome =>
		seen instanceof ResultFileRefused ? { kind: 'refused', reason: seen.message } : { kind: 'file', text: seen };
	for (;;) {
		const seen = await look(file, readFile);
		if (seen !== undefined) {
			return found(seen);
		}
		if (cancelReason !== undefined) {
			// One last look: the file may have landed just before the terminal went away.
			const late = await look(file, readFile);
			return late !== undefined ? found(late) : { kind: 'cancelled', reason: cancelReason };
		}
		const left = deadline - Date.now();
		// Stryker disable next-line EqualityOperator: at exactly 0 ms left, one more 0 ms wait and look ends the same way.
		if (left <= 0) {
			return { kind: 'timeout' };
		}
		await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, left)));
	}
}
