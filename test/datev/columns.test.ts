import { describe, expect, it } from '@jest/globals';
import { BUCHUNGSSTAPEL_COLUMNS_V13, COLUMN, COLUMN_COUNT_BY_FORMAT_VERSION, columnKind } from '../../lib/datev/columns';
import { decodeCp1252 } from '../../lib/datev/cp1252';
import { readFileBytes } from '../support/files';

const SAMPLE = 'test/fixtures/datev-musterdaten-buchungsstapel-v12.csv';

function sampleHeadings(): string[] {
	const text = decodeCp1252(readFileBytes(SAMPLE), { fatal: true });
	return text.split('\r\n')[1].split(';');
}

describe('column headings of format version 13', () => {
	it('has 125 distinct headings', () => {
		expect(BUCHUNGSSTAPEL_COLUMNS_V13).toHaveLength(125);
		expect(COLUMN_COUNT_BY_FORMAT_VERSION[13]).toBe(125);
		expect(new Set(BUCHUNGSSTAPEL_COLUMNS_V13).size).toBe(125);
	});

	it('equals the 124 headings of DATEV sample (version 12) plus "Abw. Skontokonto"', () => {
		const v12 = sampleHeadings();
		expect(v12).toHaveLength(COLUMN_COUNT_BY_FORMAT_VERSION[12]);
		expect(BUCHUNGSSTAPEL_COLUMNS_V13.slice(0, 124)).toEqual(v12);
		expect(BUCHUNGSSTAPEL_COLUMNS_V13[124]).toBe('Abw. Skontokonto');
	});

	it('puts the fields we fill at the reference numbering', () => {
		const heading = (column: number): string => BUCHUNGSSTAPEL_COLUMNS_V13[column - 1];
		expect(heading(COLUMN.amount)).toBe('Umsatz (ohne Soll/Haben-Kz)');
		expect(heading(COLUMN.side)).toBe('Soll/Haben-Kennzeichen');
		expect(heading(COLUMN.currency)).toBe('WKZ Umsatz');
		expect(heading(COLUMN.account)).toBe('Konto');
		expect(heading(COLUMN.contraAccount)).toBe('Gegenkonto (ohne BU-Schlüssel)');
		expect(heading(COLUMN.taxKey)).toBe('BU-Schlüssel');
		expect(heading(COLUMN.date)).toBe('Belegdatum');
		expect(heading(COLUMN.documentField1)).toBe('Belegfeld 1');
		expect(heading(COLUMN.documentField2)).toBe('Belegfeld 2');
		expect(heading(COLUMN.text)).toBe('Buchungstext');
		expect(heading(95)).toBe('Auftragsnummer');
		expect(COLUMN.orderNumber).toBe(95);
		expect(heading(121)).toBe('Abrechnungsreferenz');
		expect(COLUMN.settlementReference).toBe(121);
		expect(heading(114)).toBe('Festschreibung');
	});

	it('classifies columns the way they are quoted (text) or bare', () => {
		expect(columnKind(1)).toBe('amount');
		expect(columnKind(2)).toBe('text');
		expect(columnKind(7)).toBe('account');
		expect(columnKind(10)).toBe('date');
		expect(columnKind(15)).toBe('number');
		expect(columnKind(48)).toBe('text');
		expect(columnKind(87)).toBe('text');
		expect(columnKind(88)).toBe('number');
		expect(columnKind(121)).toBe('text');
		expect(columnKind(125)).toBe('account');
	});
});
