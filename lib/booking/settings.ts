/**
 * The booking engine's settings: a zod schema for what the node passes in, and the resolved form the engine uses
 * (chart preset widened to the Sachkontenlänge + overrides, role names in mappings replaced by account numbers).
 * Settings a tax adviser would reject (a key on an automatic account, an account of the wrong length, an OPOS
 * debtor that is no Personenkonto) are refused here, naming the node parameter, before any line is booked.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';

import { defaultAutomaticAccounts } from '../datev/rules';
import { checkAccounts } from './account-checks';
import {
	ACCOUNT_ROLES,
	type AccountRole,
	type AccountSet,
	CHART_NAMES,
	type ChartName,
	isAccountRole,
	resolveAccountRef,
	resolveChart,
	ROLE_LABELS,
	TAX_KEY_LABELS,
	TAX_KEY_ROLES,
	type TaxKeyRole,
	type TaxKeySet,
} from './charts';
import type { TypeMapping } from './fee-types';
import { TEMPLATE_PLACEHOLDERS, unknownPlaceholders } from './text-fields';

/** DATEV Konto/Gegenkonto: digits only, at most 9, not all zeros (datev-extf.md §1.4). */
const accountNumber = z
	.string()
	.trim()
	.regex(/^\d{1,9}$/, 'must be an account number of 1 to 9 digits')
	.refine((value) => /[1-9]/.test(value), 'must not be all zeros');

/** In mappings, an account may also be given as a role name, so the mapping survives a switch of chart. */
const accountRef = z
	.string()
	.trim()
	.refine(
		(value) => isAccountRole(value) || accountNumber.safeParse(value).success,
		`must be an account number or one of ${ACCOUNT_ROLES.join(', ')}`,
	);

/** BU-Schlüssel: up to 4 digits, kept as a string ('506', never '0506'); '' for none. */
const taxKey = z
	.string()
	.trim()
	.regex(/^\d{0,4}$/, 'must be a tax key of up to 4 digits, or empty');

const template = (fallback: string) =>
	z
		.string()
		.default(fallback)
		.superRefine((value, ctx) => {
			const unknown = unknownPlaceholders(value);
			if (unknown.length > 0) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					message: `unknown placeholder ${unknown.map((name) => `{${name}}`).join(', ')}; known: ${TEMPLATE_PLACEHOLDERS.map((name) => `{${name}}`).join(' ')}`,
				});
			}
		});

/** An empty form field means "not set" (n8n sends '' for a cleared field). */
const blankAsUnset = <T extends z.ZodTypeAny>(schema: T) =>
	z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const optionalAccount = blankAsUnset(accountNumber);

const accountOverrides = z
	.object(
		Object.fromEntries(ACCOUNT_ROLES.map((role) => [role, optionalAccount])) as Record<AccountRole, typeof optionalAccount>,
	)
	.strict();

const taxKeyOverrides = z
	.object(Object.fromEntries(TAX_KEY_ROLES.map((role) => [role, taxKey.optional()])) as Record<TaxKeyRole, z.ZodOptional<typeof taxKey>>)
	.strict();

export const REVENUE_MODES = ['clearing', 'collectiveDebtor', 'revenueAccounts'] as const;
export type RevenueMode = (typeof REVENUE_MODES)[number];
export const FEE_LINE_MODES = ['total', 'perFeeType'] as const;
export type FeeLineMode = (typeof FEE_LINE_MODES)[number];
/** German VAT rates a revenue account exists for. */
export const VAT_RATES = ['19', '7', '0'] as const;
export type VatRate = (typeof VAT_RATES)[number];

export const bookingSettingsSchema = z
	.object({
		chart: z.enum(CHART_NAMES).default('SKR03'),
		/** Sachkontenlänge of the client (4–8): the chart's default accounts are widened to it. */
		accountLength: z.number().int().min(4, 'must be between 4 and 8').max(8, 'must be between 4 and 8').default(4),
		/** Accounts with a fixed tax function (no key allowed); default: the chart's standard list, widened. */
		automaticAccounts: z.array(accountNumber).optional(),
		/** Overrides of the chart's role accounts. */
		accounts: accountOverrides.default({}),
		/** Overrides of the chart's tax keys (fees: BU 506; everything else none). */
		taxKeys: taxKeyOverrides.default({}),
		revenueMode: z.enum(REVENUE_MODES).default('clearing'),
		/** 'revenueAccounts' mode: the rate of orders whose VAT rate TikTok's data does not give. */
		defaultVatRate: z.enum(VAT_RATES).default('19'),
		/**
		 * 'revenueAccounts' mode, orders shipped to another EU country: 'oss' books them on the OSS revenue account
		 * with the destination country and rate (columns 40/41); 'domestic' treats them like German sales (a seller
		 * below the EU delivery threshold who did not opt into OSS).
		 */
		euDistanceSales: z.enum(['oss', 'domestic']).default('oss'),
		/** 'revenueAccounts' mode: fill Leistungsdatum (column 115) and Datum Zuord. Steuerperiode (116). */
		serviceDate: z.boolean().default(true),
		feeLines: z.enum(FEE_LINE_MODES).default('total'),
		/**
		 * Per field of fee_tax_breakdown (key = TikTok field name, e.g. 'platform_commission_amount' or
		 * 'vat_amount'): account and tax key. A field left out uses its category's defaults (fee-types.ts); a missing
		 * account or key in an entry, too.
		 */
		feeTypes: z
			.record(z.string().min(1), z.object({ account: blankAsUnset(accountRef), taxKey: taxKey.optional() }).strict())
			.default({}),
		/** Per transaction type (e.g. 'GMV_PAYMENT_FOR_ADS': { account: 'advertising' }); unmapped types → clearing. */
		adjustmentTypes: z
			.record(z.string().min(1), z.object({ account: accountRef, taxKey: taxKey.optional() }).strict())
			.default({}),
		templates: z
			.object({
				/** Buchungstext (cut to 60 characters). */
				text: template('TikTok {label} {reference}'),
				/** Belegfeld 1 on lines of transactions that belong to an order. */
				orderDocument: template('{orderId}'),
				/** Belegfeld 1 on lines without an order (statement level, adjustments, reserves). */
				statementDocument: template('{statementId}'),
				/** Belegfeld 1 on payout lines. */
				paymentDocument: template('{paymentId}'),
				/** Belegfeld 1 on the debtor lines in 'collectiveDebtor' mode: must equal the invoice's Belegfeld 1 (OPOS). */
				invoiceNumber: template('{orderId}'),
				/** Belegfeld 2 (cut to 12 characters); empty by default. */
				documentField2: template(''),
			})
			.strict()
			.default({}),
		/** IANA time zone for Belegdatum. */
		timeZone: z
			.string()
			.default('Europe/Berlin')
			.refine((zone) => DateTime.fromSeconds(0, { zone }).isValid, 'is not a known IANA time zone'),
	})
	.strict();

export type BookingSettingsInput = z.input<typeof bookingSettingsSchema>;

export type { TypeMapping } from './fee-types';

/** The effective settings: everything resolved to account numbers and keys. */
export interface BookingSettings {
	chart: ChartName;
	accountLength: number;
	automaticAccounts: string[];
	accounts: AccountSet;
	taxKeys: TaxKeySet;
	revenueMode: RevenueMode;
	defaultVatRate: VatRate;
	euDistanceSales: 'oss' | 'domestic';
	serviceDate: boolean;
	feeLines: FeeLineMode;
	/** Fee Types entries (account resolved); what an entry leaves out comes from its category. Use `feeMapping`. */
	feeTypes: Record<string, Partial<TypeMapping>>;
	adjustmentTypes: Record<string, TypeMapping>;
	templates: {
		text: string;
		orderDocument: string;
		statementDocument: string;
		paymentDocument: string;
		invoiceNumber: string;
		documentField2: string;
	};
	timeZone: string;
}

export class BookingSettingsError extends Error {
	constructor(readonly issues: string[]) {
		super(`Invalid booking settings:\n${issues.join('\n')}`);
		this.name = 'BookingSettingsError';
	}
}

/** "TikTok Balance Account (accounts.balance)": the node parameter a settings path belongs to. */
function describePath(path: readonly (string | number)[]): string {
	const [head, name, field] = path.map(String);
	if (head === 'accounts' && isAccountRole(name)) {
		return ROLE_LABELS[name];
	}
	if (head === 'taxKeys' && (TAX_KEY_ROLES as readonly string[]).includes(name)) {
		return TAX_KEY_LABELS[name as TaxKeyRole];
	}
	if (head === 'feeTypes' && name !== undefined) {
		return `Fee Types › ${name}${field ? ` › ${field}` : ''}`;
	}
	if (head === 'adjustmentTypes' && name !== undefined) {
		return `Adjustment Type Accounts › ${name}${field ? ` › ${field}` : ''}`;
	}
	if (head === 'accountLength') {
		return 'Sachkontenlänge';
	}
	if (head === 'automaticAccounts') {
		return 'Automatic Accounts';
	}
	return ['settings', ...path].join('.');
}

/** Validates the node's settings and returns the effective settings (chart preset + overrides). */
export function parseBookingSettings(raw: unknown = {}): BookingSettings {
	const parsed = bookingSettingsSchema.safeParse(raw ?? {});
	if (!parsed.success) {
		throw new BookingSettingsError(parsed.error.issues.map((issue) => `${describePath(issue.path)}: ${issue.message}`));
	}
	const value = parsed.data;
	const { accounts, taxKeys } = resolveChart(value.chart, { accounts: value.accounts, taxKeys: value.taxKeys }, value.accountLength);
	const feeTypes: Record<string, Partial<TypeMapping>> = {};
	for (const [name, mapping] of Object.entries(value.feeTypes)) {
		feeTypes[name] = {
			...(mapping.account === undefined ? {} : { account: resolveAccountRef(mapping.account, accounts) }),
			...(mapping.taxKey === undefined ? {} : { taxKey: mapping.taxKey }),
		};
	}
	const adjustmentTypes: Record<string, TypeMapping> = {};
	for (const [type, mapping] of Object.entries(value.adjustmentTypes)) {
		adjustmentTypes[type] = { account: resolveAccountRef(mapping.account, accounts), taxKey: mapping.taxKey ?? '' };
	}
	const settings: BookingSettings = {
		chart: value.chart,
		accountLength: value.accountLength,
		automaticAccounts:
			value.automaticAccounts ?? defaultAutomaticAccounts(value.chart === 'SKR03' ? '03' : '04', value.accountLength),
		accounts,
		taxKeys,
		revenueMode: value.revenueMode,
		defaultVatRate: value.defaultVatRate,
		euDistanceSales: value.euDistanceSales,
		serviceDate: value.serviceDate,
		feeLines: value.feeLines,
		feeTypes,
		adjustmentTypes,
		templates: value.templates,
		timeZone: value.timeZone,
	};
	const problems = checkAccounts(settings);
	if (problems.length > 0) {
		throw new BookingSettingsError(problems);
	}
	return settings;
}
