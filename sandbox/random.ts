/*
 * Deterministic randomness for the data generator. Every random decision derives from the dataset seed plus the
 * coordinates of the thing being decided (day, order index, purpose), so any single order, refund or reserve can be
 * regenerated on its own without replaying everything before it. That is what keeps 100k orders a month cheap.
 */

// Hot paths: bind the Math functions once. Inside jest's vm context every global lookup goes through the
// context's interceptors, which made imul calls the dominant cost of generating 100k orders.
const { imul, floor } = Math;

/** Mixes integers into one 32-bit value (murmur3 finaliser applied after each part). */
export function hash32(...parts: number[]): number {
	let h = 0x9e3779b9;
	for (const part of parts) {
		h = mix(h, part >>> 0);
		// Values beyond 32 bits (large seeds) contribute their high bits too.
		const high = floor(part / 0x100000000) >>> 0;
		if (high !== 0) h = mix(h, high);
	}
	return h >>> 0;
}

function mix(h: number, word: number): number {
	let x = imul(h ^ word, 0x85ebca6b);
	x ^= x >>> 13;
	x = imul(x, 0xc2b2ae35);
	return x ^ (x >>> 16);
}

/** mulberry32: a tiny, fast 32-bit PRNG; plenty for test data, and identical on every JS engine. */
export function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = imul(t ^ (t >>> 15), t | 1);
		t ^= t + imul(t ^ (t >>> 7), t | 61);
		return (t ^ (t >>> 14)) >>> 0;
	};
}

export class Rng {
	private readonly next: () => number;

	constructor(seed: number) {
		this.next = mulberry32(seed);
	}

	uint32(): number {
		return this.next();
	}

	/** Integer in [min, max], both inclusive. */
	int(min: number, max: number): number {
		return min + (this.next() % (max - min + 1));
	}

	/** True with probability `p`. */
	chance(p: number): boolean {
		return this.next() / 0x100000000 < p;
	}

	pick<T>(items: readonly T[]): T {
		return items[this.next() % items.length];
	}

	/** `count` decimal digits, for ids. */
	digits(count: number): string {
		let text = '';
		// Nine digits per draw: 10^9 < 2^32, and the slight bias does not matter for ids.
		while (text.length < count) text += `${this.next() % 1_000_000_000}`.padStart(9, '0');
		return text.slice(0, count);
	}
}

/** `count` decimal digits derived from a hash, for ids that must be recomputable from their coordinates. */
export function hashDigits(count: number, ...parts: number[]): string {
	return new Rng(hash32(...parts)).digits(count);
}
