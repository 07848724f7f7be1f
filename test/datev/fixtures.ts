/** Booking lines and settings for the DATEV tests. */
import type { BookingLine } from '../../lib/booking-line';
import { decodeCp1252 } from '../../lib/datev/cp1252';
import type { BuchungsstapelSettingsInput } from '../../lib/datev/writer';

/** 2 July 2025 09:30:00.123 in Berlin (UTC+2) — the reference's example stamp 20250702093000123. */
export const CREATED_AT = Date.UTC(2025, 6, 2, 7, 30, 0, 123);

export function booking(overrides: Partial<BookingLine> = {}): BookingLine {
	return {
		amountMinor: 11900,
		currency: 'EUR',
		side: 'S',
		account: '1270',
		contraAccount: '10000',
		taxKey: '',
		date: '2025-06-03',
		documentField1: 'RE2025-000123',
		documentField2: '',
		text: 'Zahlung TikTok Bestellung',
		orderNumber: '576461413038785752',
		settlementReference: 'ST7401234567890',
		source: {
			kind: 'transaction',
			statementId: 'ST7401234567890',
			transactionId: 'TX99',
			orderId: '576461413038785752',
			component: 'revenue_amount',
		},
		...overrides,
	};
}

/** The six example rows of the reference (§1.5), SKR03. */
export function referenceExample(): BookingLine[] {
	return [
		booking({ amountMinor: 11900, account: '10000', contraAccount: '8400', text: 'Bestellung 576461413038785752', settlementReference: '' }),
		booking({ amountMinor: 11900, account: '1270', contraAccount: '10000', text: 'Zahlung TikTok Bestellung' }),
		booking({ amountMinor: 1071, account: '4970', contraAccount: '1270', taxKey: '506', documentField1: 'ST7401234567890', text: 'TikTok Gebühr Provision', orderNumber: '' }),
		booking({ amountMinor: 2000, account: '1590', contraAccount: '1270', documentField1: 'ST7401234567890', text: 'TikTok Einbehalt Reserve', orderNumber: '' }),
		booking({ amountMinor: 2000, account: '1270', contraAccount: '1590', date: '2025-06-10', documentField1: 'ST7401234567890', text: 'TikTok Freigabe Reserve', orderNumber: '' }),
		booking({ amountMinor: 10829, account: '1366', contraAccount: '1270', date: '2025-06-10', documentField1: 'PO7401234567', text: 'TikTok Auszahlung', orderNumber: '', source: { kind: 'payment', paymentId: 'PO7401234567', component: 'payout' } }),
	];
}

export function juneSettings(overrides: Partial<BuchungsstapelSettingsInput> = {}): BuchungsstapelSettingsInput {
	return {
		consultantNumber: 29098,
		clientNumber: 55003,
		chartOfAccounts: '03',
		fiscalYearStart: '2025-01-01',
		periodFrom: '2025-06-01',
		periodTo: '2025-06-30',
		description: 'TikTok Shop 06/2025',
		createdAt: CREATED_AT,
		shopName: 'TikTok',
		...overrides,
	};
}

/** Splits a Windows-1252 file into its lines (without the CR LF), checking that every line ends with CR LF. */
export function splitCrlfLines(bytes: Uint8Array): string[] {
	const lines: string[] = [];
	let start = 0;
	for (let i = 0; i < bytes.length; i++) {
		if (bytes[i] === 0x0a) {
			if (i === 0 || bytes[i - 1] !== 0x0d) {
				throw new Error(`bare LF at byte ${i}`);
			}
			lines.push(decodeCp1252(bytes.subarray(start, i - 1), { fatal: true }));
			start = i + 1;
		} else if (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a) {
			throw new Error(`bare CR at byte ${i}`);
		}
	}
	if (start !== bytes.length) {
		throw new Error('last line does not end with CR LF');
	}
	return lines;
}
