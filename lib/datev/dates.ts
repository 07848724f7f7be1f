/**
 * Calendar-date helpers on ISO strings (YYYY-MM-DD). Booking dates are calendar dates without a time zone, so plain
 * integer arithmetic is exact; ISO strings with four-digit years also compare correctly as strings.
 */

export interface CalendarDate {
	year: number;
	month: number;
	day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function daysInMonth(year: number, month: number): number {
	const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
	return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** Parses a strict YYYY-MM-DD calendar date; undefined for anything else (including 2025-02-30). */
export function parseIsoDate(text: string): CalendarDate | undefined {
	const match = ISO_DATE.exec(text);
	if (!match) {
		return undefined;
	}
	const year = Number(match[1]);
	const month = Number(match[2]);
	const day = Number(match[3]);
	if (year < 1900 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
		return undefined;
	}
	return { year, month, day };
}

export function isIsoDate(text: string): boolean {
	return parseIsoDate(text) !== undefined;
}

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

export function formatIsoDate(date: CalendarDate): string {
	return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

/** First day of the fiscal year that contains `date`, for fiscal years starting on the 1st of `startMonth`. */
export function fiscalYearStartOf(date: CalendarDate, startMonth: number): string {
	const year = date.month >= startMonth ? date.year : date.year - 1;
	return formatIsoDate({ year, month: startMonth, day: 1 });
}

/** The day before the same date one year later: the last day of a fiscal year starting on `start`. */
export function fiscalYearEndOf(start: string): string {
	const { year, month, day } = parseIsoDate(start) as CalendarDate;
	// The last day of a regular fiscal year is the day before the next one begins.
	if (day > 1) {
		return formatIsoDate({ year: year + 1, month, day: day - 1 });
	}
	const endMonth = month === 1 ? 12 : month - 1;
	const endYear = month === 1 ? year : year + 1;
	return formatIsoDate({ year: endYear, month: endMonth, day: daysInMonth(endYear, endMonth) });
}

/** YYYY-MM-DD → YYYYMMDD (header dates). */
export function toCompactDate(iso: string): string {
	return iso.replace(/-/g, '');
}

/** YYYYMMDD → YYYY-MM-DD, or undefined when it is no valid date. */
export function fromCompactDate(compact: string): string | undefined {
	if (!/^\d{8}$/.test(compact)) {
		return undefined;
	}
	const iso = `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;
	return isIsoDate(iso) ? iso : undefined;
}

/* Row dates are written by the writer straight as bytes (writer.ts putDate): YYYY-MM-DD → TTMM for the Belegdatum,
 * TTMMJJJJ for Leistungsdatum and Datum Zuord. Steuerperiode. */

/** TTMMJJJJ → YYYY-MM-DD, or undefined when it is no valid date (row dates other than Belegdatum). */
export function fromDayMonthYear(text: string): string | undefined {
	if (!/^\d{8}$/.test(text)) {
		return undefined;
	}
	const iso = `${text.slice(4, 8)}-${text.slice(2, 4)}-${text.slice(0, 2)}`;
	return isIsoDate(iso) ? iso : undefined;
}
