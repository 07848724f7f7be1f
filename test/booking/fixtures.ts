/** Builders for TikTok-shaped test input and helpers to read booking lines back. */
import type { BookingLine } from '../../lib/booking-line';

export type Json = Record<string, unknown>;

/** 2025-07-01T00:00:00Z: a statement stamped then covers 2025-06-30. */
export const STATEMENT_TIME = 1751328000;
export const STATEMENT_DATE = '2025-06-30';
/** 2025-07-02T22:30:00Z = 2025-07-03 00:30 in Berlin (CEST). */
export const PAID_TIME = 1751495400;
export const PAID_DATE_BERLIN = '2025-07-03';

export const STATEMENT_ID = '7238804564097517339';
export const ORDER_ID = '576463220456522968';
export const PAYMENT_ID = '3459275187040258849';

export function orderTx(overrides: Json = {}): Json {
	return {
		id: '1636700041413599290',
		type: 'ORDER',
		order_id: ORDER_ID,
		order_create_time: 1751200000,
		settlement_amount: '0',
		revenue_amount: '0',
		shipping_cost_amount: '0',
		fee_tax_amount: '0',
		adjustment_amount: '0',
		reserve_amount: '0',
		...overrides,
	};
}

export function adjustmentTx(type: string, amount: string, overrides: Json = {}): Json {
	return {
		id: '1636700041413599777',
		type,
		order_id: '',
		adjustment_id: '7012345678901234567',
		adjustment_amount: amount,
		settlement_amount: amount,
		...overrides,
	};
}

export function reserveTx(amount: string, status: string, overrides: Json = {}): Json {
	return {
		id: '1636700041413599888',
		type: 'RESERVE',
		order_id: '',
		settlement_amount: '0',
		reserve_id: '56789910',
		reserve_amount: amount,
		reserve_status: status,
		associated_order_id: ORDER_ID,
		...overrides,
	};
}

/** A statement item whose settlement and reserve totals are the sums of its transactions unless overridden. */
export function statementItem(transactions: Json[], overrides: Json = {}): Json {
	return {
		id: STATEMENT_ID,
		statement_time: STATEMENT_TIME,
		currency: 'EUR',
		settlement_amount: sumField(transactions, 'settlement_amount'),
		total_reserve_amount: sumField(transactions, 'reserve_amount'),
		payment_status: 'PAID',
		payment_id: PAYMENT_ID,
		transactions,
		...overrides,
	};
}

export function paymentItem(overrides: Json = {}): Json {
	return {
		id: PAYMENT_ID,
		create_time: PAID_TIME - 86400,
		paid_time: PAID_TIME,
		status: 'PAID',
		amount: { value: '108.29', currency: 'EUR' },
		settlement_amount: { value: '108.29', currency: 'EUR' },
		reserve_amount: { value: '0', currency: 'EUR' },
		payment_amount_before_exchange: { value: '108.29', currency: 'EUR' },
		exchange_rate: '1.000000',
		...overrides,
	};
}

/**
 * fee_tax_amount with its fee_tax_breakdown, the way TikTok's 202501 transactions carry them: the total is the
 * signed sum of the fee and tax entries.
 */
export function feeTax(fee: Record<string, string>, tax: Record<string, string> = {}): Json {
	const total = [...Object.values(fee), ...Object.values(tax)].reduce((sum, value) => sum + toCents(value), 0);
	return { fee_tax_amount: fromCents(total), fee_tax_breakdown: { fee, tax } };
}

/** shipping_cost_amount with the part the buyer paid in shipping_cost_breakdown. */
export function shipping(actual: string, customerPaid: string): Json {
	return {
		shipping_cost_amount: fromCents(toCents(actual) + toCents(customerPaid)),
		shipping_cost_breakdown: { actual_shipping_fee_amount: actual, customer_paid_shipping_fee_amount: customerPaid },
	};
}

/** Sums decimal strings with two decimals in cents (test-side, independent of lib/money). */
function sumField(transactions: Json[], field: string): string {
	let cents = 0;
	for (const transaction of transactions) {
		const value = transaction[field];
		if (typeof value === 'string' && value !== '') {
			cents += toCents(value);
		}
	}
	return fromCents(cents);
}

export function toCents(value: string): number {
	const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(value);
	if (!match) {
		throw new Error(`test helper: bad amount ${value}`);
	}
	const cents = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
	return match[1] === '-' ? -cents : cents;
}

export function fromCents(cents: number): string {
	const sign = cents < 0 ? '-' : '';
	const abs = Math.abs(cents);
	return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** What a line does to the balance account: + money in, − money out, 0 if it does not touch it. */
export function balanceEffect(line: BookingLine, balance: string): number {
	if (line.account === balance) {
		return line.side === 'S' ? line.amountMinor : -line.amountMinor;
	}
	if (line.contraAccount === balance) {
		return line.side === 'S' ? -line.amountMinor : line.amountMinor;
	}
	return 0;
}

/** Net debit of an account over lines (S on Konto or H on Gegenkonto debits it). */
export function netDebit(lines: readonly BookingLine[], account: string): number {
	let total = 0;
	for (const line of lines) {
		if (line.account === account) {
			total += line.side === 'S' ? line.amountMinor : -line.amountMinor;
		}
		if (line.contraAccount === account) {
			total += line.side === 'S' ? -line.amountMinor : line.amountMinor;
		}
	}
	return total;
}

/** The compact form tests compare against: amount, S/H, Konto, Gegenkonto, BU, component. */
export function brief(line: BookingLine): string {
	return `${line.amountMinor} ${line.side} ${line.account}/${line.contraAccount} BU${line.taxKey || '-'} ${line.source.component}`;
}

/** amount | S/H | Konto | Gegenkonto | BU | Belegdatum | Belegfeld 1 | Buchungstext | Auftragsnr. | Abr.-Ref.: a golden row. */
export type GoldenRow<Account = string> = [number, 'S' | 'H', Account, Account, string, string, string, string, string, string];

/** A line as a golden row; `account` maps account numbers (e.g. to chart roles). */
export function goldenRow<Account = string>(line: BookingLine, account: (number: string) => Account): GoldenRow<Account> {
	return [
		line.amountMinor,
		line.side,
		account(line.account),
		account(line.contraAccount),
		line.taxKey,
		line.date,
		line.documentField1,
		line.text,
		line.orderNumber,
		line.settlementReference,
	];
}
