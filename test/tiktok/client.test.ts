import { TikTokClient } from '../../lib/tiktok/client';
import { TikTokApiError } from '../../lib/tiktok/errors';
import type { ClientAuth, TokenRejectedInfo, UnsignedRequest } from '../../lib/tiktok/auth';
import {
	APP_KEY,
	APP_SECRET,
	SHOP_CIPHER,
	START_MS,
	apiError,
	collect,
	expectNoSecrets,
	fakeClock,
	fakeSend,
	noThrottle,
	jsonResponse,
	ok,
	rejection,
	signatureValid,
	signedClient,
	stableQuery,
	tokens,
} from './fakes';
import { virtualClock } from '../support/virtual-clock';

const statement = (n: number) => ({
	id: `7238804564097517${String(n).padStart(3, '0')}`,
	statement_time: 1735689600 + n * 86400,
	currency: 'EUR',
	settlement_amount: '100.50',
	revenue_amount: '120.00',
	fee_amount: '-19.50',
	adjustment_amount: '0',
	payment_status: 'PAID',
	payment_id: `34592751870402${n}`,
});

const PAGE_CURSORS = ['6AsPQsUMvH3Rkch/NUPPh2+2NR==', 'second/page+token=='];

/** Three statement pages linked by cursors that need URL encoding. */
function threePages(call: { query: Record<string, string> }) {
	const cursor = call.query.page_token;
	if (cursor === undefined) return ok({ next_page_token: PAGE_CURSORS[0], statements: [statement(1), statement(2)] });
	if (cursor === PAGE_CURSORS[0]) return ok({ next_page_token: PAGE_CURSORS[1], statements: [statement(3)] });
	if (cursor === PAGE_CURSORS[1]) return ok({ next_page_token: '', statements: [statement(4)] });
	return apiError(36009004, `unknown page_token ${cursor}`);
}

describe('TikTokClient requests', () => {
	it('signs every request, sends the token header and shop cipher, and encodes page tokens', async () => {
		const clock = fakeClock();
		const { client, calls } = signedClient(clock, (call) => threePages(call));
		const items = await collect(client.statements({ statement_time_ge: 1735689600, statement_time_lt: 1738368000 }));
		expect(items.map((item) => item.id)).toEqual([1, 2, 3, 4].map((n) => statement(n).id));
		expect(calls).toHaveLength(3);
		for (const call of calls) {
			expect(call.path).toBe('/finance/202309/statements');
			expect(signatureValid(call)).toBe(true);
			expect(call.request.headers['x-tts-access-token']).toBe('TTP_dummy_access_1');
			expect(call.query).toMatchObject({
				app_key: APP_KEY,
				shop_cipher: SHOP_CIPHER,
				sort_field: 'statement_time',
				page_size: '100',
				statement_time_ge: '1735689600',
				statement_time_lt: '1738368000',
				timestamp: String(Math.floor(call.atMs / 1000)),
			});
			expect(call.query).not.toHaveProperty('access_token');
		}
		// The wire form has %2F/%2B/%3D, so the server decodes the exact token back (a raw + would become a space).
		expect(calls[1].request.url).toContain('page_token=6AsPQsUMvH3Rkch%2FNUPPh2%2B2NR%3D%3D');
		expect(calls[1].query.page_token).toBe(PAGE_CURSORS[0]);
		expect(calls[2].query.page_token).toBe(PAGE_CURSORS[1]);
	});

	it('keeps the filters identical on every page', async () => {
		const clock = fakeClock();
		const { client, calls } = signedClient(clock, (call) => threePages(call));
		await collect(client.statementPages({ statement_time_ge: 1, payment_status: 'PAID', sort_order: 'DESC' }));
		expect(calls).toHaveLength(3);
		const filters = calls.map((call) => JSON.stringify(stableQuery(call.query)));
		expect(new Set(filters).size).toBe(1);
		expect(stableQuery(calls[0].query)).toMatchObject({ statement_time_ge: '1', payment_status: 'PAID', sort_order: 'DESC' });
	});

	it('stops on a missing next_page_token and refuses a repeated one', async () => {
		const clock = fakeClock();
		const { client, calls } = signedClient(clock, () => ok({ statements: [statement(1)] }));
		expect(await collect(client.statements())).toHaveLength(1);
		expect(calls).toHaveLength(1);

		const looping = signedClient(fakeClock(), () => ok({ next_page_token: 'same', statements: [] }));
		const error = await rejection(collect(looping.client.statements()));
		expect(error).toBeInstanceOf(TikTokApiError);
		expect((error as TikTokApiError).kind).toBe('invalid-response');
		expect(looping.calls).toHaveLength(2);
	});

	it('uses the documented path, version and parameters of every endpoint', async () => {
		const clock = fakeClock();
		const { client, calls } = signedClient(
			clock,
			(call) => {
				if (call.path.endsWith('/shops')) return ok({ shops: [{ id: '1', name: 'S', region: 'DE', cipher: 'C' }] });
				if (call.path.includes('/orders/5793990727963214852/')) {
					return ok({ order_id: '5793990727963214852', currency: 'EUR', sku_transactions: [] });
				}
				if (call.path.includes('/statements/')) return ok({ id: '77', currency: 'EUR', transactions: [] });
				return ok({});
			},
			{ paymentsVersion: '202605', pageSize: 50 },
		);
		await client.authorizedShops();
		await collect(client.payments({ create_time_ge: 10 }));
		await collect(client.withdrawals({ types: ['WITHDRAW', 'SETTLE'] }));
		await collect(client.statementTransactions('77'));
		await client.orderTransactions('5793990727963214852');
		await collect(client.unsettledTransactions({ search_time_ge: 1735689600 }));
		const seen = calls.map((call) => ({
			path: call.path,
			query: stableQuery(call.query, ['sign', 'timestamp', 'app_key']),
			signed: signatureValid(call) && call.query.app_key === APP_KEY,
		}));
		expect(seen).toEqual([
			{ path: '/authorization/202309/shops', query: {}, signed: true },
			{
				path: '/finance/202605/payments',
				query: { shop_cipher: SHOP_CIPHER, sort_field: 'create_time', page_size: '50', create_time_ge: '10' },
				signed: true,
			},
			{
				path: '/finance/202309/withdrawals',
				query: { shop_cipher: SHOP_CIPHER, types: 'WITHDRAW,SETTLE', page_size: '50' },
				signed: true,
			},
			{
				path: '/finance/202501/statements/77/statement_transactions',
				query: { shop_cipher: SHOP_CIPHER, sort_field: 'order_create_time', page_size: '50' },
				signed: true,
			},
			{
				path: '/finance/202501/orders/5793990727963214852/statement_transactions',
				query: { shop_cipher: SHOP_CIPHER },
				signed: true,
			},
			{
				path: '/finance/202507/orders/unsettled',
				query: {
					shop_cipher: SHOP_CIPHER,
					sort_field: 'order_create_time',
					page_size: '50',
					search_time_ge: '1735689600',
				},
				signed: true,
			},
		]);
	});

	it('refuses finance calls without a shop cipher before sending anything', async () => {
		const clock = fakeClock();
		const { client, calls } = signedClient(clock, () => ok({}), { shopCipher: undefined });
		const error = (await rejection(collect(client.statements()))) as TikTokApiError;
		expect(error.kind).toBe('invalid-request');
		expect(error.description).toMatch(/shop/i);
		expect(calls).toHaveLength(0);
	});

	it('collects all transactions of a statement with the top-level totals', async () => {
		const clock = fakeClock();
		const totals = {
			id: '77',
			create_time: 1735689600,
			status: 'SETTLED',
			currency: 'EUR',
			payable_amount: '150',
			total_reserve_amount: '20',
			total_settlement_amount: '130',
			total_settlement_breakdown: { total_revenue_amount: '100', total_fee_tax_amount: '-20' },
			total_count: 3,
		};
		const tx = (n: number, type = 'ORDER') => ({ id: `tx${n}`, type, settlement_amount: '10.00' });
		const { client } = signedClient(clock, (call) =>
			call.query.page_token === undefined
				? ok({ ...totals, next_page_token: 'p/2+', transactions: [tx(1), tx(2)] })
				: ok({ ...totals, next_page_token: '', transactions: [tx(3, 'BRAND_NEW_ADJUSTMENT_TYPE')] }),
		);
		const summary = await client.statementWithTransactions('77');
		expect(summary).toMatchObject(totals);
		expect(summary).not.toHaveProperty('next_page_token');
		expect(summary.transactions.map((item) => [item.id, item.type])).toEqual([
			['tx1', 'ORDER'],
			['tx2', 'ORDER'],
			['tx3', 'BRAND_NEW_ADJUSTMENT_TYPE'],
		]);
	});

	it('rejects invalid money in a response with a clear error naming the field', async () => {
		const clock = fakeClock();
		const { client } = signedClient(clock, () =>
			ok({ statements: [{ ...statement(1), settlement_amount: 100.5 }, { ...statement(2), fee_amount: '1e3' }] }),
		);
		const error = (await rejection(collect(client.statements()))) as TikTokApiError;
		expect(error.kind).toBe('invalid-response');
		expect(error.message).toContain('statements.0.settlement_amount');
		expect(error.message).toContain('statements.1.fee_amount');
	});

	it('maps a non-zero code on HTTP 200 to TikTokApiError with the request id and a useful description', async () => {
		const clock = fakeClock();
		const { client } = signedClient(clock, () => apiError(105005, 'you should apply auth pkg for this api'));
		const error = (await rejection(collect(client.statements()))) as TikTokApiError;
		expect(error).toBeInstanceOf(TikTokApiError);
		expect(error).toMatchObject({
			kind: 'api',
			code: 105005,
			requestId: 'req-105005',
			httpStatus: 200,
			endpoint: '/finance/202309/statements',
			message: 'you should apply auth pkg for this api',
		});
		expect(error.description).toContain('seller.finance.info');
	});
});

describe('TikTokClient retries', () => {
	it('survives 429, 503 and retryable codes with growing full-jitter backoff', async () => {
		const clock = fakeClock();
		const script = [
			jsonResponse(429, { code: 36009002, message: 'Too many requests' }),
			{ status: 503, headers: {}, body: 'Service Unavailable' },
			apiError(36009003, 'internal error'),
			apiError(36009007, 'timeout'),
		];
		const { client, calls } = signedClient(clock, (_call, index) => script[index] ?? ok({ statements: [] }), {
			...noThrottle(clock),
		});
		await collect(client.statements());
		expect(calls).toHaveLength(5);
		// random() = 0.5: half of the exponential ceiling 500, 1000, 2000, 4000 ms.
		expect(clock.sleeps).toEqual([250, 500, 1000, 2000]);
		// Every retry is signed afresh with the then-current timestamp.
		expect(calls.every((call) => signatureValid(call))).toBe(true);
		expect(new Set(calls.map((call) => call.query.timestamp)).size).toBeGreaterThan(1);
	});

	it('keeps every backoff within [0, ceiling) with the ceiling capped at maxDelayMs', async () => {
		const ceilings = [500, 1000, 2000, 4000, 4000, 4000, 4000];
		for (const random of [0, 0.999999]) {
			const clock = fakeClock();
			const { client, calls } = signedClient(clock, () => jsonResponse(503, {}), {
				random: () => random,
				maxAttempts: 8,
				maxDelayMs: 4000,
				...noThrottle(clock),
			});
			await rejection(collect(client.statements()));
			expect(calls).toHaveLength(8);
			expect(clock.sleeps).toHaveLength(ceilings.length);
			clock.sleeps.forEach((slept, index) => {
				expect(slept).toBeGreaterThanOrEqual(0);
				expect(slept).toBeLessThan(ceilings[index]);
				if (random > 0.9) expect(slept).toBeGreaterThan(ceilings[index] * 0.99);
			});
		}
	});

	it('gives up after maxAttempts with a clear error that says how many attempts were made', async () => {
		const clock = fakeClock();
		const { client, calls } = signedClient(clock, () => jsonResponse(429, { code: 36009002, message: 'Too many' }), {
			maxAttempts: 3,
		});
		const error = (await rejection(collect(client.statements()))) as TikTokApiError;
		expect(calls).toHaveLength(3);
		expect(error.kind).toBe('retries-exhausted');
		expect(error.attempts).toBe(3);
		expect(error.httpStatus).toBe(429);
		expect(error.message).toMatch(/after 3 attempts/);
		expect(error.message).toContain('/finance/202309/statements');
	});

	it('honours Retry-After in seconds and as an HTTP date', async () => {
		const clock = fakeClock();
		const retryAt = new Date(clock.now() + 9000).toUTCString();
		const script = [
			jsonResponse(429, {}, { 'Retry-After': '7' }),
			jsonResponse(503, {}, { 'retry-after': retryAt }),
		];
		const { client } = signedClient(clock, (_call, index) => script[index] ?? ok({ statements: [] }), {
			...noThrottle(clock),
		});
		await collect(client.statements());
		const waits = clock.sleeps;
		expect(waits[0]).toBe(7000);
		// The HTTP date has whole-second precision and 7 s have passed since it was computed.
		expect(waits[1]).toBeGreaterThanOrEqual(1000);
		expect(waits[1]).toBeLessThanOrEqual(2000);
	});

	it('fails fast when Retry-After is longer than we are willing to wait', async () => {
		const clock = fakeClock();
		const { client, calls } = signedClient(clock, () => jsonResponse(429, {}, { 'Retry-After': '3600' }));
		const error = (await rejection(collect(client.statements()))) as TikTokApiError;
		expect(calls).toHaveLength(1);
		expect(error.kind).toBe('retries-exhausted');
		expect(error.message).toContain('3600 s');
	});

	it('retries network errors and reports them after the last attempt', async () => {
		const clock = fakeClock();
		const { client, calls } = signedClient(
			clock,
			() => {
				throw new Error('socket hang up');
			},
			{ maxAttempts: 2 },
		);
		const error = (await rejection(collect(client.statements()))) as TikTokApiError;
		expect(calls).toHaveLength(2);
		expect(error.kind).toBe('network');
		expect(error.message).toContain('socket hang up');
		expect(error.message).toMatch(/after 2 attempts/);
	});

	it('does not retry a non-retryable error', async () => {
		const clock = fakeClock();
		const { client, calls } = signedClient(clock, () => apiError(106001, 'Invalid credentials', 401));
		const error = (await rejection(collect(client.statements()))) as TikTokApiError;
		expect(calls).toHaveLength(1);
		expect(error.code).toBe(106001);
		expect(error.description).toMatch(/signature/i);
	});
});

describe('TikTokClient expired access token (105002)', () => {
	for (const status of [200, 401]) {
		it(`refreshes and retries the same page exactly once on HTTP ${status}`, async () => {
			const clock = fakeClock();
			let rejectedOnce = false;
			const { client, calls, tokenCalls, stored } = signedClient(clock, (call) => {
				if (call.query.page_token === PAGE_CURSORS[0] && !rejectedOnce) {
					rejectedOnce = true;
					return apiError(105002, 'access token is expired, please refresh it', status);
				}
				if (call.request.headers['x-tts-access-token'] !== (rejectedOnce ? 'TTP_dummy_access_2' : 'TTP_dummy_access_1')) {
					return apiError(105002, 'access token is expired', status);
				}
				return threePages(call);
			});
			const items = await collect(client.statements());
			expect(items.map((item) => item.id)).toEqual([1, 2, 3, 4].map((n) => statement(n).id));
			expect(calls.map((call) => call.query.page_token ?? 'first')).toEqual([
				'first',
				PAGE_CURSORS[0],
				PAGE_CURSORS[0],
				PAGE_CURSORS[1],
			]);
			expect(tokenCalls).toHaveLength(1);
			expect(tokenCalls[0].path).toBe('/api/v2/token/refresh');
			expect(tokenCalls[0].query).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'TTP_dummy_refresh_1' });
			expect(stored.map((state) => state.refreshToken)).toEqual(['TTP_dummy_refresh_2']);
		});
	}

	it('gives up when the fresh token is rejected too', async () => {
		const clock = fakeClock();
		const { client, calls, tokenCalls } = signedClient(clock, () => apiError(105002, 'access token is expired', 401));
		const error = (await rejection(collect(client.statements()))) as TikTokApiError;
		expect(calls).toHaveLength(2);
		expect(tokenCalls).toHaveLength(1);
		expect(error.code).toBe(105002);
		expect(error.httpStatus).toBe(401);
		expect(error.message).toMatch(/still rejected/);
	});

	it('tells the auth seam which request was rejected (n8n mode: the credential signs)', async () => {
		const clock = fakeClock();
		const rejected: TokenRejectedInfo[] = [];
		let generation = 1;
		const auth: ClientAuth = {
			authorize: async (request: UnsignedRequest) => ({
				...request,
				headers: { ...request.headers, 'x-test-generation': String(generation) },
			}),
			tokenRejected: async (info) => {
				rejected.push(info);
				generation += 1;
			},
		};
		const { send, calls } = fakeSend(clock, (call) =>
			call.request.headers['x-test-generation'] === '1' ? jsonResponse(401, {}) : ok({ shops: [] }),
		);
		const client = new TikTokClient({ appKey: APP_KEY, send, auth, now: clock.now, sleep: clock.sleep });
		expect(await client.authorizedShops()).toEqual([]);
		expect(calls).toHaveLength(2);
		expect(rejected).toHaveLength(1);
		expect(rejected[0]).toMatchObject({ endpoint: '/authorization/202309/shops', httpStatus: 401 });
		expect(calls[0].query).not.toHaveProperty('shop_cipher');
		expect(calls[0].request.url.startsWith('https://open-api.tiktokglobalshop.com/authorization/202309/shops?')).toBe(
			true,
		);
	});

	it('refreshes before sending when the access token expires within the margin', async () => {
		const clock = fakeClock();
		const nowSeconds = Math.floor(clock.now() / 1000);
		const { client, calls, tokenCalls, stored } = signedClient(clock, () => ok({ statements: [] }), {
			state: tokens({ accessTokenExpiresAt: nowSeconds + 120 }),
		});
		await collect(client.statements());
		expect(tokenCalls).toHaveLength(1);
		expect(calls[0].request.headers['x-tts-access-token']).toBe('TTP_dummy_access_2');
		expect(stored).toHaveLength(1);
	});
});

describe('TikTokClient rate limit', () => {
	it('spaces requests of one shop at least 1/rps apart in fake time, also when called concurrently', async () => {
		const clock = virtualClock(START_MS);
		const { client, calls } = signedClient(clock, () => ok({ statements: [] }), { requestsPerSecond: 4 });
		const other = client.forShop('ROW_otherShop');
		await Promise.all([
			...Array.from({ length: 6 }, () => collect(client.statements())),
			...Array.from({ length: 3 }, () => collect(other.statements())),
		]);
		for (const cipher of [SHOP_CIPHER, 'ROW_otherShop']) {
			const times = calls.filter((call) => call.query.shop_cipher === cipher).map((call) => call.atMs);
			for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(250);
		}
		expect(calls.filter((call) => call.query.shop_cipher === SHOP_CIPHER)).toHaveLength(6);
		// Shops are limited separately: the other shop's first request did not wait for this shop's queue.
		const firstOther = calls.find((call) => call.query.shop_cipher === 'ROW_otherShop');
		expect(firstOther?.atMs).toBe(calls[0].atMs);
	});

	it('does not sleep when requests are already far enough apart', async () => {
		const clock = fakeClock();
		const { client } = signedClient(clock, () => ok({ statements: [] }), { requestsPerSecond: 5 });
		await collect(client.statements());
		clock.advance(1000);
		await collect(client.statements());
		expect(clock.sleeps).toEqual([]);
	});
});

describe('TikTokClient never leaks secrets', () => {
	const SECRETS = [APP_SECRET, 'TTP_dummy_access_1', 'TTP_dummy_access_2', 'TTP_dummy_refresh_1', 'TTP_dummy_refresh_2'];

	const leakyCases: Array<[string, () => unknown]> = [
		[
			'a TikTok message echoing credentials',
			() => apiError(36009004, `bad x-tts-access-token: TTP_dummy_access_1 secret ${APP_SECRET}`),
		],
		['an HTTP error with HTML', () => ({ status: 500, headers: {}, body: `<html>${APP_SECRET}</html>` })],
		['a non-JSON 200', () => ({ status: 200, headers: {}, body: 'not json' })],
		['a schema mismatch', () => ok({ statements: [{ id: 1 }] })],
		['exhausted retries', () => jsonResponse(429, { code: 36009002, message: `slow down TTP_dummy_access_1` })],
		['a repeated 105002', () => apiError(105002, `token TTP_dummy_access_1 expired`, 401)],
	];

	for (const [name, respond] of leakyCases) {
		it(`in ${name}`, async () => {
			const clock = fakeClock();
			const { client } = signedClient(clock, () => respond() as ReturnType<typeof ok>, { maxAttempts: 2 });
			const error = await rejection(collect(client.statements()));
			expect(error).toBeInstanceOf(TikTokApiError);
			expectNoSecrets(error, SECRETS);
		});
	}

	it('in a network error whose message contains the URL and the headers', async () => {
		const clock = fakeClock();
		const { client } = signedClient(
			clock,
			(call) => {
				throw new Error(`connect ECONNREFUSED ${call.request.url} ${JSON.stringify(call.request.headers)}`);
			},
			{ maxAttempts: 1 },
		);
		const error = await rejection(collect(client.statements()));
		expectNoSecrets(error, SECRETS);
		expect((error as TikTokApiError).message).toContain('ECONNREFUSED');
	});

	it('in a failed refresh during a request', async () => {
		const clock = fakeClock();
		const { client } = signedClient(clock, () => apiError(105002, 'expired'), {
			tokenApi: (call) => {
				throw new Error(`GET ${call.request.url} failed`);
			},
		});
		const error = (await rejection(collect(client.statements()))) as TikTokApiError;
		expect(error.kind).toBe('network');
		expect(error.message).toContain('https://auth.test/api/v2/token/refresh');
		expectNoSecrets(error, SECRETS);
	});

	it('in a re-authorize error when the refresh token was revoked', async () => {
		const clock = fakeClock();
		const { client } = signedClient(clock, () => apiError(105002, 'expired'), {
			tokenApi: () => apiError(36004005, `can not find related auth record for TTP_dummy_refresh_1`),
		});
		const error = (await rejection(collect(client.statements()))) as TikTokApiError;
		expect(error.needsReauthorization).toBe(true);
		expect(error.description).toContain('https://services.tiktokshop.com/open/authorize?service_id=7777');
		expectNoSecrets(error, SECRETS);
	});
});
