// One measurement of bench 1 in a process of its own, so that peak RSS belongs to this size and mode only.
// Prints one JSON line with the figures. Started by bench/bookings.mjs:
//
//   node --import tsx bench/bookings-child.mjs --mode generate --transactions N --out FILE
//   node bench/bookings-child.mjs --mode normal|collected --lib-dir DIR --input FILE --out DIR [--max-rows N] [--reads FILE]
//   node bench/bookings-child.mjs --mode reads --input FILE --reads FILE   (the item reads of a normal run, no library)
//   node bench/bookings-child.mjs --mode floor --lib-dir DIR --from DIR --out DIR   (re-encode the files in DIR)
//
// generate writes the month's Map node items (statement items, compact, then PAID payouts) to FILE, one JSON per
// line; the other modes read them from there, so that no process holds the sandbox but the one that generates.
// They run the library as the package ships it: compiled by tsc (the package's build) into --lib-dir, loaded with
// no TypeScript loader (tsx's transform adds helper calls to functions that the shipped code does not have).
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { BOOKING_SETTINGS, BOOKINGS_MONTH, CREATED_AT, DATEV_SETTINGS } from './settings.mjs';

const { values } = parseArgs({
	options: {
		mode: { type: 'string' },
		transactions: { type: 'string' },
		out: { type: 'string' },
		from: { type: 'string' },
		input: { type: 'string' },
		'lib-dir': { type: 'string' },
		'max-rows': { type: 'string' },
		reads: { type: 'string' },
	},
});
const rssAtStartMb = process.memoryUsage().rss / 2 ** 20;
const library = values['lib-dir'] ? compiledLibrary(values['lib-dir']) : undefined;

function compiledLibrary(dir) {
	const load = createRequire(join(dir, 'index.js'));
	const { parseBookingInput, parseBookingSettings, mapToBookings } = load('./lib/booking/index.js');
	const { startMapping } = load('./lib/mapping/run.js');
	const { writeBatches } = load('./lib/datev/index.js');
	const { writeCp1252Into, decodeCp1252 } = load('./lib/datev/cp1252.js');
	return { parseBookingInput, parseBookingSettings, mapToBookings, startMapping, writeBatches, writeCp1252Into, decodeCp1252 };
}
// Time V8 spent collecting garbage: with the whole month on the heap every major GC marks all of it again.
const gc = { ms: 0, majorMs: 0 };
new PerformanceObserver((list) => {
	for (const entry of list.getEntries()) {
		gc.ms += entry.duration;
		if (entry.detail?.kind === 4 /* NODE_PERFORMANCE_GC_MAJOR */) gc.majorMs += entry.duration;
	}
}).observe({ entryTypes: ['gc'] });
const now = () => performance.now();
/** CPU time of the process (all its threads, GC helpers included) in ms: unlike wall time, not stretched by other load. */
const cpu = () => {
	const usage = process.cpuUsage();
	return (usage.user + usage.system) / 1000;
};
const datevSettings = values['max-rows'] ? { ...DATEV_SETTINGS, maxRowsPerFile: Number(values['max-rows']) } : DATEV_SETTINGS;
if (values.out && values.mode !== 'generate') mkdirSync(values.out, { recursive: true });

/**
 * The month's items, one JSON per line: statement items as TikTok Payments version 2 outputs them (compact,
 * built page by page from the sandbox), then the PAID payouts. Only this process holds the sandbox.
 */
async function generate() {
	const { compactItem, monthShop, ordersForTransactions } = await import('./fixtures.mjs');
	const began = now();
	const shop = monthShop({ month: BOOKINGS_MONTH, ordersPerMonth: ordersForTransactions(Number(values.transactions)), dayCacheSize: 4 });
	const fd = openSync(values.out, 'w');
	let transactions = 0;
	for (const statement of shop.statements) {
		const item = compactItem(shop, statement);
		transactions += item.transactions.length;
		writeSync(fd, `${JSON.stringify(item)}\n`);
	}
	for (const payment of shop.payments) writeSync(fd, `${JSON.stringify(payment)}\n`);
	const bytes = fstatSync(fd).size;
	closeSync(fd);
	return { transactions, statements: shop.statements.length, payments: shop.payments.length, bytes, generateMs: now() - began, files: [] };
}

/** Where each line (item) of the input file starts and ends. */
function lineOffsets(fd) {
	const offsets = [0];
	const block = Buffer.alloc(4 << 20);
	let position = 0;
	for (;;) {
		const read = readSync(fd, block, 0, block.length, position);
		if (read === 0) break;
		for (let index = block.indexOf(10); index !== -1 && index < read; index = block.indexOf(10, index + 1)) offsets.push(position + index + 1);
		position += read;
	}
	return offsets;
}

function readItem(fd, offsets, index) {
	const length = offsets[index + 1] - offsets[index] - 1;
	const bytes = Buffer.allocUnsafe(length);
	readSync(fd, bytes, 0, length, offsets[index]);
	return JSON.parse(bytes.toString('utf8'));
}

/** All items of the input file (the collected path holds the month). */
function allItems() {
	const fd = openSync(values.input, 'r');
	const offsets = lineOffsets(fd);
	const items = Array.from({ length: offsets.length - 1 }, (_, index) => readItem(fd, offsets, index));
	closeSync(fd);
	return items;
}

/**
 * The items as n8n hands them to the Map node, but read on demand: each read of an item parses it from the input
 * file, and that time is not the library's. So what the process holds is what the library holds, not the month's
 * items (which n8n holds in any case).
 */
function itemsOnDemand(clock) {
	let began = now();
	let beganCpu = cpu();
	const fd = openSync(values.input, 'r');
	const offsets = lineOffsets(fd);
	clock.ms += now() - began;
	clock.cpuMs += cpu() - beganCpu;
	const length = offsets.length - 1;
	const read = (index) => {
		clock.reads?.push(index);
		began = now();
		beganCpu = cpu();
		const item = readItem(fd, offsets, index);
		clock.ms += now() - began;
		clock.cpuMs += cpu() - beganCpu;
		return item;
	};
	return new Proxy([], {
		get(target, key) {
			if (key === 'length') return length;
			if (typeof key === 'string' && /^\d+$/.test(key)) return Number(key) < length ? read(Number(key)) : undefined;
			return Reflect.get(target, key);
		},
		has(target, key) {
			return typeof key === 'string' && /^\d+$/.test(key) ? Number(key) < length : Reflect.has(target, key);
		},
	});
}

/**
 * What the Map to SKR Bookings node does with "DATEV File" output (lib/mapping/run.ts startMapping, the node's
 * call): the items are scanned, each statement is parsed, booked and written when its turn comes, and each file's
 * chunks are collected until the file is complete, then handed on (here: written). The node then joins them into
 * one Buffer for n8n's prepareBinaryData; that copy is n8n's interface, not booking work, and is timed apart
 * (joinMs, on the same chunks, after the run).
 */
function normal() {
	// The items read, in order, for the reads mode (--reads).
	const clock = { ms: 0, cpuMs: 0, reads: values.reads ? [] : undefined };
	const began = now();
	const beganCpu = cpu();
	const items = itemsOnDemand(clock);
	const run = library.startMapping({
		items,
		booking: BOOKING_SETTINGS,
		datev: datevSettings,
		skipBookedBefore: true,
		continueOnFail: false,
		now: () => CREATED_AT,
		keepLines: false,
	});
	const files = [];
	let current;
	let joinSample;
	const store = () => {
		if (!current) return;
		const fd = openSync(join(values.out, current.fileName), 'w');
		let bytes = 0;
		for (const chunk of current.chunks) {
			writeSync(fd, chunk);
			bytes += chunk.length;
		}
		closeSync(fd);
		files.push({ fileName: current.fileName, bytes });
		// The node's join, sampled on the first file of a full part's size (or the largest so far), off the clock.
		if (!joinSample || (joinSample.bytes < 16 << 20 && bytes > joinSample.bytes)) {
			const joinBegan = now();
			const joinBeganCpu = cpu();
			Buffer.concat(current.chunks);
			const ms = now() - joinBegan;
			clock.ms += ms;
			clock.cpuMs += cpu() - joinBeganCpu;
			joinSample = { ms, bytes };
		}
	};
	for (const chunk of run.chunks) {
		if (current?.fileName !== chunk.fileName) {
			store();
			current = { fileName: chunk.fileName, chunks: [] };
		}
		current.chunks.push(chunk.bytes);
	}
	store();
	const result = run.result();
	if (values.reads) writeFileSync(values.reads, JSON.stringify(clock.reads));
	const totalMs = now() - began;
	const totalCpuMs = cpu() - beganCpu;
	const totalBytes = files.reduce((sum, file) => sum + file.bytes, 0);
	// What joining every file would take, at the sampled rate.
	const joinMs = joinSample && joinSample.bytes > 0 ? joinSample.ms * (totalBytes / joinSample.bytes) : 0;
	const rows = new Map(result.files.map((file) => [file.fileName, file.rows]));
	return {
		transactions: result.statements.reduce((sum, statement) => sum + statement.transactionCount, 0),
		statements: result.statements.length,
		payments: result.payments.length,
		lines: result.files.reduce((sum, file) => sum + file.rows, 0),
		files: files.map((file) => ({ ...file, rows: rows.get(file.fileName) })),
		readMs: clock.ms,
		pathMs: totalMs - clock.ms,
		pathCpuMs: totalCpuMs - clock.cpuMs,
		joinMs,
	};
}

/**
 * The library before streaming, for comparison (and the byte check): all items in, all lines, all files' bytes,
 * then the files are written. Items are the same compact items as in normal.
 */
function collected() {
	let began = now();
	const items = allItems();
	const readMs = now() - began;
	began = now();
	const input = library.parseBookingInput(items);
	const parseMs = now() - began;
	began = now();
	const result = library.mapToBookings(input, library.parseBookingSettings(BOOKING_SETTINGS));
	const mapMs = now() - began;
	began = now();
	const files = library.writeBatches(result.lines, datevSettings, () => CREATED_AT);
	const encodeMs = now() - began;
	began = now();
	for (const file of files) writeFileSync(join(values.out, file.fileName), file.bytes);
	const writeMs = now() - began;
	return {
		transactions: input.statements.reduce((sum, statement) => sum + statement.transactions.length, 0),
		statements: input.statements.length,
		payments: input.payments.length,
		lines: result.lines.length,
		files: files.map((file) => ({ fileName: file.fileName, rows: file.rows, bytes: file.bytes.length })),
		readMs,
		phasesMs: { parse: parseMs, map: mapMs, encode: encodeMs, write: writeMs },
		pathMs: parseMs + mapMs + encodeMs + writeMs,
	};
}

/**
 * The reading alone: the items a normal run read, in its order, without the library (each read parses its line, and
 * the last item read is held, as the library holds the statement it books). Its peak RSS is the part of the normal
 * path's that comes from reading the input, which in n8n are items it holds already: V8 lets its heap grow with the
 * JSON parsed, though at most one item is kept.
 */
function reads() {
	const order = JSON.parse(readFileSync(values.reads, 'utf8'));
	const clock = { ms: 0, cpuMs: 0 };
	const items = itemsOnDemand(clock);
	let held;
	for (const index of order) held = items[index];
	return { files: [], reads: order.length, held: held === undefined ? 0 : 1, readMs: clock.ms, pathMs: clock.ms, pathCpuMs: clock.cpuMs };
}

const BLOCK = 4 << 20;
const CHUNK = 64 * 1024;

/**
 * The floor: the same bytes, already as text rows, only Windows-1252-encoded into 64 KiB chunks (the primitive the
 * writer uses) and written. Reading and decoding the input file is not timed.
 */
function floor() {
	const names = readdirSync(values.from).sort();
	let timedMs = 0;
	let timedCpuMs = 0;
	let bytes = 0;
	let rows = 0;
	const block = new Uint8Array(BLOCK);
	for (const name of names) {
		const input = openSync(join(values.from, name), 'r');
		let began = now();
		let beganCpu = cpu();
		const output = openSync(join(values.out, name), 'w');
		let chunk = new Uint8Array(CHUNK);
		let position = 0;
		timedMs += now() - began;
		timedCpuMs += cpu() - beganCpu;
		let carry = '';
		for (;;) {
			const read = readSync(input, block, 0, BLOCK, null);
			const text = carry + (read > 0 ? library.decodeCp1252(block.subarray(0, read)) : '');
			const lines = text.split('\r\n');
			carry = read > 0 ? lines.pop() : '';
			if (read === 0 && lines[lines.length - 1] === '') lines.pop();
			began = now();
			beganCpu = cpu();
			for (const line of lines) {
				const row = `${line}\r\n`;
				if (position + row.length > CHUNK) {
					writeSync(output, chunk, 0, position);
					chunk = new Uint8Array(CHUNK);
					position = 0;
				}
				position = library.writeCp1252Into(row, chunk, position);
				bytes += row.length;
				rows += 1;
			}
			timedMs += now() - began;
			timedCpuMs += cpu() - beganCpu;
			if (read === 0) break;
		}
		began = now();
		beganCpu = cpu();
		writeSync(output, chunk, 0, position);
		closeSync(output);
		timedMs += now() - began;
		timedCpuMs += cpu() - beganCpu;
		closeSync(input);
	}
	return { files: names.length, rows, bytes, pathMs: timedMs, pathCpuMs: timedCpuMs };
}

const run = { generate, normal, collected, floor, reads }[values.mode];
if (!run) throw new Error(`unknown mode ${values.mode}`);
const result = await run();
// GC entries are delivered asynchronously; let them arrive before reporting.
await new Promise((resolve) => setTimeout(resolve, 50));
const usage = process.resourceUsage();
process.stdout.write(
	`${JSON.stringify({
		mode: values.mode,
		...result,
		bytes: result.bytes ?? result.files.reduce((sum, file) => sum + file.bytes, 0),
		rssAtStartMb,
		peakRssMb: usage.maxRSS / 1024,
		cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
		gcMs: gc.ms,
		majorGcMs: gc.majorMs,
	})}\n`,
);
