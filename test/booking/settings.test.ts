/** Chart presets and the settings schema. */
import { describe, expect, it } from '@jest/globals';

import { BookingSettingsError, CHART_PRESETS, parseBookingSettings, resolveChart } from '../../lib/booking';

function settingsError(raw: unknown): string {
	try {
		parseBookingSettings(raw);
	} catch (error) {
		expect(error).toBeInstanceOf(BookingSettingsError);
		return (error as Error).message;
	}
	throw new Error('expected a BookingSettingsError');
}

describe('chart presets', () => {
	it('holds the booking model defaults for SKR03 and SKR04', () => {
		expect(CHART_PRESETS.SKR03).toEqual({
			accounts: {
				balance: '1270',
				transit: '1366',
				reserve: '1590',
				clearing: '1592',
				fees: '4970',
				revenue19: '8400',
				revenue7: '8300',
				collectiveDebtor: '10000',
				shipping: '4730',
				advertising: '4600',
				salesCommissions: '4760',
			},
			taxKeys: { fees: '506', revenue: '', shipping: '' },
		});
		expect(CHART_PRESETS.SKR04).toEqual({
			accounts: {
				balance: '1870',
				transit: '1466',
				reserve: '1379',
				clearing: '1372',
				fees: '6855',
				revenue19: '4400',
				revenue7: '4300',
				collectiveDebtor: '10000',
				shipping: '6740',
				advertising: '6600',
				salesCommissions: '6770',
			},
			taxKeys: { fees: '506', revenue: '', shipping: '' },
		});
	});

	it('applies overrides without changing the preset', () => {
		const resolved = resolveChart('SKR04', { accounts: { reserve: '1370', clearing: '' }, taxKeys: { fees: '' } });
		expect(resolved.accounts).toMatchObject({ reserve: '1370', clearing: '1372', balance: '1870' });
		expect(resolved.taxKeys.fees).toBe('');
		expect(CHART_PRESETS.SKR04.accounts.reserve).toBe('1379');
	});
});

describe('parseBookingSettings', () => {
	it('defaults to SKR03, clearing mode, total fee lines, Europe/Berlin', () => {
		const settings = parseBookingSettings();
		expect(settings).toMatchObject({
			chart: 'SKR03',
			revenueMode: 'clearing',
			revenueAccount: 'revenue19',
			feeLines: 'total',
			feeTypes: {},
			adjustmentTypes: {},
			timeZone: 'Europe/Berlin',
			templates: {
				text: 'TikTok {label} {reference}',
				orderDocument: '{orderId}',
				statementDocument: '{statementId}',
				paymentDocument: '{paymentId}',
				invoiceNumber: '{orderId}',
				documentField2: '',
			},
		});
		expect(settings.accounts.balance).toBe('1270');
	});

	it('resolves role names in mappings against the chosen chart, and fee-type defaults to the fee role', () => {
		const settings = parseBookingSettings({
			chart: 'SKR04',
			accounts: { fees: '6856' },
			feeTypes: { affiliate_commission_amount: { account: 'salesCommissions', taxKey: '' }, vat_amount: { taxKey: '9' } },
			adjustmentTypes: { GMV_PAYMENT_FOR_ADS: { account: 'advertising' }, PLATFORM_PENALTY: { account: '6300', taxKey: '' } },
		});
		expect(settings.feeTypes).toEqual({
			affiliate_commission_amount: { account: '6770', taxKey: '' },
			vat_amount: { account: '6856', taxKey: '9' },
		});
		expect(settings.adjustmentTypes).toEqual({
			GMV_PAYMENT_FOR_ADS: { account: '6600', taxKey: '' },
			PLATFORM_PENALTY: { account: '6300', taxKey: '' },
		});
	});

	it('treats blank account fields (cleared n8n inputs) as not set', () => {
		const settings = parseBookingSettings({ chart: 'SKR04', accounts: { balance: '', reserve: '1370' }, feeTypes: { vat_amount: { account: '' } } });
		expect([settings.accounts.balance, settings.accounts.reserve, settings.feeTypes.vat_amount.account]).toEqual(['1870', '1370', '6855']);
	});

	it('uses the 7 % revenue account when chosen', () => {
		expect(parseBookingSettings({ chart: 'SKR04', revenueAccount: 'revenue7' }).accounts.revenue7).toBe('4300');
	});

	it('rejects bad accounts, keys, templates, zones and unknown settings with their path', () => {
		const message = settingsError({
			chart: 'SKR05',
			accounts: { balance: '12a', transit: '0000' },
			taxKeys: { fees: '50600' },
			adjustmentTypes: { CHARGE_BACK: { account: 'bank' } },
			templates: { text: 'TikTok {orderid}' },
			timeZone: 'Mars/Olympus',
			colour: 'blue',
		});
		expect(message.split('\n')).toEqual([
			'Invalid booking settings:',
			"settings.chart: Invalid enum value. Expected 'SKR03' | 'SKR04', received 'SKR05'",
			'settings.accounts.balance: must be an account number of 1 to 9 digits',
			'settings.accounts.transit: must not be all zeros',
			'settings.taxKeys.fees: must be a tax key of up to 4 digits, or empty',
			expect.stringMatching(/^settings\.adjustmentTypes\.CHARGE_BACK\.account: must be an account number or one of balance, transit/),
			expect.stringMatching(/^settings\.templates\.text: unknown placeholder \{orderid\}; known: \{statementId\} \{orderId\}/),
			'settings.timeZone: is not a known IANA time zone',
			"settings: Unrecognized key(s) in object: 'colour'",
		]);
	});
});
