import type { TikTokClient } from '../tiktok/client';
import type { TikTokStatement } from '../tiktok/schemas';
import { paymentRecord, statementWithTransactions, withIsoTimes, type JsonRecord } from '../fetch/records';

/*
 * The polling trigger's logic, without n8n. Each event is emitted once per workflow, and a statement or payout
 * event again after a delay, a bounded number of times (re-delivery, see below):
 * - the trigger remembers every emitted key with the time of its source (statement_time, create_time), so a
 *   statement that was PROCESSING at one poll and PAID at the next is recognised;
 * - it looks back a window (default 35 days) on every poll, so late status changes are caught;
 * - the new state is returned together with the events and only stored by the node when the poll succeeded, so a
 *   poll that fails half-way emits nothing and loses nothing: the next poll sees the same sources again;
 * - memory is bounded: keys older than the window cannot come back and are dropped, and a hard cap applies; the
 *   trigger never emits a source older than what it already dropped, so a longer look-back window later does not
 *   emit old events again.
 * Re-delivery: a poll trigger cannot learn whether the execution it started succeeded (n8n gives it no result and
 * no access to what Mark as Booked recorded). So a statement or payout event is emitted again after
 * `redeliverAfterMinutes`, up to `maxDeliveries` times in all, while its source is in the window. Map to SKR Bookings
 * books nothing Mark as Booked recorded, so a re-delivered event whose first execution succeeded books nothing;
 * one whose execution failed is booked then.
 */

export type TriggerEvent = 'statementSettled' | 'payoutPaid' | 'reserveReleased';

export interface TriggerState {
	/** Unix seconds: sources older than this are never emitted (first activation starts "now"). */
	startFrom?: number;
	/** Emitted keys → Unix seconds of their source. */
	emitted?: Record<string, number>;
	/** Keys that may be emitted again → [Unix seconds of the last emission, deliveries so far]. */
	redeliver?: Record<string, [number, number]>;
	/** Unix seconds: sources older than this were dropped from memory and are never emitted again. */
	floor?: number;
}

export interface PollOptions {
	event: TriggerEvent;
	nowMs: number;
	lookBackDays: number;
	/** First activation: start here instead of now (Unix seconds). */
	startFrom?: number;
	/** Statements are emitted when their payout is PAID; with this, as soon as TikTok lists them. */
	includeUnpaidStatements?: boolean;
	maxRemembered: number;
	/** Minutes after which an event is emitted again (statement and payout events only). */
	redeliverAfterMinutes?: number;
	/** Deliveries of one event in all, the first included; 1 = never again. */
	maxDeliveries?: number;
	/** "Fetch Test Event": the newest event, state untouched. */
	manual: boolean;
}

export interface PollResult {
	events: JsonRecord[];
	state: TriggerState;
}

interface Candidate {
	key: string;
	time: number;
	load: () => Promise<JsonRecord[]>;
}

const DAY = 86_400;

async function statementCandidates(
	client: TikTokClient,
	event: TriggerEvent,
	window: { ge: number; lt: number },
	options: PollOptions,
): Promise<Candidate[]> {
	const candidates: Candidate[] = [];
	const statements: TikTokStatement[] = [];
	for await (const statement of client.statements({ statement_time_ge: window.ge, statement_time_lt: window.lt })) {
		statements.push(statement);
	}
	for (const statement of statements) {
		const paid = statement.payment_status === 'PAID';
		if (event === 'statementSettled') {
			if (!paid && !options.includeUnpaidStatements) continue;
			candidates.push({
				key: `statement:${statement.id}`,
				time: statement.statement_time,
				load: async () => [{ event, ...(await statementWithTransactions(client, statement)) }],
			});
		} else {
			// Reserve releases are transactions of the statement that released them; read each statement once.
			candidates.push({
				key: `reserves:${statement.id}`,
				time: statement.statement_time,
				load: async () => {
					const detail = await statementWithTransactions(client, statement);
					return detail.transactions
						.filter(
							(transaction) =>
								String(transaction.type).toUpperCase() === 'RESERVE' &&
								String(transaction.reserve_status ?? '').toUpperCase() === 'RELEASED',
						)
						.map((transaction) => ({
							event,
							statement_id: statement.id,
							statement_time: statement.statement_time,
							covered_day: detail.covered_day,
							currency: detail.currency,
							...transaction,
						}));
				},
			});
		}
	}
	return candidates;
}

async function paymentCandidates(client: TikTokClient, window: { ge: number; lt: number }): Promise<Candidate[]> {
	const candidates: Candidate[] = [];
	for await (const payment of client.payments({ create_time_ge: window.ge, create_time_lt: window.lt })) {
		if (payment.status !== 'PAID') continue;
		const record = paymentRecord(payment);
		candidates.push({ key: `payment:${payment.id}`, time: payment.create_time, load: async () => [{ event: 'payoutPaid', ...record }] });
	}
	return candidates;
}

export async function pollEvents(client: TikTokClient, state: TriggerState, options: PollOptions): Promise<PollResult> {
	const now = Math.floor(options.nowMs / 1000);
	const lookBackStart = now - Math.round(options.lookBackDays * DAY);
	const startFrom = state.startFrom ?? options.startFrom ?? now;
	// Manual test runs show a recent event even before the first production poll.
	const ge = options.manual ? lookBackStart : Math.max(lookBackStart, Math.min(startFrom, now));
	const window = { ge, lt: now + 1 };
	const candidates =
		options.event === 'payoutPaid'
			? await paymentCandidates(client, window)
			: await statementCandidates(client, options.event, window, options);
	candidates.sort((a, b) => a.time - b.time || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

	if (options.manual) {
		for (const candidate of [...candidates].reverse()) {
			const events = await candidate.load();
			if (events.length > 0) return { events: events.slice(-1), state };
		}
		return { events: [], state };
	}

	const emitted: Record<string, number> = { ...(state.emitted ?? {}) };
	const redeliver: Record<string, [number, number]> = { ...(state.redeliver ?? {}) };
	const maxDeliveries = options.event === 'reserveReleased' ? 1 : Math.max(1, Math.floor(options.maxDeliveries ?? 1));
	const delay = Math.round((options.redeliverAfterMinutes ?? 0) * 60);
	const floor = state.floor ?? 0;
	const events: JsonRecord[] = [];
	for (const candidate of candidates) {
		if (candidate.time < startFrom || candidate.time < floor) continue;
		let delivery = 1;
		if (Object.hasOwn(emitted, candidate.key)) {
			const due = Object.hasOwn(redeliver, candidate.key) ? redeliver[candidate.key] : undefined;
			if (!due || now - due[0] < delay) continue;
			delivery = due[1] + 1;
		}
		// A loop, not push(...spread): one statement can release more reserves than a call may take arguments.
		for (const event of await candidate.load()) events.push(delivery > 1 ? { ...event, delivery } : event);
		emitted[candidate.key] = candidate.time;
		if (delivery < maxDeliveries) redeliver[candidate.key] = [now, delivery];
		else delete redeliver[candidate.key];
	}
	const kept = prune(emitted, lookBackStart, options.maxRemembered);
	const keptRedeliver = Object.fromEntries(Object.entries(redeliver).filter(([key]) => Object.hasOwn(kept, key)));
	return {
		events: events.map((event) => withIsoTimes(event)),
		state: { startFrom, emitted: kept, redeliver: keptRedeliver, floor: Math.max(floor, lookBackStart - DAY) },
	};
}

/** Drops keys whose source is older than the look-back window (they cannot be listed again), then caps the rest. */
function prune(emitted: Record<string, number>, oldestListed: number, max: number): Record<string, number> {
	const kept = Object.entries(emitted)
		.filter(([, time]) => time >= oldestListed - DAY)
		.sort((a, b) => a[1] - b[1]);
	return Object.fromEntries(kept.slice(Math.max(0, kept.length - max)));
}
