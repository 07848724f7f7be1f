// What bench 2's rate runs and its memory rounds share: the sandbox in a process of its own
// (bench/sandbox-child.mjs), the TikTok client as TikTok Payments builds it (signing, tokens, the adaptive rate
// limit) pointed at it, and the statement fetch of the example workflow.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { benchDir } from './report.mjs';
import { createSigningAuth, TikTokClient } from './ts-modules.mjs';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** "Last month" as the example workflow's TikTok Payments nodes select it. */
export const LAST_MONTH = { preset: 'lastMonth', timeZone: 'Europe/Berlin' };

/** The example's statement fetch: last month's statements with all transactions, Booking Input (Compact). */
export const STATEMENTS_OF_LAST_MONTH = { resource: 'statement', operation: 'getMany', period: LAST_MONTH, includeTransactions: true, output: 'compact', options: {} };

/** The sandbox process and a way to send it one command and read its one-line answer. */
export async function startSandbox({ month, orders, latencyMs }) {
	const child = spawn(
		process.execPath,
		['--import', 'tsx', join(benchDir, 'sandbox-child.mjs'), '--month', month, '--orders', String(orders), '--latency-ms', String(latencyMs)],
		{ stdio: ['pipe', 'pipe', 'inherit'] },
	);
	const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
	const next = async () => {
		const line = await lines.next();
		if (line.done) throw new Error('the sandbox process ended');
		return JSON.parse(line.value);
	};
	const ready = await next();
	return {
		...ready,
		command: async (text) => {
			child.stdin.write(`${text}\n`);
			return next();
		},
		stop: async () => {
			child.stdin.write('exit\n');
			await new Promise((resolve) => child.once('exit', resolve));
		},
	};
}

export function sandboxClient({ sandbox, send, tokenManager, now, rateLimiter, requestsPerSecond }) {
	return new TikTokClient({
		appKey: sandbox.appKey,
		send,
		auth: createSigningAuth({ appKey: sandbox.appKey, appSecret: sandbox.appSecret, tokenManager, now }),
		now,
		sleep,
		baseUrl: sandbox.url,
		shopCipher: sandbox.shopCipher,
		requestsPerSecond,
		rateLimiter,
	});
}
