import { describe, expect, it } from '@jest/globals';

import { bookItems } from '../../lib/booking';
import { writeBatches } from '../../lib/datev/batches';
import { readBookingLines, readBuchungsstapel } from '../../lib/datev/reader';
import { generateShopData } from '../../sandbox/generate';

/*
 * The two halves must fit: whatever the booking engine produces from TikTok data, the DATEV writer must accept
 * (every field rule) and the reader must read back unchanged. Checked over several generated shops, both charts and
 * all revenue modes, including per-fee-type lines.
 */

const shops = [
	{ seed: 2, from: '2025-11', to: '2026-01', ordersPerMonth: 150 },
	{ seed: 9, from: '2026-06', to: '2026-06', ordersPerMonth: 900 },
];

describe.each(shops)('sandbox shop seed $seed, $from to $to', (shop) => {
	const data = generateShopData(shop);
	const items = [
		...data.statements.map((statement) => data.statementItem(statement.id)),
		...data.payments.filter((payment) => payment.status === 'PAID'),
	];

	const cases: Array<{ chart: 'SKR03' | 'SKR04'; revenueMode: 'clearing' | 'collectiveDebtor' | 'revenueAccounts'; feeLines: 'total' | 'perFeeType' }> = [
		{ chart: 'SKR03', revenueMode: 'clearing', feeLines: 'total' },
		{ chart: 'SKR04', revenueMode: 'collectiveDebtor', feeLines: 'perFeeType' },
		{ chart: 'SKR03', revenueMode: 'revenueAccounts', feeLines: 'perFeeType' },
		{ chart: 'SKR04', revenueMode: 'revenueAccounts', feeLines: 'total' },
	];
	it.each(cases)('$chart, $revenueMode revenue, $feeLines fee lines: every booking passes DATEV\'s rules and reads back unchanged', ({ chart, revenueMode, feeLines }) => {
		const result = bookItems(items, { chart, revenueMode, feeLines, adjustmentTypes: { GMV_PAYMENT_FOR_ADS: { account: 'advertising' } } });
		expect(result.statements.every((summary) => summary.status === 'ok')).toBe(true);
		const files = writeBatches(
			result.lines,
			{ consultantNumber: 1234567, clientNumber: 12345, chartOfAccounts: chart === 'SKR03' ? '03' : '04', fiscalYearStartMonth: 1, shopName: 'Sandbox' },
			() => Date.parse('2026-07-01T06:00:00Z'),
		);
		// One file per booking month; the files together hold every line.
		const months = new Set(result.lines.map((line) => line.date.slice(0, 7)));
		expect(files.map((file) => file.month).sort()).toEqual([...months].sort());
		const readBack = files.flatMap((file) => readBookingLines(readBuchungsstapel(file.bytes, { strict: true })));
		const byMonth = <T extends { date: string }>(lines: T[]): T[] => [...lines].sort((a, b) => a.date.slice(0, 7).localeCompare(b.date.slice(0, 7)));
		const expected = byMonth(result.lines).map(({ source, ...line }) => {
			expect(source.component).toBeTruthy();
			return line;
		});
		expect(readBack).toHaveLength(expected.length);
		expect(readBack).toEqual(expected);
	});
});
