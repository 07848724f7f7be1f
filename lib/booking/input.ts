/**
 * The engine's input: the items of the Map node (statement items with their transactions, payment items, see
 * the team notes, and optionally order details) or raw TikTok API responses. Everything is validated up front,
 * money is parsed into integer minor units, and every problem is reported with the item index and the field path.
 *
 * The TikTok fields the booking rules read are exactly the ones the schemas below name; everything else passes
 * through unread:
 * - statement: id, currency, statement_time | create_time, settlement_amount | total_settlement_amount,
 *   total_reserve_amount, payment_id, payment_status, transactions[];
 * - transaction: id, type, order_id, adjustment_id, adjustment_order_id, order_create_time, settlement_amount,
 *   revenue_amount, shipping_cost_amount, shipping_cost_breakdown.customer_paid_shipping_fee_amount,
 *   fee_tax_amount, fee_tax_breakdown.fee.* and .tax.* (every amount), adjustment_amount, reserve_amount,
 *   reserve_status;
 * - payment: id, status, create_time, paid_time, amount, settlement_amount, reserve_amount,
 *   payment_amount_before_exchange;
 * - order (Get Order Detail, optional, for the revenue-account mode): id, create_time, delivery_time,
 *   recipient_address.region_code, line_items[].item_tax[].tax_rate.
 */
import { z } from 'zod';

import { currencyDecimals, isKnownCurrency, MoneyError, parseMinor } from '../money';
import { preview } from '../preview';
import { LATEST_UNIX_SECONDS, MAX_LABEL_LENGTH, TIKTOK_ID, TIKTOK_ID_MESSAGE, UNIX_SECONDS_MESSAGE } from '../tiktok/schemas';
import { projector, type Projector } from './projection';

export interface InputIssue {
	/** Index of the n8n item. */
	item: number;
	/** Field path inside the item, e.g. 'transactions[12].fee_tax_amount' ('' for the item itself). */
	path: string;
	message: string;
}

const MAX_REPORTED_ISSUES = 50;

export class BookingInputError extends Error {
	constructor(readonly issues: InputIssue[]) {
		const shown = issues.slice(0, MAX_REPORTED_ISSUES).map(formatIssue);
		const more = issues.length > MAX_REPORTED_ISSUES ? [`… and ${issues.length - MAX_REPORTED_ISSUES} more`] : [];
		super([...shown, ...more].join('\n'));
		this.name = 'BookingInputError';
	}
}

function formatIssue(issue: InputIssue): string {
	return issue.path === '' ? `item ${issue.item}: ${issue.message}` : `item ${issue.item}: ${issue.path}: ${issue.message}`;
}

export type PathSegment = string | number;

export function formatPath(segments: readonly PathSegment[]): string {
	let text = '';
	for (const segment of segments) {
		if (typeof segment === 'number') {
			text += `[${segment}]`;
		} else {
			text += text === '' ? segment : `.${segment}`;
		}
	}
	return text;
}

export interface FeeComponent {
	group: 'fee' | 'tax';
	/** TikTok's field name, e.g. 'platform_commission_amount'. */
	name: string;
	minor: number;
}

export interface TransactionInput {
	id: string;
	type: string;
	/** order_id, else adjustment_order_id (chargebacks name their order); '' when the line belongs to no order. */
	orderId: string;
	adjustmentId: string;
	orderCreateTime: number | undefined;
	settlementMinor: number;
	revenueMinor: number;
	shippingMinor: number;
	feeTaxMinor: number;
	/** undefined when the field is absent (adjustment transactions then book their settlement amount). */
	adjustmentMinor: number | undefined;
	reserveMinor: number;
	reserveStatus: string;
	feeBreakdown: FeeComponent[];
	/** shipping_cost_breakdown.customer_paid_shipping_fee_amount: shipping the buyer paid, part of shippingMinor. */
	customerShippingMinor: number;
}

export interface StatementInput {
	item: number;
	id: string;
	currency: string;
	/** statement_time (or the transactions response's create_time), Unix seconds. */
	time: number;
	paymentId: string;
	paymentStatus: string;
	/** settlement_amount of Get Statements, else total_settlement_amount of Get Transactions by Statement. */
	settlementMinor: number;
	totalSettlementMinor: number | undefined;
	totalReserveMinor: number | undefined;
	transactions: TransactionInput[];
}

export interface PaymentInput {
	item: number;
	id: string;
	status: string;
	createTime: number | undefined;
	paidTime: number | undefined;
	currency: string;
	amountMinor: number;
	settlementMinor: number | undefined;
	reserveMinor: number | undefined;
	beforeExchange: { currency: string; minor: number } | undefined;
}

/** What the revenue-account mode needs of an order and TikTok's Finance API does not carry (Get Order Detail). */
export interface OrderInput {
	item: number;
	id: string;
	createTime: number | undefined;
	/** When the order reached the buyer (DELIVERED); undefined before. */
	deliveryTime: number | undefined;
	/** recipient_address.region_code, upper case; '' when absent. */
	destinationCountry: string;
	/** The distinct VAT rates of the line items (line_items[].item_tax[].tax_rate) in hundredths of a percent. */
	vatRates: number[];
}

export interface BookingInput {
	statements: StatementInput[];
	payments: PaymentInput[];
	/** Order details by order id; absent or empty when the input has none. */
	orders?: OrderInput[];
}

// Amounts stay unparsed in the schemas: their currency is only known at the statement, and money parsing must
// report the exact value and path.
const rawAmount = z.union([z.string(), z.number()]).nullable().optional();
// Bounded like the API client's schemas (lib/tiktok/schemas.ts): a time beyond 2100 is corrupted data.
const epochSeconds = z
	.union([
		z.number(),
		z
			.string()
			.regex(/^\d+$/, UNIX_SECONDS_MESSAGE)
			.transform((value) => Number(value)),
	])
	.pipe(z.number().int(UNIX_SECONDS_MESSAGE).min(0, UNIX_SECONDS_MESSAGE).max(LATEST_UNIX_SECONDS, UNIX_SECONDS_MESSAGE));
// TikTok ids are 18–19 digits, beyond a JS number's precision: a numeric id has already been corrupted. The
// format check keeps separators, quotes and formula starts (= + - @) out of every DATEV field an id reaches.
const id = z
	.string({ invalid_type_error: 'must be a string (TikTok ids exceed number precision)' })
	.regex(TIKTOK_ID, TIKTOK_ID_MESSAGE);
/** An id that may be absent or '' (TikTok's "none"). */
const optionalId = z.union([z.literal(''), id]).nullable().optional();
/** Types and statuses: TikTok's are short words; a long one would only end up in Buchungstext and warnings. */
const label = z.string().max(MAX_LABEL_LENGTH, `must be at most ${MAX_LABEL_LENGTH} characters`);
const optionalText = label.nullable().optional();
/** Kept as sent (not copied by zod, which drops a key named "__proto__"), so every fee name is booked. */
const breakdownGroup = z
	.custom<Record<string, unknown>>((value) => typeof value === 'object' && !Array.isArray(value), 'expected an object of amounts')
	.nullable()
	.optional();

const transactionSchema = z
	.object({
		id,
		type: label.min(1, 'is empty'),
		order_id: optionalId,
		adjustment_id: optionalId,
		adjustment_order_id: optionalId,
		order_create_time: epochSeconds.nullable().optional(),
		settlement_amount: rawAmount,
		revenue_amount: rawAmount,
		shipping_cost_amount: rawAmount,
		shipping_cost_breakdown: z.object({ customer_paid_shipping_fee_amount: rawAmount }).passthrough().nullable().optional(),
		fee_tax_amount: rawAmount,
		adjustment_amount: rawAmount,
		reserve_amount: rawAmount,
		reserve_status: optionalText,
		fee_tax_breakdown: z.object({ fee: breakdownGroup, tax: breakdownGroup }).passthrough().nullable().optional(),
	})
	.passthrough();

const statementSchema = z
	.object({
		id,
		currency: z.string().min(1, 'is empty'),
		statement_time: epochSeconds.nullable().optional(),
		create_time: epochSeconds.nullable().optional(),
		settlement_amount: rawAmount,
		total_settlement_amount: rawAmount,
		total_reserve_amount: rawAmount,
		payment_id: optionalId,
		payment_status: optionalText,
		transactions: z.array(transactionSchema),
	})
	.passthrough();

const moneyObject = z.object({ value: z.union([z.string(), z.number()]), currency: z.string().min(1, 'is empty') }).passthrough();

const paymentSchema = z
	.object({
		id,
		status: label.min(1, 'is empty'),
		create_time: epochSeconds.nullable().optional(),
		paid_time: epochSeconds.nullable().optional(),
		amount: moneyObject,
		settlement_amount: moneyObject.nullable().optional(),
		reserve_amount: moneyObject.nullable().optional(),
		payment_amount_before_exchange: moneyObject.nullable().optional(),
	})
	.passthrough();

const orderSchema = z
	.object({
		id,
		create_time: epochSeconds.nullable().optional(),
		delivery_time: epochSeconds.nullable().optional(),
		recipient_address: z.object({ region_code: optionalText }).passthrough().nullable().optional(),
		line_items: z.array(
			z
				.object({
					item_tax: z
						.array(z.object({ tax_rate: z.union([z.string(), z.number()]).nullable().optional() }).passthrough())
						.nullable()
						.optional(),
				})
				.passthrough(),
		),
	})
	.passthrough();

const projectStatement: Projector = projector(statementSchema);

/** The amounts parseFeeBreakdown passes over unread ("0.00", "0", 0): most of a transaction's ~31 breakdown fields. */
function isZeroAmount(value: unknown): boolean {
	return value === '0.00' || value === '0' || value === 0;
}

/** Ids and texts whose '' parses like their absence (firstId, reserve_status ?? ''). */
const EMPTY_MEANS_ABSENT = new Set(['order_id', 'adjustment_id', 'adjustment_order_id', 'reserve_status']);

/** A breakdown group without its zero amounts; undefined when nothing is left. Anything but a plain object stays. */
function withoutZeros(group: unknown): unknown {
	if (!isPlainRecord(group)) return group;
	let kept: Record<string, unknown> | undefined;
	for (const name of Object.keys(group)) {
		if (isZeroAmount(group[name])) continue;
		(kept ??= {})[name] = group[name];
	}
	return kept;
}

/** fee_tax_breakdown without zero amounts; undefined when no amount is left. */
function prunedBreakdown(breakdown: Record<string, unknown>): Record<string, unknown> | undefined {
	const fee = withoutZeros(breakdown.fee);
	const tax = withoutZeros(breakdown.tax);
	if (fee === undefined && tax === undefined) return undefined;
	return { ...(fee === undefined ? {} : { fee }), ...(tax === undefined ? {} : { tax }) };
}

/**
 * A projected transaction without what parses exactly like its absence: zero amounts of the fee, tax and shipping
 * breakdowns and empty ids. The booking input, the statement's fingerprint and every booking stay the same
 * (projection.test.ts compares them); the item shrinks to about a quarter, which is what n8n holds and saves.
 * Built anew rather than with `delete`, which would leave V8 a slower, larger object per transaction.
 */
function prunedTransaction(value: unknown): unknown {
	if (!isPlainRecord(value)) return value;
	const pruned: Record<string, unknown> = {};
	for (const key of Object.keys(value)) {
		const field = value[key];
		if (field === '' && EMPTY_MEANS_ABSENT.has(key)) continue;
		if (key === 'shipping_cost_breakdown' && isPlainRecord(field) && isZeroAmount(field.customer_paid_shipping_fee_amount)) continue;
		if (key === 'fee_tax_breakdown' && isPlainRecord(field)) {
			const breakdown = prunedBreakdown(field);
			if (breakdown !== undefined) pruned[key] = breakdown;
			continue;
		}
		pruned[key] = field;
	}
	return pruned;
}

/**
 * "Booking input (compact)": a statement item with its transactions reduced to the fields these schemas declare,
 * i.e. what the engine reads, less what parses like its absence (prunedTransaction). Derived from the schemas, so a
 * field the rules start to read is kept automatically.
 */
export const compactStatementItem: Projector = (value) => {
	const projected = projectStatement(value);
	if (isPlainRecord(projected) && Array.isArray(projected.transactions)) {
		// The projection's own array: its transactions are replaced, the caller's objects are not touched.
		const transactions = projected.transactions as unknown[];
		for (let index = 0; index < transactions.length; index++) transactions[index] = prunedTransaction(transactions[index]);
	}
	return projected;
};

type RawTransaction = z.infer<typeof transactionSchema>;
type RawStatement = z.infer<typeof statementSchema>;
type RawPayment = z.infer<typeof paymentSchema>;
type RawMoney = z.infer<typeof moneyObject>;

/** Collects issues of one item; `base` is where the source sits inside the item (e.g. data.statements[2]). */
class IssueSink {
	/** Σ |amount| parsed so far: bounds every sum the engine forms from these amounts. */
	magnitude = 0;

	constructor(
		private readonly issues: InputIssue[],
		readonly item: number,
		readonly base: readonly PathSegment[],
	) {}

	add(path: readonly PathSegment[], message: string): void {
		this.issues.push({ item: this.item, path: formatPath([...this.base, ...path]), message });
	}

	get count(): number {
		return this.issues.length;
	}

	/**
	 * Parses a TikTok amount; absent (undefined, null, '') is allowed unless `required`. `path` may be a function, so
	 * that the path of the ~37 amounts of a transaction is only built when one of them is wrong.
	 */
	money(
		value: string | number | null | undefined,
		currency: string,
		path: readonly PathSegment[] | (() => readonly PathSegment[]),
		required: boolean,
	): number | undefined {
		// Most of a transaction's amounts (the fee and tax breakdown) are zero.
		if (value === '0.00' || value === '0' || value === 0) {
			return 0;
		}
		if (value === undefined || value === null || value === '') {
			if (required) {
				this.add(typeof path === 'function' ? path() : path, 'is missing');
			}
			return undefined;
		}
		const quick = quickMinor(value, this.decimals(currency));
		if (quick !== undefined) {
			this.magnitude += Math.abs(quick);
			return quick;
		}
		const at = (): readonly PathSegment[] => (typeof path === 'function' ? path() : path);
		let minor: number;
		try {
			minor = parseMinor(String(value), currency);
		} catch (error) {
			// parseMinor only throws MoneyError; its message names the value and the rule it breaks.
			this.add(at(), error instanceof MoneyError ? error.message : `"${preview(value)}" is not a decimal amount`);
			return undefined;
		}
		// DATEV's Umsatz has at most ten digits before the decimal comma; a bigger TikTok amount could not be written,
		// and failing here keeps the error at this item instead of failing the whole DATEV file.
		if (Math.abs(minor) >= 10 ** (MAX_WHOLE_DIGITS + currencyDecimals(currency))) {
			this.add(at(), `"${preview(value)}" is larger than ${'9'.repeat(MAX_WHOLE_DIGITS)}.99, the largest amount DATEV takes`);
			return undefined;
		}
		this.magnitude += Math.abs(minor);
		return minor;
	}

	private decimalsOf: { currency: string; decimals: number } | undefined;

	private decimals(currency: string): number {
		if (this.decimalsOf?.currency !== currency) {
			this.decimalsOf = { currency, decimals: currencyDecimals(currency) };
		}
		return this.decimalsOf.decimals;
	}

	/** Forgets the issues after the first `count` (a fast path that gives way to the exact one). */
	truncate(count: number, magnitude: number): void {
		this.issues.length = count;
		this.magnitude = magnitude;
	}

	currency(value: string, path: readonly PathSegment[]): string | undefined {
		const code = value.trim().toUpperCase();
		if (!isKnownCurrency(code)) {
			this.add(path, `unknown currency "${preview(value)}"`);
			return undefined;
		}
		return code;
	}
}

/** DATEV's amount field: `^\d{1,10},\d{2}$`. */
const MAX_WHOLE_DIGITS = 10;

/**
 * An amount in its usual form ("-12.34", "7", 12.5) in minor units, read digit by digit without a regular
 * expression or intermediate strings; undefined for anything else, which parseMinor then decides (and reports).
 * Where it is defined it equals parseMinor's result, and at most ten whole digits keep it within DATEV's bound.
 */
function quickMinor(value: string | number, decimals: number): number | undefined {
	const text = typeof value === 'number' ? String(value) : value;
	const length = text.length;
	let index = 0;
	let negative = false;
	if (length > 0 && text.charCodeAt(0) === 45 /* - */) {
		negative = true;
		index = 1;
	}
	let minor = 0;
	let wholeDigits = 0;
	for (; index < length; index++) {
		const code = text.charCodeAt(index);
		if (code === 46 /* . */) break;
		if (code < 48 || code > 57) return undefined;
		minor = minor * 10 + (code - 48);
		wholeDigits += 1;
	}
	if (wholeDigits === 0 || wholeDigits > MAX_WHOLE_DIGITS) return undefined;
	let fractionDigits = 0;
	if (index < length) {
		index += 1;
		if (index === length) return undefined;
		for (; index < length; index++) {
			const code = text.charCodeAt(index);
			// More decimals than the currency has (perhaps only zeros): the exact parser decides.
			if (code < 48 || code > 57 || fractionDigits === decimals) return undefined;
			minor = minor * 10 + (code - 48);
			fractionDigits += 1;
		}
	}
	for (; fractionDigits < decimals; fractionDigits++) minor *= 10;
	return negative && minor !== 0 ? -minor : minor;
}

function zodIssueMessage(issue: z.ZodIssue): string {
	if (issue.code === z.ZodIssueCode.invalid_type) {
		if (issue.received === 'undefined') {
			return 'is missing';
		}
		if (issue.message && !issue.message.startsWith('Expected')) {
			return issue.message;
		}
		return `expected ${issue.expected}, got ${issue.received}`;
	}
	if (issue.code === z.ZodIssueCode.invalid_union) {
		const types = issue.unionErrors.flatMap((error) => error.issues.map((inner) => inner.code === 'invalid_type' ? inner.expected : ''));
		const expected = [...new Set(types.filter((type) => type !== ''))];
		return expected.length > 0 ? `expected ${expected.join(' or ')}` : issue.message;
	}
	return issue.message;
}

function parseWith<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, sink: IssueSink): T | undefined {
	const result = schema.safeParse(value);
	if (result.success) {
		return result.data;
	}
	for (const issue of result.error.issues) {
		sink.add(issue.path, zodIssueMessage(issue));
	}
	return undefined;
}

function firstId(...values: Array<string | null | undefined>): string {
	return values.find((value): value is string => typeof value === 'string' && value !== '') ?? '';
}

function parseFeeBreakdown(raw: RawTransaction, currency: string, index: number, sink: IssueSink): FeeComponent[] {
	const components: FeeComponent[] = [];
	const breakdown = raw.fee_tax_breakdown;
	if (!breakdown) {
		return components;
	}
	for (const group of ['fee', 'tax'] as const) {
		const entries = breakdown[group];
		if (!entries) {
			continue;
		}
		for (const name of Object.keys(entries)) {
			const value = entries[name];
			// Only amounts are booked; anything else (a nested object, a flag) is not money, and the fee total stays
			// exact anyway because the engine books the unexplained rest of fee_tax_amount.
			if (typeof value !== 'string' && typeof value !== 'number') {
				continue;
			}
			// Most of the ~31 fields are zero: skip them before anything is allocated for them.
			if (isZeroAmount(value)) {
				continue;
			}
			const minor = sink.money(value, currency, () => ['transactions', index, 'fee_tax_breakdown', group, name], false);
			// A zero books nothing: not keeping it spares an object per fee field (most of ~31 are "0.00").
			if (minor !== undefined && minor !== 0) {
				components.push({ group, name, minor });
			}
		}
	}
	return components;
}

/** The transaction's booked fields; `raw` has passed the schema (zod's, or the same checks in isValidTransaction). */
function parseTransaction(
	raw: RawTransaction,
	orderCreateTime: number | undefined,
	currency: string,
	index: number,
	sink: IssueSink,
): TransactionInput {
	const at = (field: string) => (): PathSegment[] => ['transactions', index, field];
	return {
		id: raw.id,
		type: raw.type,
		// associated_order_id of a reserve only names an order the reserve was computed from; the reserve itself is a
		// statement-level amount (Belegfeld 1 = statement id), so it is not an order id here.
		orderId: firstId(raw.order_id, raw.adjustment_order_id),
		adjustmentId: firstId(raw.adjustment_id),
		orderCreateTime,
		settlementMinor: sink.money(raw.settlement_amount, currency, at('settlement_amount'), true) ?? 0,
		revenueMinor: sink.money(raw.revenue_amount, currency, at('revenue_amount'), false) ?? 0,
		shippingMinor: sink.money(raw.shipping_cost_amount, currency, at('shipping_cost_amount'), false) ?? 0,
		feeTaxMinor: sink.money(raw.fee_tax_amount, currency, at('fee_tax_amount'), false) ?? 0,
		adjustmentMinor: sink.money(raw.adjustment_amount, currency, at('adjustment_amount'), false),
		reserveMinor: sink.money(raw.reserve_amount, currency, at('reserve_amount'), false) ?? 0,
		reserveStatus: (raw.reserve_status ?? '').toUpperCase(),
		feeBreakdown: parseFeeBreakdown(raw, currency, index, sink),
		customerShippingMinor:
			sink.money(
				raw.shipping_cost_breakdown?.customer_paid_shipping_fee_amount,
				currency,
				() => ['transactions', index, 'shipping_cost_breakdown', 'customer_paid_shipping_fee_amount'],
				false,
			) ?? 0,
	};
}

/*
 * The same checks as transactionSchema, on the value as it is: zod's passthrough copies all ~100 fields of every
 * TikTok transaction, while the engine reads 15. Only what plainly passes is taken here (plain objects, exact
 * types); anything else goes the schema's way, so that every problem is reported exactly as zod words it.
 */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const prototype: unknown = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

function isRawAmount(value: unknown): boolean {
	return value === undefined || value === null || typeof value === 'string' || (typeof value === 'number' && !Number.isNaN(value));
}

function isOptionalId(value: unknown): boolean {
	return value === undefined || value === null || value === '' || (typeof value === 'string' && TIKTOK_ID.test(value));
}

function isOptionalLabel(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.length <= MAX_LABEL_LENGTH);
}

function isSeconds(value: number): boolean {
	return Number.isInteger(value) && value >= 0 && value <= LATEST_UNIX_SECONDS;
}

/** epochSeconds.nullable().optional(): the time (undefined when absent), or false when the schema would refuse it. */
function plainTime(value: unknown): number | undefined | false {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'number') return isSeconds(value) ? value : false;
	if (typeof value === 'string' && /^\d+$/.test(value)) {
		const seconds = Number(value);
		return isSeconds(seconds) ? seconds : false;
	}
	return false;
}

function isBreakdownGroup(value: unknown): boolean {
	return value === undefined || value === null || isPlainRecord(value);
}

/** transactionSchema's checks; the order_create_time when they pass, false when zod must look. */
function plainTransaction(value: unknown): { time: number | undefined } | false {
	if (!isPlainRecord(value)) return false;
	const { id: transactionId, type, shipping_cost_breakdown: shipping, fee_tax_breakdown: breakdown } = value;
	if (typeof transactionId !== 'string' || !TIKTOK_ID.test(transactionId)) return false;
	if (typeof type !== 'string' || type.length === 0 || type.length > MAX_LABEL_LENGTH) return false;
	if (!isOptionalId(value.order_id) || !isOptionalId(value.adjustment_id) || !isOptionalId(value.adjustment_order_id)) return false;
	if (
		!isRawAmount(value.settlement_amount) ||
		!isRawAmount(value.revenue_amount) ||
		!isRawAmount(value.shipping_cost_amount) ||
		!isRawAmount(value.fee_tax_amount) ||
		!isRawAmount(value.adjustment_amount) ||
		!isRawAmount(value.reserve_amount)
	) {
		return false;
	}
	if (!isOptionalLabel(value.reserve_status)) return false;
	if (shipping !== undefined && shipping !== null && (!isPlainRecord(shipping) || !isRawAmount(shipping.customer_paid_shipping_fee_amount))) {
		return false;
	}
	if (breakdown !== undefined && breakdown !== null && (!isPlainRecord(breakdown) || !isBreakdownGroup(breakdown.fee) || !isBreakdownGroup(breakdown.tax))) {
		return false;
	}
	const time = plainTime(value.order_create_time);
	return time === false ? false : { time };
}

/**
 * A VAT rate as TikTok may write it ("19", "19.00", "0.19", 19) in hundredths of a percent. Which form TikTok uses
 * for EU orders is not documented [verify]: a value below 1 is read as a fraction, anything else as percent.
 */
export function parseRateHundredths(value: string | number): number | undefined {
	const match = /^(\d{1,3})(?:\.(\d+))?$/.exec(String(value).trim());
	if (!match) {
		return undefined;
	}
	const whole = Number(match[1]);
	const fraction = (match[2] ?? '').replace(/0+$/, '');
	if (whole === 0 && fraction !== '') {
		return fraction.length <= 4 ? Number(fraction.padEnd(4, '0')) : undefined;
	}
	return fraction.length <= 2 && whole < 100 ? whole * 100 + Number(fraction.padEnd(2, '0')) : undefined;
}

function parseOrder(value: unknown, sink: IssueSink): OrderInput | undefined {
	const raw = parseWith(orderSchema, value, sink);
	if (!raw) {
		return undefined;
	}
	const rates = new Set<number>();
	raw.line_items.forEach((line, index) => {
		(line.item_tax ?? []).forEach((tax, taxIndex) => {
			if (tax.tax_rate === undefined || tax.tax_rate === null || tax.tax_rate === '') {
				return;
			}
			const rate = parseRateHundredths(tax.tax_rate);
			if (rate === undefined) {
				sink.add(['line_items', index, 'item_tax', taxIndex, 'tax_rate'], `"${String(tax.tax_rate)}" is not a VAT rate`);
			} else {
				rates.add(rate);
			}
		});
	});
	return {
		item: sink.item,
		id: raw.id,
		createTime: raw.create_time ?? undefined,
		deliveryTime: raw.delivery_time ? raw.delivery_time : undefined,
		destinationCountry: (raw.recipient_address?.region_code ?? '').trim().toUpperCase(),
		vatRates: [...rates].sort((a, b) => a - b),
	};
}

/** The statement's own fields; its transactions are checked one by one (isValidTransaction) or by zod. */
const statementHeaderSchema = statementSchema.extend({
	transactions: z.custom<unknown[]>((value) => Array.isArray(value), 'expected an array'),
});

/** A statement whose transactions are parsed only when it is booked: a month's statements one at a time. */
export interface DeferredStatementInput extends Omit<StatementInput, 'transactions'> {
	transactionCount: number;
	/**
	 * Parses the transactions of `value`, the statement as the item holds it when the caller has it at hand, else of
	 * the statement read again from the input. Throws BookingInputError naming the item and the field.
	 */
	loadTransactions(value?: unknown): TransactionInput[];
}

export type StatementSource = StatementInput | DeferredStatementInput;

/**
 * The statement with its transactions, parsing them now if it was deferred (from `value`, the statement as its item
 * holds it, when given; see loadTransactions). Throws BookingInputError.
 */
export function loadStatement(statement: StatementSource, value?: unknown): StatementInput {
	if (!('loadTransactions' in statement)) return statement;
	return {
		item: statement.item,
		id: statement.id,
		currency: statement.currency,
		time: statement.time,
		paymentId: statement.paymentId,
		paymentStatus: statement.paymentStatus,
		settlementMinor: statement.settlementMinor,
		totalSettlementMinor: statement.totalSettlementMinor,
		totalReserveMinor: statement.totalReserveMinor,
		transactions: statement.loadTransactions(value),
	};
}

interface StatementHeader {
	raw: z.infer<typeof statementHeaderSchema>;
	currency: string;
	time: number;
	settlement: number | undefined;
	totalSettlement: number | undefined;
	totalReserve: number | undefined;
}

/** The statement's own fields, as the schema's order has them checked; undefined after an issue that stops it. */
function statementHeader(raw: z.infer<typeof statementHeaderSchema>, sink: IssueSink): StatementHeader | undefined {
	const currency = sink.currency(raw.currency, ['currency']);
	const time = raw.statement_time ?? raw.create_time ?? undefined;
	if (time === undefined) {
		sink.add(['statement_time'], 'is missing (neither statement_time nor create_time given)');
	}
	if (currency === undefined || time === undefined) {
		return undefined;
	}
	const before = sink.count;
	const settlement = sink.money(raw.settlement_amount, currency, ['settlement_amount'], false);
	const totalSettlement = sink.money(raw.total_settlement_amount, currency, ['total_settlement_amount'], false);
	const totalReserve = sink.money(raw.total_reserve_amount, currency, ['total_reserve_amount'], false);
	if (settlement === undefined && totalSettlement === undefined && sink.count === before) {
		sink.add(['settlement_amount'], 'is missing (neither settlement_amount nor total_settlement_amount given)');
	}
	return { raw, currency, time, settlement, totalSettlement, totalReserve };
}

function statementOf(header: StatementHeader, sink: IssueSink): Omit<StatementInput, 'transactions'> {
	const { raw } = header;
	return {
		item: sink.item,
		id: raw.id,
		currency: header.currency,
		time: header.time,
		paymentId: raw.payment_id ?? '',
		paymentStatus: (raw.payment_status ?? '').toUpperCase(),
		settlementMinor: header.settlement ?? header.totalSettlement ?? 0,
		totalSettlementMinor: header.totalSettlement,
		totalReserveMinor: header.totalReserve,
	};
}

/** Every sum the engine forms (components, differences, reserves) is bounded by Σ |amounts| of the statement. */
function checkMagnitude(sink: IssueSink): void {
	// Beyond 2^53 cents JavaScript numbers stop counting exactly, and a booking would silently lose money.
	if (sink.magnitude > Number.MAX_SAFE_INTEGER) {
		sink.add(['transactions'], 'the amounts of this statement add up beyond what can be computed to the cent; split the statement');
	}
}

/**
 * The transactions read straight from the item when each passes the schema's checks (isValidTransaction);
 * undefined when one does not, after taking back any issue noted so far: then zod must check the statement.
 */
function plainTransactions(raw: readonly unknown[], currency: string, sink: IssueSink): TransactionInput[] | undefined {
	const transactions: TransactionInput[] = new Array<TransactionInput>(raw.length);
	for (let index = 0; index < raw.length; index++) {
		const value = raw[index];
		const checked = plainTransaction(value);
		if (checked === false) return undefined;
		transactions[index] = parseTransaction(value as RawTransaction, checked.time, currency, index, sink);
	}
	return transactions;
}

/** The statement as the schema sees it: zod checks every field of it and of its transactions, then money. */
function parseStatementBySchema(value: unknown, sink: IssueSink): StatementInput | undefined {
	const raw: RawStatement | undefined = parseWith(statementSchema, value, sink);
	if (!raw) {
		return undefined;
	}
	const before = sink.count;
	const header = statementHeader(raw, sink);
	if (!header) {
		return undefined;
	}
	const transactions = raw.transactions.map((transaction, index) =>
		parseTransaction(transaction, transaction.order_create_time ?? undefined, header.currency, index, sink),
	);
	checkMagnitude(sink);
	return sink.count > before ? undefined : { ...statementOf(header, sink), transactions };
}

/**
 * A statement: read straight from the item when it plainly passes the schema, else by zod (the same result, and
 * every problem in zod's words). With `defer`, its transactions are only counted here and parsed by
 * loadTransactions(), which reports their problems the same way.
 */
function parseStatement(value: unknown, sink: IssueSink, reread: (() => unknown) | undefined): StatementSource | undefined {
	const start = sink.count;
	const startMagnitude = sink.magnitude;
	const parsed = statementHeaderSchema.safeParse(value);
	if (!parsed.success) {
		return parseStatementBySchema(value, sink);
	}
	const header = statementHeader(parsed.data, sink);
	if (reread) {
		if (!header || sink.count > start) {
			return undefined;
		}
		const headerMagnitude = sink.magnitude;
		const { item, base } = sink;
		const { currency } = header;
		return {
			...statementOf(header, sink),
			transactionCount: parsed.data.transactions.length,
			// The statement is read again from the input when it is booked, not kept from now: whoever hands in the
			// items decides what is held (n8n holds its items anyway; a caller may produce them on demand).
			loadTransactions: (given?: unknown) => {
				const again = given === undefined ? reread() : given;
				const issues: InputIssue[] = [];
				const own = new IssueSink(issues, item, base);
				own.magnitude = headerMagnitude;
				let transactions =
					isRecord(again) && Array.isArray(again.transactions) ? plainTransactions(again.transactions, currency, own) : undefined;
				if (transactions === undefined) {
					issues.length = 0;
					transactions = parseStatementBySchema(again, new IssueSink(issues, item, base))?.transactions;
				} else {
					checkMagnitude(own);
				}
				if (issues.length > 0 || transactions === undefined) {
					throw new BookingInputError(issues);
				}
				return transactions;
			},
		};
	}
	if (!header) {
		// zod would have reported problems of the transactions instead: let it look.
		sink.truncate(start, startMagnitude);
		return parseStatementBySchema(value, sink);
	}
	const transactions = plainTransactions(parsed.data.transactions, header.currency, sink);
	if (transactions === undefined) {
		sink.truncate(start, startMagnitude);
		return parseStatementBySchema(value, sink);
	}
	checkMagnitude(sink);
	return sink.count > start ? undefined : { ...statementOf(header, sink), transactions };
}

function parseMoneyObject(raw: RawMoney, path: PathSegment[], sink: IssueSink): { currency: string; minor: number } | undefined {
	const currency = sink.currency(raw.currency, [...path, 'currency']);
	if (currency === undefined) {
		return undefined;
	}
	const minor = sink.money(raw.value, currency, [...path, 'value'], true);
	return minor === undefined ? undefined : { currency, minor };
}

function parsePayment(value: unknown, sink: IssueSink): PaymentInput | undefined {
	const raw: RawPayment | undefined = parseWith(paymentSchema, value, sink);
	if (!raw) {
		return undefined;
	}
	const before = sink.count;
	const amount = parseMoneyObject(raw.amount, ['amount'], sink);
	const settlement = raw.settlement_amount ? parseMoneyObject(raw.settlement_amount, ['settlement_amount'], sink) : undefined;
	const reserve = raw.reserve_amount ? parseMoneyObject(raw.reserve_amount, ['reserve_amount'], sink) : undefined;
	const beforeExchange = raw.payment_amount_before_exchange
		? parseMoneyObject(raw.payment_amount_before_exchange, ['payment_amount_before_exchange'], sink)
		: undefined;
	const status = raw.status.toUpperCase();
	if (status === 'PAID' && !raw.paid_time && !raw.create_time) {
		sink.add(['paid_time'], 'is missing (a paid payment needs paid_time or create_time for its Belegdatum)');
	}
	if (!amount || sink.count > before) {
		return undefined;
	}
	return {
		item: sink.item,
		id: raw.id,
		status,
		createTime: raw.create_time ?? undefined,
		// TikTok sends paid_time 0 until a payment is paid.
		paidTime: raw.paid_time ? raw.paid_time : undefined,
		currency: amount.currency,
		amountMinor: amount.minor,
		settlementMinor: settlement?.minor,
		reserveMinor: reserve?.minor,
		beforeExchange,
	};
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const NO_TRANSACTIONS =
	'has no transactions. Enable "Include Transactions" in the TikTok Shop node (or pass the Get Transactions by ' +
	'Statement response): a statement\'s totals alone cannot be booked per order, fee and reserve';

/** Finds the statements and payments in one item, unwrapping API envelopes and lists. */
function collectSources(
	value: unknown,
	path: PathSegment[],
	issues: InputIssue[],
	item: number,
	out: BookingSources,
	/** Reads `value` again from the input; given when a statement that is all of its item may be deferred. */
	reread: (() => unknown) | undefined,
	onDeferred?: ScanOptions['onDeferred'],
): void {
	const sink = new IssueSink(issues, item, path);
	if (!isRecord(value)) {
		sink.add([], `expected a TikTok statement or payment object, got ${Array.isArray(value) ? 'an array' : typeof value}`);
		return;
	}
	if ('code' in value && 'data' in value) {
		if (value.code !== 0 && value.code !== '0') {
			const message = typeof value.message === 'string' ? `: ${preview(value.message, 200)}` : '';
			sink.add(['code'], `the TikTok response is an error (code ${preview(value.code)}${message})`);
			return;
		}
		const rereadData = reread && ((): unknown => {
			const again = reread();
			return isRecord(again) ? again.data : undefined;
		});
		collectSources(value.data, [...path, 'data'], issues, item, out, rereadData, onDeferred);
		return;
	}
	if (Array.isArray(value.statements)) {
		value.statements.forEach((statement, index) => {
			const at = [...path, 'statements', index];
			if (isRecord(statement) && !Array.isArray(statement.transactions)) {
				new IssueSink(issues, item, at).add([], `statement ${preview(statement.id ?? '?')} ${NO_TRANSACTIONS}`);
				return;
			}
			// Several statements in one item are parsed now: the item must fail as a whole, before any is booked.
			collectSources(statement, at, issues, item, out, undefined);
		});
		return;
	}
	if (Array.isArray(value.orders)) {
		value.orders.forEach((order, index) => {
			const parsed = parseOrder(order, new IssueSink(issues, item, [...path, 'orders', index]));
			if (parsed) {
				out.orders?.push(parsed);
			}
		});
		return;
	}
	if (Array.isArray(value.line_items)) {
		const parsed = parseOrder(value, sink);
		if (parsed) {
			out.orders?.push(parsed);
		}
		return;
	}
	if (Array.isArray(value.payments)) {
		value.payments.forEach((payment, index) => {
			const parsed = parsePayment(payment, new IssueSink(issues, item, [...path, 'payments', index]));
			if (parsed) {
				out.payments.push(parsed);
			}
		});
		return;
	}
	if ('transactions' in value) {
		const parsed = parseStatement(value, sink, reread);
		if (parsed) {
			out.statements.push(parsed);
			if ('loadTransactions' in parsed) onDeferred?.(parsed, value);
		}
		return;
	}
	if ('statement_time' in value) {
		sink.add([], `statement ${preview(value.id ?? '?')} ${NO_TRANSACTIONS}`);
		return;
	}
	// Payments are recognised by their own fields, so that one with a field missing is validated as a payment.
	if ('amount' in value || 'paid_time' in value || 'payment_amount_before_exchange' in value) {
		const parsed = parsePayment(value, sink);
		if (parsed) {
			out.payments.push(parsed);
		}
		return;
	}
	sink.add([], 'is neither a TikTok statement (with transactions), a payment nor an order');
}

/** Statements (perhaps deferred: parsed when booked), payments and order details of the input. */
export interface BookingSources {
	statements: StatementSource[];
	payments: PaymentInput[];
	orders?: OrderInput[];
}

export interface ScanOptions {
	/** Accept input that holds nothing but order details (one item of several, checked alone). */
	ordersOnly?: boolean;
	/**
	 * Called for each deferred statement while its item is at hand (`value` is the statement as the item holds it),
	 * e.g. to check it with `statement.loadTransactions(value)` without reading the item again. What it throws ends
	 * the scan.
	 */
	onDeferred?: (statement: DeferredStatementInput, value: unknown) => void;
}

function collectItems(items: readonly unknown[], options: ScanOptions, defer: boolean): BookingSources {
	if (items.length === 0) {
		throw new BookingInputError([{ item: 0, path: '', message: 'the input is empty: there is nothing to book' }]);
	}
	const issues: InputIssue[] = [];
	const out: BookingSources = { statements: [], payments: [], orders: [] };
	items.forEach((value, item) => collectSources(value, [], issues, item, out, defer ? () => items[item] : undefined, options.onDeferred));
	if (issues.length > 0) {
		throw new BookingInputError(issues);
	}
	const ordersOnly = options.ordersOnly === true && (out.orders?.length ?? 0) > 0;
	if (out.statements.length === 0 && out.payments.length === 0 && !ordersOnly) {
		throw new BookingInputError([
			{ item: 0, path: '', message: 'the input holds no statements or payments: there is nothing to book' },
		]);
	}
	return out;
}

/**
 * Validates the items and returns the statements and payments in them. Throws a BookingInputError listing every
 * problem ("item 3: transactions[12].fee_tax_amount: "12.345" has more than 2 decimals for EUR").
 * `ordersOnly: true` accepts input that holds nothing but order details (one item of several, checked alone).
 */
export function parseBookingInput(items: readonly unknown[], options: { ordersOnly?: boolean } = {}): BookingInput {
	// Without deferring, every statement comes with its transactions.
	return collectItems(items, options, false) as BookingInput;
}

/**
 * Like parseBookingInput, but a statement that is an item of its own (the Map node's statement items) is only
 * checked down to its own fields: its transactions are parsed by `loadTransactions()` when the engine books it,
 * so a month's transactions are never parsed all at once. Problems of the transactions come up then; the error of
 * parseBookingInput on the same items names every problem at once.
 */
export function scanBookingInput(items: readonly unknown[], options: ScanOptions = {}): BookingSources {
	return collectItems(items, options, true);
}
