/*
 * Facts (integer cents) → TikTok's JSON (decimal strings). Breakdowns list every documented key, zeros included,
 * the way TikTok answers, so consumers meet the real noise; keys the facts carry beyond the lists are kept too.
 */
import { formatMinor } from '../lib/money';
import { type Breakdown, type TxFacts, totalsOf } from './shop-model';

export type AmountMap = Record<string, string>;

export interface TransactionJson {
	id: string;
	type: string;
	order_id: string;
	order_create_time: number;
	adjustment_id: string;
	adjustment_order_id: string;
	adjustment_amount: string;
	settlement_amount: string;
	revenue_amount: string;
	revenue_breakdown?: AmountMap;
	shipping_cost_amount: string;
	shipping_cost_breakdown?: Record<string, string | AmountMap>;
	fee_tax_amount: string;
	fee_tax_breakdown?: { fee: AmountMap; tax: AmountMap };
	supplementary_component?: AmountMap;
	reserve_id: string;
	reserve_amount: string;
	reserve_status: string;
	/** A string epoch; empty once released. */
	estimated_release_time: string;
	associated_order_id: string;
}

const REVENUE_KEYS = [
	'subtotal_before_discount_amount',
	'refund_subtotal_before_discount_amount',
	'seller_discount_amount',
	'seller_discount_refund_amount',
	'cod_service_fee_amount',
	'refund_cod_service_fee_amount',
];

const SHIPPING_KEYS = [
	'actual_shipping_fee_amount',
	'shipping_fee_discount_amount',
	'customer_paid_shipping_fee_amount',
	'return_shipping_fee_amount',
	'replacement_shipping_fee_amount',
	'exchange_shipping_fee_amount',
	'signature_confirmation_fee_amount',
	'shipping_insurance_fee_amount',
	'fbt_fulfillment_fee_reimbursement_amount',
	'return_shipping_label_fee_amount',
	'seller_self_shipping_service_fee_amount',
	'return_shipping_fee_paid_buyer_amount',
	'failed_delivery_subsidy_amount',
	'shipping_fee_guarantee_reimbursement',
	'fbt_free_shipping_fee_amount',
	'free_return_subsidy_amount',
];

const SHIPPING_SUPPLEMENT_KEYS = [
	'platform_shipping_fee_discount_amount',
	'promo_shipping_incentive_amount',
	'shipping_fee_subsidy_amount',
	'seller_shipping_fee_discount_amount',
	'customer_shipping_fee_offset_amount',
	'fbm_shipping_cost_amount',
	'fbt_shipping_cost_amount',
	'return_refund_subsidy_amount',
	'refunded_customer_shipping_fee_amount',
	'customer_shipping_fee',
	'refund_customer_shipping_fee',
];

const FEE_KEYS = [
	'platform_commission_amount',
	'refund_administration_fee_amount',
	'transaction_fee_amount',
	'credit_card_handling_fee_amount',
	'affiliate_commission_amount',
	'affiliate_commission_amount_before_pit',
	'affiliate_partner_commission_amount',
	'affiliate_ads_commission_amount',
	'sfp_service_fee_amount',
	'live_specials_fee_amount',
	'bonus_cashback_service_fee_amount',
	'mall_service_fee_amount',
	'voucher_xtra_service_fee_amount',
	'flash_sales_service_fee_amount',
	'cofunded_promotion_service_fee_amount',
	'pre_order_service_fee_amount',
	'tsp_commission_amount',
	'dt_handling_fee_amount',
	'epr_pob_service_fee_amount',
	'seller_paylater_handling_fee_amount',
];

const TAX_KEYS = [
	'vat_amount',
	'import_vat_amount',
	'customs_duty_amount',
	'customs_clearance_amount',
	'sst_amount',
	'gst_amount',
	'iva_amount',
	'isr_amount',
	'anti_dumping_duty_amount',
	'local_vat_amount',
	'pit_amount',
];

const SUPPLEMENT_KEYS = [
	'customer_payment_amount',
	'customer_refund_amount',
	'platform_discount_amount',
	'platform_discount_refund_amount',
	'seller_cofunded_discount_amount',
	'seller_cofunded_discount_refund_amount',
	'platform_cofunded_discount_amount',
	'platform_cofunded_discount_refund_amount',
	'retail_delivery_fee_amount',
	'retail_delivery_fee_payment_amount',
	'retail_delivery_fee_refund_amount',
	'sales_tax_amount',
	'sales_tax_payment_amount',
	'sales_tax_refund_amount',
];

export function amountMap(keys: readonly string[], values: Breakdown, currency: string): AmountMap {
	const out: AmountMap = {};
	// Most documented keys are zero for this shop; format zero once.
	const zero = formatMinor(0, currency);
	for (const key of keys) {
		const value = values[key] ?? 0;
		out[key] = value === 0 ? zero : formatMinor(value, currency);
	}
	for (const key of Object.keys(values)) {
		if (!(key in out)) out[key] = formatMinor(values[key], currency);
	}
	return out;
}

export interface Breakdowns {
	revenue_breakdown: AmountMap;
	shipping_cost_breakdown: Record<string, string | AmountMap>;
	fee_tax_breakdown: { fee: AmountMap; tax: AmountMap };
}

export function breakdowns(tx: TxFacts, currency: string): Breakdowns {
	return {
		revenue_breakdown: amountMap(REVENUE_KEYS, tx.revenue, currency),
		shipping_cost_breakdown: {
			...amountMap(SHIPPING_KEYS, tx.shipping, currency),
			supplementary_component: amountMap(SHIPPING_SUPPLEMENT_KEYS, tx.shippingSupplement, currency),
		},
		fee_tax_breakdown: {
			fee: amountMap(FEE_KEYS, tx.fee, currency),
			tax: amountMap(TAX_KEYS, tx.tax, currency),
		},
	};
}

/** One `transactions[]` row of Get Transactions by Statement 202501. */
export function renderTransaction(tx: TxFacts, currency: string): TransactionJson {
	const money = (minor: number): string => formatMinor(minor, currency);
	const totals = totalsOf(tx);
	const isOrder = tx.type === 'ORDER';
	return {
		id: tx.id,
		type: tx.type,
		order_id: tx.orderId,
		order_create_time: tx.orderCreateTime,
		adjustment_id: tx.adjustmentId,
		adjustment_order_id: tx.adjustmentOrderId,
		adjustment_amount: money(totals.adjustment),
		settlement_amount: money(totals.settlement),
		revenue_amount: money(totals.revenue),
		shipping_cost_amount: money(totals.shipping),
		fee_tax_amount: money(totals.feeTax),
		...(isOrder
			? {
					...breakdowns(tx, currency),
					supplementary_component: amountMap(SUPPLEMENT_KEYS, tx.supplement, currency),
				}
			: {}),
		reserve_id: tx.reserve?.id ?? '',
		reserve_amount: money(totals.reserve),
		reserve_status: tx.reserve?.status ?? '',
		estimated_release_time: tx.reserve?.releaseTime ? String(tx.reserve.releaseTime) : '',
		associated_order_id: tx.reserve?.associatedOrderId ?? '',
	};
}
