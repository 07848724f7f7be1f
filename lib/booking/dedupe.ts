/**
 * Duplicate protection. DATEV does not de-duplicate imports, so a statement or payment must be booked once. What
 * counts as booked is what a workflow's Mark as Booked step recorded after the delivery succeeded (n8n's
 * deduplication store); these pure functions decide from that what to book, skip or correct.
 */
import { loadStatement, type OrderInput, type PaymentInput, type StatementSource } from './input';
import { statementFingerprint, type StatementRecord } from './ledger';

export type SourceKind = 'statement' | 'payment';

export interface SkippedSource {
	kind: SourceKind;
	id: string;
	key: string;
	/** n8n item index the source came from. */
	item: number;
	reason: 'already booked' | 'duplicate in input' | 'not paid' | 'changed, previous booking unknown' | 'previous booking unknown';
	message: string;
}

/** The key stored per booked source: 'statement:<id>' or 'payment:<id>'. */
export function bookingKey(kind: SourceKind, id: string): string {
	return `${kind}:${id}`;
}

export interface DeliveredState {
	/**
	 * The keys Mark as Booked recorded for this workflow: 'statement:<id>' (some version was delivered),
	 * 'statement:<id>#<fingerprint>' (this version was delivered), 'superseded:<id>#<fingerprint>' (a correction
	 * replaced that version), 'payment:<id>'. Only the keys asked for need to be present.
	 */
	delivered: ReadonlySet<string>;
	/** Keys version 0.1 kept in the node's static data ('statement:<id>', 'payment:<id>'): booked, content unknown. */
	legacy?: ReadonlySet<string>;
	/** What was booked per statement, as far as the workflow's ledger still has it. */
	records?: ReadonlyMap<string, StatementRecord>;
}

export interface DedupeOptions {
	/** Book everything again in full (after the adviser deleted the imported batch). */
	rebook?: boolean;
	/** Correction run: reverse what was booked for each statement and book it again in full. */
	correction?: boolean;
}

/** Statements (perhaps deferred: see scanBookingInput), payments and order details. */
export interface SourceLists<S extends StatementSource = StatementSource> {
	statements: S[];
	payments: PaymentInput[];
	orders?: OrderInput[];
}

export interface Correction<S extends StatementSource = StatementSource> {
	statement: S;
	previous: StatementRecord;
}

export interface DedupePlan<S extends StatementSource = StatementSource> {
	/** What is left to book in full. */
	input: SourceLists<S>;
	/** Statements booked before in another version: only the difference to `previous` is booked. */
	corrections: Array<Correction<S>>;
	/** Correction run: what is reversed (the Storno batch); the statements are in `input` too. */
	reversals: StatementRecord[];
	skipped: SkippedSource[];
	/** Fingerprint of every statement in the input, by id. */
	fingerprints: Map<string, string>;
}

/** The key recorded when this version of a statement was delivered. */
export function versionKey(statementId: string, fingerprint: string): string {
	return `statement:${statementId}#${fingerprint}`;
}

/** The key recorded when a correction replaced the booked version `fingerprint`. */
export function supersededKey(statementId: string, fingerprint: string): string {
	return `superseded:${statementId}#${fingerprint}`;
}

/**
 * The keys of a plan's first delivery look-up (after `withoutDuplicates`): each source's own key and the versions
 * the ledger knows. The key of a statement's current version (versionKey with its fingerprint) is looked up in a
 * second step, only for the statements found delivered: fingerprinting parses all of a statement's transactions.
 */
export function deliveryProbeKeys(
	input: { statements: readonly StatementSource[]; payments: readonly PaymentInput[] },
	records?: ReadonlyMap<string, StatementRecord>,
): string[] {
	const keys: string[] = [];
	for (const statement of input.statements) {
		keys.push(bookingKey('statement', statement.id));
		const record = records?.get(statement.id);
		if (record) keys.push(versionKey(statement.id, record.fingerprint), supersededKey(statement.id, record.fingerprint));
	}
	for (const payment of input.payments) keys.push(bookingKey('payment', payment.id));
	return [...new Set(keys)];
}

/** Fingerprints by statement id; a deferred statement is parsed for it (and not kept). */
export function fingerprintsOf(input: { statements: readonly StatementSource[] }): Map<string, string> {
	return new Map(input.statements.map((statement) => [statement.id, statementFingerprint(loadStatement(statement))]));
}

const SKIP_TEXT: Record<SkippedSource['reason'], string> = {
	'already booked': 'was booked in an earlier run (use "rebook" to book it again)',
	'duplicate in input': 'appears more than once in the input; the first is booked',
	'not paid': 'is not paid yet; it is booked once it is PAID',
	'changed, previous booking unknown':
		'changed since it was booked, but this workflow no longer knows what was booked for it (its ledger in the ' +
		'workflow data was lost or overwritten, e.g. in queue mode): nothing is booked for it, so that nothing is ' +
		'booked twice. Book the difference by hand, or delete its earlier batch in DATEV and run with "rebook"',
	'previous booking unknown':
		'cannot be reversed: this workflow no longer knows what was booked for it. It is left out of the correction run',
};

function skip(kind: SourceKind, source: StatementSource | PaymentInput, reason: SkippedSource['reason']): SkippedSource {
	const what = SKIP_TEXT[reason];
	return {
		kind,
		id: source.id,
		key: bookingKey(kind, source.id),
		item: source.item,
		reason,
		message: `${kind} ${source.id} (item ${source.item}) ${what}`,
	};
}

function select<T extends StatementSource | PaymentInput>(kind: SourceKind, sources: readonly T[], skipped: SkippedSource[]): T[] {
	const seen = new Set<string>();
	const kept: T[] = [];
	for (const source of sources) {
		const key = bookingKey(kind, source.id);
		if (seen.has(key)) {
			skipped.push(skip(kind, source, 'duplicate in input'));
		} else {
			seen.add(key);
			kept.push(source);
		}
	}
	return kept;
}

/** Drops repeated statements and payments inside one input (the first occurrence wins). */
export function withoutDuplicates<S extends StatementSource>(input: SourceLists<S>): { input: SourceLists<S>; skipped: SkippedSource[] } {
	const skipped: SkippedSource[] = [];
	const statements = select('statement', input.statements, skipped);
	const payments = select('payment', input.payments, skipped);
	return { input: { ...input, statements, payments }, skipped };
}

/**
 * What a run books, given what was delivered before: new sources in full, unchanged ones not at all, a statement
 * TikTok changed after its delivery as the difference to the delivered version, if the ledger still knows that
 * version. If it does not, the statement is reported and not booked: booking it in full would book it twice.
 */
export function planBooking<S extends StatementSource>(
	input: SourceLists<S>,
	state: DeliveredState,
	options: DedupeOptions & {
		/** Fingerprints computed already (a streaming caller computes them while it checks the statements). */
		fingerprints?: Map<string, string>;
	} = {},
): DedupePlan<S> {
	const unique = withoutDuplicates(input);
	const skipped = [...unique.skipped];
	const fingerprints = options.fingerprints ?? fingerprintsOf(unique.input);
	const delivered = (key: string): boolean => state.delivered.has(key) || (state.legacy?.has(key) ?? false);
	const knownRecord = (id: string): StatementRecord | undefined => {
		const record = state.records?.get(id);
		// A record counts only for a version that was delivered and not replaced since: a ledger put back to an
		// older state by a concurrent save must not make a run book a difference twice.
		if (!record || !state.delivered.has(versionKey(id, record.fingerprint))) return undefined;
		return state.delivered.has(supersededKey(id, record.fingerprint)) ? undefined : record;
	};
	const statements: S[] = [];
	const corrections: Array<Correction<S>> = [];
	const reversals: StatementRecord[] = [];
	for (const statement of unique.input.statements) {
		const fingerprint = fingerprints.get(statement.id) ?? '';
		const booked = delivered(bookingKey('statement', statement.id));
		if (options.correction) {
			const record = knownRecord(statement.id);
			if (record) {
				reversals.push(record);
				statements.push(statement);
			} else if (booked) {
				skipped.push(skip('statement', statement, 'previous booking unknown'));
			} else {
				statements.push(statement);
			}
		} else if (options.rebook || !booked) {
			statements.push(statement);
		} else if (state.delivered.has(versionKey(statement.id, fingerprint)) || state.legacy?.has(bookingKey('statement', statement.id))) {
			skipped.push(skip('statement', statement, 'already booked'));
		} else {
			const previous = knownRecord(statement.id);
			if (previous) corrections.push({ statement, previous });
			else skipped.push(skip('statement', statement, 'changed, previous booking unknown'));
		}
	}
	const payments: PaymentInput[] = [];
	for (const payment of unique.input.payments) {
		// A correction run replaces statements; payouts are not reversed, so a delivered one stays as it is.
		if (!options.rebook && delivered(bookingKey('payment', payment.id))) {
			skipped.push(skip('payment', payment, 'already booked'));
		} else {
			payments.push(payment);
		}
	}
	return { input: { ...unique.input, statements, payments }, corrections, reversals, skipped, fingerprints };
}
