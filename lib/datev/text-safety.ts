/**
 * Spreadsheet formula injection ("CSV injection", OWASP): advisers open EXTF files in Excel or LibreOffice, which
 * treat a cell starting with = + - @ as a formula (`=HYPERLINK(…)`, `=cmd|…` DDE, `@SUM(…)`), also after leading
 * blanks. Every text field we write into a DATEV file passes through `neutraliseFormula`, after transliteration to
 * Windows-1252 (a full-width ＝ only becomes = there) and after control characters became blanks (a leading TAB
 * or CR is a trigger, too).
 */

const FORMULA_START = /^\s*[=+\-@]/;
const FORMULA_CHARACTERS = /^[\s=+\-@]+/;

/** True when a spreadsheet would run `text` as a formula. */
export function startsLikeFormula(text: string): boolean {
	return FORMULA_START.test(text);
}

/**
 * Makes `text` safe to open in a spreadsheet.
 * - `'apostrophe'` (free text: Buchungstext, Auftragsnummer, Abrechnungsreferenz, header texts): a leading `'`
 *   makes spreadsheets show the cell as text, and the content stays complete and readable (OWASP's advice).
 * - `'drop'` (Belegfeld 1/2): DATEV allows only letters, digits and `$ % - /` there, no apostrophe, so the leading
 *   formula characters and blanks are dropped; only `-` can lead after DATEV's character rules anyway.
 */
export function neutraliseFormula(text: string, how: 'apostrophe' | 'drop' = 'apostrophe'): string {
	if (!startsLikeFormula(text)) return text;
	return how === 'drop' ? text.replace(FORMULA_CHARACTERS, '') : `'${text}`;
}
