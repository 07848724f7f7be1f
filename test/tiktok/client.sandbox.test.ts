/*
 * TikTokClient + TokenManager against the local sandbox over loopback HTTP. Time is virtual (test/support/
 * virtual-clock.js) and shared by client and sandbox, so token lifetimes, timestamps, Retry-After and the client's
 * rate limit play out in fake time without costing wall time.
 */
import { createSigningAuth } from '../../lib/tiktok/auth';
import { compactStatementItem } from '../../lib/booking/input';
import { runOperation } from '../../lib/fetch/operations';
import { statementWithTransactions, withIsoTimes, type JsonRecord } from '../../lib/fetch/records';
import { TikTokClient, type TikTokClientOptions } from '../../lib/tiktok/client';
import { TikTokApiError } from '../../lib/tiktok/errors';
import { TokenManager, type TokenState, exchangeAuthCode, refreshAccessToken } from '../../lib/tiktok/token';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/index';
import { generateShopData, type ShopData } from '../../sandbox/generate';
import { listen } from '../../sandbox/http';
import { loopbackSend } from '../support/http-send';
import { virtualClock } from '../support/virtual-clock';
import { collect, expectNoSecrets, rejection } from './fakes';

const LINK = 'https://services.tiktokshop.com/open/authorize?service_id=7777';

interface Harness {
	sandbox: Sandbox;
	clock: ReturnType<typeof virtualClock>;
	url: string;
	manager: TokenManager;
	/** Every state handed to onTokens, in order. */
	stored: TokenState[];
	client(options?: Partial<TikTokClientOptions>): TikTokClient;
	/** Every secret the sandbox or the token manager has seen, for leak checks. */
	secrets(): string[];
}

const servers: Array<{ close(): Promise<void> }> = [];
const send = loopbackSend();

afterAll(async () => {
	await Promise.all(servers.map((server) => server.close()));
});

const dataCache = new Map<string, ShopData>();
function shopData(ordersPerMonth: number, from = '2025-03', to = '2025-03'): ShopData {
	const key = `${ordersPerMonth}:${from}:${to}`;
	let data = dataCache.get(key);
	if (!data) {
		data = generateShopData({ seed: 7, from, to, ordersPerMonth });
		dataCache.set(key, data);
	}
	return data;
}

async function harness(options: { ordersPerMonth?: number; config?: SandboxOptions['config']; login?: boolean } = {}) {
	const data = shopData(options.ordersPerMonth ?? 300);
	const clock = virtualClock(data.now);
	const sandbox = createSandbox({ data, now: clock.now, config: options.config });
	const server = await listen(sandbox);
	servers.push(server);
	const stored: TokenState[] = [];
	const manager = new TokenManager({
		appKey: sandbox.credentials.appKey,
		appSecret: sandbox.credentials.appSecret,
		send,
		now: clock.now,
		authBaseUrl: server.url,
		authorizationUrl: LINK,
		onTokens: (state) => {
			stored.push(state);
		},
	});
	if (options.login !== false) await manager.exchangeAuthCode(sandbox.credentials.authCode());
	const h: Harness = {
		sandbox,
		clock,
		url: server.url,
		manager,
		stored,
		client: (overrides = {}) =>
			new TikTokClient({
				appKey: sandbox.credentials.appKey,
				baseUrl: server.url,
				shopCipher: sandbox.credentials.shopCipher,
				send,
				auth: createSigningAuth({
					appKey: sandbox.credentials.appKey,
					appSecret: sandbox.credentials.appSecret,
					tokenManager: manager,
					now: clock.now,
				}),
				now: clock.now,
				sleep: clock.sleep,
				secrets: [sandbox.credentials.appSecret],
				...overrides,
			}),
		secrets: () => [
			sandbox.credentials.appSecret,
			sandbox.credentials.accessToken,
			sandbox.credentials.refreshToken,
			...stored.flatMap((state) => [state.accessToken, state.refreshToken]),
		],
	};
	return h;
}

/** Every paged fetch the sandbox served exactly once. */
function expectEveryPageOnce(sandbox: Sandbox): void {
	const counts = Object.values(sandbox.stats.pageFetches);
	expect(counts.length).toBeGreaterThan(0);
	expect(counts.filter((count) => count !== 1)).toEqual([]);
}

describe('TikTokClient against the sandbox: authorization', () => {
	it('exchanges an auth code, lists the authorized shop and rejects a second use of the code', async () => {
		const h = await harness({ login: false });
		const code = h.sandbox.credentials.authCode();
		const grant = await h.manager.exchangeAuthCode(code);
		expect(grant.grantedScopes).toContain('seller.finance.info');
		expect(grant.userType).toBe(0);
		expect(grant.tokens.accessTokenExpiresAt).toBe(Math.floor(h.clock.now() / 1000) + 7 * 86400);
		expect(h.stored).toEqual([grant.tokens]);

		const shops = await h.client({ shopCipher: undefined }).authorizedShops();
		expect(shops).toEqual([
			expect.objectContaining({ id: h.sandbox.credentials.shopId, cipher: h.sandbox.credentials.shopCipher }),
		]);

		const reuse = (await rejection(
			exchangeAuthCode(
				{ appKey: h.sandbox.credentials.appKey, appSecret: h.sandbox.credentials.appSecret, send, authBaseUrl: h.url, authorizationUrl: LINK },
				code,
			),
		)) as TikTokApiError;
		expect(reuse.code).toBe(36004004);
		expect(reuse.needsReauthorization).toBe(true);
		expect(reuse.description).toContain(LINK);
		expectNoSecrets(reuse, [...h.secrets(), code]);
	});

	it('refreshes before expiry, persists the rotated refresh token, and the old one is dead', async () => {
		const h = await harness({ config: { accessTokenTtlSeconds: 600 } });
		const first = h.stored[0];
		await h.clock.sleep(400_000); // 200 s left: inside the 300 s margin
		await collect(h.client().statements());
		expect(h.sandbox.stats.refreshes).toBe(1);
		expect(h.sandbox.stats.byCode['105002']).toBeUndefined();
		expect(h.stored).toHaveLength(2);
		const rotated = h.stored[1];
		expect(rotated.refreshToken).not.toBe(first.refreshToken);
		expect(h.manager.tokens).toEqual(rotated);

		// The persisted state is the one that works: a fresh manager built from it can refresh again …
		const restored = new TokenManager({
			appKey: h.sandbox.credentials.appKey,
			appSecret: h.sandbox.credentials.appSecret,
			send,
			now: h.clock.now,
			authBaseUrl: h.url,
			tokens: rotated,
		});
		await restored.refresh();
		// … while the pre-rotation refresh token is rejected with a re-authorize error.
		const stale = (await rejection(
			refreshAccessToken(
				{ appKey: h.sandbox.credentials.appKey, appSecret: h.sandbox.credentials.appSecret, send, authBaseUrl: h.url, authorizationUrl: LINK },
				first.refreshToken,
			),
		)) as TikTokApiError;
		expect(stale.needsReauthorization).toBe(true);
		expectNoSecrets(stale, h.secrets());
	});

	it('asks for re-authorization once the refresh token (the authorization) has expired', async () => {
		const h = await harness({ config: { accessTokenTtlSeconds: 600, refreshTokenTtlSeconds: 3600 } });
		await h.clock.sleep(2 * 3600 * 1000);
		const before = h.sandbox.stats.requests;
		const local = (await rejection(collect(h.client().statements()))) as TikTokApiError;
		expect(local.kind).toBe('reauthorize');
		expect(local.description).toContain(LINK);
		expect(h.sandbox.stats.requests).toBe(before);
		expectNoSecrets(local, h.secrets());

		// If our stored expiry is wrong (e.g. edited), TikTok's 36004001 leads to the same clear error.
		const tampered = new TokenManager({
			appKey: h.sandbox.credentials.appKey,
			appSecret: h.sandbox.credentials.appSecret,
			send,
			now: h.clock.now,
			authBaseUrl: h.url,
			authorizationUrl: LINK,
			tokens: { ...h.stored[0], refreshTokenExpiresAt: h.stored[0].refreshTokenExpiresAt + 86400 * 365 },
		});
		const remote = (await rejection(tampered.refresh())) as TikTokApiError;
		expect(remote.code).toBe(36004001);
		expect(remote.needsReauthorization).toBe(true);
		expect(remote.description).toContain(LINK);
		expectNoSecrets(remote, h.secrets());
	});

	it('names the signature problem when the app secret is wrong, without printing either secret', async () => {
		const h = await harness();
		const wrongSecret = 'dummy-wrong-secret-1234567890';
		const client = h.client({
			auth: createSigningAuth({
				appKey: h.sandbox.credentials.appKey,
				appSecret: wrongSecret,
				tokenManager: h.manager,
				now: h.clock.now,
			}),
			secrets: [wrongSecret],
		});
		const error = (await rejection(collect(client.statements()))) as TikTokApiError;
		expect(error.code).toBe(106001);
		expect(error.description).toMatch(/signature/);
		expectNoSecrets(error, [...h.secrets(), wrongSecret]);
	});
});

describe('TikTokClient against the sandbox: expired access token mid-pagination', () => {
	for (const status of [200, 401] as const) {
		it(`refreshes on 105002 (HTTP ${status}) and loses or repeats no page`, async () => {
			const h = await harness({ ordersPerMonth: 3000, config: { expiredTokenStatus: status } });
			const statement = h.sandbox.data.statements.find((candidate) => {
				const detail = h.sandbox.data.statementTransactions(candidate.id);
				return (detail?.total_count ?? 0) > 60;
			});
			if (!statement) throw new Error('dataset has no statement with more than 60 transactions');
			const expected = h.sandbox.data.statementTransactions(statement.id);
			const client = h.client({ pageSize: 20 });
			const ids: string[] = [];
			let pages = 0;
			for await (const page of client.statementTransactions(statement.id)) {
				pages += 1;
				ids.push(...page.transactions.map((transaction) => transaction.id));
				if (pages === 2) h.sandbox.expireAccessTokens();
			}
			expect(h.sandbox.stats.byCode['105002']).toBe(1);
			expect(h.sandbox.stats.refreshes).toBe(1);
			expect(ids).toEqual(expected?.transactions.map((transaction) => transaction.id));
			expect(new Set(ids).size).toBe(ids.length);
			expectEveryPageOnce(h.sandbox);
			expect(h.stored.at(-1)).toEqual(h.manager.tokens);
		});
	}
});

describe('TikTokClient against the sandbox: rate limits and outages', () => {
	it('survives a 429 storm and 503s within the retry bound, honouring Retry-After', async () => {
		const h = await harness();
		h.sandbox.injectFaults('rate_limit', 2, { retryAfterSeconds: 3 });
		h.sandbox.injectFaults('unavailable', 1);
		h.sandbox.injectFaults('internal_error', 1);
		const statements = await collect(h.client().statements());
		expect(statements.map((item) => item.id)).toEqual(h.sandbox.data.statements.map((item) => item.id));
		expect(h.sandbox.stats.faultsInjected).toBe(4);
		expect(h.clock.sleeps.filter((ms) => ms >= 3000).length).toBeGreaterThanOrEqual(2);
		expectEveryPageOnce(h.sandbox);
	});

	it('gives up beyond the retry bound with a clear error', async () => {
		const h = await harness();
		h.sandbox.injectFaults('rate_limit', 10, { retryAfterSeconds: 1 });
		const error = (await rejection(collect(h.client({ maxAttempts: 4 }).statements()))) as TikTokApiError;
		expect(error.kind).toBe('retries-exhausted');
		expect(error.attempts).toBe(4);
		expect(error.httpStatus).toBe(429);
		expect(error.message).toMatch(/after 4 attempts/);
		expect(h.sandbox.stats.faultsInjected).toBe(4);
		expectNoSecrets(error, h.secrets());
	});

	it("never throttled when the maximum is the sandbox's limit; without a maximum it finds the limit and loses nothing", async () => {
		const polite = await harness({ config: { rateLimit: { rps: 5 } } });
		const statementIds = polite.sandbox.data.statements.slice(0, 12).map((item) => item.id);
		const politeClient = polite.client({ requestsPerSecond: 5 });
		await Promise.all(statementIds.map((id) => politeClient.statementWithTransactions(id)));
		expect(polite.sandbox.stats.rateLimited).toBe(0);

		const eager = await harness({ config: { rateLimit: { rps: 5 } } });
		const client = eager.client({ requestsPerSecond: 1000, startRequestsPerSecond: 50 });
		const results = await Promise.all(statementIds.map((id) => client.statementWithTransactions(id)));
		expect(eager.sandbox.stats.rateLimited).toBeGreaterThan(0);
		results.forEach((result, index) => {
			expect(result.transactions).toHaveLength(eager.sandbox.data.statementTransactions(statementIds[index])?.total_count ?? -1);
		});
		expectEveryPageOnce(eager.sandbox);
	});
});

describe('TikTokClient against the sandbox: adaptive rate limit', () => {
	const period = { preset: 'custom', timeZone: 'UTC', start: '2025-03-01', end: '2025-03-31' };

	it('fetches a month of statements with all transactions at a hidden limit of 20 per second: every page once, under 2 % throttled, at the limit', async () => {
		const rps = 20;
		const h = await harness({ ordersPerMonth: 20_000, config: { rateLimit: { rps } } });
		const sent: number[] = [];
		const client = h.client({
			send: (request) => {
				sent.push(h.clock.now());
				return send(request);
			},
		});
		const counts: Array<[number, number | undefined]> = [];
		for await (const item of runOperation(client, { resource: 'statement', operation: 'getMany', period, includeTransactions: true, output: 'compact', options: {} }, h.clock.now())) {
			counts.push([(item.transactions as unknown[]).length, h.sandbox.data.statementTransactions(String(item.id))?.total_count]);
		}
		expect(counts.length).toBeGreaterThanOrEqual(30);
		expect(counts.every(([fetched, total]) => fetched === total)).toBe(true);
		expectEveryPageOnce(h.sandbox);
		expect(h.sandbox.stats.rateLimited).toBeGreaterThan(0);
		expect(h.sandbox.stats.rateLimited / h.sandbox.stats.requests).toBeLessThan(0.02);
		// The default maximum (TikTok's documented 50 per second) is never exceeded: no two requests closer than 20 ms.
		for (let i = 1; i < sent.length; i++) expect(sent[i] - sent[i - 1]).toBeGreaterThanOrEqual(20 - 1e-6);
		// Converged: the second half of the requests went out at 80 % of the limit or more (virtual time).
		const half = sent.slice(Math.floor(sent.length / 2));
		expect((half.length - 1) / ((half[half.length - 1] - half[0]) / 1000)).toBeGreaterThan(0.8 * rps);
	});
});

describe('TikTok Payments statements with all transactions, compact', () => {
	it('is compacted page by page into the same item, byte for byte, as compacting the whole raw statement at once', async () => {
		const h = await harness({ ordersPerMonth: 3_000 });
		// Pages of 7 transactions: every statement comes in many pages (the last one short).
		const client = h.client({ pageSize: 7 });
		const statements = await collect(client.statements());
		expect(statements.length).toBeGreaterThanOrEqual(28);
		for (const statement of statements.slice(0, 4)) {
			const raw = await statementWithTransactions(client, statement, 'raw');
			const compact = await statementWithTransactions(client, statement, 'compact');
			const whole = compactStatementItem(raw) as JsonRecord & { transactions: JsonRecord[] };
			const expected = withIsoTimes({ ...whole, covered_day: raw.covered_day, transactions: whole.transactions.map((transaction) => withIsoTimes(transaction)) });
			expect(raw.transactions.length).toBeGreaterThan(3 * 7);
			expect(JSON.stringify(compact)).toBe(JSON.stringify(expected));
		}
	});
});

describe('TikTokClient against the sandbox: a large month', () => {
	it('fetches every page of 100,000 orders exactly once', async () => {
		const h = await harness({ ordersPerMonth: 100_000 });
		const client = h.client();
		const statements = await collect(client.statements());
		expect(statements.length).toBeGreaterThanOrEqual(28);
		let transactions = 0;
		const orders = new Set<string>();
		const seen = new Set<string>();
		for (const statement of statements) {
			const summary = await client.statementWithTransactions(statement.id);
			expect(summary.transactions).toHaveLength(summary.total_count ?? -1);
			for (const transaction of summary.transactions) {
				seen.add(transaction.id);
				// Refunds come as further ORDER lines of the same order, so count distinct orders.
				if (transaction.type === 'ORDER' && transaction.order_id) orders.add(transaction.order_id);
			}
			transactions += summary.transactions.length;
		}
		expect(seen.size).toBe(transactions);
		expect(orders.size).toBe(100_000);
		expectEveryPageOnce(h.sandbox);
		expect(h.sandbox.stats.rateLimited).toBe(0);
		// ~40 s on an idle 2-core machine (generating the month dominates); a loaded CI machine needs more.
	}, 240_000);
});
