import { createSigningAuth } from '../../lib/tiktok/auth';
import { TikTokClient, type TikTokClientOptions } from '../../lib/tiktok/client';
import { RateLimiter } from '../../lib/tiktok/rate-limit';
import { signRequest } from '../../lib/tiktok/sign';
import { TokenManager, type TokenState } from '../../lib/tiktok/token';
import type { HttpRequest, HttpResponse, Send } from '../../lib/tiktok/transport';

/** Test credentials. The values are made up; "dummy" keeps the secret scanner from mistaking them for real ones. */
export const APP_KEY = 'testappkey';
export const APP_SECRET = 'dummy-app-secret-0a1b2c3d4e5f';
export const SHOP_CIPHER = 'ROW_dummyShopCipher';
export const START_MS = Date.UTC(2025, 0, 15, 12, 0, 0);

/** A clock whose sleep advances fake time instantly, so backoff and rate limiting cost no wall time. */
export function fakeClock(startMs = START_MS) {
	let current = startMs;
	const sleeps: number[] = [];
	return {
		now: () => current,
		sleep: async (ms: number) => {
			sleeps.push(ms);
			current += ms;
		},
		advance: (ms: number) => {
			current += ms;
		},
		sleeps,
	};
}
/** What the fakes need of a clock: fakeClock() here, or virtualClock() from test/support for concurrent sleepers. */
export interface FakeClock {
	now: () => number;
	sleep: (ms: number) => Promise<void>;
}

export interface RecordedCall {
	request: HttpRequest;
	path: string;
	/** Decoded exactly like a server would decode the wire query (a raw `+` becomes a space). */
	query: Record<string, string>;
	atMs: number;
}

export type Responder = (call: RecordedCall, index: number) => HttpResponse | Promise<HttpResponse>;

export function fakeSend(clock: FakeClock, responder: Responder) {
	const calls: RecordedCall[] = [];
	const send: Send = async (request) => {
		const url = new URL(request.url);
		const call: RecordedCall = {
			request,
			path: url.pathname,
			query: Object.fromEntries(url.searchParams),
			atMs: clock.now(),
		};
		calls.push(call);
		return responder(call, calls.length - 1);
	};
	return { send, calls };
}

export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
	return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function ok(data: unknown, requestId = 'req-ok'): HttpResponse {
	return jsonResponse(200, { code: 0, message: 'Success', request_id: requestId, data });
}

export function apiError(code: number, message: string, status = 200, headers: Record<string, string> = {}) {
	return jsonResponse(status, { code, message, request_id: `req-${code}`, data: null }, headers);
}

/** True when the call carries a valid signature for its decoded query, as TikTok would check it. */
export function signatureValid(call: RecordedCall, appSecret = APP_SECRET): boolean {
	const { sign, ...rest } = call.query;
	return sign === signRequest({ appSecret, path: call.path, query: rest, body: call.request.body });
}

export function tokens(overrides: Partial<TokenState> = {}, nowMs = START_MS): TokenState {
	return {
		accessToken: 'TTP_dummy_access_1',
		accessTokenExpiresAt: Math.floor(nowMs / 1000) + 7 * 86400,
		refreshToken: 'TTP_dummy_refresh_1',
		refreshTokenExpiresAt: Math.floor(nowMs / 1000) + 365 * 86400,
		...overrides,
	};
}

/** A token-endpoint response granting the n-th token pair, with ABSOLUTE expiry timestamps. */
export function grant(n: number, nowMs: number, overrides: Record<string, unknown> = {}): HttpResponse {
	return ok({
		access_token: `TTP_dummy_access_${n}`,
		access_token_expire_in: Math.floor(nowMs / 1000) + 7 * 86400,
		refresh_token: `TTP_dummy_refresh_${n}`,
		refresh_token_expire_in: Math.floor(nowMs / 1000) + 365 * 86400,
		open_id: 'open-1',
		seller_name: 'Test Shop',
		seller_base_region: 'DE',
		user_type: 0,
		granted_scopes: ['seller.finance.info', 'seller.authorization.info'],
		...overrides,
	});
}

/**
 * A client with real signing and a TokenManager. API calls go to `api`, token calls (auth host) to `tokenApi`.
 */
export function signedClient(
	clock: FakeClock,
	api: Responder,
	options: Partial<TikTokClientOptions> & { tokenApi?: Responder; state?: TokenState } = {},
) {
	const { tokenApi, state, ...clientOptions } = options;
	const stored: TokenState[] = [];
	const apiSend = fakeSend(clock, api);
	const tokenSend = fakeSend(clock, tokenApi ?? ((_call, index) => grant(index + 2, clock.now())));
	const manager = new TokenManager({
		appKey: APP_KEY,
		appSecret: APP_SECRET,
		send: tokenSend.send,
		now: clock.now,
		tokens: state ?? tokens({}, clock.now()),
		authBaseUrl: 'https://auth.test',
		authorizationUrl: 'https://services.tiktokshop.com/open/authorize?service_id=7777',
		onTokens: (value) => {
			stored.push(value);
		},
	});
	const client = new TikTokClient({
		appKey: APP_KEY,
		baseUrl: 'https://api.test',
		shopCipher: SHOP_CIPHER,
		send: apiSend.send,
		auth: createSigningAuth({ appKey: APP_KEY, appSecret: APP_SECRET, tokenManager: manager, now: clock.now }),
		now: clock.now,
		sleep: clock.sleep,
		random: () => 0.5,
		secrets: [APP_SECRET],
		...clientOptions,
	});
	return { client, manager, calls: apiSend.calls, tokenCalls: tokenSend.calls, stored };
}

/**
 * Client options whose rate never makes a request wait (a billion per second), so `clock.sleeps` holds only backoff
 * sleeps and the pauses a throttle (429) imposes on the shop.
 */
export function noThrottle(clock: FakeClock): { rateLimiter: RateLimiter; requestsPerSecond: number } {
	const rateLimiter = new RateLimiter({
		startPerSecond: 1e9,
		now: clock.now,
		sleep: (ms) => (ms < 1 ? Promise.resolve() : clock.sleep(ms)),
	});
	return { rateLimiter, requestsPerSecond: 1e9 };
}

/** The query without the keys that legitimately differ between requests. */
export function stableQuery(query: Record<string, string>, drop = ['sign', 'timestamp', 'page_token']) {
	return Object.fromEntries(Object.entries(query).filter(([key]) => !drop.includes(key)));
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
	const items: T[] = [];
	for await (const item of iterable) items.push(item);
	return items;
}

/** Awaits a promise that must reject and returns the rejection. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected a rejection');
}

/** Asserts that no secret occurs anywhere a user or a log could see it. */
export function expectNoSecrets(error: unknown, secrets: string[]): void {
	const record = error as { message?: unknown; description?: unknown; stack?: unknown };
	const surfaces = [
		String(record.message ?? ''),
		String(record.description ?? ''),
		String(record.stack ?? ''),
		JSON.stringify(error),
		String(error),
	];
	for (const secret of secrets) {
		for (const surface of surfaces) {
			expect(surface).not.toContain(secret);
			expect(surface).not.toContain(encodeURIComponent(secret));
		}
	}
}
