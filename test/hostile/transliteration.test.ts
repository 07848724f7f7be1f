/**
 * Issue #18 case 5: Buchungstext is made Windows-1252 first and cut to 60 characters after that, so a text that
 * grows in transliteration never aborts the export; characters Windows-1252 cannot show become "?" with a warning,
 * and the number of adjusted fields reaches the output.
 */
import { describe, expect, it } from '@jest/globals';

import { bookItems, normaliseText } from '../../lib/booking';
import { readBookingLines, readBuchungsstapel } from '../../lib/datev/reader';
import { runMapping } from '../../lib/mapping/run';
import { adjustmentTx, orderTx, statementItem } from '../booking/fixtures';
import { DATEV_SETTINGS, NOW } from './helpers';

const sale = orderTx({ revenue_amount: '10.00', settlement_amount: '10.00' });

function map(items: unknown[], booking: Record<string, unknown> = {}) {
	return runMapping({
		items,
		booking,
		datev: DATEV_SETTINGS,
		skipBookedBefore: true,
		continueOnFail: false,
		now: NOW,
	});
}

describe('Buchungstext', () => {
	it('40 × "ﬀ" (80 characters once transliterated) is cut to 60 after transliteration and the export succeeds', () => {
		const result = map([statementItem([adjustmentTx('ﬀ'.repeat(40), '-1.00'), sale])], { templates: { text: '{label}' } });
		const line = result.lines.find((candidate) => candidate.source.component === 'adjustment_amount');
		expect(line?.text).toBe('f'.repeat(60));
		expect(result.files).toHaveLength(1);
		const read = readBookingLines(readBuchungsstapel(result.files[0].bytes, { strict: true }));
		expect(read.map((row) => row.text)).toEqual(result.lines.map((booked) => booked.text));
		expect(result.adjustedTextFields).toBe(1);
	});

	it('emoji and CJK become "?" with a warning per statement, and the count of adjusted fields is in the result', () => {
		const result = map([statementItem([adjustmentTx('🎁 礼物 Bonus', '2.00'), sale])], { templates: { text: '{label} {reference}' } });
		const line = result.lines.find((candidate) => candidate.source.component === 'adjustment_amount');
		expect(line?.text).toBe('? ?? Bonus 7012345678901234567');
		expect(result.adjustedTextFields).toBe(1);
		expect(result.statements[0].warnings).toEqual(
			expect.arrayContaining([expect.stringContaining('statement 7238804564097517339: Buchungstext contains characters Windows-1252 cannot show')]),
		);
		expect(result.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^1 text field was adjusted for DATEV/)]));
		expect(result.files).toHaveLength(1);
	});

	it('plain German text is not counted as adjusted', () => {
		const result = map([statementItem([sale])], { templates: { text: 'Umsatz für Größe {orderId}' } });
		expect(result.lines[0].text).toBe('Umsatz für Größe 576463220456522968');
		expect(result.adjustedTextFields).toBe(0);
		expect(result.warnings).toEqual([]);
	});

	it('the engine\'s text is what the writer writes: no second adjustment in the file', () => {
		const booked = bookItems([statementItem([adjustmentTx('Ａｂｃ ﬁ 😀', '-1.00'), sale])], { templates: { text: '{label}' } });
		expect(booked.lines.map((line) => line.text)).toContain('Abc fi ?');
		expect(booked.adjustedTextFields).toBe(1);
	});
});

describe('normaliseText', () => {
	it('transliterates before cutting', () => {
		expect(normaliseText('ﬀ'.repeat(40), 60)).toBe('f'.repeat(60));
	});
});
