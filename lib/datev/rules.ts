/**
 * Field rules checked before a Buchungsstapel is written (reference §1.4). Each rule is a pure function of one
 * booking and the batch context; all violations are collected so that a user can fix a whole export in one go.
 * Text lengths are measured on the text as it will be written (after Windows-1252 transliteration).
 */
import type { BookingLine, BookingSource } from '../booking-line';
import { currencyDecimals, isKnownCurrency } from '../money';
import { fiscalYearEndOf, isIsoDate } from './dates';
import { preview } from '../preview';
import { encodableText, prepareText } from './fields';
import { startsLikeFormula } from './text-safety';

export type RuleId =
	| 'amount-positive'
	| 'amount-too-large'
	| 'amount-precision'
	| 'side'
	| 'currency-unknown'
	| 'currency-mismatch'
	| 'account-format'
	| 'account-length'
	| 'tax-key-format'
	| 'tax-key-automatic-account'
	| 'date-format'
	| 'date-period'
	| 'date-fiscal-year'
	| 'document-field-1-length'
	| 'document-field-1-charset'
	| 'document-field-2-length'
	| 'document-field-2-charset'
	| 'text-length'
	| 'order-number-length'
	| 'settlement-reference-length'
	| 'eu-country'
	| 'eu-tax-rate'
	| 'service-date';

export interface RuleViolation {
	rule: RuleId;
	/** Position of the booking in the caller's input array. */
	index: number;
	field: keyof BookingLine;
	source: BookingSource;
	/** Full message, starting with the booking's index and source ids. */
	message: string;
}

export interface RuleContext {
	/** Sachkontennummernlänge of the client. */
	accountLength: number;
	/** WJ-Beginn, Datum vom, Datum bis as YYYY-MM-DD. */
	fiscalYearStart: string;
	periodFrom: string;
	periodTo: string;
	/** Batch currency (header WKZ). */
	currency: string;
	/** Accounts with a fixed tax function ("Automatikkonten") as the client numbers them. */
	automaticAccounts: readonly string[];
}

/**
 * Automatic accounts of the standard charts (reference §3.3), with Sachkontenlänge 4: revenue 19 % / 7 %,
 * intra-EU delivery, OSS revenue and the §13b purchase accounts.
 */
export const DEFAULT_AUTOMATIC_ACCOUNTS: Readonly<Record<'03' | '04', readonly string[]>> = Object.freeze({
	'03': ['8400', '8300', '8125', '8320', '8336', '8338', '3123', '3125'],
	'04': ['4400', '4300', '4125', '4320', '4336', '4338', '5923', '5925'],
});

/**
 * Default automatic accounts for a chart and Sachkontenlänge. Longer account numbers extend the 4-digit SKR numbers
 * with trailing zeros (8400 → 84000), which is how DATEV widens a chart.
 */
export function defaultAutomaticAccounts(chart: '03' | '04', accountLength: number): string[] {
	return DEFAULT_AUTOMATIC_ACCOUNTS[chart].map((account) => account.padEnd(accountLength, '0'));
}

/** BU keys allowed on automatic accounts: 40 suspends the automatic, 20 is the Generalumkehr key. */
const KEYS_ALLOWED_ON_AUTOMATIC_ACCOUNTS = new Set(['40', '20']);

/**
 * DATEV's character set for Belegfeld 1/2: letters, digits and `$ % - /`. This is the intersection of DATEV's text
 * (letters, digits, `$ & % * + - /`) and DATEV's regex (`[\w$%\-\/]`), so it passes both.
 */
const DOCUMENT_FIELD_CHARSET = /^[A-Za-z0-9$%/-]*$/;

const MAX_TEXT = 60;
const MAX_DOCUMENT_FIELD_1 = 36;
const MAX_DOCUMENT_FIELD_2 = 12;
const MAX_ORDER_NUMBER = 30;
const MAX_SETTLEMENT_REFERENCE = 50;
/** `^\d{1,10},\d{2}$`: at most ten digits before the decimal comma. */
const MAX_WHOLE_UNITS_DIGITS = 10;

/** "bookings[3] (statement 7001, transaction 88, order 576…, component fee:…)" */
export function describeBooking(index: number, source: BookingSource | undefined): string {
	if (!source) {
		return `bookings[${index}]`;
	}
	const ids = [
		source.statementId !== undefined ? `statement ${source.statementId}` : '',
		source.transactionId !== undefined ? `transaction ${source.transactionId}` : '',
		source.orderId !== undefined ? `order ${source.orderId}` : '',
		source.paymentId !== undefined ? `payment ${source.paymentId}` : '',
		source.component ? `component ${source.component}` : '',
	].filter((part) => part !== '');
	return `bookings[${index}] (${[source.kind, ...ids].join(', ')})`;
}

type Report = (rule: RuleId, field: keyof BookingLine, problem: string) => void;

/** The context with what every booking needs precomputed once per batch. */
export interface CompiledContext extends RuleContext {
	automatic: ReadonlySet<string>;
	fiscalYearEnd: string;
	/** Dates already found valid: a month's bookings share a few dates, so each is parsed once. */
	validDates: Set<string>;
	/** Accounts already found valid: a month's lines use a few dozen accounts, each is checked once. */
	validAccounts: Set<string>;
}

const stripZeros = (account: string): string => account.replace(/^0+/, '');

export function compileRuleContext(context: RuleContext): CompiledContext {
	return {
		...context,
		automatic: new Set(context.automaticAccounts.map(stripZeros)),
		fiscalYearEnd: isIsoDate(context.fiscalYearStart) ? fiscalYearEndOf(context.fiscalYearStart) : context.fiscalYearStart,
		validDates: new Set(),
		validAccounts: new Set(),
	};
}

function checkAmount(booking: BookingLine, context: RuleContext, report: Report): void {
	const { amountMinor, currency } = booking;
	if (!Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
		report('amount-positive', 'amountMinor', `Umsatz must be a positive whole number of minor units, got ${String(amountMinor)}`);
		return;
	}
	const unit = isKnownCurrency(currency) ? currency : context.currency;
	if (!isKnownCurrency(unit)) {
		return;
	}
	const decimals = currencyDecimals(unit);
	const limit = 10 ** (MAX_WHOLE_UNITS_DIGITS + decimals);
	if (amountMinor >= limit) {
		report('amount-too-large', 'amountMinor', `Umsatz ${amountMinor} minor units has more than ${MAX_WHOLE_UNITS_DIGITS} digits before the decimal comma`);
	}
	if (decimals > 2 && amountMinor % 10 ** (decimals - 2) !== 0) {
		report('amount-precision', 'amountMinor', `Umsatz ${amountMinor} minor units of ${unit} cannot be written with two decimals`);
	}
}

const ACCOUNT_FIELDS = ['account', 'contraAccount'] as const;

function checkAccount(field: 'account' | 'contraAccount', value: string, context: RuleContext, report: Report): void {
	const label = field === 'account' ? 'Konto' : 'Gegenkonto';
	if (!/^\d+$/.test(value)) {
		report('account-format', field, `${label} "${preview(value)}" must consist of digits only`);
		return;
	}
	if (/^0+$/.test(value)) {
		report('account-format', field, `${label} "${preview(value)}" must not be zero`);
		return;
	}
	const length = context.accountLength;
	// A Sachkonto has exactly Sachkontenlänge digits (leading zeros allowed in the input; they are not written).
	// A Personenkonto has one digit more and cannot start with 0: debtors 1…–6…, creditors 7…–9….
	const isGeneralLedger = value.length === length;
	const isPersonal = value.length === length + 1 && value[0] !== '0';
	if (!isGeneralLedger && !isPersonal) {
		report(
			'account-length',
			field,
			`${label} "${preview(value)}" has ${value.length} digits; with Sachkontenlänge ${length} a general ledger account has ${length} digits ` +
				`and a debtor/creditor account ${length + 1} digits (debtors 1${'0'.repeat(length)}–6${'9'.repeat(length)}, ` +
				`creditors 7${'0'.repeat(length)}–9${'9'.repeat(length)})`,
		);
	}
}

function checkTaxKey(booking: BookingLine, context: CompiledContext, report: Report): void {
	const key = booking.taxKey;
	if (key === '') {
		return;
	}
	if (!/^\d{1,4}$/.test(key)) {
		report('tax-key-format', 'taxKey', `BU-Schlüssel "${preview(key)}" must be 1 to 4 digits or empty`);
		return;
	}
	if (KEYS_ALLOWED_ON_AUTOMATIC_ACCOUNTS.has(key)) {
		return;
	}
	for (const field of ['account', 'contraAccount'] as const) {
		if (context.automatic.has(stripZeros(booking[field]))) {
			report(
				'tax-key-automatic-account',
				'taxKey',
				`BU-Schlüssel "${key}" on automatic account ${booking[field]}: DATEV derives the tax from the account, leave the key empty`,
			);
		}
	}
}

function checkDate(booking: BookingLine, context: CompiledContext, report: Report): void {
	const { date } = booking;
	if (!context.validDates.has(date)) {
		if (!isIsoDate(date)) {
			report('date-format', 'date', `Belegdatum "${preview(date)}" must be a date YYYY-MM-DD`);
			return;
		}
		context.validDates.add(date);
	}
	if (date < context.periodFrom || date > context.periodTo) {
		report('date-period', 'date', `Belegdatum ${date} is outside Datum vom/bis ${context.periodFrom} – ${context.periodTo}`);
	}
	if (date < context.fiscalYearStart || date > context.fiscalYearEnd) {
		report('date-fiscal-year', 'date', `Belegdatum ${date} is outside the fiscal year ${context.fiscalYearStart} – ${context.fiscalYearEnd}`);
	}
}

/** The booking's text fields as they will be written (prepareText: Windows-1252, no control characters, no formula). */
export interface PreparedTextFields {
	documentField1: string;
	documentField2: string;
	text: string;
	euCountry: string;
	orderNumber: string;
	settlementReference: string;
}

/**
 * Prepares each text field once; the rules measure and the writer writes these same strings. With the previous
 * booking and its prepared fields, values it shares (the order and statement ids of consecutive lines) are reused.
 */
export function prepareTextFields(
	booking: BookingLine,
	previous?: { booking: BookingLine; prepared: PreparedTextFields },
): PreparedTextFields {
	return {
		documentField1: prepareField(booking, 'documentField1', previous),
		documentField2: prepareField(booking, 'documentField2', previous),
		text: prepareField(booking, 'text', previous),
		euCountry: prepareField(booking, 'euCountry', previous),
		orderNumber: prepareField(booking, 'orderNumber', previous),
		settlementReference: prepareField(booking, 'settlementReference', previous),
	};
}

function prepareField(
	booking: BookingLine,
	field: keyof PreparedTextFields,
	previous: { booking: BookingLine; prepared: PreparedTextFields } | undefined,
): string {
	const value = booking[field] ?? '';
	return previous !== undefined && (previous.booking[field] ?? '') === value ? previous.prepared[field] : prepareText(value);
}

function checkLength(
	rule: RuleId,
	field: keyof BookingLine,
	label: string,
	written: string,
	max: number,
	report: Report,
): void {
	if (written.length > max) {
		report(rule, field, `${label} is ${written.length} characters long; DATEV allows ${max}`);
	}
}

function checkDocumentField(
	field: 'documentField1' | 'documentField2',
	value: string,
	written: string,
	max: number,
	report: Report,
): void {
	const label = field === 'documentField1' ? 'Belegfeld 1' : 'Belegfeld 2';
	const number = field === 'documentField1' ? 1 : 2;
	// DATEV's character set has no apostrophe to neutralise a formula with: such a value is the caller's to fix.
	// prepareText only puts an apostrophe in front of a formula, so only then is the text looked at again.
	const encodable = written.startsWith("'") ? encodableText(value) : written;
	if (startsLikeFormula(encodable)) {
		report(
			`document-field-${number}-charset`,
			field,
			`${label} "${preview(encodable)}" must not start with = + - @ (a spreadsheet would run it as a formula)`,
		);
		return;
	}
	checkLength(`document-field-${number}-length`, field, label, written, max, report);
	if (!DOCUMENT_FIELD_CHARSET.test(written)) {
		report(
			`document-field-${number}-charset`,
			field,
			`${label} "${preview(written)}" may only contain letters A–Z/a–z, digits and $ % - / (no blanks, umlauts, . , ; : _)`,
		);
	}
}

/** EU-Land u. UStID: a two-letter country code (DATEV writes Greece as EL), optionally followed by a VAT id; ≤ 15. */
const EU_COUNTRY = /^[A-Z]{2}[A-Z0-9+*]{0,13}$/;

/** Columns 40/41 (EU-Land, EU-Steuersatz) go together: DATEV needs the country's rate to compute an OSS sale's tax. */
function checkEuFields(booking: BookingLine, report: Report): void {
	const { euCountry, euTaxRate } = booking;
	if (euCountry !== undefined && euCountry !== '' && !EU_COUNTRY.test(euCountry)) {
		report('eu-country', 'euCountry', `EU-Land u. UStID "${euCountry}" must be a two-letter country code, optionally followed by a VAT id (≤ 15 characters)`);
	}
	if (euTaxRate !== undefined && (!Number.isSafeInteger(euTaxRate) || euTaxRate < 0 || euTaxRate > 9999)) {
		report('eu-tax-rate', 'euTaxRate', `EU-Steuersatz ${String(euTaxRate)} must be 0 to 9999 hundredths of a percent (0,00 to 99,99 %)`);
	}
	if ((euCountry === undefined || euCountry === '') !== (euTaxRate === undefined)) {
		report('eu-tax-rate', 'euTaxRate', 'EU-Land u. UStID and EU-Steuersatz must be given together');
	}
}

/** Leistungsdatum (115) needs Datum Zuord. Steuerperiode (116); DATEV's import rejects one without the other. */
function checkServiceDate(booking: BookingLine, report: Report): void {
	const { serviceDate, taxPeriodDate } = booking;
	// Most lines have neither (only revenue lines in the revenue-account mode carry them).
	if (serviceDate === undefined && taxPeriodDate === undefined) return;
	for (const [field, label, value] of [
		['serviceDate', 'Leistungsdatum', serviceDate],
		['taxPeriodDate', 'Datum Zuord. Steuerperiode', taxPeriodDate],
	] as const) {
		if (value !== undefined && !isIsoDate(value)) {
			report('service-date', field, `${label} "${value}" must be a date YYYY-MM-DD`);
		}
	}
	if ((serviceDate === undefined) !== (taxPeriodDate === undefined)) {
		report('service-date', 'taxPeriodDate', 'Leistungsdatum and Datum Zuord. Steuerperiode must be given together');
	}
}

/**
 * Checks one booking whose text fields were prepared by `prepareTextFields`, appending its violations to
 * `violations` (the streaming writer checks and writes from the same prepared strings).
 */
export function checkPrepared(
	booking: BookingLine,
	prepared: PreparedTextFields,
	index: number,
	context: CompiledContext,
	violations: RuleViolation[],
): void {
	const report: Report = (rule, field, problem) =>
		violations.push({ rule, index, field, source: booking.source, message: `${describeBooking(index, booking.source)}: ${problem}` });

	checkAmount(booking, context, report);
	if (booking.side !== 'S' && booking.side !== 'H') {
		report('side', 'side', `Soll/Haben-Kennzeichen must be "S" or "H", got "${preview(booking.side)}"`);
	}
	if (!isKnownCurrency(booking.currency)) {
		report('currency-unknown', 'currency', `WKZ Umsatz "${preview(booking.currency)}" is not a known ISO 4217 currency code`);
	} else if (booking.currency !== context.currency) {
		report(
			'currency-mismatch',
			'currency',
			`WKZ Umsatz ${booking.currency} differs from the batch currency ${context.currency}; foreign-currency bookings need Kurs and Basis-Umsatz, which a booking line does not carry`,
		);
	}
	const { validAccounts } = context;
	for (const field of ACCOUNT_FIELDS) {
		const account = booking[field];
		if (validAccounts.has(account)) continue;
		const before = violations.length;
		checkAccount(field, account, context, report);
		if (violations.length === before) validAccounts.add(account);
	}
	checkTaxKey(booking, context, report);
	checkDate(booking, context, report);
	checkDocumentField('documentField1', booking.documentField1, prepared.documentField1, MAX_DOCUMENT_FIELD_1, report);
	checkDocumentField('documentField2', booking.documentField2, prepared.documentField2, MAX_DOCUMENT_FIELD_2, report);
	checkLength('text-length', 'text', 'Buchungstext', prepared.text, MAX_TEXT, report);
	checkLength('order-number-length', 'orderNumber', 'Auftragsnummer', prepared.orderNumber, MAX_ORDER_NUMBER, report);
	checkLength(
		'settlement-reference-length',
		'settlementReference',
		'Abrechnungsreferenz',
		prepared.settlementReference,
		MAX_SETTLEMENT_REFERENCE,
		report,
	);
	checkEuFields(booking, report);
	checkServiceDate(booking, report);
}

/** All violations of one booking; `index` is its position in the caller's input. */
export function checkBooking(booking: BookingLine, index: number, context: RuleContext): RuleViolation[] {
	const violations: RuleViolation[] = [];
	checkPrepared(booking, prepareTextFields(booking), index, compileRuleContext(context), violations);
	return violations;
}

/**
 * All violations of all bookings. `indices[i]` is the position of `bookings[i]` in the caller's input (batches pass
 * the original positions); defaults to `i`.
 */
export function checkBookings(
	bookings: readonly BookingLine[],
	context: RuleContext,
	indices?: readonly number[],
): RuleViolation[] {
	const compiled = compileRuleContext(context);
	const violations: RuleViolation[] = [];
	bookings.forEach((booking, i) => {
		checkPrepared(booking, prepareTextFields(booking), indices ? indices[i] : i, compiled, violations);
	});
	return violations;
}

/** Thrown by the writer when bookings break field rules; carries every violation. */
export class DatevValidationError extends Error {
	constructor(readonly violations: RuleViolation[]) {
		const shown = violations.slice(0, 20).map((violation) => violation.message);
		const more = violations.length > shown.length ? `; … and ${violations.length - shown.length} more` : '';
		super(`${violations.length} booking(s) break DATEV field rules: ${shown.join('; ')}${more}`);
		this.name = 'DatevValidationError';
	}
}
