// End-to-end: our packed package inside a real n8n 2.41.1 (installed like a community package), the example
// workflows as users import them, the TikTok sandbox and an SMTP server on loopback. Run with
//   node scripts/node24.mjs node --import tsx --test test/e2e/workflows.test.mjs
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { nodeItems } from '../../scripts/e2e/n8n-cli.mjs';
import {
	n8nWithPackage,
	readDatevDir,
	readExample,
	reconcileWithSandbox,
	smtpCredential,
	startSandbox,
	tiktokCredential,
	writingInto,
} from '../../scripts/e2e/scenario.mjs';
import { startSmtpServer } from '../support/smtp-server.mjs';
import { assertLocatorRun, LOCATOR_WORKFLOW_ID, locatorWorkflow, sampleIds } from './locator-workflow.mjs';

const { parseMinor } = createRequire(import.meta.url)('../../lib/money.ts');

const EXAMPLES = [
	'01-monthly-datev-batch-by-email.json',
	'02-monthly-datev-batch-to-google-drive.json',
	'03-monthly-datev-batch-to-disk.json',
	'04-settled-statement-to-daily-datev-file.json',
];
const BALANCE = '1270';

let shop;
let smtp;
let n8n;
let datevDir;
let locatorIds;
const workflows = {};

/** Output of an execution must never show a secret or a TikTok token (the sandbox's tokens start with TTP_). */
function assertNoSecrets(result, secrets) {
	const text = `${result.stdout}\n${result.stderr}`;
	for (const secret of secrets) assert.equal(text.includes(secret), false, 'a secret appears in the n8n output');
	assert.doesNotMatch(text, /TTP_[A-Za-z0-9_-]{8,}/, 'a TikTok token appears in the n8n output');
}

before(async () => {
	shop = await startSandbox({ ordersPerMonth: 200, seed: 5 });
	smtp = await startSmtpServer();
	n8n = await n8nWithPackage();
	datevDir = join(n8n.filesDir, 'datev');
	mkdirSync(join(datevDir, 'daily'), { recursive: true });
	const wrongSecret = [...shop.sandbox.credentials.appSecret].reverse().join('');
	await n8n.importCredentials([
		tiktokCredential(shop),
		tiktokCredential(shop, { id: 'tiktokWrongSecret', name: 'TikTok (wrong secret)', appSecret: wrongSecret }),
		smtpCredential(smtp.port),
	]);
	for (const file of EXAMPLES) workflows[file] = writingInto(readExample(file), datevDir);
	const wrong = structuredClone(workflows['03-monthly-datev-batch-to-disk.json']);
	wrong.id = 'tiktokWrongSecretWf';
	wrong.name = 'Example 3 with a wrong app secret';
	for (const node of wrong.nodes) {
		if (node.credentials?.tikTokPaymentsOAuthApi) node.credentials.tikTokPaymentsOAuthApi = { id: 'tiktokWrongSecret', name: 'TikTok (wrong secret)' };
	}
	workflows.wrong = wrong;
	// Issue #12: example 3 as an adviser with SKR04, Sachkontenlänge 5 and OPOS sets it up, writing into its own folder.
	mkdirSync(join(datevDir, 'skr04'), { recursive: true });
	const opos = writingInto(readExample('03-monthly-datev-batch-to-disk.json'), join(datevDir, 'skr04'));
	opos.id = 'tiktokMonthlyDiskSkr04Opos';
	opos.name = 'Example 3 in SKR04, Sachkontenlänge 5, OPOS';
	const mapNode = opos.nodes.find((node) => node.type === 'n8n-nodes-tiktok-payments.mapToSkrBookings');
	Object.assign(mapNode.parameters, {
		chart: 'SKR04',
		revenueMode: 'collectiveDebtor',
		consultantNumber: 29098,
		clientNumber: 55003,
		options: { ...mapNode.parameters.options, accountLength: 5 },
	});
	workflows.opos = opos;
	locatorIds = sampleIds(shop.sandbox);
	await n8n.importWorkflows([...Object.values(workflows), locatorWorkflow(locatorIds)]);
});

after(async () => {
	await n8n?.stop({ removeFolder: true });
	await smtp?.close();
	await shop?.close();
});

describe('the example workflows in n8n 2.41.1', () => {
	it('use only node types, versions and parameters that exist in n8n 2.41.1 and our package (example 2 included)', async () => {
		// n8n's CLI and "Execute workflow" start at the first trigger in node order: the Manual Trigger must come first.
		for (const file of EXAMPLES) {
			assert.equal(workflows[file].nodes[0].type, 'n8n-nodes-base.manualTrigger', `${file}: the Manual Trigger is not the first node`);
		}
		const types = await n8n.exportNodes();
		const names = new Set(types.map((type) => type.name));
		// TikTok Payments is offered to AI agents as a tool; Map to SKR Bookings is not (it needs statement items).
		assert.ok(names.has('n8n-nodes-tiktok-payments.tikTokPaymentsTool'));
		assert.ok(!names.has('n8n-nodes-tiktok-payments.mapToSkrBookingsTool'));
		const byType = new Map();
		for (const type of types) {
			for (const version of [type.version].flat()) byType.set(`${type.name}@${version}`, type);
		}
		for (const file of EXAMPLES) {
			for (const node of workflows[file].nodes) {
				const type = byType.get(`${node.type}@${node.typeVersion}`);
				assert.ok(type, `${file}: node "${node.name}" has type ${node.type} v${node.typeVersion}, unknown to n8n`);
				const known = new Set(type.properties.map((property) => property.name));
				if (type.polling) known.add('pollTimes');
				for (const parameter of Object.keys(node.parameters)) {
					assert.ok(known.has(parameter), `${file}: node "${node.name}" sets "${parameter}", which ${node.type} v${node.typeVersion} does not have`);
				}
			}
		}
	});

	it('example 3 writes last month\'s DATEV file, which reconciles with TikTok\'s figures to the cent', async () => {
		const result = await n8n.execute('tiktokMonthlyDisk');
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assertNoSecrets(result, [shop.sandbox.credentials.appSecret]);
		const files = readDatevDir(datevDir);
		assert.deepEqual(files.map((file) => file.name), [`EXTF_Buchungsstapel_MyTikTokShop_${shop.lastMonth}.csv`]);
		const [file] = files;
		assert.equal(file.file.header.consultantNumber, 1001);
		const check = reconcileWithSandbox(file.lines, shop, shop.lastMonth, BALANCE);
		assert.ok(check.statements >= 28, `expected a month of statements, got ${check.statements}`);
		assert.deepEqual(check.differences, []);
		const fileItem = nodeItems(result.run, 'Map to SKR Bookings')[0];
		assert.equal(fileItem.reconciliation, 'ok');
		assert.equal(fileItem.rows, file.lines.length);
	});

	it('example 3 run again books nothing twice', async () => {
		const before = readdirSync(datevDir).length;
		const result = await n8n.execute('tiktokMonthlyDisk');
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.equal(nodeItems(result.run, 'Map to SKR Bookings').length, 0);
		assert.equal(readdirSync(datevDir).length, before);
	});

	it('example 1 emails the DATEV file, while the access token expires mid-run and is refreshed', async () => {
		const stats = shop.sandbox.stats;
		const refreshesBefore = stats.refreshes;
		let financeRequests = 0;
		shop.hooks.beforeRequest = (request) => {
			if (!request.path.startsWith('/finance/')) return;
			financeRequests += 1;
			// In the middle of paging through the month's statements.
			if (financeRequests === 10) shop.sandbox.expireAccessTokens();
		};
		const result = await n8n.execute('tiktokMonthlyEmail');
		shop.hooks.beforeRequest = undefined;
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.ok((stats.byCode['105002'] ?? 0) >= 1, 'TikTok rejected the expired token at least once');
		assert.equal(stats.refreshes, refreshesBefore + 1, 'the credential refreshed exactly once');
		assertNoSecrets(result, [shop.sandbox.credentials.appSecret]);

		assert.equal(smtp.messages.length, 1);
		const [message] = smtp.messages;
		assert.match(message.to[0], /kanzlei@example\.com/);
		const [attachment] = message.attachments;
		assert.equal(attachment.fileName, `EXTF_Buchungsstapel_MyTikTokShop_${shop.lastMonth}.csv`);
		const disk = readDatevDir(datevDir)[0];
		// Same bookings as example 3's file; only the "created at" stamp in the header may differ.
		const body = (bytes) => bytes.subarray(bytes.indexOf(0x0a) + 1);
		assert.deepEqual(body(attachment.bytes), body(disk.bytes));

		// The HTML body carries the month at a glance: the accounts table with the balance account, every statement.
		const html = message.bodies.find((part) => part.contentType === 'text/html')?.text ?? '';
		const [fileItem] = nodeItems(result.run, 'Map to SKR Bookings');
		assert.ok(html.includes(fileItem.summaryHtml), 'the e-mail\'s HTML body lacks the summary table');
		assert.match(html, /<th[^>]*>Konto<\/th><th[^>]*>Funktion<\/th><th[^>]*>Soll<\/th><th[^>]*>Haben<\/th><th[^>]*>Saldo<\/th>/);
		assert.match(html, /<td[^>]*>1270<\/td><td[^>]*>TikTok-Guthaben \(Geldkonto\)<\/td>/);
		assert.equal((html.match(/<td[^>]*>abgestimmt<\/td>/g) ?? []).length, fileItem.statements);
		assert.match(message.bodies.find((part) => part.contentType === 'text/plain')?.text ?? '', /^Guten Tag,/);
	});

	it('the refreshed credential still works in the next execution (example 4, manual path)', async () => {
		const stats = shop.sandbox.stats;
		const refreshes = stats.refreshes;
		const codes = stats.authCodesRedeemed;
		const result = await n8n.execute('tiktokSettledDaily');
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		assert.equal(stats.refreshes, refreshes);
		assert.equal(stats.authCodesRedeemed, codes);
		const statements = nodeItems(result.run, 'Statements of Yesterday');
		assert.equal(statements.length, 1);
		const daily = readdirSync(join(datevDir, 'daily'));
		assert.equal(daily.length, 1);
		// DATEV's EXTF_ prefix first; run time and execution id keep the daily files of a month apart.
		assert.match(daily[0], /^EXTF_Buchungsstapel_MyTikTokShop_\d{4}-\d{2}_\d{4}-\d{2}-\d{2}_\d{6}_\d+\.csv$/);
	});

	it('reads Statement ID and Order ID saved as plain strings (0.1) and as resource locator values', async () => {
		assertLocatorRun(await n8n.execute(LOCATOR_WORKFLOW_ID), shop.sandbox, locatorIds);
	});

	it('a wrong app secret fails the execution with a clear message and shows no secret', async () => {
		const filesBefore = readdirSync(datevDir).length;
		const result = await n8n.execute('tiktokWrongSecretWf');
		assert.equal(result.exitCode, 1);
		assert.notEqual(result.status, 'success');
		assert.match(String(result.error?.message), /TikTok authorization failed/);
		const wrongSecret = [...shop.sandbox.credentials.appSecret].reverse().join('');
		assertNoSecrets(result, [wrongSecret, shop.sandbox.credentials.appSecret]);
		assert.equal(readdirSync(datevDir).length, filesBefore);
	});

	it('example 3 in SKR04 with Sachkontenlänge 5 and OPOS writes a file that reads back and reconciles to the cent', async () => {
		const result = await n8n.execute('tiktokMonthlyDiskSkr04Opos');
		assert.equal(result.status, 'success', JSON.stringify(result.error));
		const [file, ...more] = readDatevDir(join(datevDir, 'skr04'));
		assert.equal(more.length, 0);
		assert.equal(file.name, `EXTF_Buchungsstapel_MyTikTokShop_${shop.lastMonth}.csv`);
		assert.deepEqual([file.file.header.accountLength, file.file.header.chartOfAccounts, file.file.header.consultantNumber], [5, '04', 29098]);
		const check = reconcileWithSandbox(file.lines, shop, shop.lastMonth, '18700');
		assert.ok(check.statements >= 28, `expected a month of statements, got ${check.statements}`);
		assert.deepEqual(check.differences, []);
		// Every Sachkonto has 5 digits, the collective debtor 6 (a Personenkonto, so OPOS works).
		const accounts = new Set(file.lines.flatMap((line) => [line.account, line.contraAccount]));
		assert.ok(accounts.has('100000'));
		for (const account of accounts) assert.equal(account.length, account === '100000' ? 6 : 5, `account ${account}`);
		// The debtor is credited per order with the whole invoice: revenue plus the shipping the buyer paid.
		const cents = (value) => parseMinor(String(value ?? '0'), 'EUR');
		const expected = new Map();
		for (const statement of shop.sandbox.data.statements) {
			const covered = new Date(statement.statement_time * 1000 - 86_400_000).toISOString().slice(0, 7);
			if (covered !== shop.lastMonth) continue;
			for (const t of shop.sandbox.data.statementTransactions(statement.id).transactions) {
				const invoice = cents(t.revenue_amount) + cents(t.shipping_cost_breakdown?.customer_paid_shipping_fee_amount);
				if (invoice !== 0) expected.set(t.order_id, (expected.get(t.order_id) ?? 0) + invoice);
			}
		}
		const credited = new Map();
		for (const line of file.lines) {
			if (line.contraAccount !== '100000') continue;
			const signed = line.side === 'S' ? line.amountMinor : -line.amountMinor;
			credited.set(line.documentField1, (credited.get(line.documentField1) ?? 0) + signed);
		}
		assert.deepEqual(credited, expected);
		const taxLines = file.lines.filter((line) => line.text.startsWith('TikTok einbehaltene USt'));
		assert.ok(taxLines.length > 0, 'the sandbox month holds VAT inside fee_tax_amount');
		assert.ok(taxLines.every((line) => line.taxKey === '' && line.account === '13720'));
		const fileItem = nodeItems(result.run, 'Map to SKR Bookings')[0];
		assert.equal(fileItem.reconciliation, 'ok');
		assert.equal(fileItem.rows, file.lines.length);
	});
});
