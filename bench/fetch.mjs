// Bench 2: fetching a month from the sandbox over loopback, as the example workflow's two TikTok Payments nodes do
// (statements of last month with all their transactions, compact as node version 2 outputs them, then last month's
// PAID payouts), through the real client: signing, token manager, the adaptive rate limit (maximum 50 per second,
// the node's default), paging by 100, schema validation. The sandbox runs in a process of its own
// (bench/sandbox-child.mjs), answers after `latencyMs` and enforces a hidden limit of `rps` requests per second per
// app × shop with HTTP 429 + Retry-After; one run per limit.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { lastMonth } from './fixtures.mjs';
import { benchDir, load, log, printTable, round } from './report.mjs';
import { LAST_MONTH, sandboxClient, sleep, startSandbox, STATEMENTS_OF_LAST_MONTH } from './sandbox-client.mjs';
import {
	instantFilter,
	loopbackSend,
	RateLimiter,
	resolvePeriod,
	runOperation,
	TokenManager,
} from './ts-modules.mjs';

const PAGE_SIZE = 100;
const MEMORY_CHILD = join(benchDir, 'fetch-memory-child.mjs');

async function fetchMonth({ sandbox, rps, clientMax, tokenManager, send, now }) {
	await sandbox.command(`limit ${rps}`);
	const rateLimiter = new RateLimiter({ now, sleep });
	const client = sandboxClient({ sandbox, send, tokenManager, now, rateLimiter, requestsPerSecond: clientMax });
	const period = LAST_MONTH;
	const loadBefore = load();
	let requestsSoFar = 0;
	const progress = setInterval(async () => {
		requestsSoFar = (await sandbox.command('stats')).requests;
		log(`fetch at ${rps}/s: ${requestsSoFar} requests so far, client at ${round(rateLimiter.rate(sandbox.shopCipher), 1)}/s`);
	}, 30_000);
	const sandboxCpuBefore = (await sandbox.command('stats')).cpuSeconds;
	const cpuBefore = process.cpuUsage();
	const began = performance.now();
	let payments = 0;
	const perStatement = [];
	try {
		for await (const item of runOperation(client, STATEMENTS_OF_LAST_MONTH, now())) perStatement.push(item.transactions.length);
		for await (const item of runOperation(client, { resource: 'payment', operation: 'getMany', period, options: { payoutStatus: 'PAID' } }, now())) {
			if (item.status === 'PAID') payments += 1;
		}
	} finally {
		clearInterval(progress);
	}
	const wallMs = performance.now() - began;
	const cpu = process.cpuUsage(cpuBefore);
	const stats = await sandbox.command('stats');

	// Payouts are filtered by paid date and status after fetching: every payout created from 14 days before the
	// month to its end is paged through.
	const window = instantFilter(resolvePeriod(period, now()));
	const lookBack = 14 * 86_400;
	const paymentsInWindow = sandbox.paymentCreateTimes.filter((time) => time >= window.ge - lookBack && time < window.lt).length;
	const pages = (count) => Math.max(1, Math.ceil(count / PAGE_SIZE));
	const minimum = {
		statementPages: pages(perStatement.length),
		transactionPages: perStatement.reduce((sum, count) => sum + pages(count), 0),
		paymentPages: pages(paymentsInWindow),
	};
	const minimumRequests = minimum.statementPages + minimum.transactionPages + minimum.paymentPages;
	const boundMs = (minimumRequests / rps) * 1000;
	const result = {
		sandboxRps: rps,
		clientMax,
		statements: perStatement.length,
		transactions: perStatement.reduce((sum, count) => sum + count, 0),
		paidPayments: payments,
		paymentsInWindow,
		minimum,
		minimumRequests,
		requests: stats.requests,
		requestsRatio: round(stats.requests / minimumRequests, 3),
		rateLimited429: stats.rateLimited,
		rateLimitedShare: round(stats.rateLimited / stats.requests, 4),
		repeatedPages: Object.values(stats.pageFetches).filter((count) => count > 1).length,
		clientRateAtEnd: round(rateLimiter.rate(sandbox.shopCipher), 1),
		wallSeconds: round(wallMs / 1000, 1),
		boundSeconds: round(boundMs / 1000, 1),
		wallRatio: round(wallMs / boundMs, 3),
		// CPU time of the client (this process) and of the sandbox process during the fetch.
		clientCpuSeconds: round((cpu.user + cpu.system) / 1e6, 1),
		sandboxCpuSeconds: round(stats.cpuSeconds - sandboxCpuBefore, 1),
		loadBefore,
		loadAfter: load(),
	};
	printFetch(result);
	return result;
}

export async function benchFetch({ orders, latencyMs = 50, rpsList = [5, 20, 50], clientMax = 50, memoryOrders, memoryRounds = 3 }) {
	const month = lastMonth();
	const runs = [];
	if (rpsList.length > 0) {
		log(`fetch: generating ${orders} orders for ${month} in the sandbox process`);
		const sandbox = await startSandbox({ month, orders, latencyMs });
		const send = loopbackSend();
		const now = () => Date.now();
		try {
			const tokenManager = new TokenManager({ appKey: sandbox.appKey, appSecret: sandbox.appSecret, send, authBaseUrl: sandbox.url, now });
			await tokenManager.exchangeAuthCode(sandbox.authCode);
			for (const rps of rpsList) {
				log(`fetch: ${orders} orders against a hidden limit of ${rps}/s`);
				runs.push(await fetchMonth({ sandbox, rps, clientMax, tokenManager, send, now }));
			}
		} finally {
			await sandbox.stop();
		}
	}
	const memory = memoryOrders ? fetchMemory({ month, orders: memoryOrders, rounds: memoryRounds }) : undefined;
	return { month, orders, latencyMs, clientMax, tokenRequests: 1, runs, memory };
}

/** The memory rounds (bench/fetch-memory-child.mjs), each in a fresh process. */
function fetchMemory({ month, orders, rounds }) {
	const results = [];
	for (let round = 1; round <= rounds; round++) {
		log(`fetch: memory round ${round} of ${rounds}, ${orders} orders, items kept`);
		const child = spawnSync(process.execPath, ['--import', 'tsx', MEMORY_CHILD, '--month', month, '--orders', String(orders)], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		if (child.status !== 0) throw new Error(`the memory round ended with ${child.status ?? child.signal}`);
		results.push({ ...JSON.parse(child.stdout.trim().split('\n').pop()), load: load() });
	}
	printTable(
		`Bench 2 — memory of the statement fetch (${orders} orders, Booking Input (Compact), items kept, one process per round; MB)`,
		['round', 'statements / transactions', 'wall s', 'CPU s', 'RSS before → peak', 'V8 heap before → peak', 'young generation before → after'],
		results.map((run, index) => [
			index + 1,
			`${run.statements} / ${run.transactions}`,
			run.wallSeconds,
			run.cpuSeconds,
			`${run.rssBeforeMb} → ${run.peakRssMb}`,
			`${run.heapBeforeMb} → ${run.peakHeapMb}`,
			`${run.youngGenerationBeforeMb} → ${run.youngGenerationMb}`,
		]),
	);
	return { orders, rounds: results };
}

export function printFetch(result) {
	printTable(
		`Bench 2 — fetch one month over loopback (hidden limit ${result.sandboxRps} req/s per shop, client maximum ${result.clientMax} req/s)`,
		['measure', 'value', 'bound', 'ratio'],
		[
			['statements / transactions / PAID payouts', `${result.statements} / ${result.transactions} / ${result.paidPayments}`, '', ''],
			['requests (minimum: pages of 100)', result.requests, result.minimumRequests, result.requestsRatio],
			['wall time s (bound: minimum / limit)', result.wallSeconds, result.boundSeconds, result.wallRatio],
			['HTTP 429 received (share of requests)', `${result.rateLimited429} (${round(result.rateLimitedShare * 100, 2)} %)`, '< 2 %', ''],
			['pages fetched more than once', result.repeatedPages, 0, ''],
			['client rate at the end (req/s)', result.clientRateAtEnd, result.sandboxRps, ''],
			['CPU s: client / sandbox', `${result.clientCpuSeconds} / ${result.sandboxCpuSeconds}`, '', ''],
			['load (1 min) before → after', `${result.loadBefore[0]} → ${result.loadAfter[0]}`, '', ''],
		],
	);
}
