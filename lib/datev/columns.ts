/**
 * Column headings of the DATEV "Buchungsstapel" (format category 21), format version 13: 125 columns in DATEV's
 * order and wording (line 2 of DATEV's own sample file plus column 125). DATEV reads the data by position, so the
 * order and count matter; the wording is what DATEV's sample writes, including its missing blank in
 * "Zusatzinformation- Inhalt n".
 */

/** How a column is written: text is quoted, everything else is written bare. */
export type ColumnKind = 'amount' | 'text' | 'number' | 'account' | 'date';

function pairs(prefix: string, art: string, inhalt: string, count: number): string[] {
	const headings: string[] = [];
	for (let n = 1; n <= count; n++) {
		headings.push(`${prefix}${art} ${n}`, `${prefix}${inhalt} ${n}`);
	}
	return headings;
}

export const BUCHUNGSSTAPEL_COLUMNS_V13: readonly string[] = Object.freeze([
	'Umsatz (ohne Soll/Haben-Kz)', // 1
	'Soll/Haben-Kennzeichen',
	'WKZ Umsatz',
	'Kurs',
	'Basis-Umsatz', // 5
	'WKZ Basis-Umsatz',
	'Konto',
	'Gegenkonto (ohne BU-Schlüssel)',
	'BU-Schlüssel',
	'Belegdatum', // 10
	'Belegfeld 1',
	'Belegfeld 2',
	'Skonto',
	'Buchungstext',
	'Postensperre', // 15
	'Diverse Adressnummer',
	'Geschäftspartnerbank',
	'Sachverhalt',
	'Zinssperre',
	'Beleglink', // 20
	...pairs('Beleginfo - ', 'Art', 'Inhalt', 8), // 21–36
	'KOST1 - Kostenstelle', // 37
	'KOST2 - Kostenstelle',
	'Kost-Menge',
	'EU-Land u. UStID (Bestimmung)', // 40
	'EU-Steuersatz (Bestimmung)',
	'Abw. Versteuerungsart',
	'Sachverhalt L+L',
	'Funktionsergänzung L+L',
	'BU 49 Hauptfunktionstyp', // 45
	'BU 49 Hauptfunktionsnummer',
	'BU 49 Funktionsergänzung',
	...pairs('Zusatzinformation', ' - Art', '- Inhalt', 20), // 48–87
	'Stück', // 88
	'Gewicht',
	'Zahlweise', // 90
	'Forderungsart',
	'Veranlagungsjahr',
	'Zugeordnete Fälligkeit',
	'Skontotyp',
	'Auftragsnummer', // 95
	'Buchungstyp',
	'USt-Schlüssel (Anzahlungen)',
	'EU-Land (Anzahlungen)',
	'Sachverhalt L+L (Anzahlungen)',
	'EU-Steuersatz (Anzahlungen)', // 100
	'Erlöskonto (Anzahlungen)',
	'Herkunft-Kz',
	'Buchungs GUID',
	'KOST-Datum',
	'SEPA-Mandatsreferenz', // 105
	'Skontosperre',
	'Gesellschaftername',
	'Beteiligtennummer',
	'Identifikationsnummer',
	'Zeichnernummer', // 110
	'Postensperre bis',
	'Bezeichnung SoBil-Sachverhalt',
	'Kennzeichen SoBil-Buchung',
	'Festschreibung',
	'Leistungsdatum', // 115
	'Datum Zuord. Steuerperiode',
	'Fälligkeit',
	'Generalumkehr (GU)',
	'Steuersatz',
	'Land', // 120
	'Abrechnungsreferenz',
	'BVV-Position',
	'EU-Land u. UStID (Ursprung)',
	'EU-Steuersatz (Ursprung)',
	'Abw. Skontokonto', // 125
]);

/** 1-based column numbers of the text columns (DATEV's field definitions; everything else is written bare). */
const TEXT_COLUMNS = new Set<number>([
	2, 3, 6, 9, 11, 12, 14, 16, 20,
	...Array.from({ length: 16 }, (_, i) => 21 + i), // Beleginfo Art/Inhalt 1–8
	37, 38, 40, 42,
	...Array.from({ length: 40 }, (_, i) => 48 + i), // Zusatzinformation Art/Inhalt 1–20
	91, 95, 96, 98, 102, 103, 105, 107, 109, 110, 112, 118, 120, 121, 123,
]);

const AMOUNT_COLUMNS = new Set<number>([1, 5, 13]);
const ACCOUNT_COLUMNS = new Set<number>([7, 8, 101, 125]);
const DATE_COLUMNS = new Set<number>([10, 93, 104, 111, 115, 116, 117]);

/** Kind of a 1-based column number of format version 13. */
export function columnKind(column: number): ColumnKind {
	if (TEXT_COLUMNS.has(column)) return 'text';
	if (AMOUNT_COLUMNS.has(column)) return 'amount';
	if (ACCOUNT_COLUMNS.has(column)) return 'account';
	if (DATE_COLUMNS.has(column)) return 'date';
	return 'number';
}

/** 1-based numbers of the columns the writer fills from a BookingLine. */
export const COLUMN = Object.freeze({
	amount: 1,
	side: 2,
	currency: 3,
	account: 7,
	contraAccount: 8,
	taxKey: 9,
	date: 10,
	documentField1: 11,
	documentField2: 12,
	text: 14,
	euCountry: 40,
	euTaxRate: 41,
	orderNumber: 95,
	serviceDate: 115,
	taxPeriodDate: 116,
	generalReversal: 118,
	settlementReference: 121,
});

/** Number of data columns per Buchungsstapel format version (reference §2.1). */
export const COLUMN_COUNT_BY_FORMAT_VERSION: Readonly<Record<number, number>> = Object.freeze({
	9: 120,
	10: 121,
	11: 122,
	12: 124,
	13: 125,
});

/** Number of fields in header line 1 (header version 700). */
export const HEADER_FIELD_COUNT = 31;
