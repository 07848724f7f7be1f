/**
 * Chart presets (SKR03 / SKR04): the default accounts and tax keys of the booking model
 * (shared/reference/booking-model.md). Every value is only a suggestion to be agreed with the tax adviser,
 * so everything here can be overridden in the settings. The labels are the names the Map node shows, so that an
 * error about a setting names the parameter the user has to change.
 */

export const CHART_NAMES = ['SKR03', 'SKR04'] as const;
export type ChartName = (typeof CHART_NAMES)[number];

/** The account roles the engine books on. Mappings may name a role instead of a number ("advertising"). */
export const ACCOUNT_ROLES = [
	'balance',
	'transit',
	'reserve',
	'clearing',
	'revenueClearing',
	'withheldTaxes',
	'fees',
	'salesCommissions',
	'shipping',
	'revenue19',
	'revenue7',
	'revenue0',
	'revenueOss',
	'collectiveDebtor',
	'advertising',
] as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[number];
export type AccountSet = Record<AccountRole, string>;

/** Roles whose lines may carry a tax key. Money accounts, clearing accounts and withheld taxes never do. */
export const TAX_KEY_ROLES = ['fees', 'salesCommissions', 'shipping', 'revenue19', 'revenue7', 'revenue0', 'revenueOss'] as const;
export type TaxKeyRole = (typeof TAX_KEY_ROLES)[number];
export type TaxKeySet = Record<TaxKeyRole, string>;

/** Names of the Map node's parameters for each role (and the words of every settings error). */
export const ROLE_LABELS: Readonly<Record<AccountRole, string>> = {
	balance: 'TikTok Balance Account',
	transit: 'Transit Account',
	reserve: 'Reserve Account',
	clearing: 'Clearing Account',
	revenueClearing: 'Revenue Clearing Account',
	withheldTaxes: 'Withheld Taxes Account',
	fees: 'Fee Account',
	salesCommissions: 'Affiliate Commission Account',
	shipping: 'Shipping Cost Account',
	revenue19: 'Revenue 19 % Account',
	revenue7: 'Revenue 7 % Account',
	revenue0: 'Revenue 0 % Account',
	revenueOss: 'EU Revenue (OSS) Account',
	collectiveDebtor: 'Collective Debtor Account',
	advertising: 'Advertising Account',
};

export const TAX_KEY_LABELS: Readonly<Record<TaxKeyRole, string>> = {
	fees: 'Fee Tax Key',
	salesCommissions: 'Affiliate Commission Tax Key',
	shipping: 'Shipping Cost Tax Key',
	revenue19: 'Revenue 19 % Tax Key',
	revenue7: 'Revenue 7 % Tax Key',
	revenue0: 'Revenue 0 % Tax Key',
	revenueOss: 'EU Revenue (OSS) Tax Key',
};

/** Roles that default to another role's account (the adviser can separate them). */
const DEFAULTS_TO: Readonly<Partial<Record<AccountRole, AccountRole>>> = {
	revenueClearing: 'clearing',
	withheldTaxes: 'clearing',
};

export interface ChartPreset {
	/** Four-digit Sachkonten (the collective debtor five digits); roles in DEFAULTS_TO are absent. */
	accounts: Readonly<Partial<AccountSet>>;
	taxKeys: Readonly<TaxKeySet>;
}

/**
 * BU 506 (§13b, services of an EU business) on TikTok's own fees; no key on affiliate commissions (TikTok passes
 * them through without a VAT invoice), shipping labels and the automatic revenue accounts.
 */
const TAX_KEYS: TaxKeySet = {
	fees: '506',
	salesCommissions: '',
	shipping: '',
	revenue19: '',
	revenue7: '',
	revenue0: '',
	revenueOss: '',
};

/**
 * Caveats documented for users instead of being "fixed" silently (booking model): SKR04 1379 and 1372 are not
 * the equivalents of SKR03 1590 and 1592, and BU 506 is only right for fee invoices from an EU entity outside
 * Germany without VAT. Shipping defaults to Ausgangsfrachten (4730 / 6740, datev-extf.md §4.2, marked [verify]
 * there) because TikTok's shipping_cost_amount is mostly the labels the seller pays. Revenue 0 % defaults to the
 * plain "Erlöse" account without tax function (8200 / 4200) [verify]: the charts have no single 0 % account. OSS
 * revenue goes to "Erlöse aus im anderen EU-Land steuerpflichtigen Lieferungen" (8320 / 4320) with the destination
 * country and rate in columns 40/41 (DATEV Dok.-Nr. 9211462).
 */
export const CHART_PRESETS: Readonly<Record<ChartName, Readonly<ChartPreset>>> = {
	SKR03: {
		accounts: {
			balance: '1270',
			transit: '1366',
			reserve: '1590',
			clearing: '1592',
			fees: '4970',
			salesCommissions: '4760',
			shipping: '4730',
			revenue19: '8400',
			revenue7: '8300',
			revenue0: '8200',
			revenueOss: '8320',
			collectiveDebtor: '10000',
			advertising: '4600',
		},
		taxKeys: TAX_KEYS,
	},
	SKR04: {
		accounts: {
			balance: '1870',
			transit: '1466',
			reserve: '1379',
			clearing: '1372',
			fees: '6855',
			salesCommissions: '6770',
			shipping: '6740',
			revenue19: '4400',
			revenue7: '4300',
			revenue0: '4200',
			revenueOss: '4320',
			collectiveDebtor: '10000',
			advertising: '6600',
		},
		taxKeys: TAX_KEYS,
	},
};

/** Sachkontenlänge of the standard charts; DATEV allows 4 to 8. */
export const STANDARD_ACCOUNT_LENGTH = 4;

/**
 * A preset account for a longer Sachkontenlänge: DATEV widens a chart by appending zeros (1270 → 12700), and a
 * Personenkonto stays one digit longer than a Sachkonto (debtor 10000 → 100000).
 */
export function widenAccount(account: string, accountLength: number): string {
	const personal = account.length === STANDARD_ACCOUNT_LENGTH + 1;
	return account.padEnd(personal ? accountLength + 1 : accountLength, '0');
}

/** The chart's default account of a role for a Sachkontenlänge (roles defaulting to another role resolve to it). */
export function presetAccount(chart: ChartName, role: AccountRole, accountLength = STANDARD_ACCOUNT_LENGTH): string {
	const target = DEFAULTS_TO[role] ?? role;
	const account = CHART_PRESETS[chart].accounts[target];
	if (account === undefined) {
		throw new RangeError(`chart ${chart} has no account for role ${role}`);
	}
	return widenAccount(account, accountLength);
}

export interface ChartOverrides {
	accounts?: Partial<AccountSet>;
	taxKeys?: Partial<TaxKeySet>;
}

export interface ResolvedChart {
	accounts: AccountSet;
	taxKeys: TaxKeySet;
}

/**
 * The effective accounts and keys: the chart's preset, widened to the Sachkontenlänge, with the user's overrides on
 * top. Overrides are taken as they are (a user's account is never changed); a role that defaults to another role
 * follows that role's override.
 */
export function resolveChart(chart: ChartName, overrides: ChartOverrides = {}, accountLength = STANDARD_ACCOUNT_LENGTH): ResolvedChart {
	const given = (role: AccountRole): string | undefined => {
		const value = overrides.accounts?.[role];
		return value === undefined || value === '' ? undefined : value;
	};
	const accounts = {} as AccountSet;
	for (const role of ACCOUNT_ROLES) {
		const target = DEFAULTS_TO[role];
		accounts[role] = given(role) ?? (target ? given(target) : undefined) ?? presetAccount(chart, role, accountLength);
	}
	const taxKeys = { ...CHART_PRESETS[chart].taxKeys };
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
