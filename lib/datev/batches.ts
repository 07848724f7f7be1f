/**
 * Splits bookings into Buchungsstapel files: one file per booking month (by Belegdatum), never across a fiscal year,
 * and numbered parts when a month has more rows than a batch may hold (DATEV: 99,999). Inside a file the bookings
 * keep their input order, so the booking engine's grouping (one statement's lines together) survives.
 */
import type { BookingLine } from '../booking-line';
import { formatIsoDate, fiscalYearEndOf, fiscalYearStartOf, daysInMonth, parseIsoDate, type CalendarDate } from './dates';
import { buildFileName } from './file-name';
import { clientSettingsSchema } from './header';
import { DatevValidationError, describeBooking, type RuleId, type RuleViolation } from './rules';
import { parseDatevExportSettings, type DatevExportSettings, type DatevExportSettingsInput } from './settings';
import {
	checkBuchungsstapel,
	concatChunks,
	encodeChecked,
	type BuchungsstapelSettingsInput,
	type WrittenBuchungsstapel,
} from './writer';

export interface BatchPlan {
	/** Booking month YYYY-MM. */
	month: string;
	/** 1-based part number, only set when the month is split. */
	part?: number;
	/** Number of parts of this month (1 when not split). */
	partCount: number;
	fiscalYearStart: string;
	periodFrom: string;
	periodTo: string;
	/** Bezeichnung: "<label> MM/YYYY[ T<part>]". */
	description: string;
	fileName: string;
	/** Positions of this file's bookings in the input array, in input order. */
	indices: number[];
}

export interface WrittenBatch extends WrittenBuchungsstapel {
	month: string;
	part?: number;
	partCount: number;
	indices: number[];
}

/** WJ-Beginn for a booking date: the regular fiscal-year start, or the first day of bookkeeping if that is later. */
function fiscalYearStartFor(date: CalendarDate, settings: DatevExportSettings): string {
	const regular = fiscalYearStartOf(date, settings.fiscalYearStartMonth);
	const first = settings.bookkeepingStart;
	if (first !== undefined && first > regular && first <= fiscalYearEndOf(regular)) {
		return first;
	}
	return regular;
}

function describe(label: string, month: string, part: number | undefined): string {
	const monthText = `${month.slice(5, 7)}/${month.slice(0, 4)}`;
	const partText = part === undefined ? '' : ` T${part}`;
	return `${label} ${monthText}${partText}`.trim();
}

interface MonthGroup {
	month: string;
	fiscalYearStart: string;
	indices: number[];
}

/**
 * Plans the files for `bookings` without writing them. Bookings whose date is not a valid YYYY-MM-DD cannot be
 * placed; they are returned as violations (the writer reports them as a DatevValidationError).
 */
export function planBatches(
	bookings: readonly BookingLine[],
	settingsInput: DatevExportSettingsInput,
): { plans: BatchPlan[]; unplaced: RuleViolation[] } {
	const settings = parseDatevExportSettings(settingsInput);
	const groups = new Map<string, MonthGroup>();
	const unplaced: RuleViolation[] = [];
	const reject = (index: number, rule: RuleId, problem: string): void => {
		const { source } = bookings[index];
		unplaced.push({ rule, index, field: 'date', source, message: `${describeBooking(index, source)}: ${problem}` });
	};
	bookings.forEach((booking, index) => {
		const date = parseIsoDate(booking.date);
		if (!date) {
			reject(index, 'date-format', `Belegdatum "${booking.date}" must be a date YYYY-MM-DD`);
			return;
		}
		if (settings.bookkeepingStart !== undefined && booking.date < settings.bookkeepingStart) {
			reject(index, 'date-fiscal-year', `Belegdatum ${booking.date} is before the first day of bookkeeping ${settings.bookkeepingStart}`);
			return;
		}
		// Fiscal years start on the 1st of a month (or on the first day of bookkeeping, inside a month), so all
		// bookings of one calendar month belong to the same fiscal year.
		const month = booking.date.slice(0, 7);
		let group = groups.get(month);
		if (!group) {
			group = { month, fiscalYearStart: fiscalYearStartFor(date, settings), indices: [] };
			groups.set(month, group);
		}
		group.indices.push(index);
	});

	const plans: BatchPlan[] = [];
	const ordered = [...groups.values()].sort((a, b) => (a.month < b.month ? -1 : 1));
	for (const group of ordered) {
		const year = Number(group.month.slice(0, 4));
		const monthNumber = Number(group.month.slice(5, 7));
		const monthFirst = formatIsoDate({ year, month: monthNumber, day: 1 });
		const monthLast = formatIsoDate({ year, month: monthNumber, day: daysInMonth(year, monthNumber) });
		const fiscalYearEnd = fiscalYearEndOf(group.fiscalYearStart);
		const periodFrom = monthFirst > group.fiscalYearStart ? monthFirst : group.fiscalYearStart;
		const periodTo = monthLast < fiscalYearEnd ? monthLast : fiscalYearEnd;
		const partCount = Math.ceil(group.indices.length / settings.maxRowsPerFile);
		for (let p = 0; p < partCount; p++) {
			const part = partCount > 1 ? p + 1 : undefined;
			plans.push({
				month: group.month,
				part,
				partCount,
				fiscalYearStart: group.fiscalYearStart,
				periodFrom,
				periodTo,
				description: describe(settings.label, group.month, part),
				fileName: buildFileName(settings.shopName, group.month, part),
				indices: group.indices.slice(p * settings.maxRowsPerFile, (p + 1) * settings.maxRowsPerFile),
			});
		}
	}
	return { plans, unplaced };
}

/**
 * Writes all files for `bookings`. Every booking is checked before anything is encoded; if any rule is broken, one
 * DatevValidationError lists all violations with the bookings' positions in `bookings`.
 * `now` supplies Erzeugt am (epoch ms); it is read once, so all files of one export carry the same stamp.
 */
export function writeBatches(
	bookings: readonly BookingLine[],
	settingsInput: DatevExportSettingsInput,
	now: () => number,
): WrittenBatch[] {
	const settings = parseDatevExportSettings(settingsInput);
	const { plans, unplaced } = planBatches(bookings, settings);
	const createdAt = now();
	const common = {
		// zod strips the keys that are not client settings (label, maxRowsPerFile, …).
		...clientSettingsSchema.parse(settings),
		shopName: settings.shopName,
		automaticAccounts: settings.automaticAccounts,
	};
	const violations = [...unplaced];
	const checked = plans.map((plan) => {
		const fileSettings: BuchungsstapelSettingsInput = {
			...common,
			fiscalYearStart: plan.fiscalYearStart,
			periodFrom: plan.periodFrom,
			periodTo: plan.periodTo,
			description: plan.description,
			createdAt,
			part: plan.part,
		};
		const fileBookings = plan.indices.map((index) => bookings[index]);
		const result = checkBuchungsstapel(fileBookings, fileSettings, plan.indices);
		for (const violation of result.violations) violations.push(violation);
		return { plan, fileBookings, settings: result.settings };
	});
	if (violations.length > 0) {
		throw new DatevValidationError(violations.sort((a, b) => a.index - b.index));
	}
	return checked.map(({ plan, fileBookings, settings: fileSettings }) => {
		const { chunks, stats, ...file } = encodeChecked(fileBookings, fileSettings);
		const bytes = concatChunks(chunks);
		return {
			...file,
			bytes,
			adjustedTextFields: stats.adjustedTextFields,
			month: plan.month,
			part: plan.part,
			partCount: plan.partCount,
			indices: plan.indices,
		};
	});
}
