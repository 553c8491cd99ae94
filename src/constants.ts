/** Every id the manifest and the code share, in one place. */

export const ExtensionId = 'provisioning-agent-doctor.provisioning-agent-doctor';

export const Commands = {
	diagnose: 'paDoctor.diagnose',
	diagnoseElevated: 'paDoctor.diagnoseElevated',
	stop: 'paDoctor.stop',
	runCheck: 'paDoctor.runCheck',
	showFailure: 'paDoctor.showFailure',
	showSummary: 'paDoctor.showSummary',
	explainError: 'paDoctor.explainError',
	exportReport: 'paDoctor.exportReport',
	openReport: 'paDoctor.openReport',
	openAgentLogs: 'paDoctor.openAgentLogs',
	showRawOutput: 'paDoctor.showRawOutput',
	showLog: 'paDoctor.showLog',
	openSettings: 'paDoctor.openSettings',
	diagnoseServers: 'paDoctor.diagnoseServers',
	compareServers: 'paDoctor.compareServers',
	/** Tree-only: a server's check (its read-only panel), and why a server has no result. */
	showServerCheck: 'paDoctor.showServerCheck',
	showServerProblem: 'paDoctor.showServerProblem',
} as const;

export const Views = {
	container: 'paDoctor',
	checks: 'paDoctor.checks',
} as const;

export const ContextKeys = {
	running: 'paDoctor.running',
	hasRun: 'paDoctor.hasRun',
	/** The tree shows an opened report (read-only) instead of this window's runs. */
	reportOpen: 'paDoctor.reportOpen',
	/** The tree shows a run on several servers, two or more of them with results (Compare Two Servers applies). */
	serversShown: 'paDoctor.serversShown',
	/** True where a UAC prompt can appear: a local Windows session (not over Remote - SSH). */
	canElevate: 'paDoctor.canElevate',
} as const;

export const ConfigSection = 'paDoctor';

export const ConfigKeys = {
	powershellPath: 'powershell.path',
	cloud: 'cloud',
	eventLogDays: 'eventLog.days',
	diagnosisTimeoutSeconds: 'diagnosis.timeoutSeconds',
	checkTimeoutSeconds: 'checks.timeoutSeconds',
	networkTimeoutSeconds: 'network.timeoutSeconds',
	wizardAccount: 'wizardAccount',
	servers: 'servers',
	sshKeyFile: 'ssh.keyFile',
	remoteTimeoutSeconds: 'remote.timeoutSeconds',
} as const;

export const TerminalName = 'Provisioning Agent Doctor';
