import { describe, expect, it } from '@jest/globals';
import { mapAhead } from '../../lib/fetch/ahead';
import { take } from '../../lib/fetch/records';

/** A source that counts how far it was read. */
function counted(values: number[]) {
	const state = { read: 0 };
	async function* source() {
		for (const value of values) {
			state.read += 1;
			yield value;
		}
	}
	return { state, source: source() };
}

/** A call that resolves when the test says so. */
function controlled() {
	const pending = new Map<number, { resolve: (value: string) => void; reject: (error: Error) => void }>();
	const running = { now: 0, most: 0 };
	const map = (value: number) =>
		new Promise<string>((resolve, reject) => {
			running.now += 1;
			running.most = Math.max(running.most, running.now);
			const done = () => (running.now -= 1);
			pending.set(value, {
				resolve: (result) => {
					done();
					resolve(result);
				},
				reject: (error) => {
					done();
					reject(error);
				},
			});
		});
	return { pending, running, map };
}

/** Lets pending promise continuations run. */
const tick = async () => {
	for (let i = 0; i < 20; i++) await Promise.resolve();
};

describe('mapAhead', () => {
	it('runs up to `width` calls at once and yields in source order, whatever order they finish in', async () => {
		const { source } = counted([1, 2, 3, 4, 5]);
		const { pending, running, map } = controlled();
		const results: string[] = [];
		const consumer = (async () => {
			for await (const result of mapAhead(source, map, 3)) results.push(result);
		})();
		await tick();
		expect([...pending.keys()]).toEqual([1, 2, 3]);
		pending.get(3)?.resolve('c');
		pending.get(2)?.resolve('b');
		await tick();
		expect(results).toEqual([]);
		pending.get(1)?.resolve('a');
		await tick();
		await tick();
		pending.get(4)?.resolve('d');
		pending.get(5)?.resolve('e');
		await consumer;
		expect(results).toEqual(['a', 'b', 'c', 'd', 'e']);
		expect(running.most).toBe(3);
	});

	it('reads the source only as far as needed, so a limit stops paging early', async () => {
		const { state, source } = counted([1, 2, 3, 4, 5, 6, 7, 8]);
		const results: number[] = [];
		for await (const result of mapAhead(take(source, 2), async (value) => value * 10, 4)) results.push(result);
		expect(results).toEqual([10, 20]);
		expect(state.read).toBe(2);
	});

	it('reports a failure in order, after the results before it and once the calls already started have ended', async () => {
		const { source } = counted([1, 2, 3]);
		const settled: string[] = [];
		const map = async (value: number) => {
			await tick();
			// Call 3 takes longer than the failing call 2.
			if (value === 3) for (let i = 0; i < 5; i++) await tick();
			settled.push(`call ${value}`);
			if (value >= 2) throw new Error(`call ${value} failed`);
			return value;
		};
		const results: number[] = [];
		await expect(
			(async () => {
				for await (const result of mapAhead(source, map, 3)) results.push(result);
			})(),
		).rejects.toThrow('call 2 failed');
		expect(results).toEqual([1]);
		// Call 3 was already running: it ended before the failure was reported, and its own failure was handled there.
		expect(settled).toEqual(['call 1', 'call 2', 'call 3']);
	});
});
