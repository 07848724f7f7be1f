/** Duplicate protection: what a run books, skips or corrects, given what Mark as Booked recorded. */
import { describe, expect, it } from '@jest/globals';

import { bookingKey, bookItems, parseBookingInput, planBooking, statementFingerprint, supersededKey, versionKey } from '../../lib/booking';
import type { StatementRecord } from '../../lib/booking';
import { generateShopData } from '../../sandbox/generate';
import { orderTx, paymentItem, statementItem } from './fixtures';

const sale = orderTx({ revenue_amount: '10.00', settlement_amount: '10.00' });
const input = () =>
	parseBookingInput([
		statementItem([sale], { id: 'S1' }),
		statementItem([sale], { id: 'S2' }),
		paymentItem({ id: 'P1' }),
		paymentItem({ id: 'P2', status: 'PROCESSING', paid_time: 0 }),
	]);
const fingerprint = (id: string) => statementFingerprint(input().statements.find((statement) => statement.id === id)!);
const record = (id: string, fp: string): StatementRecord => ({
	statementId: id,
	fingerprint: fp,
	currency: 'EUR',
	date: '2025-06-30',
	settlementMinor: 900,
	paymentId: '',
	buckets: [],
});

describe('planBooking', () => {
	it('books everything when nothing was delivered', () => {
		const plan = planBooking(input(), { delivered: new Set() });
		expect(plan.input.statements.map((statement) => statement.id)).toEqual(['S1', 'S2']);
		expect(plan.input.payments.map((payment) => payment.id)).toEqual(['P1', 'P2']);
		expect(plan.corrections).toEqual([]);
	});

	it('skips the delivered version of a statement and a delivered payment, saying why', () => {
		const delivered = new Set([bookingKey('statement', 'S1'), versionKey('S1', fingerprint('S1')), bookingKey('payment', 'P1')]);
		const plan = planBooking(input(), { delivered });
		expect(plan.input.statements.map((statement) => statement.id)).toEqual(['S2']);
		expect(plan.input.payments.map((payment) => payment.id)).toEqual(['P2']);
		expect(plan.skipped.map((source) => [source.key, source.reason])).toEqual([
			['statement:S1', 'already booked'],
			['payment:P1', 'already booked'],
		]);
		expect(plan.skipped[0].message).toContain('statement S1 (item 0) was booked in an earlier run');
	});

	it('corrects a changed statement against the ledger record of its delivered version', () => {
		const delivered = new Set([bookingKey('statement', 'S1'), versionKey('S1', 'aaaaaaaaaaaaaaaa')]);
		const records = new Map([['S1', record('S1', 'aaaaaaaaaaaaaaaa')]]);
		const plan = planBooking(input(), { delivered, records });
		expect(plan.corrections.map((correction) => [correction.statement.id, correction.previous.fingerprint])).toEqual([['S1', 'aaaaaaaaaaaaaaaa']]);
		expect(plan.input.statements.map((statement) => statement.id)).toEqual(['S2']);
	});

	it('reports a changed statement whose booked version the ledger does not know, and books nothing for it', () => {
		const delivered = new Set([bookingKey('statement', 'S1'), versionKey('S1', 'aaaaaaaaaaaaaaaa')]);
		for (const records of [undefined, new Map([['S1', record('S1', 'bbbbbbbbbbbbbbbb')]])]) {
			const plan = planBooking(input(), { delivered, records });
			expect(plan.corrections).toEqual([]);
			expect(plan.input.statements.map((statement) => statement.id)).toEqual(['S2']);
			expect(plan.skipped.map((source) => source.reason)).toEqual(['changed, previous booking unknown']);
			expect(plan.skipped[0].message).toContain('nothing is booked for it, so that nothing is booked twice');
		}
	});

	it('does not correct against a record a later correction replaced (a ledger put back by a concurrent save)', () => {
		const delivered = new Set([
			bookingKey('statement', 'S1'),
			versionKey('S1', 'aaaaaaaaaaaaaaaa'),
			versionKey('S1', 'cccccccccccccccc'),
			supersededKey('S1', 'aaaaaaaaaaaaaaaa'),
		]);
		const plan = planBooking(input(), { delivered, records: new Map([['S1', record('S1', 'aaaaaaaaaaaaaaaa')]]) });
		expect(plan.corrections).toEqual([]);
		expect(plan.skipped.map((source) => source.reason)).toEqual(['changed, previous booking unknown']);
	});

	it('treats version 0.1 keys as booked, whatever the content', () => {
		const plan = planBooking(input(), { delivered: new Set(), legacy: new Set(['statement:S1', 'payment:P1']) });
		expect(plan.input.statements.map((statement) => statement.id)).toEqual(['S2']);
		expect(plan.input.payments.map((payment) => payment.id)).toEqual(['P2']);
	});

	it('books everything again in full with rebook', () => {
		const delivered = new Set([bookingKey('statement', 'S1'), versionKey('S1', 'aaaaaaaaaaaaaaaa'), bookingKey('payment', 'P1')]);
		const plan = planBooking(input(), { delivered, records: new Map([['S1', record('S1', 'aaaaaaaaaaaaaaaa')]]) }, { rebook: true });
		expect(plan.input.statements.map((statement) => statement.id)).toEqual(['S1', 'S2']);
		expect(plan.input.payments.map((payment) => payment.id)).toEqual(['P1', 'P2']);
		expect(plan.corrections).toEqual([]);
	});

	it('in a correction run reverses what the ledger knows, books the rest, and leaves out what it cannot reverse', () => {
		const twice = parseBookingInput([statementItem([sale], { id: 'S1' }), statementItem([sale], { id: 'S2' }), statementItem([sale], { id: 'S3' })]);
		const delivered = new Set([bookingKey('statement', 'S1'), versionKey('S1', 'aaaaaaaaaaaaaaaa'), bookingKey('statement', 'S2')]);
		const plan = planBooking(twice, { delivered, records: new Map([['S1', record('S1', 'aaaaaaaaaaaaaaaa')]]) }, { correction: true });
		expect(plan.reversals.map((reversal) => reversal.statementId)).toEqual(['S1']);
		expect(plan.input.statements.map((statement) => statement.id)).toEqual(['S1', 'S3']);
		expect(plan.skipped.map((source) => [source.id, source.reason])).toEqual([['S2', 'previous booking unknown']]);
	});

	it('skips a statement repeated in the same input', () => {
		const twice = parseBookingInput([statementItem([sale], { id: 'S1' }), statementItem([sale], { id: 'S1' })]);
		const plan = planBooking(twice, { delivered: new Set() }, { rebook: true });
		expect(plan.input.statements).toHaveLength(1);
		expect(plan.skipped.map((source) => source.reason)).toEqual(['duplicate in input']);
	});
});

describe('statement fingerprints', () => {
	it('ignore the payout status and the order of transactions, but not an amount', () => {
		const other = orderTx({ id: '2', revenue_amount: '5.00', settlement_amount: '5.00' });
		const base = parseBookingInput([statementItem([sale, other], { payment_status: 'PROCESSING', payment_id: '' })]).statements[0];
		const paid = parseBookingInput([statementItem([other, sale])]).statements[0];
		const changed = parseBookingInput([statementItem([sale, { ...other, revenue_amount: '5.01', settlement_amount: '5.01' }])]).statements[0];
		expect(statementFingerprint(paid)).toBe(statementFingerprint(base));
		expect(statementFingerprint(changed)).not.toBe(statementFingerprint(base));
		expect(statementFingerprint(base)).toMatch(/^[0-9a-f]{16}$/);
	});

	it('hash the canonical JSON of the statement (sorted keys, no undefined), fed piece by piece', () => {
		// The reference: the whole canonical text built at once, then both FNV-1a lanes over it.
		const canonical = (value: unknown): string => {
			if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
			if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
			const record = value as Record<string, unknown>;
			const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
			return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`).join(',')}}`;
		};
		const fnv = (text: string, offset: number): string => {
			let hash = offset;
			for (let index = 0; index < text.length; index++) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
			return (hash >>> 0).toString(16).padStart(8, '0');
		};
		const data = generateShopData({ seed: 5, from: '2025-01', to: '2025-01', ordersPerMonth: 200 });
		const statements = parseBookingInput([
			...data.statements.map((statement) => data.statementItem(statement.id)),
			statementItem([sale, orderTx({ id: '3', type: 'CHARGE_BACK', adjustment_amount: undefined, order_create_time: undefined, reserve_status: 'Q"\\' })]),
		]).statements;
		expect(statements.length).toBeGreaterThan(20);
		// Integers are hashed digit by digit without String(): the edges of that, and a number that is no integer.
		const [first] = statements;
		const edges = [9007199254740991, -9007199254740991, -0, 0, 10, -100, 1000000, 999, 1.5, -0.25];
		statements.push({
			...first,
			settlementMinor: edges[0],
			totalReserveMinor: edges[1],
			time: edges[2],
			transactions: edges.map((value, index) => ({ ...first.transactions[0], id: `edge-${index}`, revenueMinor: value, settlementMinor: -value })),
		});
		for (const statement of statements) {
			const { id, currency, time, settlementMinor, totalSettlementMinor, totalReserveMinor } = statement;
			const transactions = [...statement.transactions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
			const text = canonical({ id, currency, time, settlementMinor, totalSettlementMinor, totalReserveMinor, transactions });
			expect(statementFingerprint(statement)).toBe(fnv(text, 0x811c9dc5) + fnv(text, 0x050c5d1f));
		}
	});
});

describe('the engine on its own', () => {
	it('books a statement repeated in the input once and reports the repeat', () => {
		const result = bookItems([statementItem([sale], { id: 'S1' }), statementItem([sale], { id: 'S1' })]);
		expect(result.lines).toHaveLength(1);
		expect(result.bookedKeys).toEqual(['statement:S1']);
		expect(result.warnings).toEqual([expect.stringContaining('appears more than once in the input')]);
	});
});
