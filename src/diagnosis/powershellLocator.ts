/**
 * Finds the PowerShell executable to run the diagnosis with. Pure apart from the injected file test, so the
 * rules (setting first, platform default, PATH and PATHEXT search) are unit-tested on any OS.
 */
import * as path from 'path';

export interface LocatorEnvironment {
	readonly platform: NodeJS.Platform;
	readonly env: Readonly<Record<string, string | undefined>>;
	readonly isFile: (candidate: string) => boolean;
}

export type LocateOutcome =
	| { readonly found: true; readonly executable: string; readonly isWindowsPowerShell: boolean }
	| { readonly found: false; readonly requested: string; readonly fromSetting: boolean };

/** The platform default when the setting is empty: Windows PowerShell 5.1 ships with every Windows Server. */
export function defaultPowerShell(platform: NodeJS.Platform): string {
	return platform === 'win32' ? 'powershell.exe' : 'pwsh';
}

function pathApi(platform: NodeJS.Platform): path.PlatformPath {
	return platform === 'win32' ? path.win32 : path.posix;
}

function envValue(env: LocatorEnvironment['env'], name: string, platform: NodeJS.Platform): string | undefined {
	if (platform !== 'win32') {
		return env[name];
	}
	// Windows environment names are case-insensitive (Path vs PATH).
	const key = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase());
	return key === undefined ? undefined : env[key];
}

export function locatePowerShell(setting: string, host: LocatorEnvironment): LocateOutcome {
	const fromSetting = setting.trim().length > 0;
	const requested = fromSetting ? setting.trim() : defaultPowerShell(host.platform);
	const p = pathApi(host.platform);
	const found = (executable: string): LocateOutcome => ({
		found: true,
		executable,
		isWindowsPowerShell: /^powershell(\.exe)?$/i.test(p.basename(executable)),
	});

	const hasDirectory = requested.includes('/') || (host.platform === 'win32' && requested.includes('\\'));
	const extensions =
		host.platform === 'win32' && p.extname(requested) === ''
			? (envValue(host.env, 'PATHEXT', host.platform) ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)
			: [''];

	if (hasDirectory) {
		for (const ext of extensions) {
			if (host.isFile(requested + ext)) {
				return found(requested + ext);
			}
		}
		return { found: false, requested, fromSetting };
	}
	// Stryker disable next-line StringLiteral: with no PATH, any placeholder text names no directory holding PowerShell.
	const dirs = (envValue(host.env, 'PATH', host.platform) ?? '').split(p.delimiter).filter(Boolean);
	for (const dir of dirs) {
		for (const ext of extensions) {
			const candidate = p.join(dir, requested + ext);
			if (host.isFile(candidate)) {
				return found(candidate);
			}
		}
	}
	return { found: false, requested, fromSetting };
}
