// n8n in queue mode for end-to-end tests: one `n8n start` (main: editor, webhooks, triggers, the queue's producer)
// and `n8n worker` processes (they run the executions), sharing one PostgreSQL database, one Redis and one
// encryption key. Every process has its own user folder with our packed package installed the way n8n installs
// community packages (a process without it fails executions with "Unrecognized node type"); all write files below
// one shared folder.
//
//   const cluster = await startQueueCluster({ root, redis, postgres, tarball, workers: 2 });
//   await cluster.importCredentials([...]); await cluster.importWorkflows([...]);   // before start()
//   await cluster.start(); const api = await cluster.login(); await api.activate(id);
//   await cluster.stop();
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { freePort, hermeticEnv, ownerEnv } from './n8n-cli.mjs';
import { ensureN8n } from './n8n-runtime.mjs';
import { installPackageInto } from './package-install.mjs';
import { log, run, seconds, start, tail } from './proc.mjs';

const OWNER = { email: 'queue@example.test', password: 'Queue-password-1' };

/** Queue settings that make a killed worker's execution visible within seconds instead of minutes. */
export const FAST_RECOVERY_ENV = {
	// A job whose worker stopped renewing its lock counts as stalled after 5 s (default 60 s) …
	QUEUE_WORKER_LOCK_DURATION: '5000',
	QUEUE_WORKER_LOCK_RENEW_TIME: '1000',
	QUEUE_WORKER_STALLED_INTERVAL: '2000',
	// … and main marks an execution whose job is gone as crashed every 6 s (default every 180 min).
	N8N_EXECUTIONS_QUEUE_RECOVERY_INTERVAL: '0.1',
};

async function waitForReady(url, handle, timeoutMs) {
	const began = Date.now();
	let ended;
	handle.exited.then((result) => {
		ended = result;
	});
	while (Date.now() - began < timeoutMs) {
		if (ended) throw new Error(`exited (${ended.code ?? ended.signal}) before ready:\n${tail(ended.stdout)}\n${tail(ended.stderr)}`);
		try {
			const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
			if (response.status === 200) return;
		} catch {
			// Not listening yet.
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`not ready within ${timeoutMs} ms (${url})`);
}

/**
 * Resident memory in KiB of `pid` (`self`) and of it with all its descendants (`total`; n8n's task runner is a
 * child process), from /proc.
 */
export function treeRssKiB(pid) {
	const children = new Map();
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
			if (!children.has(parent)) children.set(parent, []);
			children.get(parent).push(Number(name));
		} catch {
			// Gone meanwhile.
		}
	}
	const rss = (id) => {
		try {
			const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${id}/status`, 'utf8'));
			return match ? Number(match[1]) : 0;
		} catch {
			return 0; // Gone meanwhile.
		}
	};
	let total = 0;
	const pending = [pid];
	while (pending.length > 0) {
		const current = pending.pop();
		total += rss(current);
		pending.push(...(children.get(current) ?? []));
	}
	return { self: rss(pid), total };
}

/**
 * Prepares (does not start) a queue-mode cluster under `root`. `redis` and `postgres` come from ./services.mjs,
 * `tarball` from packRepo(). `env` adds variables to every process.
 */
export async function createQueueCluster({ root, redis, postgres, tarball, workers = 2, concurrency = 5, env: extra = {} }) {
	const runtime = await ensureN8n();
	const filesDir = join(root, 'files');
	mkdirSync(filesDir, { recursive: true });
	const mainPort = await freePort();
	const mainUrl = `http://127.0.0.1:${mainPort}`;
	const shared = {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: '',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		QUEUE_HEALTH_CHECK_ACTIVE: 'true',
		N8N_SECURE_COOKIE: 'false',
		...extra,
	};
	const processEnv = async (name, more = {}) => {
		const userFolder = join(root, name);
		mkdirSync(userFolder, { recursive: true });
		return {
			userFolder,
			env: { ...hermeticEnv({ userFolder, filesDir, brokerPort: await freePort(), extra: shared }), ...more },
		};
	};

	const began = Date.now();
	const main = await processEnv('main', { N8N_PORT: String(mainPort), N8N_HOST: '127.0.0.1', ...(await ownerEnv(OWNER)) });
	const workerEnvs = [];
	for (let index = 1; index <= workers; index++) {
		const healthPort = await freePort();
		const worker = await processEnv(`worker-${index}`, { N8N_PORT: String(await freePort()), QUEUE_HEALTH_CHECK_PORT: String(healthPort) });
		workerEnvs.push({ ...worker, name: `worker-${index}`, healthUrl: `http://127.0.0.1:${healthPort}/healthz/readiness` });
	}
	await Promise.all([main, ...workerEnvs].map((proc) => installPackageInto(proc.userFolder, { tarball })));
	log(`queue cluster prepared: package installed for main and ${workers} workers (${seconds(began)})`);

	let scratch = 0;
	const cli = async (args) => {
		const result = await run(runtime.nodeBin, [runtime.n8nBin, ...args], { cwd: main.userFolder, env: main.env, timeoutMs: 240_000 });
		if (result.code !== 0) throw new Error(`n8n ${args.join(' ')} failed (exit ${result.code}):\n${tail(result.stdout)}\n${tail(result.stderr)}`);
		return result;
	};
	const inputFile = (name, content) => {
		const file = join(root, `import-${++scratch}-${name}`);
		writeFileSync(file, JSON.stringify(content, null, 2));
		return file;
	};

	/** A running process with its output kept in memory (the test reads the workers' logs). */
	const launch = (name, args, proc) => {
		const handle = start(runtime.nodeBin, [runtime.n8nBin, ...args], { cwd: proc.userFolder, env: proc.env, timeoutMs: 60 * 60_000, collect: false });
		const output = [];
		handle.child.stdout.on('data', (chunk) => output.push(chunk));
		handle.child.stderr.on('data', (chunk) => output.push(chunk));
		return { name, handle, pid: handle.pid, log: () => Buffer.concat(output).toString('utf8'), killed: false };
	};

	const processes = { main: undefined, workers: [] };

	return {
		mainUrl,
		filesDir,
		processes,
		/** `creds`: [{ id, name, type, data }] with plain data (encrypted on import with the shared key). */
		importCredentials: (creds) => cli(['import:credentials', `--input=${inputFile('credentials.json', creds)}`]),
		importWorkflows: async (workflows) => {
			const dir = join(root, `import-${++scratch}-workflows`);
			mkdirSync(dir);
			for (const [index, workflow] of workflows.entries()) writeFileSync(join(dir, `${index}.json`), JSON.stringify(workflow, null, 2));
			return cli(['import:workflow', '--separate', `--input=${dir}`]);
		},

		/** Starts main and the workers together and waits until all are ready. */
		async start({ readyTimeoutMs = 180_000 } = {}) {
			const startedAt = Date.now();
			processes.main = launch('main', ['start'], main);
			processes.workers = workerEnvs.map((worker) => ({ ...launch(worker.name, ['worker', `--concurrency=${concurrency}`], worker), healthUrl: worker.healthUrl }));
			const ready = async (proc, url) => {
				try {
					await waitForReady(url, proc.handle, readyTimeoutMs);
				} catch (error) {
					throw new Error(`${proc.name}: ${error.message}\n${tail(proc.log())}`);
				}
			};
			await Promise.all([ready(processes.main, `${mainUrl}/healthz/readiness`), ...processes.workers.map((worker) => ready(worker, worker.healthUrl))]);
			log(`queue cluster ready: main ${mainUrl}, ${processes.workers.length} workers (${seconds(startedAt)})`);
		},

		/** Logs in as the owner and returns a small REST client. */
		async login() {
			const response = await fetch(`${mainUrl}/rest/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
			});
			if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
			const cookie = (response.headers.getSetCookie?.() ?? []).map((value) => value.split(';')[0]).join('; ');
			const rest = async (method, path, body) => {
				const answer = await fetch(`${mainUrl}/rest${path}`, {
					method,
					headers: { cookie, 'content-type': 'application/json', 'browser-id': 'queue-test' },
					body: body === undefined ? undefined : JSON.stringify(body),
				});
				const text = await answer.text();
				if (!answer.ok) throw new Error(`${method} /rest${path}: ${answer.status} ${text.slice(0, 500)}`);
				return JSON.parse(text).data;
			};
			const flatted = createRequire(join(runtime.dir, 'node_modules', 'n8n', 'package.json'))('flatted');
			return {
				rest,
				async activate(id) {
					const workflow = await rest('GET', `/workflows/${id}`);
					return rest('POST', `/workflows/${id}/activate`, { versionId: workflow.versionId });
				},
				/** Executions of a workflow, newest first: { id, status, mode, startedAt, stoppedAt, retryOf }. */
				async executions(workflowId) {
					const filter = encodeURIComponent(JSON.stringify({ workflowId }));
					return (await rest('GET', `/executions?filter=${filter}&limit=100`)).results;
				},
				/** The run data of one execution (n8n sends it as a flatted string). */
				async runData(id) {
					const execution = await rest('GET', `/executions/${id}`);
					return typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data;
				},
			};
		},

		/** Resident memory (KiB) of main and each worker: { self, total } (total: with its task runner). */
		memory() {
			const live = [processes.main, ...processes.workers].filter((proc) => proc && !proc.killed);
			return Object.fromEntries(live.map((proc) => [proc.name, treeRssKiB(proc.pid)]));
		},

		/** SIGKILL to a worker's whole process group (the worker and its task runner), as an OOM kill or power cut. */
		async kill(worker) {
			worker.killed = true;
			process.kill(-worker.pid, 'SIGKILL');
			await worker.handle.exited;
		},

		async stop() {
			await Promise.all([...processes.workers, processes.main].filter(Boolean).map((proc) => proc.handle.stop(15_000)));
		},
	};
}
