/**
 * User-level settings of a DATEV export (what the node asks for). Per-file header values (WJ-Beginn, Datum vom/bis,
 * Bezeichnung, part numbers) are derived from them by batches.ts.
 */
import { z } from 'zod';
import { isIsoDate } from './dates';
import { clientSettingsShape, DESCRIPTION_PATTERN, parseWith } from './header';

/** DATEV accepts at most 99,999 bookings per batch. */
export const MAX_ROWS_PER_BATCH = 99_999;

/**
 * The label starts the Bezeichnung "<label> MM/YYYY[ T<part>]", which DATEV limits to 30 characters of letters,
 * digits, blanks and `_ . /`; 18 characters leave room for the month and a part number up to 99.
 */
export const MAX_LABEL_LENGTH = 18;

export const datevExportSettingsSchema = z.object({
	...clientSettingsShape,
	/** Month (1–12) in which the fiscal year starts; 1 = calendar year, 7 = July–June. */
	fiscalYearStartMonth: z
		.number({ invalid_type_error: 'fiscalYearStartMonth must be a number' })
		.int('fiscalYearStartMonth must be a whole number')
		.min(1, 'fiscalYearStartMonth must be between 1 and 12')
		.max(12, 'fiscalYearStartMonth must be between 1 and 12')
		.default(1),
	/**
	 * First day of bookkeeping (e.g. the founding date), YYYY-MM-DD. The fiscal year containing it is a short one
	 * (Rumpfwirtschaftsjahr) that starts on this day: it becomes WJ-Beginn and clips Datum vom.
	 */
	bookkeepingStart: z
		.string()
		.refine(isIsoDate, { message: 'bookkeepingStart must be a date YYYY-MM-DD' })
		.optional(),
	/** Start of the Bezeichnung (header field 17). */
	label: z
		.string()
		.max(MAX_LABEL_LENGTH, `label must be at most ${MAX_LABEL_LENGTH} characters`)
		.regex(DESCRIPTION_PATTERN, 'label may only contain letters, digits, blanks and _ . /')
		.default('TikTok Shop'),
	/** Shop name used in the file names (sanitised there). */
	shopName: z.string().default('TikTok'),
	/** Automatic accounts (no BU-Schlüssel allowed); default: the chart's standard list. */
	automaticAccounts: z.array(z.string().regex(/^\d{1,9}$/, 'automaticAccounts must be account numbers')).optional(),
	/** Rows per file before a month is split into numbered parts; DATEV's limit is 99,999. */
	maxRowsPerFile: z
		.number()
		.int('maxRowsPerFile must be a whole number')
		.min(1, 'maxRowsPerFile must be at least 1')
		.max(MAX_ROWS_PER_BATCH, `maxRowsPerFile must be at most ${MAX_ROWS_PER_BATCH}`)
		.default(MAX_ROWS_PER_BATCH),
});

export type DatevExportSettingsInput = z.input<typeof datevExportSettingsSchema>;
export type DatevExportSettings = z.output<typeof datevExportSettingsSchema>;

/** Validates export settings; throws DatevSettingsError listing every problem. */
export function parseDatevExportSettings(input: unknown): DatevExportSettings {
	return parseWith(datevExportSettingsSchema, input);
}
