// Issue #13 end to end: our packed package in a real n8n 2.41.1, the example workflows as users import them.
// Nothing is lost and nothing is booked twice when a delivery fails, and a statement TikTok changes after its
// delivery is booked by its difference. Run with
//   node scripts/node24.mjs node --import tsx --test test/e2e/delivery.test.mjs
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

const require = createRequire(import.meta.url);
const { parseMinor } = require('../../lib/money.ts');
const { readBookingLines, readBuchungsstapel } = require('../../lib/datev/reader.ts');
const BALANCE = '1270';
const REFUSING_SMTP = 'smtpRefusingFirst';

let shop;
let smtp;
let n8n;
let base;

/** A copy of an example with its own id, writing into `dir`. */
function copyOf(file, id, dir) {
	const workflow = dir ? writingInto(readExample(file), dir) : readExample(file);
	workflow.id = id;
	workflow.name = `${workflow.name} (${id})`;
	return workflow;
}

/** What the balance account moves by in `lines` (Generalumkehr negative). */
function balanceMovement(lines) {
	let net = 0;
	for (const line of lines) {
		const signed = (line.side === 'S' ? 1 : -1) * (line.generalReversal ? -1 : 1) * line.amountMinor;
		if (line.account === BALANCE) net += signed;
		if (line.contraAccount === BALANCE) net -= signed;
	}
	return net;
}

before(async () => {
	shop = await startSandbox({ ordersPerMonth: 120, seed: 13 });
	smtp = await startSmtpServer({ refuse: 1 });
	n8n = await n8nWithPackage();
	base = join(n8n.filesDir, 'delivery');
	mkdirSync(join(base, 'amend'), { recursive: true });
	// A file where the folder should be: Write File cannot create anything below it.
	mkdirSync(base, { recursive: true });
	writeFileSync(join(base, 'blocked'), 'not a folder');
	await n8n.importCredentials([tiktokCredential(shop), { ...smtpCredential(smtp.port), id: REFUSING_SMTP, name: 'SMTP refusing the first message' }]);
	const email = copyOf('01-monthly-datev-batch-by-email.json', 'deliveryEmail');
	for (const node of email.nodes) {
		if (node.credentials?.smtp) node.credentials.smtp = { id: REFUSING_SMTP, name: 'SMTP refusing the first message' };
	}
	await n8n.importWorkflows([
		copyOf('03-monthly-datev-batch-to-disk.json', 'deliveryBlocked', join(base, 'blocked')),
		copyOf('03-monthly-datev-batch-to-disk.json', 'deliveryAmend', join(base, 'amend')),
		email,
	]);
});

after(async () => {
	await n8n?.stop({ removeFolder: true });
	await smtp?.close();
	await shop?.close();
});

describe('a failed delivery is booked again, a delivered one never (issue #13)', () => {
	it('Write File into a blocked folder fails; once it is writable every statement is delivered exactly once', async () => {
		const failed = await n8n.execute('deliveryBlocked');
		assert.equal(failed.status, 'error', 'the run with the blocked folder must fail');
		assert.ok(nodeItems(failed.run, 'Map to SKR Bookings').length > 0, 'Map to SKR Bookings produced the file before the write failed');
		assert.equal(nodeItems(failed.run, 'Mark as Booked').length, 0);

		rmSync(join(base, 'blocked'));
		mkdirSync(join(base, 'blocked'));
		const delivered = await n8n.execute('deliveryBlocked');
		assert.equal(delivered.status, 'success', JSON.stringify(delivered.error));
		const files = readDatevDir(join(base, 'blocked'));
		assert.deepEqual(files.map((file) => file.name), [`EXTF_Buchungsstapel_MyTikTokShop_${shop.lastMonth}.csv`]);
		const check = reconcileWithSandbox(files[0].lines, shop, shop.lastMonth, BALANCE);
		assert.ok(check.statements >= 28, `expected a month of statements, got ${check.statements}`);
		assert.deepEqual(check.differences, []);
		const [marked] = nodeItems(delivered.run, 'Mark as Booked');
		assert.equal(marked.marked.statements, check.statements);

		const again = await n8n.execute('deliveryBlocked');
		assert.equal(again.status, 'success', JSON.stringify(again.error));
		assert.equal(nodeItems(again.run, 'Map to SKR Bookings').length, 0);
		assert.equal(readdirSync(join(base, 'blocked')).length, 1);
	});

	it('Send Email refused by the mail server; the next run sends every statement exactly once', async () => {
		const failed = await n8n.execute('deliveryEmail');
		assert.equal(failed.status, 'error', 'the run whose e-mail was refused must fail');
		assert.equal(smtp.messages.length, 0);

		const delivered = await n8n.execute('deliveryEmail');
		assert.equal(delivered.status, 'success', JSON.stringify(delivered.error));
		assert.equal(smtp.messages.length, 1);
		const [attachment] = smtp.messages[0].attachments;
		const lines = readBookingLines(readBuchungsstapel(new Uint8Array(attachment.bytes), { strict: true }));
		assert.deepEqual(reconcileWithSandbox(lines, shop, shop.lastMonth, BALANCE).differences, []);

		const again = await n8n.execute('deliveryEmail');
		assert.equal(again.status, 'success', JSON.stringify(again.error));
		assert.equal(smtp.messages.length, 1, 'nothing is sent twice');
	});
});

describe('a statement changed after its delivery (issue #13)', () => {
	it('example 3, then the sandbox amends a statement, then example 3 again books exactly the amended amount; a third run nothing', async () => {
		const dir = join(base, 'amend');
		const first = await n8n.execute('deliveryAmend');
		assert.equal(first.status, 'success', JSON.stringify(first.error));
		const firstFiles = readDatevDir(dir);
		assert.equal(firstFiles.length, 1);

		// Each kind of change TikTok makes, on three statements of last month.
		const month = shop.sandbox.data.statements.filter(
			(statement) => new Date(statement.statement_time * 1000 - 86_400_000).toISOString().slice(0, 7) === shop.lastMonth,
		);
		const withOrders = month.filter((statement) =>
			(shop.sandbox.data.statementTransactions(statement.id)?.transactions ?? []).some((t) => t.type === 'ORDER' && Number(t.fee_tax_breakdown?.fee.platform_commission_amount ?? 0) < 0),
		);
		const withReserve = month.filter((statement) =>
			(shop.sandbox.data.statementTransactions(statement.id)?.transactions ?? []).some((t) => t.type === 'RESERVE' && Number(t.reserve_amount) < 0),
		);
		const amendments = [
			shop.sandbox.amend(month[0].id, { kind: 'addTransaction', amount: '7.50' }),
			shop.sandbox.amend(withOrders.find((statement) => statement.id !== month[0].id).id, { kind: 'changeTransaction', feeDelta: '1.20' }),
		];
		const reserveStatement = withReserve.find((statement) => !amendments.some((amendment) => amendment.statementId === statement.id));
		if (reserveStatement) amendments.push(shop.sandbox.amend(reserveStatement.id, { kind: 'releaseReserve' }));
		const amended = amendments.reduce((total, amendment) => total + parseMinor(amendment.balanceDifference, 'EUR'), 0);

		const second = await n8n.execute('deliveryAmend');
		assert.equal(second.status, 'success', JSON.stringify(second.error));
		const newFiles = readDatevDir(dir).filter((file) => !firstFiles.some((old) => old.name === file.name));
		assert.equal(newFiles.length, 1, 'the corrections go into the file of the current period');
		assert.equal(balanceMovement(newFiles[0].lines), amended, 'the balance account moves by exactly the amended amount');
		assert.deepEqual([...new Set(newFiles[0].lines.map((line) => line.documentField1))].sort(), amendments.map((amendment) => amendment.statementId).sort());
		const [fileItem] = nodeItems(second.run, 'Map to SKR Bookings');
		assert.equal(fileItem.corrected, amendments.length);
		assert.match(fileItem.summaryHtml, /nachträglich geändert/);

		const third = await n8n.execute('deliveryAmend');
		assert.equal(third.status, 'success', JSON.stringify(third.error));
		assert.equal(nodeItems(third.run, 'Map to SKR Bookings').length, 0);
		assert.equal(readDatevDir(dir).length, 2);
	});
});
