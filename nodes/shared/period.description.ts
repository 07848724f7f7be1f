import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

/** Period and time-zone parameters shared by every list operation of the TikTok Payments node. */
export function periodProperties(show: IDisplayOptions['show']): INodeProperties[] {
	return [
		{
			displayName: 'Period',
			name: 'period',
			type: 'options',
			displayOptions: { show },
			options: [
				{ name: 'Custom Range', value: 'custom' },
				{ name: 'Last 7 Days', value: 'last7Days', description: 'The seven days before today' },
				{ name: 'Last Month', value: 'lastMonth', description: 'The previous calendar month' },
				{ name: 'This Month', value: 'thisMonth', description: 'From the 1st of this month up to today' },
				{ name: 'Yesterday', value: 'yesterday' },
			],
			default: 'lastMonth',
			description:
				'Which days to fetch, in the time zone below. Statements: TikTok closes one statement per UTC day and stamps it 00:00 UTC of the next day; the period selects the statements of its calendar days (the statement of 31 October belongs to October).',
		},
		{
			displayName: 'Start Date',
			name: 'startDate',
			type: 'dateTime',
			displayOptions: { show: { ...show, period: ['custom'] } },
			default: '',
			required: true,
			description: 'First day (or moment) of the range, in the time zone below',
		},
		{
			displayName: 'End Date',
			name: 'endDate',
			type: 'dateTime',
			displayOptions: { show: { ...show, period: ['custom'] } },
			default: '',
			required: true,
			description: 'Last day of the range (inclusive); a date with a time is exclusive',
		},
		{
			displayName: 'Time Zone',
			name: 'timeZone',
			type: 'string',
			displayOptions: { show },
			default: 'Europe/Berlin',
			description: 'IANA time zone the period is computed in (the seller\'s bookkeeping time zone)',
		},
	];
}

export function limitProperties(show: IDisplayOptions['show']): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			displayOptions: { show },
			default: true,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			displayOptions: { show: { ...show, returnAll: [false] } },
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
		},
	];
}
