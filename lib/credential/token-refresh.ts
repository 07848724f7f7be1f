import { TikTokApiError } from '../tiktok/errors';
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
import { DEFAULT_BASE_URL } from '../tiktok/client';
import { accessTokenFresh } from './request-signing';
import { SharedResults } from '../shared-results';
import {
	AUTHORIZATION_FAILED,
	authInputFingerprint,
	credentialSecrets,
	fingerprint,
	persistedForm,
	readAuthorizationState,
	stateWithheldByEditor,
	type AuthorizationState,
	type StoredCredential,
} from './stored';

export { AUTHORIZATION_FAILED, fingerprint, type StoredCredential };

/*
 * What the n8n credential's `preAuthentication` does, as a plain function. n8n calls it when the stored access
 * token is empty, after a 401 (our `authenticate` raises one when the token is about to expire or TikTok said
 * 105002), and on the credential test; whatever it returns n8n writes into the stored credential.
 *
 * It makes exactly one call to TikTok (exchange a code or rotate the refresh token) and returns right after it:
 * n8n stores the result only when we return, and a rotated refresh token that is not stored is an authorization
 * lost. Everything else (the shop) is resolved later by the nodes.
 */

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

/**
 * What our credential code throws. n8n wraps it (NodeApiError, keeping it as `cause`), so the node finds it there:
 * it is final (never retried like a network error), and `rejectedRefreshToken` tells the node that TikTok refused a
 * refresh token or code, which happens when another n8n process has just redeemed it (queue-mode workers whose first
 * or expired-token runs start together): the node retries once the stored refresh token is another.
 */
export class CredentialAuthorizationError extends Error {
	/**
	 * When TikTok refused the grant: the fingerprint of the refresh token stored when it was asked for (the rejected
	 * refresh token itself, or for a code what was stored before, '' when nothing was).
	 */
	readonly rejectedRefreshToken: string | undefined;

	constructor(message: string, options: { rejectedRefreshToken?: string } = {}) {
		super(`${AUTHORIZATION_FAILED} ${message}`);
		this.name = 'CredentialAuthorizationError';
		this.rejectedRefreshToken = options.rejectedRefreshToken;
	}
}

/** Plain error with secrets scrubbed: n8n shows credential errors verbatim. */
export function credentialError(
	message: string,
	credential: StoredCredential,
	options: { rejectedRefreshToken?: string } = {},
): CredentialAuthorizationError {
	return new CredentialAuthorizationError(redactSecrets(message, credential), options);
}

/** What preAuthentication needs from n8n: HTTP without authentication and the clock. */
export interface Clock {
	send: Send;
	now: () => number;
}

/** Token calls of this process, shared between concurrent executions (see shared-grants.ts). */
const grants = new SharedResults<TokenGrant>(() => Date.now(), 60_000);

/** Concurrent and late callers of the same authorization and input share a key. */
function grantKey(credential: StoredCredential, kind: 'code' | 'refresh', secret: string): string {
	return fingerprint(`${authBaseUrl(credential)}\u0000${credential.appKey ?? ''}\u0000${kind}\u0000${secret}`);
}

type Grant = { kind: 'code' | 'refresh'; secret: string };

/** Which call the credential needs, or the stored state to keep as it is; throws when it cannot have one. */
function grantToRequest(
	credential: StoredCredential,
	state: AuthorizationState | undefined,
	nowMs: number,
): Grant | { keep: AuthorizationState } {
	const link = authorizationLink(credential);
	// Without the state we cannot tell a new code from the one already redeemed: better no call than a second one.
	if (stateWithheldByEditor(credential)) {
		throw new Error(
			'n8n did not pass the stored authorization to this test, so nothing was sent to TikTok. The stored credential is unchanged and the next workflow run uses it.',
		);
	}
	const inputChanged = !state || authInputFingerprint(credential) !== state.authInputFingerprint;
	// A newly pasted code or refresh token wins over what we stored: the seller has just re-authorized.
	if (inputChanged && credential.authCode) return { kind: 'code', secret: credential.authCode };
	if (inputChanged && credential.refreshToken) return { kind: 'refresh', secret: credential.refreshToken };
	if (state) {
		// The editor's copy of a credential it did not load (or a run after such a Save) lacks the flat token: what
		// we stored is still good, so no call to TikTok.
		if (!credential.accessToken && accessTokenFresh(state, nowMs)) return { keep: state };
		if (state.refreshExpiresAt > 0 && state.refreshExpiresAt * 1000 <= nowMs) {
			throw reauthorizeError(
				`The seller's TikTok authorization expired on ${new Date(state.refreshExpiresAt * 1000).toISOString().slice(0, 10)}.`,
				link,
			);
		}
		return { kind: 'refresh', secret: state.rotatedRefreshToken };
	}
	throw reauthorizeError('The credential has no authorization yet: paste the authorization code from the redirect URL.', link);
}

/**
 * preAuthentication: the authorization state after at most one token call, in the form n8n must persist.
 * It throws only when TikTok issued nothing, so a redeemed code or rotated refresh token is never dropped.
 */
export async function refreshCredential(credential: StoredCredential, clock: Clock): Promise<ReturnType<typeof persistedForm>> {
	if (!credential.appKey || !credential.appSecret) {
		throw credentialError('Enter the App Key and App Secret from TikTok Shop Partner Center.', credential);
	}
	const state = readAuthorizationState(credential);
	let request: ReturnType<typeof grantToRequest>;
	try {
		request = grantToRequest(credential, state, clock.now());
	} catch (error) {
		throw credentialError(errorText(error), credential);
	}
	if ('keep' in request) return persistedForm(request.keep);
	const { kind, secret } = request;
	const options = {
		appKey: credential.appKey,
		appSecret: credential.appSecret,
		send: clock.send,
		authBaseUrl: authBaseUrl(credential),
		authorizationUrl: authorizationLink(credential),
	};
	let grant: TokenGrant;
	try {
		grant = await grants.run(
			grantKey(credential, kind, secret),
			() => (kind === 'code' ? exchangeAuthCode(options, secret) : refreshAccessToken(options, secret)),
			(result) => grantKey(credential, 'refresh', result.tokens.refreshToken),
		);
	} catch (error) {
		const refused = error instanceof TikTokApiError && error.needsReauthorization;
		const storedBefore = kind === 'refresh' ? secret : (state?.rotatedRefreshToken ?? '');
		throw credentialError(errorText(error), credential, { rejectedRefreshToken: refused ? fingerprint(storedBefore) : undefined });
	}
	return persistedForm({
		accessToken: grant.tokens.accessToken,
		accessExpiresAt: grant.tokens.accessTokenExpiresAt,
		accessIssuedAt: Math.floor(clock.now() / 1000),
		rotatedRefreshToken: grant.tokens.refreshToken,
		refreshExpiresAt: grant.tokens.refreshTokenExpiresAt,
		authInputFingerprint: authInputFingerprint(credential),
		sellerId: grant.openId ?? state?.sellerId ?? '',
	});
}
