// Child-process helpers for the end-to-end harness. Every child runs in its own process group so that a timeout or
// the end of the harness can stop it together with whatever it started (n8n starts a task runner, npm starts
// node-gyp and compilers). Children still alive when this process exits are killed.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';

const live = new Set();
let exitHooked = false;

function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			// Already gone.
		}
	}
}

function hookExit() {
	if (exitHooked) return;
	exitHooked = true;
	process.on('exit', () => {
		for (const child of live) killGroup(child, 'SIGKILL');
	});
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
		process.once(signal, () => {
			for (const child of live) killGroup(child, 'SIGKILL');
			process.exit(128 + constants.signals[signal]);
		});
	}
}

/** Milliseconds since `start` as seconds with one decimal, for progress lines. */
export function seconds(start) {
	return `${((Date.now() - start) / 1000).toFixed(1)} s`;
}

export function log(message) {
	process.stderr.write(`[e2e ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** `command args` as a command that first moves itself into the cgroup whose cgroup.procs file is `procs` (benches). */
export function inCgroup(procs, command, args) {
	return ['sh', ['-c', 'echo $$ > "$0" && exec "$@"', procs, command, ...args]];
}

/**
 * Starts a command in its own process group and returns a handle; the handle's `exited` promise resolves (never
 * rejects) with { code, signal, timedOut, stdout, stderr, ms }. Output is collected unless `collect` is false and
 * mirrored to our stderr when `echo` is true. After `timeoutMs` the group gets SIGTERM, then SIGKILL 5 s later.
 */
export function start(command, args, { cwd, env, timeoutMs = 10 * 60_000, echo = false, collect = true } = {}) {
	hookExit();
	const began = Date.now();
	const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	live.add(child);
	const out = [];
	const err = [];
	child.stdout.on('data', (chunk) => {
		if (collect) out.push(chunk);
		if (echo) process.stderr.write(chunk);
	});
	child.stderr.on('data', (chunk) => {
		if (collect) err.push(chunk);
		if (echo) process.stderr.write(chunk);
	});
	let timedOut = false;
	let killTimer;
	const timer = setTimeout(() => {
		timedOut = true;
		killGroup(child, 'SIGTERM');
		killTimer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
	}, timeoutMs);
	const exited = new Promise((resolve) => {
		const finish = (code, signal, error) => {
			clearTimeout(timer);
			clearTimeout(killTimer);
			live.delete(child);
			resolve({
				code: code ?? (error ? 127 : null),
				signal: signal ?? null,
				timedOut,
				error,
				stdout: Buffer.concat(out).toString('utf8'),
				stderr: Buffer.concat(err).toString('utf8') + (error ? `\n${error.message}` : ''),
				ms: Date.now() - began,
			});
		};
		child.once('error', (error) => finish(null, null, error));
		child.once('close', (code, signal) => finish(code, signal));
	});
	return {
		child,
		pid: child.pid,
		exited,
		/** Signals the whole process group and waits for the exit; SIGKILL after `graceMs`. */
		async stop(graceMs = 10_000) {
			if (!live.has(child)) return exited;
			killGroup(child, 'SIGTERM');
			const force = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
			const result = await exited;
			clearTimeout(force);
			// The group leader may be gone while a grandchild (task runner) lingers.
			killGroup(child, 'SIGKILL');
			return result;
		},
	};
}

/** Runs a command to completion; see `start` for the options. */
export function run(command, args, options) {
	return start(command, args, options).exited;
}

/** Last lines of a command's output, for error messages. */
export function tail(text, lines = 40) {
	return text.split('\n').slice(-lines).join('\n');
}

/** Runs a command and throws with the output's tail unless it exits with 0. */
export async function runChecked(command, args, options) {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		const why = result.timedOut ? `timed out after ${result.ms} ms` : `exit ${result.code ?? result.signal}`;
		throw new Error(`${command} ${args.join(' ')} failed (${why}):\n${tail(result.stdout)}\n${tail(result.stderr)}`);
	}
	return result;
}
