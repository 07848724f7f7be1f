#!/usr/bin/env node
// Finds the Chromium the browser test drives, installing Debian's package when it is missing and we may.
//
//   node scripts/chromium.mjs          # print the path of a usable chromium (installing it first if needed)
//   import { ensureChromium } from './chromium.mjs'
//
// Order: $CHROMIUM_PATH, then Debian's /usr/bin/chromium, then (as root, with apt-get) `apt-get install chromium`.
// Playwright's own browser download is not used: it fetches from a CDN that offline and mirrored machines cannot
// reach, while Debian's package comes from the distribution's mirror like every other system package.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { ensureDebianPackages } from './apt.mjs';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Returns the path of a chromium executable; installs Debian's `chromium` package when running as root. */
export function ensureChromium() {
	const wanted = process.env.CHROMIUM_PATH;
	if (wanted) {
		if (!existsSync(wanted)) throw new Error(`CHROMIUM_PATH=${wanted} does not exist`);
		return wanted;
	}
	try {
		ensureDebianPackages(['chromium'], () => existsSync(DEBIAN_CHROMIUM), 'no chromium');
	} catch (error) {
		throw new Error(`${error.message}; or set CHROMIUM_PATH to a Chromium or Chrome executable`);
	}
	return DEBIAN_CHROMIUM;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
	try {
		process.stdout.write(`${ensureChromium()}\n`);
	} catch (error) {
		process.stderr.write(`${error.message}\n`);
		process.exit(1);
	}
}
