/** One payout → transit S / balance H on the paid date, Belegfeld 1 = payment id (booking model). */
import { formatMinor } from '../money';
import { instantDate } from './dates';
import type { PaymentInput } from './input';
import { type LineContext, post, type Posting } from './postings';
import type { BookingSettings } from './settings';

export interface PaymentBooking {
	paymentId: string;
	currency: string;
	date: string;
	/** The amount that left the TikTok balance (positive for a payout). */
	amountMinor: number;
	postings: Posting[];
	warnings: string[];
}

/** Only paid payments moved money; PROCESSING and FAILED ones are reported as skipped and booked once paid. */
export function isBookablePayment(payment: PaymentInput): boolean {
	return payment.status === 'PAID';
}

export function bookPayment(payment: PaymentInput, settings: BookingSettings): PaymentBooking {
	const warnings: string[] = [];
	const warn = (message: string): void => {
		if (!warnings.includes(message)) {
			warnings.push(message);
		}
	};
	const time = payment.paidTime ?? payment.createTime;
	if (time === undefined) {
		// parseBookingInput guarantees a time for paid payments; this guards direct callers.
		throw new RangeError(`payment ${payment.id} has neither paid_time nor create_time`);
	}
	if (payment.paidTime === undefined) {
		warn(`payment ${payment.id}: paid_time is missing; booked on create_time`);
	}
	// The balance account is kept in the settlement currency: book what left it, i.e. the amount before exchange.
	let currency = payment.currency;
	let amountMinor = payment.amountMinor;
	if (payment.beforeExchange && payment.beforeExchange.currency !== payment.currency) {
		warn(
			`payment ${payment.id}: paid out as ${formatMinor(payment.amountMinor, payment.currency)} ${payment.currency}; ` +
				`booked with the amount before exchange, ${formatMinor(payment.beforeExchange.minor, payment.beforeExchange.currency)} ` +
				`${payment.beforeExchange.currency}`,
		);
		currency = payment.beforeExchange.currency;
		amountMinor = payment.beforeExchange.minor;
	}
	if (payment.settlementMinor !== undefined && payment.reserveMinor !== undefined) {
		const expected = payment.settlementMinor + payment.reserveMinor;
		if (expected !== amountMinor) {
			warn(
				`payment ${payment.id}: settlement_amount + reserve_amount = ${formatMinor(expected, currency)} but the ` +
					`paid amount is ${formatMinor(amountMinor, currency)} ${currency}`,
			);
		}
	}
	const date = instantDate(time, settings.timeZone);
	const context: LineContext = {
		settings,
		currency,
		date,
		source: { kind: 'payment', paymentId: payment.id },
		values: { paymentId: payment.id, reference: payment.id, type: 'PAYMENT' },
		documentTemplate: settings.templates.paymentDocument,
		fallbackDocument: payment.id,
		orderNumber: '',
		settlementReference: payment.id,
		warn,
	};
	// A payout takes money out of the balance (negative from its point of view); a negative payout (TikTok
	// debiting the bank for a negative balance) flips to transit H / balance S by the same rule.
	const posting = post(context, {
		signedMinor: -amountMinor,
		konto: 'counter',
		counterAccount: settings.accounts.transit,
		taxKey: '',
		component: 'amount',
		label: 'Auszahlung',
	});
	return { paymentId: payment.id, currency, date, amountMinor, postings: posting ? [posting] : [], warnings };
}
