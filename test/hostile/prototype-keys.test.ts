/**
 * Issue #18 case 2: fee names and transaction types come from TikTok and are looked up in the user's mappings.
 * Names that equal built-in object keys must behave like any other unknown name.
 */
import { describe, expect, it } from '@jest/globals';

import { bookItems } from '../../lib/booking';
import { adjustmentTx, statementItem } from '../booking/fixtures';

const PROTOTYPE_KEYS = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', '__defineGetter__'];

/** A transaction whose fee breakdown is parsed from JSON, as n8n hands items over (own "__proto__" keys included). */
function feeTransaction(name: string) {
	return JSON.parse(
		`{"id":"1636700041413599290","type":"ORDER","order_id":"576463220456522968","settlement_amount":"-1.50",` +
			`"fee_tax_amount":"-1.50","fee_tax_breakdown":{"fee":{"${name}":"-1.00","platform_commission_amount":"-0.50"}}}`,
	) as Record<string, unknown>;
}

describe.each(PROTOTYPE_KEYS)('the name %j', (name) => {
	it('as a fee type in per-fee-type mode books on the fee account without a key, as an unknown fee field', () => {
		const result = bookItems([statementItem([feeTransaction(name)])], { feeLines: 'perFeeType' });
		const line = result.lines.find((candidate) => candidate.source.component === `fee:${name}`);
		expect(line).toMatchObject({ amountMinor: 100, account: '4970', contraAccount: '1270', taxKey: '' });
		expect(result.warnings).toEqual(expect.arrayContaining([expect.stringContaining(`fee field "${name}" is not known`)]));
		expect(result.lines.every((candidate) => typeof candidate.account === 'string' && /^\d+$/.test(candidate.account))).toBe(true);
		// Nothing was left unexplained: the breakdown covers the fee total.
		expect(result.lines.some((candidate) => candidate.source.component === 'fee:rest')).toBe(false);
		expect(result.statements[0].status).toBe('ok');
	});

	it('as a transaction type is booked on the clearing account with the unknown-type warning', () => {
		const result = bookItems([statementItem([adjustmentTx(name, '-2.00')])]);
		const line = result.lines.find((candidate) => candidate.source.component === 'adjustment_amount');
		expect(line).toMatchObject({ account: '1270', contraAccount: '1592', taxKey: '', amountMinor: 200 });
		expect(result.warnings).toEqual([expect.stringContaining(`unknown transaction type "${name}" is booked on the clearing account 1592`)]);
	});

	it('as a mapped transaction type uses its mapping, and only its own', () => {
		const adjustmentTypes = JSON.parse(`{"${name}":{"account":"advertising"}}`) as Record<string, { account: string }>;
		const result = bookItems([statementItem([adjustmentTx(name, '-2.00'), adjustmentTx('constructor2', '-1.00', { id: '1636700041413599778' })])], {
			adjustmentTypes,
		});
		const byType = new Map(result.lines.map((line) => [line.source.transactionType, line.contraAccount]));
		// zod drops a "__proto__" key from a settings object, so that type stays unmapped (clearing) like any other.
		expect(byType.get(name)).toBe(name === '__proto__' ? '1592' : '4600');
		expect(byType.get('constructor2')).toBe('1592');
	});
});
