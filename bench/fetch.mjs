// Bench 2: fetching a month from the sandbox over loopback, as the example workflow's two TikTok Payments nodes do
// (statements of last month with all their transactions, then last month's PAID payouts), through the real client:
// signing, token manager, client-side rate limit (requestsPerSecond 5), paging by 100, schema validation.
// The sandbox answers after `latencyMs` and enforces `rps` requests per second per app × shop with HTTP 429.
import { monthShop, lastMonth } from './fixtures.mjs';
import { load, log, printTable, round } from './report.mjs';
import {
	createSandbox,
	createSigningAuth,
	instantFilter,
	listen,
	loopbackSend,
	resolvePeriod,
	runOperation,
	TikTokClient,
	TokenManager,
} from './ts-modules.mjs';

const PAGE_SIZE = 100;
const TIME_ZONE = 'Europe/Berlin';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function benchFetch({ orders, latencyMs = 50, rps = 5, clientRps = 5 }) {
	const month = lastMonth();
	log(`fetch: generating ${orders} orders for ${month}`);
	const shop = monthShop({ month, ordersPerMonth: orders });
	const sandbox = createSandbox({ data: shop.data, config: { latencyMs, rateLimit: { rps } } });
	const server = await listen(sandbox);
	const send = loopbackSend();
	const { appKey, appSecret, shopCipher } = sandbox.credentials;
	const now = () => Date.now();
	const loadBefore = load();
	try {
		const tokenManager = new TokenManager({ appKey, appSecret, send, authBaseUrl: server.url, now });
		await tokenManager.exchangeAuthCode(sandbox.credentials.authCode());
		const client = new TikTokClient({
			appKey,
			send,
			auth: createSigningAuth({ appKey, appSecret, tokenManager, now }),
			now,
			sleep,
			baseUrl: server.url,
			shopCipher,
			requestsPerSecond: clientRps,
		});
		sandbox.resetStats();
		const period = { preset: 'lastMonth', timeZone: TIME_ZONE };
		const progress = setInterval(() => log(`fetch: ${sandbox.stats.requests} requests so far`), 30_000);
		const began = performance.now();
		let statements = 0;
		let payments = 0;
		const perStatement = [];
		try {
			for await (const item of runOperation(client, { resource: 'statement', operation: 'getMany', period, includeTransactions: true, options: {} }, now())) {
				statements += 1;
				perStatement.push(item.transactions.length);
			}
			for await (const item of runOperation(client, { resource: 'payment', operation: 'getMany', period, options: { payoutStatus: 'PAID' } }, now())) {
				if (item.status === 'PAID') payments += 1;
			}
		} finally {
			clearInterval(progress);
		}
		const wallMs = performance.now() - began;

		// Payouts are filtered by status after fetching, so every payout created in the period is paged through.
		const window = instantFilter(resolvePeriod(period, now()));
		const paymentsInWindow = shop.data.payments.filter((p) => p.create_time >= window.ge && p.create_time < window.lt).length;
		const pages = (count) => Math.max(1, Math.ceil(count / PAGE_SIZE));
		const minimum = {
			statementPages: pages(statements),
			transactionPages: perStatement.reduce((sum, count) => sum + pages(count), 0),
			paymentPages: pages(paymentsInWindow),
		};
		const minimumRequests = minimum.statementPages + minimum.transactionPages + minimum.paymentPages;
		const boundMs = (minimumRequests / rps) * 1000;
		const stats = sandbox.stats;
		const repeatedPages = Object.values(stats.pageFetches).filter((count) => count > 1).length;
		const result = {
			month,
			orders,
			latencyMs,
			sandboxRps: rps,
			clientRps,
			statements,
			transactions: perStatement.reduce((sum, count) => sum + count, 0),
			paidPayments: payments,
			paymentsInWindow,
			minimum,
			minimumRequests,
			requests: stats.requests,
			requestsRatio: round(stats.requests / minimumRequests, 3),
			rateLimited429: stats.rateLimited,
			repeatedPages,
			tokenRequests: 1,
			wallSeconds: round(wallMs / 1000, 1),
			boundSeconds: round(boundMs / 1000, 1),
			wallRatio: round(wallMs / boundMs, 3),
			loadBefore,
			loadAfter: load(),
		};
		printFetch(result);
		return result;
	} finally {
		await server.close();
	}
}

export function printFetch(result) {
	printTable(
		`Bench 2 — fetch one month over loopback (${result.orders} orders, ${result.latencyMs} ms latency, sandbox ${result.sandboxRps} req/s per shop, client ${result.clientRps} req/s)`,
		['measure', 'value', 'bound', 'ratio'],
		[
			['statements / transactions / PAID payouts', `${result.statements} / ${result.transactions} / ${result.paidPayments}`, '', ''],
			['requests (minimum: pages of 100)', result.requests, result.minimumRequests, result.requestsRatio],
			['wall time s (bound: minimum / rate limit)', result.wallSeconds, result.boundSeconds, result.wallRatio],
			['HTTP 429 received', result.rateLimited429, 0, ''],
			['pages fetched more than once', result.repeatedPages, 0, ''],
			['load (1 min) before → after', `${result.loadBefore[0]} → ${result.loadAfter[0]}`, '', ''],
		],
	);
}
