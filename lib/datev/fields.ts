/**
 * Formatting of single EXTF field values, shared by the header, the rows and the field rules (which must measure
 * text exactly as it will be written).
 */
import { currencyDecimals, formatMinor, MoneyError } from '../money';
import { toCp1252Text } from './cp1252';
import { neutraliseFormula } from './text-safety';

const isControl = (code: number): boolean => code < 0x20 || code === 0x7f;

export function hasControlCharacter(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		if (isControl(text.charCodeAt(i))) {
			return true;
		}
	}
	return false;
}

/** The text in Windows-1252 (transliterated, see toCp1252Text) without control characters. */
export function encodableText(value: string): string {
	const safe = toCp1252Text(value);
	if (!hasControlCharacter(safe)) {
		return safe;
	}
	// CR, LF, TAB and other control characters are not allowed inside DATEV fields; each becomes a blank.
	let out = '';
	for (let i = 0; i < safe.length; i++) {
		out += isControl(safe.charCodeAt(i)) ? ' ' : safe[i];
	}
	return out;
}

/**
 * The text as it will stand in the file (before quoting): Windows-1252-safe, without control characters, and never
 * starting like a spreadsheet formula (text-safety.ts). Every text field of the file goes through here.
 */
export function prepareText(value: string): string {
	return isPlainText(value) ? value : neutraliseFormula(encodableText(value));
}

/**
 * Printable Latin-1 that does not start like a formula (blank, = + - @): what prepareText leaves as it is, found in
 * one pass over the characters (the booking engine's text mostly is, "Gebühren" included: Latin-1's printable
 * characters are in Windows-1252 and already NFC). The no-break space is left out: a formula check skips it as a
 * blank.
 */
function isPlainText(value: string): boolean {
	if (value.length > 0) {
		const first = value.charCodeAt(0);
		if (first === 0x20 || first === 0x3d || first === 0x2b || first === 0x2d || first === 0x40) return false;
	}
	for (let index = 0; index < value.length; index++) {
		const code = value.charCodeAt(index);
		if (code < 0x20 || (code > 0x7e && code < 0xa1) || code > 0xff) return false;
	}
	return true;
}

/** Quotes text that went through prepareText, doubling inner quotes. */
export function quoteText(prepared: string): string {
	return prepared.includes('"') ? `"${prepared.replace(/"/g, '""')}"` : `"${prepared}"`;
}

/** A text field: prepared, quoted, inner quotes doubled. */
export function formatText(value: string): string {
	return quoteText(prepareText(value));
}

/**
 * An EXTF amount: decimal comma, exactly two decimals, no sign, no thousands separator (`^\d{1,10},\d{2}$`).
 * Currencies without minor unit get ",00"; three-decimal currencies can only be written in whole hundredths.
 */
export function formatAmount(minor: number, currency: string): string {
	if (minor < 0) {
		throw new MoneyError('DATEV amounts are never negative; the sign goes into Soll/Haben');
	}
	const decimals = currencyDecimals(currency);
	if (decimals === 2 && Number.isSafeInteger(minor)) {
		// formatMinor's result for two decimals, without its padding and slicing (a row has one amount, a month millions).
		const cents = minor % 100;
		return `${(minor - cents) / 100},${cents < 10 ? '0' : ''}${cents}`;
	}
	const text = formatMinor(minor, currency, ',');
	if (decimals === 2) {
		return text;
	}
	if (decimals === 0) {
		return `${text},00`;
	}
	const surplus = text.slice(text.length - (decimals - 2));
	if (!/^0+$/.test(surplus)) {
		throw new MoneyError(`${text} ${currency} cannot be written with two decimals`);
	}
	return text.slice(0, text.length - (decimals - 2));
}

/** A rate in hundredths of a percent as DATEV's `Steuersatz` fields want it (`^\d{1,2},\d{2}$`): 2000 → "20,00". */
export function formatPercent(hundredths: number): string {
	if (!Number.isSafeInteger(hundredths) || hundredths < 0 || hundredths > 9999) {
		throw new RangeError(`a DATEV tax rate is 0,00 to 99,99 %, got ${hundredths} hundredths`);
	}
	return `${Math.floor(hundredths / 100)},${String(hundredths % 100).padStart(2, '0')}`;
}

/** Account numbers are written without leading zeros (DATEV's sample writes SKR03 0085 as 85). */
export function formatAccount(account: string): string {
	return account.charCodeAt(0) === 0x30 ? account.replace(/^0+(?=\d)/, '') : account;
}
