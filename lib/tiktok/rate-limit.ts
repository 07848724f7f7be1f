/**
 * Client-side throttle: requests for one key (app × shop, the unit TikTok limits) are spaced at least
 * 1/requestsPerSecond apart. Slots are reserved synchronously, so concurrent callers queue up instead of bursting.
 * Time and sleep are injected so tests run in fake time.
 */
export class RateLimiter {
	private readonly intervalMs: number;
	private readonly nextSlot = new Map<string, number>();

	constructor(
		requestsPerSecond: number,
		private readonly now: () => number,
		private readonly sleep: (ms: number) => Promise<void>,
	) {
		if (!(requestsPerSecond > 0) || !Number.isFinite(requestsPerSecond)) {
			throw new RangeError(`requestsPerSecond must be a positive number, got ${requestsPerSecond}`);
		}
		this.intervalMs = 1000 / requestsPerSecond;
	}

	async acquire(key: string): Promise<void> {
		const now = this.now();
		const slot = Math.max(now, this.nextSlot.get(key) ?? now);
		this.nextSlot.set(key, slot + this.intervalMs);
		if (slot > now) await this.sleep(slot - now);
	}
}
