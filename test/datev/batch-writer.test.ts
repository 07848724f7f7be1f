import { describe, expect, it, jest } from '@jest/globals';
import { bookItems } from '../../lib/booking';
import type { BookingLine } from '../../lib/booking-line';
import { createBatchWriter, type BatchChunk } from '../../lib/datev/batch-writer';
import { planBatches, writeBatches } from '../../lib/datev/batches';
import * as fields from '../../lib/datev/fields';
import { clientSettingsSchema } from '../../lib/datev/header';
import { DatevValidationError } from '../../lib/datev/rules';
import { parseDatevExportSettings, type DatevExportSettingsInput } from '../../lib/datev/settings';
import { writeBuchungsstapel } from '../../lib/datev/writer';
import { generateShopData } from '../../sandbox/generate';
import { booking, CREATED_AT } from './fixtures';

/*
 * The streaming writer against a reference made of the per-file encoder (`writeBuchungsstapel`, which batches used
 * for each planned file before the streaming writer existed): the same plan, the same bytes.
 */

const settings: DatevExportSettingsInput = { consultantNumber: 29098, clientNumber: 55003, chartOfAccounts: '03', shopName: 'TikTok' };

/** Today's batching, file by file: planBatches + writeBuchungsstapel on each plan. */
function referenceFiles(lines: readonly BookingLine[], input: DatevExportSettingsInput): Map<string, Uint8Array> {
	const parsed = parseDatevExportSettings(input);
	const common = { ...clientSettingsSchema.parse(parsed), shopName: parsed.shopName, automaticAccounts: parsed.automaticAccounts };
	const { plans, unplaced } = planBatches(lines, parsed);
	expect(unplaced).toEqual([]);
	return new Map(
		plans.map((plan) => {
			const file = writeBuchungsstapel(
				plan.indices.map((index) => lines[index]),
				{ ...common, fiscalYearStart: plan.fiscalYearStart, periodFrom: plan.periodFrom, periodTo: plan.periodTo, description: plan.description, createdAt: CREATED_AT, part: plan.part },
				{ indices: plan.indices },
			);
			expect(file.fileName).toBe(plan.fileName);
			return [file.fileName, file.bytes];
		}),
	);
}

/** Joins streamed chunks per file. */
function joinChunks(chunks: readonly BatchChunk[]): Map<string, Uint8Array> {
	const parts = new Map<string, Uint8Array[]>();
	for (const chunk of chunks) parts.set(chunk.fileName, [...(parts.get(chunk.fileName) ?? []), chunk.bytes]);
	return new Map([...parts].map(([name, list]) => [name, Buffer.concat(list)]));
}

function monthItems(data: ReturnType<typeof generateShopData>): unknown[] {
	return [...data.statements.map((statement) => data.statementItem(statement.id)), ...data.payments.filter((payment) => payment.status === 'PAID')];
}

const months = {
	// The golden test's month and a busier sandbox quarter.
	golden: bookItems(monthItems(generateShopData({ seed: 1, from: '2025-03', to: '2025-03', ordersPerMonth: 3, failedPayment: false })), { chart: 'SKR03' }).lines,
	sandbox: bookItems(monthItems(generateShopData({ seed: 1, from: '2025-01', to: '2025-03', ordersPerMonth: 800 })), { chart: 'SKR04', feeLines: 'perFeeType' }).lines,
};

describe('streaming batch writer: the same bytes as the per-file encoder', () => {
	const cases: Array<[string, readonly BookingLine[], DatevExportSettingsInput]> = [
		['golden month', months.golden, settings],
		['sandbox quarter, SKR04, per fee type', months.sandbox, { ...settings, chartOfAccounts: '04' }],
		['sandbox quarter in parts of 1,000 rows, fiscal year from July', months.sandbox, { ...settings, chartOfAccounts: '04', maxRowsPerFile: 1000, fiscalYearStartMonth: 7 }],
		[
			'text that needs transliteration, in parts of 2',
			['Müller – “Grüße” ✓', 'Zeile\r\nzwei', 'Ωmega ☃', 'plain'].map((text, n) => booking({ text, amountMinor: n + 1 })),
			{ ...settings, maxRowsPerFile: 2 },
		],
	];

	it.each(cases)('%s', (_name, lines, input) => {
		const reference = referenceFiles(lines, input);
		const written = writeBatches(lines, input, () => CREATED_AT);
		expect(written.map((file) => file.fileName)).toEqual([...reference.keys()]);
		for (const file of written) expect(Buffer.from(file.bytes).equals(Buffer.from(reference.get(file.fileName) as Uint8Array))).toBe(true);

		// Streaming line by line in date order, with small chunks, gives the same files.
		const writer = createBatchWriter(input, { createdAt: CREATED_AT, chunkSize: 4096, inDateOrder: true });
		const chunks: BatchChunk[] = [];
		const ordered = [...lines].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
		const sortedReference = referenceFiles(ordered, input);
		for (const line of ordered) chunks.push(...writer.append([line]));
		const end = writer.end();
		chunks.push(...end.chunks);
		const streamed = joinChunks(chunks);
		expect([...streamed.keys()].sort()).toEqual([...sortedReference.keys()].sort());
		for (const [name, bytes] of streamed) expect(Buffer.from(bytes).equals(Buffer.from(sortedReference.get(name) as Uint8Array))).toBe(true);
		expect(end.files.map((file) => file.rows).reduce((sum, rows) => sum + rows, 0)).toBe(lines.length);
	});
});

describe('streaming batch writer: memory and order', () => {
	it('hands out a finished month before the next one ends, and parts after the first as they fill', () => {
		const lines = [
			...Array.from({ length: 5 }, (_, n) => booking({ date: '2025-05-20', amountMinor: n + 1 })),
			...Array.from({ length: 7 }, (_, n) => booking({ date: '2025-06-03', amountMinor: n + 1 })),
		];
		const writer = createBatchWriter({ ...settings, maxRowsPerFile: 2 }, { createdAt: CREATED_AT, chunkSize: 64, inDateOrder: true });
		const may = writer.append(lines.slice(0, 5));
		// May has 3 parts: parts 1 and 2 are complete, part 3 is still open.
		expect(new Set(may.map((chunk) => chunk.fileName))).toEqual(
			new Set(['EXTF_Buchungsstapel_TikTok_2025-05_1.csv', 'EXTF_Buchungsstapel_TikTok_2025-05_2.csv', 'EXTF_Buchungsstapel_TikTok_2025-05_3.csv']),
		);
		// The first June line finishes May; June's first part is held until June has a second part.
		const juneStarts = writer.append(lines.slice(5, 6));
		expect(juneStarts.every((chunk) => chunk.fileName.includes('2025-05_3'))).toBe(true);
		const june = writer.append(lines.slice(6, 8));
		expect(june.some((chunk) => chunk.fileName.endsWith('2025-06_1.csv'))).toBe(true);
		const end = writer.end();
		expect(end.files.map((file) => [file.fileName, file.rows, file.part, file.partCount])).toEqual([
			['EXTF_Buchungsstapel_TikTok_2025-05_1.csv', 2, 1, 3],
			['EXTF_Buchungsstapel_TikTok_2025-05_2.csv', 2, 2, 3],
			['EXTF_Buchungsstapel_TikTok_2025-05_3.csv', 1, 3, 3],
			['EXTF_Buchungsstapel_TikTok_2025-06_1.csv', 2, 1, 2],
			['EXTF_Buchungsstapel_TikTok_2025-06_2.csv', 1, 2, 2],
		]);
		expect(end.chunks.every((chunk) => chunk.fileName.endsWith('2025-06_2.csv'))).toBe(true);
	});

	it('refuses a line of a month that is already finished when lines must come in date order', () => {
		const writer = createBatchWriter(settings, { createdAt: CREATED_AT, inDateOrder: true });
		writer.append([booking({ date: '2025-06-03' }), booking({ date: '2025-07-01' })]);
		expect(() => writer.append([booking({ date: '2025-06-30' })])).toThrow('booking line 2 (2025-06-30) is out of date order');
	});

	it('prepares each text field once per line for checking and writing', () => {
		const spy = jest.spyOn(fields, 'prepareText');
		try {
			writeBatches(months.golden, settings, () => CREATED_AT);
			expect(spy.mock.calls.length).toBeGreaterThan(0);
			expect(spy.mock.calls.length).toBeLessThanOrEqual(months.golden.length * 6);
		} finally {
			spy.mockRestore();
		}
	});
});

describe('streaming batch writer: validation as lines arrive', () => {
	it('reports a violation at once, stops handing out bytes, and throws every violation at the end', () => {
		const writer = createBatchWriter({ ...settings, maxRowsPerFile: 1 }, { createdAt: CREATED_AT });
		expect(writer.append([booking({ amountMinor: 1 }), booking({ amountMinor: 2 })]).length).toBeGreaterThan(0);
		expect(writer.violations).toEqual([]);
		writer.append([booking({ account: '12x' })]);
		expect(writer.violations.map((violation) => [violation.index, violation.rule])).toEqual([[2, 'account-format']]);
		expect(writer.append([booking({ amountMinor: 3 }), booking({ date: '2025-13-01' }), booking({ text: 'x'.repeat(61) })])).toEqual([]);
		let thrown: unknown;
		try {
			writer.end();
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(DatevValidationError);
		expect((thrown as DatevValidationError).violations.map((violation) => [violation.index, violation.rule])).toEqual([
			[2, 'account-format'],
			[4, 'date-format'],
			[5, 'text-length'],
		]);
	});
});
