import { DateTime } from 'luxon';

/*
 * Periods as a bookkeeper thinks of them ("last month" in Europe/Berlin), turned into TikTok's UTC epoch filters.
 *
 * Two kinds of filter exist:
 * - instants (payments' create_time, withdrawals, unsettled search_time): the local period's start and end are
 *   converted to UTC seconds as they are;
 * - statement days: TikTok stamps each daily statement at 00:00 UTC of the day AFTER the UTC day it covers. A
 *   period of calendar days D1..Dn therefore selects statement_time in [D1 + 1 day, Dn + 2 days) at 00:00 UTC, so
 *   that the statement of 31 October belongs to October whatever the seller's time zone.
 */

export type PeriodPreset = 'lastMonth' | 'thisMonth' | 'last7Days' | 'yesterday' | 'custom';

export interface PeriodInput {
	preset: PeriodPreset;
	timeZone: string;
	/** For 'custom': ISO dates or date-times, interpreted in `timeZone`; `end` is inclusive when it is a date. */
	start?: string;
	end?: string;
}

export interface LocalPeriod {
	/** Inclusive start, exclusive end, in the configured zone. */
	start: DateTime;
	end: DateTime;
	/** First and last calendar day covered (YYYY-MM-DD), for statement filters and labels. */
	firstDay: string;
	lastDay: string;
}

export class PeriodError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PeriodError';
	}
}

function parseLocal(value: string, zone: string, field: string): DateTime {
	const parsed = DateTime.fromISO(value, { zone });
	if (!parsed.isValid) throw new PeriodError(`${field} "${value}" is not a valid date`);
	return parsed;
}

const isDateOnly = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value.trim());

/** Resolves a preset against `nowMs` in `timeZone`. */
export function resolvePeriod(input: PeriodInput, nowMs: number): LocalPeriod {
	const zone = input.timeZone || 'Europe/Berlin';
	const now = DateTime.fromMillis(nowMs, { zone });
	if (!now.isValid) throw new PeriodError(`unknown time zone "${zone}"`);
	let start: DateTime;
	let end: DateTime;
	switch (input.preset) {
		case 'lastMonth':
			end = now.startOf('month');
			start = end.minus({ months: 1 });
			break;
		case 'thisMonth':
			start = now.startOf('month');
			end = now.startOf('day').plus({ days: 1 });
			break;
		case 'last7Days':
			end = now.startOf('day');
			start = end.minus({ days: 7 });
			break;
		case 'yesterday':
			end = now.startOf('day');
			start = end.minus({ days: 1 });
			break;
		case 'custom': {
			if (!input.start || !input.end) throw new PeriodError('a custom period needs a start and an end');
			start = parseLocal(input.start, zone, 'Start');
			end = parseLocal(input.end, zone, 'End');
			// A date-only end means "up to and including that day"; a date-time end is exclusive.
			if (isDateOnly(input.end)) end = end.plus({ days: 1 });
			break;
		}
		default:
			throw new PeriodError(`unknown period "${String(input.preset)}"`);
	}
	if (end <= start) throw new PeriodError('the period ends before it starts');
	const lastDay = end.minus({ milliseconds: 1 });
	return { start, end, firstDay: start.toISODate() ?? '', lastDay: lastDay.toISODate() ?? '' };
}

/** UTC seconds of a local period's bounds, for create_time / search_time filters. */
export function instantFilter(period: LocalPeriod): { ge: number; lt: number } {
	return { ge: Math.floor(period.start.toSeconds()), lt: Math.ceil(period.end.toSeconds()) };
}

/** statement_time bounds selecting the statements that cover the period's calendar days. */
export function statementFilter(period: LocalPeriod): { ge: number; lt: number } {
	const first = DateTime.fromISO(period.firstDay, { zone: 'utc' });
	const last = DateTime.fromISO(period.lastDay, { zone: 'utc' });
	return {
		ge: Math.floor(first.plus({ days: 1 }).toSeconds()),
		lt: Math.floor(last.plus({ days: 2 }).toSeconds()),
	};
}

/** The UTC calendar day a statement covers: the day before its 00:00 UTC stamp. */
export function statementCoveredDay(statementTime: number): string {
	return DateTime.fromSeconds(statementTime, { zone: 'utc' }).minus({ days: 1 }).toISODate() ?? '';
}

/** 10000-01-01T00:00:00Z: up to here, Date's ISO string is luxon's, character for character. */
const FIVE_DIGIT_YEARS_SECONDS = 253_402_300_800;

/** ISO 8601 UTC string of a TikTok epoch (seconds), or undefined for 0 / missing. */
export function epochToIso(seconds: number | string | undefined | null): string | undefined {
	const value = Number(seconds);
	if (!Number.isFinite(value) || value <= 0) return undefined;
	// Called for every fetched transaction: Date makes a tenth of the garbage of a luxon DateTime (bench/README.md,
	// bench 2, "Memory of the fetch", on why that garbage costs memory). Luxon formats the years beyond 9999.
	if (value < FIVE_DIGIT_YEARS_SECONDS) return new Date(value * 1000).toISOString();
	return DateTime.fromSeconds(value, { zone: 'utc' }).toISO() ?? undefined;
}
