/**
 * What the fields of `fee_tax_breakdown` are (tiktok-shop-api.md §4.4), which decides their default account and tax
 * key. `fee_tax_breakdown.fee` holds TikTok's own service fees, commissions TikTok passes on to affiliates and
 * partners, and amounts it pays on the seller's behalf; `fee_tax_breakdown.tax` holds taxes and duties, which are
 * never fees: a §13b key on VAT withheld by TikTok would misstate the VAT return.
 */

import type { AccountRole, AccountSet, TaxKeyRole, TaxKeySet } from './charts';

/**
 * - service: a TikTok service (commission, transaction fee, programme fees); fee account, fee tax key (506).
 * - commission: passed through to affiliates, creators or partners, without a VAT invoice from TikTok; affiliate
 *   commission account, its key (none by default).
 * - onBehalf: paid by TikTok on the seller's behalf (EPR eco-contributions to producer-responsibility
 *   organisations); fee account without key [verify with the adviser].
 * - tax: withheld taxes and duties; withheld-taxes account, never a key.
 * - unknown: a field TikTok added after this list; fee account without key, with a warning.
 */
export type FeeCategory = 'service' | 'commission' | 'onBehalf' | 'tax' | 'unknown';

const SERVICE_FEES = [
	'platform_commission_amount',
	'referral_fee_amount',
	'refund_administration_fee_amount',
	'transaction_fee_amount',
	'credit_card_handling_fee_amount',
	'sfp_service_fee_amount',
	'live_specials_fee_amount',
	'bonus_cashback_service_fee_amount',
	'mall_service_fee_amount',
	'voucher_xtra_service_fee_amount',
	'flash_sales_service_fee_amount',
	'cofunded_promotion_service_fee_amount',
	'pre_order_service_fee_amount',
	'dt_handling_fee_amount',
	'seller_paylater_handling_fee_amount',
	'fee_per_item_sold_amount',
	'dynamic_commission_amount',
	'vn_fix_infrastructure_fee',
	'shipping_fee_guarantee_service_fee',
	'installation_service_fee',
	'campaign_resource_fee',
];

const COMMISSIONS = [
	'affiliate_commission_amount',
	'affiliate_commission_amount_before_pit',
	'affiliate_commission_before_pit_amount',
	'affiliate_partner_commission_amount',
	'affiliate_ads_commission_amount',
	'affiliate_commission_deposit',
	'affiliate_commission_release',
	'tap_shop_ads_commission',
	'external_affiliate_marketing_fee_amount',
	'cofunded_creator_bonus_amount',
	'tsp_commission_amount',
];

const ON_BEHALF = ['epr_pob_service_fee_amount'];

/** Buchungstext labels of the tax fields (German, as the adviser reads them). */
const TAX_LABELS: ReadonlyMap<string, string> = new Map([
	['vat_amount', 'einbehaltene USt'],
	['local_vat_amount', 'einbehaltene USt lokal'],
	['import_vat_amount', 'Einfuhrumsatzsteuer'],
	['customs_duty_amount', 'Zoll'],
	['customs_clearance_amount', 'Verzollung'],
	['anti_dumping_duty_amount', 'Antidumpingzoll'],
	['sst_amount', 'Steuer SST'],
	['gst_amount', 'Steuer GST'],
	['iva_amount', 'Steuer IVA'],
	['isr_amount', 'Steuer ISR'],
	['pit_amount', 'einbehaltene Einkommensteuer'],
]);

const CATEGORIES: ReadonlyMap<string, FeeCategory> = new Map<string, FeeCategory>([
	...SERVICE_FEES.map((name) => [name, 'service'] as const),
	...COMMISSIONS.map((name) => [name, 'commission'] as const),
	...ON_BEHALF.map((name) => [name, 'onBehalf'] as const),
]);

/** The category of a breakdown field: every field of the `tax` group is a tax, known or not. */
export function feeCategory(group: 'fee' | 'tax', name: string): FeeCategory {
	if (group === 'tax') {
		return 'tax';
	}
	return CATEGORIES.get(name) ?? 'unknown';
}

/** Every fee and tax field this version knows, for the node's help text and the README. */
export const KNOWN_FEE_FIELDS: readonly string[] = [...SERVICE_FEES, ...COMMISSIONS, ...ON_BEHALF];
export const KNOWN_TAX_FIELDS: readonly string[] = [...TAX_LABELS.keys()];

/** Buchungstext label of a component line ("Gebühren", "Affiliate-Provision", "einbehaltene USt", …). */
export function feeLabel(category: FeeCategory, name: string): string {
	const short = name.replace(/_amount$/, '');
	switch (category) {
		case 'service':
			return 'Gebühren';
		case 'commission':
			return 'Affiliate-Provision';
		case 'onBehalf':
			return 'EPR-Gebühr';
		case 'tax':
			return TAX_LABELS.get(name) ?? `Steuer ${short}`;
		case 'unknown':
			return `Gebühr ${short}`;
	}
}

export interface TypeMapping {
	account: string;
	taxKey: string;
}

/** The default account role and key role of a fee category (taxes: never a key). */
const CATEGORY_DEFAULTS: Readonly<Record<FeeCategory, { account: AccountRole; taxKey: TaxKeyRole | undefined }>> = {
	service: { account: 'fees', taxKey: 'fees' },
	commission: { account: 'salesCommissions', taxKey: 'salesCommissions' },
	onBehalf: { account: 'fees', taxKey: undefined },
	tax: { account: 'withheldTaxes', taxKey: undefined },
	unknown: { account: 'fees', taxKey: undefined },
};

export interface FeeMappingSettings {
	/** Fee Types entries (account already resolved); what an entry leaves out comes from the field's category. */
	feeTypes: Readonly<Record<string, Partial<TypeMapping>>>;
	accounts: AccountSet;
	taxKeys: TaxKeySet;
}

/**
 * Account and key of one fee_tax_breakdown field: its Fee Types entry, else its category's defaults. Taxes never
 * carry a key, whatever an entry says (a §13b or input-VAT key on withheld VAT misstates the VAT return).
 */
export function feeMapping(settings: FeeMappingSettings, group: 'fee' | 'tax', name: string): TypeMapping & { category: FeeCategory } {
	const category = feeCategory(group, name);
	const defaults = CATEGORY_DEFAULTS[category];
	const explicit = Object.hasOwn(settings.feeTypes, name) ? settings.feeTypes[name] : undefined;
	const defaultKey = defaults.taxKey ? settings.taxKeys[defaults.taxKey] : '';
	return {
		category,
		account: explicit?.account ?? settings.accounts[defaults.account],
		taxKey: category === 'tax' ? '' : (explicit?.taxKey ?? defaultKey),
	};
}
