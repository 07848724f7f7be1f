import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
	CREDENTIAL_BLANKING_VALUE,
	CREDENTIAL_EMPTY_VALUE,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHttpRequestOptions,
} from 'n8n-workflow';

import { TikTokPaymentsOAuthApi } from '../../credentials/TikTokPaymentsOAuthApi.credentials';
import { EXPIRY_MARGIN_MS, REJECTION_MARKER_HEADER } from '../../lib/credential/request-signing';
import { fingerprint } from '../../lib/credential/stored';
import { createSandbox, type Sandbox } from '../../sandbox';
import { listen } from '../../sandbox/http';
import { loopbackSend } from '../support/http-send';
import { CredentialStore, n8nHttpRequest, type RawSend } from '../support/n8n-context';

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

/** The credential test's request (Get Authorized Shops), as the nodes send it. */
const shopsRequest = (): IHttpRequestOptions => ({
	method: 'GET',
	url: `${server.url}/authorization/202309/shops`,
	headers: { 'content-type': 'application/json' },
	json: true,
	returnFullResponse: true,
	ignoreHttpStatusErrors: true,
});

type Answer = { statusCode: number; body: { code: number; data: { shops: Array<{ cipher: string }> } } };

/** preAuthentication called directly, as n8n calls it with a copy of the credential. */
async function preAuthenticate(copy: ICredentialDataDecryptedObject): Promise<IDataObject> {
	const helper = { helpers: { httpRequest: (options: IHttpRequestOptions) => n8nHttpRequest(send, options) } };
	return (await credentialType.preAuthentication.call(helper as never, copy)) as IDataObject;
}

beforeAll(async () => {
	sandbox = createSandbox({ seed: 7, from: '2026-08', to: '2026-09', ordersPerMonth: 60 });
	server = await listen(sandbox);
});

afterAll(async () => server.close());

beforeEach(() => {
	sandbox.config.expiredTokenStatus = 200;
	sandbox.config.accessTokenTtlSeconds = 7 * 86400;
	sandbox.config.faults = [];
	sandbox.resetStats();
});

describe('TikTok Payments OAuth API credential', () => {
	it('exchanges the authorization code with one call to TikTok and stores the state twice (flat and oauthTokenData)', async () => {
		const store = new CredentialStore(newCredential());
		sandbox.injectFaults('slow', 1, { delayMs: 1500, path: '/authorization/' });
		const response = (await store.httpRequestWithAuthentication(send, shopsRequest())) as Answer;
		expect(response.body.code).toBe(0);
		expect(store.updates).toHaveLength(1);
		// What n8n stored when preAuthentication returned: only the token call had happened by then.
		const persisted = store.updates[0];
		expect(Object.keys(sandbox.stats.byPath)).toEqual(['/api/v2/token/get', '/authorization/202309/shops']);
		const state = persisted.oauthTokenData as Record<string, unknown>;
		for (const key of ['accessToken', 'accessExpiresAt', 'rotatedRefreshToken', 'refreshExpiresAt', 'authInputFingerprint', 'sellerId']) {
			expect(persisted[key]).toBe(state[key]);
		}
		expect(state.rotatedRefreshToken).toMatch(/\S{8,}/);
		expect(state.sellerId).toBe(sandbox.data.shop.openId);
		expect(Number(state.accessExpiresAt) * 1000).toBeGreaterThan(Date.now());
		expect(state.authInputFingerprint).toMatch(/^[0-9a-f]{16}$/);
	});

	it('reuses the stored token on the next request without calling the token endpoint', async () => {
		const store = new CredentialStore(newCredential());
		await store.httpRequestWithAuthentication(send, shopsRequest());
		await store.httpRequestWithAuthentication(send, shopsRequest());
		expect(sandbox.stats.tokensIssued).toBe(1);
		expect(store.updates).toHaveLength(1);
	});

	it.each([200, 401] as const)(
		'refreshes once when TikTok answers 105002 with HTTP %i, and keeps working after a restart',
		async (status) => {
			sandbox.config.expiredTokenStatus = status;
			const store = new CredentialStore(newCredential());
			await store.httpRequestWithAuthentication(send, shopsRequest());
			const firstRefreshToken = store.current.rotatedRefreshToken;
			sandbox.expireAccessTokens();

			// The node asks n8n not to throw on HTTP errors (it handles 429/503 itself), so both variants arrive as
			// a response carrying 105002; the node then marks the rejected token and n8n refreshes and retries.
			const rejected = (await store.httpRequestWithAuthentication(send, shopsRequest())) as Answer;
			expect([rejected.statusCode, rejected.body.code]).toEqual([status, 105002]);
			const marked = shopsRequest();
			marked.headers = { ...marked.headers, [REJECTION_MARKER_HEADER]: fingerprint(String(store.current.accessToken)) };
			const retried = (await store.httpRequestWithAuthentication(send, marked)) as Answer;
			expect(retried.body.code).toBe(0);
			expect(store.updates).toHaveLength(2);
			expect(store.current.rotatedRefreshToken).not.toBe(firstRefreshToken);
			expect((store.current.oauthTokenData as IDataObject).rotatedRefreshToken).toBe(store.current.rotatedRefreshToken);

			// "Restart": a new store from what was persisted, not from memory.
			const restarted = new CredentialStore(store.current);
			const after = (await restarted.httpRequestWithAuthentication(send, shopsRequest())) as Answer;
			expect(after.body.code).toBe(0);
			expect(restarted.updates).toHaveLength(0);
		},
	);

	it('refreshes before TikTok would reject a token that is about to expire', async () => {
		const store = new CredentialStore(newCredential());
		await store.httpRequestWithAuthentication(send, shopsRequest());
		// Seven days pass: the token issued a week ago now expires in one minute.
		const now = Math.floor(Date.now() / 1000);
		const aged = { accessIssuedAt: now - 7 * 86400 + 60, accessExpiresAt: now + 60 };
		store.edit({ ...aged, oauthTokenData: { ...(store.current.oauthTokenData as IDataObject), ...aged } });
		const response = (await store.httpRequestWithAuthentication(send, shopsRequest())) as Answer;
		expect(response.body.code).toBe(0);
		expect(store.updates).toHaveLength(2);
		expect(Number(store.current.accessExpiresAt) * 1000).toBeGreaterThan(Date.now() + 86_400_000);
		// The credential noticed the expiry itself: TikTok rejected nothing.
		expect(sandbox.stats.byCode['105002'] ?? 0).toBe(0);
	});

	it('a token TikTok issues with a lifetime shorter than the margin is still used', async () => {
		sandbox.config.accessTokenTtlSeconds = 120;
		const store = new CredentialStore(newCredential());
		const response = (await store.httpRequestWithAuthentication(send, shopsRequest())) as Answer;
		expect(response.body.code).toBe(0);
		expect(store.updates).toHaveLength(1);
	});

	it('a refresh token from the user is used when no code is given, and a new code wins over stored valid tokens', async () => {
		const viaRefresh = new CredentialStore(newCredential({ authCode: '', refreshToken: sandbox.credentials.refreshToken }));
		await viaRefresh.httpRequestWithAuthentication(send, shopsRequest());
		expect(sandbox.stats.refreshes).toBe(1);

		// The seller authorized again and the user pasted the new code; the stored access token is still valid.
		viaRefresh.edit({ authCode: sandbox.credentials.authCode() });
		await viaRefresh.httpRequestWithAuthentication(send, shopsRequest());
		expect(sandbox.stats.authCodesRedeemed).toBe(1);
		await viaRefresh.httpRequestWithAuthentication(send, shopsRequest());
		expect(sandbox.stats.tokensIssued).toBe(2);
	});

	it('an expired authorization asks to re-authorize, shows the link, calls nobody and leaks no secret', async () => {
		const store = new CredentialStore(
			newCredential({
				authCode: '',
				accessToken: '',
				rotatedRefreshToken: 'TTP_stale_refresh_token_value',
				refreshExpiresAt: Math.floor(Date.now() / 1000) - 60,
				authInputFingerprint: fingerprint('\u0000'),
			}),
		);
		const error = (await store.httpRequestWithAuthentication(send, shopsRequest()).catch((thrown) => thrown)) as Error;
		// n8n wraps it; the message of our error survives.
		expect(error.message).toMatch(/^TikTok authorization failed: The seller's TikTok authorization expired/);
		expect(error.message).toContain('https://services.tiktokshop.com/open/authorize?service_id=7321000000000000001');
		expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toMatch(
			new RegExp([sandbox.credentials.appSecret, 'TTP_stale_refresh_token_value'].join('|')),
		);
		expect(sandbox.stats.requests).toBe(0);
	});

	it('a used authorization code gives TikTok\'s error, without the code or the secret', async () => {
		const code = sandbox.credentials.authCode();
		// Redeemed elsewhere (not by this process, which would share its result with a credential of the same code).
		const query = new URLSearchParams({ app_key: sandbox.credentials.appKey, app_secret: sandbox.credentials.appSecret, auth_code: code, grant_type: 'authorized_code' });
		expect((await send({ method: 'GET', url: `${server.url}/api/v2/token/get?${query}`, headers: {} })).status).toBe(200);
		const again = new CredentialStore(newCredential({ authCode: code }));
		const error = (await again.httpRequestWithAuthentication(send, shopsRequest()).catch((thrown) => thrown)) as Error;
		expect(error.message).toMatch(/^TikTok authorization failed:/);
		expect(error.message).not.toContain(code);
		expect(error.message).not.toContain(sandbox.credentials.appSecret);
	});

	it('a wrong app secret fails clearly without showing the secret', async () => {
		const wrongSecret = [...sandbox.credentials.appSecret].reverse().join('');
		const store = new CredentialStore(newCredential({ appSecret: wrongSecret }));
		const error = (await store.httpRequestWithAuthentication(send, shopsRequest()).catch((thrown) => thrown)) as Error;
		expect(error.message).toMatch(/^TikTok authorization failed:/);
		expect(error.message).not.toContain(wrongSecret);
	});
});

describe('one token call per authorization inside one n8n process', () => {
	it('executions refreshing at the same moment share one refresh and get the same tokens', async () => {
		const store = new CredentialStore(newCredential());
		await store.httpRequestWithAuthentication(send, shopsRequest());
		const stored = store.current;
		// Both read the credential before either had refreshed: the same refresh token, an expired access token.
		const copy = () => ({ ...stored, accessExpiresAt: 1, oauthTokenData: { ...(stored.oauthTokenData as IDataObject), accessExpiresAt: 1 } });
		sandbox.resetStats();
		const [first, second] = await Promise.all([preAuthenticate(copy()), preAuthenticate(copy())]);
		expect(sandbox.stats.refreshes).toBe(1);
		expect(sandbox.stats.byCode['36004005'] ?? 0).toBe(0);
		expect(second.rotatedRefreshToken).toBe(first.rotatedRefreshToken);
	});

	it('a caller that read the credential just before n8n stored the refresh gets the newest tokens, not a rejection', async () => {
		const store = new CredentialStore(newCredential());
		await store.httpRequestWithAuthentication(send, shopsRequest());
		const stale = { ...store.current, accessExpiresAt: 1, oauthTokenData: { ...(store.current.oauthTokenData as IDataObject), accessExpiresAt: 1 } };
		const firstRefresh = await preAuthenticate({ ...stale });
		const secondRefresh = await preAuthenticate({
			...stale,
			...firstRefresh,
			accessExpiresAt: 1,
			oauthTokenData: { ...(firstRefresh.oauthTokenData as IDataObject), accessExpiresAt: 1 },
		});
		expect(secondRefresh.rotatedRefreshToken).not.toBe(firstRefresh.rotatedRefreshToken);
		sandbox.resetStats();
		const late = await preAuthenticate({ ...stale });
		expect(sandbox.stats.requests).toBe(0);
		expect(late.rotatedRefreshToken).toBe(secondRefresh.rotatedRefreshToken);
	});
});

/*
 * What n8n's credential editor hands to preAuthentication (measured in n8n 2.41.1, see the README): the server
 * swaps placeholders for stored values, so the copies below are what arrives after that swap.
 */
describe('the copies of n8n\'s credential editor', () => {
	async function created() {
		const userInput = newCredential();
		const store = new CredentialStore(userInput);
		await store.httpRequestWithAuthentication(send, shopsRequest());
		sandbox.resetStats();
		return { userInput, stored: store.current };
	}

	it('the dialog that created it (Retry): defaults for the state, oauthTokenData restored: no code redeemed, no call', async () => {
		const { userInput, stored } = await created();
		const copy = { ...userInput, accessToken: '', rotatedRefreshToken: '', accessExpiresAt: 0, oauthTokenData: stored.oauthTokenData };
		const output = await preAuthenticate(copy);
		expect(sandbox.stats.requests).toBe(0);
		expect(output.rotatedRefreshToken).toBe(stored.rotatedRefreshToken);
		expect(output.accessToken).toBe(stored.accessToken);
	});

	it('the dialog that created it, once the access token expired: one refresh, no code', async () => {
		const { userInput, stored } = await created();
		const expired = { ...(stored.oauthTokenData as IDataObject), accessExpiresAt: Math.floor(Date.now() / 1000) - 1 };
		const output = await preAuthenticate({ ...userInput, accessToken: '', oauthTokenData: expired });
		expect([sandbox.stats.refreshes, sandbox.stats.authCodesRedeemed]).toEqual([1, 0]);
		expect(output.rotatedRefreshToken).not.toBe(stored.rotatedRefreshToken);
	});

	it('a dialog that loaded it: oauthTokenData is `true`, the flat fields carry the state', async () => {
		const { stored } = await created();
		const copy = { ...stored, oauthTokenData: true, accessExpiresAt: 1 };
		const output = await preAuthenticate(copy);
		expect([sandbox.stats.refreshes, sandbox.stats.authCodesRedeemed]).toEqual([1, 0]);
		expect(output.oauthTokenData).toMatchObject({ rotatedRefreshToken: output.rotatedRefreshToken });
	});

	it('a copy with neither form of the state fails with a clear message and calls nobody', async () => {
		const { userInput } = await created();
		const copy = { ...userInput, accessToken: '', rotatedRefreshToken: '', oauthTokenData: true };
		await expect(preAuthenticate(copy)).rejects.toThrow(/^TikTok authorization failed: n8n did not pass the stored authorization to this test, so nothing was sent to TikTok/);
		expect(sandbox.stats.requests).toBe(0);
	});

	it('placeholders the server could not swap (nothing stored) count as empty, not as a value', async () => {
		const { userInput, stored } = await created();
		const copy = { ...userInput, authCode: userInput.authCode, accessToken: CREDENTIAL_EMPTY_VALUE, rotatedRefreshToken: CREDENTIAL_BLANKING_VALUE, oauthTokenData: stored.oauthTokenData };
		const output = await preAuthenticate(copy);
		expect(sandbox.stats.requests).toBe(0);
		expect(output.accessToken).toBe(stored.accessToken);
	});

	it('a run after a Save that deleted the flat fields uses oauthTokenData (n8n fills the defaults back in)', async () => {
		const { userInput, stored } = await created();
		const afterSave: ICredentialDataDecryptedObject = { ...userInput, oauthTokenData: stored.oauthTokenData };
		delete afterSave.accessToken;
		const saved = new CredentialStore(afterSave);
		const response = (await saved.httpRequestWithAuthentication(send, shopsRequest())) as Answer;
		expect(response.body.code).toBe(0);
		expect([sandbox.stats.refreshes, sandbox.stats.authCodesRedeemed]).toEqual([0, 0]);
		// n8n called preAuthentication for the empty token; what it stored restores the flat fields.
		expect(saved.current.rotatedRefreshToken).toBe(stored.rotatedRefreshToken);
	});
});

describe('authenticate', () => {
	const stored = (): ICredentialDataDecryptedObject => ({
		appKey: 'key',
		appSecret: 'secret-secret',
		accessToken: 'TTP_token',
		rotatedRefreshToken: 'TTP_refresh',
		accessExpiresAt: Math.floor(Date.now() / 1000) + 3600,
	});

	it('signs idempotently: signing the already signed options again gives the same query', async () => {
		const options: IHttpRequestOptions = {
			url: 'https://api.example/finance/202309/statements',
			qs: { sort_field: 'statement_time', page_token: 'a/b+c=', shop_cipher: 'ROW_cipher' },
		};
		const once = await credentialType.authenticate(stored(), options);
		const firstSign = once.qs?.sign;
		const twice = await credentialType.authenticate(stored(), once);
		expect(twice.qs?.sign).toBe(firstSign);
		expect(twice.qs).toMatchObject({ shop_cipher: 'ROW_cipher', app_key: 'key', page_token: 'a/b+c=' });
		expect((twice.headers as Record<string, string>)['x-tts-access-token']).toBe('TTP_token');
	});

	it('signs with the token in oauthTokenData when the flat fields are gone', async () => {
		const state = { ...stored(), accessToken: 'TTP_from_state' };
		const signed = await credentialType.authenticate(
			{ appKey: 'key', appSecret: 'secret-secret', accessToken: '', oauthTokenData: state },
			{ url: 'https://api.example/authorization/202309/shops', qs: {} },
		);
		expect((signed.headers as Record<string, string>)['x-tts-access-token']).toBe('TTP_from_state');
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
