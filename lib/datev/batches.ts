/**
 * Splits bookings into Buchungsstapel files: one file per booking month (by Belegdatum), never across a fiscal year,
 * and numbered parts when a month has more rows than a batch may hold (DATEV: 99,999). Inside a file the bookings
 * keep their input order, so the booking engine's grouping (one statement's lines together) survives.
 */
import type { BookingLine } from '../booking-line';
import { batchDescription, createBatchWriter, monthPeriod, unplaceable, type MonthPeriod } from './batch-writer';
import { parseIsoDate, type CalendarDate } from './dates';
import { buildFileName } from './file-name';
import { describeBooking, type RuleViolation } from './rules';
import { parseDatevExportSettings, type DatevExportSettingsInput } from './settings';
import { concatChunks, type WrittenBuchungsstapel } from './writer';

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

interface MonthGroup {
	period: MonthPeriod;
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
	bookings.forEach((booking, index) => {
		const problem = unplaceable(booking.date, settings);
		if (problem) {
			const { source } = booking;
			unplaced.push({ rule: problem.rule, index, field: 'date', source, message: `${describeBooking(index, source)}: ${problem.problem}` });
			return;
		}
		const month = booking.date.slice(0, 7);
		let group = groups.get(month);
		if (!group) {
			group = { period: monthPeriod(parseIsoDate(booking.date) as CalendarDate, settings), indices: [] };
			groups.set(month, group);
		}
		group.indices.push(index);
	});

	const plans: BatchPlan[] = [];
	const ordered = [...groups.values()].sort((a, b) => (a.period.month < b.period.month ? -1 : 1));
	for (const { period, indices } of ordered) {
		const partCount = Math.ceil(indices.length / settings.maxRowsPerFile);
		for (let p = 0; p < partCount; p++) {
			const part = partCount > 1 ? p + 1 : undefined;
			plans.push({
				...period,
				part,
				partCount,
				description: batchDescription(settings.label, period.month, part),
				fileName: buildFileName(settings.shopName, period.month, part),
				indices: indices.slice(p * settings.maxRowsPerFile, (p + 1) * settings.maxRowsPerFile),
			});
		}
	}
	return { plans, unplaced };
}

/**
 * Writes all files for `bookings` (a thin wrapper over the streaming `createBatchWriter`). Every booking is checked
 * before anything is returned; if any rule is broken, one DatevValidationError lists all violations with the
 * bookings' positions in `bookings`. `now` supplies Erzeugt am (epoch ms); it is read once, so all files of one
 * export carry the same stamp.
 */
export function writeBatches(
	bookings: readonly BookingLine[],
	settingsInput: DatevExportSettingsInput,
	now: () => number,
): WrittenBatch[] {
	const settings = parseDatevExportSettings(settingsInput);
	const writer = createBatchWriter(settings, { createdAt: now(), trackIndices: true });
	const chunks = new Map<string, Uint8Array[]>();
	const collect = (ready: Iterable<{ fileName: string; bytes: Uint8Array }>): void => {
		for (const chunk of ready) {
			const list = chunks.get(chunk.fileName);
			if (list) list.push(chunk.bytes);
			else chunks.set(chunk.fileName, [chunk.bytes]);
		}
	};
	collect(writer.append(bookings));
	const finished = writer.end();
	collect(finished.chunks);
	return finished.files.map(({ indices, ...file }) => ({
		...file,
		bytes: concatChunks(chunks.get(file.fileName) ?? []),
		indices: indices ?? [],
	}));
}
