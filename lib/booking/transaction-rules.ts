/**
 * One statement transaction → booking lines (booking model, "TikTok item → booking lines").
 * Every settlement component is booked against the balance account; whatever TikTok's components leave
 * unexplained of settlement_amount goes to the clearing account with a warning, so the balance lines of a
 * transaction always sum to its settlement_amount. Reserve amounts lie outside the settlement
 * (payable_amount = total_settlement_amount + total_reserve_amount) and are booked on top.
 */
import { formatMinor } from '../money';
import type { FeeComponent, TransactionInput } from './input';
import { type LineContext, post, type Posting } from './postings';
import type { BookingSettings, TypeMapping } from './settings';

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

export function revenueCounterAccount(settings: BookingSettings): string {
	switch (settings.revenueMode) {
		case 'collectiveDebtor':
			return settings.accounts.collectiveDebtor;
		case 'revenueAccounts':
			return settings.accounts[settings.revenueAccount];
		case 'clearing':
			return settings.accounts.clearing;
	}
}

/**
 * The mapping configured for exactly this name. Names come from TikTok: a type or fee called "constructor" or
 * "__proto__" must not find Object.prototype's members, so only own entries count.
 */
function configured(mappings: Readonly<Record<string, TypeMapping>>, name: string): TypeMapping | undefined {
	return Object.hasOwn(mappings, name) ? mappings[name] : undefined;
}

function feeTypeLabel(component: FeeComponent): string {
	const name = component.name.replace(/_amount$/, '');
	return component.group === 'fee' ? `Gebühr ${name}` : `Steuer ${name}`;
}

/** Fee lines: one for fee_tax_amount, or one per fee type plus the unexplained rest so the total stays exact. */
function feePostings(transaction: TransactionInput, context: LineContext, describe: string): Posting[] {
	const settings = context.settings;
	const feeAccount = settings.accounts.fees;
	const feeKey = settings.taxKeys.fees;
	const byType = transaction.feeBreakdown
		.filter((component) => component.minor !== 0)
		.sort((a, b) => (a.group === b.group ? compareText(a.name, b.name) : a.group === 'fee' ? -1 : 1));
	if (settings.feeLines === 'total' || byType.length === 0) {
		const total = post(context, {
			signedMinor: transaction.feeTaxMinor,
			konto: 'counter',
			counterAccount: feeAccount,
			taxKey: feeKey,
			component: 'fee_tax_amount',
			label: 'Gebühren',
		});
		return total ? [total] : [];
	}
	const postings: Posting[] = [];
	let explained = 0;
	for (const component of byType) {
		const mapping = configured(settings.feeTypes, component.name) ?? { account: feeAccount, taxKey: feeKey };
		explained += component.minor;
		const posting = post(context, {
			signedMinor: component.minor,
			konto: 'counter',
			counterAccount: mapping.account,
			taxKey: mapping.taxKey,
			component: `${component.group}:${component.name}`,
			label: feeTypeLabel(component),
		});
		if (posting) {
			postings.push(posting);
		}
	}
	const rest = transaction.feeTaxMinor - explained;
	const restPosting = post(context, {
		signedMinor: rest,
		konto: 'counter',
		counterAccount: feeAccount,
		taxKey: feeKey,
		component: 'fee:rest',
		label: 'Gebühren Rest',
	});
	if (restPosting) {
		postings.push(restPosting);
		context.warn(
			`${describe}: fee_tax_breakdown sums to ${formatMinor(explained, context.currency)} but fee_tax_amount is ` +
				`${formatMinor(transaction.feeTaxMinor, context.currency)} ${context.currency}; the rest ` +
				`${formatMinor(rest, context.currency)} is booked on the fee account ${feeAccount}`,
		);
	}
	return postings;
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

export function bookTransaction(transaction: TransactionInput, context: LineContext, statementId: string): TransactionBooking {
	const settings = context.settings;
	const { accounts, taxKeys } = settings;
	const describe = describeTransaction(statementId, transaction);
	const postings: Posting[] = [];
	const add = (posting: Posting | undefined): void => {
		if (posting) {
			postings.push(posting);
		}
	};

	add(
		post(context, {
			signedMinor: transaction.revenueMinor,
			konto: 'balance',
			counterAccount: revenueCounterAccount(settings),
			taxKey: taxKeys.revenue,
			component: 'revenue_amount',
			label: transaction.revenueMinor < 0 ? 'Erstattung' : 'Umsatz',
			// OPOS: the settlement must carry the invoice's Belegfeld 1 on the same debtor.
			documentTemplate: settings.revenueMode === 'collectiveDebtor' ? settings.templates.invoiceNumber : undefined,
		}),
	);
	add(
		post(context, {
			signedMinor: transaction.shippingMinor,
			konto: 'balance',
			counterAccount: accounts.shipping,
			taxKey: taxKeys.shipping,
			component: 'shipping_cost_amount',
			label: 'Versand',
		}),
	);
	// A loop, not push(...spread): a breakdown may hold more fee types than a call may take arguments.
	for (const posting of feePostings(transaction, context, describe)) postings.push(posting);

	const mapping = configured(settings.adjustmentTypes, transaction.type);
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
