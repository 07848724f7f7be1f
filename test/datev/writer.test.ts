import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { BookingLine } from '../../lib/booking-line';
import { BUCHUNGSSTAPEL_COLUMNS_V13, columnKind } from '../../lib/datev/columns';
import { decodeCp1252 } from '../../lib/datev/cp1252';
import { encodableText, formatAmount, prepareText } from '../../lib/datev/fields';
import { DatevSettingsError } from '../../lib/datev/header';
import { readBookingLines, readBuchungsstapel } from '../../lib/datev/reader';
import { DatevValidationError } from '../../lib/datev/rules';
import { neutraliseFormula } from '../../lib/datev/text-safety';
import { concatChunks, encodeBuchungsstapel, writeBuchungsstapel } from '../../lib/datev/writer';
import { booking, CREATED_AT, juneSettings, referenceExample, splitCrlfLines } from './fixtures';

/** The bookings as the file should give them back: without source, text as written. */
function expectedBack(lines: readonly BookingLine[]): Array<Omit<BookingLine, 'source'>> {
	return lines.map((line) => ({
		amountMinor: line.amountMinor,
		currency: line.currency,
		side: line.side,
		account: line.account,
		contraAccount: line.contraAccount,
		taxKey: line.taxKey,
		date: line.date,
		documentField1: prepareText(line.documentField1),
		documentField2: prepareText(line.documentField2),
		text: prepareText(line.text),
		orderNumber: prepareText(line.orderNumber),
		settlementReference: prepareText(line.settlementReference),
	}));
}

describe('writeBuchungsstapel', () => {
	it('writes the reference example: header, 125 headings, rows as in §1.5', () => {
		const file = writeBuchungsstapel(referenceExample(), juneSettings());
		expect(file.fileName).toBe('EXTF_Buchungsstapel_TikTok_2025-06.csv');
		expect(file.rows).toBe(6);
		const lines = splitCrlfLines(file.bytes);
		expect(lines).toHaveLength(8);
		expect(lines[0]).toBe(
			'"EXTF";700;21;"Buchungsstapel";13;20250702093000123;;"RE";"";"";29098;55003;20250101;4;20250601;20250630;' +
				'"TikTok Shop 06/2025";"";1;0;0;"EUR";;"";;;"03";;;"";""',
		);
		expect(lines[1]).toBe(BUCHUNGSSTAPEL_COLUMNS_V13.join(';'));
		expect(lines[2].startsWith('119,00;"S";"EUR";;;"";10000;8400;"";0306;"RE2025-000123";"";;"Bestellung 576461413038785752";')).toBe(true);
		expect(lines[4].startsWith('10,71;"S";"EUR";;;"";4970;1270;"506";0306;"ST7401234567890";"";;"TikTok Gebühr Provision";')).toBe(true);
		expect(lines[6].startsWith('20,00;"S";"EUR";;;"";1270;1590;"";1006;"ST7401234567890";"";;"TikTok Freigabe Reserve";')).toBe(true);
		expect(lines[7].startsWith('108,29;"S";"EUR";;;"";1366;1270;"";1006;"PO7401234567";"";;"TikTok Auszahlung";')).toBe(true);
	});

	it('puts Auftragsnummer in column 95 and Abrechnungsreferenz in column 121', () => {
		const file = readBuchungsstapel(writeBuchungsstapel(referenceExample(), juneSettings()).bytes, { strict: true });
		const second = file.rows[1];
		expect(second.fields[94]).toBe('576461413038785752');
		expect(second.values['Auftragsnummer']).toBe('576461413038785752');
		expect(second.fields[120]).toBe('ST7401234567890');
		expect(second.values['Abrechnungsreferenz']).toBe('ST7401234567890');
		expect(file.rows[0].fields[120]).toBe('');
	});

	it('is Windows-1252 with CR LF after every line, 31 header fields and 125 fields per line', () => {
		const { bytes } = writeBuchungsstapel(
			[booking({ text: 'Gebühr 5 € – „netto“' }), booking({ text: 'Łódź 😀 注文' })],
			juneSettings(),
		);
		expect(bytes[bytes.length - 2]).toBe(0x0d);
		expect(bytes[bytes.length - 1]).toBe(0x0a);
		splitCrlfLines(bytes); // throws on a bare CR or LF
		// € is 0x80, „ 0x84, “ 0x93, – 0x96, ü 0xFC in Windows-1252; no UTF-8 sequences.
		const text = decodeCp1252(bytes, { fatal: true });
		expect(text).toContain('"Gebühr 5 € – „netto“"');
		expect(text).toContain('"Lódz ? ??"');
		expect(Array.from(bytes)).toEqual(expect.arrayContaining([0x80, 0x84, 0x93, 0x96, 0xfc]));
		expect(Array.from(bytes)).not.toContain(0xc3); // UTF-8 lead byte of ü
		const file = readBuchungsstapel(bytes, { strict: true });
		expect(file.headerFields).toHaveLength(31);
		expect(file.headings).toHaveLength(125);
		for (const row of file.rows) {
			expect(row.fields).toHaveLength(125);
		}
	});

	it('quotes text fields only and writes amounts with a decimal comma', () => {
		const lines = [booking({ amountMinor: 1 }), booking({ amountMinor: 999_999_999_999, side: 'H', taxKey: '9' })];
		const file = readBuchungsstapel(writeBuchungsstapel(lines, juneSettings()).bytes, { strict: true });
		for (const row of file.rows) {
			row.quoted.forEach((quoted, position) => {
				expect([position + 1, quoted]).toEqual([position + 1, columnKind(position + 1) === 'text']);
			});
		}
		expect(file.rows[0].fields.slice(0, 3)).toEqual(['0,01', 'S', 'EUR']);
		expect(file.rows[1].fields.slice(0, 3)).toEqual(['9999999999,99', 'H', 'EUR']);
		expect(file.rows[1].fields[8]).toBe('9');
	});

	it('formats amounts with exactly two decimals for every currency exponent', () => {
		expect(formatAmount(11900, 'EUR')).toBe('119,00');
		expect(formatAmount(5, 'EUR')).toBe('0,05');
		expect(formatAmount(1234, 'JPY')).toBe('1234,00');
		expect(formatAmount(1230, 'KWD')).toBe('1,23');
		expect(() => formatAmount(1234, 'KWD')).toThrow('two decimals');
		expect(() => formatAmount(-1, 'EUR')).toThrow('never negative');
	});

	it('doubles quotes and replaces line breaks and tabs in text fields', () => {
		const written = writeBuchungsstapel(
			[booking({ text: 'Sagt "Hallo"; neu\r\nZeile\tTab', orderNumber: 'A"B' })],
			juneSettings(),
		);
		expect(decodeCp1252(written.bytes)).toContain(';"Sagt ""Hallo""; neu  Zeile Tab";');
		expect(written.adjustedTextFields).toBe(1);
		const [back] = readBookingLines(readBuchungsstapel(written.bytes, { strict: true }));
		expect(back.text).toBe('Sagt "Hallo"; neu  Zeile Tab');
		expect(back.orderNumber).toBe('A"B');
	});

	it('writes Belegdatum as TTMM with leading zeros and accounts without leading zeros', () => {
		const file = writeBuchungsstapel([booking({ date: '2025-06-03', account: '0085', contraAccount: '70001' })], juneSettings());
		const row = splitCrlfLines(file.bytes)[2].split(';');
		expect(row[9]).toBe('0306');
		expect(row[6]).toBe('85');
		expect(row[7]).toBe('70001');
	});

	it('reads back what it writes (round trip of the reference example)', () => {
		const lines = referenceExample();
		const back = readBookingLines(readBuchungsstapel(writeBuchungsstapel(lines, juneSettings()).bytes, { strict: true }));
		expect(back).toEqual(expectedBack(lines));
	});

	it('reads back what it writes, for any valid bookings (property)', () => {
		const charset = [...'ABCXYZabcxyz0123456789$%-/'];
		// DATEV's set, but never a leading "-": spreadsheets would run that as a formula, so the writer refuses it.
		const documentField = (max: number) =>
			fc.array(fc.constantFrom(...charset), { maxLength: max }).map((chars) => chars.join('').replace(/^-+/, ''));
		const text = (max: number) => fc.string({ unit: 'binary', maxLength: max }).filter((value) => prepareText(value).length <= max);
		const account = fc.oneof(
			fc.integer({ min: 1, max: 9999 }).map((n) => String(n).padStart(4, '0')),
			fc.integer({ min: 10000, max: 99999 }).map(String),
		);
		const line = fc.record({
			amountMinor: fc.integer({ min: 1, max: 999_999_999_999 }),
			side: fc.constantFrom('S' as const, 'H' as const),
			account,
			contraAccount: account,
			taxKey: fc.constantFrom('', '9', '506', '6501'),
			day: fc.integer({ min: 1, max: 30 }),
			documentField1: documentField(36),
			documentField2: documentField(12),
			text: text(60),
			orderNumber: text(30),
			settlementReference: text(50),
		});
		const automatic = new Set(['8400', '8300', '8125', '8320', '8336', '8338', '3123', '3125']);
		fc.assert(
			fc.property(fc.array(line, { minLength: 1, maxLength: 15 }), (records) => {
				const lines: BookingLine[] = records.map(({ day, ...rest }) => ({
					...rest,
					taxKey: automatic.has(rest.account) || automatic.has(rest.contraAccount) ? '' : rest.taxKey,
					currency: 'EUR',
					date: `2025-06-${String(day).padStart(2, '0')}`,
					source: { kind: 'transaction', component: 'test' },
				}));
				const written = writeBuchungsstapel(lines, juneSettings());
				const back = readBookingLines(readBuchungsstapel(written.bytes, { strict: true }));
				expect(back).toEqual(expectedBack(lines));
			}),
			{ numRuns: 150 },
		);
	});

	it('produces byte-identical output for the same input and created-at stamp', () => {
		const first = writeBuchungsstapel(referenceExample(), juneSettings());
		const second = writeBuchungsstapel(referenceExample(), juneSettings());
		expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);
		const later = writeBuchungsstapel(referenceExample(), juneSettings({ createdAt: CREATED_AT + 1 }));
		const firstLines = splitCrlfLines(first.bytes);
		const laterLines = splitCrlfLines(later.bytes);
		expect(laterLines[0]).not.toBe(firstLines[0]);
		expect(laterLines.slice(1)).toEqual(firstLines.slice(1));
	});

	it('hands out the same bytes in chunks, without one big string', () => {
		const lines = Array.from({ length: 200 }, (_, i) => booking({ amountMinor: i + 1, text: `Zeile ${i} – ü` }));
		const whole = writeBuchungsstapel(lines, juneSettings()).bytes;
		const encoded = encodeBuchungsstapel(lines, juneSettings(), { chunkSize: 1024 });
		const chunks = [...encoded.chunks];
		expect(chunks.length).toBeGreaterThan(10);
		// Every chunk but the last is exactly full, even where a line (the headings: 2.6 KB) is longer than a chunk.
		expect(chunks.slice(0, -1).every((chunk) => chunk.length === 1024)).toBe(true);
		expect(chunks[chunks.length - 1].length).toBeLessThanOrEqual(1024);
		expect(Buffer.from(concatChunks(chunks)).equals(Buffer.from(whole))).toBe(true);
		expect(encoded.stats.adjustedTextFields).toBe(0);
	});

	it('rejects a chunk size that would never fill', () => {
		expect(() => encodeBuchungsstapel([booking()], juneSettings(), { chunkSize: 0 })).toThrow(RangeError);
	});

	it('writes a file with header and headings only when there are no bookings', () => {
		const lines = splitCrlfLines(writeBuchungsstapel([], juneSettings()).bytes);
		expect(lines).toHaveLength(2);
	});

	it('refuses bookings that break field rules, listing every violation', () => {
		const lines = [booking(), booking({ amountMinor: 0 }), booking({ date: '2025-07-01', documentField1: 'RE 1' })];
		let caught: unknown;
		try {
			writeBuchungsstapel(lines, juneSettings());
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(DatevValidationError);
		expect((caught as DatevValidationError).violations.map((violation) => [violation.index, violation.rule])).toEqual([
			[1, 'amount-positive'],
			[2, 'date-period'],
			[2, 'document-field-1-charset'],
		]);
	});

	it('uses configured automatic accounts instead of the chart defaults', () => {
		const line = booking({ account: '10000', contraAccount: '8400', taxKey: '3' });
		expect(() => writeBuchungsstapel([line], juneSettings())).toThrow(DatevValidationError);
		expect(writeBuchungsstapel([line], juneSettings({ automaticAccounts: ['8300'] })).rows).toBe(1);
	});

	it('refuses invalid settings before writing anything', () => {
		expect(() => writeBuchungsstapel([booking()], juneSettings({ consultantNumber: 12 }))).toThrow(DatevSettingsError);
		expect(() => writeBuchungsstapel([booking()], juneSettings({ part: 0 }))).toThrow('part must be 1 or more');
	});

	it('names parts in the file name', () => {
		expect(writeBuchungsstapel([booking()], juneSettings({ part: 2, shopName: 'Mein Laden' })).fileName).toBe(
			'EXTF_Buchungsstapel_Mein_Laden_2025-06_2.csv',
		);
	});
});

describe('prepareText', () => {
	it('leaves printable Latin-1 text as it is, exactly as the general path (transliterate, controls, formula) would', () => {
		expect(prepareText('TikTok Gebühren 1')).toBe('TikTok Gebühren 1');
		expect(prepareText('\u00a0=1')).toBe("'\u00a0=1");
		const character = fc.oneof(
			fc.integer({ min: 0x20, max: 0x7e }),
			fc.integer({ min: 0x7f, max: 0xff }),
			fc.constantFrom(0x09, 0x0d, 0x3d, 0x2d, 0x2b, 0x40, 0x20, 0x0301, 0x2013, 0x1f600),
		).map((code) => String.fromCodePoint(code));
		fc.assert(
			fc.property(fc.array(character, { maxLength: 40 }), (characters) => {
				const value = characters.join('');
				expect(prepareText(value)).toBe(neutraliseFormula(encodableText(value)));
			}),
			{ numRuns: 3000 },
		);
	});
});
