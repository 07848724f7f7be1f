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

const id = z.string().min(1);
const unixSeconds = z.number().int();
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
	const problem = findAmountTreeProblem(value, [], 0);
	if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, path: problem.path, message: problem.message });
});

const MAX_TREE_DEPTH = 4;

function findAmountTreeProblem(
	value: unknown,
	path: string[],
	depth: number,
): { path: string[]; message: string } | undefined {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		return { path, message: 'expected an object of amounts' };
	}
	for (const [key, child] of Object.entries(value)) {
		if (typeof child === 'string') {
			if (!DECIMAL.test(child)) return { path: [...path, key], message: DECIMAL_MESSAGE };
		} else if (depth + 1 >= MAX_TREE_DEPTH) {
			return { path: [...path, key], message: 'amount breakdown nested too deeply' };
		} else {
			const problem = findAmountTreeProblem(child, [...path, key], depth + 1);
			if (problem) return problem;
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

const nextPageToken = z.string().optional();

// ---- §3 Get Authorized Shops ------------------------------------------------------------------------------------

export const shop = z
	.object({
		id,
		name: z.string(),
		region: z.string(),
		seller_type: z.string().optional(),
		cipher: id,
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
		payment_status: z.string().optional(),
		payment_id: z.string().optional(),
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
		status: z.string(),
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
		type: z.string(),
		amount: decimalString,
		currency: z.string().min(1),
		status: z.string(),
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

export const transaction = z
	.object({
		id,
		// Open string: ORDER, RESERVE, adjustment types and human-readable negative-balance labels all occur.
		type: z.string(),
		order_id: z.string().optional(),
		order_create_time: unixSeconds.optional(),
		adjustment_id: z.string().optional(),
		adjustment_order_id: z.string().optional(),
		adjustment_amount: optionalDecimal,
		settlement_amount: optionalDecimal,
		revenue_amount: optionalDecimal,
		revenue_breakdown: amountTree.optional(),
		shipping_cost_amount: optionalDecimal,
		shipping_cost_breakdown: amountTree.optional(),
		fee_tax_amount: optionalDecimal,
		fee_tax_breakdown: amountTree.optional(),
		supplementary_component: amountTree.optional(),
		reserve_id: z.string().optional(),
		reserve_amount: optionalDecimal,
		// "COLLECTED"/"RELEASED", but the official example writes "Collected": compare case-insensitively downstream.
		reserve_status: z.string().optional(),
		associated_order_id: z.string().optional(),
		// A string epoch, empty once released.
		estimated_release_time: z.string().optional(),
	})
	.passthrough();
export type TikTokTransaction = z.infer<typeof transaction>;

export const statementTransactionsPage = z
	.object({
		id,
		create_time: unixSeconds.optional(),
		status: z.string().optional(),
		currency: z.string().min(1),
		payable_amount: optionalDecimal,
		total_reserve_amount: optionalDecimal,
		total_settlement_amount: optionalDecimal,
		total_settlement_breakdown: amountTree.optional(),
		total_count: z.number().int().optional(),
		next_page_token: nextPageToken,
		transactions: z.array(transaction).default([]),
	})
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
		statement_id: z.string().optional(),
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

export const unsettledTransaction = z
	.object({
		id,
		type: z.string(),
		status: z.string().optional(),
		currency: z.string().min(1),
		// Either "x days after delivery" or a string epoch.
		estimated_settlement: z.string().optional(),
		unsettled_reason: z.string().optional(),
		order_id: z.string().optional(),
		order_create_time: unixSeconds.optional(),
		order_delivery_time: unixSeconds.optional(),
		adjustment_id: z.string().optional(),
		adjustment_order_id: z.string().optional(),
		est_adjustment_amount: optionalDecimal,
		est_settlement_amount: optionalDecimal,
		est_revenue_amount: optionalDecimal,
		est_shipping_cost_amount: optionalDecimal,
		est_fee_tax_amount: optionalDecimal,
	})
	.passthrough();
export type TikTokUnsettledTransaction = z.infer<typeof unsettledTransaction>;

export const unsettledTransactionsPage = z
	.object({
		next_page_token: nextPageToken,
		total_count: z.number().int().optional(),
		sum_est_settlement_amount: optionalDecimal,
		sum_est_revenue_amount: optionalDecimal,
		sum_est_adjustment_amount: optionalDecimal,
		sum_est_fee_amount: optionalDecimal,
		transactions: z.array(unsettledTransaction).default([]),
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
