/**
 * One statement transaction → booking lines (booking model, "TikTok item → booking lines").
 * Every settlement component is booked against the balance account; whatever TikTok's components leave
 * unexplained of settlement_amount goes to the clearing account with a warning, so the balance lines of a
 * transaction always sum to its settlement_amount. Reserve amounts lie outside the settlement
 * (payable_amount = total_settlement_amount + total_reserve_amount) and are booked on top.
 */
import { formatMinor } from '../money';
import { type FeeCategory, feeLabel, feeMapping, type TypeMapping } from './fee-types';
import type { FeeComponent, OrderInput, TransactionInput } from './input';
import { type LineContext, post, type Posting } from './postings';
import { type RevenueTarget, revenueTarget } from './revenue-target';
import type { BookingSettings } from './settings';

/** Transaction types documented by TikTok (tiktok-shop-api.md §4.4); anything else is booked too, with a warning. */
const KNOWN_TYPES = new Set([
	'ORDER',
	'RESERVE',
	'CHARGE_BACK',
	'CUSTOMER_SERVICE_COMPENSATION',
	'DEDUCTIONS_INCURRED_BY_SELLER',
	'GMV_PAYMENT_FOR_ADS',
	'PLATFORM_COMMISSION_ADJUSTMENT',
	'PLATFORM_COMMISSION_COMPENSATION',
	'PLATFORM_PENALTY',
	'PROMOTION_ADJUSTMENT',
	'REBATE',
	'PLATFORM_COMPENSATION',
	'PLATFORM_REIMBURSEMENT',
	'COFUNDED_CREATOR_REWARDS',
	'FBT_WAREHOUSE_SERVICE_FEE',
	'LOGISTICS_REIMBURSEMENT',
	'SHIPPING_FEE_ADJUSTMENT',
	'SHIPPING_FEE_COMPENSATION',
	'SHIPPING_FEE_REBATE',
	'SAMPLE_SHIPPING_FEE',
	'SELLER_MISSION_REWARD',
	'Violation fee (settlement fee)',
	'Violation fee (credit card)',
	'Bill payment (negative balance)',
	'Sales proceed (negative balance)',
	'Bill deduction for negative balance',
	'OTHER_ADJUSTMENT',
]);

/** Types whose own amount is a settlement component of an order rather than an adjustment of its own. */
const STANDARD_TYPES = new Set(['ORDER', 'RESERVE']);

export interface TransactionBooking {
	postings: Posting[];
	/** Σ balance effect of the component lines (without the difference line). */
	componentMinor: number;
	/** settlement_amount − componentMinor, booked to clearing when not 0. */
	differenceMinor: number;
	/** Σ balance effect of the reserve lines. */
	reserveMinor: number;
}

function adjustmentMapping(type: string, settings: BookingSettings): TypeMapping | undefined {
	return Object.hasOwn(settings.adjustmentTypes, type) ? settings.adjustmentTypes[type] : undefined;
}

/** Sums of components, for the sign check and the rest line. */
function sumOf(components: readonly FeeComponent[]): number {
	return components.reduce((sum, component) => sum + component.minor, 0);
}

const CATEGORY_ORDER: Readonly<Record<FeeCategory, number>> = { service: 0, commission: 1, onBehalf: 2, unknown: 3, tax: 4 };

interface MappedComponent extends FeeComponent {
	mapping: TypeMapping & { category: FeeCategory };
}

/**
 * The non-zero breakdown components with their account and key, fees before taxes, by category and name. TikTok's
 * own examples disagree on whether breakdown values carry the sign of fee_tax_amount (deductions negative) or are
 * magnitudes; when the breakdown adds up exactly to minus fee_tax_amount, its signs are flipped.
 */
function mappedComponents(transaction: TransactionInput, settings: BookingSettings): MappedComponent[] {
	let components = transaction.feeBreakdown.filter((component) => component.minor !== 0);
	const sum = sumOf(components);
	if (sum !== 0 && sum !== transaction.feeTaxMinor && sum === -transaction.feeTaxMinor) {
		components = components.map((component) => ({ ...component, minor: -component.minor }));
	}
	return components
		.map((component) => ({ ...component, mapping: feeMapping(settings, component.group, component.name) }))
		.sort((a, b) => CATEGORY_ORDER[a.mapping.category] - CATEGORY_ORDER[b.mapping.category] || compareText(a.name, b.name));
}

/**
 * fee_tax_amount → lines. Taxes (fee_tax_breakdown.tax.*) are never fees: each is its own line on the withheld-taxes
 * account without a key. Fees get one line per account, key and kind ('total') or per field ('perFeeType'). What
 * the breakdown does not explain goes to the fee account without a key, with a warning, so the total stays exact.
 */
function feePostings(transaction: TransactionInput, context: LineContext, describe: string): Posting[] {
	const settings = context.settings;
	const components = mappedComponents(transaction, settings);
	const lines: Array<{ minor: number; account: string; taxKey: string; component: string; label: string }> = [];
	for (const component of components) {
		const { account, taxKey, category } = component.mapping;
		const perField = settings.feeLines === 'perFeeType' || category === 'tax' || category === 'unknown';
		if (category === 'unknown') {
			context.warn(
				`statement ${context.source.statementId}: fee field "${component.name}" is not known; it is booked on account ${account} ` +
					`without a tax key (add it under Fee Types to choose its account and key)`,
			);
		}
		const label = perField && category !== 'tax' ? `Gebühr ${component.name.replace(/_amount$/, '')}` : feeLabel(category, component.name);
		const key = perField ? `${component.group}:${component.name}` : 'fee_tax_amount';
		const group = perField ? undefined : lines.find((line) => line.account === account && line.taxKey === taxKey && line.label === label);
		if (group) {
			group.minor += component.minor;
		} else {
			lines.push({ minor: component.minor, account, taxKey, component: key, label });
		}
	}
	const rest = transaction.feeTaxMinor - sumOf(components);
	if (rest !== 0) {
		const feeAccount = settings.accounts.fees;
		lines.push({ minor: rest, account: feeAccount, taxKey: '', component: 'fee:rest', label: 'Gebühren' });
		context.warn(
			components.length === 0
				? `statement ${context.source.statementId}: fee_tax_amount comes without fee_tax_breakdown, so fees and taxes cannot be ` +
						`told apart; it is booked on the fee account ${feeAccount} without a tax key (check TikTok's fee invoice)`
				: `${describe}: fee_tax_breakdown sums to ${formatMinor(sumOf(components), context.currency)} but fee_tax_amount is ` +
						`${formatMinor(transaction.feeTaxMinor, context.currency)} ${context.currency}; the rest ` +
						`${formatMinor(rest, context.currency)} is booked on the fee account ${feeAccount} without a tax key`,
		);
	}
	const postings: Posting[] = [];
	for (const line of lines) {
		const posting = post(context, {
			signedMinor: line.minor,
			konto: 'counter',
			counterAccount: line.account,
			taxKey: line.taxKey,
			component: line.component,
			label: line.label,
		});
		if (posting) {
			postings.push(posting);
		}
	}
	return postings;
}

/**
 * revenue_amount and the shipping the buyer paid (shipping_cost_breakdown.customer_paid_shipping_fee_amount), i.e.
 * what the customer's invoice covers, go to the revenue counter-account of the mode: the revenue clearing account,
 * the collective debtor (one line for the whole invoice amount, so that OPOS clears it under the invoice number), or
 * the revenue account of the order's VAT rate.
 */
function revenuePostings(transaction: TransactionInput, context: LineContext, describe: string, order: OrderInput | undefined): Posting[] {
	const settings = context.settings;
	const revenue = transaction.revenueMinor;
	const shipping = transaction.customerShippingMinor;
	const label = (amount: number): string => (amount < 0 ? 'Erstattung' : 'Umsatz');
	if (settings.revenueMode === 'collectiveDebtor') {
		const invoice = revenue + shipping;
		const line = post(context, {
			signedMinor: invoice,
			konto: 'balance',
			counterAccount: settings.accounts.collectiveDebtor,
			taxKey: '',
			component: 'invoice_amount',
			label: label(invoice),
			// OPOS: the payment must carry the invoice's Belegfeld 1 on the same debtor.
			documentTemplate: settings.templates.invoiceNumber,
		});
		return line ? [line] : [];
	}
	let target: RevenueTarget = { account: settings.accounts.revenueClearing, taxKey: '', taxColumns: {} };
	if (settings.revenueMode === 'revenueAccounts' && (revenue !== 0 || shipping !== 0)) {
		target = revenueTarget(transaction, order, { settings, date: context.date, describe, warn: context.warn });
	}
	const lines = [
		post(context, { signedMinor: revenue, konto: 'balance', counterAccount: target.account, taxKey: target.taxKey, component: 'revenue_amount', label: label(revenue), taxColumns: target.taxColumns }),
		post(context, { signedMinor: shipping, konto: 'balance', counterAccount: target.account, taxKey: target.taxKey, component: 'customer_paid_shipping_fee_amount', label: 'Versanderlös', taxColumns: target.taxColumns }),
	];
	return lines.filter((line): line is Posting => line !== undefined);
}

function reservePosting(transaction: TransactionInput, context: LineContext, describe: string): Posting | undefined {
	const amount = transaction.reserveMinor;
	const status = transaction.reserveStatus;
	// The sign decides (it is what total_reserve_amount uses: + released, − withheld); a contradicting status is
	// reported rather than trusted.
	if ((status === 'RELEASED' && amount < 0) || (status === 'COLLECTED' && amount > 0)) {
		context.warn(
			`${describe}: reserve_amount ${formatMinor(amount, context.currency)} contradicts reserve_status ${status}; ` +
				'booked by the sign of the amount',
		);
	}
	const reserve = context.settings.accounts.reserve;
	return amount < 0
		? post(context, { signedMinor: amount, konto: 'counter', counterAccount: reserve, taxKey: '', component: 'reserve_amount', label: 'Einbehalt' })
		: post(context, { signedMinor: amount, konto: 'balance', counterAccount: reserve, taxKey: '', component: 'reserve_amount', label: 'Freigabe' });
}

export function describeTransaction(statementId: string, transaction: TransactionInput): string {
	const order = transaction.orderId === '' ? '' : `, order ${transaction.orderId}`;
	return `statement ${statementId}, transaction ${transaction.id} (${transaction.type}${order})`;
}

export function bookTransaction(
	transaction: TransactionInput,
	context: LineContext,
	statementId: string,
	order?: OrderInput,
): TransactionBooking {
	const settings = context.settings;
	const { accounts, taxKeys } = settings;
	const describe = describeTransaction(statementId, transaction);
	const postings: Posting[] = [];
	const add = (posting: Posting | undefined): void => {
		if (posting) {
			postings.push(posting);
		}
	};

	postings.push(...revenuePostings(transaction, context, describe, order));
	add(
		post(context, {
			// The buyer's share of shipping is revenue (above); the rest is what the seller pays for shipping.
			signedMinor: transaction.shippingMinor - transaction.customerShippingMinor,
			konto: 'balance',
			counterAccount: accounts.shipping,
			taxKey: taxKeys.shipping,
			component: 'shipping_cost_amount',
			label: 'Versand',
		}),
	);
	// A loop, not push(...spread): a breakdown may hold more fee types than a call may take arguments.
	for (const posting of feePostings(transaction, context, describe)) postings.push(posting);

	const mapping = adjustmentMapping(transaction.type, settings);
	const isAdjustmentType = !STANDARD_TYPES.has(transaction.type);
	if (isAdjustmentType && !mapping && !KNOWN_TYPES.has(transaction.type)) {
		context.warn(`${describe}: unknown transaction type "${transaction.type}" is booked on the clearing account ${accounts.clearing}`);
	}
	const componentsSoFar = postings.reduce((sum, posting) => sum + posting.balanceEffect, 0);
	// An adjustment without adjustment_amount is its settlement amount: book it on the type's account, not as a
	// "difference" on clearing.
	const adjustmentMinor =
		transaction.adjustmentMinor ?? (isAdjustmentType ? transaction.settlementMinor - componentsSoFar : 0);
	add(
		post(context, {
			signedMinor: adjustmentMinor,
			konto: 'balance',
			counterAccount: mapping?.account ?? accounts.clearing,
			taxKey: mapping?.taxKey ?? '',
			component: 'adjustment_amount',
			label: isAdjustmentType ? transaction.type : 'Anpassung',
		}),
	);

	const componentMinor = postings.reduce((sum, posting) => sum + posting.balanceEffect, 0);
	const differenceMinor = transaction.settlementMinor - componentMinor;
	const difference = post(context, {
		signedMinor: differenceMinor,
		konto: 'balance',
		counterAccount: accounts.clearing,
		taxKey: '',
		component: 'difference',
		label: 'Differenz',
	});
	if (difference) {
		postings.push(difference);
		context.warn(
			`${describe}: components sum to ${formatMinor(componentMinor, context.currency)} but settlement_amount is ` +
				`${formatMinor(transaction.settlementMinor, context.currency)} ${context.currency}; the difference ` +
				`${formatMinor(differenceMinor, context.currency)} is booked on the clearing account ${accounts.clearing}`,
		);
	}

	const reserve = reservePosting(transaction, context, describe);
	if (reserve) {
		postings.push(reserve);
	}
	return { postings, componentMinor, differenceMinor, reserveMinor: reserve?.balanceEffect ?? 0 };
}

/** Orders ids numerically when both are digit strings (TikTok ids), else as text; deterministic either way. */
export function compareText(a: string, b: string): number {
	if (/^\d+$/.test(a) && /^\d+$/.test(b) && a.length !== b.length) {
		return a.length - b.length;
	}
	return a < b ? -1 : a > b ? 1 : 0;
}
