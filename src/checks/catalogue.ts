/**
 * The catalogue, loaded from its data files in src/catalogue (every check, failure, fix, message and source the user
 * reads). The same files are read by the PowerShell entry script and probes, the tests and the e2e harness; this
 * module only types them, resolves their references and offers lookups. The data is validated against the schemas in
 * src/catalogue/schema by the unit tests, not at run time.
 *
 * No `vscode` import and no I/O: the JSON is bundled.
 */

import sourcesFile from '../catalogue/sources.json';
import messagesFile from '../catalogue/messages.json';
import permissionsFile from '../catalogue/checks/permissions.json';
import serverFile from '../catalogue/checks/server.json';
import domainFile from '../catalogue/checks/domain.json';
import gmsaFile from '../catalogue/checks/gmsa.json';
import serviceFile from '../catalogue/checks/service.json';
import eventlogFile from '../catalogue/checks/eventlog.json';
import installerFile from '../catalogue/checks/installer.json';
import networkFile from '../catalogue/checks/network.json';
import type { Category, CategoryId, CheckDefinition, CheckNote, Failure, Fix, Message, SourceLink } from './types';

// ---------------------------------------------------------------------------------------------------------------------
// The shapes of the files (see the schemas); references are ids here and objects after loading.

type Scalar = string | number | boolean | null;

interface NoteData {
	readonly when?: { readonly evidence: string; readonly equals: Scalar };
	readonly text: string;
	readonly sources?: readonly string[];
	readonly unverified?: string;
}

interface FailureData {
	readonly id: string;
	readonly severity: Failure['severity'];
	readonly title: string;
	readonly cause: string;
	readonly steps: readonly string[];
	readonly caveats?: readonly string[];
	readonly fixes?: readonly string[];
	readonly sources: readonly string[];
	readonly unverified?: string;
}

interface CheckData {
	readonly id: string;
	readonly title: string;
	readonly verifies: string;
	readonly probe: { readonly function: string } | null;
	readonly needsElevation?: boolean;
	readonly passText: string;
	readonly notApplicableText?: string;
	readonly manualSteps?: readonly string[];
	readonly evidence?: Readonly<Record<string, string>>;
	readonly notes?: readonly NoteData[];
	readonly failures: readonly FailureData[];
	readonly sources: readonly string[];
}

type FixData = Omit<Fix, 'sources'> & { readonly sources: readonly string[] };

interface CategoryFile {
	readonly category: { readonly id: CategoryId; readonly title: string; readonly order: number };
	readonly checks: readonly CheckData[];
	readonly fixes?: readonly FixData[];
}

type MessageData = Omit<Message, 'sources' | 'examples'> & { readonly sources: readonly string[]; readonly examples?: readonly string[] };

// ---------------------------------------------------------------------------------------------------------------------
// Loading

// Stryker disable MethodExpression,ArithmeticOperator: the imports are listed in order already; the sort keeps each file's "order" the authority if the list is ever edited.
const categoryFiles = [permissionsFile, serverFile, domainFile, gmsaFile, serviceFile, eventlogFile, installerFile, networkFile]
	.map((file) => file as unknown as CategoryFile)
	.sort((a, b) => a.category.order - b.category.order);
// Stryker restore MethodExpression,ArithmeticOperator

const sourcesById = new Map<string, SourceLink>(
	Object.entries((sourcesFile as unknown as { sources: Record<string, Omit<SourceLink, 'id'>> }).sources).map(([id, s]) => [id, { id, ...s }]),
);

function resolveSources(ids: readonly string[] | undefined, where: string): SourceLink[] {
	// Stryker disable next-line ArrayDeclaration: every source list in the data is present (the schemas require it), so the default is never used.
	return (ids ?? []).map((id) => {
		const source = sourcesById.get(id);
		if (!source) {
			// Stryker disable next-line StringLiteral: a load-time guard against bad data; catalogue.test proves every cited source exists, so it never runs.
			throw new Error(`${where} cites the unknown source "${id}"`);
		}
		return source;
	});
}

function loadNote(note: NoteData, where: string): CheckNote {
	return { when: note.when, text: note.text, sources: resolveSources(note.sources, where), unverified: note.unverified };
}

function loadFailure(failure: FailureData, checkId: string): Failure {
	return {
		id: failure.id,
		checkId,
		severity: failure.severity,
		title: failure.title,
		cause: failure.cause,
		steps: failure.steps,
		caveats: failure.caveats ?? [],
		fixIds: failure.fixes ?? [],
		sources: resolveSources(failure.sources, failure.id),
		unverified: failure.unverified,
	};
}

function loadCheck(check: CheckData, category: CategoryId): CheckDefinition {
	return {
		id: check.id,
		category,
		title: check.title,
		verifies: check.verifies,
		probe: check.probe?.function,
		passText: check.passText,
		notApplicableText: check.notApplicableText,
		manualSteps: check.manualSteps,
		needsElevation: check.needsElevation === true,
		evidence: check.evidence ?? {},
		notes: (check.notes ?? []).map((n) => loadNote(n, check.id)),
		failures: check.failures.map((f) => loadFailure(f, check.id)),
		sources: resolveSources(check.sources, check.id),
	};
}

export const categories: readonly Category[] = categoryFiles.map((file) => ({ id: file.category.id, title: file.category.title }));

/** Every check, in tree order: categories by their order, checks in file order. */
export const checks: readonly CheckDefinition[] = categoryFiles.flatMap((file) => file.checks.map((c) => loadCheck(c, file.category.id)));

export const fixes: readonly Fix[] = categoryFiles.flatMap((file) =>
	(file.fixes ?? []).map((fix) => ({ ...fix, sources: resolveSources(fix.sources, fix.id) })),
);

export const messages: readonly Message[] = (messagesFile as unknown as { messages: readonly MessageData[] }).messages.map((m) => ({
	...m,
	examples: m.examples ?? [],
	sources: resolveSources(m.sources, m.id),
}));

export const sources: readonly SourceLink[] = [...sourcesById.values()];

// ---------------------------------------------------------------------------------------------------------------------
// Lookups

const checksById = new Map(checks.map((check) => [check.id, check]));
const failuresById = new Map<string, { readonly check: CheckDefinition; readonly failure: Failure }>(
	checks.flatMap((check) => check.failures.map((failure) => [failure.id, { check, failure }] as const)),
);
const fixesById = new Map(fixes.map((fix) => [fix.id, fix]));
const messagesById = new Map(messages.map((message) => [message.id, message]));

export function findCheck(id: string): CheckDefinition | undefined {
	return checksById.get(id);
}

/** Finds a failure by its catalogue-wide id, together with the check that produces it. */
export function findFailure(failureId: string): { readonly check: CheckDefinition; readonly failure: Failure } | undefined {
	return failuresById.get(failureId);
}

export function findFix(id: string): Fix | undefined {
	return fixesById.get(id);
}

export function findMessage(id: string): Message | undefined {
	return messagesById.get(id);
}

export function findSource(id: string): SourceLink | undefined {
	return sourcesById.get(id);
}
