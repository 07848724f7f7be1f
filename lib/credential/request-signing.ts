import { signUnsignedRequest } from '../tiktok/auth';
import type { HttpMethod } from '../tiktok/transport';
import { authInputFingerprint, fingerprint, readAuthorizationState, type AuthorizationState, type StoredCredential } from './stored';

/*
 * What the n8n credential's `authenticate` does. n8n only refreshes a credential (preAuthentication) when a
 * request fails with HTTP 401, and it runs `authenticate` inside the same try block. So when the access token is
 * about to expire, the node tells us TikTok rejected it with 105002 inside an HTTP 200, or the user pasted a new
 * authorization code, we throw a 401-shaped error here: n8n refreshes, persists the new tokens, calls us again and
 * sends the request once more.
 */

/** Header the node sets to say "TikTok rejected the token with this fingerprint"; never sent to TikTok. */
export const REJECTION_MARKER_HEADER = 'x-n8n-tiktok-rejected';

/** Refresh this long before TikTok's expiry, so a paged fetch does not run into it. */
export const EXPIRY_MARGIN_MS = 5 * 60 * 1000;

export interface SignableRequest {
	method?: string;
	url: string;
	baseURL?: string;
	qs?: Record<string, unknown>;
	headers?: Record<string, unknown>;
	body?: unknown;
}

export const ACCESS_TOKEN_NEEDS_REFRESH = 'TikTok access token needs a refresh';

/** The error n8n recognises as "credential expired": it looks only at `response.status`. */
export class AccessTokenExpiredError extends Error {
	readonly response = { status: 401, statusText: 'Unauthorized', headers: {}, data: {} };
	constructor(readonly reason: string) {
		super(`${ACCESS_TOKEN_NEEDS_REFRESH} (${reason}).`);
		this.name = 'AccessTokenExpiredError';
	}
}

/**
 * Five minutes, or half the token's lifetime when TikTok issues shorter-lived tokens: a token that was just
 * refreshed must be usable, or n8n's single retry would fail again.
 */
function refreshMargin(state: AuthorizationState): number {
	const { accessIssuedAt: issuedAt, accessExpiresAt: expiresAt } = state;
	if (issuedAt <= 0 || expiresAt <= issuedAt) return EXPIRY_MARGIN_MS;
	return Math.min(EXPIRY_MARGIN_MS, ((expiresAt - issuedAt) * 1000) / 2);
}

/** True while the stored access token can be used without a refresh. */
export function accessTokenFresh(state: AuthorizationState, nowMs: number): boolean {
	return state.accessToken !== '' && state.accessExpiresAt * 1000 - nowMs > refreshMargin(state);
}

function stringValues(record: Record<string, unknown> | undefined): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [key, value] of Object.entries(record ?? {})) {
		if (value === undefined || value === null) continue;
		result[key] = Array.isArray(value) ? value.join(',') : String(value);
	}
	return result;
}

function popHeader(headers: Record<string, unknown>, name: string): string | undefined {
	let found: string | undefined;
	for (const key of Object.keys(headers)) {
		if (key.toLowerCase() === name) {
			found = String(headers[key]);
			delete headers[key];
		}
	}
	return found;
}

/**
 * Signs a request in place (idempotent: n8n passes the same options again on its retry) and returns it. The shop
 * (shop_cipher) is the caller's: the node resolves it and puts it into the query it asks us to sign.
 */
export function signForTikTok<T extends SignableRequest>(credential: StoredCredential, request: T, nowMs: number): T {
	const headers = { ...(request.headers ?? {}) };
	const rejected = popHeader(headers, REJECTION_MARKER_HEADER);
	request.headers = headers;
	const state = readAuthorizationState(credential);
	if (!state || !state.accessToken) throw new AccessTokenExpiredError('no access token stored yet');
	const token = state.accessToken;
	// The user pasted a new code (or refresh token): n8n calls preAuthentication only after a 401, so ask for one.
	const newInput = (credential.authCode || credential.refreshToken) && authInputFingerprint(credential) !== state.authInputFingerprint;
	if (newInput) throw new AccessTokenExpiredError('a new authorization was entered');
	if (rejected !== undefined && rejected === fingerprint(token)) throw new AccessTokenExpiredError('TikTok answered 105002');
	if (!accessTokenFresh(state, nowMs)) throw new AccessTokenExpiredError('it is about to expire');

	const path = new URL(request.url, request.baseURL ?? 'http://placeholder').pathname;
	const body = typeof request.body === 'string' ? request.body : undefined;
	const signed = signUnsignedRequest(
		{ method: (request.method ?? 'GET').toUpperCase() as HttpMethod, path, query: stringValues(request.qs), headers: stringValues(headers), body },
		{ appKey: credential.appKey ?? '', appSecret: credential.appSecret ?? '', accessToken: token, timestampSeconds: nowMs / 1000 },
	);
	request.qs = signed.query;
	request.headers = { ...headers, ...signed.headers };
	return request;
}
