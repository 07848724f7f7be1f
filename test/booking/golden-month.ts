/**
 * A June 2025 written by hand (not generated): two statements, one payout and three order details of a German shop.
 * It holds what a tax adviser checks first: a domestic 19 % order with shipping the buyer paid and an affiliate
 * commission, a 7 % order that is refunded later, a cross-border order to France (OSS, 20 %) on which TikTok
 * withholds VAT, a fee field TikTok added after this version (green_logistics_fee_amount), a reserve withheld and
 * released, and an ads payment.
 *
 *   ST-A 2025-06-11T00:00Z (covers 06-10), paid by P1:
 *     O1  revenue 49.90, shipping −4.99 label + 3.99 buyer, fees −4.49 commission −0.50 transaction −4.99 affiliate
 *         = 49.90 − 1.00 − 9.98 = 38.92
 *     O2  revenue 15.00, shipping −3.50, fees −1.35 commission −0.15 transaction = 15.00 − 3.50 − 1.50 = 10.00
 *     O3  revenue 30.00, shipping −6.90 label + 4.90 buyer, fees −2.70 −0.30 −0.40 (unknown field), tax vat −0.57
 *         = 30.00 − 2.00 − 3.97 = 24.03
 *     reserve −10.00 withheld                                  settlement 72.95, reserve −10.00, payable 62.95
 *   P1 paid 2025-06-12T10:00Z: 62.95
 *   ST-B 2025-06-21T00:00Z (covers 06-20):
 *     GMV_PAYMENT_FOR_ADS −12.00, reserve +10.00 released,
 *     O2 refunded: revenue −15.00, fees +1.35 +0.15 back, −0.27 refund administration fee = −13.77
 *                                                             settlement −25.77, reserve +10.00
 */
import { type Json, paymentItem } from './fixtures';

export const ST_A = '7250000000000000011';
export const ST_B = '7250000000000000021';
export const P1 = '3450000000000000012';
export const O1 = '576500000000000001';
export const O2 = '576500000000000002';
export const O3 = '576500000000000003';
export const RESERVE_WITHHELD = '1600000000000000004';
export const RESERVE_RELEASED = '1600000000000000007';
export const ADS_ADJUSTMENT = '7050000000000000006';

const JUNE_1 = 1748772000; // 2025-06-01T10:00Z
const JUNE_2 = 1748858400;
const JUNE_3 = 1748944800;

function order(id: string, orderId: string, createTime: number, fields: Json): Json {
	return { id, type: 'ORDER', order_id: orderId, order_create_time: createTime, adjustment_amount: '0.00', reserve_amount: '0.00', ...fields };
}

const statementA: Json = {
	id: ST_A,
	statement_time: 1749600000,
	currency: 'EUR',
	settlement_amount: '72.95',
	total_settlement_amount: '72.95',
	total_reserve_amount: '-10.00',
	payment_id: P1,
	payment_status: 'PAID',
	transactions: [
		order('1600000000000000001', O1, JUNE_1, {
			revenue_amount: '49.90',
			shipping_cost_amount: '-1.00',
			shipping_cost_breakdown: { actual_shipping_fee_amount: '-4.99', customer_paid_shipping_fee_amount: '3.99', return_shipping_fee_amount: '0.00' },
			fee_tax_amount: '-9.98',
			fee_tax_breakdown: {
				fee: { platform_commission_amount: '-4.49', transaction_fee_amount: '-0.50', affiliate_commission_amount: '-4.99', sfp_service_fee_amount: '0.00' },
				tax: { vat_amount: '0.00', local_vat_amount: '0.00' },
			},
			settlement_amount: '38.92',
		}),
		order('1600000000000000002', O2, JUNE_2, {
			revenue_amount: '15.00',
			shipping_cost_amount: '-3.50',
			shipping_cost_breakdown: { actual_shipping_fee_amount: '-3.50', customer_paid_shipping_fee_amount: '0.00' },
			fee_tax_amount: '-1.50',
			fee_tax_breakdown: { fee: { platform_commission_amount: '-1.35', transaction_fee_amount: '-0.15' }, tax: {} },
			settlement_amount: '10.00',
		}),
		order('1600000000000000003', O3, JUNE_3, {
			revenue_amount: '30.00',
			shipping_cost_amount: '-2.00',
			shipping_cost_breakdown: { actual_shipping_fee_amount: '-6.90', customer_paid_shipping_fee_amount: '4.90' },
			fee_tax_amount: '-3.97',
			fee_tax_breakdown: {
				fee: { platform_commission_amount: '-2.70', transaction_fee_amount: '-0.30', green_logistics_fee_amount: '-0.40' },
				tax: { vat_amount: '-0.57' },
			},
			settlement_amount: '24.03',
		}),
		{
			id: RESERVE_WITHHELD,
			type: 'RESERVE',
			order_id: '',
			order_create_time: JUNE_3,
			settlement_amount: '0.00',
			reserve_id: '5250000001',
			reserve_amount: '-10.00',
			reserve_status: 'COLLECTED',
			associated_order_id: O3,
		},
	],
};

const statementB: Json = {
	id: ST_B,
	statement_time: 1750464000,
	currency: 'EUR',
	settlement_amount: '-25.77',
	total_reserve_amount: '10.00',
	payment_id: '',
	payment_status: 'PROCESSING',
	transactions: [
		order('1600000000000000005', O2, JUNE_2, {
			revenue_amount: '-15.00',
			shipping_cost_amount: '0.00',
			fee_tax_amount: '1.23',
			fee_tax_breakdown: {
				fee: { platform_commission_amount: '1.35', transaction_fee_amount: '0.15', refund_administration_fee_amount: '-0.27' },
				tax: {},
			},
			settlement_amount: '-13.77',
		}),
		{
			id: '1600000000000000006',
			type: 'GMV_PAYMENT_FOR_ADS',
			order_id: '',
			adjustment_id: ADS_ADJUSTMENT,
			adjustment_amount: '-12.00',
			settlement_amount: '-12.00',
		},
		{
			id: RESERVE_RELEASED,
			type: 'RESERVE',
			order_id: '',
			settlement_amount: '0.00',
			reserve_id: '5250000001',
			reserve_amount: '10.00',
			reserve_status: 'RELEASED',
		},
	],
};

const payment = paymentItem({
	id: P1,
	create_time: 1749700000,
	paid_time: 1749722400,
	amount: { value: '62.95', currency: 'EUR' },
	settlement_amount: { value: '72.95', currency: 'EUR' },
	reserve_amount: { value: '-10.00', currency: 'EUR' },
	payment_amount_before_exchange: { value: '62.95', currency: 'EUR' },
});

/** Get Order Detail, as a workflow would add it for the revenue-account mode. */
const orderDetails: Json = {
	code: 0,
	message: 'Success',
	data: {
		orders: [
			{ id: O1, create_time: JUNE_1, delivery_time: 1749124800, recipient_address: { region_code: 'DE' }, line_items: [{ item_tax: [{ tax_type: 'VAT', tax_rate: '19', tax_amount: '7.97' }] }] },
			{ id: O2, create_time: JUNE_2, delivery_time: 1749038400, recipient_address: { region_code: 'DE' }, line_items: [{ item_tax: [{ tax_type: 'VAT', tax_rate: '7', tax_amount: '0.98' }] }] },
			{ id: O3, create_time: JUNE_3, delivery_time: 1749211200, recipient_address: { region_code: 'FR' }, line_items: [{ item_tax: [{ tax_type: 'VAT', tax_rate: '20', tax_amount: '5.00' }] }] },
		],
	},
};

export const GOLDEN_MONTH_ITEMS: readonly Json[] = [statementA, statementB, payment, orderDetails];
