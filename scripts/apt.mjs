#!/usr/bin/env node
// Installs Debian packages that tests need (chromium for the browser test; redis-server and postgresql for the
// queue-mode test) when they are missing and we may: as root, with apt-get. The package lists are refreshed once per
// process before the first install. A non-root user gets an error that names the command to run.
//
//   node scripts/apt.mjs redis-server postgresql     # install these packages if apt-get may
//   import { ensureDebianPackages } from './apt.mjs'
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

let listsUpdated = false;

function run(command, args) {
	process.stderr.write(`[apt] ${command} ${args.join(' ')}\n`);
	const result = spawnSync(command, args, {
		stdio: ['ignore', 'ignore', 'inherit'],
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		timeout: 15 * 60_000,
	});
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

export function isRoot() {
	return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function hasAptGet() {
	return spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
}

/**
 * Makes `present()` true by installing `packages` with apt-get (as root); does nothing when it already is. Throws
 * with the install command when it cannot (not root, no apt-get) or the install did not help.
 */
export function ensureDebianPackages(packages, present, what = packages.join(', ')) {
	if (present()) return;
	const command = `sudo apt-get install -y --no-install-recommends ${packages.join(' ')}`;
	if (!isRoot() || !hasAptGet()) {
		throw new Error(`${what} not found: install Debian's package (${command}), or run this as root, which installs it`);
	}
	if (!listsUpdated) {
		run('apt-get', ['update', '-qq']);
		listsUpdated = true;
	}
	run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages]);
	if (!present()) throw new Error(`${what} still missing after apt-get install ${packages.join(' ')}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
	const packages = process.argv.slice(2);
	try {
		// Without a check of its own, the command line asks dpkg whether each package is installed.
		const installed = () => packages.every((name) => spawnSync('dpkg', ['-s', name], { stdio: 'ignore' }).status === 0);
		ensureDebianPackages(packages, installed);
	} catch (error) {
		process.stderr.write(`${error.message}\n`);
		process.exit(1);
	}
}
