/**
 * Issue #13: a statement TikTok changes after it was delivered is corrected by exactly the difference. Runs go
 * through runMapping (what Map to SKR Bookings calls) and a stand-in for Mark as Booked that records each run's
 * receipts, as n8n's deduplication store and the workflow's ledger would.
 */
import { describe, expect, it } from '@jest/globals';

import type { BookingLine } from '../../lib/booking-line';
import { netOnAccount, type StatementRecord } from '../../lib/booking';
import { readBookingLines, readBuchungsstapel } from '../../lib/datev/reader';
import { prepareMapping, runMapping, type MappingResult } from '../../lib/mapping/run';
import type { Json } from './fixtures';
import { GOLDEN_MONTH_ITEMS, O1, ST_A, ST_B } from './golden-month';

const DATEV = { consultantNumber: 1234567, clientNumber: 12345, chartOfAccounts: '03' as const, shopName: 'Korrektur' };
const FIRST_RUN = () => Date.parse('2025-06-25T06:00:00Z');
const LATER_RUN = () => Date.parse('2025-07-02T06:00:00Z');
const MODES = ['clearing', 'collectiveDebtor', 'revenueAccounts'] as const;
const BALANCE = '1270';

/** What Mark as Booked keeps for a workflow. */
class Memory {
	delivered = new Set<string>();
	records = new Map<string, StatementRecord>();

	run(items: readonly Json[], revenueMode: (typeof MODES)[number], now: () => number, options: { correctionRun?: boolean } = {}): MappingResult {
		const request = { items, booking: { chart: 'SKR03' as const, revenueMode }, datev: DATEV, records: this.records, skipBookedBefore: true, continueOnFail: false, now, ...options };
		const prepared = prepareMapping(request);
		const lookUp = (keys: string[]): string[] => keys.filter((key) => this.delivered.has(key));
		const found = new Set(lookUp(prepared.probeKeys));
		const delivered = new Set([...found, ...lookUp(prepared.versionKeys(found))]);
		return runMapping({ ...request, delivered }, prepared);
	}

	markAsBooked(result: MappingResult): void {
		for (const receipt of result.receipts.values()) {
			for (const key of receipt.keys) this.delivered.add(key);
			for (const record of receipt.records) this.records.set(record.statementId, record);
		}
	}
}

const clone = (items: readonly Json[]): Json[] => structuredClone(items) as Json[];
const statementOf = (items: Json[], id: string): Json => items.find((item) => item.id === id) as Json;
const money = (value: unknown): number => Math.round(Number(value) * 100);
const decimal = (minor: number): string => (minor / 100).toFixed(2);

/** The three kinds of change TikTok makes to a statement after it was first served, and what they move. */
const AMENDMENTS: Array<{ kind: string; statement: string; amend: (items: Json[]) => void; balanceMoves: number }> = [
	{
		kind: 'a transaction added (late adjustment)',
		statement: ST_B,
		balanceMoves: 750,
		amend: (items) => {
			const statement = statementOf(items, ST_B);
			(statement.transactions as Json[]).push({
				id: '1600000000000000099',
				type: 'LOGISTICS_REIMBURSEMENT',
				order_id: '',
				adjustment_id: '7050000000000000099',
				adjustment_amount: '7.50',
				settlement_amount: '7.50',
			});
			statement.settlement_amount = decimal(money(statement.settlement_amount) + 750);
		},
	},
	{
		kind: 'a transaction changed (corrected fee)',
		statement: ST_A,
		balanceMoves: 200,
		amend: (items) => {
			const statement = statementOf(items, ST_A);
			const order = (statement.transactions as Json[]).find((transaction) => transaction.order_id === O1) as Json;
			const breakdown = order.fee_tax_breakdown as { fee: Record<string, string> };
			breakdown.fee.platform_commission_amount = '-2.49';
			order.fee_tax_amount = '-7.98';
			order.settlement_amount = '40.92';
			statement.settlement_amount = '74.95';
			statement.total_settlement_amount = '74.95';
		},
	},
	{
		kind: 'a reserve released late',
		statement: ST_A,
		balanceMoves: 1000,
		amend: (items) => {
			const statement = statementOf(items, ST_A);
			const reserve = (statement.transactions as Json[]).find((transaction) => transaction.type === 'RESERVE') as Json;
			reserve.reserve_status = 'RELEASED';
			reserve.reserve_amount = '0.00';
			statement.total_reserve_amount = '0.00';
		},
	},
];

/** Net per account and tax key, Generalumkehr counted as negative: what DATEV's balances show. */
function netPerAccount(lines: readonly BookingLine[]): Map<string, number> {
	const net = new Map<string, number>();
	const add = (key: string, amount: number) => net.set(key, (net.get(key) ?? 0) + amount);
	for (const line of lines) {
		const signed = (line.side === 'S' ? 1 : -1) * (line.generalReversal ? -1 : 1) * line.amountMinor;
		add(`${line.account} BU${line.taxKey}`, signed);
		add(`${line.contraAccount} (Gegenkonto) BU${line.taxKey}`, -signed);
	}
	return new Map([...net.entries()].filter(([, amount]) => amount !== 0).sort());
}

describe.each(MODES)('a statement changed after its delivery (%s)', (revenueMode) => {
	it.each(AMENDMENTS)('$kind: the second run books exactly the difference, the third nothing', ({ statement, amend, balanceMoves }) => {
		const memory = new Memory();
		const first = memory.run(GOLDEN_MONTH_ITEMS, revenueMode, FIRST_RUN);
		expect(first.files).toHaveLength(1);
		memory.markAsBooked(first);

		const amended = clone(GOLDEN_MONTH_ITEMS);
		amend(amended);
		const second = memory.run(amended, revenueMode, LATER_RUN);
		memory.markAsBooked(second);

		// Only the changed statement is booked, as correction lines dated on the run's day, naming the statement.
		expect(second.lines.length).toBeGreaterThan(0);
		for (const line of second.lines) {
			expect(line.source).toMatchObject({ statementId: statement, component: 'correction' });
			expect(line.date).toBe('2025-07-02');
			expect(line.documentField1).toBe(statement);
			expect(line.text).toBe(`Korrektur Abrechnung ${statement}`);
		}
		expect(netOnAccount(second.lines, BALANCE)).toBe(balanceMoves);
		const summary = second.statements.find((candidate) => candidate.statementId === statement);
		expect(summary).toMatchObject({ status: 'corrected', correction: { bookedDifferenceMinor: balanceMoves } });
		expect(second.warnings).toEqual(expect.arrayContaining([expect.stringContaining(`statement ${statement} changed after it was booked`)]));

		// Both runs together are the books of a single run on the amended data, account by account, to the cent.
		const single = new Memory().run(amended, revenueMode, FIRST_RUN);
		expect(netPerAccount([...first.lines, ...second.lines])).toEqual(netPerAccount(single.lines));

		// The correction goes into the July file (its own period) and reads back with its Generalumkehr flags.
		expect(second.files.map((file) => file.month)).toEqual(['2025-07']);
		const read = readBookingLines(readBuchungsstapel(second.files[0].bytes, { strict: true }));
		expect(read.map((line) => line.generalReversal ?? false)).toEqual(second.lines.map((line) => line.generalReversal ?? false));

		const third = memory.run(amended, revenueMode, LATER_RUN);
		expect(third.lines).toEqual([]);
		expect(third.files).toEqual([]);
		expect(third.skipped.map((source) => source.reason)).toEqual(['already booked', 'already booked', 'already booked']);
	});
});

describe('corrections', () => {
	it('a reduction is written as Generalumkehr on the side the amount was booked on, not as an opposite booking', () => {
		const memory = new Memory();
		memory.markAsBooked(memory.run(GOLDEN_MONTH_ITEMS, 'clearing', FIRST_RUN));
		const amended = clone(GOLDEN_MONTH_ITEMS);
		AMENDMENTS[1].amend(amended);
		const second = memory.run(amended, 'clearing', LATER_RUN);
		// The commission fell from 4.49 to 2.49: the fee line (4970 S / 1270, BU 506) is reduced by 2.00.
		expect(second.lines).toEqual([
			expect.objectContaining({ account: '4970', contraAccount: BALANCE, taxKey: '506', side: 'S', amountMinor: 200, generalReversal: true }),
		]);
	});

	it('two changes in a row are each booked once against the version before', () => {
		const memory = new Memory();
		memory.markAsBooked(memory.run(GOLDEN_MONTH_ITEMS, 'clearing', FIRST_RUN));
		const once = clone(GOLDEN_MONTH_ITEMS);
		AMENDMENTS[1].amend(once);
		const second = memory.run(once, 'clearing', LATER_RUN);
		memory.markAsBooked(second);
		const twice = clone(once);
		AMENDMENTS[2].amend(twice);
		const third = memory.run(twice, 'clearing', LATER_RUN);
		expect(netOnAccount(third.lines, BALANCE)).toBe(1000);
		const single = new Memory().run(twice, 'clearing', FIRST_RUN);
		const first = new Memory().run(GOLDEN_MONTH_ITEMS, 'clearing', FIRST_RUN);
		expect(netPerAccount([...first.lines, ...second.lines, ...third.lines])).toEqual(netPerAccount(single.lines));
	});

	it('a delivery that was never confirmed books the whole statement again, not a difference', () => {
		const memory = new Memory();
		memory.run(GOLDEN_MONTH_ITEMS, 'clearing', FIRST_RUN); // the delivery failed: nothing marked
		const again = memory.run(GOLDEN_MONTH_ITEMS, 'clearing', FIRST_RUN);
		expect(again.lines).toEqual(new Memory().run(GOLDEN_MONTH_ITEMS, 'clearing', FIRST_RUN).lines);
	});

	it('without the ledger a changed statement is reported and not booked', () => {
		const memory = new Memory();
		memory.markAsBooked(memory.run(GOLDEN_MONTH_ITEMS, 'clearing', FIRST_RUN));
		memory.records.clear();
		const amended = clone(GOLDEN_MONTH_ITEMS);
		AMENDMENTS[0].amend(amended);
		const second = memory.run(amended, 'clearing', LATER_RUN);
		expect(second.lines).toEqual([]);
		expect(second.warnings).toEqual(expect.arrayContaining([expect.stringContaining(`statement ${ST_B} (item 1) changed since it was booked`)]));
	});
});

describe('correction run', () => {
	it('writes a Storno file that cancels what was booked and a new file with the statements in full', () => {
		const memory = new Memory();
		const first = memory.run(GOLDEN_MONTH_ITEMS, 'clearing', FIRST_RUN);
		memory.markAsBooked(first);
		const amended = clone(GOLDEN_MONTH_ITEMS);
		AMENDMENTS[0].amend(amended);
		const run = memory.run(amended, 'clearing', LATER_RUN, { correctionRun: true });
		expect(run.reversalFiles.map((file) => file.fileName)).toEqual(['EXTF_Buchungsstapel_Korrektur_Storno_2025-06.csv']);
		const storno = readBookingLines(readBuchungsstapel(run.reversalFiles[0].bytes, { strict: true }));
		expect(storno.every((line) => line.generalReversal === true)).toBe(true);
		// Storno + new batch = the first run's books replaced by the amended month's.
		const stornoLines = storno.map((line) => ({ ...line, source: { kind: 'statement' as const, component: 'reversal' } }));
		const firstStatements = first.lines.filter((line) => line.source.kind !== 'payment');
		expect(netPerAccount([...firstStatements, ...stornoLines])).toEqual(new Map());
		const single = new Memory().run(amended, 'clearing', FIRST_RUN);
		expect(netPerAccount(run.lines)).toEqual(netPerAccount(single.lines.filter((line) => line.source.kind !== 'payment')));
		memory.markAsBooked(run);
		expect(memory.run(amended, 'clearing', LATER_RUN).lines).toEqual([]);
	});
});

describe('a statement that disappears from TikTok\'s answer', () => {
	it('is reported and never reversed', () => {
		const memory = new Memory();
		// A third statement five days after B, so that B lies between the first and the last day of the answer.
		const later = { ...clone([statementOf(clone(GOLDEN_MONTH_ITEMS), ST_B)])[0], id: '7250000000000000031', statement_time: 1750896000 };
		const month = [...clone(GOLDEN_MONTH_ITEMS), later];
		memory.markAsBooked(memory.run(month, 'clearing', FIRST_RUN));
		// TikTok's answer for the same days without statement B (withdrawn or re-issued under another id).
		const second = memory.run(month.filter((item) => item.id !== ST_B), 'clearing', LATER_RUN);
		expect(second.lines).toEqual([]);
		const reported = second.warnings.filter((warning) => warning.includes('no longer lists it'));
		expect(reported).toEqual([expect.stringMatching(new RegExp(`^statement ${ST_B} of 2025-06-20 was booked earlier but TikTok no longer lists it.*nothing was reversed`))]);
	});
});
