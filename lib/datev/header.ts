/**
 * Line 1 of an EXTF file: header version 700, format category 21 "Buchungsstapel", format version 13, 31 fields
 * (reference §1.2). The settings are validated with zod so a wrong Beraternummer or period fails before any file is
 * written, with a message that names the DATEV field.
 */
import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';
import { isKnownCurrency } from '../money';
import { isCp1252Encodable } from './cp1252';
import { fiscalYearEndOf, isIsoDate, parseIsoDate, toCompactDate } from './dates';
import { formatText, hasControlCharacter } from './fields';
import { startsLikeFormula } from './text-safety';

export const HEADER_VERSION = 700;
export const FORMAT_CATEGORY = 21;
export const FORMAT_NAME = 'Buchungsstapel';
export const FORMAT_VERSION = 13;

/** Latin letters of Windows-1252 (DATEV's `\w` in the header regexes; × and ÷ are no letters). */
export const LETTERS = 'A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff';

const isoDate = (what: string) =>
	z.string({ required_error: `${what} is required` }).refine(isIsoDate, { message: `${what} must be a date YYYY-MM-DD` });

const cp1252Safe = (text: string): boolean => [...text].every((char) => isCp1252Encodable(char.codePointAt(0) as number));

/** Settings that describe the DATEV client and the file's metadata; shared by the header and the export settings. */
export const clientSettingsShape = {
	/** Beraternummer (header field 11). */
	consultantNumber: z
		.number({ required_error: 'Beraternummer (consultantNumber) is required', invalid_type_error: 'Beraternummer (consultantNumber) must be a number' })
		.int('Beraternummer (consultantNumber) must be a whole number')
		.min(1001, 'Beraternummer (consultantNumber) must be between 1001 and 9999999')
		.max(9999999, 'Beraternummer (consultantNumber) must be between 1001 and 9999999'),
	/** Mandantennummer (header field 12). */
	clientNumber: z
		.number({ required_error: 'Mandantennummer (clientNumber) is required', invalid_type_error: 'Mandantennummer (clientNumber) must be a number' })
		.int('Mandantennummer (clientNumber) must be a whole number')
		.min(1, 'Mandantennummer (clientNumber) must be between 1 and 99999')
		.max(99999, 'Mandantennummer (clientNumber) must be between 1 and 99999'),
	/** Sachkontennummernlänge (header field 14); SKR03/04 standard is 4. */
	accountLength: z
		.number({ invalid_type_error: 'Sachkontenlänge (accountLength) must be a number' })
		.int('Sachkontenlänge (accountLength) must be a whole number')
		.min(4, 'Sachkontenlänge (accountLength) must be between 4 and 8')
		.max(8, 'Sachkontenlänge (accountLength) must be between 4 and 8')
		.default(4),
	/** Sachkontenrahmen (header field 27). */
	chartOfAccounts: z.enum(['03', '04'], {
		errorMap: () => ({ message: "SKR (chartOfAccounts) must be '03' or '04'" }),
	}),
	/** WKZ (header field 22): the batch currency. Every booking must be in it (BookingLine carries no exchange rate). */
	currency: z
		.string()
		.refine(isKnownCurrency, { message: 'WKZ (currency) must be a known ISO 4217 currency code' })
		.default('EUR'),
	/** Diktatkürzel (header field 18): two capital letters or empty. */
	dictationCode: z
		.string()
		.regex(/^([A-Z]{2})?$/, 'Diktatkürzel (dictationCode) must be two capital letters or empty')
		.default(''),
	/** Buchungstyp (header field 19): 1 = Finanzbuchführung, 2 = Jahresabschluss. */
	bookingType: z
		.union([z.literal(1), z.literal(2)], { errorMap: () => ({ message: 'Buchungstyp (bookingType) must be 1 or 2' }) })
		.default(1),
	/** Rechnungslegungszweck (header field 20): 0 independent, 30 Steuerrecht, 40 Kalkulatorik, 50 Handelsrecht, 64 IFRS. */
	accountingPurpose: z
		.union([z.literal(0), z.literal(30), z.literal(40), z.literal(50), z.literal(64)], {
			errorMap: () => ({ message: 'Rechnungslegungszweck (accountingPurpose) must be 0, 30, 40, 50 or 64' }),
		})
		.default(0),
	/** Festschreibung (header field 21). false writes 0 so the adviser can still correct the batch. */
	locked: z.boolean({ invalid_type_error: 'Festschreibung (locked) must be true or false' }).default(false),
	/** Herkunft (header field 8): two-character origin code shown in DATEV. */
	origin: z
		.string()
		.regex(/^[A-Z0-9]{2}$/, 'Herkunft (origin) must be two capital letters or digits')
		.default('RE'),
	/** Exportiert von (header field 9): DATEV's regex allows word characters only, at most 25. */
	exportedBy: z
		.string()
		.regex(new RegExp(`^[${LETTERS}0-9_]{0,25}$`), 'Exportiert von (exportedBy) may only contain letters, digits and _ (max 25)')
		.default(''),
	/** Anwendungsinformation (header field 31): free tag of the sending program, max 16. */
	applicationInfo: z
		.string()
		.max(16, 'Anwendungsinformation (applicationInfo) must be at most 16 characters')
		.refine((text) => cp1252Safe(text) && !text.includes('"') && !hasControlCharacter(text), {
			message: 'Anwendungsinformation (applicationInfo) may not contain quotes, control characters or characters outside Windows-1252',
		})
		.refine((text) => !startsLikeFormula(text), {
			message: 'Anwendungsinformation (applicationInfo) must not start with = + - @ (a spreadsheet would run it as a formula)',
		})
		.default(''),
	/** Time zone of the created-at stamp (header field 6). */
	timeZone: z
		.string()
		.refine((zone) => IANAZone.isValidZone(zone), { message: 'timeZone must be an IANA time zone such as Europe/Berlin' })
		.default('Europe/Berlin'),
};

export const clientSettingsSchema = z.object(clientSettingsShape);

/** Bezeichnung (header field 17): DATEV's regex `^["][\w.-/ ]{0,30}["]$` (the `.-/` is a range: `.` and `/`). */
export const DESCRIPTION_PATTERN = new RegExp(`^[${LETTERS}0-9_./ ]{0,30}$`);

const headerObject = z.object({
	...clientSettingsShape,
	/** WJ-Beginn (header field 13). */
	fiscalYearStart: isoDate('WJ-Beginn (fiscalYearStart)'),
	/** Datum vom (header field 15). */
	periodFrom: isoDate('Datum vom (periodFrom)'),
	/** Datum bis (header field 16). */
	periodTo: isoDate('Datum bis (periodTo)'),
	/** Bezeichnung (header field 17). */
	description: z
		.string()
		.regex(DESCRIPTION_PATTERN, 'Bezeichnung (description) may only contain letters, digits, blanks and _ . / (max 30)')
		.default(''),
	/** Erzeugt am (header field 6), epoch milliseconds; injected so that output is reproducible. */
	createdAt: z
		.number({ required_error: 'createdAt (epoch ms) is required', invalid_type_error: 'createdAt must be epoch milliseconds' })
		.int('createdAt must be whole epoch milliseconds')
		.nonnegative('createdAt must be epoch milliseconds'),
});

export const headerShape = headerObject.shape;

/** Period rules of DATEV's importer: vom ≤ bis, one calendar year (#REW04404), inside the fiscal year (#REW00314). */
export function checkPeriod(
	settings: { fiscalYearStart: string; periodFrom: string; periodTo: string },
	context: z.RefinementCtx,
): void {
	const { fiscalYearStart, periodFrom, periodTo } = settings;
	if (!isIsoDate(fiscalYearStart) || !isIsoDate(periodFrom) || !isIsoDate(periodTo)) {
		return; // already reported by the field schemas
	}
	const issue = (path: string, message: string): void => context.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
	if (periodFrom > periodTo) {
		issue('periodTo', `Datum bis (periodTo) ${periodTo} is before Datum vom (periodFrom) ${periodFrom}`);
	}
	if (parseIsoDate(periodFrom)?.year !== parseIsoDate(periodTo)?.year) {
		issue('periodTo', `Datum vom and Datum bis must lie in the same calendar year (${periodFrom}, ${periodTo})`);
	}
	if (periodFrom < fiscalYearStart) {
		issue('periodFrom', `Datum vom (periodFrom) ${periodFrom} is before WJ-Beginn (fiscalYearStart) ${fiscalYearStart}`);
	}
	const fiscalYearEnd = fiscalYearEndOf(fiscalYearStart);
	if (periodTo > fiscalYearEnd) {
		issue('periodTo', `Datum bis (periodTo) ${periodTo} is after the end of the fiscal year ${fiscalYearEnd}`);
	}
}

export const headerSettingsSchema = headerObject.superRefine(checkPeriod);

export type HeaderSettingsInput = z.input<typeof headerSettingsSchema>;
export type HeaderSettings = z.output<typeof headerSettingsSchema>;

/** Invalid settings; `issues` holds one readable line per problem. */
export class DatevSettingsError extends Error {
	constructor(readonly issues: string[]) {
		super(`Invalid DATEV settings: ${issues.join('; ')}`);
		this.name = 'DatevSettingsError';
	}
}

/** Parses with a zod schema and turns its issues into a DatevSettingsError. */
export function parseWith<T extends z.ZodTypeAny>(schema: T, input: unknown): z.output<T> {
	const result = schema.safeParse(input);
	if (!result.success) {
		throw new DatevSettingsError(
			result.error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)),
		);
	}
	return result.data as z.output<T>;
}

export function parseHeaderSettings(input: unknown): HeaderSettings {
	return parseWith(headerSettingsSchema, input);
}

/** Erzeugt am: YYYYMMDDHHMMSSFFF (17 digits, milliseconds) in the configured time zone. */
export function formatCreatedAt(epochMs: number, timeZone: string): string {
	return DateTime.fromMillis(epochMs, { zone: timeZone }).toFormat('yyyyMMddHHmmssSSS');
}

/** The 31 header fields, each already formatted (text quoted, numbers bare). */
export function headerFields(settings: HeaderSettings): string[] {
	return [
		formatText('EXTF'), // 1 Kennzeichen: third-party program
		String(HEADER_VERSION), // 2 Versionsnummer
		String(FORMAT_CATEGORY), // 3 Formatkategorie
		formatText(FORMAT_NAME), // 4 Formatname
		String(FORMAT_VERSION), // 5 Formatversion
		formatCreatedAt(settings.createdAt, settings.timeZone), // 6 Erzeugt am
		'', // 7 Importiert (DATEV fills it)
		formatText(settings.origin), // 8 Herkunft
		formatText(settings.exportedBy), // 9 Exportiert von
		formatText(''), // 10 Importiert von
		String(settings.consultantNumber), // 11 Beraternummer
		String(settings.clientNumber), // 12 Mandantennummer
		toCompactDate(settings.fiscalYearStart), // 13 WJ-Beginn
		String(settings.accountLength), // 14 Sachkontennummernlänge
		toCompactDate(settings.periodFrom), // 15 Datum vom
		toCompactDate(settings.periodTo), // 16 Datum bis
		formatText(settings.description), // 17 Bezeichnung
		formatText(settings.dictationCode), // 18 Diktatkürzel
		String(settings.bookingType), // 19 Buchungstyp
		String(settings.accountingPurpose), // 20 Rechnungslegungszweck
		settings.locked ? '1' : '0', // 21 Festschreibung (empty would mean "locked" since 2016/17)
		formatText(settings.currency), // 22 WKZ
		'', // 23 reserviert
		formatText(''), // 24 Derivatskennzeichen
		'', // 25 reserviert
		'', // 26 reserviert
		formatText(settings.chartOfAccounts), // 27 Sachkontenrahmen
		'', // 28 Branchenlösungs-ID
		'', // 29 reserviert
		formatText(''), // 30 reserviert
		formatText(settings.applicationInfo), // 31 Anwendungsinformation
	];
}
