// The package as users meet it in n8n's editor, checked in a real browser: the node panel, the parameter forms with
// the booking model's defaults, the example workflows on the canvas, the Statement ID / Order ID pickers, the monthly
// summary of a run in the editor (summary.html) and the credential dialog with a working Test,
// against a real `n8n start` with our packed package and the TikTok sandbox on loopback.
//
//   node scripts/node24.mjs node --test test/browser/editor.test.mjs
//
// Needs `npm run build` first; Chromium comes from scripts/chromium.mjs (Debian's, installed when missing and root).
// Screenshots go to docs/ (BROWSER_TEST_SCREENSHOTS=<dir> writes them elsewhere); on a failed check a screenshot and
// the DOM of the page are saved under BROWSER_TEST_ARTIFACTS (default: a temporary folder named in the output).
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';

import { log } from '../../scripts/e2e/proc.mjs';
import { repoRoot } from '../../scripts/e2e/n8n-runtime.mjs';
import {
	canvasNodes,
	imageReport,
	isRenderedSvg,
	launchChromium,
	loggedInContext,
	parameterValues,
	readParameters,
	saveEvidence,
} from './support/browser.mjs';
import { exampleWorkflows, OWNER, startEditorEnv, TIKTOK_CREDENTIAL } from './support/editor-env.mjs';

const PACKAGE = 'n8n-nodes-tiktok-payments';
const TYPES = {
	payments: `${PACKAGE}.tikTokPayments`,
	trigger: `${PACKAGE}.tikTokPaymentsTrigger`,
	map: `${PACKAGE}.mapToSkrBookings`,
};
const OUR_TYPES = new Set(Object.values(TYPES));

// The booking model's default accounts (README "Booking model"), written out here rather than read from the code so
// that a changed default fails the test.
const ACCOUNTS = {
	SKR03: {
		'TikTok Balance Account': '1270',
		'Transit Account': '1366',
		'Reserve Account': '1590',
		'Clearing Account': '1592',
		'Fee Account': '4970',
		'Fee Tax Key': '506',
	},
	SKR04: {
		'TikTok Balance Account': '1870',
		'Transit Account': '1466',
		'Reserve Account': '1379',
		'Clearing Account': '1372',
		'Fee Account': '6855',
		'Fee Tax Key': '506',
	},
};

// Everything, n8n start included, must finish within this; afterwards the run is stopped with a failure.
const WATCHDOG_MS = 6 * 60_000;
const UI_TIMEOUT_MS = 20_000;
// The editor opens a workflow 7-15 s after navigation on 2 cores (bundle load and node types).
const CANVAS_TIMEOUT_MS = 45_000;

const screenshotDir = process.env.BROWSER_TEST_SCREENSHOTS ?? join(repoRoot, 'docs');
let artifactsDir = process.env.BROWSER_TEST_ARTIFACTS;

let env;
let browser;
let context;
let page;

async function stopAll() {
	const closing = browser;
	browser = undefined;
	if (closing) await closing.close().catch((error) => log(`closing chromium: ${error.message}`));
	const running = env;
	env = undefined;
	if (running) await running.stop();
}

const watchdog = setTimeout(() => {
	log(`browser test exceeded ${WATCHDOG_MS / 1000} s: stopping n8n, the sandbox and chromium`);
	const exit = () => process.exit(1);
	stopAll().then(exit, exit);
	setTimeout(exit, 20_000).unref();
}, WATCHDOG_MS);
watchdog.unref();

before(async () => {
	env = await startEditorEnv();
	browser = await launchChromium();
	context = await loggedInContext(browser, env.url, OWNER);
	context.setDefaultTimeout(UI_TIMEOUT_MS);
	page = await context.newPage();
});

after(async () => {
	clearTimeout(watchdog);
	await stopAll();
});

/** Runs a check; when it fails, keeps a screenshot and the DOM of the page for the reader of the CI log. */
async function check(name, action) {
	try {
		await action();
	} catch (error) {
		if (page) {
			artifactsDir ??= mkdtempSync(join(tmpdir(), 'browser-test-artifacts-'));
			const stem = await saveEvidence(page, artifactsDir, name);
			log(`evidence of the failed check "${name}": ${stem}.png / .html`);
		}
		throw error;
	}
}

async function openWorkflow(path, { nodes }) {
	await page.goto(path);
	await page.locator('[data-test-id="canvas-wrapper"]').waitFor({ timeout: CANVAS_TIMEOUT_MS });
	if (nodes > 0) {
		await page.locator('[data-test-id="canvas-node"]').nth(nodes - 1).waitFor({ timeout: CANVAS_TIMEOUT_MS });
	}
	// Icons are fetched after the nodes render: wait until every image has either loaded or failed.
	await page.waitForFunction(() => [...document.querySelectorAll('[data-test-id="canvas-node"] img')].every((img) => img.complete));
}

const creator = () => page.locator('[data-test-id="node-creator"]');
const creatorItem = (name) => creator().locator('[data-test-id="item-iterator-item"]').filter({
	has: page.locator('[data-test-id="node-creator-item-name"]', { hasText: new RegExp(`^${name}$`) }),
});
const ndv = () => page.locator('[data-test-id="ndv"]');
const credentialDialog = () => page.locator('[data-test-id="editCredential-modal"]');

/** Types `query` into the node panel and waits for `expected` among the results. */
async function searchNodePanel(query, expected) {
	// The panel slides in and out: a click on "+" while it is still closing is lost, so open it until it stays.
	const searchBar = page.locator('[data-test-id="node-creator-search-bar"]');
	for (let attempt = 0; attempt < 3 && !(await searchBar.isVisible()); attempt += 1) {
		await page.locator('[data-test-id="node-creator-plus-button"]').click();
		await searchBar.waitFor({ timeout: 5_000 }).catch(() => undefined);
	}
	await searchBar.fill(query);
	const names = () => creator().locator('[data-test-id="node-creator-item-name"]').allInnerTexts();
	try {
		await creatorItem(expected).waitFor();
	} catch {
		assert.fail(`searching "${query}" in the node panel did not find "${expected}", only ${JSON.stringify(await names())}`);
	}
}

/** The item's icon must be our SVG, served and rendered (an unknown icon renders without an <img>). */
async function assertItemIcon(item, svgName) {
	const [icon] = await imageReport(context, item.locator('img').first());
	assert.ok(isRenderedSvg(icon), `icon of the node panel item is not a rendered SVG: ${JSON.stringify(icon)}`);
	assert.match(icon.src, new RegExp(`/icons/${PACKAGE}/.*/${svgName}$`));
}

async function closeNdv() {
	await page.locator('[data-test-id="ndv-close-button"]').click();
	await ndv().waitFor({ state: 'hidden' });
}

async function openedNdvParameters() {
	await ndv().locator('[data-test-id="node-parameters"]').waitFor();
	return readParameters(ndv().locator('[data-test-id="node-parameters"]'));
}

const selectedCredential = () => ndv().locator('[data-test-id="node-credentials-select"] input').inputValue();

test('node panel, trigger view: "TikTok" finds TikTok Payments with its SVG icon and the trigger with four events', async () => {
	await check('trigger-view', async () => {
		await openWorkflow('/workflow/new', { nodes: 0 });
		// n8n shows a package's action node and trigger as one entry named after the action node.
		await searchNodePanel('TikTok', 'TikTok Payments');
		await assertItemIcon(creatorItem('TikTok Payments'), 'tiktokPayments.svg');
		await creatorItem('TikTok Payments').click();
		await creator().locator('[data-test-id="node-creator-category-item"]', { hasText: 'Triggers (4)' }).waitFor();
		// The action node is part of the same entry: its operations are listed as actions.
		await creator().locator('[data-test-id="node-creator-category-item"]', { hasText: 'Actions (7)' }).waitFor();
		const events = await creator().locator('[data-test-id="node-creator-item-name"]').allInnerTexts();
		for (const event of ['On authorization expiring', 'On payout paid', 'On reserve released', 'On statement settled']) {
			assert.ok(events.includes(event), `trigger events ${JSON.stringify(events)} lack "${event}"`);
			await assertItemIcon(creatorItem(event), 'tiktokPayments.svg');
		}
	});
});

test('TikTok Payments Trigger added from the panel: credential preselected, event "Statement Settled"', async () => {
	await check('trigger-defaults', async () => {
		await creatorItem('On statement settled').click();
		const values = parameterValues(await openedNdvParameters());
		assert.equal(await selectedCredential(), TIKTOK_CREDENTIAL.name);
		assert.equal(values.Event, 'Statement Settled');
		await closeNdv();
	});
});

test('node panel, regular view: "TikTok" lists the node\'s actions; TikTok Payments opens with last month in Europe/Berlin', async () => {
	await check('payments-defaults', async () => {
		await searchNodePanel('TikTok', 'TikTok Payments');
		await assertItemIcon(creatorItem('TikTok Payments'), 'tiktokPayments.svg');
		await creatorItem('TikTok Payments').click();
		await creator().locator('[data-test-id="node-creator-category-item"]', { hasText: 'Actions (7)' }).waitFor();
		const actions = await creator().locator('[data-test-id="node-creator-item-name"]').allInnerTexts();
		for (const action of ['Get many statements', 'Get the transactions of a statement', 'Get many payments', 'Get authorized shops']) {
			assert.ok(actions.includes(action), `actions ${JSON.stringify(actions)} lack "${action}"`);
		}
		await creatorItem('Get many statements').click();
		const values = parameterValues(await openedNdvParameters());
		assert.equal(await selectedCredential(), TIKTOK_CREDENTIAL.name);
		assert.deepEqual(
			{
				Resource: values.Resource,
				Operation: values.Operation,
				Period: values.Period,
				'Time Zone': values['Time Zone'],
				'Return All': values['Return All'],
				'Include Transactions': values['Include Transactions'],
			},
			{
				Resource: 'Statement',
				Operation: 'Get Many',
				Period: 'Last Month',
				'Time Zone': 'Europe/Berlin',
				'Return All': true,
				'Include Transactions': true,
			},
		);
		await closeNdv();
	});
});

test('Map to SKR Bookings: found by "TikTok", opens with SKR03 accounts; switching to SKR04 pre-fills SKR04 accounts', async () => {
	await check('map-defaults', async () => {
		await searchNodePanel('TikTok', 'Map to SKR Bookings');
		await assertItemIcon(creatorItem('Map to SKR Bookings'), 'mapToSkrBookings.svg');
		await creatorItem('Map to SKR Bookings').click();
		// A node without operations opens a details page first.
		await creator().locator('[data-test-id="item-iterator-item"]', { hasText: 'Add to workflow' }).click();
		const rows = await openedNdvParameters();
		const values = parameterValues(rows);
		assert.equal(values['Chart of Accounts'], 'SKR03');
		for (const [label, account] of Object.entries(ACCOUNTS.SKR03)) assert.equal(values[label], account, `${label} (SKR03)`);
		assert.equal(values['Revenue Booking'], 'To Clearing Account');
		assert.ok(rows.some((row) => row.notice?.includes('tax adviser')), 'the notice about agreeing the accounts with the tax adviser is missing');
		await creator().waitFor({ state: 'hidden' });
		mkdirSync(screenshotDir, { recursive: true });
		await page.screenshot({ path: join(screenshotDir, 'map-to-skr-bookings.png'), animations: 'disabled' });

		await ndv().locator('[data-test-id="parameter-input-chart"]').click();
		await page.getByRole('option', { name: 'SKR04', exact: true }).click();
		await assert.doesNotReject(
			page.waitForFunction(
				() => document.querySelector('[data-test-id="parameter-input-chart"] input')?.value === 'SKR04',
			),
		);
		const switchedRows = await openedNdvParameters();
		const switched = parameterValues(switchedRows);
		for (const [label, account] of Object.entries(ACCOUNTS.SKR04)) assert.equal(switched[label], account, `${label} (SKR04)`);
		assert.ok(switchedRows.some((row) => row.notice?.includes('1379')), 'the SKR04 caveat about 1379/1372 is missing');
		await closeNdv();
	});
});

test('the workflow built from the panel shows our three nodes with their icons and no warnings', async () => {
	await check('built-workflow', async () => {
		const nodes = await canvasNodes(page);
		assert.deepEqual(nodes.map((node) => node.type).sort(), [TYPES.map, TYPES.payments, TYPES.trigger]);
		for (const node of nodes) {
			assert.ok(node.icon?.complete && node.icon.naturalWidth > 0, `icon of ${node.name} not rendered: ${JSON.stringify(node.icon)}`);
			assert.deepEqual(node.indicators, [], `${node.name} shows ${node.indicators.join(', ')}`);
		}
	});
});

for (const workflow of exampleWorkflows()) {
	test(`example ${workflow.file} opens without warnings and each of our nodes shows its parameters`, async () => {
		await check(`example-${workflow.id}`, async () => {
			const expected = workflow.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote');
			// A fresh page: the workflow built before is unsaved and would ask before leaving.
			await page.close({ runBeforeUnload: false });
			page = await context.newPage();
			await openWorkflow(`/workflow/${workflow.id}`, { nodes: expected.length });
			const nodes = await canvasNodes(page);
			assert.deepEqual(
				nodes.map((node) => `${node.name} (${node.type})`).sort(),
				expected.map((node) => `${node.name} (${node.type})`).sort(),
			);
			for (const node of nodes) {
				assert.deepEqual(node.indicators, [], `${node.name} shows ${node.indicators.join(', ')}`);
				if (!OUR_TYPES.has(node.type)) continue;
				const [icon] = await imageReport(context, page.locator(`[data-test-id="canvas-node"][data-node-name="${node.name}"] img`));
				assert.ok(isRenderedSvg(icon), `icon of ${node.name}: ${JSON.stringify(icon)}`);
			}
			if (workflow.file.startsWith('01-')) {
				// Fit, then one step out so that no node sits under the floating buttons; the mouse leaves the nodes
				// (hovering a trigger shows an extra button).
				await page.locator('[data-test-id="zoom-to-fit"]').click();
				await page.locator('[data-test-id="zoom-out-button"]').click();
				await page.mouse.move(1000, 200);
				await page.waitForTimeout(500); // zooming is animated
				mkdirSync(screenshotDir, { recursive: true });
				await page.screenshot({ path: join(screenshotDir, 'canvas.png'), animations: 'disabled' });
			}
			for (const node of expected.filter((candidate) => OUR_TYPES.has(candidate.type))) {
				await page.locator(`[data-test-id="canvas-node"][data-node-name="${node.name}"]`).dblclick();
				const rows = await openedNdvParameters();
				assert.ok(rows.length >= 3, `${node.name} shows ${rows.length} parameters`);
				assert.equal(await ndv().locator('[data-test-id="parameter-issues"]').count(), 0, `${node.name} has parameter issues`);
				if (node.type !== TYPES.map) assert.equal(await selectedCredential(), TIKTOK_CREDENTIAL.name, `${node.name} credential`);
				if (node.type === TYPES.map) {
					const values = parameterValues(rows);
					const chart = values['Chart of Accounts'];
					assert.ok(chart in ACCOUNTS, `${node.name}: Chart of Accounts shows ${JSON.stringify(chart)}`);
					for (const [label, account] of Object.entries(ACCOUNTS[chart])) assert.equal(values[label], account, `${node.name}: ${label}`);
				}
				await closeNdv();
			}
		});
	});
}

test('credential dialog shows its fields and the setup notice, not the fields it maintains itself', async () => {
	await check('credential-fields', async () => {
		await page.close({ runBeforeUnload: false });
		page = await context.newPage();
		await page.goto(`/home/credentials/${TIKTOK_CREDENTIAL.id}`);
		await credentialDialog().locator('[data-test-id="credential-connection-parameter"]').first().waitFor({ timeout: CANVAS_TIMEOUT_MS });
		const rows = await readParameters(credentialDialog());
		const labels = rows.filter((row) => 'label' in row).map((row) => row.label);
		for (const label of ['App Key', 'App Secret', 'Service ID', 'Market', 'Authorization Code', 'Refresh Token', 'Shop', 'Use Custom API Hosts', 'API Base URL', 'Auth Base URL']) {
			assert.ok(labels.includes(label), `credential fields ${JSON.stringify(labels)} lack "${label}"`);
		}
		for (const hidden of ['Access Token', 'Current Refresh Token', 'Authorization State']) {
			assert.ok(!labels.includes(hidden), `internal field "${hidden}" is visible`);
		}
		assert.ok(rows.some((row) => row.notice?.includes('Partner Center')), 'setup notice missing');
		assert.equal(parameterValues(rows)['API Base URL'], env.sandboxUrl);
	});
});

const credentialSuccess = () => credentialDialog().locator('[data-test-id="credentials-config-container-test-success"]');
const credentialOutcome = async () => {
	const failure = credentialDialog().getByText('Couldn’t connect with these settings');
	await credentialSuccess().or(failure).first().waitFor({ timeout: CANVAS_TIMEOUT_MS });
	return (await credentialSuccess().isVisible()) ? 'success' : 'failure';
};
const sandboxAnswers = () => JSON.stringify(env.sandboxLog.slice(-4));

test('credential connection test succeeds against the sandbox when the dialog opens', async () => {
	await check('credential-test', async () => {
		// Opening a saved credential tests it: the authorization code is exchanged and the authorized shops read.
		assert.equal(await credentialOutcome(), 'success', `credential test failed; the sandbox answered ${sandboxAnswers()}`);
		mkdirSync(screenshotDir, { recursive: true });
		await page.screenshot({ path: join(screenshotDir, 'credential.png'), animations: 'disabled' });
	});
});

/** The input of a credential field, by the field's name. */
const credentialInput = (name) => credentialDialog().locator(`[data-test-id="parameter-input-${name}"] input`).first();

/** Runs `action` and returns the answer of the credential test n8n's editor sends because of it. */
async function credentialTestAfter(action, step) {
	const before = env.sandboxLog.length;
	const tested = page.waitForResponse((response) => response.url().endsWith('/rest/credentials/test'), { timeout: CANVAS_TIMEOUT_MS });
	await action();
	const answer = await (await tested).json();
	assert.equal(answer.data?.status, 'OK', `${step}: ${JSON.stringify(answer)}; the sandbox answered ${sandboxAnswers()}`);
	assert.equal(await credentialOutcome(), 'success', step);
	assert.ok(
		env.sandboxLog.slice(before).some((entry) => entry.path === '/authorization/202309/shops' && entry.code === 0),
		`${step} did not read the authorized shops from the sandbox: ${sandboxAnswers()}`,
	);
}

const retry = () => credentialSuccess().getByRole('button', { name: 'Retry' }).click();
const save = () => credentialDialog().locator('[data-test-id="credential-save-button"]').click();

test('credential connection test succeeds again on "Retry", with the tokens n8n stored', async () => {
	await check('credential-retry', async () => {
		await credentialTestAfter(retry, 'Retry');
		assert.equal(env.sandbox.stats.authCodesRedeemed, 1, 'the authorization code was redeemed once');
	});
});

test('edit and Save the imported credential, then Retry: still the one authorization', async () => {
	await check('credential-edit-save', async () => {
		await credentialInput('serviceId').fill('7321000000000000009');
		await credentialTestAfter(save, 'Save');
		await credentialTestAfter(retry, 'Retry after Save');
		assert.equal(env.sandbox.stats.authCodesRedeemed, 1, 'no authorization code was redeemed again');
	});
});

test('a credential created in the dialog: Save → Retry → edit and Save → Retry, one code redeemed', async () => {
	await check('credential-create', async () => {
		await page.close({ runBeforeUnload: false });
		page = await context.newPage();
		await page.goto('/home/credentials/create');
		const search = page.locator('[data-test-id="new-credential-type-select"] input');
		await search.waitFor({ timeout: CANVAS_TIMEOUT_MS });
		await search.fill('TikTok Payments');
		await page.locator('[data-test-id="new-credential-type-select-option"]', { hasText: 'TikTok Payments OAuth API' }).click();
		await page.locator('[data-test-id="new-credential-type-button"]').click();
		await credentialInput('appKey').waitFor({ timeout: CANVAS_TIMEOUT_MS });
		const { credentials } = env.sandbox;
		await credentialInput('appKey').fill(credentials.appKey);
		await credentialInput('appSecret').fill(credentials.appSecret);
		await credentialInput('authCode').fill(credentials.authCode());
		await credentialDialog().locator('[data-test-id="parameter-input-customHosts"] .el-switch').click();
		await credentialInput('apiBaseUrl').fill(env.sandboxUrl);
		await credentialInput('authBaseUrl').fill(env.sandboxUrl);
		const codesBefore = env.sandbox.stats.authCodesRedeemed;
		await credentialTestAfter(save, 'Save of the new credential');
		await credentialTestAfter(retry, 'Retry');
		await credentialInput('serviceId').fill('7321000000000000001');
		await credentialTestAfter(save, 'edit and Save');
		await credentialTestAfter(retry, 'Retry after Save');
		assert.equal(env.sandbox.stats.authCodesRedeemed - codesBefore, 1, 'the new code was redeemed once');
	});
});

/** A fresh page on a workflow of test/browser/fixtures, its `nodes` nodes rendered. */
async function openFixture(id, nodes) {
	await page.close({ runBeforeUnload: false });
	page = await context.newPage();
	await openWorkflow(`/workflow/${id}`, { nodes });
}

const locator = (parameter) => ndv().locator(`[data-test-id="resource-locator-${parameter}"]`);
const listItems = () => page.locator('[data-test-id="rlc-item"]');

/** The sandbox's statements newest first, labelled as the list must show them (from TikTok's own fields). */
function statementLabels() {
	return [...env.sandbox.data.statements]
		.sort((a, b) => b.statement_time - a.statement_time)
		.map((statement) => ({
			id: statement.id,
			label: `${new Date((statement.statement_time - 86_400) * 1000).toISOString().slice(0, 10)} · ${statement.settlement_amount} ${statement.currency} · ${statement.payment_status}`,
		}));
}

test('Statement ID "From list": recent statements as "date · settlement amount · status", searchable; the picked one runs', async () => {
	await check('statement-locator', async () => {
		await openFixture('tiktokLocatorCheck', 3);
		await page.locator('[data-test-id="canvas-node"][data-node-name="Transactions of a Statement"]').dblclick();
		await locator('statementId').locator('[data-test-id="rlc-input"]').click();
		await listItems().first().waitFor({ timeout: CANVAS_TIMEOUT_MS });
		const expected = statementLabels();
		const shown = await listItems().allInnerTexts();
		assert.deepEqual(shown.slice(0, 5), expected.slice(0, 5).map((statement) => statement.label));
		mkdirSync(screenshotDir, { recursive: true });
		await page.screenshot({ path: join(screenshotDir, 'statement-list.png'), animations: 'disabled' });

		await page.locator('[data-test-id="rlc-search"]').fill('2026-08-1');
		const august = expected.filter((statement) => statement.label.startsWith('2026-08-1'));
		await page.waitForFunction(
			(count) => [...document.querySelectorAll('[data-test-id="rlc-item"]')].filter((item) => item.innerText.startsWith('2026-08-1')).length === count &&
				document.querySelectorAll('[data-test-id="rlc-item"]').length === count,
			august.length,
		);
		await listItems().first().click();
		assert.equal(await locator('statementId').locator('[data-test-id="rlc-input"] input, input[data-test-id="rlc-input"]').first().inputValue(), august[0].label);

		// Executing the node fetches the picked statement's transactions.
		await ndv().locator('[data-test-id="node-execute-button"]').first().click();
		await ndv().locator('[data-test-id="output-panel"]').getByText(august[0].id).first().waitFor({ timeout: CANVAS_TIMEOUT_MS });
		await closeNdv();
	});
});

test('Order ID: "From list" shows recent orders as "order ID · date · amount"; "By ID" flags what is not a number; Shop lists the authorized shops', async () => {
	await check('order-locator', async () => {
		await page.locator('[data-test-id="canvas-node"][data-node-name="Transactions of an Order"]').dblclick();
		await locator('orderId').locator('[data-test-id="rlc-input"]').click();
		await listItems().first().waitFor({ timeout: CANVAS_TIMEOUT_MS });
		const orders = await listItems().allInnerTexts();
		for (const order of orders) {
			const [id] = order.split(' · ');
			assert.match(order, /^\d+ · \d{4}-\d{2}-\d{2} · -?\d+\.\d{2} EUR$/);
			assert.ok(env.sandbox.data.orderTransactions(id), `order ${id} is not one of the shop's orders`);
		}
		await page.keyboard.press('Escape');

		// The Shop picker above lists the shops of the credential's authorization.
		await locator('shop').locator('[data-test-id="rlc-input"]').click();
		await listItems().first().waitFor({ timeout: CANVAS_TIMEOUT_MS });
		const { shop } = env.sandbox.data;
		assert.deepEqual(await listItems().allInnerTexts(), [`${shop.name} · ${shop.region} · ${shop.id}`]);
		await page.keyboard.press('Escape');

		await locator('orderId').locator('[data-test-id="rlc-mode-selector"]').click();
		// The Shop picker has a mode list of its own in the page.
		await page.locator('[data-test-id="mode-id"]:visible').click();
		const input = locator('orderId').locator('[data-test-id="rlc-input"]');
		await input.fill('abc');
		await locator('orderId').locator('[data-test-id="parameter-issues"]').hover();
		await page.getByText('A TikTok order ID is a number').first().waitFor();
		await input.fill(orders[0].split(' · ')[0]);
		await locator('orderId').locator('[data-test-id="parameter-issues"]').waitFor({ state: 'detached' });
		await closeNdv();
	});
});

test('Map to SKR Bookings run in the editor: its summary.html downloads and shows the month in German', async () => {
	await check('summary', async () => {
		await openFixture('tiktokSummaryCheck', 5);
		await page.locator('[data-test-id="execute-workflow-button"]').click();
		await page.getByText('Workflow executed successfully').first().waitFor({ timeout: CANVAS_TIMEOUT_MS });
		await page.locator('[data-test-id="canvas-node"][data-node-name="Map to SKR Bookings"]').dblclick();
		const output = ndv().locator('[data-test-id="output-panel"]');
		await output.getByText('Binary', { exact: true }).click();
		const card = output.locator('[data-test-id^="ndv-binary-data_"]').filter({ hasText: 'summary.html' });
		assert.match(await card.innerText(), /text\/html/);
		const [download] = await Promise.all([page.waitForEvent('download'), card.locator('[data-test-id="ndv-download-binary-data"]').click()]);
		const file = join(mkdtempSync(join(tmpdir(), 'summary-')), 'summary.html');
		await download.saveAs(file);
		await closeNdv();

		const summary = await context.newPage();
		try {
			await summary.goto(pathToFileURL(file).href);
			// Umlauts render (the page declares UTF-8) and the three sections are there.
			assert.equal(await summary.title(), 'TikTok Shop: Monatsübersicht 08/2026');
			assert.deepEqual(await summary.locator('h3').allInnerTexts(), ['Konten', 'Abrechnungen', 'Hinweise']);
			assert.deepEqual(await summary.locator('table').first().locator('th').allInnerTexts(), ['Konto', 'Funktion', 'Soll', 'Haben', 'Saldo']);
			const august = statementLabels().filter((statement) => statement.label.startsWith('2026-08'));
			assert.equal(await summary.locator('table').nth(1).locator('tbody tr').count(), august.length);
			await summary.getByText(`Alle ${august.length} Abrechnungen stimmen centgenau mit TikTok überein.`).waitFor();
			const role = async (text) => summary.locator('table').first().locator('tbody tr').filter({ hasText: text }).locator('td').first().innerText();
			assert.equal(await role('TikTok-Guthaben (Geldkonto)'), '1270');
			assert.equal(await role('Geldtransit (Auszahlungen)'), '1366');
			mkdirSync(screenshotDir, { recursive: true });
			await summary.setViewportSize({ width: 900, height: 800 });
			await summary.screenshot({ path: join(screenshotDir, 'summary.png'), fullPage: true });
		} finally {
			await summary.close();
		}
	});
});
