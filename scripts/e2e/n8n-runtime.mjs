#!/usr/bin/env node
// Installs a real n8n (pinned by a lockfile in the repository) into a cache outside the repository and reuses it.
// Two release lines are pinned: 2.x (scripts/e2e/n8n-runtime/, what every test uses) and 1.x
// (scripts/e2e/n8n-runtime-1.x/, for the compatibility run of example 3, `npm run test:e2e:n8n1`).
//
//   node scripts/e2e/n8n-runtime.mjs [2|1]      # install if needed, print the runtime folder
//   import { ensureN8n } from './n8n-runtime.mjs'
//
// Why it is done this way (measured on the project's machines):
// - n8n 2.41 needs Node >= 24, so npm and every n8n command run with the cached Node 24 first on PATH.
// - `npm ci` rejects the lockfile because the registry lacks some foreign-platform optional packages; `npm install`
//   with the lockfile present installs exactly the locked tree.
// - Install scripts are skipped (the Kafka node's native build needs the internet and aborts the install). The only
//   native module n8n needs beyond prebuilt ones is sqlite3, which is compiled from its bundled sources. That build
//   is CPU-bound, the install is mostly I/O, so the build runs at the same time in a side folder and its output is
//   copied into the tree.
// - The install goes into a temporary folder that is renamed only after the sanity checks passed, so an interrupted
//   install is never reused.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, ensureNode24, ensureNodeVersion, node24Env, NODE_VERSION } from '../node24.mjs';
import { log, runChecked, seconds } from './proc.mjs';

const MARKER = '.e2e-runtime-ready.json';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The pinned n8n per release line: the folder with its package.json + package-lock.json, resolved against the npm
 * registry (part of the repository), and the Node it runs on. 1.x runs on Node 22 LTS, inside n8n 1.123's engines
 * (">=20.19 <= 24.x"), so that the two lines cover Node 22 and 24. 1.x overrides xlsx with the registry's copy:
 * n8n-nodes-base 1.x depends on a tarball on cdn.sheetjs.com, which is not a registry and not reachable from CI
 * machines without internet.
 */
const LINES = {
	2: { lock: 'n8n-runtime', node: () => ensureNode24() },
	1: { lock: 'n8n-runtime-1.x', nodeVersion: '22.23.5', node: () => ensureNodeVersion('22.23.5') },
};

/** The release line to use when none is given: $TIKTOK_PAYMENTS_N8N_LINE (1 or 2), else 2. */
export function defaultLine() {
	return process.env.TIKTOK_PAYMENTS_N8N_LINE ?? '2';
}

function lineOf(line) {
	const known = LINES[line];
	if (!known) throw new Error(`unknown n8n release line "${line}" (known: ${Object.keys(LINES).join(', ')})`);
	return known;
}

function lockDir(line) {
	const dir = join(repoRoot, 'scripts', 'e2e', lineOf(line).lock);
	if (!existsSync(join(dir, 'package-lock.json'))) throw new Error(`n8n runtime lockfile missing: ${dir}`);
	return dir;
}

/** The exact n8n version the lockfile of a release line pins. */
export function n8nVersion(line = defaultLine()) {
	return JSON.parse(readFileSync(join(lockDir(line), 'package.json'), 'utf8')).dependencies.n8n;
}

export const N8N_VERSION = n8nVersion('2');

/** The cache folder for a lockfile (and the Node it is installed with): a changed lockfile gives a new folder. */
export function runtimeDir(line = defaultLine()) {
	const hash = createHash('sha256').update(readFileSync(join(lockDir(line), 'package-lock.json'))).digest('hex');
	const node = lineOf(line).nodeVersion ? `-node${lineOf(line).nodeVersion.split('.')[0]}` : '';
	return join(cacheRoot(), `n8n-${n8nVersion(line)}${node}-${hash.slice(0, 12)}`);
}

/**
 * Environment for npm and n8n: Node 24 first on PATH, headers for native builds, no prompts, no extra traffic.
 * `npm run` exports the project's .npmrc (ignore-scripts=true among it) and its own settings as npm_config_* to child
 * processes; inherited, they would silently turn `npm rebuild sqlite3` into a no-op. So every inherited npm_config_*
 * is dropped and what the runtime install needs is set explicitly.
 */
export function runtimeEnv(base = process.env, line = defaultLine()) {
	const clean = Object.fromEntries(
		Object.entries(base).filter(([key]) => !/^npm_config_/i.test(key) && !/^npm_(lifecycle|package)_/i.test(key)),
	);
	return {
		...node24Env(clean, lineOf(line).node()),
		npm_config_ignore_scripts: 'false',
		npm_config_yes: 'true',
		npm_config_audit: 'false',
		npm_config_fund: 'false',
		npm_config_update_notifier: 'false',
	};
}

function describe(dir, nodeBin, version, line) {
	return { dir, nodeBin, version, line, n8nBin: join(dir, 'node_modules', 'n8n', 'bin', 'n8n') };
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** Removes staging folders of installs whose process is gone (each holds up to 3 GB). */
function removeStaleStaging(dir) {
	const parent = dirname(dir);
	if (!existsSync(parent)) return;
	const prefix = `${dir.slice(parent.length + 1)}.tmp-`;
	for (const name of readdirSync(parent)) {
		if (!name.startsWith(prefix)) continue;
		const pid = Number(name.slice(prefix.length).split('-')[0]);
		if (Number.isInteger(pid) && pid !== process.pid && !pidAlive(pid)) {
			log(`removing stale install folder ${name}`);
			rmSync(join(parent, name), { recursive: true, force: true });
		}
	}
}

async function buildSqlite3(sideDir, version, env) {
	const began = Date.now();
	await mkdir(sideDir, { recursive: true });
	writeFileSync(join(sideDir, 'package.json'), JSON.stringify({ name: 'sqlite3-build', private: true }));
	const quiet = { cwd: sideDir, env, timeoutMs: 15 * 60_000 };
	await runChecked('npm', ['install', '--ignore-scripts', '--no-save', '--no-package-lock', `sqlite3@${version}`], quiet);
	log(`sqlite3 ${version}: sources fetched after ${seconds(began)}, compiling`);
	await runChecked('npm', ['rebuild', 'sqlite3', '--build-from-source', '--ignore-scripts=false'], quiet);
	const build = join(sideDir, 'node_modules', 'sqlite3', 'build');
	const binding = join(build, 'Release', 'node_sqlite3.node');
	// A build that did nothing (scripts disabled somewhere) must fail here, not later as a missing module in n8n.
	if (!existsSync(binding)) throw new Error(`sqlite3 ${version} was not compiled: ${binding} is missing`);
	log(`sqlite3 ${version}: compiled in ${seconds(began)}`);
	return build;
}

const SANITY = `
const sqlite3 = require('sqlite3');
const ivm = require('isolated-vm');
const isolate = new ivm.Isolate({ memoryLimit: 32 });
const two = isolate.createContextSync().evalSync('1+1');
if (two !== 2) throw new Error('isolated-vm evaluated 1+1 to ' + two);
const db = new sqlite3.Database(':memory:');
db.get('select 40 + 2 as answer', (error, row) => {
	if (error || row.answer !== 42) { console.error(error || row); process.exit(1); }
	db.close(() => console.log('sqlite3 ok, isolated-vm ok'));
});
`;

/**
 * Makes sure the pinned n8n of a release line (default: defaultLine()) is installed in the cache with the line's Node
 * and returns { dir, nodeBin, n8nBin, version, line, installed }. `installed` is true when this call did the install.
 */
export async function ensureN8n(line = defaultLine()) {
	const began = Date.now();
	const { nodeBin } = lineOf(line).node();
	const nodeVersion = lineOf(line).nodeVersion ?? (nodeBin === process.execPath ? process.versions.node : NODE_VERSION);
	const dir = runtimeDir(line);
	const version = n8nVersion(line);
	if (existsSync(join(dir, MARKER))) {
		log(`n8n ${version} runtime cached at ${dir} (${seconds(began)})`);
		return { ...describe(dir, nodeBin, version, line), installed: false };
	}
	removeStaleStaging(dir);
	const staging = `${dir}.tmp-${process.pid}`;
	const sideDir = `${staging}-sqlite3`;
	rmSync(staging, { recursive: true, force: true });
	rmSync(sideDir, { recursive: true, force: true });
	await mkdir(staging, { recursive: true });
	const lock = lockDir(line);
	for (const file of ['package.json', 'package-lock.json']) cpSync(join(lock, file), join(staging, file));
	const sqliteVersion = JSON.parse(readFileSync(join(lock, 'package-lock.json'), 'utf8')).packages[
		'node_modules/sqlite3'
	].version;
	const env = runtimeEnv(process.env, line);
	log(`installing n8n ${version} with Node ${nodeVersion} into ${staging} (about 5 min the first time)`);
	try {
		// allSettled: when one side fails, the other must still finish before its folder is deleted.
		const [install, sqlite] = await Promise.allSettled([
			runChecked('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], {
				cwd: staging,
				env,
				timeoutMs: 25 * 60_000,
			}).then(() => log(`npm install finished after ${seconds(began)}`)),
			buildSqlite3(sideDir, sqliteVersion, env),
		]);
		for (const outcome of [install, sqlite]) if (outcome.status === 'rejected') throw outcome.reason;
		const sqliteBuild = sqlite.value;
		cpSync(sqliteBuild, join(staging, 'node_modules', 'sqlite3', 'build'), { recursive: true });
		const check = await runChecked(nodeBin, ['-e', SANITY], { cwd: staging, env, timeoutMs: 60_000 });
		log(check.stdout.trim());
		writeFileSync(
			join(staging, MARKER),
			JSON.stringify({ n8n: version, node: nodeVersion, sqlite3: sqliteVersion, installedAt: new Date().toISOString(), seconds: (Date.now() - began) / 1000 }, null, 2),
		);
		if (existsSync(join(dir, MARKER))) {
			// Another run finished first; keep its copy.
			rmSync(staging, { recursive: true, force: true });
		} else {
			rmSync(dir, { recursive: true, force: true });
			renameSync(staging, dir);
		}
	} catch (error) {
		log(`n8n install failed after ${seconds(began)}; removing ${staging}`);
		rmSync(staging, { recursive: true, force: true });
		throw error;
	} finally {
		rmSync(sideDir, { recursive: true, force: true });
	}
	log(`n8n ${version} runtime ready at ${dir} in ${seconds(began)}`);
	return { ...describe(dir, nodeBin, version, line), installed: true };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
	ensureN8n(process.argv[2]).then(
		(runtime) => process.stdout.write(`${runtime.dir}\n`),
		(error) => {
			process.stderr.write(`${error.stack ?? error}\n`);
			process.exit(1);
		},
	);
}
