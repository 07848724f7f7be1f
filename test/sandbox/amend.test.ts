/** The sandbox changes a statement after it was served (issue #13), consistently, and over HTTP on loopback. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

import { runMapping } from '../../lib/mapping/run';
import { parseMinor } from '../../lib/money';
import { createSandbox, type Amendment, type Sandbox } from '../../sandbox';
import { listen } from '../../sandbox/http';

let sandbox: Sandbox;
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
	sandbox = createSandbox({ seed: 5, from: '2026-09', to: '2026-10', ordersPerMonth: 200 });
	server = await listen(sandbox);
});
afterAll(async () => server.close());

const cents = (value: string) => parseMinor(value, 'EUR');
const sum = (values: string[]) => values.reduce((total, value) => total + cents(value), 0);

/** A statement with orders and a withheld reserve, so every kind of amendment applies. */
function pickStatement(): string {
	const found = sandbox.data.statements.find((statement) => {
		const transactions = sandbox.data.statementTransactions(statement.id)?.transactions ?? [];
		return transactions.some((t) => t.type === 'ORDER' && cents(t.fee_tax_breakdown?.fee.platform_commission_amount ?? '0') < 0) &&
			transactions.some((t) => t.type === 'RESERVE' && cents(t.reserve_amount) < 0);
	});
	if (!found) throw new Error('the sandbox month has no statement with an order and a withheld reserve');
	return found.id;
}

async function post(body: unknown) {
	const response = await fetch(`${server.url}/sandbox/amend`, { method: 'POST', body: JSON.stringify(body) });
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Totals follow the transactions, the statement list agrees with the detail, and Map to SKR Bookings reconciles it. */
function expectConsistent(statementId: string) {
	const statement = sandbox.data.statements.find((candidate) => candidate.id === statementId)!;
	const detail = sandbox.data.statementTransactions(statementId)!;
	expect(sum(detail.transactions.map((t) => t.settlement_amount))).toBe(cents(detail.total_settlement_amount));
	expect(sum(detail.transactions.map((t) => t.reserve_amount))).toBe(cents(detail.total_reserve_amount));
	expect(cents(statement.settlement_amount)).toBe(cents(detail.total_settlement_amount));
	expect(cents(detail.payable_amount)).toBe(cents(detail.total_settlement_amount) + cents(detail.total_reserve_amount));
	expect(detail.total_count).toBe(detail.transactions.length);
	const result = runMapping({ items: [sandbox.data.statementItem(statementId)], booking: {}, skipBookedBefore: true, continueOnFail: false, now: () => 0 });
	expect(result.statements.map((summary) => summary.status)).toEqual(['ok']);
}

describe('sandbox amendments', () => {
	const cases: Array<[Amendment, number | undefined]> = [
		[{ kind: 'addTransaction', amount: '7.50' }, 750],
		[{ kind: 'changeTransaction', feeDelta: '1.25' }, 125],
		[{ kind: 'releaseReserve' }, undefined],
	];
	it.each(cases)('%o changes one statement consistently and says by how much', async (amendment, expectedDifference) => {
		const statementId = pickStatement();
		const before = sandbox.data.statementTransactions(statementId)!;
		const others = sandbox.data.statements.filter((statement) => statement.id !== statementId);
		const { status, body } = await post({ statementId, ...amendment });
		expect(status).toBe(200);
		const released = -cents(before.transactions.find((t) => t.type === 'RESERVE' && cents(t.reserve_amount) < 0)!.reserve_amount);
		expect(cents(String(body.balanceDifference))).toBe(expectedDifference ?? released);
		expect(body).toMatchObject({ statementId, kind: amendment.kind });
		expectConsistent(statementId);
		expect(sandbox.data.statements.filter((statement) => statement.id !== statementId)).toEqual(others);
		// Paging still works over the changed list.
		const pages = [0, 1, 2].flatMap((page) => sandbox.data.statementTransactions(statementId, { offset: page * 100, limit: 100 })!.transactions);
		expect(pages.map((t) => t.id)).toEqual(sandbox.data.statementTransactions(statementId)!.transactions.map((t) => t.id).slice(0, 300));
	});

	it('refuses anything but a POST with a known kind and an existing statement', async () => {
		expect((await fetch(`${server.url}/sandbox/amend`)).status).toBe(405);
		expect((await post({ statementId: pickStatement(), kind: 'deleteEverything' })).status).toBe(400);
		expect((await post({ statementId: '1', kind: 'addTransaction' })).body.error).toMatch(/statement 1 is not in the sandbox/);
	});
});
