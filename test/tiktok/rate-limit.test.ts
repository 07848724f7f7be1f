/*
 * The adaptive limiter against the sandbox's token bucket (TikTok's behaviour: bursts up to the limit pass, a
 * sustained rate above it gets 429 with a whole-second Retry-After), in virtual time: workers send requests as fast
 * as the limiter lets them, each answer takes 50 ms. Behaviour only: rates, pauses, 429 shares, spacing — the
 * clock is virtual, so nothing here depends on the machine's speed.
 */
import { describe, expect, it } from '@jest/globals';
import { estimateLimit, RateLimiter } from '../../lib/tiktok/rate-limit';
import { RateLimiter as ServerBucket, type RateLimit } from '../../sandbox/rate-limit';
import { virtualClock } from '../support/virtual-clock';

const START_MS = Date.UTC(2026, 10, 1);
const KEY = 'shop';

interface Sent {
	atMs: number;
	throttled: boolean;
}

interface Run {
	sent: Sent[];
	limiter: RateLimiter;
	/** Rate after each answer, with the time. */
	rates: Array<[number, number]>;
	clock: ReturnType<typeof virtualClock>;
}

/** `requests` requests through `workers` concurrent workers against a bucket whose limit may change over time. */
async function simulate(options: {
	requests: number;
	limit: (elapsedMs: number) => RateLimit;
	maxPerSecond: number;
	workers?: number;
	latencyMs?: number;
}): Promise<Run> {
	const clock = virtualClock(START_MS);
	const limiter = new RateLimiter({ maxPerSecond: options.maxPerSecond, now: clock.now, sleep: clock.sleep });
	const server = new ServerBucket();
	const sent: Sent[] = [];
	const rates: Array<[number, number]> = [];
	let remaining = options.requests;
	const worker = async () => {
		while (remaining > 0) {
			remaining -= 1;
			for (;;) {
				const ticket = await limiter.acquire(KEY);
				const retryAfterSeconds = server.take(KEY, options.limit(clock.now() - START_MS), clock.now());
				sent.push({ atMs: clock.now(), throttled: retryAfterSeconds > 0 });
				await clock.sleep(options.latencyMs ?? 50);
				if (retryAfterSeconds === 0) {
					limiter.answered(ticket);
					rates.push([clock.now() - START_MS, limiter.rate(KEY)]);
					break;
				}
				limiter.throttled(ticket, retryAfterSeconds * 1000);
			}
		}
	};
	await Promise.all(Array.from({ length: options.workers ?? 8 }, worker));
	return { sent, limiter, rates, clock };
}

const throttledShare = (run: Run) => run.sent.filter((request) => request.throttled).length / run.sent.length;

/** Accepted requests per second between two moments (ms since start). */
function acceptedRate(run: Run, fromMs: number, toMs: number): number {
	const accepted = run.sent.filter((request) => !request.throttled && request.atMs - START_MS >= fromMs && request.atMs - START_MS < toMs);
	return accepted.length / ((toMs - fromMs) / 1000);
}

describe('adaptive rate limiter against a token bucket', () => {
	it.each([5, 20, 50])('converges on a hidden limit of %i per second with under 2 %% of requests throttled', async (limit) => {
		const requests = limit * 60;
		const run = await simulate({ requests, limit: () => ({ rps: limit }), maxPerSecond: 100 });
		const durationMs = run.clock.now() - START_MS;
		expect(run.sent.filter((request) => !request.throttled)).toHaveLength(requests);
		expect(throttledShare(run)).toBeLessThan(0.02);
		// It found the limit: the rate after the first throttle stays near it, and the second half of the run
		// (a steady state) is served at ≥ 90 % of the limit.
		const later = run.rates.filter(([atMs]) => atMs > durationMs / 2).map(([, rate]) => rate);
		expect(Math.min(...later)).toBeGreaterThan(limit * 0.8);
		expect(Math.max(...later)).toBeLessThan(limit * 1.3);
		expect(acceptedRate(run, durationMs / 2, durationMs)).toBeGreaterThan(limit * 0.9);
	});

	it('never goes above the maximum, also when TikTok would allow more', async () => {
		const run = await simulate({ requests: 400, limit: () => ({ rps: 50 }), maxPerSecond: 10 });
		expect(run.sent.some((request) => request.throttled)).toBe(false);
		const times = run.sent.map((request) => request.atMs);
		for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(100 - 1e-9);
		expect(run.limiter.rate(KEY)).toBe(10);
	});

	it('starts at a safe 5 per second and speeds up only while TikTok answers', async () => {
		const run = await simulate({ requests: 40, limit: () => ({ rps: 1000 }), maxPerSecond: 1000 });
		const times = run.sent.map((request) => request.atMs);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(200 - 1e-9);
		expect(run.rates.at(-1)?.[1]).toBeGreaterThan(5);
		// Slow start doubles per second at most.
		for (const [atMs, rate] of run.rates) expect(rate).toBeLessThanOrEqual(5 * 2 ** (atMs / 1000) + 1e-9);
	});

	it('honours Retry-After for the whole shop and backs off when the limit drops', async () => {
		// 50 per second for 20 s, then TikTok allows only 10.
		const run = await simulate({ requests: 1600, limit: (elapsedMs) => ({ rps: elapsedMs < 20_000 ? 50 : 10 }), maxPerSecond: 100 });
		// After each 429, no request of the shop goes out until its Retry-After (1 s) has passed.
		const throttles = run.sent.filter((request) => request.throttled);
		expect(throttles.length).toBeGreaterThan(0);
		for (const throttle of throttles) {
			const answeredAt = throttle.atMs + 50;
			const during = run.sent.filter((request) => request.atMs > answeredAt && request.atMs < answeredAt + 1000);
			expect(during).toEqual([]);
		}
		const durationMs = run.clock.now() - START_MS;
		const settled = run.rates.filter(([atMs]) => atMs > 40_000).map(([, rate]) => rate);
		expect(Math.max(...settled)).toBeLessThan(13);
		expect(acceptedRate(run, 40_000, durationMs)).toBeGreaterThan(9);
		expect(throttledShare(run)).toBeLessThan(0.02);
	});
});

describe('one limiter shared by several callers', () => {
	it('queues their requests on one key and keeps each within its own maximum', async () => {
		const clock = virtualClock(START_MS);
		const limiter = new RateLimiter({ now: clock.now, sleep: clock.sleep });
		const sent: Array<{ who: string; atMs: number }> = [];
		const caller = (who: string, max: number, requests: number) => async () => {
			for (let i = 0; i < requests; i++) {
				const ticket = await limiter.acquire(KEY, max);
				sent.push({ who, atMs: ticket.atMs });
				await clock.sleep(20);
				limiter.answered(ticket);
			}
		};
		await Promise.all([caller('slow', 2, 20)(), caller('fast', 50, 300)(), caller('fast', 50, 300)()]);
		// No request of the slow caller is closer than 1/2 s to the request before it, whoever sent that one.
		sent.forEach((request, index) => {
			if (index > 0 && request.who === 'slow') expect(request.atMs - sent[index - 1].atMs).toBeGreaterThanOrEqual(500 - 1e-9);
		});
		// Together they never exceed the highest maximum, and the fast callers got the key up to it.
		for (let i = 1; i < sent.length; i++) expect(sent[i].atMs - sent[i - 1].atMs).toBeGreaterThanOrEqual(20 - 1e-9);
		expect(limiter.rate(KEY)).toBe(50);
	});
});

describe('estimateLimit', () => {
	it('reads the limit of a 1-second bucket from the accepted requests before a throttle', () => {
		// 10 per second for 5 s (bucket full), then 30 per second until the bucket of 10 ran dry after 0.5 s.
		const steady = Array.from({ length: 50 }, (_, i) => i * 100);
		const burst = Array.from({ length: 15 }, (_, i) => 5000 + i * (1000 / 30));
		expect(estimateLimit([...steady, ...burst], 0, 5500)).toBeCloseTo(10, 0);
		// Requests before the last pause say nothing about the limit now.
		expect(estimateLimit([...steady, ...burst], 5000, 5500)).toBeCloseTo(10, 0);
		expect(estimateLimit([...steady, ...burst], 5400, 5500)).toBeLessThan(3);
	});

	it('gives 0 when too few requests were accepted to tell', () => {
		expect(estimateLimit([1000], 0, 1200)).toBe(0);
	});
});
