import { createHmac } from 'crypto';

/** Query keys that TikTok leaves out of the canonical string (reference §2.2 step 1). */
const UNSIGNED_KEYS = new Set(['sign', 'access_token', 'x-tts-access-token']);

export interface SignInput {
	appSecret: string;
	/** Request path without host or query, e.g. `/finance/202309/statements`. */
	path: string;
	/** Decoded query values, exactly the parameters that will be sent (arrays already comma-joined). */
	query: Record<string, string>;
	/** Raw body string exactly as sent; omitted or empty for GET. */
	body?: string;
	contentType?: string;
}

/** The string TikTok HMACs: secret + path + sorted key/value pairs + body + secret. Exported for diagnostics/tests. */
export function canonicalString({ appSecret, path, query, body, contentType }: SignInput): string {
	const keys = Object.keys(query)
		.filter((key) => !UNSIGNED_KEYS.has(key))
		.sort();
	let text = path;
	for (const key of keys) text += key + query[key];
	const isMultipart = (contentType ?? '').toLowerCase().startsWith('multipart/form-data');
	if (body !== undefined && body !== '' && !isMultipart) text += body;
	return appSecret + text + appSecret;
}

/** Lowercase hex HMAC-SHA256 signature of a TikTok Shop API request (API version 202309 and later). */
export function signRequest(input: SignInput): string {
	return createHmac('sha256', input.appSecret).update(canonicalString(input), 'utf8').digest('hex');
}
