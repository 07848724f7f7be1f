/**
 * Issue #18 case 6: values out of any sensible range are input errors naming the item and the field, at the edge,
 * so Continue On Fail keeps the other items; and no message repeats a huge value.
 */
import { describe, expect, it } from '@jest/globals';

import { bookItems, BookingInputError } from '../../lib/booking';
import { runMapping } from '../../lib/mapping/run';
import { parseMinor } from '../../lib/money';
import { preview } from '../../lib/preview';
import { TikTokApiError } from '../../lib/tiktok/errors';
import { collect, fakeClock, ok, rejection, signedClient } from '../tiktok/fakes';
import { orderTx, paymentItem, statementItem } from '../booking/fixtures';
import { DATEV_SETTINGS, NOW, thrown } from './helpers';

const sale = orderTx({ revenue_amount: '10.00', settlement_amount: '10.00' });

function map(items: unknown[], continueOnFail: boolean) {
	return runMapping({ items, booking: {}, datev: DATEV_SETTINGS, skipBookedBefore: true, continueOnFail, now: NOW });
}

describe('times', () => {
	it.each([
		['statement_time', { statement_time: 1e15 }],
		['statement_time', { statement_time: -1 }],
		['statement_time', { statement_time: '99999999999999999999' }],
		['transactions[0].order_create_time', { transactions: [orderTx({ order_create_time: 2 ** 53 })] }],
	])('%s out of range is an input error naming item and field', (path, overrides) => {
		const error = thrown(() => map([paymentItem(), statementItem([sale], overrides)], false));
		expect(error).toBeInstanceOf(BookingInputError);
		expect(error.message).toContain(`item 1: ${path}: must be Unix seconds between 1970 and 2100`);
	});

	it('with Continue On Fail the bad item is an error item and the others are booked into a file', () => {
		const result = map([statementItem([sale], { statement_time: 1e15 }), paymentItem()], true);
		expect(result.failures).toEqual([{ item: 0, message: expect.stringContaining('item 0: statement_time: must be Unix seconds') }]);
		expect(result.payments.map((payment) => payment.paymentId)).toEqual([paymentItem().id]);
		expect(result.files).toHaveLength(1);
	});

	it('a paid payout stamped in the year 33658 is an input error', () => {
		const error = thrown(() => bookItems([paymentItem({ paid_time: 1e12 })]));
		expect(error.message).toContain('item 0: paid_time: must be Unix seconds between 1970 and 2100');
	});
});

describe('amounts', () => {
	it('an amount beyond DATEV\'s largest (9,999,999,999.99) is an input error, so one item cannot fail the whole file', () => {
		const result = map([statementItem([orderTx({ revenue_amount: '10000000000.00', settlement_amount: '10000000000.00' })]), paymentItem()], true);
		expect(result.failures).toEqual([
			{ item: 0, message: expect.stringContaining('item 0: transactions[0].settlement_amount: "10000000000.00" is larger than 9999999999.99') },
		]);
		expect(result.files).toHaveLength(1);
	});

	it('a statement whose amounts cannot be added up exactly is an input error', () => {
		const big = '9999999999.99';
		const transactions = Array.from({ length: 5000 }, (_, index) =>
			orderTx({ id: `1636700041413${String(index).padStart(6, '0')}`, revenue_amount: big, settlement_amount: big }),
		);
		const error = thrown(() => bookItems([statementItem(transactions, { settlement_amount: '0' })]));
		expect(error.message).toContain('item 0: transactions: the amounts of this statement add up beyond');
	});

	it('a 2 MB amount string gives a short message that says how long the value was', () => {
		const huge = '1'.repeat(2_000_000);
		const error = thrown(() => bookItems([statementItem([orderTx({ revenue_amount: `${huge}x`, settlement_amount: '0' })])]));
		expect(error.message.length).toBeLessThan(300);
		expect(error.message).toContain('transactions[0].revenue_amount: "1111111111111111111111111111111111111111…(2000001 chars)" is not a decimal amount');
	});

	it('an unknown currency of 100 kB is shown truncated', () => {
		const error = thrown(() => bookItems([statementItem([sale], { currency: 'X'.repeat(100_000) })]));
		expect(error.message.length).toBeLessThan(300);
		expect(error.message).toContain('(100000 chars)');
	});

	it('parseMinor truncates the value it complains about', () => {
		expect(() => parseMinor(`${'9'.repeat(500)}`, 'EUR')).toThrow(/^"9{40}…\(500 chars\)" is too large$/);
	});
});

describe('strings TikTok keeps short', () => {
	it('a transaction type of 1 MB is an input error, not a 1 MB Buchungstext or warning', () => {
		const error = thrown(() => bookItems([statementItem([orderTx({ type: 'A'.repeat(1_000_000) })])]));
		expect(error.message).toContain('item 0: transactions[0].type: must be at most 100 characters');
		expect(error.message.length).toBeLessThan(300);
	});
});

describe('the API client', () => {
	it('rejects a statement_time of 1e15 from TikTok with the field named and no crash', async () => {
		const clock = fakeClock();
		const { client } = signedClient(clock, () =>
			ok({ statements: [{ id: '7238804564097517339', statement_time: 1e15, currency: 'EUR', settlement_amount: '1.00' }] }),
		);
		const error = (await rejection(collect(client.statements()))) as TikTokApiError;
		expect(error).toBeInstanceOf(TikTokApiError);
		expect(error.kind).toBe('invalid-response');
		expect(error.message).toContain('statements.0.statement_time: must be Unix seconds between 1970 and 2100');
	});

	it('rejects an order id with a formula in a transactions page', async () => {
		const clock = fakeClock();
		const { client } = signedClient(clock, () =>
			ok({ id: '7238804564097517339', currency: 'EUR', transactions: [{ id: '1', type: 'ORDER', order_id: '=1+1' }] }),
		);
		const error = (await rejection(client.statementWithTransactions('7238804564097517339'))) as TikTokApiError;
		expect(error.message).toContain('transactions.0.order_id: must be a TikTok id');
	});
});

describe('preview', () => {
	it('keeps short values and cuts long ones to 40 characters with their length', () => {
		expect(preview('abc')).toBe('abc');
		expect(preview('x'.repeat(40))).toBe('x'.repeat(40));
		expect(preview('x'.repeat(41))).toBe(`${'x'.repeat(40)}…(41 chars)`);
		expect(preview(12345)).toBe('12345');
	});
});
