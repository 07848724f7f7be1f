/**
 * The streaming engine (streamBookings over scanBookingInput) against the collected one (mapToBookings over
 * parseBookingInput): the same lines, reconciliations and DATEV bytes, page by page; and the booking input's fast
 * path (items read as they are) against zod's (the same result, the same messages).
 */
import { describe, expect, it } from '@jest/globals';

import {
	BookingInputError,
	type BookingPage,
	type BookingSettingsInput,
	mapToBookings,
	parseBookingInput,
	parseBookingSettings,
	scanBookingInput,
	streamBookings,
} from '../../lib/booking';
import type { BookingLine } from '../../lib/booking-line';
import { createBatchWriter } from '../../lib/datev/batch-writer';
import { writeBatches } from '../../lib/datev/batches';
import { prepareMapping, runMapping } from '../../lib/mapping/run';
import { readBookingLines, readBuchungsstapel } from '../../lib/datev/reader';
import { concatChunks } from '../../lib/datev/writer';
import { generateShopData } from '../../sandbox/generate';
import { type Json, orderTx, statementItem } from './fixtures';
import { GOLDEN_MONTH_ITEMS } from './golden-month';

const DATEV = { consultantNumber: 1001, clientNumber: 1, chartOfAccounts: '03' as const, shopName: 'Test', label: 'TikTok', maxRowsPerFile: 700 };
const CREATED_AT = Date.UTC(2025, 5, 3, 8);

/** Two sandbox months (~300 orders each, refunds, reserves, chargebacks), statements then payouts as the node gets them. */
function sandboxItems(): unknown[] {
	const data = generateShopData({ seed: 3, from: '2025-01', to: '2025-02', ordersPerMonth: 300, failedPayment: false });
	return [...data.statements.map((statement) => data.statementItem(statement.id)), ...data.payments];
}

function streamedFiles(pages: Iterable<BookingPage>): { lines: BookingLine[]; pages: BookingPage[]; files: Map<string, Uint8Array> } {
	const writer = createBatchWriter(DATEV, { createdAt: CREATED_AT, inDateOrder: true });
	const chunks = new Map<string, Uint8Array[]>();
	const take = (ready: Iterable<{ fileName: string; bytes: Uint8Array }>) => {
		for (const chunk of ready) chunks.set(chunk.fileName, [...(chunks.get(chunk.fileName) ?? []), chunk.bytes]);
	};
	const lines: BookingLine[] = [];
	const seen: BookingPage[] = [];
	for (const page of pages) {
		seen.push(page);
		lines.push(...page.lines);
		take(writer.append(page.lines));
	}
	take(writer.end().chunks);
	return { lines, pages: seen, files: new Map([...chunks].map(([name, list]) => [name, concatChunks(list)])) };
}

const SETTINGS: Array<[string, BookingSettingsInput]> = [
	['clearing', { chart: 'SKR03' }],
	['OPOS, fee lines per type', { chart: 'SKR04', revenueMode: 'collectiveDebtor', feeLines: 'perFeeType' }],
	['revenue accounts', { chart: 'SKR03', revenueMode: 'revenueAccounts' }],
];

describe('streamBookings writes what mapToBookings writes', () => {
	const months: Array<[string, readonly unknown[]]> = [
		['golden month', GOLDEN_MONTH_ITEMS],
		['sandbox months', sandboxItems()],
	];
	for (const [name, items] of months) {
		for (const [mode, input] of SETTINGS) {
			it(`${name}, ${mode}: same lines, reconciliations and DATEV bytes, a page of 7 transactions at a time`, () => {
				const settings = parseBookingSettings(input);
				const collected = mapToBookings(parseBookingInput(items), settings);
				const stream = streamBookings(scanBookingInput(items), settings, { pageSize: 7 });
				const streamed = streamedFiles(stream.pages);

				expect(collected.lines.length).toBeGreaterThan(0);
				expect(streamed.lines).toEqual(collected.lines);
				expect(stream.skipped).toEqual(collected.skipped);
				expect(streamed.pages.flatMap((page) => (page.statement ? [page.statement] : []))).toEqual(collected.statements);
				expect(streamed.pages.flatMap((page) => (page.payment ? [page.payment] : []))).toEqual(collected.payments);
				expect(streamed.pages.reduce((sum, page) => sum + page.adjustedTextFields, 0)).toBe(collected.adjustedTextFields);

				const written = writeBatches(collected.lines, DATEV, () => CREATED_AT);
				expect([...streamed.files.keys()]).toEqual(written.map((file) => file.fileName));
				for (const file of written) expect(Buffer.from(streamed.files.get(file.fileName) as Uint8Array).equals(Buffer.from(file.bytes))).toBe(true);
			});
		}
	}

	it('a statement of many transactions comes in pages, each holding at most a page of transactions', () => {
		const transactions = Array.from({ length: 25 }, (_, index) =>
			orderTx({ id: `16367000414135992${String(index).padStart(2, '0')}`, revenue_amount: '10.00', fee_tax_amount: '-1.00', settlement_amount: '9.00' }),
		);
		const items = [statementItem(transactions, { settlement_amount: '225.01' })];
		const pages = [...streamBookings(scanBookingInput(items), parseBookingSettings({}), { pageSize: 10 }).pages];
		// 10 + 10 + 5 transactions of 2 lines each, the statement difference (0.01) with the last page, then the summary.
		expect(pages.map((page) => page.lines.length)).toEqual([20, 20, 11, 0]);
		expect(pages[3].statement).toMatchObject({ transactionCount: 25, lineCount: 51, differenceMinor: 1, status: 'difference' });
		expect(pages.flatMap((page) => page.lines)).toEqual(mapToBookings(parseBookingInput(items), parseBookingSettings({})).lines);
	});

	it('statements arriving out of order are booked in the engine order all the same', () => {
		const items = sandboxItems();
		const statements = items.filter((item) => 'transactions' in (item as object)).reverse();
		const shuffled = [...items.filter((item) => !('transactions' in (item as object))), ...statements];
		const settings = parseBookingSettings({});
		const streamed = [...streamBookings(scanBookingInput(shuffled), settings).pages].flatMap((page) => page.lines);
		expect(streamed).toEqual(mapToBookings(parseBookingInput(items), settings).lines);
	});
});

/** The same transaction, but not a plain object: zod takes it, the fast path leaves it to zod. */
function viaSchema(transaction: Record<string, unknown>): object {
	return Object.assign(Object.create({ fromSchemaPath: true }) as object, transaction);
}

function outcome(items: unknown[]): unknown {
	try {
		return parseBookingInput(items);
	} catch (error) {
		return (error as Error).message;
	}
}

describe('the booking input reads items as they are, with zod’s result and messages', () => {
	it('a sandbox month parses to the same input either way', () => {
		const items = sandboxItems() as Array<Record<string, unknown>>;
		const bySchema = items.map((item) =>
			Array.isArray(item.transactions) ? { ...item, transactions: item.transactions.map((transaction) => viaSchema(transaction as Record<string, unknown>)) } : item,
		);
		expect(parseBookingInput(items)).toEqual(parseBookingInput(bySchema));
	});

	const amounts = ['0', '0.00', '-0.00', '12', '-12.5', '12.50', '+0.01', ' 7.10 ', '007.00', '1.500', '1.505', '12.', '.5', '-', '', '1e3', '1,50',
		'9999999999.99', '10000000000.00', '-9999999999.99', '123456789012345678', 'abc', 12.5, -3, 0, 1e21, 0.1 + 0.2, Number.NaN, Number.POSITIVE_INFINITY, null, true];
	for (const currency of ['EUR', 'JPY', 'KWD']) {
		it(`amounts in ${currency}: the same minor units or the same message as zod's path`, () => {
			for (const amount of amounts) {
				const item = (transaction: object) => statementItem([transaction as Record<string, unknown>], { currency, settlement_amount: '0' });
				const fields = { revenue_amount: amount, fee_tax_breakdown: { fee: { platform_commission_amount: amount }, tax: {} } };
				expect([amount, outcome([item(orderTx(fields))])]).toEqual([amount, outcome([item(viaSchema(orderTx(fields)))])]);
			}
		});
	}

	it('problems of many kinds in one month give the messages they gave before', () => {
		const bad = [
			orderTx({ id: 12 }),
			orderTx({ order_create_time: '1e9' }),
			orderTx({ order_create_time: 99_999_999_999 }),
			orderTx({ type: 'x'.repeat(101) }),
			orderTx({ reserve_status: ['RELEASED'] }),
			orderTx({ shipping_cost_breakdown: [] }),
			orderTx({ fee_tax_breakdown: { fee: ['1.00'] } }),
			orderTx({ order_id: '=1+1' }),
		];
		for (const transaction of bad) {
			const message = outcome([statementItem([orderTx(), transaction], { settlement_amount: '0' })]);
			expect(typeof message).toBe('string');
			expect(message).toBe(outcome([statementItem([viaSchema(orderTx()) as Json, viaSchema(transaction) as Json], { settlement_amount: '0' })]));
		}
	});

	it('a deferred statement reports its problems when it is booked, as parseBookingInput does', () => {
		const items = [statementItem([orderTx(), orderTx({ fee_tax_amount: '12.345' })], { settlement_amount: '0' })];
		const scanned = scanBookingInput(items);
		const statement = scanned.statements[0];
		expect('loadTransactions' in statement).toBe(true);
		expect(() => [...streamBookings(scanned, parseBookingSettings({})).pages]).toThrow(BookingInputError);
		expect(() => [...streamBookings(scanned, parseBookingSettings({})).pages]).toThrow(outcome(items) as string);
		const reported: string[] = [];
		const pages = [...streamBookings(scanBookingInput(items), parseBookingSettings({}), { onInvalid: (source, error) => reported.push(`${source.id}: ${(error as Error).message}`) }).pages];
		expect(pages).toEqual([]);
		expect(reported).toEqual([`${statement.id}: ${outcome(items) as string}`]);
	});
});

describe('runMapping (the node’s path) reports bad items as before streaming', () => {
	const bad = statementItem([orderTx({ revenue_amount: '10.00', settlement_amount: '10.00' }), orderTx({ id: '1636700041413599291', fee_tax_amount: '1.005' })], {
		settlement_amount: '10.00',
	});
	const good = statementItem([orderTx({ revenue_amount: '10.00', settlement_amount: '10.00' })], { settlement_amount: '10.00' });
	const request = (items: unknown[], continueOnFail: boolean) => ({
		items,
		booking: { chart: 'SKR03' as const },
		datev: DATEV,
		skipBookedBefore: true,
		continueOnFail,
		now: () => CREATED_AT,
	});

	it('without Continue On Fail: the error of validating all items up front', () => {
		expect(() => runMapping(request([good, bad], false))).toThrow(outcome([good, bad]) as string);
	});

	it('with Continue On Fail: the bad copy of a statement is an error item, its good copy in a later item is booked', () => {
		const result = runMapping(request([bad, good], true));
		expect(result.failures).toEqual([{ item: 0, message: outcome([bad]) as string }]);
		expect(result.statements.map((statement) => statement.statementId)).toEqual([good.id]);
		expect(result.sourceItems.get(`statement:${good.id as string}`)).toBe(1);
		expect(result.skipped).toEqual([]);
		expect(result.files).toHaveLength(1);
	});

	it('with Continue On Fail: a later copy of a statement that is invalid is still an error item (copies are checked up front)', () => {
		const result = runMapping(request([good, { ...bad, id: good.id }], true));
		expect(result.failures).toEqual([{ item: 1, message: (outcome([{ ...bad, id: good.id }]) as string).replace('item 0', 'item 1') }]);
		expect(result.statements.map((statement) => statement.statementId)).toEqual([good.id]);
		expect(() => runMapping(request([good, { ...bad, id: good.id }], false))).toThrow(/item 1: transactions\[1\]\.fee_tax_amount/);
	});
});

describe('the node’s path parses a statement’s transactions once', () => {
	/** The items with every transaction counting how often its settlement_amount is read (once per parse). */
	function counting(items: unknown[]): { items: unknown[]; reads: () => number; transactions: number } {
		let reads = 0;
		let transactions = 0;
		const wrapped = items.map((item) => {
			const statement = item as { transactions?: Json[] };
			if (!Array.isArray(statement.transactions)) return item;
			transactions += statement.transactions.length;
			return {
				...statement,
				transactions: statement.transactions.map(
					(transaction) =>
						new Proxy(transaction, {
							get(target, key, receiver) {
								if (key === 'settlement_amount') reads += 1;
								return Reflect.get(target, key, receiver) as unknown;
							},
						}),
				),
			};
		});
		return { items: wrapped, reads: () => reads, transactions };
	}
	const request = (items: unknown[], delivered?: Set<string>) => ({
		items,
		booking: { chart: 'SKR03' as const },
		datev: DATEV,
		skipBookedBefore: true,
		continueOnFail: false,
		now: () => CREATED_AT,
		keepLines: false,
		delivered,
	});

	it('books a month delivered for the first time from one parse of each statement', () => {
		const once = counting(sandboxItems());
		parseBookingInput(once.items);
		const month = counting(sandboxItems());
		const result = runMapping(request(month.items));
		expect(month.transactions).toBeGreaterThan(500);
		expect(result.statements.reduce((sum, statement) => sum + statement.transactionCount, 0)).toBe(month.transactions);
		expect(month.reads()).toBe(once.reads());
		// The same fingerprints (receipts) as when every statement was parsed ahead.
		const collected = runMapping(request(sandboxItems()));
		expect([...result.receipts.values()]).toEqual([...collected.receipts.values()]);
	});

	it('parses only the statements delivered before ahead, to look up their versions', () => {
		const items = sandboxItems();
		const first = runMapping(request(items));
		const delivered = new Set([...first.receipts.values()].flatMap((receipt) => receipt.keys));
		const statementIds = first.statements.map((statement) => statement.statementId);
		// The first look-up names no version of a statement the ledger does not know; the second asks for the delivered ones.
		const prepared = prepareMapping({ ...request(items), records: undefined });
		expect(prepared.probeKeys.some((key) => key.includes('#'))).toBe(false);
		const found = new Set(prepared.probeKeys.filter((key) => delivered.has(key)));
		expect(prepared.versionKeys(found).filter((key) => delivered.has(key))).toHaveLength(statementIds.length);
		// A second run over the same month: every statement is parsed once (for its fingerprint) and nothing is booked.
		const once = counting(items);
		parseBookingInput(once.items);
		const again = counting(items);
		const second = runMapping(request(again.items, delivered));
		expect(second.statements).toEqual([]);
		expect(second.files).toEqual([]);
		expect(second.skipped.filter((source) => source.reason === 'already booked')).toHaveLength(statementIds.length + first.payments.length);
		expect(again.reads()).toBe(once.reads());
	});

	it('with Continue On Fail: a statement found invalid when its turn comes writes none of its lines, the rest is booked', () => {
		// 150 transactions: the bad one on the second page of 100, so that a statement booked page by page before it
		// was checked would have written its first page.
		const transactions = Array.from({ length: 150 }, (_, index) =>
			orderTx({ id: `16367000414135${String(index).padStart(5, '0')}`, revenue_amount: '10.00', settlement_amount: '10.00' }),
		);
		transactions[140] = { ...transactions[140], fee_tax_amount: '1.005' };
		const bad = statementItem(transactions, { id: '7000000000000000002', statement_time: 1751328000 + 86_400 });
		const before = statementItem([orderTx({ revenue_amount: '10.00', settlement_amount: '10.00' })], { id: '7000000000000000001', statement_time: 1751328000 });
		const after = statementItem([orderTx({ id: '1636700041413599299', revenue_amount: '5.00', settlement_amount: '5.00' })], {
			id: '7000000000000000003',
			statement_time: 1751328000 + 2 * 86_400,
		});
		const result = runMapping({ ...request([before, bad, after]), continueOnFail: true, datev: { ...DATEV, maxRowsPerFile: undefined } });
		expect(result.failures).toEqual([{ item: 1, message: expect.stringMatching(/^item 1: transactions\[140\]\.fee_tax_amount/) as unknown as string }]);
		expect(result.statements.map((statement) => statement.statementId)).toEqual(['7000000000000000001', '7000000000000000003']);
		expect(result.receipts.has('statement:7000000000000000002')).toBe(false);
		const lines = result.files.flatMap((file) => readBookingLines(readBuchungsstapel(file.bytes, { strict: true })));
		expect(lines).toHaveLength(result.statements.reduce((sum, statement) => sum + statement.lineCount, 0));
		// One statement a day: the bad statement's day has no line.
		expect(new Set(lines.map((line) => line.date))).toEqual(new Set(result.statements.map((statement) => statement.date)));
		expect(result.statements.map((statement) => statement.date)).toEqual(['2025-06-30', '2025-07-02']);
		expect(() => runMapping(request([before, bad, after]))).toThrow(/item 1: transactions\[140\]\.fee_tax_amount/);
	});
});
