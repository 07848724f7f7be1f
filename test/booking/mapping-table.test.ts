/**
 * Every row of the booking model's mapping table ("TikTok item → booking lines"), in SKR03 and SKR04 and in all
 * three revenue modes. Expected accounts are written out here, independently of lib/booking/charts.ts.
 */
import { describe, expect, it } from '@jest/globals';

import { bookItems } from '../../lib/booking';
import {
	adjustmentTx,
	brief,
	type Json,
	ORDER_ID,
	orderTx,
	PAID_DATE_BERLIN,
	PAYMENT_ID,
	paymentItem,
	reserveTx,
	STATEMENT_DATE,
	STATEMENT_ID,
	statementItem,
} from './fixtures';

const ACCOUNTS = {
	SKR03: {
		balance: '1270',
		transit: '1366',
		reserve: '1590',
		clearing: '1592',
		fees: '4970',
		revenue19: '8400',
		debtor: '10000',
		shipping: '4730',
		advertising: '4600',
		commissions: '4760',
	},
	SKR04: {
		balance: '1870',
		transit: '1466',
		reserve: '1379',
		clearing: '1372',
		fees: '6855',
		revenue19: '4400',
		debtor: '10000',
		shipping: '6740',
		advertising: '6600',
		commissions: '6770',
	},
} as const;

const MODES = ['clearing', 'collectiveDebtor', 'revenueAccounts'] as const;

const CASES = (['SKR03', 'SKR04'] as const).flatMap((chart) => MODES.map((mode) => [chart, mode] as const));

describe.each(CASES)('%s, revenue mode %s', (chart, revenueMode) => {
	const a = ACCOUNTS[chart];
	const revenueCounter = { clearing: a.clearing, collectiveDebtor: a.debtor, revenueAccounts: a.revenue19 }[revenueMode];
	const book = (items: Json[], settings: Json = {}) => bookItems(items, { chart, revenueMode, ...settings });
	const linesOf = (transactions: Json[], settings: Json = {}) => book([statementItem(transactions)], settings).lines;

	describe('ORDER revenue_amount: balance ↔ revenue counter-account of the mode', () => {
		it('books a sale as balance S / counter H, gross, without tax key, with the order id', () => {
			const result = book([statementItem([orderTx({ revenue_amount: '119.00', settlement_amount: '119.00' })])]);
			expect(result.lines).toEqual([
				{
					amountMinor: 11900,
					currency: 'EUR',
					side: 'S',
					account: a.balance,
					contraAccount: revenueCounter,
					taxKey: '',
					date: STATEMENT_DATE,
					documentField1: ORDER_ID,
					documentField2: '',
					text: `TikTok Umsatz ${ORDER_ID}`,
					orderNumber: ORDER_ID,
					settlementReference: STATEMENT_ID,
					source: {
						kind: 'transaction',
						statementId: STATEMENT_ID,
						transactionId: '1636700041413599290',
						transactionType: 'ORDER',
						orderId: ORDER_ID,
						component: 'revenue_amount',
					},
				},
			]);
			expect(result.warnings).toEqual([]);
			expect(result.statements[0]).toMatchObject({ status: 'ok', tiktokSettlementMinor: 11900, bookedMinor: 11900, differenceMinor: 0 });
		});

		it('reverses the direction for a refund (balance H / counter S)', () => {
			const [line] = linesOf([orderTx({ revenue_amount: '-119.00', settlement_amount: '-119.00' })]);
			expect(brief(line)).toBe(`11900 H ${a.balance}/${revenueCounter} BU- revenue_amount`);
			expect(line.text).toBe(`TikTok Erstattung ${ORDER_ID}`);
		});

		it('uses the invoice-number template as Belegfeld 1 of the revenue line only in collective-debtor mode', () => {
			const lines = linesOf(
				[orderTx({ revenue_amount: '50.00', fee_tax_amount: '-5.00', settlement_amount: '45.00' })],
				{ templates: { invoiceNumber: 'RE-{orderId}' } },
			);
			expect(lines.map((line) => line.documentField1)).toEqual([
				revenueMode === 'collectiveDebtor' ? `RE-${ORDER_ID}` : ORDER_ID,
				ORDER_ID,
			]);
		});
	});

	describe('ORDER shipping_cost_amount: balance ↔ shipping account', () => {
		it('books shipping costs as balance H / shipping and a shipping credit as balance S', () => {
			const lines = linesOf([
				orderTx({ id: '1', shipping_cost_amount: '-4.99', settlement_amount: '-4.99' }),
				orderTx({ id: '2', shipping_cost_amount: '2.99', settlement_amount: '2.99' }),
			]);
			expect(lines.map(brief)).toEqual([
				`499 H ${a.balance}/${a.shipping} BU- shipping_cost_amount`,
				`299 S ${a.balance}/${a.shipping} BU- shipping_cost_amount`,
			]);
		});
	});

	describe('ORDER fee_tax_amount: fee account S / balance H with the fee tax key', () => {
		it('books the fee total on the fee account with BU 506', () => {
			const [line] = linesOf([orderTx({ fee_tax_amount: '-10.71', settlement_amount: '-10.71' })]);
			expect(brief(line)).toBe(`1071 S ${a.fees}/${a.balance} BU506 fee_tax_amount`);
			expect(line.documentField1).toBe(ORDER_ID);
		});

		it('reverses a refunded fee (fee H / balance S, same key)', () => {
			const [line] = linesOf([orderTx({ fee_tax_amount: '10.71', settlement_amount: '10.71' })]);
			expect(brief(line)).toBe(`1071 H ${a.fees}/${a.balance} BU506 fee_tax_amount`);
		});

		const breakdownTx = (feeTax: string) =>
			orderTx({
				fee_tax_amount: feeTax,
				settlement_amount: feeTax,
				fee_tax_breakdown: {
					fee: {
						transaction_fee_amount: '-1.00',
						platform_commission_amount: '-9.00',
						affiliate_commission_amount: '-0.71',
						sfp_service_fee_amount: '0.00',
					},
					tax: { local_vat_amount: '-0.10', vat_amount: '0' },
				},
			});
		const perFeeType = {
			feeLines: 'perFeeType',
			feeTypes: {
				affiliate_commission_amount: { account: 'salesCommissions', taxKey: '' },
				local_vat_amount: { taxKey: '9' },
			},
		};

		it('books one line per fee type with its own account and key (fee types first, then taxes, by name)', () => {
			const result = book([statementItem([breakdownTx('-10.81')])], perFeeType);
			expect(result.lines.map(brief)).toEqual([
				`71 S ${a.commissions}/${a.balance} BU- fee:affiliate_commission_amount`,
				`900 S ${a.fees}/${a.balance} BU506 fee:platform_commission_amount`,
				`100 S ${a.fees}/${a.balance} BU506 fee:transaction_fee_amount`,
				`10 S ${a.fees}/${a.balance} BU9 tax:local_vat_amount`,
			]);
			expect(result.warnings).toEqual([]);
		});

		it('books the part of fee_tax_amount the breakdown does not explain as its own line, with a warning', () => {
			// breakdown: −1.00 − 9.00 − 0.71 − 0.10 = −10.81; fee_tax_amount −11.00 → rest −0.19 on the fee account
			const result = book([statementItem([breakdownTx('-11.00')])], perFeeType);
			expect(result.lines.map(brief).slice(-1)).toEqual([`19 S ${a.fees}/${a.balance} BU506 fee:rest`]);
			expect(result.lines.reduce((sum, line) => sum + line.amountMinor, 0)).toBe(1100);
			expect(result.warnings).toEqual([expect.stringContaining('fee_tax_breakdown sums to -10.81 but fee_tax_amount is -11.00')]);
			expect(result.statements[0].status).toBe('ok');
		});

		it('books one total line in the default mode even when a breakdown is present', () => {
			const lines = linesOf([breakdownTx('-10.81')]);
			expect(lines.map(brief)).toEqual([`1081 S ${a.fees}/${a.balance} BU506 fee_tax_amount`]);
		});
	});

	describe('ORDER adjustment_amount: balance ↔ clearing', () => {
		it('books an order adjustment against the clearing account in both directions', () => {
			const lines = linesOf([
				orderTx({ id: '1', adjustment_amount: '-1.50', settlement_amount: '-1.50' }),
				orderTx({ id: '2', adjustment_amount: '2.00', settlement_amount: '2.00' }),
			]);
			expect(lines.map(brief)).toEqual([
				`150 H ${a.balance}/${a.clearing} BU- adjustment_amount`,
				`200 S ${a.balance}/${a.clearing} BU- adjustment_amount`,
			]);
		});
	});

	describe('RESERVE: withheld reserve S / balance H; released balance S / reserve H', () => {
		it('books withheld and released reserves with the statement id as Belegfeld 1', () => {
			const result = book([
				statementItem([reserveTx('-20.00', 'COLLECTED', { id: '1' }), reserveTx('20.00', 'RELEASED', { id: '2' })]),
			]);
			expect(result.lines.map(brief)).toEqual([
				`2000 S ${a.reserve}/${a.balance} BU- reserve_amount`,
				`2000 S ${a.balance}/${a.reserve} BU- reserve_amount`,
			]);
			expect(result.lines.map((line) => [line.documentField1, line.orderNumber, line.text])).toEqual([
				[STATEMENT_ID, '', 'TikTok Einbehalt 1'],
				[STATEMENT_ID, '', 'TikTok Freigabe 2'],
			]);
			expect(result.statements[0]).toMatchObject({ tiktokReserveMinor: 0, bookedReserveMinor: 0, status: 'ok' });
		});

		it('follows the sign when reserve_status contradicts it, with a warning', () => {
			const result = book([statementItem([reserveTx('-20.00', 'RELEASED')])]);
			expect(result.lines.map(brief)).toEqual([`2000 S ${a.reserve}/${a.balance} BU- reserve_amount`]);
			expect(result.warnings).toEqual([expect.stringContaining('contradicts reserve_status RELEASED')]);
		});
	});

	describe('adjustment types: balance ↔ mapped account, else clearing; never dropped', () => {
		const settings = { adjustmentTypes: { GMV_PAYMENT_FOR_ADS: { account: 'advertising', taxKey: '506' } } };

		it('books a mapped type on its account and key', () => {
			const [line] = linesOf([adjustmentTx('GMV_PAYMENT_FOR_ADS', '-45.00')], settings);
			expect(brief(line)).toBe(`4500 H ${a.balance}/${a.advertising} BU506 adjustment_amount`);
			expect(line.documentField1).toBe(STATEMENT_ID);
			expect(line.text).toBe('TikTok GMV_PAYMENT_FOR_ADS 7012345678901234567');
		});

		it('books a known but unmapped type on the clearing account without a warning', () => {
			const result = book([statementItem([adjustmentTx('PLATFORM_PENALTY', '-12.00')])], settings);
			expect(result.lines.map(brief)).toEqual([`1200 H ${a.balance}/${a.clearing} BU- adjustment_amount`]);
			expect(result.warnings).toEqual([]);
		});

		it('books an unknown type on the clearing account with a warning', () => {
			const result = book([statementItem([adjustmentTx('NEW_PROGRAM_BONUS', '15.00')])], settings);
			expect(result.lines.map(brief)).toEqual([`1500 S ${a.balance}/${a.clearing} BU- adjustment_amount`]);
			expect(result.warnings).toEqual([expect.stringContaining('unknown transaction type "NEW_PROGRAM_BONUS"')]);
		});

		it('uses the adjustment order id as Belegfeld 1 and Auftragsnummer of a chargeback', () => {
			const [line] = linesOf([adjustmentTx('CHARGE_BACK', '-39.90', { adjustment_order_id: ORDER_ID })]);
			expect(brief(line)).toBe(`3990 H ${a.balance}/${a.clearing} BU- adjustment_amount`);
			expect([line.documentField1, line.orderNumber, line.source.orderId]).toEqual([ORDER_ID, ORDER_ID, ORDER_ID]);
		});

		it('books the settlement amount on the mapped account when adjustment_amount is absent', () => {
			const transaction = adjustmentTx('GMV_PAYMENT_FOR_ADS', '-45.00');
			delete transaction.adjustment_amount;
			const result = book([statementItem([transaction])], settings);
			expect(result.lines.map(brief)).toEqual([`4500 H ${a.balance}/${a.advertising} BU506 adjustment_amount`]);
			expect(result.warnings).toEqual([]);
		});
	});

	describe('payment (payout): transit S / balance H on the paid date', () => {
		it('books the payout with the payment id as Belegfeld 1 and Abrechnungsreferenz', () => {
			const result = book([paymentItem()]);
			expect(result.lines).toEqual([
				expect.objectContaining({
					amountMinor: 10829,
					side: 'S',
					account: a.transit,
					contraAccount: a.balance,
					taxKey: '',
					date: PAID_DATE_BERLIN,
					documentField1: PAYMENT_ID,
					orderNumber: '',
					settlementReference: PAYMENT_ID,
					text: `TikTok Auszahlung ${PAYMENT_ID}`,
					source: { kind: 'payment', paymentId: PAYMENT_ID, component: 'amount' },
				}),
			]);
			expect(result.payments).toEqual([
				{ paymentId: PAYMENT_ID, currency: 'EUR', date: PAID_DATE_BERLIN, amountMinor: 10829, warnings: [] },
			]);
		});

		it('books a negative payout (bank debit for a negative balance) as transit H / balance S', () => {
			const result = book([paymentItem({ amount: { value: '-5.00', currency: 'EUR' }, settlement_amount: undefined, payment_amount_before_exchange: undefined })]);
			expect(result.lines.map(brief)).toEqual([`500 H ${a.transit}/${a.balance} BU- amount`]);
		});

		it('does not book a payment that is not paid yet, and says so', () => {
			const result = book([paymentItem({ status: 'PROCESSING', paid_time: 0 })]);
			expect(result.lines).toEqual([]);
			expect(result.skipped).toEqual([expect.objectContaining({ kind: 'payment', id: PAYMENT_ID, reason: 'not paid' })]);
			expect(result.warnings).toEqual([expect.stringContaining('has status PROCESSING')]);
		});
	});

	describe('mismatches go to the clearing account with a warning', () => {
		it('books the unexplained part of a transaction settlement as balance ↔ clearing', () => {
			// 119.00 − 10.71 = 108.29, but TikTok says 108.30: +0.01 to clearing
			const result = book([
				statementItem([orderTx({ revenue_amount: '119.00', fee_tax_amount: '-10.71', settlement_amount: '108.30' })]),
			]);
			expect(result.lines.map(brief)).toEqual([
				`11900 S ${a.balance}/${revenueCounter} BU- revenue_amount`,
				`1071 S ${a.fees}/${a.balance} BU506 fee_tax_amount`,
				`1 S ${a.balance}/${a.clearing} BU- difference`,
			]);
			expect(result.warnings).toEqual([
				expect.stringContaining('components sum to 108.29 but settlement_amount is 108.30 EUR; the difference 0.01'),
			]);
			expect(result.statements[0]).toMatchObject({
				tiktokSettlementMinor: 10830,
				bookedMinor: 10829,
				differenceMinor: 1,
				status: 'difference',
			});
		});

		it('books a statement whose transactions do not add up to its settlement at statement level', () => {
			const result = book([
				statementItem([orderTx({ revenue_amount: '100.00', settlement_amount: '100.00' })], { settlement_amount: '101.71' }),
			]);
			expect(result.lines.map(brief)).toEqual([
				`10000 S ${a.balance}/${revenueCounter} BU- revenue_amount`,
				`171 S ${a.balance}/${a.clearing} BU- statement_difference`,
			]);
			expect(result.lines[1]).toMatchObject({
				documentField1: STATEMENT_ID,
				orderNumber: '',
				source: { kind: 'statement', statementId: STATEMENT_ID, component: 'statement_difference' },
			});
			expect(result.statements[0]).toMatchObject({ differenceMinor: 171, status: 'difference' });
			expect(result.warnings).toEqual([expect.stringContaining('the difference 1.71 EUR is booked on the clearing account')]);
		});

		it('books a total_reserve_amount the reserve lines do not explain as balance ↔ clearing', () => {
			const result = book([statementItem([reserveTx('-20.00', 'COLLECTED')], { total_reserve_amount: '-25.00' })]);
			expect(result.lines.map(brief)).toEqual([
				`2000 S ${a.reserve}/${a.balance} BU- reserve_amount`,
				`500 H ${a.balance}/${a.clearing} BU- reserve_difference`,
			]);
			expect(result.statements[0]).toMatchObject({ tiktokReserveMinor: -2500, bookedReserveMinor: -2000, status: 'difference' });
		});
	});

	it('produces no line for zero amounts', () => {
		const result = book([
			statementItem([
				orderTx({
					fee_tax_breakdown: { fee: { platform_commission_amount: '0.00' }, tax: {} },
					revenue_amount: '0.00',
					shipping_cost_amount: '-0',
				}),
			]),
		], { feeLines: 'perFeeType' });
		expect(result.lines).toEqual([]);
		expect(result.statements[0]).toMatchObject({ status: 'ok', lineCount: 0, transactionCount: 1 });
	});

	it('books a complete order in the documented order: revenue, shipping, fees, adjustment, reserve', () => {
		// 119.00 − 4.99 − 10.71 − 0.50 = 102.80
		const lines = linesOf([
			orderTx({
				revenue_amount: '119.00',
				shipping_cost_amount: '-4.99',
				fee_tax_amount: '-10.71',
				adjustment_amount: '-0.50',
				settlement_amount: '102.80',
				reserve_amount: '-20.00',
				reserve_status: 'COLLECTED',
			}),
		]);
		expect(lines.map(brief)).toEqual([
			`11900 S ${a.balance}/${revenueCounter} BU- revenue_amount`,
			`499 H ${a.balance}/${a.shipping} BU- shipping_cost_amount`,
			`1071 S ${a.fees}/${a.balance} BU506 fee_tax_amount`,
			`50 H ${a.balance}/${a.clearing} BU- adjustment_amount`,
			`2000 S ${a.reserve}/${a.balance} BU- reserve_amount`,
		]);
	});
});
