/*
 * The HTTP seam. The library never opens sockets itself: n8n passes its request helper, tests pass a fake or a
 * loopback sender (test/support). That keeps this folder free of Node built-ins and makes every path testable.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * How long one request to TikTok may take before it is abandoned. n8n's own default is 300 s of idleness per
 * request, which lets a hung connection stall a run for many minutes; TikTok answers in well under a second.
 */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface HttpRequest {
	method: HttpMethod;
	/** Full URL including the query string, values percent-encoded. */
	url: string;
	headers: Record<string, string>;
	body?: string;
}

export interface HttpResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	/** Raw text or an already-parsed JSON value (n8n's helper may parse for us). */
	body: unknown;
}

/** Must resolve for HTTP error statuses; may reject for network errors. */
export type Send = (request: HttpRequest) => Promise<HttpResponse>;

/** Case-insensitive header lookup; the first value of a repeated header. */
export function headerValue(headers: HttpResponse['headers'] | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const wanted = name.toLowerCase();
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() !== wanted) continue;
		return Array.isArray(value) ? value[0] : value;
	}
	return undefined;
}

/** Body as JSON value: parses text, passes objects through; `undefined` when it is not JSON. */
export function jsonBody(body: unknown): unknown {
	if (typeof body === 'string') {
		if (body.trim() === '') return undefined;
		try {
			return JSON.parse(body) as unknown;
		} catch {
			return undefined;
		}
	}
	if (body instanceof Uint8Array) return jsonBody(new TextDecoder().decode(body));
	return body ?? undefined;
}

/** `key=value&…` with both sides percent-encoded (a `+` or `/` in a page token must not reach TikTok raw). */
export function encodeQuery(query: Record<string, string>): string {
	return Object.keys(query)
		.sort()
		.map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(query[key])}`)
		.join('&');
}

export function buildUrl(baseUrl: string, path: string, query: Record<string, string>): string {
	const base = baseUrl.replace(/\/+$/, '');
	const search = encodeQuery(query);
	return search ? `${base}${path}?${search}` : `${base}${path}`;
}
