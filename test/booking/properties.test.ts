/**
 * Property tests over thousands of generated statements (consistent ones and ones whose components, statement
 * totals or reserve totals do not add up), in every chart, revenue mode and fee-line mode. The invariants are
 * checked on the output lines alone, by re-reading what each line does to the balance account.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import type { BookingLine } from '../../lib/booking-line';
import { bookItems, resolveChart } from '../../lib/booking';
import { balanceEffect, fromCents, type Json, netDebit } from './fixtures';
import { renderTemplate } from '../../lib/booking/text-fields';

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
		orderId: fc.constantFrom('', '576463220456522968', '576463220456522969', 'RE_2025-0001'),
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
	feeTypes: fc.constantFrom({}, { affiliate_commission_amount: { account: 'fees', taxKey: '506' }, vat_amount: { account: 'transit' }, transaction_fee_amount: { taxKey: '9' } }),
	adjustmentTypes: fc.constantFrom({}, { GMV_PAYMENT_FOR_ADS: { account: 'advertising' }, CHARGE_BACK: { account: '8200' } }),
	timeZone: fc.constantFrom('Europe/Berlin', 'UTC', 'America/New_York'),
});

/** +0 for −0, so that toBe (Object.is) compares amounts, not the sign of zero. */
const plain = (value: number): number => (value === 0 ? 0 : value);
const sum = (lines: readonly BookingLine[], balance: string): number =>
	plain(lines.reduce((total, line) => total + balanceEffect(line, balance), 0));

/** A plain assertion: jest's expect is too slow to call per line thousands of times. */
function check(condition: boolean, message: string | (() => string)): void {
	if (!condition) {
		throw new Error(typeof message === 'string' ? message : message());
	}
}

function checkSum(actual: number, expected: number | undefined, what: string): void {
	check(actual === expected, `${what}: booked ${actual}, expected ${expected}`);
}

describe('booking invariants on generated statements', () => {
	it('balances every transaction and statement, reconciles reserves, and keeps amounts positive integers', () => {
		fc.assert(
			fc.property(statementsArb, settingsArb, (statements, settings) => {
				const result = bookItems(
					statements.map((statement) => statement.json),
					settings,
				);
				const { balance, reserve } = resolveChart(settings.chart).accounts;

				for (const line of result.lines) {
					const where = () => JSON.stringify(line);
					check(Number.isSafeInteger(line.amountMinor) && line.amountMinor > 0, () => `amount not a positive integer: ${where()}`);
					// every line touches the TikTok balance account (booking model)
					check(line.account === balance || line.contraAccount === balance, () => `line misses the balance account: ${where()}`);
					check(/^[A-Za-z0-9$&%*+\-/]{1,36}$/.test(line.documentField1), () => `bad Belegfeld 1: ${where()}`);
					check(Array.from(line.text).length <= 60 && line.orderNumber.length <= 30, () => `text too long: ${where()}`);
				}

				for (const statement of statements) {
					const id = statement.json.id as string;
					const own = result.lines.filter((line) => line.source.statementId === id);
					for (const transaction of statement.transactions) {
						const transactionId = transaction.json.id as string;
						const lines = own.filter((line) => line.source.transactionId === transactionId);
						// balance lines per transaction sum to its settlement_amount (reserves lie outside it)
						const settled = lines.filter((line) => line.source.component !== 'reserve_amount');
						checkSum(sum(settled, balance), transaction.settlement, `transaction ${transactionId} settlement`);
						const reserved = lines.filter((line) => line.source.component === 'reserve_amount');
						checkSum(sum(reserved, balance), transaction.reserve, `transaction ${transactionId} reserve`);
					}
					// each statement reconciles to its settlement amount
					const settled = own.filter((line) => !RESERVE_COMPONENTS.has(line.source.component));
					checkSum(sum(settled, balance), statement.settlement, `statement ${id} settlement`);
					// reserve lines net to total_reserve_amount (or to the transactions' reserves when it is absent)
					const reserveLines = own.filter((line) => RESERVE_COMPONENTS.has(line.source.component));
					const expectedReserve = statement.totalReserve ?? statement.transactions.reduce((total, t) => total + t.reserve, 0);
					checkSum(sum(reserveLines, balance), expectedReserve, `statement ${id} reserve`);
					// the reserve account mirrors the reserve lines
					const reserveAmountLines = own.filter((line) => line.source.component === 'reserve_amount');
					checkSum(plain(netDebit(reserveAmountLines, reserve)), plain(-sum(reserveAmountLines, balance)), `reserve account of ${id}`);

					const summary = result.statements.find((entry) => entry.statementId === id);
					check(summary !== undefined, `no reconciliation for statement ${id}`);
					checkSum(summary?.tiktokSettlementMinor ?? NaN, statement.settlement, `summary of ${id}`);
					checkSum(summary?.differenceMinor ?? NaN, statement.settlement - (summary?.bookedMinor ?? NaN), `difference of ${id}`);
					const hasDifference = own.some((line) => DIFFERENCE_COMPONENTS.has(line.source.component));
					check(summary?.status === (hasDifference ? 'difference' : 'ok'), `status of ${id}`);
					check(!hasDifference || (summary?.warnings.length ?? 0) > 0, `difference without warning in ${id}`);
				}
			}),
			{ numRuns: 1300 },
		);
	});

	it('gives the same lines in the same order for the same input, whatever the transaction order', () => {
		fc.assert(
			fc.property(statementsArb, settingsArb, fc.nat(), (statements, settings, seed) => {
				const items = statements.map((statement) => statement.json);
				const first = JSON.stringify(bookItems(items, settings));
				const again = JSON.stringify(bookItems(JSON.parse(JSON.stringify(items)) as unknown[], settings));
				check(again === first, 'a second run differs');
				// paging order does not matter: reverse the statements and rotate each statement's transactions
				const reordered = [...items].reverse().map((item) => {
					const transactions = item.transactions as Json[];
					const shift = transactions.length === 0 ? 0 : seed % transactions.length;
					return { ...item, transactions: [...transactions.slice(shift), ...transactions.slice(0, shift)] };
				});
				const lines = bookItems(reordered, settings).lines;
				const original = (JSON.parse(first) as { lines: BookingLine[] }).lines;
				for (const statement of statements) {
					const id = statement.json.id as string;
					const of = (all: BookingLine[]) => JSON.stringify(all.filter((line) => line.source.statementId === id));
					check(of(lines) === of(original), `statement ${id} books differently after reordering`);
				}
			}),
			{ numRuns: 300 },
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
					const { balance, transit } = resolveChart(settings.chart).accounts;
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

/*
 * OPOS: the shop's invoicing books every invoice (and credit note) on the collective debtor under its invoice number;
 * the engine books TikTok's settlements against the same debtor. Whatever TikTok settles for an order — revenue,
 * the shipping the buyer paid, a refund of both, in any order of statements — the debtor nets to zero per invoice
 * number once all of it is settled. The invoices are computed here from the generated order facts, not by the engine.
 */
const orderArb = fc.record({
	subtotal: fc.integer({ min: 1, max: 500_000 }),
	sellerDiscount: fc.integer({ min: 0, max: 50 }),
	customerShipping: fc.constantFrom(0, 0, 299, 499, 1_250),
	actualShipping: fc.integer({ min: 0, max: 1_500 }),
	fee: fc.integer({ min: 0, max: 20_000 }),
	affiliate: fc.integer({ min: 0, max: 5_000 }),
	refunded: fc.boolean(),
	createTime: fc.integer({ min: 1_751_000_000, max: 1_751_500_000 }),
});

describe('OPOS: every order\'s debtor nets to zero once settled', () => {
	it('clears invoice and credit note amounts (revenue plus customer-paid shipping) under the invoice number', () => {
		fc.assert(
			fc.property(
				fc.array(orderArb, { minLength: 1, maxLength: 8 }),
				fc.constantFrom('SKR03' as const, 'SKR04' as const),
				fc.constantFrom(4, 5, 7),
				fc.constantFrom('{orderId}', 'RE-{orderId}'),
				fc.constantFrom('total', 'perFeeType'),
				(orders, chart, accountLength, invoiceNumber, feeLines) => {
					const sales: Json[] = [];
					const refunds: Json[] = [];
					const invoices = new Map<string, number>();
					orders.forEach((order, index) => {
						const orderId = `57646322045652${String(index).padStart(4, '0')}`;
						const revenue = order.subtotal - Math.floor((order.subtotal * order.sellerDiscount) / 100);
						const common = { type: 'ORDER', order_id: orderId, order_create_time: order.createTime };
						const sale = {
							...common,
							id: `1${index}0`,
							revenue_amount: fromCents(revenue),
							shipping_cost_amount: fromCents(order.customerShipping - order.actualShipping),
							shipping_cost_breakdown: {
								actual_shipping_fee_amount: fromCents(-order.actualShipping),
								customer_paid_shipping_fee_amount: fromCents(order.customerShipping),
							},
							fee_tax_amount: fromCents(-order.fee - order.affiliate),
							fee_tax_breakdown: {
								fee: { platform_commission_amount: fromCents(-order.fee), affiliate_commission_amount: fromCents(-order.affiliate) },
								tax: {},
							},
							settlement_amount: fromCents(revenue + order.customerShipping - order.actualShipping - order.fee - order.affiliate),
						};
						sales.push(sale);
						// What the buyer's invoice shows: goods after the seller's discount plus the shipping they paid.
						const number = renderTemplate(invoiceNumber, { orderId });
						let open = revenue + order.customerShipping;
						if (order.refunded) {
							refunds.push({
								...common,
								id: `1${index}1`,
								revenue_amount: fromCents(-revenue),
								shipping_cost_amount: fromCents(-order.customerShipping),
								shipping_cost_breakdown: { customer_paid_shipping_fee_amount: fromCents(-order.customerShipping) },
								fee_tax_amount: fromCents(order.fee),
								fee_tax_breakdown: { fee: { platform_commission_amount: fromCents(order.fee) }, tax: {} },
								settlement_amount: fromCents(-revenue - order.customerShipping + order.fee),
							});
							// The credit note under the same number.
							open -= revenue + order.customerShipping;
						}
						invoices.set(number, open);
					});
					const statement = (id: string, transactions: Json[], time: number): Json => ({
						id,
						statement_time: time,
						currency: 'EUR',
						settlement_amount: fromCents(transactions.reduce((total, t) => total + Math.round(Number(t.settlement_amount) * 100), 0)),
						transactions,
					});
					const result = bookItems(
						[statement('7200000000000000001', sales, 1_751_600_000), statement('7200000000000000002', refunds, 1_752_600_000)],
						{ chart, accountLength, revenueMode: 'collectiveDebtor', feeLines, templates: { invoiceNumber } },
					);
					// The default debtor 10000, widened to one digit more than the Sachkontenlänge.
					const debtor = `1${'0'.repeat(accountLength)}`;
					// Debtor balance per Belegfeld 1: the invoices' debits minus what the settlements credit.
					const open = new Map(invoices);
					for (const line of result.lines) {
						const credit = line.account === debtor ? (line.side === 'S' ? line.amountMinor : -line.amountMinor) : line.contraAccount === debtor ? (line.side === 'S' ? -line.amountMinor : line.amountMinor) : 0;
						if (credit !== 0) {
							open.set(line.documentField1, (open.get(line.documentField1) ?? 0) + credit);
						}
					}
					for (const [number, balance] of open) {
						check(plain(balance) === 0, () => `invoice ${number} stays open by ${balance} cents on debtor ${debtor}`);
					}
					check(result.warnings.length === 0, () => `unexpected warnings: ${result.warnings.join('; ')}`);
				},
			),
			{ numRuns: 500 },
		);
	});
});
