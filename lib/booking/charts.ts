/**
 * Chart presets (SKR03 / SKR04): the default accounts and tax keys of the booking model
 * (shared/reference/booking-model.md). Every value is only a suggestion to be agreed with the tax adviser,
 * so everything here can be overridden in the settings.
 */

export const CHART_NAMES = ['SKR03', 'SKR04'] as const;
export type ChartName = (typeof CHART_NAMES)[number];

/** The account roles the engine books on. Mappings may name a role instead of a number ("advertising"). */
export const ACCOUNT_ROLES = [
	'balance',
	'transit',
	'reserve',
	'clearing',
	'fees',
	'revenue19',
	'revenue7',
	'collectiveDebtor',
	'shipping',
	'advertising',
	'salesCommissions',
] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];
export type AccountSet = Record<AccountRole, string>;

export const TAX_KEY_ROLES = ['fees', 'revenue', 'shipping'] as const;
export type TaxKeyRole = (typeof TAX_KEY_ROLES)[number];
export type TaxKeySet = Record<TaxKeyRole, string>;

export interface ChartPreset {
	accounts: AccountSet;
	taxKeys: TaxKeySet;
}

/**
 * Caveats documented for users instead of being "fixed" silently (booking model): SKR04 1379 and 1372 are not
 * the equivalents of SKR03 1590 and 1592, and BU 506 is only right for fee invoices from an EU entity outside
 * Germany without VAT. Shipping defaults to Ausgangsfrachten (4730 / 6740, datev-extf.md §4.2, marked [verify]
 * there) because TikTok's shipping_cost_amount is mostly the labels the seller pays.
 * The collective debtor 10000 is the first debtor of a 4-digit Sachkontenlänge.
 */
export const CHART_PRESETS: Readonly<Record<ChartName, Readonly<ChartPreset>>> = {
	SKR03: {
		accounts: {
			balance: '1270',
			transit: '1366',
			reserve: '1590',
			clearing: '1592',
			fees: '4970',
			revenue19: '8400',
			revenue7: '8300',
			collectiveDebtor: '10000',
			shipping: '4730',
			advertising: '4600',
			salesCommissions: '4760',
		},
		// Revenue accounts 8400/8300 are automatic accounts: a key on them is an error, so none by default.
		taxKeys: { fees: '506', revenue: '', shipping: '' },
	},
	SKR04: {
		accounts: {
			balance: '1870',
			transit: '1466',
			reserve: '1379',
			clearing: '1372',
			fees: '6855',
			revenue19: '4400',
			revenue7: '4300',
			collectiveDebtor: '10000',
			shipping: '6740',
			advertising: '6600',
			salesCommissions: '6770',
		},
		taxKeys: { fees: '506', revenue: '', shipping: '' },
	},
};

export interface ChartOverrides {
	accounts?: Partial<AccountSet>;
	taxKeys?: Partial<TaxKeySet>;
}

/** The effective accounts and keys: the chart's preset with the user's overrides on top. */
export function resolveChart(chart: ChartName, overrides: ChartOverrides = {}): ChartPreset {
	const preset = CHART_PRESETS[chart];
	const accounts = { ...preset.accounts };
	for (const role of ACCOUNT_ROLES) {
		const value = overrides.accounts?.[role];
		if (value !== undefined && value !== '') {
			accounts[role] = value;
		}
	}
	const taxKeys = { ...preset.taxKeys };
	for (const role of TAX_KEY_ROLES) {
		const value = overrides.taxKeys?.[role];
		if (value !== undefined) {
			taxKeys[role] = value;
		}
	}
	return { accounts, taxKeys };
}

export function isAccountRole(value: string): value is AccountRole {
	return (ACCOUNT_ROLES as readonly string[]).includes(value);
}

/** An account reference in a mapping is either a number or a role name, resolved against the effective chart. */
export function resolveAccountRef(ref: string, accounts: AccountSet): string {
	return isAccountRole(ref) ? accounts[ref] : ref;
}
