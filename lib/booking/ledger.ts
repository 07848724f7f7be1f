/**
 * What was booked, per statement: a fingerprint of the statement's booking-relevant content and the net amounts
 * its lines put on each account pair. Stored once the delivery of a DATEV file was confirmed (Mark as Booked), it
 * lets a later run recognise a statement TikTok changed and book only the difference, or reverse it exactly.
 *
 * Why net amounts per account pair and not the lines: a statement can have 100,000 lines, while its buckets (account,
 * contra account, tax key, EU destination) are a few dozen, so the record stays small enough for the workflow's
 * static data. The price: a correction is booked as one delta line per bucket, not line by line (lib/booking/README.md).
 */
import type { BookingLine, DebitCredit } from '../booking-line';
import type { StatementInput } from './input';

export interface BookedBucket {
	account: string;
	contraAccount: string;
	taxKey: string;
	euCountry?: string;
	euTaxRate?: number;
	/** Net of the bucket's lines, debit (S) positive, in minor units of the statement's currency. */
	netMinor: number;
}

export interface StatementRecord {
	statementId: string;
	fingerprint: string;
	currency: string;
	/** Belegdatum of the statement's lines. */
	date: string;
	/** TikTok's settlement amount of the version that was booked. */
	settlementMinor: number;
	paymentId: string;
	buckets: BookedBucket[];
}

/*
 * Fingerprint: 2 × 32-bit FNV-1a lanes (different offsets) over a canonical text of the statement, 16 hex digits.
 * Not cryptographic; it only has to tell versions of one statement apart. Payment id and status are left out: a
 * statement that gets paid out is the same booking, not a changed one. Transactions are sorted by id so the paging
 * order cannot make a statement look changed.
 */
function canonical(value: unknown): string {
	if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	const record = value as Record<string, unknown>;
	const keys = Object.keys(record)
		.filter((key) => record[key] !== undefined)
		.sort();
	return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`).join(',')}}`;
}

function fnv1a(text: string, offset: number): number {
	let hash = offset;
	for (let index = 0; index < text.length; index++) {
		hash ^= text.charCodeAt(index);
		hash = Math.imul(hash, 0x01000193);
	}
	return hash >>> 0;
}

export function statementFingerprint(statement: StatementInput): string {
	const transactions = [...statement.transactions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	const text = canonical({
		id: statement.id,
		currency: statement.currency,
		time: statement.time,
		settlementMinor: statement.settlementMinor,
		totalSettlementMinor: statement.totalSettlementMinor,
		totalReserveMinor: statement.totalReserveMinor,
		transactions,
	});
	const lanes = [fnv1a(text, 0x811c9dc5), fnv1a(text, 0x050c5d1f)];
	return lanes.map((lane) => lane.toString(16).padStart(8, '0')).join('');
}

function bucketKey(bucket: Omit<BookedBucket, 'netMinor'>): string {
	return [bucket.account, bucket.contraAccount, bucket.taxKey, bucket.euCountry ?? '', bucket.euTaxRate ?? ''].join('|');
}

/** Net amounts per bucket of a statement's lines, in a stable order (by bucket key). */
export function bucketsOf(lines: Iterable<BookingLine>): BookedBucket[] {
	const byKey = new Map<string, BookedBucket>();
	for (const line of lines) {
		const signed = (line.side === 'S' ? 1 : -1) * (line.generalReversal ? -1 : 1) * line.amountMinor;
		const shape = {
			account: line.account,
			contraAccount: line.contraAccount,
			taxKey: line.taxKey,
			...(line.euCountry === undefined ? {} : { euCountry: line.euCountry }),
			...(line.euTaxRate === undefined ? {} : { euTaxRate: line.euTaxRate }),
		};
		const key = bucketKey(shape);
		const bucket = byKey.get(key);
		if (bucket) bucket.netMinor += signed;
		else byKey.set(key, { ...shape, netMinor: signed });
	}
	return [...byKey.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, bucket]) => bucket);
}

export function statementRecord(
	statement: Pick<StatementInput, 'id' | 'currency' | 'settlementMinor' | 'paymentId'>,
	fingerprint: string,
	date: string,
	lines: Iterable<BookingLine>,
): StatementRecord {
	return {
		statementId: statement.id,
		fingerprint,
		currency: statement.currency,
		date,
		settlementMinor: statement.settlementMinor,
		paymentId: statement.paymentId,
		buckets: bucketsOf(lines),
	};
}

export interface CorrectionContext {
	/** Belegdatum of the correction lines: the day of the run, so they fall into the period being exported. */
	date: string;
	/** The statement's payout id if it has one (Abrechnungsreferenz, as on every other line of the statement). */
	paymentId: string;
}

function line(
	bucket: Omit<BookedBucket, 'netMinor'>,
	orientation: DebitCredit,
	amountMinor: number,
	reversal: boolean,
	fields: { statementId: string; currency: string; date: string; text: string; reference: string; component: string },
): BookingLine {
	return {
		amountMinor,
		currency: fields.currency,
		side: orientation,
		account: bucket.account,
		contraAccount: bucket.contraAccount,
		taxKey: bucket.taxKey,
		date: fields.date,
		documentField1: fields.statementId,
		documentField2: '',
		text: fields.text,
		orderNumber: '',
		settlementReference: fields.reference,
		...(bucket.euCountry === undefined ? {} : { euCountry: bucket.euCountry }),
		...(bucket.euTaxRate === undefined ? {} : { euTaxRate: bucket.euTaxRate }),
		...(reversal ? { generalReversal: true } : {}),
		source: { kind: 'statement', statementId: fields.statementId, component: fields.component },
	};
}

/**
 * The lines that take the books from `previous` to `current`: per bucket the change of its net amount. A change in
 * the bucket's own direction is an ordinary line; a change against it is written on the same side with
 * Generalumkehr, so DATEV treats it as a (partial) Storno of the earlier booking and corrects the tax base with it.
 */
export function correctionLines(previous: StatementRecord, current: StatementRecord, context: CorrectionContext): BookingLine[] {
	const old = new Map(previous.buckets.map((bucket) => [bucketKey(bucket), bucket]));
	const now = new Map(current.buckets.map((bucket) => [bucketKey(bucket), bucket]));
	const keys = [...new Set([...old.keys(), ...now.keys()])].sort();
	const fields = {
		statementId: current.statementId,
		currency: current.currency,
		date: context.date,
		text: `Korrektur Abrechnung ${current.statementId}`,
		reference: context.paymentId || current.statementId,
		component: 'correction',
	};
	const lines: BookingLine[] = [];
	for (const key of keys) {
		const before = old.get(key);
		const after = now.get(key);
		const delta = (after?.netMinor ?? 0) - (before?.netMinor ?? 0);
		if (delta === 0) continue;
		const bucket = (before ?? after) as BookedBucket;
		// The bucket's direction: how it was booked before, or how it is booked now if it is new or was zero.
		const direction = before && before.netMinor !== 0 ? Math.sign(before.netMinor) : Math.sign(after?.netMinor ?? delta) || Math.sign(delta);
		const orientation: DebitCredit = direction > 0 ? 'S' : 'H';
		lines.push(line(bucket, orientation, Math.abs(delta), Math.sign(delta) !== direction, fields));
	}
	return lines;
}

/** Every bucket of a record reversed with Generalumkehr, dated like the original: the Storno batch of a correction run. */
export function reversalLines(record: StatementRecord): BookingLine[] {
	const fields = {
		statementId: record.statementId,
		currency: record.currency,
		date: record.date,
		text: `Storno Abrechnung ${record.statementId}`,
		reference: record.paymentId || record.statementId,
		component: 'reversal',
	};
	return record.buckets
		.filter((bucket) => bucket.netMinor !== 0)
		.map((bucket) => line(bucket, bucket.netMinor > 0 ? 'S' : 'H', Math.abs(bucket.netMinor), true, fields));
}

/** The net a set of lines puts on one account (as Konto or Gegenkonto), debit positive; for checks and tests. */
export function netOnAccount(lines: Iterable<BookingLine>, account: string): number {
	let net = 0;
	for (const entry of lines) {
		const signed = (entry.side === 'S' ? 1 : -1) * (entry.generalReversal ? -1 : 1) * entry.amountMinor;
		if (entry.account === account) net += signed;
		if (entry.contraAccount === account) net -= signed;
	}
	return net;
}
