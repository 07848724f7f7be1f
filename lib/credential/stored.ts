import { createHash } from 'crypto';

/** Every error our credential code raises starts with this, so the node can tell it from a network failure. */
export const AUTHORIZATION_FAILED = 'TikTok authorization failed:';

/*
 * Where the seller's authorization lives inside the n8n credential, and why twice.
 *
 * n8n's credential editor holds a copy of the credential and sends it back on "Retry" and "Save": fields it
 * loaded come back as placeholders the server swaps for the stored values, fields it never loaded come back as
 * their defaults, and on Save a field left at its default is deleted. n8n keeps exactly one key out of that game:
 * `oauthTokenData` is never taken from the editor on Save, and its default here is the placeholder the server
 * swaps for the stored value on a test. So the state is written as `oauthTokenData` (what survives every edit)
 * and as flat fields (what a dialog that loaded the credential passes on: for such a dialog n8n replaces
 * `oauthTokenData` by `true`). Details and measurements: README "Credentials" and test/e2e/credential-editor.
 */

/** The credential's fields as n8n hands them to us (all optional: n8n stores what the user typed). */
export interface StoredCredential {
	appKey?: string;
	appSecret?: string;
	serviceId?: string;
	market?: string;
	authCode?: string;
	refreshToken?: string;
	shop?: string;
	customHosts?: boolean;
	apiBaseUrl?: string;
	authBaseUrl?: string;
	/** The authorization state as flat fields (see above). */
	accessToken?: string;
	accessExpiresAt?: number | string;
	accessIssuedAt?: number | string;
	rotatedRefreshToken?: string;
	refreshExpiresAt?: number | string;
	authInputFingerprint?: string;
	sellerId?: string;
	/** The same state as one object; `true` in the copy of an editor dialog that loaded the credential. */
	oauthTokenData?: unknown;
}

/** The seller's authorization as we keep it: TikTok's tokens with their absolute expiry (Unix seconds). */
export interface AuthorizationState {
	accessToken: string;
	accessExpiresAt: number;
	/** When we got the token (Unix seconds): bounds the refresh margin for unusually short-lived tokens. */
	accessIssuedAt: number;
	/** The newest refresh token: TikTok rotates it on every refresh and accepts each one once. */
	rotatedRefreshToken: string;
	refreshExpiresAt: number;
	/** Fingerprint of the Authorization Code / Refresh Token fields these tokens came from: a change means "redeem". */
	authInputFingerprint: string;
	/** TikTok's open_id of the seller (not secret): identifies the authorization, e.g. for caching its shops. */
	sellerId: string;
}

const STATE_KEYS: ReadonlyArray<keyof AuthorizationState> = [
	'accessToken',
	'accessExpiresAt',
	'accessIssuedAt',
	'rotatedRefreshToken',
	'refreshExpiresAt',
	'authInputFingerprint',
	'sellerId',
];

/** A short, one-way fingerprint: lets us notice a changed secret without storing it twice. */
export function fingerprint(secret: string): string {
	return createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 16);
}

/** Fingerprint of what the user pasted (code and/or refresh token). */
export function authInputFingerprint(credential: StoredCredential): string {
	return fingerprint(`${credential.authCode ?? ''}\u0000${credential.refreshToken ?? ''}`);
}

/** The credential with n8n's redaction placeholders (passed in, from n8n-workflow) read as empty values. */
export function withoutPlaceholders<T extends object>(credential: T, placeholders: readonly string[]): T {
	const copy: Record<string, unknown> = { ...(credential as Record<string, unknown>) };
	for (const [key, value] of Object.entries(copy)) {
		if (typeof value === 'string' && placeholders.includes(value)) copy[key] = '';
	}
	return copy as T;
}

function stateFrom(source: Record<string, unknown>): AuthorizationState | undefined {
	const text = (key: string) => (typeof source[key] === 'string' ? (source[key] as string) : '');
	const seconds = (key: string) => {
		const value = Number(source[key] ?? 0);
		return Number.isFinite(value) ? value : 0;
	};
	// Without a refresh token there is nothing to keep the authorization alive with.
	if (!text('rotatedRefreshToken')) return undefined;
	return {
		accessToken: text('accessToken'),
		accessExpiresAt: seconds('accessExpiresAt'),
		accessIssuedAt: seconds('accessIssuedAt'),
		rotatedRefreshToken: text('rotatedRefreshToken'),
		refreshExpiresAt: seconds('refreshExpiresAt'),
		authInputFingerprint: text('authInputFingerprint'),
		sellerId: text('sellerId'),
	};
}

/**
 * The stored authorization: `oauthTokenData` when it holds one (every workflow run, and the dialog that created the
 * credential), otherwise the flat fields (a dialog that loaded the credential). Placeholders must be removed first.
 */
export function readAuthorizationState(credential: StoredCredential): AuthorizationState | undefined {
	const object = credential.oauthTokenData;
	if (typeof object === 'object' && object !== null) {
		const state = stateFrom(object as Record<string, unknown>);
		if (state) return state;
	}
	return stateFrom(credential as Record<string, unknown>);
}

/** True for the copy of an editor dialog that holds neither form of the state although n8n stores one. */
export function stateWithheldByEditor(credential: StoredCredential): boolean {
	return credential.oauthTokenData === true && readAuthorizationState(credential) === undefined;
}

/** What n8n must persist: the state as flat fields and as `oauthTokenData`. */
export function persistedForm(state: AuthorizationState): AuthorizationState & { oauthTokenData: AuthorizationState } {
	const copy = {} as Record<string, unknown>;
	for (const key of STATE_KEYS) copy[key] = state[key];
	return { ...state, oauthTokenData: copy as unknown as AuthorizationState };
}

/**
 * Every secret a credential holds, for redacting texts: the app secret, what the user pasted, and the tokens in both
 * stored forms (flat fields and oauthTokenData).
 */
export function credentialSecrets(credential: StoredCredential): string[] {
	const state = readAuthorizationState(credential);
	return [
		credential.appSecret,
		credential.authCode,
		credential.refreshToken,
		credential.rotatedRefreshToken,
		credential.accessToken,
		state?.rotatedRefreshToken,
		state?.accessToken,
	].filter((secret): secret is string => typeof secret === 'string' && secret !== '');
}
