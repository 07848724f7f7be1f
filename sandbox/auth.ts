/*
 * The seller authorizations the sandbox knows: single-use auth codes (30 minutes), access tokens with a
 * configurable lifetime, and rotating refresh tokens. A refresh token works once; the new one inherits the
 * authorization's expiry, because TikTok ties refresh_token_expire_in to the authorization duration the seller
 * chose, not to the refresh (reference §1.3). All times are Unix seconds from the injected clock.
 */
import { randomBytes } from 'crypto';

export const AUTH_CODE_TTL_SECONDS = 30 * 60;

/** What the token endpoints answer with in `data` (reference §1.3). */
export interface TokenGrantJson {
	access_token: string;
	access_token_expire_in: number;
	refresh_token: string;
	refresh_token_expire_in: number;
	open_id: string;
	seller_name: string;
	seller_base_region: string;
	user_type: number;
	granted_scopes: string[];
}

interface Authorization {
	scopes: string[];
	/** When the seller's authorization, and with it every refresh token, ends. */
	expiresAt: number;
}

interface AccessRecord {
	authorization: Authorization;
	issuedAt: number;
	expiresAt: number;
}

interface RefreshRecord {
	authorization: Authorization;
	used: boolean;
}

interface CodeRecord {
	expiresAt: number;
	used: boolean;
}

export interface Seller {
	openId: string;
	sellerName: string;
	region: string;
}

export type AccessCheck = { ok: true; scopes: readonly string[] } | { ok: false; reason: 'unknown' | 'expired' };

/** A token-endpoint failure with TikTok's code (reference §5.2: 36004004, 36004005, 36004001). */
export interface GrantFailure {
	code: number;
	message: string;
}

export class AuthStore {
	private readonly codes = new Map<string, CodeRecord>();
	private readonly access = new Map<string, AccessRecord>();
	private readonly refresh = new Map<string, RefreshRecord>();

	constructor(private readonly seller: Seller) {}

	issueCode(now: number): string {
		const code = `TTP_${randomBytes(16).toString('base64url')}`;
		this.codes.set(code, { expiresAt: now + AUTH_CODE_TTL_SECONDS, used: false });
		return code;
	}

	/** Exchanges an auth code for a new authorization. */
	redeemCode(
		code: string,
		now: number,
		lifetimes: { accessSeconds: number; authorizationSeconds: number },
		scopes: readonly string[],
	): TokenGrantJson | GrantFailure {
		const record = this.codes.get(code);
		if (!record || record.used || record.expiresAt <= now) {
			return { code: 36004004, message: 'invalid auth code' };
		}
		record.used = true;
		const authorization = { scopes: [...scopes], expiresAt: now + lifetimes.authorizationSeconds };
		return this.grant(authorization, now, lifetimes.accessSeconds);
	}

	/** Rotates a refresh token: the old one stops working, a new pair is issued. */
	redeemRefreshToken(token: string, now: number, accessSeconds: number): TokenGrantJson | GrantFailure {
		const record = this.refresh.get(token);
		if (!record || record.used) {
			return { code: 36004005, message: 'can not find related auth record' };
		}
		if (record.authorization.expiresAt <= now) {
			return { code: 36004001, message: 'rt has expired' };
		}
		record.used = true;
		return this.grant(record.authorization, now, accessSeconds);
	}

	/** A fresh authorization without the HTTP round trip, for test fixtures. */
	authorize(
		now: number,
		accessSeconds: number,
		authorizationSeconds: number,
		scopes: readonly string[],
	): TokenGrantJson {
		return this.grant({ scopes: [...scopes], expiresAt: now + authorizationSeconds }, now, accessSeconds);
	}

	checkAccessToken(token: string, now: number): AccessCheck {
		const record = this.access.get(token);
		if (!record) return { ok: false, reason: 'unknown' };
		if (record.expiresAt <= now) return { ok: false, reason: 'expired' };
		return { ok: true, scopes: record.authorization.scopes };
	}

	/** Expires every access token issued so far (refresh tokens keep working). */
	expireAccessTokens(now: number): void {
		for (const record of this.access.values()) {
			if (record.issuedAt <= now) record.expiresAt = Math.min(record.expiresAt, now);
		}
	}

	private grant(authorization: Authorization, now: number, accessSeconds: number): TokenGrantJson {
		const accessToken = `TTP_${randomBytes(24).toString('base64url')}`;
		const refreshToken = `TTP_${randomBytes(24).toString('base64url')}`;
		const accessExpiresAt = now + accessSeconds;
		this.access.set(accessToken, { authorization, issuedAt: now, expiresAt: accessExpiresAt });
		this.refresh.set(refreshToken, { authorization, used: false });
		return {
			access_token: accessToken,
			access_token_expire_in: accessExpiresAt,
			refresh_token: refreshToken,
			refresh_token_expire_in: authorization.expiresAt,
			open_id: this.seller.openId,
			seller_name: this.seller.sellerName,
			seller_base_region: this.seller.region,
			user_type: 0,
			granted_scopes: [...authorization.scopes],
		};
	}
}
