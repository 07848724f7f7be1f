import { describe, expect, it } from '@jest/globals';

import { mapToBookings, parseBookingInput, parseBookingSettings, type StatementReconciliation } from '../../lib/booking';
import type { BookingLine } from '../../lib/booking-line';
import { accountTotals, escapeHtml, germanAmount, MAX_LISTED_WARNINGS, monthlySummary, MonthlyLedger } from '../../lib/summary';
import { orderTx, STATEMENT_ID, statementItem } from '../booking/fixtures';

function line(overrides: Partial<BookingLine>): BookingLine {
	return {
		amountMinor: 100,
		currency: 'EUR',
		side: 'S',
		account: '1270',
		contraAccount: '1592',
		taxKey: '',
		date: '2026-10-05',
		documentField1: '',
		documentField2: '',
		text: '',
		orderNumber: '',
		settlementReference: '',
		source: { kind: 'transaction', component: 'revenue_amount' },
		...overrides,
	};
}

function reconciliation(overrides: Partial<StatementReconciliation>): StatementReconciliation {
	return {
		statementId: STATEMENT_ID,
		currency: 'EUR',
		date: '2026-10-05',
		tiktokSettlementMinor: 8500,
		bookedMinor: 8500,
		differenceMinor: 0,
		tiktokReserveMinor: null,
		bookedReserveMinor: 0,
		transactionCount: 1,
		lineCount: 3,
		status: 'ok',
		warnings: [],
		...overrides,
	};
}

/** The rows of the table under the heading `heading`, as cell texts (tags removed, entities kept). */
function tableRows(html: string, heading: string): string[][] {
	const start = html.indexOf(`>${heading}</h3>`);
	expect(start).toBeGreaterThan(-1);
	const table = html.slice(start, html.indexOf('</table>', start));
	return [...table.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((row) =>
		[...row[1].matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/g)].map((cell) => cell[1].replace(/<[^>]+>/g, '')),
	);
}

const base = { month: '2026-10', fileName: 'EXTF_Buchungsstapel_Shop_2026-10.csv', settings: { chart: 'SKR03' as const }, payments: [], warnings: [] };

describe('germanAmount', () => {
	it('groups thousands with a dot and uses a decimal comma, exactly from minor units', () => {
		expect(germanAmount(-123456789, 'EUR')).toBe('-1.234.567,89');
		expect(germanAmount(5, 'EUR')).toBe('0,05');
		expect(germanAmount(100000, 'EUR')).toBe('1.000,00');
		expect(germanAmount(1234567, 'JPY')).toBe('1.234.567');
	});
});

describe('accountTotals', () => {
	it('debits the account and credits the contra account of each line (and the other way round for H)', () => {
		const totals = accountTotals(
			[
				line({ amountMinor: 10000, side: 'S', account: '1270', contraAccount: '1592' }),
				line({ amountMinor: 1000, side: 'S', account: '4970', contraAccount: '1270' }),
				line({ amountMinor: 250, side: 'H', account: '1270', contraAccount: '1590' }),
			],
			new Map([['1270', 'Guthaben']]),
		);
		expect(totals).toEqual([
			{ account: '1270', currency: 'EUR', role: 'Guthaben', debitMinor: 10000, creditMinor: 1250, netMinor: 8750 },
			{ account: '1590', currency: 'EUR', role: '', debitMinor: 250, creditMinor: 0, netMinor: 250 },
			{ account: '1592', currency: 'EUR', role: '', debitMinor: 0, creditMinor: 10000, netMinor: -10000 },
			{ account: '4970', currency: 'EUR', role: '', debitMinor: 1000, creditMinor: 0, netMinor: 1000 },
		]);
	});
});

describe('monthlySummary', () => {
	it('shows per account its role, Soll, Haben and net, with German labels', () => {
		// A sale of 100.00 with 10.00 fees and 5.00 shipping, settled 85.00 (booked by the real engine).
		const settings = parseBookingSettings({ chart: 'SKR03' });
		const input = parseBookingInput([
			statementItem([orderTx({ revenue_amount: '100', fee_tax_amount: '-10', shipping_cost_amount: '-5', settlement_amount: '85' })], {
				statement_time: 1759363200, // 2025-10-02 00:00 UTC: covers 2025-10-01
			}),
		]);
		const result = mapToBookings(input, settings);
		const summary = monthlySummary({ ...base, month: '2025-10', ...result });
		const rows = tableRows(summary.html, 'Konten');
		expect(rows[0]).toEqual(['Konto', 'Funktion', 'Soll', 'Haben', 'Saldo']);
		const byAccount = Object.fromEntries(rows.slice(1).map((row) => [row[0], row.slice(1)]));
		expect(byAccount['1270']).toEqual(['TikTok-Guthaben (Geldkonto)', '100,00 EUR', '15,00 EUR', '85,00 EUR']);
		expect(byAccount['4970']).toEqual(['Gebühren', '10,00 EUR', '0,00 EUR', '10,00 EUR']);
		expect(byAccount['4730']).toEqual(['Versandkosten', '5,00 EUR', '0,00 EUR', '5,00 EUR']);
		// Revenue clearing and withheld taxes default to the clearing account: the row names every role it serves.
		expect(byAccount['1592']).toEqual(['Klärungskonto / Erlöse (Verrechnung) / Einbehaltene Steuern', '0,00 EUR', '100,00 EUR', '-100,00 EUR']);
		const statements = tableRows(summary.html, 'Abrechnungen');
		expect(statements[1]).toEqual(['01.10.2025', STATEMENT_ID, '85,00 EUR', '85,00 EUR', '0,00 EUR', 'abgestimmt']);
		expect(summary.html).toContain('Alle 1 Abrechnungen stimmen centgenau mit TikTok überein.');
	});

	it('uses the accounts of the chosen chart and the user\'s overrides as roles', () => {
		const lines = [line({ account: '1870', contraAccount: '1372' }), line({ account: '4711', contraAccount: '1870' })];
		const summary = monthlySummary({ ...base, settings: { chart: 'SKR04', accounts: { shipping: '4711' } }, lines, statements: [] });
		const roles = Object.fromEntries(tableRows(summary.html, 'Konten').slice(1).map((row) => [row[0], row[1]]));
		expect(roles).toEqual({
			'1372': 'Klärungskonto / Erlöse (Verrechnung) / Einbehaltene Steuern',
			'1870': 'TikTok-Guthaben (Geldkonto)',
			'4711': 'Versandkosten',
		});
	});

	it('summarises only the month of its file', () => {
		const lines = [line({ date: '2026-10-31', amountMinor: 700 }), line({ date: '2026-11-01', amountMinor: 9900 })];
		const statements = [reconciliation({ date: '2026-10-31' }), reconciliation({ date: '2026-11-01', statementId: '7200000000000000001' })];
		const summary = monthlySummary({ ...base, lines, statements });
		expect(tableRows(summary.html, 'Konten')[1]).toEqual(['1270', 'TikTok-Guthaben (Geldkonto)', '7,00 EUR', '0,00 EUR', '7,00 EUR']);
		expect(tableRows(summary.html, 'Abrechnungen').map((row) => row[1])).toEqual(['Abrechnung (Statement-ID)', STATEMENT_ID]);
		expect(summary.html).toContain('1 Buchungen');
	});

	it('reads the same from a ledger of the lines as from the lines (the DATEV-file-only run keeps no lines)', () => {
		const lines = [
			line({ date: '2026-10-31', amountMinor: 700 }),
			line({ date: '2026-10-31', side: 'H', account: '4970', contraAccount: '1270', amountMinor: 250 }),
			line({ date: '2026-10-12', currency: 'USD', amountMinor: 4100 }),
			line({ date: '2026-11-01', amountMinor: 9900 }),
		];
		const statements = [reconciliation({ date: '2026-10-31' })];
		const ledger = new MonthlyLedger();
		for (const booked of lines) ledger.add(booked);
		const fromLedger = monthlySummary({ ...base, lines: ledger, statements });
		expect(fromLedger).toEqual(monthlySummary({ ...base, lines, statements }));
		expect(fromLedger.html).toContain('3 Buchungen');
		expect(fromLedger.accounts.find((total) => total.account === '1270' && total.currency === 'EUR')).toMatchObject({ debitMinor: 950, creditMinor: 0 });
	});

	it('flags a statement with a difference and says where the difference went', () => {
		const statements = [reconciliation({}), reconciliation({ statementId: '7200000000000000002', bookedMinor: 8400, differenceMinor: 100, status: 'difference' })];
		const summary = monthlySummary({ ...base, lines: [], statements, warnings: ['statement 7200000000000000002: difference 1.00 EUR booked to 1592'] });
		const rows = tableRows(summary.html, 'Abrechnungen');
		expect(rows[2]).toEqual(['05.10.2026', '7200000000000000002', '85,00 EUR', '84,00 EUR', '1,00 EUR', 'Differenz auf Klärungskonto']);
		expect(summary.html).toContain('1 von 2 Abrechnungen weichen ab');
		expect(summary.html).toContain('<li style="margin:2px 0">statement 7200000000000000002: difference 1.00 EUR booked to 1592</li>');
	});

	it('escapes text from the data, so a warning cannot inject markup into the e-mail', () => {
		const warning = 'unknown type <img src=x onerror="alert(1)"> & more';
		const summary = monthlySummary({ ...base, lines: [], statements: [], warnings: [warning], fileName: 'a<b>.csv' });
		expect(summary.html).not.toContain('<img');
		expect(summary.html).toContain(escapeHtml(warning));
		expect(summary.html).toContain('a&lt;b&gt;.csv');
		expect(escapeHtml(`<a href='x'>"&"</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt;');
	});

	it('lists at most MAX_LISTED_WARNINGS warnings and counts the rest', () => {
		const warnings = Array.from({ length: MAX_LISTED_WARNINGS + 5 }, (_, index) => `warning ${index}`);
		const summary = monthlySummary({ ...base, lines: [], statements: [], warnings });
		expect(summary.html.match(/<li /g)).toHaveLength(MAX_LISTED_WARNINGS + 1);
		expect(summary.html).toContain(`warning ${MAX_LISTED_WARNINGS - 1}<`);
		expect(summary.html).not.toContain(`warning ${MAX_LISTED_WARNINGS}<`);
		expect(summary.html).toContain('… und 5 weitere');
	});

	it('is a complete UTF-8 page as a document, the same tables as the fragment', () => {
		const summary = monthlySummary({ ...base, lines: [line({})], statements: [] });
		expect(summary.document).toMatch(/^<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8"><title>TikTok Shop: Monatsübersicht 10\/2026<\/title>/);
		expect(summary.document).toContain(summary.html);
		expect(summary.html).toContain('Keine TikTok-Abrechnungen in diesem Monat.');
		expect(summary.html).toContain('Keine.');
	});
});
