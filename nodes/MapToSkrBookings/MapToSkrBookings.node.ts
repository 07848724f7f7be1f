import {
	NodeConnectionTypes,
	NodeOperationError,
	jsonParse,
	type IBinaryData,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { presetAccount, type AccountRole, type BookingSettingsInput, type TaxKeyRole } from '../../lib/booking';
import type { DatevExportSettingsInput } from '../../lib/datev/settings';
import { shopNaming } from '../../lib/datev/shop';
import { bookingLineJson, lineSourceKey, prepareMapping, startMapping, type DeliveryReceipt, type StreamedMappingResult } from '../../lib/mapping/run';
import { formatMinor } from '../../lib/money';
import { monthlySummary } from '../../lib/summary';
import { deliveredKeys, legacyBookedKeys, readLedger } from '../shared/booking-memory';
import { mapToSkrProperties } from './MapToSkrBookings.description';

interface Options {
	adjustmentTypes?: string | IDataObject;
	automaticAccounts?: string;
	bookkeepingStart?: string;
	orderDocument?: string;
	documentField2?: string;
	label?: string;
	text?: string;
	createdAt?: string;
	dictationCode?: string;
	feeLines?: 'total' | 'perFeeType';
	locked?: boolean;
	fiscalYearStartMonth?: number;
	accountLength?: number;
	shopName?: string;
	timeZone?: string;
}

/** The "More Accounts and Tax Keys" collection: role accounts and keys, '' or absent = the chart's default. */
type MoreAccounts = Partial<Record<'advertising' | 'revenueClearing' | 'salesCommissions' | 'shipping' | 'withheldTaxes', string>> &
	Partial<Record<`${'salesCommissions' | 'shipping' | 'revenue19' | 'revenue7' | 'revenue0' | 'revenueOss'}TaxKey`, string>>;

/** Roles with one account field per chart (the field's default is the chart's account). */
const CHART_FIELD_ROLES = ['balance', 'transit', 'reserve', 'clearing', 'fees', 'revenue19', 'revenue7', 'revenue0', 'revenueOss'] as const;
const MORE_ACCOUNT_ROLES = ['advertising', 'revenueClearing', 'salesCommissions', 'shipping', 'withheldTaxes'] as const;
const MORE_TAX_KEY_ROLES = ['salesCommissions', 'shipping', 'revenue19', 'revenue7', 'revenue0', 'revenueOss'] as const;

export class MapToSkrBookings implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Map to SKR Bookings',
		name: 'mapToSkrBookings',
		icon: { light: 'file:../../icons/mapToSkrBookings.svg', dark: 'file:../../icons/mapToSkrBookings.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["chart"] + " · " + $parameter["output"]}}',
		description: 'Turn TikTok Shop statements and payouts into SKR03/SKR04 bookings and DATEV Buchungsstapel files',
		defaults: { name: 'Map to SKR Bookings' },
		// Deliberately not an AI tool (n8n's types allow only `true` or leaving it unset; lint wants it declared): an
		// agent calls a tool with parameters, but this node books the statement items it receives, and a tool call
		// has none to give, so the tool could only fail (README "AI agents").
		usableAsTool: undefined,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: mapToSkrProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const get = <T>(name: string, fallback: T): T => this.getNodeParameter(name, 0, fallback) as T;
		const chart = get<'SKR03' | 'SKR04'>('chart', 'SKR03');
		const output = get<'bookings' | 'datevFile' | 'both'>('output', 'bookings');
		const options = get<Options>('options', {});
		const booking = bookingSettings(chart, options, get);
		const records = readLedger(this);
		let result: StreamedMappingResult;
		// Each DATEV file becomes binary data as soon as it is complete, so only one file's bytes are held at once.
		const binaries = new Map<string, IBinaryData>();
		try {
			const request = {
				items: items.map((item) => item.json),
				booking,
				datev: output === 'bookings' ? undefined : datevSettings(chart, options, get, items),
				records,
				legacyBooked: legacyBookedKeys(this),
				skipBookedBefore: get('skipBookedBefore', true),
				correctionRun: get('correctionRun', false),
				continueOnFail: this.continueOnFail(),
				now: () => (options.createdAt ? Date.parse(options.createdAt) : Date.now()),
				keepLines: output !== 'datevFile',
			};
			const prepared = prepareMapping(request);
			// What Mark as Booked recorded after earlier deliveries; nothing is recorded here (see Mark as Booked). The
			// versions of statements delivered before are looked up second: only those are fingerprinted ahead.
			const found = await deliveredKeys(this, prepared.probeKeys);
			const versionKeys = prepared.versionKeys(found);
			const delivered = versionKeys.length === 0 ? found : new Set([...found, ...(await deliveredKeys(this, versionKeys))]);
			const run = startMapping({ ...request, delivered }, prepared);
			let current: { fileName: string; chunks: Uint8Array[] } | undefined;
			const store = async (): Promise<void> => {
				if (!current) return;
				const bytes = Buffer.concat(current.chunks);
				current.chunks = [];
				binaries.set(current.fileName, await this.helpers.prepareBinaryData(bytes, current.fileName, 'text/csv'));
			};
			for (const chunk of run.chunks) {
				if (current?.fileName !== chunk.fileName) {
					await store();
					current = { fileName: chunk.fileName, chunks: [] };
				}
				current.chunks.push(chunk.bytes);
			}
			await store();
			result = run.result();
		} catch (error) {
			throw new NodeOperationError(this.getNode(), error as Error, {
				description: 'Check the input items and the node settings named in the message.',
			});
		}

		const out: INodeExecutionData[] = result.failures.map((failure) => ({
			json: { kind: 'error', error: failure.message },
			pairedItem: { item: failure.item },
		}));

		if (output !== 'datevFile') {
			for (const line of result.lines) {
				out.push({
					json: bookingLineJson(line) as IDataObject,
					pairedItem: { item: result.sourceItems.get(lineSourceKey(line)) ?? 0 },
				});
			}
		}
		const summaries = result.statements.map((summary) => ({
			kind: 'statementSummary',
			...summary,
			tiktokSettlement: formatMinor(summary.tiktokSettlementMinor, summary.currency),
			booked: formatMinor(summary.bookedMinor, summary.currency),
			difference: formatMinor(summary.differenceMinor, summary.currency),
			...('correction' in summary && summary.correction
				? {
						previousSettlement: formatMinor(summary.correction.previousSettlementMinor, summary.currency),
						bookedDifference: formatMinor(summary.correction.bookedDifferenceMinor, summary.currency),
					}
				: {}),
		}));
		// Mark as Booked reads these receipts from this node's output once the delivery step succeeded.
		const receipt = (keys: string[]): DeliveryReceipt => mergeReceipts(keys.map((key) => result.receipts.get(key)));
		if (output !== 'datevFile') {
			for (const summary of summaries) {
				const key = `statement:${summary.statementId}`;
				out.push({
					json: { ...summary, delivery: receipt([key]) } as unknown as IDataObject,
					pairedItem: { item: result.sourceItems.get(key) ?? 0 },
				});
			}
			for (const payment of result.payments) {
				const key = `payment:${payment.paymentId}`;
				out.push({
					json: { kind: 'paymentSummary', ...payment, amount: formatMinor(payment.amountMinor, payment.currency), delivery: receipt([key]) },
					pairedItem: { item: result.sourceItems.get(key) ?? 0 },
				});
			}
		}
		const reconciled = summaries.every((summary) => summary.status !== 'difference');
		const files = [...result.reversalFiles.map((file) => ({ ...file, batch: 'storno' })), ...result.files.map((file) => ({ ...file, batch: 'bookings' }))];
		// The Storno batch is small and comes whole; the booking files became binary data while they were written.
		const reversalBytes = new Map(result.reversalFiles.map((file) => [file.fileName, file.bytes]));
		for (const [index, file] of files.entries()) {
			const reversal = reversalBytes.get(file.fileName);
			const binary = reversal
				? await this.helpers.prepareBinaryData(Buffer.from(reversal), file.fileName, 'text/csv')
				: (binaries.get(file.fileName) as IBinaryData);
			// In "DATEV File" mode this item is all a Send Email or Write File node gets: it carries the check too.
			const statementsInFile = summaries.filter((summary) => summary.date.startsWith(file.month));
			const monthly = monthlySummary({ ...result, lines: result.ledger, month: file.month, fileName: file.fileName, settings: booking });
			out.push({
				json: {
					kind: 'datevFile',
					fileName: file.fileName,
					month: file.month,
					part: file.part ?? null,
					rows: file.rows,
					batch: file.batch,
					statements: statementsInFile.length,
					corrected: correctedIn(result.lines, file.month),
					reconciliation: reconciled ? 'ok' : 'differences booked to the clearing account',
					adjustedTextFields: result.adjustedTextFields,
					warnings: result.warnings,
					summaryHtml: monthly.html,
					// The whole run's receipt on the first file: Mark as Booked records it once every file was delivered.
					...(index === 0 && output === 'datevFile' ? { delivery: receipt([...result.receipts.keys()]) } : {}),
				},
				binary: {
					summary: await this.helpers.prepareBinaryData(Buffer.from(monthly.document, 'utf8'), 'summary.html', 'text/html'),
					[get('binaryPropertyName', 'data')]: binary,
				},
				pairedItem: items.map((_item, index) => ({ item: index })),
			});
		}
		return [out];
	}
}

/** Statements whose correction lines (dated on the run's day) are in the month's file. */
function correctedIn(lines: StreamedMappingResult['lines'], month: string): number {
	const ids = new Set<string>();
	for (const line of lines) {
		if (line.source.component === 'correction' && line.date.startsWith(month)) ids.add(line.source.statementId ?? '');
	}
	return ids.size;
}

function mergeReceipts(receipts: Array<DeliveryReceipt | undefined>): DeliveryReceipt {
	const merged: DeliveryReceipt = { keys: [], records: [] };
	for (const receipt of receipts) {
		if (!receipt) continue;
		for (const key of receipt.keys) merged.keys.push(key);
		for (const record of receipt.records) merged.records.push(record);
	}
	return merged;
}

function bookingSettings(
	chart: 'SKR03' | 'SKR04',
	options: Options,
	get: <T>(name: string, fallback: T) => T,
): BookingSettingsInput {
	const accounts: Partial<Record<AccountRole, string>> = {};
	// A field still showing the chart's 4-digit default means "the default": the library widens it to the
	// Sachkontenlänge. Anything else is the user's account and is taken (and checked) as entered.
	const setAccount = (role: AccountRole, value: string | undefined): void => {
		const account = (value ?? '').trim();
		if (account !== '' && account !== presetAccount(chart, role)) accounts[role] = account;
	};
	for (const role of CHART_FIELD_ROLES) setAccount(role, get(`${role}Account${chart}`, ''));
	setAccount('collectiveDebtor', get('collectiveDebtorAccount', ''));
	const more = get<MoreAccounts>('moreAccounts', {});
	for (const role of MORE_ACCOUNT_ROLES) setAccount(role, more[role]);
	const taxKeys: Partial<Record<TaxKeyRole, string>> = { fees: get('feeTaxKey', '506') };
	for (const role of MORE_TAX_KEY_ROLES) {
		const key = more[`${role}TaxKey`];
		if (key !== undefined) taxKeys[role] = key;
	}
	const feeTypes: Record<string, { account?: string; taxKey: string }> = {};
	for (const row of get<{ feeType?: Array<{ field?: string; account?: string; taxKey?: string }> }>('feeTypes', {}).feeType ?? []) {
		const field = (row.field ?? '').trim();
		if (field === '') continue;
		feeTypes[field] = { ...(row.account ? { account: row.account } : {}), taxKey: row.taxKey ?? '' };
	}
	const adjustmentTypes =
		typeof options.adjustmentTypes === 'string'
			? jsonParse<Record<string, { account: string }>>(options.adjustmentTypes || '{}', {
					errorMessage: 'Adjustment Type Accounts is not valid JSON',
				})
			: (options.adjustmentTypes as Record<string, { account: string }> | undefined);
	return {
		chart,
		accountLength: options.accountLength ?? 4,
		automaticAccounts: automaticAccounts(options),
		accounts,
		taxKeys,
		revenueMode: get('revenueMode', 'clearing'),
		defaultVatRate: get('defaultVatRate', '19'),
		euDistanceSales: get('euDistanceSales', 'oss'),
		serviceDate: get('serviceDate', true),
		feeLines: options.feeLines ?? 'total',
		feeTypes,
		adjustmentTypes: adjustmentTypes ?? {},
		templates: {
			...(options.text ? { text: options.text } : {}),
			...(options.orderDocument ? { orderDocument: options.orderDocument } : {}),
			...(options.documentField2 ? { documentField2: options.documentField2 } : {}),
			invoiceNumber: get('invoiceNumberTemplate', '{orderId}') || '{orderId}',
		},
		timeZone: options.timeZone || 'Europe/Berlin',
	};
}

/** "8400, 8300 8125" → ['8400', '8300', '8125']; empty: the chart's standard list (undefined). */
function automaticAccounts(options: Options): string[] | undefined {
	const list = (options.automaticAccounts ?? '').split(/[\s,;]+/).filter((account) => account !== '');
	return list.length > 0 ? list : undefined;
}

function datevSettings(
	chart: 'SKR03' | 'SKR04',
	options: Options,
	get: <T>(name: string, fallback: T) => T,
	items: INodeExecutionData[],
): DatevExportSettingsInput {
	const naming = shopNaming(options, items.map((item) => item.json), { shopName: 'TikTok', label: 'TikTok Shop' });
	return {
		consultantNumber: get('consultantNumber', 1001),
		clientNumber: get('clientNumber', 1),
		accountLength: options.accountLength ?? 4,
		automaticAccounts: automaticAccounts(options),
		...(options.bookkeepingStart ? { bookkeepingStart: options.bookkeepingStart.slice(0, 10) } : {}),
		chartOfAccounts: chart === 'SKR03' ? '03' : '04',
		dictationCode: options.dictationCode ?? '',
		locked: options.locked ?? false,
		fiscalYearStartMonth: options.fiscalYearStartMonth ?? 1,
		label: naming.label,
		shopName: naming.shopName,
		timeZone: options.timeZone || 'Europe/Berlin',
	};
}
