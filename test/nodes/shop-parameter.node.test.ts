/*
 * One authorization, three shops: the Shop parameter (resource locator) of TikTok Payments and its trigger picks the
 * shop; empty means the credential's Shop field, as in workflows saved before the parameter existed. Records name
 * their shop, and Map to SKR Bookings names the DATEV file and its Bezeichnung after it.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { ICredentialDataDecryptedObject, IExecuteFunctions, ILoadOptionsFunctions, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { readBuchungsstapel } from '../../lib/datev/reader';
import { labelOfShop, shopNameOfItems, shopNaming } from '../../lib/datev/shop';
import { DESCRIPTION_PATTERN } from '../../lib/datev/header';
import { MapToSkrBookings } from '../../nodes/MapToSkrBookings/MapToSkrBookings.node';
import { TikTokPayments } from '../../nodes/TikTokPayments/TikTokPayments.node';
import { TikTokPaymentsTrigger } from '../../nodes/TikTokPaymentsTrigger/TikTokPaymentsTrigger.node';
import { createSandbox, type Sandbox, type ShopData } from '../../sandbox';
import { generateShopData } from '../../sandbox/generate';
import { listen } from '../../sandbox/http';
import { loopbackSend } from '../support/http-send';
import { CredentialStore, fakeContext, sandboxCredentialStore, type RawSend } from '../support/n8n-context';

const send = loopbackSend() as RawSend;
const NAMES = ['Naturkosmetik DE', 'Naturkosmetik AT', 'Öko & Söhne (Outlet) Versand'];
let shops: ShopData[];
let sandbox: Sandbox;
let server: { url: string; close(): Promise<void> };

const august = { period: 'custom', startDate: '2026-08-01', endDate: '2026-08-31', timeZone: 'Europe/Berlin' };
const statementsOfAugust = { resource: 'statement', operation: 'getMany', ...august, includeTransactions: true, options: { requestsPerSecond: 10_000 } };
const locator = (mode: 'list' | 'id', value: string) => ({ __rl: true, mode, value });
const credential = (extra: ICredentialDataDecryptedObject = {}) => sandboxCredentialStore(sandbox, server.url, extra);

async function fetchItems(parameters: Record<string, unknown>, store = credential()): Promise<INodeExecutionData[]> {
	const context = fakeContext({ store, send, parameters });
	const [items] = await new TikTokPayments().execute.call(context as unknown as IExecuteFunctions);
	return items;
}

const idsOfAugust = (shop: ShopData) =>
	shop.statements.filter((statement) => new Date((statement.statement_time - 86_400) * 1000).toISOString().startsWith('2026-08')).map((s) => s.id);

beforeAll(async () => {
	shops = NAMES.map((shopName, index) => generateShopData({ seed: 61 + index, from: '2026-08', to: '2026-09', ordersPerMonth: 40, shopName }));
	sandbox = createSandbox({ data: shops[0], moreShops: shops.slice(1) });
	server = await listen(sandbox);
});

afterAll(async () => server.close());

describe('Shop parameter: the list of authorized shops', () => {
	const search = (filter?: string, parameters: Record<string, unknown> = {}) => {
		const context = fakeContext({ store: credential(), send, parameters }) as unknown as ILoadOptionsFunctions;
		return new TikTokPayments().methods.listSearch.searchShops.call(context, filter);
	};

	it('lists every shop of the authorization as "name · region · id", the id as value (the cipher stays hidden)', async () => {
		const { results } = await search();
		expect(results).toEqual(shops.map(({ shop }) => ({ name: `${shop.name} · DE · ${shop.id}`, value: shop.id })));
		expect(JSON.stringify(results)).not.toContain(shops[0].shop.cipher);
	});

	it('filters by name or id', async () => {
		expect((await search('söhne')).results.map((result) => result.value)).toEqual([shops[2].shop.id]);
		expect((await search(shops[1].shop.id.slice(-6))).results.map((result) => result.value)).toEqual([shops[1].shop.id]);
	});

	it('the trigger lists the same shops', async () => {
		const context = fakeContext({ store: credential(), send, parameters: {} }) as unknown as ILoadOptionsFunctions;
		const { results } = await new TikTokPaymentsTrigger().methods.listSearch.searchShops.call(context);
		expect(results.map((result) => result.value)).toEqual(shops.map(({ shop }) => shop.id));
	});

	it('the Statement ID list shows the statements of the chosen shop', async () => {
		const context = fakeContext({ store: credential(), send, parameters: { shop: locator('list', shops[1].shop.id) } });
		const page = await new TikTokPayments().methods.listSearch.searchStatements.call(context as unknown as ILoadOptionsFunctions);
		const ofShop = new Set(shops[1].statements.map((statement) => statement.id));
		expect(page.results.length).toBeGreaterThan(0);
		expect(page.results.every((result) => ofShop.has(String(result.value)))).toBe(true);
	});
});

describe('Shop parameter: which shop a node reads', () => {
	it('from the list (id) or by cipher: that shop\'s statements, each naming its shop', async () => {
		const byId = await fetchItems({ ...statementsOfAugust, shop: locator('list', shops[1].shop.id) });
		expect(byId.map((item) => item.json.id)).toEqual(idsOfAugust(shops[1]));
		for (const item of byId) expect(item.json).toMatchObject({ shop_id: shops[1].shop.id, shop_name: 'Naturkosmetik AT' });
		const byCipher = await fetchItems({ ...statementsOfAugust, shop: locator('id', shops[1].shop.cipher) });
		expect(byCipher.map((item) => item.json)).toEqual(byId.map((item) => item.json));
	});

	it('empty or absent (workflows saved before): the credential\'s Shop field, as before', async () => {
		const store = () => credential({ shop: shops[2].shop.id });
		const absent = await fetchItems(statementsOfAugust, store());
		expect(absent.map((item) => item.json.id)).toEqual(idsOfAugust(shops[2]));
		const empty = await fetchItems({ ...statementsOfAugust, shop: locator('list', '') }, store());
		expect(empty.map((item) => item.json.id)).toEqual(idsOfAugust(shops[2]));
	});

	it('the node\'s choice wins over the credential\'s Shop field', async () => {
		const items = await fetchItems({ ...statementsOfAugust, shop: locator('id', shops[0].shop.id) }, credential({ shop: shops[2].shop.id }));
		expect(items.map((item) => item.json.id)).toEqual(idsOfAugust(shops[0]));
	});

	it('with several shops and none chosen, the run fails naming the authorized shops', async () => {
		await expect(fetchItems(statementsOfAugust)).rejects.toThrow(/covers 3 shops.*Naturkosmetik AT \(id \d+, DE\)/);
	});

	it('a shop outside the authorization fails with the list of authorized ones', async () => {
		await expect(fetchItems({ ...statementsOfAugust, shop: locator('id', '7495000000000000000') })).rejects.toThrow(
			/"7495000000000000000" is not authorized for this app\. Authorized shops: Naturkosmetik DE/,
		);
	});

	it('the trigger polls the chosen shop and its events name the shop', async () => {
		const context = fakeContext({
			store: credential(),
			send,
			mode: 'manual',
			parameters: { event: 'payoutPaid', shop: locator('list', shops[2].shop.id), options: { lookBackDays: 60 } },
		});
		// The poll looks back from now: now is in the shops' data (the sandbox's clock moves along).
		const now = jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-09-25T12:00:00Z'));
		let result;
		try {
			result = await new TikTokPaymentsTrigger().poll.call(context as unknown as IPollFunctions);
		} finally {
			now.mockRestore();
		}
		const [event] = result?.[0] ?? [];
		expect(shops[2].payments.map((payment) => payment.id)).toContain(event?.json.id);
		expect(event?.json).toMatchObject({ shop_id: shops[2].shop.id, shop_name: NAMES[2] });
	});
});

describe('Map to SKR Bookings: the shop in the DATEV file', () => {
	async function datevFile(items: INodeExecutionData[], options: Record<string, unknown> = {}) {
		const context = fakeContext({
			store: new CredentialStore({}),
			send,
			items,
			parameters: { chart: 'SKR03', output: 'datevFile', consultantNumber: 1234567, clientNumber: 4711, options: { createdAt: '2026-09-01T06:00:00Z', ...options } },
		});
		const [output] = await new MapToSkrBookings().execute.call(context as unknown as IExecuteFunctions);
		const bytes = context.binaries.find((binary) => binary.mimeType === 'text/csv')?.data;
		return { fileName: output[0]?.json.fileName, header: readBuchungsstapel(new Uint8Array(bytes ?? []), { strict: true }).header };
	}

	let itemsOf: INodeExecutionData[][];
	beforeAll(async () => {
		itemsOf = [];
		for (const { shop } of shops) itemsOf.push(await fetchItems({ ...statementsOfAugust, shop: locator('list', shop.id) }));
	});

	it('names the file and the Bezeichnung after the shop the items come from', async () => {
		const at = await datevFile(itemsOf[1]);
		expect(at.fileName).toBe('EXTF_Buchungsstapel_Naturkosmetik_AT_2026-08.csv');
		expect(at.header.description).toBe('Naturkosmetik AT 08/2026');
		const outlet = await datevFile(itemsOf[2]);
		expect(outlet.fileName).toBe('EXTF_Buchungsstapel_Oeko_Soehne_Outlet_Versand_2026-08.csv');
		expect(outlet.header.description).toBe('Öko Söhne Outlet V 08/2026');
	});

	it('an explicit Shop Name or Bezeichnung option wins', async () => {
		const named = await datevFile(itemsOf[1], { shopName: 'Wien', label: 'Filiale Wien' });
		expect(named.fileName).toBe('EXTF_Buchungsstapel_Wien_2026-08.csv');
		expect(named.header.description).toBe('Filiale Wien 08/2026');
	});

	it('items of several shops, or without a shop (older items), get the defaults', async () => {
		const mixed = await datevFile([...itemsOf[0], ...itemsOf[1]]);
		expect(mixed.fileName).toBe('EXTF_Buchungsstapel_TikTok_2026-08.csv');
		expect(mixed.header.description).toBe('TikTok Shop 08/2026');
		const older = await datevFile(itemsOf[0].map((item) => ({ json: { ...item.json, shop_id: undefined, shop_name: undefined } })));
		expect(older.fileName).toBe('EXTF_Buchungsstapel_TikTok_2026-08.csv');
	});
});

describe('lib/datev/shop', () => {
	it('makes a Bezeichnung label DATEV accepts from any shop name', () => {
		for (const name of ['Müller & Söhne GmbH Online-Shop', 'ショップ 東京', '   ', 'a/b_c.d', 'Ω'.repeat(40)]) {
			const label = labelOfShop(name);
			if (label !== undefined) {
				expect(label.length).toBeLessThanOrEqual(18);
				expect(`${label} 08/2026`).toMatch(DESCRIPTION_PATTERN);
			}
		}
		expect(labelOfShop('Müller & Söhne GmbH Online-Shop')).toBe('Müller Söhne GmbH');
		expect(labelOfShop('ショップ')).toBeUndefined();
	});

	it('finds the one shop the items name', () => {
		expect(shopNameOfItems([{ shop_name: 'A' }, { x: 1 }, null, { shop_name: 'A' }])).toBe('A');
		expect(shopNameOfItems([{ shop_name: 'A' }, { shop_name: 'B' }])).toBeUndefined();
		expect(shopNameOfItems([{ shop_name: '' }, {}])).toBeUndefined();
		expect(shopNaming({}, [{ shop_name: 'ショップ' }], { shopName: 'TikTok', label: 'TikTok Shop' })).toEqual({ shopName: 'ショップ', label: 'TikTok Shop' });
	});
});
