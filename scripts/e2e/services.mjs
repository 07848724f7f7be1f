// Throwaway Redis and PostgreSQL servers for the queue-mode test: Debian's binaries (installed with apt-get as root
// when missing, see ../apt.mjs), data in a temporary folder, ports chosen by the OS, nothing persisted, both stopped
// with the test. PostgreSQL refuses to run as root, so as root its processes run as the `postgres` user that Debian's
// package creates.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { ensureDebianPackages, isRoot } from '../apt.mjs';
import { freePort } from './n8n-cli.mjs';
import { log, runChecked, seconds, start, tail } from './proc.mjs';

export const REDIS_SERVER = '/usr/bin/redis-server';
const POSTGRES_ROOT = '/usr/lib/postgresql';

/** The bin folder of the newest PostgreSQL Debian installed (/usr/lib/postgresql/<major>/bin), if any. */
export function postgresBinDir() {
	if (!existsSync(POSTGRES_ROOT)) return undefined;
	const majors = readdirSync(POSTGRES_ROOT)
		.filter((name) => existsSync(join(POSTGRES_ROOT, name, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length > 0 ? join(POSTGRES_ROOT, majors[0], 'bin') : undefined;
}

/** Installs Debian's redis-server and postgresql when their binaries are missing (as root; else throws how to). */
export function ensureQueueServices() {
	ensureDebianPackages(['redis-server'], () => existsSync(REDIS_SERVER), 'Redis (/usr/bin/redis-server)');
	ensureDebianPackages(['postgresql'], () => postgresBinDir() !== undefined, 'PostgreSQL (/usr/lib/postgresql/*/bin/initdb)');
}

/** Resolves when `check()` is true; throws after `timeoutMs` or when the process ended. */
async function waitUntil(what, check, { timeoutMs = 30_000, exited }) {
	const began = Date.now();
	let gone;
	exited?.then((result) => {
		gone = result;
	});
	while (Date.now() - began < timeoutMs) {
		if (gone) throw new Error(`${what} exited (${gone.code ?? gone.signal}) before it was ready:\n${tail(gone.stdout)}\n${tail(gone.stderr)}`);
		if (await check()) return;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`${what} was not ready within ${timeoutMs} ms`);
}

/** True when a Redis server on `port` answers PING. */
function redisAnswers(port) {
	return new Promise((resolve) => {
		const socket = createConnection({ host: '127.0.0.1', port });
		let reply = '';
		const done = (ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1_000, () => done(false));
		socket.once('error', () => done(false));
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			reply += chunk.toString('latin1');
			if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
		});
	});
}

/** Redis on a free loopback port, no persistence; `stop()` ends it. */
export async function startRedis(dir) {
	const began = Date.now();
	mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const handle = start(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], {
		timeoutMs: 6 * 60 * 60_000,
	});
	await waitUntil('redis-server', () => redisAnswers(port), { exited: handle.exited });
	log(`redis ready on 127.0.0.1:${port} (${seconds(began)})`);
	return { host: '127.0.0.1', port, pid: handle.pid, stop: () => handle.stop(5_000) };
}

/** As root: the command run as the `postgres` user (PostgreSQL refuses root). */
function asPostgresUser(command, args) {
	return isRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

/**
 * PostgreSQL on a free loopback port with a fresh cluster in `dir` (trust authentication for the `postgres` user,
 * no fsync: the data is thrown away). The database `postgres` is there from initdb. `stop()` ends it.
 */
export async function startPostgres(dir) {
	const began = Date.now();
	const bin = postgresBinDir();
	if (!bin) throw new Error('PostgreSQL is not installed (ensureQueueServices installs it)');
	const data = join(dir, 'data');
	mkdirSync(dir, { recursive: true });
	if (isRoot()) {
		const user = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
		const group = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
		if (user.status !== 0) throw new Error('as root PostgreSQL runs as the user "postgres", which does not exist (Debian\'s postgresql package creates it)');
		chownSync(dir, Number(user.stdout.trim()), Number(group.stdout.trim()));
	}
	const [initCommand, initArgs] = asPostgresUser(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
	await runChecked(initCommand, initArgs, { timeoutMs: 120_000 });
	const port = await freePort();
	const settings = ['listen_addresses=127.0.0.1', 'fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'max_connections=100'];
	const [command, args] = asPostgresUser(join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, ...settings.flatMap((s) => ['-c', s])]);
	const handle = start(command, args, { timeoutMs: 6 * 60 * 60_000 });
	const ready = async () => spawnSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-q'], { timeout: 5_000 }).status === 0;
	await waitUntil('postgres', ready, { exited: handle.exited });
	log(`postgres ready on 127.0.0.1:${port} (${seconds(began)})`);
	/** Runs SQL through psql and returns the rows as arrays of strings (tab-separated, no header). */
	const query = async (sql) => {
		const result = await runChecked(join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-XAtq', '-F', '\t', '-c', sql], {
			timeoutMs: 30_000,
		});
		return result.stdout.split('\n').filter((line) => line !== '').map((line) => line.split('\t'));
	};
	return { host: '127.0.0.1', port, user: 'postgres', database: 'postgres', pid: handle.pid, query, stop: () => handle.stop(10_000) };
}

/** Lets the `postgres` user reach `dir` (mkdtemp makes folders only their owner may enter). */
export function openForPostgres(dir) {
	if (isRoot()) chmodSync(dir, 0o755);
}
