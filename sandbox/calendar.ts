/** UTC day arithmetic. A "day" is a whole number of days since 1970-01-01 UTC; statements are stamped at its 00:00. */

export const DAY_SECONDS = 86_400;
export const DAY_MS = DAY_SECONDS * 1000;

export interface Month {
	year: number;
	/** 1–12 */
	month: number;
}

const MONTH_PATTERN = /^(\d{4})-(\d{2})$/;

export function parseMonth(text: string): Month {
	const match = MONTH_PATTERN.exec(text);
	const month = match ? Number(match[2]) : 0;
	if (!match || month < 1 || month > 12) {
		throw new Error(`expected a month as YYYY-MM, got "${text}"`);
	}
	return { year: Number(match[1]), month };
}

export function formatMonth({ year, month }: Month): string {
	return `${year}-${String(month).padStart(2, '0')}`;
}

export function monthFirstDay({ year, month }: Month): number {
	return Date.UTC(year, month - 1, 1) / DAY_MS;
}

export function daysInMonth({ year, month }: Month): number {
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function monthOfDay(day: number): Month {
	const date = new Date(day * DAY_MS);
	return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1 };
}

export function nextMonth({ year, month }: Month): Month {
	return month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
}

/** Month key as one integer (year * 12 + month - 1), for hashing and caching. */
export function monthIndex({ year, month }: Month): number {
	return year * 12 + month - 1;
}
