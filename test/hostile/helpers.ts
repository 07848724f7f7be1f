/** Shared checks of the hostile-input tests: what a spreadsheet would execute, and how long a message may be. */
import { readBuchungsstapel } from '../../lib/datev/reader';

/** A cell a spreadsheet runs as a formula: starts (after blanks) with = + - @ (OWASP "CSV injection"). */
export const FORMULA_CELL = /^\s*[=+\-@]/;

/** Every field of a DATEV file (header, headings, rows) that a spreadsheet would run as a formula. */
export function formulaFields(bytes: Uint8Array): string[] {
	const file = readBuchungsstapel(bytes, { strict: true });
	return [...file.headerFields, ...file.headings, ...file.rows.flatMap((row) => row.fields)].filter((value) =>
		FORMULA_CELL.test(value),
	);
}

/** DATEV export settings of the Map node for the hostile tests. */
export const DATEV_SETTINGS = { consultantNumber: 1234567, clientNumber: 12345, chartOfAccounts: '03' as const, shopName: 'Hostile' };
export const NOW = () => Date.parse('2025-07-15T06:00:00Z');

/** Header settings for a July 2025 file, for tests that call the writer directly. */
export const JULY_FILE = {
	consultantNumber: 1234567,
	clientNumber: 12345,
	chartOfAccounts: '03' as const,
	fiscalYearStart: '2025-01-01',
	periodFrom: '2025-07-01',
	periodTo: '2025-07-31',
	createdAt: NOW(),
};

/** Runs `run`, which must throw, and returns what it threw. */
export function thrown(run: () => unknown): Error {
	try {
		run();
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected an error');
}
