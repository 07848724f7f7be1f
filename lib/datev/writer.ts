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
import { formatAccount, formatAmount, formatPercent } from './fields';
import { currencyDecimals } from '../money';
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

/**
 * Writes one field's value into `buffer` at `position` and returns the new position. The row encoder makes sure
 * beforehand that the buffer has room for the whole row (rowBound).
 */
type FieldEncoder = (buffer: Uint8Array, position: number, booking: BookingLine, prepared: PreparedTextFields) => number;

const QUOTE = 0x22;

/** Text as a quoted field, inner quotes doubled: the bytes of quoteText(text), without building the string. */
function putQuoted(buffer: Uint8Array, position: number, text: string): number {
	buffer[position++] = QUOTE;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code === QUOTE) {
			buffer[position++] = QUOTE;
			buffer[position++] = QUOTE;
		} else if (code < 0x80) {
			buffer[position++] = code;
		} else {
			// Text that is not Windows-1252-safe throws here, as writeCp1252Into does.
			position = writeCp1252Into(text[i], buffer, position);
		}
	}
	buffer[position++] = QUOTE;
	return position;
}

/** Two digits of a number below 100 (a day, a month, cents). */
function putTwoDigits(buffer: Uint8Array, position: number, value: number): number {
	buffer[position] = 0x30 + Math.floor(value / 10);
	buffer[position + 1] = 0x30 + (value % 10);
	return position + 2;
}

/** formatAmount's text. Whole euros and cents are written as digits; other currencies go through formatAmount. */
function putAmount(buffer: Uint8Array, position: number, minor: number, currency: string): number {
	if (minor < 0 || !Number.isSafeInteger(minor) || currencyDecimals(currency) !== 2) {
		return writeCp1252Into(formatAmount(minor, currency), buffer, position);
	}
	const cents = minor % 100;
	let whole = (minor - cents) / 100;
	// The whole part's digits, last first, then turned around in place.
	const first = position;
	do {
		buffer[position++] = 0x30 + (whole % 10);
		whole = Math.floor(whole / 10);
	} while (whole > 0);
	for (let low = first, high = position - 1; low < high; low++, high--) {
		const digit = buffer[low];
		buffer[low] = buffer[high];
		buffer[high] = digit;
	}
	buffer[position++] = 0x2c; // ,
	return putTwoDigits(buffer, position, cents);
}

/** Characters `from` to `to` of an ISO date (its digits) as they are. */
function putSlice(buffer: Uint8Array, position: number, iso: string, from: number, to: number): number {
	for (let i = from; i < to; i++) buffer[position++] = iso.charCodeAt(i);
	return position;
}

/**
 * An ISO date YYYY-MM-DD (the rules checked it is one) as TTMM (Belegdatum) or, with the year, TTMMJJJJ (Leistungsdatum,
 * Datum Zuord. Steuerperiode); fromDayMonthYear in dates.ts reads the latter back.
 */
function putDate(buffer: Uint8Array, position: number, iso: string, withYear: boolean): number {
	position = putSlice(buffer, putSlice(buffer, position, iso, 8, 10), iso, 5, 7);
	return withYear ? putSlice(buffer, position, iso, 0, 4) : position;
}

/** The columns a BookingLine fills; every other column is written empty. Text comes prepared (rules.ts). */
const ENCODERS: ReadonlyMap<number, FieldEncoder> = new Map<number, FieldEncoder>([
	[COLUMN.amount, (buffer, position, booking) => putAmount(buffer, position, booking.amountMinor, booking.currency)],
	[COLUMN.side, (buffer, position, booking) => putQuoted(buffer, position, booking.side)],
	[COLUMN.currency, (buffer, position, booking) => putQuoted(buffer, position, booking.currency)],
	[COLUMN.account, (buffer, position, booking) => writeCp1252Into(formatAccount(booking.account), buffer, position)],
	[COLUMN.contraAccount, (buffer, position, booking) => writeCp1252Into(formatAccount(booking.contraAccount), buffer, position)],
	[COLUMN.taxKey, (buffer, position, booking) => putQuoted(buffer, position, booking.taxKey)],
	[COLUMN.date, (buffer, position, booking) => putDate(buffer, position, booking.date, false)],
	[COLUMN.documentField1, (buffer, position, _, prepared) => putQuoted(buffer, position, prepared.documentField1)],
	[COLUMN.documentField2, (buffer, position, _, prepared) => putQuoted(buffer, position, prepared.documentField2)],
	[COLUMN.text, (buffer, position, _, prepared) => putQuoted(buffer, position, prepared.text)],
	[COLUMN.euCountry, (buffer, position, _, prepared) => putQuoted(buffer, position, prepared.euCountry)],
	[COLUMN.euTaxRate, (buffer, position, booking) => (booking.euTaxRate === undefined ? position : writeCp1252Into(formatPercent(booking.euTaxRate), buffer, position))],
	[COLUMN.orderNumber, (buffer, position, _, prepared) => putQuoted(buffer, position, prepared.orderNumber)],
	[COLUMN.serviceDate, (buffer, position, booking) => (booking.serviceDate ? putDate(buffer, position, booking.serviceDate, true) : position)],
	[COLUMN.taxPeriodDate, (buffer, position, booking) => (booking.taxPeriodDate ? putDate(buffer, position, booking.taxPeriodDate, true) : position)],
	// Empty rather than "0" on ordinary lines, so files without corrections stay as they were.
	[COLUMN.generalReversal, (buffer, position, booking) => putQuoted(buffer, position, booking.generalReversal ? '1' : '')],
	[COLUMN.settlementReference, (buffer, position, _, prepared) => putQuoted(buffer, position, prepared.settlementReference)],
]);

/**
 * Bytes a row can take at most: the constant text, the text fields with every character a doubled quote, and room
 * for the numbers and dates (an amount has at most 20 characters, an account 10, a date 8, a rate 5).
 */
function rowBound(booking: BookingLine, prepared: PreparedTextFields): number {
	const text =
		prepared.documentField1.length +
		prepared.documentField2.length +
		prepared.text.length +
		prepared.euCountry.length +
		prepared.orderNumber.length +
		prepared.settlementReference.length +
		booking.side.length +
		booking.currency.length +
		booking.taxKey.length;
	return ROW_PLAN.constantBytes + 2 * text + booking.account.length + booking.contraAccount.length + 128;
}

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
 * A row as constant text (separators and empty fields) around the field encoders: `constants[i]` precedes
 * `encoders[i]`, the last constant ends the row. Empty text fields are written as `""` and empty number fields as
 * nothing, the way DATEV's own sample does.
 */
const ROW_PLAN: { constants: readonly Uint8Array[]; encoders: readonly FieldEncoder[]; constantBytes: number } = (() => {
	const constants: string[] = [];
	const encoders: FieldEncoder[] = [];
	let constant = '';
	for (let column = 1; column <= BUCHUNGSSTAPEL_COLUMNS_V13.length; column++) {
		if (column > 1) {
			constant += ';';
		}
		const encoder = ENCODERS.get(column);
		if (encoder) {
			constants.push(constant);
			encoders.push(encoder);
			constant = '';
		} else if (columnKind(column) === 'text') {
			constant += '""';
		}
	}
	constants.push(constant + CRLF);
	const encoded = constants.map((text) => encodeCp1252(text));
	return { constants: encoded, encoders, constantBytes: encoded.reduce((sum, bytes) => sum + bytes.length, 0) };
})();

/** Encodes one row into `buffer` at `position` (which has room for rowBound bytes); returns the new position. */
function encodeRow(buffer: Uint8Array, position: number, booking: BookingLine, prepared: PreparedTextFields): number {
	const { constants, encoders } = ROW_PLAN;
	position = putBytes(buffer, constants[0], position);
	for (let i = 0; i < encoders.length; i++) {
		position = putBytes(buffer, constants[i + 1], encoders[i](buffer, position, booking, prepared));
	}
	return position;
}

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

	/**
	 * Writes one booking row: straight into the chunk when the row surely fits, else through a scratch buffer and
	 * writeBytes (which carries it over into the next chunk). Chunks that became full are appended to `full`.
	 */
	writeRow(booking: BookingLine, prepared: PreparedTextFields, full: Uint8Array[]): void {
		const bound = rowBound(booking, prepared);
		if (this.position + bound <= this.buffer.length) {
			this.position = encodeRow(this.buffer, this.position, booking, prepared);
			return;
		}
		if (rowBuffer.length < bound) rowBuffer = new Uint8Array(2 * bound);
		this.writeBytes(rowBuffer.subarray(0, encodeRow(rowBuffer, 0, booking, prepared)), full);
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

/** Scratch space for a row that does not fit into the rest of a chunk; rows are written one after the other. */
let rowBuffer = new Uint8Array(4096);

/** Copies the few bytes of a row constant (a loop beats TypedArray.set for a handful of bytes). */
function putBytes(buffer: Uint8Array, bytes: Uint8Array, position: number): number {
	for (let i = 0; i < bytes.length; i++) buffer[position + i] = bytes[i];
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
		sink.writeRow(booking, prepared, full);
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
