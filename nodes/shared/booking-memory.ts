import { NodeOperationError, sleep, type IDataObject, type IExecuteFunctions, type ICheckProcessedOptions } from 'n8n-workflow';

import type { StatementRecord } from '../../lib/booking';
import { keptRecords, LEDGER_LIMIT } from '../../lib/booking/ledger-store';

/*
 * A workflow's booking memory, shared by Map to SKR Bookings (reads) and Mark as Booked (writes):
 * - what was delivered: keys in n8n's deduplication store, workflow scope. It lives in n8n's database, apart from
 *   the workflow's static data, so a trigger's or another execution's save of static data cannot undo it, and in
 *   queue mode main and every worker see the same store;
 * - what was booked per statement (the ledger): in the workflow's static data, because the deduplication store
 *   keeps only hashes. It is a cache for corrections: where it is lost, a changed statement is reported instead of
 *   corrected, never booked twice.
 */

const STORE: ICheckProcessedOptions = { mode: 'entries' };
const LEDGER_KEY = 'tiktokPaymentsLedger';
/** Recorded with the first ledger: static data without a ledger after that was not loaded (a queue-mode worker). */
const LEDGER_CREATED = 'ledger:created';

interface Ledger {
	statements: Record<string, StatementRecord>;
}

/**
 * How long Mark as Booked waits before it checks its keys again. n8n's store reads a workflow's whole list, changes
 * it and writes it back, without a lock: an execution of the same workflow that read the list just before our write
 * (Map to SKR Bookings' look-up does) writes back a list without our keys some milliseconds later. Seen in real n8n
 * when two triggers of one workflow emit at the same poll; 2 s is far longer than such a read-modify-write takes.
 */
export const RECHECK_AFTER_MS = 2000;

/**
 * One retry for the store's first write of a workflow: two executions that both find no list yet both insert one,
 * and the second fails on the table's unique key (SQLite "UNIQUE constraint failed", PostgreSQL "duplicate key").
 */
async function stored<T>(context: IExecuteFunctions, call: () => Promise<T>): Promise<T> {
	const first = await call().then(
		(value) => ({ value }),
		(error: unknown) => ({ error }),
	);
	if ('value' in first) return first.value;
	if (!/UNIQUE constraint|duplicate key/i.test((first.error as Error)?.message ?? '')) {
		throw new NodeOperationError(context.getNode(), first.error as Error, { description: "n8n's deduplication store failed" });
	}
	await sleep(250);
	return await call();
}

/**
 * The store's calls of one workflow, one after the other within this n8n process: its read-modify-write would
 * otherwise let one execution's write drop another's keys. (Across processes, in queue mode, the re-check of
 * recordDelivered is what is left.)
 */
const storeTurns = new Map<string, Promise<unknown>>();

async function inTurn<T>(context: IExecuteFunctions, work: () => Promise<T>): Promise<T> {
	const workflowId = String(context.getWorkflow().id ?? '');
	const before = storeTurns.get(workflowId) ?? Promise.resolve();
	const turn = before.then(work, work);
	const settled = turn.then(
		() => undefined,
		() => undefined,
	);
	storeTurns.set(workflowId, settled);
	try {
		return await turn;
	} finally {
		if (storeTurns.get(workflowId) === settled) storeTurns.delete(workflowId);
	}
}

/** Which of `keys` are recorded, without recording them: the store only offers check-and-record, so undo the new. */
export async function deliveredKeys(context: IExecuteFunctions, keys: string[]): Promise<Set<string>> {
	if (keys.length === 0) return new Set();
	return await inTurn(context, async () => {
		const result = await stored(context, () => context.helpers.checkProcessedAndRecord(keys, 'workflow', STORE));
		if (result.new.length > 0) await stored(context, () => context.helpers.removeProcessed(result.new, 'workflow', STORE));
		return new Set(result.processed.map(String));
	});
}

/** Records delivered keys; returns how many were recorded before. Checks again later, since the store does not lock. */
export async function recordDelivered(context: IExecuteFunctions, keys: string[]): Promise<{ recorded: number; before: number }> {
	if (keys.length === 0) return { recorded: 0, before: 0 };
	const first = await inTurn(context, () => stored(context, () => context.helpers.checkProcessedAndRecord(keys, 'workflow', STORE)));
	// Puts back what a concurrent read-modify-write of another process dropped meanwhile; a no-op otherwise.
	await sleep(RECHECK_AFTER_MS);
	await inTurn(context, () => stored(context, () => context.helpers.checkProcessedAndRecord(keys, 'workflow', STORE)));
	return { recorded: first.new.length, before: first.processed.length };
}

function ledgerOf(context: IExecuteFunctions): Ledger | undefined {
	const data = context.getWorkflowStaticData('global') as IDataObject;
	const ledger = data[LEDGER_KEY] as Ledger | undefined;
	return ledger && typeof ledger === 'object' && ledger.statements && typeof ledger.statements === 'object' ? ledger : undefined;
}

export function readLedger(context: IExecuteFunctions): Map<string, StatementRecord> {
	const ledger = ledgerOf(context);
	if (!ledger) return new Map();
	return new Map(Object.entries(ledger.statements));
}

/**
 * Keeps the records of delivered statements in the ledger (newest LEDGER_LIMIT). Returns a warning when this
 * execution cannot see the workflow's static data, because writing then would overwrite the whole ledger.
 */
export async function writeLedger(context: IExecuteFunctions, records: StatementRecord[]): Promise<string | undefined> {
	if (records.length === 0) return undefined;
	const data = context.getWorkflowStaticData('global') as IDataObject;
	const ledger = ledgerOf(context);
	// Manual runs: n8n does not keep their static data, so they must not claim the ledger was created.
	if (!ledger && context.getMode() !== 'manual') {
		const created = await inTurn(context, () => stored(context, () => context.helpers.checkProcessedAndRecord([LEDGER_CREATED], 'workflow', STORE)));
		if (created.processed.length > 0) {
			return (
				'the booking ledger of this workflow is not available in this execution (n8n queue mode runs executions on ' +
				'workers without the workflow data): what was delivered is recorded, but what was booked per statement is ' +
				'not, so a statement TikTok changes later is reported instead of corrected'
			);
		}
	}
	const statements = { ...(ledger?.statements ?? {}) };
	for (const record of records) statements[record.statementId] = record;
	data[LEDGER_KEY] = { statements: keptRecords(statements, LEDGER_LIMIT) } satisfies Ledger;
	return undefined;
}

/** Version 0.1's memory: keys in Map to SKR Bookings' own static data. Read only, so nothing booked then is booked again. */
export function legacyBookedKeys(context: IExecuteFunctions): string[] {
	const data = context.getWorkflowStaticData('node') as IDataObject;
	return Array.isArray(data.booked) ? data.booked.filter((key): key is string => typeof key === 'string') : [];
}
