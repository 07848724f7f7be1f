import { TikTokApiError, redactUrl } from '../tiktok/errors';
import type { HttpRequest, Send } from '../tiktok/transport';
import { AccessTokenExpiredError } from './request-signing';
import { AUTHORIZATION_FAILED, CredentialAuthorizationError } from './token-refresh';

/*
 * How the node reads failures of n8n's authenticated request helper. n8n-core wraps everything that goes wrong in
 * `httpRequestWithAuthentication` (our credential's errors, a second 401, timeouts) in a NodeApiError whose message
 * may be its own ("Authorization failed - please check your credentials") and whose `cause` is the original error.
 * So we look at the cause chain, never at the message:
 * - our credential's errors are final: retrying them like a network error would only repeat them;
 * - a refresh token or code TikTok rejected may have been redeemed by another n8n process a moment ago: we re-read
 *   the stored credential (n8n's `getCredentials` reads the database each time) and retry once if it changed;
 * - a request n8n aborted after its timeout is final too: the run fails within the timeout, not five times later.
 */

const MAX_CAUSE_DEPTH = 6;

function causes(error: unknown): unknown[] {
	const chain: unknown[] = [];
	let current = error;
	while (current !== undefined && current !== null && chain.length < MAX_CAUSE_DEPTH) {
		chain.push(current);
		current = (current as { cause?: unknown }).cause;
	}
	return chain;
}

/** Our credential's error inside whatever n8n wrapped it in. */
export function credentialFailureIn(error: unknown): CredentialAuthorizationError | AccessTokenExpiredError | undefined {
	for (const candidate of causes(error)) {
		if (candidate instanceof CredentialAuthorizationError || candidate instanceof AccessTokenExpiredError) return candidate;
	}
	return undefined;
}

/** True when the HTTP client gave up waiting (axios: code ECONNABORTED, "timeout of 30000ms exceeded"). */
export function isTimeout(error: unknown): boolean {
	return causes(error).some((candidate) => {
		const { code, message } = candidate as { code?: unknown; message?: unknown };
		return code === 'ECONNABORTED' || code === 'ETIMEDOUT' || (typeof message === 'string' && /\btimeout of \d+ ?ms exceeded\b/i.test(message));
	});
}

export interface CredentialFailureOptions {
	/** Fingerprint of the refresh token stored now, read afresh from n8n. */
	storedRefreshToken: () => Promise<string | undefined>;
	sleep: (ms: number) => Promise<void>;
	/** The request timeout, for the message. */
	timeoutMs: number;
}

/** n8n stores a refreshed credential a moment after the token call: look again a little later before giving up. */
const REREAD_DELAYS_MS = [0, 1_000, 2_000];

async function storedTokenChangedFrom(rejected: string, options: CredentialFailureOptions): Promise<boolean> {
	for (const delay of REREAD_DELAYS_MS) {
		if (delay > 0) await options.sleep(delay);
		const stored = await options.storedRefreshToken();
		if (stored !== undefined && stored !== rejected) return true;
	}
	return false;
}

/** The final form of a failure the client must not retry; undefined for failures it may retry. */
function finalError(error: unknown, request: HttpRequest, timeoutMs: number): TikTokApiError | undefined {
	const endpoint = new URL(request.url).pathname;
	const failure = credentialFailureIn(error);
	if (failure instanceof AccessTokenExpiredError) {
		// n8n refreshed once and `authenticate` still refused the new token: another refresh would not help.
		const message = `${AUTHORIZATION_FAILED} a new access token was refused too (${failure.reason}).`;
		const description = `${message} Check that the clock of the machine running n8n is right; otherwise authorize the app again.`;
		return new TikTokApiError({ kind: 'reauthorize', message, endpoint, description });
	}
	if (failure) return new TikTokApiError({ kind: 'reauthorize', message: failure.message, endpoint, description: failure.message });
	if (isTimeout(error)) {
		const seconds = Math.round(timeoutMs / 1000);
		return new TikTokApiError({
			kind: 'network',
			endpoint,
			message: `TikTok did not answer ${redactUrl(request.url)} within ${seconds} s.`,
			description: `The request timed out after ${seconds} s. TikTok or the network is slow or unreachable: retry later, or raise the Timeout option.`,
		});
	}
	return undefined;
}

/** Wraps the node's sender: credential failures and timeouts become final TikTokApiErrors, see above. */
export function handleCredentialFailures(send: Send, options: CredentialFailureOptions): Send {
	return async (request) => {
		let failure: unknown;
		try {
			return await send(request);
		} catch (error) {
			failure = error;
		}
		const rejected = credentialFailureIn(failure);
		if (rejected instanceof CredentialAuthorizationError && rejected.rejectedRefreshToken !== undefined) {
			if (await storedTokenChangedFrom(rejected.rejectedRefreshToken, options)) {
				try {
					return await send(request);
				} catch (error) {
					failure = error;
				}
			}
		}
		throw finalError(failure, request, options.timeoutMs) ?? failure;
	};
}
