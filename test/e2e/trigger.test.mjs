// Issues #13 and #15 end to end: example 4 activated in a real `n8n start` (2.41.1) books every statement and payout
// exactly once across its two TikTok Payments Triggers and its manual Run Now path, while the sandbox lets time
// pass, n8n restarts, a poll fails with 503s beyond the client's retries and the access token expires. Copies of the
// workflow run side by side as repetitions (E2E_TRIGGER_REPETITIONS, default 3; 10 for the full check). Run with
//   node scripts/node24.mjs node --import tsx --test test/e2e/trigger.test.mjs
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { nodeItems, ownerEnv } from '../../scripts/e2e/n8n-cli.mjs';
import { log } from '../../scripts/e2e/proc.mjs';
import { monthOf, n8nWithPackage, readExample, startSandbox, tiktokCredential, writingInto } from '../../scripts/e2e/scenario.mjs';
import { restClient, runWorkflow } from './support/editor-replay.mjs';

const require = createRequire(import.meta.url);
const { parseMinor } = require('../../lib/money.ts');
const { readBookingLines, readBuchungsstapel } = require('../../lib/datev/reader.ts');
const { generateShopData } = require('../../sandbox/generate.ts');

const REPETITIONS = Number(process.env.E2E_TRIGGER_REPETITIONS ?? 3);
const OWNER = { email: 'e2e-trigger@example.test', password: 'E2e-trigger-1' };
const SEED = 4;
const ORDERS_PER_MONTH = 60;
const BALANCE = '1270';
const TRANSIT = '1366';
const DAY_MS = 86_400_000;
const MAP = 'Map to SKR Bookings';
const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);

const cents = (value) => parseMinor(String(value), 'EUR');
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

let shop;
let n8n;
let server;
let rest;
let flatted;
const realNow = Date.now();
const ids = Array.from({ length: REPETITIONS }, (_, index) => `trig${String(index + 1).padStart(2, '0')}`);
const dirOf = (id) => join(n8n.filesDir, 'trigger', id);

/** The shop as TikTok shows it at `nowMs` (same seed and months, so later datasets extend earlier ones). */
function shopAt(nowMs) {
	const now = new Date(realNow);
	return generateShopData({ seed: SEED, from: monthOf(now, -2), to: monthOf(now, 0), ordersPerMonth: ORDERS_PER_MONTH, now: nowMs });
}

// The timeline comes from the data: the triggers start at midnight 12 days ago; the sandbox first shows the shop one
// minute after the third-last payout since then was paid, then after the second-last, then now, so each phase has
// payouts (and the statements they settle) that turn PAID in it.
const startMs = Math.floor((realNow - 12 * DAY_MS) / DAY_MS) * DAY_MS;
const paidSinceStart = shopAt(realNow)
	.payments.filter((payment) => payment.status === 'PAID' && payment.create_time * 1000 >= startMs)
	.map((payment) => payment.paid_time * 1000)
	.sort((a, b) => a - b);
const t0 = paidSinceStart.at(-3) + 60_000;
const t1 = paidSinceStart.at(-2) + 60_000;
// Run Now books a range reaching 10 days before the triggers' start, so it overlaps all they delivered and also
// books the statements of the first payouts the triggers deliver.
const runNowFrom = isoDay(startMs - 10 * DAY_MS);
const runNowTo = isoDay(realNow);

/** Example 4 with its own id and folder, triggers polling every minute from `startMs`, Run Now over the range. */
function copyOfExample4(id) {
	const workflow = writingInto(readExample('04-settled-statement-to-daily-datev-file.json'), dirOf(id));
	workflow.id = id;
	workflow.name = `${workflow.name} (${id})`;
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-tiktok-payments.tikTokPaymentsTrigger') {
			node.parameters.pollTimes = { item: [{ mode: 'everyMinute' }] };
			node.parameters.options = { startDate: new Date(startMs).toISOString() };
		}
		if (node.name === 'Statements of Yesterday' || node.name === 'Payouts of Yesterday') {
			Object.assign(node.parameters, { period: 'custom', startDate: runNowFrom, endDate: runNowTo });
		}
	}
	return workflow;
}

/** Polls `check` until it returns something truthy; on time-out the error says what was seen last (`explain`). */
async function waitFor(what, check, { timeoutMs = 150_000, everyMs = 1_000, explain = async () => '' } = {}) {
	const began = Date.now();
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() - began > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${await explain()}`);
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
}

/** Summaries of every execution of a workflow (running ones included), newest first. */
async function executionsOf(workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const list = await rest('GET', `/executions?limit=100&filter=${filter}`);
	assert.ok(list.results.length < 100, 'more executions than one page: raise the limit or page');
	return list.results;
}

const details = new Map();
/** One finished execution with its run data parsed (cached: a finished execution does not change). */
async function executionDetail(id) {
	if (details.has(id)) return details.get(id);
	const execution = await rest('GET', `/executions/${id}`);
	const data = typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data;
	const detail = { ...execution, run: { data } };
	if (FINISHED.has(execution.status)) details.set(id, detail);
	return detail;
}

/** Waits until no execution of any copy runs; returns all executions per copy. */
async function settledExecutions() {
	return waitFor('every execution to finish', async () => {
		const all = new Map();
		for (const id of ids) {
			const executions = await executionsOf(id);
			if (executions.some((execution) => !FINISHED.has(execution.status))) return undefined;
			all.set(id, executions);
		}
		return all;
	});
}

/** What each finished execution of a copy booked: delivery keys of Map to SKR Bookings' first DATEV-file item. */
async function bookingsOf(id) {
	const bookings = [];
	for (const summary of await executionsOf(id)) {
		const execution = await executionDetail(summary.id);
		const files = nodeItems(execution.run, MAP).filter((item) => item.kind === 'datevFile');
		bookings.push({
			id: summary.id,
			mode: summary.mode,
			status: execution.status,
			error: execution.run.data?.resultData?.error && `${execution.run.data.resultData.error.node?.name ?? 'trigger'}: ${execution.run.data.resultData.error.message}`,
			files: files.length,
			startedAt: summary.startedAt,
			stoppedAt: summary.stoppedAt,
			// What the triggers emitted into this execution (one key per event).
			emitted: [
				...nodeItems(execution.run, 'On Settled Statement').map((event) => `statement:${event.id}`),
				...nodeItems(execution.run, 'On Payout Paid').map((event) => `payment:${event.id}`),
			],
			written: nodeItems(execution.run, 'Write Daily DATEV File').map((item) => item.fileName),
			// Booking keys only; `statement:<id>#<fingerprint>` records what a statement's booking contained.
			keys: (files[0]?.delivery?.keys ?? []).filter((key) => /^(statement|payment):[^#]+$/.test(key)),
		});
	}
	return bookings;
}

/** Keys every trigger must have delivered by now: statements PAID and payouts paid since the start date. */
function triggerKeys(data) {
	const since = startMs / 1000;
	return [
		...data.statements.filter((statement) => statement.payment_status === 'PAID' && statement.statement_time >= since).map((statement) => `statement:${statement.id}`),
		...data.payments.filter((payment) => payment.status === 'PAID' && payment.create_time >= since).map((payment) => `payment:${payment.id}`),
	];
}

/** How often each key was booked by a successful execution of a copy. */
function bookedCounts(bookings) {
	const counts = new Map();
	for (const booking of bookings.filter((entry) => entry.status === 'success')) {
		for (const key of booking.keys) counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	return counts;
}

async function activateAll() {
	for (const id of ids) {
		const { versionId } = await rest('GET', `/workflows/${id}`);
		await rest('POST', `/workflows/${id}/activate`, { versionId });
	}
}

async function startN8n() {
	server = await n8n.startServer({ env: await ownerEnv(OWNER) });
	rest = await restClient(server.url, OWNER);
}

/** Waits until every copy booked every key its triggers must have delivered at the sandbox's current data. */
async function triggersCaughtUp(phase) {
	const expected = triggerKeys(shop.sandbox.data);
	await waitFor(`${phase}: every copy's triggers to book ${expected.length} events`, async () => {
		for (const id of ids) {
			const counts = bookedCounts(await bookingsOf(id));
			if (expected.some((key) => !counts.has(key))) return false;
		}
		return true;
	}, {
		explain: async () => {
			const seen = [];
			for (const id of ids) {
				const bookings = await bookingsOf(id);
				const counts = bookedCounts(bookings);
				seen.push(`${id}: missing ${expected.filter((key) => !counts.has(key)).join(', ')}; executions ${JSON.stringify(bookings)}`);
			}
			return seen.join('\n');
		},
	});
	await settledExecutions();
	log(`${phase}: ${expected.length} trigger events booked by each of ${ids.length} copies`);
}

/** DATEV files of a copy, read back strictly. */
function datevFiles(id) {
	const dir = join(dirOf(id), 'daily');
	if (!existsSync(dir)) return [];
	return readdirSync(dir)
		.filter((name) => name.endsWith('.csv'))
		.sort()
		.map((name) => ({ name, lines: readBookingLines(readBuchungsstapel(new Uint8Array(readFileSync(join(dir, name))), { strict: true })) }));
}

/** Net Soll movement of one account over booking lines (Generalumkehr negative). */
function movement(lines, account) {
	let net = 0;
	for (const line of lines) {
		const signed = (line.side === 'S' ? 1 : -1) * (line.generalReversal ? -1 : 1) * line.amountMinor;
		if (line.account === account) net += signed;
		if (line.contraAccount === account) net -= signed;
	}
	return net;
}

const report = { phases: {} };
let began;

before(async () => {
	began = Date.now();
	assert.ok(paidSinceStart.length >= 3, `the sandbox shop needs 3 payouts paid since ${isoDay(startMs)}, has ${paidSinceStart.length}`);
	shop = await startSandbox({ seed: SEED, ordersPerMonth: ORDERS_PER_MONTH, nowMs: realNow });
	shop.sandbox.setData(shopAt(t0));
	n8n = await n8nWithPackage();
	flatted = createRequire(join(n8n.runtime.dir, 'node_modules', 'n8n', 'package.json'))('flatted');
	for (const id of ids) mkdirSync(join(dirOf(id), 'daily'), { recursive: true });
	await n8n.importCredentials([tiktokCredential(shop)]);
	await n8n.importWorkflows(ids.map(copyOfExample4));
	await startN8n();
	report.phases.setup = Date.now() - began;
});

after(async () => {
	await n8n?.stop({ removeFolder: true });
	await shop?.close();
});

describe(`example 4 activated in n8n start, ${REPETITIONS} copies (issues #13, #15)`, () => {
	it('books every statement and payout exactly once across triggers, a restart, a failing poll, a token expiry and Run Now', async () => {
		// Phase 1: in every other copy the user tries Run Now once (as the workflow's note suggests), then all are
		// activated; the activation polls emit what is PAID at t0, skipping what Run Now booked. In the other copies both
		// triggers' first executions meet a workflow without a deduplication list yet (both create it at once).
		let phaseBegan = Date.now();
		for (const id of ids.filter((_, index) => index % 2 === 0)) {
			const result = await runWorkflow(rest, n8n.runtime.dir, id, 'Run Now (Test)');
			assert.equal(result.status, 'success', `${id} first Run Now: ${result.error}`);
		}
		await activateAll();
		await triggersCaughtUp('activation at t0');
		report.phases.activation = Date.now() - phaseBegan;

		// Phase 2: time passes to t1, the access token expires and the next payout polls meet 503s until the client
		// gives up (5 attempts per request); then n8n restarts on the same user folder.
		phaseBegan = Date.now();
		const paymentsPath = Object.keys(shop.sandbox.stats.byPath).find((path) => path.endsWith('/payments'));
		assert.ok(paymentsPath, 'the payout triggers listed payouts');
		const refreshesBefore = shop.sandbox.stats.refreshes;
		shop.sandbox.setData(shopAt(t1));
		shop.sandbox.expireAccessTokens();
		const faults = 5 * ids.length;
		shop.sandbox.injectFaults('unavailable', faults, { path: paymentsPath });
		const failed = await waitFor('a poll that failed with the 503s', async () => {
			for (const id of ids) {
				const errors = (await executionsOf(id)).filter((execution) => execution.status === 'error');
				if (errors.length > 0) return { id, execution: await executionDetail(errors[0].id) };
			}
			return undefined;
		});
		const failure = failed.execution.run.data?.resultData?.error;
		assert.match(`${failure?.message} ${failure?.description ?? ''}`, /503|unavailable|Service Unavailable/i, 'the failed poll names the 503s');
		await triggersCaughtUp('polls at t1 before the restart');
		assert.ok(shop.sandbox.stats.refreshes > refreshesBefore, 'the expired access token was refreshed');
		report.refreshes = shop.sandbox.stats.refreshes - refreshesBefore;
		report.faultsLeft = shop.sandbox.config.faults.length;
		await server.stop();
		await startN8n();
		report.phases.failureAndRestart = Date.now() - phaseBegan;

		// Phase 3: after the restart (re-activation polls), time passes to now; the next minute's polls emit the rest.
		phaseBegan = Date.now();
		shop.sandbox.setData(shopAt(realNow));
		await triggersCaughtUp('polls after the restart at now');
		report.phases.afterRestart = Date.now() - phaseBegan;

		// Phase 4: Run Now of each copy over a range covering everything the triggers delivered.
		phaseBegan = Date.now();
		const fetchedByRunNow = new Map();
		for (const id of ids) {
			const result = await runWorkflow(rest, n8n.runtime.dir, id, 'Run Now (Test)');
			assert.equal(result.status, 'success', `${id} Run Now: ${result.error}`);
			fetchedByRunNow.set(id, [
				...nodeItems({ data: result.run }, 'Statements of Yesterday').map((statement) => `statement:${statement.id}`),
				...nodeItems({ data: result.run }, 'Payouts of Yesterday').map((payout) => `payment:${payout.id}`),
			]);
		}
		await settledExecutions();
		report.phases.runNow = Date.now() - phaseBegan;

		// Assertions per copy.
		const data = shop.sandbox.data;
		const statements = new Map(data.statements.map((statement) => [`statement:${statement.id}`, statement]));
		const payouts = new Map(data.payments.map((payment) => [`payment:${payment.id}`, payment]));
		const expectedFromTriggers = triggerKeys(data);
		report.copies = [];
		// Every copy is checked, so one run shows every defect; the test fails at the end with all of them.
		const failures = [];
		const errors = [];
		for (const id of ids) {
			const bookings = await bookingsOf(id);
			errors.push(...bookings.filter((booking) => booking.status === 'error').map((booking) => booking.error));
			try {
				const successful = bookings.filter((booking) => booking.status === 'success');
				const counts = bookedCounts(bookings);
				const twice = [...counts].filter(([, count]) => count > 1).map(([key]) => key);
				const involved = (keys) =>
					JSON.stringify(bookings.filter((booking) => keys.some((key) => booking.keys.includes(key) || booking.emitted.includes(key))).map(({ keys: _, ...booking }) => booking));
				assert.deepEqual(twice, [], `${id}: keys booked by more than one execution: ${involved(twice)}`);
				// Each event is emitted once: re-delivery comes only after 360 minutes.
				const emitted = bookings.flatMap((booking) => booking.emitted);
				const emittedTwice = emitted.filter((key, index) => emitted.indexOf(key) !== index);
				assert.deepEqual(emittedTwice, [], `${id}: events the triggers emitted twice: ${involved(emittedTwice)}`);
				assert.deepEqual(expectedFromTriggers.filter((key) => !counts.has(key)), [], `${id}: trigger events never booked`);
				const fetched = fetchedByRunNow.get(id);
				assert.deepEqual(fetched.filter((key) => !counts.has(key)), [], `${id}: what Run Now fetched is booked (by it or a trigger)`);
				const overlap = fetched.filter((key) => expectedFromTriggers.includes(key));
				assert.ok(overlap.length > 0, `${id}: Run Now fetched what the triggers had delivered`);
				const runNow = bookings.find((booking) => booking.mode === 'manual');
				assert.deepEqual(runNow.keys.filter((key) => overlap.includes(key)), [], `${id}: Run Now skipped what the triggers booked`);
				const unknown = [...counts.keys()].filter((key) => !statements.has(key) && !payouts.has(key));
				assert.deepEqual(unknown, [], `${id}: booked keys the sandbox does not have`);

				// Each execution that booked wrote its own files; no two files hold the same booking line.
				const files = datevFiles(id);
				const writing = successful.filter((booking) => booking.files > 0);
				const paths = writing.flatMap((booking) => booking.written);
				const shared = paths.filter((path, index) => paths.indexOf(path) !== index);
				assert.deepEqual(shared, [], `${id}: executions wrote the same file: ${JSON.stringify(writing.map(({ id: execution, startedAt, written, keys }) => ({ execution, startedAt, written, keys })))}`);
				// One file per month an execution's bookings fall in: two when its statements span a month's end (a run
				// in the first hours of a month, UTC, books days of both).
				const produced = writing.reduce((sum, booking) => sum + booking.files, 0);
				assert.equal(files.length, produced, `${id}: files on disk vs DATEV files the executions produced (${files.map((file) => file.name).join(', ')})`);
				const seen = new Map();
				for (const file of files) {
					for (const line of file.lines) {
						const row = [line.settlementReference, line.documentField1, line.account, line.contraAccount, line.side, line.amountMinor, line.text].join('|');
						assert.ok(!seen.has(row) || seen.get(row) === file.name, `${id}: line ${row} in ${seen.get(row)} and ${file.name}`);
						seen.set(row, file.name);
					}
				}

				// The books: balance = Σ (settlement + reserve) of booked statements − Σ booked payouts; transit = Σ payouts.
				const lines = files.flatMap((file) => file.lines);
				const bookedStatements = [...counts.keys()].filter((key) => statements.has(key)).map((key) => statements.get(key));
				const bookedPayouts = [...counts.keys()].filter((key) => payouts.has(key)).map((key) => payouts.get(key));
				const payable = (statement) => cents(statement.settlement_amount) + cents(data.statementTransactions(statement.id)?.total_reserve_amount ?? '0');
				const payoutSum = bookedPayouts.reduce((sum, payout) => sum + cents(payout.amount.value), 0);
				const statementSum = bookedStatements.reduce((sum, statement) => sum + payable(statement), 0);
				assert.equal(movement(lines, BALANCE), statementSum - payoutSum, `${id}: balance account over all files`);
				assert.equal(movement(lines, TRANSIT), payoutSum, `${id}: transit account over all files`);
				// Issue #13: what stays on the balance account is exactly the statements not yet paid out by a booked payout.
				// The first payouts in Run Now's range also pay statements from before it, which no path books: their part
				// is left out, once it is shown that every statement they pay and nobody booked is older than the range.
				const booked = new Set(bookedStatements.map((statement) => statement.id));
				let beforeRange = 0;
				for (const payout of bookedPayouts) {
					const unbooked = data.statements.filter((statement) => statement.payment_id === payout.id && !booked.has(statement.id));
					const late = unbooked.filter((statement) => isoDay(statement.statement_time * 1000 - DAY_MS) >= runNowFrom);
					assert.deepEqual(late.map((statement) => statement.id), [], `${id}: payout ${payout.id} pays statements in range nobody booked`);
					beforeRange += unbooked.reduce((sum, statement) => sum + payable(statement), 0);
				}
				const paidOut = new Set(bookedPayouts.map((payout) => payout.id));
				const notPaidOut = bookedStatements.filter((statement) => !paidOut.has(statement.payment_id));
				assert.equal(movement(lines, BALANCE) + beforeRange, notPaidOut.reduce((sum, statement) => sum + payable(statement), 0), `${id}: balance = statements not yet paid out`);

				report.copies.push({
					id,
					executions: bookings.length,
					successful: successful.length,
					errors: bookings.filter((booking) => booking.status === 'error').map((booking) => booking.error),
					files: files.length,
					statements: bookedStatements.length,
					payouts: bookedPayouts.length,
					runNowFetched: fetched.length,
					runNowSkipped: overlap.length,
					runNowBooked: runNow.keys.length,
				});
			} catch (error) {
				failures.push(error.message);
			}
		}
		report.total = Date.now() - began;
		log(`trigger e2e: ${JSON.stringify(report)}`);
		assert.ok(errors.length >= 1, 'at least one poll failed and is visible as an error execution');
		assert.deepEqual(errors.filter((error) => !/503|Service Unavailable/i.test(error)), [], 'no execution failed but the polls that met the 503s');
		assert.deepEqual(failures, [], `${failures.length} of ${ids.length} copies failed`);
	});
});
