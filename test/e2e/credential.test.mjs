// The credential in a real n8n 2.41.1 (our packed package installed as a community package, the TikTok sandbox on
// loopback): every way n8n's credential editor hands the credential back (replayed over the REST API of a real
// `n8n start`, counting the authorization codes the sandbox redeems), refreshes of concurrent executions in one
// process and in two, a shop lookup answering 503, a hung TikTok connection, and example 1 e-mailing the notice
// before the seller's authorization ends. Run with
//   node scripts/node24.mjs node --import tsx --test test/e2e/credential.test.mjs
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';

import { freePort, nodeItems, nodeRuns, ownerEnv, parseRunOutput } from '../../scripts/e2e/n8n-cli.mjs';
import { log, tail } from '../../scripts/e2e/proc.mjs';
import { n8nWithPackage, readExample, smtpCredential, startSandbox, tiktokCredential } from '../../scripts/e2e/scenario.mjs';
import { startHungServer } from '../support/hung-server.js';
import { startSmtpServer } from '../support/smtp-server.mjs';
import { credentialDialog, restClient, runWorkflow } from './support/editor-replay.mjs';

const require = createRequire(import.meta.url);
const { TikTokPaymentsOAuthApi } = require('../../credentials/TikTokPaymentsOAuthApi.credentials.ts');

const TYPE = 'tikTokPaymentsOAuthApi';
const OWNER = { email: 'e2e-credential@example.test', password: 'E2e-credential-1' };
const DAY = 86_400;
const WEEK = 7 * DAY;
const properties = new TikTokPaymentsOAuthApi().properties;

let shop;
let smtp;
let hung;
let n8n;
let server;
let rest;
/** Scenario table for the report: [scenario, outcome, codes redeemed, refreshes]. */
const table = [];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** What one credential of the scenarios is called and which workflow reads with it. */
function credentialOf(name) {
	return { id: `cred${name}`, name: `TikTok ${name}` };
}

/** Manual Trigger → TikTok Payments (last month's statements, no transactions): one run of a real user workflow. */
function statementsWorkflow(id, credential, options = {}) {
	return {
		id,
		name: `Statements with ${credential.name}`,
		nodes: [
			{ id: `${id}-t`, name: 'Run', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: `${id}-s`,
				name: 'Statements',
				type: 'n8n-nodes-tiktok-payments.tikTokPayments',
				typeVersion: 1,
				position: [240, 0],
				parameters: { resource: 'statement', operation: 'getMany', period: 'lastMonth', includeTransactions: false, options: { requestsPerSecond: 50, ...options } },
				credentials: { [TYPE]: credential },
			},
		],
		connections: { Run: { main: [[{ node: 'Statements', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		active: false,
		pinData: {},
	};
}

/** Sandbox counters before/after a step. */
function counters() {
	const { authCodesRedeemed, refreshes, requests } = shop.sandbox.stats;
	return { codes: authCodesRedeemed, refreshes, requests, rejected: shop.sandbox.stats.byCode['36004005'] ?? 0 };
}
function since(before) {
	const now = counters();
	return { codes: now.codes - before.codes, refreshes: now.refreshes - before.refreshes, requests: now.requests - before.requests, rejected: now.rejected - before.rejected };
}

/** What a user types into a new credential dialog for the sandbox (a fresh authorization code). */
const typedByUser = () => tiktokCredential(shop).data;

const ok = (result, step) => assert.equal(result.status, 'OK', `${step}: ${JSON.stringify(result)}`);
const imported = ['Imported', 'InUse', 'Expiring', 'Withheld', 'Parallel', 'Unavailable', 'Hung', 'NoticeMail'];

before(async () => {
	shop = await startSandbox({ ordersPerMonth: 40, seed: 8 });
	smtp = await startSmtpServer();
	hung = await startHungServer();
	n8n = await n8nWithPackage();
	const credentials = imported.map((name) => tiktokCredential(shop, credentialOf(name)));
	credentials.find((credential) => credential.id === 'credHung').data.apiBaseUrl = hung.url;
	await n8n.importCredentials([...credentials, smtpCredential(smtp.port)]);
	const workflows = imported.map((name) => statementsWorkflow(`run${name}`, credentialOf(name), name === 'Hung' ? { timeoutSeconds: 2 } : {}));
	const example1 = readExample('01-monthly-datev-batch-by-email.json');
	example1.id = 'noticeMailExample1';
	for (const node of example1.nodes) if (node.credentials?.[TYPE]) node.credentials[TYPE] = credentialOf('NoticeMail');
	await n8n.importWorkflows([...workflows, example1]);
});

after(async () => {
	if (table.length > 0) log(`credential scenarios:\n${table.map((row) => `  ${row.join(' | ')}`).join('\n')}`);
	await n8n?.stop({ removeFolder: true });
	await Promise.all([shop?.close(), smtp?.close(), hung?.close()]);
});

describe('the credential in n8n\'s editor (REST replay against n8n start)', () => {
	before(async () => {
		server = await n8n.startServer({ env: await ownerEnv(OWNER) });
		rest = await restClient(server.url, OWNER);
	});
	after(async () => server?.stop());

	const run = (name) => runWorkflow(rest, n8n.runtime.dir, `run${name}`, 'Run');

	it('create → test → Retry → edit and Save → Retry → a workflow run: one code redeemed', async () => {
		const start = counters();
		const dialog = credentialDialog(rest, { type: TYPE, properties }).create('TikTok Created', typedByUser());
		ok(await dialog.save(), 'save + test');
		ok(await dialog.test(), 'Retry');
		dialog.type({ serviceId: '7321000000000000002' });
		ok(await dialog.save(), 'edit, save + test');
		ok(await dialog.test(), 'Retry after save');
		const workflow = await rest('POST', '/workflows', { ...statementsWorkflow('runCreated', { id: dialog.id, name: 'TikTok Created' }), id: undefined });
		const result = await runWorkflow(rest, n8n.runtime.dir, workflow.id, 'Run');
		assert.equal(result.status, 'success', result.error);
		const used = since(start);
		assert.deepEqual([used.codes, used.rejected], [1, 0]);
		table.push(['create → test → Retry → edit+Save → Retry → run', 'pass', used.codes, used.refreshes]);
	});

	it('open an imported credential (n8n tests it) → Retry → Save → a workflow run: one code redeemed', async () => {
		const start = counters();
		const dialog = credentialDialog(rest, { type: TYPE, properties });
		ok(await dialog.open('credImported'), 'open');
		ok(await dialog.test(), 'Retry');
		ok(await dialog.save(), 'save + test');
		ok(await dialog.test(), 'Retry after save');
		assert.equal((await run('Imported')).status, 'success');
		const used = since(start);
		assert.deepEqual([used.codes, used.rejected], [1, 0]);
		table.push(['open imported → Retry → Save → Retry → run', 'pass', used.codes, used.refreshes]);
	});

	it('open a credential workflows use → Retry → edit and Save → a workflow run: no code, no refresh', async () => {
		assert.equal((await run('InUse')).status, 'success');
		const start = counters();
		const dialog = credentialDialog(rest, { type: TYPE, properties });
		ok(await dialog.open('credInUse'), 'open');
		ok(await dialog.test(), 'Retry');
		dialog.type({ shop: shop.sandbox.credentials.shopId });
		ok(await dialog.save(), 'edit, save + test');
		assert.equal((await run('InUse')).status, 'success');
		const used = since(start);
		assert.deepEqual([used.codes, used.refreshes, used.rejected], [0, 0, 0]);
		table.push(['open in-use → Retry → edit+Save → run', 'pass', used.codes, used.refreshes]);
	});

	it('the token expires and a run rotates it while a dialog is open; Retry and Save there keep the newest state', async () => {
		// Tokens that live 6 s: they count as expiring after 3 s.
		shop.sandbox.config.accessTokenTtlSeconds = 6;
		try {
			const start = counters();
			assert.equal((await run('Expiring')).status, 'success');
			const dialog = credentialDialog(rest, { type: TYPE, properties });
			ok(await dialog.open('credExpiring'), 'open');
			await sleep(3_500);
			ok(await dialog.test(), 'Retry after the token expired');
			await sleep(3_500);
			assert.equal((await run('Expiring')).status, 'success', 'a run that refreshes while the dialog is open');
			ok(await dialog.save(), 'save + test with the dialog\'s old copy');
			await sleep(3_500);
			assert.equal((await run('Expiring')).status, 'success', 'the run after');
			const used = since(start);
			assert.equal(used.codes, 1);
			assert.equal(used.rejected, 0);
			assert.ok(used.refreshes >= 3, `refreshes: ${used.refreshes}`);
			table.push(['token expiring / rotated by a run while the dialog is open', 'pass', used.codes, used.refreshes]);
		} finally {
			shop.sandbox.config.accessTokenTtlSeconds = WEEK;
		}
	});

	it('a creating dialog whose Save was not followed by a test, reopened: a clear message and no call; the run works', async () => {
		const start = counters();
		const created = credentialDialog(rest, { type: TYPE, properties }).create('TikTok Unfinished', typedByUser());
		ok(await created.save(), 'save + test');
		created.type({ serviceId: '7321000000000000003' });
		await created.save({ withTest: false });
		const before = counters();
		const reopened = credentialDialog(rest, { type: TYPE, properties });
		const result = await reopened.open(created.id);
		assert.equal(result.status, 'Error');
		assert.match(result.message, /n8n did not pass the stored authorization to this test, so nothing was sent to TikTok/);
		assert.equal(since(before).requests, 0);
		const workflow = await rest('POST', '/workflows', { ...statementsWorkflow('runUnfinished', { id: created.id, name: 'TikTok Unfinished' }), id: undefined });
		assert.equal((await runWorkflow(rest, n8n.runtime.dir, workflow.id, 'Run')).status, 'success');
		ok(await reopened.open(created.id), 'reopened after the run');
		const used = since(start);
		assert.deepEqual([used.codes, used.rejected], [1, 0]);
		table.push(['state withheld by the editor (Save without test, reopened)', 'pass (clear message, 0 calls)', used.codes, used.refreshes]);
	});

	it('two executions in one n8n process refreshing at the same moment share one refresh', async () => {
		assert.equal((await run('Parallel')).status, 'success');
		shop.sandbox.expireAccessTokens();
		const start = counters();
		const results = await Promise.all([run('Parallel'), run('Parallel')]);
		assert.deepEqual(results.map((result) => result.status), ['success', 'success'], JSON.stringify(results.map((result) => result.error)));
		const used = since(start);
		assert.deepEqual([used.codes, used.refreshes, used.rejected], [0, 1, 0]);
		table.push(['two executions together, one process (n8n start)', 'pass', used.codes, used.refreshes]);
	});
});

describe('runs in separate n8n processes (n8n execute)', () => {
	/** `n8n execute` with its own task-broker port, so that two can run at once. */
	async function execute(workflowId) {
		const result = await n8n.cli(['execute', `--id=${workflowId}`], { env: { N8N_RUNNERS_BROKER_PORT: String(await freePort()) } });
		const runData = parseRunOutput(result.stdout);
		if (runData === undefined) log(`n8n execute --id=${workflowId} printed no run data (exit ${result.exitCode}):\n${tail(result.stdout, 15)}\n${tail(result.stderr, 15)}`);
		return { ...result, run: runData, status: runData?.status, error: runData?.data?.resultData?.error };
	}

	it('two executions started together (slow shop lookup, rotating refresh token): both succeed, the next run works', async () => {
		assert.equal((await execute('runParallel')).status, 'success');
		shop.sandbox.expireAccessTokens();
		shop.sandbox.injectFaults('slow', 4, { delayMs: 2_000, path: '/authorization/' });
		// Make the race certain: the first refresh waits until the second has arrived and is answered first, so
		// one process redeems the refresh token the other one also holds.
		let arrivals = 0;
		let secondArrived;
		const second = new Promise((resolve) => (secondArrived = resolve));
		shop.hooks.beforeRequest = async (request) => {
			if (request.path !== '/api/v2/token/refresh') return;
			arrivals += 1;
			if (arrivals === 1) {
				await Promise.race([second, sleep(120_000)]);
				await sleep(300);
			} else if (arrivals === 2) secondArrived();
		};
		const start = counters();
		try {
			const results = await Promise.all([execute('runParallel'), execute('runParallel')]);
			assert.deepEqual(results.map((result) => result.status), ['success', 'success'], JSON.stringify(results.map((result) => result.error)));
		} finally {
			shop.hooks.beforeRequest = undefined;
		}
		const used = since(start);
		assert.equal(arrivals, 2, 'both processes refreshed');
		assert.deepEqual([used.codes, used.refreshes, used.rejected], [0, 1, 1]);
		// The authorization survived: the stored refresh token is the live one.
		shop.sandbox.expireAccessTokens();
		assert.equal((await execute('runParallel')).status, 'success');
		assert.equal(since(start).refreshes, 2);
		table.push(['two executions together, two processes (n8n execute)', 'pass', used.codes, used.refreshes]);
	});

	it('a shop lookup answering 503: one refresh, five lookups, a clear failure', async () => {
		shop.sandbox.config.accessTokenTtlSeconds = 4;
		try {
			assert.equal((await execute('runUnavailable')).status, 'success');
		} finally {
			shop.sandbox.config.accessTokenTtlSeconds = WEEK;
		}
		await sleep(2_500);
		shop.sandbox.injectFaults('unavailable', 50, { path: '/authorization/' });
		const start = counters();
		const lookups = shop.sandbox.stats.byPath['/authorization/202309/shops'] ?? 0;
		const result = await execute('runUnavailable');
		shop.sandbox.config.faults = [];
		assert.notEqual(result.status, 'success');
		assert.match(String(result.error?.message), /failed after 5 attempts \(last: HTTP 503\)/);
		const used = since(start);
		assert.equal(used.refreshes, 1);
		assert.equal((shop.sandbox.stats.byPath['/authorization/202309/shops'] ?? 0) - lookups, 5);
		table.push(['shop lookup answering 503', 'pass (fails clearly)', used.codes, used.refreshes]);
	});

	it('a hung TikTok connection fails the run within the timeout (2 s), once', async () => {
		const result = await execute('runHung');
		assert.notEqual(result.status, 'success');
		assert.equal(String(result.error?.message), `TikTok did not answer ${hung.url}/authorization/202309/shops within 2 s.`);
		const [nodeRun] = nodeRuns(result.run, 'Statements');
		assert.ok(nodeRun.executionTime < 10_000, `the node ran ${nodeRun.executionTime} ms`);
		assert.equal(hung.connections(), 1);
		table.push([`hung connection (timeout 2 s): node failed after ${nodeRun.executionTime} ms`, 'pass', 1, 0]);
	});

	it('example 1 e-mails the notice when the seller\'s authorization ends within 30 days', async () => {
		shop.sandbox.config.refreshTokenTtlSeconds = 12 * DAY;
		let result;
		try {
			result = await execute('noticeMailExample1');
		} finally {
			shop.sandbox.config.refreshTokenTtlSeconds = 365 * DAY;
		}
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const [notice] = nodeItems(result.run, 'Statements of Last Month', 1);
		assert.equal(notice.daysLeft, 11);
		const mails = smtp.messages.filter((message) => message.to.some((to) => to.includes('shop@example.com')));
		assert.equal(mails.length, 1);
		// Quoted-printable, as nodemailer sends it.
		const text = mails[0].data.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
		assert.match(text, /Subject: TikTok Shop: Autorisierung endet am \d{4}-\d\d-\d\d/);
		assert.ok(text.includes('https://services.tiktokshop.com/open/authorize?service_id=7321000000000000001'), text);
		assert.equal(smtp.messages.filter((message) => message.to.some((to) => to.includes('kanzlei@example.com'))).length, 1);
	});
});
