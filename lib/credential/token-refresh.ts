import { signUnsignedRequest } from '../tiktok/auth';
import { authorizedShopsRequest } from '../tiktok/endpoints';
import { TikTokApiError } from '../tiktok/errors';
import type { TikTokShop } from '../tiktok/schemas';
import {
	AUTH_BASE_URL,
	buildAuthorizationUrl,
	exchangeAuthCode,
	reauthorizeError,
	refreshAccessToken,
	type Market,
	type TokenGrant,
} from '../tiktok/token';
import type { Send } from '../tiktok/transport';
import { DEFAULT_BASE_URL, TikTokClient } from '../tiktok/client';
import { ACCESS_TOKEN_NEEDS_REFRESH } from './request-signing';
import { AUTHORIZATION_FAILED, credentialSecrets, fingerprint, type StoredCredential } from './stored';

export { AUTHORIZATION_FAILED, fingerprint, type StoredCredential };

/*
 * What the n8n credential's `preAuthentication` does, as a pure function. n8n calls it when the stored access
 * token is empty, after a 401 (our `authenticate` raises one when the token is about to expire or TikTok said
 * 105002), and on the credential test. Whatever it returns n8n writes back into the credential, so the ROTATED
 * refresh token and the resolved shop survive restarts.
 */

/** Fields written back into the credential. `accessToken` is the expirable field n8n watches. */
export interface RefreshedCredential {
	accessToken: string;
	accessExpiresAt: number;
	/** When we got the token (Unix seconds): bounds the refresh margin for unusually short-lived tokens. */
	accessIssuedAt: number;
	rotatedRefreshToken: string;
	refreshExpiresAt: number;
	authInputFingerprint: string;
	/** The Shop field's value the shop was resolved for: a changed field triggers a new lookup. */
	shopInput: string;
	shopCipher: string;
	shopName: string;
	/** Why no shop could be chosen (wrong id, several shops, missing scope); '' when resolved or transient. */
	shopProblem: string;
}

export function apiBaseUrl(credential: StoredCredential): string {
	return (credential.customHosts && credential.apiBaseUrl) || DEFAULT_BASE_URL;
}

export function authBaseUrl(credential: StoredCredential): string {
	return (credential.customHosts && credential.authBaseUrl) || AUTH_BASE_URL;
}

/** The seller's authorization link, when a Service ID is known (shown in every re-authorize error). */
export function authorizationLink(credential: StoredCredential): string | undefined {
	if (!credential.serviceId) return undefined;
	const market: Market = credential.market === 'US' ? 'US' : 'ROW';
	return buildAuthorizationUrl({ serviceId: credential.serviceId, market });
}

function authInputFingerprint(credential: StoredCredential): string {
	return fingerprint(`${credential.authCode ?? ''}\u0000${credential.refreshToken ?? ''}`);
}


/** Message and description of a failure, without saying the same thing twice. */
function errorText(failure: unknown): string {
	if (!(failure instanceof TikTokApiError)) return failure instanceof Error ? failure.message : String(failure);
	if (failure.description.includes(failure.message)) return failure.description.trim();
	return `${failure.message} ${failure.description}`.trim();
}

/**
 * Cuts the credential's secrets out of a text. Only the known secrets: library errors are already redacted, and
 * the authorization link in a message must stay readable.
 */
function redactSecrets(message: string, credential: StoredCredential): string {
	let text = message;
	for (const secret of credentialSecrets(credential)) if (secret.length >= 4) text = text.split(secret).join('[redacted]');
	return text;
}

/** Plain Error with secrets scrubbed: n8n shows credential errors verbatim. */
export function credentialError(message: string, credential: StoredCredential): Error {
	return new Error(`${AUTHORIZATION_FAILED} ${redactSecrets(message, credential)}`);
}

async function obtainTokens(credential: StoredCredential, send: Send, nowMs: number): Promise<TokenGrant> {
	const link = authorizationLink(credential);
	const options = {
		appKey: credential.appKey ?? '',
		appSecret: credential.appSecret ?? '',
		send,
		authBaseUrl: authBaseUrl(credential),
		authorizationUrl: link,
	};
	const inputChanged = authInputFingerprint(credential) !== credential.authInputFingerprint;
	// A newly pasted code or refresh token wins over what we stored: the seller has just re-authorized.
	if (inputChanged && credential.authCode) return exchangeAuthCode(options, credential.authCode);
	if (inputChanged && credential.refreshToken) return refreshAccessToken(options, credential.refreshToken);
	if (credential.rotatedRefreshToken) {
		const expiresAt = Number(credential.refreshExpiresAt ?? 0);
		if (expiresAt > 0 && expiresAt * 1000 <= nowMs) {
			throw reauthorizeError(
				`The seller's TikTok authorization expired on ${new Date(expiresAt * 1000).toISOString().slice(0, 10)}.`,
				link,
			);
		}
		return refreshAccessToken(options, credential.rotatedRefreshToken);
	}
	throw reauthorizeError(
		'The credential has no authorization yet: paste the authorization code from the redirect URL.',
		link,
	);
}

/** Picks the shop the user named (cipher or shop id), or the only one; otherwise lists the choices. */
export function chooseShop(shops: TikTokShop[], wanted: string | undefined): TikTokShop {
	const describe = (shop: TikTokShop) => `${shop.name} (id ${shop.id}, ${shop.region})`;
	const choice = (wanted ?? '').trim();
	if (choice) {
		const match = shops.find((shop) => shop.cipher === choice || shop.id === choice || shop.code === choice);
		if (match) return match;
		throw new TikTokApiError({
			kind: 'invalid-request',
			endpoint: '/authorization/202309/shops',
			message: `The shop "${choice}" is not authorized for this app. Authorized shops: ${shops.map(describe).join('; ') || 'none'}.`,
			description: 'Enter the shop id or cipher of one of the authorized shops, or leave Shop empty if there is only one.',
		});
	}
	if (shops.length === 1) return shops[0];
	throw new TikTokApiError({
		kind: 'invalid-request',
		endpoint: '/authorization/202309/shops',
		message:
			shops.length === 0
				? 'The authorization covers no shop.'
				: `The authorization covers ${shops.length} shops; choose one in the credential's Shop field: ${shops.map(describe).join('; ')}.`,
	});
}

/**
 * Get Authorized Shops with the fresh token, through TikTokClient so that a 429 or 503 is retried with backoff
 * like every other call.
 */
function authorizedShops(credential: StoredCredential, accessToken: string, clock: Clock): Promise<TikTokShop[]> {
	const appKey = credential.appKey ?? '';
	const appSecret = credential.appSecret ?? '';
	const client = new TikTokClient({
		appKey,
		send: clock.send,
		now: clock.now,
		sleep: clock.sleep,
		baseUrl: apiBaseUrl(credential),
		secrets: [appSecret, accessToken],
		auth: {
			async authorize(request) {
				return signUnsignedRequest(request, { appKey, appSecret, accessToken, timestampSeconds: clock.now() / 1000 });
			},
			async tokenRejected() {
				throw new TikTokApiError({
					kind: 'reauthorize',
					endpoint: authorizedShopsRequest().path,
					message: 'TikTok rejected the access token it has just issued.',
				});
			},
		},
	});
	return client.authorizedShops();
}

/** How a shop lookup went: a shop, a problem the user must fix, or a transient failure to retry later. */
type ShopOutcome = { shop: TikTokShop } | { problem: string } | { transient: string };

async function resolveShop(credential: StoredCredential, accessToken: string, clock: Clock): Promise<ShopOutcome> {
	let shops: TikTokShop[] | undefined;
	let failure: unknown;
	try {
		shops = await authorizedShops(credential, accessToken, clock);
	} catch (error) {
		failure = error;
	}
	if (shops === undefined) {
		const retryLater = !(failure instanceof TikTokApiError) || ['network', 'retries-exhausted'].includes(failure.kind);
		const text = errorText(failure);
		return retryLater ? { transient: text } : { problem: text };
	}
	try {
		return { shop: chooseShop(shops, credential.shop) };
	} catch (error) {
		return { problem: error instanceof Error ? error.message : String(error) };
	}
}

/**
 * Wraps the node's sender: a failure raised by our credential code (n8n wraps it, keeping the message) is final,
 * so it becomes a TikTokApiError, which the client does not retry the way it retries network errors.
 */
export function failFastOnAuthorizationErrors(send: Send): Send {
	return async (request) => {
		let failure: unknown;
		try {
			return await send(request);
		} catch (error) {
			failure = error;
		}
		const message = failure instanceof Error ? failure.message : String(failure);
		if (message.startsWith(AUTHORIZATION_FAILED) || message.startsWith(ACCESS_TOKEN_NEEDS_REFRESH)) {
			throw new TikTokApiError({ kind: 'reauthorize', message, endpoint: new URL(request.url).pathname, description: message });
		}
		throw failure;
	};
}

/** What preAuthentication needs from n8n: HTTP without authentication, the clock and n8n-workflow's sleep. */
export interface Clock {
	send: Send;
	now: () => number;
	sleep: (ms: number) => Promise<void>;
}

/**
 * preAuthentication: new tokens (exchanged or refreshed) plus the resolved shop.
 * It throws only before TikTok has issued tokens. Afterwards it always returns them, because a refresh rotates the
 * refresh token and an exchange redeems the single-use code: throwing then would lose the authorization. A shop
 * that cannot be resolved is reported through `shopProblem` (the user must fix it) or left empty (a transient
 * failure); `authenticate` then raises the error or asks n8n to try again.
 */
export async function refreshCredential(credential: StoredCredential, clock: Clock): Promise<RefreshedCredential> {
	if (!credential.appKey || !credential.appSecret) {
		throw credentialError('Enter the App Key and App Secret from TikTok Shop Partner Center.', credential);
	}
	let grant: TokenGrant | undefined;
	let failure: unknown;
	try {
		grant = await obtainTokens(credential, clock.send, clock.now());
	} catch (error) {
		failure = error;
	}
	if (grant === undefined) throw credentialError(errorText(failure), credential);
	const outcome = await resolveShop(credential, grant.tokens.accessToken, clock);
	return {
		accessToken: grant.tokens.accessToken,
		accessExpiresAt: grant.tokens.accessTokenExpiresAt,
		accessIssuedAt: Math.floor(clock.now() / 1000),
		rotatedRefreshToken: grant.tokens.refreshToken,
		refreshExpiresAt: grant.tokens.refreshTokenExpiresAt,
		authInputFingerprint: authInputFingerprint(credential),
		shopInput: (credential.shop ?? '').trim(),
		shopCipher: 'shop' in outcome ? outcome.shop.cipher : '',
		shopName: 'shop' in outcome ? outcome.shop.name : '',
		shopProblem: 'problem' in outcome ? redactSecrets(outcome.problem, credential) : '',
	};
}
