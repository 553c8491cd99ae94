import * as vscode from 'vscode';
import type { DiagnosisService } from '../diagnosis/diagnosisService';
import type { ResultsStore } from '../diagnosis/resultsStore';
import { canElevate } from '../elevation';
import type { Log } from '../log';
import { buildElevatedInvocation } from '../terminal/quoting';
import { planFix, type FixPlan } from './fixPlan';

/**
 * Run in Terminal and Copy for a fix of a check. The plan (fixPlan.ts) decides what may run and with which values;
 * this module asks the admin, sends the command to the diagnosis terminal and re-runs the check afterwards, so the
 * tree and the panel show whether it worked.
 */
export class FixRunner {
	constructor(
		private readonly log: Log,
		private readonly store: ResultsStore,
		private readonly diagnosis: DiagnosisService,
	) {}

	private plan(checkId: string, fixId: string): FixPlan {
		return planFix(checkId, fixId, this.store.results, (fix) => this.diagnosis.fixScriptPath(fix.script), this.store.lastResult?.host.isElevated);
	}

	async copy(checkId: string, fixId: string): Promise<void> {
		const plan = this.plan(checkId, fixId);
		if (!plan.ok) {
			void vscode.window.showWarningMessage(plan.reason);
			return;
		}
		await vscode.env.clipboard.writeText(plan.command.commandLine);
		const missing = plan.command.ready ? '' : ` Give ${plan.command.missing.map((n) => `-${n}`).join(', ')} a value before you run it.`;
		void vscode.window.showInformationMessage(`Copied the command of "${plan.fix.title}".${missing}`);
	}

	async run(checkId: string, fixId: string): Promise<void> {
		const plan = this.plan(checkId, fixId);
		if (!plan.ok) {
			void vscode.window.showWarningMessage(plan.reason);
			return;
		}
		if (!plan.command.ready) {
			const pick = await vscode.window.showWarningMessage(
				`"${plan.fix.title}" needs a value for ${plan.command.missing.map((n) => `-${n}`).join(', ')} that this diagnosis did not find. Copy the command, complete it and run it yourself.`,
				'Copy Command',
			);
			if (pick === 'Copy Command') {
				await this.copy(checkId, fixId);
			}
			return;
		}
		const elevatedChoice = plan.needsElevation && canElevate() ? 'Run Elevated' : undefined;
		const choices = plan.needsElevation ? [elevatedChoice, 'Copy Command'].filter((c): c is string => c !== undefined) : ['Run in Terminal'];
		const detail = plan.needsElevation && !elevatedChoice
			? `${plan.confirmation.detail}\n\nRun it in an elevated PowerShell on the server: copy the command, open PowerShell as Administrator there and paste it. Then re-run the check.`
			: plan.confirmation.detail;
		const pick = await vscode.window.showWarningMessage(plan.confirmation.message, { modal: true, detail }, ...choices);
		if (pick === 'Copy Command') {
			await this.copy(checkId, fixId);
			return;
		}
		if (pick === 'Run Elevated') {
			await this.runElevated(plan);
			return;
		}
		if (pick !== 'Run in Terminal') {
			this.log.info(`Fix "${fixId}" not run: the confirmation was dismissed.`);
			return;
		}
		this.log.info(`Running fix "${fixId}" of "${checkId}" after confirmation.`);
		const sent = await this.diagnosis.sendToTerminal(plan.command.commandLine);
		if (!sent) {
			return;
		}
		if (!sent.ended) {
			// Without shell integration the end of the command cannot be seen: let the admin say when.
			const again = await vscode.window.showInformationMessage(
				`"${plan.fix.title}" was sent to the terminal. When it has finished, re-run the check to see whether it worked.`,
				'Re-run Check',
			);
			if (again) {
				await this.diagnosis.diagnose([checkId]);
			}
			return;
		}
		const ended = await Promise.race([sent.ended, sent.closed.then(() => undefined)]);
		if (!ended) {
			void vscode.window.showWarningMessage(`The terminal was closed while "${plan.fix.title}" ran. Re-run the check to see what changed.`);
			return;
		}
		if (ended.exitCode !== undefined && ended.exitCode !== 0) {
			void vscode.window.showWarningMessage(`"${plan.fix.title}" ended with exit code ${ended.exitCode}; read its error in the terminal. The check runs again to show the current state.`);
		}
		await this.diagnosis.diagnose([checkId]);
	}

	private async runElevated(plan: Extract<FixPlan, { ok: true }>): Promise<void> {
		const commandLine = buildElevatedInvocation('powershell.exe', this.diagnosis.fixScriptPath(plan.fix.script), plan.command.args);
		const sent = await this.diagnosis.sendToTerminal(commandLine);
		if (!sent) {
			return;
		}
		// The elevated window runs on its own; only the admin sees when it is done.
		const again = await vscode.window.showInformationMessage(
			`"${plan.fix.title}" runs in the elevated window (accept the UAC prompt). When it has finished, re-run the check.`,
			'Re-run Check',
		);
		if (again) {
			await this.diagnosis.diagnose([plan.check.id]);
		}
	}
}
