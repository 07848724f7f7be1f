#!/usr/bin/env node
// Smoke check of the end-to-end harness against a real n8n:
//   1. installs (or reuses) the pinned n8n runtime;
//   2. installs this repository's packed package into a fresh user folder (when it is built, see --package);
//   3. imports and executes a workflow of built-in nodes that calls a loopback HTTP server;
//   4. checks with `n8n export:nodes` that n8n registered the package's node types.
//
//   node scripts/e2e/smoke.mjs [--package=auto|require|skip] [--keep]
//     auto (default): test the package when dist/ holds the files package.json declares, otherwise skip it
//     require: fail when the package is not built (CI)
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createN8nEnv, nodeItems } from './n8n-cli.mjs';
import { ensureN8n, repoRoot } from './n8n-runtime.mjs';
import { installPackageInto } from './package-install.mjs';
import { log, seconds } from './proc.mjs';

const args = process.argv.slice(2);
const packageMode = (args.find((arg) => arg.startsWith('--package=')) ?? '--package=auto').slice('--package='.length);
const keep = args.includes('--keep');
const timings = [];

function fail(message) {
	throw new Error(`smoke check failed: ${message}`);
}

async function timed(label, action) {
	const began = Date.now();
	const result = await action();
	timings.push([label, (Date.now() - began) / 1000]);
	log(`${label}: ${seconds(began)}`);
	return result;
}

/** The package's node types as n8n names them: `<package>.<description.name>`; by the n8n convention the
 * description name is the class (file) name with a lower-case first letter. */
function expectedNodeTypes() {
	const pkgFile = join(repoRoot, 'package.json');
	if (!existsSync(pkgFile)) return { built: false, types: [], name: undefined };
	const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
	const files = pkg.n8n?.nodes ?? [];
	const built = files.length > 0 && files.every((file) => existsSync(join(repoRoot, file)));
	const types = files.map((file) => {
		const className = basename(file).replace(/\.node\.js$/, '');
		return `${pkg.name}.${className[0].toLowerCase()}${className.slice(1)}`;
	});
	return { built, types, name: pkg.name };
}

/** A loopback HTTP server the workflow calls, proving that workflow requests to 127.0.0.1 work. */
function startEchoServer() {
	const requests = [];
	const server = createServer((req, res) => {
		requests.push(`${req.method} ${req.url}`);
		res.setHeader('content-type', 'application/json');
		res.end(JSON.stringify({ pong: true, path: req.url }));
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => resolve({ server, requests, url: `http://127.0.0.1:${server.address().port}` }));
	});
}

function smokeWorkflow(echoUrl) {
	return {
		id: 'e2eSmokeBuiltin01',
		name: 'E2E smoke: built-in nodes',
		nodes: [
			{ id: 'a1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'a2',
				name: 'Set Greeting',
				type: 'n8n-nodes-base.set',
				typeVersion: 3.4,
				position: [220, 0],
				parameters: {
					mode: 'manual',
					assignments: {
						assignments: [
							{ id: 's1', name: 'greeting', value: 'hello from e2e', type: 'string' },
							{ id: 's2', name: 'amountMinor', value: '={{ 1999 + 1 }}', type: 'number' },
						],
					},
					options: {},
				},
			},
			{
				id: 'a3',
				name: 'Call Loopback',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [440, 0],
				parameters: { url: `${echoUrl}/ping`, options: {} },
			},
		],
		connections: {
			Start: { main: [[{ node: 'Set Greeting', type: 'main', index: 0 }]] },
			'Set Greeting': { main: [[{ node: 'Call Loopback', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		active: false,
		pinData: {},
	};
}

async function main() {
	const began = Date.now();
	const runtime = await timed('n8n runtime (ensureN8n)', () => ensureN8n());
	timings[timings.length - 1][0] += runtime.installed ? ' — fresh install' : ' — cached';

	const expected = expectedNodeTypes();
	const withPackage = packageMode === 'require' || (packageMode === 'auto' && expected.built);
	if (packageMode === 'require' && !expected.built) fail('the package is not built (run npm run build)');
	if (!withPackage) log(`package check skipped (--package=${packageMode}, built: ${expected.built})`);

	const userFolder = mkdtempSync(join(tmpdir(), 'e2e-smoke-'));
	const echo = await startEchoServer();
	const n8n = await createN8nEnv({ userFolder });
	try {
		if (withPackage) await timed('pack + install package', () => installPackageInto(userFolder));

		await timed('import:workflow (fresh database, migrations)', () => n8n.importWorkflows([smokeWorkflow(echo.url)]));

		const pretty = await timed('execute', () => n8n.execute('e2eSmokeBuiltin01'));
		if (pretty.exitCode !== 0 || pretty.status !== 'success') {
			fail(`execute exited ${pretty.exitCode}, status ${pretty.status}: ${pretty.error?.message ?? pretty.stdout.slice(-2000)}`);
		}
		const [set] = nodeItems(pretty.run, 'Set Greeting');
		if (set?.greeting !== 'hello from e2e' || set?.amountMinor !== 2000) fail(`unexpected Set output ${JSON.stringify(set)}`);
		const [response] = nodeItems(pretty.run, 'Call Loopback');
		if (response?.pong !== true || !echo.requests.includes('GET /ping')) {
			fail(`loopback call missing: ${JSON.stringify(response)} / ${echo.requests}`);
		}

		const raw = await timed('execute --rawOutput', () => n8n.execute('e2eSmokeBuiltin01', { rawOutput: true }));
		if (raw.status !== 'success' || nodeItems(raw.run, 'Set Greeting')[0]?.greeting !== 'hello from e2e') {
			fail(`--rawOutput run not parsed: ${raw.stdout.slice(-1000)}`);
		}

		const missingId = await n8n.execute('e2eNoSuchWorkflow');
		if (missingId.exitCode === 0) fail('executing an unknown workflow id should exit non-zero');

		if (withPackage) {
			const nodes = await timed('export:nodes', () => n8n.exportNodes());
			const loaded = nodes.map((node) => node.name).filter((name) => name.startsWith(`${expected.name}.`));
			log(`package node types loaded: ${[...new Set(loaded)].join(', ') || '(none)'}`);
			const missing = expected.types.filter((type) => !loaded.includes(type));
			if (missing.length > 0) fail(`node types not loaded by n8n: ${missing.join(', ')}`);
		}
	} finally {
		echo.server.close();
		await n8n.stop();
		if (keep) log(`user folder kept: ${userFolder}`);
		else rmSync(userFolder, { recursive: true, force: true });
	}

	process.stdout.write(`\nE2E smoke check passed in ${seconds(began)}\n`);
	for (const [label, secs] of timings) process.stdout.write(`  ${label.padEnd(48)} ${secs.toFixed(1)} s\n`);
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});
