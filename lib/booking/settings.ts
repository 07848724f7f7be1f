/**
 * The booking engine's settings: a zod schema for what the node passes in, and the resolved form the engine uses
 * (chart preset + overrides, role names in mappings replaced by account numbers).
 */
import { DateTime } from 'luxon';
import { z } from 'zod';

import {
	ACCOUNT_ROLES,
	type AccountRole,
	type AccountSet,
	CHART_NAMES,
	type ChartName,
	isAccountRole,
	resolveAccountRef,
	resolveChart,
	type TaxKeySet,
} from './charts';
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

export const REVENUE_MODES = ['clearing', 'collectiveDebtor', 'revenueAccounts'] as const;
export type RevenueMode = (typeof REVENUE_MODES)[number];
export const FEE_LINE_MODES = ['total', 'perFeeType'] as const;
export type FeeLineMode = (typeof FEE_LINE_MODES)[number];

export const bookingSettingsSchema = z
	.object({
		chart: z.enum(CHART_NAMES).default('SKR03'),
		/** Overrides of the chart's role accounts. */
		accounts: accountOverrides.default({}),
		/** Overrides of the chart's tax keys (fees: BU 506 by default; revenue and shipping: none). */
		taxKeys: z
			.object({ fees: taxKey.optional(), revenue: taxKey.optional(), shipping: taxKey.optional() })
			.strict()
			.default({}),
		revenueMode: z.enum(REVENUE_MODES).default('clearing'),
		/** Which revenue account the 'revenueAccounts' mode uses (one per shop: the settlement has no VAT rate). */
		revenueAccount: z.enum(['revenue19', 'revenue7']).default('revenue19'),
		feeLines: z.enum(FEE_LINE_MODES).default('total'),
		/**
		 * Per fee type of fee_tax_breakdown (key = TikTok field name, e.g. 'platform_commission_amount' or
		 * 'vat_amount'): account and tax key. Unmapped types use the fee account and the fee key.
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
				/** Belegfeld 1 on revenue lines in 'collectiveDebtor' mode: must equal the invoice's Belegfeld 1 (OPOS). */
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

export interface TypeMapping {
	account: string;
	taxKey: string;
}

/** The effective settings: everything resolved to account numbers and keys. */
export interface BookingSettings {
	chart: ChartName;
	accounts: AccountSet;
	taxKeys: TaxKeySet;
	revenueMode: RevenueMode;
	revenueAccount: 'revenue19' | 'revenue7';
	feeLines: FeeLineMode;
	feeTypes: Record<string, TypeMapping>;
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

/** Validates the node's settings and returns the effective settings (chart preset + overrides). */
export function parseBookingSettings(raw: unknown = {}): BookingSettings {
	const parsed = bookingSettingsSchema.safeParse(raw ?? {});
	if (!parsed.success) {
		throw new BookingSettingsError(
			parsed.error.issues.map((issue) => `${['settings', ...issue.path].join('.')}: ${issue.message}`),
		);
	}
	const value = parsed.data;
	const { accounts, taxKeys } = resolveChart(value.chart, { accounts: value.accounts, taxKeys: value.taxKeys });
	const feeTypes: Record<string, TypeMapping> = {};
	for (const [name, mapping] of Object.entries(value.feeTypes)) {
		feeTypes[name] = {
			account: resolveAccountRef(mapping.account ?? 'fees', accounts),
			taxKey: mapping.taxKey ?? taxKeys.fees,
		};
	}
	const adjustmentTypes: Record<string, TypeMapping> = {};
	for (const [type, mapping] of Object.entries(value.adjustmentTypes)) {
		adjustmentTypes[type] = { account: resolveAccountRef(mapping.account, accounts), taxKey: mapping.taxKey ?? '' };
	}
	return {
		chart: value.chart,
		accounts,
		taxKeys,
		revenueMode: value.revenueMode,
		revenueAccount: value.revenueAccount,
		feeLines: value.feeLines,
		feeTypes,
		adjustmentTypes,
		templates: value.templates,
		timeZone: value.timeZone,
	};
}
