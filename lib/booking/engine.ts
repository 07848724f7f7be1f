/**
 * The booking engine: TikTok statements and payments → DATEV booking lines, with a reconciliation per statement.
 * Pure and deterministic: the same input and settings give the same lines in the same order.
 */
import type { BookingLine } from '../booking-line';
import { statementDate } from './dates';
import { bookingKey, type SkippedSource, withoutDuplicates } from './dedupe';
import {
	type BookingSources,
	type DeferredStatementInput,
	loadStatement,
	type OrderInput,
	parseBookingInput,
	type StatementInput,
	type StatementSource,
} from './input';
import { bookPayment, isBookablePayment } from './payment-rules';
import type { Posting } from './postings';
import { type BookingSettings, parseBookingSettings } from './settings';
import { type StatementReconciliation, statementPages } from './statement-rules';
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

/** Lines of one source, or of one page of a statement's transactions, in output order. */
export interface BookingPage {
	lines: BookingLine[];
	/** Text fields of these lines whose content was changed to be DATEV-safe. */
	adjustedTextFields: number;
	/** On a statement's last page: its reconciliation (its warnings included). */
	statement?: StatementReconciliation;
	/** On a payment's page: what was booked. */
	payment?: PaymentSummary;
}

export interface StreamOptions {
	/** Transactions of a statement per page (default 100, as TikTok pages them): what is held of a big day's lines at once. */
	pageSize?: number;
	/**
	 * A deferred statement (scanBookingInput) whose transactions turn out invalid when it is booked: with this, it is
	 * reported here and not booked, and the stream goes on; without it, the BookingInputError is thrown.
	 */
	onInvalid?: (statement: DeferredStatementInput, error: unknown) => void;
	/** A statement's transactions were parsed (before its first page). */
	onLoaded?: (statement: StatementSource, loaded: StatementInput) => void;
}

export interface BookingStream {
	/** Known before the first page: repeated sources of the input and payments not paid yet. */
	skipped: SkippedSource[];
	/** The pages in the engine's order; booking happens while they are read (once). */
	pages: Iterable<BookingPage>;
}

export const DEFAULT_PAGE_SIZE = 100;

interface Group {
	date: string;
	/** Statements before payments on the same day: the money arrives in the balance before it leaves. */
	rank: number;
	time: number;
	id: string;
	pages: () => Iterable<BookingPage>;
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

function page(postings: readonly Posting[]): BookingPage {
	const lines: BookingLine[] = new Array<BookingLine>(postings.length);
	let adjustedTextFields = 0;
	for (let index = 0; index < postings.length; index++) {
		lines[index] = postings[index].line;
		adjustedTextFields += postings[index].adjustedTextFields;
	}
	return { lines, adjustedTextFields };
}

function* statementGroupPages(
	statement: StatementSource,
	settings: BookingSettings,
	orders: ReadonlyMap<string, OrderInput>,
	options: StreamOptions,
): Generator<BookingPage> {
	let input: StatementInput | undefined;
	let failure: unknown;
	try {
		input = loadStatement(statement);
	} catch (error) {
		failure = error;
	}
	if (input === undefined) {
		if (!options.onInvalid || !('loadTransactions' in statement)) throw failure;
		options.onInvalid(statement, failure);
		return;
	}
	options.onLoaded?.(statement, input);
	const pages = statementPages(input, settings, orders, options.pageSize ?? DEFAULT_PAGE_SIZE);
	for (;;) {
		const next = pages.next();
		if (next.done) {
			yield { lines: [], adjustedTextFields: 0, statement: next.value };
			return;
		}
		if (next.value.length > 0) yield page(next.value);
	}
}

/**
 * Books the input one statement (one page of its transactions) at a time: the pages come in the order of
 * mapToBookings' lines, by (Belegdatum, statements before payments, time, id). Only the statement being booked and
 * the month's payments are held; a deferred statement (scanBookingInput) is parsed when its turn comes.
 */
export function streamBookings(input: BookingSources, settings: BookingSettings, options: StreamOptions = {}): BookingStream {
	const unique = withoutDuplicates(input);
	const skipped = [...unique.skipped];
	const orders = indexOrders(input.orders ?? []);
	const groups: Group[] = [];
	for (const statement of unique.input.statements) {
		groups.push({
			date: statementDate(statement.time, settings.timeZone),
			rank: 0,
			time: statement.time,
			id: statement.id,
			pages: () => statementGroupPages(statement, settings, orders, options),
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
		const summary: PaymentSummary = {
			paymentId: booking.paymentId,
			currency: booking.currency,
			date: booking.date,
			amountMinor: booking.amountMinor,
			warnings: booking.warnings,
		};
		groups.push({
			date: booking.date,
			rank: 1,
			time: payment.paidTime ?? payment.createTime ?? 0,
			id: payment.id,
			pages: () => [{ ...page(booking.postings), payment: summary }],
		});
	}
	groups.sort(compareGroups);
	return {
		skipped,
		pages: (function* () {
			for (const group of groups) yield* group.pages();
		})(),
	};
}

export function mapToBookings(input: BookingSources, settings: BookingSettings, options: StreamOptions = {}): BookingResult {
	const stream = streamBookings(input, settings, options);
	const result: BookingResult = {
		lines: [],
		statements: [],
		payments: [],
		skipped: stream.skipped,
		warnings: [],
		bookedKeys: [],
		adjustedTextFields: 0,
	};
	for (const booked of stream.pages) collectPage(result, booked);
	for (const source of stream.skipped) result.warnings.push(source.message);
	return result;
}

/** Adds a page to a result the way mapToBookings collects them. */
export function collectPage(result: Omit<BookingResult, 'skipped'>, booked: BookingPage, keepLines = true): void {
	// Loops, not push(...spread): a big day has more lines (or warnings) than a call may take arguments.
	if (keepLines) for (const line of booked.lines) result.lines.push(line);
	result.adjustedTextFields += booked.adjustedTextFields;
	if (booked.statement) {
		result.statements.push(booked.statement);
		for (const warning of booked.statement.warnings) result.warnings.push(warning);
		result.bookedKeys.push(bookingKey('statement', booked.statement.statementId));
	}
	if (booked.payment) {
		result.payments.push(booked.payment);
		for (const warning of booked.payment.warnings) result.warnings.push(warning);
		result.bookedKeys.push(bookingKey('payment', booked.payment.paymentId));
	}
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
