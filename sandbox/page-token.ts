/*
 * Opaque page tokens that behave like TikTok's: standard base64 that always contains "/" and "+" (so a client that
 * forgets to URL-encode them breaks, as it would against TikTok), encrypted, and bound to the request's filters, so
 * a token replayed with other filters is rejected. Tokens are deterministic for the same (filters, offset): a client
 * fetching the same page twice sends the same token, which lets tests count duplicate page fetches.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, timingSafeEqual } from 'crypto';

/** Query parameters that may change between pages without invalidating the token. */
const NOT_FILTERS = new Set(['sign', 'timestamp', 'access_token', 'page_token', 'page_size']);
const IV_BYTES = 16;

/** Fingerprint of everything that must stay the same from page to page: the path and the filters. */
export function filterFingerprint(path: string, query: Record<string, string>): string {
	const filters = Object.keys(query)
		.filter((key) => !NOT_FILTERS.has(key))
		.sort()
		.map((key) => `${key}=${query[key]}`)
		.join('&');
	return createHash('sha256').update(`${path}?${filters}`).digest('hex').slice(0, 32);
}

export class PageTokens {
	private readonly key: Buffer;

	constructor(secret: string) {
		this.key = createHash('sha256').update(`page-token:${secret}`).digest();
	}

	issue(fingerprint: string, offset: number): string {
		for (let nonce = 0; ; nonce++) {
			const plain = Buffer.from(`${fingerprint}:${offset}:${nonce}`, 'utf8');
			// Synthetic IV: deterministic, and doubles as the authentication tag.
			const iv = createHmac('sha256', this.key).update(plain).digest().subarray(0, IV_BYTES);
			const cipher = createCipheriv('aes-256-ctr', this.key, iv);
			const token = Buffer.concat([iv, cipher.update(plain), cipher.final()]).toString('base64');
			if (token.includes('/') && token.includes('+')) return token;
		}
	}

	/** The offset a token points to, or undefined if it is forged, damaged or was issued for other filters. */
	read(fingerprint: string, token: string): number | undefined {
		const bytes = Buffer.from(token, 'base64');
		if (bytes.length <= IV_BYTES || bytes.toString('base64') !== token) return undefined;
		const iv = bytes.subarray(0, IV_BYTES);
		const decipher = createDecipheriv('aes-256-ctr', this.key, iv);
		const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES)), decipher.final()]);
		const expected = createHmac('sha256', this.key).update(plain).digest().subarray(0, IV_BYTES);
		if (!timingSafeEqual(iv, expected)) return undefined;
		const [tokenFingerprint, offset] = plain.toString('utf8').split(':');
		return tokenFingerprint === fingerprint ? Number(offset) : undefined;
	}
}
