import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { createSigningAuth } from '../../lib/tiktok/auth';
import { TikTokClient } from '../../lib/tiktok/client';
import { TokenManager } from '../../lib/tiktok/token';
import { pollEvents, type PollOptions, type TriggerEvent, type TriggerState } from '../../lib/trigger/poll';
import { createSandbox, type Sandbox } from '../../sandbox';
import { generateShopData } from '../../sandbox/generate';
import { listen } from '../../sandbox/http';
import { loopbackSend } from '../support/http-send';

/*
 * The trigger's promise: every event once, none lost — while statuses change between polls, polls fail half-way,
 * tokens expire, and n8n restarts (the state only survives as the JSON n8n stores as static data).
 * The shop's data moves through time: before each poll the sandbox serves the dataset as it looks at that moment.
 */

const SEED = 31;
const FROM = '2026-07';
const TO = '2026-09';
const ORDERS = 120;
const DAY_MS = 86_400_000;
const START = Date.parse('2026-07-01T12:00:00Z');
const END = Date.parse('2026-10-20T12:00:00Z');

let sandbox: Sandbox;
let server: { url: string; close(): Promise<void> };
let client: TikTokClient;

const dataAt = (nowMs: number) => generateShopData({ seed: SEED, from: FROM, to: TO, ordersPerMonth: ORDERS, now: nowMs });

beforeAll(async () => {
	sandbox = createSandbox({ seed: SEED, from: FROM, to: TO, ordersPerMonth: ORDERS });
	server = await listen(sandbox);
	const send = loopbackSend();
	const now = () => Date.now();
	const manager = new TokenManager({ appKey: sandbox.credentials.appKey, appSecret: sandbox.credentials.appSecret, send, authBaseUrl: server.url, now });
	await manager.exchangeAuthCode(sandbox.credentials.authCode());
	client = new TikTokClient({
		appKey: sandbox.credentials.appKey,
		send,
		now,
		// Backoff costs no wall time here; the client's own tests prove the delays.
		sleep: async () => undefined,
		baseUrl: server.url,
		shopCipher: sandbox.credentials.shopCipher,
		requestsPerSecond: 100_000,
		maxAttempts: 3,
		auth: createSigningAuth({ appKey: sandbox.credentials.appKey, appSecret: sandbox.credentials.appSecret, tokenManager: manager, now }),
	});
});

afterAll(async () => server.close());

interface Simulation {
	emitted: string[];
	failedPolls: number;
	maxRemembered: number;
}

/** 50 polls from START to END; every 7th fails beyond the retry bound, every 5th starts with an expired token. */
async function simulate(event: TriggerEvent, keyOf: (event: Record<string, unknown>) => string, extra: Partial<PollOptions> = {}): Promise<Simulation> {
	const polls = 50;
	let stored = '{}';
	const emitted: string[] = [];
	let failedPolls = 0;
	let maxRemembered = 0;
	for (let poll = 0; poll < polls; poll++) {
		const nowMs = START + Math.round(((END - START) * poll) / (polls - 1));
		sandbox.setData(dataAt(nowMs));
		if (poll % 5 === 4) sandbox.expireAccessTokens();
		if (poll % 7 === 6) sandbox.injectFaults('unavailable', 3);
		// A restart between polls: only what n8n persisted as JSON survives.
		const state = JSON.parse(stored) as TriggerState;
		let result;
		try {
			result = await pollEvents(client, state, { event, nowMs, lookBackDays: 35, maxRemembered: 10_000, manual: false, ...extra });
		} catch {
			// A failed poll emits nothing and stores nothing; the faults are used up by now.
			failedPolls += 1;
			sandbox.config.faults = [];
			continue;
		}
		emitted.push(...result.events.map(keyOf));
		stored = JSON.stringify(result.state);
		maxRemembered = Math.max(maxRemembered, Object.keys(result.state.emitted ?? {}).length);
	}
	return { emitted, failedPolls, maxRemembered };
}

describe('TikTok Payments Trigger: exactly once across 50 polls', () => {
	it('emits every statement paid after activation exactly once, with its transactions', async () => {
		const final = dataAt(END);
		const run = await simulate('statementSettled', (event) => String(event.id));
		expect(run.failedPolls).toBeGreaterThan(0);
		const expected = final.statements
			.filter((statement) => statement.payment_status === 'PAID' && statement.statement_time * 1000 >= START)
			.map((statement) => statement.id);
		expect(expected.length).toBeGreaterThan(60);
		expect(run.emitted).toHaveLength(new Set(run.emitted).size);
		expect(new Set(run.emitted)).toEqual(new Set(expected));
		// Bounded memory: keys older than the window are dropped.
		expect(run.maxRemembered).toBeLessThan(expected.length);
	});

	it('with "Include Unpaid Statements" emits each statement once, although its status changes later', async () => {
		const final = dataAt(END);
		const run = await simulate('statementSettled', (event) => String(event.id), { includeUnpaidStatements: true });
		const expected = final.statements.filter((statement) => statement.statement_time * 1000 >= START).map((statement) => statement.id);
		expect(run.emitted).toHaveLength(new Set(run.emitted).size);
		expect(new Set(run.emitted)).toEqual(new Set(expected));
	});

	it('emits every payout paid after activation exactly once', async () => {
		const final = dataAt(END);
		const run = await simulate('payoutPaid', (event) => String(event.id));
		const expected = final.payments.filter((payment) => payment.status === 'PAID' && payment.create_time * 1000 >= START).map((payment) => payment.id);
		expect(expected.length).toBeGreaterThan(5);
		expect(run.emitted).toHaveLength(new Set(run.emitted).size);
		expect(new Set(run.emitted)).toEqual(new Set(expected));
	});

	it('emits every released reserve exactly once', async () => {
		const final = dataAt(END);
		const expected: string[] = [];
		for (const statement of final.statements) {
			if (statement.statement_time * 1000 < START) continue;
			for (const transaction of final.statementTransactions(statement.id)?.transactions ?? []) {
				if (transaction.type === 'RESERVE' && String(transaction.reserve_status).toUpperCase() === 'RELEASED') expected.push(transaction.id);
			}
		}
		expect(expected.length).toBeGreaterThan(0);
		const run = await simulate('reserveReleased', (event) => String(event.id));
		expect(run.emitted).toHaveLength(new Set(run.emitted).size);
		expect(new Set(run.emitted)).toEqual(new Set(expected));
	});
});

describe('TikTok Payments Trigger: first activation and test events', () => {
	it('starts from now: nothing that existed before activation is emitted', async () => {
		const nowMs = Date.parse('2026-09-15T12:00:00Z');
		sandbox.setData(dataAt(nowMs));
		const first = await pollEvents(client, {}, { event: 'statementSettled', nowMs, lookBackDays: 35, maxRemembered: 100, manual: false });
		expect(first.events).toEqual([]);
		expect(first.state.startFrom).toBe(Math.floor(nowMs / 1000));
	});

	it('a start date picked by the user emits from there', async () => {
		const nowMs = Date.parse('2026-09-15T12:00:00Z');
		sandbox.setData(dataAt(nowMs));
		const startFrom = Math.floor(Date.parse('2026-09-10T00:00:00Z') / 1000);
		const { events } = await pollEvents(client, {}, { event: 'statementSettled', nowMs, lookBackDays: 35, startFrom, maxRemembered: 100, manual: false, includeUnpaidStatements: true });
		expect(events.map((event) => event.covered_day)).toEqual(['2026-09-09', '2026-09-10', '2026-09-11', '2026-09-12', '2026-09-13', '2026-09-14']);
	});

	it('"Fetch Test Event" shows the newest event and leaves the state alone', async () => {
		const nowMs = Date.parse('2026-09-15T12:00:00Z');
		sandbox.setData(dataAt(nowMs));
		const state: TriggerState = { startFrom: Math.floor(nowMs / 1000), emitted: {} };
		const before = JSON.stringify(state);
		const { events, state: after } = await pollEvents(client, state, { event: 'statementSettled', nowMs, lookBackDays: 35, maxRemembered: 100, manual: true, includeUnpaidStatements: true });
		expect(events).toHaveLength(1);
		expect(events[0].covered_day).toBe('2026-09-14');
		expect(Array.isArray(events[0].transactions)).toBe(true);
		expect(JSON.stringify(after)).toBe(before);
	});

	it('keeps at most the configured number of remembered events', async () => {
		const nowMs = Date.parse('2026-09-30T12:00:00Z');
		sandbox.setData(dataAt(nowMs));
		const startFrom = Math.floor((nowMs - 30 * DAY_MS) / 1000);
		const { state, events } = await pollEvents(client, {}, { event: 'statementSettled', nowMs, lookBackDays: 35, startFrom, maxRemembered: 10, manual: false, includeUnpaidStatements: true });
		expect(events.length).toBeGreaterThan(10);
		expect(Object.keys(state.emitted ?? {})).toHaveLength(10);
	});
});

describe('TikTok Payments Trigger: re-delivery (issue #13)', () => {
	const HOUR_MS = 3_600_000;
	const base = { event: 'statementSettled' as const, lookBackDays: 35, maxRemembered: 10_000, manual: false, includeUnpaidStatements: true };

	it('emits an event again after the delay, as often as allowed in all, marking the repeat', async () => {
		const startMs = Date.parse('2026-09-10T12:00:00Z');
		sandbox.setData(dataAt(startMs));
		const options = { ...base, redeliverAfterMinutes: 360, maxDeliveries: 3 };
		const startFrom = Math.floor(Date.parse('2026-09-08T00:00:00Z') / 1000);
		let state: TriggerState = {};
		const deliveries = new Map<string, number[]>();
		// Polls every hour for a day; the data stays as it was at the start, so only re-deliveries can emit.
		for (let hour = 0; hour <= 24; hour++) {
			const result = await pollEvents(client, JSON.parse(JSON.stringify(state)) as TriggerState, { ...options, nowMs: startMs + hour * HOUR_MS, startFrom });
			for (const event of result.events) deliveries.set(String(event.id), [...(deliveries.get(String(event.id)) ?? []), hour]);
			for (const event of result.events) expect(event.delivery ?? 1).toBe(deliveries.get(String(event.id))?.length);
			state = result.state;
		}
		expect(deliveries.size).toBeGreaterThan(0);
		for (const hours of deliveries.values()) expect(hours).toEqual([0, 6, 12]);
		expect(state.redeliver).toEqual({});
	});

	it('with Max Deliveries 1 emits each event once, however long it polls', async () => {
		const startMs = Date.parse('2026-09-10T12:00:00Z');
		sandbox.setData(dataAt(startMs));
		const startFrom = Math.floor(Date.parse('2026-09-08T00:00:00Z') / 1000);
		let state: TriggerState = {};
		const emitted: string[] = [];
		for (let hour = 0; hour <= 30; hour += 6) {
			const result = await pollEvents(client, state, { ...base, redeliverAfterMinutes: 60, maxDeliveries: 1, nowMs: startMs + hour * HOUR_MS, startFrom });
			emitted.push(...result.events.map((event) => String(event.id)));
			state = result.state;
		}
		expect(emitted.length).toBeGreaterThan(0);
		expect(emitted).toHaveLength(new Set(emitted).size);
	});

	it('a longer look-back window later does not emit events again that were dropped from memory', async () => {
		const firstMs = Date.parse('2026-08-05T12:00:00Z');
		const startFrom = Math.floor(Date.parse('2026-07-20T00:00:00Z') / 1000);
		sandbox.setData(dataAt(firstMs));
		const first = await pollEvents(client, {}, { ...base, lookBackDays: 7, nowMs: firstMs, startFrom, maxDeliveries: 1 });
		expect(first.events.length).toBeGreaterThan(0);
		// 20 days later with the short window: the first events are older than the window and dropped from memory.
		const laterMs = firstMs + 20 * 86_400_000;
		sandbox.setData(dataAt(laterMs));
		const later = await pollEvents(client, first.state, { ...base, lookBackDays: 7, nowMs: laterMs, maxDeliveries: 1 });
		for (const event of first.events) expect(Object.hasOwn(later.state.emitted ?? {}, `statement:${String(event.id)}`)).toBe(false);
		// Now the user widens the window to 60 days: nothing emitted before comes again.
		const wider = await pollEvents(client, later.state, { ...base, lookBackDays: 60, nowMs: laterMs + HOUR_MS, maxDeliveries: 1 });
		const before = new Set([...first.events, ...later.events].map((event) => String(event.id)));
		expect(wider.events.filter((event) => before.has(String(event.id)))).toEqual([]);
	});
});
