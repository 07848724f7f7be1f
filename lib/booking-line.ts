/**
 * The contract between the booking engine (lib/booking) and the DATEV writer (lib/datev), and the shape of the
 * booking items the Map to SKR Bookings node outputs. Field names are English; the comments give DATEV's names.
 */

export type DebitCredit = 'S' | 'H';

/** Where a booking line comes from, so that a bookkeeper can trace it back to TikTok. */
export interface BookingSource {
	/** 'transaction' lines come from a statement's transactions, 'statement' lines from the statement itself. */
	kind: 'transaction' | 'statement' | 'payment';
	statementId?: string;
	transactionId?: string;
	transactionType?: string;
	orderId?: string;
	paymentId?: string;
	/** Which TikTok amount the line books, e.g. 'revenue_amount', 'fee:platform_commission_amount', 'difference'. */
	component: string;
}

export interface BookingLine {
	/** Umsatz: always > 0, in minor units of `currency`. */
	amountMinor: number;
	/** ISO 4217 code; WKZ Umsatz. */
	currency: string;
	/** Soll/Haben-Kennzeichen, relative to `account`. */
	side: DebitCredit;
	/** Konto. */
	account: string;
	/** Gegenkonto (ohne BU-Schlüssel). */
	contraAccount: string;
	/** BU-Schlüssel, '' for none. */
	taxKey: string;
	/** Belegdatum as an ISO calendar date (YYYY-MM-DD) in the configured time zone. */
	date: string;
	/** Belegfeld 1 (≤ 36, DATEV character set). */
	documentField1: string;
	/** Belegfeld 2 (≤ 12). */
	documentField2: string;
	/** Buchungstext (≤ 60). */
	text: string;
	/** Auftragsnummer (column 95). */
	orderNumber: string;
	/** Abrechnungsreferenz (column 121). */
	settlementReference: string;
	/**
	 * EU-Land u. UStID (Bestimmung), column 40: the destination country of an OSS sale in DATEV's spelling (EL for
	 * Greece). Only on revenue lines of the revenue-account mode.
	 */
	euCountry?: string;
	/** EU-Steuersatz (Bestimmung), column 41: the destination country's VAT rate in hundredths of a percent (2000 = 20,00 %). */
	euTaxRate?: number;
	/** Leistungsdatum, column 115, YYYY-MM-DD. Always together with `taxPeriodDate` (DATEV rejects one without the other). */
	serviceDate?: string;
	/** Datum Zuord. Steuerperiode, column 116, YYYY-MM-DD. */
	taxPeriodDate?: string;
	/**
	 * Generalumkehr, column 118: the line reverses (Storno) an earlier booking with the same accounts and key, so
	 * DATEV books it negative on the same side instead of as a new opposite booking. Only on correction lines.
	 */
	generalReversal?: boolean;
	source: BookingSource;
}
