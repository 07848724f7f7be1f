#!/usr/bin/env node
// Completes package-lock.json with optional platform packages the registry mirror of our build machines lacks.
//
// npm writes a lockfile without optional dependencies it cannot resolve (e.g. @unrs/resolver-binding-darwin-arm64,
// a native binding of eslint's import resolver for other platforms). `npm ci` then refuses the lockfile as "out
// of sync", on every machine. This adds an entry per missing optional dependency with the exact version its parent
// asks for and the os/cpu/libc that its napi-rs style name encodes, so npm skips it on other platforms and fetches
// it by name and version where it is needed. Run it after `npm install` changed the lockfile:
//   node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const lockPath = fileURLToPath(new URL('../package-lock.json', import.meta.url));
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));

const CPUS = ['arm64', 'arm', 'x64', 'ia32', 'loong64', 'ppc64', 'riscv64', 's390x', 'wasm32'];
const OSES = ['android', 'darwin', 'freebsd', 'linux', 'openharmony', 'win32', 'wasi'];

/** os, cpu and libc from names like `binding-linux-arm-musleabihf` or `binding-win32-x64-msvc`. */
function platformOf(name) {
	const parts = name.split('/').pop().split('-');
	const os = parts.find((part) => OSES.includes(part));
	const cpu = parts.find((part) => CPUS.includes(part));
	if (!os || !cpu) return undefined;
	const tail = parts.slice(parts.indexOf(cpu) + 1).join('-');
	const platform = { os: [os], cpu: [cpu] };
	if (os === 'linux') platform.libc = [/musl/.test(tail) ? 'musl' : 'glibc'];
	return platform;
}

let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
	for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
		const key = `node_modules/${name}`;
		const nested = `${path}/node_modules/${name}`;
		if (lock.packages[key] || lock.packages[nested]) continue;
		const platform = platformOf(name);
		if (!platform || !/^\d+\.\d+\.\d+/.test(spec)) {
			process.stderr.write(`cannot complete ${name}@${spec} (needed by ${path}); add it by hand\n`);
			process.exitCode = 1;
			continue;
		}
		lock.packages[key] = { version: spec, ...(entry.dev ? { dev: true } : {}), optional: true, ...platform };
		added += 1;
	}
}

writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`added ${added} optional platform entries to package-lock.json\n`);
