import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readBookingLines, readBuchungsstapel } from '../../lib/datev/reader';
import { parseMinor } from '../../lib/money';
import { MapToSkrBookings } from '../../nodes/MapToSkrBookings/MapToSkrBookings.node';
import { MarkAsBooked } from '../../nodes/MarkAsBooked/MarkAsBooked.node';
import { mapToSkrProperties } from '../../nodes/MapToSkrBookings/MapToSkrBookings.description';
import { ACCOUNT_ROLES, ROLE_LABELS, TAX_KEY_LABELS, TAX_KEY_ROLES } from '../../lib/booking';
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

async function map(
	items: INodeExecutionData[],
	parameters: Record<string, unknown>,
	extra: { continueOnFail?: boolean; staticData?: IDataObject; processed?: Set<string> } = {},
) {
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

	it('books nothing twice once Mark as Booked confirmed the delivery, and re-books on purpose', async () => {
		const staticData: IDataObject = {};
		const processed = new Set<string>();
		const markAsBooked = async (mapOutput: INodeExecutionData[]) => {
			const context = fakeContext({ store: store(), send, parameters: { mapNodeName: 'Map to SKR Bookings' }, staticData, processed, nodeOutputs: { 'Map to SKR Bookings': mapOutput } });
			const [output] = await new MarkAsBooked().execute.call(context as unknown as IExecuteFunctions);
			return output[0].json;
		};
		const first = await map(statements.slice(0, 5), { chart: 'SKR03', output: 'bookings' }, { staticData, processed });
		expect(ofKind(first.output, 'booking').length).toBeGreaterThan(0);
		// Map itself records nothing: until the delivery is confirmed, the same statements are booked again.
		expect(processed.size).toBe(0);
		const unconfirmed = await map(statements.slice(0, 5), { chart: 'SKR03', output: 'bookings' }, { staticData, processed });
		expect(ofKind(unconfirmed.output, 'statementSummary')).toHaveLength(5);
		expect(await markAsBooked(unconfirmed.output)).toMatchObject({ marked: { statements: 5, payouts: 0, corrections: 0 }, alreadyMarked: 0 });
		const again = await map(statements.slice(0, 6), { chart: 'SKR03', output: 'bookings' }, { staticData, processed });
		const bookedAgain = new Set(ofKind(again.output, 'booking').map((line) => (line.json.source as { statementId: string }).statementId));
		expect([...bookedAgain]).toEqual([statements[5].json.id]);
		const rebook = await map(statements.slice(0, 5), { chart: 'SKR03', output: 'bookings', skipBookedBefore: false }, { staticData, processed });
		expect(ofKind(rebook.output, 'statementSummary')).toHaveLength(5);
	});

	it('books only the difference of a statement changed after its delivery, from the DATEV file item\'s receipt', async () => {
		const staticData: IDataObject = {};
		const processed = new Set<string>();
		const parameters = { chart: 'SKR03', output: 'datevFile', consultantNumber: 1234567, clientNumber: 12345, options: { createdAt: '2026-09-02T06:00:00Z' } };
		const first = await map(statements.slice(0, 3), parameters, { staticData, processed });
		const files = ofKind(first.output, 'datevFile');
		expect(files[0].json.delivery).toBeDefined();
		const context = fakeContext({ store: store(), send, parameters: { mapNodeName: 'Map to SKR Bookings' }, staticData, processed, nodeOutputs: { 'Map to SKR Bookings': first.output } });
		await new MarkAsBooked().execute.call(context as unknown as IExecuteFunctions);
		expect(Object.keys((staticData.tiktokPaymentsLedger as { statements: object }).statements)).toHaveLength(3);

		const amended = JSON.parse(JSON.stringify(statements.slice(0, 3))) as INodeExecutionData[];
		const changed = amended[1].json as { id: string; settlement_amount: string; transactions: IDataObject[] };
		changed.transactions.push({ id: '9990000000000000001', type: 'LOGISTICS_REIMBURSEMENT', order_id: '', adjustment_amount: '4.20', settlement_amount: '4.20' });
		changed.settlement_amount = (Number(changed.settlement_amount) + 4.2).toFixed(2);
		const second = await map(amended, parameters, { staticData, processed });
		const [file] = ofKind(second.output, 'datevFile');
		expect(file.json).toMatchObject({ month: '2026-09', corrected: 1, reconciliation: 'ok' });
		const csv = second.context.binaries.find((binary) => binary.mimeType === 'text/csv');
		const lines = readBookingLines(readBuchungsstapel(csv?.data ?? Buffer.alloc(0), { strict: true }));
		expect(lines).toEqual([expect.objectContaining({ account: '1270', contraAccount: '1592', side: 'S', amountMinor: 420, documentField1: changed.id })]);
		expect((file.json.warnings as string[]).join('\n')).toContain(`statement ${changed.id} changed after it was booked`);
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

	describe('every tax-relevant choice is a node parameter (issue #12)', () => {
		const lineJson = (output: INodeExecutionData[]) =>
			ofKind(output, 'booking').map((item) => item.json as { account: string; contraAccount: string; taxKey: string; source: { component: string } });
		// The DATEV files among the binaries (each file item also carries its summary.html).
		const filesOf = (context: { binaries: Array<{ data: Buffer; mimeType?: string }> }) =>
			context.binaries.filter((binary) => binary.mimeType === 'text/csv').map((binary) => readBuchungsstapel(new Uint8Array(binary.data), { strict: true }));

		it('shows every account role and tax key, with the SKR04 caveat in a notice', () => {
			const names = mapToSkrProperties.flatMap((property) => [
				property.displayName,
				...((property.options ?? []) as Array<{ displayName?: string; values?: Array<{ displayName: string }> }>).flatMap((option) => [option.displayName ?? '', ...(option.values ?? []).map((value) => value.displayName)]),
			]);
			for (const role of ACCOUNT_ROLES) expect(names).toContain(ROLE_LABELS[role]);
			for (const role of TAX_KEY_ROLES) expect(names).toContain(TAX_KEY_LABELS[role]);
			const notice = mapToSkrProperties.find((property) => property.name === 'skr04Notice');
			expect(notice).toMatchObject({ type: 'notice', displayOptions: { show: { chart: ['SKR04'] } } });
			expect(notice?.displayName).toMatch(/1379 and clearing account 1372 are not the equivalents of SKR03 1590 and 1592/);
			const options = mapToSkrProperties.find((property) => property.name === 'options')?.options as Array<{ name: string }>;
			expect(options.map((option) => option.name)).toEqual(expect.arrayContaining(['bookkeepingStart', 'automaticAccounts', 'accountLength']));
		});

		// Finding 1: bookingSettings() never passed tax keys or fee types, so every fee line carried 506.
		it('takes the fee tax key and Fee Types rows from the node (finding 1)', async () => {
			const { output } = await map(statements.slice(0, 8), {
				chart: 'SKR03',
				output: 'bookings',
				feeTaxKey: '9',
				feeTypes: { feeType: [{ field: 'affiliate_commission_amount', account: '4761', taxKey: '' }, { field: 'transaction_fee_amount', account: '', taxKey: '506' }] },
				options: { feeLines: 'perFeeType' },
			});
			const fees = lineJson(output).filter((line) => line.source.component.startsWith('fee:'));
			const byField = (field: string) => new Set(fees.filter((line) => line.source.component === `fee:${field}`).map((line) => `${line.account} ${line.taxKey}`));
			expect(byField('platform_commission_amount')).toEqual(new Set(['4970 9']));
			expect(byField('transaction_fee_amount')).toEqual(new Set(['4970 506']));
			expect(byField('affiliate_commission_amount')).toEqual(new Set(['4761 ']));
		});

		it('refuses BU 506 on the automatic account 3123 naming the parameters, and exports it without a key (finding 1)', async () => {
			const parameters = { chart: 'SKR03', output: 'datevFile', consultantNumber: 1234567, clientNumber: 4711, feesAccountSKR03: '3123' };
			await expect(map([...statements, ...payments], parameters)).rejects.toThrow(
				'Fee Tax Key "506" on Fee Account 3123: 3123 is an automatic account (DATEV derives the tax from the account), so the tax key must be empty',
			);
			const { context } = await map([...statements, ...payments], { ...parameters, feeTaxKey: '' });
			const rows = filesOf(context).flatMap((file) => readBookingLines(file));
			expect(rows.filter((row) => row.account === '3123').length).toBeGreaterThan(100);
			expect(rows.every((row) => row.account !== '3123' || row.taxKey === '')).toBe(true);
		});

		// Finding 5: with Sachkontenlänge 5 the shipping account could not be widened, and the debtor 10000 passed as
		// a 5-digit Sachkonto, so OPOS silently did not work.
		it('writes SKR04 with Sachkontenlänge 5 and OPOS: every default widened, the debtor a 6-digit Personenkonto (finding 5)', async () => {
			const { output, context } = await map([...statements, ...payments], {
				chart: 'SKR04',
				revenueMode: 'collectiveDebtor',
				output: 'datevFile',
				consultantNumber: 1234567,
				clientNumber: 4711,
				options: { accountLength: 5 },
			});
			const [file] = filesOf(context);
			expect(file.header.accountLength).toBe(5);
			const rows = readBookingLines(file);
			const accounts = new Set(rows.flatMap((row) => [row.account, row.contraAccount]));
			expect([...accounts].sort()).toEqual(['100000', '13720', '13790', '14660', '18700', '67400', '67700', '68550']);
			expect(ofKind(output, 'datevFile')[0].json.warnings).not.toContainEqual(expect.stringContaining('Beraternummer'));
		});

		it('names the accounts still too short for the Sachkontenlänge (finding 5)', async () => {
			await expect(
				map(statements.slice(0, 3), {
					chart: 'SKR04',
					revenueMode: 'collectiveDebtor',
					output: 'bookings',
					collectiveDebtorAccount: '12345',
					moreAccounts: { shipping: '6741' },
					options: { accountLength: 5 },
				}),
			).rejects.toThrow(/Shipping Cost Account 6741 has 4 digits[\s\S]*Collective Debtor Account 12345 is not a debtor account/);
		});

		// Finding 6: a file with Berater/Mandant still at 1001/1 went out without a word.
		it('warns while Beraternummer and Mandantennummer are still the defaults (finding 6)', async () => {
			const { output } = await map(statements.slice(0, 3), { chart: 'SKR03', output: 'datevFile' });
			expect(ofKind(output, 'datevFile')[0].json.warnings).toEqual([
				expect.stringMatching(/^the DATEV file carries the default Beraternummer 1001 and Mandantennummer 1: enter your tax adviser's numbers/),
			]);
			const real = await map(statements.slice(0, 3), { chart: 'SKR03', output: 'datevFile', consultantNumber: 29098, clientNumber: 1 });
			expect(ofKind(real.output, 'datevFile')[0].json.warnings).toEqual([]);
		});

		it('sets the first day of bookkeeping and the automatic accounts (finding 6)', async () => {
			const { context } = await map(statements, {
				chart: 'SKR03',
				output: 'datevFile',
				consultantNumber: 29098,
				clientNumber: 55003,
				options: { bookkeepingStart: '2026-08-01T00:00:00', fiscalYearStartMonth: 1 },
			});
			// A short first fiscal year (Rumpfwirtschaftsjahr) from 1 August instead of the calendar year.
			expect(filesOf(context).map((file) => [file.header.fiscalYearStart, file.header.periodFrom])).toEqual([['2026-08-01', '2026-08-01']]);
			await expect(map(statements.slice(0, 3), { chart: 'SKR03', output: 'bookings', options: { automaticAccounts: '8400, 4970' } })).rejects.toThrow(
				/Fee Tax Key "506" on Fee Account 4970: 4970 is an automatic account/,
			);
		});

		// Finding 4: the debtor lines took Belegfeld 1 from an invoice-number template the node did not expose.
		it('puts the Invoice Number Template (OPOS) into Belegfeld 1 of the debtor lines only (finding 4)', async () => {
			const { output } = await map(statements.slice(0, 8), { chart: 'SKR03', revenueMode: 'collectiveDebtor', invoiceNumberTemplate: 'RE-{orderId}', output: 'bookings' });
			const lines = ofKind(output, 'booking').map((item) => item.json as { contraAccount: string; documentField1: string; orderNumber: string });
			const debtor = lines.filter((line) => line.contraAccount === '10000');
			expect(debtor.length).toBeGreaterThan(10);
			expect(debtor.every((line) => line.documentField1 === `RE-${line.orderNumber}`)).toBe(true);
			expect(lines.filter((line) => line.contraAccount !== '10000').every((line) => !line.documentField1.startsWith('RE-'))).toBe(true);
		});

		it('books revenue accounts at the default VAT rate and separates the revenue clearing account', async () => {
			const revenue = await map(statements.slice(0, 8), { chart: 'SKR04', revenueMode: 'revenueAccounts', defaultVatRate: '7', output: 'bookings' });
			const revenueAccounts = new Set(lineJson(revenue.output).filter((line) => line.source.component === 'revenue_amount').map((line) => line.contraAccount));
			expect(revenueAccounts).toEqual(new Set(['4300']));
			const clearing = await map(statements.slice(0, 8), { chart: 'SKR04', output: 'bookings', moreAccounts: { revenueClearing: '1371', withheldTaxes: '1373' } });
			const counter = new Set(lineJson(clearing.output).filter((line) => line.source.component === 'revenue_amount').map((line) => line.contraAccount));
			expect(counter).toEqual(new Set(['1371']));
		});
	});
});
