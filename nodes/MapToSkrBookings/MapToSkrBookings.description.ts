import type { INodeProperties } from 'n8n-workflow';

import { CHART_PRESETS, ROLE_LABELS, TAX_KEY_LABELS, type AccountRole } from '../../lib/booking/charts';

const skr03 = CHART_PRESETS.SKR03.accounts;
const skr04 = CHART_PRESETS.SKR04.accounts;

type ChartRole = keyof typeof skr03 & AccountRole;

/** "4730 (SKR03) / 6740 (SKR04)", for descriptions of fields whose empty value means the chart default. */
function defaults(role: ChartRole): string {
	return `${skr03[role] ?? ''} (SKR03) / ${skr04[role] ?? ''} (SKR04)`;
}

/**
 * An account field whose default follows the chart: one field per chart, shown with it, so switching pre-fills.
 * The displayName is the role's label, which settings errors use too.
 */
function accountFields(role: ChartRole, description: string, show: Record<string, string[]> = {}): INodeProperties[] {
	const field = (chart: 'SKR03' | 'SKR04', accountDefault: string): INodeProperties => ({
		displayName: ROLE_LABELS[role],
		name: `${role}Account${chart}`,
		type: 'string',
		default: accountDefault,
		displayOptions: { show: { chart: [chart], ...show } },
		description,
	});
	return [field('SKR03', skr03[role] ?? ''), field('SKR04', skr04[role] ?? '')];
}

const revenueAccountsOnly = { revenueMode: ['revenueAccounts'] };
const oposOnly = { revenueMode: ['collectiveDebtor'] };

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
			'The accounts and tax keys are suggestions to agree with your tax adviser. BU 506 on TikTok fees is right only for fee invoices from an EU company outside Germany without VAT.',
		name: 'accountsNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName:
			'SKR04: the default reserve account 1379 and clearing account 1372 are not the equivalents of SKR03 1590 and 1592 (SKR04 Durchlaufende Posten are 1370–1373, Fremdgeld 1374). Ask your adviser which accounts to use.',
		name: 'skr04Notice',
		type: 'notice',
		default: '',
		displayOptions: { show: { chart: ['SKR04'] } },
	},
	{
		displayName: 'Revenue Booking',
		name: 'revenueMode',
		type: 'options',
		options: [
			{
				name: 'To Clearing Account',
				value: 'clearing',
				description: 'Settled revenue goes to the revenue clearing account; use it when invoices reach DATEV another way',
			},
			{
				name: 'Against Collective Debtor (OPOS)',
				value: 'collectiveDebtor',
				description: 'Clears the open item of the invoice booked elsewhere, matched by Belegfeld 1',
			},
			{
				name: 'To Revenue Accounts',
				value: 'revenueAccounts',
				description: 'Books gross revenue and the shipping the buyer paid to the revenue account of its VAT rate',
			},
		],
		default: 'clearing',
	},
	...accountFields('balance', 'Money TikTok holds for the seller (Geldkonto); every line touches it'),
	...accountFields('transit', 'Payouts on their way to the bank (Geldtransit)'),
	...accountFields('reserve', 'Amounts TikTok withholds and releases later'),
	...accountFields('clearing', 'Anything not assigned elsewhere (Klärungskonto); the adviser clears it'),
	...accountFields('fees', "TikTok's own fees and commissions (platform commission, transaction fee, service fees)"),
	{
		displayName: TAX_KEY_LABELS.fees,
		name: 'feeTaxKey',
		type: 'string',
		default: '506',
		description: "BU-Schlüssel of TikTok's own fees: 506 = §13b reverse charge for an EU company's services, 9 = 19 % input VAT (German invoice), empty for an automatic account such as 3123/5923. Never a key on an automatic account.",
	},
	{
		displayName: ROLE_LABELS.collectiveDebtor,
		name: 'collectiveDebtorAccount',
		type: 'string',
		default: '10000',
		displayOptions: { show: oposOnly },
		description:
			'Sammeldebitor (Personenkonto, one digit longer than the Sachkonten) that the invoices are booked on. The default 10000 becomes 100000 with Sachkontenlänge 5.',
	},
	{
		displayName: 'Invoice Number Template (OPOS)',
		name: 'invoiceNumberTemplate',
		type: 'string',
		default: '{orderId}',
		displayOptions: { show: oposOnly },
		description:
			'Belegfeld 1 of the payment lines on the collective debtor: must render the invoice number under which the invoice was booked, e.g. RE-{orderId}. Placeholders: {orderId}, {statementId}, {transactionId}, {date}.',
	},
	...accountFields('revenue19', 'Revenue at 19 % VAT (automatic account)', revenueAccountsOnly),
	...accountFields('revenue7', 'Revenue at 7 % VAT (automatic account)', revenueAccountsOnly),
	...accountFields('revenue0', 'Revenue without VAT (0 %); check the account with your adviser', revenueAccountsOnly),
	...accountFields(
		'revenueOss',
		'Sales to buyers in other EU countries (OSS), with the destination country and rate in DATEV columns 40/41',
		revenueAccountsOnly,
	),
	{
		displayName: 'Default VAT Rate',
		name: 'defaultVatRate',
		type: 'options',
		options: [
			{ name: '19 %', value: '19' },
			{ name: '7 %', value: '7' },
			{ name: '0 %', value: '0' },
		],
		default: '19',
		displayOptions: { show: revenueAccountsOnly },
		description:
			"VAT rate of orders whose rate TikTok's data does not give (the Finance API never does; order details with item_tax do)",
	},
	{
		displayName: 'EU Distance Sales',
		name: 'euDistanceSales',
		type: 'options',
		options: [
			{
				name: 'OSS (Destination Country VAT)',
				value: 'oss',
				description: 'Orders to other EU countries go to the OSS revenue account with country and rate',
			},
			{
				name: 'German VAT (Below Threshold)',
				value: 'domestic',
				description: 'Orders to other EU countries are booked like German sales',
			},
		],
		default: 'oss',
		displayOptions: { show: revenueAccountsOnly },
		description: 'How orders shipped to other EU countries are taxed. This needs order details with the destination country.',
	},
	{
		displayName: 'Fill Leistungsdatum',
		name: 'serviceDate',
		type: 'boolean',
		default: true,
		displayOptions: { show: revenueAccountsOnly },
		description:
			"Whether revenue lines carry the Leistungsdatum (DATEV column 115: the order's delivery date if known, else its creation date) and the VAT period date (column 116: the booking date)",
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
		description: "Tax adviser's DATEV consultant number (1001–9999999); the output warns while it is still 1001",
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
			'Whether to skip statements and payouts a Mark as Booked step of this workflow recorded as delivered, and to book only the difference for a statement TikTok changed since. Turn off to book everything again in full on purpose (e.g. after the adviser deleted an imported batch).',
	},
	{
		displayName: 'Correction Run',
		name: 'correctionRun',
		type: 'boolean',
		default: false,
		description:
			'Whether to replace what was booked for these statements: a Storno file reverses it (every line with Generalumkehr, dated as before) and a new file books the statements again in full. For a month the adviser already imported and wants to replace.',
	},
	{
		displayName:
			'Place a <b>Mark as Booked</b> node after the step that delivers the file (Send Email, Write File, Google Drive): only what it records counts as booked, so a failed delivery is booked again next time.',
		name: 'markAsBookedNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Fee Types',
		name: 'feeTypes',
		type: 'fixedCollection',
		placeholder: 'Add Fee Type',
		typeOptions: { multipleValues: true },
		default: {},
		description:
			"Account and tax key per field of TikTok's fee_tax_breakdown. Without an entry: TikTok's own fees go to the fee account with the fee tax key, affiliate and creator commissions to the affiliate commission account without a key, EPR fees paid on your behalf and unknown fields to the fee account without a key, taxes (vat_amount, import_vat_amount, customs_duty_amount, …) to the withheld taxes account, never with a key.",
		options: [
			{
				displayName: 'Fee Type',
				name: 'feeType',
				values: [
					{
						displayName: 'TikTok Field',
						name: 'field',
						type: 'string',
						default: '',
						placeholder: 'e.g. platform_commission_amount',
						description: 'Field name in fee_tax_breakdown.fee or fee_tax_breakdown.tax, e.g. affiliate_commission_amount or local_vat_amount',
					},
					{
						displayName: 'Account',
						name: 'account',
						type: 'string',
						default: '',
						description: "Account number or role name (fees, salesCommissions, withheldTaxes, clearing, …); empty: the field's default account",
					},
					{
						displayName: 'Tax Key',
						name: 'taxKey',
						type: 'string',
						default: '',
						description: 'BU-Schlüssel (up to 4 digits); empty: no key. Never a key on an automatic account, and taxes never take one.',
					},
				],
			},
		],
	},
	{
		displayName: 'More Accounts and Tax Keys',
		name: 'moreAccounts',
		type: 'collection',
		placeholder: 'Add Account or Tax Key',
		default: {},
		description: 'Further roles; an empty field keeps the default of the chart, widened to the Sachkontenlänge',
		options: [
			{
				displayName: ROLE_LABELS.advertising,
				name: 'advertising',
				type: 'string',
				default: '',
				description: `Role "advertising" for Adjustment Type Accounts (e.g. GMV_PAYMENT_FOR_ADS). Default: ${defaults('advertising')}.`,
			},
			{
				displayName: ROLE_LABELS.salesCommissions,
				name: 'salesCommissions',
				type: 'string',
				default: '',
				description: `Affiliate and creator commissions TikTok passes on. Default: ${defaults('salesCommissions')} (Verkaufsprovisionen).`,
			},
			{
				displayName: TAX_KEY_LABELS.salesCommissions,
				name: 'salesCommissionsTaxKey',
				type: 'string',
				default: '',
				description: 'BU-Schlüssel of affiliate and creator commissions. Default: none (TikTok issues no VAT invoice for them).',
			},
			{
				displayName: TAX_KEY_LABELS.revenueOss,
				name: 'revenueOssTaxKey',
				type: 'string',
				default: '',
				description: 'BU-Schlüssel; empty: none. Never a key on an automatic account.',
			},
			{
				displayName: TAX_KEY_LABELS.revenue0,
				name: 'revenue0TaxKey',
				type: 'string',
				default: '',
				description: 'BU-Schlüssel; empty: none. Never a key on an automatic account.',
			},
			{
				displayName: TAX_KEY_LABELS.revenue19,
				name: 'revenue19TaxKey',
				type: 'string',
				default: '',
				description: 'BU-Schlüssel; empty: none. Never a key on an automatic account.',
			},
			{
				displayName: TAX_KEY_LABELS.revenue7,
				name: 'revenue7TaxKey',
				type: 'string',
				default: '',
				description: 'BU-Schlüssel; empty: none. Never a key on an automatic account.',
			},
			{
				displayName: ROLE_LABELS.revenueClearing,
				name: 'revenueClearing',
				type: 'string',
				default: '',
				description:
					'Revenue in the clearing mode, and revenue the revenue-account mode cannot assign (several VAT rates, exports). Default: the clearing account.',
			},
			{
				displayName: ROLE_LABELS.shipping,
				name: 'shipping',
				type: 'string',
				default: '',
				description: `Shipping costs TikTok deducts (without the part the buyer paid). Default: ${defaults('shipping')} (Ausgangsfrachten).`,
			},
			{
				displayName: TAX_KEY_LABELS.shipping,
				name: 'shippingTaxKey',
				type: 'string',
				default: '',
				description: 'BU-Schlüssel; empty: none. Never a key on an automatic account.',
			},
			{
				displayName: ROLE_LABELS.withheldTaxes,
				name: 'withheldTaxes',
				type: 'string',
				default: '',
				description:
					'Taxes and duties TikTok withholds (VAT, import VAT, customs), booked without a tax key. Default: the clearing account.',
			},
		],
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
					'Account (and tax key) per TikTok adjustment type, e.g. {"GMV_PAYMENT_FOR_ADS": {"account": "advertising"}}; unmapped types go to the clearing account',
			},
			{
				displayName: 'Automatic Accounts',
				name: 'automaticAccounts',
				type: 'string',
				default: '',
				placeholder: 'e.g. 8400, 8300, 8125, 8320, 3123',
				description:
					"Comma-separated accounts with a fixed tax function in your client's chart (no tax key allowed on them). Empty: the chart's standard list, widened to the Sachkontenlänge.",
			},
			{
				displayName: 'Belegfeld 1 Template (Orders)',
				name: 'orderDocument',
				type: 'string',
				default: '{orderId}',
				description: 'Belegfeld 1 of order lines other than the OPOS payment. Placeholders: {orderId}, {statementId}, {transactionId}, {type}, {date}.',
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
				description:
					'Batch name shown in DATEV, followed by the month (max 18 characters). Not set: the shop named in the items (TikTok Payments names it), else "TikTok Shop".',
			},
			{
				displayName: 'Buchungstext Template',
				name: 'text',
				type: 'string',
				default: 'TikTok {label} {reference}',
				description: 'Cut to 60 characters. Placeholders: {label}, {reference}, {orderId}, {statementId}, {type}.',
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
					{ name: 'One Line per Account and Tax Key', value: 'total' },
					{ name: 'One Line per Fee Type', value: 'perFeeType' },
				],
				default: 'total',
				description: 'How the fees of a transaction are booked; taxes always get one line each',
			},
			{
				displayName: 'Festschreibung',
				name: 'locked',
				type: 'boolean',
				default: false,
				description: 'Whether DATEV locks the bookings on import. Off lets the adviser review and correct them first.',
			},
			{
				displayName: 'First Day of Bookkeeping',
				name: 'bookkeepingStart',
				type: 'dateTime',
				default: '',
				description:
					'For a short first fiscal year (Rumpfwirtschaftsjahr), e.g. the founding date: WJ-Beginn of that year. Empty: the fiscal year starts in the month below.',
			},
			{
				displayName: 'Fiscal Year Starts in Month',
				name: 'fiscalYearStartMonth',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 12 },
				default: 1,
			},
			{
				displayName: 'Sachkontenlänge',
				name: 'accountLength',
				type: 'number',
				typeOptions: { minValue: 4, maxValue: 8 },
				default: 4,
				description:
					"Length of the client's general ledger accounts in DATEV. The default accounts are widened to it (1270 → 12700, debtor 10000 → 100000); accounts you entered must already have it.",
			},
			{
				displayName: 'Shop Name for File Names',
				name: 'shopName',
				type: 'string',
				default: 'TikTok',
				description: 'Not set: the shop named in the items (TikTok Payments names it), else "TikTok"',
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
