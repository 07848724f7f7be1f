import { instantFilter, resolvePeriod, statementFilter, type PeriodInput, type PeriodPreset } from '../period';
import type { TikTokClient } from '../tiktok/client';
import { WITHDRAWAL_TYPES, type PaymentStatus, type SortOrder, type WithdrawalType } from '../tiktok/endpoints';
import { TikTokApiError } from '../tiktok/errors';
import { mapAhead } from './ahead';
import { paymentRecord, statementWithTransactions, take, withIsoTimes, withShop, type JsonRecord, type StatementShape } from './records';

/*
 * The TikTok Payments node's operations, without n8n: parameters in, records out (an async iterator, so that
 * Limit stops paging early and Return All streams page by page).
 */

export interface OperationParameters {
	resource: string;
	operation: string;
	period: { preset: string; timeZone: string; start?: string; end?: string };
	/** undefined = return all. */
	limit?: number;
	statementId?: string;
	orderId?: string;
	includeTransactions?: boolean;
	/** Statements with transactions: 'raw' (TikTok's full objects, default) or 'compact' (booking input only). */
	output?: StatementShape;
	withdrawalTypes?: string[];
	options: {
		paymentStatus?: string;
		payoutStatus?: string;
		/** 'paid' (default): payouts paid in the period; 'created': TikTok's own create_time filter. */
		payoutDate?: string;
		sortOrder?: string;
		paymentsVersion?: string;
		requestsPerSecond?: number;
		timeoutSeconds?: number;
		authorizationNoticeDays?: number;
	};
}

const invalid = (message: string) => new TikTokApiError({ kind: 'invalid-request', endpoint: '', message });

function period(parameters: OperationParameters, nowMs: number) {
	const input: PeriodInput = {
		preset: parameters.period.preset as PeriodPreset,
		timeZone: parameters.period.timeZone,
		start: parameters.period.start || undefined,
		end: parameters.period.end || undefined,
	};
	return resolvePeriod(input, nowMs);
}

function sortOrder(parameters: OperationParameters): SortOrder | undefined {
	const value = parameters.options.sortOrder;
	return value === 'ASC' || value === 'DESC' ? value : undefined;
}

/**
 * Statements whose transactions are fetched at the same time. A statement's pages come one after another, so this
 * is how many requests can be on their way at once: enough for TikTok's 50 per second at ~300 ms per answer.
 */
export const STATEMENTS_AHEAD = 16;

async function* statements(client: TikTokClient, parameters: OperationParameters, nowMs: number) {
	const bounds = statementFilter(period(parameters, nowMs));
	const status = parameters.options.paymentStatus || undefined;
	const list = client.statements({
		statement_time_ge: bounds.ge,
		statement_time_lt: bounds.lt,
		payment_status: status as PaymentStatus | undefined,
		sort_order: sortOrder(parameters),
	});
	if (!parameters.includeTransactions) {
		for await (const statement of take(list, parameters.limit)) yield withIsoTimes(statement);
		return;
	}
	const shape = parameters.output ?? 'raw';
	yield* mapAhead(take(list, parameters.limit), (statement) => statementWithTransactions(client, statement, shape), STATEMENTS_AHEAD);
}

/** TikTok pays a payout within days of creating it; looking back this far catches every payout paid in a period. */
export const PAYOUT_CREATION_LOOKBACK_SECONDS = 14 * 86_400;

async function* payments(client: TikTokClient, parameters: OperationParameters, nowMs: number) {
	const bounds = instantFilter(period(parameters, nowMs));
	const wanted = parameters.options.payoutStatus || undefined;
	// TikTok filters payouts by creation time only. Bookkeeping needs the payouts PAID in the period (a payout created
	// on 31 October and paid on 1 November belongs to November), so by default we look back and filter on paid_time.
	const byPaidDate = (parameters.options.payoutDate ?? 'paid') === 'paid';
	const list = client.payments({
		create_time_ge: byPaidDate ? bounds.ge - PAYOUT_CREATION_LOOKBACK_SECONDS : bounds.ge,
		create_time_lt: bounds.lt,
		sort_order: sortOrder(parameters),
	});
	const inPeriod = (paidTime: number | undefined) => paidTime !== undefined && paidTime >= bounds.ge && paidTime < bounds.lt;
	async function* filtered() {
		for await (const payment of list) {
			if (byPaidDate && !inPeriod(payment.paid_time)) continue;
			if (!wanted || payment.status === wanted) yield payment;
		}
	}
	for await (const payment of take(filtered(), parameters.limit)) yield paymentRecord(payment);
}

async function* withdrawals(client: TikTokClient, parameters: OperationParameters, nowMs: number) {
	const bounds = instantFilter(period(parameters, nowMs));
	const types = (parameters.withdrawalTypes ?? []).filter((type): type is WithdrawalType =>
		(WITHDRAWAL_TYPES as readonly string[]).includes(type),
	);
	if (types.length === 0) throw invalid('Choose at least one withdrawal type.');
	const list = client.withdrawals({ types, create_time_ge: bounds.ge, create_time_lt: bounds.lt });
	for await (const withdrawal of take(list, parameters.limit)) yield withIsoTimes(withdrawal);
}

async function* unsettled(client: TikTokClient, parameters: OperationParameters, nowMs: number) {
	const bounds = instantFilter(period(parameters, nowMs));
	const list = client.unsettledTransactions({
		search_time_ge: bounds.ge,
		search_time_lt: bounds.lt,
		sort_order: sortOrder(parameters),
	});
	for await (const transaction of take(list, parameters.limit)) yield withIsoTimes(transaction);
}

async function* statementTransactions(client: TikTokClient, parameters: OperationParameters) {
	const id = (parameters.statementId ?? '').trim();
	if (!id) throw invalid('Enter a Statement ID.');
	async function* all() {
		for await (const page of client.statementTransactions(id)) yield* page.transactions;
	}
	for await (const transaction of take(all(), parameters.limit)) {
		yield { statement_id: id, ...withIsoTimes(transaction) };
	}
}

/** Every record of a shop's operation names its shop (see withShop); Get Authorized Shops lists shops itself. */
export async function* runOperation(
	client: TikTokClient,
	parameters: OperationParameters,
	nowMs: number,
): AsyncGenerator<JsonRecord> {
	for await (const record of shopRecords(client, parameters, nowMs)) yield withShop(record, client.shop);
}

async function* shopRecords(client: TikTokClient, parameters: OperationParameters, nowMs: number): AsyncGenerator<JsonRecord> {
	const key = `${parameters.resource}.${parameters.operation}`;
	switch (key) {
		case 'shop.getAuthorizedShops':
			for (const shop of await client.authorizedShops()) yield { ...shop };
			return;
		case 'statement.getMany':
			yield* statements(client, parameters, nowMs);
			return;
		case 'statement.getTransactions':
			yield* statementTransactions(client, parameters);
			return;
		case 'order.getTransactions': {
			const id = (parameters.orderId ?? '').trim();
			if (!id) throw invalid('Enter an Order ID.');
			yield withIsoTimes(await client.orderTransactions(id));
			return;
		}
		case 'payment.getMany':
			yield* payments(client, parameters, nowMs);
			return;
		case 'withdrawal.getMany':
			yield* withdrawals(client, parameters, nowMs);
			return;
		case 'unsettledTransaction.getMany':
			yield* unsettled(client, parameters, nowMs);
			return;
		default:
			throw invalid(`The operation "${parameters.operation}" is not supported for "${parameters.resource}".`);
	}
}
