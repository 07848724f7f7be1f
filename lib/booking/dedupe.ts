/**
 * Duplicate protection. DATEV does not de-duplicate imports, so a statement or payment must be booked once.
 * The node keeps the keys of what it booked (workflow static data); these pure functions decide what to skip and
 * which keys to keep. The node should store `remember` only after the file was written.
 */
import type { PaymentInput, StatementInput, StatementSource } from './input';
import { isBookablePayment } from './payment-rules';

export type SourceKind = 'statement' | 'payment';

export interface SkippedSource {
	kind: SourceKind;
	id: string;
	key: string;
	/** n8n item index the source came from. */
	item: number;
	reason: 'already booked' | 'duplicate in input' | 'not paid';
	message: string;
}

/** The key stored per booked source: 'statement:<id>' or 'payment:<id>'. */
export function bookingKey(kind: SourceKind, id: string): string {
	return `${kind}:${id}`;
}

/** Keeps the stored list bounded: the oldest keys go first. Statements older than this are not re-fetched anyway. */
export const DEFAULT_REMEMBER_LIMIT = 10000;

export interface DedupeOptions {
	/** Book everything again (after the adviser deleted the imported batch). */
	rebook?: boolean;
	limit?: number;
}

/** Statements (perhaps deferred) and payments. */
export interface SourceLists<S extends StatementSource = StatementInput> {
	statements: S[];
	payments: PaymentInput[];
}

export interface DedupePlan<S extends StatementSource = StatementInput> {
	/** What is left to book. */
	input: SourceLists<S>;
	skipped: SkippedSource[];
	/** Keys to store once the booking was written: the old ones plus the new, newest last, at most `limit`. */
	remember: string[];
}

function skip(kind: SourceKind, source: StatementSource | PaymentInput, reason: SkippedSource['reason']): SkippedSource {
	const what = reason === 'already booked' ? 'was booked in an earlier run (use "rebook" to book it again)' : 'appears more than once in the input; the first is booked';
	return {
		kind,
		id: source.id,
		key: bookingKey(kind, source.id),
		item: source.item,
		reason,
		message: `${kind} ${source.id} (item ${source.item}) ${what}`,
	};
}

function select<T extends StatementSource | PaymentInput>(
	kind: SourceKind,
	sources: readonly T[],
	booked: ReadonlySet<string> | undefined,
	skipped: SkippedSource[],
): T[] {
	const seen = new Set<string>();
	const kept: T[] = [];
	for (const source of sources) {
		const key = bookingKey(kind, source.id);
		if (seen.has(key)) {
			skipped.push(skip(kind, source, 'duplicate in input'));
		} else if (booked?.has(key)) {
			seen.add(key);
			skipped.push(skip(kind, source, 'already booked'));
		} else {
			seen.add(key);
			kept.push(source);
		}
	}
	return kept;
}

/** Drops repeated statements and payments inside one input (the first occurrence wins). */
export function withoutDuplicates<S extends StatementSource>(input: {
	statements: readonly S[];
	payments: readonly PaymentInput[];
}): { input: SourceLists<S>; skipped: SkippedSource[] } {
	const skipped: SkippedSource[] = [];
	const statements = select('statement', input.statements, undefined, skipped);
	const payments = select('payment', input.payments, undefined, skipped);
	return { input: { statements, payments }, skipped };
}

export function planBooking<S extends StatementSource>(
	input: { statements: readonly S[]; payments: readonly PaymentInput[] },
	alreadyBooked: readonly string[],
	options: DedupeOptions = {},
): DedupePlan<S> {
	const limit = options.limit ?? DEFAULT_REMEMBER_LIMIT;
	if (!Number.isInteger(limit) || limit < 1) {
		throw new RangeError(`limit must be a positive integer, got ${limit}`);
	}
	const booked = options.rebook ? undefined : new Set(alreadyBooked);
	const skipped: SkippedSource[] = [];
	const statements = select('statement', input.statements, booked, skipped);
	const payments = select('payment', input.payments, booked, skipped);
	// A payment that is not paid yet is not booked now, so it must not be remembered either.
	const newKeys = [
		...statements.map((statement) => bookingKey('statement', statement.id)),
		...payments.filter(isBookablePayment).map((payment) => bookingKey('payment', payment.id)),
	];
	const fresh = new Set(newKeys);
	const remember = [...new Set([...alreadyBooked.filter((key) => !fresh.has(key)), ...newKeys])];
	return { input: { statements, payments }, skipped, remember: remember.slice(-limit) };
}
