/** Duplicate protection: what to skip, what to remember. */
import { describe, expect, it } from '@jest/globals';

import { bookingKey, bookItems, parseBookingInput, planBooking } from '../../lib/booking';
import { orderTx, paymentItem, statementItem } from './fixtures';

const sale = orderTx({ revenue_amount: '10.00', settlement_amount: '10.00' });
const input = () =>
	parseBookingInput([
		statementItem([sale], { id: 'S1' }),
		statementItem([sale], { id: 'S2' }),
		paymentItem({ id: 'P1' }),
		paymentItem({ id: 'P2', status: 'PROCESSING', paid_time: 0 }),
	]);

describe('planBooking', () => {
	it('books everything new and remembers the booked keys, not the unpaid payment', () => {
		const plan = planBooking(input(), []);
		expect(plan.input.statements.map((statement) => statement.id)).toEqual(['S1', 'S2']);
		expect(plan.input.payments.map((payment) => payment.id)).toEqual(['P1', 'P2']);
		expect(plan.skipped).toEqual([]);
		expect(plan.remember).toEqual(['statement:S1', 'statement:S2', 'payment:P1']);
	});

	it('skips what was booked before, saying why', () => {
		const plan = planBooking(input(), ['statement:S1', 'payment:P1', 'statement:OLD']);
		expect(plan.input.statements.map((statement) => statement.id)).toEqual(['S2']);
		expect(plan.input.payments.map((payment) => payment.id)).toEqual(['P2']);
		expect(plan.skipped.map((source) => [source.key, source.reason, source.item])).toEqual([
			['statement:S1', 'already booked', 0],
			['payment:P1', 'already booked', 2],
		]);
		expect(plan.skipped[0].message).toContain('use "rebook"');
		expect(plan.remember).toEqual(['statement:S1', 'payment:P1', 'statement:OLD', 'statement:S2']);
	});

	it('books again with rebook and moves the keys to the newest end', () => {
		const plan = planBooking(input(), ['statement:S1', 'statement:OLD']);
		const rebooked = planBooking(input(), ['statement:S1', 'statement:OLD'], { rebook: true });
		expect(plan.input.statements).toHaveLength(1);
		expect(rebooked.input.statements).toHaveLength(2);
		expect(rebooked.skipped).toEqual([]);
		expect(rebooked.remember).toEqual(['statement:OLD', 'statement:S1', 'statement:S2', 'payment:P1']);
	});

	it('skips a statement repeated in the same input', () => {
		const twice = parseBookingInput([statementItem([sale], { id: 'S1' }), statementItem([sale], { id: 'S1' })]);
		const plan = planBooking(twice, [], { rebook: true });
		expect(plan.input.statements).toHaveLength(1);
		expect(plan.skipped).toEqual([expect.objectContaining({ key: bookingKey('statement', 'S1'), reason: 'duplicate in input', item: 1 })]);
	});

	it('keeps the remembered list bounded, dropping the oldest keys', () => {
		const old = Array.from({ length: 10 }, (_, index) => `statement:old${index}`);
		const plan = planBooking(input(), old, { limit: 5 });
		expect(plan.remember).toEqual(['statement:old8', 'statement:old9', 'statement:S1', 'statement:S2', 'payment:P1']);
		expect(() => planBooking(input(), [], { limit: 0 })).toThrow('limit must be a positive integer');
	});
});

describe('the engine on its own', () => {
	it('books a statement repeated in the input once and reports the repeat', () => {
		const result = bookItems([statementItem([sale], { id: 'S1' }), statementItem([sale], { id: 'S1' })]);
		expect(result.lines).toHaveLength(1);
		expect(result.bookedKeys).toEqual(['statement:S1']);
		expect(result.warnings).toEqual([expect.stringContaining('appears more than once in the input')]);
	});
});
