// Shared output helpers: the machine description, load averages, aligned tables, and bench/results.json.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const benchDir = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(benchDir, '..');
const RESULTS = join(benchDir, 'results.json');

export function machine() {
	const list = cpus();
	return {
		cpu: list[0]?.model ?? 'unknown',
		cores: list.length,
		memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
		node: process.version,
		platform: `${process.platform} ${process.arch}`,
	};
}

/** The 1-, 5- and 15-minute load averages (other helpers may be running tests on the same 2 cores). */
export function load() {
	return loadavg().map((value) => Math.round(value * 100) / 100);
}

export function round(value, digits = 1) {
	if (value === null || value === undefined || Number.isNaN(value)) return value;
	const factor = 10 ** digits;
	return Math.round(value * factor) / factor;
}

/** Prints rows (arrays of cells) under a title as an aligned text table. */
export function printTable(title, header, rows) {
	const text = [header, ...rows].map((row) => row.map((cell) => (cell === undefined || cell === null ? '—' : String(cell))));
	const widths = header.map((_, column) => Math.max(...text.map((row) => row[column].length)));
	const line = (row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
	process.stdout.write(`\n${title}\n${line(text[0])}\n${widths.map((width) => '-'.repeat(width)).join('  ')}\n`);
	for (const row of text.slice(1)) process.stdout.write(`${line(row)}\n`);
}

/** Stores one bench's figures in bench/results.json, keeping the other benches' last figures. */
export function saveResult(name, result) {
	const previous = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : {};
	const next = { ...previous, machine: machine(), benches: { ...(previous.benches ?? {}), [name]: result } };
	writeFileSync(RESULTS, `${JSON.stringify(next, null, 2)}\n`);
	return RESULTS;
}

export function log(message) {
	process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
