// npm run bench [-- options]  =  node scripts/node24.mjs npx tsx bench/run.mjs [options]
//
//   --only bookings,fetch,n8n   benches to run (default: all three, in that order)
//   --sizes 10000,100000,1000000   bench 1: transactions per month
//   --modes normal,collected    bench 1: the node's streaming path and/or the collected one (the floor always runs;
//                               collected only up to 100k transactions unless given here)
//   --repeat 3                  bench 1: rounds per size (median time, highest peak RSS)
//   --heap-mb 16384             bench 1: V8 heap limit of the collected path (it holds the month; the others run
//                               with Node's default, as n8n does)
//   --memory-mb 400             bench 1: the normal path again in a memory cgroup of each size (root only; '' = none)
//   --fetch-orders 100000       bench 2: orders in the month (≈ 1.04 transactions each); ~1,060 requests per 100k
//   --latency-ms 50 --rps 5,20,50   bench 2: sandbox latency and the hidden per-shop limits, one run each
//   --client-max 50             bench 2: the client's maximum requests per second (the node's default)
//   --fetch-memory-orders 10000  bench 2: orders of the memory rounds (the fetch in a process of its own that keeps
//                               the items, --repeat rounds; '' = none)
//   --n8n-orders 1000,10000,50000   bench 3: orders per month run through the example workflow in real n8n
//   --n8n-modes cli,server           bench 3: `n8n execute` (Manual Trigger) and/or `n8n start` (Schedule Trigger)
//   --n8n-memory-mb 1024,700         bench 3: `n8n start` again in a memory cgroup of each size (root only)
//   --n8n-heap-mb 384                bench 3: `n8n start` again, unconfined, with NODE_OPTIONS=--max-old-space-size=N
//   --n8n-node-options=--max-semi-space-size=16   bench 3: `n8n start` again, unconfined, with these NODE_OPTIONS
//
// Every bench prints a table and stores its figures in bench/results.json (the other benches' last figures stay).
import { parseArgs } from 'node:util';
import { benchBookings } from './bookings.mjs';
import { benchFetch } from './fetch.mjs';
import { benchN8n } from './n8n.mjs';
import { load, machine, saveResult } from './report.mjs';

const { values } = parseArgs({
	options: {
		only: { type: 'string', default: 'bookings,fetch,n8n' },
		sizes: { type: 'string', default: '10000,100000,1000000' },
		modes: { type: 'string' },
		'heap-mb': { type: 'string', default: '16384' },
		repeat: { type: 'string', default: '3' },
		'memory-mb': { type: 'string', default: '400' },
		'fetch-orders': { type: 'string', default: '100000' },
		'latency-ms': { type: 'string', default: '50' },
		rps: { type: 'string', default: '5,20,50' },
		'client-max': { type: 'string', default: '50' },
		'fetch-memory-orders': { type: 'string', default: '10000' },
		'n8n-orders': { type: 'string', default: '1000,10000,50000' },
		'n8n-modes': { type: 'string', default: 'cli,server' },
		'n8n-memory-mb': { type: 'string', default: '1024,700' },
		'n8n-heap-mb': { type: 'string', default: '' },
		'n8n-node-options': { type: 'string', default: '' },
	},
});

const list = (text) => text.split(',').map((part) => part.trim()).filter((part) => part !== '');
const numbers = (text) => list(text).map((part) => {
	const value = Number(part.replace(/_/g, ''));
	if (!Number.isFinite(value) || value <= 0) throw new Error(`not a positive number: ${part}`);
	return value;
});

const selected = list(values.only);
const host = machine();
process.stdout.write(
	`machine: ${host.cpu}, ${host.cores} cores, ${host.memoryGb} GB, Node ${host.node} (${host.platform}); load ${load().join(' ')}; ${new Date().toISOString()}\n`,
);

// NODE_OPTIONS given to the bench itself reach every process it starts (bench 1's measured processes too).
const stamp = () => ({ date: new Date().toISOString(), machine: host, nodeOptions: process.env.NODE_OPTIONS || undefined });

if (selected.includes('bookings')) {
	const result = benchBookings({
		sizes: numbers(values.sizes),
		modes: list(values.modes ?? 'normal,collected'),
		modesGiven: values.modes !== undefined,
		heapMb: numbers(values['heap-mb'])[0],
		repeat: numbers(values.repeat)[0],
		memoryLimits: numbers(values['memory-mb']),
	});
	saveResult('bookings', { ...stamp(), ...result });
}
if (selected.includes('fetch')) {
	const result = await benchFetch({
		orders: numbers(values['fetch-orders'])[0],
		latencyMs: Number(values['latency-ms']),
		rpsList: numbers(values.rps),
		clientMax: numbers(values['client-max'])[0],
		memoryOrders: numbers(values['fetch-memory-orders'])[0],
		memoryRounds: numbers(values.repeat)[0],
	});
	saveResult('fetch', { ...stamp(), ...result });
}
if (selected.includes('n8n')) {
	const result = await benchN8n({ orders: numbers(values['n8n-orders']), modes: values['n8n-modes'].split(','), memoryLimits: numbers(values['n8n-memory-mb']), heapLimits: numbers(values['n8n-heap-mb']), nodeOptions: values['n8n-node-options'] || undefined });
	saveResult('n8n', { ...stamp(), ...result });
}
process.stdout.write(`\nfigures stored in bench/results.json\n`);
