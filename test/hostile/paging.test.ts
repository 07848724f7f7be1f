/**
 * Issue #18 case 4: a server that hands out ever-new page tokens must not page forever, and a page far bigger than
 * page_size must not overflow the call stack anywhere it is collected.
 */
import { describe, expect, it } from '@jest/globals';

import { runMapping } from '../../lib/mapping/run';
import { DEFAULT_MAX_PAGES } from '../../lib/tiktok/client';
import { TikTokApiError } from '../../lib/tiktok/errors';
import { pollEvents } from '../../lib/trigger/poll';
import { apiError, collect, fakeClock, ok, rejection, signedClient } from '../tiktok/fakes';

const STATEMENT_ID = '7238804564097517339';
const statement = { id: STATEMENT_ID, statement_time: 1751328000, currency: 'EUR', settlement_amount: '0', payment_status: 'PAID' };
const BIG = 200_000;

describe('endless paging', () => {
	it('stops with a clear error after maxPages pages of ever-new tokens', async () => {
		const clock = fakeClock();
		const { client, calls } = signedClient(clock, (_call, index) => ok({ next_page_token: `token-${index}`, statements: [statement] }), {
			maxPages: 25,
		});
		const error = (await rejection(collect(client.statements()))) as TikTokApiError;
		expect(error).toBeInstanceOf(TikTokApiError);
		expect(error.kind).toBe('invalid-response');
		expect(error.message).toBe(
			'TikTok kept returning new page tokens for /finance/202309/statements: stopped after 25 pages (2500 records at 100 per page).',
		);
		expect(calls).toHaveLength(25);
	});

	it('has a default bound', () => {
		expect(DEFAULT_MAX_PAGES).toBe(10_000);
	});

	it('still stops on a token it has seen before', async () => {
		const clock = fakeClock();
		const { client, calls } = signedClient(clock, (_call, index) => ok({ next_page_token: `token-${index % 3}`, statements: [statement] }));
		const error = (await rejection(collect(client.statements()))) as TikTokApiError;
		expect(error.message).toContain('same next_page_token twice');
		expect(calls).toHaveLength(4);
	});

	it('refuses a page token longer than 4096 characters instead of sending it back', async () => {
		const clock = fakeClock();
		const { client, calls } = signedClient(clock, () => ok({ next_page_token: 'x'.repeat(1_000_000), statements: [statement] }));
		const error = (await rejection(collect(client.statements()))) as TikTokApiError;
		expect(error.message).toContain('next_page_token: must be at most 4096 characters');
		expect(error.message.length).toBeLessThan(300);
		expect(calls).toHaveLength(1);
	});
});

describe(`a page of ${BIG} records`, () => {
	const transactions = Array.from({ length: BIG }, (_, index) => ({
		id: String(1_000_000_000 + index),
		type: 'RESERVE',
		reserve_amount: '1.00',
		reserve_status: 'RELEASED',
		settlement_amount: '0',
	}));
	const body = ok({ id: STATEMENT_ID, currency: 'EUR', total_settlement_amount: '0', transactions });

	it('is collected by the client', async () => {
		const clock = fakeClock();
		const { client } = signedClient(clock, () => body);
		const summary = await client.statementWithTransactions(STATEMENT_ID);
		expect(summary.transactions).toHaveLength(BIG);
	});

	it('is turned into trigger events', async () => {
		const clock = fakeClock(Date.parse('2025-07-02T00:00:00Z'));
		const { client } = signedClient(clock, (call) =>
			call.path.endsWith('/statements') ? ok({ statements: [statement] }) : call.path.includes('/statements/') ? body : apiError(36009009, 'no'),
		);
		const { events } = await pollEvents(client, {}, {
			event: 'reserveReleased',
			nowMs: clock.now(),
			lookBackDays: 35,
			startFrom: 1751000000,
			maxRemembered: 10,
			manual: false,
		});
		expect(events).toHaveLength(BIG);
	});

	it('of payouts in one item is read with Continue On Fail', () => {
		// Not paid yet, so they are only parsed and skipped: the cost of booking them proves nothing here.
		const payments = Array.from({ length: BIG }, (_, index) => ({
			id: String(3_000_000_000 + index),
			status: 'PROCESSING',
			amount: { value: '1.00', currency: 'EUR' },
		}));
		const result = runMapping({
			items: [{ payments }],
			booking: {},
			skipBookedBefore: true,
			continueOnFail: true,
			now: () => 0,
		});
		expect(result.failures).toEqual([]);
		expect(result.skipped).toHaveLength(BIG);
	});
});
