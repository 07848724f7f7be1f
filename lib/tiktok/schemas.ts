import { z } from 'zod';

/*
 * Zod schemas for what TikTok sends us. They run at the edge, so nothing downstream sees unchecked data.
 * - Money stays a decimal string ("-66.79"): converting happens in lib/money.ts, never here.
 * - Ids are strings (19-digit ids do not survive as JS numbers).
 * - Every object is `.passthrough()`: TikTok keeps adding fields and we must hand them on, not drop them.
 * - Enumerations that TikTok extends over time (transaction `type`, statuses) are open strings.
 */

/** A signed decimal number as TikTok writes amounts: "100", "-30", "205.66". No exponent, no separators. */
const DECIMAL = /^[+-]?\d+(\.\d+)?$/;
const DECIMAL_MESSAGE = 'expected a decimal amount string such as "-66.79"';
export const decimalString = z.string().regex(DECIMAL, { message: DECIMAL_MESSAGE });

/**
 * TikTok's finance ids (statements, transactions, orders, adjustments, payments, reserves, shops) are digit
 * strings, withdrawal ids capital letters and digits (reference §4). We accept letters, digits, `_` and `-`, up to
 * 64 characters, starting with a letter or digit: enough room for TikTok to change its format, and never a
 * separator, quote, blank or formula start (= + - @) that would end up in a DATEV field or a spreadsheet.
 */
export const TIKTOK_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const TIKTOK_ID_MESSAGE = 'must be a TikTok id (letters, digits, _ and -, starting with a letter or digit, at most 64 characters)';
const id = z.string().regex(TIKTOK_ID, TIKTOK_ID_MESSAGE);
/** Empty means "none" (TikTok sends '' for an absent order or adjustment id). */
const optionalId = z.union([z.literal(''), id], { errorMap: () => ({ message: TIKTOK_ID_MESSAGE }) }).optional();
/** Shop ciphers are opaque tokens (base64-like), passed back to TikTok as they are, never written to DATEV. */
const cipher = z.string().min(1);

/**
 * Unix seconds TikTok can mean: 0 ("not yet", e.g. paid_time of an unpaid payout) up to 2100-01-01. Anything
 * beyond is corrupted data that would only fail later, far from the field that caused it.
 */
export const LATEST_UNIX_SECONDS = 4_102_444_800;
export const UNIX_SECONDS_MESSAGE = 'must be Unix seconds between 1970 and 2100';
const unixSeconds = z.number().int(UNIX_SECONDS_MESSAGE).min(0, UNIX_SECONDS_MESSAGE).max(LATEST_UNIX_SECONDS, UNIX_SECONDS_MESSAGE);
/** Transaction types and statuses are short words; a long one is not TikTok's. */
export const MAX_LABEL_LENGTH = 100;
const label = z.string().max(MAX_LABEL_LENGTH, `must be at most ${MAX_LABEL_LENGTH} characters`);
const optionalDecimal = decimalString.optional();

/**
 * Breakdown objects (revenue_breakdown, fee_tax_breakdown.fee, supplementary_component, …) hold only amounts,
 * possibly nested one level or two. TikTok adds keys often, so they are validated generically: every leaf must be
 * a decimal string.
 */
export type AmountTree = { [key: string]: string | AmountTree };
/*
 * Checked by hand rather than with z.lazy/z.record/z.union: that composition made validating a 100-transaction page
 * about ten times slower, which mattered for months with 100,000 orders.
 */
export const amountTree = z.custom<AmountTree>().superRefine((value, ctx) => {
	const problem = findAmountTreeProblem(value, 0);
	if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, path: problem.path, message: problem.message });
});

const MAX_TREE_DEPTH = 4;

/**
 * The first problem of an amount tree, its path relative to the tree. Allocates nothing for a valid tree (no
 * entries arrays, no paths): a statement page holds hundreds of trees, and garbage made while a page is checked
 * keeps the page alive across V8's young-generation collections (bench/README.md, bench 2, "Memory of the fetch").
 */
function findAmountTreeProblem(value: unknown, depth: number): { path: string[]; message: string } | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return { path: [], message: 'expected an object of amounts' };
	}
	const tree = value as Record<string, unknown>;
	for (const key in tree) {
		if (!Object.hasOwn(tree, key)) continue;
		const child = tree[key];
		if (typeof child === 'string') {
			if (!DECIMAL.test(child)) return { path: [key], message: DECIMAL_MESSAGE };
		} else if (depth + 1 >= MAX_TREE_DEPTH) {
			return { path: [key], message: 'amount breakdown nested too deeply' };
		} else {
			const problem = findAmountTreeProblem(child, depth + 1);
			if (problem) return { path: [key, ...problem.path], message: problem.message };
		}
	}
	return undefined;
}

export const moneyValue = z.object({ value: decimalString, currency: z.string().min(1) }).passthrough();

/** Every TikTok response: `code == 0` means success whatever the HTTP status says. */
export const envelope = z
	.object({
		code: z.number().int(),
		message: z.string().optional().default(''),
		request_id: z.string().optional(),
		data: z.unknown().optional(),
	})
	.passthrough();
export type TikTokEnvelope = z.infer<typeof envelope>;

/** Opaque, about 80 characters in TikTok's examples; a megabyte token would only be sent back to the server. */
export const MAX_PAGE_TOKEN_LENGTH = 4096;
const nextPageToken = z.string().max(MAX_PAGE_TOKEN_LENGTH, `must be at most ${MAX_PAGE_TOKEN_LENGTH} characters`).optional();

// ---- §3 Get Authorized Shops ------------------------------------------------------------------------------------

export const shop = z
	.object({
		id,
		name: z.string(),
		region: z.string(),
		seller_type: z.string().optional(),
		cipher,
		code: z.string().optional(),
	})
	.passthrough();
export type TikTokShop = z.infer<typeof shop>;

export const authorizedShopsData = z.object({ shops: z.array(shop).default([]) }).passthrough();
export type AuthorizedShopsData = z.infer<typeof authorizedShopsData>;

// ---- §4.1 Get Statements ------------------------------------------------------------------------------------------

export const statement = z
	.object({
		id,
		statement_time: unixSeconds,
		currency: z.string().min(1),
		settlement_amount: decimalString,
		revenue_amount: optionalDecimal,
		net_sales_amount: optionalDecimal,
		shipping_cost_amount: optionalDecimal,
		fee_amount: optionalDecimal,
		adjustment_amount: optionalDecimal,
		payment_status: label.optional(),
		payment_id: optionalId,
	})
	.passthrough();
export type TikTokStatement = z.infer<typeof statement>;

export const statementsPage = z
	.object({ next_page_token: nextPageToken, statements: z.array(statement).default([]) })
	.passthrough();
export type StatementsPage = z.infer<typeof statementsPage>;

// ---- §4.2 Get Payments --------------------------------------------------------------------------------------------

export const payment = z
	.object({
		id,
		create_time: unixSeconds,
		paid_time: unixSeconds.optional(),
		status: label,
		amount: moneyValue,
		settlement_amount: moneyValue.optional(),
		// Only the 202309 version has it; 202605 dropped it (reference §4.2).
		reserve_amount: moneyValue.optional(),
		payment_amount_before_exchange: moneyValue.optional(),
		exchange_rate: optionalDecimal,
		bank_account: z.string().optional(),
	})
	.passthrough();
export type TikTokPayment = z.infer<typeof payment>;

export const paymentsPage = z
	.object({ next_page_token: nextPageToken, payments: z.array(payment).default([]) })
	.passthrough();
export type PaymentsPage = z.infer<typeof paymentsPage>;

// ---- §4.3 Get Withdrawals -----------------------------------------------------------------------------------------

export const withdrawal = z
	.object({
		id,
		type: label,
		amount: decimalString,
		currency: z.string().min(1),
		status: label,
		create_time: unixSeconds,
	})
	.passthrough();
export type TikTokWithdrawal = z.infer<typeof withdrawal>;

export const withdrawalsPage = z
	.object({
		next_page_token: nextPageToken,
		total_count: z.number().int().optional(),
		withdrawals: z.array(withdrawal).default([]),
	})
	.passthrough();
export type WithdrawalsPage = z.infer<typeof withdrawalsPage>;

// ---- §4.4 Get Transactions by Statement (202501) ------------------------------------------------------------------

/** Kinds of field a high-volume record may carry; checked by `recordChecked`. */
type FieldKind = 'id' | 'optional-id' | 'code' | 'label' | 'string' | 'decimal' | 'time' | 'tree';

const FIELD_PROBLEM: Record<FieldKind, string> = {
	id: TIKTOK_ID_MESSAGE,
	'optional-id': TIKTOK_ID_MESSAGE,
	code: 'expected a non-empty string',
	label: `expected a string of at most ${MAX_LABEL_LENGTH} characters`,
	string: 'expected a string',
	decimal: DECIMAL_MESSAGE,
	time: UNIX_SECONDS_MESSAGE,
	tree: 'expected an object of amounts',
};

function fieldProblem(kind: FieldKind, value: unknown): boolean {
	switch (kind) {
		case 'id':
			return typeof value !== 'string' || !TIKTOK_ID.test(value);
		case 'optional-id':
			return typeof value !== 'string' || (value !== '' && !TIKTOK_ID.test(value));
		case 'code':
			return typeof value !== 'string' || value === '';
		case 'label':
			return typeof value !== 'string' || value.length > MAX_LABEL_LENGTH;
		case 'string':
			return typeof value !== 'string';
		case 'decimal':
			return typeof value !== 'string' || !DECIMAL.test(value);
		case 'time':
			return !Number.isSafeInteger(value) || (value as number) < 0 || (value as number) > LATEST_UNIX_SECONDS;
		case 'tree':
			return false; // checked with its own path below
	}
}

interface CheckedField {
	key: string;
	kind: FieldKind;
	required: boolean;
}

type RecordFields = [required: Record<string, FieldKind>, optional: Record<string, FieldKind>];

function checkedFields([required, optional]: RecordFields): CheckedField[] {
	return [
		...Object.entries(required).map(([key, kind]) => ({ key, kind, required: true })),
		...Object.entries(optional).map(([key, kind]) => ({ key, kind, required: false })),
	];
}

/** Reports one problem of a record, its path relative to the record. */
type Report = (path: Array<string | number>, message: string) => void;

function checkRecord(fields: readonly CheckedField[], value: unknown, report: Report): void {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		report([], 'expected an object');
		return;
	}
	const record = value as Record<string, unknown>;
	for (const field of fields) {
		const fieldValue = record[field.key];
		if (fieldValue === undefined) {
			if (field.required) report([field.key], 'required');
			continue;
		}
		if (field.kind === 'tree') {
			const problem = findAmountTreeProblem(fieldValue, 0);
			if (problem) report([field.key, ...problem.path], problem.message);
		} else if (fieldProblem(field.kind, fieldValue)) {
			report([field.key], FIELD_PROBLEM[field.kind]);
		}
	}
}

/**
 * A record validated field by field without cloning it. Transactions arrive by the hundred thousand; a declarative
 * z.object for them cost more time than the HTTP round trip in the sandbox. Same rules as the object schemas:
 * listed fields are checked, unknown fields pass through untouched.
 */
function recordChecked<T>(recordFields: RecordFields) {
	const fields = checkedFields(recordFields);
	return z.custom<T>().superRefine((value, ctx) => {
		checkRecord(fields, value, (path, message) => ctx.addIssue({ code: z.ZodIssueCode.custom, path, message }));
	});
}

/**
 * A page's array of such records, checked in one loop: the same issues at the same paths as z.array(recordChecked)
 * (an array of another type is reported as z.array reports it), and the records handed on as they are. z.array
 * ran zod's parsing machinery for every element, which made garbage by the page; see findAmountTreeProblem for why
 * that matters.
 */
function recordsChecked<T>(recordFields: RecordFields) {
	const fields = checkedFields(recordFields);
	return z.custom<T[]>().superRefine((value, ctx) => {
		if (!Array.isArray(value)) {
			ctx.addIssue({ code: z.ZodIssueCode.invalid_type, expected: z.ZodParsedType.array, received: z.getParsedType(value) });
			return;
		}
		let index = 0;
		const report: Report = (path, message) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [index, ...path], message });
		for (; index < value.length; index++) checkRecord(fields, value[index], report);
	});
}

/** One line of Get Transactions by Statement (202501). Unknown fields are kept. */
export interface TikTokTransaction {
	id: string;
	/** Open string: ORDER, RESERVE, adjustment types and human-readable negative-balance labels all occur. */
	type: string;
	order_id?: string;
	order_create_time?: number;
	adjustment_id?: string;
	adjustment_order_id?: string;
	adjustment_amount?: string;
	settlement_amount?: string;
	revenue_amount?: string;
	revenue_breakdown?: AmountTree;
	shipping_cost_amount?: string;
	shipping_cost_breakdown?: AmountTree;
	fee_tax_amount?: string;
	fee_tax_breakdown?: AmountTree;
	supplementary_component?: AmountTree;
	reserve_id?: string;
	reserve_amount?: string;
	/** "COLLECTED"/"RELEASED", but the official example writes "Collected": compare case-insensitively. */
	reserve_status?: string;
	associated_order_id?: string;
	/** A string epoch, empty once released. */
	estimated_release_time?: string;
	[key: string]: unknown;
}

const TRANSACTION_FIELDS: RecordFields = [
	{ id: 'id', type: 'label' },
	{
		order_id: 'optional-id',
		order_create_time: 'time',
		adjustment_id: 'optional-id',
		adjustment_order_id: 'optional-id',
		adjustment_amount: 'decimal',
		settlement_amount: 'decimal',
		revenue_amount: 'decimal',
		revenue_breakdown: 'tree',
		shipping_cost_amount: 'decimal',
		shipping_cost_breakdown: 'tree',
		fee_tax_amount: 'decimal',
		fee_tax_breakdown: 'tree',
		supplementary_component: 'tree',
		reserve_id: 'optional-id',
		reserve_amount: 'decimal',
		reserve_status: 'label',
		associated_order_id: 'optional-id',
		estimated_release_time: 'string',
	},
];
export const transaction = recordChecked<TikTokTransaction>(TRANSACTION_FIELDS);
const transactions = recordsChecked<TikTokTransaction>(TRANSACTION_FIELDS);

/** The statement-level fields every page of Get Transactions by Statement repeats. */
export const statementTransactionsTotals = z
	.object({
		id,
		create_time: unixSeconds.optional(),
		status: label.optional(),
		currency: z.string().min(1),
		payable_amount: optionalDecimal,
		total_reserve_amount: optionalDecimal,
		total_settlement_amount: optionalDecimal,
		total_settlement_breakdown: amountTree.optional(),
		total_count: z.number().int().optional(),
	})
	.passthrough();
export type StatementTransactionsTotals = z.infer<typeof statementTransactionsTotals>;

export const statementTransactionsPage = statementTransactionsTotals
	.extend({ next_page_token: nextPageToken, transactions: transactions.default([]) })
	.passthrough();
export type StatementTransactionsPage = z.infer<typeof statementTransactionsPage>;

// ---- §4.5 Get Transactions by Order (202501) ----------------------------------------------------------------------

export const skuTransaction = z
	.object({
		sku_id: z.string().optional(),
		sku_name: z.string().optional(),
		product_name: z.string().optional(),
		// A string since 202501; 202309 sent a number.
		quantity: z.union([z.string(), z.number().int()]).optional(),
		statement_id: optionalId,
		settlement_amount: optionalDecimal,
		revenue_amount: optionalDecimal,
		revenue_breakdown: amountTree.optional(),
		shipping_cost_amount: optionalDecimal,
		shipping_cost_breakdown: amountTree.optional(),
		fee_tax_amount: optionalDecimal,
		fee_tax_breakdown: amountTree.optional(),
	})
	.passthrough();
export type TikTokSkuTransaction = z.infer<typeof skuTransaction>;

export const orderTransactions = z
	.object({
		order_id: id,
		order_create_time: unixSeconds.optional(),
		currency: z.string().min(1),
		revenue_amount: optionalDecimal,
		fee_and_tax_amount: optionalDecimal,
		shipping_cost_amount: optionalDecimal,
		settlement_amount: optionalDecimal,
		total_count: z.number().int().optional(),
		sku_transactions: z.array(skuTransaction).default([]),
	})
	.passthrough();
export type OrderTransactions = z.infer<typeof orderTransactions>;

// ---- §4.6 Get Unsettled Transactions (202507) ---------------------------------------------------------------------

/** One line of Get Unsettled Transactions (202507); amounts are estimates. Unknown fields are kept. */
export interface TikTokUnsettledTransaction {
	id: string;
	type: string;
	status?: string;
	currency: string;
	/** Either "x days after delivery" or a string epoch. */
	estimated_settlement?: string;
	unsettled_reason?: string;
	order_id?: string;
	order_create_time?: number;
	order_delivery_time?: number;
	adjustment_id?: string;
	adjustment_order_id?: string;
	est_adjustment_amount?: string;
	est_settlement_amount?: string;
	est_revenue_amount?: string;
	est_shipping_cost_amount?: string;
	est_fee_tax_amount?: string;
	[key: string]: unknown;
}

const UNSETTLED_TRANSACTION_FIELDS: RecordFields = [
	{ id: 'id', type: 'label', currency: 'code' },
	{
		status: 'label',
		estimated_settlement: 'string',
		unsettled_reason: 'string',
		order_id: 'optional-id',
		order_create_time: 'time',
		order_delivery_time: 'time',
		adjustment_id: 'optional-id',
		adjustment_order_id: 'optional-id',
		est_adjustment_amount: 'decimal',
		est_settlement_amount: 'decimal',
		est_revenue_amount: 'decimal',
		est_shipping_cost_amount: 'decimal',
		est_fee_tax_amount: 'decimal',
	},
];
export const unsettledTransaction = recordChecked<TikTokUnsettledTransaction>(UNSETTLED_TRANSACTION_FIELDS);
const unsettledTransactions = recordsChecked<TikTokUnsettledTransaction>(UNSETTLED_TRANSACTION_FIELDS);

export const unsettledTransactionsPage = z
	.object({
		next_page_token: nextPageToken,
		total_count: z.number().int().optional(),
		sum_est_settlement_amount: optionalDecimal,
		sum_est_revenue_amount: optionalDecimal,
		sum_est_adjustment_amount: optionalDecimal,
		sum_est_fee_amount: optionalDecimal,
		transactions: unsettledTransactions.default([]),
	})
	.passthrough();
export type UnsettledTransactionsPage = z.infer<typeof unsettledTransactionsPage>;

// ---- §1.3 Token endpoints -----------------------------------------------------------------------------------------

export const tokenData = z
	.object({
		access_token: z.string().min(1),
		// Absolute Unix seconds, not durations (reference §1.3).
		access_token_expire_in: unixSeconds,
		refresh_token: z.string().min(1),
		refresh_token_expire_in: unixSeconds,
		open_id: z.string().optional(),
		seller_name: z.string().optional(),
		seller_base_region: z.string().optional(),
		user_type: z.number().int().optional(),
		granted_scopes: z.array(z.string()).optional(),
		// Older name of granted_scopes (2024 changelog); read both.
		granted_permissions: z.array(z.string()).optional(),
	})
	.passthrough();
export type TikTokTokenData = z.infer<typeof tokenData>;
