// Bench 3: the monthly example workflow (workflows-examples/03) in a real n8n, for several order volumes: wall
// time and peak memory of the n8n process, so users know what their instance needs.
//
// - The package is built from a snapshot of the working tree in a temporary folder (dist/ of the repository is not
//   touched), packed, and installed into a fresh n8n user folder with the e2e helper's harness (scripts/e2e).
// - The sandbox runs in this bench process on loopback, without latency and without a rate limit, and the two
//   TikTok Payments nodes get Requests per Second 1000: the fetch speed at TikTok's limit is bench 2's subject.
// - `n8n execute` runs under `/usr/bin/time -v` (its "Maximum resident set size" is the kernel's peak RSS of the n8n
//   process, from wait4). While it runs, /proc is sampled every 100 ms for every process of its process group
//   (n8n and its task runner): the sum of their VmRSS gives the peak of the whole instance.
// - `n8n start` runs keep their samples and the stored execution's node times (`serverRuns[].timeline`), so that
//   the peak can be set against the node (or n8n's own save after the last node) that made it, and how idle and
//   peak divide between n8n and its task runner (`idleSplit`, `peakSplit`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createN8nEnv, nodeRuns, ownerEnv } from '../scripts/e2e/n8n-cli.mjs';
import { installPackageInto, packRepo } from '../scripts/e2e/package-install.mjs';
import { start } from '../scripts/e2e/proc.mjs';
import { restClient } from '../test/e2e/support/editor-replay.mjs';
import { memoryCgroup } from './cgroup.mjs';
import { lastMonth, monthShop } from './fixtures.mjs';
import { load, log, printTable, repoRoot, round } from './report.mjs';
import { createSandbox, listen } from './ts-modules.mjs';

const EXAMPLE = join(repoRoot, 'workflows-examples', '03-monthly-datev-batch-to-disk.json');
const CREDENTIAL = { id: 'tiktokPaymentsCred', name: 'TikTok Payments OAuth API', type: 'tikTokPaymentsOAuthApi' };
const FETCH_NODES = ['Statements of Last Month', 'Payouts of Last Month'];
const SAMPLE_MS = 100;
const SETTLE_MS = 30_000;
const OWNER = { email: 'bench@example.test', password: 'Bench-password-1' };
const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

function git(args) {
	const result = spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' });
	return result.status === 0 ? result.stdout.trim() : '';
}

/** Builds the package from the working tree in a temporary copy; returns its folder. */
function buildSnapshot() {
	const dir = mkdtempSync(join(tmpdir(), 'bench-package-'));
	const copy = spawnSync(
		'sh',
		['-c', 'tar --exclude=./node_modules --exclude=./dist --exclude=./.git --exclude=./bench -cf - . | tar -xf - -C "$0"', dir],
		{ cwd: repoRoot, stdio: 'inherit' },
	);
	if (copy.status !== 0) throw new Error('could not copy the working tree');
	symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
	const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'node24.mjs'), 'n8n-node', 'build'], {
		cwd: dir,
		env: { ...process.env, PATH: `${join(repoRoot, 'node_modules', '.bin')}:${process.env.PATH}` },
		encoding: 'utf8',
	});
	if (build.status !== 0) throw new Error(`n8n-node build failed in the snapshot:\n${build.stdout}\n${build.stderr}`);
	return dir;
}

function workflowFor(orders, filesDir) {
	const workflow = JSON.parse(readFileSync(EXAMPLE, 'utf8'));
	workflow.id = `benchMonthly${orders}`;
	workflow.name = `${workflow.name} (bench ${orders} orders)`;
	for (const node of workflow.nodes) {
		if (FETCH_NODES.includes(node.name)) node.parameters.options = { ...node.parameters.options, requestsPerSecond: 1000 };
		if (node.name === 'Write DATEV File') node.parameters.fileName = `=${filesDir}/datev/{{ $json.fileName }}`;
	}
	return workflow;
}

/**
 * The example as it runs in production: activated in `n8n start`, started by its Schedule Trigger. The trigger fires
 * every 30 seconds (cron with seconds); the bench deactivates the workflow as soon as the first execution starts.
 */
function scheduledWorkflow(orders, filesDir, tag) {
	const workflow = workflowFor(orders, filesDir);
	workflow.id = `benchServer${orders}${tag}`;
	workflow.name = `${workflow.name} (server)`;
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-base.scheduleTrigger') {
			node.parameters = { rule: { interval: [{ field: 'cronExpression', expression: '*/30 * * * * *' }] } };
		}
	}
	return workflow;
}

/** A workflow with only the Manual Trigger: what `n8n execute` costs before our nodes do anything. */
const BASELINE = {
	id: 'benchBaseline',
	name: 'bench baseline: manual trigger only',
	nodes: [{ id: 'b1', name: 'Run Now (Test)', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} }],
	connections: {},
	settings: { executionOrder: 'v1' },
	active: false,
	pinData: {},
};

/** Every process whose process group is `pgid`, with its parent, VmRSS and VmHWM in KiB. */
function groupProcesses(pgid) {
	const found = [];
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			// Fields after the command name (which may contain spaces) start with state, ppid, pgrp.
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			if (Number(fields[2]) !== pgid) continue;
			const ppid = Number(fields[1]);
			const status = readFileSync(`/proc/${name}/status`, 'utf8');
			const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
			found.push({ pid: Number(name), ppid, rss: kib('VmRSS'), hwm: kib('VmHWM') });
		} catch {
			// The process ended between listing and reading.
		}
	}
	return found;
}

/** Runs `n8n execute --id` under /usr/bin/time -v and samples the memory of its process group. */
async function measuredExecute(n8n, id) {
	const { nodeBin, n8nBin } = n8n.runtime;
	const handle = start('/usr/bin/time', ['-v', nodeBin, n8nBin, 'execute', `--id=${id}`], {
		cwd: n8n.userFolder,
		env: n8n.env,
		timeoutMs: 60 * 60_000,
	});
	let peakGroupKib = 0;
	const hwm = new Map();
	const timeline = [];
	const sample = () => {
		const processes = groupProcesses(handle.pid);
		peakGroupKib = Math.max(peakGroupKib, processes.reduce((sum, p) => sum + p.rss, 0));
		// n8n blanks its command line, so processes are told apart by parentage: time → n8n → task runner(s).
		const kindOf = (p) => (p.pid === handle.pid ? 'time' : p.ppid === handle.pid ? 'n8n' : 'runner');
		timeline.push({ at: Date.now(), kib: Math.max(0, ...processes.filter((p) => kindOf(p) === 'n8n').map((p) => p.rss)) });
		for (const p of processes) {
			const kind = kindOf(p);
			hwm.set(p.pid, { kind, hwm: Math.max(hwm.get(p.pid)?.hwm ?? 0, p.hwm) });
		}
	};
	const timer = setInterval(sample, SAMPLE_MS);
	const result = await handle.exited;
	clearInterval(timer);
	const timeReport = result.stderr;
	const timed = /Maximum resident set size \(kbytes\): (\d+)/.exec(timeReport);
	if (!timed) log(`n8n: no /usr/bin/time report (exit ${result.code}, signal ${result.signal}); using the sampled VmHWM`);
	// `n8n execute` prints the run data with JSON.stringify and exits: above ~50 MB the pipe loses the tail, above
	// V8's 512 MB string limit the print itself fails. The execution n8n stored in its database is read instead.
	const run = await storedExecution(n8n, id);
	const byKind = (kind) => Math.max(0, ...[...hwm.values()].filter((p) => p.kind === kind).map((p) => p.hwm));
	const maxRssKib = timed ? Number(timed[1]) : byKind('n8n');
	// The workflow's own share: the n8n process's RSS while the execution ran (before n8n saved and printed it).
	const started = utcMs(run?.startedAt);
	const stopped = utcMs(run?.stoppedAt);
	const during = timeline.filter((s) => s.at >= started && s.at <= stopped + SAMPLE_MS).map((s) => s.kib);
	return {
		exitCode: result.code,
		wallSeconds: result.ms / 1000,
		run,
		stdoutMb: Buffer.byteLength(result.stdout) / 2 ** 20,
		printFailed: /Invalid string length/.test(result.stdout + result.stderr),
		n8nPeakRssMb: maxRssKib / 1024,
		n8nSampledHwmMb: byKind('n8n') / 1024,
		n8nPeakDuringWorkflowMb: during.length > 0 ? Math.max(...during) / 1024 : undefined,
		runnerPeakRssMb: byKind('runner') / 1024,
		groupPeakRssMb: peakGroupKib / 1024,
		stderrTail: result.code === 0 ? undefined : `${result.stdout.slice(-1500)}\n${result.stderr.slice(-1500)}`,
	};
}

/**
 * Starts `n8n start` in the user folder, activates `workflowId` and samples the server's process group (n8n and its
 * task runner) every 100 ms while its Schedule Trigger starts one execution and n8n runs and saves it. **Idle** is
 * the group's RSS just before the execution starts (server up, workflow active); **peak** the highest sum after.
 */
async function measuredServerRun(n8n, workflowId, { timeoutMs = 10 * 60_000, cgroup, nodeOptions } = {}) {
	// V8 settings are n8n's own (NODE_OPTIONS, as n8n's docs suggest for memory), for the n8n process.
	const options = nodeOptions === undefined ? {} : { NODE_OPTIONS: nodeOptions };
	const server = await n8n.startServer({ env: { ...(await ownerEnv(OWNER)), ...options }, cgroupProcs: cgroup?.procs });
	const timeline = [];
	const sample = () => {
		const processes = groupProcesses(server.pid);
		// n8n itself is the group's leader; the rest is its task runner (and whatever that starts).
		const n8nKib = processes.find((p) => p.pid === server.pid)?.rss ?? 0;
		timeline.push({ at: Date.now(), kib: processes.reduce((sum, p) => sum + p.rss, 0), n8nKib });
	};
	const timer = setInterval(sample, SAMPLE_MS);
	const began = Date.now();
	try {
		const rest = await restClient(server.url, OWNER);
		// n8n keeps working for a while after it reports ready (loading packages, its start-up garbage): idle is read
		// once that has settled.
		await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
		const { versionId } = await rest('GET', `/workflows/${workflowId}`);
		await rest('POST', `/workflows/${workflowId}/activate`, { versionId });
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		let executions = [];
		let deactivated = false;
		while (Date.now() - began < timeoutMs) {
			executions = (await rest('GET', `/executions?limit=10&filter=${filter}`)).results;
			if (executions.length > 0 && !deactivated) {
				deactivated = true;
				await rest('POST', `/workflows/${workflowId}/deactivate`, {});
			}
			if (executions.length > 0 && executions.every((execution) => FINISHED.has(execution.status))) break;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		if (executions.length === 0) throw new Error(`the Schedule Trigger started no execution within ${timeoutMs} ms`);
		// Saving the execution is part of finishing it; a moment more catches what n8n does right after.
		await new Promise((resolve) => setTimeout(resolve, 3_000));
		sample();
		const startedAt = Math.min(...executions.map((execution) => Date.parse(execution.startedAt)));
		const before = timeline.filter((s) => s.at < startedAt);
		const idle = before.length > 0 ? before[before.length - 1] : { kib: 0, n8nKib: 0 };
		const after = timeline.filter((s) => s.at >= startedAt);
		const peak = after.reduce((highest, s) => (s.kib > highest.kib ? s : highest), { kib: 0, n8nKib: 0 });
		// Where the peak lies: the samples from the execution's start (ms after it, MB), to set against its nodes' times.
		const samples = after.map((s) => [s.at - startedAt, Math.round(s.kib / 1024)]);
		// How the idle and the peak sums divide between n8n and its task runner.
		const split = (s) => ({ n8nMb: Math.round(s.n8nKib / 1024), runnerMb: Math.round((s.kib - s.n8nKib) / 1024) });
		return { executions: executions.length, idleMb: idle.kib / 1024, peakMb: peak.kib / 1024, samples, idleSplit: split(idle), peakSplit: split(peak) };
	} finally {
		clearInterval(timer);
		await server.stop();
	}
}

/** sqlite stores the execution times as UTC without a zone ('2026-11-23 11:24:55.123'). */
function utcMs(value) {
	if (value === undefined || value === null) return NaN;
	if (value instanceof Date) return value.getTime();
	if (typeof value === 'number') return value;
	return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}

/** The last execution of `workflowId` from the user folder's sqlite database, run data unflattened. */
async function storedExecution(n8n, workflowId) {
	const load = createRequire(join(n8n.runtime.dir, 'node_modules', 'n8n', 'package.json'));
	const sqlite3 = load('sqlite3');
	const flatted = load('flatted');
	const db = new sqlite3.Database(join(n8n.userFolder, '.n8n', 'database.sqlite'), sqlite3.OPEN_READONLY);
	try {
		const row = await new Promise((resolve, reject) =>
			db.get(
				'SELECT e.status, e.startedAt, e.stoppedAt, d.data FROM execution_entity e LEFT JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ? ORDER BY e.id DESC LIMIT 1',
				[workflowId],
				(error, result) => (error ? reject(error) : resolve(result)),
			),
		);
		if (!row) return undefined;
		return { status: row.status, startedAt: row.startedAt, stoppedAt: row.stoppedAt, data: row.data ? flatted.parse(row.data) : undefined };
	} finally {
		db.close();
	}
}

/** Each node's runs as [name, ms from the execution's start to the node's start, ms it took]. */
function nodeSpans(run, started) {
	const runData = run?.data?.resultData?.runData ?? {};
	return Object.entries(runData)
		.flatMap(([name, runs]) => runs.map((r) => [name, r.startTime - started, r.executionTime ?? 0]))
		.sort((a, b) => a[1] - b[1]);
}

function nodeSeconds(run, name) {
	const runs = nodeRuns(run, name);
	return runs.length > 0 ? round(runs.reduce((sum, r) => sum + (r.executionTime ?? 0), 0) / 1000, 2) : undefined;
}

export async function benchN8n({ orders, modes = ['cli', 'server'], memoryLimits = [], heapLimits = [], nodeOptions }) {
	const began = Date.now();
	const source = { commit: git(['rev-parse', '--short', 'HEAD']), changedFiles: git(['status', '--porcelain']).split('\n').filter(Boolean).length };
	log(`n8n: building the package from the working tree (HEAD ${source.commit} + ${source.changedFiles} changed files)`);
	const snapshot = buildSnapshot();
	const packDir = mkdtempSync(join(tmpdir(), 'bench-pack-'));
	const userFolder = mkdtempSync(join(tmpdir(), 'bench-n8n-'));
	let n8n;
	const results = { source, month: lastMonth(), runs: [], serverRuns: [] };
	try {
		const packed = await packRepo({ repo: snapshot, destination: packDir });
		n8n = await createN8nEnv({ userFolder, timeoutMs: 30 * 60_000 });
		await installPackageInto(userFolder, { repo: snapshot, tarball: packed.tarball });
		const datevDir = join(n8n.filesDir, 'datev');
		mkdirSync(datevDir, { recursive: true });

		if (modes.includes('cli')) {
			await n8n.importWorkflows([BASELINE]);
			log('n8n: baseline (manual trigger only)');
			const baseline = await measuredExecute(n8n, BASELINE.id);
			results.baseline = summarize(baseline, { orders: 0 });
		}

		for (const count of orders) {
			log(`n8n: ${count} orders — generating the sandbox month ${results.month}`);
			const shop = monthShop({ month: results.month, ordersPerMonth: count });
			const sandbox = createSandbox({ data: shop.data });
			const server = await listen(sandbox);
			try {
				const { appKey, appSecret } = sandbox.credentials;
				// A fresh authorization for every run, as a newly set-up credential has.
				const importCredential = () =>
					n8n.importCredentials([
						{
							...CREDENTIAL,
							data: { appKey, appSecret, market: 'ROW', authCode: sandbox.credentials.authCode(), customHosts: true, apiBaseUrl: server.url, authBaseUrl: server.url },
						},
					]);
				/** The files a run wrote, removed for the next run. */
				const filesWritten = () => {
					const files = readdirSync(datevDir).map((name) => ({ name, bytes: statSync(join(datevDir, name)).size }));
					for (const file of files) rmSync(join(datevDir, file.name));
					return { files: files.length, fileMb: round(files.reduce((sum, file) => sum + file.bytes, 0) / 2 ** 20, 1) };
				};
				if (modes.includes('cli')) {
					await importCredential();
					const workflow = workflowFor(count, n8n.filesDir);
					await n8n.importWorkflows([workflow]);
					const requestsBefore = sandbox.stats.requests;
					const loadBefore = load();
					log(`n8n: ${count} orders — n8n execute`);
					const measured = await measuredExecute(n8n, workflow.id);
					results.runs.push({
						...summarize(measured, { orders: count }),
						requests: sandbox.stats.requests - requestsBefore,
						...filesWritten(),
						loadBefore,
						loadAfter: load(),
					});
					const last = results.runs[results.runs.length - 1];
					if (last.error) log(`n8n: ${count} orders: ${last.error}`);
				}
				// `nodeOptions`: NODE_OPTIONS for n8n (a V8 heap limit, or any V8 settings given); `tag` tells the run's
				// workflow copy apart.
				const serverRun = async (memoryMb, nodeOptions, tag = memoryMb ? `m${memoryMb}` : '') => {
					const cgroup = memoryMb === undefined ? undefined : memoryCgroup(memoryMb);
					if (memoryMb !== undefined && !cgroup) return;
					await importCredential();
					// A copy of its own per run, so that what an earlier run marked as booked does not count here.
					const workflow = scheduledWorkflow(count, n8n.filesDir, tag);
					await n8n.importWorkflows([workflow]);
					const requestsBefore = sandbox.stats.requests;
					const loadBefore = load();
					log(`n8n: ${count} orders — n8n start, Schedule Trigger${memoryMb ? `, memory limited to ${memoryMb} MB` : ''}${nodeOptions ? `, NODE_OPTIONS=${nodeOptions}` : ''}`);
					let measured;
					try {
						measured = await measuredServerRun(n8n, workflow.id, { cgroup, nodeOptions });
					} catch (error) {
						measured = { failed: error.message.slice(0, 300) };
					}
					const oomKills = cgroup?.oomKills();
					await cgroup?.remove();
					const run = await storedExecution(n8n, workflow.id);
					const started = utcMs(run?.startedAt);
					const stopped = utcMs(run?.stoppedAt);
					results.serverRuns.push({
						orders: count,
						memoryLimitMb: memoryMb,
						nodeOptions,
						status: run?.status ?? 'no execution',
						error: runError(run) ?? measured.failed,
						oomKills,
						executions: measured.executions,
						workflowSeconds: round((stopped - started) / 1000, 1),
						mapSeconds: nodeSeconds(run, 'Map to SKR Bookings'),
						requests: sandbox.stats.requests - requestsBefore,
						...filesWritten(),
						idleMb: round(measured.idleMb, 0),
						groupPeakRssMb: round(measured.peakMb, 0),
						idleSplit: measured.idleSplit,
						peakSplit: measured.peakSplit,
						timeline: { samples: measured.samples, nodes: nodeSpans(run, started) },
						loadBefore,
						loadAfter: load(),
					});
				};
				if (modes.includes('server')) await serverRun(undefined);
				for (const memoryMb of memoryLimits) await serverRun(memoryMb);
				for (const heapMb of heapLimits) await serverRun(undefined, `--max-old-space-size=${heapMb}`, `h${heapMb}`);
				if (nodeOptions) await serverRun(undefined, nodeOptions, 'o');
			} finally {
				await server.close();
			}
		}
	} finally {
		await n8n?.stop({ removeFolder: true });
		for (const dir of [snapshot, packDir, userFolder]) if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
	}
	results.totalSeconds = round((Date.now() - began) / 1000, 0);
	printN8n(results);
	return results;
}

/** The node and message of a stored execution's error, if it failed. */
function runError(run) {
	const data = run?.data?.resultData;
	return data?.error ? `${data.lastNodeExecuted ?? ''}: ${data.error.message}` : undefined;
}

function summarize(measured, extra) {
	const { run } = measured;
	const statements = nodeRuns(run, 'Statements of Last Month')[0]?.data?.main?.[0] ?? [];
	const started = utcMs(run?.startedAt);
	const stopped = utcMs(run?.stoppedAt);
	return {
		...extra,
		status: run?.status ?? `exit ${measured.exitCode}`,
		error:
			runError(run) ??
			(measured.exitCode === 0
				? undefined
				: measured.printFailed && run?.status === 'success'
					? 'the workflow succeeded; n8n execute then failed to print its run data (RangeError: Invalid string length)'
					: measured.stderrTail),
		statements: statements.length,
		transactions: statements.reduce((sum, item) => sum + (item.json?.transactions?.length ?? 0), 0),
		wallSeconds: round(measured.wallSeconds, 1),
		workflowSeconds: Number.isNaN(stopped - started) ? undefined : round((stopped - started) / 1000, 1),
		fetchSeconds: round(FETCH_NODES.reduce((sum, name) => sum + (nodeSeconds(run, name) ?? 0), 0), 1),
		mapSeconds: nodeSeconds(run, 'Map to SKR Bookings'),
		writeSeconds: nodeSeconds(run, 'Write DATEV File'),
		n8nPeakRssMb: round(measured.n8nPeakRssMb, 0),
		n8nSampledHwmMb: round(measured.n8nSampledHwmMb, 0),
		n8nPeakDuringWorkflowMb: round(measured.n8nPeakDuringWorkflowMb, 0),
		runnerPeakRssMb: round(measured.runnerPeakRssMb, 0),
		groupPeakRssMb: round(measured.groupPeakRssMb, 0),
		runDataPrintedMb: round(measured.stdoutMb, 0),
		cliExit: measured.exitCode,
		cliPrintFailed: measured.printFailed,
	};
}

export function printN8n(results) {
	const rows = [results.baseline, ...results.runs].filter(Boolean).map((r) => [
		r.orders === 0 ? 'baseline' : r.orders,
		r.status,
		r.transactions,
		r.requests ?? '',
		r.files ?? '',
		r.wallSeconds,
		r.workflowSeconds,
		r.fetchSeconds,
		r.mapSeconds,
		r.writeSeconds,
		r.n8nPeakDuringWorkflowMb,
		r.n8nPeakRssMb,
		r.groupPeakRssMb,
		r.cliPrintFailed ? `${r.cliExit} (print)` : r.cliExit,
		r.loadBefore ? `${r.loadBefore[0]}→${r.loadAfter[0]}` : '',
	]);
	printTable(
		`Bench 3 — example 03 in n8n (package ${results.source.commit}+${results.source.changedFiles} changed files; sandbox unthrottled, node Requests per Second 1000)`,
		['orders', 'status', 'transactions', 'requests', 'files', 'wall s', 'workflow s', 'fetch s', 'map s', 'write s', 'n8n RSS in workflow MB', 'n8n peak RSS MB', 'all processes MB', 'cli exit', 'load'],
		rows,
	);
	if ((results.serverRuns ?? []).length === 0) return;
	printTable(
		'Bench 3 — the same workflow activated in n8n start, run by its Schedule Trigger (n8n + task runner)',
		['orders', 'memory limit', 'status', 'OOM kills', 'executions', 'requests', 'files', 'workflow s', 'map s', 'idle MB', 'all processes peak MB', 'load'],
		results.serverRuns.map((r) => [
			r.orders,
			r.memoryLimitMb ? `${r.memoryLimitMb} MB` : r.nodeOptions ? `none; NODE_OPTIONS=${r.nodeOptions}` : 'none',
			r.oomKills > 0 ? `killed by the kernel (out of memory); execution left ${r.status}` : r.error ? `${r.status}: ${r.error}` : r.status,
			r.oomKills ?? '',
			r.executions,
			r.requests,
			r.files,
			r.workflowSeconds,
			r.mapSeconds,
			r.idleMb,
			r.groupPeakRssMb,
			`${r.loadBefore[0]}→${r.loadAfter[0]}`,
		]),
	);
}
