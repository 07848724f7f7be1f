import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/**
 * The Shop parameter: which shop of the seller's authorization a node reads. Empty (the default, also for nodes saved
 * before it existed) means the credential's Shop field, as before, so one credential can serve several shops.
 */
export function shopProperty(displayOptions?: IDisplayOptions): INodeProperties {
	return {
		displayName: 'Shop',
		name: 'shop',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		...(displayOptions ? { displayOptions } : {}),
		description:
			"The shop of the seller's authorization to read. Empty: the shop in the credential's Shop field (or the only authorized shop).",
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a shop…',
				typeOptions: { searchListMethod: 'searchShops', searchable: true },
			},
			{
				displayName: 'By ID or Cipher',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 7495123456789012345',
			},
		],
	};
}
