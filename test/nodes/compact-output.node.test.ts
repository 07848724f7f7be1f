/*
 * TikTok Payments' "Booking input (compact)" output: the default of node version 2 for statements with all
 * transactions, raw for version 1 (existing workflows keep their items). Map to SKR Bookings books both the same way.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { MapToSkrBookings } from '../../nodes/MapToSkrBookings/MapToSkrBookings.node';
import { TikTokPayments } from '../../nodes/TikTokPayments/TikTokPayments.node';
import { createSandbox, type Sandbox } from '../../sandbox';
import { listen } from '../../sandbox/http';
import { loopbackSend } from '../support/http-send';
import { CredentialStore, fakeContext, sandboxCredentialStore, TEST_NODE, type RawSend } from '../support/n8n-context';

const send = loopbackSend() as RawSend;
let sandbox: Sandbox;
let server: { url: string; close(): Promise<void> };
const items: Record<'v1' | 'v2' | 'compact' | 'raw', INodeExecutionData[]> = { v1: [], v2: [], compact: [], raw: [] };
let payments: INodeExecutionData[];

const month = { period: 'custom', startDate: '2026-08-01', endDate: '2026-08-31', timeZone: 'Europe/Berlin', options: { requestsPerSecond: 10_000 } };

async function fetch(typeVersion: number, parameters: Record<string, unknown>): Promise<INodeExecutionData[]> {
	const context = {
		...fakeContext({ store: sandboxCredentialStore(sandbox, server.url), send, parameters: { ...month, ...parameters } }),
		getNode: () => ({ ...TEST_NODE, typeVersion }),
	};
	const [output] = await new TikTokPayments().execute.call(context as unknown as IExecuteFunctions);
	return output.map((item) => ({ json: item.json }));
}

async function datevFiles(input: INodeExecutionData[]): Promise<string[]> {
	const context = fakeContext({
		store: new CredentialStore({}),
		send,
		items: input,
		parameters: { chart: 'SKR04', output: 'both', consultantNumber: 1234567, clientNumber: 4711, options: { createdAt: '2026-09-01T06:00:00Z' } },
	});
	await new MapToSkrBookings().execute.call(context as unknown as IExecuteFunctions);
	return context.binaries.map((binary) => binary.data.toString('hex'));
}

const statementsWithTransactions = { resource: 'statement', operation: 'getMany', includeTransactions: true };
const transactionsOf = (list: INodeExecutionData[]) => list.flatMap((item) => item.json.transactions as Array<Record<string, unknown>>);

beforeAll(async () => {
	sandbox = createSandbox({ seed: 33, from: '2026-08', to: '2026-09', ordersPerMonth: 1500 });
	server = await listen(sandbox);
	items.v1 = await fetch(1, statementsWithTransactions);
	items.v2 = await fetch(2, statementsWithTransactions);
	items.compact = await fetch(1, { ...statementsWithTransactions, output: 'compact' });
	items.raw = await fetch(2, { ...statementsWithTransactions, output: 'raw' });
	payments = await fetch(2, { resource: 'payment', operation: 'getMany', options: { requestsPerSecond: 10_000, payoutStatus: 'PAID' } });
});

afterAll(async () => server.close());

describe('TikTok Payments: output of statements with all transactions', () => {
	it('is compact by default from version 2 on and raw in version 1; either version can choose', () => {
		expect(items.v1).toEqual(items.raw);
		expect(items.v2).toEqual(items.compact);
		const raw = transactionsOf(items.raw);
		const compact = transactionsOf(items.compact);
		expect(compact.map((transaction) => transaction.id)).toEqual(raw.map((transaction) => transaction.id));
		const order = raw.findIndex((transaction) => transaction.type === 'ORDER');
		// TikTok's objects in full …
		expect(raw[order]).toHaveProperty('revenue_breakdown');
		expect(raw[order]).toHaveProperty('supplementary_component');
		// … versus what is booked and what a bookkeeper reads.
		expect(compact[order]).not.toHaveProperty('revenue_breakdown');
		expect(compact[order]).not.toHaveProperty('supplementary_component');
		const { id, type, order_id, settlement_amount, order_create_time_iso } = raw[order];
		expect(compact[order]).toMatchObject({ id, type, order_id, settlement_amount, order_create_time_iso });
		// The breakdown keeps its amounts and leaves out its zeros (most of its ~31 fields).
		const { fee, tax } = raw[order].fee_tax_breakdown as Record<'fee' | 'tax', Record<string, string>>;
		const nonZero = (group: Record<string, string>) => Object.fromEntries(Object.entries(group).filter(([, amount]) => amount !== '0.00'));
		expect(Object.keys(nonZero(fee)).length).toBeGreaterThan(0);
		expect(compact[order].fee_tax_breakdown).toEqual({ fee: nonZero(fee), ...(Object.keys(nonZero(tax)).length > 0 ? { tax: nonZero(tax) } : {}) });
		expect(items.compact[0].json).toMatchObject({ covered_day: items.raw[0].json.covered_day, statement_time_iso: items.raw[0].json.statement_time_iso });
		expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(raw).length / 5);
	});

	it('gives Map to SKR Bookings the same DATEV files, byte for byte, from compact and raw items', async () => {
		const fromRaw = await datevFiles([...items.raw, ...payments]);
		const fromCompact = await datevFiles([...items.compact, ...payments]);
		expect(fromRaw.length).toBeGreaterThan(0);
		expect(fromCompact).toEqual(fromRaw);
	});
});
