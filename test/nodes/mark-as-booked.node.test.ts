/**
 * Mark as Booked against the way n8n's deduplication store behaves under concurrency (n8n 2.41.1,
 * deduplication-helper.js): a whole-list read-modify-write without a lock, and a unique key on the first insert.
 */
import { describe, expect, it } from '@jest/globals';
import { sleep, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { MarkAsBooked } from '../../nodes/MarkAsBooked/MarkAsBooked.node';
import { CredentialStore, fakeContext } from '../support/n8n-context';
import { loopbackSend } from '../support/http-send';

const KEYS = ['statement:7202000000000000001', 'statement:7202000000000000001#0123456789abcdef', 'payment:3450000000000000001'];
const mapOutput: INodeExecutionData[] = [{ json: { kind: 'datevFile', delivery: { keys: KEYS, records: [] } } }];

function context(processed: Set<string>) {
	return fakeContext({
		store: new CredentialStore({}),
		send: loopbackSend(),
		parameters: { mapNodeName: 'Map to SKR Bookings' },
		processed,
		nodeOutputs: { 'Map to SKR Bookings': mapOutput },
	});
}

describe('Mark as Booked with a concurrent execution of the same workflow', () => {
	it('puts back its keys when another execution writes back a list it read before ours', async () => {
		const processed = new Set<string>();
		const ctx = context(processed);
		const record = ctx.helpers.checkProcessedAndRecord;
		let calls = 0;
		ctx.helpers.checkProcessedAndRecord = async (...args: Parameters<typeof record>) => {
			const before = new Set(processed);
			const result = await record(...args);
			// Another execution's Map to SKR Bookings read the list before our first write and writes it back 300 ms later.
			if (++calls === 1) {
				void sleep(300).then(() => {
					processed.clear();
					for (const key of before) processed.add(key);
				});
			}
			return result;
		};
		const [output] = await new MarkAsBooked().execute.call(ctx as unknown as IExecuteFunctions);
		expect(output[0].json).toMatchObject({ marked: { statements: 1, payouts: 1 }, recordedKeys: 3 });
		// Until the other execution's write has landed, whenever that is.
		await sleep(400);
		expect([...processed].sort()).toEqual([...KEYS].sort());
	});

	it('retries once when a concurrent execution created the workflow\'s list first (unique key)', async () => {
		const processed = new Set<string>();
		const ctx = context(processed);
		const record = ctx.helpers.checkProcessedAndRecord;
		let failed = false;
		ctx.helpers.checkProcessedAndRecord = async (...args: Parameters<typeof record>) => {
			if (!failed) {
				failed = true;
				throw new Error('SQLITE_CONSTRAINT: UNIQUE constraint failed: processed_data.workflowId, processed_data.context');
			}
			return record(...args);
		};
		await new MarkAsBooked().execute.call(ctx as unknown as IExecuteFunctions);
		expect([...processed].sort()).toEqual([...KEYS].sort());
	});

	it('fails with the store\'s error for anything else', async () => {
		const ctx = context(new Set());
		ctx.helpers.checkProcessedAndRecord = async () => {
			throw new Error('SQLITE_BUSY: database is locked');
		};
		await expect(new MarkAsBooked().execute.call(ctx as unknown as IExecuteFunctions)).rejects.toThrow(/database is locked/);
	});
});
