import { describe, expect, it } from '@jest/globals';
import { encodeCp1252 } from '../../lib/datev/cp1252';
import {
	DatevReadError,
	field,
	parseDatevAmount,
	readBookingLines,
	readBuchungsstapel,
	rowAmountMinor,
	rowBelegdatum,
	rowDate,
	rowSide,
	type DatevFile,
	type DatevRow,
} from '../../lib/datev/reader';
import { readFileBytes } from '../support/files';

const SAMPLE = 'test/fixtures/datev-musterdaten-buchungsstapel-v12.csv';

describe('reading DATEV sample data (format version 12, 124 columns)', () => {
	const file = readBuchungsstapel(readFileBytes(SAMPLE));
	/** Row by its line number in the file (line 3 = first booking). */
	const line = (number: number): DatevRow => file.rows[number - 3];

	it('names the header fields', () => {
		expect(file.headerFields).toHaveLength(31);
		expect(file.header).toEqual({
			marker: 'EXTF',
			headerVersion: 700,
			category: 21,
			formatName: 'Buchungsstapel',
			formatVersion: 12,
			createdAt: '20210130140440439',
			imported: '',
			origin: 'RK',
			exportedBy: '',
			importedBy: '',
			consultantNumber: 29098,
			clientNumber: 55003,
			fiscalYearStart: '2021-01-01',
			accountLength: 4,
			periodFrom: '2021-01-01',
			periodTo: '2021-08-31',
			description: 'Buchungsstapel',
			dictationCode: 'WD',
			bookingType: 1,
			accountingPurpose: 0,
			locked: 0,
			currency: 'EUR',
			derivativeFlag: '',
			chartOfAccounts: '03',
			industrySolutionId: undefined,
			applicationInfo: '',
		});
	});

	it('has 124 headings and 54 bookings of 124 fields each', () => {
		expect(file.headings).toHaveLength(124);
		expect(file.headings[123]).toBe('EU-Steuersatz (Ursprung)');
		expect(file.rows).toHaveLength(54);
		expect(file.rows.every((row) => row.fields.length === 124)).toBe(true);
		expect(file.rows[0].line).toBe(3);
	});

	it('reports the one quirk of the sample (text after a closing quote in line 4) and nothing else', () => {
		expect(file.warnings.map((warning) => [warning.line, warning.code])).toEqual([[4, 'text-after-quote']]);
		expect(field(line(4), 14)).toBe(' Normalabschr. immater. VermG" "');
		expect(() => readBuchungsstapel(readFileBytes(SAMPLE), { strict: true })).toThrow(DatevReadError);
	});

	it('reads the first booking', () => {
		const row = line(3);
		expect(rowAmountMinor(row, file)).toBe(10018);
		expect(rowSide(row)).toBe('S');
		expect(row.values['Konto']).toBe('48400');
		expect(row.values['Gegenkonto (ohne BU-Schlüssel)']).toBe('8401');
		expect(rowBelegdatum(row, file)).toBe('2021-01-31');
		expect(row.values['Buchungstext']).toBe('Test Anzahlung');
		expect(row.values['Auftragsnummer']).toBe('Projekt 4711');
		expect(row.values['Buchungstyp']).toBe('AG');
		expect(row.values['Erlöskonto (Anzahlungen)']).toBe('8070');
		expect(row.values['Herkunft-Kz']).toBe('WK');
	});

	it('reads an amount without decimals, umlauts, foreign currency and four-digit BU keys', () => {
		expect(field(line(5), 1)).toBe('64083');
		expect(rowAmountMinor(line(5), file)).toBe(6_408_300);
		expect(line(5).values['Buchungstext']).toBe('Normalabschreibung Gebäude');
		expect(line(45).values['Buchungstext']).toBe('Rübli-Test');
		expect(line(40).values['Buchungstext']).toBe('Währungsumrechnungsdifferenz');
		const chf = line(19);
		expect(chf.fields.slice(0, 6)).toEqual(['124,00', 'H', 'CHF', '1,240402', '100,00', 'EUR']);
		expect(rowAmountMinor(chf, file)).toBe(12400);
		expect(line(53).values['BU-Schlüssel']).toBe('6501');
		expect(line(47).values['Leistungsdatum']).toBe('12052018');
		expect(line(47).values['Datum Zuord. Steuerperiode']).toBe('25052018');
		expect(rowDate(line(47), 115)).toBe('2018-05-12');
		expect(rowDate(line(46), 116)).toBeUndefined();
		expect(() => rowDate(line(3), 1)).toThrow('not a date TTMMJJJJ');
		expect(line(56).values['Generalumkehr (GU)']).toBe('1');
	});

	it('totals Soll and Haben amounts as computed from the file', () => {
		const total = (side: 'S' | 'H'): number =>
			file.rows.filter((row) => rowSide(row) === side).reduce((sum, row) => sum + rowAmountMinor(row, file), 0);
		expect(total('S')).toBe(8_999_696);
		expect(total('H')).toBe(17_229_264);
	});

	it('turns every row into booking fields, restoring leading zeros of accounts', () => {
		const lines = readBookingLines(file);
		expect(lines).toHaveLength(54);
		expect(lines[2]).toMatchObject({ amountMinor: 6_408_300, account: '4400', contraAccount: '0085', date: '2021-01-31' });
		expect(lines.map((booking) => booking.date).every((date) => date >= '2021-01-01' && date <= '2021-08-31')).toBe(true);
		expect(lines[16].currency).toBe('CHF');
		expect(lines[0].currency).toBe('EUR');
	});
});

describe('reader robustness', () => {
	const header = '"EXTF";700;21;"Buchungsstapel";13;20250702093000123;;"RE";"";"";29098;55003;20250701;4;20260101;20260131;"x";"";1;0;0;"EUR";;"";;;"03";;;"";""';
	const read = (text: string, strict = false): DatevFile => readBuchungsstapel(encodeCp1252(text), { strict });

	it('warns about a bare LF, a missing final CR LF, an unterminated quote and wrong field counts', () => {
		const file = read(`${header}\r\nUmsatz;S/H\n1,00;"S"\r\n2,00;"H";x\r\n"open`);
		expect(file.warnings.map((warning) => [warning.line, warning.code])).toEqual([
			[2, 'bare-line-end'],
			[2, 'column-count'],
			[4, 'row-field-count'],
			[5, 'unterminated-quote'],
			[5, 'missing-final-crlf'],
			[5, 'row-field-count'],
		]);
		expect(() => read(`${header}\r\nUmsatz;S/H\n`, true)).toThrow(DatevReadError);
	});

	it('parses doubled quotes and semicolons inside quotes', () => {
		const file = read(`${header}\r\nA;B;C\r\n"a ""b"";c";"";\r\n`);
		expect(file.rows[0].fields).toEqual(['a "b";c', '', '']);
		expect(file.rows[0].quoted).toEqual([true, true, false]);
	});

	it('takes the Belegdatum year from the period, also in a fiscal year that started the year before', () => {
		const file = read(`${header}\r\nUmsatz;S;W;K;B;WB;Konto;Gegenkonto;BU;Belegdatum\r\n1,00;"S";"";;;"";1270;10000;"";1501\r\n`);
		expect(rowBelegdatum(file.rows[0], file)).toBe('2026-01-15');
	});

	it('refuses files that are no Buchungsstapel and values that are no amounts', () => {
		expect(() => read('hello\r\n')).toThrow('header line and a column headings line');
		expect(() => read('"XYZ";700\r\nA\r\n')).toThrow('expected "EXTF" or "DTVF"');
		expect(() => parseDatevAmount('-1,00', 'EUR')).toThrow(DatevReadError);
		expect(() => parseDatevAmount('1.000,00', 'EUR')).toThrow(DatevReadError);
		expect(parseDatevAmount('0,5', 'EUR')).toBe(50);
	});
});
