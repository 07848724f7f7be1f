// One measurement of bench 1 in a process of its own, so that peak RSS belongs to this size and mode only.
// Prints one JSON line with the figures. Started by bench/bookings.mjs:
//
//   node --import tsx bench/bookings-child.mjs --mode normal|stream|floor --transactions N --out DIR
//        [--max-rows N] [--from DIR]   (floor: re-encode the files in DIR)
import { closeSync, mkdirSync, openSync, readdirSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import {
	BOOKING_SETTINGS,
	BOOKINGS_MONTH,
	CREATED_AT,
	DATEV_SETTINGS,
	monthShop,
	ordersForTransactions,
	statementItems,
} from './fixtures.mjs';
import { streamBookingsToFiles } from './stream-bookings.mjs';
import { decodeCp1252, mapToBookings, parseBookingInput, parseBookingSettings, writeBatches, writeCp1252Into } from './ts-modules.mjs';

const { values } = parseArgs({
	options: {
		mode: { type: 'string' },
		transactions: { type: 'string' },
		out: { type: 'string' },
		from: { type: 'string' },
		'max-rows': { type: 'string' },
	},
});
const rssAtStartMb = process.memoryUsage().rss / 2 ** 20;
// Time V8 spent collecting garbage: with the whole month on the heap every major GC marks all of it again.
const gc = { ms: 0, majorMs: 0 };
new PerformanceObserver((list) => {
	for (const entry of list.getEntries()) {
		gc.ms += entry.duration;
		if (entry.detail?.kind === 4 /* NODE_PERFORMANCE_GC_MAJOR */) gc.majorMs += entry.duration;
	}
}).observe({ entryTypes: ['gc'] });
const now = () => performance.now();
const datevSettings = values['max-rows'] ? { ...DATEV_SETTINGS, maxRowsPerFile: Number(values['max-rows']) } : DATEV_SETTINGS;
mkdirSync(values.out, { recursive: true });

function shop() {
	const began = now();
	// Days are read one by one here: the sandbox's small cache of earlier versions keeps the figures comparable.
	const result = monthShop({ month: BOOKINGS_MONTH, ordersPerMonth: ordersForTransactions(Number(values.transactions)), dayCacheSize: 4 });
	return { ...result, shopMs: now() - began };
}

/** The library as the Map node uses it: all items in, all lines, all files' bytes, then the files are written. */
function normal() {
	const data = shop();
	let began = now();
	const items = [...statementItems(data), ...data.payments];
	const generateMs = now() - began;
	began = now();
	const input = parseBookingInput(items);
	const parseMs = now() - began;
	began = now();
	const result = mapToBookings(input, parseBookingSettings(BOOKING_SETTINGS));
	const mapMs = now() - began;
	began = now();
	const files = writeBatches(result.lines, datevSettings, () => CREATED_AT);
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
		shopMs: data.shopMs,
		generateMs,
		phasesMs: { parse: parseMs, map: mapMs, encode: encodeMs, write: writeMs },
		pathMs: parseMs + mapMs + encodeMs + writeMs,
	};
}

/** Statement items generated one at a time; the time spent generating them is not the library's. */
function* timedItems(items, clock) {
	const iterator = items[Symbol.iterator]();
	for (;;) {
		const began = now();
		const next = iterator.next();
		clock.ms += now() - began;
		if (next.done) return;
		yield next.value;
	}
}

function stream() {
	const data = shop();
	const clock = { ms: 0 };
	const began = now();
	const result = streamBookingsToFiles({
		statementItems: timedItems(statementItems(data), clock),
		paymentItems: data.payments,
		bookingSettings: BOOKING_SETTINGS,
		datevSettings,
		createdAt: CREATED_AT,
		outDir: values.out,
	});
	const totalMs = now() - began;
	return {
		transactions: result.transactions,
		statements: data.statements.length,
		payments: data.payments.length,
		lines: result.lines,
		files: result.files,
		shopMs: data.shopMs,
		generateMs: clock.ms,
		pathMs: totalMs - clock.ms,
	};
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
	let bytes = 0;
	let rows = 0;
	const block = new Uint8Array(BLOCK);
	for (const name of names) {
		const input = openSync(join(values.from, name), 'r');
		let began = now();
		const output = openSync(join(values.out, name), 'w');
		let chunk = new Uint8Array(CHUNK);
		let position = 0;
		timedMs += now() - began;
		let carry = '';
		for (;;) {
			const read = readSync(input, block, 0, BLOCK, null);
			const text = carry + (read > 0 ? decodeCp1252(block.subarray(0, read)) : '');
			const lines = text.split('\r\n');
			carry = read > 0 ? lines.pop() : '';
			if (read === 0 && lines[lines.length - 1] === '') lines.pop();
			began = now();
			for (const line of lines) {
				const row = `${line}\r\n`;
				if (position + row.length > CHUNK) {
					writeSync(output, chunk, 0, position);
					chunk = new Uint8Array(CHUNK);
					position = 0;
				}
				position = writeCp1252Into(row, chunk, position);
				bytes += row.length;
				rows += 1;
			}
			timedMs += now() - began;
			if (read === 0) break;
		}
		began = now();
		writeSync(output, chunk, 0, position);
		closeSync(output);
		timedMs += now() - began;
		closeSync(input);
	}
	return { files: names.length, rows, bytes, pathMs: timedMs };
}

const run = { normal, stream, floor }[values.mode];
if (!run) throw new Error(`unknown mode ${values.mode}`);
const result = run();
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
