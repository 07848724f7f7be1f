import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { runOperation, type OperationParameters } from '../../lib/fetch/operations';
import {
	fieldProperties,
	MAX_REQUESTS_PER_SECOND_DEFAULT,
	operationProperties,
	resourceProperty,
	STATEMENT_OUTPUT_DEFAULT,
} from './TikTokPayments.description';
import { createClient, CREDENTIAL_TYPE } from '../shared/client';
import { toNodeError } from '../shared/errors';

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
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [resourceProperty, ...operationProperties, ...fieldProperties],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				const parameters = readParameters(this, itemIndex);
				const client = await createClient(this, {
					requestsPerSecond: parameters.options.requestsPerSecond,
					paymentsVersion: parameters.options.paymentsVersion,
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
		return [output];
	}
}

function readParameters(context: IExecuteFunctions, itemIndex: number): OperationParameters {
	const get = <T>(name: string, fallback: T): T => context.getNodeParameter(name, itemIndex, fallback) as T;
	const returnAll = get('returnAll', true);
	const version = context.getNode().typeVersion >= 2 ? 2 : 1;
	const options = get<OperationParameters['options']>('options', {});
	return {
		resource: get('resource', 'statement'),
		operation: get('operation', 'getMany'),
		period: {
			preset: get('period', 'lastMonth'),
			timeZone: get('timeZone', 'Europe/Berlin'),
			start: get('startDate', ''),
			end: get('endDate', ''),
		},
		limit: returnAll ? undefined : get('limit', 50),
		statementId: get('statementId', ''),
		orderId: get('orderId', ''),
		includeTransactions: get('includeTransactions', true),
		output: get('output', STATEMENT_OUTPUT_DEFAULT[version]),
		withdrawalTypes: get('withdrawalTypes', [] as string[]),
		options: { ...options, requestsPerSecond: options.requestsPerSecond ?? MAX_REQUESTS_PER_SECOND_DEFAULT[version] },
	};
}
