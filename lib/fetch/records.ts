import { compactStatementItem } from '../booking/input';
import { epochToIso, statementCoveredDay } from '../period';
import type { ShopIdentity, TikTokClient } from '../tiktok/client';
import type { TikTokPayment, TikTokStatement, TikTokTransaction } from '../tiktok/schemas';

/*
 * Output records as users see them in the editor: TikTok's objects unchanged (ids as strings, amounts as TikTok's
 * decimal strings) plus `<field>_iso` next to every epoch, so nobody has to convert Unix seconds by hand.
 */

export type JsonRecord = { [key: string]: unknown };

const EPOCH_FIELDS = ['statement_time', 'create_time', 'paid_time', 'order_create_time', 'order_delivery_time'];

export function withIsoTimes<T extends object>(record: T): T & JsonRecord {
	return addIsoTimes({ ...(record as JsonRecord) }) as T & JsonRecord;
}

/** withIsoTimes on a record of our own making, without copying it again. */
function addIsoTimes(record: JsonRecord): JsonRecord {
	for (const field of EPOCH_FIELDS) {
		if (field in record) {
			const iso = epochToIso(record[field] as number);
			if (iso) record[`${field}_iso`] = iso;
		}
	}
	return record;
}

/** A statement with every transaction of all pages: the item Map to SKR Bookings books. */
export interface StatementWithTransactions extends JsonRecord {
	id: string;
	statement_time: number;
	currency: string;
	settlement_amount: string;
	covered_day: string;
	transactions: JsonRecord[];
}

/**
 * 'raw': TikTok's objects as they come. 'compact': only the fields Map to SKR Bookings books (the booking input
 * schema's fields), plus the `_iso` times and covered_day a bookkeeper reads.
 */
export type StatementShape = 'raw' | 'compact';

export async function statementWithTransactions(
	client: TikTokClient,
	statement: TikTokStatement,
	shape: StatementShape = 'raw',
): Promise<StatementWithTransactions> {
	if (shape === 'compact') {
		// Compacted page by page as the pages come: only one page of TikTok's full transaction objects (~100 fields
		// each) is held per statement while several statements are fetched side by side. The projection is per
		// transaction, so the item is the one compacting the whole statement at once gives (client.sandbox.test.ts).
		const { transactions, ...totals } = await client.statementWithTransactions(statement.id, compactTransactions);
		const compact = compactStatementItem({ ...totals, ...statement, transactions: [] }) as JsonRecord;
		return withIsoTimes({ ...compact, covered_day: statementCoveredDay(statement.statement_time), transactions }) as StatementWithTransactions;
	}
	const detail = await client.statementWithTransactions(statement.id);
	const { transactions, ...totals } = detail;
	// Keep the list statement's own fields authoritative (status, payment id); add the detail's totals.
	const merged = withIsoTimes({
		...totals,
		...statement,
		covered_day: statementCoveredDay(statement.statement_time),
		transactions: transactions.map((transaction) => withIsoTimes(transaction)),
	});
	return merged as StatementWithTransactions;
}

/** One page's transactions as *Booking Input (Compact)* has them (the statement projection keeps only what is given). */
function compactTransactions(transactions: TikTokTransaction[]): JsonRecord[] {
	const compact = compactStatementItem({ transactions }) as { transactions: JsonRecord[] };
	// The projection's transactions are new objects (checked records, see isPlainRecord in prunedTransaction).
	for (const transaction of compact.transactions) addIsoTimes(transaction);
	return compact.transactions;
}

/**
 * The record with the shop it belongs to (`shop_id`, `shop_name`), so that one authorization's shops stay apart
 * downstream: Map to SKR Bookings names the DATEV file after `shop_name`. Without a known shop: unchanged.
 */
export function withShop<T extends object>(record: T, shop: ShopIdentity | undefined): T | (T & { shop_id: string; shop_name: string }) {
	return shop ? { ...record, shop_id: shop.id, shop_name: shop.name } : record;
}

export function paymentRecord(payment: TikTokPayment): JsonRecord {
	return withIsoTimes(payment);
}

/** Yields at most `limit` values of an async iterable (all when limit is undefined), then stops paging. */
export async function* take<T>(source: AsyncIterable<T>, limit: number | undefined): AsyncGenerator<T> {
	if (limit !== undefined && limit <= 0) return;
	let count = 0;
	for await (const value of source) {
		yield value;
		count += 1;
		if (limit !== undefined && count >= limit) return;
	}
}
