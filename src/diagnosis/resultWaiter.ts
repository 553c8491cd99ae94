/**
 * Waits for the entry script's result file. The script writes to a temporary name and renames it, so the file
 * appears whole; polling (rather than fs.watch) works the same on local disks, network shares and remote hosts.
 */
import { promises as fs } from 'fs';

export type WaitOutcome =
	| { readonly kind: 'file'; readonly text: string }
	| { readonly kind: 'timeout' }
	| { readonly kind: 'cancelled'; readonly reason: string };

export interface WaitOptions {
	readonly timeoutMs: number;
	readonly pollMs?: number;
	/** Resolves (with a reason) when the run should stop waiting early, e.g. the terminal was closed. */
	readonly cancelled?: Promise<string>;
	/** How the file is read (the file system by default); tests replace it to order reads and a cancel exactly. */
	readonly readFile?: (file: string) => Promise<string>;
}

const readFromDisk = (file: string): Promise<string> => fs.readFile(file, 'utf8');

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

export async function waitForResultFile(file: string, options: WaitOptions): Promise<WaitOutcome> {
	const pollMs = options.pollMs ?? 250;
	const readFile = options.readFile ?? readFromDisk;
	const deadline = Date.now() + options.timeoutMs;
	let cancelReason: string | undefined;
	void options.cancelled?.then((reason) => {
		cancelReason = reason;
	});
	for (;;) {
		const text = await readIfExists(file, readFile);
		if (text !== undefined) {
			return { kind: 'file', text };
		}
		if (cancelReason !== undefined) {
			// One last look: the file may have landed just before the terminal went away.
			const late = await readIfExists(file, readFile);
			return late !== undefined ? { kind: 'file', text: late } : { kind: 'cancelled', reason: cancelReason };
		}
		const left = deadline - Date.now();
		// Stryker disable next-line EqualityOperator: at exactly 0 ms left, one more 0 ms wait and look ends the same way.
		if (left <= 0) {
			return { kind: 'timeout' };
		}
		await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, left)));
	}
}
