'use strict';
// A discrete-event fake clock for tests with CONCURRENT sleepers (client helper). `sleep(ms)` costs no wall time:
// sleepers wake in order of their target time and the clock jumps to exactly that target. Waking happens from
// setImmediate, i.e. after all pending promise continuations (and I/O callbacks) ran, so a task that was already
// runnable gets to reserve its own sleep before time moves on. Lives in a .js file because the .ts lint forbids
// timer globals.

/**
 * @param {number} startMs
 * @returns {{ now: () => number, sleep: (ms: number) => Promise<void>, sleeps: number[] }}
 */
function virtualClock(startMs) {
	let current = startMs;
	/** @type {{ target: number, seq: number, resolve: () => void }[]} */
	const pending = [];
	/** @type {number[]} */
	const sleeps = [];
	let seq = 0;
	let scheduled = false;

	function wakeNext() {
		scheduled = false;
		if (pending.length === 0) return;
		pending.sort((a, b) => a.target - b.target || a.seq - b.seq);
		const next = pending.shift();
		current = Math.max(current, next.target);
		next.resolve();
		schedule();
	}

	function schedule() {
		if (scheduled || pending.length === 0) return;
		scheduled = true;
		setImmediate(wakeNext);
	}

	return {
		now: () => current,
		sleep: (ms) =>
			new Promise((resolve) => {
				sleeps.push(ms);
				pending.push({ target: current + Math.max(0, ms), seq: seq++, resolve });
				schedule();
			}),
		sleeps,
	};
}

module.exports = { virtualClock };
