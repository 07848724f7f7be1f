import { describe, expect, it } from '@jest/globals';
import { signRequest } from '../../lib/tiktok/sign';
import { generateShopData, type StatementJson, type StatementTransactionsJson } from '../../sandbox/generate';
import { createSandbox, type Sandbox, SHOPS_SCOPE, type SandboxConfig } from '../../sandbox/index';
import { call, FakeClock, parse, signedRequest, tokenCall } from './helpers';

const data = generateShopData({ seed: 2, from: '2025-01', to: '2025-03', ordersPerMonth: 120 });
const STATEMENTS = '/finance/202309/statements';
const START = Date.UTC(2025, 3, 10, 12, 0, 0);

function setup(config: Partial<SandboxConfig> = {}): { sandbox: Sandbox; clock: FakeClock; cipher: string } {
	const clock = new FakeClock(START);
	const sandbox = createSandbox({ data, now: clock.now, config });
	return { sandbox, clock, cipher: sandbox.credentials.shopCipher };
}

const statementsQuery = (cipher: string, extra: Record<string, string> = {}) => ({
	shop_cipher: cipher,
	sort_field: 'statement_time',
	...extra,
});

interface StatementsPage {
	next_page_token: string;
	statements: StatementJson[];
}

describe('sandbox handler: request validation', () => {
	it('answers a correctly signed request with the statements in TikTok’s envelope', async () => {
		const { sandbox, clock, cipher } = setup();
		const { status, headers, envelope } = await call(sandbox, clock, STATEMENTS, statementsQuery(cipher));
		expect(status).toBe(200);
		expect(envelope.code).toBe(0);
		expect(envelope.request_id).toMatch(/^2025041012\d{4}[0-9A-F]+$/);
		expect(headers['x-tt-logid']).toBe(envelope.request_id);
		expect((envelope.data as StatementsPage).statements).toEqual(data.statements.slice(0, 20));
	});

	it('rejects a wrong or uppercase signature with 106001', async () => {
		const { sandbox, clock, cipher } = setup();
		const request = signedRequest(sandbox, clock, STATEMENTS, statementsQuery(cipher));
		const upper = await sandbox.handle({
			...request,
			query: { ...request.query, sign: request.query.sign.toUpperCase() },
		});
		expect(parse(upper).code).toBe(106001);
		const tampered = await sandbox.handle({ ...request, query: { ...request.query, page_size: '50' } });
		expect(parse(tampered).code).toBe(106001);
		const otherSecret = signRequest({ appSecret: 'wrong', path: STATEMENTS, query: { ...request.query } });
		expect((await call(sandbox, clock, STATEMENTS, statementsQuery(cipher), { sign: otherSecret })).envelope.code).toBe(
			106001,
		);
	});

	it('accepts timestamps from 5 minutes old to 30 seconds ahead and answers 36009004 outside', async () => {
		const { sandbox, clock, cipher } = setup();
		const at = async (timestamp: number) =>
			(await call(sandbox, clock, STATEMENTS, statementsQuery(cipher), { timestamp })).envelope.code;
		expect(await at(clock.seconds - 300)).toBe(0);
		expect(await at(clock.seconds + 30)).toBe(0);
		expect(await at(clock.seconds - 301)).toBe(36009004);
		expect(await at(clock.seconds + 31)).toBe(36009004);
		expect(await at(clock.ms)).toBe(36009004);
	});

	it('requires app_key, sign and content-type and forbids the version query parameter', async () => {
		const { sandbox, clock, cipher } = setup();
		const request = signedRequest(sandbox, clock, STATEMENTS, statementsQuery(cipher));
		const { sign, ...unsigned } = request.query;
		expect(sign).toMatch(/^[0-9a-f]{64}$/);
		expect(parse(await sandbox.handle({ ...request, query: unsigned })).code).toBe(36009004);
		const otherKey = await call(sandbox, clock, STATEMENTS, { ...statementsQuery(cipher), app_key: 'nope' });
		expect(otherKey.envelope.code).toBe(36009004);
		const noType = await call(sandbox, clock, STATEMENTS, statementsQuery(cipher), { headers: { 'content-type': '' } });
		expect(noType.envelope.code).toBe(36009004);
		const version = await call(sandbox, clock, STATEMENTS, statementsQuery(cipher, { version: '202309' }));
		expect(version.envelope.code).toBe(36009004);
	});

	it('checks shop_cipher: missing 106013, another shop 101000, unexpected on seller APIs 36009004', async () => {
		const { sandbox, clock, cipher } = setup();
		expect((await call(sandbox, clock, STATEMENTS, { sort_field: 'statement_time' })).envelope.code).toBe(106013);
		const other = await call(sandbox, clock, STATEMENTS, statementsQuery('ROW_someoneElsesShop'));
		expect(other.envelope.code).toBe(101000);
		const shops = await call(sandbox, clock, '/authorization/202309/shops');
		expect(shops.envelope.data).toEqual({
			shops: [
				{
					id: sandbox.credentials.shopId,
					name: sandbox.credentials.shopName,
					region: 'DE',
					seller_type: 'LOCAL',
					cipher,
					code: data.shop.code,
				},
			],
		});
		expect((await call(sandbox, clock, '/authorization/202309/shops', { shop_cipher: cipher })).envelope.code).toBe(
			36009004,
		);
	});

	it('requires the one allowed sort_field per endpoint and a page_size of 1 to 100', async () => {
		const { sandbox, clock, cipher } = setup();
		const code = async (path: string, query: Record<string, string>) =>
			(await call(sandbox, clock, path, { shop_cipher: cipher, ...query })).envelope.code;
		expect(await code(STATEMENTS, {})).toBe(36009004);
		expect(await code(STATEMENTS, { sort_field: 'create_time' })).toBe(36009004);
		expect(await code('/finance/202309/payments', { sort_field: 'statement_time' })).toBe(36009004);
		expect(await code('/finance/202309/payments', { sort_field: 'create_time' })).toBe(0);
		expect(await code('/finance/202507/orders/unsettled', { sort_field: 'order_create_time' })).toBe(0);
		expect(await code(STATEMENTS, { sort_field: 'statement_time', sort_order: 'desc' })).toBe(36009004);
		for (const size of ['0', '101', '-1', '20.5', 'abc']) {
			expect(await code(STATEMENTS, { sort_field: 'statement_time', page_size: size })).toBe(36009004);
		}
		expect(await code(STATEMENTS, { sort_field: 'statement_time', page_size: '1' })).toBe(0);
		expect(await code(STATEMENTS, { sort_field: 'statement_time', page_size: '100' })).toBe(0);
	});

	it('answers unknown paths 36009009/404, other methods 36009010/405, unknown versions 36009014', async () => {
		const { sandbox, clock, cipher } = setup();
		const unknown = await call(sandbox, clock, '/finance/202309/nothing', statementsQuery(cipher));
		expect([unknown.status, unknown.envelope.code]).toEqual([404, 36009009]);
		const post = await call(sandbox, clock, STATEMENTS, statementsQuery(cipher), { method: 'POST' });
		expect([post.status, post.envelope.code]).toEqual([405, 36009010]);
		const id = data.statements[0].id;
		const sunset = await call(sandbox, clock, `/finance/202309/statements/${id}/statement_transactions`, {
			shop_cipher: cipher,
			sort_field: 'order_create_time',
		});
		expect(sunset.envelope.code).toBe(36009014);
		expect((await call(sandbox, clock, '/finance/202401/statements', statementsQuery(cipher))).envelope.code).toBe(
			36009014,
		);
	});
});

describe('sandbox handler: paging and filters', () => {
	it('pages with opaque tokens containing "/" and "+", bound to the filters', async () => {
		const { sandbox, clock, cipher } = setup();
		const seen: StatementJson[] = [];
		const tokens: string[] = [];
		let token = '';
		do {
			const query = statementsQuery(cipher, { page_size: '7', ...(token ? { page_token: token } : {}) });
			const page = (await call(sandbox, clock, STATEMENTS, query)).envelope.data as StatementsPage;
			seen.push(...page.statements);
			token = page.next_page_token;
			if (token) tokens.push(token);
		} while (token);
		expect(seen).toEqual(data.statements);
		expect(tokens.length).toBeGreaterThan(3);
		for (const issued of tokens) expect(issued).toMatch(/^(?=.*\/)(?=.*\+)[A-Za-z0-9+/]+=*$/);

		const second = tokens[0];
		const changed = await call(
			sandbox,
			clock,
			STATEMENTS,
			statementsQuery(cipher, { page_token: second, sort_order: 'DESC' }),
		);
		expect(changed.envelope.code).toBe(36009004);
		const spaces = await call(
			sandbox,
			clock,
			STATEMENTS,
			statementsQuery(cipher, { page_token: second.replace(/\+/g, ' ') }),
		);
		expect(spaces.envelope.code).toBe(36009004);
		const forged = `${second.slice(0, 10)}${second[10] === 'A' ? 'B' : 'A'}${second.slice(11)}`;
		expect(
			(await call(sandbox, clock, STATEMENTS, statementsQuery(cipher, { page_token: forged }))).envelope.code,
		).toBe(36009004);
		const otherSize = await call(
			sandbox,
			clock,
			STATEMENTS,
			statementsQuery(cipher, { page_token: second, page_size: '3' }),
		);
		expect((otherSize.envelope.data as StatementsPage).statements).toEqual(data.statements.slice(7, 10));
	});

	it('counts page fetches per path and token, so duplicate fetches show', async () => {
		const { sandbox, clock, cipher } = setup();
		const first = await call(sandbox, clock, STATEMENTS, statementsQuery(cipher, { page_size: '10' }));
		const token = (first.envelope.data as StatementsPage).next_page_token;
		await call(sandbox, clock, STATEMENTS, statementsQuery(cipher, { page_size: '10', page_token: token }));
		await call(sandbox, clock, STATEMENTS, statementsQuery(cipher, { page_size: '10', page_token: token }));
		expect(sandbox.stats.pageFetches[`${STATEMENTS}?page_token=${token}`]).toBe(2);
		expect(sandbox.stats.pageFetches[`${STATEMENTS}?page_token=`]).toBe(1);
		expect(sandbox.stats.byEndpoint[`GET ${STATEMENTS}`]).toBe(3);
	});

	it('filters statements by [statement_time_ge, statement_time_lt), lt defaulting to now, and by payment_status', async () => {
		const { sandbox, clock, cipher } = setup();
		const fetchAll = async (extra: Record<string, string>) =>
			(
				(await call(sandbox, clock, STATEMENTS, statementsQuery(cipher, { page_size: '100', ...extra }))).envelope
					.data as StatementsPage
			).statements;
		const feb1 = Date.UTC(2025, 1, 1) / 1000;
		const mar1 = Date.UTC(2025, 2, 1) / 1000;
		const february = await fetchAll({ statement_time_ge: String(feb1), statement_time_lt: String(mar1) });
		expect(february).toEqual(data.statements.filter((s) => s.statement_time >= feb1 && s.statement_time < mar1));
		expect(february[0].statement_time).toBe(feb1);
		clock.ms = Date.UTC(2025, 1, 10);
		const untilNow = await fetchAll({ statement_time_ge: String(feb1) });
		expect(untilNow.at(-1)?.statement_time).toBe(Date.UTC(2025, 1, 10) / 1000 - 86_400);
		clock.ms = START;
		const processing = await fetchAll({ payment_status: 'PROCESSING' });
		expect(processing.length).toBeGreaterThan(0);
		expect(processing.every((s) => s.payment_status === 'PROCESSING')).toBe(true);
		expect(
			(await call(sandbox, clock, STATEMENTS, statementsQuery(cipher, { payment_status: 'paid' }))).envelope.code,
		).toBe(36009004);
		const descending = await fetchAll({ sort_order: 'DESC' });
		expect(descending).toEqual([...data.statements].reverse().slice(0, 100));
	});

	it('pages a statement’s transactions and returns the same totals as the dataset', async () => {
		const { sandbox, clock, cipher } = setup();
		const statement = data.statements[20];
		const path = `/finance/202501/statements/${statement.id}/statement_transactions`;
		const rows: unknown[] = [];
		let token = '';
		let last: StatementTransactionsJson & { next_page_token: string };
		do {
			const query = {
				shop_cipher: cipher,
				sort_field: 'order_create_time',
				page_size: '2',
				...(token ? { page_token: token } : {}),
			};
			last = (await call(sandbox, clock, path, query)).envelope.data as StatementTransactionsJson & {
				next_page_token: string;
			};
			rows.push(...last.transactions);
			token = last.next_page_token;
		} while (token);
		const expected = data.statementTransactions(statement.id) as StatementTransactionsJson;
		expect(rows).toEqual(expected.transactions);
		expect(last.total_count).toBe(expected.transactions.length);
		expect(last.payable_amount).toBe(expected.payable_amount);
		const unknown = await call(sandbox, clock, '/finance/202501/statements/123/statement_transactions', {
			shop_cipher: cipher,
			sort_field: 'order_create_time',
		});
		expect(unknown.envelope.code).toBe(36009004);
	});

	it('serves payments (202309 with reserve, 202605 without), withdrawals by type, orders and unsettled', async () => {
		const { sandbox, clock, cipher } = setup();
		const q = { shop_cipher: cipher, sort_field: 'create_time', page_size: '100' };
		const v309 = (await call(sandbox, clock, '/finance/202309/payments', q)).envelope.data as { payments: object[] };
		expect(v309.payments).toEqual(data.payments);
		const v605 = (await call(sandbox, clock, '/finance/202605/payments', q)).envelope.data as { payments: object[] };
		expect(v605.payments.every((p) => !('reserve_amount' in p))).toBe(true);

		const withdrawals = '/finance/202309/withdrawals';
		expect((await call(sandbox, clock, withdrawals, { shop_cipher: cipher })).envelope.code).toBe(36009004);
		const settle = await call(sandbox, clock, withdrawals, { shop_cipher: cipher, types: 'SETTLE,TRANSFER' });
		const settled = settle.envelope.data as { total_count: number; withdrawals: Array<{ type: string }> };
		expect(settled.total_count).toBe(
			data.withdrawals.filter((w) => w.type === 'SETTLE' || w.type === 'TRANSFER').length,
		);
		expect(settled.withdrawals.every((w) => w.type === 'SETTLE' || w.type === 'TRANSFER')).toBe(true);
		expect((await call(sandbox, clock, withdrawals, { shop_cipher: cipher, types: 'PAYOUT' })).envelope.code).toBe(
			36009004,
		);

		const orderId =
			(data.statementTransactions(data.statements[3].id)?.transactions ?? []).find((t) => t.order_id)?.order_id ?? '';
		const order = await call(sandbox, clock, `/finance/202501/orders/${orderId}/statement_transactions`, {
			shop_cipher: cipher,
		});
		expect(order.envelope.data).toEqual(data.orderTransactions(orderId));

		const unsettled = await call(sandbox, clock, '/finance/202507/orders/unsettled', {
			shop_cipher: cipher,
			sort_field: 'order_create_time',
			page_size: '100',
		});
		const expected = data.unsettledTransactions({ ge: 1_735_689_600, lt: clock.seconds }, { offset: 0, limit: 100 });
		expect(unsettled.envelope.data).toEqual({ next_page_token: expect.any(String), ...expected });
	});
});

describe('sandbox handler: time passing', () => {
	it('serves a later dataset of the same shop after setData, and refuses another shop', async () => {
		const options = { seed: 2, from: '2025-01', to: '2025-03', ordersPerMonth: 120 };
		const clock = new FakeClock(Date.UTC(2025, 1, 1, 12));
		const sandbox = createSandbox({
			data: generateShopData({ ...options, now: clock.ms }),
			now: clock.now,
			config: { accessTokenTtlSeconds: 30 * 86_400 },
		});
		const cipher = sandbox.credentials.shopCipher;
		const latest = async () => {
			const page = await call(
				sandbox,
				clock,
				STATEMENTS,
				statementsQuery(cipher, { sort_order: 'DESC', page_size: '1' }),
			);
			return (page.envelope.data as StatementsPage).statements[0];
		};
		expect((await latest()).statement_time).toBe(Date.UTC(2025, 1, 1) / 1000);
		clock.advanceSeconds(10 * 86_400);
		sandbox.setData(generateShopData({ ...options, now: clock.ms }));
		expect((await latest()).statement_time).toBe(Date.UTC(2025, 1, 11) / 1000);
		expect(sandbox.data.now).toBe(clock.ms);
		expect(() => sandbox.setData(generateShopData({ ...options, seed: 3 }))).toThrow(/same shop/);
	});
});

describe('sandbox handler: authorization', () => {
	it('exchanges an auth code once, within 30 minutes, only with grant_type=authorized_code', async () => {
		const { sandbox, clock, cipher } = setup();
		const code = sandbox.credentials.authCode();
		expect((await tokenCall(sandbox, 'get', { auth_code: code, grant_type: 'authorization_code' })).code).toBe(
			36009004,
		);
		const grant = await tokenCall(sandbox, 'get', { auth_code: code, grant_type: 'authorized_code' });
		expect(grant.code).toBe(0);
		const tokens = grant.data as { access_token: string; access_token_expire_in: number; granted_scopes: string[] };
		expect(tokens.access_token_expire_in).toBe(clock.seconds + 7 * 86_400);
		expect(tokens.granted_scopes).toContain('seller.finance.info');
		const works = await call(sandbox, clock, STATEMENTS, statementsQuery(cipher), { token: tokens.access_token });
		expect(works.envelope.code).toBe(0);
		expect((await tokenCall(sandbox, 'get', { auth_code: code, grant_type: 'authorized_code' })).code).toBe(36004004);

		const late = sandbox.credentials.authCode();
		clock.advanceSeconds(30 * 60);
		expect((await tokenCall(sandbox, 'get', { auth_code: late, grant_type: 'authorized_code' })).code).toBe(36004004);
		expect((await tokenCall(sandbox, 'get', { auth_code: 'made-up', grant_type: 'authorized_code' })).code).toBe(
			36004004,
		);
		const wrongSecret = await sandbox.handle({
			method: 'GET',
			path: '/api/v2/token/get',
			query: {
				app_key: sandbox.credentials.appKey,
				app_secret: 'x',
				auth_code: sandbox.credentials.authCode(),
				grant_type: 'authorized_code',
			},
			headers: {},
			body: '',
		});
		expect(parse(wrongSecret).code).toBe(36009004);
		expect(sandbox.stats.authCodesRedeemed).toBe(1);
	});

	it('rotates refresh tokens: each works once, keeps the authorization’s expiry, and expires with it', async () => {
		const { sandbox, clock } = setup({ refreshTokenTtlSeconds: 30 * 86_400 });
		const first = (
			await tokenCall(sandbox, 'get', { auth_code: sandbox.credentials.authCode(), grant_type: 'authorized_code' })
		).data as { refresh_token: string; refresh_token_expire_in: number };
		clock.advanceSeconds(3600);
		const refresh = (token: string) =>
			tokenCall(sandbox, 'refresh', { refresh_token: token, grant_type: 'refresh_token' });
		const second = await refresh(first.refresh_token);
		expect(second.code).toBe(0);
		const rotated = second.data as { refresh_token: string; refresh_token_expire_in: number };
		expect(rotated.refresh_token).not.toBe(first.refresh_token);
		expect(rotated.refresh_token_expire_in).toBe(first.refresh_token_expire_in);
		expect((await refresh(first.refresh_token)).code).toBe(36004005);
		expect(
			(await tokenCall(sandbox, 'refresh', { refresh_token: rotated.refresh_token, grant_type: 'authorized_code' }))
				.code,
		).toBe(36009004);
		clock.advanceSeconds(30 * 86_400);
		expect((await refresh(rotated.refresh_token)).code).toBe(36004001);
		expect(sandbox.stats.refreshes).toBe(1);
		expect(sandbox.stats.tokensIssued).toBe(2);
	});

	it.each([200, 401] as const)(
		'answers an expired access token with HTTP %i + 105002; a refresh fixes it',
		async (httpStatus) => {
			const { sandbox, clock, cipher } = setup({ expiredTokenStatus: httpStatus, accessTokenTtlSeconds: 600 });
			const grant = (
				await tokenCall(sandbox, 'get', { auth_code: sandbox.credentials.authCode(), grant_type: 'authorized_code' })
			).data as { access_token: string; refresh_token: string };
			expect(
				(await call(sandbox, clock, STATEMENTS, statementsQuery(cipher), { token: grant.access_token })).envelope.code,
			).toBe(0);
			clock.advanceSeconds(600);
			const expired = await call(sandbox, clock, STATEMENTS, statementsQuery(cipher), { token: grant.access_token });
			expect([expired.status, expired.envelope.code]).toEqual([httpStatus, 105002]);
			const refreshed = (
				await tokenCall(sandbox, 'refresh', { refresh_token: grant.refresh_token, grant_type: 'refresh_token' })
			).data as { access_token: string };
			const again = await call(sandbox, clock, STATEMENTS, statementsQuery(cipher), { token: refreshed.access_token });
			expect([again.status, again.envelope.code]).toEqual([200, 0]);
		},
	);

	it('expires tokens on demand, rejects unknown tokens, and enforces the finance scope', async () => {
		const { sandbox, clock, cipher } = setup();
		sandbox.config.expireTokensNow = true;
		expect((await call(sandbox, clock, STATEMENTS, statementsQuery(cipher))).envelope.code).toBe(105002);
		expect(sandbox.config.expireTokensNow).toBe(false);
		const unknown = await call(sandbox, clock, STATEMENTS, statementsQuery(cipher), { token: 'TTP_unknown' });
		expect(unknown.envelope.code).toBe(36009004);

		sandbox.config.grantedScopes = [SHOPS_SCOPE];
		const grant = (
			await tokenCall(sandbox, 'get', { auth_code: sandbox.credentials.authCode(), grant_type: 'authorized_code' })
		).data as { access_token: string };
		const denied = await call(sandbox, clock, STATEMENTS, statementsQuery(cipher), { token: grant.access_token });
		expect(denied.envelope.code).toBe(105005);
		expect(
			(await call(sandbox, clock, '/authorization/202309/shops', {}, { token: grant.access_token })).envelope.code,
		).toBe(0);
	});
});

describe('sandbox handler: faults', () => {
	it('rate-limits per shop with a token bucket: HTTP 429 + 36009002 + Retry-After, refilled by the clock', async () => {
		const { sandbox, clock, cipher } = setup({ rateLimit: { rps: 5 } });
		const results = [];
		for (let i = 0; i < 8; i++) results.push(await call(sandbox, clock, STATEMENTS, statementsQuery(cipher)));
		expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
		expect(results[5].envelope.code).toBe(36009002);
		expect(results[5].headers['retry-after']).toBe('1');
		expect(sandbox.stats.rateLimited).toBe(3);
		clock.advanceSeconds(0.2);
		expect((await call(sandbox, clock, STATEMENTS, statementsQuery(cipher))).status).toBe(200);
		expect((await call(sandbox, clock, STATEMENTS, statementsQuery(cipher))).status).toBe(429);
		clock.advanceSeconds(1);
		const burst = [];
		for (let i = 0; i < 6; i++) burst.push((await call(sandbox, clock, STATEMENTS, statementsQuery(cipher))).status);
		expect(burst).toEqual([200, 200, 200, 200, 200, 429]);
	});

	it('plays forced faults in order: 429, 503, 36009003, slow; token endpoints only when named', async () => {
		const { sandbox, clock, cipher } = setup({ latencyMs: 15 });
		sandbox.injectFaults('rate_limit', 1, { retryAfterSeconds: 7 });
		sandbox.injectFaults('unavailable', 1);
		sandbox.injectFaults('internal_error', 1);
		sandbox.injectFaults('slow', 1, { delayMs: 3000 });
		const token = await tokenCall(sandbox, 'get', {
			auth_code: sandbox.credentials.authCode(),
			grant_type: 'authorized_code',
		});
		expect(token.code).toBe(0);
		const responses = [];
		for (let i = 0; i < 5; i++)
			responses.push(await sandbox.handle(signedRequest(sandbox, clock, STATEMENTS, statementsQuery(cipher))));
		expect(responses.map((r) => r.status)).toEqual([429, 503, 200, 200, 200]);
		expect(responses[0].headers['retry-after']).toBe('7');
		expect(responses[1].body).not.toMatch(/^\{/);
		expect(parse(responses[2]).code).toBe(36009003);
		expect([parse(responses[3]).code, responses[3].delayMs]).toEqual([0, 3015]);
		expect(responses[4].delayMs).toBe(15);
		expect(sandbox.stats.faultsInjected).toBe(4);

		sandbox.injectFaults('unavailable', 1, { path: '/api/v2/token' });
		const refreshFault = await sandbox.handle({
			method: 'GET',
			path: '/api/v2/token/refresh',
			query: {},
			headers: {},
			body: '',
		});
		expect(refreshFault.status).toBe(503);
	});
});
