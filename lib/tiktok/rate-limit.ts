/**
 * Adaptive client-side throttle per key (app × shop, the unit TikTok limits). TikTok documents 50 requests per
 * second per app and shop but also dynamic, lower limits (reference §5.3), so the limiter finds the real one:
 *
 * - it starts at a safe rate (5 per second, or the maximum if that is lower) and spaces requests 1/rate apart;
 * - while TikTok answers and requests queue for their slot, the rate grows: doubling per second until the first
 *   throttle, then by 1 % per second, so that it keeps probing for a higher limit without hitting it often;
 * - on HTTP 429 / 36009002 it pauses the key for Retry-After (every queued request waits, not only the rejected
 *   one) and drops to the limit estimated from the requests TikTok accepted just before (see `estimateLimit`);
 * - it never exceeds the user's maximum.
 *
 * Concurrent callers queue up per key instead of bursting. Time and sleep are injected (n8n-workflow's sleep in the
 * nodes; no timers here), so tests run in fake time.
 */

export interface RateLimiterOptions {
	now: () => number;
	sleep: (ms: number) => Promise<void>;
	/** The maximum for callers that name none (default 50). */
	maxPerSecond?: number;
	/** First rate of a key (default: 5 per second, at most the first caller's maximum). */
	startPerSecond?: number;
}

/** A reserved slot: hand it back with `answered` or `throttled` once TikTok has answered. */
export interface RateTicket {
	key: string;
	/** When the request was allowed to go (ms). */
	atMs: number;
	/** Whether it had to wait for its slot, i.e. demand was at least the current rate. */
	waited: boolean;
	/** The key's reaction count when the slot was granted; a throttle of an older ticket is already accounted for. */
	generation: number;
	/** The caller's maximum. */
	maxPerSecond: number;
}

/** TikTok documents no fixed limit; ~5 per second is the reference's safe baseline (§5.3). */
export const SAFE_START_PER_SECOND = 5;
/** TikTok's documented default limit per app × shop (reference §5.3). */
export const DEFAULT_MAX_PER_SECOND = 50;
/** Growth per second of queued requests before the first throttle (slow start) and after it (probing). */
const START_GROWTH = 2;
const PROBE_GROWTH = 1.01;
/** After a throttle, run a little below the estimated limit. */
const BELOW_ESTIMATE = 0.97;
/** Without an estimate (too few accepted requests), halve. */
const FALLBACK_DECREASE = 0.5;
const MIN_PER_SECOND = 0.1;
/**
 * The burst TikTok's bucket is assumed to allow, in seconds of the limit. A bucket that is larger makes the first
 * estimate too high (the next throttle corrects it); a smaller one makes it conservative.
 */
const ASSUMED_BURST_SECONDS = 1;
/** Accepted requests remembered per key for the estimate. */
const HISTORY_SIZE = 4096;

interface KeyState {
	rate: number;
	/** Before the first throttle the rate doubles per second, afterwards it probes slowly. */
	probing: boolean;
	lastGrantedMs: number;
	/** Settles when the request last in line has its slot. */
	queue: Promise<void>;
	pausedUntilMs: number;
	/** Rate reactions so far. */
	generation: number;
	/** Changes whenever the schedule does (a reaction or a longer pause): the request first in line then re-takes its slot. */
	schedule: number;
	/** The next estimate looks at accepted requests from here on (the end of the last pause). */
	estimateFromMs: number;
	/** Send times of accepted requests, a ring buffer. */
	accepted: number[];
	acceptedNext: number;
}

/**
 * The highest sustained rate the accepted requests show, assuming the server's bucket holds ~1 s of its limit:
 * over any window [t, T] it accepts at most burst + limit · (T − t) requests, with equality when the bucket was full
 * at t and empty at T (which a throttle at T tells). So limit ≈ max over t of count(t..T) / ((T − t) + 1 s).
 * Only requests since `sinceMs` count: the end of the last pause, when the bucket was full again and the limit
 * may have changed. Returns 0 when there are too few requests to tell.
 */
export function estimateLimit(acceptedMs: readonly number[], sinceMs: number, throttledAtMs: number): number {
	const times = acceptedMs.filter((time) => time >= sinceMs && time <= throttledAtMs).sort((a, b) => b - a);
	if (times.length < 2) return 0;
	let best = 0;
	for (let i = 0; i < times.length; i++) {
		const seconds = (throttledAtMs - times[i]) / 1000 + ASSUMED_BURST_SECONDS;
		best = Math.max(best, (i + 1) / seconds);
	}
	return best;
}

/**
 * One limiter can serve many clients (e.g. every node execution in a process that uses the same app): they then
 * share each key's queue and what was learned about its limit, while each caller's own maximum holds for its
 * requests (spaced at least 1 / maximum from the request before).
 */
export class RateLimiter {
	private readonly keys = new Map<string, KeyState>();
	private readonly defaultMax: number;
	private readonly start: number;

	constructor(private readonly options: RateLimiterOptions) {
		this.defaultMax = positive(options.maxPerSecond ?? DEFAULT_MAX_PER_SECOND, 'the maximum requests per second');
		this.start = positive(options.startPerSecond ?? SAFE_START_PER_SECOND, 'the starting requests per second');
	}

	/** The key's current rate (requests per second). */
	rate(key: string): number {
		return this.keys.get(key)?.rate ?? this.start;
	}

	/** Waits for the key's next slot; `maxPerSecond` is the caller's maximum. */
	async acquire(key: string, maxPerSecond: number = this.defaultMax): Promise<RateTicket> {
		const max = positive(maxPerSecond, 'the maximum requests per second');
		const state = this.state(key, max);
		const calledAt = this.options.now();
		// Requests take their slot one after another, each when it is first in line: a slot is computed from the
		// rate at that moment, so a rate that grew or fell applies to every request still waiting.
		const previous = state.queue;
		let leave = (): void => undefined;
		state.queue = new Promise<void>((resolve) => {
			leave = resolve;
		});
		await previous;
		try {
			for (;;) {
				const now = this.options.now();
				const slot = Math.max(now, state.pausedUntilMs, state.lastGrantedMs + 1000 / Math.min(state.rate, max));
				const schedule = state.schedule;
				if (slot > now) await this.options.sleep(slot - now);
				// A throttle while this request slept: take the slot again, after the pause and at the new rate.
				if (schedule !== state.schedule) continue;
				state.lastGrantedMs = slot;
				return { key, atMs: slot, waited: slot > calledAt, generation: state.generation, maxPerSecond: max };
			}
		} finally {
			leave();
		}
	}

	/** TikTok answered the ticket's request without throttling it. */
	answered(ticket: RateTicket): void {
		const state = this.state(ticket.key, ticket.maxPerSecond);
		state.accepted[state.acceptedNext] = ticket.atMs;
		state.acceptedNext = (state.acceptedNext + 1) % HISTORY_SIZE;
		if (!ticket.waited || ticket.generation !== state.generation || state.rate >= ticket.maxPerSecond) return;
		// One answered request at rate r is 1/r seconds of sending: growth^(1/r) makes `growth` per second.
		const growth = state.probing ? START_GROWTH : PROBE_GROWTH;
		state.rate = Math.min(ticket.maxPerSecond, state.rate * growth ** (1 / state.rate));
	}

	/**
	 * TikTok throttled the ticket's request (HTTP 429 / 36009002): pause the key for `pauseMs` (Retry-After, or the
	 * caller's backoff) and lower the rate. Throttles of requests sent before the last reaction only extend the pause.
	 */
	throttled(ticket: RateTicket, pauseMs: number): void {
		const state = this.state(ticket.key, ticket.maxPerSecond);
		const now = this.options.now();
		state.pausedUntilMs = Math.max(state.pausedUntilMs, now + Math.max(0, pauseMs));
		state.schedule += 1;
		if (ticket.generation === state.generation) {
			const current = Math.min(state.rate, ticket.maxPerSecond);
			const estimate = estimateLimit(state.accepted, state.estimateFromMs, ticket.atMs) * BELOW_ESTIMATE;
			const lowered = estimate > 0 && estimate < current ? estimate : current * FALLBACK_DECREASE;
			state.rate = Math.max(MIN_PER_SECOND, lowered);
			state.probing = false;
			state.generation += 1;
		}
		state.estimateFromMs = state.pausedUntilMs;
	}

	private state(key: string, max: number): KeyState {
		let state = this.keys.get(key);
		if (!state) {
			state = {
				rate: Math.min(this.start, max),
				probing: true,
				lastGrantedMs: Number.NEGATIVE_INFINITY,
				queue: Promise.resolve(),
				pausedUntilMs: 0,
				generation: 0,
				schedule: 0,
				estimateFromMs: Number.NEGATIVE_INFINITY,
				accepted: [],
				acceptedNext: 0,
			};
			this.keys.set(key, state);
		}
		return state;
	}
}

function positive(value: number, what: string): number {
	if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${what} must be a positive number, got ${value}`);
	return value;
}
