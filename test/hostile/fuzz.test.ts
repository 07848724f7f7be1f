/**
 * Fuzz test (issue #18): random and hostile TikTok payloads (wrong types, huge and tiny numbers, odd Unicode,
 * prototype keys, formula prefixes, endless paging) thrown at the API client (fake transport), the booking engine
 * and the DATEV writer. Every run must end in one of two ways:
 * - a clear error: BookingInputError / TikTokApiError / DatevValidationError whose every line names the item (or
 *   booking) and the field, and is short (no value repeated at length);
 * - DATEV files that pass the field rules (lib/datev/rules.ts), read back identically (lib/datev/reader.ts),
 *   reconcile to the cent with TikTok's statements and payouts, and have no field starting with = + - @.
 *
 * Fixed seed and fixed numbers of runs (RUNS), so a failure reproduces; raise RUNS locally for a longer session.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import type { BookingLine } from '../../lib/booking-line';
import { BookingInputError } from '../../lib/booking';
import { readBookingLines, readBuchungsstapel } from '../../lib/datev/reader';
import { checkBookings, DatevValidationError, defaultAutomaticAccounts } from '../../lib/datev/rules';
import { prepareText } from '../../lib/datev/fields';
import { writeBuchungsstapel } from '../../lib/datev/writer';
import { runMapping, type MappingResult } from '../../lib/mapping/run';
import { TikTokApiError } from '../../lib/tiktok/errors';
import { TIKTOK_ID } from '../../lib/tiktok/schemas';
import { statementWithTransactions } from '../../lib/fetch/records';
import { apiError, collect, fakeClock, jsonResponse, noThrottle, ok, signedClient } from '../tiktok/fakes';
import { balanceEffect, fromCents } from '../booking/fixtures';
import { DATEV_SETTINGS, formulaFields, JULY_FILE, NOW } from './helpers';

const SEED = 18;
/** Runs per property; together about 15 s on an idle 2-core machine. */
const RUNS = { pipeline: 250, writer: 200, client: 120 };

/** The longest line an error may have: a message names its value in at most ~60 characters (lib/preview.ts). */
const MAX_MESSAGE_LINE = 600;

// ---- hostile building blocks ---------------------------------------------------------------------------------------

const PROTOTYPE_KEYS = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'];
const FORMULAS = ['=1+1', '+1', '-1', '@SUM(A1)', '=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0", ' =1', '\t=1', '\r-1', '＝1+1', '＋1', '\u200b=1'];
const ODD_UNICODE = ['🎁', '👩‍👩‍👧', '🇩🇪', '礼物', 'Ωμέγα', 'ﬀ'.repeat(40), 'e\u0301', '\u202eabc', 'a;b;c', '"quoted"', 'line\r\nbreak', '\u0000', 'x'.repeat(300)];

const hostileText = fc.oneof(
	fc.constantFrom(...PROTOTYPE_KEYS, ...FORMULAS, ...ODD_UNICODE),
	fc.string({ unit: 'grapheme', maxLength: 12 }),
	fc.string({ unit: 'binary', maxLength: 12 }),
);
const wrongType = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}));

const validId = fc.bigInt({ min: 10n ** 17n, max: 10n ** 19n - 1n }).map(String);
const cents = fc.integer({ min: -5_000_000, max: 5_000_000 });
const JUNE_2025 = 1_748_736_000;
const validTime = fc.integer({ min: JUNE_2025, max: JUNE_2025 + 80 * 86_400 });

/**
 * Field generators in two flavours: `tame` values pass validation (ids, amounts, times), so the hostile part that
 * reaches the DATEV file is text (types, fee names, templates); `wild` ones are anything at all.
 */
function fields(wild: boolean) {
	const mostly = <T, U>(valid: fc.Arbitrary<T>, hostile: fc.Arbitrary<U>, weight = 6) =>
		wild ? fc.oneof({ arbitrary: valid, weight }, { arbitrary: hostile, weight: 1 }) : valid;
	return {
		id: mostly(validId, fc.oneof(hostileText, wrongType)),
		optionalId: mostly(fc.oneof(validId, fc.constant('')), hostileText),
		amount: mostly(
			cents.map(fromCents),
			fc.oneof(
				fc.constantFrom('9999999999.99', '-9999999999.99', '10000000000.00', '0.001', '1.10', '-0', '+0.01', '1e5', '1,00', '', ' 5 ', 'NaN'),
				fc.integer({ min: 12, max: 5000 }).map((digits) => '9'.repeat(digits)),
				fc.integer(),
				fc.double(),
				hostileText,
				fc.constant(null),
			),
			3,
		),
		time: mostly(validTime, fc.constantFrom(0, -1, 1e15, 2 ** 53, 4_102_444_801, 1.5, '1751328000', 'yesterday')),
		currency: mostly(fc.constant('EUR'), fc.oneof(fc.constantFrom('eur', 'JPY', 'XXX', ''), hostileText)),
	};
}

const KNOWN_TYPES = ['ORDER', 'ORDER', 'ORDER', 'RESERVE', 'CHARGE_BACK', 'GMV_PAYMENT_FOR_ADS', 'PLATFORM_PENALTY'];
const type = fc.oneof({ arbitrary: fc.constantFrom(...KNOWN_TYPES), weight: 4 }, { arbitrary: hostileText, weight: 3 });
const FEE_NAMES = ['platform_commission_amount', 'transaction_fee_amount', 'vat_amount', ...PROTOTYPE_KEYS];
const feeName = fc.oneof({ arbitrary: fc.constantFrom(...FEE_NAMES), weight: 3 }, { arbitrary: hostileText, weight: 1 });

/** Objects built from entries with JSON.parse semantics, so a "__proto__" key is an own key as n8n hands it over. */
function jsonObject(entries: Array<[string, unknown]>): Record<string, unknown> {
	const object: Record<string, unknown> = {};
	for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
	return object;
}

function transactionArb(wild: boolean) {
	const { id, optionalId, amount, time } = fields(wild);
	return fc
		.record(
			{
				id,
				type,
				order_id: optionalId,
				adjustment_id: optionalId,
				order_create_time: time,
				settlement_amount: amount,
				revenue_amount: amount,
				shipping_cost_amount: amount,
				fee_tax_amount: amount,
				adjustment_amount: amount,
				reserve_amount: amount,
				reserve_status: fc.constantFrom('COLLECTED', 'RELEASED', 'Collected', ''),
				fees: fc.array(fc.tuple(feeName, amount), { maxLength: 3 }),
			},
			{ requiredKeys: ['id', 'type', 'settlement_amount'] },
		)
		.map(({ fees, ...rest }) =>
			fees === undefined || fees.length === 0 ? rest : { ...rest, fee_tax_breakdown: { fee: jsonObject(fees), tax: {} } },
		);
}
const transaction = fc.oneof({ arbitrary: transactionArb(false), weight: 3 }, { arbitrary: transactionArb(true), weight: 1 });

function statementArb(wild: boolean) {
	const { id, optionalId, amount, time, currency } = fields(wild);
	return fc
		.record({
			id,
			statement_time: time,
			currency,
			settlement_amount: amount,
			total_reserve_amount: fc.option(amount, { freq: 2 }),
			payment_id: optionalId,
			payment_status: fc.constantFrom('PAID', 'PROCESSING'),
			transactions: fc.array(wild ? transaction : transactionArb(false), { minLength: 1, maxLength: 5 }),
			consistent: fc.boolean(),
		})
		.map(({ consistent, total_reserve_amount, ...statement }) => {
			const base = total_reserve_amount === null ? statement : { ...statement, total_reserve_amount };
			// Half of the statements add up (when their amounts are plain cents), the others book differences.
			if (!consistent) return base;
			const settled = statement.transactions.reduce<number | undefined>((sum, tx) => {
				const value = (tx as { settlement_amount?: unknown }).settlement_amount;
				return sum !== undefined && typeof value === 'string' && /^-?\d+\.\d\d$/.test(value) ? sum + Math.round(Number(value) * 100) : undefined;
			}, 0);
			return settled === undefined ? base : { ...base, settlement_amount: fromCents(settled) };
		});
}
const statementItem = fc.oneof({ arbitrary: statementArb(false), weight: 2 }, { arbitrary: statementArb(true), weight: 1 });

function paymentArb(wild: boolean) {
	const { id, amount, time, currency } = fields(wild);
	return fc.record({
		id,
		status: wild ? fc.oneof(fc.constantFrom('PAID', 'PROCESSING', 'FAILED'), hostileText) : fc.constantFrom('PAID', 'PAID', 'PROCESSING'),
		create_time: time,
		paid_time: time,
		amount: fc.record({ value: amount, currency }),
	});
}

const item = fc.oneof(
	{ arbitrary: statementItem, weight: 6 },
	{ arbitrary: fc.oneof(paymentArb(false), paymentArb(true)), weight: 3 },
	{ arbitrary: fc.record({ code: fc.constantFrom(0, 105002), message: hostileText, data: fc.record({ statements: fc.array(statementItem, { maxLength: 2 }) }) }), weight: 1 },
	{ arbitrary: fc.oneof(fc.jsonValue({ maxDepth: 3 }), wrongType), weight: 1 },
);

const TEMPLATES = ['TikTok {label} {reference}', '{label}', '={type}', '@{orderId} {label}', '-{reference}', '+{statementId} {label} {transactionId}', '{type}{type}{type}'];
const bookingSettings = fc.record({
	chart: fc.constantFrom('SKR03', 'SKR04'),
	revenueMode: fc.constantFrom('clearing', 'collectiveDebtor', 'revenueAccounts'),
	feeLines: fc.constantFrom('total', 'perFeeType'),
	adjustmentTypes: fc.constantFrom({}, { constructor: { account: 'advertising' } }, { toString: { account: '1592' }, CHARGE_BACK: { account: 'clearing' } }),
	templates: fc.record({
		text: fc.constantFrom(...TEMPLATES),
		orderDocument: fc.constantFrom('{orderId}', '-{orderId}', '+-{orderId}', '@{orderId}'),
		documentField2: fc.constantFrom('', '+{date}', '-{type}', '{label}'),
	}),
});

// ---- what a successful run must satisfy ----------------------------------------------------------------------------

/** A clear error: a known error type, every line naming an item (or booking) and a field, and short. */
function expectClearError(error: unknown, items: number): void {
	if (error instanceof BookingInputError) {
		expect(error.issues.length).toBeGreaterThan(0);
		for (const issue of error.issues) {
			expect(issue.item).toBeGreaterThanOrEqual(0);
			expect(issue.item).toBeLessThan(items);
			expect(issue.message.length).toBeLessThan(MAX_MESSAGE_LINE);
		}
		for (const line of error.message.split('\n')) expect(line).toMatch(/^(item \d+: |… and \d+ more)/);
		return;
	}
	expect(error).toBeInstanceOf(DatevValidationError);
	for (const violation of (error as DatevValidationError).violations) {
		expect(violation.message).toMatch(/^bookings\[\d+\] \(/);
		expect(violation.message.length).toBeLessThan(MAX_MESSAGE_LINE);
	}
}

/** A booking line as the file can hold it: the source ids are not part of a DATEV row. */
function withoutSource(line: BookingLine): Omit<BookingLine, 'source'> {
	const copy: Partial<BookingLine> = { ...line };
	delete copy.source;
	return copy as Omit<BookingLine, 'source'>;
}

function fileLines(result: MappingResult): Array<Omit<BookingLine, 'source'>> {
	// writeBatches: one file per month in month order, each holding its lines in booking order.
	const months = [...new Set(result.lines.map((line) => line.date.slice(0, 7)))].sort();
	return months.flatMap((month) => result.lines.filter((line) => line.date.startsWith(month))).map(withoutSource);
}

function expectSoundFiles(result: MappingResult): void {
	const read: Array<Omit<BookingLine, 'source'>> = [];
	for (const file of result.files) {
		expect(formulaFields(file.bytes)).toEqual([]);
		const parsed = readBuchungsstapel(file.bytes, { strict: true });
		const lines = readBookingLines(parsed);
		const { header } = parsed;
		const violations = checkBookings(
			lines.map((line) => ({ ...line, source: { kind: 'statement', component: 'read back' } })),
			{
				accountLength: header.accountLength ?? 4,
				fiscalYearStart: header.fiscalYearStart ?? '',
				periodFrom: header.periodFrom ?? '',
				periodTo: header.periodTo ?? '',
				currency: header.currency,
				automaticAccounts: defaultAutomaticAccounts(header.chartOfAccounts === '04' ? '04' : '03', header.accountLength ?? 4),
			},
		);
		expect(violations).toEqual([]);
		for (const line of lines) read.push(line);
	}
	expect(read).toEqual(fileLines(result));
}

/** Every statement's balance lines add up to TikTok's settlement (+ reserves), every payout to its amount. */
function expectReconciled(result: MappingResult, balanceOf: (line: BookingLine) => string): void {
	for (const statement of result.statements) {
		const lines = result.lines.filter((line) => line.source.kind !== 'payment' && line.source.statementId === statement.statementId);
		const reserve = (line: BookingLine) => line.source.component === 'reserve_amount' || line.source.component === 'reserve_difference';
		const settled = lines.filter((line) => !reserve(line)).reduce((sum, line) => sum + balanceEffect(line, balanceOf(line)), 0);
		const reserves = lines.filter(reserve).reduce((sum, line) => sum + balanceEffect(line, balanceOf(line)), 0);
		expect(settled).toBe(statement.tiktokSettlementMinor);
		expect(reserves).toBe(statement.tiktokReserveMinor ?? statement.bookedReserveMinor);
		expect(statement.bookedMinor + statement.differenceMinor).toBe(statement.tiktokSettlementMinor);
	}
	for (const payment of result.payments) {
		const lines = result.lines.filter((line) => line.source.paymentId === payment.paymentId && line.source.kind === 'payment');
		expect(lines.reduce((sum, line) => sum + balanceEffect(line, balanceOf(line)), 0) + payment.amountMinor).toBe(0);
	}
}

const BALANCE = { SKR03: '1270', SKR04: '1870' } as const;

function mapAndCheck(items: unknown[], settings: { chart: 'SKR03' | 'SKR04' } & Record<string, unknown>, continueOnFail: boolean): MappingResult | undefined {
	let result: MappingResult;
	try {
		result = runMapping({
			items,
			booking: settings,
			datev: { ...DATEV_SETTINGS, chartOfAccounts: settings.chart === 'SKR03' ? '03' : '04' },
			skipBookedBefore: true,
			continueOnFail,
			now: NOW,
		});
	} catch (error) {
		expectClearError(error, items.length);
		return undefined;
	}
	for (const failure of result.failures) {
		for (const line of failure.message.split('\n')) {
			expect(line).toMatch(new RegExp(`^(item ${failure.item}: |… and \\d+ more)`));
			expect(line.length).toBeLessThan(MAX_MESSAGE_LINE);
		}
	}
	for (const warning of result.warnings) expect(warning.length).toBeLessThan(MAX_MESSAGE_LINE);
	for (const line of result.lines) {
		for (const value of [line.text, line.documentField1, line.documentField2, line.orderNumber, line.settlementReference]) {
			expect(value).not.toMatch(/^\s*[=+\-@]/);
		}
		expect(line.account).toMatch(/^\d+$/);
		expect(line.contraAccount).toMatch(/^\d+$/);
	}
	expectSoundFiles(result);
	expectReconciled(result, () => BALANCE[settings.chart]);
	return result;
}

describe('fuzz: hostile items through the booking engine and the DATEV writer', () => {
	it(`${RUNS.pipeline} runs: a clear error or sound DATEV files`, () => {
		let files = 0;
		let errors = 0;
		fc.assert(
			fc.property(fc.array(item, { minLength: 1, maxLength: 4 }), bookingSettings, fc.boolean(), (items, settings, continueOnFail) => {
				const result = mapAndCheck(items, settings, continueOnFail);
				if (result === undefined) errors += 1;
				else files += result.files.length;
			}),
			{ seed: SEED, numRuns: RUNS.pipeline },
		);
		// The generators must reach both outcomes, or the property proves less than it claims.
		expect(files).toBeGreaterThan(RUNS.pipeline / 4);
		expect(errors).toBeGreaterThan(RUNS.pipeline / 10);
	});
});

describe('fuzz: hostile booking lines straight into the DATEV writer', () => {
	const text = fc.oneof(hostileText, fc.string({ maxLength: 70 }));
	/** Mostly what the writer accepts, sometimes what it must reject. */
	const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) =>
		fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: invalid, weight: 1 });
	const line = fc.record({
		amountMinor: mostly(fc.integer({ min: 1, max: 999_999_999_999 }), fc.constantFrom(0, -5, 1e13, 1.5, Number.NaN)),
		currency: mostly(fc.constant('EUR'), fc.constantFrom('USD', 'XXX', '=1')),
		side: mostly(fc.constantFrom('S', 'H'), fc.constantFrom('X', '@')),
		account: mostly(fc.constantFrom('1270', '1592', '10000'), fc.constantFrom('0', '12', '=1', 'constructor')),
		contraAccount: mostly(fc.constantFrom('1270', '1366', '4970'), fc.constantFrom('8400', '-1')),
		taxKey: mostly(fc.constantFrom('', '506', '40'), fc.constantFrom('12345', '-1', '+9')),
		date: mostly(fc.constantFrom('2025-07-01', '2025-07-31'), fc.constantFrom('2025-08-01', '2025-13-01', '', '=TODAY()')),
		documentField1: mostly(fc.constantFrom('7238804564097517339', 'RE-2025-1', ''), fc.oneof(fc.constantFrom('-5', '+5', '@x', 'A_B'), text)),
		documentField2: mostly(fc.constantFrom('', '010725'), fc.oneof(fc.constantFrom('-1', '=1'), text)),
		text: mostly(fc.string({ maxLength: 40 }), text),
		orderNumber: mostly(fc.constant(''), text),
		settlementReference: mostly(fc.constant(''), text),
	});
	const settings = JULY_FILE;

	it(`${RUNS.writer} runs: a clear error, or a file without formula cells that reads back as written`, () => {
		let written = 0;
		fc.assert(
			fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), (drafts) => {
				const bookings = drafts.map((draft) => ({ ...draft, source: { kind: 'statement' as const, statementId: '1', component: 'fuzz' } })) as BookingLine[];
				let file;
				try {
					file = writeBuchungsstapel(bookings, settings);
				} catch (error) {
					expectClearError(error, 0);
					return;
				}
				written += 1;
				expect(formulaFields(file.bytes)).toEqual([]);
				const read = readBookingLines(readBuchungsstapel(file.bytes, { strict: true }));
				expect(read).toEqual(
					bookings.map(withoutSource).map((booking) => ({
						...booking,
						documentField1: prepareText(booking.documentField1),
						documentField2: prepareText(booking.documentField2),
						text: prepareText(booking.text),
						orderNumber: prepareText(booking.orderNumber),
						settlementReference: prepareText(booking.settlementReference),
					})),
				);
			}),
			{ seed: SEED, numRuns: RUNS.writer },
		);
		expect(written).toBeGreaterThan(RUNS.writer / 20);
	});
});

describe('fuzz: hostile TikTok responses through the API client', () => {
	const statementRecordArb = (wild: boolean) => {
		const { id, optionalId, amount, time, currency } = fields(wild);
		return fc.record(
			{ id, statement_time: time, currency, settlement_amount: amount, payment_status: fc.constantFrom('PAID', 'PROCESSING'), payment_id: optionalId },
			{ requiredKeys: ['id', 'statement_time', 'currency', 'settlement_amount'] },
		);
	};
	const statementRecord = fc.oneof({ arbitrary: statementRecordArb(false), weight: 2 }, { arbitrary: statementRecordArb(true), weight: 1 });
	/** One HTTP answer of the fake server: a page, an error envelope, garbage, or a page that never ends. */
	const answer = fc.oneof(
		{ arbitrary: fc.record({ kind: fc.constant('page' as const), records: fc.array(statementRecord, { minLength: 1, maxLength: 3 }), last: fc.boolean() }), weight: 16 },
		{ arbitrary: fc.record({ kind: fc.constant('endless' as const) }), weight: 1 },
		{ arbitrary: fc.record({ kind: fc.constant('error' as const), code: fc.constantFrom(105002, 36009004, 36009003, 106001, 999), message: hostileText }), weight: 2 },
		{ arbitrary: fc.record({ kind: fc.constant('garbage' as const), status: fc.constantFrom(200, 401, 429, 500, 503), body: fc.oneof(fc.jsonValue({ maxDepth: 2 }), hostileText) }), weight: 2 },
	);
	const transactionsPage = fc.record({
		id: validId,
		currency: fc.constant('EUR'),
		total_settlement_amount: fields(true).amount,
		transactions: fc.array(transaction, { maxLength: 4 }),
	});

	it(`${RUNS.client} runs: validated records that book soundly, or a clear TikTokApiError`, async () => {
		let booked = 0;
		let failed = 0;
		await fc.assert(
			fc.asyncProperty(fc.array(answer, { minLength: 1, maxLength: 4 }), transactionsPage, async (answers, detail) => {
				const clock = fakeClock();
				const { client } = signedClient(
					clock,
					(call, index) => {
						if (call.path.includes('/statement_transactions')) return ok({ ...detail, id: call.path.split('/')[4] });
						const next = answers[Math.min(index, answers.length - 1)];
						switch (next.kind) {
							case 'page':
								return ok({ statements: next.records, next_page_token: next.last || index >= answers.length - 1 ? '' : `p${index}` });
							case 'endless':
								return ok({ statements: [], next_page_token: `endless-${index}` });
							case 'error':
								return apiError(next.code, typeof next.message === 'string' ? next.message : 'x');
							case 'garbage':
								return jsonResponse(next.status, next.body);
						}
					},
					{ maxPages: 6, maxAttempts: 2, ...noThrottle(clock) },
				);
				let items: unknown[];
				try {
					const statements = await collect(client.statements());
					for (const statement of statements) {
						expect(statement.id).toMatch(TIKTOK_ID);
						expect(statement.statement_time).toBeLessThanOrEqual(4_102_444_800);
					}
					items = await Promise.all(statements.map((statement) => statementWithTransactions(client, statement)));
				} catch (error) {
					expect(error).toBeInstanceOf(TikTokApiError);
					expect((error as TikTokApiError).message.length).toBeLessThan(1100);
					expect((error as TikTokApiError).endpoint).toMatch(/^\//);
					failed += 1;
					return;
				}
				if (items.length > 0 && mapAndCheck(items, { chart: 'SKR03' }, true)) booked += 1;
			}),
			{ seed: SEED, numRuns: RUNS.client },
		);
		expect(booked).toBeGreaterThan(RUNS.client / 10);
		expect(failed).toBeGreaterThan(RUNS.client / 10);
	});
});
