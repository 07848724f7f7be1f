import type { AccountRole, BookingSettings } from '../booking';

/** German names of the booking model's account roles, as a tax adviser calls them. */
export const GERMAN_ROLE_LABELS: Readonly<Record<AccountRole, string>> = {
	balance: 'TikTok-Guthaben (Geldkonto)',
	transit: 'Geldtransit (Auszahlungen)',
	reserve: 'Einbehalt / Reserve',
	clearing: 'Klärungskonto',
	revenueClearing: 'Erlöse (Verrechnung)',
	withheldTaxes: 'Einbehaltene Steuern',
	fees: 'Gebühren',
	salesCommissions: 'Affiliate-Provisionen',
	shipping: 'Versandkosten',
	revenue19: 'Erlöse 19 %',
	revenue7: 'Erlöse 7 %',
	revenue0: 'Erlöse 0 %',
	revenueOss: 'Erlöse EU (OSS)',
	collectiveDebtor: 'Sammeldebitor',
	advertising: 'Werbekosten',
};

/**
 * Account number → what it is used for under these settings. An account may serve several roles (a user can map
 * two roles to one account); fee and adjustment type mappings name their TikTok type.
 */
export function accountRoles(settings: BookingSettings): Map<string, string> {
	const roles = new Map<string, string[]>();
	const add = (account: string, label: string) => {
		const labels = roles.get(account) ?? [];
		if (!labels.includes(label)) labels.push(label);
		roles.set(account, labels);
	};
	for (const [role, account] of Object.entries(settings.accounts) as Array<[AccountRole, string]>) {
		add(account, GERMAN_ROLE_LABELS[role]);
	}
	for (const [type, mapping] of Object.entries(settings.feeTypes)) {
		if (mapping.account !== undefined && !roles.has(mapping.account)) add(mapping.account, `Gebühren (${type})`);
	}
	for (const [type, mapping] of Object.entries(settings.adjustmentTypes)) {
		if (!roles.has(mapping.account)) add(mapping.account, `Korrekturen (${type})`);
	}
	return new Map([...roles].map(([account, labels]) => [account, labels.join(' / ')]));
}
