import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { receiptsOf } from '../../lib/mapping/receipts';
import { recordDelivered, writeLedger } from '../shared/booking-memory';

/**
 * Confirms a delivery: placed after the step that hands the DATEV file on (Send Email, Write File, Google Drive), it
 * records what the named Map to SKR Bookings node booked. n8n runs it only when that step succeeded, so a run
 * whose delivery failed leaves nothing marked and the next run books the same statements again.
 */
export class MarkAsBooked implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mark as Booked',
		name: 'markAsBooked',
		icon: { light: 'file:../../icons/markAsBooked.svg', dark: 'file:../../icons/markAsBooked.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{"after " + $parameter["mapNodeName"]}}',
		description: 'Record that the DATEV file of Map to SKR Bookings was delivered, so it is never booked twice',
		defaults: { name: 'Mark as Booked' },
		// Not an AI tool: it confirms a delivery that happened earlier in the same workflow run.
		usableAsTool: undefined,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{
				displayName:
					'Place this node after the step that delivers the DATEV file. Only what it records counts as booked: if the delivery fails, this node does not run and the next run books the same statements again.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Map to SKR Bookings Node',
				name: 'mapNodeName',
				type: 'string',
				default: 'Map to SKR Bookings',
				required: true,
				description: 'Name of the Map to SKR Bookings node whose output was delivered (as it appears on the canvas)',
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const name = this.getNodeParameter('mapNodeName', 0) as string;
		let mapItems: INodeExecutionData[];
		try {
			mapItems = this.getWorkflowDataProxy(0).$items(name);
		} catch (error) {
			throw new NodeOperationError(this.getNode(), `Node "${name}" has not run in this execution`, {
				description: `Enter the name of the Map to SKR Bookings node that ran before the delivery step. (${(error as Error).message})`,
			});
		}
		let receipts: ReturnType<typeof receiptsOf>;
		try {
			receipts = receiptsOf(mapItems.map((item) => item.json));
		} catch (error) {
			throw new NodeOperationError(this.getNode(), error as Error, {
				description: `The output of "${name}" is not from Map to SKR Bookings.`,
			});
		}
		const { recorded, before } = await recordDelivered(this, receipts.keys);
		const ledgerWarning = await writeLedger(this, receipts.records);
		const summary: IDataObject = {
			marked: { statements: receipts.statements, payouts: receipts.payouts, corrections: receipts.corrections },
			recordedKeys: recorded,
			alreadyMarked: before,
			...(ledgerWarning ? { warning: ledgerWarning } : {}),
		};
		return [[{ json: summary, pairedItem: this.getInputData().map((_item, index) => ({ item: index })) }]];
	}
}
