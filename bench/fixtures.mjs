// The data every bench uses: one month of a generated sandbox shop (settings.mjs: what it is booked with).
import { SEED } from './settings.mjs';
import { compactStatementItem, generateShopData } from './ts-modules.mjs';

export { BOOKING_SETTINGS, BOOKINGS_MONTH, CREATED_AT, DATEV_SETTINGS, SEED } from './settings.mjs';

/** Measured on the sandbox (seed 1): 10,000 orders settle as 10,386 transactions (refunds, chargebacks, reserves). */
const TRANSACTIONS_PER_ORDER = 1.0386;

export function ordersForTransactions(transactions) {
	return Math.max(1, Math.round(transactions / TRANSACTIONS_PER_ORDER));
}

function shiftMonth(month, delta) {
	const [year, number] = month.split('-').map(Number);
	const index = year * 12 + number - 1 + delta;
	return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The month before the current one (UTC), which the example workflow's "last month" selects. */
export function lastMonth(nowMs = Date.now()) {
	const now = new Date(nowMs);
	return shiftMonth(`${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`, -1);
}

/**
 * A shop whose data covers `month` completely: statements are stamped at 00:00 UTC of the day after the day they
 * cover, so the month's last statement is stamped on the 1st of the next month. The dataset's "now" is the 2nd of
 * the next month, 06:00 UTC, so that statement exists and the month's payouts are paid.
 */
export function monthShop({ month, ordersPerMonth, seed = SEED, dayCacheSize }) {
	const next = shiftMonth(month, 1);
	const [year, number] = next.split('-').map(Number);
	const data = generateShopData({ seed, from: month, to: next, ordersPerMonth, now: Date.UTC(year, number - 1, 2, 6), dayCacheSize });
	const [firstYear, firstNumber] = month.split('-').map(Number);
	const start = Date.UTC(firstYear, firstNumber - 1, 1) / 1000;
	const end = Date.UTC(year, number - 1, 1) / 1000;
	const day = 86_400;
	// What the example workflow fetches for "last month": statements covering a day of the month, PAID payouts
	// created in it (the node filters by the Berlin month; UTC is close enough for the bench's input).
	const statements = data.statements.filter((s) => s.statement_time >= start + day && s.statement_time < end + day);
	const payments = data.payments.filter((p) => p.create_time >= start && p.create_time < end && p.status === 'PAID');
	return { data, statements, payments };
}

/** TikTok's page size for a statement's transactions. */
const PAGE = 100;

/**
 * One statement item as TikTok Payments version 2 outputs it ("Booking input (compact)"): the statement with its
 * totals and all its transactions, fetched and compacted page by page, so that a day's raw transactions never exist
 * at once (what lib/fetch/records.ts does with TikTok's pages). The same JSON as compacting `statementItem`.
 */
export function compactItem(shop, statement) {
	const first = shop.data.statementTransactions(statement.id, { offset: 0, limit: 1 });
	const transactions = [];
	for (let offset = 0; ; offset += PAGE) {
		const page = shop.data.statementTransactions(statement.id, { offset, limit: PAGE }).transactions;
		for (const transaction of page) transactions.push(compactStatementItem({ transactions: [transaction] }).transactions[0]);
		if (page.length < PAGE) break;
	}
	return compactStatementItem({
		...statement,
		total_settlement_amount: first.total_settlement_amount,
		total_reserve_amount: first.total_reserve_amount,
		payable_amount: first.payable_amount,
		transactions,
	});
}
