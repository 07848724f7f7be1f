import {
	REAUTHORIZE_CODES,
	TikTokApiError,
	type TikTokApiErrorInit,
	reauthorizeHint,
	redactText,
	redactUrl,
	thrownMessage,
} from './errors';
import { envelope, tokenData } from './schemas';
import { buildUrl, jsonBody, type Send } from './transport';

/*
 * Token lifecycle (reference §1). TikTok's flow is "OAuth-like": GET requests with the app secret in the query,
 * an envelope with `code`, and expiry values that are ABSOLUTE Unix seconds. Refresh rotates the refresh token,
 * so every refresh result must be persisted.
 */

export type Market = 'ROW' | 'US';

/** Token host, the same for US and the rest of the world. */
export const AUTH_BASE_URL = 'https://auth.tiktok-shops.com';
/** Token endpoint paths: `issue` trades an auth code, `renew` trades a refresh token. */
export const GRANT_PATHS = { issue: '/api/v2/token/get', renew: '/api/v2/token/refresh' } as const;

/** Seller consent page per market; US apps live in a separate Partner Center with its own host. */
export const AUTHORIZE_BASE_URLS: Readonly<Record<Market, string>> = {
	ROW: 'https://services.tiktokshop.com',
	US: 'https://services.tiktokshops.us',
};

export interface AuthorizationUrlOptions {
	serviceId: string;
	market?: Market;
	/** Random CSRF value echoed back on the callback. */
	state?: string;
	/** Overrides the market host (e.g. the older US host services.us.tiktokshop.com, or a sandbox). */
	baseUrl?: string;
}

/** The link a seller opens to authorize the app. It has no redirect_uri/scope: both are fixed in Partner Center. */
export function buildAuthorizationUrl(options: AuthorizationUrlOptions): string {
	if (!options.serviceId) {
		throw new TikTokApiError({
			kind: 'invalid-request',
			message: 'A Service ID is needed to build the authorization link (Partner Center → App → Basic information).',
			endpoint: '/open/authorize',
		});
	}
	const query: Record<string, string> = { service_id: options.serviceId };
	if (options.state) query.state = options.state;
	return buildUrl(options.baseUrl ?? AUTHORIZE_BASE_URLS[options.market ?? 'ROW'], '/open/authorize', query);
}

/**
 * Reads the redirect back from TikTok: `?code=…&state=…` on approval; `error=…` (and `code=null`) on denial.
 * An App Store install sends no state, so state is only compared when one was expected.
 */
export function parseAuthorizationCallback(
	query: Record<string, string | undefined>,
	expectedState?: string,
): { authCode: string } {
	const endpoint = '/open/authorize';
	if (query.error) {
		throw new TikTokApiError({
			kind: 'reauthorize',
			message: `The seller did not authorize the app (${query.error.slice(0, 40)}).`,
			endpoint,
		});
	}
	const code = query.code;
	if (!code || code === 'null') {
		throw new TikTokApiError({ kind: 'invalid-request', message: 'The callback carries no auth code.', endpoint });
	}
	if (expectedState !== undefined && query.state !== undefined && query.state !== expectedState) {
		throw new TikTokApiError({
			kind: 'invalid-request',
			message: 'The callback state does not match the one sent; start the authorization again.',
			endpoint,
		});
	}
	return { authCode: code };
}

/** What we persist per authorization. Expiry values are Unix SECONDS, exactly as TikTok sends them. */
export interface TokenState {
	accessToken: string;
	accessTokenExpiresAt: number;
	refreshToken: string;
	refreshTokenExpiresAt: number;
}

export interface TokenGrant {
	tokens: TokenState;
	openId?: string;
	sellerName?: string;
	sellerBaseRegion?: string;
	/** 0 = seller; finance calls need a seller authorization. */
	userType?: number;
	grantedScopes: string[];
}

export interface TokenEndpointOptions {
	appKey: string;
	appSecret: string;
	send: Send;
	/** Defaults to AUTH_BASE_URL; tests point it at the sandbox. */
	authBaseUrl?: string;
	/** Shown in re-authorize errors. */
	authorizationUrl?: string;
}

export function needsRefresh(state: TokenState, nowMs: number, marginSeconds = 300): boolean {
	return state.accessTokenExpiresAt * 1000 - nowMs <= marginSeconds * 1000;
}

export function refreshTokenExpired(state: TokenState, nowMs: number): boolean {
	return state.refreshTokenExpiresAt * 1000 <= nowMs;
}

export function reauthorizeError(reason: string, authorizationUrl?: string, code?: number): TikTokApiError {
	return new TikTokApiError({
		kind: 'reauthorize',
		message: reason,
		code,
		endpoint: GRANT_PATHS.renew,
		description: `${reason} ${reauthorizeHint(authorizationUrl)}`,
	});
}

/** Trades the single-use auth code (valid 30 minutes) for tokens. */
export function exchangeAuthCode(options: TokenEndpointOptions, authCode: string): Promise<TokenGrant> {
	return callTokenEndpoint(options, GRANT_PATHS.issue, {
		auth_code: authCode,
		grant_type: 'authorized_code',
	});
}

/** Gets a new access token AND a new refresh token; persist both. */
export function refreshAccessToken(options: TokenEndpointOptions, refreshToken: string): Promise<TokenGrant> {
	return callTokenEndpoint(options, GRANT_PATHS.renew, {
		refresh_token: refreshToken,
		// Not 'authorized_code' like the official SDK sends: the docs accept only 'refresh_token' here.
		grant_type: 'refresh_token',
	});
}

async function callTokenEndpoint(
	options: TokenEndpointOptions,
	path: string,
	params: { grant_type: string; auth_code?: string; refresh_token?: string },
): Promise<TokenGrant> {
	const secrets = [options.appSecret, params.auth_code, params.refresh_token];
	const query: Record<string, string> = { app_key: options.appKey, app_secret: options.appSecret };
	for (const [key, value] of Object.entries(params)) if (value !== undefined) query[key] = value;
	const url = buildUrl(options.authBaseUrl ?? AUTH_BASE_URL, path, query);
	const fail = (init: Omit<TikTokApiErrorInit, 'endpoint'>) =>
		new TikTokApiError({
			...init,
			message: redactText(init.message, secrets),
			endpoint: path,
			authorizationUrl: options.authorizationUrl,
		});

	let response;
	try {
		response = await options.send({ method: 'GET', url, headers: { 'content-type': 'application/json' } });
	} catch (thrown) {
		throw fail({
			kind: 'network',
			message: `Token request to ${redactUrl(url)} failed: ${thrownMessage(thrown)}`,
		});
	}

	const parsed = envelope.safeParse(jsonBody(response.body));
	if (!parsed.success) {
		throw fail({
			kind: response.status >= 400 ? 'http' : 'invalid-response',
			httpStatus: response.status,
			message: `Token endpoint answered HTTP ${response.status} without a TikTok response body.`,
		});
	}
	const { code, message, request_id: requestId, data } = parsed.data;
	if (code !== 0) {
		throw fail({
			kind: REAUTHORIZE_CODES.has(code) ? 'reauthorize' : 'api',
			code,
			requestId,
			httpStatus: response.status,
			message: message || `token endpoint error ${code}`,
		});
	}
	const token = tokenData.safeParse(data);
	if (!token.success) {
		throw fail({
			kind: 'invalid-response',
			requestId,
			httpStatus: response.status,
			message: `Token response is missing fields: ${token.error.issues.map((issue) => issue.path.join('.')).join(', ')}`,
		});
	}
	const value = token.data;
	return {
		tokens: {
			accessToken: value.access_token,
			accessTokenExpiresAt: value.access_token_expire_in,
			refreshToken: value.refresh_token,
			refreshTokenExpiresAt: value.refresh_token_expire_in,
		},
		openId: value.open_id,
		sellerName: value.seller_name,
		sellerBaseRegion: value.seller_base_region,
		userType: value.user_type,
		grantedScopes: value.granted_scopes ?? value.granted_permissions ?? [],
	};
}

export interface TokenManagerOptions extends TokenEndpointOptions {
	now: () => number;
	/** Previously persisted tokens, if any. */
	tokens?: TokenState;
	/** Refresh this many seconds before the access token expires (default 300). */
	marginSeconds?: number;
	/** Persist here: called after every exchange and refresh, with the ROTATED refresh token. */
	onTokens?: (tokens: TokenState) => void | Promise<void>;
}

/**
 * Holds one authorization's tokens for standalone use (tests, demo, bench). Refreshes before expiry and when the
 * API rejects the token; concurrent callers share one refresh so a rotated refresh token is never used twice.
 */
export class TokenManager {
	private current: TokenState | undefined;
	private refreshing: Promise<TokenState> | undefined;

	constructor(private readonly options: TokenManagerOptions) {
		this.current = options.tokens;
	}

	get tokens(): TokenState | undefined {
		return this.current;
	}

	async exchangeAuthCode(authCode: string): Promise<TokenGrant> {
		const grant = await exchangeAuthCode(this.options, authCode);
		await this.store(grant.tokens);
		return grant;
	}

	/** A currently valid access token, refreshed first if it expires within the margin. */
	async accessToken(): Promise<string> {
		const current = this.requireTokens();
		if (needsRefresh(current, this.options.now(), this.options.marginSeconds ?? 300)) {
			return (await this.refresh()).accessToken;
		}
		return current.accessToken;
	}

	/** The API said 105002 for `rejectedAccessToken`: refresh unless someone already replaced that token. */
	async tokenRejected(rejectedAccessToken?: string): Promise<void> {
		if (this.refreshing) {
			await this.refreshing;
			return;
		}
		if (rejectedAccessToken !== undefined && this.current && this.current.accessToken !== rejectedAccessToken) return;
		await this.refresh();
	}

	refresh(): Promise<TokenState> {
		if (!this.refreshing) {
			this.refreshing = this.doRefresh().finally(() => {
				this.refreshing = undefined;
			});
		}
		return this.refreshing;
	}

	private async doRefresh(): Promise<TokenState> {
		const current = this.requireTokens();
		if (refreshTokenExpired(current, this.options.now())) {
			throw reauthorizeError(
				`The refresh token expired on ${new Date(current.refreshTokenExpiresAt * 1000).toISOString()}.`,
				this.options.authorizationUrl,
			);
		}
		const grant = await refreshAccessToken(this.options, current.refreshToken);
		await this.store(grant.tokens);
		return grant.tokens;
	}

	private requireTokens(): TokenState {
		if (!this.current) {
			throw reauthorizeError('No tokens yet: exchange an auth code first.', this.options.authorizationUrl);
		}
		return this.current;
	}

	private async store(tokens: TokenState): Promise<void> {
		this.current = tokens;
		await this.options.onTokens?.(tokens);
	}
}
