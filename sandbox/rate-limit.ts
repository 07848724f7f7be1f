/*
 * TikTok limits requests per app × shop (reference §5.3). A token bucket per key, refilled from the injected clock,
 * reproduces that: short bursts pass, a sustained rate above `rps` gets HTTP 429 with a Retry-After.
 */

export interface RateLimit {
	/** Sustained requests per second per app × shop. */
	rps: number;
	/** Bucket size (requests that may arrive at once); default `rps`. */
	burst?: number;
}

interface Bucket {
	tokens: number;
	updatedMs: number;
}

export class RateLimiter {
	private readonly buckets = new Map<string, Bucket>();

	/** Takes one token; returns 0 if the request may pass, else the whole seconds to wait before retrying. */
	take(key: string, limit: RateLimit, nowMs: number): number {
		const capacity = Math.max(1, limit.burst ?? limit.rps);
		const bucket = this.buckets.get(key) ?? { tokens: capacity, updatedMs: nowMs };
		const elapsed = Math.max(0, nowMs - bucket.updatedMs);
		bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed * limit.rps) / 1000);
		bucket.updatedMs = nowMs;
		this.buckets.set(key, bucket);
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			return 0;
		}
		return Math.max(1, Math.ceil((1 - bucket.tokens) / limit.rps));
	}
}
