/**
 * The streaming Buchungsstapel writer: booking lines go in as they come, file chunks come out as they fill. Files are
 * cut as `writeBatches` cuts them (one per booking month by Belegdatum, never across a fiscal year, numbered parts of
 * `maxRowsPerFile` rows), and every line is checked against the field rules on arrival, from the same prepared text
 * that is then written (one prepare-check-format pass per field).
 *
 * Whether a month needs parts (" T1" in the Bezeichnung, "_1" in the file name) is only known when its row
 * `maxRowsPerFile + 1` arrives, so the first part's rows are held as encoded bytes (at most one part, ~38 MB at
 * 99,999 rows) until then or until the month is finished; every later part streams straight through.
 */
import type { BookingLine } from '../booking-line';
import { daysInMonth, fiscalYearEndOf, fiscalYearStartOf, formatIsoDate, parseIsoDate, type CalendarDate } from './dates';
import { clientSettingsSchema, type HeaderSettings } from './header';
import {
	checkPrepared,
	compileRuleContext,
	DatevValidationError,
	describeBooking,
	prepareTextFields,
	type CompiledContext,
	type PreparedTextFields,
	type RuleId,
	type RuleViolation,
} from './rules';
import { parseDatevExportSettings, type DatevExportSettings, type DatevExportSettingsInput } from './settings';
import {
	ChunkSink,
	countAdjustedTextFields,
	DEFAULT_CHUNK_SIZE,
	fileIdentity,
	fileStartText,
	parseBuchungsstapelSettings,
	ruleContextOf,
	type BuchungsstapelSettingsInput,
} from './writer';

/** The period a month's files cover. */
export interface MonthPeriod {
	/** Booking month YYYY-MM. */
	month: string;
	fiscalYearStart: string;
	/** Datum vom / bis: the month, clipped to its fiscal year. */
	periodFrom: string;
	periodTo: string;
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

/**
 * The period of the month a valid booking date falls in. Fiscal years start on the 1st of a month (or on the first
 * day of bookkeeping, inside a month), so all bookings of one calendar month belong to the same fiscal year.
 */
export function monthPeriod(date: CalendarDate, settings: DatevExportSettings): MonthPeriod {
	const fiscalYearStart = fiscalYearStartFor(date, settings);
	const monthFirst = formatIsoDate({ year: date.year, month: date.month, day: 1 });
	const monthLast = formatIsoDate({ year: date.year, month: date.month, day: daysInMonth(date.year, date.month) });
	const fiscalYearEnd = fiscalYearEndOf(fiscalYearStart);
	return {
		month: monthFirst.slice(0, 7),
		fiscalYearStart,
		periodFrom: monthFirst > fiscalYearStart ? monthFirst : fiscalYearStart,
		periodTo: monthLast < fiscalYearEnd ? monthLast : fiscalYearEnd,
	};
}

/** Bezeichnung: "<label> MM/YYYY[ T<part>]". */
export function batchDescription(label: string, month: string, part: number | undefined): string {
	const monthText = `${month.slice(5, 7)}/${month.slice(0, 4)}`;
	const partText = part === undefined ? '' : ` T${part}`;
	return `${label} ${monthText}${partText}`.trim();
}

/**
 * Why a booking cannot be placed in any file (no valid date, or before the first day of bookkeeping); undefined
 * when it can.
 */
export function unplaceable(date: string, settings: DatevExportSettings): { rule: RuleId; problem: string } | undefined {
	if (!parseIsoDate(date)) {
		return { rule: 'date-format', problem: `Belegdatum "${date}" must be a date YYYY-MM-DD` };
	}
	if (settings.bookkeepingStart !== undefined && date < settings.bookkeepingStart) {
		return { rule: 'date-fiscal-year', problem: `Belegdatum ${date} is before the first day of bookkeeping ${settings.bookkeepingStart}` };
	}
	return undefined;
}

export interface BatchChunk {
	fileName: string;
	/** The next bytes of that file (Windows-1252). A file's chunks come in order; files may interleave. */
	bytes: Uint8Array;
}

export interface FinishedBatchFile {
	fileName: string;
	month: string;
	/** 1-based part number, only set when the month is split. */
	part?: number;
	/** Number of parts of this month (1 when not split). */
	partCount: number;
	rows: number;
	header: HeaderSettings;
	/** Text fields whose content had to be changed to fit Windows-1252 / DATEV (transliteration, control chars). */
	adjustedTextFields: number;
	/** Positions of this file's lines in the input, when `trackIndices` was set. */
	indices?: number[];
}

export interface BatchWriterOptions {
	/** Erzeugt am (epoch ms), the same in every file of the export. */
	createdAt: number;
	/** Chunk size in bytes (default 64 KiB). */
	chunkSize?: number;
	/**
	 * Lines come in Belegdatum order (as the booking engine yields them): a month is finished, and its last bytes
	 * handed out, as soon as a line of a later month arrives. A line of a month that was already finished throws.
	 * Without it every month stays open (its first part held) until `end()`.
	 */
	inDateOrder?: boolean;
	/** Record each file's line positions in `FinishedBatchFile.indices` (memory grows with the lines). */
	trackIndices?: boolean;
}

export interface BatchWriter {
	/**
	 * Checks the lines and encodes them; returns the chunks that became ready. A line that breaks a rule is recorded
	 * and writing stops (chunks handed out before are then incomplete and must be discarded); checking goes on, so
	 * that `end()` can report every violation at once.
	 */
	append(lines: Iterable<BookingLine>): BatchChunk[];
	/** Hands out the remaining chunks and describes the files, in month and part order. Throws DatevValidationError. */
	end(): { chunks: BatchChunk[]; files: FinishedBatchFile[] };
	/** Violations found so far. */
	readonly violations: readonly RuleViolation[];
}

interface PartState {
	part: number;
	sink: ChunkSink;
	/** Full chunks held back while the file's name is unknown (first part only). */
	held?: Uint8Array[];
	fileName?: string;
	header?: HeaderSettings;
	rows: number;
	adjustedTextFields: number;
	indices?: number[];
}

interface MonthState {
	period: MonthPeriod;
	rules: CompiledContext;
	parts: PartState[];
	finished: boolean;
}

export function createBatchWriter(settingsInput: DatevExportSettingsInput, options: BatchWriterOptions): BatchWriter {
	const settings = parseDatevExportSettings(settingsInput);
	const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
	if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) {
		throw new RangeError(`chunkSize must be a positive whole number of bytes, got ${chunkSize}`);
	}
	const common = {
		// zod strips the keys that are not client settings (label, maxRowsPerFile, …).
		...clientSettingsSchema.parse(settings),
		shopName: settings.shopName,
		automaticAccounts: settings.automaticAccounts,
	};
	const months = new Map<string, MonthState>();
	const violations: RuleViolation[] = [];
	let out: BatchChunk[] = [];
	let full: Uint8Array[] = [];
	let index = 0;
	let latestMonth = '';

	const fileSettings = (period: MonthPeriod, part: number | undefined): BuchungsstapelSettingsInput => ({
		...common,
		fiscalYearStart: period.fiscalYearStart,
		periodFrom: period.periodFrom,
		periodTo: period.periodTo,
		description: batchDescription(settings.label, period.month, part),
		createdAt: options.createdAt,
		part,
	});

	const emit = (fileName: string, chunks: Iterable<Uint8Array>): void => {
		if (violations.length > 0) return;
		for (const bytes of chunks) if (bytes.length > 0) out.push({ fileName, bytes });
	};

	/** Names a part's file; returns its first two lines (header and column headings). */
	const nameFile = (state: PartState, period: MonthPeriod, part: number | undefined): string => {
		const identity = fileIdentity(parseBuchungsstapelSettings(fileSettings(period, part)));
		state.fileName = identity.fileName;
		state.header = identity.header;
		return fileStartText(identity.header);
	};

	/** Emits a finished first part once its name is known: the file's first lines, then the held rows. */
	const releaseFirst = (month: MonthState, part: number | undefined): void => {
		const first = month.parts[0];
		const startSink = new ChunkSink(chunkSize);
		const start: Uint8Array[] = [];
		startSink.write(nameFile(first, month.period, part), start);
		const held = first.held ?? [];
		first.held = undefined;
		emit(first.fileName as string, [...start, startSink.rest(), ...held, first.sink.rest()]);
	};

	const finishMonth = (month: MonthState): void => {
		month.finished = true;
		if (month.parts.length === 1) {
			releaseFirst(month, undefined);
			return;
		}
		const last = month.parts[month.parts.length - 1];
		emit(last.fileName as string, [last.sink.rest()]);
	};

	const newPart = (month: MonthState): PartState => {
		const number = month.parts.length + 1;
		const state: PartState = {
			part: number,
			sink: new ChunkSink(chunkSize),
			rows: 0,
			adjustedTextFields: 0,
			indices: options.trackIndices ? [] : undefined,
		};
		if (number === 1) {
			state.held = [];
		} else {
			const previous = month.parts[number - 2];
			if (number === 2) releaseFirst(month, 1);
			else emit(previous.fileName as string, [previous.sink.rest()]);
			const start: Uint8Array[] = [];
			state.sink.write(nameFile(state, month.period, number), start);
			emit(state.fileName as string, start);
		}
		month.parts.push(state);
		return state;
	};

	const openMonth = (date: CalendarDate): MonthState => {
		const period = monthPeriod(date, settings);
		const rules = compileRuleContext(ruleContextOf(parseBuchungsstapelSettings(fileSettings(period, undefined))));
		const state: MonthState = { period, rules, parts: [], finished: false };
		months.set(period.month, state);
		return state;
	};

	const monthFor = (line: BookingLine, position: number): MonthState => {
		const key = line.date.slice(0, 7);
		let month = months.get(key);
		if (options.inDateOrder && key !== latestMonth) {
			if (key < latestMonth) {
				throw new RangeError(`booking line ${position} (${line.date}) is out of date order: month ${latestMonth} has begun`);
			}
			for (const open of months.values()) if (!open.finished) finishMonth(open);
			latestMonth = key;
		}
		if (!month) month = openMonth(parseIsoDate(line.date) as CalendarDate);
		return month;
	};

	let placedDate = '';
	let previous: { booking: BookingLine; prepared: PreparedTextFields } | undefined;

	const appendLine = (line: BookingLine, position: number): void => {
		// Consecutive lines mostly share their date: check it once.
		const problem = line.date === placedDate ? undefined : unplaceable(line.date, settings);
		if (problem) {
			violations.push({
				rule: problem.rule,
				index: position,
				field: 'date',
				source: line.source,
				message: `${describeBooking(position, line.source)}: ${problem.problem}`,
			});
			return;
		}
		placedDate = line.date;
		const month = monthFor(line, position);
		let part = month.parts[month.parts.length - 1];
		if (!part || part.rows === settings.maxRowsPerFile) part = newPart(month);
		part.rows += 1;
		part.indices?.push(position);
		const prepared = prepareTextFields(line, previous);
		previous = { booking: line, prepared };
		checkPrepared(line, prepared, position, month.rules, violations);
		// After the first violation the export is void: keep checking, stop encoding.
		if (violations.length > 0) return;
		part.adjustedTextFields += countAdjustedTextFields(line, prepared);
		part.sink.writeRow(line, prepared, full);
		if (full.length === 0) return;
		if (part.held) {
			for (const chunk of full) part.held.push(chunk);
		} else {
			emit(part.fileName as string, full);
		}
		full = [];
	};

	const take = (): BatchChunk[] => {
		const ready = out;
		out = [];
		return ready;
	};

	return {
		append(lines) {
			for (const line of lines) appendLine(line, index++);
			return take();
		},
		end() {
			const ordered = [...months.values()].sort((a, b) => (a.period.month < b.period.month ? -1 : 1));
			for (const month of ordered) if (!month.finished) finishMonth(month);
			if (violations.length > 0) throw new DatevValidationError(violations);
			const files = ordered.flatMap((month) =>
				month.parts.map((state): FinishedBatchFile => ({
					fileName: state.fileName as string,
					month: month.period.month,
					part: month.parts.length > 1 ? state.part : undefined,
					partCount: month.parts.length,
					rows: state.rows,
					header: state.header as HeaderSettings,
					adjustedTextFields: state.adjustedTextFields,
					indices: state.indices,
				})),
			);
			return { chunks: take(), files };
		},
		get violations() {
			return violations;
		},
	};
}
