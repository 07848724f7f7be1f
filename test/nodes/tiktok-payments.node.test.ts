import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { ICredentialDataDecryptedObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { TikTokPayments } from '../../nodes/TikTokPayments/TikTokPayments.node';
import { createSandbox, type Sandbox } from '../../sandbox';
import { listen } from '../../sandbox/http';
import { loopbackSend } from '../support/http-send';
import { fakeContext, sandboxCredentialStore, type RawSend } from '../support/n8n-context';

const node = new TikTokPayments();
const send = loopbackSend() as RawSend;
let sandbox: Sandbox;
let server: { url: string; close(): Promise<void> };

const credential = (extra: ICredentialDataDecryptedObject = {}) => sandboxCredentialStore(sandbox, server.url, extra);

const august = { period: 'custom', startDate: '2026-08-01', endDate: '2026-08-31', timeZone: 'Europe/Berlin' };
// Tests pace nothing: the rate limit is proven in the client tests with a virtual clock.
const fast = { options: { requestsPerSecond: 10_000 } };

async function run(parameters: Record<string, unknown>, store = credential(), extra: { continueOnFail?: boolean; items?: INodeExecutionData[] } = {}) {
	const context = fakeContext({ store, send, parameters: { ...fast, ...parameters }, ...extra });
	const [items] = await node.execute.call(context as unknown as IExecuteFunctions);
	return { items, store };
}

beforeAll(async () => {
	// ~2,400 orders a month: some statements have more than one page (100) of transactions.
	sandbox = createSandbox({ seed: 11, from: '2026-07', to: '2026-09', ordersPerMonth: 2400 });
	server = await listen(sandbox);
});

afterAll(async () => server.close());

beforeEach(() => {
	sandbox.resetStats();
	sandbox.config.faults = [];
	sandbox.config.expiredTokenStatus = 200;
});

describe('TikTok Payments: Statement → Get Many', () => {
	it('returns every statement of the month with all its transactions, the shape Map to SKR Bookings takes', async () => {
		const { items } = await run({ resource: 'statement', operation: 'getMany', ...august, includeTransactions: true });
		const expected = sandbox.data.statements.filter((statement) => {
			const covered = new Date((statement.statement_time - 86400) * 1000).toISOString().slice(0, 7);
			return covered === '2026-08';
		});
		expect(items.map((item) => item.json.id)).toEqual(expected.map((statement) => statement.id));
		expect(items).toHaveLength(31);
		for (const [index, item] of items.entries()) {
			const json = item.json as Record<string, unknown> & { transactions: Array<{ id: string }> };
			const full = sandbox.data.statementTransactions(String(json.id));
			expect(json.transactions.map((transaction) => transaction.id)).toEqual(full?.transactions.map((transaction) => transaction.id));
			expect(json.total_settlement_amount).toBe(full?.total_settlement_amount);
			expect(json.covered_day).toBe(`2026-08-${String(index + 1).padStart(2, '0')}`);
			expect(typeof json.settlement_amount).toBe('string');
			expect(json.statement_time_iso).toMatch(/^2026-08-\d\dT00:00:00.000Z$|^2026-09-01T00:00:00.000Z$/);
			expect(item.pairedItem).toEqual({ item: 0 });
		}
		// Statements with more than 100 transactions were paged, and no page was fetched twice.
		expect(Math.max(...items.map((item) => (item.json.transactions as unknown[]).length))).toBeGreaterThan(100);
		expect(Object.values(sandbox.stats.pageFetches).every((count) => count === 1)).toBe(true);
	});

	it('Limit stops paging early', async () => {
		const { items } = await run({ resource: 'statement', operation: 'getMany', ...august, includeTransactions: false, returnAll: false, limit: 3 });
		expect(items).toHaveLength(3);
		expect(sandbox.stats.byEndpoint['GET /finance/202309/statements']).toBe(1);
		expect(sandbox.stats.byEndpoint['GET /finance/202501/statements/{statement_id}/statement_transactions'] ?? 0).toBe(0);
	});

	it('Get Transactions with a limit of 101 fetches two pages, Return All every page once', async () => {
		const big = sandbox.data.statements.find((statement) => (sandbox.data.statementTransactions(statement.id)?.transactions.length ?? 0) > 101);
		expect(big).toBeDefined();
		const total = sandbox.data.statementTransactions(String(big?.id))?.transactions.length ?? 0;
		const limited = await run({ resource: 'statement', operation: 'getTransactions', statementId: big?.id, returnAll: false, limit: 101 });
		expect(limited.items).toHaveLength(101);
		expect(sandbox.stats.byEndpoint['GET /finance/202501/statements/{statement_id}/statement_transactions']).toBe(2);
		sandbox.resetStats();
		const all = await run({ resource: 'statement', operation: 'getTransactions', statementId: big?.id, returnAll: true });
		expect(all.items).toHaveLength(total);
		expect(new Set(all.items.map((item) => item.json.id)).size).toBe(total);
		expect(all.items[0].json.statement_id).toBe(big?.id);
	});

	it.each([200, 401] as const)('survives a token that expires mid-pagination (105002 with HTTP %i): no page lost or repeated', async (status) => {
		sandbox.config.expiredTokenStatus = status;
		const store = credential();
		await run({ resource: 'shop', operation: 'getAuthorizedShops' }, store);
		sandbox.resetStats();
		let calls = 0;
		const expiring: RawSend = async (request) => {
			calls += 1;
			if (calls === 4) sandbox.expireAccessTokens();
			return send(request);
		};
		const context = fakeContext({ store, send: expiring, parameters: { resource: 'statement', operation: 'getMany', ...august, ...fast } });
		const [items] = await node.execute.call(context as unknown as IExecuteFunctions);
		expect(items).toHaveLength(31);
		// Requests in flight when the token expires (up to 16 statements' pages at once) are all rejected; the token is
		// renewed once for all of them.
		expect(sandbox.stats.byCode['105002']).toBeGreaterThanOrEqual(1);
		expect(store.updates.length).toBe(2);
		expect(Object.values(sandbox.stats.pageFetches).every((count) => count === 1)).toBe(true);
		const transactions = items.flatMap((item) => (item.json.transactions as Array<{ id: string }>).map((t) => t.id));
		expect(new Set(transactions).size).toBe(transactions.length);
	});

	it('rides out rate limiting and server errors', async () => {
		sandbox.injectFaults('rate_limit', 2, { retryAfterSeconds: 0 });
		sandbox.injectFaults('unavailable', 1);
		sandbox.injectFaults('internal_error', 1);
		const { items } = await run({ resource: 'statement', operation: 'getMany', ...august, includeTransactions: false });
		expect(items).toHaveLength(31);
		expect(sandbox.stats.faultsInjected).toBe(4);
	});
});

describe('TikTok Payments: other resources', () => {
	it('Payment → Get Many returns payouts with ISO times and decimal strings', async () => {
		const { items } = await run({ resource: 'payment', operation: 'getMany', ...august });
		expect(items.length).toBeGreaterThan(0);
		for (const item of items) {
			const json = item.json as { amount: { value: string }; create_time: number; create_time_iso: string };
			expect(json.amount.value).toMatch(/^-?\d+\.\d{2}$/);
			expect(json.create_time_iso).toBe(new Date(json.create_time * 1000).toISOString());
		}
	});

	it('Payment → Get Many selects payouts by paid date by default, or by TikTok\'s creation date', async () => {
		const augustStart = Date.parse('2026-07-31T22:00:00Z') / 1000;
		const septemberStart = Date.parse('2026-08-31T22:00:00Z') / 1000;
		const inAugust = (time: number | undefined) => time !== undefined && time >= augustStart && time < septemberStart;
		const paid = await run({ resource: 'payment', operation: 'getMany', ...august });
		const expectedPaid = sandbox.data.payments.filter((payment) => inAugust(payment.paid_time)).map((payment) => payment.id);
		expect(paid.items.map((item) => item.json.id)).toEqual(expectedPaid);
		const created = await run({ resource: 'payment', operation: 'getMany', ...august, options: { ...fast.options, payoutDate: 'created' } });
		const expectedCreated = sandbox.data.payments.filter((payment) => inAugust(payment.create_time)).map((payment) => payment.id);
		expect(created.items.map((item) => item.json.id)).toEqual(expectedCreated);
		// The two differ at the month boundary: a payout created in July and paid in August belongs to August.
		expect(expectedPaid).not.toEqual(expectedCreated);
	});

	it('Shop → Get Authorized Shops lists the shop', async () => {
		const { items } = await run({ resource: 'shop', operation: 'getAuthorizedShops' });
		expect(items.map((item) => item.json.name)).toEqual([sandbox.credentials.shopName]);
	});

	it('Order → Get Transactions returns the SKU lines of an order', async () => {
		const statement = sandbox.data.statements[40];
		const order = sandbox.data.statementTransactions(statement.id)?.transactions.find((t) => t.type === 'ORDER');
		const { items } = await run({ resource: 'order', operation: 'getTransactions', orderId: order?.order_id });
		expect(items).toHaveLength(1);
		expect(items[0].json.order_id).toBe(order?.order_id);
	});
});

describe('TikTok Payments: errors', () => {
	it('a wrong shop fails with a clear message naming the authorized shops', async () => {
		await expect(run({ resource: 'payment', operation: 'getMany', ...august }, credential({ shop: '42' }))).rejects.toThrow(
			/The shop "42" is not authorized.*Naturkosmetik|The shop "42" is not authorized/,
		);
	});

	it('with Continue On Fail the error becomes an item paired with its input, and other items still run', async () => {
		const items = [{ json: { statementId: '' } }, { json: { statementId: 'x' } }];
		const context = fakeContext({
			store: credential(),
			send,
			continueOnFail: true,
			items,
			parameters: { resource: 'statement', operation: 'getTransactions', statementId: '', ...fast },
		});
		const [output] = await node.execute.call(context as unknown as IExecuteFunctions);
		expect(output).toHaveLength(2);
		expect(output[0]).toMatchObject({ json: { error: 'Enter a Statement ID.' }, pairedItem: { item: 0 } });
		expect(output[1].pairedItem).toEqual({ item: 1 });
	});

	it('a missing finance scope explains what to enable', async () => {
		const scopes = sandbox.config.grantedScopes;
		sandbox.config.grantedScopes = ['seller.authorization.info'];
		try {
			const failure = await run({ resource: 'payment', operation: 'getMany', ...august }).catch((error: Error & { description?: string }) => error);
			expect(failure).toBeInstanceOf(Error);
			const error = failure as Error & { description?: string };
			expect(`${error.message} ${error.description}`).toMatch(/seller\.finance\.info/);
			expect(`${error.message} ${error.description}`).toMatch(/105005/);
		} finally {
			sandbox.config.grantedScopes = scopes;
		}
	});
});
