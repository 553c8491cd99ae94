import * as vscode from 'vscode';
import { categories, checks } from '../checks/catalogue';
import { Commands, ContextKeys, Views } from '../constants';
import { describeOpenedReport } from '../diagnosis/runOutcome';
import { describeOutcome } from '../diagnosis/runOutcome';
import type { ResultsStore } from '../diagnosis/resultsStore';
import { buildTree, CategoryNodeModel, CheckNodeModel, NodeStatus } from './treeModel';

export type TreeNode = CategoryNodeModel | CheckNodeModel;

const icons: Readonly<Record<NodeStatus, vscode.ThemeIcon>> = {
	pass: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
	fail: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
	warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
	unknown: new vscode.ThemeIcon('question', new vscode.ThemeColor('list.warningForeground')),
	manual: new vscode.ThemeIcon('person'),
	notApplicable: new vscode.ThemeIcon('circle-slash'),
	running: new vscode.ThemeIcon('loading~spin'),
	notRun: new vscode.ThemeIcon('circle-large-outline'),
};

/**
 * What a click on a check does: a problem (failed, warning, could not check) or a manual check opens its panel, where
 * the cause and the fix are; a passing or not-applicable check runs again; a running one does nothing. The inline
 * actions offer both either way.
 */
export function clickCommand(element: CheckNodeModel, readOnly = false): vscode.Command | undefined {
	if (readOnly) {
		// An opened report runs nothing here: every check with a result opens its panel.
		return element.status === 'notRun' ? undefined : { command: Commands.showFailure, title: 'Show Details', arguments: [element.id] };
	}
	switch (element.status) {
		case 'fail':
		case 'warning':
		case 'unknown':
		case 'manual':
			return { command: Commands.showFailure, title: 'Show Failure', arguments: [element.id] };
		case 'running':
			return undefined;
		default:
			return { command: Commands.runCheck, title: 'Run Check Again', arguments: [element.id] };
	}
}

/**
 * The Prerequisite Checks tree: categories → checks. It only reads the store; building the models is pure
 * (treeModel.ts). Until the first run it is empty, so the view shows its welcome content.
 */
export class ChecksTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
	private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
	readonly onDidChangeTreeData = this.changed.event;
	private readonly view: vscode.TreeView<TreeNode>;
	private readonly subscription: { dispose(): void };
	private roots: CategoryNodeModel[] = [];

	constructor(private readonly store: ResultsStore) {
		this.view = vscode.window.createTreeView(Views.checks, { treeDataProvider: this, showCollapseAll: true });
		this.subscription = store.onDidChange(() => this.refresh());
	}

	/** Snapshot of what the tree shows, for tests and reports. */
	snapshot(): Array<{ id: string; label: string; description: string; status: NodeStatus; children?: unknown[] }> {
		return this.model().map((c) => ({
			id: c.id,
			label: c.label,
			description: c.description,
			status: c.status,
			children: c.children.map((k) => ({ id: k.id, label: k.label, description: k.description, status: k.status })),
		}));
	}

	private model(): CategoryNodeModel[] {
		return this.store.hasRun ? buildTree(categories, checks, { results: this.store.results, running: this.store.running, changes: this.store.changes, elevated: this.store.lastResult?.host.isElevated }) : [];
	}

	private wasRunning = false;

	private refresh(): void {
		const finished = this.wasRunning && !this.store.isRunning;
		this.wasRunning = this.store.isRunning;
		this.roots = this.model();
		const failures = this.roots.reduce((n, c) => n + c.children.filter((k) => k.status === 'fail').length, 0);
		this.view.badge = failures > 0 ? { value: failures, tooltip: `${failures} failed check(s)` } : undefined;
		const last = this.store.lastOutcome;
		const report = this.store.report;
		this.view.description = report ? `Report: ${report.computerName}` : undefined;
		this.view.message = report
			? describeOpenedReport(report)
			: last && !this.store.isRunning
				? describeOutcome(last, this.store.results).treeMessage
				: undefined;
		void vscode.commands.executeCommand('setContext', ContextKeys.reportOpen, report !== undefined);
		this.changed.fire(undefined);
		if (finished) {
			void this.revealProblems();
		}
	}

	/**
	 * After a run, opens every category with a problem and selects the first problem. The collapsible state of a
	 * TreeItem applies only the first time VS Code sees its id, so the expansion is asked for through reveal.
	 */
	private async revealProblems(): Promise<void> {
		if (!this.view.visible) {
			return;
		}
		try {
			// The model marks the categories that hold a problem as expanded; VS Code needs to be told.
			const open = this.roots.filter((c) => c.expanded);
			for (const category of open) {
				await this.view.reveal(category, { expand: true, select: false, focus: false });
			}
			const first = open.flatMap((c) => c.children).find((k) => k.status === 'fail' || k.status === 'warning' || k.status === 'unknown');
			if (first) {
				await this.view.reveal(first, { select: true, focus: false });
			}
		} catch (error) {
			// The view may have been closed or refreshed again meanwhile; the next run tries again.
			void error;
		}
	}

	getChildren(element?: TreeNode): TreeNode[] {
		if (!element) {
			this.roots = this.model();
			return this.roots;
		}
		return element.kind === 'category' ? [...element.children] : [];
	}

	getParent(element: TreeNode): TreeNode | undefined {
		return element.kind === 'check' ? this.roots.find((c) => c.id === element.categoryId) : undefined;
	}

	getTreeItem(element: TreeNode): vscode.TreeItem {
		if (element.kind === 'category') {
			const item = new vscode.TreeItem(
				element.label,
				element.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
			);
			item.id = `category:${element.id}`;
			item.description = element.description;
			item.iconPath = icons[element.status];
			item.contextValue = `category;${element.status};`;
			item.accessibilityInformation = { label: element.accessibilityLabel };
			return item;
		}
		const item = new vscode.TreeItem(element.label, vscode.TreeItemCollapsibleState.None);
		item.id = `check:${element.id}`;
		item.description = element.description;
		item.tooltip = new vscode.MarkdownString(element.tooltip);
		item.iconPath = icons[element.status];
		item.contextValue = `check;${element.status};`;
		item.accessibilityInformation = { label: element.accessibilityLabel };
		item.command = clickCommand(element, this.store.report !== undefined);
		return item;
	}

	dispose(): void {
		this.subscription.dispose();
		this.changed.dispose();
		this.view.dispose();
	}
}
