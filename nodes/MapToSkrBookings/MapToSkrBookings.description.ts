import type { INodeProperties } from 'n8n-workflow';

import { CHART_PRESETS } from '../../lib/booking/charts';

const skr03 = CHART_PRESETS.SKR03.accounts;
const skr04 = CHART_PRESETS.SKR04.accounts;

/** An account field whose default follows the chart: one field per chart, shown with it, so switching pre-fills. */
function accountFields(role: keyof typeof skr03, displayName: string, description: string): INodeProperties[] {
	const field = (chart: 'SKR03' | 'SKR04', accountDefault: string): INodeProperties => ({
		displayName,
		name: `${role}Account${chart}`,
		type: 'string',
		default: accountDefault,
		displayOptions: { show: { chart: [chart] } },
		description,
	});
	return [field('SKR03', skr03[role]), field('SKR04', skr04[role])];
}

export const mapToSkrProperties: INodeProperties[] = [
	{
		displayName: 'Chart of Accounts',
		name: 'chart',
		type: 'options',
		options: [
			{ name: 'SKR03', value: 'SKR03' },
			{ name: 'SKR04', value: 'SKR04' },
		],
		default: 'SKR03',
		description: 'DATEV standard chart the accounts below belong to; switching it pre-fills its default accounts',
	},
	{
		displayName:
			'The accounts are suggestions to agree with your tax adviser. BU 506 on fees is right only for fee invoices from an EU company outside Germany without VAT.',
		name: 'accountsNotice',
		type: 'notice',
		default: '',
	},
	...accountFields('balance', 'TikTok Balance Account', 'Money TikTok holds for the seller (Geldkonto); every line touches it'),
	...accountFields('transit', 'Transit Account', 'Payouts on their way to the bank (Geldtransit)'),
	...accountFields('reserve', 'Reserve Account', 'Amounts TikTok withholds and releases later'),
	...accountFields('clearing', 'Clearing Account', 'Anything not assigned elsewhere (Klärungskonto); the adviser clears it'),
	...accountFields('fees', 'Fee Account', 'TikTok commissions and fees'),
	{
		displayName: 'Revenue Booking',
		name: 'revenueMode',
		type: 'options',
		options: [
			{
				name: 'To Clearing Account',
				value: 'clearing',
				description: 'Settled revenue goes to the clearing account; use it when invoices reach DATEV another way',
			},
			{
				name: 'Against Collective Debtor (OPOS)',
				value: 'collectiveDebtor',
				description: 'Clears the open item of the invoice booked elsewhere, matched by Belegfeld 1',
			},
			{
				name: 'To Revenue Accounts',
				value: 'revenueAccounts',
				description: 'Books gross revenue to a revenue account (automatic account, no tax key)',
			},
		],
		default: 'clearing',
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		options: [
			{ name: 'Booking Lines', value: 'bookings', description: 'One item per booking line plus a summary per statement' },
			{ name: 'DATEV File', value: 'datevFile', description: 'One item per DATEV Buchungsstapel file (binary)' },
			{ name: 'Booking Lines and DATEV File', value: 'both' },
		],
		default: 'bookings',
	},
	{
		displayName: 'Beraternummer',
		name: 'consultantNumber',
		type: 'number',
		default: 1001,
		required: true,
		typeOptions: { minValue: 1001, maxValue: 9999999 },
		displayOptions: { show: { output: ['datevFile', 'both'] } },
		description: "Tax adviser's DATEV consultant number (1001–9999999)",
	},
	{
		displayName: 'Mandantennummer',
		name: 'clientNumber',
		type: 'number',
		default: 1,
		required: true,
		typeOptions: { minValue: 1, maxValue: 99999 },
		displayOptions: { show: { output: ['datevFile', 'both'] } },
		description: "The seller's client number at the adviser (1–99999)",
	},
	{
		displayName: 'Put Output File in Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		displayOptions: { show: { output: ['datevFile', 'both'] } },
		description: 'Name of the binary field the DATEV file is written to',
	},
	{
		displayName: 'Skip Already Booked',
		name: 'skipBookedBefore',
		type: 'boolean',
		default: true,
		description:
			'Whether to skip statements and payouts this workflow booked in an earlier production run. Turn off to book them again on purpose (e.g. after the adviser deleted an imported batch).',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Adjustment Type Accounts',
				name: 'adjustmentTypes',
				type: 'json',
				default: '{}',
				description:
					'Account per TikTok adjustment type, e.g. {"GMV_PAYMENT_FOR_ADS": {"account": "4600"}}; unmapped types go to the clearing account',
			},
			{
				displayName: 'Belegfeld 1 Template (Orders)',
				name: 'orderDocument',
				type: 'string',
				default: '{orderId}',
				description: 'Placeholders: {orderId}, {statementId}, {transactionId}, {type}, {date}',
			},
			{
				displayName: 'Belegfeld 2 Template',
				name: 'documentField2',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Bezeichnung',
				name: 'label',
				type: 'string',
				default: 'TikTok Shop',
				description: 'Batch name shown in DATEV, followed by the month (max 18 characters)',
			},
			{
				displayName: 'Buchungstext Template',
				name: 'text',
				type: 'string',
				default: 'TikTok {label} {reference}',
				description: 'Cut to 60 characters. Placeholders: {label}, {reference}, {orderId}, {statementId}, {type}.',
			},
			{
				displayName: 'Collective Debtor Account',
				name: 'collectiveDebtor',
				type: 'string',
				default: '10000',
				description: 'Sammeldebitor for the OPOS revenue mode (one digit longer than the general ledger accounts)',
			},
			{
				displayName: 'Created-At Stamp',
				name: 'createdAt',
				type: 'dateTime',
				default: '',
				description: 'Fixes the "created at" field of the DATEV header, so that the same input gives a byte-identical file. Empty: now.',
			},
			{
				displayName: 'Diktatkürzel',
				name: 'dictationCode',
				type: 'string',
				default: '',
				description: 'Two capital letters or empty',
			},
			{
				displayName: 'Fee Lines',
				name: 'feeLines',
				type: 'options',
				options: [
					{ name: 'One Line per Transaction', value: 'total' },
					{ name: 'One Line per Fee Type', value: 'perFeeType' },
				],
				default: 'total',
			},
			{
				displayName: 'Festschreibung',
				name: 'locked',
				type: 'boolean',
				default: false,
				description: 'Whether DATEV locks the bookings on import. Off lets the adviser review and correct them first.',
			},
			{
				displayName: 'Fiscal Year Starts in Month',
				name: 'fiscalYearStartMonth',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 12 },
				default: 1,
			},
			{
				displayName: 'Revenue Account',
				name: 'revenueAccount',
				type: 'string',
				default: '',
				description: 'For the revenue-account mode; empty: 8400 (SKR03) or 4400 (SKR04), revenue 19 %',
			},
			{
				displayName: 'Sachkontenlänge',
				name: 'accountLength',
				type: 'number',
				typeOptions: { minValue: 4, maxValue: 8 },
				default: 4,
			},
			{
				displayName: 'Shop Name for File Names',
				name: 'shopName',
				type: 'string',
				default: 'TikTok',
			},
			{
				displayName: 'Time Zone',
				name: 'timeZone',
				type: 'string',
				default: 'Europe/Berlin',
				description: 'Time zone of Belegdatum and of the booking months',
			},
		],
	},
];
