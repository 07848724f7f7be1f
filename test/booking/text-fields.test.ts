/** Belegfeld, Buchungstext and date rules. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';

import { bookItems, instantDate, normaliseDocumentField, normaliseText, statementDate } from '../../lib/booking';
import { cleanFreeText, freeText, renderTemplate, unknownPlaceholders } from '../../lib/booking/text-fields';
import { orderTx, statementItem } from './fixtures';

describe('normaliseDocumentField (Belegfeld 1/2)', () => {
	it('keeps the set both DATEV\'s text and its importer allow: letters, digits and $ % - /', () => {
		expect(normaliseDocumentField('AZaz09$%-/', 36)).toBe('AZaz09$%-/');
		// `& * +` are in DATEV's text but not in its importer's regex: replaced like other separators.
		expect(normaliseDocumentField('A&B*C+D', 36)).toBe('A-B-C-D');
	});

	it('maps forbidden separators to "-", transliterates umlauts and drops everything else', () => {
		expect(normaliseDocumentField('RE 2025.0001_a,b;c:d', 36)).toBe('RE-2025-0001-a-b-c-d');
		expect(normaliseDocumentField('Größe-Café#1!"€', 36)).toBe('Groesse-Cafe1');
	});

	it('cuts at the maximum length', () => {
		expect(normaliseDocumentField('x'.repeat(40), 36)).toHaveLength(36);
	});
});

describe('normaliseText (Buchungstext)', () => {
	it('removes control characters and semicolons and collapses blanks', () => {
		expect(normaliseText(' a;\tb\r\n\u0000c  d ', 60)).toBe('a, b c d');
	});

	it('cuts at 60 characters after transliteration, so an emoji is one "?" and never half a surrogate pair', () => {
		const text = `${'a'.repeat(59)}😀😀`;
		const cut = normaliseText(text, 60);
		expect(cut).toBe(`${'a'.repeat(59)}?`);
	});

	it('takes Latin-1 text like "Gebühren" as it is, exactly as the general path would', () => {
		expect(freeText('TikTok Gebühren 5702009300', 60)).toEqual({ text: 'TikTok Gebühren 5702009300', adjusted: false, replaced: false });
		// What the fast path must leave to the general path: a no-break space, C1 controls, ';', a formula start.
		expect(freeText('a\u00a0b', 60).text).toBe('a b');
		expect(freeText('Gebühr\u0085x', 60).text).toBe('Gebühr x');
		expect(freeText('Gebühr;x', 60).text).toBe('Gebühr,x');
		expect(freeText('=Gebühr', 60)).toEqual({ text: "'=Gebühr", adjusted: true, replaced: false });
		// Printable ASCII, the Latin-1 letters and signs, and the characters that make text unplain.
		const character = fc.oneof(
			fc.integer({ min: 0x20, max: 0x7e }),
			fc.integer({ min: 0x9e, max: 0xff }),
			fc.constantFrom(0x09, 0x3b, 0x3d, 0x2d, 0x2b, 0x40, 0x20, 0x0301, 0x2013, 0x1f600),
		).map((code) => String.fromCodePoint(code));
		fc.assert(
			fc.property(fc.array(character, { maxLength: 70 }), fc.integer({ min: 1, max: 60 }), (characters, maxLength) => {
				const value = characters.join('');
				expect(freeText(value, maxLength)).toEqual(cleanFreeText(value, maxLength));
			}),
			{ numRuns: 3000 },
		);
	});
});

describe('templates', () => {
	it('renders known placeholders, empty when missing, and leaves unknown ones', () => {
		expect(renderTemplate('{orderId}|{paymentId}|{nope}', { orderId: '1' })).toBe('1||{nope}');
		expect(unknownPlaceholders('{orderId} {nope} {x} {nope}')).toEqual(['nope', 'x']);
	});

	it('applies custom templates, normalises and truncates the results on the lines', () => {
		const result = bookItems([statementItem([orderTx({ revenue_amount: '1.00', settlement_amount: '1.00' })])], {
			templates: {
				orderDocument: 'TT_{orderId}_{statementId}',
				text: '{label} {type} {statementId} {transactionId} {orderId} {date}',
				documentField2: '{date}',
			},
		});
		const [line] = result.lines;
		expect(line.documentField1).toBe('TT-576463220456522968-72388045640975');
		expect(line.documentField2).toBe('2025-06-30');
		// 'Umsatz ORDER ' (13) + statement id (19) + ' ' + transaction id (19) + ' ' = 53, so 7 digits of the order id fit
		expect(line.text).toBe('Umsatz ORDER 7238804564097517339 1636700041413599290 5764632');
		expect(result.warnings).toEqual([expect.stringContaining('is longer than 36 characters and was cut')]);
	});

	it('falls back to the statement id when a Belegfeld 1 template renders empty', () => {
		const result = bookItems([statementItem([orderTx({ revenue_amount: '1.00', settlement_amount: '1.00' })])], {
			templates: { orderDocument: '{paymentId}' },
		});
		expect(result.lines[0].documentField1).toBe('7238804564097517339');
	});
});

describe('Belegdatum', () => {
	it('books a statement on the day it covers', () => {
		// 2025-07-01T00:00Z covers 2025-06-30; so does a stamp at Berlin midnight (2025-06-30T22:00Z)
		expect(statementDate(1751328000, 'Europe/Berlin')).toBe('2025-06-30');
		expect(statementDate(1751320800, 'Europe/Berlin')).toBe('2025-06-30');
		expect(statementDate(1751328000, 'America/New_York')).toBe('2025-06-30');
		expect(statementDate(1751328000, 'Asia/Tokyo')).toBe('2025-06-30');
	});

	it('puts the statement of New Year\'s Eve into the old year', () => {
		expect(statementDate(1735689600, 'Europe/Berlin')).toBe('2024-12-31');
	});

	it('expresses an instant in the configured zone', () => {
		// 2025-07-02T22:30Z is 00:30 on 3 July in Berlin (CEST), still 2 July in UTC
		expect(instantDate(1751495400, 'Europe/Berlin')).toBe('2025-07-03');
		expect(instantDate(1751495400, 'UTC')).toBe('2025-07-02');
	});
});
