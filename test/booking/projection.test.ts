import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';

import { compactStatementItem, parseBookingInput } from '../../lib/booking/input';
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
		expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(raw).length / 2);
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
