import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';

import { compactStatementItem, parseBookingInput } from '../../lib/booking/input';
import { statementFingerprint } from '../../lib/booking/ledger';
import { projector } from '../../lib/booking/projection';
import { generateShopData } from '../../sandbox/generate';

describe('projector: keeps what a schema declares', () => {
	const schema = z
		.object({
			id: z.string(),
			amount: z.union([z.string(), z.number()]).nullable().optional(),
			when: z.string().regex(/^\d+$/).transform(Number).optional(),
			breakdown: z.object({ fee: z.record(z.unknown()).nullable().optional() }).passthrough().nullable().optional(),
			lines: z.array(z.object({ n: z.number() }).passthrough()),
			either: z.union([z.object({ a: z.string() }), z.object({ b: z.string() })]).optional(),
		})
		.passthrough();

	it('drops undeclared keys at every level, keeps declared values unchanged and absent keys absent', () => {
		const project = projector(schema);
		const raw = {
			id: '7',
			amount: '1.00',
			when: '1700000000',
			noise: { deep: true },
			breakdown: { fee: { x_amount: '-0.10', y_amount: '0.00' }, extra: 'dropped' },
			lines: [{ n: 1, more: 'dropped' }, { n: 2 }],
			either: { a: 'A', b: 'B', c: 'dropped' },
		};
		expect(project(raw)).toEqual({
			id: '7',
			amount: '1.00',
			// Copied as it is: the transform belongs to parsing, not to the projection.
			when: '1700000000',
			breakdown: { fee: { x_amount: '-0.10', y_amount: '0.00' } },
			lines: [{ n: 1 }, { n: 2 }],
			either: { a: 'A', b: 'B' },
		});
		expect(Object.keys(project({ id: '8', lines: [] }) as object)).toEqual(['id', 'lines']);
	});

	it('leaves values of the wrong type as they are, so that parsing reports the same problem', () => {
		const project = projector(schema);
		expect(project({ id: 7, lines: 'nope', breakdown: null })).toEqual({ id: 7, lines: 'nope', breakdown: null });
		expect(project('not an object')).toBe('not an object');
	});

	it('follows the schema: a field added to it is kept without touching the projection', () => {
		const wider = schema.extend({ shipping_cost_breakdown: z.object({ fee: z.string() }).optional() });
		const raw = { id: '1', lines: [], shipping_cost_breakdown: { fee: '-1.00', other: 'x' } };
		expect(projector(schema)(raw)).toEqual({ id: '1', lines: [] });
		expect(projector(wider)(raw)).toEqual({ id: '1', lines: [], shipping_cost_breakdown: { fee: '-1.00' } });
	});
});

describe('compact statement items', () => {
	const data = generateShopData({ seed: 4, from: '2025-05', to: '2025-05', ordersPerMonth: 400 });
	const raw = data.statements.map((statement) => data.statementItem(statement.id));

	it('parse to the same booking input as the raw items, at a fraction of the size', () => {
		const compact = raw.map((item) => compactStatementItem(item));
		expect(parseBookingInput(compact)).toEqual(parseBookingInput(raw));
		expect(compact.map((item) => statementFingerprint(parseBookingInput([item]).statements[0]))).toEqual(
			raw.map((item) => statementFingerprint(parseBookingInput([item]).statements[0])),
		);
		expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(raw).length / 5);
	});

	it('leave out what parses like its absence: zero breakdown amounts and empty ids, never a top-level amount', () => {
		const transaction = {
			id: '1602066710000010040',
			type: 'ORDER',
			order_id: '',
			adjustment_id: '',
			adjustment_order_id: '570206670000010813',
			reserve_status: '',
			settlement_amount: '0.00',
			revenue_amount: '0.00',
			adjustment_amount: '0.00',
			shipping_cost_breakdown: { customer_paid_shipping_fee_amount: '0.00' },
			fee_tax_breakdown: { fee: { platform_commission_amount: '-1.20', sfp_service_fee_amount: '0.00', odd: '0.000' }, tax: { vat_amount: '0' } },
		};
		const item = { id: '7202066710000000001', currency: 'EUR', statement_time: 1784505600, settlement_amount: '0.00', transactions: [transaction] };
		const compact = compactStatementItem(item) as { transactions: unknown[] };
		expect(compact.transactions[0]).toEqual({
			id: transaction.id,
			type: 'ORDER',
			adjustment_order_id: '570206670000010813',
			settlement_amount: '0.00',
			revenue_amount: '0.00',
			// Its absence would book the settlement amount instead (adjustments): kept.
			adjustment_amount: '0.00',
			// "0.000" is no zero the pruning knows: kept for the parser to judge.
			fee_tax_breakdown: { fee: { platform_commission_amount: '-1.20', odd: '0.000' } },
		});
		expect(parseBookingInput([compact])).toEqual(parseBookingInput([item]));
		// The caller's objects are left as they were.
		expect(transaction.fee_tax_breakdown.fee).toHaveProperty('sfp_service_fee_amount', '0.00');
		expect(transaction).toHaveProperty('order_id', '');
	});

	it('give the same error, naming the same item and field, for a bad amount', () => {
		const broken = structuredClone(raw[2]) as unknown as { transactions: Array<Record<string, unknown>> };
		broken.transactions[1].fee_tax_amount = '12.345';
		const message = (items: unknown[]) => {
			try {
				parseBookingInput(items);
			} catch (error) {
				return (error as Error).message;
			}
			return 'no error';
		};
		expect(message([raw[0], raw[1], compactStatementItem(broken)])).toBe(message([raw[0], raw[1], broken]));
		expect(message([broken])).toContain('transactions[1].fee_tax_amount');
	});
});
