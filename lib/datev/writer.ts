/**
 * Writes one DATEV "Buchungsstapel" (EXTF, format version 13): line 1 header (31 fields), line 2 the 125 column
 * headings, then one row per booking. Windows-1252, `;` separated, CR LF after every line including the last.
 *
 * Rows are encoded one by one straight into fixed-size byte chunks, so a month with 100k+ bookings never exists as
 * one big string; `encodeBuchungsstapel` hands the chunks out as they fill, `writeBuchungsstapel` joins them.
 */
import { z } from 'zod';
import type { BookingLine } from '../booking-line';
import { encodeCp1252, writeCp1252Into } from './cp1252';
import { BUCHUNGSSTAPEL_COLUMNS_V13, COLUMN, columnKind } from './columns';
import { toBelegdatum, toDayMonthYear } from './dates';
import { formatAccount, formatAmount, formatPercent, quoteText } from './fields';
import { buildFileName } from './file-name';
import { checkPeriod, headerFields, headerShape, parseHeaderSettings, parseWith, type HeaderSettings } from './header';
import {
	checkBookings,
	DatevValidationError,
	defaultAutomaticAccounts,
	prepareTextFields,
	type PreparedTextFields,
	type RuleContext,
	type RuleViolation,
} from './rules';

export const buchungsstapelSettingsSchema = z
	.object({
		...headerShape,
		/** Shop name for the file name (sanitised). */
		shopName: z.string().default('TikTok'),
		/** Part number when a month is split into several files (file name suffix `_<part>`). */
		part: z.number().int().min(1, 'part must be 1 or more').optional(),
		/** Automatic accounts (no BU-Schlüssel allowed); default: the chart's standard list (rules.ts). */
		automaticAccounts: z.array(z.string().regex(/^\d{1,9}$/, 'automaticAccounts must be account numbers')).optional(),
	})
	.superRefine(checkPeriod);

export type BuchungsstapelSettingsInput = z.input<typeof buchungsstapelSettingsSchema>;
export type BuchungsstapelSettings = z.output<typeof buchungsstapelSettingsSchema>;

export interface WrittenBuchungsstapel {
	fileName: string;
	/** The complete file, Windows-1252. */
	bytes: Uint8Array;
	/** Number of booking rows (lines 3…). */
	rows: number;
	/** The resolved header settings (dates, Bezeichnung, …) the file was written with. */
	header: HeaderSettings;
	/** Text fields whose content had to be changed to fit Windows-1252 / DATEV (transliteration, control chars). */
	adjustedTextFields: number;
}

export interface EncodedBuchungsstapel extends Omit<WrittenBuchungsstapel, 'bytes' | 'adjustedTextFields'> {
	/** The file in chunks of `chunkSize` bytes (the last may be shorter), produced lazily while iterating. Iterate once. */
	chunks: Iterable<Uint8Array>;
	/** Counts while `chunks` is iterated; final once iteration has finished. */
	stats: { adjustedTextFields: number };
}

export interface EncodeOptions {
	/** Positions of the bookings in the caller's input, used in rule violation messages. */
	indices?: readonly number[];
	/** Chunk size in bytes (default 64 KiB). */
	chunkSize?: number;
}

const CRLF = '\r\n';
export const DEFAULT_CHUNK_SIZE = 64 * 1024;

type FieldFormatter = (booking: BookingLine, prepared: PreparedTextFields) => string;

/** The columns a BookingLine fills; every other column is written empty. Text comes prepared (rules.ts). */
const FORMATTERS: ReadonlyMap<number, FieldFormatter> = new Map<number, FieldFormatter>([
	[COLUMN.amount, (booking) => formatAmount(booking.amountMinor, booking.currency)],
	[COLUMN.side, (booking) => `"${booking.side}"`],
	[COLUMN.currency, (booking) => `"${booking.currency}"`],
	[COLUMN.account, (booking) => formatAccount(booking.account)],
	[COLUMN.contraAccount, (booking) => formatAccount(booking.contraAccount)],
	[COLUMN.taxKey, (booking) => `"${booking.taxKey}"`],
	[COLUMN.date, (booking) => toBelegdatum(booking.date)],
	[COLUMN.documentField1, (_, prepared) => quoteText(prepared.documentField1)],
	[COLUMN.documentField2, (_, prepared) => quoteText(prepared.documentField2)],
	[COLUMN.text, (_, prepared) => quoteText(prepared.text)],
	[COLUMN.euCountry, (_, prepared) => quoteText(prepared.euCountry)],
	[COLUMN.euTaxRate, (booking) => (booking.euTaxRate === undefined ? '' : formatPercent(booking.euTaxRate))],
	[COLUMN.orderNumber, (_, prepared) => quoteText(prepared.orderNumber)],
	[COLUMN.serviceDate, (booking) => (booking.serviceDate ? toDayMonthYear(booking.serviceDate) : '')],
	[COLUMN.taxPeriodDate, (booking) => (booking.taxPeriodDate ? toDayMonthYear(booking.taxPeriodDate) : '')],
	// Empty rather than "0" on ordinary lines, so files without corrections stay as they were.
	[COLUMN.generalReversal, (booking) => (booking.generalReversal ? '"1"' : '""')],
	[COLUMN.settlementReference, (_, prepared) => quoteText(prepared.settlementReference)],
]);

/** How many text fields transliteration or control-character removal changed. */
export function countAdjustedTextFields(booking: BookingLine, prepared: PreparedTextFields): number {
	return (
		Number(prepared.documentField1 !== booking.documentField1) +
		Number(prepared.documentField2 !== booking.documentField2) +
		Number(prepared.text !== booking.text) +
		Number(prepared.euCountry !== (booking.euCountry ?? '')) +
		Number(prepared.orderNumber !== booking.orderNumber) +
		Number(prepared.settlementReference !== booking.settlementReference)
	);
}

/**
 * A row as constant text (separators and empty fields) around the field formatters: `constants[i]` precedes
 * `formatters[i]`, the last constant ends the row. Empty text fields are written as `""` and empty number fields as
 * nothing, the way DATEV's own sample does.
 */
const ROW_PLAN: { constants: readonly Uint8Array[]; formatters: readonly FieldFormatter[] } = (() => {
	const constants: string[] = [];
	const formatters: FieldFormatter[] = [];
	let constant = '';
	for (let column = 1; column <= BUCHUNGSSTAPEL_COLUMNS_V13.length; column++) {
		if (column > 1) {
			constant += ';';
		}
		const formatter = FORMATTERS.get(column);
		if (formatter) {
			constants.push(constant);
			formatters.push(formatter);
			constant = '';
		} else if (columnKind(column) === 'text') {
			constant += '""';
		}
	}
	constants.push(constant + CRLF);
	return { constants: constants.map((text) => encodeCp1252(text)), formatters };
})();

/** Collects Windows-1252 bytes into chunks of exactly `chunkSize` bytes (the last one may be shorter). */
export class ChunkSink {
	private buffer: Uint8Array;
	private position = 0;

	constructor(private readonly chunkSize: number) {
		this.buffer = new Uint8Array(chunkSize);
	}

	/** Writes Windows-1252-safe text; chunks that became full are appended to `full`. */
	write(text: string, full: Uint8Array[]): void {
		let rest = text;
		while (this.position + rest.length > this.buffer.length) {
			const fits = this.buffer.length - this.position;
			writeCp1252Into(rest.slice(0, fits), this.buffer, this.position);
			this.next(full);
			rest = rest.slice(fits);
		}
		this.position = writeCp1252Into(rest, this.buffer, this.position);
	}

	/** Writes bytes that are already encoded. */
	writeBytes(bytes: Uint8Array, full: Uint8Array[]): void {
		let rest = bytes;
		while (this.position + rest.length > this.buffer.length) {
			const fits = this.buffer.length - this.position;
			this.buffer.set(rest.subarray(0, fits), this.position);
			this.next(full);
			rest = rest.subarray(fits);
		}
		this.buffer.set(rest, this.position);
		this.position += rest.length;
	}

	/** The last, partly filled chunk. */
	rest(): Uint8Array {
		return this.buffer.subarray(0, this.position);
	}

	private next(full: Uint8Array[]): void {
		full.push(this.buffer);
		this.buffer = new Uint8Array(this.chunkSize);
		this.position = 0;
	}
}

/** Line 1 (header) and line 2 (column headings) of a file. */
export function fileStartText(header: HeaderSettings): string {
	return headerFields(header).join(';') + CRLF + BUCHUNGSSTAPEL_COLUMNS_V13.join(';') + CRLF;
}

/** Writes one booking row; chunks that became full are appended to `full`. */
export function writeRow(sink: ChunkSink, booking: BookingLine, prepared: PreparedTextFields, full: Uint8Array[]): void {
	const { constants, formatters } = ROW_PLAN;
	// The row is encoded into one scratch buffer and handed to the sink in one piece: no row string is built, and
	// the sink's chunk bookkeeping runs once per row instead of once per field.
	let position = putBytes(constants[0], 0);
	for (let i = 0; i < formatters.length; i++) {
		const text = formatters[i](booking, prepared);
		const constant = constants[i + 1];
		if (position + text.length + constant.length > rowBuffer.length) growRowBuffer(position + text.length + constant.length);
		position = putBytes(constant, writeCp1252Into(text, rowBuffer, position));
	}
	sink.writeBytes(rowBuffer.subarray(0, position), full);
}

/** One row's bytes; rows are written one after the other, never at once. */
let rowBuffer = new Uint8Array(4096);

function growRowBuffer(needed: number): void {
	const grown = new Uint8Array(Math.max(needed, rowBuffer.length * 2));
	grown.set(rowBuffer);
	rowBuffer = grown;
}

/** Copies the few bytes of a row constant (a loop beats TypedArray.set for a handful of bytes). */
function putBytes(bytes: Uint8Array, position: number): number {
	for (let i = 0; i < bytes.length; i++) rowBuffer[position + i] = bytes[i];
	return position + bytes.length;
}

function* encodeLines(
	header: HeaderSettings,
	bookings: readonly BookingLine[],
	chunkSize: number,
	stats: { adjustedTextFields: number },
): Generator<Uint8Array> {
	const sink = new ChunkSink(chunkSize);
	const full: Uint8Array[] = [];
	sink.write(fileStartText(header), full);
	for (const booking of bookings) {
		const prepared = prepareTextFields(booking);
		stats.adjustedTextFields += countAdjustedTextFields(booking, prepared);
		writeRow(sink, booking, prepared, full);
		if (full.length > 0) {
			yield* full;
			full.length = 0;
		}
	}
	yield* full;
	const rest = sink.rest();
	if (rest.length > 0) {
		yield rest;
	}
}

function monthOf(isoDate: string): string {
	return isoDate.slice(0, 7);
}

/**
 * Parses the settings (throws DatevSettingsError) and checks every booking against the field rules.
 * `indices[i]` is the position of `bookings[i]` in the caller's input, used in the violation messages.
 */
export function checkBuchungsstapel(
	bookings: readonly BookingLine[],
	settingsInput: BuchungsstapelSettingsInput,
	indices?: readonly number[],
): { settings: BuchungsstapelSettings; violations: RuleViolation[] } {
	const settings = parseBuchungsstapelSettings(settingsInput);
	const violations = checkBookings(bookings, ruleContextOf(settings), indices);
	return { settings, violations };
}

/** Parses one file's settings; throws DatevSettingsError listing every problem. */
export function parseBuchungsstapelSettings(input: BuchungsstapelSettingsInput): BuchungsstapelSettings {
	return parseWith(buchungsstapelSettingsSchema, input);
}

/** What the field rules need to know about a file. */
export function ruleContextOf(settings: BuchungsstapelSettings): RuleContext {
	return {
		accountLength: settings.accountLength,
		fiscalYearStart: settings.fiscalYearStart,
		periodFrom: settings.periodFrom,
		periodTo: settings.periodTo,
		currency: settings.currency,
		automaticAccounts: settings.automaticAccounts ?? defaultAutomaticAccounts(settings.chartOfAccounts, settings.accountLength),
	};
}

/** Encodes bookings that `checkBuchungsstapel` accepted with these settings; chunks are produced lazily. */
export function encodeChecked(
	bookings: readonly BookingLine[],
	settings: BuchungsstapelSettings,
	chunkSize: number = DEFAULT_CHUNK_SIZE,
): EncodedBuchungsstapel {
	if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) {
		throw new RangeError(`chunkSize must be a positive whole number of bytes, got ${chunkSize}`);
	}
	const { fileName, header } = fileIdentity(settings);
	const stats = { adjustedTextFields: 0 };
	return {
		fileName,
		rows: bookings.length,
		header,
		chunks: encodeLines(header, bookings, chunkSize, stats),
		stats,
	};
}

/** The file name and the resolved header of a file with these settings. */
export function fileIdentity(settings: BuchungsstapelSettings): { fileName: string; header: HeaderSettings } {
	// zod strips the keys that are not header fields (shopName, part, automaticAccounts).
	const header = parseHeaderSettings(settings);
	return { fileName: buildFileName(settings.shopName, monthOf(header.periodFrom), settings.part), header };
}

/**
 * Validates settings and bookings and returns the file as lazily encoded chunks.
 * Throws DatevSettingsError for bad settings and DatevValidationError (all violations) for bad bookings.
 */
export function encodeBuchungsstapel(
	bookings: readonly BookingLine[],
	settingsInput: BuchungsstapelSettingsInput,
	options: EncodeOptions = {},
): EncodedBuchungsstapel {
	const { settings, violations } = checkBuchungsstapel(bookings, settingsInput, options.indices);
	if (violations.length > 0) {
		throw new DatevValidationError(violations);
	}
	return encodeChecked(bookings, settings, options.chunkSize);
}

/** Joins byte chunks into one array. */
export function concatChunks(chunks: Iterable<Uint8Array>): Uint8Array {
	const list = [...chunks];
	const total = list.reduce((sum, chunk) => sum + chunk.length, 0);
	const bytes = new Uint8Array(total);
	let offset = 0;
	for (const chunk of list) {
		bytes.set(chunk, offset);
		offset += chunk.length;
	}
	return bytes;
}

/** Writes one Buchungsstapel file (see encodeBuchungsstapel for validation and errors). */
export function writeBuchungsstapel(
	bookings: readonly BookingLine[],
	settings: BuchungsstapelSettingsInput,
	options: EncodeOptions = {},
): WrittenBuchungsstapel {
	const { chunks, stats, ...file } = encodeBuchungsstapel(bookings, settings, options);
	const bytes = concatChunks(chunks);
	return { ...file, bytes, adjustedTextFields: stats.adjustedTextFields };
}
