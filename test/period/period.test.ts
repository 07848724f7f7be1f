import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';

import {
	epochToIso,
	instantFilter,
	PeriodError,
	resolvePeriod,
	statementCoveredDay,
	statementFilter,
} from '../../lib/period';

const utc = (iso: string) => Date.parse(iso);
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

describe('period presets in Europe/Berlin', () => {
	it('last month on the 1st just after local midnight is the previous month, not two months back', () => {
		// 1 Nov 2026 00:30 in Berlin is 31 Oct 23:30 UTC: in UTC it is still October.
		const period = resolvePeriod({ preset: 'lastMonth', timeZone: 'Europe/Berlin' }, utc('2026-10-31T23:30:00Z'));
		expect(period.firstDay).toBe('2026-10-01');
		expect(period.lastDay).toBe('2026-10-31');
		// October 2026 starts in summer time (UTC+2) and ends in winter time (UTC+1): the DST switch is on 25 Oct.
		expect(instantFilter(period)).toEqual({
			ge: utc('2026-09-30T22:00:00Z') / 1000,
			lt: utc('2026-10-31T23:00:00Z') / 1000,
		});
	});

	it('last month across the March DST switch has 31 days minus one hour', () => {
		const period = resolvePeriod({ preset: 'lastMonth', timeZone: 'Europe/Berlin' }, utc('2026-04-15T10:00:00Z'));
		const { ge, lt } = instantFilter(period);
		expect(iso(ge)).toBe('2026-02-28T23:00:00.000Z');
		expect(iso(lt)).toBe('2026-03-31T22:00:00.000Z');
		expect((lt - ge) / 3600).toBe(31 * 24 - 1);
	});

	it('last month in January is December of the previous year', () => {
		const period = resolvePeriod({ preset: 'lastMonth', timeZone: 'Europe/Berlin' }, utc('2027-01-01T08:00:00Z'));
		expect([period.firstDay, period.lastDay]).toEqual(['2026-12-01', '2026-12-31']);
	});

	it('last month in March of a leap year ends on 29 February', () => {
		const period = resolvePeriod({ preset: 'lastMonth', timeZone: 'Europe/Berlin' }, utc('2028-03-10T08:00:00Z'));
		expect([period.firstDay, period.lastDay]).toEqual(['2028-02-01', '2028-02-29']);
	});

	it('this month runs from the 1st up to and including today', () => {
		const period = resolvePeriod({ preset: 'thisMonth', timeZone: 'Europe/Berlin' }, utc('2026-11-23T12:00:00Z'));
		expect([period.firstDay, period.lastDay]).toEqual(['2026-11-01', '2026-11-23']);
	});

	it('last 7 days are the seven whole days before today, across the autumn DST switch', () => {
		const period = resolvePeriod({ preset: 'last7Days', timeZone: 'Europe/Berlin' }, utc('2026-10-28T09:00:00Z'));
		expect([period.firstDay, period.lastDay]).toEqual(['2026-10-21', '2026-10-27']);
		const { ge, lt } = instantFilter(period);
		expect((lt - ge) / 3600).toBe(7 * 24 + 1);
	});

	it('yesterday is one local day', () => {
		const period = resolvePeriod({ preset: 'yesterday', timeZone: 'Europe/Berlin' }, utc('2026-11-23T00:10:00Z'));
		expect([period.firstDay, period.lastDay]).toEqual(['2026-11-22', '2026-11-22']);
	});

	it('a custom range with date-only end includes the end day', () => {
		const period = resolvePeriod(
			{ preset: 'custom', timeZone: 'Europe/Berlin', start: '2026-08-01', end: '2026-08-31' },
			utc('2026-11-23T12:00:00Z'),
		);
		expect([period.firstDay, period.lastDay]).toEqual(['2026-08-01', '2026-08-31']);
		expect(iso(instantFilter(period).lt)).toBe('2026-08-31T22:00:00.000Z');
	});

	it('another time zone shifts the instants, not the days', () => {
		const period = resolvePeriod({ preset: 'lastMonth', timeZone: 'America/New_York' }, utc('2026-11-23T12:00:00Z'));
		expect([period.firstDay, period.lastDay]).toEqual(['2026-10-01', '2026-10-31']);
		expect(iso(instantFilter(period).ge)).toBe('2026-10-01T04:00:00.000Z');
	});

	it('rejects an unknown zone, a reversed range and a missing custom bound', () => {
		expect(() => resolvePeriod({ preset: 'lastMonth', timeZone: 'Mars/Olympus' }, 0)).toThrow(PeriodError);
		expect(() =>
			resolvePeriod({ preset: 'custom', timeZone: 'Europe/Berlin', start: '2026-09-01', end: '2026-08-01' }, 0),
		).toThrow('ends before it starts');
		expect(() => resolvePeriod({ preset: 'custom', timeZone: 'Europe/Berlin', start: '2026-09-01' }, 0)).toThrow(
			'needs a start and an end',
		);
		expect(() =>
			resolvePeriod({ preset: 'custom', timeZone: 'Europe/Berlin', start: 'yesterday', end: '2026-08-01' }, 0),
		).toThrow('not a valid date');
	});
});

describe('statement filters', () => {
	it('select the statements stamped the day after each covered day, at 00:00 UTC', () => {
		const period = resolvePeriod({ preset: 'lastMonth', timeZone: 'Europe/Berlin' }, utc('2026-11-02T10:00:00Z'));
		const { ge, lt } = statementFilter(period);
		// The statement of 1 October is stamped 2 October 00:00 UTC; the one of 31 October on 1 November.
		expect(iso(ge)).toBe('2026-10-02T00:00:00.000Z');
		expect(iso(lt)).toBe('2026-11-02T00:00:00.000Z');
		expect(statementCoveredDay(ge)).toBe('2026-10-01');
		expect(statementCoveredDay(lt - 86400)).toBe('2026-10-31');
		expect(statementCoveredDay(lt)).toBe('2026-11-01');
	});

	it('cover exactly the days of a DST month (31 statements)', () => {
		const period = resolvePeriod({ preset: 'lastMonth', timeZone: 'Europe/Berlin' }, utc('2026-04-02T10:00:00Z'));
		const { ge, lt } = statementFilter(period);
		expect((lt - ge) / 86400).toBe(31);
	});
});

describe('epochToIso', () => {
	it('formats TikTok epochs and leaves 0 and garbage out', () => {
		expect(epochToIso(1685548800)).toBe('2023-05-31T16:00:00.000Z');
		expect(epochToIso('1685548800')).toBe('2023-05-31T16:00:00.000Z');
		expect(epochToIso(0)).toBeUndefined();
		expect(epochToIso(undefined)).toBeUndefined();
		expect(epochToIso('soon')).toBeUndefined();
	});

	it('writes what luxon writes for every epoch, fractions and years beyond 9999 included', () => {
		const luxon = (seconds: number) => (seconds > 0 ? (DateTime.fromSeconds(seconds, { zone: 'utc' }).toISO() ?? undefined) : undefined);
		const seconds = fc.oneof(
			fc.integer({ min: -10, max: 4_102_444_800 }),
			fc.double({ min: 1e-3, max: 8.64e12, noNaN: true }),
			fc.constantFrom(1, 253_402_300_799.999, 253_402_300_800, 253_402_300_801, 8.64e12, 8.64e12 + 1, 1e300, Infinity),
		);
		fc.assert(
			fc.property(seconds, (value) => {
				expect(epochToIso(value)).toBe(Number.isFinite(value) ? luxon(value) : undefined);
				expect(epochToIso(String(value))).toBe(epochToIso(value));
			}),
			{ seed: 20261202, numRuns: 2000 },
		);
	});
});
