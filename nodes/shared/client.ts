import {
	sleep,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type ILoadOptionsFunctions,
	type IPollFunctions,
} from 'n8n-workflow';

import { handleCredentialFailures } from '../../lib/credential/credential-failures';
import { REJECTION_MARKER_HEADER } from '../../lib/credential/request-signing';
import { credentialSecrets, readAuthorizationState } from '../../lib/credential/stored';
import { apiBaseUrl, fingerprint, type StoredCredential } from '../../lib/credential/token-refresh';
import type { ClientAuth } from '../../lib/tiktok/auth';
import { TikTokClient, type TikTokClientOptions } from '../../lib/tiktok/client';
import { RateLimiter } from '../../lib/tiktok/rate-limit';
import { DEFAULT_TIMEOUT_MS, type HttpRequest, type HttpResponse } from '../../lib/tiktok/transport';
import { clientForShop } from './shop';

export const CREDENTIAL_TYPE = 'tikTokPaymentsOAuthApi';

type Context = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

/**
 * One rate limiter per app in this process, which paces each shop on its own: TikTok limits per app × shop, so
 * executions that run at the same time share one queue per shop, and a node starts at the rate the one before it
 * found instead of probing again. Each node's own maximum still holds. Bounded: the oldest entry goes when there
 * are too many.
 */
const limiters = new Map<string, RateLimiter>();
const MAX_LIMITERS = 100;

function sharedLimiter(key: string): RateLimiter {
	let limiter = limiters.get(key);
	if (!limiter) {
		if (limiters.size >= MAX_LIMITERS) limiters.delete(limiters.keys().next().value as string);
		limiter = new RateLimiter({ now: () => Date.now(), sleep: (ms) => sleep(ms) });
		limiters.set(key, limiter);
	}
	return limiter;
}

export interface ClientSettings {
	requestsPerSecond?: number;
	paymentsVersion?: string;
	maxAttempts?: number;
	/** Per request; default 30 s. */
	timeoutSeconds?: number;
	/** Shop id, cipher or code; default: the credential's Shop field. */
	shop?: string;
	/** Only seller-level calls (Get Authorized Shops) follow: no shop is resolved. */
	sellerOnly?: boolean;
}

/** The credential as stored now: n8n's getCredentials reads the database on every call. */
export async function readCredential(context: Context): Promise<StoredCredential> {
	return (await context.getCredentials(CREDENTIAL_TYPE)) as StoredCredential;
}

/**
 * A TikTokClient that sends through n8n: the credential signs every request and refreshes tokens (see
 * credentials/TikTokPaymentsOAuthApi), n8n's helper does the HTTP, n8n-workflow's sleep paces retries. Unless
 * `sellerOnly`, the client is bound to the shop (see ./shop.ts).
 */
export async function createClient(context: Context, settings: ClientSettings = {}): Promise<TikTokClient> {
	const credential = await readCredential(context);
	const timeoutMs = settings.timeoutSeconds ? Math.round(settings.timeoutSeconds * 1000) : DEFAULT_TIMEOUT_MS;

	const viaN8n = async (request: HttpRequest): Promise<HttpResponse> => {
		const url = new URL(request.url);
		const response = (await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, {
			method: request.method as IHttpRequestMethods,
			url: `${url.origin}${url.pathname}`,
			qs: Object.fromEntries(url.searchParams),
			headers: request.headers,
			body: request.body,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			json: true,
			timeout: timeoutMs,
		})) as { statusCode: number; headers: HttpResponse['headers']; body: unknown };
		return { status: response.statusCode, headers: response.headers, body: response.body };
	};
	const storedRefreshToken = async () => {
		const state = readAuthorizationState(await readCredential(context));
		return state ? fingerprint(state.rotatedRefreshToken) : undefined;
	};
	const send = handleCredentialFailures(viaN8n, { storedRefreshToken, sleep: (ms) => sleep(ms), timeoutMs });

	let rejectedFingerprint: string | undefined;
	const auth: ClientAuth = {
		// The credential signs inside n8n; we only pass on that TikTok rejected the current token.
		async authorize(request) {
			if (rejectedFingerprint === undefined) return request;
			const headers = { ...request.headers, [REJECTION_MARKER_HEADER]: rejectedFingerprint };
			rejectedFingerprint = undefined;
			return { ...request, headers };
		},
		async tokenRejected() {
			const current = readAuthorizationState(await readCredential(context));
			rejectedFingerprint = fingerprint(current?.accessToken ?? '');
		},
	};

	const options: TikTokClientOptions = {
		appKey: credential.appKey ?? '',
		send,
		auth,
		now: () => Date.now(),
		sleep: (ms) => sleep(ms),
		baseUrl: apiBaseUrl(credential),
		requestsPerSecond: settings.requestsPerSecond,
		// Per app; inside, the limiter keeps each shop (cipher) apart.
		rateLimiter: sharedLimiter(`${apiBaseUrl(credential)}|${credential.appKey ?? ''}`),
		paymentsVersion: settings.paymentsVersion,
		maxAttempts: settings.maxAttempts,
		// Read when an error is built, not now: on a first run the access token does not exist yet, and a refresh
		// during the run replaces it.
		currentSecrets: async () => credentialSecrets(await readCredential(context)),
	};
	if (settings.sellerOnly) return new TikTokClient(options);
	return clientForShop(options, credential, settings.shop);
}
