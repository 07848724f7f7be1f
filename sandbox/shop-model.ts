/*
 * The shop's business, day by day, as compact facts in integer cents. Every fact is a pure function of
 * (seed, coordinates), so one day's statement can be rebuilt on demand without keeping months of orders in memory:
 * - orders are addressed by (settlement day, index); their number per day comes from a per-month allocation;
 * - a refund belongs to the order it refunds (its delay is drawn from the order's own hash);
 * - a reserve belongs to the day it is withheld (its hold period is drawn from that day's hash);
 * - adjustments are scheduled per month/week or proportional to the day's orders.
 * A "day" below is always the statement day: the UTC day at whose 00:00 the statement is stamped. The statement
 * covers the day before it, so everything in it happened during day - 1.
 */
import { DAY_SECONDS, daysInMonth, monthFirstDay, monthIndex, monthOfDay } from './calendar';
import { hash32, hashDigits, Rng } from './random';

/** Named amounts in cents; the keys are TikTok's breakdown field names. */
export type Breakdown = Record<string, number>;

export interface Product {
	name: string;
	skuName: string;
	skuId: string;
	priceMinor: number;
}

export interface ReserveFacts {
	id: string;
	/** Negative when withheld, positive when released. */
	amount: number;
	status: 'COLLECTED' | 'RELEASED';
	/** Unix seconds of the expected release; 0 once released (rendered as ""). */
	releaseTime: number;
	associatedOrderId: string;
}

export interface TxFacts {
	id: string;
	/** ORDER, RESERVE or an adjustment type. */
	type: string;
	orderId: string;
	/** 0 for shop-level rows without an order. */
	orderCreateTime: number;
	revenue: Breakdown;
	shipping: Breakdown;
	/** Informational shipping amounts (`shipping_cost_breakdown.supplementary_component`); not part of any sum. */
	shippingSupplement: Breakdown;
	fee: Breakdown;
	tax: Breakdown;
	/** Informational (`supplementary_component`); not part of any sum. */
	supplement: Breakdown;
	adjustment: number;
	adjustmentId: string;
	adjustmentOrderId: string;
	reserve?: ReserveFacts;
	sku?: { product: Product; quantity: number };
}

export interface Totals {
	revenue: number;
	shipping: number;
	feeTax: number;
	adjustment: number;
	/** revenue + shipping + feeTax + adjustment */
	settlement: number;
	reserve: number;
}

/** Adjustment types the generator emits. NEW_PROGRAM_BONUS is invented: no product can know it in advance. */
export const ADJUSTMENT_TYPES = [
	'CHARGE_BACK',
	'PLATFORM_PENALTY',
	'LOGISTICS_REIMBURSEMENT',
	'GMV_PAYMENT_FOR_ADS',
	'SELLER_MISSION_REWARD',
	'NEW_PROGRAM_BONUS',
] as const;

/** Once a month each, on a day drawn per month and type. */
const MONTHLY_TYPES = [
	'CHARGE_BACK',
	'PLATFORM_PENALTY',
	'LOGISTICS_REIMBURSEMENT',
	'SELLER_MISSION_REWARD',
	'NEW_PROGRAM_BONUS',
] as const;

/** Extra adjustments per 1000 orders of the day. */
const PER_MILLE: ReadonlyArray<[string, number]> = [
	['CHARGE_BACK', 2],
	['LOGISTICS_REIMBURSEMENT', 3],
];

const REFUND_PER_10000 = 500;
const REFUND_DELAY = { min: 3, max: 20 };
const RESERVE_HOLD = { min: 14, max: 35 };

/** Separate hash streams per purpose, so adding a decision to one never shifts another. */
const SALT = {
	count: 1,
	order: 2,
	refund: 3,
	refundDetail: 4,
	reserve: 5,
	schedule: 6,
	adjustmentCount: 7,
	adjustment: 8,
	txId: 9,
	orderId: 10,
	adjustmentId: 11,
	reserveId: 12,
	sku: 13,
	weekly: 14,
	statementId: 15,
} as const;

/** Kind digit inside transaction ids, keeping ids of different row kinds apart. */
const KIND = { sale: 1, refund: 2, reserve: 3, adjustment: 4 } as const;

const CATALOG: ReadonlyArray<[string, string, number]> = [
	['Bio-Gesichtsserum Hyaluron', '30 ml', 2490],
	['Naturseife Lavendel', '100 g', 590],
	['Sheabutter Körpercreme', '200 ml', 1490],
	['Arganöl kaltgepresst', '50 ml', 1890],
	['Lippenbalsam Bienenwachs', '3er-Set', 899],
	['Haarkur Brennnessel', '150 ml', 1290],
	['Duschgel Zitronengras', '250 ml', 699],
	['Geschenkbox Wellness', 'groß', 4990],
	['Bambus-Zahnbürste', '4er-Pack', 999],
	['Deo-Creme Salbei', '50 g', 1190],
	['Reinigungsschaum Aloe Vera', '150 ml', 1390],
	['Badesalz Totes Meer', '1 kg', 1690],
];

const pad = (value: number, width: number): string => `${value}`.padStart(width, '0');

/** Rounded share of a non-negative amount in basis points, in integer arithmetic. */
export function share(minor: number, basisPoints: number): number {
	const product = minor * basisPoints;
	return (product - (product % 10_000)) / 10_000 + (product % 10_000 >= 5_000 ? 1 : 0);
}

export function sumBreakdown(values: Breakdown): number {
	let total = 0;
	// for…in rather than Object.keys: no global lookup on this hot path (see random.ts).
	for (const key in values) total += values[key];
	return total;
}

export function totalsOf(tx: TxFacts): Totals {
	const revenue = sumBreakdown(tx.revenue);
	const shipping = sumBreakdown(tx.shipping);
	const feeTax = sumBreakdown(tx.fee) + sumBreakdown(tx.tax);
	return {
		revenue,
		shipping,
		feeTax,
		adjustment: tx.adjustment,
		settlement: revenue + shipping + feeTax + tx.adjustment,
		reserve: tx.reserve?.amount ?? 0,
	};
}

export function addTotals(sum: Totals, add: Totals): void {
	sum.revenue += add.revenue;
	sum.shipping += add.shipping;
	sum.feeTax += add.feeTax;
	sum.adjustment += add.adjustment;
	sum.settlement += add.settlement;
	sum.reserve += add.reserve;
}

export const zeroTotals = (): Totals => ({
	revenue: 0,
	shipping: 0,
	feeTax: 0,
	adjustment: 0,
	settlement: 0,
	reserve: 0,
});

/** Builds a row with every field in the same order, so all rows share one object shape (this is the hot path). */
function makeRow(fields: Partial<TxFacts> & Pick<TxFacts, 'id' | 'type' | 'orderId' | 'orderCreateTime'>): TxFacts {
	return {
		id: fields.id,
		type: fields.type,
		orderId: fields.orderId,
		orderCreateTime: fields.orderCreateTime,
		revenue: fields.revenue ?? {},
		shipping: fields.shipping ?? {},
		shippingSupplement: fields.shippingSupplement ?? {},
		fee: fields.fee ?? {},
		tax: fields.tax ?? {},
		supplement: fields.supplement ?? {},
		adjustment: fields.adjustment ?? 0,
		adjustmentId: fields.adjustmentId ?? '',
		adjustmentOrderId: fields.adjustmentOrderId ?? '',
		reserve: fields.reserve,
		sku: fields.sku,
	};
}

interface ReservePlan {
	id: string;
	amount: number;
	holdDays: number;
}

export interface ShopModelOptions {
	seed: number;
	ordersPerMonth: number;
	/** First statement day whose orders, refunds and reserves exist. Earlier days are outside the dataset. */
	firstDay: number;
}

export class ShopModel {
	readonly catalog: readonly Product[];
	private readonly seed: number;
	private readonly ordersPerMonth: number;
	private readonly firstDay: number;
	private readonly allocations = new Map<number, Int32Array>();
	private readonly weeklyOffset: number;

	constructor({ seed, ordersPerMonth, firstDay }: ShopModelOptions) {
		if (!Number.isSafeInteger(ordersPerMonth) || ordersPerMonth < 0) {
			throw new Error(`ordersPerMonth must be a non-negative integer, got ${ordersPerMonth}`);
		}
		this.seed = seed;
		this.ordersPerMonth = ordersPerMonth;
		this.firstDay = firstDay;
		this.weeklyOffset = hash32(seed, SALT.weekly) % 7;
		this.catalog = CATALOG.map(([name, skuName, priceMinor], index) => ({
			name,
			skuName,
			priceMinor,
			skuId: `17${hashDigits(17, seed, SALT.sku, index)}`,
		}));
	}

	/** Orders settled in the statement of `day` (the month's total is exactly ordersPerMonth). */
	ordersOn(day: number): number {
		if (day < this.firstDay) return 0;
		const month = monthOfDay(day);
		const key = monthIndex(month);
		let counts = this.allocations.get(key);
		if (!counts) {
			counts = this.allocate(key, daysInMonth(month), monthFirstDay(month));
			this.allocations.set(key, counts);
		}
		return counts[day - monthFirstDay(month)];
	}

	/** Splits the month's orders over its days by integer weights; weekends sell more. */
	private allocate(key: number, days: number, firstDay: number): Int32Array {
		const rng = new Rng(hash32(this.seed, SALT.count, key));
		const weights: number[] = [];
		for (let d = 0; d < days; d++) {
			// 1970-01-01 was a Thursday; statement days Sunday and Monday cover Saturday and Sunday.
			const weekday = (firstDay + d + 4) % 7;
			weights.push(60 + rng.int(0, 80) + (weekday === 0 || weekday === 1 ? 30 : 0));
		}
		const total = weights.reduce((a, b) => a + b, 0);
		const counts = new Int32Array(days);
		let assigned = 0;
		for (let d = 0; d < days; d++) {
			counts[d] = Math.floor((this.ordersPerMonth * weights[d]) / total);
			assigned += counts[d];
		}
		// Largest remainders get the orders left over, so the month adds up exactly.
		const order = weights
			.map((weight, d) => ({ d, rest: (this.ordersPerMonth * weight) % total }))
			.sort((a, b) => b.rest - a.rest || a.d - b.d);
		for (let k = 0; k < this.ordersPerMonth - assigned; k++) counts[order[k].d] += 1;
		return counts;
	}

	orderId(day: number, index: number): string {
		return `57${pad(day, 6)}${pad(index, 7)}${hashDigits(3, this.seed, SALT.orderId, day, index)}`;
	}

	/** Inverse of orderId; undefined for ids this shop never issued. */
	parseOrderId(id: string): { day: number; index: number } | undefined {
		const match = /^57(\d{6})(\d{7})\d{3}$/.exec(id);
		if (!match) return undefined;
		const day = Number(match[1]);
		const index = Number(match[2]);
		if (this.orderId(day, index) !== id || index >= this.ordersOn(day)) return undefined;
		return { day, index };
	}

	statementId(day: number): string {
		return `72${pad(day, 6)}${hashDigits(11, this.seed, SALT.statementId, day)}`;
	}

	private txId(day: number, kind: number, index: number): string {
		return `16${pad(day, 6)}${kind}${pad(index, 7)}${hashDigits(3, this.seed, SALT.txId, day, kind, index)}`;
	}

	/** The sale of order `index` settled on `day`. */
	order(day: number, index: number): TxFacts {
		const rng = new Rng(hash32(this.seed, SALT.order, day, index));
		const product = rng.pick(this.catalog);
		const quantity = rng.chance(0.8) ? 1 : rng.int(2, 3);
		const subtotal = product.priceMinor * quantity;
		const sellerDiscount = rng.chance(0.2) ? -share(subtotal, rng.pick([1000, 1500])) : 0;
		const revenue = subtotal + sellerDiscount;
		const platformDiscount = rng.chance(0.15) ? share(subtotal, 500) : 0;
		const actualShipping = -rng.int(399, 599);
		const customerShipping = subtotal < 1500 ? 299 : 0;
		const shippingSubsidy = rng.chance(0.1) ? 100 : 0;
		const affiliate = rng.chance(0.3) ? -share(revenue, rng.int(10, 20) * 100) : 0;
		const epr = rng.chance(0.4) ? -rng.int(5, 35) : 0;
		// Some of TikTok's programme fees come with German VAT (fee_tax_breakdown.tax.local_vat_amount, "local shops"):
		// taxes inside fee_tax_amount that must never be booked as fees.
		const localVat = rng.chance(0.05) ? -share(share(revenue, 1000), 1900) : 0;
		const adjustment = rng.chance(0.01) ? (rng.chance(0.5) ? -1 : 1) * rng.int(50, 300) : 0;
		const createTime = (day - 1) * DAY_SECONDS - rng.int(DAY_SECONDS, 12 * DAY_SECONDS);
		return makeRow({
			id: this.txId(day, KIND.sale, index),
			type: 'ORDER',
			orderId: this.orderId(day, index),
			orderCreateTime: createTime,
			revenue: { subtotal_before_discount_amount: subtotal, seller_discount_amount: sellerDiscount },
			shipping: {
				actual_shipping_fee_amount: actualShipping,
				customer_paid_shipping_fee_amount: customerShipping,
				shipping_fee_discount_amount: shippingSubsidy,
			},
			shippingSupplement: {
				fbm_shipping_cost_amount: actualShipping,
				platform_shipping_fee_discount_amount: shippingSubsidy,
				customer_shipping_fee: customerShipping,
			},
			fee: {
				platform_commission_amount: -share(revenue, 900),
				transaction_fee_amount: -share(revenue, 100),
				affiliate_commission_amount: affiliate,
				epr_pob_service_fee_amount: epr,
			},
			tax: { local_vat_amount: localVat },
			supplement: {
				customer_payment_amount: revenue - platformDiscount + customerShipping,
				platform_discount_amount: platformDiscount,
			},
			adjustment,
			sku: { product, quantity },
		});
	}

	/** Statement day of the refund of an order, or undefined if the order is never refunded. */
	refundDay(day: number, index: number): number | undefined {
		const h = hash32(this.seed, SALT.refund, day, index);
		if (h % 10_000 >= REFUND_PER_10000) return undefined;
		return day + REFUND_DELAY.min + ((h >>> 16) % (REFUND_DELAY.max - REFUND_DELAY.min + 1));
	}

	/** Full refund of an earlier sale: revenue and commissions reversed, TikTok keeps 20 % of the commission. */
	refund(day: number, seq: number, saleDay: number, saleIndex: number): TxFacts {
		const sale = this.order(saleDay, saleIndex);
		const rng = new Rng(hash32(this.seed, SALT.refundDetail, saleDay, saleIndex));
		const commission = sale.fee.platform_commission_amount;
		return makeRow({
			id: this.txId(day, KIND.refund, seq),
			type: 'ORDER',
			orderId: sale.orderId,
			orderCreateTime: sale.orderCreateTime,
			revenue: {
				refund_subtotal_before_discount_amount: -sale.revenue.subtotal_before_discount_amount,
				seller_discount_refund_amount: -sale.revenue.seller_discount_amount,
			},
			shipping: { return_shipping_fee_amount: rng.chance(0.5) ? -rng.int(399, 599) : 0 },
			fee: {
				platform_commission_amount: -commission,
				transaction_fee_amount: -sale.fee.transaction_fee_amount,
				affiliate_commission_amount: -sale.fee.affiliate_commission_amount,
				refund_administration_fee_amount: -share(-commission, 2000),
			},
			supplement: { customer_refund_amount: -sale.supplement.customer_payment_amount },
			sku: sale.sku,
		});
	}

	private refundsOn(day: number, visit: (row: TxFacts) => void): void {
		let seq = 0;
		for (let delay = REFUND_DELAY.min; delay <= REFUND_DELAY.max; delay++) {
			const saleDay = day - delay;
			const count = this.ordersOn(saleDay);
			for (let index = 0; index < count; index++) {
				if (this.refundDay(saleDay, index) === day) {
					visit(this.refund(day, seq++, saleDay, index));
				}
			}
		}
	}

	/** The reserve withheld on `day`, if any: about one day in four, scaled by the day's orders. */
	private reservePlan(day: number): ReservePlan | undefined {
		const orders = this.ordersOn(day);
		if (orders === 0) return undefined;
		const rng = new Rng(hash32(this.seed, SALT.reserve, day));
		if (!rng.chance(0.25)) return undefined;
		return {
			id: `5${pad(day, 6)}${hashDigits(9, this.seed, SALT.reserveId, day)}`,
			amount: -Math.max(500, orders * rng.int(40, 160)),
			holdDays: rng.int(RESERVE_HOLD.min, RESERVE_HOLD.max),
		};
	}

	private reservesOn(day: number, visit: (row: TxFacts) => void): void {
		let seq = 0;
		const withheld = this.reservePlan(day);
		if (withheld) {
			const order = this.order(day, 0);
			visit(
				makeRow({
					id: this.txId(day, KIND.reserve, seq++),
					type: 'RESERVE',
					orderId: '',
					orderCreateTime: order.orderCreateTime,
					reserve: {
						id: withheld.id,
						amount: withheld.amount,
						status: 'COLLECTED',
						// Released during the day before the statement day that carries the release.
						releaseTime: (day + withheld.holdDays - 1) * DAY_SECONDS + DAY_SECONDS / 2,
						associatedOrderId: order.orderId,
					},
				}),
			);
		}
		for (let hold = RESERVE_HOLD.min; hold <= RESERVE_HOLD.max; hold++) {
			const plan = this.reservePlan(day - hold);
			if (plan?.holdDays !== hold) continue;
			const order = this.order(day - hold, 0);
			visit(
				makeRow({
					id: this.txId(day, KIND.reserve, seq++),
					type: 'RESERVE',
					orderId: '',
					orderCreateTime: order.orderCreateTime,
					reserve: {
						id: plan.id,
						amount: -plan.amount,
						status: 'RELEASED',
						releaseTime: 0,
						associatedOrderId: order.orderId,
					},
				}),
			);
		}
	}

	private adjustmentTypesOn(day: number): string[] {
		const types: string[] = [];
		const month = monthOfDay(day);
		const first = monthFirstDay(month);
		const days = daysInMonth(month);
		MONTHLY_TYPES.forEach((type, k) => {
			if (first + (hash32(this.seed, SALT.schedule, monthIndex(month), k) % days) === day) types.push(type);
		});
		const orders = this.ordersOn(day);
		if (orders > 0 && (day + this.weeklyOffset) % 7 === 0) types.push('GMV_PAYMENT_FOR_ADS');
		const rng = new Rng(hash32(this.seed, SALT.adjustmentCount, day));
		for (const [type, perMille] of PER_MILLE) {
			const expected = orders * perMille;
			let count = Math.floor(expected / 1000);
			if (rng.int(0, 999) < expected % 1000) count += 1;
			for (let k = 0; k < count; k++) types.push(type);
		}
		return types;
	}

	/** An order settled 5–40 days before `day`, for adjustments that refer to one. */
	private earlierOrder(day: number, rng: Rng): TxFacts | undefined {
		for (let attempt = 0; attempt < 5; attempt++) {
			const saleDay = day - rng.int(5, 40);
			const count = this.ordersOn(saleDay);
			if (count > 0) return this.order(saleDay, rng.int(0, count - 1));
		}
		return undefined;
	}

	private adjustment(day: number, seq: number, type: string): TxFacts {
		const rng = new Rng(hash32(this.seed, SALT.adjustment, day, seq));
		const linked =
			type === 'CHARGE_BACK' || type === 'LOGISTICS_REIMBURSEMENT' ? this.earlierOrder(day, rng) : undefined;
		let amount: number;
		switch (type) {
			case 'CHARGE_BACK':
				amount = linked ? -sumBreakdown(linked.revenue) : -rng.int(1500, 6000);
				break;
			case 'PLATFORM_PENALTY':
				amount = -rng.int(500, 5000);
				break;
			case 'LOGISTICS_REIMBURSEMENT':
				amount = rng.int(399, 1500);
				break;
			case 'GMV_PAYMENT_FOR_ADS':
				amount = -Math.max(500, this.ordersOn(day) * rng.int(30, 90));
				break;
			case 'SELLER_MISSION_REWARD':
				amount = rng.int(1000, 10000);
				break;
			default:
				amount = rng.int(500, 2500);
		}
		return makeRow({
			id: this.txId(day, KIND.adjustment, seq),
			type,
			orderId: '',
			orderCreateTime: linked?.orderCreateTime ?? 0,
			adjustment: amount,
			adjustmentId: `70${pad(day, 6)}${pad(seq, 4)}${hashDigits(7, this.seed, SALT.adjustmentId, day, seq)}`,
			adjustmentOrderId: linked?.orderId ?? '',
		});
	}

	/** Every transaction of the statement stamped at 00:00 UTC of `day`, unsorted (sorting is for pages only). */
	transactionsOn(day: number): TxFacts[] {
		const rows: TxFacts[] = [];
		this.eachTransactionOn(day, (row) => rows.push(row));
		return rows;
	}

	/** Visits the day's transactions one by one, so summing a big day keeps no rows alive. */
	eachTransactionOn(day: number, visit: (row: TxFacts) => void): void {
		const orders = this.ordersOn(day);
		for (let index = 0; index < orders; index++) visit(this.order(day, index));
		this.refundsOn(day, visit);
		this.reservesOn(day, visit);
		this.adjustmentTypesOn(day).forEach((type, seq) => visit(this.adjustment(day, seq, type)));
	}
}

export function byCreateTimeThenId(a: TxFacts, b: TxFacts): number {
	return a.orderCreateTime - b.orderCreateTime || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
