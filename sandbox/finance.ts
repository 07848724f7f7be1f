/*
 * The finance endpoints (reference §4) over a generated dataset, with TikTok's parameter rules: the one allowed
 * sort_field per endpoint is mandatory, page_size is 1–100 (default 20), page tokens are bound to the filters,
 * time windows are [ge, lt) in Unix seconds with `lt` defaulting to now. Authentication happened before.
 */
import type { PaymentJson, ShopData } from './generate';
import { filterFingerprint, type PageTokens } from './page-token';

export const INVALID_PARAMETER = 36009004;

export interface ApiError {
	code: number;
	message: string;
}

export type ApiResult = { data: unknown } | { error: ApiError };

export interface FinanceRequest {
	data: ShopData;
	nowSeconds: number;
	path: string;
	query: Record<string, string>;
	/** Path parameters (statement_id, order_id). */
	params: Record<string, string>;
	pageTokens: PageTokens;
}

interface Paging {
	offset: number;
	limit: number;
	descending: boolean;
	fingerprint: string;
}

const PAYMENT_STATUSES = new Set(['PAID', 'FAILED', 'PROCESSING']);
const WITHDRAWAL_TYPES = new Set(['WITHDRAW', 'SETTLE', 'TRANSFER', 'REVERSE']);
/** Unsettled transactions exist from 2025-01-01 (reference §4.6); `search_time_ge` defaults to it. */
const UNSETTLED_EPOCH = 1_735_689_600;
const DEFAULT_PAGE_SIZE = 20;

const invalid = (message: string): { error: ApiError } => ({ error: { code: INVALID_PARAMETER, message } });

function isError(value: unknown): value is { error: ApiError } {
	return typeof value === 'object' && value !== null && 'error' in value;
}

function readPaging(request: FinanceRequest, sortField: string | undefined): Paging | { error: ApiError } {
	const { query } = request;
	if (sortField !== undefined && query.sort_field !== sortField) {
		return invalid(
			query.sort_field === undefined
				? `sort_field is required; the only allowed value is "${sortField}"`
				: `sort_field "${query.sort_field}" is invalid; the only allowed value is "${sortField}"`,
		);
	}
	const order = query.sort_order ?? 'ASC';
	if (order !== 'ASC' && order !== 'DESC') return invalid(`sort_order "${order}" is invalid; use ASC or DESC`);
	const sizeText = query.page_size ?? String(DEFAULT_PAGE_SIZE);
	const size = /^\d{1,4}$/.test(sizeText) ? Number(sizeText) : NaN;
	if (!(size >= 1 && size <= 100)) return invalid(`page_size "${sizeText}" is invalid; it must be between 1 and 100`);
	const fingerprint = filterFingerprint(request.path, query);
	let offset = 0;
	if (query.page_token !== undefined && query.page_token !== '') {
		const read = request.pageTokens.read(fingerprint, query.page_token);
		if (read === undefined) {
			return invalid('page_token is invalid; it must come from the previous page of the same query');
		}
		offset = read;
	}
	return { offset, limit: size, descending: order === 'DESC', fingerprint };
}

function nextPageToken(request: FinanceRequest, paging: Paging, total: number): string {
	const next = paging.offset + paging.limit;
	return next < total ? request.pageTokens.issue(paging.fingerprint, next) : '';
}

/** [ge, lt) from `<prefix>_ge` / `<prefix>_lt`; ge defaults to `earliest`, lt to now. */
function readWindow(
	request: FinanceRequest,
	prefix: string,
	earliest = 0,
): { ge: number; lt: number } | { error: ApiError } {
	const bounds: number[] = [];
	for (const [suffix, fallback] of [
		['ge', earliest],
		['lt', request.nowSeconds],
	] as const) {
		const key = `${prefix}_${suffix}`;
		const text = request.query[key];
		if (text === undefined) {
			bounds.push(fallback);
		} else if (/^\d{1,10}$/.test(text)) {
			bounds.push(Number(text));
		} else {
			return invalid(`${key} "${text}" is invalid; expected Unix seconds`);
		}
	}
	return { ge: bounds[0], lt: bounds[1] };
}

function page<T>(rows: readonly T[], paging: Paging): T[] {
	const ordered = paging.descending ? [...rows].reverse() : rows;
	return ordered.slice(paging.offset, paging.offset + paging.limit);
}

export function getStatements(request: FinanceRequest): ApiResult {
	const paging = readPaging(request, 'statement_time');
	if (isError(paging)) return paging;
	const window = readWindow(request, 'statement_time');
	if (isError(window)) return window;
	const status = request.query.payment_status;
	if (status !== undefined && !PAYMENT_STATUSES.has(status)) {
		return invalid(`payment_status "${status}" is invalid; use PAID, FAILED or PROCESSING`);
	}
	const rows = request.data.statements.filter(
		(row) =>
			row.statement_time >= window.ge &&
			row.statement_time < window.lt &&
			(status === undefined || row.payment_status === status),
	);
	return {
		data: { next_page_token: nextPageToken(request, paging, rows.length), statements: page(rows, paging) },
	};
}

/** Get Payments; the 202605 version has no reserve_amount (reference §4.2). */
export function getPayments(request: FinanceRequest, withReserve: boolean): ApiResult {
	const paging = readPaging(request, 'create_time');
	if (isError(paging)) return paging;
	const window = readWindow(request, 'create_time');
	if (isError(window)) return window;
	const rows = request.data.payments.filter((row) => row.create_time >= window.ge && row.create_time < window.lt);
	const payments = page(rows, paging).map((row): Partial<PaymentJson> => {
		if (withReserve) return row;
		const copy: Partial<PaymentJson> = { ...row };
		delete copy.reserve_amount;
		return copy;
	});
	return { data: { next_page_token: nextPageToken(request, paging, rows.length), payments } };
}

export function getWithdrawals(request: FinanceRequest): ApiResult {
	const typesText = request.query.types;
	const types = (typesText ?? '').split(',').filter((type) => type !== '');
	if (types.length === 0 || types.some((type) => !WITHDRAWAL_TYPES.has(type))) {
		return invalid(
			`types "${typesText ?? ''}" is invalid; send a comma-joined list of WITHDRAW, SETTLE, TRANSFER, REVERSE`,
		);
	}
	const paging = readPaging(request, undefined);
	if (isError(paging)) return paging;
	const window = readWindow(request, 'create_time');
	if (isError(window)) return window;
	const rows = request.data.withdrawals.filter(
		(row) => types.includes(row.type) && row.create_time >= window.ge && row.create_time < window.lt,
	);
	return {
		data: {
			next_page_token: nextPageToken(request, paging, rows.length),
			total_count: rows.length,
			withdrawals: page(rows, paging),
		},
	};
}

export function getStatementTransactions(request: FinanceRequest): ApiResult {
	const paging = readPaging(request, 'order_create_time');
	if (isError(paging)) return paging;
	const detail = request.data.statementTransactions(request.params.statement_id, paging);
	if (!detail) return invalid(`statement_id "${request.params.statement_id}" is invalid`);
	return { data: { next_page_token: nextPageToken(request, paging, detail.total_count), ...detail } };
}

export function getOrderTransactions(request: FinanceRequest): ApiResult {
	const detail = request.data.orderTransactions(request.params.order_id);
	if (!detail) return invalid(`order_id "${request.params.order_id}" is invalid`);
	return { data: detail };
}

export function getUnsettledTransactions(request: FinanceRequest): ApiResult {
	const paging = readPaging(request, 'order_create_time');
	if (isError(paging)) return paging;
	const window = readWindow(request, 'search_time', UNSETTLED_EPOCH);
	if (isError(window)) return window;
	const result = request.data.unsettledTransactions(window, paging);
	return { data: { next_page_token: nextPageToken(request, paging, result.total_count), ...result } };
}
