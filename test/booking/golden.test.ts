/**
 * Golden test: one small sandbox month (seed 1, March 2025, 3 orders) mapped with the default settings, checked
 * line by line against expectations written by hand from the generated TikTok data, in SKR03 and SKR04.
 * If the sandbox generator changes its data, the "TikTok data" comments below tell what these lines assumed.
 */
import { describe, expect, it } from '@jest/globals';

import { bookItems } from '../../lib/booking';
import { generateShopData } from '../../sandbox/generate';
import { balanceEffect, type GoldenRow, goldenRow, netDebit, toCents } from './fixtures';

// A fully paid month: the sandbox's permanently FAILED payout (its default) is covered by the mapping-table tests.
const data = generateShopData({ seed: 1, from: '2025-03', to: '2025-03', ordersPerMonth: 3, failedPayment: false });
const items = [
	...data.statements.map((statement) => data.statementItem(statement.id)),
	...data.payments,
];

const CHARTS = {
	SKR03: { B: '1270', C: '1592', F: '4970', S: '4730', R: '1590', T: '1366', K: '4760' },
	SKR04: { B: '1870', C: '1372', F: '6855', S: '6740', R: '1379', T: '1466', K: '6770' },
} as const;
type Role = keyof (typeof CHARTS)['SKR03'];

type Row = GoldenRow<Role>;

const ST1 = '7202014871072554147';
const ST2 = '7202015038316263158';
const ST3 = '7202016381281385464';
const ST4 = '7202016449114320359';
const ST5 = '7202017009570048379';
const ST6 = '7202017191612759066';
const ST7 = '7202017609961981884';
const ST8 = '7202017790453903272';
const PAY = '3450201636006823720';
const O1 = '570201640000000971';
const O2 = '570201700000000026';
const O3 = '570201770000000266';

// The last column is the Abrechnungsreferenz: the payout's id for statements it paid (ST1–ST3), else the statement's.
// prettier-ignore
const EXPECTED: Row[] = [
	// ST1 stamped 2025-03-01T00:00Z → covers 2025-02-28. PLATFORM_PENALTY adjustment_amount −39.36 = settlement.
	[3936, 'H', 'B', 'C', '', '2025-02-28', ST1, 'TikTok PLATFORM_PENALTY 7002014800008317818', '', PAY],
	// ST2 stamped 03-03 → 03-02. NEW_PROGRAM_BONUS (unknown type) +6.38 → clearing, with a warning.
	[638, 'S', 'B', 'C', '', '2025-03-02', ST2, 'TikTok NEW_PROGRAM_BONUS 7002015000006456843', '', PAY],
	// ST3 stamped 03-16 → 03-15. SELLER_MISSION_REWARD +96.69.
	[9669, 'S', 'B', 'C', '', '2025-03-15', ST3, 'TikTok SELLER_MISSION_REWARD 7002016300003602769', '', PAY],
	// ST4 stamped 03-17 → 03-16. ORDER O1: revenue 9.99, shipping −1.53 = −4.52 label + 2.99 the buyer paid (revenue
	// of the mode, here revenue clearing = clearing), fee_tax −1.00 (−0.90 commission − 0.10 transaction fee, both
	// TikTok services: one BU 506 line); settlement 9.99 − 1.53 − 1.00 = 7.46. RESERVE −5.00 COLLECTED
	// (total_reserve_amount −5.00); same order_create_time as the order, so ordered by id (…410… before …430…).
	[999, 'S', 'B', 'C', '', '2025-03-16', O1, `TikTok Umsatz ${O1}`, O1, ST4],
	[299, 'S', 'B', 'C', '', '2025-03-16', O1, `TikTok Versanderlös ${O1}`, O1, ST4],
	[452, 'H', 'B', 'S', '', '2025-03-16', O1, `TikTok Versand ${O1}`, O1, ST4],
	[100, 'S', 'F', 'B', '506', '2025-03-16', O1, `TikTok Gebühren ${O1}`, O1, ST4],
	[500, 'S', 'R', 'B', '', '2025-03-16', ST4, 'TikTok Einbehalt 1602016430000000646', '', ST4],
	// Payment paid 2025-03-17T19:53:12Z = 20:53 in Berlin → 2025-03-17, after ST4's lines (dated 03-16).
	// It pays ST1–ST3: −39.36 + 6.38 + 96.69 = 63.71.
	[6371, 'S', 'T', 'B', '', '2025-03-17', PAY, `TikTok Auszahlung ${PAY}`, '', PAY],
	// ST5 stamped 03-23 → 03-22. ORDER O2: 18.90 − 4.27 − 4.73 = 9.90; the fees are 1.70 commission + 0.19
	// transaction fee (BU 506) and 2.84 affiliate commission (no key, commission account).
	[1890, 'S', 'B', 'C', '', '2025-03-22', O2, `TikTok Umsatz ${O2}`, O2, ST5],
	[427, 'H', 'B', 'S', '', '2025-03-22', O2, `TikTok Versand ${O2}`, O2, ST5],
	[189, 'S', 'F', 'B', '506', '2025-03-22', O2, `TikTok Gebühren ${O2}`, O2, ST5],
	[284, 'S', 'K', 'B', '', '2025-03-22', O2, `TikTok Affiliate-Provision ${O2}`, O2, ST5],
	// ST6 stamped 03-24 → 03-23. LOGISTICS_REIMBURSEMENT +5.54.
	[554, 'S', 'B', 'C', '', '2025-03-23', ST6, 'TikTok LOGISTICS_REIMBURSEMENT 7002017100009380007', '', ST6],
	// ST7 stamped 03-29 → 03-28. CHARGE_BACK −18.90 on order O2 (adjustment_order_id): order id as Belegfeld 1.
	[1890, 'H', 'B', 'C', '', '2025-03-28', O2, `TikTok CHARGE_BACK ${O2}`, O2, ST7],
	// ST8 stamped 2025-03-30T00:00Z (the night Berlin switches to CEST) → 03-29. ORDER O3: 18.90 − 5.10 − 2.08
	// (1.70 + 0.19 BU 506, and 0.19 EPR paid on the seller's behalf: fee account without key) = 11.72.
	[1890, 'S', 'B', 'C', '', '2025-03-29', O3, `TikTok Umsatz ${O3}`, O3, ST8],
	[510, 'H', 'B', 'S', '', '2025-03-29', O3, `TikTok Versand ${O3}`, O3, ST8],
	[189, 'S', 'F', 'B', '506', '2025-03-29', O3, `TikTok Gebühren ${O3}`, O3, ST8],
	[19, 'S', 'F', 'B', '', '2025-03-29', O3, `TikTok EPR-Gebühr ${O3}`, O3, ST8],
];

describe.each(['SKR03', 'SKR04'] as const)('sandbox month 2025-03 (seed 1, 3 orders) in %s', (chart) => {
	const accounts = CHARTS[chart];
	const result = bookItems(items, { chart });

	it('books exactly the hand-written lines, in order', () => {
		const actual = result.lines.map((line): Row => goldenRow(line, roleOf));
		expect(actual).toEqual(EXPECTED);
		expect(result.lines.every((line) => line.currency === 'EUR' && line.documentField2 === '')).toBe(true);
	});

	it('reconciles every statement, and warns only about the unknown adjustment type', () => {
		expect(result.statements.map((summary) => [summary.statementId, summary.status, summary.differenceMinor])).toEqual(
			[ST1, ST2, ST3, ST4, ST5, ST6, ST7, ST8].map((id) => [id, 'ok', 0]),
		);
		expect(result.statements[3]).toMatchObject({ tiktokSettlementMinor: 746, bookedMinor: 746, tiktokReserveMinor: -500, bookedReserveMinor: -500 });
		expect(result.warnings).toEqual([
			`statement ${ST2}, transaction 1602015040000000822 (NEW_PROGRAM_BONUS): unknown transaction type "NEW_PROGRAM_BONUS" is booked on the clearing account ${accounts.C}`,
		]);
		expect(result.bookedKeys).toHaveLength(9);
	});

	it('leaves on the balance account exactly what TikTok has not paid out yet', () => {
		// payable of all statements: −39.36 + 6.38 + 96.69 + (7.46 − 5.00) + 9.90 + 5.54 − 18.90 + 11.72 = 74.43;
		// minus the payout 63.71 = 10.72, the payable of ST4–ST8, which have no paid payment yet.
		expect(result.lines.reduce((sum, line) => sum + balanceEffect(line, accounts.B), 0)).toBe(1072);
		expect(netDebit(result.lines, accounts.T)).toBe(6371);
		expect(netDebit(result.lines, accounts.R)).toBe(500);
	});

	it('books one line per fee type when asked, adding up to the fee total', () => {
		const perType = bookItems([data.statementItem(ST5)], { chart, feeLines: 'perFeeType' });
		// 2.84 + 1.70 + 0.19 = 4.73; zero entries of the breakdown produce no line
		expect(perType.lines.filter((line) => line.source.component.startsWith('fee:')).map((line) => [line.amountMinor, line.side, roleOf(line.account), line.taxKey, line.source.component])).toEqual([
			[170, 'S', 'F', '506', 'fee:platform_commission_amount'],
			[19, 'S', 'F', '506', 'fee:transaction_fee_amount'],
			[284, 'S', 'K', '', 'fee:affiliate_commission_amount'],
		]);
		expect(perType.warnings).toEqual([]);
	});

	function roleOf(account: string): Role {
		const role = (Object.keys(accounts) as Role[]).find((key) => accounts[key] === account);
		if (!role) {
			throw new Error(`unexpected account ${account}`);
		}
		return role;
	}
});

describe('a busier sandbox quarter (seed 7, 400 orders a month)', () => {
	const busy = generateShopData({ seed: 7, from: '2025-01', to: '2025-03', ordersPerMonth: 400 });
	const result = bookItems(
		[...busy.statements.map((statement) => busy.statementItem(statement.id)), ...busy.payments],
		{ chart: 'SKR04', revenueMode: 'collectiveDebtor', feeLines: 'perFeeType' },
	);

	it('reconciles every statement without differences', () => {
		expect(result.statements).toHaveLength(busy.statements.length);
		expect(result.statements.filter((summary) => summary.status !== 'ok')).toEqual([]);
		expect(result.warnings.every((warning) => warning.includes('NEW_PROGRAM_BONUS') || warning.includes('has status'))).toBe(true);
	});

	it('holds VAT inside fee_tax_amount and shipping the buyer paid, and books them as taxes and invoice amounts', () => {
		const transactions = busy.statements.flatMap((statement) => busy.statementItem(statement.id)?.transactions ?? []);
		const cents = (value: string | undefined): number => toCents(value ?? '0');
		const vat = transactions.filter((t) => cents(t.fee_tax_breakdown?.tax.local_vat_amount) !== 0);
		const buyerShipping = transactions.filter((t) => cents(t.shipping_cost_breakdown?.customer_paid_shipping_fee_amount as string) !== 0);
		expect(vat.length).toBeGreaterThan(20);
		expect(buyerShipping.length).toBeGreaterThan(100);
		const taxLines = result.lines.filter((line) => line.source.component === 'tax:local_vat_amount');
		expect(taxLines).toHaveLength(vat.length);
		expect(taxLines.every((line) => line.taxKey === '' && line.account === '1372' && line.text.startsWith('TikTok einbehaltene USt lokal'))).toBe(true);
		// Every order's debtor line is its whole invoice: revenue plus the shipping the buyer paid.
		const invoiced = transactions.reduce((sum, t) => sum + cents(t.revenue_amount) + cents(t.shipping_cost_breakdown?.customer_paid_shipping_fee_amount as string), 0);
		expect(-netDebit(result.lines, '10000')).toBe(invoiced);
	});

	it('nets the balance account to zero for every paid payout and the statements it pays', () => {
		const paymentOf = new Map(busy.statements.map((statement) => [statement.id, statement.payment_id]));
		const net = new Map<string, number>();
		for (const line of result.lines) {
			const paymentId = line.source.paymentId ?? paymentOf.get(line.source.statementId ?? '') ?? '';
			net.set(paymentId, (net.get(paymentId) ?? 0) + balanceEffect(line, '1870'));
		}
		const paid = busy.payments.filter((payment) => payment.status === 'PAID');
		expect(paid.length).toBeGreaterThan(10);
		for (const payment of paid) {
			expect([payment.id, net.get(payment.id)]).toEqual([payment.id, 0]);
		}
	});
});
