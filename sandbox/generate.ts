/*
 * A German TikTok shop (EUR, Europe/Berlin, LOCAL seller) over whole months, generated deterministically from a seed.
 * Statement summaries, payments and withdrawals are computed up front (one record per day, small); the transactions
 * behind a statement are rebuilt on demand from the per-day model, so 100k orders a month stay cheap.
 *
 * Money rules (reference §4.7), all in integer cents:
 * - transaction settlement = revenue + shipping_cost + fee_tax + adjustment (signed sum);
 * - statement settlement = Σ transaction settlement; total_reserve = Σ reserve; payable = settlement + reserve;
 * - payment amount = Σ payable of the statements it pays = settlement_amount + reserve_amount.
 */
import { formatMinor, parseMinor } from '../lib/money';
import { DAY_MS, DAY_SECONDS, formatMonth, monthFirstDay, nextMonth, parseMonth, type Month } from './calendar';
import { hash32, hashDigits, Rng } from './random';
import { type Breakdowns, breakdowns, renderTransaction, type TransactionJson } from './render';
import {
	addTotals,
	byCreateTimeThenId,
	ShopModel,
	type Totals,
	totalsOf,
	type TxFacts,
	zeroTotals,
} from './shop-model';

export const CURRENCY = 'EUR';
export const TIME_ZONE = 'Europe/Berlin';
/** Finance data exists only from 2023-07-01 (reference §5.5). */
const EARLIEST_MONTH = '2023-07';

export interface GenerateOptions {
	seed: number;
	/** First month (YYYY-MM) whose statements are generated. */
	from: string;
	/** Last month (YYYY-MM), inclusive. */
	to: string;
	/** Orders settled per month (exact); 0 leaves only adjustments. */
	ordersPerMonth: number;
	/**
	 * The dataset's "now" in ms: statements stamped later do not exist yet, payments not paid by then are
	 * PROCESSING, orders created by then but settling later are unsettled. Default: 06:00 UTC on the day of the last
	 * statement of `to`.
	 */
	now?: number;
	/** A payment is made once the payable of the statements waiting for one reaches this. Default 5000 (50.00). */
	minPayoutMinor?: number;
	/**
	 * Make the first payment initiated after the middle of [from, to] fail (it and its statements FAILED once its
	 * paid time has passed). Independent of `now`, so datasets generated for successive `now`s tell one consistent
	 * story. Default true.
	 */
	failedPayment?: boolean;
	/** Statement days kept built for paging (default 32); fewer keep less in memory when days are read one by one. */
	dayCacheSize?: number;
	/** The shop's name (default "Naturkosmetik Sandbox DE"), to tell several shops of one authorization apart. */
	shopName?: string;
}

export interface ShopProfile {
	id: string;
	name: string;
	region: 'DE';
	seller_type: 'LOCAL';
	cipher: string;
	code: string;
	currency: typeof CURRENCY;
	timeZone: typeof TIME_ZONE;
	openId: string;
	sellerName: string;
}

export type PaymentStatus = 'PAID' | 'PROCESSING' | 'FAILED';

export interface StatementJson {
	id: string;
	statement_time: number;
	currency: string;
	settlement_amount: string;
	revenue_amount: string;
	net_sales_amount: string;
	shipping_cost_amount: string;
	fee_amount: string;
	adjustment_amount: string;
	payment_status: PaymentStatus;
	/** Empty while no payment has been initiated for the statement. */
	payment_id: string;
}

export interface MoneyJson {
	value: string;
	currency: string;
}

export interface PaymentJson {
	id: string;
	create_time: number;
	/** 0 until paid. */
	paid_time: number;
	status: PaymentStatus;
	amount: MoneyJson;
	settlement_amount: MoneyJson;
	reserve_amount: MoneyJson;
	payment_amount_before_exchange: MoneyJson;
	exchange_rate: string;
	bank_account: string;
}

export interface WithdrawalJson {
	id: string;
	type: 'WITHDRAW' | 'SETTLE' | 'TRANSFER' | 'REVERSE';
	amount: string;
	currency: string;
	status: 'PROCESSING' | 'SUCCESS' | 'FAILED';
	create_time: number;
}

export interface SettlementBreakdownJson {
	total_revenue_amount: string;
	total_shipping_cost_amount: string;
	total_fee_tax_amount: string;
	total_adjustment_amount: string;
}

/** `data` of Get Transactions by Statement 202501, without paging fields. */
export interface StatementTransactionsJson {
	id: string;
	create_time: number;
	status: 'SETTLED';
	currency: string;
	payable_amount: string;
	total_reserve_amount: string;
	total_settlement_amount: string;
	total_settlement_breakdown: SettlementBreakdownJson;
	total_count: number;
	transactions: TransactionJson[];
}

/** The Map node's statement item (team contract): the statement plus its 202501 totals and all transactions. */
export interface StatementItemJson extends StatementJson {
	total_settlement_amount: string;
	total_reserve_amount: string;
	payable_amount: string;
	total_settlement_breakdown: SettlementBreakdownJson;
	transactions: TransactionJson[];
}

export interface SkuTransactionJson extends Breakdowns {
	sku_id: string;
	sku_name: string;
	product_name: string;
	quantity: string;
	statement_id: string;
	settlement_amount: string;
	revenue_amount: string;
	shipping_cost_amount: string;
	fee_tax_amount: string;
}

export interface OrderTransactionsJson {
	order_id: string;
	order_create_time: number;
	currency: string;
	revenue_amount: string;
	fee_and_tax_amount: string;
	shipping_cost_amount: string;
	settlement_amount: string;
	total_count: number;
	sku_transactions: SkuTransactionJson[];
}

export interface UnsettledTransactionJson extends Breakdowns {
	id: string;
	type: 'ORDER';
	status: 'UNSETTLED';
	currency: string;
	estimated_settlement: string;
	unsettled_reason: string;
	order_id: string;
	order_create_time: number;
	order_delivery_time: number;
	adjustment_id: string;
	adjustment_order_id: string;
	est_adjustment_amount: string;
	est_settlement_amount: string;
	est_revenue_amount: string;
	est_shipping_cost_amount: string;
	est_fee_tax_amount: string;
}

export interface UnsettledJson {
	total_count: number;
	sum_est_settlement_amount: string;
	sum_est_revenue_amount: string;
	sum_est_adjustment_amount: string;
	sum_est_fee_amount: string;
	transactions: UnsettledTransactionJson[];
}

export interface PageRequest {
	offset: number;
	limit: number;
	descending?: boolean;
}

/** Unix-second window [ge, lt). */
export interface TimeWindow {
	ge: number;
	lt: number;
}

export interface ShopData {
	readonly seed: number;
	readonly from: string;
	readonly to: string;
	readonly ordersPerMonth: number;
	/** The dataset's "now" in ms (see GenerateOptions.now). */
	readonly now: number;
	readonly shop: ShopProfile;
	/** Get Statements records, ascending by statement_time. */
	readonly statements: readonly StatementJson[];
	/** Get Payments (202309) records, ascending by create_time. */
	readonly payments: readonly PaymentJson[];
	/** Get Withdrawals records, ascending by create_time. */
	readonly withdrawals: readonly WithdrawalJson[];
	/** Get Transactions by Statement data for one statement: all transactions, or one page of them. */
	statementTransactions(statementId: string, page?: PageRequest): StatementTransactionsJson | undefined;
	statementItem(statementId: string): StatementItemJson | undefined;
	/** Get Transactions by Order data; undefined for an order id this shop never issued. */
	orderTransactions(orderId: string): OrderTransactionsJson | undefined;
	/** Get Unsettled Transactions data over orders created in `window` (default: all), optionally one page. */
	unsettledTransactions(window?: Partial<TimeWindow>, page?: PageRequest): UnsettledJson;
}

const PAYMENT_SALT = 101;
const SHOP_SALT = 102;
const WITHDRAWAL_SALT = 103;
/** Orders settle up to 13 days after creation, so that many future statement days hold unsettled orders. */
const UNSETTLED_HORIZON_DAYS = 13;
/**
 * Statement days (and unsettled search windows) kept built for paging, by default. Clients page through several
 * statements at once (the TikTok node fetches up to 16), so a month of days is kept: fewer would rebuild a day for
 * almost every page.
 */
const DAY_CACHE_SIZE = 32;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

interface UnsettledRow {
	row: TxFacts;
	/** The statement day that will settle it. */
	day: number;
}

interface StatementRecord {
	day: number;
	json: StatementJson;
	totals: Totals;
}

export function generateShopData(options: GenerateOptions): ShopData {
	return new GeneratedShop(options);
}

const fromDay = (day: number): number => day * DAY_SECONDS;

function alphanumeric(rng: Rng, length: number, alphabet = ALPHANUMERIC): string {
	let text = '';
	for (let i = 0; i < length; i++) text += alphabet[rng.int(0, alphabet.length - 1)];
	return text;
}

function money(minor: number): string {
	return formatMinor(minor, CURRENCY);
}

function moneyValue(minor: number): MoneyJson {
	return { value: money(minor), currency: CURRENCY };
}

function settlementBreakdown(totals: Totals): SettlementBreakdownJson {
	return {
		total_revenue_amount: money(totals.revenue),
		total_shipping_cost_amount: money(totals.shipping),
		total_fee_tax_amount: money(totals.feeTax),
		total_adjustment_amount: money(totals.adjustment),
	};
}

function slice<T>(rows: readonly T[], page: PageRequest | undefined): T[] {
	const ordered = page?.descending ? [...rows].reverse() : rows;
	return page ? ordered.slice(page.offset, page.offset + page.limit) : [...ordered];
}

class GeneratedShop implements ShopData {
	readonly seed: number;
	readonly from: string;
	readonly to: string;
	readonly ordersPerMonth: number;
	readonly now: number;
	readonly shop: ShopProfile;
	readonly statements: StatementJson[] = [];
	readonly payments: PaymentJson[] = [];
	readonly withdrawals: WithdrawalJson[] = [];

	private readonly model: ShopModel;
	private readonly records = new Map<string, StatementRecord>();
	/** Last statement day that exists at `now`. */
	private readonly lastDay: number;
	private readonly dayCache = new Map<number, TxFacts[]>();
	private readonly dayCacheSize: number;
	private unsettledIndex: UnsettledRow[] | undefined;
	private readonly unsettledWindows = new Map<string, { rows: UnsettledRow[]; sum: Totals }>();

	constructor(options: GenerateOptions) {
		const first = parseMonth(options.from);
		const last = parseMonth(options.to);
		if (options.from < EARLIEST_MONTH) throw new Error(`finance data starts in ${EARLIEST_MONTH}`);
		if (options.to < options.from) throw new Error(`"to" (${options.to}) is before "from" (${options.from})`);
		this.seed = options.seed;
		this.dayCacheSize = options.dayCacheSize ?? DAY_CACHE_SIZE;
		this.from = formatMonth(first);
		this.to = formatMonth(last);
		this.ordersPerMonth = options.ordersPerMonth;
		const firstDay = monthFirstDay(first);
		const endDay = monthFirstDay(nextMonth(last)) - 1;
		this.now = options.now ?? endDay * DAY_MS + 6 * 3_600_000;
		this.lastDay = Math.min(endDay, Math.floor(this.now / DAY_MS));
		this.model = new ShopModel({ seed: options.seed, ordersPerMonth: options.ordersPerMonth, firstDay });
		this.shop = this.makeShop(options.shopName ?? 'Naturkosmetik Sandbox DE');

		for (let day = firstDay; day <= this.lastDay; day++) {
			const totals = zeroTotals();
			let count = 0;
			this.model.eachTransactionOn(day, (row) => {
				addTotals(totals, totalsOf(row));
				count += 1;
			});
			if (count === 0) continue;
			const json: StatementJson = {
				id: this.model.statementId(day),
				statement_time: fromDay(day),
				currency: CURRENCY,
				settlement_amount: money(totals.settlement),
				revenue_amount: money(totals.revenue),
				net_sales_amount: money(totals.revenue),
				shipping_cost_amount: money(totals.shipping),
				fee_amount: money(totals.feeTax),
				adjustment_amount: money(totals.adjustment),
				payment_status: 'PROCESSING',
				payment_id: '',
			};
			this.statements.push(json);
			this.records.set(json.id, { day, json, totals });
		}
		const failAfter = (options.failedPayment ?? true) ? fromDay(Math.floor((firstDay + endDay) / 2)) : Infinity;
		this.makePayments(options.minPayoutMinor ?? 5000, failAfter);
		this.makeWithdrawals(first, last);
	}

	private get nowSeconds(): number {
		return Math.floor(this.now / 1000);
	}

	private makeShop(name: string): ShopProfile {
		const rng = new Rng(hash32(this.seed, SHOP_SALT));
		return {
			id: `7495${rng.digits(15)}`,
			name,
			region: 'DE',
			seller_type: 'LOCAL',
			cipher: `ROW_${alphanumeric(rng, 32)}`,
			code: `DELC${alphanumeric(rng, 8, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`,
			currency: CURRENCY,
			timeZone: TIME_ZONE,
			openId: `70${rng.digits(17)}`,
			sellerName: 'Sandbox Naturkosmetik GmbH',
		};
	}

	/**
	 * Statements wait for a payment until their payable adds up to the minimum payout; then one payment pays all of
	 * them, initiated a few hours after the last one closes and paid one to two days later.
	 */
	private makePayments(minPayout: number, failAfter: number): void {
		const bankAccount = '*'.repeat(11) + hashDigits(4, this.seed, PAYMENT_SALT);
		const groups: StatementRecord[][] = [];
		let waiting: StatementRecord[] = [];
		let payable = 0;
		for (const json of this.statements) {
			const record = this.records.get(json.id) as StatementRecord;
			waiting.push(record);
			payable += record.totals.settlement + record.totals.reserve;
			if (payable >= minPayout) {
				groups.push(waiting);
				waiting = [];
				payable = 0;
			}
		}
		for (const group of groups) {
			const lastDay = group[group.length - 1].day;
			const rng = new Rng(hash32(this.seed, PAYMENT_SALT, lastDay));
			const createTime = fromDay(lastDay) + rng.int(2 * 3600, 10 * 3600);
			if (createTime > this.nowSeconds) break;
			const paidTime = createTime + rng.int(DAY_SECONDS, 2 * DAY_SECONDS);
			const sum = zeroTotals();
			for (const record of group) addTotals(sum, record.totals);
			const payment: PaymentJson = {
				id: `345${String(lastDay).padStart(6, '0')}${hashDigits(10, this.seed, PAYMENT_SALT, lastDay, 1)}`,
				create_time: createTime,
				paid_time: paidTime <= this.nowSeconds ? paidTime : 0,
				status: paidTime <= this.nowSeconds ? 'PAID' : 'PROCESSING',
				amount: moneyValue(sum.settlement + sum.reserve),
				settlement_amount: moneyValue(sum.settlement),
				reserve_amount: moneyValue(sum.reserve),
				payment_amount_before_exchange: moneyValue(sum.settlement + sum.reserve),
				exchange_rate: '1.000000',
				bank_account: bankAccount,
			};
			this.payments.push(payment);
			for (const record of group) record.json.payment_id = payment.id;
		}
		const failing = this.payments.find((payment) => payment.create_time >= failAfter);
		if (failing?.status === 'PAID') {
			failing.status = 'FAILED';
			failing.paid_time = 0;
		}
		const statusById = new Map(this.payments.map((payment) => [payment.id, payment.status]));
		for (const json of this.statements) json.payment_status = statusById.get(json.payment_id) ?? 'PROCESSING';
	}

	/** A few records: a monthly SETTLE of what was paid, one TRANSFER and one failed WITHDRAW with its REVERSE. */
	private makeWithdrawals(first: Month, last: Month): void {
		const rng = new Rng(hash32(this.seed, WITHDRAWAL_SALT));
		const add = (type: WithdrawalJson['type'], amount: number, status: WithdrawalJson['status'], time: number) => {
			if (time > this.nowSeconds) return;
			this.withdrawals.push({
				id: alphanumeric(rng, 23, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'),
				type,
				amount: money(amount),
				currency: CURRENCY,
				status,
				create_time: time,
			});
		};
		const firstDay = monthFirstDay(first);
		add('TRANSFER', rng.int(500, 2500), 'SUCCESS', fromDay(firstDay + 9) + 3600);
		add('WITHDRAW', 10_000, 'FAILED', fromDay(firstDay + 12) + 7200);
		add('REVERSE', 10_000, 'SUCCESS', fromDay(firstDay + 13) + 7200);
		for (let month = first; formatMonth(month) <= formatMonth(last); month = nextMonth(month)) {
			const start = fromDay(monthFirstDay(month));
			const end = fromDay(monthFirstDay(nextMonth(month)));
			let paid = 0;
			for (const payment of this.payments) {
				if (payment.status === 'PAID' && payment.create_time >= start && payment.create_time < end) {
					paid += parseMinor(payment.amount.value, CURRENCY);
				}
			}
			if (paid > 0) add('SETTLE', paid, end <= this.nowSeconds ? 'SUCCESS' : 'PROCESSING', end - 3600);
		}
		this.withdrawals.sort((a, b) => a.create_time - b.create_time);
	}

	private rowsOf(day: number): TxFacts[] {
		let rows = this.dayCache.get(day);
		if (!rows) {
			rows = this.model.transactionsOn(day).sort(byCreateTimeThenId);
			if (this.dayCache.size >= this.dayCacheSize) {
				this.dayCache.delete(this.dayCache.keys().next().value as number);
			}
			this.dayCache.set(day, rows);
		}
		return rows;
	}

	statementTransactions(statementId: string, page?: PageRequest): StatementTransactionsJson | undefined {
		const record = this.records.get(statementId);
		if (!record) return undefined;
		const rows = this.rowsOf(record.day);
		const { totals } = record;
		return {
			id: statementId,
			create_time: record.json.statement_time,
			status: 'SETTLED',
			currency: CURRENCY,
			payable_amount: money(totals.settlement + totals.reserve),
			total_reserve_amount: money(totals.reserve),
			total_settlement_amount: money(totals.settlement),
			total_settlement_breakdown: settlementBreakdown(totals),
			total_count: rows.length,
			transactions: slice(rows, page).map((row) => renderTransaction(row, CURRENCY)),
		};
	}

	statementItem(statementId: string): StatementItemJson | undefined {
		const detail = this.statementTransactions(statementId);
		const record = this.records.get(statementId);
		if (!detail || !record) return undefined;
		return {
			...record.json,
			total_settlement_amount: detail.total_settlement_amount,
			total_reserve_amount: detail.total_reserve_amount,
			payable_amount: detail.payable_amount,
			total_settlement_breakdown: detail.total_settlement_breakdown,
			transactions: detail.transactions,
		};
	}

	orderTransactions(orderId: string): OrderTransactionsJson | undefined {
		const position = this.model.parseOrderId(orderId);
		if (!position) return undefined;
		const sale = this.model.order(position.day, position.index);
		const lines: Array<{ row: TxFacts; day: number }> = [];
		if (position.day <= this.lastDay) lines.push({ row: sale, day: position.day });
		const refundDay = this.model.refundDay(position.day, position.index);
		if (refundDay !== undefined && refundDay <= this.lastDay) {
			lines.push({ row: this.model.refund(refundDay, 0, position.day, position.index), day: refundDay });
		}
		const sum = zeroTotals();
		const skuTransactions = lines.map(({ row, day }): SkuTransactionJson => {
			const totals = totalsOf(row);
			addTotals(sum, totals);
			return {
				sku_id: row.sku?.product.skuId ?? '',
				sku_name: row.sku?.product.skuName ?? '',
				product_name: row.sku?.product.name ?? '',
				quantity: String(row.sku?.quantity ?? 0),
				statement_id: this.model.statementId(day),
				// By-order totals leave order-level adjustments out (202501 removed adjustment_amount here).
				settlement_amount: money(totals.revenue + totals.shipping + totals.feeTax),
				revenue_amount: money(totals.revenue),
				shipping_cost_amount: money(totals.shipping),
				fee_tax_amount: money(totals.feeTax),
				...breakdowns(row, CURRENCY),
			};
		});
		return {
			order_id: orderId,
			order_create_time: sale.orderCreateTime,
			currency: CURRENCY,
			revenue_amount: money(sum.revenue),
			fee_and_tax_amount: money(sum.feeTax),
			shipping_cost_amount: money(sum.shipping),
			settlement_amount: money(sum.revenue + sum.shipping + sum.feeTax),
			total_count: skuTransactions.length,
			sku_transactions: skuTransactions,
		};
	}

	/** Orders created by `now` whose statement day is still to come. */
	private unsettledRows(): UnsettledRow[] {
		if (!this.unsettledIndex) {
			const rows: UnsettledRow[] = [];
			for (let day = this.lastDay + 1; day <= this.lastDay + UNSETTLED_HORIZON_DAYS; day++) {
				const count = this.model.ordersOn(day);
				for (let index = 0; index < count; index++) {
					const row = this.model.order(day, index);
					if (row.orderCreateTime <= this.nowSeconds) rows.push({ row, day });
				}
			}
			this.unsettledIndex = rows.sort((a, b) => byCreateTimeThenId(a.row, b.row));
		}
		return this.unsettledIndex;
	}

	/** Rows and sums of one search window, cached: clients page through the same window many times. */
	private unsettledWindow(ge: number, lt: number): { rows: UnsettledRow[]; sum: Totals } {
		const key = `${ge}:${lt}`;
		let window = this.unsettledWindows.get(key);
		if (!window) {
			const rows = this.unsettledRows().filter(({ row }) => row.orderCreateTime >= ge && row.orderCreateTime < lt);
			const sum = zeroTotals();
			for (const { row } of rows) addTotals(sum, totalsOf(row));
			window = { rows, sum };
			if (this.unsettledWindows.size >= this.dayCacheSize) {
				this.unsettledWindows.delete(this.unsettledWindows.keys().next().value as string);
			}
			this.unsettledWindows.set(key, window);
		}
		return window;
	}

	unsettledTransactions(window: Partial<TimeWindow> = {}, page?: PageRequest): UnsettledJson {
		const { rows, sum } = this.unsettledWindow(window.ge ?? 0, window.lt ?? Number.MAX_SAFE_INTEGER);
		return {
			total_count: rows.length,
			sum_est_settlement_amount: money(sum.settlement),
			sum_est_revenue_amount: money(sum.revenue),
			sum_est_adjustment_amount: money(sum.adjustment),
			sum_est_fee_amount: money(sum.feeTax),
			transactions: slice(rows, page).map((row) => this.renderUnsettled(row)),
		};
	}

	private renderUnsettled({ row, day }: UnsettledRow): UnsettledTransactionJson {
		const totals = totalsOf(row);
		const deliveryTime = row.orderCreateTime + 2 * DAY_SECONDS;
		const delivered = deliveryTime <= this.nowSeconds;
		return {
			id: row.id,
			type: 'ORDER',
			status: 'UNSETTLED',
			currency: CURRENCY,
			estimated_settlement: delivered ? String(fromDay(day)) : '7 days after delivery',
			unsettled_reason: delivered ? 'Settlement waiting period after delivery' : 'Order not yet delivered',
			order_id: row.orderId,
			order_create_time: row.orderCreateTime,
			order_delivery_time: delivered ? deliveryTime : 0,
			adjustment_id: '',
			adjustment_order_id: '',
			est_adjustment_amount: money(totals.adjustment),
			est_settlement_amount: money(totals.settlement),
			est_revenue_amount: money(totals.revenue),
			est_shipping_cost_amount: money(totals.shipping),
			est_fee_tax_amount: money(totals.feeTax),
			...breakdowns(row, CURRENCY),
		};
	}
}
