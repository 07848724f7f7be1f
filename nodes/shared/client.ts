import {
	sleep,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type ILoadOptionsFunctions,
	type IPollFunctions,
} from 'n8n-workflow';

import { REJECTION_MARKER_HEADER } from '../../lib/credential/request-signing';
import { credentialSecrets } from '../../lib/credential/stored';
import {
	apiBaseUrl,
	failFastOnAuthorizationErrors,
	fingerprint,
	type StoredCredential,
} from '../../lib/credential/token-refresh';
import type { ClientAuth } from '../../lib/tiktok/auth';
import { TikTokClient } from '../../lib/tiktok/client';
import type { HttpRequest, HttpResponse } from '../../lib/tiktok/transport';

export const CREDENTIAL_TYPE = 'tikTokPaymentsOAuthApi';

/** The credential's authenticate() replaces this with the shop resolved at authorization time. */
const SHOP_FROM_CREDENTIAL = 'shop-from-credential';


type Context = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export interface ClientSettings {
	requestsPerSecond?: number;
	paymentsVersion?: string;
	maxAttempts?: number;
}

/**
 * A TikTokClient that sends through n8n: the credential signs every request and refreshes tokens (see
 * credentials/TikTokPaymentsOAuthApi), n8n's helper does the HTTP, n8n-workflow's sleep paces retries.
 */
export async function createClient(context: Context, settings: ClientSettings = {}): Promise<TikTokClient> {
	const credential = (await context.getCredentials(CREDENTIAL_TYPE)) as StoredCredential;

	const send = failFastOnAuthorizationErrors(async (request: HttpRequest): Promise<HttpResponse> => {
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
		})) as { statusCode: number; headers: HttpResponse['headers']; body: unknown };
		return { status: response.statusCode, headers: response.headers, body: response.body };
	});

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
			const current = (await context.getCredentials(CREDENTIAL_TYPE)) as StoredCredential;
			rejectedFingerprint = fingerprint(current.accessToken ?? '');
		},
	};

	return new TikTokClient({
		appKey: credential.appKey ?? '',
		send,
		auth,
		now: () => Date.now(),
		sleep: (ms) => sleep(ms),
		baseUrl: apiBaseUrl(credential),
		shopCipher: SHOP_FROM_CREDENTIAL,
		requestsPerSecond: settings.requestsPerSecond,
		paymentsVersion: settings.paymentsVersion,
		maxAttempts: settings.maxAttempts,
		// Read when an error is built, not now: on a first run the access token does not exist yet, and a refresh
		// during the run replaces it.
		currentSecrets: async () => credentialSecrets((await context.getCredentials(CREDENTIAL_TYPE)) as StoredCredential),
	});
}
