import { signUnsignedRequest } from '../tiktok/auth';
import { authorizedShopsRequest } from '../tiktok/endpoints';
import { TikTokApiError, redactText } from '../tiktok/errors';
import { envelope, authorizedShopsData, type TikTokShop } from '../tiktok/schemas';
import {
	AUTH_BASE_URL,
	buildAuthorizationUrl,
	exchangeAuthCode,
	reauthorizeError,
	refreshAccessToken,
	type Market,
	type TokenGrant,
} from '../tiktok/token';
import { buildUrl, jsonBody, type Send } from '../tiktok/transport';
import { DEFAULT_BASE_URL } from '../tiktok/client';
import { ACCESS_TOKEN_NEEDS_REFRESH } from './request-signing';
import { fingerprint, type StoredCredential } from './stored';

export { fingerprint, type StoredCredential };

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
	rotatedRefreshToken: string;
	refreshExpiresAt: number;
	authInputFingerprint: string;
	shopCipher: string;
	shopName: string;
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

/** Every error preAuthentication raises starts with this, so the node can tell it from a network failure. */
export const AUTHORIZATION_FAILED = 'TikTok authorization failed:';

/** Plain Error with secrets scrubbed: n8n shows credential errors verbatim. */
function credentialError(message: string, credential: StoredCredential): Error {
	const secrets = [credential.appSecret, credential.authCode, credential.refreshToken, credential.rotatedRefreshToken];
	return new Error(`${AUTHORIZATION_FAILED} ${redactText(message, secrets)}`);
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

async function authorizedShops(credential: StoredCredential, accessToken: string, send: Send, nowMs: number) {
	const request = authorizedShopsRequest();
	const signed = signUnsignedRequest(
		{ method: 'GET', path: request.path, query: request.query, headers: { 'content-type': 'application/json' } },
		{ appKey: credential.appKey ?? '', appSecret: credential.appSecret ?? '', accessToken, timestampSeconds: nowMs / 1000 },
	);
	const response = await send({ method: 'GET', url: buildUrl(apiBaseUrl(credential), signed.path, signed.query), headers: signed.headers });
	const parsed = envelope.safeParse(jsonBody(response.body));
	if (!parsed.success || parsed.data.code !== 0) {
		throw new TikTokApiError({
			kind: parsed.success ? 'api' : 'invalid-response',
			endpoint: request.path,
			httpStatus: response.status,
			code: parsed.success ? parsed.data.code : undefined,
			requestId: parsed.success ? parsed.data.request_id : undefined,
			message: parsed.success ? parsed.data.message : `Get Authorized Shops answered HTTP ${response.status}.`,
		});
	}
	return authorizedShopsData.parse(parsed.data.data).shops;
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

/** preAuthentication: new tokens (exchanged or refreshed) plus the resolved shop. */
export async function refreshCredential(credential: StoredCredential, send: Send, nowMs: number): Promise<RefreshedCredential> {
	if (!credential.appKey || !credential.appSecret) {
		throw credentialError('Enter the App Key and App Secret from TikTok Shop Partner Center.', credential);
	}
	try {
		const grant = await obtainTokens(credential, send, nowMs);
		const shops = await authorizedShops(credential, grant.tokens.accessToken, send, nowMs);
		const shop = chooseShop(shops, credential.shop);
		return {
			accessToken: grant.tokens.accessToken,
			accessExpiresAt: grant.tokens.accessTokenExpiresAt,
			rotatedRefreshToken: grant.tokens.refreshToken,
			refreshExpiresAt: grant.tokens.refreshTokenExpiresAt,
			authInputFingerprint: authInputFingerprint(credential),
			shopCipher: shop.cipher,
			shopName: shop.name,
		};
	} catch (error) {
		if (error instanceof TikTokApiError) {
			throw credentialError(`${error.message} ${error.description}`.trim(), credential);
		}
		throw credentialError(error instanceof Error ? error.message : String(error), credential);
	}
}
