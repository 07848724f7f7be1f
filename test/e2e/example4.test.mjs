// Issue #13 end to end for example 4 (settled statement → daily DATEV file): our packed package in a real n8n
// 2.41.1, a sandbox shop whose days pass while n8n runs. Checks, to the cent, that the TikTok balance account ends
// at the statements not yet paid out and transit at the payouts booked, and that the trigger path and the Run Now
// path together book every statement and payout exactly once. Run with
//   node scripts/node24.mjs node --import tsx --test test/e2e/example4.test.mjs
// E2E_EXAMPLE4_COPIES (default 2, to keep the suite short) sets how many copies of example 4 run side by side in one `n8n start`: each is an
// independent repetition (own deduplication store, static data and folder); the issue asks for 10 (about 7 minutes
// on 2 cores: E2E_EXAMPLE4_COPIES=10 … --test-name-pattern="trigger path").
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { nodeItems } from '../../scripts/e2e/n8n-cli.mjs';
import { log } from '../../scripts/e2e/proc.mjs';
import { accountTotals, n8nWithPackage, readDatevDir, readExample, startSandbox, tiktokCredential, writingInto } from '../../scripts/e2e/scenario.mjs';

const require = createRequire(import.meta.url);
const { parseMinor } = require('../../lib/money.ts');
const { generateShopData } = require('../../sandbox/generate.ts');

const EXAMPLE = '04-settled-statement-to-daily-datev-file.json';
const BALANCE = '1270';
const TRANSIT = '1366';
const DAY_MS = 86_400_000;
const COPIES = Number(process.env.E2E_EXAMPLE4_COPIES ?? 2);
const SEED = 21;
const ORDERS = 90;

const cents = (value) => parseMinor(String(value), 'EUR');
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

let shop;
let n8n;
/** First day of the sandbox's data (00:00 UTC): no statement or payout exists before it. */
let dataStart;
const realNow = Date.now();

/** The sandbox's shop as it is `daysAgo` days before now (statements and payouts after that do not exist yet). */
function dataAsOf(daysAgo) {
	const month = (offset) => {
		const date = new Date(realNow);
		const index = date.getUTCFullYear() * 12 + date.getUTCMonth() + offset;
		return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
	};
	return generateShopData({ seed: SEED, from: month(-1), to: month(0), ordersPerMonth: ORDERS, now: realNow - daysAgo * DAY_MS });
}

/**
 * Example 4 as a user sets it up to book the shop from its first day: Run Now fetches the same days the trigger
 * watches (from the data's first statement day to today) instead of yesterday only.
 */
function example4(id, dir, { pollEverySeconds } = {}) {
	const workflow = writingInto(readExample(EXAMPLE), dir);
	workflow.id = id;
	workflow.name = `${workflow.name} (${id})`;
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-tiktok-payments.tikTokPayments') {
			// A statement is listed under the day it covers: the day before its 00:00 UTC stamp.
			Object.assign(node.parameters, { period: 'custom', startDate: isoDay(dataStart - DAY_MS), endDate: isoDay(realNow), timeZone: 'UTC' });
		}
		if (node.type === 'n8n-nodes-tiktok-payments.tikTokPaymentsTrigger' && pollEverySeconds) {
			// n8n refuses a cron below a minute, but several per-minute crons at different seconds poll more often.
			const item = [];
			for (let second = 0; second < 60; second += pollEverySeconds) item.push({ mode: 'custom', cronExpression: `${second} * * * * *` });
			node.parameters.pollTimes = { item };
			node.parameters.options = { ...node.parameters.options, startDate: new Date(dataStart).toISOString() };
		}
	}
	return workflow;
}

/**
 * Every booking line of the DATEV files in `dir` checked against the sandbox's final data:
 * - per statement group (the payout's id for statements paid out, else the statement's own id; a statement booked
 *   before its payout existed carries its own id and is counted with its payout's group), the balance account moves
 *   by the payable (settlement + reserve) of the group's statements — a statement booked twice or never shows here;
 * - each payout is booked once: its own lines (Belegfeld 1 = payout id) move balance by −amount and transit by +amount.
 */
function checkBooks(dir, data, expectedStatements) {
	const files = readDatevDir(join(dir, 'daily'));
	const lines = files.flatMap((file) => file.lines);
	const payouts = new Map(data.payments.map((payment) => [payment.id, payment]));
	const statementPayout = new Map(data.statements.map((statement) => [statement.id, statement.payment_id]));
	const signed = (line) => (line.side === 'S' ? 1 : -1) * (line.generalReversal ? -1 : 1) * line.amountMinor;
	const on = (line, account) => (line.account === account ? signed(line) : 0) - (line.contraAccount === account ? signed(line) : 0);
	const groups = new Map();
	const payoutBalance = new Map();
	const payoutTransit = new Map();
	const add = (map, key, amount) => map.set(key, (map.get(key) ?? 0) + amount);
	for (const line of lines) {
		const reference = line.settlementReference;
		if (payouts.has(reference) && line.documentField1 === reference) {
			add(payoutBalance, reference, on(line, BALANCE));
			add(payoutTransit, reference, on(line, TRANSIT));
			continue;
		}
		add(groups, statementPayout.get(reference) || reference, on(line, BALANCE));
	}
	const expectedGroups = new Map();
	for (const statement of expectedStatements) {
		const detail = data.statementTransactions(statement.id);
		add(expectedGroups, statement.payment_id || statement.id, cents(statement.settlement_amount) + cents(detail.total_reserve_amount));
	}
	const sorted = (map) => [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
	const paidPayouts = data.payments.filter((payment) => payment.status === 'PAID');
	return {
		files,
		groups: sorted(groups),
		expectedGroups: sorted(expectedGroups),
		payoutBalance: sorted(payoutBalance),
		expectedPayoutBalance: sorted(new Map(paidPayouts.map((payment) => [payment.id, -cents(payment.amount.value)]))),
		payoutTransit: sorted(payoutTransit),
		totals: accountTotals(lines),
	};
}

before(async () => {
	shop = await startSandbox({ ordersPerMonth: ORDERS, seed: SEED });
	n8n = await n8nWithPackage();
	await n8n.importCredentials([tiktokCredential(shop)]);
});

after(async () => {
	await n8n?.stop({ removeFolder: true });
	await shop?.close();
});

describe('example 4 books statements and payouts; balance and transit end right (issue #13)', () => {
	it('Run Now twice over a shop whose days pass: balance = statements not yet paid out, transit = payouts booked', async () => {
		const dir = join(n8n.filesDir, 'runNow');
		mkdirSync(join(dir, 'daily'), { recursive: true });
		shop.sandbox.setData(dataAsOf(8));
		dataStart = Date.parse(`${shop.sandbox.data.from}-01T00:00:00Z`);
		await n8n.importWorkflows([example4('example4RunNow', dir)]);

		const first = await n8n.execute('example4RunNow');
		assert.equal(first.status, 'success', JSON.stringify(first.error));
		const firstStatements = nodeItems(first.run, 'Statements of Yesterday').length;
		assert.ok(firstStatements >= 20, `the first run sees the shop's first weeks, got ${firstStatements} statements`);
		const firstFiles = readdirSync(join(dir, 'daily')).length;
		// The first statement books on the last day of the month before (the day it covers): two monthly files.
		assert.ok(firstFiles >= 1);

		// Eight days pass: new statements, earlier ones paid out.
		shop.sandbox.setData(dataAsOf(0));
		const data = shop.sandbox.data;
		const second = await n8n.execute('example4RunNow');
		assert.equal(second.status, 'success', JSON.stringify(second.error));
		assert.equal(nodeItems(second.run, 'Statements of Yesterday').length, data.statements.length, 'Run Now sees every statement of the shop');
		const [marked] = nodeItems(second.run, 'Mark as Booked');
		assert.ok(marked.marked.payouts > 0 && marked.marked.statements > 0, JSON.stringify(marked));
		assert.equal(marked.marked.statements, data.statements.length - firstStatements, 'the second run books only the new statements');

		const books = checkBooks(dir, data, data.statements);
		assert.ok(books.files.length > firstFiles, 'the second run wrote its own files');
		assert.deepEqual(books.groups, books.expectedGroups);
		assert.deepEqual(books.payoutBalance, books.expectedPayoutBalance);
		const unpaid = data.statements
			.filter((statement) => statement.payment_status !== 'PAID')
			.reduce((sum, statement) => sum + cents(data.statementTransactions(statement.id).payable_amount), 0);
		const paidOut = data.payments.filter((payment) => payment.status === 'PAID').reduce((sum, payment) => sum + cents(payment.amount.value), 0);
		assert.ok(unpaid !== 0 && paidOut > 0);
		assert.equal(books.totals.get(BALANCE), unpaid, 'the balance account holds exactly the statements not yet paid out');
		assert.equal(books.totals.get(TRANSIT), paidOut, 'transit holds the payouts booked (in flight until the bank books them)');
		log(`example 4 Run Now: ${data.statements.length} statements, ${books.expectedPayoutBalance.length} payouts; balance ${unpaid} ct, transit ${paidOut} ct`);
	});

	it(`trigger path in n8n start (days passing, a restart) then Run Now over the same days books everything exactly once (${COPIES} copies)`, async () => {
		shop.sandbox.setData(dataAsOf(4));
		dataStart = Date.parse(`${shop.sandbox.data.from}-01T00:00:00Z`);
		const ids = Array.from({ length: COPIES }, (_, index) => `example4Active${index}`);
		const dirs = ids.map((id) => join(n8n.filesDir, id));
		for (const dir of dirs) mkdirSync(join(dir, 'daily'), { recursive: true });
		await n8n.importWorkflows(ids.map((id, index) => example4(id, dirs[index], { pollEverySeconds: 5 })));
		for (const id of ids) assert.equal((await n8n.cli(['publish:workflow', `--id=${id}`])).exitCode, 0);

		// Quiet = no TikTok request and no new file for a while, after at least one poll of every trigger.
		let lastRequest = Date.now();
		let requests = 0;
		shop.hooks.beforeRequest = () => {
			lastRequest = Date.now();
			requests += 1;
		};
		const fileCount = () => dirs.reduce((sum, dir) => sum + readdirSync(join(dir, 'daily')).length, 0);
		const settle = async () => {
			const began = Date.now();
			let files = fileCount();
			let filesChanged = Date.now();
			while (Date.now() - began < 90_000) {
				await new Promise((resolve) => setTimeout(resolve, 500));
				if (fileCount() !== files) {
					files = fileCount();
					filesChanged = Date.now();
				}
				const quiet = Math.min(Date.now() - lastRequest, Date.now() - filesChanged);
				if (Date.now() - began > 6_000 && quiet > 4_000) return;
			}
			throw new Error('the trigger path did not come to rest within 90 s');
		};

		let server = await n8n.startServer();
		await settle();
		const afterActivation = fileCount();
		assert.ok(afterActivation >= COPIES, `every copy's triggers emitted on activation, got ${afterActivation} files`);
		shop.sandbox.setData(dataAsOf(2));
		await settle();
		await server.stop();
		server = await n8n.startServer();
		await settle();
		shop.sandbox.setData(dataAsOf(0));
		await settle();
		await server.stop();
		shop.hooks.beforeRequest = undefined;
		const triggerFiles = fileCount();
		log(`example 4 trigger path: ${requests} TikTok requests, ${triggerFiles} files in ${COPIES} copies`);

		const data = shop.sandbox.data;
		const failures = [];
		for (const [index, id] of ids.entries()) {
			const run = await n8n.execute(id);
			assert.equal(run.status, 'success', JSON.stringify(run.error));
			assert.equal(nodeItems(run.run, 'Statements of Yesterday').length, data.statements.length, 'Run Now covers the same days');
			const books = checkBooks(dirs[index], data, data.statements);
			// Statements whose payout is PAID came through the trigger; Run Now adds only the rest.
			const [marked] = nodeItems(run.run, 'Mark as Booked');
			const unpaidCount = data.statements.filter((statement) => statement.payment_status !== 'PAID').length;
			if (marked && marked.marked.statements > unpaidCount) failures.push(`${id}: Run Now booked ${marked.marked.statements} statements, only ${unpaidCount} were not paid out`);
			try {
				assert.deepEqual(books.groups, books.expectedGroups, `${id}: balance per statement group`);
				assert.deepEqual(books.payoutBalance, books.expectedPayoutBalance, `${id}: payouts`);
			} catch (error) {
				failures.push(error.message);
			}
		}
		assert.deepEqual(failures, []);
	});
});
