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
import type { StatementInput, TransactionInput } from './input';

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
 *
 * The canonical text is JSON with the keys of every object sorted and undefined values left out. It is fed to the
 * hash piece by piece, never built: a big day's statement would make a string of tens of megabytes.
 * test/booking/dedupe.test.ts checks it against a generic canonical JSON of the same values.
 */
class Fnv1a {
	private a = 0x811c9dc5;
	private b = 0x050c5d1f;
	private readonly digits = new Uint8Array(16);

	add(text: string): void {
		let a = this.a;
		let b = this.b;
		for (let index = 0; index < text.length; index++) {
			const code = text.charCodeAt(index);
			a = Math.imul(a ^ code, 0x01000193);
			b = Math.imul(b ^ code, 0x01000193);
		}
		this.a = a;
		this.b = b;
	}

	/** `,"key":` (or `{"key":` first): the keys below are plain ASCII words. */
	key(name: string, first = false): void {
		this.add(first ? '{"' : ',"');
		this.add(name);
		this.add('":');
	}

	value(value: string | number): void {
		// JSON's own text, without JSON.stringify for what needs no escaping (integers, ids, plain words).
		if (typeof value === 'number') {
			if (Number.isSafeInteger(value)) this.integer(value);
			else this.add(Number.isFinite(value) ? String(value) : 'null');
		} else if (isPlainJsonText(value)) {
			this.add('"');
			this.add(value);
			this.add('"');
		} else this.add(JSON.stringify(value));
	}

	/** The characters of String(value) for a safe integer, without making the string (amounts are most values). */
	private integer(value: number): void {
		if (value < 0) this.add('-');
		let rest = Math.abs(value);
		let a = this.a;
		let b = this.b;
		// Digits come lowest first from the remainder (exact for integers), then are hashed in writing order.
		const digits = this.digits;
		let count = 0;
		do {
			const digit = rest % 10;
			digits[count++] = digit;
			rest = (rest - digit) / 10;
		} while (rest > 0);
		while (count > 0) {
			const code = 0x30 + digits[--count];
			a = Math.imul(a ^ code, 0x01000193);
			b = Math.imul(b ^ code, 0x01000193);
		}
		this.a = a;
		this.b = b;
	}

	hex(): string {
		return [this.a, this.b].map((lane) => (lane >>> 0).toString(16).padStart(8, '0')).join('');
	}
}

/** Text JSON writes as it is between quotes: printable ASCII without `"` and `\\`. */
function isPlainJsonText(text: string): boolean {
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return false;
	}
	return true;
}

/** A transaction, keys in sorted order (adjustmentId … type), undefined values left out. */
function addTransaction(hash: Fnv1a, transaction: TransactionInput): void {
	hash.key('adjustmentId', true);
	hash.value(transaction.adjustmentId);
	if (transaction.adjustmentMinor !== undefined) {
		hash.key('adjustmentMinor');
		hash.value(transaction.adjustmentMinor);
	}
	hash.key('customerShippingMinor');
	hash.value(transaction.customerShippingMinor);
	hash.key('feeBreakdown');
	hash.add('[');
	const breakdown = transaction.feeBreakdown;
	for (let index = 0; index < breakdown.length; index++) {
		const component = breakdown[index];
		if (index > 0) hash.add(',');
		hash.key('group', true);
		hash.value(component.group);
		hash.key('minor');
		hash.value(component.minor);
		hash.key('name');
		hash.value(component.name);
		hash.add('}');
	}
	hash.add(']');
	hash.key('feeTaxMinor');
	hash.value(transaction.feeTaxMinor);
	hash.key('id');
	hash.value(transaction.id);
	if (transaction.orderCreateTime !== undefined) {
		hash.key('orderCreateTime');
		hash.value(transaction.orderCreateTime);
	}
	hash.key('orderId');
	hash.value(transaction.orderId);
	hash.key('reserveMinor');
	hash.value(transaction.reserveMinor);
	hash.key('reserveStatus');
	hash.value(transaction.reserveStatus);
	hash.key('revenueMinor');
	hash.value(transaction.revenueMinor);
	hash.key('settlementMinor');
	hash.value(transaction.settlementMinor);
	hash.key('shippingMinor');
	hash.value(transaction.shippingMinor);
	hash.key('type');
	hash.value(transaction.type);
	hash.add('}');
}

export function statementFingerprint(statement: StatementInput): string {
	const transactions = [...statement.transactions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	const hash = new Fnv1a();
	hash.key('currency', true);
	hash.value(statement.currency);
	hash.key('id');
	hash.value(statement.id);
	hash.key('settlementMinor');
	hash.value(statement.settlementMinor);
	hash.key('time');
	hash.value(statement.time);
	if (statement.totalReserveMinor !== undefined) {
		hash.key('totalReserveMinor');
		hash.value(statement.totalReserveMinor);
	}
	if (statement.totalSettlementMinor !== undefined) {
		hash.key('totalSettlementMinor');
		hash.value(statement.totalSettlementMinor);
	}
	hash.key('transactions');
	hash.add('[');
	for (let index = 0; index < transactions.length; index++) {
		if (index > 0) hash.add(',');
		addTransaction(hash, transactions[index]);
	}
	hash.add(']}');
	return hash.hex();
}

function bucketKey(bucket: Omit<BookedBucket, 'netMinor'>): string {
	return [bucket.account, bucket.contraAccount, bucket.taxKey, bucket.euCountry ?? '', bucket.euTaxRate ?? ''].join('|');
}

/** Net amounts per bucket, added up line by line (a statement's lines come in pages). */
/** What a line does to its Konto, debit positive; a Generalumkehr line counts negative on its side. */
export function signedMinor(line: Pick<BookingLine, 'side' | 'amountMinor' | 'generalReversal'>): number {
	return (line.side === 'S' ? 1 : -1) * (line.generalReversal ? -1 : 1) * line.amountMinor;
}

export class BucketTotals {
	/** Buckets by account → contra account → tax key → EU country|rate: no key text per line (most lines find theirs). */
	private readonly byFields = new Map<string, Map<string, Map<string, Map<string, BookedBucket>>>>();
	private readonly all: BookedBucket[] = [];

	add(line: BookingLine): void {
		const signed = signedMinor(line);
		const byEu = childMap(childMap(childMap(this.byFields, line.account), line.contraAccount), line.taxKey);
		// The tail of bucketKey's text ('|' for none: most lines).
		const euKey = line.euCountry === undefined && line.euTaxRate === undefined ? '|' : `${line.euCountry ?? ''}|${line.euTaxRate ?? ''}`;
		const bucket = byEu.get(euKey);
		if (bucket) {
			bucket.netMinor += signed;
			return;
		}
		const created: BookedBucket = {
			account: line.account,
			contraAccount: line.contraAccount,
			taxKey: line.taxKey,
			...(line.euCountry === undefined ? {} : { euCountry: line.euCountry }),
			...(line.euTaxRate === undefined ? {} : { euTaxRate: line.euTaxRate }),
			netMinor: signed,
		};
		byEu.set(euKey, created);
		this.all.push(created);
	}

	/** In a stable order (by bucket key). */
	buckets(): BookedBucket[] {
		return this.all
			.map((bucket) => [bucketKey(bucket), bucket] as const)
			.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
			.map(([, bucket]) => bucket);
	}
}

/** The map under `key`, made on first use. */
function childMap<V>(parent: Map<string, Map<string, V>>, key: string): Map<string, V> {
	let child = parent.get(key);
	if (!child) {
		child = new Map<string, V>();
		parent.set(key, child);
	}
	return child;
}

/** Net amounts per bucket of a statement's lines, in a stable order (by bucket key). */
export function bucketsOf(lines: Iterable<BookingLine>): BookedBucket[] {
	const totals = new BucketTotals();
	for (const line of lines) totals.add(line);
	return totals.buckets();
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
		const signed = signedMinor(entry);
		if (entry.account === account) net += signed;
		if (entry.contraAccount === account) net -= signed;
	}
	return net;
}
