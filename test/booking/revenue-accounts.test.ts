/**
 * The revenue-account mode (issue #12, finding 3): revenue per VAT rate, OSS sales with EU-Land and EU-Steuersatz,
 * Leistungsdatum. TikTok's Finance API carries neither rate nor destination; order details (Get Order Detail) do.
 */
import { describe, expect, it } from '@jest/globals';

import { BookingInputError, bookItems, parseBookingInput } from '../../lib/booking';
import { parseRateHundredths } from '../../lib/booking/input';
import { brief, type Json, ORDER_ID, orderTx, shipping, STATEMENT_DATE, STATEMENT_ID, statementItem } from './fixtures';

const sale = () => statementItem([orderTx({ revenue_amount: '21.40', ...shipping('-4.99', '2.99'), settlement_amount: '19.40' })]);

/** A Get Order Detail order (only the fields the engine reads, plus some it ignores). */
function orderDetail(overrides: Json = {}, rates: Array<string | number> = []): Json {
	return {
		id: ORDER_ID,
		status: 'DELIVERED',
		create_time: 1751100000,
		delivery_time: 1751300000,
		recipient_address: { region_code: 'DE', postal_code: '10115' },
		line_items: rates.length === 0 ? [{ sku_id: '1' }] : rates.map((rate, index) => ({ sku_id: String(index), item_tax: [{ tax_type: 'VAT', tax_rate: rate, tax_amount: '1.00' }] })),
		...overrides,
	};
}

const book = (items: Json[], settings: Json = {}) => bookItems(items, { chart: 'SKR03', revenueMode: 'revenueAccounts', ...settings });
const revenueLines = (result: ReturnType<typeof book>) => result.lines.filter((line) => line.source.component !== 'shipping_cost_amount');

describe('revenue accounts by VAT rate', () => {
	it("books revenue and the buyer's shipping at the shop's default rate when TikTok's data has no rate", () => {
		const result = book([sale()]);
		expect(result.lines.map(brief)).toEqual([
			'2140 S 1270/8400 BU- revenue_amount',
			'299 S 1270/8400 BU- customer_paid_shipping_fee_amount',
			'499 H 1270/4730 BU- shipping_cost_amount',
		]);
		expect(result.lines[1].text).toBe(`TikTok Versanderlös ${ORDER_ID}`);
		expect(result.warnings).toEqual([]);
		expect(revenueLines(book([sale()], { defaultVatRate: '7' })).map((line) => line.contraAccount)).toEqual(['8300', '8300']);
		expect(revenueLines(book([sale()], { chart: 'SKR04', defaultVatRate: '0' })).map((line) => line.contraAccount)).toEqual(['4200', '4200']);
	});

	it("takes the rate from the order's item_tax (7 %), in either notation", () => {
		for (const rate of ['7', '7.00', '0.07', 7]) {
			const result = book([sale(), orderDetail({}, [rate])]);
			expect(revenueLines(result).map(brief)).toEqual(['2140 S 1270/8300 BU- revenue_amount', '299 S 1270/8300 BU- customer_paid_shipping_fee_amount']);
		}
	});

	it('sends an order with items at several rates to the revenue clearing account, with a warning', () => {
		const result = book([sale(), orderDetail({}, ['19', '7'])], { accounts: { revenueClearing: '1591' } });
		expect(revenueLines(result).map(brief)).toEqual(['2140 S 1270/1591 BU- revenue_amount', '299 S 1270/1591 BU- customer_paid_shipping_fee_amount']);
		expect(result.warnings).toEqual([
			`statement ${STATEMENT_ID}, transaction 1636700041413599290 (ORDER, order ${ORDER_ID}): the order's items carry several VAT rates (7 %, 19 %); its revenue is booked on the revenue clearing account 1591`,
		]);
	});

	it('uses the revenue keys of the roles (for non-automatic revenue accounts)', () => {
		const result = book([sale()], { accounts: { revenue19: '8200' }, taxKeys: { revenue19: '3' } });
		expect(revenueLines(result).map(brief)).toEqual(['2140 S 1270/8200 BU3 revenue_amount', '299 S 1270/8200 BU3 customer_paid_shipping_fee_amount']);
	});
});

describe('EU distance sales (OSS)', () => {
	it('books an order to France on the OSS account with EU-Land FR and EU-Steuersatz 20,00', () => {
		const result = book([sale(), orderDetail({ recipient_address: { region_code: 'fr' } }, ['20'])], { chart: 'SKR04' });
		expect(revenueLines(result)).toEqual([
			expect.objectContaining({ contraAccount: '4320', taxKey: '', euCountry: 'FR', euTaxRate: 2000, amountMinor: 2140 }),
			expect.objectContaining({ contraAccount: '4320', taxKey: '', euCountry: 'FR', euTaxRate: 2000, amountMinor: 299 }),
		]);
		expect(result.warnings).toEqual([]);
	});

	it('writes Greece as EL, as DATEV wants it', () => {
		const [line] = book([sale(), orderDetail({ recipient_address: { region_code: 'GR' } }, ['0.24'])]).lines;
		expect([line.contraAccount, line.euCountry, line.euTaxRate]).toEqual(['8320', 'EL', 2400]);
	});

	it('cannot book OSS without the destination rate: revenue clearing with a warning', () => {
		const result = book([sale(), orderDetail({ recipient_address: { region_code: 'AT' } })]);
		expect(revenueLines(result).map((line) => [line.contraAccount, line.euCountry])).toEqual([['1592', undefined], ['1592', undefined]]);
		expect(result.warnings).toEqual([expect.stringContaining("the order goes to AT, but TikTok's data holds no VAT rate for it")]);
	});

	it('leaves exports outside the EU to the adviser', () => {
		const result = book([sale(), orderDetail({ recipient_address: { region_code: 'CH' } }, ['0'])]);
		expect(revenueLines(result).map((line) => line.contraAccount)).toEqual(['1592', '1592']);
		expect(result.warnings).toEqual([expect.stringContaining('the order goes to CH, outside the EU')]);
	});

	it('books EU orders like German sales below the delivery threshold', () => {
		const result = book([sale(), orderDetail({ recipient_address: { region_code: 'FR' } }, ['19'])], { euDistanceSales: 'domestic' });
		expect(revenueLines(result).map((line) => [line.contraAccount, line.euCountry])).toEqual([['8400', undefined], ['8400', undefined]]);
	});
});

describe('Leistungsdatum (column 115) and Datum Zuord. Steuerperiode (116)', () => {
	it("fills the order's delivery date, and the booking date as tax period", () => {
		// delivery_time 1751300000 = 2025-06-30 18:13 in Berlin
		const [line] = book([sale(), orderDetail()]).lines;
		expect([line.serviceDate, line.taxPeriodDate]).toEqual(['2025-06-30', STATEMENT_DATE]);
	});

	it('falls back to the order creation time TikTok settles with', () => {
		// order_create_time 1751200000 = 2025-06-29 14:26 in Berlin
		const [line] = book([sale()]).lines;
		expect([line.serviceDate, line.taxPeriodDate]).toEqual(['2025-06-29', STATEMENT_DATE]);
		const undelivered = book([sale(), orderDetail({ delivery_time: 0, create_time: 1751000000 })]).lines[0];
		expect(undelivered.serviceDate).toBe('2025-06-27');
	});

	it('fills nothing when switched off, and never on fee, shipping-cost or payout lines', () => {
		expect(book([sale()], { serviceDate: false }).lines.every((line) => line.serviceDate === undefined)).toBe(true);
		const lines = book([sale()]).lines;
		expect(lines.map((line) => line.serviceDate !== undefined)).toEqual([true, true, false]);
	});

	it('fills nothing in the other revenue modes', () => {
		for (const revenueMode of ['clearing', 'collectiveDebtor']) {
			const lines = book([sale(), orderDetail({ recipient_address: { region_code: 'FR' } }, ['20'])], { revenueMode }).lines;
			expect(lines.every((line) => line.serviceDate === undefined && line.euCountry === undefined)).toBe(true);
		}
	});
});

describe('order details in the input', () => {
	it('reads orders from a Get Order Detail envelope and from single order items', () => {
		const input = parseBookingInput([sale(), { code: 0, message: 'Success', data: { orders: [orderDetail({}, ['19'])] } }, orderDetail({ id: '576463220456522969', recipient_address: null })]);
		expect(input.orders).toEqual([
			{ item: 1, id: ORDER_ID, createTime: 1751100000, deliveryTime: 1751300000, destinationCountry: 'DE', vatRates: [1900] },
			{ item: 2, id: '576463220456522969', createTime: 1751100000, deliveryTime: 1751300000, destinationCountry: '', vatRates: [] },
		]);
	});

	it('names a rate it cannot read', () => {
		try {
			parseBookingInput([sale(), orderDetail({}, ['neunzehn'])]);
			throw new Error('expected a BookingInputError');
		} catch (error) {
			expect(error).toBeInstanceOf(BookingInputError);
			expect((error as Error).message).toBe('item 1: line_items[0].item_tax[0].tax_rate: "neunzehn" is not a VAT rate');
		}
	});

	it('needs statements or payments besides order details', () => {
		expect(() => parseBookingInput([orderDetail()])).toThrow(/holds no statements or payments/);
	});

	it('parses rates exactly', () => {
		expect(['19', '19.00', '0.19', '7', '0.07', '0', '5.5', '0.055', '100', '0.12345', '-7', 'x'].map(parseRateHundredths)).toEqual([
			1900, 1900, 1900, 700, 700, 0, 550, 550, undefined, undefined, undefined, undefined,
		]);
	});
});
