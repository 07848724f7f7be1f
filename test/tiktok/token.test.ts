import { TikTokApiError } from '../../lib/tiktok/errors';
import {
	TokenManager,
	type TokenState,
	buildAuthorizationUrl,
	exchangeAuthCode,
	needsRefresh,
	parseAuthorizationCallback,
	refreshAccessToken,
} from '../../lib/tiktok/token';
import {
	APP_KEY,
	APP_SECRET,
	START_MS,
	apiError,
	expectNoSecrets,
	fakeClock,
	fakeSend,
	grant,
	jsonResponse,
	ok,
	rejection,
	tokens,
	type Responder,
} from './fakes';

const LINK = 'https://services.tiktokshop.com/open/authorize?service_id=7777';
const AUTH_CODE = 'TTP_dummyAuthCode42';

function endpointOptions(responder: Responder) {
	const clock = fakeClock();
	const { send, calls } = fakeSend(clock, responder);
	return {
		options: { appKey: APP_KEY, appSecret: APP_SECRET, send, authBaseUrl: 'https://auth.test', authorizationUrl: LINK },
		calls,
		clock,
	};
}

describe('authorization link', () => {
	it('uses the service_id form per market and adds state', () => {
		expect(buildAuthorizationUrl({ serviceId: '7777', state: 'a b/c' })).toBe(
			'https://services.tiktokshop.com/open/authorize?service_id=7777&state=a%20b%2Fc',
		);
		expect(buildAuthorizationUrl({ serviceId: '7777', market: 'US' })).toBe(
			'https://services.tiktokshops.us/open/authorize?service_id=7777',
		);
		expect(buildAuthorizationUrl({ serviceId: '1', baseUrl: 'http://127.0.0.1:9/' })).toBe(
			'http://127.0.0.1:9/open/authorize?service_id=1',
		);
		expect(() => buildAuthorizationUrl({ serviceId: '' })).toThrow(/Service ID/);
	});

	it('reads the callback: code with or without state, denial, state mismatch', () => {
		expect(parseAuthorizationCallback({ code: 'abc', state: 's1' }, 's1')).toEqual({ authCode: 'abc' });
		// Installs from the App Store carry no state.
		expect(parseAuthorizationCallback({ code: 'abc' }, 's1')).toEqual({ authCode: 'abc' });
		const denied = parseCallbackError({ code: 'null', error: 'auth_denied' });
		expect(denied.kind).toBe('reauthorize');
		expect(parseCallbackError({ code: 'abc', state: 'evil' }, 's1').message).toMatch(/state/);
		expect(parseCallbackError({}).message).toMatch(/no auth code/);
	});
});

function parseCallbackError(query: Record<string, string>, state?: string): TikTokApiError {
	try {
		parseAuthorizationCallback(query, state);
	} catch (error) {
		return error as TikTokApiError;
	}
	throw new Error('expected an error');
}

describe('token endpoints', () => {
	it('exchanges the auth code with a GET on the auth host and keeps expiries as absolute seconds', async () => {
		const { options, calls } = endpointOptions(() =>
			ok({
				access_token: 'TTP_a',
				access_token_expire_in: 1660556783,
				refresh_token: 'TTP_r',
				refresh_token_expire_in: 1691487031,
				open_id: '7010736057180325637',
				seller_name: 'Jjj test shop',
				seller_base_region: 'DE',
				user_type: 0,
				granted_scopes: ['seller.finance.info'],
			}),
		);
		const result = await exchangeAuthCode(options, AUTH_CODE);
		expect(calls).toHaveLength(1);
		expect(calls[0].request.method).toBe('GET');
		expect(calls[0].request.url.startsWith('https://auth.test/api/v2/token/get?')).toBe(true);
		expect(calls[0].query).toEqual({
			app_key: APP_KEY,
			app_secret: APP_SECRET,
			auth_code: AUTH_CODE,
			grant_type: 'authorized_code',
		});
		expect(result).toEqual({
			tokens: {
				accessToken: 'TTP_a',
				accessTokenExpiresAt: 1660556783,
				refreshToken: 'TTP_r',
				refreshTokenExpiresAt: 1691487031,
			},
			openId: '7010736057180325637',
			sellerName: 'Jjj test shop',
			sellerBaseRegion: 'DE',
			userType: 0,
			grantedScopes: ['seller.finance.info'],
		});
	});

	it('refreshes with grant_type=refresh_token and reads the older granted_permissions name', async () => {
		const { options, calls, clock } = endpointOptions(() =>
			grant(2, START_MS, { granted_scopes: undefined, granted_permissions: ['FINANCE_INFORMATION'] }),
		);
		const result = await refreshAccessToken(options, 'TTP_dummy_refresh_1');
		expect(calls[0].path).toBe('/api/v2/token/refresh');
		expect(calls[0].query).toEqual({
			app_key: APP_KEY,
			app_secret: APP_SECRET,
			refresh_token: 'TTP_dummy_refresh_1',
			grant_type: 'refresh_token',
		});
		expect(result.tokens.refreshToken).toBe('TTP_dummy_refresh_2');
		expect(result.grantedScopes).toEqual(['FINANCE_INFORMATION']);
		expect(clock.now()).toBe(START_MS);
	});

	it.each([
		[36004004, 'invalid auth code'],
		[36004005, 'can not find related auth record'],
		[36004001, 'rt has expired'],
	])('turns %i into a re-authorize error with the link and without secrets', async (code, message) => {
		const { options } = endpointOptions(() => apiError(code, `${message} (${AUTH_CODE})`));
		const error = (await rejection(exchangeAuthCode(options, AUTH_CODE))) as TikTokApiError;
		expect(error).toBeInstanceOf(TikTokApiError);
		expect(error.kind).toBe('reauthorize');
		expect(error.needsReauthorization).toBe(true);
		expect(error.code).toBe(code);
		expect(error.description).toContain(LINK);
		expect(error.endpoint).toBe('/api/v2/token/get');
		expectNoSecrets(error, [APP_SECRET, AUTH_CODE]);
	});

	const failures: Array<[string, Responder, string]> = [
		['a network error quoting the URL', (call) => { throw new Error(`ECONNRESET ${call.request.url}`); }, 'network'],
		['an HTML error page', () => ({ status: 502, headers: {}, body: `<h1>${APP_SECRET}</h1>` }), 'http'],
		['an incomplete token payload', () => ok({ access_token: 'TTP_a' }), 'invalid-response'],
		['an unknown code echoing the request', (call) => apiError(1, `bad request ${call.request.url}`), 'api'],
	];
	it.each(failures)('never leaks the app secret or refresh token in %s', async (_name, responder, kind) => {
		const { options } = endpointOptions(responder);
		const error = (await rejection(refreshAccessToken(options, 'TTP_dummy_refresh_1'))) as TikTokApiError;
		expect(error).toBeInstanceOf(TikTokApiError);
		expect(error.kind).toBe(kind);
		expectNoSecrets(error, [APP_SECRET, 'TTP_dummy_refresh_1']);
	});

	it('names missing fields of a token payload without printing values', async () => {
		const { options } = endpointOptions(() => ok({ access_token: 'TTP_visible_value' }));
		const error = (await rejection(exchangeAuthCode(options, AUTH_CODE))) as TikTokApiError;
		expect(error.message).toContain('access_token_expire_in');
		expect(error.message).not.toContain('TTP_visible_value');
	});
});

describe('needsRefresh', () => {
	const state = tokens({ accessTokenExpiresAt: 1_000_000 });
	it('is true within the margin and false before it', () => {
		expect(needsRefresh(state, (1_000_000 - 301) * 1000)).toBe(false);
		expect(needsRefresh(state, (1_000_000 - 300) * 1000)).toBe(true);
		expect(needsRefresh(state, (1_000_000 - 3600) * 1000, 86400)).toBe(true);
		expect(needsRefresh(state, 1_000_001 * 1000)).toBe(true);
	});
});

describe('TokenManager', () => {
	function manager(responder: Responder, state: TokenState | null = tokens()) {
		const clock = fakeClock();
		const { send, calls } = fakeSend(clock, responder);
		const stored: TokenState[] = [];
		const instance = new TokenManager({
			appKey: APP_KEY,
			appSecret: APP_SECRET,
			send,
			now: clock.now,
			tokens: state ?? undefined,
			authorizationUrl: LINK,
			onTokens: (value) => {
				stored.push(value);
			},
		});
		return { instance, calls, stored, clock };
	}

	it('uses the stored token while it is fresh and refreshes inside the margin', async () => {
		const { instance, calls, stored, clock } = manager((_call, index) => grant(index + 2, START_MS));
		expect(await instance.accessToken()).toBe('TTP_dummy_access_1');
		expect(calls).toHaveLength(0);
		clock.advance(7 * 86400 * 1000 - 299 * 1000);
		expect(await instance.accessToken()).toBe('TTP_dummy_access_2');
		expect(stored.map((value) => value.refreshToken)).toEqual(['TTP_dummy_refresh_2']);
	});

	it('persists every rotated refresh token and uses the latest one for the next refresh', async () => {
		const { instance, calls, stored } = manager((_call, index) => grant(index + 2, START_MS));
		await instance.refresh();
		await instance.refresh();
		expect(calls.map((call) => call.query.refresh_token)).toEqual(['TTP_dummy_refresh_1', 'TTP_dummy_refresh_2']);
		expect(stored.map((value) => value.refreshToken)).toEqual(['TTP_dummy_refresh_2', 'TTP_dummy_refresh_3']);
		expect(instance.tokens?.refreshToken).toBe('TTP_dummy_refresh_3');
	});

	it('exchanges an auth code and stores the result', async () => {
		const { instance, stored } = manager(() => grant(7, START_MS), null);
		const result = await instance.exchangeAuthCode(AUTH_CODE);
		expect(result.sellerName).toBe('Test Shop');
		expect(stored).toEqual([result.tokens]);
	});

	it('shares one refresh among concurrent rejections and ignores a rejection of an already replaced token', async () => {
		const { instance, calls } = manager((_call, index) => grant(index + 2, START_MS));
		await Promise.all([
			instance.tokenRejected('TTP_dummy_access_1'),
			instance.tokenRejected('TTP_dummy_access_1'),
			instance.tokenRejected('TTP_dummy_access_1'),
		]);
		await instance.tokenRejected('TTP_dummy_access_1');
		expect(calls).toHaveLength(1);
		expect(await instance.accessToken()).toBe('TTP_dummy_access_2');
	});

	it('asks for re-authorization when the refresh token has expired, without calling TikTok', async () => {
		const nowSeconds = Math.floor(START_MS / 1000);
		const { instance, calls } = manager(() => grant(2, START_MS), tokens({ accessTokenExpiresAt: nowSeconds - 10, refreshTokenExpiresAt: nowSeconds - 1 }));
		const error = (await rejection(instance.accessToken())) as TikTokApiError;
		expect(calls).toHaveLength(0);
		expect(error.kind).toBe('reauthorize');
		expect(error.message).toMatch(/refresh token expired/);
		expect(error.description).toContain(LINK);
		expectNoSecrets(error, [APP_SECRET, 'TTP_dummy_refresh_1', 'TTP_dummy_access_1']);
	});

	it('asks for re-authorization when TikTok says the refresh token is gone', async () => {
		const { instance, stored } = manager(() => apiError(36004001, 'rt has expired'));
		const error = (await rejection(instance.refresh())) as TikTokApiError;
		expect(error.needsReauthorization).toBe(true);
		expect(stored).toHaveLength(0);
	});

	it('refuses to work without tokens', async () => {
		const { instance } = manager(() => jsonResponse(500, {}), null);
		expect(((await rejection(instance.accessToken())) as TikTokApiError).kind).toBe('reauthorize');
	});
});
