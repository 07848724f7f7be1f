#!/usr/bin/env node
// Finds the Chromium the browser test drives, installing Debian's package when it is missing and we may.
//
//   node scripts/chromium.mjs          # print the path of a usable chromium (installing it first if needed)
//   import { ensureChromium } from './chromium.mjs'
//
// Order: $CHROMIUM_PATH, then Debian's /usr/bin/chromium, then (as root, with apt-get) `apt-get install chromium`.
// Playwright's own browser download is not used: it fetches from a CDN that offline and mirrored machines cannot
// reach, while Debian's package comes from the distribution's mirror like every other system package.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

function run(command, args) {
	process.stderr.write(`[chromium] ${command} ${args.join(' ')}\n`);
	const result = spawnSync(command, args, {
		stdio: ['ignore', 'ignore', 'inherit'],
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		timeout: 15 * 60_000,
	});
	if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

function hasAptGet() {
	return spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
}

/** Returns the path of a chromium executable; installs Debian's `chromium` package when running as root. */
export function ensureChromium() {
	const wanted = process.env.CHROMIUM_PATH;
	if (wanted) {
		if (!existsSync(wanted)) throw new Error(`CHROMIUM_PATH=${wanted} does not exist`);
		return wanted;
	}
	if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
	const root = typeof process.getuid === 'function' && process.getuid() === 0;
	if (root && hasAptGet()) {
		run('apt-get', ['update', '-qq']);
		run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium']);
		if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
	}
	throw new Error(
		`no chromium found: install Debian's package (sudo apt-get install -y chromium) or set CHROMIUM_PATH to a ` +
			`Chromium or Chrome executable`,
	);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
	try {
		process.stdout.write(`${ensureChromium()}\n`);
	} catch (error) {
		process.stderr.write(`${error.message}\n`);
		process.exit(1);
	}
}
