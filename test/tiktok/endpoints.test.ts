import {
	PATHS,
	orderTransactionsRequest,
	paymentsRequest,
	statementsRequest,
	statementTransactionsRequest,
	unsettledTransactionsRequest,
	withdrawalsRequest,
	type WithdrawalType,
} from '../../lib/tiktok/endpoints';
import { TikTokApiError } from '../../lib/tiktok/errors';

describe('endpoint requests', () => {
	it('statements: statement_time sort and TikTok filter names', () => {
		expect(statementsRequest({ statement_time_ge: 1735689600, statement_time_lt: 1738368000, payment_status: 'PAID' })).toEqual({
			path: '/finance/202309/statements',
			query: {
				sort_field: 'statement_time',
				statement_time_ge: '1735689600',
				statement_time_lt: '1738368000',
				payment_status: 'PAID',
			},
			shopScoped: true,
		});
	});

	it('payments: configurable version, create_time sort', () => {
		expect(paymentsRequest({ create_time_lt: 5 }).path).toBe('/finance/202309/payments');
		expect(paymentsRequest({}, '202605')).toEqual({
			path: '/finance/202605/payments',
			query: { sort_field: 'create_time' },
			shopScoped: true,
		});
		expect(() => paymentsRequest({}, '2026-05')).toThrow(TikTokApiError);
	});

	it('withdrawals: types required, comma-joined, de-duplicated, no sort_field', () => {
		expect(withdrawalsRequest({ types: ['WITHDRAW', 'SETTLE', 'WITHDRAW'], create_time_ge: 1 })).toEqual({
			path: '/finance/202309/withdrawals',
			query: { types: 'WITHDRAW,SETTLE', create_time_ge: '1' },
			shopScoped: true,
		});
		expect(() => withdrawalsRequest({ types: [] })).toThrow(/at least one type/);
		expect(() => withdrawalsRequest({ types: ['PAYOUT' as WithdrawalType] })).toThrow(/unknown: PAYOUT/);
	});

	it('transactions by statement and order use 202501; unsettled uses 202507 with search_time', () => {
		expect(statementTransactionsRequest('7238804564097517339', { sort_order: 'DESC' })).toEqual({
			path: '/finance/202501/statements/7238804564097517339/statement_transactions',
			query: { sort_field: 'order_create_time', sort_order: 'DESC' },
			shopScoped: true,
		});
		expect(orderTransactionsRequest('576463220456522968')).toEqual({
			path: '/finance/202501/orders/576463220456522968/statement_transactions',
			query: {},
			shopScoped: true,
		});
		expect(unsettledTransactionsRequest({ search_time_ge: 1735689600, search_time_lt: 1738368000 })).toEqual({
			path: '/finance/202507/orders/unsettled',
			query: { sort_field: 'order_create_time', search_time_ge: '1735689600', search_time_lt: '1738368000' },
			shopScoped: true,
		});
		expect(PATHS.shops).toBe('/authorization/202309/shops');
	});

	it('rejects ids that could change the path', () => {
		for (const bad of ['../x', '1/2', '1?a=b', '', '1%2F2']) {
			expect(() => statementTransactionsRequest(bad)).toThrow(TikTokApiError);
			expect(() => orderTransactionsRequest(bad)).toThrow(TikTokApiError);
		}
	});

	it('rejects time filters that are not Unix seconds', () => {
		expect(() => statementsRequest({ statement_time_ge: 1735689600000 })).toThrow(/milliseconds/);
		expect(() => statementsRequest({ statement_time_ge: 1.5 })).toThrow(/Unix seconds/);
		expect(() => paymentsRequest({ create_time_ge: -1 })).toThrow(/Unix seconds/);
	});
});
