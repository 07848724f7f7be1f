/**
 * One statement → its transactions' lines plus the statement-level checks: Σ transaction settlement_amount must
 * equal the statement's settlement_amount, and the reserve lines must equal total_reserve_amount. A difference
 * is booked balance ↔ clearing with a warning, so the balance account always receives what TikTok pays out.
 */
import { formatMinor } from '../money';
import { statementDate } from './dates';
import type { OrderInput, StatementInput, TransactionInput } from './input';
import { type LineContext, post, type Posting } from './postings';
import type { BookingSettings } from './settings';
import { bookTransaction, compareText } from './transaction-rules';

export interface StatementReconciliation {
	statementId: string;
	currency: string;
	/** Belegdatum of the statement's lines. */
	date: string;
	/** The statement's settlement_amount (else total_settlement_amount). */
	tiktokSettlementMinor: number;
	/** What the component lines put on the balance account (without difference lines and reserves). */
	bookedMinor: number;
	/** tiktokSettlementMinor − bookedMinor: the amount booked on the clearing account as differences. */
	differenceMinor: number;
	/** total_reserve_amount, null when TikTok did not send it. */
	tiktokReserveMinor: number | null;
	/** What the reserve lines put on the balance account (+ released, − withheld). */
	bookedReserveMinor: number;
	transactionCount: number;
	lineCount: number;
	/**
	 * 'difference' as soon as any difference line was booked (even if differences cancel out); 'corrected' for a
	 * statement TikTok changed after it was booked, of which only the difference to the booked version was booked.
	 */
	status: 'ok' | 'difference' | 'corrected';
	warnings: string[];
}

export interface StatementBooking {
	postings: Posting[];
	reconciliation: StatementReconciliation;
}

/** Chronological like TikTok's own paging (order_create_time), ties by id, so the output never depends on paging. */
function compareTransactions(a: TransactionInput, b: TransactionInput): number {
	const timeA = a.orderCreateTime ?? 0;
	const timeB = b.orderCreateTime ?? 0;
	return timeA !== timeB ? timeA - timeB : compareText(a.id, b.id);
}

export function bookStatement(
	statement: StatementInput,
	settings: BookingSettings,
	orders: ReadonlyMap<string, OrderInput> = new Map(),
): StatementBooking {
	const postings: Posting[] = [];
	const pages = statementPages(statement, settings, orders, Number.MAX_SAFE_INTEGER);
	for (;;) {
		const next = pages.next();
		if (next.done) return { postings, reconciliation: next.value };
		for (const posting of next.value) postings.push(posting);
	}
}

/**
 * The statement's postings, `pageSize` transactions at a time (in the engine's order), then the statement's own
 * difference lines; returns the reconciliation, computed from running totals. A page may be empty.
 */
export function* statementPages(
	statement: StatementInput,
	settings: BookingSettings,
	orders: ReadonlyMap<string, OrderInput>,
	pageSize: number,
): Generator<Posting[], StatementReconciliation> {
	const date = statementDate(statement.time, settings.timeZone);
	const currency = statement.currency;
	const warnings: string[] = [];
	// A Set, not warnings.includes: a statement with 100,000 transactions may warn about each of them.
	const warned = new Set<string>();
	const warn = (message: string): void => {
		if (!warned.has(message)) {
			warned.add(message);
			warnings.push(message);
		}
	};
	const money = (minor: number): string => `${formatMinor(minor, currency)} ${currency}`;
	const base = {
		settings,
		currency,
		date,
		// The payout's id, as on the payout's own lines, so DATEV can bracket a statement with the payout that paid it;
		// a statement not paid out yet carries its own id.
		settlementReference: statement.paymentId || statement.id,
		fallbackDocument: statement.id,
		warn,
	};

	let postings: Posting[] = [];
	let lineCount = 0;
	let settledMinor = 0;
	let bookedMinor = 0;
	let bookedReserveMinor = 0;
	let differenceLines = 0;
	const transactions = [...statement.transactions].sort(compareTransactions);
	for (let index = 0; index < transactions.length; index++) {
		if (index > 0 && index % pageSize === 0) {
			lineCount += postings.length;
			yield postings;
			postings = [];
		}
		const transaction = transactions[index];
		const context: LineContext = {
			...base,
			source: {
				kind: 'transaction',
				statementId: statement.id,
				transactionId: transaction.id,
				transactionType: transaction.type,
				...(transaction.orderId === '' ? {} : { orderId: transaction.orderId }),
			},
			values: {
				statementId: statement.id,
				orderId: transaction.orderId,
				transactionId: transaction.id,
				adjustmentId: transaction.adjustmentId,
				type: transaction.type,
				reference: transaction.orderId || transaction.adjustmentId || transaction.id,
			},
			documentTemplate:
				transaction.orderId === '' ? settings.templates.statementDocument : settings.templates.orderDocument,
			orderNumber: transaction.orderId,
		};
		const booking = bookTransaction(transaction, context, statement.id, orders.get(transaction.orderId));
		for (const posting of booking.postings) postings.push(posting);
		settledMinor += transaction.settlementMinor;
		bookedMinor += booking.componentMinor;
		bookedReserveMinor += booking.reserveMinor;
		differenceLines += booking.differenceMinor === 0 ? 0 : 1;
	}

	const statementContext: LineContext = {
		...base,
		source: { kind: 'statement', statementId: statement.id },
		values: { statementId: statement.id, reference: statement.id, type: 'STATEMENT' },
		documentTemplate: settings.templates.statementDocument,
		orderNumber: '',
	};
	const clearing = settings.accounts.clearing;

	const statementDifference = statement.settlementMinor - settledMinor;
	const settlementLine = post(statementContext, {
		signedMinor: statementDifference,
		konto: 'balance',
		counterAccount: clearing,
		taxKey: '',
		component: 'statement_difference',
		label: 'Differenz Abrechnung',
	});
	if (settlementLine) {
		postings.push(settlementLine);
		differenceLines += 1;
		warn(
			`statement ${statement.id}: its transactions settle ${money(settledMinor)} but the statement's settlement ` +
				`is ${money(statement.settlementMinor)}; the difference ${money(statementDifference)} is booked on the ` +
				`clearing account ${clearing} (are transactions missing?)`,
		);
	}

	if (statement.totalReserveMinor !== undefined) {
		const reserveDifference = statement.totalReserveMinor - bookedReserveMinor;
		const reserveLine = post(statementContext, {
			signedMinor: reserveDifference,
			konto: 'balance',
			counterAccount: clearing,
			taxKey: '',
			component: 'reserve_difference',
			label: 'Differenz Einbehalt',
		});
		if (reserveLine) {
			postings.push(reserveLine);
			differenceLines += 1;
			warn(
				`statement ${statement.id}: the reserve lines net to ${money(bookedReserveMinor)} but total_reserve_amount ` +
					`is ${money(statement.totalReserveMinor)}; the difference ${money(reserveDifference)} is booked on ` +
					`the clearing account ${clearing}`,
			);
		}
	}

	if (statement.totalSettlementMinor !== undefined && statement.totalSettlementMinor !== statement.settlementMinor) {
		warn(
			`statement ${statement.id}: settlement_amount ${money(statement.settlementMinor)} differs from ` +
				`total_settlement_amount ${money(statement.totalSettlementMinor)}; reconciled against settlement_amount`,
		);
	}

	lineCount += postings.length;
	yield postings;
	return {
		statementId: statement.id,
		currency,
		date,
		tiktokSettlementMinor: statement.settlementMinor,
		bookedMinor,
		differenceMinor: statement.settlementMinor - bookedMinor,
		tiktokReserveMinor: statement.totalReserveMinor ?? null,
		bookedReserveMinor,
		transactionCount: statement.transactions.length,
		lineCount,
		status: differenceLines === 0 ? 'ok' : 'difference',
		warnings,
	};
}
