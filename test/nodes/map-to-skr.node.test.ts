import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readBookingLines, readBuchungsstapel } from '../../lib/datev/reader';
import { parseMinor } from '../../lib/money';
import { MapToSkrBookings } from '../../nodes/MapToSkrBookings/MapToSkrBookings.node';
import { TikTokPayments } from '../../nodes/TikTokPayments/TikTokPayments.node';
import { createSandbox, type Sandbox } from '../../sandbox';
import { listen } from '../../sandbox/http';
import { loopbackSend } from '../support/http-send';
import { CredentialStore, fakeContext, sandboxCredentialStore, type RawSend } from '../support/n8n-context';

const send = loopbackSend() as RawSend;
let sandbox: Sandbox;
let server: { url: string; close(): Promise<void> };
let statements: INodeExecutionData[];
let payments: INodeExecutionData[];

const mapNode = new MapToSkrBookings();
const store = () => new CredentialStore({});

async function map(items: INodeExecutionData[], parameters: Record<string, unknown>, extra: { continueOnFail?: boolean; staticData?: IDataObject } = {}) {
	const context = fakeContext({ store: store(), send, items, parameters, ...extra });
	const [output] = await mapNode.execute.call(context as unknown as IExecuteFunctions);
	return { output, context };
}

const ofKind = (output: INodeExecutionData[], kind: string) => output.filter((item) => item.json.kind === kind);

beforeAll(async () => {
	sandbox = createSandbox({ seed: 21, from: '2026-08', to: '2026-09', ordersPerMonth: 300 });
	server = await listen(sandbox);
	const credential = sandboxCredentialStore(sandbox, server.url);
	const fetch = async (parameters: Record<string, unknown>) => {
		const context = fakeContext({
			store: credential,
			send,
			parameters: { period: 'custom', startDate: '2026-08-01', endDate: '2026-08-31', options: { requestsPerSecond: 10_000 }, ...parameters },
		});
		const [items] = await new TikTokPayments().execute.call(context as unknown as IExecuteFunctions);
		return items.map((item) => ({ json: item.json }));
	};
	statements = await fetch({ resource: 'statement', operation: 'getMany', includeTransactions: true });
	payments = await fetch({ resource: 'payment', operation: 'getMany', options: { requestsPerSecond: 10_000, payoutStatus: 'PAID' } });
});

afterAll(async () => server.close());

describe('Map to SKR Bookings', () => {
	it.each(['SKR03', 'SKR04'] as const)('books a month in %s: every statement reconciles, every line is traceable', async (chart) => {
		const { output } = await map([...statements, ...payments], { chart, output: 'bookings' });
		const lines = ofKind(output, 'booking');
		const summaries = ofKind(output, 'statementSummary');
		expect(summaries).toHaveLength(statements.length);
		for (const summary of summaries) {
			expect(summary.json).toMatchObject({ status: 'ok', differenceMinor: 0, difference: '0.00' });
		}
		const balance = chart === 'SKR03' ? '1270' : '1870';
		for (const line of lines) {
			const json = line.json as { amount: string; amountMinor: number; account: string; contraAccount: string; debitCredit: string; currency: string };
			expect(parseMinor(json.amount, json.currency)).toBe(json.amountMinor);
			expect(json.amountMinor).toBeGreaterThan(0);
			expect(['S', 'H']).toContain(json.debitCredit);
			expect([json.account, json.contraAccount]).toContain(balance);
		}
		// Each statement's lines point back to the item the statement came in.
		const first = statements[0].json.id;
		const firstLines = lines.filter((line) => (line.json.source as { statementId?: string }).statementId === first);
		expect(firstLines.length).toBeGreaterThan(0);
		expect(firstLines.every((line) => (line.pairedItem as { item: number }).item === 0)).toBe(true);

		// The balance account's movement equals Σ statement settlements − Σ payouts, to the cent.
		let movement = 0;
		for (const line of lines) {
			const json = line.json as { amountMinor: number; account: string; contraAccount: string; debitCredit: string };
			const sign = json.debitCredit === 'S' ? 1 : -1;
			if (json.account === balance) movement += sign * json.amountMinor;
			if (json.contraAccount === balance) movement -= sign * json.amountMinor;
		}
		const settled = statements.reduce((sum, item) => sum + parseMinor(String(item.json.settlement_amount), 'EUR'), 0);
		const reserve = statements.reduce((sum, item) => sum + parseMinor(String(item.json.total_reserve_amount ?? '0'), 'EUR'), 0);
		const paidOut = payments.reduce((sum, item) => sum + parseMinor(String((item.json.amount as { value: string }).value), 'EUR'), 0);
		expect(movement).toBe(settled + reserve - paidOut);
	});

	it('writes the DATEV file as binary that reads back to the same bookings, byte-identical for a fixed stamp', async () => {
		const parameters = {
			chart: 'SKR03',
			output: 'both',
			consultantNumber: 1234567,
			clientNumber: 4711,
			options: { createdAt: '2026-09-01T06:00:00Z', shopName: 'Naturkosmetik' },
		};
		const first = await map([...statements, ...payments], parameters);
		const files = ofKind(first.output, 'datevFile');
		const lines = ofKind(first.output, 'booking');
		const fileNames = files.map((file) => file.json.fileName);
		expect(fileNames).toContain('EXTF_Buchungsstapel_Naturkosmetik_2026-08.csv');
		const binaries = first.context.binaries.filter((binary) => binary.fileName !== 'summary.html');
		expect(binaries.map((binary) => binary.mimeType)).toEqual(files.map(() => 'text/csv'));
		const read = binaries.map((binary) => readBuchungsstapel(new Uint8Array(binary.data), { strict: true }));
		expect(read[0].header.consultantNumber).toBe(1234567);
		expect(read[0].header.clientNumber).toBe(4711);
		const rows = read.flatMap((file) => readBookingLines(file));
		expect(rows).toHaveLength(lines.length);
		expect(rows.map((row) => [row.amountMinor, row.side, row.account, row.contraAccount, row.date])).toEqual(
			lines.map((line) => [line.json.amountMinor, line.json.debitCredit, line.json.account, line.json.contraAccount, line.json.date]),
		);
		expect(files[0].binary?.data).toBeDefined();

		const second = await map([...statements, ...payments], parameters);
		const secondFiles = second.context.binaries.filter((binary) => binary.fileName !== 'summary.html');
		expect(secondFiles.map((binary) => binary.data.toString('hex'))).toEqual(binaries.map((binary) => binary.data.toString('hex')));
	});

	it('adds the month at a glance to each DATEV file: an HTML table as a field and as summary.html', async () => {
		const { output } = await map([...statements, ...payments], { chart: 'SKR03', output: 'both' });
		const [file] = ofKind(output, 'datevFile');
		const html = String(file.json.summaryHtml);
		expect(html).toContain('Monatsübersicht 08/2026');
		expect(file.binary?.summary).toMatchObject({ fileName: 'summary.html', mimeType: 'text/html' });
		const page = Buffer.from(String(file.binary?.summary.data), 'base64').toString('utf8');
		expect(page).toMatch(/^<!DOCTYPE html>/);
		expect(page).toContain(html);
		// The balance account's row carries what the booking lines of August put on 1270, in German notation.
		let debit = 0;
		let credit = 0;
		for (const line of ofKind(output, 'booking').filter((item) => String(item.json.date).startsWith('2026-08'))) {
			const amount = Number(line.json.amountMinor);
			const debitsBalance = (line.json.account === '1270') === (line.json.debitCredit === 'S');
			if (line.json.account !== '1270' && line.json.contraAccount !== '1270') continue;
			if (debitsBalance) debit += amount;
			else credit += amount;
		}
		const euro = (minor: number) => `${(minor / 100).toFixed(2).replace('.', ',').replace(/\B(?=(\d{3})+(?!\d))/g, '.')} EUR`;
		const row = /<tr><td[^>]*>1270<\/td>(.*?)<\/tr>/.exec(html)?.[1].replace(/<[^>]+>/g, '|');
		expect(row).toContain(`TikTok-Guthaben (Geldkonto)|`);
		expect(row).toContain(`|${euro(debit)}|`);
		expect(row).toContain(`|${euro(credit)}|`);
		const statementRows = html.match(/<td[^>]*>abgestimmt<\/td>/g) ?? [];
		expect(statementRows).toHaveLength(ofKind(output, 'statementSummary').filter((item) => String(item.json.date).startsWith('2026-08')).length);
	});

	it('books nothing twice across runs, and re-books on purpose', async () => {
		const staticData: IDataObject = {};
		const first = await map(statements.slice(0, 5), { chart: 'SKR03', output: 'bookings' }, { staticData });
		expect(ofKind(first.output, 'booking').length).toBeGreaterThan(0);
		const again = await map(statements.slice(0, 6), { chart: 'SKR03', output: 'bookings' }, { staticData });
		const bookedAgain = new Set(ofKind(again.output, 'booking').map((line) => (line.json.source as { statementId: string }).statementId));
		expect([...bookedAgain]).toEqual([statements[5].json.id]);
		const rebook = await map(statements.slice(0, 5), { chart: 'SKR03', output: 'bookings', skipBookedBefore: false }, { staticData });
		expect(ofKind(rebook.output, 'statementSummary')).toHaveLength(5);
	});

	it('names the item and field of bad input, and with Continue On Fail books the rest', async () => {
		const bad = JSON.parse(JSON.stringify(statements[1].json)) as { transactions: Array<Record<string, unknown>> };
		bad.transactions[0].settlement_amount = '12.345';
		const items = [statements[0], { json: bad as unknown as IDataObject }, statements[2]];
		await expect(map(items, { chart: 'SKR03', output: 'bookings' })).rejects.toThrow(
			/item 1: transactions\[0\]\.settlement_amount: "12\.345" has more than 2 decimals for EUR/,
		);
		const { output } = await map(items, { chart: 'SKR03', output: 'bookings' }, { continueOnFail: true });
		const errors = ofKind(output, 'error');
		expect(errors).toHaveLength(1);
		expect(errors[0].pairedItem).toEqual({ item: 1 });
		expect(errors[0].json.error).toMatch(/^item 1: transactions\[0\]\.settlement_amount/);
		const booked = new Set(ofKind(output, 'statementSummary').map((item) => item.json.statementId));
		expect(booked).toEqual(new Set([statements[0].json.id, statements[2].json.id]));
	});

	it('rejects an empty input with a clear message', async () => {
		await expect(map([], { chart: 'SKR03', output: 'bookings' })).rejects.toThrow(/nothing to book/);
	});
});
