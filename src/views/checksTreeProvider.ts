import * as vscode from 'vscode';
import { categories, checks } from '../checks/catalogue';
import { Commands, ContextKeys, Views } from '../constants';
import { describeOpenedReport } from '../diagnosis/runOutcome';
import { describeOutcome } from '../diagnosis/runOutcome';
import type { ResultsStore } from '../diagnosis/resultsStore';
import { buildServerTree, buildTree, CategoryNodeModel, CheckNodeModel, NodeStatus, ServerNodeModel } from './treeModel';

export type TreeNode = ServerNodeModel | CategoryNodeModel | CheckNodeModel;

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
	private roots: Array<ServerNodeModel | CategoryNodeModel> = [];
	/** After a run on several servers: which server each category and check node belongs to (for ids and clicks). */
	private serverOf = new WeakMap<TreeNode, ServerNodeModel>();

	constructor(private readonly store: ResultsStore) {
		this.view = vscode.window.createTreeView(Views.checks, { treeDataProvider: this, showCollapseAll: true });
		this.subscription = store.onDidChange(() => this.refresh());
	}

	/** Snapshot of what the tree shows, for tests and reports. */
	snapshot(): Array<{ id: string; label: string; description: string; status: NodeStatus; children?: unknown[] }> {
		const shot = (n: TreeNode): { id: string; label: string; description: string; status: NodeStatus; children?: unknown[] } =>
			n.kind === 'check' ? { id: n.id, label: n.label, description: n.description, status: n.status } : { id: n.id, label: n.label, description: n.description, status: n.status, children: n.children.map(shot) };
		return this.model().map(shot);
	}

	private model(): Array<ServerNodeModel | CategoryNodeModel> {
		if (!this.store.hasRun) {
			return [];
		}
		const servers = this.store.servers;
		if (servers) {
			const roots = buildServerTree(servers, categories, checks);
			const serverOf = new WeakMap<TreeNode, ServerNodeModel>();
			for (const server of roots) {
				for (const category of server.children) {
					serverOf.set(category, server);
					for (const check of category.children) {
						serverOf.set(check, server);
					}
				}
			}
			this.serverOf = serverOf;
			return roots;
		}
		return buildTree(categories, checks, { results: this.store.results, running: this.store.running, changes: this.store.changes, elevated: this.store.lastResult?.host.isElevated });
	}

	/** Every check node shown, under whichever server or category. */
	private allChecks(): CheckNodeModel[] {
		return this.roots.flatMap((r) => (r.kind === 'server' ? r.children.flatMap((c) => c.children) : r.children));
	}

	private wasRunning = false;

	private refresh(): void {
		const finished = this.wasRunning && !this.store.isRunning;
		this.wasRunning = this.store.isRunning;
		this.roots = this.model();
		const failures = this.allChecks().filter((k) => k.status === 'fail').length;
		this.view.badge = failures > 0 ? { value: failures, tooltip: `${failures} failed check(s)` } : undefined;
		const last = this.store.lastOutcome;
		const report = this.store.report;
		const servers = this.store.servers;
		this.view.description = report ? `Report: ${report.computerName}` : servers ? `${servers.length} ${servers.length === 1 ? 'server' : 'servers'}` : undefined;
		this.view.message = report
			? describeOpenedReport(report)
			: last && !this.store.isRunning
				? describeOutcome(last, this.store.results).treeMessage
				: undefined;
		void vscode.commands.executeCommand('setContext', ContextKeys.reportOpen, report !== undefined);
		void vscode.commands.executeCommand('setContext', ContextKeys.serversShown, (this.store.servers?.filter((s) => s.result !== null).length ?? 0) >= 2);
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
			// The model marks the servers and categories that hold a problem as expanded; VS Code needs to be told.
			const openRoots = this.roots.filter((c) => c.expanded);
			const open: CategoryNodeModel[] = [];
			for (const root of openRoots) {
				await this.view.reveal(root, { expand: true, select: false, focus: false });
				if (root.kind === 'server') {
					for (const category of root.children.filter((c) => c.expanded)) {
						await this.view.reveal(category, { expand: true, select: false, focus: false });
						open.push(category);
					}
				} else {
					open.push(root);
				}
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
		return element.kind === 'check' ? [] : [...element.children];
	}

	getParent(element: TreeNode): TreeNode | undefined {
		const server = this.serverOf.get(element);
		if (element.kind === 'server') {
			return undefined;
		}
		if (element.kind === 'category') {
			return server;
		}
		const categoriesShown = server ? server.children : this.roots.filter((r): r is CategoryNodeModel => r.kind === 'category');
		return categoriesShown.find((c) => c.id === element.categoryId);
	}

	getTreeItem(element: TreeNode): vscode.TreeItem {
		const server = this.serverOf.get(element);
		// Ids are unique in the whole tree: under a server, a category's and a check's id carry the server's.
		const prefix = server ? `server:${server.id}/` : '';
		if (element.kind === 'server') {
			const item = new vscode.TreeItem(
				element.label,
				element.children.length === 0 ? vscode.TreeItemCollapsibleState.None : element.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
			);
			item.id = `server:${element.id}`;
			item.description = element.description;
			item.tooltip = new vscode.MarkdownString(element.tooltip);
			item.iconPath = element.children.length === 0 ? new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('list.warningForeground')) : icons[element.status];
			item.contextValue = `server;${element.status};`;
			item.accessibilityInformation = { label: element.accessibilityLabel };
			if (element.children.length === 0) {
				item.command = { command: Commands.showServerProblem, title: 'Show Why', arguments: [element.id] };
			}
			return item;
		}
		if (element.kind === 'category') {
			const item = new vscode.TreeItem(
				element.label,
				element.expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
			);
			item.id = `${prefix}category:${element.id}`;
			item.description = element.description;
			item.iconPath = icons[element.status];
			item.contextValue = `category;${element.status};`;
			item.accessibilityInformation = { label: element.accessibilityLabel };
			return item;
		}
		const item = new vscode.TreeItem(element.label, vscode.TreeItemCollapsibleState.None);
		item.id = `${prefix}check:${element.id}`;
		item.description = element.description;
		item.tooltip = new vscode.MarkdownString(element.tooltip);
		item.iconPath = icons[element.status];
		item.contextValue = `check;${element.status};`;
		item.accessibilityInformation = { label: element.accessibilityLabel };
		item.command = server
			? element.status === 'notRun'
				? undefined
				: { command: Commands.showServerCheck, title: 'Show Details', arguments: [server.id, element.id] }
			: clickCommand(element, this.store.report !== undefined);
		if (server) {
			// The inline re-run and fix actions are for this machine's checks: a server's row has none.
			item.contextValue = `serverCheck;${element.status};`;
		}
		return item;
	}

	dispose(): void {
		this.subscription.dispose();
		this.changed.dispose();
		this.view.dispose();
	}
}
