/**
 * Checks of the effective accounts and keys before anything is booked, each naming the node parameter to change:
 * the DATEV writer would reject the same lines later, but only with line numbers, and a tax adviser should never
 * receive a file with them. Only what the chosen revenue mode books is checked.
 */
import { type AccountRole, ROLE_LABELS, TAX_KEY_LABELS, type TaxKeyRole, widenAccount, presetAccount } from './charts';
import { feeCategory, feeMapping, KNOWN_TAX_FIELDS } from './fee-types';
import type { BookingSettings } from './settings';

/** BU keys allowed on automatic accounts: 40 suspends the automatic, 20 is the Generalumkehr key. */
const KEYS_ALLOWED_ON_AUTOMATIC_ACCOUNTS = new Set(['40', '20']);

const ALWAYS_BOOKED: readonly AccountRole[] = [
	'balance',
	'transit',
	'reserve',
	'clearing',
	'revenueClearing',
	'withheldTaxes',
	'fees',
	'salesCommissions',
	'shipping',
];
const REVENUE_ROLES = ['revenue19', 'revenue7', 'revenue0', 'revenueOss'] as const;
const KEYED_ROLES: readonly TaxKeyRole[] = ['fees', 'salesCommissions', 'shipping'];

const stripZeros = (account: string): string => account.replace(/^0+/, '');

function rolesInUse(settings: BookingSettings): AccountRole[] {
	return [
		...ALWAYS_BOOKED,
		...(settings.revenueMode === 'revenueAccounts' ? REVENUE_ROLES : []),
		...(settings.revenueMode === 'collectiveDebtor' ? (['collectiveDebtor'] as const) : []),
	];
}

/** The Sachkonto/Personenkonto rule of DATEV for one account; undefined when it fits. */
function lengthProblem(account: string, length: number, personalOnly: boolean): string | undefined {
	const debtors = `1${'0'.repeat(length)}–6${'9'.repeat(length)}`;
	if (personalOnly) {
		return account.length === length + 1 && /^[1-6]/.test(account)
			? undefined
			: `is not a debtor account (Personenkonto): with Sachkontenlänge ${length} debtors have ${length + 1} digits (${debtors}), so OPOS could not clear`;
	}
	if (account.length === length || (account.length === length + 1 && account[0] !== '0')) {
		return undefined;
	}
	return (
		`has ${account.length} digits; with Sachkontenlänge ${length} a Sachkonto has ${length} digits ` +
		`(a debtor or creditor ${length + 1})`
	);
}

/** "(the chart's default, widened: 49700)" when the user typed the 4-digit default and forgot the length. */
function widenHint(settings: BookingSettings, role: AccountRole, account: string): string {
	const standard = presetAccount(settings.chart, role);
	return account === standard && settings.accountLength !== 4
		? ` (the ${settings.chart} default widened to Sachkontenlänge ${settings.accountLength} is ${widenAccount(standard, settings.accountLength)})`
		: '';
}

export function checkAccounts(settings: BookingSettings): string[] {
	const problems: string[] = [];
	const length = settings.accountLength;
	const automatic = new Set(settings.automaticAccounts.map(stripZeros));
	const keyOnAutomatic = (keyLabel: string, key: string, accountLabel: string, account: string): void => {
		if (key !== '' && !KEYS_ALLOWED_ON_AUTOMATIC_ACCOUNTS.has(key) && automatic.has(stripZeros(account))) {
			problems.push(
				`${keyLabel} "${key}" on ${accountLabel} ${account}: ${account} is an automatic account (DATEV derives the tax ` +
					`from the account), so the tax key must be empty`,
			);
		}
	};

	for (const role of rolesInUse(settings)) {
		const account = settings.accounts[role];
		const problem = lengthProblem(account, length, role === 'collectiveDebtor');
		if (problem) {
			problems.push(`${ROLE_LABELS[role]} ${account} ${problem}${widenHint(settings, role, account)}`);
		}
	}
	const keyed: TaxKeyRole[] = [...KEYED_ROLES, ...(settings.revenueMode === 'revenueAccounts' ? REVENUE_ROLES : [])];
	for (const role of keyed) {
		keyOnAutomatic(TAX_KEY_LABELS[role], settings.taxKeys[role], ROLE_LABELS[role], settings.accounts[role]);
	}

	for (const [name, entry] of Object.entries(settings.feeTypes)) {
		const where = `Fee Types › ${name}`;
		const isTax = KNOWN_TAX_FIELDS.includes(name);
		if (isTax && entry.taxKey) {
			problems.push(`${where}: taxes are booked without a tax key (they are no fees); leave Tax Key empty`);
		}
		const mapping = feeMapping(settings, isTax ? 'tax' : 'fee', name);
		const problem = lengthProblem(mapping.account, length, false);
		if (problem) {
			problems.push(`${where}: account ${mapping.account} ${problem}`);
		}
		if (feeCategory(isTax ? 'tax' : 'fee', name) !== 'tax') {
			keyOnAutomatic(`${where}: tax key`, mapping.taxKey, 'account', mapping.account);
		}
	}
	for (const [type, mapping] of Object.entries(settings.adjustmentTypes)) {
		const where = `Adjustment Type Accounts › ${type}`;
		const problem = lengthProblem(mapping.account, length, false);
		if (problem) {
			problems.push(`${where}: account ${mapping.account} ${problem}`);
		}
		keyOnAutomatic(`${where}: tax key`, mapping.taxKey, 'account', mapping.account);
	}
	return problems;
}
