/**
 * The result file's JSON schema and its validation. The schema is the contract with the PowerShell entry script
 * (docs/architecture.md); anything that does not match is reported as a malformed result, never trusted.
 */
import Ajv, { ErrorObject } from 'ajv';
import type { CheckResult, DiagnosisResult, ServersResult } from './types';

const scalar = { type: ['string', 'number', 'boolean', 'null'] };

/** The parameters a run was given, as a result file records them (a run on several servers adds its time limit). */
const parametersRequired = ['cloud', 'eventDays', 'checkTimeoutSeconds', 'networkTimeoutSeconds', 'checks'];
const parametersProperties = {
	cloud: { enum: ['public', 'usgov'] },
	eventDays: { type: 'integer' },
	checkTimeoutSeconds: { type: 'integer' },
	networkTimeoutSeconds: { type: 'integer' },
	wizardAccount: { type: 'string' },
	checks: { type: 'array', items: { type: 'string' } },
};

export const resultSchema = {
	$id: 'provisioning-agent-doctor/result-v1',
	type: 'object',
	required: ['schemaVersion', 'tool', 'startedAt', 'finishedAt', 'host', 'parameters', 'fatal', 'checks'],
	properties: {
		schemaVersion: { const: 1 },
		tool: { const: 'provisioning-agent-doctor' },
		startedAt: { type: 'string', minLength: 1 },
		finishedAt: { type: 'string', minLength: 1 },
		host: {
			type: 'object',
			required: ['computerName', 'isWindows', 'psVersion', 'psEdition', 'isElevated', 'userName'],
			properties: {
				computerName: { type: 'string' },
				isWindows: { type: 'boolean' },
				psVersion: { type: 'string' },
				psEdition: { type: 'string' },
				isElevated: { type: ['boolean', 'null'] },
				userName: { type: 'string' },
			},
		},
		parameters: { type: 'object', required: parametersRequired, properties: parametersProperties },
		fatal: {
			anyOf: [
				{ type: 'null' },
				{
					type: 'object',
					required: ['code', 'message'],
					properties: { code: { enum: ['not-windows', 'unexpected'] }, message: { type: 'string' } },
				},
			],
		},
		checks: {
			type: 'array',
			items: {
				type: 'object',
				required: ['id', 'status', 'failureIds', 'evidence', 'error', 'durationMs'],
				properties: {
					id: { type: 'string', minLength: 1 },
					status: { enum: ['pass', 'fail', 'warning', 'unknown', 'manual', 'notApplicable'] },
					failureIds: { type: 'array', items: { type: 'string' } },
					evidence: {
						type: 'object',
						additionalProperties: {
							anyOf: [
								scalar,
								{ type: 'array', items: { anyOf: [scalar, { type: 'object', additionalProperties: scalar }] } },
								{ type: 'object', additionalProperties: scalar },
							],
						},
					},
					error: { type: ['string', 'null'] },
					durationMs: { type: 'number' },
				},
			},
		},
	},
} as const;

let validator: ReturnType<Ajv['compile']> | undefined;

function getValidator(): ReturnType<Ajv['compile']> {
	validator ??= new Ajv({
		allErrors: true,
		// Stryker disable next-line BooleanLiteral: strict mode only checks the schema itself when it compiles, and this schema passes it.
		strict: true,
		allowUnionTypes: true,
	}).compile(resultSchema);
	return validator;
}

export type ParseOutcome =
	| { readonly ok: true; readonly result: DiagnosisResult }
	| { readonly ok: false; readonly reason: string };

function describeErrors(errors: readonly ErrorObject[] | null | undefined): string {
	// Stryker disable ConditionalExpression,BlockStatement,StringLiteral: Ajv always gives errors when validation fails; this is a guard.
	if (!errors || errors.length === 0) {
		return 'it does not match the expected format';
	}
	// Stryker restore ConditionalExpression,BlockStatement,StringLiteral
	return errors.slice(0, 5).map(describeError).join('; ');
}

function describeError(e: ErrorObject): string {
	// Stryker disable next-line StringLiteral: Ajv's errors always carry a message; the fallback is a guard.
	const message = e.message ?? 'is invalid';
	return `${e.instancePath || '(root)'} ${message}`;
}

/** The JSON of a result file, or why there is none. A leading BOM is tolerated (Windows editors add one). */
function readResultJson(text: string): { readonly ok: true; readonly data: unknown } | { readonly ok: false; readonly reason: string } {
	const trimmed = text.replace(/^\uFEFF/, '');
	if (trimmed.trim().length === 0) {
		return { ok: false, reason: 'The result file is empty.' };
	}
	try {
		return { ok: true, data: JSON.parse(trimmed) as unknown };
	} catch (error) {
		return { ok: false, reason: `The result file is not valid JSON (${(error as Error).message}).` };
	}
}

/** Parses and validates the text of a result file. */
export function parseDiagnosisResult(text: string): ParseOutcome {
	const json = readResultJson(text);
	if (!json.ok) {
		return json;
	}
	const data = json.data;
	const validate = getValidator();
	if (!validate(data)) {
		return { ok: false, reason: `The result file does not match the expected format: ${describeErrors(validate.errors)}.` };
	}
	return { ok: true, result: data as DiagnosisResult };
}

let checkValidator: ReturnType<Ajv['compile']> | undefined;

/**
 * The complete lines of a progress file (the entry script's -ProgressPath: one check result per line, appended as
 * each check ends). A line still being written has no line break yet and waits for the next read; a line that is not
 * a valid check result is skipped (`skipped` counts it), since progress only previews what the result file says.
 */
export function parseCheckProgress(text: string): { readonly checks: CheckResult[]; readonly skipped: number } {
	// Stryker disable next-line BooleanLiteral: only whether a line is valid is read, never the errors; strict only checks the schema when it compiles, and this one passes.
	checkValidator ??= new Ajv({ allErrors: false, strict: true, allowUnionTypes: true }).compile(resultSchema.properties.checks.items);
	const end = text.lastIndexOf('\n') + 1;
	const checks: CheckResult[] = [];
	let skipped = 0;
	for (const line of text.slice(0, end).split('\n')) {
		if (line.trim().length === 0) {
			continue;
		}
		try {
			const data: unknown = JSON.parse(line.replace(/^\uFEFF/, ''));
			if (checkValidator(data)) {
				checks.push(data as CheckResult);
			} else {
				skipped++;
			}
		} catch {
			skipped++;
		}
	}
	return { checks, skipped };
}

/** Schema 2: a run on several servers. Each server's own result is a schema-1 result, checked by that schema. */
export const serversResultSchema = {
	$id: 'provisioning-agent-doctor/result-v2',
	type: 'object',
	required: ['schemaVersion', 'tool', 'startedAt', 'finishedAt', 'fatal', 'servers'],
	properties: {
		schemaVersion: { const: 2 },
		tool: { const: 'provisioning-agent-doctor' },
		startedAt: { type: 'string', minLength: 1 },
		finishedAt: { type: 'string', minLength: 1 },
		// What every server was asked to run: a server's own parameters, and the run's overall time limit.
		parameters: { type: 'object', required: parametersRequired, properties: { ...parametersProperties, remoteTimeoutSeconds: { type: 'integer' } } },
		fatal: {
			anyOf: [{ type: 'null' }, { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } }],
		},
		servers: {
			type: 'array',
			items: {
				type: 'object',
				required: ['server', 'transport', 'status', 'error', 'nextStep', 'durationMs', 'result'],
				properties: {
					server: { type: 'string', minLength: 1 },
					transport: { enum: ['WinRM', 'SSH'] },
					status: { enum: ['ok', 'unreachable', 'connectFailed', 'timeout', 'powershell-too-old', 'error'] },
					error: { type: ['string', 'null'] },
					nextStep: { type: ['string', 'null'] },
					durationMs: { type: 'number' },
					result: { anyOf: [{ type: 'null' }, { $ref: 'result-v1' }] },
				},
			},
		},
	},
} as const;

let serversValidator: ReturnType<Ajv['compile']> | undefined;

export type ServersParseOutcome = { readonly ok: true; readonly result: ServersResult } | { readonly ok: false; readonly reason: string };

/**
 * Parses and validates the result file of a run on several servers. A server that says "ok" must have sent a result,
 * and one that did not must say why: anything else is malformed.
 */
export function parseServersResult(text: string): ServersParseOutcome {
	const json = readResultJson(text);
	if (!json.ok) {
		return json;
	}
	const data = json.data;
	serversValidator ??= new Ajv({ allErrors: true, strict: true, allowUnionTypes: true, schemas: [resultSchema] }).compile(serversResultSchema);
	if (!serversValidator(data)) {
		return { ok: false, reason: `The result file does not match the expected format: ${describeErrors(serversValidator.errors)}.` };
	}
	const result = data as ServersResult;
	for (const [i, entry] of result.servers.entries()) {
		if ((entry.status === 'ok') !== (entry.result !== null)) {
			return { ok: false, reason: `The result file does not match the expected format: /servers/${i} is "${entry.status}" ${entry.result ? 'with' : 'without'} a result.` };
		}
		if (entry.status !== 'ok' && !entry.error) {
			return { ok: false, reason: `The result file does not match the expected format: /servers/${i} failed without saying why.` };
		}
	}
	return { ok: true, result };
}
