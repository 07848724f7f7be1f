import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { DEFAULT_NOTICE_DAYS, authorizationNotice } from '../../lib/credential/expiry';
import { readAuthorizationState } from '../../lib/credential/stored';
import { authorizationLink } from '../../lib/credential/token-refresh';
import { searchOrders, searchShops, searchStatements, type ListSearchPage } from '../../lib/fetch/list-search';
import { runOperation, type OperationParameters } from '../../lib/fetch/operations';
import {
	fieldProperties,
	MAX_REQUESTS_PER_SECOND_DEFAULT,
	operationProperties,
	resourceProperty,
	STATEMENT_OUTPUT_DEFAULT,
} from './TikTokPayments.description';
import { createClient, CREDENTIAL_TYPE, readCredential } from '../shared/client';
import { toNodeError } from '../shared/errors';
import { shopProperty } from '../shared/shop.description';

export class TikTokPayments implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TikTok Payments',
		name: 'tikTokPayments',
		icon: { light: 'file:../../icons/tiktokPayments.svg', dark: 'file:../../icons/tiktokPayments.dark.svg' },
		group: ['input'],
		version: [1, 2],
		defaultVersion: 2,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Get statements, transactions, payouts and reserves of a TikTok Shop for bookkeeping',
		defaults: { name: 'TikTok Payments' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Records', 'Authorization Notice'],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		// Get Authorized Shops lists every shop of the authorization: it has no Shop to choose.
		properties: [resourceProperty, ...operationProperties, shopProperty({ hide: { resource: ['shop'] } }), ...fieldProperties],
	};

	methods = {
		listSearch: {
			async searchStatements(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
				return listSearch(this, (client) => searchStatements(client, filter, paginationToken));
			},
			async searchOrders(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
				return listSearch(this, (client) => searchOrders(client, filter, paginationToken));
			},
			async searchShops(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				return listSearch(this, (client) => searchShops(client, filter), { sellerOnly: true });
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const parameters = readParameters(this, itemIndex);
				const sellerOnly = parameters.resource === 'shop';
				const client = await createClient(this, {
					requestsPerSecond: parameters.options.requestsPerSecond,
					paymentsVersion: parameters.options.paymentsVersion,
					timeoutSeconds: parameters.options.timeoutSeconds,
					sellerOnly,
					shop: sellerOnly ? undefined : locatorValue(this, 'shop', itemIndex),
				});
				for await (const record of runOperation(client, parameters, Date.now())) {
					output.push({ json: record as IDataObject, pairedItem: { item: itemIndex } });
				}
			} catch (error) {
				const nodeError = toNodeError(this.getNode(), error, itemIndex);
				if (this.continueOnFail()) {
					output.push({
						json: { error: nodeError.message, description: nodeError.description ?? '' },
						pairedItem: { item: itemIndex },
					});
					continue;
				}
				throw nodeError;
			}
		}
		return [output, await authorizationNoticeItems(this)];
	}
}

async function listSearch(
	context: ILoadOptionsFunctions,
	search: (client: Awaited<ReturnType<typeof createClient>>) => Promise<ListSearchPage>,
	{ sellerOnly = false } = {},
): Promise<INodeListSearchResult> {
	try {
		// Statements and orders of the shop chosen in this node (empty: the credential's).
		const shop = sellerOnly ? undefined : context.getCurrentNodeParameter('shop', { extractValue: true });
		return await search(await createClient(context, { sellerOnly, shop: typeof shop === 'string' ? shop : undefined }));
	} catch (error) {
		throw toNodeError(context.getNode(), error, 0);
	}
}

/**
 * Statement ID and Order ID are resource locators since 0.2; workflows saved before hold a plain string there,
 * which n8n hands through extractValue unchanged, so both forms read as the id. Shop (0.3) is absent from workflows
 * saved before: its default, empty, is the credential's shop.
 */
function locatorValue(context: IExecuteFunctions, name: string, itemIndex: number): string {
	const value = context.getNodeParameter(name, itemIndex, '', { extractValue: true });
	return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/**
 * One item on the second output when the seller's authorization ends within the configured days (also shown as
 * a hint in the editor), so that a workflow can e-mail it before runs start failing.
 */
async function authorizationNoticeItems(context: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const options = context.getNodeParameter('options', 0, {}) as OperationParameters['options'];
	const days = options.authorizationNoticeDays ?? DEFAULT_NOTICE_DAYS;
	if (days <= 0) return [];
	const credential = await readCredential(context);
	const notice = authorizationNotice(readAuthorizationState(credential), {
		nowMs: Date.now(),
		days,
		authorizationUrl: authorizationLink(credential),
	});
	if (!notice) return [];
	context.addExecutionHints({ message: notice.notice, type: 'warning', location: 'outputPane' });
	return [{ json: { ...notice }, pairedItem: { item: 0 } }];
}

function readParameters(context: IExecuteFunctions, itemIndex: number): OperationParameters {
	const get = <T>(name: string, fallback: T): T => context.getNodeParameter(name, itemIndex, fallback) as T;
	const returnAll = get('returnAll', true);
	const version = context.getNode().typeVersion >= 2 ? 2 : 1;
	const options = get<OperationParameters['options']>('options', {});
	const resource = get<string>('resource', 'statement');
	const operation = get<string>('operation', 'getMany');
	// Only a displayed parameter can be read with extractValue (n8n looks its definition up).
	const locator = (name: string, forResource: string) =>
		resource === forResource && operation === 'getTransactions' ? locatorValue(context, name, itemIndex) : '';
	return {
		resource,
		operation,
		period: {
			preset: get('period', 'lastMonth'),
			timeZone: get('timeZone', 'Europe/Berlin'),
			start: get('startDate', ''),
			end: get('endDate', ''),
		},
		limit: returnAll ? undefined : get('limit', 50),
		statementId: locator('statementId', 'statement'),
		orderId: locator('orderId', 'order'),
		includeTransactions: get('includeTransactions', true),
		output: get('output', STATEMENT_OUTPUT_DEFAULT[version]),
		withdrawalTypes: get('withdrawalTypes', [] as string[]),
		options: { ...options, requestsPerSecond: options.requestsPerSecond ?? MAX_REQUESTS_PER_SECOND_DEFAULT[version] },
	};
}
