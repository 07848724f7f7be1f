import { describe, expect, it, jest } from '@jest/globals';
import type { BookingLine } from '../../lib/booking-line';
import { sanitizeShopName } from '../../lib/datev/file-name';
import { DatevSettingsError } from '../../lib/datev/header';
import { planBatches, writeBatches, type WrittenBatch } from '../../lib/datev/batches';
import { readBookingLines, readBuchungsstapel } from '../../lib/datev/reader';
import { DatevValidationError } from '../../lib/datev/rules';
import type { DatevExportSettingsInput } from '../../lib/datev/settings';
import { booking, CREATED_AT, splitCrlfLines } from './fixtures';

const settings: DatevExportSettingsInput = {
	consultantNumber: 29098,
	clientNumber: 55003,
	chartOfAccounts: '03',
	shopName: 'TikTok',
};
const now = (): number => CREATED_AT;

/** Number of CR LF line ends in a file (cheap for big files). */
function countLines(bytes: Uint8Array): number {
	let count = 0;
	for (let i = 1; i < bytes.length; i++) {
		if (bytes[i] === 0x0a && bytes[i - 1] === 0x0d) count++;
	}
	return count;
}

function headerOf(file: WrittenBatch) {
	return readBuchungsstapel(file.bytes, { strict: true }).header;
}

describe('batching into Buchungsstapel files', () => {
	it('writes one file per booking month with the month as Datum vom/bis, in input order', () => {
		const lines = [
			booking({ date: '2025-07-02', text: 'Juli 1' }),
			booking({ date: '2025-05-31', text: 'Mai' }),
			booking({ date: '2025-07-01', text: 'Juli 2' }),
			booking({ date: '2025-02-10', text: 'Februar' }),
		];
		const files = writeBatches(lines, settings, now);
		expect(files.map((file) => file.fileName)).toEqual([
			'EXTF_Buchungsstapel_TikTok_2025-02.csv',
			'EXTF_Buchungsstapel_TikTok_2025-05.csv',
			'EXTF_Buchungsstapel_TikTok_2025-07.csv',
		]);
		expect(files.map((file) => [file.month, file.part, file.partCount, file.indices])).toEqual([
			['2025-02', undefined, 1, [3]],
			['2025-05', undefined, 1, [1]],
			['2025-07', undefined, 1, [0, 2]],
		]);
		const february = headerOf(files[0]);
		expect([february.fiscalYearStart, february.periodFrom, february.periodTo, february.description]).toEqual([
			'2025-01-01',
			'2025-02-01',
			'2025-02-28',
			'TikTok Shop 02/2025',
		]);
		expect(readBookingLines(readBuchungsstapel(files[2].bytes)).map((line) => line.text)).toEqual(['Juli 1', 'Juli 2']);
		expect(files.every((file) => headerOf(file).createdAt === '20250702093000123')).toBe(true);
	});

	it('never crosses a fiscal year starting in July (WJ-Beginn per file)', () => {
		const lines = [
			booking({ date: '2025-06-30' }),
			booking({ date: '2025-07-01' }),
			booking({ date: '2025-12-31' }),
			booking({ date: '2026-01-01' }),
		];
		const files = writeBatches(lines, { ...settings, fiscalYearStartMonth: 7 }, now);
		expect(files.map((file) => {
			const header = headerOf(file);
			return [file.month, header.fiscalYearStart, header.periodFrom, header.periodTo];
		})).toEqual([
			['2025-06', '2024-07-01', '2025-06-01', '2025-06-30'],
			['2025-07', '2025-07-01', '2025-07-01', '2025-07-31'],
			['2025-12', '2025-07-01', '2025-12-01', '2025-12-31'],
			['2026-01', '2025-07-01', '2026-01-01', '2026-01-31'],
		]);
		// The January file's Belegdatum (TTMM) reads back into 2026, not into the year of WJ-Beginn.
		expect(readBookingLines(readBuchungsstapel(files[3].bytes))[0].date).toBe('2026-01-01');
	});

	it('clips Datum vom to the first day of bookkeeping (short first fiscal year) and rejects bookings before it', () => {
		const start = { ...settings, bookkeepingStart: '2025-03-15' };
		const [march] = writeBatches([booking({ date: '2025-03-20' })], start, now);
		const header = headerOf(march);
		expect([header.fiscalYearStart, header.periodFrom, header.periodTo]).toEqual(['2025-03-15', '2025-03-15', '2025-03-31']);
		// The next fiscal year is a regular calendar year again.
		const [january] = writeBatches([booking({ date: '2026-01-05' })], start, now);
		expect(headerOf(january).fiscalYearStart).toBe('2026-01-01');
		expect(() => writeBatches([booking({ date: '2025-03-14' })], start, now)).toThrow('before the first day of bookkeeping 2025-03-15');
		expect(() => writeBatches([booking({ date: '2024-12-01' })], start, now)).toThrow(DatevValidationError);
	});

	it('keeps exactly 99,999 rows in one file and splits 100,000 into numbered parts', () => {
		const line = booking({ date: '2025-06-15' });
		const exactly = writeBatches(new Array<BookingLine>(99_999).fill(line), settings, now);
		expect(exactly.map((file) => [file.fileName, file.rows])).toEqual([['EXTF_Buchungsstapel_TikTok_2025-06.csv', 99_999]]);
		expect(countLines(exactly[0].bytes)).toBe(2 + 99_999);

		const lines = new Array<BookingLine>(100_000).fill(line);
		lines[99_999] = booking({ date: '2025-06-30', text: 'die letzte' });
		const split = writeBatches(lines, settings, now);
		expect(split.map((file) => [file.fileName, file.rows, file.part, file.partCount])).toEqual([
			['EXTF_Buchungsstapel_TikTok_2025-06_1.csv', 99_999, 1, 2],
			['EXTF_Buchungsstapel_TikTok_2025-06_2.csv', 1, 2, 2],
		]);
		expect(countLines(split[0].bytes)).toBe(2 + 99_999);
		const second = readBuchungsstapel(split[1].bytes, { strict: true });
		expect(second.header.description).toBe('TikTok Shop 06/2025 T2');
		expect(readBookingLines(second).map((back) => back.text)).toEqual(['die letzte']);
		expect(split[1].indices).toEqual([99_999]);
	});

	it('splits by a configured row limit, keeping the input order across parts', () => {
		const lines = [1, 2, 3, 4, 5].map((n) => booking({ amountMinor: n }));
		const files = writeBatches(lines, { ...settings, maxRowsPerFile: 2 }, now);
		expect(files.map((file) => file.indices)).toEqual([[0, 1], [2, 3], [4]]);
		expect(files.map((file) => headerOf(file).description)).toEqual([
			'TikTok Shop 06/2025 T1',
			'TikTok Shop 06/2025 T2',
			'TikTok Shop 06/2025 T3',
		]);
		expect(files.flatMap((file) => readBookingLines(readBuchungsstapel(file.bytes)).map((line) => line.amountMinor))).toEqual([1, 2, 3, 4, 5]);
	});

	it('sanitises the shop name for file names', () => {
		expect(sanitizeShopName('Müller & Söhne GmbH 🛍️')).toBe('Mueller_Soehne_GmbH');
		expect(sanitizeShopName('../../etc/passwd')).toBe('etc_passwd');
		expect(sanitizeShopName('Café Łódź-Shop')).toBe('Cafe_Lodz-Shop');
		expect(sanitizeShopName('東京')).toBe('Shop');
		expect(sanitizeShopName('x'.repeat(80))).toHaveLength(40);
		const [file] = writeBatches([booking()], { ...settings, shopName: 'Müller & Söhne' }, now);
		expect(file.fileName).toBe('EXTF_Buchungsstapel_Mueller_Soehne_2025-06.csv');
	});

	it('reports all violations of all months with positions in the input, before writing anything', () => {
		const lines = [
			booking({ date: '2025-05-02', amountMinor: 0 }),
			booking({ date: 'yesterday' }),
			booking({ date: '2025-06-02' }),
			booking({ date: '2025-06-03', text: 'x'.repeat(61) }),
		];
		let caught: unknown;
		try {
			writeBatches(lines, settings, now);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(DatevValidationError);
		expect((caught as DatevValidationError).violations.map((violation) => [violation.index, violation.rule])).toEqual([
			[0, 'amount-positive'],
			[1, 'date-format'],
			[3, 'text-length'],
		]);
		expect((caught as DatevValidationError).violations[1].message).toContain('bookings[1] (transaction, statement ST7401234567890');
	});

	it('gives byte-identical files for the same input and stamp, reading the clock once', () => {
		const lines = [booking({ date: '2025-05-02' }), booking({ date: '2025-06-02', text: 'Grüße 😀' })];
		const clock = jest.fn(now);
		const first = writeBatches(lines, settings, clock);
		const second = writeBatches(lines, settings, now);
		expect(clock).toHaveBeenCalledTimes(1);
		expect(first.map((file) => Buffer.from(file.bytes).toString('hex'))).toEqual(second.map((file) => Buffer.from(file.bytes).toString('hex')));
		expect(first[1].adjustedTextFields).toBe(1);
		splitCrlfLines(first[1].bytes);
	});

	it('plans without writing, and writes nothing for no bookings', () => {
		const { plans, unplaced } = planBatches([booking(), booking({ date: 'bad' })], settings);
		expect(plans.map((plan) => [plan.fileName, plan.periodFrom, plan.periodTo, plan.indices])).toEqual([
			['EXTF_Buchungsstapel_TikTok_2025-06.csv', '2025-06-01', '2025-06-30', [0]],
		]);
		expect(unplaced.map((violation) => violation.rule)).toEqual(['date-format']);
		expect(writeBatches([], settings, now)).toEqual([]);
	});

	it('rejects invalid export settings', () => {
		expect(() => writeBatches([booking()], { ...settings, fiscalYearStartMonth: 13 }, now)).toThrow(DatevSettingsError);
		expect(() => writeBatches([booking()], { ...settings, label: 'A label that is far too long' }, now)).toThrow('at most 18');
		expect(() => writeBatches([booking()], { ...settings, maxRowsPerFile: 100_000 }, now)).toThrow('at most 99999');
		expect(() => writeBatches([booking()], { ...settings, bookkeepingStart: '2025-13-01' }, now)).toThrow('bookkeepingStart');
	});
});
