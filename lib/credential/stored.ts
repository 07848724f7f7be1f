import { createHash } from 'crypto';

/** Every error our credential code raises starts with this, so the node can tell it from a network failure. */
export const AUTHORIZATION_FAILED = 'TikTok authorization failed:';

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
	/** Hidden fields we maintain. */
	accessToken?: string;
	accessExpiresAt?: number | string;
	accessIssuedAt?: number | string;
	rotatedRefreshToken?: string;
	refreshExpiresAt?: number | string;
	authInputFingerprint?: string;
	shopInput?: string;
	shopCipher?: string;
	shopName?: string;
	shopProblem?: string;
}

/** A short, one-way fingerprint: lets us notice a changed secret without storing it twice. */
export function fingerprint(secret: string): string {
	return createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 16);
}


/** Every secret a credential holds, for redacting texts (tokens as stored now, the app secret, the inputs). */
export function credentialSecrets(credential: StoredCredential): string[] {
	return [credential.appSecret, credential.authCode, credential.refreshToken, credential.rotatedRefreshToken, credential.accessToken].filter(
		(secret): secret is string => typeof secret === 'string' && secret !== '',
	);
}
