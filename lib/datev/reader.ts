/**
 * Reads EXTF Buchungsstapel files (Windows-1252, `;`, quoted text with doubled quotes): our own output in tests, and
 * DATEV's sample (format version 12, 124 columns). DATEV's importer is lenient and its own sample has quirks
 * (text after a closing quote, an amount without decimals); the reader tolerates them and reports each one as a
 * warning, or throws with `strict: true`.
 */
import type { BookingLine, DebitCredit } from '../booking-line';
import { parseMinor } from '../money';
import { preview } from '../preview';
import { decodeCp1252 } from './cp1252';
import { COLUMN, COLUMN_COUNT_BY_FORMAT_VERSION, HEADER_FIELD_COUNT } from './columns';
import { fromCompactDate, fromDayMonthYear, isIsoDate, parseIsoDate } from './dates';

export type ReadWarningCode =
	| 'text-after-quote'
	| 'unterminated-quote'
	| 'line-break-in-field'
	| 'bare-line-end'
	| 'missing-final-crlf'
	| 'header-field-count'
	| 'column-count'
	| 'row-field-count';

export interface ReadWarning {
	/** 1-based record number (line 1 = header, 2 = headings, 3… = bookings). */
	line: number;
	code: ReadWarningCode;
	message: string;
}

export class DatevReadError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'DatevReadError';
	}
}

/** Header line 1 with named fields (reference §1.2); numbers and dates parsed, undefined when empty or invalid. */
export interface DatevHeader {
	marker: string;
	headerVersion?: number;
	category?: number;
	formatName: string;
	formatVersion?: number;
	/** Erzeugt am as written (YYYYMMDDHHMMSSFFF). */
	createdAt: string;
	imported: string;
	origin: string;
	exportedBy: string;
	importedBy: string;
	consultantNumber?: number;
	clientNumber?: number;
	/** YYYY-MM-DD */
	fiscalYearStart?: string;
	accountLength?: number;
	periodFrom?: string;
	periodTo?: string;
	description: string;
	dictationCode: string;
	bookingType?: number;
	accountingPurpose?: number;
	locked?: number;
	currency: string;
	derivativeFlag: string;
	chartOfAccounts: string;
	industrySolutionId?: number;
	applicationInfo: string;
}

export interface DatevRow {
	line: number;
	/** Field values by position (unquoted, doubled quotes resolved). */
	fields: string[];
	/** Whether each field was written in quotes. */
	quoted: boolean[];
	/** Field values keyed by the file's own column headings (line 2). */
	values: Record<string, string>;
}

export interface DatevFile {
	header: DatevHeader;
	headerFields: string[];
	headings: string[];
	rows: DatevRow[];
	/** In line order. */
	warnings: ReadWarning[];
}

interface RawRecord {
	line: number;
	fields: string[];
	quoted: boolean[];
}

const isLineEnd = (char: string): boolean => char === '\r' || char === '\n';

/** Splits decoded text into records of fields (RFC-4180-like with `;`), collecting warnings for DATEV quirks. */
function parseRecords(text: string, warnings: ReadWarning[]): RawRecord[] {
	const records: RawRecord[] = [];
	let i = 0;
	let line = 1;
	while (i < text.length) {
		const fields: string[] = [];
		const quoted: boolean[] = [];
		const warn = (code: ReadWarningCode, message: string): void => {
			warnings.push({ line, code, message });
		};
		for (;;) {
			let value = '';
			const isQuoted = text[i] === '"';
			if (isQuoted) {
				i++;
				for (;;) {
					const close = text.indexOf('"', i);
					if (close < 0) {
						warn('unterminated-quote', `field ${fields.length + 1} has no closing quote`);
						value += text.slice(i);
						i = text.length;
						break;
					}
					value += text.slice(i, close);
					if (text[close + 1] === '"') {
						value += '"';
						i = close + 2;
						continue;
					}
					i = close + 1;
					break;
				}
				if (/[\r\n]/.test(value)) {
					warn('line-break-in-field', `field ${fields.length + 1} contains a line break`);
				}
			}
			let end = i;
			while (end < text.length && text[end] !== ';' && !isLineEnd(text[end])) {
				end++;
			}
			if (isQuoted && end > i) {
				// DATEV's sample: `" "Normalabschr. immater. VermG" "`. Keep the rest literally, like DATEV's importer.
				warn('text-after-quote', `field ${fields.length + 1} has text after its closing quote`);
			}
			value += text.slice(i, end);
			i = end;
			fields.push(value);
			quoted.push(isQuoted);
			if (text[i] === ';') {
				i++;
				continue;
			}
			break;
		}
		if (text.startsWith('\r\n', i)) {
			i += 2;
		} else if (i < text.length) {
			warn('bare-line-end', 'line ends with a lone CR or LF instead of CR LF');
			i++;
		} else {
			warn('missing-final-crlf', 'the last line does not end with CR LF');
		}
		records.push({ line, fields, quoted });
		line++;
	}
	return records;
}

const numberOrUndefined = (text: string | undefined): number | undefined =>
	text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;

function nameHeader(fields: string[]): DatevHeader {
	const at = (position: number): string => fields[position - 1] ?? '';
	return {
		marker: at(1),
		headerVersion: numberOrUndefined(at(2)),
		category: numberOrUndefined(at(3)),
		formatName: at(4),
		formatVersion: numberOrUndefined(at(5)),
		createdAt: at(6),
		imported: at(7),
		origin: at(8),
		exportedBy: at(9),
		importedBy: at(10),
		consultantNumber: numberOrUndefined(at(11)),
		clientNumber: numberOrUndefined(at(12)),
		fiscalYearStart: fromCompactDate(at(13)),
		accountLength: numberOrUndefined(at(14)),
		periodFrom: fromCompactDate(at(15)),
		periodTo: fromCompactDate(at(16)),
		description: at(17),
		dictationCode: at(18),
		bookingType: numberOrUndefined(at(19)),
		accountingPurpose: numberOrUndefined(at(20)),
		locked: numberOrUndefined(at(21)),
		currency: at(22),
		derivativeFlag: at(24),
		chartOfAccounts: at(27),
		industrySolutionId: numberOrUndefined(at(28)),
		applicationInfo: at(31),
	};
}

/**
 * Parses a Buchungsstapel file. Structural problems (missing header or headings line) throw; quirks become
 * `warnings`, or throw too with `strict: true`.
 */
export function readBuchungsstapel(bytes: Uint8Array, options: { strict?: boolean } = {}): DatevFile {
	const warnings: ReadWarning[] = [];
	const records = parseRecords(decodeCp1252(bytes, { fatal: options.strict === true }), warnings);
	if (records.length < 2) {
		throw new DatevReadError('a Buchungsstapel needs a header line and a column headings line');
	}
	const [headerRecord, headingsRecord, ...rowRecords] = records;
	const header = nameHeader(headerRecord.fields);
	if (header.marker !== 'EXTF' && header.marker !== 'DTVF') {
		throw new DatevReadError(`line 1 starts with "${header.marker}", expected "EXTF" or "DTVF"`);
	}
	if (headerRecord.fields.length !== HEADER_FIELD_COUNT) {
		warnings.push({
			line: 1,
			code: 'header-field-count',
			message: `header has ${headerRecord.fields.length} fields, expected ${HEADER_FIELD_COUNT}`,
		});
	}
	const headings = headingsRecord.fields;
	const expectedColumns = header.formatVersion === undefined ? undefined : COLUMN_COUNT_BY_FORMAT_VERSION[header.formatVersion];
	if (expectedColumns !== undefined && headings.length !== expectedColumns) {
		warnings.push({
			line: 2,
			code: 'column-count',
			message: `format version ${header.formatVersion} has ${expectedColumns} columns, the headings line has ${headings.length}`,
		});
	}
	const rows = rowRecords.map((record): DatevRow => {
		if (record.fields.length !== headings.length) {
			warnings.push({
				line: record.line,
				code: 'row-field-count',
				message: `row has ${record.fields.length} fields, the headings line ${headings.length}`,
			});
		}
		// Headings come from the file: a Map keeps "constructor" or "__proto__" from meeting Object.prototype.
		const byHeading = new Map<string, string>();
		headings.forEach((heading, position) => {
			if (!byHeading.has(heading)) {
				byHeading.set(heading, record.fields[position] ?? '');
			}
		});
		const values: Record<string, string> = Object.fromEntries(byHeading);
		return { line: record.line, fields: record.fields, quoted: record.quoted, values };
	});
	warnings.sort((a, b) => a.line - b.line);
	if (options.strict && warnings.length > 0) {
		throw new DatevReadError(warnings.map((warning) => `line ${warning.line}: ${warning.message}`).join('; '));
	}
	return { header, headerFields: headerRecord.fields, headings, rows, warnings };
}

/** Value of a 1-based column of a row ('' when the row is shorter). */
export function field(row: DatevRow, column: number): string {
	return row.fields[column - 1] ?? '';
}

/**
 * An EXTF amount ("1234,56") in minor units of `currency`. Accepts amounts without decimals as DATEV's sample has
 * them ("64083"); rejects signs, thousands separators and empty text.
 */
export function parseDatevAmount(text: string, currency: string): number {
	if (!/^\d+(,\d+)?$/.test(text)) {
		throw new DatevReadError(`"${preview(text)}" is not a DATEV amount`);
	}
	return parseMinor(text.replace(',', '.'), currency);
}

/** Currency of a row: WKZ Umsatz, or the batch currency (header WKZ) when the row leaves it empty. */
export function rowCurrency(row: DatevRow, file: DatevFile): string {
	return field(row, COLUMN.currency) || file.header.currency;
}

/** Umsatz of a row in minor units of its currency. */
export function rowAmountMinor(row: DatevRow, file: DatevFile): number {
	return parseDatevAmount(field(row, COLUMN.amount), rowCurrency(row, file));
}

export function rowSide(row: DatevRow): DebitCredit {
	const side = field(row, COLUMN.side);
	if (side !== 'S' && side !== 'H') {
		throw new DatevReadError(`line ${row.line}: Soll/Haben-Kennzeichen "${side}" is neither S nor H`);
	}
	return side;
}

/**
 * Belegdatum (TTMM) as YYYY-MM-DD. The year comes from the header: the year of Datum vom/bis in which the date lies
 * inside the period, else (no period in the header) from the fiscal year that starts at WJ-Beginn.
 */
export function rowBelegdatum(row: DatevRow, file: DatevFile): string {
	const text = field(row, COLUMN.date);
	if (!/^\d{4}$/.test(text)) {
		throw new DatevReadError(`line ${row.line}: Belegdatum "${text}" is not TTMM`);
	}
	const dayMonth = `${text.slice(2, 4)}-${text.slice(0, 2)}`;
	const { periodFrom, periodTo, fiscalYearStart } = file.header;
	const years: number[] = [];
	if (periodFrom !== undefined && periodTo !== undefined) {
		years.push(Number(periodFrom.slice(0, 4)), Number(periodTo.slice(0, 4)));
	}
	if (fiscalYearStart !== undefined) {
		const start = parseIsoDate(fiscalYearStart);
		if (start) {
			years.push(Number(text.slice(2, 4)) >= start.month ? start.year : start.year + 1);
		}
	}
	const candidates = years.map((year) => `${year}-${dayMonth}`).filter(isIsoDate);
	const inPeriod = candidates.find((iso) => periodFrom !== undefined && periodTo !== undefined && iso >= periodFrom && iso <= periodTo);
	const date = inPeriod ?? candidates[candidates.length - 1];
	if (date === undefined) {
		throw new DatevReadError(`line ${row.line}: Belegdatum "${text}" is no valid date in the header's period`);
	}
	return date;
}

/** A row date other than Belegdatum (Leistungsdatum, Fälligkeit, …: TTMMJJJJ) as YYYY-MM-DD; undefined when empty. */
export function rowDate(row: DatevRow, column: number): string | undefined {
	const text = field(row, column);
	if (text === '') {
		return undefined;
	}
	const date = fromDayMonthYear(text);
	if (date === undefined) {
		throw new DatevReadError(`line ${row.line}: "${text}" in column ${column} is not a date TTMMJJJJ`);
	}
	return date;
}

/** Account numbers come back with the leading zeros the writer dropped (85 → 0085 with Sachkontenlänge 4). */
function restoreAccount(written: string, accountLength: number | undefined): string {
	return accountLength !== undefined && written.length < accountLength ? written.padStart(accountLength, '0') : written;
}

/** EU-Steuersatz "20,00" in hundredths of a percent; undefined when empty. */
function rowPercent(row: DatevRow, column: number): number | undefined {
	const text = field(row, column);
	if (text === '') {
		return undefined;
	}
	const match = /^(\d{1,2}),(\d{2})$/.exec(text);
	if (!match) {
		throw new DatevReadError(`line ${row.line}: "${text}" in column ${column} is not a rate like 19,00`);
	}
	return Number(match[1]) * 100 + Number(match[2]);
}

/** The optional fields of a row, present only when the file fills them (so lines without them compare equal). */
function optionalFields(row: DatevRow): Pick<BookingLine, 'euCountry' | 'euTaxRate' | 'serviceDate' | 'taxPeriodDate' | 'generalReversal'> {
	const out: Pick<BookingLine, 'euCountry' | 'euTaxRate' | 'serviceDate' | 'taxPeriodDate' | 'generalReversal'> = {};
	const euCountry = field(row, COLUMN.euCountry);
	const euTaxRate = rowPercent(row, COLUMN.euTaxRate);
	const serviceDate = rowDate(row, COLUMN.serviceDate);
	const taxPeriodDate = rowDate(row, COLUMN.taxPeriodDate);
	if (euCountry !== '') out.euCountry = euCountry;
	if (euTaxRate !== undefined) out.euTaxRate = euTaxRate;
	if (serviceDate !== undefined) out.serviceDate = serviceDate;
	if (taxPeriodDate !== undefined) out.taxPeriodDate = taxPeriodDate;
	if (field(row, COLUMN.generalReversal) === '1') out.generalReversal = true;
	return out;
}

/** The BookingLine fields of every row (the source ids are not part of the file). */
export function readBookingLines(file: DatevFile): Array<Omit<BookingLine, 'source'>> {
	return file.rows.map((row) => ({
		amountMinor: rowAmountMinor(row, file),
		currency: rowCurrency(row, file),
		side: rowSide(row),
		account: restoreAccount(field(row, COLUMN.account), file.header.accountLength),
		contraAccount: restoreAccount(field(row, COLUMN.contraAccount), file.header.accountLength),
		taxKey: field(row, COLUMN.taxKey),
		date: rowBelegdatum(row, file),
		documentField1: field(row, COLUMN.documentField1),
		documentField2: field(row, COLUMN.documentField2),
		text: field(row, COLUMN.text),
		orderNumber: field(row, COLUMN.orderNumber),
		settlementReference: field(row, COLUMN.settlementReference),
		...optionalFields(row),
	}));
}
