import type { StatementRecord } from './ledger';

/** Records kept per workflow: about three years of daily statements of one shop. */
export const LEDGER_LIMIT = 1200;

/** The newest `limit` records by statement date (ties by id), so the ledger in the workflow's static data stays small. */
export function keptRecords(records: Record<string, StatementRecord>, limit: number): Record<string, StatementRecord> {
	const entries = Object.entries(records).sort(([idA, a], [idB, b]) =>
		a.date !== b.date ? (a.date < b.date ? -1 : 1) : idA < idB ? -1 : idA > idB ? 1 : 0,
	);
	return Object.fromEntries(entries.slice(Math.max(0, entries.length - limit)));
}
