/*
 * A local TikTok Shop API as strict as the real one, as a pure request handler (no Node built-ins: sandbox/http.js
 * binds it to a loopback port). Checks, in order, for the Open API paths:
 *   route (36009009) → method (36009010) → forced faults → app_key, sign, timestamp window, no `version` param
 *   (36009004) → signature via lib/tiktok/sign.ts (106001) → content-type, access token (36009004 / 105002) →
 *   scope (105005) → shop_cipher (106013 / 101000, or 36009004 where none is expected) → rate limit (429/36009002)
 *   → endpoint parameters (36009004).
 * Token endpoints (reference §1.3) are unsigned GETs with the app secret in the query.
 */
import { type Amendment, amendShopData, type AmendmentResult } from './amend';
import { createHash, timingSafeEqual } from 'crypto';
import { signRequest } from '../lib/tiktok/sign';
import { AuthStore, type GrantFailure, type TokenGrantJson } from './auth';
import {
	type ApiError,
	type ApiResult,
	type FinanceRequest,
	getOrderTransactions,
	getPayments,
	getStatements,
	getStatementTransactions,
	getUnsettledTransactions,
	getWithdrawals,
	INVALID_PARAMETER,
} from './finance';
import { generateShopData, type ShopData } from './generate';
import { PageTokens } from './page-token';
import { type RateLimit, RateLimiter } from './rate-limit';

export type { ShopData } from './generate';
export type { Amendment, AmendmentResult } from './amend';
export type { RateLimit } from './rate-limit';

export const FINANCE_SCOPE = 'seller.finance.info';
export const SHOPS_SCOPE = 'seller.authorization.info';

export interface SandboxRequest {
	method: string;
	/** Path without query, percent-decoded. */
	path: string;
	/** Decoded query values. */
	query: Record<string, string>;
	headers: Record<string, string>;
	body: string;
}

export interface SandboxResponse {
	status: number;
	headers: Record<string, string>;
	body: string;
	/** How long the transport should wait before sending (latency and slow-response faults). */
	delayMs?: number;
}

export type FaultKind =
	/** HTTP 429 + 36009002 with Retry-After. */
	| 'rate_limit'
	/** HTTP 503 with a plain-text body (gateway protection; no TikTok envelope). */
	| 'unavailable'
	/** HTTP 200 + 36009003 "internal error, retry". */
	| 'internal_error'
	/** Answered normally, but `delayMs` late. */
	| 'slow';

export interface Fault {
	kind: FaultKind;
	/**
	 * Only requests whose path starts with this consume the fault. Default: any Open API path; the token endpoints
	 * consume a fault only when it names them (e.g. path '/api/v2/token').
	 */
	path?: string;
	/** For 'slow'; default 2000. */
	delayMs?: number;
	/** For 'rate_limit'; default 1. */
	retryAfterSeconds?: number;
}

export interface SandboxConfig {
	/** Per app × shop token bucket; null: unlimited. */
	rateLimit: RateLimit | null;
	/** Forced faults, consumed in order by the next matching requests. */
	faults: Fault[];
	/** Simulated latency added to every response (ms). */
	latencyMs: number;
	/** HTTP status sent with code 105002 (expired access token): TikTok's is not documented. */
	expiredTokenStatus: 200 | 401;
	/** Lifetime of access tokens issued from now on (default 7 days). */
	accessTokenTtlSeconds: number;
	/** Authorization duration of new authorizations = refresh token lifetime (default 365 days). */
	refreshTokenTtlSeconds: number;
	/** Scopes granted by new authorizations. */
	grantedScopes: string[];
	/** Set to true to expire every access token issued so far; applied and reset by the next request. */
	expireTokensNow: boolean;
}

export interface SandboxStats {
	requests: number;
	/** Per route, e.g. 'GET /finance/202501/statements/{statement_id}/statement_transactions'. */
	byEndpoint: Record<string, number>;
	/** Per concrete path. */
	byPath: Record<string, number>;
	/** Per `${path}?page_token=${token}` of paged finance calls ('' for a first page): > 1 means a page was fetched twice. */
	pageFetches: Record<string, number>;
	/** Per envelope code sent ('0' for success). */
	byCode: Record<string, number>;
	/** HTTP 429 responses sent (rate limiter and forced). */
	rateLimited: number;
	faultsInjected: number;
	/** Access tokens issued by the token endpoints. */
	tokensIssued: number;
	authCodesRedeemed: number;
	refreshes: number;
}

export interface SandboxCredentials {
	appKey: string;
	appSecret: string;
	/** A fresh single-use auth code, valid 30 minutes from the sandbox clock. */
	authCode(): string;
	/** Access token of an authorization made when the sandbox was created. */
	accessToken: string;
	/** Refresh token of that authorization (rotates: works once). */
	refreshToken: string;
	shopCipher: string;
	shopId: string;
	shopName: string;
}

export interface SandboxOptions {
	/** Dataset to serve; default generateShopData({ seed, from, to, ordersPerMonth }). */
	data?: ShopData;
	seed?: number;
	from?: string;
	to?: string;
	ordersPerMonth?: number;
	/** Clock in ms; default Date.now. */
	now?: () => number;
	appKey?: string;
	appSecret?: string;
	config?: Partial<SandboxConfig>;
	/**
	 * Further shops the same authorization covers (datasets of other seeds): Get Authorized Shops lists them after
	 * the first, and finance requests with their cipher are answered from their data.
	 */
	moreShops?: ShopData[];
}

export interface Sandbox {
	handle(request: SandboxRequest): Promise<SandboxResponse>;
	readonly credentials: SandboxCredentials;
	/** The dataset served now. */
	readonly data: ShopData;
	/**
	 * Serves another dataset of the same shop from now on, e.g. generateShopData({ ..., now }) for a later `now`, to
	 * let time pass for pollers. Throws if the shop differs (its cipher is in the credentials and tokens).
	 */
	setData(next: ShopData): void;
	readonly config: SandboxConfig;
	readonly stats: SandboxStats;
	/** Expires every access token issued so far, at once. */
	expireAccessTokens(): void;
	/** Queues `count` faults of one kind. */
	injectFaults(kind: FaultKind, count: number, options?: Omit<Fault, 'kind'>): void;
	resetStats(): void;
	/**
	 * Changes a statement after it was served (sandbox/amend.ts); also `POST /sandbox/amend` with the JSON body
	 * `{ "statementId": "…", "kind": "addTransaction" | "changeTransaction" | "releaseReserve", … }`.
	 */
	amend(statementId: string, amendment: Amendment): AmendmentResult;
}

type Handler = (request: FinanceRequest) => ApiResult;

interface Route {
	name: string;
	pattern: RegExp;
	/** token: token endpoint; seller: token only; shop: token + shop_cipher. */
	kind: 'token' | 'seller' | 'shop';
	/** Names of the pattern's capture groups. */
	params?: string[];
	scope?: string;
	handler?: Handler;
	paged?: boolean;
}

const route = (path: string, kind: Route['kind'], handler?: Handler, extra: Partial<Route> = {}): Route => {
	const params: string[] = [];
	const source = path.replace(/\{(\w+)\}/g, (_, name: string) => {
		params.push(name);
		return '([^/]+)';
	});
	return {
		name: `GET ${path}`,
		pattern: new RegExp(`^${source}$`),
		kind,
		params,
		scope: kind === 'token' ? undefined : FINANCE_SCOPE,
		handler,
		...extra,
	};
};

const ROUTES: Route[] = [
	route('/api/v2/token/get', 'token'),
	route('/api/v2/token/refresh', 'token'),
	route('/authorization/202309/shops', 'seller', undefined, { scope: SHOPS_SCOPE }),
	route('/finance/202309/statements', 'shop', getStatements, { paged: true }),
	route('/finance/202309/payments', 'shop', (r) => getPayments(r, true), { paged: true }),
	route('/finance/202605/payments', 'shop', (r) => getPayments(r, false), { paged: true }),
	route('/finance/202309/withdrawals', 'shop', getWithdrawals, { paged: true }),
	route('/finance/202501/statements/{statement_id}/statement_transactions', 'shop', getStatementTransactions, {
		paged: true,
	}),
	route('/finance/202501/orders/{order_id}/statement_transactions', 'shop', getOrderTransactions),
	route('/finance/202507/orders/unsettled', 'shop', getUnsettledTransactions, { paged: true }),
];

const VERSION_SEGMENT = /^(\/(?:authorization|finance|seller)\/)\d{6}\//;

function findRoute(path: string): [Route, RegExpExecArray] | undefined {
	for (const candidate of ROUTES) {
		const match = candidate.pattern.exec(path);
		if (match) return [candidate, match];
	}
	return undefined;
}

/** A known resource under a version that does not exist (or was sunset, like 202309 statement_transactions). */
function isOtherVersionOfKnownPath(path: string): boolean {
	if (!VERSION_SEGMENT.test(path)) return false;
	return ROUTES.some((candidate) => {
		const version = /\/(\d{6})\//.exec(candidate.name)?.[1];
		return version !== undefined && candidate.pattern.test(path.replace(VERSION_SEGMENT, `$1${version}/`));
	});
}
const TIMESTAMP_PAST_SECONDS = 5 * 60;
const TIMESTAMP_FUTURE_SECONDS = 30;
const DAY = 86_400;

function defaultConfig(): SandboxConfig {
	return {
		rateLimit: null,
		faults: [],
		latencyMs: 0,
		expiredTokenStatus: 200,
		accessTokenTtlSeconds: 7 * DAY,
		refreshTokenTtlSeconds: 365 * DAY,
		grantedScopes: [FINANCE_SCOPE, SHOPS_SCOPE],
		expireTokensNow: false,
	};
}

function emptyStats(): SandboxStats {
	return {
		requests: 0,
		byEndpoint: {},
		byPath: {},
		pageFetches: {},
		byCode: {},
		rateLimited: 0,
		faultsInjected: 0,
		tokensIssued: 0,
		authCodesRedeemed: 0,
		refreshes: 0,
	};
}

const count = (counter: Record<string, number>, key: string): void => {
	counter[key] = (counter[key] ?? 0) + 1;
};

function lowercaseKeys(headers: Record<string, string>): Record<string, string> {
	const out: Record<string, string> = {};
	for (const key of Object.keys(headers)) out[key.toLowerCase()] = headers[key];
	return out;
}

function sameText(a: string, b: string): boolean {
	const left = Buffer.from(a, 'utf8');
	const right = Buffer.from(b, 'utf8');
	return left.length === right.length && timingSafeEqual(left, right);
}

function derive(seed: number, purpose: string, length: number): string {
	return createHash('sha256').update(`sandbox:${seed}:${purpose}`).digest('hex').slice(0, length);
}

export function createSandbox(options: SandboxOptions = {}): Sandbox {
	const seed = options.seed ?? options.data?.seed ?? 1;
	const clock = options.now ?? (() => Date.now());
	const nowSeconds = (): number => Math.floor(clock() / 1000);
	let data =
		options.data ??
		generateShopData({
			seed,
			from: options.from ?? '2025-01',
			to: options.to ?? '2025-03',
			ordersPerMonth: options.ordersPerMonth ?? 300,
		});
	const appKey = options.appKey ?? `6${derive(seed, 'app-key', 12)}`;
	const appSecret = options.appSecret ?? derive(seed, 'app-secret', 40);
	const config: SandboxConfig = { ...defaultConfig(), ...options.config };
	const stats = emptyStats();
	const auth = new AuthStore({
		openId: data.shop.openId,
		sellerName: data.shop.sellerName,
		region: data.shop.region,
	});
	const moreShops = options.moreShops ?? [];
	const dataFor = (cipher: string): ShopData | undefined => [data, ...moreShops].find(({ shop }) => shop.cipher === cipher);
	const pageTokens = new PageTokens(appSecret);
	const limiter = new RateLimiter();
	let requestCounter = 0;

	const initial = auth.authorize(
		nowSeconds(),
		config.accessTokenTtlSeconds,
		config.refreshTokenTtlSeconds,
		config.grantedScopes,
	);

	const requestId = (): string => {
		requestCounter += 1;
		const stamp = new Date(clock()).toISOString().replace(/\D/g, '').slice(0, 14);
		return `${stamp}${derive(seed, `request:${requestCounter}`, 12).toUpperCase()}${String(requestCounter).padStart(8, '0')}`;
	};

	const respond = (
		status: number,
		code: number,
		message: string,
		payload: unknown,
		headers: Record<string, string> = {},
	): SandboxResponse => {
		const id = requestId();
		count(stats.byCode, String(code));
		if (status === 429) stats.rateLimited += 1;
		return {
			status,
			headers: { 'content-type': 'application/json', 'x-tt-logid': id, ...headers },
			body: JSON.stringify({ code, message, request_id: id, data: payload }),
			delayMs: config.latencyMs,
		};
	};

	const fail = (error: ApiError, status = 200): SandboxResponse => respond(status, error.code, error.message, null);

	const tooManyRequests = (retryAfter: number): SandboxResponse =>
		respond(429, 36009002, 'Too many requests. Please retry later.', null, { 'retry-after': String(retryAfter) });

	const takeFault = (matched: Route, path: string): Fault | undefined => {
		const index = config.faults.findIndex((fault) =>
			fault.path !== undefined ? path.startsWith(fault.path) : matched.kind !== 'token',
		);
		if (index < 0) return undefined;
		stats.faultsInjected += 1;
		return config.faults.splice(index, 1)[0];
	};

	const tokenEndpoint = (matched: Route, query: Record<string, string>): SandboxResponse => {
		if (query.app_key !== appKey || query.app_secret === undefined || !sameText(query.app_secret, appSecret)) {
			return fail({ code: INVALID_PARAMETER, message: 'app_key or app_secret is invalid' });
		}
		const now = nowSeconds();
		let result: TokenGrantJson | GrantFailure;
		if (matched.name.endsWith('/get')) {
			if (query.grant_type !== 'authorized_code') {
				return fail({ code: INVALID_PARAMETER, message: 'grant_type is invalid; only authorized_code is accepted' });
			}
			result = auth.redeemCode(
				query.auth_code ?? '',
				now,
				{ accessSeconds: config.accessTokenTtlSeconds, authorizationSeconds: config.refreshTokenTtlSeconds },
				config.grantedScopes,
			);
			if ('access_token' in result) stats.authCodesRedeemed += 1;
		} else {
			if (query.grant_type !== 'refresh_token') {
				return fail({ code: INVALID_PARAMETER, message: 'grant_type is invalid; only refresh_token is accepted' });
			}
			result = auth.redeemRefreshToken(query.refresh_token ?? '', now, config.accessTokenTtlSeconds);
			if ('access_token' in result) stats.refreshes += 1;
		}
		if (!('access_token' in result)) return fail(result);
		stats.tokensIssued += 1;
		return respond(200, 0, 'success', result);
	};

	/** Everything between routing and the endpoint: signature, clock, token, scope, shop. */
	const authenticate = (
		matched: Route,
		request: SandboxRequest,
		headers: Record<string, string>,
	): SandboxResponse | undefined => {
		const { query } = request;
		if (query.app_key === undefined) return fail({ code: INVALID_PARAMETER, message: 'app_key is required' });
		if (query.app_key !== appKey) return fail({ code: INVALID_PARAMETER, message: 'app_key is invalid' });
		if (!query.sign) return fail({ code: INVALID_PARAMETER, message: 'sign is required' });
		const timestamp = query.timestamp ?? '';
		const now = nowSeconds();
		if (!/^\d{10}$/.test(timestamp)) {
			return fail({ code: INVALID_PARAMETER, message: 'timestamp is invalid; expected Unix seconds' });
		}
		const skew = Number(timestamp) - now;
		if (skew < -TIMESTAMP_PAST_SECONDS || skew > TIMESTAMP_FUTURE_SECONDS) {
			return fail({ code: INVALID_PARAMETER, message: 'Invalid timestamp: it is outside the allowed window' });
		}
		if (query.version !== undefined) {
			return fail({
				code: INVALID_PARAMETER,
				message: 'Invalid API version. The version query parameter is invalid.',
			});
		}
		const expected = signRequest({
			appSecret,
			path: request.path,
			query,
			body: request.body,
			contentType: headers['content-type'],
		});
		if (!sameText(query.sign, expected)) return fail({ code: 106001, message: 'Invalid credentials: sign is invalid' });
		if (!headers['content-type']) {
			return fail({ code: INVALID_PARAMETER, message: 'content-type header is required' });
		}
		const token = headers['x-tts-access-token'];
		if (!token) return fail({ code: INVALID_PARAMETER, message: 'x-tts-access-token header is required' });
		const access = auth.checkAccessToken(token, now);
		if (!access.ok && access.reason === 'expired') {
			return fail(
				{ code: 105002, message: 'Expired credentials: access token is expired, please refresh it' },
				config.expiredTokenStatus,
			);
		}
		if (!access.ok) return fail({ code: INVALID_PARAMETER, message: 'Invalid credentials: access token is invalid' });
		if (matched.scope && !access.scopes.includes(matched.scope)) {
			return fail({ code: 105005, message: 'Access denied: you should apply auth pkg for this api' });
		}
		const cipher = query.shop_cipher;
		if (matched.kind === 'seller' && cipher !== undefined) {
			return fail({ code: INVALID_PARAMETER, message: 'Unexpected identifier: shop_cipher' });
		}
		if (matched.kind === 'shop') {
			if (!cipher) return fail({ code: 106013, message: 'shop_cipher is required' });
			if (dataFor(cipher) === undefined) {
				return fail({ code: 101000, message: 'The access token is not authorized for this shop_cipher' });
			}
		}
		if (config.rateLimit) {
			const wait = limiter.take(`${appKey}|${cipher ?? ''}`, config.rateLimit, clock());
			if (wait > 0) return tooManyRequests(wait);
		}
		return undefined;
	};

	const amend = (statementId: string, amendment: Amendment): AmendmentResult => {
		const amended = amendShopData(data, statementId, amendment);
		data = amended.data;
		return amended.result;
	};

	/** The test's own admin call: not TikTok's API, so no signature and no statistics. */
	const amendRequest = (request: SandboxRequest): SandboxResponse => {
		const reply = (status: number, body: unknown): SandboxResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
		if (request.method.toUpperCase() !== 'POST') return reply(405, { error: 'POST a JSON body' });
		try {
			const { statementId, ...amendment } = JSON.parse(request.body) as { statementId: string } & Amendment;
			if (!['addTransaction', 'changeTransaction', 'releaseReserve'].includes(amendment.kind)) {
				return reply(400, { error: 'kind must be addTransaction, changeTransaction or releaseReserve' });
			}
			return reply(200, amend(String(statementId), amendment));
		} catch (error) {
			return reply(400, { error: (error as Error).message });
		}
	};

	const handle = async (request: SandboxRequest): Promise<SandboxResponse> => {
		if (request.path === '/sandbox/amend') return amendRequest(request);
		stats.requests += 1;
		if (config.expireTokensNow) {
			auth.expireAccessTokens(nowSeconds());
			config.expireTokensNow = false;
		}
		const headers = lowercaseKeys(request.headers);
		const found = findRoute(request.path);
		if (!found) {
			return isOtherVersionOfKnownPath(request.path)
				? fail({ code: 36009014, message: 'The version name is invalid, please check and retry.' })
				: fail({ code: 36009009, message: 'Invalid path' }, 404);
		}
		const [matched, match] = found;
		count(stats.byEndpoint, matched.name);
		count(stats.byPath, request.path);
		if (request.method.toUpperCase() !== 'GET') {
			return fail({ code: 36009010, message: `Invalid method: ${request.method} is not allowed` }, 405);
		}
		const fault = takeFault(matched, request.path);
		if (fault?.kind === 'rate_limit') return tooManyRequests(fault.retryAfterSeconds ?? 1);
		if (fault?.kind === 'unavailable') {
			count(stats.byCode, 'http-503');
			return {
				status: 503,
				headers: { 'content-type': 'text/plain' },
				body: 'Service Unavailable',
				delayMs: config.latencyMs,
			};
		}
		if (fault?.kind === 'internal_error') {
			return fail({ code: 36009003, message: 'Internal error, please try again later.' });
		}
		const response = answer(matched, match, request, headers);
		if (fault?.kind === 'slow') response.delayMs = (response.delayMs ?? 0) + (fault.delayMs ?? 2000);
		return response;
	};

	const answer = (
		matched: Route,
		match: RegExpExecArray,
		request: SandboxRequest,
		headers: Record<string, string>,
	): SandboxResponse => {
		if (matched.kind === 'token') return tokenEndpoint(matched, request.query);
		const rejected = authenticate(matched, request, headers);
		if (rejected) return rejected;
		if (matched.paged) {
			count(stats.pageFetches, `${request.path}?page_token=${request.query.page_token ?? ''}`);
		}
		if (!matched.handler) {
			const shops = [data, ...moreShops].map(({ shop }) => ({
				id: shop.id,
				name: shop.name,
				region: shop.region,
				seller_type: shop.seller_type,
				cipher: shop.cipher,
				code: shop.code,
			}));
			return respond(200, 0, 'Success', { shops });
		}
		const params: Record<string, string> = {};
		(matched.params ?? []).forEach((name, index) => {
			params[name] = match[index + 1];
		});
		const result = matched.handler({
			data: dataFor(request.query.shop_cipher ?? '') ?? data,
			nowSeconds: nowSeconds(),
			path: request.path,
			query: request.query,
			params,
			pageTokens,
		});
		return 'error' in result ? fail(result.error) : respond(200, 0, 'Success', result.data);
	};

	return {
		handle,
		credentials: {
			appKey,
			appSecret,
			authCode: () => auth.issueCode(nowSeconds()),
			accessToken: initial.access_token,
			refreshToken: initial.refresh_token,
			shopCipher: data.shop.cipher,
			shopId: data.shop.id,
			shopName: data.shop.name,
		},
		get data() {
			return data;
		},
		setData: (next) => {
			if (next.shop.id !== data.shop.id || next.shop.cipher !== data.shop.cipher) {
				throw new Error('setData needs a dataset of the same shop (same seed)');
			}
			data = next;
		},
		config,
		stats,
		expireAccessTokens: () => auth.expireAccessTokens(nowSeconds()),
		injectFaults: (kind, times, faultOptions = {}) => {
			for (let i = 0; i < times; i++) config.faults.push({ ...faultOptions, kind });
		},
		resetStats: () => Object.assign(stats, emptyStats()),
		amend,
	};
}
