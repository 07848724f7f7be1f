/**
 * The booking engine: TikTok statements and payments → DATEV booking lines, with a reconciliation per statement.
 * Pure and deterministic: the same input and settings give the same lines in the same order.
 */
import type { BookingLine } from '../booking-line';
import { bookingKey, type SkippedSource, withoutDuplicates } from './dedupe';
import { type BookingInput, type OrderInput, parseBookingInput } from './input';
import { bookPayment, isBookablePayment } from './payment-rules';
import type { Posting } from './postings';
import { type BookingSettings, parseBookingSettings } from './settings';
import { bookStatement, type StatementReconciliation } from './statement-rules';
import { compareText } from './transaction-rules';

export interface PaymentSummary {
	paymentId: string;
	currency: string;
	date: string;
	amountMinor: number;
	warnings: string[];
}

export interface BookingResult {
	lines: BookingLine[];
	/** One per booked statement, in output order. */
	statements: StatementReconciliation[];
	/** One per booked payment, in output order. */
	payments: PaymentSummary[];
	/** Sources not booked, with the reason (duplicates in the input, payments not paid yet). */
	skipped: SkippedSource[];
	/** Every warning of the run: the statements', the payments' and the skipped sources'. */
	warnings: string[];
	/** Keys of the booked sources (see dedupe.ts). */
	bookedKeys: string[];
	/** Text fields whose content was changed to be DATEV-safe: transliterated, "?" for emoji/CJK, formula neutralised. */
	adjustedTextFields: number;
}

interface Group {
	date: string;
	/** Statements before payments on the same day: the money arrives in the balance before it leaves. */
	rank: number;
	time: number;
	id: string;
	postings: Posting[];
	finish: () => void;
}

function compareGroups(a: Group, b: Group): number {
	if (a.date !== b.date) {
		return a.date < b.date ? -1 : 1;
	}
	if (a.rank !== b.rank) {
		return a.rank - b.rank;
	}
	if (a.time !== b.time) {
		return a.time - b.time;
	}
	return compareText(a.id, b.id);
}

export function mapToBookings(input: BookingInput, settings: BookingSettings): BookingResult {
	const unique = withoutDuplicates(input);
	const skipped = [...unique.skipped];
	const result: BookingResult = { lines: [], statements: [], payments: [], skipped, warnings: [], bookedKeys: [], adjustedTextFields: 0 };
	const groups: Group[] = [];
	const orders = indexOrders(input.orders ?? []);

	for (const statement of unique.input.statements) {
		const booking = bookStatement(statement, settings, orders);
		groups.push({
			date: booking.reconciliation.date,
			rank: 0,
			time: statement.time,
			id: statement.id,
			postings: booking.postings,
			finish: () => {
				result.statements.push(booking.reconciliation);
				for (const warning of booking.reconciliation.warnings) result.warnings.push(warning);
				result.bookedKeys.push(bookingKey('statement', statement.id));
			},
		});
	}
	for (const payment of unique.input.payments) {
		if (!isBookablePayment(payment)) {
			skipped.push({
				kind: 'payment',
				id: payment.id,
				key: bookingKey('payment', payment.id),
				item: payment.item,
				reason: 'not paid',
				message: `payment ${payment.id} (item ${payment.item}) has status ${payment.status}; it is booked once it is PAID`,
			});
			continue;
		}
		const booking = bookPayment(payment, settings);
		groups.push({
			date: booking.date,
			rank: 1,
			time: payment.paidTime ?? payment.createTime ?? 0,
			id: payment.id,
			postings: booking.postings,
			finish: () => {
				result.payments.push({
					paymentId: booking.paymentId,
					currency: booking.currency,
					date: booking.date,
					amountMinor: booking.amountMinor,
					warnings: booking.warnings,
				});
				for (const warning of booking.warnings) result.warnings.push(warning);
				result.bookedKeys.push(bookingKey('payment', payment.id));
			},
		});
	}

	groups.sort(compareGroups);
	for (const group of groups) {
		// Loops, not push(...spread): a big day has more lines (or warnings) than a call may take arguments.
		for (const posting of group.postings) {
			result.lines.push(posting.line);
			result.adjustedTextFields += posting.adjustedTextFields;
		}
		group.finish();
	}
	for (const source of skipped) result.warnings.push(source.message);
	return result;
}

/** Order details by order id; the first of several details of one order wins (like statements and payments). */
function indexOrders(orders: readonly OrderInput[]): Map<string, OrderInput> {
	const byId = new Map<string, OrderInput>();
	for (const order of orders) {
		if (!byId.has(order.id)) {
			byId.set(order.id, order);
		}
	}
	return byId;
}

/** Convenience for the node: validates items and settings, then maps. Throws BookingInputError / BookingSettingsError. */
export function bookItems(items: readonly unknown[], settings: unknown = {}): BookingResult {
	const effective = parseBookingSettings(settings);
	return mapToBookings(parseBookingInput(items), effective);
}
