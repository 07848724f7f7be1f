import fc from 'fast-check';
import { z } from 'zod';

import {
	decimalString,
	envelope,
	payment,
	statementTransactionsPage,
	statementsPage,
	tokenData,
	transaction,
	unsettledTransaction,
	unsettledTransactionsPage,
	withdrawalsPage,
} from '../../lib/tiktok/schemas';

describe('schemas', () => {
	it('accepts the official statements example and keeps unknown fields', () => {
		const data = {
			next_page_token: '6AsP…',
			statements: [
				{
					id: '7238804564097517339',
					statement_time: 1685548800,
					settlement_amount: '100',
					currency: 'GBP',
					revenue_amount: '200',
					fee_amount: '-30',
					adjustment_amount: '-70',
					payment_status: 'PAID',
					payment_id: '3459275187040258849',
					net_sales_amount: '-70',
					shipping_cost_amount: '-70',
					payment_time: 1685635200,
				},
			],
		};
		const parsed = statementsPage.parse({ ...data, brand_new_top_level: true });
		expect(parsed.statements[0]).toEqual(data.statements[0]);
		expect(parsed).toHaveProperty('brand_new_top_level', true);
	});

	it('keeps money as the exact decimal string and rejects numbers and exponents', () => {
		expect(decimalString.parse('-66.79')).toBe('-66.79');
		expect(decimalString.parse('0.10')).toBe('0.10');
		for (const bad of [66.79, '1e3', '1,5', '', ' 1', 'NaN', '.5']) {
			expect(decimalString.safeParse(bad).success).toBe(false);
		}
	});

	it('treats an unseen transaction type as data, not an error, and validates breakdown leaves', () => {
		const parsed = transaction.parse({
			id: 't1',
			type: 'Violation fee (settlement fee)',
			settlement_amount: '-5.00',
			fee_tax_breakdown: { fee: { brand_new_fee_amount: '-5.00' }, tax: { vat_amount: '0' } },
			something_new: { nested: 1 },
		});
		expect(parsed.type).toBe('Violation fee (settlement fee)');
		expect(parsed).toHaveProperty('something_new', { nested: 1 });
		expect(transaction.safeParse({ id: 't1', type: 'ORDER', fee_tax_breakdown: { fee: { x: 5 } } }).success).toBe(
			false,
		);
	});

	it('accepts a payment without reserve_amount (202605) and ids only as strings', () => {
		const base = {
			id: '3458767051733897992',
			create_time: 1636105796,
			paid_time: 0,
			status: 'PROCESSING',
			amount: { value: '100', currency: 'EUR' },
			settlement_amount: { value: '130', currency: 'EUR' },
		};
		expect(payment.parse(base).reserve_amount).toBeUndefined();
		expect(payment.safeParse({ ...base, id: 345876705 }).success).toBe(false);
		expect(payment.safeParse({ ...base, amount: { value: 100, currency: 'EUR' } }).success).toBe(false);
	});

	it('parses the statement transactions page with totals and the withdrawals page', () => {
		const page = statementTransactionsPage.parse({
			id: '7238804564097517339',
			currency: 'GBP',
			payable_amount: '150',
			total_reserve_amount: '20',
			total_settlement_amount: '130',
			total_settlement_breakdown: { total_revenue_amount: '100' },
			total_count: 2,
		});
		expect(page.transactions).toEqual([]);
		expect(page.payable_amount).toBe('150');
		expect(
			withdrawalsPage.parse({
				total_count: 1,
				withdrawals: [{ id: 'EFAS', type: 'WITHDRAW', amount: '100', currency: 'IDR', status: 'PAID', create_time: 1 }],
			}).withdrawals[0].status,
		).toBe('PAID');
	});

	it('reads the envelope with data null on errors, and token data with absolute expiries', () => {
		expect(envelope.parse({ code: 36009014, data: null, message: 'The version name is invalid' }).code).toBe(36009014);
		expect(envelope.safeParse({ message: 'no code' }).success).toBe(false);
		const parsed = tokenData.parse({
			access_token: 'a',
			access_token_expire_in: 1660556783,
			refresh_token: 'r',
			refresh_token_expire_in: 1691487031,
			granted_permissions: ['FINANCE'],
		});
		expect(parsed.access_token_expire_in).toBe(1660556783);
	});

	describe('pages of transactions, checked in one loop', () => {
		// What the pages were before: zod's own array of the record schema. The one loop must say and give the same.
		const referencePages: Array<[string, z.ZodTypeAny, z.ZodTypeAny]> = [
			['Get Transactions by Statement', statementTransactionsPage, statementTransactionsPage.extend({ transactions: z.array(transaction).default([]) })],
			['Get Unsettled Transactions', unsettledTransactionsPage, unsettledTransactionsPage.extend({ transactions: z.array(unsettledTransaction).default([]) })],
		];

		/** Objects as JSON.parse makes them: a "__proto__" key is an own key. */
		const jsonObject = (entries: Array<[string, unknown]>): Record<string, unknown> => {
			const object: Record<string, unknown> = {};
			for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
			return object;
		};
		const anything = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}));
		const key = fc.oneof(fc.constantFrom('fee', 'tax', 'vat_amount', '__proto__', 'constructor', 'toString', '0'), fc.string({ maxLength: 6 }));
		const amount = fc.oneof(fc.constantFrom('1.00', '-0.50', '0', '1e5', '', ' 1'), anything);
		const tree: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((self) => ({
			node: fc.oneof(
				{ depthSize: 'small', withCrossShrink: true },
				amount,
				fc.array(fc.tuple(key, fc.oneof(amount, self('node'))), { maxLength: 4 }).map(jsonObject),
			),
		})).node;
		const FIELDS = [
			'id', 'type', 'currency', 'status', 'order_id', 'order_create_time', 'order_delivery_time', 'adjustment_id', 'settlement_amount',
			'revenue_amount', 'fee_tax_amount', 'reserve_status', 'estimated_release_time', 'est_settlement_amount', 'brand_new_field',
		];
		const fieldValue = fc.oneof(fc.constantFrom('7238804564097517339', '', 'ORDER', 'EUR', '12.34', 1_700_000_000, -1, 2 ** 53, 'x'.repeat(101)), anything);
		const record = fc.oneof(
			{ arbitrary: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...FIELDS), key), fieldValue), { maxLength: 8 }).map(jsonObject), weight: 4 },
			{
				arbitrary: fc
					.array(fc.tuple(fc.constantFrom('revenue_breakdown', 'shipping_cost_breakdown', 'fee_tax_breakdown', 'supplementary_component'), tree), {
						maxLength: 3,
					})
					.map((trees) => jsonObject([['id', '7238804564097517339'], ['type', 'ORDER'], ['currency', 'EUR'], ...trees])),
				weight: 3,
			},
			{ arbitrary: anything, weight: 1 },
		);
		const page = fc
			.record(
				{
					id: fc.constantFrom('7238804564097517339', 'bad id'),
					currency: fc.constantFrom('EUR', ''),
					next_page_token: fc.oneof(fc.string({ maxLength: 4 }), fc.integer()),
					transactions: fc.oneof({ arbitrary: fc.array(record, { maxLength: 6 }), weight: 6 }, { arbitrary: anything, weight: 1 }),
					brand_new_top_level: anything,
				},
				{ requiredKeys: ['id', 'currency'] },
			)
			.map((fields) => jsonObject(Object.entries(fields)));

		const outcome = (result: z.SafeParseReturnType<unknown, unknown>) =>
			result.success
				? { success: true, json: JSON.stringify(result.data) }
				: { success: false, issues: result.error.issues.map((issue) => ({ path: issue.path, message: issue.message })) };

		it.each(referencePages)('%s: the same issues at the same paths, or the same data, as zod\'s array gave', (_name, schema, reference) => {
			let failures = 0;
			fc.assert(
				fc.property(page, (value) => {
					const result = schema.safeParse(value);
					expect(outcome(result)).toEqual(outcome(reference.safeParse(value)));
					if (!result.success) failures += 1;
				}),
				{ seed: 20261202, numRuns: 400 },
			);
			// The property saw both outcomes.
			expect(failures).toBeGreaterThan(0);
			expect(failures).toBeLessThan(400);
		});

		it('checks amount trees at their full path, own prototype keys included and inherited keys not', () => {
			const issues = (breakdown: unknown) => {
				const result = transaction.safeParse({ id: '7238804564097517339', type: 'ORDER', fee_tax_breakdown: breakdown });
				return result.success ? [] : result.error.issues.map((issue) => [issue.path.join('.'), issue.message]);
			};
			expect(issues(jsonObject([['fee', jsonObject([['__proto__', '1,00']])]]))).toEqual([['fee_tax_breakdown.fee.__proto__', expect.stringContaining('decimal')]]);
			expect(issues(jsonObject([['constructor', 'NaN']]))).toEqual([['fee_tax_breakdown.constructor', expect.stringContaining('decimal')]]);
			expect(issues({ a: { b: { c: { d: '1.00' } } } })).toEqual([]);
			expect(issues({ a: { b: { c: { d: { e: '1.00' } } } } })).toEqual([['fee_tax_breakdown.a.b.c.d', 'amount breakdown nested too deeply']]);
			expect(issues({ fee: { ok: '1.00', bad: 5 } })).toEqual([['fee_tax_breakdown.fee.bad', 'expected an object of amounts']]);
			expect(issues(Object.assign(Object.create({ inherited: 'not an amount' }) as object, { fee: { a: '-0.10' } }))).toEqual([]);
			expect(issues(jsonObject([['__proto__', { a: '1.00' }]]))).toEqual([]);
		});

		it('hands on the records themselves, not copies', () => {
			const records = [{ id: '7238804564097517339', type: 'ORDER', settlement_amount: '1.00', fee_tax_breakdown: { fee: { a: '-0.10' }, tax: {} } }];
			const parsed = statementTransactionsPage.parse({ id: '7238804564097517339', currency: 'EUR', transactions: records });
			expect(parsed.transactions[0]).toBe(records[0]);
		});
	});
});
