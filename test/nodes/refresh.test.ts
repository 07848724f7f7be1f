import { afterEach, describe, expect, it } from '@jest/globals';
import { sleep, type ICredentialDataDecryptedObject, type IDataObject, type IExecuteFunctions, type IPollFunctions } from 'n8n-workflow';

import { authInputFingerprint, persistedForm } from '../../lib/credential/stored';
import { TikTokPayments } from '../../nodes/TikTokPayments/TikTokPayments.node';
import { TikTokPaymentsTrigger } from '../../nodes/TikTokPaymentsTrigger/TikTokPaymentsTrigger.node';
import { createSandbox, type Sandbox, type SandboxRequest } from '../../sandbox';
import { listen } from '../../sandbox/http';
import { loopbackSend } from '../support/http-send';
import { startHungServer } from '../support/hung-server';
import { CredentialStore, fakeContext, type RawSend } from '../support/n8n-context';

/*
 * The credential and the nodes together, through the stand-in for n8n-core (which wraps every failure of the
 * authenticated request helper in a NodeApiError, as n8n-core 2.41.1 does): refreshes that cannot lose the
 * authorization, the 401 fast path, timeouts, and the notice before the authorization ends.
 */

const node = new TikTokPayments();
const trigger = new TikTokPaymentsTrigger();
const send = loopbackSend() as RawSend;
const DAY = 86_400;

interface Shop {
	sandbox: Sandbox;
	url: string;
	/** Runs before the sandbox answers (e.g. to play another n8n process). */
	beforeRequest?: (request: SandboxRequest) => Promise<void>;
}
const closers: Array<() => Promise<void>> = [];

/** A fresh sandbox per test: the shop list cache of the node module is keyed by the API host. */
async function startShop(config: Partial<Sandbox['config']> = {}): Promise<Shop> {
	const sandbox = createSandbox({ seed: 3, from: '2026-08', to: '2026-09', ordersPerMonth: 30, config });
	const shop: Shop = { sandbox, url: '' };
	const server = await listen({
		async handle(request: SandboxRequest) {
			await shop.beforeRequest?.(request);
			return sandbox.handle(request);
		},
	});
	shop.url = server.url;
	closers.push(() => server.close());
	return shop;
}

afterEach(async () => {
	while (closers.length > 0) await closers.pop()?.();
});

function credentialFor(shop: Shop, extra: ICredentialDataDecryptedObject = {}): CredentialStore {
	return new CredentialStore({
		appKey: shop.sandbox.credentials.appKey,
		appSecret: shop.sandbox.credentials.appSecret,
		serviceId: '7321000000000000001',
		authCode: shop.sandbox.credentials.authCode(),
		customHosts: true,
		apiBaseUrl: shop.url,
		authBaseUrl: shop.url,
		accessToken: '',
		...extra,
	});
}

const statements = { resource: 'statement', operation: 'getMany', period: 'custom', startDate: '2026-08-01', endDate: '2026-08-05', includeTransactions: false, timeZone: 'UTC' };

async function runNode(store: CredentialStore, parameters: Record<string, unknown> = statements) {
	const context = fakeContext({ store, send, parameters: { options: { requestsPerSecond: 10_000 }, ...parameters } });
	const [records, notices] = await node.execute.call(context as unknown as IExecuteFunctions);
	return { records, notices, hints: context.hints };
}

/**
 * A shop with a credential that has been used once (tokens and shop list known) and whose access token now looks
 * expired (a week has passed): the next request refreshes.
 */
async function usedCredentialDueForRefresh() {
	const shop = await startShop();
	const store = credentialFor(shop);
	await runNode(store, { resource: 'shop', operation: 'getAuthorizedShops' });
	const aged = { accessExpiresAt: Math.floor(Date.now() / 1000) - 60 };
	store.edit({ ...aged, oauthTokenData: { ...(store.current.oauthTokenData as IDataObject), ...aged } });
	shop.sandbox.resetStats();
	return { shop, store };
}

describe('refreshing cannot lose the authorization', () => {
	it('a shop lookup answering 503 costs one refresh, not five, and fails with TikTok\'s status', async () => {
		const { shop, store } = await usedCredentialDueForRefresh();
		shop.sandbox.injectFaults('unavailable', 50, { path: '/authorization/' });
		const error = (await runNode(store).catch((thrown) => thrown)) as Error;
		expect(error.message).toMatch(/failed after 5 attempts \(last: HTTP 503\)/);
		expect(shop.sandbox.stats.refreshes).toBe(1);
		expect(shop.sandbox.stats.byPath['/authorization/202309/shops']).toBe(5);
	});

	it('a refreshed token n8n still refuses (second 401, wrapped by n8n-core) fails at once: one refresh, no retries', async () => {
		// TikTok's clock and ours disagree so much that every new token looks expired to us.
		const shop = await startShop({ accessTokenTtlSeconds: 0 });
		const store = credentialFor(shop);
		const error = (await runNode(store).catch((thrown) => thrown)) as Error;
		expect(error.message).toMatch(/^TikTok authorization failed: a new access token was refused too/);
		expect([shop.sandbox.stats.authCodesRedeemed, shop.sandbox.stats.refreshes]).toEqual([1, 1]);
		expect(shop.sandbox.stats.byPath['/authorization/202309/shops'] ?? 0).toBe(0);
	});

	it('two executions in one process refreshing together (slow shop lookup) share one refresh; both succeed', async () => {
		const { shop, store } = await usedCredentialDueForRefresh();
		shop.sandbox.injectFaults('slow', 2, { delayMs: 1000, path: '/authorization/' });
		const [first, second] = await Promise.all([runNode(store), runNode(store)]);
		expect(first.records.length).toBeGreaterThan(0);
		expect(second.records.map((item) => item.json.id)).toEqual(first.records.map((item) => item.json.id));
		expect(shop.sandbox.stats.refreshes).toBe(1);
		expect(shop.sandbox.stats.byCode['36004005'] ?? 0).toBe(0);
		// The authorization survived: the next run needs no token call.
		shop.sandbox.resetStats();
		await runNode(store);
		expect(shop.sandbox.stats.tokensIssued).toBe(0);
	});

	it('another n8n process rotated the refresh token a moment ago: the rejected execution re-reads and retries once', async () => {
		const { shop, store } = await usedCredentialDueForRefresh();
		// The other process redeems the same refresh token first and stores its result half a second later.
		let played = false;
		shop.beforeRequest = async (request) => {
			if (played || request.path !== '/api/v2/token/refresh') return;
			played = true;
			const answer = await shop.sandbox.handle(request);
			const data = JSON.parse(answer.body).data as Record<string, string & number>;
			const now = Math.floor(Date.now() / 1000);
			const state = {
				accessToken: data.access_token,
				accessExpiresAt: data.access_token_expire_in,
				accessIssuedAt: now,
				rotatedRefreshToken: data.refresh_token,
				refreshExpiresAt: data.refresh_token_expire_in,
				authInputFingerprint: String((store.current.oauthTokenData as IDataObject).authInputFingerprint),
				sellerId: data.open_id,
			};
			void sleep(500).then(() => store.edit(persistedForm(state) as unknown as ICredentialDataDecryptedObject));
		};
		const { records } = await runNode(store);
		expect(records.length).toBeGreaterThan(0);
		expect(shop.sandbox.stats.refreshes).toBe(1);
		expect(shop.sandbox.stats.byCode['36004005']).toBe(1);
	});
});

describe('a code redeemed by another n8n process', () => {
	it('queue-mode workers starting on a fresh credential together: the refused one re-reads the stored tokens and runs', async () => {
		const shop = await startShop();
		const store = credentialFor(shop);
		const input = authInputFingerprint(store.current);
		// The other worker redeems the same code first and stores its tokens half a second later.
		let played = false;
		shop.beforeRequest = async (request) => {
			if (played || request.path !== '/api/v2/token/get') return;
			played = true;
			const answer = await shop.sandbox.handle(request);
			const data = JSON.parse(answer.body).data as Record<string, string & number>;
			const state = {
				accessToken: data.access_token,
				accessExpiresAt: data.access_token_expire_in,
				accessIssuedAt: Math.floor(Date.now() / 1000),
				rotatedRefreshToken: data.refresh_token,
				refreshExpiresAt: data.refresh_token_expire_in,
				authInputFingerprint: input,
				sellerId: data.open_id,
			};
			void sleep(500).then(() => store.edit(persistedForm(state) as unknown as ICredentialDataDecryptedObject));
		};
		const { records } = await runNode(store);
		expect(records.length).toBeGreaterThan(0);
		expect(shop.sandbox.stats.authCodesRedeemed).toBe(1);
		expect(shop.sandbox.stats.byCode['36004004']).toBe(1);
		expect(shop.sandbox.stats.refreshes).toBe(0);
	});

	it('a code refused with nothing stored since: the run fails asking for a new authorization', async () => {
		const shop = await startShop();
		const store = credentialFor(shop, { authCode: 'not-a-code-TikTok-issued' });
		const error = (await runNode(store).catch((thrown) => thrown)) as Error;
		expect(error.message).toMatch(/^TikTok authorization failed: .*invalid auth code/);
		expect(shop.sandbox.stats.byCode['36004004']).toBe(1);
	});
});

describe('timeouts', () => {
	it('a hung TikTok connection fails the run within the timeout, without retrying it', async () => {
		const shop = await startShop();
		const hung = await startHungServer();
		closers.push(() => hung.close());
		const store = credentialFor(shop, { apiBaseUrl: hung.url });
		const began = Date.now();
		const error = (await runNode(store, { ...statements, options: { timeoutSeconds: 1, requestsPerSecond: 10_000 } }).catch((thrown) => thrown)) as Error;
		const seconds = (Date.now() - began) / 1000;
		expect(error.message).toBe(`TikTok did not answer ${hung.url}/authorization/202309/shops within 1 s.`);
		expect(seconds).toBeLessThan(10);
		expect(hung.connections()).toBe(1);
	});
});

describe('the end of the seller\'s authorization', () => {
	it('fetch node: a notice on the second output and as a hint when fewer than 30 days are left', async () => {
		const shop = await startShop({ refreshTokenTtlSeconds: 12 * DAY });
		const { records, notices, hints } = await runNode(credentialFor(shop));
		expect(records.length).toBeGreaterThan(0);
		expect(notices).toHaveLength(1);
		expect(notices[0].json).toMatchObject({
			daysLeft: 11,
			authorizationUrl: 'https://services.tiktokshop.com/open/authorize?service_id=7321000000000000001',
		});
		expect(String(notices[0].json.notice)).toMatch(/^The seller's TikTok Shop authorization ends on \d{4}-\d\d-\d\d \(in 11 days\)/);
		expect(hints).toEqual([{ message: notices[0].json.notice, type: 'warning', location: 'outputPane' }]);
	});

	it('fetch node: nothing when the authorization runs longer, or when the option is 0', async () => {
		const shop = await startShop();
		const store = credentialFor(shop);
		expect((await runNode(store)).notices).toEqual([]);
		shop.sandbox.config.refreshTokenTtlSeconds = 5 * DAY;
		store.edit({ authCode: shop.sandbox.credentials.authCode() });
		const off = await runNode(store, { ...statements, options: { authorizationNoticeDays: 0, requestsPerSecond: 10_000 } });
		expect(off.notices).toEqual([]);
		expect((await runNode(store)).notices).toHaveLength(1);
	});

	it('trigger: "Authorization Expiring" fires once, with the link, and calls nobody', async () => {
		const shop = await startShop({ refreshTokenTtlSeconds: 20 * DAY });
		const store = credentialFor(shop);
		await runNode(store, { resource: 'shop', operation: 'getAuthorizedShops' });
		shop.sandbox.resetStats();
		const staticData: IDataObject = {};
		const poll = async (mode: 'trigger' | 'manual' = 'trigger') => {
			const context = fakeContext({ store, send, parameters: { event: 'authorizationExpiring', options: {} }, staticData, mode });
			return trigger.poll.call(context as unknown as IPollFunctions);
		};
		const first = await poll();
		expect(first?.[0]).toHaveLength(1);
		expect(first?.[0][0].json).toMatchObject({ event: 'authorizationExpiring', daysLeft: 19 });
		expect(String(first?.[0][0].json.notice)).toContain('https://services.tiktokshop.com/open/authorize?service_id=7321000000000000001');
		expect(await poll()).toBeNull();
		expect((await poll('manual'))?.[0]).toHaveLength(1);
		expect(await poll()).toBeNull();
		expect(shop.sandbox.stats.requests).toBe(0);
	});
});
