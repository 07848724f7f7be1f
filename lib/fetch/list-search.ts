import { epochToIso, statementCoveredDay } from '../period';
import type { TikTokClient } from '../tiktok/client';
import type { TikTokShop, TikTokStatement } from '../tiktok/schemas';

/*
 * The editor's resource-locator lists ("From list") for Statement ID and Order ID, without n8n: a filter and a page
 * token in, named values and the next token out. TikTok has no search endpoints for either, so the filter is matched
 * here against what the listing returns, and each call makes a bounded number of requests.
 */

export interface ListSearchItem {
	name: string;
	value: string;
}

export interface ListSearchPage {
	results: ListSearchItem[];
	/** Absent when there is nothing more to load. */
	paginationToken?: string;
}

/** What the ID mode accepts: TikTok's statement and order ids are decimal numbers (18–19 digits in practice). */
export const TIKTOK_ID_REGEX = '[0-9]{6,25}';

/** A filter this long and all digits is taken as a complete order id and looked up directly. */
const COMPLETE_ORDER_ID = /^[0-9]{16,25}$/;

/** Matches found before a call stops fetching more pages, and the most requests one call makes. */
const ENOUGH_RESULTS = 20;
const MAX_REQUESTS = 5;

function matches(filter: string | undefined, ...texts: string[]): boolean {
	const wanted = (filter ?? '').trim().toLowerCase();
	return wanted === '' || texts.some((text) => text.toLowerCase().includes(wanted));
}

/** "2026-10-31 · 1234.56 EUR · PAID": the day the statement covers, its settlement amount and payout status. */
export function statementLabel(statement: TikTokStatement): string {
	const status = statement.payment_status || 'no payout status';
	return `${statementCoveredDay(statement.statement_time)} · ${statement.settlement_amount} ${statement.currency} · ${status}`;
}

/**
 * Recent statements, newest first. The filter matches the label (e.g. "2026-10" or "PROCESSING") or the id. The
 * pagination token is TikTok's own next_page_token of the same listing.
 */
export async function searchStatements(
	client: TikTokClient,
	filter?: string,
	paginationToken?: string,
): Promise<ListSearchPage> {
	const results: ListSearchItem[] = [];
	let requests = 0;
	let next: string | undefined;
	for await (const page of client.statementPages({ sort_order: 'DESC' }, paginationToken)) {
		requests += 1;
		for (const statement of page.statements) {
			const name = statementLabel(statement);
			if (matches(filter, name, statement.id)) results.push({ name, value: statement.id });
		}
		next = page.next_page_token || undefined;
		if (results.length >= ENOUGH_RESULTS || requests >= MAX_REQUESTS) break;
	}
	return { results, paginationToken: next };
}

/** Where the order listing continues: the n-th newest statement and a page of its transactions. */
interface OrderCursor {
	statement: number;
	transactions?: string;
}

function readCursor(token: string | undefined): OrderCursor {
	if (!token) return { statement: 0 };
	try {
		const parsed = JSON.parse(token) as Partial<OrderCursor>;
		if (Number.isInteger(parsed.statement) && (parsed.statement ?? -1) >= 0) {
			return { statement: parsed.statement as number, transactions: typeof parsed.transactions === 'string' ? parsed.transactions : undefined };
		}
	} catch {
		// Not ours (an editor from another version): start again.
	}
	return { statement: 0 };
}

function orderLabel(orderId: string, createTime: number | undefined, amount: string | undefined, currency: string): string {
	const date = epochToIso(createTime)?.slice(0, 10) ?? 'no order date';
	return `${orderId} · ${date} · ${amount ?? '?'} ${currency}`;
}

/**
 * Orders by id: a complete order id is looked up with Get Transactions by Order (so any settled order can be
 * found); otherwise the settled orders of the most recent statements (up to 100), newest statement first, filtered
 * by the typed part of the id.
 */
export async function searchOrders(client: TikTokClient, filter?: string, paginationToken?: string): Promise<ListSearchPage> {
	const wanted = (filter ?? '').trim();
	if (COMPLETE_ORDER_ID.test(wanted)) {
		const order = await client.orderTransactions(wanted);
		return { results: [{ name: orderLabel(order.order_id, order.order_create_time, order.settlement_amount, order.currency), value: order.order_id }] };
	}
	const statements = (await firstPage(client.statementPages({ sort_order: 'DESC' }))).statements;
	const results: ListSearchItem[] = [];
	const seen = new Set<string>();
	let requests = 1;
	let position: OrderCursor | undefined = readCursor(paginationToken);
	while (position !== undefined && results.length < ENOUGH_RESULTS && requests < MAX_REQUESTS) {
		const current: OrderCursor = position;
		const statement = statements[current.statement];
		if (statement === undefined) {
			position = undefined;
			break;
		}
		const page = await firstPage(client.statementTransactions(statement.id, {}, current.transactions));
		requests += 1;
		for (const transaction of page.transactions) {
			const orderId = transaction.order_id;
			if (!orderId || seen.has(orderId) || !matches(wanted, orderId)) continue;
			seen.add(orderId);
			results.push({ name: orderLabel(orderId, transaction.order_create_time, transaction.settlement_amount, page.currency), value: orderId });
		}
		if (page.next_page_token) position = { statement: current.statement, transactions: page.next_page_token };
		else position = current.statement + 1 < statements.length ? { statement: current.statement + 1 } : undefined;
	}
	return { results, paginationToken: position ? JSON.stringify(position) : undefined };
}

/** The first page of a listing (every listing yields at least one); stops the paging there. */
async function firstPage<T>(pages: AsyncGenerator<T>): Promise<T> {
	const first = await pages.next();
	await pages.return(undefined);
	return first.value as T;
}

/** "Naturkosmetik DE · DE · 7495…": what the Shop list shows; the value is the shop id (the cipher stays hidden). */
export function shopLabel(shop: Pick<TikTokShop, 'id' | 'name' | 'region'>): string {
	return `${shop.name} · ${shop.region} · ${shop.id}`;
}

/** The shops of the authorization (one request: TikTok lists them all at once), filtered by name, region or id. */
export async function searchShops(client: TikTokClient, filter?: string): Promise<ListSearchPage> {
	const results: ListSearchItem[] = [];
	for (const shop of await client.authorizedShops()) {
		const name = shopLabel(shop);
		if (matches(filter, name, shop.code ?? '')) results.push({ name, value: shop.id });
	}
	return { results };
}
