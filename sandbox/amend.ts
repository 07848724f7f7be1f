/**
 * Amendments: a statement that changes after TikTok first served it, as TikTok's do (a late adjustment, a corrected
 * fee, a reserve released late). `amendShopData` returns the shop's data with one statement changed; every other
 * statement, payout and order stays as it was, and the statement's totals (settlement, reserve, payable, breakdown)
 * follow its transactions. The payout that paid the statement is not changed: TikTok settles such a difference
 * with a later payout, so it stays on the balance account until then.
 */
import type { PageRequest, ShopData, StatementItemJson, StatementJson, StatementTransactionsJson } from './generate';
import type { TransactionJson } from './render';

export type Amendment =
	| { kind: 'addTransaction'; amount?: string; type?: string }
	| { kind: 'changeTransaction'; transactionId?: string; feeDelta?: string }
	| { kind: 'releaseReserve'; reserveId?: string };

export interface AmendmentResult {
	statementId: string;
	kind: Amendment['kind'];
	transactionId: string;
	before: { settlement: string; reserve: string };
	after: { settlement: string; reserve: string };
	/** What the change moves on the seller's TikTok balance: Δ settlement + Δ reserve. */
	balanceDifference: string;
}

const cents = (value: string | undefined): number => Math.round(Number(value ?? '0') * 100);
const money = (minor: number): string => {
	const sign = minor < 0 ? '-' : '';
	const abs = Math.abs(minor);
	return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
};
const plus = (value: string | undefined, minor: number): string => money(cents(value) + minor);

interface Amended {
	statement: StatementJson;
	detail: StatementTransactionsJson;
}

/** Ids of amendments: 19 digits like TikTok's, starting with 9, which no generated id does. */
let serial = 0;
const newId = (): string => `9${String(++serial).padStart(18, '0')}`;

function apply(statement: StatementJson, detail: StatementTransactionsJson, amendment: Amendment): { amended: Amended; transactionId: string } {
	const transactions = detail.transactions.map((transaction) => structuredClone(transaction));
	let settlementDelta = 0;
	let reserveDelta = 0;
	let feeDelta = 0;
	let adjustmentDelta = 0;
	let transactionId: string;
	if (amendment.kind === 'addTransaction') {
		const amount = cents(amendment.amount ?? '7.50');
		transactionId = newId();
		transactions.push({
			...emptyTransaction(transactionId, amendment.type ?? 'LOGISTICS_REIMBURSEMENT'),
			adjustment_id: newId(),
			adjustment_amount: money(amount),
			settlement_amount: money(amount),
		});
		settlementDelta = amount;
		adjustmentDelta = amount;
	} else if (amendment.kind === 'changeTransaction') {
		const delta = cents(amendment.feeDelta ?? '1.00');
		const target = transactions.find((transaction) =>
			amendment.transactionId
				? transaction.id === amendment.transactionId
				: transaction.type === 'ORDER' && cents(transaction.fee_tax_breakdown?.fee.platform_commission_amount) < 0,
		);
		if (!target?.fee_tax_breakdown) throw new Error(`statement ${statement.id} has no order with a platform commission to change`);
		target.fee_tax_breakdown.fee.platform_commission_amount = plus(target.fee_tax_breakdown.fee.platform_commission_amount, delta);
		target.fee_tax_amount = plus(target.fee_tax_amount, delta);
		target.settlement_amount = plus(target.settlement_amount, delta);
		transactionId = target.id;
		settlementDelta = delta;
		feeDelta = delta;
	} else {
		const withheld = transactions.find(
			(transaction) =>
				transaction.type === 'RESERVE' &&
				cents(transaction.reserve_amount) < 0 &&
				(!amendment.reserveId || transaction.reserve_id === amendment.reserveId),
		);
		if (!withheld) throw new Error(`statement ${statement.id} withholds no reserve to release`);
		const amount = -cents(withheld.reserve_amount);
		transactionId = newId();
		transactions.push({
			...emptyTransaction(transactionId, 'RESERVE'),
			reserve_id: withheld.reserve_id,
			reserve_amount: money(amount),
			reserve_status: 'RELEASED',
			associated_order_id: withheld.associated_order_id,
		});
		reserveDelta = amount;
	}
	const breakdown = { ...detail.total_settlement_breakdown } as Record<string, string>;
	if (feeDelta !== 0 && 'total_fee_tax_amount' in breakdown) breakdown.total_fee_tax_amount = plus(breakdown.total_fee_tax_amount, feeDelta);
	if (adjustmentDelta !== 0 && 'total_adjustment_amount' in breakdown) {
		breakdown.total_adjustment_amount = plus(breakdown.total_adjustment_amount, adjustmentDelta);
	}
	return {
		transactionId,
		amended: {
			statement: {
				...statement,
				settlement_amount: plus(statement.settlement_amount, settlementDelta),
				fee_amount: plus(statement.fee_amount, feeDelta),
				adjustment_amount: plus(statement.adjustment_amount, adjustmentDelta),
			},
			detail: {
				...detail,
				total_settlement_amount: plus(detail.total_settlement_amount, settlementDelta),
				total_reserve_amount: plus(detail.total_reserve_amount, reserveDelta),
				payable_amount: plus(detail.payable_amount, settlementDelta + reserveDelta),
				total_settlement_breakdown: breakdown as unknown as StatementTransactionsJson['total_settlement_breakdown'],
				total_count: transactions.length,
				transactions,
			},
		},
	};
}

function emptyTransaction(id: string, type: string): TransactionJson {
	return {
		id,
		type,
		order_id: '',
		order_create_time: 0,
		adjustment_id: '',
		adjustment_order_id: '',
		adjustment_amount: '0.00',
		settlement_amount: '0.00',
		revenue_amount: '0.00',
		shipping_cost_amount: '0.00',
		fee_tax_amount: '0.00',
		reserve_id: '',
		reserve_amount: '0.00',
		reserve_status: '',
		estimated_release_time: '',
		associated_order_id: '',
	};
}

/** The shop's data with `statementId` amended (amendments add up: pass an already amended dataset to amend again). */
export function amendShopData(base: ShopData, statementId: string, amendment: Amendment): { data: ShopData; result: AmendmentResult } {
	const statement = base.statements.find((candidate) => candidate.id === statementId);
	const detail = base.statementTransactions(statementId);
	if (!statement || !detail) throw new Error(`statement ${statementId} is not in the sandbox's data`);
	const { amended, transactionId } = apply(statement, detail, amendment);
	const data = new AmendedShop(base, statementId, amended);
	return {
		data,
		result: {
			statementId,
			kind: amendment.kind,
			transactionId,
			before: { settlement: statement.settlement_amount, reserve: detail.total_reserve_amount },
			after: { settlement: amended.statement.settlement_amount, reserve: amended.detail.total_reserve_amount },
			balanceDifference: money(
				cents(amended.statement.settlement_amount) - cents(statement.settlement_amount) + cents(amended.detail.total_reserve_amount) - cents(detail.total_reserve_amount),
			),
		},
	};
}

class AmendedShop implements ShopData {
	readonly statements: readonly StatementJson[];

	constructor(
		private readonly base: ShopData,
		private readonly statementId: string,
		private readonly amended: Amended,
	) {
		this.statements = base.statements.map((statement) => (statement.id === statementId ? amended.statement : statement));
	}

	get seed() {
		return this.base.seed;
	}
	get from() {
		return this.base.from;
	}
	get to() {
		return this.base.to;
	}
	get ordersPerMonth() {
		return this.base.ordersPerMonth;
	}
	get now() {
		return this.base.now;
	}
	get shop() {
		return this.base.shop;
	}
	get payments() {
		return this.base.payments;
	}
	get withdrawals() {
		return this.base.withdrawals;
	}

	statementTransactions(statementId: string, page?: PageRequest): StatementTransactionsJson | undefined {
		if (statementId !== this.statementId) return this.base.statementTransactions(statementId, page);
		const rows = page?.descending ? [...this.amended.detail.transactions].reverse() : this.amended.detail.transactions;
		return { ...this.amended.detail, transactions: page ? rows.slice(page.offset, page.offset + page.limit) : [...rows] };
	}

	statementItem(statementId: string): StatementItemJson | undefined {
		if (statementId !== this.statementId) return this.base.statementItem(statementId);
		const { statement, detail } = this.amended;
		return {
			...statement,
			total_settlement_amount: detail.total_settlement_amount,
			total_reserve_amount: detail.total_reserve_amount,
			payable_amount: detail.payable_amount,
			total_settlement_breakdown: detail.total_settlement_breakdown,
			transactions: detail.transactions,
		};
	}

	orderTransactions(orderId: string) {
		return this.base.orderTransactions(orderId);
	}

	unsettledTransactions(...args: Parameters<ShopData['unsettledTransactions']>) {
		return this.base.unsettledTransactions(...args);
	}
}
