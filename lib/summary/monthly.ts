/**
 * The month at a glance for the seller and the tax adviser: what a DATEV file of Map to SKR Bookings contains, per
 * account (role, Soll, Haben, net), per statement (TikTok's settlement against what was booked) and the warnings.
 * German labels, because its readers are German bookkeepers; amounts exact from the minor units.
 */
import type { BookingLine } from '../booking-line';
import { parseBookingSettings, type BookingSettingsInput, type PaymentSummary, type StatementReconciliation } from '../booking';
import { germanAmount } from './amounts';
import { element, Html, type Content } from './html';
import { accountRoles } from './roles';

export interface MonthlySummaryInput {
	/** Booking month YYYY-MM (the DATEV file's month). */
	month: string;
	fileName: string;
	/** The Map node's booking settings, as given to the booking engine. */
	settings: BookingSettingsInput;
	/** Lines (or their ledger), statements, payments and warnings of the run; only those of `month` are summarised. */
	lines: readonly BookingLine[] | MonthlyLedger;
	statements: readonly StatementReconciliation[];
	payments: readonly PaymentSummary[];
	warnings: readonly string[];
}

export interface AccountTotal {
	account: string;
	currency: string;
	role: string;
	debitMinor: number;
	creditMinor: number;
	/** Soll − Haben. */
	netMinor: number;
}

export interface MonthlySummary {
	/** The tables, for an e-mail body or another page (no <html>, inline styles only). */
	html: string;
	/** A complete UTF-8 HTML page with the same content, for summary.html. */
	document: string;
	accounts: AccountTotal[];
}

/** More warnings than this are counted, not listed: the summary must stay readable in a mail. */
export const MAX_LISTED_WARNINGS = 30;

const STATUS_LABELS: Record<StatementReconciliation['status'], string> = {
	ok: 'abgestimmt',
	difference: 'Differenz auf Klärungskonto',
	corrected: 'nachträglich geändert, Differenz gebucht',
};

type Totals = Map<string, Omit<AccountTotal, 'role' | 'netMinor'>>;

function totalOf(totals: Totals, account: string, currency: string): Omit<AccountTotal, 'role' | 'netMinor'> {
	const key = `${account} ${currency}`;
	let total = totals.get(key);
	if (!total) {
		total = { account, currency, debitMinor: 0, creditMinor: 0 };
		totals.set(key, total);
	}
	return total;
}

function addLine(totals: Totals, line: BookingLine): void {
	const account = totalOf(totals, line.account, line.currency);
	const contra = totalOf(totals, line.contraAccount, line.currency);
	if (line.side === 'S') {
		account.debitMinor += line.amountMinor;
		contra.creditMinor += line.amountMinor;
	} else {
		account.creditMinor += line.amountMinor;
		contra.debitMinor += line.amountMinor;
	}
}

function listTotals(totals: Totals, roles: ReadonlyMap<string, string>): AccountTotal[] {
	return [...totals.values()]
		.map((total) => ({ ...total, role: roles.get(total.account) ?? '', netMinor: total.debitMinor - total.creditMinor }))
		.sort((a, b) => (a.account === b.account ? a.currency.localeCompare(b.currency) : Number(a.account) - Number(b.account)));
}

/** Soll and Haben per account and currency: each line debits one side and credits the other. */
export function accountTotals(lines: readonly BookingLine[], roles: ReadonlyMap<string, string>): AccountTotal[] {
	const totals: Totals = new Map();
	for (const line of lines) addLine(totals, line);
	return listTotals(totals, roles);
}

/** Lines per month and Soll/Haben per account, added up as lines pass by: a summary without holding the lines. */
export class MonthlyLedger {
	private readonly months = new Map<string, { lines: number; totals: Totals }>();
	/** The month of the previous line: a booking engine's lines come grouped by date. */
	private last: { date: string; month: { lines: number; totals: Totals } } | undefined;

	add(line: BookingLine): void {
		let month = this.last?.date === line.date ? this.last.month : undefined;
		if (!month) {
			const key = line.date.slice(0, 7);
			month = this.months.get(key);
			if (!month) {
				month = { lines: 0, totals: new Map() };
				this.months.set(key, month);
			}
			this.last = { date: line.date, month };
		}
		month.lines += 1;
		addLine(month.totals, line);
	}

	lineCount(month: string): number {
		return this.months.get(month)?.lines ?? 0;
	}

	accountTotals(month: string, roles: ReadonlyMap<string, string>): AccountTotal[] {
		return listTotals(this.months.get(month)?.totals ?? new Map(), roles);
	}
}

const CELL = 'padding:4px 10px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top';
const NUMBER = `${CELL};text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums`;
const HEAD = `${CELL};background:#f2f2f2;font-weight:600`;
const HEAD_NUMBER = `${NUMBER};background:#f2f2f2;font-weight:600`;
const TABLE = 'border-collapse:collapse;margin:0 0 18px 0;font-size:14px';
const HEADING = 'font-size:16px;margin:18px 0 8px 0';

type Column = { label: string; numeric?: boolean };

function table(columns: readonly Column[], rows: readonly Content[][]): Html {
	const head = element('tr', '', columns.map((column) => element('th', column.numeric ? HEAD_NUMBER : HEAD, column.label)));
	const body = rows.map((row) =>
		element('tr', '', row.map((cell, index) => element('td', columns[index].numeric ? NUMBER : CELL, cell))),
	);
	return element('table', TABLE, element('thead', '', head), element('tbody', '', body));
}

const money = (minor: number, currency: string) => `${germanAmount(minor, currency)} ${currency}`;

function germanDate(isoDate: string): string {
	const [year, month, day] = isoDate.split('-');
	return `${day}.${month}.${year}`;
}

function monthTitle(month: string): string {
	const [year, number] = month.split('-');
	return `${number}/${year}`;
}

export function monthlySummary(input: MonthlySummaryInput): MonthlySummary {
	const settings = parseBookingSettings(input.settings);
	const inMonth = (date: string) => date.startsWith(input.month);
	const roles = accountRoles(settings);
	const ledger = input.lines instanceof MonthlyLedger ? input.lines : undefined;
	const lines = ledger ? [] : (input.lines as readonly BookingLine[]).filter((line) => inMonth(line.date));
	const lineCount = ledger ? ledger.lineCount(input.month) : lines.length;
	const statements = input.statements.filter((statement) => inMonth(statement.date));
	const payments = input.payments.filter((payment) => inMonth(payment.date));
	const accounts = ledger ? ledger.accountTotals(input.month, roles) : accountTotals(lines, roles);
	const differences = statements.filter((statement) => statement.status === 'difference');

	const facts = [
		`Buchungsstapel ${input.fileName}`,
		`${settings.chart}, ${lineCount} Buchungen`,
		`${statements.length} TikTok-Abrechnungen, ${payments.length} Auszahlungen`,
	];
	const verdict =
		differences.length === 0
			? element('p', 'margin:0 0 14px 0;color:#1a7f37;font-weight:600', `Alle ${statements.length} Abrechnungen stimmen centgenau mit TikTok überein.`)
			: element(
					'p',
					'margin:0 0 14px 0;color:#b35900;font-weight:600',
					`${differences.length} von ${statements.length} Abrechnungen weichen ab; die Differenzen stehen auf dem Klärungskonto.`,
				);

	const accountTable = table(
		[{ label: 'Konto' }, { label: 'Funktion' }, { label: 'Soll', numeric: true }, { label: 'Haben', numeric: true }, { label: 'Saldo', numeric: true }],
		accounts.map((total) => [
			total.account,
			total.role,
			money(total.debitMinor, total.currency),
			money(total.creditMinor, total.currency),
			money(total.netMinor, total.currency),
		]),
	);
	const statementTable = table(
		[
			{ label: 'Datum' },
			{ label: 'Abrechnung (Statement-ID)' },
			{ label: 'TikTok', numeric: true },
			{ label: 'gebucht', numeric: true },
			{ label: 'Differenz', numeric: true },
			{ label: 'Status' },
		],
		statements.map((statement) => [
			germanDate(statement.date),
			statement.statementId,
			money(statement.tiktokSettlementMinor, statement.currency),
			money(statement.bookedMinor, statement.currency),
			money(statement.differenceMinor, statement.currency),
			statement.status === 'difference' ? element('strong', 'color:#b35900', STATUS_LABELS.difference) : STATUS_LABELS[statement.status],
		]),
	);
	const listed = input.warnings.slice(0, MAX_LISTED_WARNINGS);
	const more = input.warnings.length - listed.length;
	const warnings =
		input.warnings.length === 0
			? element('p', 'margin:0', 'Keine.')
			: element(
					'ul',
					'margin:0;padding-left:20px',
					listed.map((warning) => element('li', 'margin:2px 0', warning)),
					more > 0 ? element('li', 'margin:2px 0', `… und ${more} weitere (siehe Feld „warnings“ in n8n)`) : '',
				);

	const body = element(
		'div',
		'font-family:Arial,Helvetica,sans-serif;color:#222;line-height:1.4',
		element('h2', 'font-size:18px;margin:0 0 6px 0', `TikTok Shop: Monatsübersicht ${monthTitle(input.month)}`),
		element('p', 'margin:0 0 6px 0;color:#555', facts.join(' · ')),
		verdict,
		element('h3', HEADING, 'Konten'),
		accountTable,
		element('h3', HEADING, 'Abrechnungen'),
		statements.length > 0 ? statementTable : element('p', 'margin:0', 'Keine TikTok-Abrechnungen in diesem Monat.'),
		element('h3', HEADING, 'Hinweise'),
		warnings,
	);
	const html = body.markup;
	const title = element('title', '', `TikTok Shop: Monatsübersicht ${monthTitle(input.month)}`).markup;
	const document = `<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8">${title}</head><body style="margin:24px">${html}</body></html>\n`;
	return { html, document, accounts };
}
