// The world the browser test looks at: the TikTok sandbox on loopback, a real `n8n start` with our packed package
// installed as n8n installs community packages, the example workflows and a TikTok credential pointing at the
// sandbox, and an owner account to log in with. Everything is started by startEditorEnv() and stopped by its stop(),
// which never throws and is safe to call twice.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { register } from 'tsx/cjs/api';

import { createN8nEnv, ownerEnv } from '../../../scripts/e2e/n8n-cli.mjs';
import { repoRoot } from '../../../scripts/e2e/n8n-runtime.mjs';
import { installPackageInto } from '../../../scripts/e2e/package-install.mjs';
import { log, seconds } from '../../../scripts/e2e/proc.mjs';

// The sandbox is TypeScript compiled to CommonJS: load it through tsx's require hook.
register();
const require = createRequire(import.meta.url);
const { createSandbox } = require('../../../sandbox/index.ts');
const { listen } = require('../../../sandbox/http.js');

export const OWNER = { email: 'browser-test@example.test', password: 'Browser-test-1' };
export const TIKTOK_CREDENTIAL = { id: 'tiktokPaymentsCred', name: 'TikTok Payments OAuth API' };
export const EXAMPLES_DIR = join(repoRoot, 'workflows-examples');
/** Workflows the browser test needs besides the examples (resource locators, the monthly summary). */
export const FIXTURES_DIR = join(repoRoot, 'test', 'browser', 'fixtures');

/** The example workflows as files: [{ file, id, name, nodes }]. */
export function exampleWorkflows() {
	return readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({ file, ...JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) }));
}

/**
 * Credentials the examples reference. Besides ours (pointing at the sandbox, with a fresh authorization code), the
 * examples' SMTP and Google Drive nodes get placeholder credentials under the ids they reference, so that a
 * warning on the canvas can only come from a defect in the examples or our nodes, not from a missing foreign login.
 */
function credentials(sandbox, sandboxUrl) {
	return [
		{
			...TIKTOK_CREDENTIAL,
			type: 'tikTokPaymentsOAuthApi',
			data: {
				appKey: sandbox.credentials.appKey,
				appSecret: sandbox.credentials.appSecret,
				market: 'ROW',
				authCode: sandbox.credentials.authCode(),
				customHosts: true,
				apiBaseUrl: sandboxUrl,
				authBaseUrl: sandboxUrl,
			},
		},
		{
			id: 'smtpCred',
			name: 'SMTP account',
			type: 'smtp',
			data: { user: '', password: '', host: '127.0.0.1', port: 2525, secure: false },
		},
		{
			id: 'googleDriveCred',
			name: 'Google Drive account',
			type: 'googleDriveOAuth2Api',
			data: { clientId: 'placeholder', clientSecret: 'placeholder' },
		},
	];
}

/**
 * Serves a request and notes path, HTTP status and TikTok's code and message (never tokens or secrets: the query
 * and the rest of the body are left out), so that a failing credential test can say what the sandbox answered.
 */
async function loggedHandle(sandbox, sandboxLog, request) {
	const response = await sandbox.handle(request);
	let code;
	let message;
	try {
		({ code, message } = JSON.parse(response.body));
	} catch {
		// Not JSON: status alone.
	}
	sandboxLog.push({ method: request.method, path: request.path, status: response.status, code, message });
	return response;
}

/**
 * Starts everything. Returns { url, sandbox, sandboxUrl, sandboxLog, n8n, stop() }. On a failure half-way, what was started is
 * stopped before the error is rethrown.
 */
export async function startEditorEnv() {
	const began = Date.now();
	const stops = [];
	const stop = async () => {
		while (stops.length > 0) {
			const next = stops.pop();
			try {
				await next();
			} catch (error) {
				log(`browser test cleanup: ${error.message}`);
			}
		}
	};
	try {
		// A few statements are enough: the editor only needs the credential test (one statement) to succeed.
		const sandbox = createSandbox({ seed: 9, from: '2026-08', to: '2026-09', ordersPerMonth: 20 });
		const sandboxLog = [];
		const sandboxServer = await listen({ handle: (request) => loggedHandle(sandbox, sandboxLog, request) }, { port: 0 });
		stops.push(() => sandboxServer.close());

		const userFolder = mkdtempSync(join(tmpdir(), 'browser-n8n-user-'));
		// Also when the run is interrupted (the harness kills n8n on exit; this runs after it, synchronously).
		const removeUserFolder = () => rmSync(userFolder, { recursive: true, force: true });
		process.on('exit', removeUserFolder);
		stops.push(() => {
			process.off('exit', removeUserFolder);
			removeUserFolder();
		});
		const n8n = await createN8nEnv({ userFolder, timeoutMs: 90_000 });
		stops.push(() => n8n.stop());
		await installPackageInto(userFolder);
		await n8n.importCredentials(credentials(sandbox, sandboxServer.url));
		await n8n.importWorkflows(EXAMPLES_DIR);
		await n8n.importWorkflows(FIXTURES_DIR);
		const server = await n8n.startServer({ env: await ownerEnv(OWNER), readyTimeoutMs: 90_000 });
		log(`browser test environment ready in ${seconds(began)}`);
		return { url: server.url, sandbox, sandboxUrl: sandboxServer.url, sandboxLog, n8n, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
