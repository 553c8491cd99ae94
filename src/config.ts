import * as vscode from 'vscode';
import { ConfigKeys, ConfigSection } from './constants';
import { DiagnosisSettings, sanitizeSettings } from './diagnosis/settings';

/** Reads the settings through one sanitising function (diagnosis/settings.ts). */
export function readSettings(): DiagnosisSettings {
	const config = vscode.workspace.getConfiguration(ConfigSection);
	return sanitizeSettings({
		powershellPath: config.get(ConfigKeys.powershellPath),
		cloud: config.get(ConfigKeys.cloud),
		eventLogDays: config.get(ConfigKeys.eventLogDays),
		diagnosisTimeoutSeconds: config.get(ConfigKeys.diagnosisTimeoutSeconds),
		checkTimeoutSeconds: config.get(ConfigKeys.checkTimeoutSeconds),
		networkTimeoutSeconds: config.get(ConfigKeys.networkTimeoutSeconds),
		wizardAccount: config.get(ConfigKeys.wizardAccount),
	});
}
