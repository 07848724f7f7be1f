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
		const keys = { fees: '506', salesCommissions: '', shipping: '', revenue19: '', revenue7: '', revenue0: '', revenueOss: '' };
		expect(CHART_PRESETS.SKR03).toEqual({
			accounts: {
				balance: '1270',
				transit: '1366',
				reserve: '1590',
				clearing: '1592',
				fees: '4970',
				salesCommissions: '4760',
				shipping: '4730',
				revenue19: '8400',
				revenue7: '8300',
				revenue0: '8200',
				revenueOss: '8320',
				collectiveDebtor: '10000',
				advertising: '4600',
			},
			taxKeys: keys,
		});
		expect(CHART_PRESETS.SKR04).toEqual({
			accounts: {
				balance: '1870',
				transit: '1466',
				reserve: '1379',
				clearing: '1372',
				fees: '6855',
				salesCommissions: '6770',
				shipping: '6740',
				revenue19: '4400',
				revenue7: '4300',
				revenue0: '4200',
				revenueOss: '4320',
				collectiveDebtor: '10000',
				advertising: '6600',
			},
			taxKeys: keys,
		});
	});

	it('applies overrides without changing the preset; revenue clearing and withheld taxes follow the clearing account', () => {
		const resolved = resolveChart('SKR04', { accounts: { reserve: '1370', clearing: '' }, taxKeys: { fees: '' } });
		expect(resolved.accounts).toMatchObject({ reserve: '1370', clearing: '1372', balance: '1870', revenueClearing: '1372', withheldTaxes: '1372' });
		expect(resolved.taxKeys.fees).toBe('');
		expect(CHART_PRESETS.SKR04.accounts.reserve).toBe('1379');
		const separated = resolveChart('SKR03', { accounts: { clearing: '1590', revenueClearing: '1591' } });
		expect([separated.accounts.clearing, separated.accounts.revenueClearing, separated.accounts.withheldTaxes]).toEqual(['1590', '1591', '1590']);
	});

	it('widens every default to the Sachkontenlänge, the debtor to one digit more, and leaves given accounts alone', () => {
		const resolved = resolveChart('SKR04', { accounts: { fees: '68550' } }, 5);
		expect(resolved.accounts).toEqual({
			balance: '18700',
			transit: '14660',
			reserve: '13790',
			clearing: '13720',
			revenueClearing: '13720',
			withheldTaxes: '13720',
			fees: '68550',
			salesCommissions: '67700',
			shipping: '67400',
			revenue19: '44000',
			revenue7: '43000',
			revenue0: '42000',
			revenueOss: '43200',
			collectiveDebtor: '100000',
			advertising: '66000',
		});
		expect(resolveChart('SKR03', {}, 8).accounts.collectiveDebtor).toBe('100000000');
	});
});

describe('parseBookingSettings', () => {
	it('defaults to SKR03, clearing mode, total fee lines, Europe/Berlin', () => {
		const settings = parseBookingSettings();
		expect(settings).toMatchObject({
			chart: 'SKR03',
			accountLength: 4,
			revenueMode: 'clearing',
			defaultVatRate: '19',
			euDistanceSales: 'oss',
			serviceDate: true,
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
		expect(settings.automaticAccounts).toEqual(['8400', '8300', '8125', '8320', '8336', '8338', '3123', '3125']);
	});

	it('resolves role names in mappings against the chosen chart', () => {
		const settings = parseBookingSettings({
			chart: 'SKR04',
			accounts: { fees: '6856' },
			feeTypes: { affiliate_commission_amount: { account: 'fees', taxKey: '' }, transaction_fee_amount: { taxKey: '9' } },
			adjustmentTypes: { GMV_PAYMENT_FOR_ADS: { account: 'advertising' }, PLATFORM_PENALTY: { account: '6300', taxKey: '' } },
		});
		expect(settings.feeTypes).toEqual({
			affiliate_commission_amount: { account: '6856', taxKey: '' },
			transaction_fee_amount: { taxKey: '9' },
		});
		expect(settings.adjustmentTypes).toEqual({
			GMV_PAYMENT_FOR_ADS: { account: '6600', taxKey: '' },
			PLATFORM_PENALTY: { account: '6300', taxKey: '' },
		});
	});

	it('treats blank account fields (cleared n8n inputs) as not set', () => {
		const settings = parseBookingSettings({ chart: 'SKR04', accounts: { balance: '', reserve: '1370' }, feeTypes: { vat_amount: { account: '' } } });
		expect([settings.accounts.balance, settings.accounts.reserve, settings.feeTypes.vat_amount.account]).toEqual(['1870', '1370', undefined]);
	});

	it('rejects bad accounts, keys, templates, zones and unknown settings, naming the node parameter', () => {
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
			'TikTok Balance Account: must be an account number of 1 to 9 digits',
			'Transit Account: must not be all zeros',
			'Fee Tax Key: must be a tax key of up to 4 digits, or empty',
			expect.stringMatching(/^Adjustment Type Accounts › CHARGE_BACK › account: must be an account number or one of balance, transit/),
			expect.stringMatching(/^settings\.templates\.text: unknown placeholder \{orderid\}; known: \{statementId\} \{orderId\}/),
			'settings.timeZone: is not a known IANA time zone',
			"settings: Unrecognized key(s) in object: 'colour'",
		]);
	});
});

describe('account and key checks before anything is booked', () => {
	// Issue #12, finding 1: choosing 3123 as fee account failed only in the DATEV export ("BU 506 on automatic account
	// 3123"), after the bookings were made; the key could not be changed at all.
	it('refuses the fee key on an automatic fee account, naming both parameters (finding 1)', () => {
		expect(settingsError({ chart: 'SKR03', accounts: { fees: '3123' } })).toBe(
			'Invalid booking settings:\nFee Tax Key "506" on Fee Account 3123: 3123 is an automatic account (DATEV derives the tax from the account), so the tax key must be empty',
		);
		expect(parseBookingSettings({ chart: 'SKR03', accounts: { fees: '3123' }, taxKeys: { fees: '' } }).accounts.fees).toBe('3123');
		expect(parseBookingSettings({ chart: 'SKR04', accounts: { fees: '5923' }, taxKeys: { fees: '40' } }).taxKeys.fees).toBe('40');
	});

	it('refuses keys on automatic accounts in Fee Types, adjustment types, revenue roles and the user\'s automatic-account list', () => {
		const message = settingsError({
			chart: 'SKR04',
			revenueMode: 'revenueAccounts',
			taxKeys: { revenue19: '3' },
			feeTypes: { affiliate_commission_amount: { account: '5925', taxKey: '94' }, vat_amount: { taxKey: '9' } },
			adjustmentTypes: { GMV_PAYMENT_FOR_ADS: { account: '6600', taxKey: '9' } },
			automaticAccounts: ['4400', '5925', '6600'],
		});
		expect(message.split('\n').slice(1)).toEqual([
			'Revenue 19 % Tax Key "3" on Revenue 19 % Account 4400: 4400 is an automatic account (DATEV derives the tax from the account), so the tax key must be empty',
			'Fee Types › affiliate_commission_amount: tax key "94" on account 5925: 5925 is an automatic account (DATEV derives the tax from the account), so the tax key must be empty',
			'Fee Types › vat_amount: taxes are booked without a tax key (they are no fees); leave Tax Key empty',
			'Adjustment Type Accounts › GMV_PAYMENT_FOR_ADS: tax key "9" on account 6600: 6600 is an automatic account (DATEV derives the tax from the account), so the tax key must be empty',
		]);
	});

	// Issue #12, finding 5: with every editable account at 5 digits the export failed on the shipping account 4730,
	// which could not be changed; the default debtor 10000 passed as a 5-digit Sachkonto and OPOS silently failed.
	it('widens the defaults to Sachkontenlänge 5 and accepts them, OPOS debtor included (finding 5)', () => {
		const settings = parseBookingSettings({ chart: 'SKR03', accountLength: 5, revenueMode: 'collectiveDebtor' });
		expect([settings.accounts.shipping, settings.accounts.balance, settings.accounts.collectiveDebtor]).toEqual(['47300', '12700', '100000']);
		expect(settings.automaticAccounts).toContain('84000');
	});

	it('names every account still too short for the Sachkontenlänge, with the widened default (finding 5)', () => {
		const message = settingsError({ chart: 'SKR03', accountLength: 5, accounts: { fees: '4970', shipping: '4730', transit: '13660' } });
		expect(message.split('\n').slice(1)).toEqual([
			'Fee Account 4970 has 4 digits; with Sachkontenlänge 5 a Sachkonto has 5 digits (a debtor or creditor 6) (the SKR03 default widened to Sachkontenlänge 5 is 49700)',
			'Shipping Cost Account 4730 has 4 digits; with Sachkontenlänge 5 a Sachkonto has 5 digits (a debtor or creditor 6) (the SKR03 default widened to Sachkontenlänge 5 is 47300)',
		]);
	});

	it('refuses an OPOS debtor that is no Personenkonto for the Sachkontenlänge (finding 5)', () => {
		expect(settingsError({ chart: 'SKR04', accountLength: 5, revenueMode: 'collectiveDebtor', accounts: { collectiveDebtor: '10000' } })).toBe(
			'Invalid booking settings:\nCollective Debtor Account 10000 is not a debtor account (Personenkonto): with Sachkontenlänge 5 debtors have 6 digits (100000–699999), so OPOS could not clear (the SKR04 default widened to Sachkontenlänge 5 is 100000)',
		);
		expect(settingsError({ revenueMode: 'collectiveDebtor', accounts: { collectiveDebtor: '70000' } })).toMatch(/Collective Debtor Account 70000 is not a debtor account/);
		// Outside OPOS the debtor is not booked, so it is not checked.
		expect(parseBookingSettings({ accountLength: 5, accounts: { collectiveDebtor: '10000' } }).accounts.collectiveDebtor).toBe('10000');
	});

	it('accepts a creditor as fee account (a Personenkonto is a valid Konto)', () => {
		expect(parseBookingSettings({ accounts: { fees: '70025' }, taxKeys: { fees: '' } }).accounts.fees).toBe('70025');
	});
});
