#!/usr/bin/env node
// `npm run demo`: the product's main job on this machine. Starts the TikTok sandbox shop on loopback, installs our
// packed package into a real n8n 2.41.1, runs example workflow 3 ("monthly DATEV batch written to disk") for the last
// complete month, and prints what a bookkeeper wants to see. The DATEV files land in ./out/.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { ensureN8n, repoRoot } from './e2e/n8n-runtime.mjs';
import { nodeItems } from './e2e/n8n-cli.mjs';
import {
	accountTotals,
	euro,
	n8nWithPackage,
	readDatevDir,
	readExample,
	reconcileWithSandbox,
	startSandbox,
	tiktokCredential,
	writingInto,
} from './e2e/scenario.mjs';

const outDir = join(repoRoot, 'out');
const began = Date.now();
const step = (text) => process.stdout.write(`▸ ${text}\n`);

step('Preparing n8n 2.41.1 and Node 24 (cached after the first run)');
await ensureN8n();
const shop = await startSandbox({ ordersPerMonth: Number(process.env.DEMO_ORDERS ?? 300) });
let n8n;
try {
	step(`TikTok sandbox shop "${shop.sandbox.credentials.shopName}" on ${shop.url}`);
	rmSync(outDir, { recursive: true, force: true });
	mkdirSync(outDir, { recursive: true });
	n8n = await n8nWithPackage({ env: { N8N_RESTRICT_FILE_ACCESS_TO: outDir } });
	step('Installed n8n-nodes-tiktok-payments into n8n as a community package');
	await n8n.importCredentials([tiktokCredential(shop)]);
	const workflow = writingInto(readExample('03-monthly-datev-batch-to-disk.json'), outDir);
	await n8n.importWorkflows([workflow]);
	step(`Running "${workflow.name}" for ${shop.lastMonth}`);
	const result = await n8n.execute(workflow.id);
	if (result.status !== 'success') {
		const error = result.error ?? {};
		const where = error.node?.name ? ` in node "${error.node.name}"` : '';
		throw new Error(`the workflow failed${where}: ${error.message ?? `exit code ${result.exitCode}`} ${error.description ?? ''}`);
	}

	const files = readDatevDir(outDir);
	const lines = files.flatMap((file) => file.lines);
	const statements = nodeItems(result.run, 'Statements of Last Month');
	const payouts = nodeItems(result.run, 'Payouts of Last Month');
	const balance = '1270';
	const check = reconcileWithSandbox(lines, shop, shop.lastMonth, balance);

	const print = (text = '') => process.stdout.write(`${text}\n`);
	print();
	print(`DATEV Buchungsstapel for ${shop.lastMonth} (SKR03), written by n8n in ${Math.round((Date.now() - began) / 1000)} s:`);
	for (const file of files) print(`  out/${file.name}  (${file.lines.length} bookings, ${file.bytes.length} bytes, Windows-1252)`);
	print();
	print(`  TikTok statements booked   ${statements.length}`);
	print(`  TikTok payouts booked      ${payouts.length}`);
	print(`  booking lines              ${lines.length}`);
	print();
	print('  account   net movement (Soll +, Haben −)');
	const names = { 1270: 'TikTok balance', 1366: 'transit (payouts)', 1590: 'reserve', 1592: 'clearing', 4730: 'shipping costs', 4760: 'affiliate commissions', 4970: 'fees (BU 506)' };
	for (const [account, minor] of accountTotals(lines)) {
		print(`  ${account.padEnd(8)}  ${euro(minor).padStart(14)} EUR   ${names[account] ?? ''}`);
	}
	print();
	if (check.differences.length === 0) {
		print(`  Reconciliation OK: all ${check.statements} statements of ${shop.lastMonth} match TikTok's settlement and reserve amounts to the cent.`);
	} else {
		print(`  Reconciliation: ${check.differences.length} payout groups of the ${check.statements} statements differ:`);
		for (const difference of check.differences) {
			print(`    statements ${difference.statementIds.join(', ')}: TikTok ${euro(difference.expected)} EUR, booked ${euro(difference.booked)} EUR`);
		}
		process.exitCode = 1;
	}
	const warnings = nodeItems(result.run, 'Map to SKR Bookings').flatMap((item) => item.warnings ?? []);
	if (warnings.length > 0) {
		print();
		print('  Warnings of Map to SKR Bookings:');
		for (const warning of [...new Set(warnings)]) print(`    - ${warning}`);
	}
	print();
	print('Import the file into DATEV (Rechnungswesen → Bestand → Importieren → Buchungsstapel) or send it to your tax adviser.');
} finally {
	await n8n?.stop({ removeFolder: true });
	await shop.close();
}
