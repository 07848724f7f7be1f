import {
	NodeConnectionTypes,
	type IDataObject,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type ILoadOptionsFunctions,
	type INodeListSearchResult,
	type IPollFunctions,
} from 'n8n-workflow';

import { DEFAULT_NOTICE_DAYS, authorizationExpiringEvent } from '../../lib/credential/expiry';
import { readAuthorizationState } from '../../lib/credential/stored';
import { authorizationLink } from '../../lib/credential/token-refresh';
import { withShop } from '../../lib/fetch/records';
import { searchShops } from '../../lib/fetch/list-search';
import { pollEvents, type TriggerEvent, type TriggerState } from '../../lib/trigger/poll';
import { createClient, CREDENTIAL_TYPE, readCredential } from '../shared/client';
import { toNodeError } from '../shared/errors';
import { shopProperty } from '../shared/shop.description';

/** Polls fetch little; the trigger keeps version 1's limit as its maximum so active workflows behave as before. */
const TRIGGER_MAX_REQUESTS_PER_SECOND = 5;

interface TriggerOptions {
	authorizationNoticeDays?: number;
	timeoutSeconds?: number;
	lookBackDays?: number;
	startDate?: string;
	includeUnpaidStatements?: boolean;
	maxRemembered?: number;
	redeliverAfterMinutes?: number;
	maxDeliveries?: number;
	requestsPerSecond?: number;
}

export class TikTokPaymentsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TikTok Payments Trigger',
		name: 'tikTokPaymentsTrigger',
		icon: { light: 'file:../../icons/tiktokPayments.svg', dark: 'file:../../icons/tiktokPayments.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{"On " + $parameter["event"]}}',
		description: 'Starts the workflow when a TikTok Shop statement is settled, a payout is paid or a reserve is released',
		defaults: { name: 'TikTok Payments Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: CREDENTIAL_TYPE, required: true }],
		properties: [
			{
				displayName: 'Event',
				name: 'event',
				type: 'options',
				options: [
					{
						name: 'Authorization Expiring',
						value: 'authorizationExpiring',
						description:
							"The seller's TikTok authorization ends within the days set in the options (default 30); emitted once, with the re-authorization link",
					},
					{
						name: 'Payout Paid',
						value: 'payoutPaid',
						description: 'A payout to the bank account has status PAID',
					},
					{
						name: 'Reserve Released',
						value: 'reserveReleased',
						description: 'TikTok released an amount it had withheld (one event per released reserve)',
					},
					{
						name: 'Statement Settled',
						value: 'statementSettled',
						description: 'A daily statement was paid out; emitted with all its transactions, ready to book',
					},
				],
				default: 'statementSettled',
			},
			// The authorization's end is the same for all its shops.
			shopProperty({ hide: { event: ['authorizationExpiring'] } }),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Days Before Authorization Ends',
						name: 'authorizationNoticeDays',
						type: 'number',
						typeOptions: { minValue: 1 },
						displayOptions: { show: { '/event': ['authorizationExpiring'] } },
						default: 30,
						description: "How many days before the end of the seller's authorization the event is emitted",
					},
					{
						displayName: 'Include Unpaid Statements',
						name: 'includeUnpaidStatements',
						type: 'boolean',
						default: false,
						description: 'Whether to emit statements as soon as TikTok lists them instead of when their payout is PAID',
					},
					{
						displayName: 'Look-Back Window (Days)',
						name: 'lookBackDays',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 180 },
						default: 35,
						description: 'How far back each poll looks, to catch statements whose payout status changes late',
					},
					{
						displayName: 'Max Deliveries per Event',
						name: 'maxDeliveries',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 10 },
						default: 2,
						description:
							'How often a settled-statement or payout event is emitted in all. The trigger cannot see whether the run it started succeeded, so it emits the event again after the delay below; Map to SKR Bookings books nothing a Mark as Booked step already recorded, so a repeat after a successful run books nothing. 1 = never again.',
					},
					{
						displayName: 'Max Remembered Events',
						name: 'maxRemembered',
						type: 'number',
						typeOptions: { minValue: 100 },
						default: 10000,
						description: 'Upper bound of emitted event IDs kept to prevent duplicates',
					},
					{
						displayName: 'Max Requests per Second',
						name: 'requestsPerSecond',
						type: 'number',
						typeOptions: { minValue: 0.1 },
						default: TRIGGER_MAX_REQUESTS_PER_SECOND,
						description:
							'Upper limit per shop. A poll starts at up to 5 per second and slows down when TikTok asks it to (HTTP 429); it never goes above this.',
					},
					{
						displayName: 'Redeliver After (Minutes)',
						name: 'redeliverAfterMinutes',
						type: 'number',
						typeOptions: { minValue: 5 },
						default: 360,
						description: 'How long to wait before an event is emitted again (see Max Deliveries per Event)',
					},
					{
						displayName: 'Start Date',
						name: 'startDate',
						type: 'dateTime',
						default: '',
						description: 'On first activation, emit events from this date on instead of from now (within the look-back window)',
					},
					{
						displayName: 'Timeout (Seconds)',
						name: 'timeoutSeconds',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 30,
						description: 'How long to wait for TikTok to answer one request before the poll fails',
					},
				],
			},
		],
	};

	methods = {
		listSearch: {
			async searchShops(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				try {
					return await searchShops(await createClient(this, { sellerOnly: true }), filter);
				} catch (error) {
					throw toNodeError(this.getNode(), error, 0);
				}
			},
		},
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const event = this.getNodeParameter('event', 'statementSettled') as TriggerEvent | 'authorizationExpiring';
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const staticData = this.getWorkflowStaticData('node') as TriggerState;
		const manual = this.getMode() === 'manual';
		if (event === 'authorizationExpiring') return authorizationExpiring(this, options, manual);
		try {
			const client = await createClient(this, {
				requestsPerSecond: options.requestsPerSecond ?? TRIGGER_MAX_REQUESTS_PER_SECOND,
				timeoutSeconds: options.timeoutSeconds,
				shop: shopChoice(this),
			});
			const startFrom = options.startDate ? Math.floor(Date.parse(options.startDate) / 1000) : undefined;
			const result = await pollEvents(client, staticData, {
				event,
				nowMs: Date.now(),
				lookBackDays: options.lookBackDays ?? 35,
				startFrom: Number.isFinite(startFrom) ? startFrom : undefined,
				includeUnpaidStatements: options.includeUnpaidStatements ?? false,
				maxRemembered: options.maxRemembered ?? 10000,
				redeliverAfterMinutes: options.redeliverAfterMinutes ?? 360,
				maxDeliveries: options.maxDeliveries ?? 2,
				manual,
			});
			if (!manual) {
				staticData.startFrom = result.state.startFrom;
				staticData.emitted = result.state.emitted;
				staticData.redeliver = result.state.redeliver;
				staticData.floor = result.state.floor;
			}
			const events = result.events.map((event) => withShop(event, client.shop));
			return events.length > 0 ? [this.helpers.returnJsonArray(events as IDataObject[])] : null;
		} catch (error) {
			throw toNodeError(this.getNode(), error, 0);
		}
	}
}

/** The Shop parameter's id or cipher; empty (also in workflows saved before it existed): the credential's shop. */
function shopChoice(context: IPollFunctions): string {
	const value = context.getNodeParameter('shop', '', { extractValue: true });
	return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** Reads the credential only (no call to TikTok): the end of the authorization is stored with the tokens. */
async function authorizationExpiring(
	context: IPollFunctions,
	options: TriggerOptions,
	manual: boolean,
): Promise<INodeExecutionData[][] | null> {
	const staticData = context.getWorkflowStaticData('node') as { authorizationNotifiedFor?: number };
	const credential = await readCredential(context);
	const { event, notifiedFor } = authorizationExpiringEvent(readAuthorizationState(credential), {
		nowMs: Date.now(),
		days: options.authorizationNoticeDays ?? DEFAULT_NOTICE_DAYS,
		authorizationUrl: authorizationLink(credential),
		notifiedFor: staticData.authorizationNotifiedFor,
		manual,
	});
	if (!manual) staticData.authorizationNotifiedFor = notifiedFor;
	return event ? [context.helpers.returnJsonArray([{ event: 'authorizationExpiring', ...event }])] : null;
}
