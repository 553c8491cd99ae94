/**
 * Diagnosis settings and their sanitising. Pure: the `vscode` read lives in config.ts, so the rules here can be
 * unit-tested without an editor.
 */

export type Cloud = 'public' | 'usgov';

export interface DiagnosisSettings {
	/** The PowerShell executable as configured, or '' for the platform default. */
	readonly powershellPath: string;
	readonly cloud: Cloud;
	readonly eventLogDays: number;
	readonly diagnosisTimeoutSeconds: number;
	readonly checkTimeoutSeconds: number;
	readonly networkTimeoutSeconds: number;
	/** The on-premises admin account the wizard will be given (DOMAIN\\name, name@domain or name); '' = the current user. */
	readonly wizardAccount: string;
}

export const defaultSettings: DiagnosisSettings = {
	powershellPath: '',
	cloud: 'public',
	eventLogDays: 7,
	diagnosisTimeoutSeconds: 300,
	checkTimeoutSeconds: 60,
	networkTimeoutSeconds: 10,
	wizardAccount: '',
};

function clampInteger(value: unknown, min: number, max: number, fallback: number): number {
	if (typeof value !== 'number' || !Number.isFinite(value)) {
		return fallback;
	}
	return Math.min(max, Math.max(min, Math.round(value)));
}

/**
 * An account name as the admin types it: trimmed, and empty unless it has the shape of DOMAIN\\name, name@domain or
 * name (no control characters, at most 256 characters). It still only ever reaches PowerShell through the quoting function.
 */
function sanitizeAccountName(value: unknown): string {
	if (typeof value !== 'string') {
		return '';
	}
	const name = value.trim();
	// eslint-disable-next-line no-control-regex -- the control characters are exactly what the pattern refuses
	return name.length <= 256 && /^[^\\\u0000-\u001f@]+(\\[^\\\u0000-\u001f@]+|@[^\\\u0000-\u001f@]+)?$/.test(name) ? name : '';
}

/** Turns whatever the settings store holds into valid settings; ranges match the entry script's parameters. */
export function sanitizeSettings(raw: Readonly<Record<string, unknown>>): DiagnosisSettings {
	const path = typeof raw.powershellPath === 'string' ? raw.powershellPath.trim() : '';
	return {
		powershellPath: path,
		cloud: raw.cloud === 'usgov' ? 'usgov' : 'public',
		eventLogDays: clampInteger(raw.eventLogDays, 1, 365, defaultSettings.eventLogDays),
		diagnosisTimeoutSeconds: clampInteger(raw.diagnosisTimeoutSeconds, 10, 3600, defaultSettings.diagnosisTimeoutSeconds),
		checkTimeoutSeconds: clampInteger(raw.checkTimeoutSeconds, 1, 3600, defaultSettings.checkTimeoutSeconds),
		networkTimeoutSeconds: clampInteger(raw.networkTimeoutSeconds, 1, 300, defaultSettings.networkTimeoutSeconds),
		wizardAccount: sanitizeAccountName(raw.wizardAccount),
	};
}
