/*
 * Statement ID and Order ID as resource locators: the node's list searches against the sandbox over loopback (what the
 * editor calls for "From list"), and both saved forms of the parameter (resource locator value, plain string of
 * workflows from 0.1) reading as the same id.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { IExecuteFunctions, ILoadOptionsFunctions, INodeListSearchResult, INodeProperties } from 'n8n-workflow';

import { TikTokPayments } from '../../nodes/TikTokPayments/TikTokPayments.node';
import { createSandbox, type Sandbox } from '../../sandbox';
import { listen } from '../../sandbox/http';
import { loopbackSend } from '../support/http-send';
import { fakeContext, sandboxCredentialStore, type CredentialStore, type RawSend } from '../support/n8n-context';

const node = new TikTokPayments();
const send = loopbackSend() as RawSend;
let sandbox: Sandbox;
let server: { url: string; close(): Promise<void> };
let store: CredentialStore;

beforeAll(async () => {
	// Nine months of daily statements: more than one page (100) of statements.
	sandbox = createSandbox({ seed: 31, from: '2026-01', to: '2026-09', ordersPerMonth: 60 });
	server = await listen(sandbox);
	store = sandboxCredentialStore(sandbox, server.url);
});

afterAll(async () => server.close());

function loadOptionsContext(): ILoadOptionsFunctions {
	return fakeContext({ store, send, parameters: {} }) as unknown as ILoadOptionsFunctions;
}

const searchStatements = (filter?: string, token?: string) =>
	node.methods.listSearch.searchStatements.call(loadOptionsContext(), filter, token);
const searchOrders = (filter?: string, token?: string) => node.methods.listSearch.searchOrders.call(loadOptionsContext(), filter, token);

/** The sandbox's statements newest first, with the label the list must show (computed here from TikTok's fields). */
function expectedStatements() {
	return [...sandbox.data.statements]
		.sort((a, b) => b.statement_time - a.statement_time)
		.map((statement) => ({
			value: statement.id,
			name: `${new Date((statement.statement_time - 86_400) * 1000).toISOString().slice(0, 10)} · ${statement.settlement_amount} ${statement.currency} · ${statement.payment_status}`,
		}));
}

async function allPages(search: (filter?: string, token?: string) => Promise<INodeListSearchResult>, filter?: string) {
	const pages: INodeListSearchResult[] = [];
	let token: string | undefined;
	do {
		const page = await search(filter, token);
		pages.push(page);
		token = page.paginationToken as string | undefined;
	} while (token !== undefined && pages.length < 50);
	return pages;
}

describe('Statement ID: list search', () => {
	it('lists recent statements newest first as "date · settlement amount · status", page by page to the oldest', async () => {
		const expected = expectedStatements();
		expect(expected.length).toBeGreaterThan(200);
		const pages = await allPages(searchStatements);
		expect(pages[0].results.slice(0, 3)).toEqual(expected.slice(0, 3));
		expect(pages[0].results[0].name).toMatch(/^2026-09-\d\d · -?\d+\.\d{2} EUR · (PAID|PROCESSING|FAILED)$/);
		expect(pages.length).toBeGreaterThan(1);
		expect(pages.flatMap((page) => page.results)).toEqual(expected);
		expect(pages[pages.length - 1].paginationToken).toBeUndefined();
	});

	it('filters by date, also when the matches lie several pages back', async () => {
		const august = await searchStatements('2026-08-1');
		expect(august.results.map((result) => result.name.slice(0, 10))).toEqual(
			['19', '18', '17', '16', '15', '14', '13', '12', '11', '10'].map((day) => `2026-08-${day}`),
		);
		const january = await searchStatements('2026-01-0');
		expect(january.results.map((result) => result.name.slice(0, 10))).toEqual(
			['09', '08', '07', '06', '05', '04', '03', '02', '01'].map((day) => `2026-01-${day}`),
		);
	});

	it('finds a statement by (part of) its id', async () => {
		const target = sandbox.data.statements[100];
		const found = await searchStatements(target.id.slice(-9));
		expect(found.results.map((result) => result.value)).toContain(target.id);
	});
});

describe('Order ID: list search', () => {
	it('lists the settled orders of the newest statements, each once, continuing where the last page stopped', async () => {
		const first = await searchOrders();
		expect(first.results.length).toBeGreaterThan(0);
		expect(first.paginationToken).toBeDefined();
		const second = await searchOrders(undefined, first.paginationToken as string);
		const ids = [...first.results, ...second.results].map((result) => result.value);
		expect(new Set(ids).size).toBe(ids.length);
		// In the order of the newest statements' transactions.
		const newest = [...sandbox.data.statements].sort((a, b) => b.statement_time - a.statement_time);
		const expectedIds = newest
			.flatMap((statement) => sandbox.data.statementTransactions(statement.id)?.transactions ?? [])
			.map((transaction) => transaction.order_id)
			.filter((id, index, all) => id && all.indexOf(id) === index);
		expect(ids).toEqual(expectedIds.slice(0, ids.length));
		for (const result of first.results) expect(result.name).toMatch(new RegExp(`^${result.value} · \\d{4}-\\d{2}-\\d{2} · -?\\d+\\.\\d{2} EUR$`));
	});

	it('looks up a complete order ID directly, also an order far older than the recent statements', async () => {
		const january = sandbox.data.statements.find((statement) => new Date(statement.statement_time * 1000).toISOString().startsWith('2026-01-05'));
		const order = sandbox.data.statementTransactions(String(january?.id))?.transactions.find((transaction) => transaction.order_id);
		const detail = sandbox.data.orderTransactions(String(order?.order_id));
		const found = await searchOrders(order?.order_id);
		expect(found.results).toEqual([
			{
				value: order?.order_id,
				name: `${order?.order_id} · ${new Date(Number(detail?.order_create_time) * 1000).toISOString().slice(0, 10)} · ${detail?.settlement_amount} EUR`,
			},
		]);
		expect(found.paginationToken).toBeUndefined();
	});

	it('filters the recent orders by a part of the id', async () => {
		const { results } = await searchOrders();
		const target = String(results[results.length - 1].value);
		const found = await searchOrders(target.slice(-6));
		expect(found.results.map((result) => result.value)).toContain(target);
		for (const result of found.results) expect(result.value).toContain(target.slice(-6));
	});

	it('shows TikTok\'s answer for a complete order ID that does not exist', async () => {
		await expect(searchOrders('5799999999999999999')).rejects.toThrow(/order_id "5799999999999999999" is invalid/);
	});
});

describe('Statement ID and Order ID: saved values', () => {
	const run = async (parameters: Record<string, unknown>) => {
		const context = fakeContext({ store, send, parameters: { ...parameters, options: { requestsPerSecond: 10_000 } } });
		const [items] = await node.execute.call(context as unknown as IExecuteFunctions);
		return items.map((item) => item.json.id ?? item.json.order_id);
	};

	it('reads a resource locator value (list or ID mode) and a plain string from 0.1 workflows alike', async () => {
		const statement = sandbox.data.statements[3];
		const get = { resource: 'statement', operation: 'getTransactions', returnAll: true };
		const fromString = await run({ ...get, statementId: statement.id });
		expect(fromString.length).toBeGreaterThan(0);
		expect(await run({ ...get, statementId: { __rl: true, mode: 'list', value: statement.id, cachedResultName: 'x' } })).toEqual(fromString);
		expect(await run({ ...get, statementId: { __rl: true, mode: 'id', value: statement.id } })).toEqual(fromString);

		const orderId = sandbox.data.statementTransactions(statement.id)?.transactions.find((transaction) => transaction.order_id)?.order_id;
		const order = { resource: 'order', operation: 'getTransactions' };
		expect(await run({ ...order, orderId })).toEqual([orderId]);
		expect(await run({ ...order, orderId: { __rl: true, mode: 'id', value: orderId } })).toEqual([orderId]);
	});

	it('flags anything but a number in ID mode in the editor', () => {
		// Shop's ID mode also takes a shop cipher, which is not a number (see shop-parameter.node.test.ts).
		const locators = node.description.properties.filter((property) => property.type === 'resourceLocator' && property.name !== 'shop');
		expect(locators.map((property) => property.name)).toEqual(['statementId', 'orderId']);
		for (const property of locators as INodeProperties[]) {
			const idMode = property.modes?.find((mode) => mode.name === 'id');
			const validation = idMode?.validation?.[0] as unknown as { type: string; properties: { regex: string } };
			expect(validation.type).toBe('regex');
			const regex = new RegExp(`^${validation.properties.regex}$`);
			expect(regex.test('7238804564097517339')).toBe(true);
			expect(regex.test('576463220456522968')).toBe(true);
			for (const bad of ['', 'abc', '72388 0456', 'https://seller.tiktok.com/x', '1234567890123456789012345678']) expect(regex.test(bad)).toBe(false);
			expect(property.modes?.find((mode) => mode.name === 'list')?.typeOptions?.searchListMethod).toBe(
				property.name === 'statementId' ? 'searchStatements' : 'searchOrders',
			);
		}
	});
});
