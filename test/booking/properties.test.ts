/**
 * Property tests over thousands of generated statements (consistent ones and ones whose components, statement
 * totals or reserve totals do not add up), in every chart, revenue mode and fee-line mode. The invariants are
 * checked on the output lines alone, by re-reading what each line does to the balance account.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import type { BookingLine } from '../../lib/booking-line';
import { bookItems, CHART_PRESETS } from '../../lib/booking';
import { balanceEffect, fromCents, type Json, netDebit } from './fixtures';

const TYPES = ['ORDER', 'ORDER', 'ORDER', 'RESERVE', 'CHARGE_BACK', 'GMV_PAYMENT_FOR_ADS', 'PLATFORM_PENALTY', 'BRAND_NEW_TYPE'];
const FEE_NAMES = ['platform_commission_amount', 'transaction_fee_amount', 'affiliate_commission_amount', 'epr_pob_service_fee_amount'];
const TAX_NAMES = ['vat_amount', 'local_vat_amount'];
const RESERVE_COMPONENTS = new Set(['reserve_amount', 'reserve_difference']);
const DIFFERENCE_COMPONENTS = new Set(['difference', 'statement_difference', 'reserve_difference']);

const cents = fc.integer({ min: -250_000, max: 250_000 });
/** Mostly-absent amounts, like TikTok's sparse rows. */
const optionalCents = fc.option(cents, { freq: 2 });

interface GeneratedTransaction {
	json: Json;
	settlement: number;
	reserve: number;
}

const transactionArb = fc
	.record({
		type: fc.constantFrom(...TYPES),
		orderId: fc.constantFrom('', '576463220456522968', '576463220456522969', 'RE 2025.0001'),
		createTime: fc.integer({ min: 1_751_000_000, max: 1_751_000_005 }),
		revenue: optionalCents,
		shipping: optionalCents,
		fees: fc.array(fc.tuple(fc.constantFrom(...FEE_NAMES, ...TAX_NAMES), cents), { maxLength: 4 }),
		feeRest: fc.option(cents, { freq: 3 }),
		adjustment: optionalCents,
		reserve: optionalCents,
		reserveStatus: fc.constantFrom('COLLECTED', 'RELEASED', 'Collected', ''),
		mismatch: fc.option(fc.integer({ min: -500, max: 500 }), { freq: 4 }),
		explicitZeros: fc.boolean(),
	})
	.map((draft): Omit<GeneratedTransaction, 'json'> & { json: (id: string) => Json } => {
		const fee: Record<string, string> = {};
		const tax: Record<string, string> = {};
		let breakdownSum = 0;
		for (const [name, value] of draft.fees) {
			if ((TAX_NAMES.includes(name) ? tax : fee)[name] === undefined) {
				(TAX_NAMES.includes(name) ? tax : fee)[name] = fromCents(value);
				breakdownSum += value;
			}
		}
		const feeTax = draft.fees.length === 0 && draft.feeRest === null ? null : breakdownSum + (draft.feeRest ?? 0);
		const components = [draft.revenue, draft.shipping, feeTax, draft.adjustment].reduce<number>((sum, value) => sum + (value ?? 0), 0);
		const settlement = components + (draft.mismatch ?? 0);
		const amount = (value: number | null): string | undefined =>
			value === null ? (draft.explicitZeros ? '0.00' : undefined) : fromCents(value);
		return {
			settlement,
			reserve: draft.reserve ?? 0,
			json: (id: string) => {
				const json: Json = {
					id,
					type: draft.type,
					order_id: draft.type === 'ORDER' ? draft.orderId : '',
					adjustment_order_id: draft.type === 'CHARGE_BACK' ? draft.orderId : '',
					order_create_time: draft.createTime,
					settlement_amount: fromCents(settlement),
					revenue_amount: amount(draft.revenue),
					shipping_cost_amount: amount(draft.shipping),
					fee_tax_amount: amount(feeTax),
					adjustment_amount: amount(draft.adjustment),
					reserve_amount: amount(draft.reserve),
					reserve_status: draft.reserveStatus,
				};
				if (draft.fees.length > 0) {
					json.fee_tax_breakdown = { fee, tax };
				}
				return json;
			},
		};
	});

interface GeneratedStatement {
	json: Json;
	transactions: GeneratedTransaction[];
	settlement: number;
	totalReserve: number | undefined;
}

const statementArb = (statementId: string) =>
	fc
		.record({
			transactions: fc.array(transactionArb, { maxLength: 12 }),
			settlementMismatch: fc.option(fc.integer({ min: -1000, max: 1000 }), { freq: 5 }),
			reserveMode: fc.constantFrom('sum', 'sum', 'absent', 'mismatch'),
			reserveMismatch: fc.integer({ min: 1, max: 999 }),
			useTotalOnly: fc.boolean(),
			statementTime: fc.integer({ min: 1_700_000_000, max: 1_800_000_000 }),
		})
		.map((draft): GeneratedStatement => {
			const transactions = draft.transactions.map((transaction, index) => ({
				...transaction,
				json: transaction.json(`${statementId}${String(index).padStart(3, '0')}`),
			}));
			const settlement = transactions.reduce((sum, t) => sum + t.settlement, 0) + (draft.settlementMismatch ?? 0);
			const reserveSum = transactions.reduce((sum, t) => sum + t.reserve, 0);
			const totalReserve =
				draft.reserveMode === 'absent' ? undefined : reserveSum + (draft.reserveMode === 'mismatch' ? draft.reserveMismatch : 0);
			const json: Json = {
				id: statementId,
				currency: 'EUR',
				transactions: transactions.map((t) => t.json),
				...(draft.useTotalOnly
					? { create_time: draft.statementTime, total_settlement_amount: fromCents(settlement) }
					: { statement_time: draft.statementTime, settlement_amount: fromCents(settlement) }),
				...(totalReserve === undefined ? {} : { total_reserve_amount: fromCents(totalReserve) }),
			};
			return { json, transactions, settlement, totalReserve };
		});

const statementsArb = fc.integer({ min: 1, max: 3 }).chain((count) =>
	fc.tuple(...Array.from({ length: count }, (_, index) => statementArb(`72000000000000000${index}`))),
);

const settingsArb = fc.record({
	chart: fc.constantFrom('SKR03' as const, 'SKR04' as const),
	revenueMode: fc.constantFrom('clearing', 'collectiveDebtor', 'revenueAccounts'),
	feeLines: fc.constantFrom('total', 'perFeeType'),
	feeTypes: fc.constantFrom({}, { affiliate_commission_amount: { account: 'salesCommissions', taxKey: '' }, vat_amount: { taxKey: '9' } }),
	adjustmentTypes: fc.constantFrom({}, { GMV_PAYMENT_FOR_ADS: { account: 'advertising' }, CHARGE_BACK: { account: '8200' } }),
	timeZone: fc.constantFrom('Europe/Berlin', 'UTC', 'America/New_York'),
});

/** +0 for −0, so that toBe (Object.is) compares amounts, not the sign of zero. */
const plain = (value: number): number => (value === 0 ? 0 : value);
const sum = (lines: readonly BookingLine[], balance: string): number =>
	plain(lines.reduce((total, line) => total + balanceEffect(line, balance), 0));

describe('booking invariants on generated statements', () => {
	it('balances every transaction and statement, reconciles reserves, and keeps amounts positive integers', () => {
		fc.assert(
			fc.property(statementsArb, settingsArb, (statements, settings) => {
				const result = bookItems(
					statements.map((statement) => statement.json),
					settings,
				);
				const { balance, reserve } = CHART_PRESETS[settings.chart].accounts;

				for (const line of result.lines) {
					expect(Number.isSafeInteger(line.amountMinor) && line.amountMinor > 0).toBe(true);
					// every line touches the TikTok balance account (booking model)
					expect(line.account === balance || line.contraAccount === balance).toBe(true);
					expect(line.documentField1).toMatch(/^[A-Za-z0-9$&%*+\-/]{1,36}$/);
					expect(Array.from(line.text).length).toBeLessThanOrEqual(60);
					expect(line.orderNumber.length).toBeLessThanOrEqual(30);
				}

				for (const statement of statements) {
					const id = statement.json.id as string;
					const own = result.lines.filter((line) => line.source.statementId === id);
					for (const transaction of statement.transactions) {
						const lines = own.filter((line) => line.source.transactionId === transaction.json.id);
						// balance lines per transaction sum to its settlement_amount (reserves lie outside it)
						expect(sum(lines.filter((line) => line.source.component !== 'reserve_amount'), balance)).toBe(transaction.settlement);
						expect(sum(lines.filter((line) => line.source.component === 'reserve_amount'), balance)).toBe(transaction.reserve);
					}
					// each statement reconciles to its settlement amount
					expect(sum(own.filter((line) => !RESERVE_COMPONENTS.has(line.source.component)), balance)).toBe(statement.settlement);
					// reserve lines net to total_reserve_amount (or to the transactions' reserves when it is absent)
					const reserveLines = own.filter((line) => RESERVE_COMPONENTS.has(line.source.component));
					const expectedReserve = statement.totalReserve ?? statement.transactions.reduce((total, t) => total + t.reserve, 0);
					expect(sum(reserveLines, balance)).toBe(expectedReserve);
					// the reserve account mirrors the reserve lines
					const reserveAmountLines = own.filter((line) => line.source.component === 'reserve_amount');
					expect(plain(netDebit(reserveAmountLines, reserve))).toBe(plain(-sum(reserveAmountLines, balance)));

					const summary = result.statements.find((entry) => entry.statementId === id);
					expect(summary).toBeDefined();
					expect(summary?.tiktokSettlementMinor).toBe(statement.settlement);
					expect(summary?.differenceMinor).toBe(statement.settlement - (summary?.bookedMinor ?? NaN));
					const hasDifference = own.some((line) => DIFFERENCE_COMPONENTS.has(line.source.component));
					expect(summary?.status).toBe(hasDifference ? 'difference' : 'ok');
					expect(summary?.warnings.length ?? 0).toBeGreaterThanOrEqual(hasDifference ? 1 : 0);
				}
			}),
			{ numRuns: 1200 },
		);
	});

	it('gives the same lines in the same order for the same input, whatever the transaction order', () => {
		fc.assert(
			fc.property(statementsArb, settingsArb, fc.integer(), (statements, settings, seed) => {
				const items = statements.map((statement) => statement.json);
				const first = bookItems(items, settings);
				const again = bookItems(JSON.parse(JSON.stringify(items)) as unknown[], settings);
				expect(again).toEqual(first);
				// paging order does not matter: reverse the statements and rotate each statement's transactions
				const reordered = [...items].reverse().map((item) => {
					const transactions = item.transactions as Json[];
					const shift = transactions.length === 0 ? 0 : Math.abs(seed) % transactions.length;
					return { ...item, transactions: [...transactions.slice(shift), ...transactions.slice(0, shift)] };
				});
				const lines = bookItems(reordered, settings).lines;
				const key = (line: BookingLine) => JSON.stringify(line);
				const byStatement = (all: BookingLine[], id: string) => all.filter((line) => line.source.statementId === id).map(key);
				for (const statement of statements) {
					const id = statement.json.id as string;
					expect(byStatement(lines, id)).toEqual(byStatement(first.lines, id));
				}
			}),
			{ numRuns: 500 },
		);
	});

	it('books every paid payout as transit ↔ balance and nothing for unpaid ones', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.record({
						amount: cents,
						status: fc.constantFrom('PAID', 'PAID', 'PROCESSING', 'FAILED'),
						paidTime: fc.integer({ min: 1_700_000_000, max: 1_800_000_000 }),
					}),
					{ minLength: 1, maxLength: 5 },
				),
				settingsArb,
				(payments, settings) => {
					const items = payments.map((payment, index) => ({
						id: `34500000000000${index}`,
						create_time: payment.paidTime - 3600,
						paid_time: payment.status === 'PAID' ? payment.paidTime : 0,
						status: payment.status,
						amount: { value: fromCents(payment.amount), currency: 'EUR' },
					}));
					const result = bookItems(items, settings);
					const { balance, transit } = CHART_PRESETS[settings.chart].accounts;
					const paid = payments.filter((payment) => payment.status === 'PAID');
					expect(sum(result.lines, balance)).toBe(plain(-paid.reduce((total, payment) => total + payment.amount, 0)));
					expect(plain(netDebit(result.lines, transit))).toBe(paid.reduce((total, payment) => total + payment.amount, 0));
					expect(result.skipped).toHaveLength(payments.length - paid.length);
					for (const line of result.lines) {
						expect(line.amountMinor).toBeGreaterThan(0);
						expect(line.documentField1).toBe(line.source.paymentId);
					}
				},
			),
			{ numRuns: 400 },
		);
	});
});
