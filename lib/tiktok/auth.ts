import { signRequest } from './sign';
import type { TokenManager } from './token';
import type { HttpMethod } from './transport';

/*
 * The auth seam of TikTokClient. Standalone (tests, demo, bench) the client signs itself with createSigningAuth;
 * inside n8n the credential signs, so the node passes an auth whose `authorize` is (almost) the identity and whose
 * `tokenRejected` makes the credential refresh.
 */

export const ACCESS_TOKEN_HEADER = 'x-tts-access-token';

/** A request as the client builds it: decoded query values, nothing TikTok-auth-specific yet. */
export interface UnsignedRequest {
	method: HttpMethod;
	/** Path only, e.g. `/finance/202309/statements`. */
	path: string;
	/** Decoded values; the client percent-encodes them when it builds the URL. */
	query: Record<string, string>;
	headers: Record<string, string>;
	body?: string;
}

/** Same shape, now carrying app_key, timestamp, sign and the access token header (or whatever the signer adds). */
export type SignedRequest = UnsignedRequest;

/** Passed to `tokenRejected` when TikTok answered 105002 (HTTP 200 or 401) or a bare 401. */
export interface TokenRejectedInfo {
	endpoint: string;
	code?: number;
	httpStatus: number;
	requestId?: string;
	/** The request that was rejected. It carries credentials: use it to compare tokens, never log it. */
	request: SignedRequest;
}

export interface ClientAuth {
	authorize(request: UnsignedRequest): Promise<SignedRequest>;
	/** Make the next `authorize` use a fresh token; may throw a re-authorize error. */
	tokenRejected(info: TokenRejectedInfo): Promise<void>;
}

export interface SigningParts {
	appKey: string;
	appSecret: string;
	accessToken: string;
	/** Unix seconds; TikTok accepts [now − 5 min, now + 30 s]. */
	timestampSeconds: number;
}

/**
 * Adds app_key, timestamp, sign and the access token header. Pure, so the n8n credential can reuse it:
 * the signature covers exactly the query that will be sent (decoded values), never access_token or sign.
 */
export function signUnsignedRequest(request: UnsignedRequest, parts: SigningParts): SignedRequest {
	const query: Record<string, string> = { ...request.query };
	delete query.sign;
	delete query.access_token;
	query.app_key = parts.appKey;
	query.timestamp = String(Math.floor(parts.timestampSeconds));
	const contentType = headerIgnoringCase(request.headers, 'content-type');
	query.sign = signRequest({
		appSecret: parts.appSecret,
		path: request.path,
		query,
		body: request.body,
		contentType,
	});
	return { ...request, query, headers: { ...request.headers, [ACCESS_TOKEN_HEADER]: parts.accessToken } };
}

export interface SigningAuthOptions {
	appKey: string;
	appSecret: string;
	tokenManager: TokenManager;
	/** Milliseconds since the epoch; injected so tests control the signed timestamp. */
	now: () => number;
}

/** Standalone auth: tokens from a TokenManager (refreshed before expiry), requests signed with the app secret. */
export function createSigningAuth(options: SigningAuthOptions): ClientAuth {
	return {
		async authorize(request) {
			const accessToken = await options.tokenManager.accessToken();
			return signUnsignedRequest(request, {
				appKey: options.appKey,
				appSecret: options.appSecret,
				accessToken,
				timestampSeconds: options.now() / 1000,
			});
		},
		async tokenRejected(info) {
			await options.tokenManager.tokenRejected(headerIgnoringCase(info.request.headers, ACCESS_TOKEN_HEADER));
		},
	};
}

function headerIgnoringCase(headers: Record<string, string>, name: string): string | undefined {
	const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
	return key === undefined ? undefined : headers[key];
}
