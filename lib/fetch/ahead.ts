/**
 * Maps an async iterable with up to `width` calls of `map` running at once and yields the results in the source's
 * order. Used to fetch several statements' transactions at a time: one statement's pages must come one after the
 * other (cursor paging), so only several statements together keep enough requests in flight to use the rate TikTok
 * allows; the client's rate limiter still decides when each request goes.
 *
 * The source is read only as far as results are wanted plus `width` ahead, so a Limit still stops paging early.
 * When the consumer stops early or a call fails, the calls already started are waited for (their failures are
 * handled here, never left unhandled) and their results dropped, before the generator ends.
 */
export async function* mapAhead<T, R>(
	source: AsyncIterable<T>,
	map: (value: T) => Promise<R>,
	width: number,
): AsyncGenerator<R> {
	if (!Number.isInteger(width) || width < 1) throw new RangeError(`width must be a positive whole number, got ${width}`);
	const iterator = source[Symbol.asyncIterator]();
	const running: Array<Promise<R>> = [];
	let exhausted = false;
	const fill = async (): Promise<void> => {
		while (!exhausted && running.length < width) {
			const next = await iterator.next();
			if (next.done) {
				exhausted = true;
				return;
			}
			const call = map(next.value);
			// Handled now, awaited in order later: a failure behind a slow call must not become an unhandled rejection.
			call.catch(() => undefined);
			running.push(call);
		}
	};
	try {
		await fill();
		while (running.length > 0) {
			const result = await (running.shift() as Promise<R>);
			await fill();
			yield result;
		}
	} finally {
		// Nothing keeps running behind the caller's back (e.g. an n8n node that already returned).
		await Promise.allSettled(running);
		if (!exhausted) await iterator.return?.();
	}
}
