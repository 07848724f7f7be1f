// n8n in queue mode (issue #17): main + two workers, PostgreSQL and Redis, our packed package in every process, one
// TikTok authorization covering several shops (one credential; each workflow's Shop parameter picks its shop).
// Redis and PostgreSQL are Debian's packages, installed with apt-get when missing (as root) and started as
// throwaway servers on free ports; n8n 2.41.1 comes from the e2e cache. Run with
//   node scripts/node24.mjs node --import tsx --test test/queue/queue.test.mjs   (npm run test:queue; build first)
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { createQueueCluster, FAST_RECOVERY_ENV } from '../../scripts/e2e/n8n-queue.mjs';
import { log } from '../../scripts/e2e/proc.mjs';
import { packRepo } from '../../scripts/e2e/package-install.mjs';
import { monthOf, readDatevDir, reconcileWithSandbox, tiktokCredential } from '../../scripts/e2e/scenario.mjs';
import { ensureQueueServices, openForPostgres, startPostgres, startRedis } from '../../scripts/e2e/services.mjs';

// The TypeScript modules are CommonJS; tsx compiles them on require.
const require = createRequire(import.meta.url);
const { createSandbox } = require('../../sandbox/index.ts');
const { generateShopData } = require('../../sandbox/generate.ts');
const { listen } = require('../../sandbox/http.js');

const PACKAGE = 'n8n-nodes-tiktok-payments';
const CREDENTIAL = { id: 'tiktokQueueCred', name: 'TikTok (three shops)' };
const SHOP_NAMES = ['Naturkosmetik DE', 'Naturkosmetik AT', 'Naturkosmetik CH'];
const TRIGGER_SHOP = 'Naturkosmetik Outlet';
const BALANCE = '1270';
const FINAL = new Set(['success', 'error', 'crashed', 'canceled']);

const nowMs = Date.now();
const now = new Date(nowMs);
const lastMonth = monthOf(now, -1);
const monthBefore = monthOf(now, -2);
/** First and last day of a YYYY-MM month, as the TikTok node's custom period takes them. */
const monthRange = (month) => {
	const [year, number] = month.split('-').map(Number);
	const last = new Date(Date.UTC(year, number, 0)).getUTCDate();
	return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
};

let root;
let redis;
let postgres;
let cluster;
let api;
let shops;
let sandbox;
let server;
const hooks = { beforeRequest: undefined };
const figures = { memoryMiB: {}, rounds: {} };
let sampler;
let triggerActivatedAt;

/** Requests the sandbox answered, per shop cipher and path (`+`: a follow-up page), and calls to the token refresh. */
const seen = { byCipher: new Map(), refreshCalls: 0 };

function workflowOf(index) {
	const shop = shops[index].shop;
	const folder = join(cluster.filesDir, `shop-${index + 1}`);
	return {
		id: `queueShop${index + 1}`,
		name: `Monthly DATEV batch, ${shop.name}`,
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {
			Webhook: { main: [[{ node: 'Statements', type: 'main', index: 0 }]] },
			Statements: { main: [[{ node: 'Map to SKR Bookings', type: 'main', index: 0 }]] },
			'Map to SKR Bookings': { main: [[{ node: 'Write File to Disk', type: 'main', index: 0 }]] },
			'Write File to Disk': { main: [[{ node: 'Mark as Booked', type: 'main', index: 0 }]] },
		},
		nodes: [
			{
				id: `webhook-${index + 1}`,
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `6f3c2a10-0000-4000-8000-00000000000${index + 1}`,
				parameters: { httpMethod: 'GET', path: `tiktok-shop-${index + 1}`, responseMode: 'onReceived', options: {} },
			},
			{
				id: `statements-${index + 1}`,
				name: 'Statements',
				type: `${PACKAGE}.tikTokPayments`,
				typeVersion: 2,
				position: [220, 0],
				parameters: {
					resource: 'statement',
					operation: 'getMany',
					shop: { __rl: true, mode: 'list', value: shop.id, cachedResultName: shop.name },
					period: 'custom',
					startDate: '={{ $json.query.from }}',
					endDate: '={{ $json.query.to }}',
					timeZone: 'Europe/Berlin',
					returnAll: true,
					includeTransactions: true,
					options: {},
				},
				credentials: { tikTokPaymentsOAuthApi: CREDENTIAL },
			},
			{
				id: `map-${index + 1}`,
				name: 'Map to SKR Bookings',
				type: `${PACKAGE}.mapToSkrBookings`,
				typeVersion: 1,
				position: [440, 0],
				// No Shop Name option: the file is named after the shop the statements come from.
				parameters: { chart: 'SKR03', revenueMode: 'clearing', output: 'datevFile', consultantNumber: 29098, clientNumber: 55003, binaryPropertyName: 'data', skipBookedBefore: true, options: {} },
			},
			{
				id: `write-${index + 1}`,
				name: 'Write File to Disk',
				type: 'n8n-nodes-base.readWriteFile',
				typeVersion: 1.1,
				position: [660, 0],
				// One file per execution, so that a month delivered twice would show as two files.
				parameters: { operation: 'write', fileName: `=${folder}/{{ $execution.id }}-{{ $json.fileName }}`, dataPropertyName: 'data', options: {} },
			},
			// What was delivered counts as booked, recorded in n8n's database, which main and the workers share.
			{ id: `mark-${index + 1}`, name: 'Mark as Booked', type: `${PACKAGE}.markAsBooked`, typeVersion: 1, position: [880, 0], parameters: { mapNodeName: 'Map to SKR Bookings' } },
		],
	};
}

function triggerWorkflow(shop) {
	const startDate = `${lastMonth}-01T00:00:00.000Z`;
	return {
		id: 'queueTrigger',
		name: 'Statements settled (trigger on main)',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: { 'TikTok Payments Trigger': { main: [[{ node: 'Events', type: 'main', index: 0 }]] } },
		nodes: [
			{
				id: 'trigger',
				name: 'TikTok Payments Trigger',
				type: `${PACKAGE}.tikTokPaymentsTrigger`,
				typeVersion: 1,
				position: [0, 0],
				parameters: {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					event: 'statementSettled',
					shop: { __rl: true, mode: 'id', value: shop.id },
					options: { startDate, lookBackDays: 70 },
				},
				credentials: { tikTokPaymentsOAuthApi: CREDENTIAL },
			},
			{ id: 'events', name: 'Events', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [220, 0], parameters: {} },
		],
	};
}

/** Calls the shops' webhooks at the same moment; resolves when main has accepted all of them. */
async function startRuns(indexes, month) {
	const { from, to } = monthRange(month);
	// Right after activation (later on a busy machine) main can still answer 404 "not registered"; such a call starts
	// nothing, so it is repeated until the webhook is there.
	const call = async (index) => {
		const began = Date.now();
		for (;;) {
			const response = await fetch(`${cluster.mainUrl}/webhook/tiktok-shop-${index + 1}?from=${from}&to=${to}`);
			if (response.status !== 404 || Date.now() - began > 30_000) return response;
			await response.text();
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	};
	const responses = await Promise.all(indexes.map(call));
	for (const response of responses) assert.equal(response.status, 200, await response.text());
}

/** Polls n8n until the workflow has executions newer than `afterId` and all of them are final; returns them. */
async function finishedExecutions(workflowId, { afterId = 0, timeoutMs = 180_000 } = {}) {
	const began = Date.now();
	for (;;) {
		const executions = (await api.executions(workflowId)).filter((execution) => Number(execution.id) > afterId);
		if (executions.length > 0 && executions.every((execution) => FINAL.has(execution.status))) return executions;
		if (Date.now() - began > timeoutMs) throw new Error(`executions of ${workflowId} not final: ${JSON.stringify(executions)}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/** Which worker ran an execution, from the workers' own log lines ("Worker started execution <id> (job <n>)"). */
function workerOf(executionId) {
	const line = new RegExp(`Worker started execution ${executionId} \\(job`);
	const ran = cluster.processes.workers.filter((worker) => line.test(worker.log()));
	return ran.map((worker) => worker.name);
}

/** The execution and, when it failed, n8n's error message: what an assertion shows. */
async function describeExecution(execution) {
	if (execution.status === 'success') return JSON.stringify(execution);
	const error = (await api.runData(execution.id).catch(() => undefined))?.resultData?.error;
	return `execution ${execution.id} of ${execution.workflowId} (${execution.status}): ${error?.message ?? 'no error recorded'} ${error?.description ?? ''}`;
}

const latestId = async (workflowId) => Math.max(0, ...(await api.executions(workflowId)).map((execution) => Number(execution.id)));

/**
 * The DATEV files a shop's workflow delivered (one per execution and month, see Write File to Disk) and the months
 * delivered more than once. A statement belongs to the month of the day it covers, so a statement booked twice would
 * show as a second file of its month; each file's own content is checked by reconciling it with TikTok's figures.
 */
function deliveredFiles(index) {
	const files = readDatevDir(join(cluster.filesDir, `shop-${index + 1}`));
	const perMonth = new Map();
	for (const file of files) {
		const month = /_(\d{4}-\d{2})\.csv$/.exec(file.name)?.[1];
		perMonth.set(month, [...(perMonth.get(month) ?? []), file.name]);
	}
	return { files, twice: [...perMonth].filter(([, names]) => names.length > 1) };
}

function sampleMemory() {
	for (const [name, { self, total }] of Object.entries(cluster.memory())) {
		const peak = figures.memoryMiB[name] ?? { process: 0, withRunner: 0 };
		figures.memoryMiB[name] = { process: Math.max(peak.process, Math.round(self / 1024)), withRunner: Math.max(peak.withRunner, Math.round(total / 1024)) };
	}
}

before(async () => {
	const began = Date.now();
	ensureQueueServices();
	root = mkdtempSync(join(tmpdir(), 'queue-test-'));
	openForPostgres(root);
	[redis, postgres] = await Promise.all([startRedis(join(root, 'redis')), startPostgres(join(root, 'pg'))]);

	// One authorization, four shops: three booked by the workflows, one watched by the trigger.
	const range = { from: monthOf(now, -3), to: monthOf(now, 0), ordersPerMonth: 150, now: nowMs };
	shops = [...SHOP_NAMES, TRIGGER_SHOP].map((shopName, index) => generateShopData({ ...range, seed: 71 + index, shopName }));
	sandbox = createSandbox({ data: shops[0], moreShops: shops.slice(1) });
	server = await listen({
		async handle(request) {
			const cipher = request.query.shop_cipher ?? '';
			const key = `${cipher}|${request.path}${request.query.page_token ? '+' : ''}`;
			seen.byCipher.set(key, (seen.byCipher.get(key) ?? 0) + 1);
			if (request.path === '/api/v2/token/refresh') seen.refreshCalls += 1;
			await hooks.beforeRequest?.(request);
			return sandbox.handle(request);
		},
	});

	const packed = await packRepo();
	// One execution at a time per worker: three shops started together then keep both workers busy (with more, one
	// worker may take all three jobs).
	cluster = await createQueueCluster({ root: join(root, 'n8n'), redis, postgres, tarball: packed.tarball, workers: 2, concurrency: 1, env: FAST_RECOVERY_ENV });
	for (let index = 0; index < SHOP_NAMES.length; index++) mkdirSync(join(cluster.filesDir, `shop-${index + 1}`), { recursive: true });
	await cluster.importCredentials([tiktokCredential({ sandbox, url: server.url }, CREDENTIAL)]);
	await cluster.importWorkflows([...SHOP_NAMES.map((_, index) => workflowOf(index)), triggerWorkflow(shops[3].shop)]);
	await cluster.start();
	api = await cluster.login();
	for (let index = 0; index < SHOP_NAMES.length; index++) await api.activate(`queueShop${index + 1}`);
	await api.activate('queueTrigger');
	triggerActivatedAt = Date.now();
	sampler = setInterval(sampleMemory, 500);
	figures.setupSeconds = Math.round((Date.now() - began) / 1000);
	log(`queue test set up in ${figures.setupSeconds} s`);
});

after(async () => {
	clearInterval(sampler);
	log(`queue-mode figures: ${JSON.stringify(figures)}`);
	await cluster?.stop();
	await Promise.all([redis?.stop(), postgres?.stop()]);
	await server?.close();
	if (root) rmSync(root, { recursive: true, force: true });
});

describe('n8n 2.41.1 in queue mode: main, two workers, PostgreSQL, Redis', () => {
	const round1 = {};

	it('three shops of one authorization, started together through their webhooks, are run by the workers; a token expiring mid-round is refreshed once', async () => {
		const began = Date.now();
		let financeRequests = 0;
		hooks.beforeRequest = (request) => {
			if (!request.path.startsWith('/finance/')) return;
			financeRequests += 1;
			// While all three executions page through their statements.
			if (financeRequests === 30) {
				round1.expiredAt = Date.now();
				sandbox.expireAccessTokens();
			}
		};
		const refreshesBefore = sandbox.stats.refreshes;
		await startRuns([0, 1, 2], lastMonth);
		round1.executions = [];
		for (let index = 0; index < 3; index++) round1.executions.push(...(await finishedExecutions(`queueShop${index + 1}`)));
		hooks.beforeRequest = undefined;
		figures.rounds.first = Math.round((Date.now() - began) / 100) / 10;
		for (const execution of round1.executions) {
			assert.equal(execution.status, 'success', await describeExecution(execution));
			assert.equal(execution.mode, 'webhook');
			// Run by exactly one worker, never by main.
			assert.equal(workerOf(execution.id).length, 1, `execution ${execution.id} ran on ${workerOf(execution.id)}`);
			assert.doesNotMatch(cluster.processes.main.log(), new RegExp(`Worker started execution ${execution.id} `));
		}
		const workers = new Set(round1.executions.map((execution) => workerOf(execution.id)[0]));
		assert.equal(workers.size, 2, 'both workers ran executions');

		// The tokens expired while both workers were running an execution: each hit the expiry on its own …
		assert.ok(round1.expiredAt, 'the round made enough requests to expire the tokens in the middle');
		const running = round1.executions.filter((execution) => Date.parse(execution.startedAt) <= round1.expiredAt && round1.expiredAt <= Date.parse(execution.stoppedAt));
		assert.equal(new Set(running.map((execution) => workerOf(execution.id)[0])).size, 2, 'both workers were running when the token expired');
		assert.ok((sandbox.stats.byCode['105002'] ?? 0) >= 2, `TikTok rejected the expired token ${sandbox.stats.byCode['105002']} times`);
		// The authorization code was redeemed once, whichever process used the fresh credential first (a worker whose
		// redemption TikTok refused reads the tokens the other one stored) …
		assert.equal(sandbox.stats.authCodesRedeemed, 1);
		// … and every refresh TikTok granted used the newest refresh token: at most one per worker that met the expiry
		// (a worker that refreshes after the other stored its tokens refreshes with those: seen once in ~10 runs on a
		// loaded machine); a refused call with the old token is followed by reading the stored one, and the next round
		// works with what is stored.
		const refreshes = sandbox.stats.refreshes - refreshesBefore;
		assert.ok(refreshes >= 1 && refreshes <= workers.size, `refreshes: ${refreshes}, refresh calls ${seen.refreshCalls}`);
	});

	it('writes each shop\'s DATEV file, named after the shop, reconciled to the cent with TikTok\'s figures', async () => {
		for (let index = 0; index < SHOP_NAMES.length; index++) {
			const { files, twice } = deliveredFiles(index);
			const slug = SHOP_NAMES[index].replace(/ /g, '_');
			assert.deepEqual(files.map((file) => file.name.replace(/^\d+-/, '')), [`EXTF_Buchungsstapel_${slug}_${lastMonth}.csv`]);
			const [file] = files;
			assert.equal(file.file.header.description, `${SHOP_NAMES[index]} ${lastMonth.slice(5)}/${lastMonth.slice(0, 4)}`);
			assert.equal(file.file.header.consultantNumber, 29098);
			const check = reconcileWithSandbox(file.lines, { sandbox: { data: shops[index] } }, lastMonth, BALANCE);
			assert.ok(check.statements >= 28, `expected a month of statements, got ${check.statements}`);
			assert.deepEqual(check.differences, []);
			assert.deepEqual(twice, []);
		}
	});

	it('a second round books nothing twice', async () => {
		const began = Date.now();
		const after = await Promise.all([0, 1, 2].map((index) => latestId(`queueShop${index + 1}`)));
		await startRuns([0, 1, 2], lastMonth);
		for (let index = 0; index < 3; index++) {
			const [execution] = await finishedExecutions(`queueShop${index + 1}`, { afterId: after[index] });
			assert.equal(execution.status, 'success', await describeExecution(execution));
			const { files, twice } = deliveredFiles(index);
			assert.equal(files.length, 1, `shop ${index + 1} got another file: ${files.map((file) => file.name)}`);
			assert.deepEqual(twice, []);
		}
		figures.rounds.second = Math.round((Date.now() - began) / 100) / 10;
	});

	it('a worker killed mid-execution (SIGKILL): the execution fails visibly, the next run books what was not booked, nothing twice', async () => {
		const shop = shops[0].shop;
		const workflowId = 'queueShop1';
		const afterId = await latestId(workflowId);
		let requestsOfShop = 0;
		// The month before last, not booked yet, fetched slowly enough to kill the worker half-way.
		hooks.beforeRequest = async (request) => {
			if (request.query.shop_cipher !== shop.cipher) return;
			requestsOfShop += 1;
			await new Promise((resolve) => setTimeout(resolve, 250));
		};
		await startRuns([0], monthBefore);
		let victim;
		let executionId;
		for (const began = Date.now(); !victim; ) {
			assert.ok(Date.now() - began < 60_000, 'no worker started the execution');
			const [newest] = (await api.executions(workflowId)).filter((execution) => Number(execution.id) > afterId);
			const ran = newest ? workerOf(newest.id) : [];
			if (ran.length === 1 && requestsOfShop >= 5) {
				executionId = newest.id;
				victim = cluster.processes.workers.find((worker) => worker.name === ran[0]);
			} else {
				await new Promise((resolve) => setTimeout(resolve, 100));
			}
		}
		await cluster.kill(victim);
		const killedAt = Date.now();
		hooks.beforeRequest = undefined;
		const [killed] = (await finishedExecutions(workflowId, { afterId, timeoutMs: 90_000 })).filter((execution) => execution.id === executionId);
		figures.killedVisibleAfterSeconds = Math.round((Date.now() - killedAt) / 100) / 10;
		assert.ok(['crashed', 'error'].includes(killed.status), `the killed execution is ${killed.status}`);
		assert.equal(readdirSync(join(cluster.filesDir, 'shop-1')).filter((name) => name.includes(monthBefore)).length, 0);

		// The next run (on the surviving worker) books the month, once.
		const afterKill = await latestId(workflowId);
		await startRuns([0], monthBefore);
		const [next] = await finishedExecutions(workflowId, { afterId: afterKill });
		assert.equal(next.status, 'success', await describeExecution(next));
		const survivor = cluster.processes.workers.find((worker) => worker !== victim).name;
		assert.deepEqual(workerOf(next.id), [survivor]);
		const { files, twice } = deliveredFiles(0);
		const month = files.filter((file) => file.name.includes(monthBefore));
		assert.equal(month.length, 1);
		const check = reconcileWithSandbox(month[0].lines, { sandbox: { data: shops[0] } }, monthBefore, BALANCE);
		assert.ok(check.statements >= 28);
		assert.deepEqual(check.differences, []);
		assert.deepEqual(twice, []);
	});

	it('the trigger, polling on main, emits each settled statement once', async () => {
		const shop = shops[3];
		const polls = () => seen.byCipher.get(`${shop.shop.cipher}|/finance/202309/statements`) ?? 0;
		// Two polls at least (it was activated with the other workflows and polls every minute): the first emits what
		// was settled since the start date, later ones nothing again.
		while (polls() < 2) {
			assert.ok(Date.now() - triggerActivatedAt < 180_000, `the trigger polled ${polls()} times in 180 s`);
			await new Promise((resolve) => setTimeout(resolve, 1_000));
		}
		const executions = await finishedExecutions('queueTrigger', { timeoutMs: 60_000 });
		const emitted = [];
		for (const execution of executions) {
			assert.equal(execution.status, 'success');
			assert.equal(execution.mode, 'trigger');
			assert.equal(workerOf(execution.id).length, 1, 'the trigger\'s executions run on a worker');
			const run = await api.runData(execution.id);
			const items = run.resultData.runData['TikTok Payments Trigger'][0].data.main[0];
			emitted.push(...items.map((item) => item.json.id));
		}
		// The start date lies within the 70-day look-back window, so it alone bounds what is emitted.
		const startFrom = Date.parse(`${lastMonth}-01T00:00:00Z`) / 1000;
		const expected = shop.statements.filter((statement) => statement.payment_status === 'PAID' && statement.statement_time >= startFrom).map((statement) => statement.id);
		assert.equal(new Set(emitted).size, emitted.length, 'an event was emitted twice');
		assert.deepEqual([...emitted].sort(), [...expected].sort());
	});
});
