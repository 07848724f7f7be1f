import { describe, expect, it } from '@jest/globals';
import type { BookingLine } from '../../lib/booking-line';
import {
	checkBooking,
	checkBookings,
	DatevValidationError,
	defaultAutomaticAccounts,
	describeBooking,
	type RuleContext,
	type RuleId,
} from '../../lib/datev/rules';
import { booking } from './fixtures';

const context: RuleContext = {
	accountLength: 4,
	fiscalYearStart: '2025-01-01',
	periodFrom: '2025-06-01',
	periodTo: '2025-06-30',
	currency: 'EUR',
	automaticAccounts: defaultAutomaticAccounts('03', 4),
};

const rulesOf = (line: BookingLine, ruleContext: RuleContext = context): RuleId[] =>
	checkBooking(line, 0, ruleContext).map((violation) => violation.rule);

describe('DATEV field rules', () => {
	it('accepts a valid booking (and the reference example rows)', () => {
		expect(checkBooking(booking(), 0, context)).toEqual([]);
		expect(rulesOf(booking({ account: '10000', contraAccount: '8400' }))).toEqual([]);
		expect(rulesOf(booking({ account: '4970', contraAccount: '1270', taxKey: '506' }))).toEqual([]);
		expect(rulesOf(booking({ account: '0085', contraAccount: '99999' }))).toEqual([]);
	});

	it('amount-positive: Umsatz must be a positive whole number of minor units', () => {
		expect(rulesOf(booking({ amountMinor: 0 }))).toEqual(['amount-positive']);
		expect(rulesOf(booking({ amountMinor: -5 }))).toEqual(['amount-positive']);
		expect(rulesOf(booking({ amountMinor: 1.5 }))).toEqual(['amount-positive']);
		expect(rulesOf(booking({ amountMinor: 1 }))).toEqual([]);
	});

	it('amount-too-large: at most 10 digits before the decimal comma', () => {
		expect(rulesOf(booking({ amountMinor: 999_999_999_999 }))).toEqual([]); // 9.999.999.999,99
		expect(rulesOf(booking({ amountMinor: 1_000_000_000_000 }))).toEqual(['amount-too-large']);
	});

	it('amount-precision: three-decimal currencies only in whole hundredths', () => {
		const kwd = { ...context, currency: 'KWD' };
		expect(rulesOf(booking({ currency: 'KWD', amountMinor: 1230 }), kwd)).toEqual([]);
		expect(rulesOf(booking({ currency: 'KWD', amountMinor: 1234 }), kwd)).toEqual(['amount-precision']);
	});

	it('eu-country and eu-tax-rate: a country code (EL for Greece) and a rate from 0,00 to 99,99 %, only together', () => {
		expect(rulesOf(booking({ contraAccount: '8320', euCountry: 'FR', euTaxRate: 2000 }))).toEqual([]);
		expect(rulesOf(booking({ contraAccount: '8320', euCountry: 'FR12345678901', euTaxRate: 2000 }))).toEqual([]);
		expect(rulesOf(booking({ euCountry: 'fr', euTaxRate: 2000 }))).toEqual(['eu-country']);
		expect(rulesOf(booking({ euCountry: 'FR12345678901234', euTaxRate: 2000 }))).toEqual(['eu-country']);
		expect(rulesOf(booking({ euCountry: 'FR', euTaxRate: 10000 }))).toEqual(['eu-tax-rate']);
		expect(rulesOf(booking({ euCountry: 'FR' }))).toEqual(['eu-tax-rate']);
		expect(rulesOf(booking({ euTaxRate: 2000 }))).toEqual(['eu-tax-rate']);
	});

	it('service-date: Leistungsdatum only with Datum Zuord. Steuerperiode (DATEV rejects one without the other)', () => {
		expect(rulesOf(booking({ serviceDate: '2025-05-30', taxPeriodDate: '2025-06-03' }))).toEqual([]);
		expect(rulesOf(booking({ serviceDate: '2025-05-30' }))).toEqual(['service-date']);
		expect(rulesOf(booking({ taxPeriodDate: '2025-06-03' }))).toEqual(['service-date']);
		expect(rulesOf(booking({ serviceDate: '2025-02-30', taxPeriodDate: '2025-06-03' }))).toEqual(['service-date']);
	});

	it('side: S or H only', () => {
		expect(rulesOf(booking({ side: 'X' as 'S' }))).toEqual(['side']);
	});

	it('currency-unknown and currency-mismatch', () => {
		expect(rulesOf(booking({ currency: 'EURO' }))).toEqual(['currency-unknown']);
		expect(rulesOf(booking({ currency: 'GBP' }))).toEqual(['currency-mismatch']);
	});

	it('account-format: digits only, not zero', () => {
		expect(rulesOf(booking({ account: '12A0' }))).toEqual(['account-format']);
		expect(rulesOf(booking({ contraAccount: '' }))).toEqual(['account-format']);
		expect(rulesOf(booking({ account: '0000' }))).toEqual(['account-format']);
	});

	it('account-length: Sachkonto = Sachkontenlänge digits, Personenkonto = one more, no leading zero', () => {
		expect(rulesOf(booking({ account: '127' }))).toEqual(['account-length']);
		expect(rulesOf(booking({ account: '127000' }))).toEqual(['account-length']);
		expect(rulesOf(booking({ contraAccount: '01270' }))).toEqual(['account-length']);
		// Sachkontenlänge 5: SKR03 1270 becomes 12700 and debtors have six digits.
		const five = { ...context, accountLength: 5 };
		expect(rulesOf(booking({ account: '12700', contraAccount: '100000' }), five)).toEqual([]);
		expect(rulesOf(booking({ account: '1270', contraAccount: '1000000' }), five)).toEqual(['account-length', 'account-length']);
		// 10000 is a Sachkonto there, not a debtor.
		expect(rulesOf(booking({ account: '12700', contraAccount: '10000' }), five)).toEqual([]);
		const [violation] = checkBooking(booking({ account: '1270' }), 0, five);
		expect(violation.message).toContain('debtors 100000–699999, creditors 700000–999999');
	});

	it('tax-key-format: 1 to 4 digits or empty', () => {
		expect(rulesOf(booking({ taxKey: '6501' }))).toEqual([]);
		expect(rulesOf(booking({ taxKey: '12345' }))).toEqual(['tax-key-format']);
		expect(rulesOf(booking({ taxKey: 'V19' }))).toEqual(['tax-key-format']);
	});

	it('tax-key-automatic-account: no BU-Schlüssel on automatic accounts (except 40 and 20)', () => {
		expect(rulesOf(booking({ account: '10000', contraAccount: '8400', taxKey: '3' }))).toEqual(['tax-key-automatic-account']);
		expect(rulesOf(booking({ account: '8300', contraAccount: '10000', taxKey: '2' }))).toEqual(['tax-key-automatic-account']);
		expect(rulesOf(booking({ account: '8400', contraAccount: '8401', taxKey: '40' }))).toEqual([]);
		expect(rulesOf(booking({ account: '10001', contraAccount: '8400', taxKey: '20' }))).toEqual([]);
		// SKR04 defaults, and a configured list replaces the defaults.
		const skr04 = { ...context, automaticAccounts: defaultAutomaticAccounts('04', 4) };
		expect(rulesOf(booking({ account: '10000', contraAccount: '4400', taxKey: '3' }), skr04)).toEqual(['tax-key-automatic-account']);
		expect(rulesOf(booking({ account: '10000', contraAccount: '4300', taxKey: '2' }), skr04)).toEqual(['tax-key-automatic-account']);
		expect(rulesOf(booking({ account: '10000', contraAccount: '8400', taxKey: '3' }), skr04)).toEqual([]);
		const custom = { ...context, automaticAccounts: ['8401'] };
		expect(rulesOf(booking({ account: '10000', contraAccount: '8401', taxKey: '3' }), custom)).toEqual(['tax-key-automatic-account']);
		expect(rulesOf(booking({ account: '10000', contraAccount: '8400', taxKey: '3' }), custom)).toEqual([]);
	});

	it('default automatic accounts widen with the Sachkontenlänge', () => {
		expect(defaultAutomaticAccounts('03', 4)).toEqual(expect.arrayContaining(['8400', '8300']));
		expect(defaultAutomaticAccounts('04', 4)).toEqual(expect.arrayContaining(['4400', '4300']));
		expect(defaultAutomaticAccounts('03', 5)).toEqual(expect.arrayContaining(['84000', '83000']));
	});

	it('date-format: Belegdatum must be YYYY-MM-DD', () => {
		expect(rulesOf(booking({ date: '03.06.2025' }))).toEqual(['date-format']);
		expect(rulesOf(booking({ date: '2025-02-29' }))).toEqual(['date-format']);
	});

	it('date-period: Belegdatum within Datum vom/bis', () => {
		expect(rulesOf(booking({ date: '2025-06-01' }))).toEqual([]);
		expect(rulesOf(booking({ date: '2025-06-30' }))).toEqual([]);
		expect(rulesOf(booking({ date: '2025-07-01' }))).toEqual(['date-period']);
		expect(rulesOf(booking({ date: '2025-05-31' }))).toEqual(['date-period']);
	});

	it('date-fiscal-year: Belegdatum within the fiscal year', () => {
		const wide = { ...context, fiscalYearStart: '2025-07-01', periodFrom: '2025-06-01', periodTo: '2025-07-31' };
		expect(rulesOf(booking({ date: '2025-06-15' }), wide)).toEqual(['date-fiscal-year']);
		expect(rulesOf(booking({ date: '2024-12-31' }))).toEqual(['date-period', 'date-fiscal-year']);
	});

	it('document-field-1-length: Belegfeld 1 at most 36 characters', () => {
		expect(rulesOf(booking({ documentField1: 'A'.repeat(36) }))).toEqual([]);
		expect(rulesOf(booking({ documentField1: 'A'.repeat(37) }))).toEqual(['document-field-1-length']);
	});

	it("document-field-1-charset: only letters, digits and $ % - /", () => {
		expect(rulesOf(booking({ documentField1: 'AR-78/13$%' }))).toEqual([]);
		for (const bad of ['RE 1', 'RE.1', 'RE_1', 'RE;1', 'RE:1', 'RE,1', 'Müller', 'RE😀']) {
			expect([bad, rulesOf(booking({ documentField1: bad }))]).toEqual([bad, ['document-field-1-charset']]);
		}
	});

	it('document-field-2-length and document-field-2-charset', () => {
		expect(rulesOf(booking({ documentField2: '160318' }))).toEqual([]);
		expect(rulesOf(booking({ documentField2: '1234567890123' }))).toEqual(['document-field-2-length']);
		expect(rulesOf(booking({ documentField2: 'a b' }))).toEqual(['document-field-2-charset']);
	});

	it('text-length: Buchungstext at most 60 characters as written', () => {
		expect(rulesOf(booking({ text: 'x'.repeat(60) }))).toEqual([]);
		expect(rulesOf(booking({ text: 'x'.repeat(61) }))).toEqual(['text-length']);
		// Measured after transliteration: "ﬁ" becomes "fi" (two characters), an emoji one "?".
		expect(rulesOf(booking({ text: `${'x'.repeat(59)}ﬁ` }))).toEqual(['text-length']);
		expect(rulesOf(booking({ text: `${'x'.repeat(59)}😀` }))).toEqual([]);
	});

	it('order-number-length (Auftragsnummer ≤ 30) and settlement-reference-length (Abrechnungsreferenz ≤ 50)', () => {
		expect(rulesOf(booking({ orderNumber: '9'.repeat(31) }))).toEqual(['order-number-length']);
		expect(rulesOf(booking({ settlementReference: 'S'.repeat(51) }))).toEqual(['settlement-reference-length']);
		expect(rulesOf(booking({ orderNumber: '9'.repeat(30), settlementReference: 'S'.repeat(50) }))).toEqual([]);
	});

	it('returns all violations of all bookings, each naming the booking index and source ids', () => {
		const lines = [
			booking(),
			booking({ amountMinor: 0, text: 'y'.repeat(70) }),
			booking({ account: 'x', date: '2025-07-02', source: { kind: 'payment', paymentId: 'PAY-7', component: 'payout' } }),
		];
		const violations = checkBookings(lines, context, [10, 11, 12]);
		expect(violations.map((violation) => [violation.index, violation.rule])).toEqual([
			[11, 'amount-positive'],
			[11, 'text-length'],
			[12, 'account-format'],
			[12, 'date-period'],
		]);
		expect(violations[0].message).toBe(
			'bookings[11] (transaction, statement ST7401234567890, transaction TX99, order 576461413038785752, component revenue_amount): ' +
				'Umsatz must be a positive whole number of minor units, got 0',
		);
		expect(violations[2].message).toMatch(/^bookings\[12\] \(payment, payment PAY-7, component payout\): Konto "x"/);
		const error = new DatevValidationError(violations);
		expect(error.violations).toHaveLength(4);
		expect(error.message).toMatch(/^4 booking\(s\) break DATEV field rules: bookings\[11\]/);
	});

	it('describes a booking without source ids by its index', () => {
		expect(describeBooking(4, undefined)).toBe('bookings[4]');
	});
});
