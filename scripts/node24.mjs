#!/usr/bin/env node
// Runs a command with Node 24 first on PATH. n8n 2.41 (and @n8n/node-cli's peer n8n-workflow) need Node >= 24;
// a fresh machine may have an older Node, so we fetch the official Node binary from the npm registry
// (package node-<platform>-<arch>) into a cache outside the repository and reuse it on later runs.
//
//   node scripts/node24.mjs <command> [args...]
//   import { ensureNode24 } from './node24.mjs'
// ensureNodeVersion() fetches other pinned versions the same way (Node 22 for the n8n 1.x compatibility run).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_VERSION = '24.21.0';

/**
 * Where Node 24, n8n and the browser are cached: $TIKTOK_PAYMENTS_CACHE_DIR, else
 * $XDG_CACHE_HOME/n8n-nodes-tiktok-payments, else ~/.cache/n8n-nodes-tiktok-payments.
 */
export function cacheRoot() {
	if (process.env.TIKTOK_PAYMENTS_CACHE_DIR) return resolve(process.env.TIKTOK_PAYMENTS_CACHE_DIR);
	const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
	return join(base, 'n8n-nodes-tiktok-payments');
}

function platformPackage(version) {
	const os = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform];
	if (!os) throw new Error(`no Node ${version} package for platform ${process.platform}`);
	return `node-${os}-${process.arch}`;
}

/** Returns { nodeBin, binDir, nodeDir } of Node `version` in the cache, installing it there if needed. */
export function ensureNodeVersion(version) {
	const pkg = platformPackage(version);
	const prefix = join(cacheRoot(), `node-${version}-${process.platform}-${process.arch}`);
	const nodeDir = join(prefix, 'node_modules', pkg);
	const binDir = join(nodeDir, 'bin');
	const nodeBin = join(binDir, process.platform === 'win32' ? 'node.exe' : 'node');
	if (!existsSync(nodeBin)) {
		// Install into a temporary folder and rename, so an interrupted download never leaves a half-installed Node.
		const staging = `${prefix}.tmp-${process.pid}`;
		rmSync(staging, { recursive: true, force: true });
		mkdirSync(staging, { recursive: true });
		process.stderr.write(`Installing Node ${version} (${pkg}) into ${prefix} ...\n`);
		const result = spawnSync(
			'npm',
			['install', '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', staging, `${pkg}@${version}`],
			{ stdio: 'inherit', shell: process.platform === 'win32' },
		);
		if (result.status !== 0) throw new Error(`could not install ${pkg}@${version}`);
		rmSync(prefix, { recursive: true, force: true });
		renameSync(staging, prefix);
	}
	return { nodeBin, binDir, nodeDir };
}

/** Returns { nodeBin, binDir, nodeDir } of a Node 24 installation: this one if it is 24 or newer, else the cache's. */
export function ensureNode24() {
	const major = Number(process.versions.node.split('.')[0]);
	if (major >= 24 && !process.env.FORCE_CACHED_NODE) {
		const binDir = join(process.execPath, '..');
		return { nodeBin: process.execPath, binDir, nodeDir: join(binDir, '..') };
	}
	return ensureNodeVersion(NODE_VERSION);
}

/** Environment for child processes: `node` (default Node 24) first on PATH, native builds against its headers. */
export function node24Env(base = process.env, node = ensureNode24()) {
	const { binDir, nodeDir } = node;
	return { ...base, PATH: `${binDir}${delimiter}${base.PATH ?? ''}`, npm_config_nodedir: nodeDir };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
	const [command, ...args] = process.argv.slice(2);
	if (!command) {
		process.stderr.write('usage: node scripts/node24.mjs <command> [args...]\n');
		process.exit(2);
	}
	const result = spawnSync(command, args, { stdio: 'inherit', env: node24Env() });
	if (result.error) {
		process.stderr.write(`${result.error.message}\n`);
		process.exit(127);
	}
	process.exit(result.status ?? 1);
}
