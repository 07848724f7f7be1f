/**
 * Every row of the booking model's mapping table ("TikTok item → booking lines"), in SKR03 and SKR04 and in all
 * three revenue modes. Expected accounts are written out here, independently of lib/booking/charts.ts.
 */
import { describe, expect, it } from '@jest/globals';

import { bookItems } from '../../lib/booking';
import {
	adjustmentTx,
	brief,
	feeTax,
	type Json,
	ORDER_ID,
	orderTx,
	PAID_DATE_BERLIN,
	PAYMENT_ID,
	paymentItem,
	reserveTx,
	shipping,
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
	// OPOS books the whole invoice amount (revenue + shipping the buyer paid) in one line against the debtor.
	const revenueComponent = revenueMode === 'collectiveDebtor' ? 'invoice_amount' : 'revenue_amount';
	// The revenue-account mode dates the service: order_create_time 1751200000 = 2025-06-29 14:26 in Berlin.
	const serviceDates = revenueMode === 'revenueAccounts' ? { serviceDate: '2025-06-29', taxPeriodDate: STATEMENT_DATE } : {};
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
					settlementReference: PAYMENT_ID,
					...serviceDates,
					source: {
						kind: 'transaction',
						statementId: STATEMENT_ID,
						transactionId: '1636700041413599290',
						transactionType: 'ORDER',
						orderId: ORDER_ID,
						component: revenueComponent,
					},
				},
			]);
			expect(result.warnings).toEqual([]);
			expect(result.statements[0]).toMatchObject({ status: 'ok', tiktokSettlementMinor: 11900, bookedMinor: 11900, differenceMinor: 0 });
		});

		it('reverses the direction for a refund (balance H / counter S)', () => {
			const [line] = linesOf([orderTx({ revenue_amount: '-119.00', settlement_amount: '-119.00' })]);
			expect(brief(line)).toBe(`11900 H ${a.balance}/${revenueCounter} BU- ${revenueComponent}`);
			expect(line.text).toBe(`TikTok Erstattung ${ORDER_ID}`);
		});

		it('uses the invoice-number template as Belegfeld 1 of the revenue line only in collective-debtor mode', () => {
			const lines = linesOf(
				[orderTx({ revenue_amount: '50.00', ...feeTax({ platform_commission_amount: '-5.00' }), settlement_amount: '45.00' })],
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

		it('books the shipping the buyer paid as revenue of the mode, not netted into the shipping costs (finding 3/4)', () => {
			// Issue #12, finding 3: customer_paid_shipping_fee_amount 2.99 was netted into 4730/6740. It is part of the
			// buyer's invoice: revenue (revenue mode), the debtor's invoice amount (OPOS), revenue clearing (clearing).
			const result = book([statementItem([orderTx({ revenue_amount: '20.00', ...shipping('-4.99', '2.99'), settlement_amount: '18.00' })])]);
			const expected = {
				clearing: [`2000 S ${a.balance}/${a.clearing} BU- revenue_amount`, `299 S ${a.balance}/${a.clearing} BU- customer_paid_shipping_fee_amount`],
				collectiveDebtor: [`2299 S ${a.balance}/${a.debtor} BU- invoice_amount`],
				revenueAccounts: [`2000 S ${a.balance}/${a.revenue19} BU- revenue_amount`, `299 S ${a.balance}/${a.revenue19} BU- customer_paid_shipping_fee_amount`],
			}[revenueMode];
			expect(result.lines.map(brief)).toEqual([...expected, `499 H ${a.balance}/${a.shipping} BU- shipping_cost_amount`]);
			expect(result.warnings).toEqual([]);
			expect(result.statements[0].status).toBe('ok');
		});

		it('reverses refunded customer shipping with the revenue', () => {
			const result = book([statementItem([orderTx({ revenue_amount: '-20.00', ...shipping('0.00', '-2.99'), settlement_amount: '-22.99' })])]);
			const expected = {
				clearing: [`2000 H ${a.balance}/${a.clearing} BU- revenue_amount`, `299 H ${a.balance}/${a.clearing} BU- customer_paid_shipping_fee_amount`],
				collectiveDebtor: [`2299 H ${a.balance}/${a.debtor} BU- invoice_amount`],
				revenueAccounts: [`2000 H ${a.balance}/${a.revenue19} BU- revenue_amount`, `299 H ${a.balance}/${a.revenue19} BU- customer_paid_shipping_fee_amount`],
			}[revenueMode];
			expect(result.lines.map(brief)).toEqual(expected);
		});
	});

	describe('ORDER fee_tax_amount: fees to the fee accounts with their keys, taxes never as fees', () => {
		it("books TikTok's own fees on the fee account with BU 506", () => {
			const [line] = linesOf([orderTx({ ...feeTax({ platform_commission_amount: '-9.71', transaction_fee_amount: '-1.00' }), settlement_amount: '-10.71' })]);
			expect(brief(line)).toBe(`1071 S ${a.fees}/${a.balance} BU506 fee_tax_amount`);
			expect(line.documentField1).toBe(ORDER_ID);
			expect(line.text).toBe(`TikTok Gebühren ${ORDER_ID}`);
		});

		it('reverses a refunded fee (fee H / balance S, same key)', () => {
			const [line] = linesOf([orderTx({ ...feeTax({ platform_commission_amount: '10.71' }), settlement_amount: '10.71' })]);
			expect(brief(line)).toBe(`1071 H ${a.fees}/${a.balance} BU506 fee_tax_amount`);
		});

		// Issue #12, finding 2: fee_tax_amount −14.21 held VAT, import VAT and customs and went out as one 506 fee line;
		// affiliate commissions got 506 too.
		const withTaxes = () =>
			orderTx({
				...feeTax(
					{ transaction_fee_amount: '-1.00', platform_commission_amount: '-9.00', affiliate_commission_amount: '-0.71', sfp_service_fee_amount: '0.00' },
					{ vat_amount: '-2.00', import_vat_amount: '-1.00', customs_duty_amount: '-0.50', local_vat_amount: '0' },
				),
				settlement_amount: '-14.21',
			});

		it('splits fee_tax_amount into fees by account and key, and one keyless line per tax (finding 2)', () => {
			const result = book([statementItem([withTaxes()])]);
			expect(result.lines.map(brief)).toEqual([
				`1000 S ${a.fees}/${a.balance} BU506 fee_tax_amount`,
				`71 S ${a.commissions}/${a.balance} BU- fee_tax_amount`,
				`50 S ${a.clearing}/${a.balance} BU- tax:customs_duty_amount`,
				`100 S ${a.clearing}/${a.balance} BU- tax:import_vat_amount`,
				`200 S ${a.clearing}/${a.balance} BU- tax:vat_amount`,
			]);
			expect(result.lines.map((line) => line.text)).toEqual([
				`TikTok Gebühren ${ORDER_ID}`,
				`TikTok Affiliate-Provision ${ORDER_ID}`,
				`TikTok Zoll ${ORDER_ID}`,
				`TikTok Einfuhrumsatzsteuer ${ORDER_ID}`,
				`TikTok einbehaltene USt ${ORDER_ID}`,
			]);
			expect(result.warnings).toEqual([]);
			expect(result.statements[0].status).toBe('ok');
		});

		it('books one line per fee type in that mode, the taxes again without key (finding 2)', () => {
			const result = book([statementItem([withTaxes()])], { feeLines: 'perFeeType' });
			expect(result.lines.map(brief)).toEqual([
				`900 S ${a.fees}/${a.balance} BU506 fee:platform_commission_amount`,
				`100 S ${a.fees}/${a.balance} BU506 fee:transaction_fee_amount`,
				`71 S ${a.commissions}/${a.balance} BU- fee:affiliate_commission_amount`,
				`50 S ${a.clearing}/${a.balance} BU- tax:customs_duty_amount`,
				`100 S ${a.clearing}/${a.balance} BU- tax:import_vat_amount`,
				`200 S ${a.clearing}/${a.balance} BU- tax:vat_amount`,
			]);
			expect(result.warnings).toEqual([]);
		});

		it('books the taxes on the withheld-taxes account when one is set, and never with a key', () => {
			const result = book([statementItem([withTaxes()])], {
				accounts: { withheldTaxes: '1799' },
				feeTypes: { vat_amount: { account: '1433' } },
			});
			expect(result.lines.filter((line) => line.source.component.startsWith('tax:')).map(brief)).toEqual([
				`50 S 1799/${a.balance} BU- tax:customs_duty_amount`,
				`100 S 1799/${a.balance} BU- tax:import_vat_amount`,
				`200 S 1433/${a.balance} BU- tax:vat_amount`,
			]);
		});

		it('takes account and key per fee type from Fee Types, and the fee key from the settings (finding 1)', () => {
			const result = book([statementItem([withTaxes()])], {
				taxKeys: { fees: '9' },
				feeTypes: { transaction_fee_amount: { account: '4971', taxKey: '' }, affiliate_commission_amount: { taxKey: '506' } },
			});
			expect(result.lines.filter((line) => line.source.component === 'fee_tax_amount').map(brief)).toEqual([
				`900 S ${a.fees}/${a.balance} BU9 fee_tax_amount`,
				`100 S 4971/${a.balance} BU- fee_tax_amount`,
				`71 S ${a.commissions}/${a.balance} BU506 fee_tax_amount`,
			]);
		});

		it('books an unknown fee field on the fee account without a key, with a warning', () => {
			const result = book([statementItem([orderTx({ ...feeTax({ platform_commission_amount: '-1.00', brand_new_fee_amount: '-0.40' }), settlement_amount: '-1.40' })])]);
			expect(result.lines.map(brief)).toEqual([
				`100 S ${a.fees}/${a.balance} BU506 fee_tax_amount`,
				`40 S ${a.fees}/${a.balance} BU- fee:brand_new_fee_amount`,
			]);
			expect(result.lines[1].text).toBe(`TikTok Gebühr brand_new_fee ${ORDER_ID}`);
			expect(result.warnings).toEqual([
				`statement ${STATEMENT_ID}: fee field "brand_new_fee_amount" is not known; it is booked on account ${a.fees} without a tax key (add it under Fee Types to choose its account and key)`,
			]);
		});

		it('books fee_tax_amount without a breakdown on the fee account without a key, with a warning', () => {
			const result = book([statementItem([orderTx({ fee_tax_amount: '-10.71', settlement_amount: '-10.71' })])]);
			expect(result.lines.map(brief)).toEqual([`1071 S ${a.fees}/${a.balance} BU- fee:rest`]);
			expect(result.warnings).toEqual([expect.stringContaining('fee_tax_amount comes without fee_tax_breakdown, so fees and taxes cannot be told apart')]);
			expect(result.statements[0].status).toBe('ok');
		});

		it('books the part of fee_tax_amount the breakdown does not explain as its own keyless line, with a warning', () => {
			// breakdown: −1.00 − 9.00 − 0.71 − 3.50 = −14.21; fee_tax_amount −14.40 → rest −0.19 on the fee account
			const transaction = withTaxes();
			transaction.fee_tax_amount = '-14.40';
			transaction.settlement_amount = '-14.40';
			const result = book([statementItem([transaction])], { feeLines: 'perFeeType' });
			expect(result.lines.map(brief).slice(-1)).toEqual([`19 S ${a.fees}/${a.balance} BU- fee:rest`]);
			expect(result.lines.reduce((sum, line) => sum + line.amountMinor, 0)).toBe(1440);
			expect(result.warnings).toEqual([expect.stringContaining('fee_tax_breakdown sums to -14.21 but fee_tax_amount is -14.40')]);
			expect(result.statements[0].status).toBe('ok');
		});

		it("reads a breakdown of magnitudes (TikTok's documented example) with the sign of fee_tax_amount", () => {
			const result = book([
				statementItem([
					orderTx({
						fee_tax_amount: '-12.00',
						fee_tax_breakdown: { fee: { platform_commission_amount: '9.00', affiliate_commission_amount: '1.00' }, tax: { vat_amount: '2.00' } },
						settlement_amount: '-12.00',
					}),
				]),
			]);
			expect(result.lines.map(brief)).toEqual([
				`900 S ${a.fees}/${a.balance} BU506 fee_tax_amount`,
				`100 S ${a.commissions}/${a.balance} BU- fee_tax_amount`,
				`200 S ${a.clearing}/${a.balance} BU- tax:vat_amount`,
			]);
			expect(result.warnings).toEqual([]);
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
				statementItem([orderTx({ revenue_amount: '119.00', ...feeTax({ platform_commission_amount: '-10.71' }), settlement_amount: '108.30' })]),
			]);
			expect(result.lines.map(brief)).toEqual([
				`11900 S ${a.balance}/${revenueCounter} BU- ${revenueComponent}`,
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
				`10000 S ${a.balance}/${revenueCounter} BU- ${revenueComponent}`,
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
				...feeTax({ platform_commission_amount: '-10.71' }),
				adjustment_amount: '-0.50',
				settlement_amount: '102.80',
				reserve_amount: '-20.00',
				reserve_status: 'COLLECTED',
			}),
		]);
		expect(lines.map(brief)).toEqual([
			`11900 S ${a.balance}/${revenueCounter} BU- ${revenueComponent}`,
			`499 H ${a.balance}/${a.shipping} BU- shipping_cost_amount`,
			`1071 S ${a.fees}/${a.balance} BU506 fee_tax_amount`,
			`50 H ${a.balance}/${a.clearing} BU- adjustment_amount`,
			`2000 S ${a.reserve}/${a.balance} BU- reserve_amount`,
		]);
	});
});
