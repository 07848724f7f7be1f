// Bench 2's TikTok: the sandbox in a process of its own, like the real API on another machine, so that rendering
// pages does not take CPU from the client being measured (2 cores). Started by bench/fetch.mjs:
//
//   node --import tsx bench/sandbox-child.mjs --month YYYY-MM --orders N --latency-ms L
//
// Prints one JSON line when it listens ({ url, appKey, appSecret, shopCipher, authCode, paymentCreateTimes }), then
// reads commands, one per line, and answers each with one JSON line:
//   limit <rps>   sets the hidden rate limit per app × shop (0 = none), lets the bucket fill up, resets the stats
//   stats         the sandbox's counters and the CPU time this process has used
//   exit          closes the server and ends
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { monthShop } from './fixtures.mjs';
import { createSandbox, listen } from './ts-modules.mjs';

const { values } = parseArgs({
	options: { month: { type: 'string' }, orders: { type: 'string' }, 'latency-ms': { type: 'string', default: '50' } },
});
const shop = monthShop({ month: values.month, ordersPerMonth: Number(values.orders) });
const sandbox = createSandbox({ data: shop.data, config: { latencyMs: Number(values['latency-ms']) } });
const server = await listen(sandbox);
const reply = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
reply({
	url: server.url,
	appKey: sandbox.credentials.appKey,
	appSecret: sandbox.credentials.appSecret,
	shopCipher: sandbox.credentials.shopCipher,
	authCode: sandbox.credentials.authCode(),
	paymentCreateTimes: shop.data.payments.map((payment) => payment.create_time),
});

for await (const line of createInterface({ input: process.stdin })) {
	const [command, argument] = line.trim().split(/\s+/);
	if (command === 'limit') {
		const rps = Number(argument);
		sandbox.config.rateLimit = rps > 0 ? { rps } : null;
		// Every run starts with a full bucket, as a shop that was idle for a while.
		await new Promise((resolve) => setTimeout(resolve, 1500));
		sandbox.resetStats();
		reply({ ok: true, rps });
	} else if (command === 'stats') {
		const cpu = process.cpuUsage();
		reply({ ...sandbox.stats, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
	} else if (command === 'exit') {
		await server.close();
		// stdin is still open; end here instead of waiting for the parent to close it.
		process.exit(0);
	}
}
