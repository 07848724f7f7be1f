import { describe, expect, it } from '@jest/globals';
import { generateShopData, type ShopData, type StatementItemJson } from '../../sandbox/generate';
import { ADJUSTMENT_TYPES } from '../../sandbox/shop-model';
import { cents, sumLeaves } from './helpers';

const DAY = 86_400;

function items(data: ShopData): StatementItemJson[] {
	return data.statements.map((statement) => data.statementItem(statement.id) as StatementItemJson);
}

/**
 * Every reconciliation identity of reference §4.7 and the booking model, in integer cents. Returns the broken ones
 * (plain comparisons: thousands of expect() calls per statement would dominate the run time).
 */
function reconciliationErrors(item: StatementItemJson): string[] {
	const errors: string[] = [];
	const check = (what: string, actual: number, expected: number) => {
		if (actual !== expected) errors.push(`${item.id} ${what}: ${actual} != ${expected}`);
	};
	const sum = { settlement: 0, reserve: 0, revenue: 0, shipping: 0, feeTax: 0, adjustment: 0 };
	for (const tx of item.transactions) {
		const [revenue, shipping, feeTax, adjustment] = [
			tx.revenue_amount,
			tx.shipping_cost_amount,
			tx.fee_tax_amount,
			tx.adjustment_amount,
		].map(cents);
		check(`${tx.id} settlement`, cents(tx.settlement_amount), revenue + shipping + feeTax + adjustment);
		if (tx.revenue_breakdown) check(`${tx.id} revenue_breakdown`, sumLeaves(tx.revenue_breakdown), revenue);
		if (tx.shipping_cost_breakdown) {
			check(`${tx.id} shipping_cost_breakdown`, sumLeaves(tx.shipping_cost_breakdown), shipping);
		}
		if (tx.fee_tax_breakdown) {
			const { fee, tax } = tx.fee_tax_breakdown;
			check(`${tx.id} fee_tax_breakdown`, sumLeaves(fee) + sumLeaves(tax), feeTax);
		}
		sum.settlement += cents(tx.settlement_amount);
		sum.reserve += cents(tx.reserve_amount);
		sum.revenue += revenue;
		sum.shipping += shipping;
		sum.feeTax += feeTax;
		sum.adjustment += adjustment;
	}
	const breakdown = item.total_settlement_breakdown;
	check('settlement_amount', cents(item.settlement_amount), sum.settlement);
	check('total_settlement_amount', cents(item.total_settlement_amount), sum.settlement);
	check('total_reserve_amount', cents(item.total_reserve_amount), sum.reserve);
	check('payable_amount', cents(item.payable_amount), sum.settlement + sum.reserve);
	check('total_revenue_amount', cents(breakdown.total_revenue_amount), sum.revenue);
	check('total_shipping_cost_amount', cents(breakdown.total_shipping_cost_amount), sum.shipping);
	check('total_fee_tax_amount', cents(breakdown.total_fee_tax_amount), sum.feeTax);
	check('total_adjustment_amount', cents(breakdown.total_adjustment_amount), sum.adjustment);
	check('revenue_amount', cents(item.revenue_amount), sum.revenue);
	check('shipping_cost_amount', cents(item.shipping_cost_amount), sum.shipping);
	check('fee_amount', cents(item.fee_amount), sum.feeTax);
	check('adjustment_amount', cents(item.adjustment_amount), sum.adjustment);
	check(
		'net sales formula',
		cents(item.settlement_amount),
		cents(item.net_sales_amount) + sum.shipping + sum.feeTax + sum.adjustment,
	);
	return errors;
}

describe('generateShopData', () => {
	it('is deterministic: the same seed gives identical data, another seed different data', () => {
		const options = { seed: 42, from: '2025-01', to: '2025-02', ordersPerMonth: 150 };
		const a = generateShopData(options);
		const b = generateShopData(options);
		const c = generateShopData({ ...options, seed: 43 });
		expect(JSON.stringify(items(a))).toBe(JSON.stringify(items(b)));
		expect(b.payments).toEqual(a.payments);
		expect(b.withdrawals).toEqual(a.withdrawals);
		expect(b.unsettledTransactions()).toEqual(a.unsettledTransactions());
		expect(b.shop).toEqual(a.shop);
		expect(c.shop.cipher).not.toBe(a.shop.cipher);
		expect(JSON.stringify(items(c))).not.toBe(JSON.stringify(items(a)));
	});

	it.each([
		[3, '2024-11', '2025-02'],
		[120, '2025-01', '2025-04'],
		[1000, '2025-05', '2025-06'],
	])('reconciles every statement exactly (%i orders/month, %s..%s)', (ordersPerMonth, from, to) => {
		const data = generateShopData({ seed: ordersPerMonth, from, to, ordersPerMonth });
		expect(data.statements.length).toBeGreaterThan(0);
		expect(items(data).flatMap(reconciliationErrors)).toEqual([]);
	});

	it('generates exactly ordersPerMonth sales per month, stamped at 00:00 UTC, created before their statement', () => {
		for (const ordersPerMonth of [7, 400]) {
			const data = generateShopData({ seed: 5, from: '2025-01', to: '2025-03', ordersPerMonth });
			const sales = new Map<string, number>();
			for (const item of items(data)) {
				expect(item.statement_time % DAY).toBe(0);
				expect(item.currency).toBe('EUR');
				const month = new Date(item.statement_time * 1000).toISOString().slice(0, 7);
				const late = item.transactions.filter((tx) => tx.order_create_time >= item.statement_time - DAY);
				expect(late).toEqual([]);
				for (const tx of item.transactions) {
					if (tx.type === 'ORDER' && cents(tx.revenue_amount) > 0) sales.set(month, (sales.get(month) ?? 0) + 1);
				}
			}
			expect(Object.fromEntries(sales)).toEqual({
				'2025-01': ordersPerMonth,
				'2025-02': ordersPerMonth,
				'2025-03': ordersPerMonth,
			});
		}
	});

	it('scales to 100,000 orders a month, building transactions only on demand', () => {
		const data = generateShopData({ seed: 9, from: '2025-03', to: '2025-03', ordersPerMonth: 100_000 });
		expect(data.statements).toHaveLength(31);
		for (const statement of [data.statements[0], data.statements[30]]) {
			const page = data.statementTransactions(statement.id, { offset: 3000, limit: 100 });
			expect(page?.transactions).toHaveLength(100);
			expect(page?.total_count).toBeGreaterThan(100_000 / 31);
		}
		expect(reconciliationErrors(data.statementItem(data.statements[10].id) as StatementItemJson)).toEqual([]);
	});

	it('pays statements with payments whose amount = settlement + reserve = Σ payable of the statements paid', () => {
		const data = generateShopData({ seed: 11, from: '2025-01', to: '2025-04', ordersPerMonth: 60 });
		const byPayment = new Map<string, StatementItemJson[]>();
		for (const item of items(data)) {
			if (item.payment_id === '') {
				expect(item.payment_status).toBe('PROCESSING');
				continue;
			}
			byPayment.set(item.payment_id, [...(byPayment.get(item.payment_id) ?? []), item]);
		}
		expect(byPayment.size).toBe(data.payments.length);
		expect([...byPayment.values()].some((paid) => paid.length > 1)).toBe(true);
		for (const payment of data.payments) {
			const paid = byPayment.get(payment.id) ?? [];
			const settlement = paid.reduce((sum, item) => sum + cents(item.total_settlement_amount), 0);
			const reserve = paid.reduce((sum, item) => sum + cents(item.total_reserve_amount), 0);
			expect(cents(payment.settlement_amount.value)).toBe(settlement);
			expect(cents(payment.reserve_amount.value)).toBe(reserve);
			expect(cents(payment.amount.value)).toBe(settlement + reserve);
			expect(payment.amount.value).toBe(payment.payment_amount_before_exchange.value);
			expect(payment.exchange_rate).toBe('1.000000');
			expect(payment.bank_account).toMatch(/^\*{11}\d{4}$/);
			expect(payment.create_time).toBeGreaterThan(Math.max(...paid.map((item) => item.statement_time)));
			for (const item of paid) expect(item.payment_status).toBe(payment.status);
			if (payment.status === 'PAID') expect(payment.paid_time).toBeGreaterThan(payment.create_time);
			else expect(payment.paid_time).toBe(0);
		}
		const statuses = data.payments.map((payment) => payment.status);
		expect(statuses).toContain('FAILED');
		expect(statuses.slice(0, 3)).toEqual(['PAID', 'PAID', 'PAID']);
		expect(data.statements.at(-1)?.payment_status).toBe('PROCESSING');
	});

	it('tells one consistent story as `now` moves: statements appear, statuses only progress', () => {
		const at = (iso: string) =>
			generateShopData({ seed: 6, from: '2025-01', to: '2025-04', ordersPerMonth: 80, now: Date.parse(iso) });
		const snapshots = [
			'2025-02-10T06:00:00Z',
			'2025-03-01T12:00:00Z',
			'2025-03-20T00:00:00Z',
			'2025-05-01T00:00:00Z',
		].map(at);
		const rank = { PROCESSING: 0, PAID: 1, FAILED: 1 };
		for (let i = 1; i < snapshots.length; i++) {
			const [before, after] = [snapshots[i - 1], snapshots[i]];
			expect(after.statements.length).toBeGreaterThan(before.statements.length);
			const later = new Map(after.statements.map((statement) => [statement.id, statement]));
			for (const old of before.statements) {
				const now = later.get(old.id);
				expect(now?.settlement_amount).toBe(old.settlement_amount);
				if (old.payment_id !== '') expect(now?.payment_id).toBe(old.payment_id);
				expect(rank[now?.payment_status ?? 'PROCESSING']).toBeGreaterThanOrEqual(rank[old.payment_status]);
				if (old.payment_status !== 'PROCESSING') expect(now?.payment_status).toBe(old.payment_status);
			}
		}
		const failed = snapshots.map((data) =>
			data.payments.filter((payment) => payment.status === 'FAILED').map((p) => p.id),
		);
		expect(failed[0]).toEqual([]);
		expect(failed[3]).toHaveLength(1);
		expect(failed[2]).toEqual(failed[3]);
	});

	it('withholds reserves and releases them later, and emits known and unknown adjustment types', () => {
		const data = generateShopData({ seed: 3, from: '2025-01', to: '2025-04', ordersPerMonth: 200 });
		const withheld = new Map<string, { amount: number; release: number }>();
		const released = new Map<string, { amount: number; time: number }>();
		const types = new Set<string>();
		let refunds = 0;
		for (const item of items(data)) {
			for (const tx of item.transactions) {
				types.add(tx.type);
				if (tx.type === 'ORDER' && cents(tx.revenue_amount) < 0) refunds += 1;
				if (tx.type !== 'RESERVE') continue;
				expect(cents(tx.settlement_amount)).toBe(0);
				if (tx.reserve_status === 'COLLECTED') {
					expect(cents(tx.reserve_amount)).toBeLessThan(0);
					withheld.set(tx.reserve_id, { amount: cents(tx.reserve_amount), release: Number(tx.estimated_release_time) });
				} else {
					expect(tx.reserve_status).toBe('RELEASED');
					expect(tx.estimated_release_time).toBe('');
					released.set(tx.reserve_id, { amount: cents(tx.reserve_amount), time: item.statement_time });
				}
			}
		}
		expect(released.size).toBeGreaterThan(0);
		for (const [id, release] of released) {
			const origin = withheld.get(id);
			expect(origin?.amount).toBe(-release.amount);
			expect(release.time - DAY).toBeLessThanOrEqual(origin?.release ?? 0);
			expect(release.time).toBeGreaterThan(origin?.release ?? Infinity);
		}
		expect(refunds).toBeGreaterThan(0);
		// NEW_PROGRAM_BONUS is invented: the booking engine must route a type it cannot know to clearing.
		expect(types).toContain('NEW_PROGRAM_BONUS');
		for (const type of ADJUSTMENT_TYPES) {
			expect(types).toContain(type);
		}
	});

	it('serves orders by id with SKU lines per statement, and unsettled recent orders with estimates', () => {
		const data = generateShopData({ seed: 4, from: '2025-02', to: '2025-03', ordersPerMonth: 300 });
		const item = data.statementItem(data.statements[5].id) as StatementItemJson;
		const sale = item.transactions.find((tx) => tx.type === 'ORDER' && cents(tx.revenue_amount) > 0);
		const order = data.orderTransactions(sale?.order_id ?? '');
		expect(order?.sku_transactions[0].statement_id).toBe(item.id);
		expect(order?.sku_transactions[0].revenue_amount).toBe(sale?.revenue_amount);
		expect(data.orderTransactions('570000000000000000')).toBeUndefined();

		const unsettled = data.unsettledTransactions();
		expect(unsettled.total_count).toBeGreaterThan(0);
		const nowSeconds = data.now / 1000;
		let sum = 0;
		for (const tx of unsettled.transactions) {
			expect(tx.status).toBe('UNSETTLED');
			expect(tx.order_create_time).toBeLessThanOrEqual(nowSeconds);
			expect(data.orderTransactions(tx.order_id)?.total_count).toBe(0);
			sum += cents(tx.est_settlement_amount);
		}
		expect(cents(unsettled.sum_est_settlement_amount)).toBe(sum);
		expect(data.withdrawals.length).toBeGreaterThanOrEqual(3);
	});

	it('rejects months before finance data exists and reversed ranges', () => {
		expect(() => generateShopData({ seed: 1, from: '2023-06', to: '2023-08', ordersPerMonth: 1 })).toThrow(/2023-07/);
		expect(() => generateShopData({ seed: 1, from: '2025-03', to: '2025-01', ordersPerMonth: 1 })).toThrow();
		expect(() => generateShopData({ seed: 1, from: '2025-13', to: '2025-13', ordersPerMonth: 1 })).toThrow();
	});
});
