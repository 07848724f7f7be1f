/** Input validation and the raw TikTok shapes the engine accepts. */
import { describe, expect, it } from '@jest/globals';

import { BookingInputError, bookItems, parseBookingInput } from '../../lib/booking';
import { adjustmentTx, type Json, orderTx, PAYMENT_ID, paymentItem, reserveTx, STATEMENT_ID, statementItem } from './fixtures';

function inputError(items: unknown[]): string {
	try {
		parseBookingInput(items);
	} catch (error) {
		expect(error).toBeInstanceOf(BookingInputError);
		return (error as Error).message;
	}
	throw new Error('expected a BookingInputError');
}

const sale = orderTx({ revenue_amount: '10.00', settlement_amount: '10.00' });

describe('bad input gives errors naming the item and the field', () => {
	it('rejects an empty input', () => {
		expect(inputError([])).toBe('item 0: the input is empty: there is nothing to book');
	});

	it('rejects an amount with more decimals than the currency has', () => {
		const items = [paymentItem(), paymentItem(), paymentItem(), statementItem([sale, sale, orderTx({ fee_tax_amount: '12.345' })])];
		items[3].settlement_amount = '20.00';
		const transactions = items[3].transactions as Json[];
		const message = inputError(items);
		expect(transactions).toHaveLength(3);
		expect(message).toBe('item 3: transactions[2].fee_tax_amount: "12.345" has more than 2 decimals for EUR');
	});

	it('rejects non-numeric amounts, including numbers in exponent notation', () => {
		const message = inputError([
			statementItem([orderTx({ revenue_amount: 'abc' }), orderTx({ shipping_cost_amount: '1e3' }), orderTx({ adjustment_amount: '1,50' })], {
				settlement_amount: '0',
			}),
		]);
		expect(message.split('\n')).toEqual([
			'item 0: transactions[0].revenue_amount: "abc" is not a decimal amount',
			'item 0: transactions[1].shipping_cost_amount: "1e3" is not a decimal amount',
			'item 0: transactions[2].adjustment_amount: "1,50" is not a decimal amount',
		]);
	});

	it('rejects a wrong type with the expected type', () => {
		const message = inputError([statementItem([orderTx({ revenue_amount: true })], { settlement_amount: '0' })]);
		expect(message).toBe('item 0: transactions[0].revenue_amount: expected string or number');
	});

	it('rejects missing required fields', () => {
		const transaction = orderTx();
		delete transaction.settlement_amount;
		delete transaction.type;
		const statement = statementItem([transaction], { settlement_amount: '0' });
		delete statement.currency;
		const payment = paymentItem();
		delete payment.amount;
		expect(inputError([statement, payment]).split('\n')).toEqual([
			'item 0: currency: is missing',
			'item 0: transactions[0].type: is missing',
			'item 1: amount: is missing',
		]);
		// with the structure fixed, the missing settlement amount is reported
		transaction.type = 'ORDER';
		statement.currency = 'EUR';
		expect(inputError([statement])).toBe('item 0: transactions[0].settlement_amount: is missing');
	});

	it('rejects a statement with neither settlement_amount nor total_settlement_amount', () => {
		const statement = statementItem([sale]);
		delete statement.settlement_amount;
		expect(inputError([statement])).toBe(
			'item 0: settlement_amount: is missing (neither settlement_amount nor total_settlement_amount given)',
		);
	});

	it('rejects an unknown currency, on statements and on payments', () => {
		const message = inputError([
			statementItem([sale], { currency: 'XYZ' }),
			paymentItem({ amount: { value: '1.00', currency: 'ABC' } }),
		]);
		expect(message.split('\n')).toEqual(['item 0: currency: unknown currency "XYZ"', 'item 1: amount.currency: unknown currency "ABC"']);
	});

	it('rejects numeric ids, which have lost precision already', () => {
		const message = inputError([statementItem([orderTx({ id: Number('1636700041413599290') })])]);
		expect(message).toBe('item 0: transactions[0].id: must be a string (TikTok ids exceed number precision)');
	});

	it('rejects a paid payment without any time', () => {
		expect(inputError([paymentItem({ paid_time: 0, create_time: undefined })])).toBe(
			'item 0: paid_time: is missing (a paid payment needs paid_time or create_time for its Belegdatum)',
		);
	});

	it('rejects what is neither a statement, a payment nor an order', () => {
		expect(inputError([{ hello: 'world' }, 'text'])).toBe(
			[
				'item 0: is neither a TikTok statement (with transactions), a payment nor an order',
				'item 1: expected a TikTok statement or payment object, got string',
			].join('\n'),
		);
	});

	it('rejects an API error envelope', () => {
		expect(inputError([{ code: 105002, message: 'Access token is expired', data: {} }])).toBe(
			'item 0: code: the TikTok response is an error (code 105002: Access token is expired)',
		);
	});

	it('rejects a statement without its transactions with a hint to include them', () => {
		const statement = statementItem([sale]);
		delete statement.transactions;
		expect(inputError([statement])).toBe(
			`item 0: statement ${STATEMENT_ID} has no transactions. Enable "Include Transactions" in the TikTok Shop node ` +
				"(or pass the Get Transactions by Statement response): a statement's totals alone cannot be booked per order, fee and reserve",
		);
	});

	it('reports every problem, capped at 50 lines', () => {
		const transactions = Array.from({ length: 60 }, () => orderTx({ revenue_amount: 'x' }));
		const lines = inputError([statementItem([], { transactions, settlement_amount: '0' })]).split('\n');
		expect(lines).toHaveLength(51);
		expect(lines[50]).toBe('… and 10 more');
	});
});

describe('accepted shapes', () => {
	it('accepts JSON numbers and empty strings for optional amounts', () => {
		const input = parseBookingInput([
			statementItem([orderTx({ revenue_amount: 12.5, fee_tax_amount: '', settlement_amount: '12.50', adjustment_amount: null })]),
		]);
		expect(input.statements[0].transactions[0]).toMatchObject({ revenueMinor: 1250, feeTaxMinor: 0, adjustmentMinor: undefined });
	});

	it('ignores unknown fields such as the fetch node\'s *_iso strings', () => {
		const input = parseBookingInput([statementItem([sale], { statement_time_iso: '2025-07-01T00:00:00Z', extra: { a: 1 } })]);
		expect(input.statements).toHaveLength(1);
	});

	it('unwraps a Get Transactions by Statement envelope into a statement', () => {
		const data = {
			id: STATEMENT_ID,
			create_time: 1751328000,
			status: 'SETTLED',
			currency: 'EUR',
			payable_amount: '-10.00',
			total_reserve_amount: '-20.00',
			total_settlement_amount: '10.00',
			total_count: 2,
			next_page_token: '',
			transactions: [sale, reserveTx('-20.00', 'COLLECTED')],
		};
		const input = parseBookingInput([{ code: 0, message: 'Success', request_id: 'r', data }]);
		expect(input.statements[0]).toMatchObject({
			id: STATEMENT_ID,
			time: 1751328000,
			settlementMinor: 1000,
			totalReserveMinor: -2000,
		});
	});

	it('unwraps a Get Payments envelope into payments', () => {
		const data = { next_page_token: '', payments: [paymentItem(), paymentItem({ id: '2', status: 'PROCESSING', paid_time: 0 })] };
		const input = parseBookingInput([{ code: 0, message: 'Success', data }]);
		expect(input.payments.map((payment) => [payment.id, payment.status, payment.paidTime])).toEqual([
			[PAYMENT_ID, 'PAID', 1751495400],
			['2', 'PROCESSING', undefined],
		]);
	});

	it('rejects a Get Statements list without transactions, naming each statement', () => {
		const listed = statementItem([]);
		delete listed.transactions;
		const message = inputError([{ code: 0, data: { statements: [listed, { ...listed, id: '42' }] } }]);
		expect(message.split('\n')).toEqual([
			expect.stringMatching(new RegExp(`^item 0: data\\.statements\\[0\\]: statement ${STATEMENT_ID} has no transactions\\. Enable`)),
			expect.stringMatching(/^item 0: data\.statements\[1\]: statement 42 has no transactions\. Enable/),
		]);
	});

	it('accepts a Get Statements list whose statements carry their transactions', () => {
		const input = parseBookingInput([{ code: 0, data: { statements: [statementItem([sale]), statementItem([], { id: '42' })] } }]);
		expect(input.statements.map((statement) => statement.id)).toEqual([STATEMENT_ID, '42']);
	});

	it('reports paths inside envelopes', () => {
		const message = inputError([{ code: 0, data: { payments: [paymentItem({ amount: { value: '1.005', currency: 'EUR' } })] } }]);
		expect(message).toBe('item 0: data.payments[0].amount.value: "1.005" has more than 2 decimals for EUR');
	});

	it('books an empty statement (no transactions, settlement 0) without lines', () => {
		const result = bookItems([statementItem([])]);
		expect(result.lines).toEqual([]);
		expect(result.statements[0]).toMatchObject({ status: 'ok', transactionCount: 0 });
	});

	it('rejects an input that holds nothing to book', () => {
		expect(inputError([{ code: 0, data: { statements: [], next_page_token: '' } }])).toBe(
			'item 0: the input holds no statements or payments: there is nothing to book',
		);
	});

	it('parses 0-decimal currencies exactly', () => {
		const input = parseBookingInput([statementItem([adjustmentTx('REBATE', '1500')], { currency: 'JPY', settlement_amount: '1500' })]);
		expect(input.statements[0].transactions[0].settlementMinor).toBe(1500);
	});

	it('keeps payment amounts before exchange', () => {
		const input = parseBookingInput([paymentItem({ payment_amount_before_exchange: { value: '100.00', currency: 'GBP' } })]);
		expect(input.payments[0].beforeExchange).toEqual({ currency: 'GBP', minor: 10000 });
	});
});
