/**
 * Exact money: TikTok sends decimal strings ("-66.79"), we compute in integer minor units (cents) and
 * never touch floating point. Minor units are JS integers, checked to stay within the safe-integer range.
 */
import { preview } from './preview';

/** ISO 4217 currencies whose minor unit is not 2 decimals. Everything else TikTok sells in uses 2. */
const NON_TWO_DECIMAL: Record<string, number> = {
	BHD: 3,
	CLP: 0,
	IDR: 0, // TikTok sends IDR without decimals
	ISK: 0,
	JOD: 3,
	JPY: 0,
	KRW: 0,
	KWD: 3,
	OMR: 3,
	PYG: 0,
	TND: 3,
	UGX: 0,
	VND: 0,
	XAF: 0,
	XOF: 0,
};

/** Currencies we accept. A currency outside this list is an input error, not a guess. */
const KNOWN_CURRENCIES = new Set([
	'EUR', 'GBP', 'USD', 'CHF', 'PLN', 'CZK', 'DKK', 'SEK', 'NOK', 'HUF', 'RON', 'BGN',
	'MXN', 'BRL', 'CAD', 'AUD', 'SGD', 'MYR', 'THB', 'PHP', 'CNY', 'HKD', 'TWD', 'SAR',
	'AED', 'TRY', ...Object.keys(NON_TWO_DECIMAL),
]);

export class MoneyError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'MoneyError';
	}
}

export function isKnownCurrency(currency: string): boolean {
	return KNOWN_CURRENCIES.has(currency);
}

/** Number of decimals of a currency's minor unit; throws for an unknown currency. */
export function currencyDecimals(currency: string): number {
	if (!isKnownCurrency(currency)) {
		throw new MoneyError(`unknown currency "${preview(currency)}"`);
	}
	return NON_TWO_DECIMAL[currency] ?? 2;
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal string into integer minor units of `currency`.
 * Accepts "12", "-12.5", "12.50", "+0.01"; rejects floats in exponent notation, thousands separators,
 * empty strings and more decimals than the currency has (unless the extra digits are zeros: "1.500" EUR is 150).
 */
export function parseMinor(value: string, currency: string): number {
	const decimals = currencyDecimals(currency);
	const text = value.trim();
	const match = DECIMAL.exec(text);
	if (!match) {
		throw new MoneyError(`"${preview(value)}" is not a decimal amount`);
	}
	const [, sign, whole, fractionRaw = ''] = match;
	const significant = fractionRaw.replace(/0+$/, '');
	if (significant.length > decimals) {
		throw new MoneyError(`"${preview(value)}" has more than ${decimals} decimals for ${currency}`);
	}
	const fraction = significant.padEnd(decimals, '0');
	const digits = (whole + fraction).replace(/^0+(?=\d)/, '');
	const magnitude = Number(digits);
	if (!Number.isSafeInteger(magnitude)) {
		throw new MoneyError(`"${preview(value)}" is too large`);
	}
	return sign === '-' && magnitude !== 0 ? -magnitude : magnitude;
}

/** Formats minor units as a decimal string with a point, the way TikTok writes amounts ("-66.79"). */
export function formatMinor(minor: number, currency: string, separator = '.'): string {
	if (!Number.isSafeInteger(minor)) {
		throw new MoneyError(`${minor} is not an integer amount of minor units`);
	}
	const decimals = currencyDecimals(currency);
	const negative = minor < 0;
	const digits = String(Math.abs(minor)).padStart(decimals + 1, '0');
	const whole = digits.slice(0, digits.length - decimals);
	const fraction = digits.slice(digits.length - decimals);
	const body = decimals === 0 ? whole : `${whole}${separator}${fraction}`;
	return negative ? `-${body}` : body;
}

/** Sum of minor units that fails loudly instead of losing precision. */
export function sumMinor(values: readonly number[]): number {
	let total = 0;
	for (const value of values) {
		total += value;
	}
	if (!Number.isSafeInteger(total)) {
		throw new MoneyError('sum exceeds the safe integer range');
	}
	return total;
}
