import { TikTokApiError } from './errors';

/*
 * Paths, versions and query building of the endpoints we call (reference §3, §4). Filters use TikTok's own
 * parameter names so that the docs and our code read the same. Time filters are Unix seconds.
 */

export const DEFAULT_PAYMENTS_VERSION = '202309';

export const PATHS = {
	shops: '/authorization/202309/shops',
	statements: '/finance/202309/statements',
	payments: (version: string = DEFAULT_PAYMENTS_VERSION) => `/finance/${checkVersion(version)}/payments`,
	withdrawals: '/finance/202309/withdrawals',
	statementTransactions: (statementId: string) =>
		`/finance/202501/statements/${checkPathId(statementId, 'statement id')}/statement_transactions`,
	orderTransactions: (orderId: string) =>
		`/finance/202501/orders/${checkPathId(orderId, 'order id')}/statement_transactions`,
	unsettledTransactions: '/finance/202507/orders/unsettled',
} as const;

export type SortOrder = 'ASC' | 'DESC';
export type PaymentStatus = 'PAID' | 'FAILED' | 'PROCESSING';
export type WithdrawalType = 'WITHDRAW' | 'SETTLE' | 'TRANSFER' | 'REVERSE';
export const WITHDRAWAL_TYPES: readonly WithdrawalType[] = ['WITHDRAW', 'SETTLE', 'TRANSFER', 'REVERSE'];

export interface StatementsFilter {
	statement_time_ge?: number;
	statement_time_lt?: number;
	payment_status?: PaymentStatus;
	sort_order?: SortOrder;
}

export interface PaymentsFilter {
	create_time_ge?: number;
	create_time_lt?: number;
	sort_order?: SortOrder;
}

export interface WithdrawalsFilter {
	/** Required by TikTok; sent comma-joined. */
	types: readonly WithdrawalType[];
	create_time_ge?: number;
	create_time_lt?: number;
}

export interface StatementTransactionsFilter {
	sort_order?: SortOrder;
}

export interface UnsettledTransactionsFilter {
	search_time_ge?: number;
	search_time_lt?: number;
	sort_order?: SortOrder;
}

/** Path plus the endpoint's own query parameters (decoded values), before paging and common parameters. */
export interface EndpointRequest {
	path: string;
	query: Record<string, string>;
	/** Shop-scoped ("Shop" entity) endpoints need shop_cipher; seller endpoints must not send it. */
	shopScoped: boolean;
}

export function statementsRequest(filter: StatementsFilter = {}): EndpointRequest {
	const query: Record<string, string> = { sort_field: 'statement_time' };
	addTime(query, 'statement_time_ge', filter.statement_time_ge);
	addTime(query, 'statement_time_lt', filter.statement_time_lt);
	addOptional(query, 'payment_status', filter.payment_status);
	addOptional(query, 'sort_order', filter.sort_order);
	return { path: PATHS.statements, query, shopScoped: true };
}

export function paymentsRequest(filter: PaymentsFilter = {}, version = DEFAULT_PAYMENTS_VERSION): EndpointRequest {
	const query: Record<string, string> = { sort_field: 'create_time' };
	addTime(query, 'create_time_ge', filter.create_time_ge);
	addTime(query, 'create_time_lt', filter.create_time_lt);
	addOptional(query, 'sort_order', filter.sort_order);
	return { path: PATHS.payments(version), query, shopScoped: true };
}

export function withdrawalsRequest(filter: WithdrawalsFilter): EndpointRequest {
	const types = filter.types ?? [];
	const unknown = types.filter((type) => !WITHDRAWAL_TYPES.includes(type));
	if (types.length === 0 || unknown.length > 0) {
		throw invalidRequest(
			PATHS.withdrawals,
			`Get Withdrawals needs at least one type out of ${WITHDRAWAL_TYPES.join(', ')}` +
				(unknown.length ? `; unknown: ${unknown.join(', ')}` : ''),
		);
	}
	// No sort_field on this endpoint (reference §4.3).
	const query: Record<string, string> = { types: [...new Set(types)].join(',') };
	addTime(query, 'create_time_ge', filter.create_time_ge);
	addTime(query, 'create_time_lt', filter.create_time_lt);
	return { path: PATHS.withdrawals, query, shopScoped: true };
}

export function statementTransactionsRequest(
	statementId: string,
	filter: StatementTransactionsFilter = {},
): EndpointRequest {
	const query: Record<string, string> = { sort_field: 'order_create_time' };
	addOptional(query, 'sort_order', filter.sort_order);
	return { path: PATHS.statementTransactions(statementId), query, shopScoped: true };
}

export function orderTransactionsRequest(orderId: string): EndpointRequest {
	return { path: PATHS.orderTransactions(orderId), query: {}, shopScoped: true };
}

export function unsettledTransactionsRequest(filter: UnsettledTransactionsFilter = {}): EndpointRequest {
	const query: Record<string, string> = { sort_field: 'order_create_time' };
	addTime(query, 'search_time_ge', filter.search_time_ge);
	addTime(query, 'search_time_lt', filter.search_time_lt);
	addOptional(query, 'sort_order', filter.sort_order);
	return { path: PATHS.unsettledTransactions, query, shopScoped: true };
}

export function authorizedShopsRequest(): EndpointRequest {
	return { path: PATHS.shops, query: {}, shopScoped: false };
}

function addTime(query: Record<string, string>, name: string, value: number | undefined): void {
	if (value === undefined) return;
	if (!Number.isSafeInteger(value) || value < 0) {
		throw invalidRequest('', `${name} must be Unix seconds (a non-negative integer), got ${String(value)}`);
	}
	// Milliseconds are a classic mistake; TikTok wants 10-digit seconds.
	if (value > 99_999_999_999) {
		throw invalidRequest('', `${name} looks like milliseconds; TikTok expects Unix seconds`);
	}
	query[name] = String(value);
}

function addOptional(query: Record<string, string>, name: string, value: string | undefined): void {
	if (value !== undefined && value !== '') query[name] = value;
}

function checkVersion(version: string): string {
	if (!/^\d{6}$/.test(version)) throw invalidRequest('', `API version must look like 202309, got "${version}"`);
	return version;
}

/** Ids go into the path, so they must not be able to change it. TikTok ids are digits (letters for withdrawals). */
function checkPathId(value: string, what: string): string {
	if (typeof value !== 'string' || !/^[A-Za-z0-9_-]+$/.test(value)) {
		throw invalidRequest('', `invalid ${what}: "${String(value).slice(0, 40)}"`);
	}
	return value;
}

function invalidRequest(endpoint: string, message: string): TikTokApiError {
	return new TikTokApiError({ kind: 'invalid-request', message, endpoint, description: message });
}
