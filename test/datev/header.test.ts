import { describe, expect, it } from '@jest/globals';
import { DatevSettingsError, formatCreatedAt, headerFields, parseHeaderSettings, type HeaderSettingsInput } from '../../lib/datev/header';
import { CREATED_AT } from './fixtures';

const base: HeaderSettingsInput = {
	consultantNumber: 29098,
	clientNumber: 55003,
	chartOfAccounts: '03',
	fiscalYearStart: '2025-01-01',
	periodFrom: '2025-06-01',
	periodTo: '2025-06-30',
	description: 'TikTok Shop 06/2025',
	createdAt: CREATED_AT,
};

function issuesOf(input: unknown): string[] {
	try {
		parseHeaderSettings(input);
	} catch (error) {
		expect(error).toBeInstanceOf(DatevSettingsError);
		return (error as DatevSettingsError).issues;
	}
	throw new Error('expected the settings to be rejected');
}

describe('EXTF header line', () => {
	it('matches the reference example field by field (31 fields, defaults Festschreibung 0, origin RE)', () => {
		const fields = headerFields(parseHeaderSettings(base));
		expect(fields).toHaveLength(31);
		expect(fields.join(';')).toBe(
			'"EXTF";700;21;"Buchungsstapel";13;20250702093000123;;"RE";"";"";29098;55003;20250101;4;20250601;20250630;' +
				'"TikTok Shop 06/2025";"";1;0;0;"EUR";;"";;;"03";;;"";""',
		);
	});

	it('writes SKR 04, Festschreibung 1, Diktatkürzel, Buchungstyp 2, Rechnungslegungszweck and longer accounts', () => {
		const fields = headerFields(
			parseHeaderSettings({
				...base,
				chartOfAccounts: '04',
				locked: true,
				dictationCode: 'WD',
				bookingType: 2,
				accountingPurpose: 50,
				accountLength: 6,
				origin: 'TT',
				exportedBy: 'n8n_TikTok',
				applicationInfo: '06/2025',
			}),
		);
		expect(fields[7]).toBe('"TT"');
		expect(fields[8]).toBe('"n8n_TikTok"');
		expect(fields[13]).toBe('6');
		expect(fields[17]).toBe('"WD"');
		expect(fields[18]).toBe('2');
		expect(fields[19]).toBe('50');
		expect(fields[20]).toBe('1');
		expect(fields[26]).toBe('"04"');
		expect(fields[30]).toBe('"06/2025"');
	});

	it('formats Erzeugt am with 17 digits in the configured time zone', () => {
		expect(formatCreatedAt(Date.UTC(2025, 0, 15, 23, 59, 59, 7), 'Europe/Berlin')).toBe('20250116005959007');
		expect(formatCreatedAt(Date.UTC(2025, 6, 2, 7, 30, 0, 123), 'Europe/Berlin')).toBe('20250702093000123');
		expect(formatCreatedAt(Date.UTC(2025, 6, 2, 7, 30, 0, 123), 'UTC')).toBe('20250702073000123');
	});

	it('rejects a Beraternummer outside 1001–9999999 and a Mandantennummer outside 1–99999', () => {
		expect(issuesOf({ ...base, consultantNumber: 1000 })).toEqual([
			'consultantNumber: Beraternummer (consultantNumber) must be between 1001 and 9999999',
		]);
		expect(issuesOf({ ...base, consultantNumber: 10_000_000 })[0]).toContain('Beraternummer');
		expect(issuesOf({ ...base, consultantNumber: 1001.5 })[0]).toContain('whole number');
		expect(issuesOf({ ...base, clientNumber: 0 })).toEqual(['clientNumber: Mandantennummer (clientNumber) must be between 1 and 99999']);
		expect(issuesOf({ ...base, clientNumber: 100_000 })[0]).toContain('Mandantennummer');
		expect(parseHeaderSettings({ ...base, consultantNumber: 1001, clientNumber: 99999 }).clientNumber).toBe(99999);
	});

	it('rejects a Sachkontenlänge outside 4–8 and an unknown SKR', () => {
		expect(issuesOf({ ...base, accountLength: 3 })).toEqual(['accountLength: Sachkontenlänge (accountLength) must be between 4 and 8']);
		expect(issuesOf({ ...base, accountLength: 9 })[0]).toContain('Sachkontenlänge');
		expect(issuesOf({ ...base, chartOfAccounts: '07' })).toEqual(["chartOfAccounts: SKR (chartOfAccounts) must be '03' or '04'"]);
	});

	it('lists every problem at once', () => {
		const issues = issuesOf({ ...base, consultantNumber: 5, clientNumber: -1, currency: 'XYZ', dictationCode: 'wd' });
		expect(issues).toHaveLength(4);
		expect(issues.join('\n')).toMatch(/Beraternummer[\s\S]*Mandantennummer[\s\S]*WKZ[\s\S]*Diktatkürzel/);
	});

	it('rejects text fields DATEV would refuse', () => {
		expect(issuesOf({ ...base, description: 'TikTok-Shop 06/2025' })[0]).toContain('Bezeichnung');
		expect(issuesOf({ ...base, description: 'x'.repeat(31) })[0]).toContain('Bezeichnung');
		expect(issuesOf({ ...base, exportedBy: 'Chief Accounting Officer' })[0]).toContain('Exportiert von');
		expect(issuesOf({ ...base, origin: 'R' })[0]).toContain('Herkunft');
		expect(issuesOf({ ...base, applicationInfo: 'a"b' })[0]).toContain('Anwendungsinformation');
		expect(issuesOf({ ...base, timeZone: 'Mars/Olympus' })[0]).toContain('timeZone');
		expect(issuesOf({ ...base, bookingType: 3 })[0]).toContain('Buchungstyp');
		expect(issuesOf({ ...base, accountingPurpose: 20 })[0]).toContain('Rechnungslegungszweck');
	});

	it('checks the period against itself and the fiscal year', () => {
		expect(issuesOf({ ...base, periodFrom: '2025-06-31' })).toEqual(['periodFrom: Datum vom (periodFrom) must be a date YYYY-MM-DD']);
		expect(issuesOf({ ...base, periodFrom: '2025-07-01' })[0]).toContain('before Datum vom');
		expect(issuesOf({ ...base, fiscalYearStart: '2025-07-01' })[0]).toContain('before WJ-Beginn');
		expect(issuesOf({ ...base, fiscalYearStart: '2024-07-01', periodFrom: '2025-07-01', periodTo: '2025-07-31' })[0]).toContain(
			'after the end of the fiscal year 2025-06-30',
		);
		expect(issuesOf({ ...base, fiscalYearStart: '2025-07-01', periodFrom: '2025-12-01', periodTo: '2026-01-31' })[0]).toContain(
			'same calendar year',
		);
		// A fiscal year July–June: a June period belongs to the one that started the July before.
		expect(parseHeaderSettings({ ...base, fiscalYearStart: '2024-07-01' }).periodTo).toBe('2025-06-30');
	});

	it('requires createdAt so that output is reproducible', () => {
		const withoutStamp: Record<string, unknown> = { ...base };
		delete withoutStamp.createdAt;
		expect(issuesOf(withoutStamp)).toEqual(['createdAt: createdAt (epoch ms) is required']);
	});
});
