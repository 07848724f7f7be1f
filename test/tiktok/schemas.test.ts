import {
	decimalString,
	envelope,
	payment,
	statementTransactionsPage,
	statementsPage,
	tokenData,
	transaction,
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
});
