// Memory cgroups for the benches (bench 1's limited runs, bench 3's n8n in 1 GB and 700 MB): what a container or VM of
// that size gives a process. Needs root and a memory controller (cgroup v1 or v2).
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { log } from './report.mjs';

let serial = 0;

/**
 * A memory cgroup of `mb` MiB (cgroup v1 or v2, as root): what a container or VM of that size gives a process. Node
 * sizes its heap by the limit (1 GiB: a 560 MB heap instead of 4.3 GB here) and the kernel kills a process that goes
 * beyond it (without swap, as on this machine). Start a process in it with `inCgroup` (scripts/e2e/proc.mjs).
 * Undefined where cgroups cannot be made (not root, no memory controller).
 */
export function memoryCgroup(mb) {
	const name = `bench-${process.pid}-${mb}-${(serial += 1)}`;
	const v1 = '/sys/fs/cgroup/memory';
	const v2 = '/sys/fs/cgroup';
	const bytes = String(mb * 2 ** 20);
	try {
		if (existsSync(join(v1, 'memory.limit_in_bytes'))) {
			const dir = join(v1, name);
			mkdirSync(dir);
			writeFileSync(join(dir, 'memory.limit_in_bytes'), bytes);
			return cgroupHandle(dir, 'memory.oom_control');
		}
		if (readFileSync(join(v2, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('memory')) {
			const dir = join(v2, name);
			mkdirSync(dir);
			writeFileSync(join(dir, 'memory.max'), bytes);
			return cgroupHandle(dir, 'memory.events');
		}
	} catch (error) {
		log(`no memory cgroup of ${mb} MB (${error.message}); the limited runs are left out`);
	}
	return undefined;
}

function cgroupHandle(dir, eventsFile) {
	return {
		procs: join(dir, 'cgroup.procs'),
		/** How often the kernel killed a process of the group for going beyond the limit. */
		oomKills: () => Number(/oom_kill (\d+)/.exec(readFileSync(join(dir, eventsFile), 'utf8'))?.[1] ?? 0),
		/** Once its processes are gone (they leave it a moment after they exit); waits up to 5 s. */
		remove: () => {
			for (let attempt = 0; ; attempt += 1) {
				try {
					rmdirSync(dir);
					return;
				} catch (error) {
					if (attempt >= 50) throw error;
					Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
				}
			}
		},
	};
}
