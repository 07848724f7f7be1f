import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { TikTokPaymentsOAuthApi } from '../../credentials/TikTokPaymentsOAuthApi.credentials';
import { EXPIRY_MARGIN_MS, REJECTION_MARKER_HEADER } from '../../lib/credential/request-signing';
import { fingerprint } from '../../lib/credential/stored';
import { createSandbox, type Sandbox } from '../../sandbox';
import { listen } from '../../sandbox/http';
import { loopbackSend } from '../support/http-send';
import { CredentialStore, type RawSend } from '../support/n8n-context';

const credentialType = new TikTokPaymentsOAuthApi();

let sandbox: Sandbox;
let server: { url: string; close(): Promise<void> };
const send = loopbackSend() as RawSend;

function newCredential(extra: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return {
		appKey: sandbox.credentials.appKey,
		appSecret: sandbox.credentials.appSecret,
		serviceId: '7321000000000000001',
		market: 'ROW',
		authCode: sandbox.credentials.authCode(),
		refreshToken: '',
		shop: '',
		customHosts: true,
		apiBaseUrl: server.url,
		authBaseUrl: server.url,
		accessToken: '',
		...extra,
	};
}

const statementsRequest = (): IHttpRequestOptions => ({
	method: 'GET',
	url: `${server.url}/finance/202309/statements`,
	qs: { sort_field: 'statement_time', page_size: '5', shop_cipher: 'shop-from-credential' },
	headers: { 'content-type': 'application/json' },
	json: true,
	returnFullResponse: true,
	ignoreHttpStatusErrors: true,
});

beforeAll(async () => {
	sandbox = createSandbox({ seed: 7, from: '2026-08', to: '2026-09', ordersPerMonth: 60 });
	server = await listen(sandbox);
});

afterAll(async () => server.close());

beforeEach(() => {
	sandbox.config.expiredTokenStatus = 200;
	sandbox.config.accessTokenTtlSeconds = 7 * 86400;
});

describe('TikTok Payments OAuth API credential', () => {
	it('exchanges the authorization code, picks the only shop and stores the rotated refresh token', async () => {
		const store = new CredentialStore(newCredential());
		const response = (await store.httpRequestWithAuthentication(send, statementsRequest())) as {
			statusCode: number;
			body: { code: number; data: { statements: unknown[] } };
		};
		expect(response.body.code).toBe(0);
		expect(response.body.data.statements).toHaveLength(5);
		expect(store.updates).toHaveLength(1);
		const stored = store.current;
		expect(stored.shopCipher).toBe(sandbox.credentials.shopCipher);
		expect(stored.shopName).toBe(sandbox.credentials.shopName);
		expect(stored.rotatedRefreshToken).toMatch(/\S{8,}/);
		expect(Number(stored.accessExpiresAt) * 1000).toBeGreaterThan(Date.now());
		expect(stored.authInputFingerprint).toMatch(/^[0-9a-f]{16}$/);
	});

	it('reuses the stored token on the next request without calling the token endpoint', async () => {
		const store = new CredentialStore(newCredential());
		await store.httpRequestWithAuthentication(send, statementsRequest());
		const before = sandbox.stats.tokensIssued;
		await store.httpRequestWithAuthentication(send, statementsRequest());
		expect(sandbox.stats.tokensIssued).toBe(before);
		expect(store.updates).toHaveLength(1);
	});

	it.each([200, 401] as const)(
		'refreshes once when TikTok answers 105002 with HTTP %i, and keeps working after a restart',
		async (status) => {
			sandbox.config.expiredTokenStatus = status;
			const store = new CredentialStore(newCredential());
			await store.httpRequestWithAuthentication(send, statementsRequest());
			const firstRefreshToken = store.current.rotatedRefreshToken;
			sandbox.expireAccessTokens();

			// The node asks n8n not to throw on HTTP errors (it handles 429/503 itself), so both variants arrive as
			// a response carrying 105002; the node then marks the rejected token and n8n refreshes and retries.
			const rejected = (await store.httpRequestWithAuthentication(send, statementsRequest())) as {
				statusCode: number;
				body: { code: number };
			};
			expect([rejected.statusCode, rejected.body.code]).toEqual([status, 105002]);
			const marked = statementsRequest();
			marked.headers = { ...marked.headers, [REJECTION_MARKER_HEADER]: fingerprint(String(store.current.accessToken)) };
			const retried = (await store.httpRequestWithAuthentication(send, marked)) as { body: { code: number } };
			expect(retried.body.code).toBe(0);
			expect(store.updates).toHaveLength(2);
			expect(store.current.rotatedRefreshToken).not.toBe(firstRefreshToken);

			// "Restart": a new store from what was persisted, not from memory.
			const restarted = new CredentialStore(store.current);
			const after = (await restarted.httpRequestWithAuthentication(send, statementsRequest())) as { body: { code: number } };
			expect(after.body.code).toBe(0);
			expect(restarted.updates).toHaveLength(0);
		},
	);

	it('refreshes before TikTok would reject a token that is about to expire', async () => {
		const store = new CredentialStore(newCredential());
		await store.httpRequestWithAuthentication(send, statementsRequest());
		// Seven days pass: the token issued a week ago now expires in one minute.
		const now = Math.floor(Date.now() / 1000);
		store.edit({ accessIssuedAt: now - 7 * 86400 + 60, accessExpiresAt: now + 60 });
		const rejectionsBefore = sandbox.stats.byCode['105002'] ?? 0;
		const response = (await store.httpRequestWithAuthentication(send, statementsRequest())) as { body: { code: number } };
		expect(response.body.code).toBe(0);
		expect(store.updates).toHaveLength(2);
		expect(Number(store.current.accessExpiresAt) * 1000).toBeGreaterThan(Date.now() + 86_400_000);
		// The credential noticed the expiry itself: TikTok rejected nothing.
		expect(sandbox.stats.byCode['105002'] ?? 0).toBe(rejectionsBefore);
	});

	it('a token TikTok issues with a lifetime shorter than the margin is still used', async () => {
		sandbox.config.accessTokenTtlSeconds = 120;
		const store = new CredentialStore(newCredential());
		const response = (await store.httpRequestWithAuthentication(send, statementsRequest())) as { body: { code: number } };
		expect(response.body.code).toBe(0);
		expect(store.updates).toHaveLength(1);
	});

	it('a refresh token from the user is used when no code is given, and a new code wins over stored tokens', async () => {
		const viaRefresh = new CredentialStore(newCredential({ authCode: '', refreshToken: sandbox.credentials.refreshToken }));
		await viaRefresh.httpRequestWithAuthentication(send, statementsRequest());
		expect(viaRefresh.current.shopCipher).toBe(sandbox.credentials.shopCipher);

		const issued = sandbox.stats.tokensIssued;
		viaRefresh.edit({ authCode: sandbox.credentials.authCode(), accessToken: '' });
		await viaRefresh.httpRequestWithAuthentication(send, statementsRequest());
		expect(sandbox.stats.tokensIssued).toBe(issued + 1);
	});

	it('an expired authorization asks to re-authorize, shows the link and leaks no secret', async () => {
		const store = new CredentialStore(
			newCredential({
				authCode: '',
				accessToken: '',
				rotatedRefreshToken: 'TTP_stale_refresh_token_value',
				refreshExpiresAt: Math.floor(Date.now() / 1000) - 60,
				authInputFingerprint: fingerprint('\u0000'),
			}),
		);
		const error = (await store.httpRequestWithAuthentication(send, statementsRequest()).catch((thrown) => thrown)) as Error;
		expect(error.message).toMatch(/^TikTok authorization failed: The seller's TikTok authorization expired/);
		expect(error.message).toContain('https://services.tiktokshop.com/open/authorize?service_id=7321000000000000001');
		expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toMatch(
			new RegExp([sandbox.credentials.appSecret, 'TTP_stale_refresh_token_value'].join('|')),
		);
	});

	it('a used authorization code gives TikTok\'s error, without the code or the secret', async () => {
		const code = sandbox.credentials.authCode();
		await new CredentialStore(newCredential({ authCode: code })).httpRequestWithAuthentication(send, statementsRequest());
		const again = new CredentialStore(newCredential({ authCode: code }));
		const error = (await again.httpRequestWithAuthentication(send, statementsRequest()).catch((thrown) => thrown)) as Error;
		expect(error.message).toMatch(/^TikTok authorization failed:/);
		expect(error.message).not.toContain(code);
		expect(error.message).not.toContain(sandbox.credentials.appSecret);
	});

	it('a wrong app secret fails clearly without showing the secret', async () => {
		const wrongSecret = [...sandbox.credentials.appSecret].reverse().join('');
		const store = new CredentialStore(newCredential({ appSecret: wrongSecret }));
		const error = (await store.httpRequestWithAuthentication(send, statementsRequest()).catch((thrown) => thrown)) as Error;
		expect(error.message).toMatch(/^TikTok authorization failed:/);
		expect(error.message).not.toContain(wrongSecret);
	});

	it('a shop that is not authorized lists the authorized shops, keeps the tokens, and works once fixed', async () => {
		const store = new CredentialStore(newCredential({ shop: '999' }));
		const error = (await store.httpRequestWithAuthentication(send, statementsRequest()).catch((thrown) => thrown)) as Error;
		expect(error.message).toContain('The shop "999" is not authorized');
		expect(error.message).toContain(sandbox.credentials.shopName);
		// The code was redeemed: the tokens must have been stored anyway, or the authorization would be lost.
		expect(store.current.rotatedRefreshToken).toMatch(/\S{8,}/);
		const issued = sandbox.stats.tokensIssued;
		// Asking again does not call TikTok for a shop that cannot work.
		await expect(store.httpRequestWithAuthentication(send, statementsRequest())).rejects.toThrow('The shop "999"');
		expect(sandbox.stats.tokensIssued).toBe(issued);
		// The user fixes the Shop field: n8n refreshes, the shop resolves, the request goes through.
		store.edit({ shop: sandbox.credentials.shopId });
		const response = (await store.httpRequestWithAuthentication(send, statementsRequest())) as { body: { code: number } };
		expect(response.body.code).toBe(0);
		expect(store.current.shopCipher).toBe(sandbox.credentials.shopCipher);
	});

	it('a rate-limited shop lookup right after the code exchange is retried and loses nothing', async () => {
		sandbox.injectFaults('rate_limit', 2, { retryAfterSeconds: 0, path: '/authorization/' });
		const store = new CredentialStore(newCredential());
		const response = (await store.httpRequestWithAuthentication(send, statementsRequest())) as { body: { code: number } };
		expect(response.body.code).toBe(0);
		expect(store.current.shopCipher).toBe(sandbox.credentials.shopCipher);
	});

	it('the shop can be named by its id', async () => {
		const store = new CredentialStore(newCredential({ shop: sandbox.credentials.shopId }));
		await store.httpRequestWithAuthentication(send, statementsRequest());
		expect(store.current.shopCipher).toBe(sandbox.credentials.shopCipher);
	});
});

describe('authenticate', () => {
	const stored = (): ICredentialDataDecryptedObject => ({
		appKey: 'key',
		appSecret: 'secret-secret',
		accessToken: 'TTP_token',
		accessExpiresAt: Math.floor(Date.now() / 1000) + 3600,
		shopCipher: 'ROW_cipher',
		shop: '',
		shopInput: '',
	});

	it('signs idempotently: signing the already signed options again gives the same query', async () => {
		const options: IHttpRequestOptions = { url: 'https://api.example/finance/202309/statements', qs: { sort_field: 'statement_time', page_token: 'a/b+c=' } };
		const once = await credentialType.authenticate(stored(), options);
		const firstSign = once.qs?.sign;
		const twice = await credentialType.authenticate(stored(), once);
		expect(twice.qs?.sign).toBe(firstSign);
		expect(twice.qs).toMatchObject({ shop_cipher: 'ROW_cipher', app_key: 'key', page_token: 'a/b+c=' });
		expect((twice.headers as Record<string, string>)['x-tts-access-token']).toBe('TTP_token');
	});

	it('sends no shop cipher to seller-level endpoints', async () => {
		const signed = await credentialType.authenticate(stored(), { url: 'https://api.example/authorization/202309/shops', qs: {} });
		expect(signed.qs).not.toHaveProperty('shop_cipher');
	});

	it('raises n8n\'s "credential expired" signal for a marked token, and strips the marker either way', async () => {
		const marked = { url: 'https://api.example/finance/202309/statements', headers: { [REJECTION_MARKER_HEADER]: fingerprint('TTP_token') } };
		await expect(credentialType.authenticate(stored(), marked)).rejects.toMatchObject({ response: { status: 401 } });
		const staleMarker = { url: 'https://api.example/finance/202309/statements', headers: { [REJECTION_MARKER_HEADER]: fingerprint('TTP_older') } };
		const signed = await credentialType.authenticate(stored(), staleMarker);
		expect(Object.keys(signed.headers ?? {}).map((key) => key.toLowerCase())).not.toContain(REJECTION_MARKER_HEADER);
	});

	it('raises the expiry signal when no token is stored or it expires within the margin', async () => {
		const url = 'https://api.example/finance/202309/statements';
		await expect(credentialType.authenticate({ ...stored(), accessToken: '' }, { url })).rejects.toMatchObject({
			response: { status: 401 },
		});
		const soon = Math.floor((Date.now() + EXPIRY_MARGIN_MS - 1000) / 1000);
		await expect(credentialType.authenticate({ ...stored(), accessExpiresAt: soon }, { url })).rejects.toMatchObject({
			response: { status: 401 },
		});
	});
});
