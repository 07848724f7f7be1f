// Bench 1: bookings + DATEV file with the core library, no n8n. Per size up to three child processes (own peak RSS):
//   normal     the library as the Map node calls it ("DATEV File" output: startMapping, statements booked and
//              written one at a time, each file written once complete);
//   collected  the library before streaming (all items → parseBookingInput → mapToBookings → writeBatches → write
//              the files), by default only up to 100,000 transactions (it holds the month: ~8 GB at 1M);
//   floor      the produced files' rows as text, only Windows-1252-encoded into 64 KiB chunks and written;
//   reads      the item reads of the normal run, in its order, without the library: the reading's own peak RSS;
//   normal in a memory cgroup of each --memory-mb (root only): what the path needs in a container of that size.
// The input (the month's Map node items) is generated once per size by a child of its own and written to a file, one
// item per line; normal and collected read it item by item (the time of that reading is not the library's; its
// memory is in their peak RSS, and the reads path measures it).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inCgroup } from '../scripts/e2e/proc.mjs';
import { memoryCgroup } from './cgroup.mjs';
import { benchDir, load, log, printTable, repoRoot, round } from './report.mjs';

const CHILD = join(benchDir, 'bookings-child.mjs');

/** V8's default stack (~1 MB) is what n8n runs with; this one is only used to get past a known overflow. */
const LARGE_STACK_KB = 7000;

function spawnChild(args, nodeFlags, cgroupProcs) {
	// Only generating the input loads TypeScript (the sandbox); the measured modes run the compiled library.
	const loader = args.includes('generate') ? ['--import', 'tsx'] : [];
	const node = [process.execPath, [...nodeFlags, ...loader, CHILD, ...args]];
	const [command, commandArgs] = cgroupProcs ? inCgroup(cgroupProcs, ...node) : node;
	const result = spawnSync(command, commandArgs, {
		cwd: repoRoot,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
		maxBuffer: 16 << 20,
	});
	if (result.status !== 0) {
		const stderr = (result.stderr ?? '').split('\n');
		const error = stderr.find((line) => /^\w*Error\b/.test(line)) ?? stderr.filter(Boolean).slice(-3).join(' | ');
		const at = stderr.find((line) => line.includes('/lib/'))?.trim();
		return { failed: `exit ${result.status ?? result.signal}: ${error}${at ? ` (${at})` : ''}` };
	}
	return JSON.parse(result.stdout.trim().split('\n').pop());
}

/**
 * Runs one measurement. A stack overflow (a `push(...array)` with ~100k elements in the library) is recorded, and
 * the measurement repeated with a larger V8 stack so that the other figures still exist.
 */
function child(args, heapMb, cgroupProcs) {
	// The collected path holds the month and needs the room; the node's path runs with Node's defaults, as in n8n.
	const flags = args.includes('collected') ? [`--max-old-space-size=${heapMb}`] : [];
	const first = spawnChild(args, flags, cgroupProcs);
	if (!first.failed || !first.failed.includes('Maximum call stack size exceeded')) return first;
	log(`bookings: ${first.failed}; repeating with --stack-size=${LARGE_STACK_KB}`);
	const second = spawnChild(args, [...flags, `--stack-size=${LARGE_STACK_KB}`], cgroupProcs);
	return { ...second, defaultStackFailure: first.failed, nodeFlags: `--stack-size=${LARGE_STACK_KB}` };
}

/**
 * The library as the package ships it: the project compiled by tsc with its tsconfig (what `n8n-node build` runs)
 * into `work`/lib-build, with the repository's node_modules beside it for luxon and zod.
 */
function compileLibrary(work) {
	const dir = join(work, 'lib-build');
	const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
	const result = spawnSync(process.execPath, [tsc, '-p', join(repoRoot, 'tsconfig.json'), '--outDir', dir], { cwd: repoRoot, encoding: 'utf8' });
	if (result.status !== 0) throw new Error(`tsc failed:\n${result.stdout}\n${result.stderr}`);
	symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
	return dir;
}

/**
 * Writes the month's items for `size` transactions to a file (see bookings-child.mjs generate); returns its path and
 * what it holds.
 */
function generateInput(work, size, heapMb) {
	const file = join(work, `input-${size}.ndjson`);
	const run = spawnChild(['--mode', 'generate', '--transactions', String(size), '--out', file], [`--max-old-space-size=${heapMb}`]);
	if (run.failed) throw new Error(`generating the input for ${size} transactions failed: ${run.failed}`);
	return { file, summary: { transactions: run.transactions, statements: run.statements, payments: run.payments, mb: round(mb(run.bytes), 1), generateMs: round(run.generateMs, 0) } };
}

const pick = (run) => ({ pathMs: run.pathMs, pathCpuMs: run.pathCpuMs, gcMs: run.gcMs, peakRssMb: run.peakRssMb });

function median(values) {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function digests(dir) {
	const names = readdirSync(dir).sort();
	return names.map((name) => `${name}:${createHash('sha256').update(readFileSync(join(dir, name))).digest('hex')}`).join(',');
}

function sameFiles(dirA, dirB) {
	return digests(dirA) === digests(dirB);
}

const mb = (bytes) => bytes / 2 ** 20;

function rates(run, floorMs, floorCpuMs) {
	if (!run || run.failed) return run;
	const seconds = run.pathMs / 1000;
	return {
		...run,
		files: run.files.length,
		linesPerSecond: round(run.lines / seconds, 0),
		mbPerSecond: round(mb(run.bytes) / seconds, 1),
		ratioToFloor: floorMs ? round(run.pathMs / floorMs, 2) : undefined,
		// The same ratio in CPU time: wall time stretches with other processes' load on the cores, CPU time much less.
		cpuRatioToFloor: floorCpuMs && run.pathCpuMs ? round(run.pathCpuMs / floorCpuMs, 2) : undefined,
	};
}

/**
 * `sizes`: transactions per month. `modes`: which of normal / collected to run (the floor always runs).
 * Returns the figures for results.json and prints a table.
 */
/** The collected path holds the month; above this it runs only when asked for with --modes. */
const COLLECTED_UP_TO = 100_000;

export function benchBookings({ sizes, modes = ['normal', 'collected'], heapMb = 16_384, modesGiven = false, repeat = 3, memoryLimits = [] }) {
	const work = mkdtempSync(join(tmpdir(), 'bench-bookings-'));
	const results = { sizes: [], verification: undefined };
	try {
		log('bookings: compiling the library (tsc)');
		const libDir = compileLibrary(work);
		// The node's streaming path must write the bytes of the collected path: compared at 10k, once as one file per
		// month and once split into parts of 5,000 rows (part headers, part file names, the held first part).
		log('bookings: verifying that the streaming path writes the same bytes as the collected path (10k)');
		const verification = {};
		const verifyInput = generateInput(work, 10_000, heapMb).file;
		for (const maxRows of [undefined, 5000]) {
			const dirs = {};
			for (const mode of ['normal', 'collected']) {
				dirs[mode] = join(work, `verify-${maxRows ?? 'all'}-${mode}`);
				const run = child(['--mode', mode, '--lib-dir', libDir, '--input', verifyInput, '--out', dirs[mode], ...(maxRows ? ['--max-rows', String(maxRows)] : [])], heapMb);
				if (run.failed) throw new Error(`verification ${mode} failed: ${run.failed}`);
			}
			verification[maxRows ? `partsOf${maxRows}` : 'onePerMonth'] = {
				files: readdirSync(dirs.normal).length,
				identical: sameFiles(dirs.normal, dirs.collected),
			};
			for (const dir of Object.values(dirs)) rmSync(dir, { recursive: true, force: true });
		}
		results.verification = verification;

		for (const size of sizes) {
			const loadBefore = load();
			const entry = { transactionsTarget: size, loadBefore };
			const dirs = {};
			const sizeModes = modes.filter((mode) => mode !== 'collected' || modesGiven || size <= COLLECTED_UP_TO);
			log(`bookings: ${size} transactions, generating the input`);
			const { file: input, summary } = generateInput(work, size, heapMb);
			entry.input = summary;
			const readsFile = join(work, `${size}-reads.json`);
			const readsArgs = (mode) => (mode === 'normal' ? ['--reads', readsFile] : []);
			for (const mode of sizeModes) {
				dirs[mode] = join(work, `${size}-${mode}`);
				log(`bookings: ${size} transactions, ${mode} path`);
				entry[mode] = child(['--mode', mode, '--lib-dir', libDir, '--input', input, '--out', dirs[mode], ...readsArgs(mode)], heapMb);
				if (entry[mode].failed) log(`bookings: ${mode} failed: ${entry[mode].failed}`);
			}
			// The reading alone and the limited runs repeat what a normal run did.
			const normalDone = sizeModes.includes('normal') && !entry.normal.failed;
			if (normalDone) {
				log(`bookings: ${size} transactions, input reads alone`);
				entry.reads = child(['--mode', 'reads', '--input', input, '--reads', readsFile], heapMb);
			}
			const source = sizeModes.map((mode) => dirs[mode]).find((dir, index) => !entry[sizeModes[index]].failed);
			if (source) {
				log(`bookings: ${size} transactions, floor`);
				entry.floor = child(['--mode', 'floor', '--lib-dir', libDir, '--from', source, '--out', join(work, `${size}-floor`)], heapMb);
				if (!entry.normal?.failed && !entry.collected?.failed && dirs.normal && dirs.collected) {
					entry.identical = sameFiles(dirs.normal, dirs.collected);
				}
			}
			// Further rounds of every mode and the floor, side by side: times are the median of the rounds, peak RSS
			// the highest (the machine's speed drifts by ±30 % between single runs).
			for (let pass = 2; pass <= repeat && source; pass += 1) {
				for (const mode of [...sizeModes, ...(normalDone ? ['reads'] : []), 'floor']) {
					if (entry[mode]?.failed) continue;
					const out = join(work, `${size}-${mode}-round`);
					log(`bookings: ${size} transactions, ${mode}, round ${pass} of ${repeat}`);
					const args = mode === 'floor' ? ['--from', source] : mode === 'reads' ? ['--input', input, '--reads', readsFile] : ['--input', input];
					const again = child(['--mode', mode, '--lib-dir', libDir, ...args, '--out', out], heapMb);
					rmSync(out, { recursive: true, force: true });
					if (again.failed) throw new Error(`${mode} failed in round ${pass}: ${again.failed}`);
					entry[mode].rounds = [...(entry[mode].rounds ?? [pick(entry[mode])]), pick(again)];
				}
			}
			for (const mode of [...sizeModes, 'reads', 'floor']) {
				const rounds = entry[mode]?.rounds;
				if (!rounds) continue;
				entry[mode].pathMs = median(rounds.map((r) => r.pathMs));
				if (entry[mode].pathCpuMs !== undefined) entry[mode].pathCpuMs = median(rounds.map((r) => r.pathCpuMs));
				entry[mode].gcMs = median(rounds.map((r) => r.gcMs));
				entry[mode].peakRssMb = Math.max(...rounds.map((r) => r.peakRssMb));
			}
			const floorMs = entry.floor?.failed ? undefined : entry.floor?.pathMs;
			const floorCpuMs = entry.floor?.failed ? undefined : entry.floor?.pathCpuMs;
			for (const mode of sizeModes) entry[mode] = rates(entry[mode], floorMs, floorCpuMs);
			if (normalDone) entry.limited = limitedRuns({ size, memoryLimits, repeat, libDir, input, work, normalDir: dirs.normal, heapMb, floorMs, floorCpuMs });
			if (entry.floor && !entry.floor.failed) {
				entry.floor.mbPerSecond = round(mb(entry.floor.bytes) / (entry.floor.pathMs / 1000), 1);
			}
			entry.loadAfter = load();
			results.sizes.push(entry);
			for (const path of [...Object.values(dirs), join(work, `${size}-floor`), input, readsFile]) rmSync(path, { recursive: true, force: true });
		}
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
	printBookings(results, modes);
	return results;
}

/**
 * The normal path again in a memory cgroup of each size, `repeat` rounds: Node sizes its heap by the limit, the kernel
 * kills the process if the path needs more. Its files must be the unlimited run's bytes.
 */
function limitedRuns({ size, memoryLimits, repeat, libDir, input, work, normalDir, heapMb, floorMs, floorCpuMs }) {
	const limited = [];
	for (const memoryMb of memoryLimits) {
		const rounds = [];
		let identical = true;
		let oomKills = 0;
		for (let pass = 1; pass <= repeat; pass += 1) {
			const cgroup = memoryCgroup(memoryMb);
			if (!cgroup) return limited;
			const out = join(work, `${size}-normal-${memoryMb}mb`);
			log(`bookings: ${size} transactions, normal in a ${memoryMb} MB cgroup, round ${pass} of ${repeat}`);
			const run = child(['--mode', 'normal', '--lib-dir', libDir, '--input', input, '--out', out], heapMb, cgroup.procs);
			oomKills += cgroup.oomKills();
			cgroup.remove();
			if (run.failed) {
				rounds.push({ failed: run.failed });
			} else {
				rounds.push(pick(run));
				identical &&= sameFiles(out, normalDir);
			}
			rmSync(out, { recursive: true, force: true });
		}
		const done = rounds.filter((run) => !run.failed);
		const entry = { memoryMb, oomKills, failed: rounds.find((run) => run.failed)?.failed, rounds };
		if (done.length > 0) {
			Object.assign(entry, {
				identical,
				pathMs: median(done.map((run) => run.pathMs)),
				pathCpuMs: median(done.map((run) => run.pathCpuMs)),
				gcMs: median(done.map((run) => run.gcMs)),
				peakRssMb: Math.max(...done.map((run) => run.peakRssMb)),
			});
			entry.ratioToFloor = floorMs ? round(entry.pathMs / floorMs, 2) : undefined;
			entry.cpuRatioToFloor = floorCpuMs ? round(entry.pathCpuMs / floorCpuMs, 2) : undefined;
		}
		limited.push(entry);
	}
	return limited;
}

export function printBookings(results, modes) {
	const rows = [];
	for (const entry of results.sizes) {
		const any = modes.map((mode) => entry[mode]).find((run) => run && !run.failed) ?? {};
		for (const mode of [...modes, 'reads', 'limited', 'floor']) {
			if (mode === 'limited') {
				for (const limited of entry.limited ?? []) {
					const path = `normal, ${limited.memoryMb} MB cgroup`;
					const outcome = `${limited.oomKills} OOM kills${limited.identical === false ? ', files DIFFER' : ''}`;
					rows.push(
						limited.pathMs === undefined
							? ['', path, 'FAILED', `${limited.failed?.slice(0, 60)}; ${outcome}`, ...Array(10).fill('')]
							: ['', path, '', '', '', round(limited.pathMs / 1000, 2), '', '', limited.ratioToFloor ?? '', limited.cpuRatioToFloor ?? '', round(limited.peakRssMb, 0), round(limited.gcMs / 1000, 1), outcome, ''],
					);
				}
				continue;
			}
			const run = entry[mode];
			if (!run) continue;
			if (run.failed) {
				rows.push([entry.transactionsTarget, mode, 'FAILED', run.failed.slice(0, 80), ...Array(10).fill('')]);
				continue;
			}
			if (mode === 'reads') {
				rows.push(['', 'input reads alone', ...Array(8).fill(''), round(run.peakRssMb, 0), round(run.gcMs / 1000, 1), '', '']);
				continue;
			}
			rows.push([
				any.transactions ?? entry.transactionsTarget,
				run.defaultStackFailure ? `${mode}*` : mode,
				mode === 'floor' ? run.rows - 2 * run.files : any.lines,
				run.files,
				round(mb(run.bytes), 1),
				round(run.pathMs / 1000, 2),
				mode === 'floor' ? round((run.rows - 2 * run.files) / (run.pathMs / 1000), 0) : run.linesPerSecond,
				run.mbPerSecond,
				mode === 'floor' ? 1 : run.ratioToFloor,
				mode === 'floor' ? 1 : (run.cpuRatioToFloor ?? ''),
				round(run.peakRssMb, 0),
				round(run.gcMs / 1000, 1),
				run.phasesMs ? Object.values(run.phasesMs).map((ms) => round(ms / 1000, 1)).join('/') : '',
				`${entry.loadBefore[0]}→${entry.loadAfter[0]}`,
			]);
		}
	}
	printTable(
		'Bench 1 — bookings + DATEV file (core library, no n8n; time excludes generating the input)',
		['transactions', 'path', 'lines', 'files', 'MB', 's', 'lines/s', 'MB/s', '×floor', 'CPU ×floor', 'peak RSS MB', 'GC s', 'collected parse/map/encode/write s; cgroup outcome', 'load'],
		rows,
	);
	const overflows = results.sizes.flatMap((entry) => modes.filter((mode) => entry[mode]?.defaultStackFailure).map((mode) => `${entry.transactionsTarget} ${mode}`));
	if (overflows.length > 0) {
		process.stdout.write(`* failed with Node's default stack (${overflows.join(', ')}): ${results.sizes.flatMap((entry) => modes.map((mode) => entry[mode]?.defaultStackFailure)).find(Boolean)}; figures from a re-run with --stack-size=${LARGE_STACK_KB}\n`);
	}
	const verification = results.verification ?? {};
	process.stdout.write(
		`streaming path = collected path bytes: ${Object.entries(verification).map(([key, value]) => `${key} (${value.files} files) ${value.identical ? 'identical' : 'DIFFERENT'}`).join(', ')}` +
			`; per size: ${results.sizes.map((entry) => `${entry.transactionsTarget}: ${entry.identical === undefined ? 'n/a' : entry.identical ? 'identical' : 'DIFFERENT'}`).join(', ')}\n`,
	);
}
