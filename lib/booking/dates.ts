/** Belegdatum: which calendar date a TikTok source is booked on. */
import { DateTime } from 'luxon';

const HALF_DAY_SECONDS = 12 * 60 * 60;

/** The calendar date (YYYY-MM-DD) of a Unix-seconds instant in `timeZone`. */
export function instantDate(unixSeconds: number, timeZone: string): string {
	const date = DateTime.fromSeconds(unixSeconds, { zone: timeZone }).toISODate();
	if (date === null) {
		throw new RangeError(`cannot express ${unixSeconds} in time zone "${timeZone}"`);
	}
	return date;
}

/**
 * A statement is stamped at 00:00 UTC and covers the day before. Its lines are booked on the day it covers, so a
 * statement stamped 2025-07-01T00:00Z lands on 2025-06-30 in the June file: the money was earned and settled
 * in June, and the July payout bridges the gap through the transit account. The covered day is taken as the date
 * of the middle of the covered 24 hours in the configured zone, which gives that day in every zone within ±12 h
 * of UTC and stays right if TikTok stamps statements at local midnight instead.
 */
export function statementDate(statementTime: number, timeZone: string): string {
	return instantDate(statementTime - HALF_DAY_SECONDS, timeZone);
}
