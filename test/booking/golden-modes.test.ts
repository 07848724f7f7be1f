/**
 * Golden month per revenue mode: the hand-written June 2025 of golden-month.ts booked in SKR03 by the clearing,
 * the OPOS and the revenue-account mode, compared line for line with lines written out here by hand, then written
 * as DATEV files and read back unchanged.
 */
import { describe, expect, it } from '@jest/globals';

import type { BookingLine } from '../../lib/booking-line';
import { bookItems, type BookingSettingsInput } from '../../lib/booking';
import { writeBatches } from '../../lib/datev/batches';
import { readBookingLines, readBuchungsstapel } from '../../lib/datev/reader';
import { decodeCp1252 } from '../../lib/datev/cp1252';
import { ADS_ADJUSTMENT, GOLDEN_MONTH_ITEMS, O1, O2, O3, P1, RESERVE_RELEASED, RESERVE_WITHHELD, ST_A, ST_B } from './golden-month';
import { goldenRow, netDebit } from './fixtures';

/** amount | S/H | Konto | Gegenkonto | BU | Belegdatum | Belegfeld 1 | Buchungstext | Auftragsnummer | Abrechnungsreferenz | tax columns */
type Row = [number, 'S' | 'H', string, string, string, string, string, string, string, string, string?];

const A = '2025-06-10';
const P = '2025-06-12';
const B = '2025-06-20';
const UNKNOWN_FEE_WARNING = `statement ${ST_A}: fee field "green_logistics_fee_amount" is not known; it is booked on account 4970 without a tax key (add it under Fee Types to choose its account and key)`;

const common: BookingSettingsInput = { chart: 'SKR03', adjustmentTypes: { GMV_PAYMENT_FOR_ADS: { account: 'advertising' } } };

/** Lines every mode books the same way (shipping costs, fees, taxes, reserves, payout, ads). */
const fees = {
	O1: [
		[499, 'H', '1270', '4730', '', A, O1, `TikTok Versand ${O1}`, O1, P1],
		[499, 'S', '4970', '1270', '506', A, O1, `TikTok Gebühren ${O1}`, O1, P1],
		[499, 'S', '4760', '1270', '', A, O1, `TikTok Affiliate-Provision ${O1}`, O1, P1],
	] as Row[],
	O2: [
		[350, 'H', '1270', '4730', '', A, O2, `TikTok Versand ${O2}`, O2, P1],
		[150, 'S', '4970', '1270', '506', A, O2, `TikTok Gebühren ${O2}`, O2, P1],
	] as Row[],
	O3: [
		[690, 'H', '1270', '4730', '', A, O3, `TikTok Versand ${O3}`, O3, P1],
		[300, 'S', '4970', '1270', '506', A, O3, `TikTok Gebühren ${O3}`, O3, P1],
		[40, 'S', '4970', '1270', '', A, O3, `TikTok Gebühr green_logistics_fee ${O3}`, O3, P1],
		[57, 'S', '1592', '1270', '', A, O3, `TikTok einbehaltene USt ${O3}`, O3, P1],
	] as Row[],
	reserve: [[1000, 'S', '1590', '1270', '', A, ST_A, `TikTok Einbehalt ${RESERVE_WITHHELD}`, '', P1]] as Row[],
	payout: [[6295, 'S', '1366', '1270', '', P, P1, `TikTok Auszahlung ${P1}`, '', P1]] as Row[],
	statementB: [
		[1200, 'H', '1270', '4600', '', B, ST_B, `TikTok GMV_PAYMENT_FOR_ADS ${ADS_ADJUSTMENT}`, '', ST_B],
		[1000, 'S', '1270', '1590', '', B, ST_B, `TikTok Freigabe ${RESERVE_RELEASED}`, '', ST_B],
	] as Row[],
	refundO2: [[123, 'H', '4970', '1270', '506', B, O2, `TikTok Gebühren ${O2}`, O2, ST_B]] as Row[],
};

const CASES: Array<{ mode: string; settings: BookingSettingsInput; rows: Row[]; warnings: string[] }> = [
	{
		mode: 'clearing',
		settings: { ...common, revenueMode: 'clearing' },
		rows: [
			[4990, 'S', '1270', '1592', '', A, O1, `TikTok Umsatz ${O1}`, O1, P1],
			[399, 'S', '1270', '1592', '', A, O1, `TikTok Versanderlös ${O1}`, O1, P1],
			...fees.O1,
			[1500, 'S', '1270', '1592', '', A, O2, `TikTok Umsatz ${O2}`, O2, P1],
			...fees.O2,
			[3000, 'S', '1270', '1592', '', A, O3, `TikTok Umsatz ${O3}`, O3, P1],
			[490, 'S', '1270', '1592', '', A, O3, `TikTok Versanderlös ${O3}`, O3, P1],
			...fees.O3,
			...fees.reserve,
			...fees.payout,
			...fees.statementB,
			[1500, 'H', '1270', '1592', '', B, O2, `TikTok Erstattung ${O2}`, O2, ST_B],
			...fees.refundO2,
		],
		warnings: [UNKNOWN_FEE_WARNING],
	},
	{
		// OPOS: one payment line per invoice (revenue + shipping the buyer paid) under the invoice number RE-<order>.
		mode: 'collective debtor (OPOS)',
		settings: { ...common, revenueMode: 'collectiveDebtor', templates: { invoiceNumber: 'RE-{orderId}' } },
		rows: [
			[5389, 'S', '1270', '10000', '', A, `RE-${O1}`, `TikTok Umsatz ${O1}`, O1, P1],
			...fees.O1,
			[1500, 'S', '1270', '10000', '', A, `RE-${O2}`, `TikTok Umsatz ${O2}`, O2, P1],
			...fees.O2,
			[3490, 'S', '1270', '10000', '', A, `RE-${O3}`, `TikTok Umsatz ${O3}`, O3, P1],
			...fees.O3,
			...fees.reserve,
			...fees.payout,
			...fees.statementB,
			[1500, 'H', '1270', '10000', '', B, `RE-${O2}`, `TikTok Erstattung ${O2}`, O2, ST_B],
			...fees.refundO2,
		],
		warnings: [UNKNOWN_FEE_WARNING],
	},
	{
		// Rates and destinations from the order details; Leistungsdatum = delivery, Steuerperiode = Belegdatum.
		mode: 'revenue accounts',
		settings: { ...common, revenueMode: 'revenueAccounts' },
		rows: [
			[4990, 'S', '1270', '8400', '', A, O1, `TikTok Umsatz ${O1}`, O1, P1, `2025-06-05/${A}`],
			[399, 'S', '1270', '8400', '', A, O1, `TikTok Versanderlös ${O1}`, O1, P1, `2025-06-05/${A}`],
			...fees.O1,
			[1500, 'S', '1270', '8300', '', A, O2, `TikTok Umsatz ${O2}`, O2, P1, `2025-06-04/${A}`],
			...fees.O2,
			[3000, 'S', '1270', '8320', '', A, O3, `TikTok Umsatz ${O3}`, O3, P1, `FR 2000 2025-06-06/${A}`],
			[490, 'S', '1270', '8320', '', A, O3, `TikTok Versanderlös ${O3}`, O3, P1, `FR 2000 2025-06-06/${A}`],
			...fees.O3,
			...fees.reserve,
			...fees.payout,
			...fees.statementB,
			[1500, 'H', '1270', '8300', '', B, O2, `TikTok Erstattung ${O2}`, O2, ST_B, `2025-06-04/${B}`],
			...fees.refundO2,
		],
		warnings: [UNKNOWN_FEE_WARNING],
	},
];

function taxColumns(line: BookingLine): string | undefined {
	const eu = line.euCountry === undefined ? '' : `${line.euCountry} ${line.euTaxRate} `;
	const dates = line.serviceDate === undefined ? '' : `${line.serviceDate}/${line.taxPeriodDate}`;
	return eu + dates === '' ? undefined : eu + dates;
}

function row(line: BookingLine): Row {
	const out: Row = goldenRow(line, (account) => account);
	const extra = taxColumns(line);
	if (extra !== undefined) out.push(extra);
	return out;
}

describe.each(CASES)('golden June 2025 in SKR03, $mode', ({ settings, rows, warnings }) => {
	const result = bookItems([...GOLDEN_MONTH_ITEMS], settings);

	it('books exactly the hand-written lines, in order', () => {
		expect(result.lines.map(row)).toEqual(rows);
		expect(result.warnings).toEqual(warnings);
		expect(result.statements.map((summary) => [summary.statementId, summary.status])).toEqual([
			[ST_A, 'ok'],
			[ST_B, 'ok'],
		]);
	});

	it('never books a tax with a fee key, and keeps 506 off affiliate commissions', () => {
		for (const line of result.lines) {
			if (line.source.component.startsWith('tax:')) expect(line.taxKey).toBe('');
			if (line.account === '4760') expect(line.taxKey).toBe('');
		}
	});

	it('leaves the balance account with what TikTok has not paid out, and the reserve account at zero', () => {
		// ST-A payable 62.95 is paid out; ST-B's −25.77 + 10.00 stays on the balance.
		expect(netDebit(result.lines, '1270')).toBe(-1577);
		expect(netDebit(result.lines, '1590')).toBe(0);
		expect(netDebit(result.lines, '1366')).toBe(6295);
	});

	it('writes a DATEV file that reads back to the same lines', () => {
		const [file] = writeBatches(result.lines, { consultantNumber: 29098, clientNumber: 55003, chartOfAccounts: '03' }, () => Date.UTC(2025, 6, 1));
		const read = readBookingLines(readBuchungsstapel(file.bytes, { strict: true }));
		expect(read).toEqual(result.lines.map((line) => Object.fromEntries(Object.entries(line).filter(([key]) => key !== 'source'))));
	});
});

describe('the tax columns in the DATEV file', () => {
	it('writes EU-Land, EU-Steuersatz, Leistungsdatum and Datum Zuord. Steuerperiode in columns 40, 41, 115 and 116', () => {
		const result = bookItems([...GOLDEN_MONTH_ITEMS], { ...common, revenueMode: 'revenueAccounts' });
		const [file] = writeBatches(result.lines, { consultantNumber: 29098, clientNumber: 55003, chartOfAccounts: '03' }, () => Date.UTC(2025, 6, 1));
		const rows = decodeCp1252(file.bytes).split('\r\n').slice(2);
		const oss = rows.find((text) => text.startsWith('30,00;'))?.split(';') ?? [];
		expect([oss[6], oss[7], oss[39], oss[40], oss[114], oss[115]]).toEqual(['1270', '8320', '"FR"', '20,00', '06062025', '10062025']);
		const fee = rows.find((text) => text.startsWith('4,99;"S";"EUR";;;"";4970'))?.split(';') ?? [];
		expect([fee[8], fee[39], fee[40], fee[114], fee[115]]).toEqual(['"506"', '""', '', '', '']);
	});
});
