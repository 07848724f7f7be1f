// Bench 2's memory round: TikTok Payments' statement fetch (with all transactions, Booking Input (Compact)) of one
// month, in a process of its own that keeps the items as n8n keeps a node's output. The sandbox runs in another
// process, without latency or rate limit. Prints one JSON line. Started by bench/fetch.mjs:
//
//   node --import tsx bench/fetch-memory-child.mjs --month YYYY-MM --orders N
//
// What it shows is the garbage the fetch makes, not only what it keeps: every young-generation collection that
// finds a page still being checked or compacted copies it, and once as much has survived as the young generation
// holds, V8 doubles it (`new_space`) and keeps it doubled. `youngGenerationMb` is its size at the end.
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import { sandboxClient, sleep, startSandbox, STATEMENTS_OF_LAST_MONTH } from './sandbox-client.mjs';
import { loopbackSend, RateLimiter, runOperation, TokenManager } from './ts-modules.mjs';

const { values } = parseArgs({ options: { month: { type: 'string' }, orders: { type: 'string' } } });
const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;

const sandbox = await startSandbox({ month: values.month, orders: values.orders, latencyMs: 0 });
await sandbox.command('limit 0');

function sample() {
	const usage = process.memoryUsage();
	const young = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
	return { rss: usage.rss, heap: usage.heapTotal, young: young?.space_size ?? 0 };
}

const send = loopbackSend();
const now = () => Date.now();
const tokenManager = new TokenManager({ appKey: sandbox.appKey, appSecret: sandbox.appSecret, send, authBaseUrl: sandbox.url, now });
await tokenManager.exchangeAuthCode(sandbox.authCode);
const client = sandboxClient({ sandbox, send, tokenManager, now, rateLimiter: new RateLimiter({ now, sleep }), requestsPerSecond: 1000 });

const before = sample();
const peak = { ...before };
const sampler = setInterval(() => {
	const current = sample();
	for (const key of Object.keys(peak)) peak[key] = Math.max(peak[key], current[key]);
}, 20);
const cpuBefore = process.cpuUsage();
const began = performance.now();
const items = [];
for await (const item of runOperation(client, STATEMENTS_OF_LAST_MONTH, now())) items.push(item);
const wallMs = performance.now() - began;
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampler);
const after = sample();
for (const key of Object.keys(peak)) peak[key] = Math.max(peak[key], after[key]);

process.stdout.write(
	`${JSON.stringify({
		statements: items.length,
		transactions: items.reduce((sum, item) => sum + item.transactions.length, 0),
		wallSeconds: Math.round(wallMs / 100) / 10,
		cpuSeconds: Math.round((cpu.user + cpu.system) / 1e5) / 10,
		rssBeforeMb: mb(before.rss),
		peakRssMb: mb(peak.rss),
		heapBeforeMb: mb(before.heap),
		peakHeapMb: mb(peak.heap),
		youngGenerationBeforeMb: mb(before.young),
		youngGenerationMb: mb(after.young),
	})}\n`,
);
await sandbox.stop();
