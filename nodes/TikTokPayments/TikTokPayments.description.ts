import type { INodeProperties, INodePropertyMode } from 'n8n-workflow';

import { DEFAULT_MAX_REQUESTS_PER_SECOND } from '../../lib/tiktok/client';
import type { StatementShape } from '../../lib/fetch/records';
import { TIKTOK_ID_REGEX } from '../../lib/fetch/list-search';
import { limitProperties, periodProperties } from '../shared/period.description';

/** What a node of each version does when Output / Max Requests per Second are not set. */
export const STATEMENT_OUTPUT_DEFAULT: Readonly<Record<1 | 2, StatementShape>> = { 1: 'raw', 2: 'compact' };
export const MAX_REQUESTS_PER_SECOND_DEFAULT: Readonly<Record<1 | 2, number>> = { 1: 5, 2: DEFAULT_MAX_REQUESTS_PER_SECOND };

export const resourceProperty: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Order', value: 'order' },
		{ name: 'Payment (Payout)', value: 'payment' },
		{ name: 'Shop', value: 'shop' },
		{ name: 'Statement', value: 'statement' },
		{ name: 'Unsettled Transaction', value: 'unsettledTransaction' },
		{ name: 'Withdrawal', value: 'withdrawal' },
	],
	default: 'statement',
};

export const operationProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['statement'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Get the daily settlement statements of a period',
				action: 'Get many statements',
			},
			{
				name: 'Get Transactions',
				value: 'getTransactions',
				description: 'Get all transactions of one statement',
				action: 'Get the transactions of a statement',
			},
		],
		default: 'getMany',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['order'] } },
		options: [
			{
				name: 'Get Transactions',
				value: 'getTransactions',
				description: 'Get the settled transactions of one order, per SKU',
				action: 'Get the transactions of an order',
			},
		],
		default: 'getTransactions',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['payment'] } },
		options: [
			{ name: 'Get Many', value: 'getMany', description: 'Get the payouts to the bank account', action: 'Get many payments' },
		],
		default: 'getMany',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['withdrawal'] } },
		options: [
			{ name: 'Get Many', value: 'getMany', description: 'Get withdrawals (South-East Asian markets)', action: 'Get many withdrawals' },
		],
		default: 'getMany',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['unsettledTransaction'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'Get estimated transactions of orders that are not settled yet',
				action: 'Get many unsettled transactions',
			},
		],
		default: 'getMany',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['shop'] } },
		options: [
			{
				name: 'Get Authorized Shops',
				value: 'getAuthorizedShops',
				description: 'List the shops the seller authorized this app for',
				action: 'Get authorized shops',
			},
		],
		default: 'getAuthorizedShops',
	},
];

/** TikTok's payout statuses, used by statements (their payout) and payouts alike. */
const payoutStatusOptions = [
	{ name: 'Any', value: '' },
	{ name: 'Failed', value: 'FAILED' },
	{ name: 'Paid', value: 'PAID' },
	{ name: 'Processing', value: 'PROCESSING' },
];

/** The "By ID" mode's check: TikTok ids are numbers, so anything else is flagged in the editor. */
function idValidation(what: 'statement' | 'order', example: string): INodePropertyMode['validation'] {
	return [
		{
			type: 'regex',
			properties: { regex: TIKTOK_ID_REGEX, errorMessage: `A TikTok ${what} ID is a number, e.g. ${example}` },
		},
	];
}

const listOperations = {
	statement: { resource: ['statement'], operation: ['getMany'] },
	payment: { resource: ['payment'], operation: ['getMany'] },
	withdrawal: { resource: ['withdrawal'], operation: ['getMany'] },
	unsettled: { resource: ['unsettledTransaction'], operation: ['getMany'] },
};

/** Version 1 passed TikTok's objects through; version 2 defaults to the compact booking input. */
function statementOutputProperties(): INodeProperties[] {
	const property = (versions: INodeProperties['displayOptions'], fallback: StatementShape): INodeProperties => ({
		displayName: 'Output',
		name: 'output',
		type: 'options',
		displayOptions: { show: { ...listOperations.statement, includeTransactions: [true], ...versions?.show } },
		options: [
			{
				name: 'Booking Input (Compact)',
				value: 'compact',
				description:
					'Only the fields Map to SKR Bookings books and a bookkeeper reads (IDs, types, amounts, fee and tax breakdown, times): a fraction of the size, less memory in n8n',
			},
			{ name: 'Raw', value: 'raw', description: "TikTok's full statement and transaction objects" },
		],
		default: fallback,
	});
	return [
		property({ show: { '@version': [1] } }, STATEMENT_OUTPUT_DEFAULT[1]),
		property({ show: { '@version': [{ _cnd: { gte: 2 } }] } }, STATEMENT_OUTPUT_DEFAULT[2]),
	];
}

export const fieldProperties: INodeProperties[] = [
	{
		displayName: 'Statement ID',
		name: 'statementId',
		type: 'resourceLocator',
		required: true,
		displayOptions: { show: { resource: ['statement'], operation: ['getTransactions'] } },
		default: { mode: 'list', value: '' },
		description: 'The statement (one per day) whose transactions to get',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a statement…',
				typeOptions: { searchListMethod: 'searchStatements', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 7238804564097517339',
				validation: idValidation('statement', '7238804564097517339'),
			},
		],
	},
	{
		displayName: 'Order ID',
		name: 'orderId',
		type: 'resourceLocator',
		required: true,
		displayOptions: { show: { resource: ['order'], operation: ['getTransactions'] } },
		default: { mode: 'list', value: '' },
		description: 'The settled order whose transactions to get. The list shows the orders of recent statements; type a complete order ID to look up any order.',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select or search an order…',
				typeOptions: { searchListMethod: 'searchOrders', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 576463220456522968',
				validation: idValidation('order', '576463220456522968'),
			},
		],
	},
	...periodProperties(listOperations.statement),
	...periodProperties(listOperations.payment),
	...periodProperties(listOperations.withdrawal),
	...periodProperties(listOperations.unsettled),
	...limitProperties(listOperations.statement),
	...limitProperties(listOperations.payment),
	...limitProperties(listOperations.withdrawal),
	...limitProperties(listOperations.unsettled),
	...limitProperties({ resource: ['statement'], operation: ['getTransactions'] }),
	{
		displayName: 'Include Transactions',
		name: 'includeTransactions',
		type: 'boolean',
		displayOptions: { show: listOperations.statement },
		default: true,
		description:
			'Whether to return each statement with all its transactions, the input Map to SKR Bookings needs to book it',
	},
	...statementOutputProperties(),
	{
		displayName: 'Withdrawal Types',
		name: 'withdrawalTypes',
		type: 'multiOptions',
		displayOptions: { show: listOperations.withdrawal },
		options: [
			{ name: 'Reverse (Failed Withdrawal)', value: 'REVERSE' },
			{ name: 'Settle', value: 'SETTLE' },
			{ name: 'Transfer', value: 'TRANSFER' },
			{ name: 'Withdraw', value: 'WITHDRAW' },
		],
		default: ['WITHDRAW', 'SETTLE', 'TRANSFER', 'REVERSE'],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { resource: ['statement', 'payment', 'withdrawal', 'unsettledTransaction'] } },
		options: [
			{
				displayName: 'Authorization Notice (Days)',
				name: 'authorizationNoticeDays',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 30,
				description:
					"When fewer days than this are left before the seller's TikTok authorization ends, the node emits a notice on its Authorization Notice output (0: never)",
			},
			{
				displayName: 'Max Requests per Second',
				name: 'requestsPerSecond',
				type: 'number',
				typeOptions: { minValue: 0.1 },
				default: DEFAULT_MAX_REQUESTS_PER_SECOND,
				description:
					'Upper limit per shop. The node starts at 5 per second, speeds up while TikTok answers and slows down when TikTok asks it to (HTTP 429); it never goes above this. Nodes added before version 2 use 5 unless set.',
			},
			{
				displayName: 'Payment Status',
				name: 'paymentStatus',
				type: 'options',
				displayOptions: { show: { '/resource': ['statement'] } },
				options: payoutStatusOptions,
				default: '',
				description: 'Only statements whose payout has this status',
			},
			{
				displayName: 'Payments API Version',
				name: 'paymentsVersion',
				type: 'string',
				displayOptions: { show: { '/resource': ['payment'] } },
				default: '202309',
				description: 'Version of Get Payments. 202309 is documented; some Partner Centers show 202605 [unverified].',
			},
			{
				displayName: 'Payout Date',
				name: 'payoutDate',
				type: 'options',
				displayOptions: { show: { '/resource': ['payment'] } },
				options: [
					{
						name: 'Paid in Period (Bookkeeping)',
						value: 'paid',
						description: 'Payouts whose money left TikTok in the period, however early they were created',
					},
					{
						name: 'Created in Period (TikTok Filter)',
						value: 'created',
						description: "TikTok's own filter on the payout's creation time",
					},
				],
				default: 'paid',
			},
			{
				displayName: 'Payout Status',
				name: 'payoutStatus',
				type: 'options',
				displayOptions: { show: { '/resource': ['payment'] } },
				options: payoutStatusOptions,
				default: '',
				description: 'Only payouts with this status (filtered after fetching: TikTok has no such filter)',
			},
			{
				displayName: 'Sort Order',
				name: 'sortOrder',
				type: 'options',
				displayOptions: { show: { '/resource': ['statement', 'payment', 'unsettledTransaction'] } },
				options: [
					{ name: 'Oldest First', value: 'ASC' },
					{ name: 'Newest First', value: 'DESC' },
				],
				default: 'ASC',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeoutSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 30,
				description: 'How long to wait for TikTok to answer one request before the run fails',
			},
		],
	},
];
