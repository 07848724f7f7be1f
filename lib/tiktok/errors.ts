/*
 * One error type for everything that goes wrong talking to TikTok, with a user-facing `description` that says what
 * to do. Secrets never reach an error: URLs lose their query strings, texts pass through `redactText`, and the
 * error keeps no reference to the request, the response or a thrown cause.
 */

/** Why the call failed, so callers can branch without parsing messages. */
export type TikTokErrorKind =
	/** TikTok answered with an envelope whose `code` is not 0. */
	| 'api'
	/** An HTTP error status without a usable TikTok envelope. */
	| 'http'
	/** The transport threw (connection refused, reset, DNS…). */
	| 'network'
	/** A retryable failure (429, 503, 36009002/3/7, network) persisted through every attempt. */
	| 'retries-exhausted'
	/** The response was not JSON or did not match the schema. */
	| 'invalid-response'
	/** The seller must open the authorization link again (refresh token expired, revoked or unknown). */
	| 'reauthorize'
	/** Our own input was unusable before anything was sent (missing shop, bad filter…). */
	| 'invalid-request';

export interface TikTokApiErrorInit {
	kind: TikTokErrorKind;
	/** TikTok's (or our) message; redacted by the constructor's callers. */
	message: string;
	/** TikTok's error code when an envelope was received. */
	code?: number;
	requestId?: string;
	httpStatus?: number;
	/** Request path only, never a URL with a query string. */
	endpoint: string;
	/** Explicit description; otherwise derived from the code. */
	description?: string;
	/** How many attempts were made, when retries were involved. */
	attempts?: number;
	/** The seller's authorization link, added to re-authorize descriptions. */
	authorizationUrl?: string;
}

export class TikTokApiError extends Error {
	readonly kind: TikTokErrorKind;
	readonly code: number | undefined;
	readonly requestId: string | undefined;
	readonly httpStatus: number | undefined;
	readonly endpoint: string;
	readonly description: string;
	readonly attempts: number | undefined;

	constructor(init: TikTokApiErrorInit) {
		super(init.message);
		this.name = 'TikTokApiError';
		this.kind = init.kind;
		this.code = init.code;
		this.requestId = init.requestId;
		this.httpStatus = init.httpStatus;
		this.endpoint = stripQuery(init.endpoint);
		this.attempts = init.attempts;
		this.description =
			init.description ??
			describeTikTokError({
				code: init.code,
				message: init.message,
				httpStatus: init.httpStatus,
				authorizationUrl: init.authorizationUrl,
			});
	}

	/** True when only a new seller authorization can fix this. */
	get needsReauthorization(): boolean {
		return this.kind === 'reauthorize' || (this.code !== undefined && REAUTHORIZE_CODES.has(this.code));
	}

	/** Safe, explicit JSON form (JSON.stringify on an Error would otherwise drop `message`). */
	toJSON(): Record<string, unknown> {
		return {
			name: this.name,
			kind: this.kind,
			message: this.message,
			code: this.code,
			requestId: this.requestId,
			httpStatus: this.httpStatus,
			endpoint: this.endpoint,
			description: this.description,
			attempts: this.attempts,
		};
	}
}

/** Codes of the token endpoints after which refreshing cannot help (reference §1.3, §5.2). */
export const REAUTHORIZE_CODES: ReadonlySet<number> = new Set([36004001, 36004004, 36004005]);
/** Access token expired: refresh, then retry once. */
export const TOKEN_EXPIRED_CODE = 105002;
/** Codes worth retrying with backoff: too many requests, internal error, timeout. */
export const RETRYABLE_CODES: ReadonlySet<number> = new Set([36009002, 36009003, 36009007]);

export function reauthorizeHint(authorizationUrl?: string): string {
	return authorizationUrl
		? `The seller must authorize the app again: open ${authorizationUrl} while logged in to Seller Center, then save the new tokens.`
		: 'The seller must authorize the app again: open the authorization link from Partner Center (App → Authorization → Copy authorization link) while logged in to Seller Center, then save the new tokens.';
}

/** Maps a TikTok error to an explanation a seller or n8n user can act on. */
export function describeTikTokError(input: {
	code?: number;
	message?: string;
	httpStatus?: number;
	authorizationUrl?: string;
}): string {
	const { code, httpStatus, authorizationUrl } = input;
	const message = (input.message ?? '').toLowerCase();
	switch (code) {
		case 105005:
			return 'The app or this authorization lacks the API scope. In Partner Center enable the "Finance Information" scope (seller.finance.info) for the app, then have the seller re-authorize the app so the new scope is granted.';
		case 101000:
			return 'The access token does not belong to this shop or endpoint. Choose a shop cipher returned by Get Authorized Shops for this same authorization, and use a seller (not creator/partner) authorization.';
		case 106013:
			return 'The shop is missing: finance requests need a shop cipher. Select a shop (see Get Authorized Shops).';
		case 106001:
			return 'TikTok rejected the request signature. Check that the App Secret belongs to the App Key (no spaces, copied from Partner Center).';
		case 105002:
			return 'The access token has expired and a refresh did not help. Refresh the credentials; if that fails, re-authorize the app.';
		case 36004001:
		case 36004004:
		case 36004005:
			return `The authorization is no longer valid (expired refresh token, used or invalid auth code, or the seller revoked access). ${reauthorizeHint(authorizationUrl)}`;
		case 36009002:
			return 'TikTok is rate limiting this app and shop. Retry later or lower the request rate.';
		case 36009003:
			return 'TikTok reported an internal error. Retry later.';
		case 36009007:
			return 'TikTok timed out. Retry later or request a shorter time window.';
		case 36009033:
			return "The request came from an IP address that is not in the app's IP allow-list in Partner Center.";
		case 36009014:
			return 'TikTok does not know this API version. Check the configured version (e.g. the Get Payments version).';
		case 36009004:
			if (message.includes('timestamp')) {
				return "TikTok rejected the request timestamp. The clock of the machine running n8n is probably wrong: TikTok accepts timestamps from 5 minutes behind to 30 seconds ahead. Synchronise the system clock (NTP).";
			}
			if (message.includes('shop') || message.includes('cipher') || message.includes('identifier')) {
				return 'TikTok rejected the shop identifier: the shop cipher is wrong, missing, or not expected on this endpoint. Choose a shop returned by Get Authorized Shops for this authorization.';
			}
			return `TikTok rejected a request parameter: ${input.message ?? ''}`.trim();
		default:
			break;
	}
	if (code === undefined) {
		if (httpStatus === 401 || httpStatus === 403) {
			return 'TikTok refused the credentials. Refresh the credentials; if that fails, re-authorize the app.';
		}
		if (httpStatus === 429) return 'TikTok is rate limiting this app and shop. Retry later.';
		if (httpStatus !== undefined && httpStatus >= 500) return 'TikTok is unavailable. Retry later.';
	}
	return code === undefined
		? `TikTok request failed: ${input.message ?? ''}`.trim()
		: `TikTok returned error ${code}: ${input.message ?? ''}`.trim();
}

const REDACTED = '[redacted]';

function stripQuery(url: string): string {
	const cut = url.search(/[?#]/);
	return cut === -1 ? url : url.slice(0, cut);
}

/** A URL without its query string and fragment, for messages: token URLs carry the app secret in the query. */
export function redactUrl(url: string): string {
	return stripQuery(url);
}

/** Values of these parameters/headers are credentials wherever they appear in free text. */
const CREDENTIAL_PARAMETER = /\b(app_secret|access_token|refresh_token|auth_code|x-tts-access-token)(["']?\s*[=:]\s*["']?)[^\s&"',;}]+/gi;
/** TikTok tokens and auth codes start with TTP_ (reference §1.3 examples). */
const TIKTOK_TOKEN = /\bTTP_[A-Za-z0-9_\-+/=.]+/g;
const URL_WITH_QUERY = /\bhttps?:\/\/[^\s?#"'<>]+[?#][^\s"'<>]*/gi;

/**
 * Removes credentials from free text (e.g. a transport error message): every known secret (also URL-encoded),
 * query strings of URLs, `name=value` pairs of credential parameters and TTP_ tokens.
 */
export function redactText(text: string, secrets: ReadonlyArray<string | undefined> = []): string {
	let result = text;
	const known = secrets
		.filter((secret): secret is string => typeof secret === 'string' && secret.length >= 4)
		.sort((a, b) => b.length - a.length);
	for (const secret of known) {
		for (const form of new Set([secret, encodeURIComponent(secret)])) {
			result = result.split(form).join(REDACTED);
		}
	}
	return result
		.replace(URL_WITH_QUERY, (url) => `${stripQuery(url)}?${REDACTED}`)
		.replace(CREDENTIAL_PARAMETER, (_match, name: string, separator: string) => `${name}${separator}${REDACTED}`)
		.replace(TIKTOK_TOKEN, REDACTED);
}

/** A readable message out of anything thrown, without trusting it to be an Error. */
export function thrownMessage(thrown: unknown): string {
	if (thrown instanceof Error) return thrown.message || thrown.name;
	if (typeof thrown === 'string') return thrown;
	return 'unknown error';
}
