// Drives the cached n8n from the command line for end-to-end tests: one isolated user folder (own sqlite database,
// own community-package folder, own task-broker port) per environment, every child process with a timeout.
//
//   const n8n = await createN8nEnv({ userFolder });
//   await n8n.importCredentials([{ id, name, type, data }]);
//   await n8n.importWorkflows(dirOrFileOrArrayOfWorkflows);
//   const { exitCode, run } = await n8n.execute('wfSmoke0001');
//   await n8n.stop();
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultLine, ensureN8n, runtimeEnv } from './n8n-runtime.mjs';
import { inCgroup, log, run, seconds, start, tail } from './proc.mjs';

// A fixed key so credentials imported as plain objects decrypt the same way in every command of an environment.
export const E2E_ENCRYPTION_KEY = 'e2e-n8n-nodes-tiktok-payments-fixed-key';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/**
 * The run data `n8n execute` prints. Without --rawOutput it is pretty JSON logged between a line that is exactly
 * `{` and the next line that is exactly `}`, among other log lines; with --rawOutput it is one line of JSON.
 */
export function parseRunOutput(stdout) {
	const lines = stdout.split('\n').map((line) => line.replace(/\r$/, ''));
	const open = lines.indexOf('{');
	if (open >= 0) {
		const close = lines.indexOf('}', open + 1);
		if (close > open) return JSON.parse(lines.slice(open, close + 1).join('\n'));
	}
	for (const line of lines.reverse()) {
		if (!line.startsWith('{')) continue;
		try {
			return JSON.parse(line);
		} catch {
			// A log line that happens to start with a brace.
		}
	}
	return undefined;
}

/** The items (their `json`) a node produced on one output in its last run; [] when it did not run. */
export function nodeItems(run, nodeName, output = 0) {
	const runs = run?.data?.resultData?.runData?.[nodeName];
	const main = runs?.[runs.length - 1]?.data?.main?.[output] ?? [];
	return main.map((item) => item.json);
}

/** Full node runs (binary data, errors, hints) of one node, for assertions beyond `json`. */
export function nodeRuns(run, nodeName) {
	return run?.data?.resultData?.runData?.[nodeName] ?? [];
}

/**
 * The hermetic environment of one user folder (all traffic stays on loopback except what workflows do). `line` is
 * the n8n release line (its Node comes first on PATH); 1.x refuses to start when told to disable a module it does
 * not have (mcp-registry is 2.x).
 */
export function hermeticEnv({ userFolder, filesDir, brokerPort, line = defaultLine(), extra = {} }) {
	return {
		...runtimeEnv(process.env, line),
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: E2E_ENCRYPTION_KEY,
		DB_TYPE: 'sqlite',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		...(String(line) === '1' ? {} : { N8N_DISABLED_MODULES: 'mcp-registry' }),
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_RESTRICT_FILE_ACCESS_TO: filesDir,
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		...extra,
	};
}

/**
 * Environment variables for an `n8n start` with an owner account and no setup wizard (browser tests log in with
 * `POST /rest/login`). The password hash is made with the bcryptjs that ships inside n8n.
 */
export async function ownerEnv({ email = 'e2e@example.test', password = 'E2e-password-1' } = {}) {
	const { dir } = await ensureN8n();
	const bcrypt = createRequire(join(dir, 'node_modules', 'n8n', 'package.json'))('bcryptjs');
	return {
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: email,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: bcrypt.hashSync(password, 10),
		N8N_SECURE_COOKIE: 'false',
	};
}

async function waitForHttp(url, { timeoutMs, exited }) {
	const began = Date.now();
	let gone = false;
	exited.then(() => {
		gone = true;
	});
	while (Date.now() - began < timeoutMs) {
		if (gone) return false;
		try {
			const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
			if (response.status === 200) return true;
		} catch {
			// Not listening yet.
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	return false;
}

/**
 * Creates (or reuses) an n8n user folder and returns a driver for it. `env` adds or overrides variables;
 * `timeoutMs` is the default limit for each CLI command; `line` picks the n8n release line (see n8n-runtime.mjs).
 */
export async function createN8nEnv({ userFolder, env: extra = {}, timeoutMs = 180_000, line } = {}) {
	const runtime = await ensureN8n(line);
	const folder = userFolder ?? mkdtempSync(join(tmpdir(), 'e2e-n8n-user-'));
	const filesDir = join(folder, 'files');
	const scratch = join(folder, 'e2e-scratch');
	mkdirSync(filesDir, { recursive: true });
	mkdirSync(scratch, { recursive: true });
	const env = hermeticEnv({ userFolder: folder, filesDir, brokerPort: await freePort(), line: runtime.line, extra });
	const servers = new Set();
	let scratchCount = 0;

	const scratchFile = (name, content) => {
		scratchCount += 1;
		const file = join(scratch, `${scratchCount}-${name}`);
		writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
		return file;
	};

	/** Runs `n8n <args>`; resolves with { exitCode, stdout, stderr, ms, timedOut } whatever the exit code. */
	async function cli(args, { timeoutMs: limit = timeoutMs, env: more = {} } = {}) {
		const result = await run(runtime.nodeBin, [runtime.n8nBin, ...args], {
			cwd: folder,
			env: { ...env, ...more },
			timeoutMs: limit,
		});
		return { exitCode: result.code, stdout: result.stdout, stderr: result.stderr, ms: result.ms, timedOut: result.timedOut };
	}

	async function cliChecked(args, options) {
		const result = await cli(args, options);
		if (result.exitCode !== 0) {
			throw new Error(`n8n ${args.join(' ')} failed (exit ${result.exitCode}${result.timedOut ? ', timed out' : ''}):\n${tail(result.stdout)}\n${tail(result.stderr)}`);
		}
		return result;
	}

	return {
		userFolder: folder,
		filesDir,
		env,
		runtime,
		cli,

		/** `creds`: a file path or an array of { id, name, type, data } (plain `data` is encrypted on import). */
		async importCredentials(creds) {
			const file = typeof creds === 'string' ? creds : scratchFile('credentials.json', creds);
			return cliChecked(['import:credentials', `--input=${file}`]);
		},

		/**
		 * `workflows`: a folder of workflow JSON files, one file, or an array of workflow objects (each with a fixed
		 * `id` of at most 21 characters). A folder is imported in one command to pay n8n's start-up once.
		 */
		async importWorkflows(workflows) {
			let input = workflows;
			if (Array.isArray(workflows)) {
				input = join(scratch, `workflows-${++scratchCount}`);
				mkdirSync(input);
				for (const [index, workflow] of workflows.entries()) {
					writeFileSync(join(input, `${index}-${workflow.id ?? 'wf'}.json`), JSON.stringify(workflow, null, 2));
				}
			}
			const separate = statSync(input).isDirectory() ? ['--separate'] : [];
			return cliChecked(['import:workflow', ...separate, `--input=${input}`]);
		},

		/**
		 * Runs a workflow from its Manual Trigger. Resolves with { exitCode, run, status, error, stdout, stderr, ms };
		 * exit code 1 (a node error, an unknown id or node type) is reported, not thrown.
		 */
		async execute(id, { rawOutput = false, timeoutMs: limit } = {}) {
			const args = ['execute', `--id=${id}`, ...(rawOutput ? ['--rawOutput'] : [])];
			const result = await cli(args, { timeoutMs: limit ?? timeoutMs });
			let runData;
			try {
				runData = parseRunOutput(result.stdout);
			} catch (error) {
				throw new Error(`could not parse the run data of workflow ${id}: ${error.message}\n${tail(result.stdout, 10)}`);
			}
			return {
				...result,
				run: runData,
				status: runData?.status,
				error: runData?.data?.resultData?.error,
			};
		},

		/** Descriptions of all node types this n8n loads (built-in and community). */
		async exportNodes() {
			const file = join(scratch, `nodes-${++scratchCount}.json`);
			await cliChecked(['export:nodes', `--output=${file}`]);
			return JSON.parse(readFileSync(file, 'utf8'));
		},

		/**
		 * Starts `n8n start` on a free loopback port and waits for /healthz/readiness. Returns { url, port, stop() }.
		 * `env` adds variables, e.g. from ownerEnv().
		 */
		async startServer({ env: more = {}, readyTimeoutMs = 120_000, cgroupProcs } = {}) {
			const began = Date.now();
			const port = await freePort();
			// `cgroupProcs`: the cgroup.procs file of a cgroup to start n8n in (benches limit its memory that way).
			const n8nStart = [runtime.nodeBin, [runtime.n8nBin, 'start']];
			const [command, args] = cgroupProcs ? inCgroup(cgroupProcs, ...n8nStart) : n8nStart;
			const handle = start(command, args, {
				cwd: folder,
				env: { ...env, N8N_PORT: String(port), N8N_HOST: '127.0.0.1', ...more },
				timeoutMs: 6 * 60 * 60_000,
			});
			const url = `http://127.0.0.1:${port}`;
			const server = {
				url,
				port,
				/** The server's process id, which is also its process group (benches sample the group's memory). */
				pid: handle.pid,
				stop: async () => {
					servers.delete(server);
					return handle.stop();
				},
			};
			servers.add(server);
			if (!(await waitForHttp(`${url}/healthz/readiness`, { timeoutMs: readyTimeoutMs, exited: handle.exited }))) {
				await server.stop();
				const result = await handle.exited;
				throw new Error(`n8n start did not become ready within ${readyTimeoutMs} ms:\n${tail(result.stdout)}\n${tail(result.stderr)}`);
			}
			log(`n8n server ready at ${url} (${seconds(began)})`);
			return server;
		},

		/** Stops every server of this environment; with `removeFolder`, deletes the user folder too. */
		async stop({ removeFolder = false } = {}) {
			await Promise.all([...servers].map((server) => server.stop()));
			if (removeFolder) rmSync(folder, { recursive: true, force: true });
		},
	};
}
