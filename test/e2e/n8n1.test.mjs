// Compatibility with n8n's 1.x line (still maintained, and what many self-hosted instances run): our packed package
// in the newest n8n 1.x the npm registry installs (pinned by scripts/e2e/n8n-runtime-1.x/), on Node 22 LTS, which
// n8n 1.123 supports (engines ">=20.19 <= 24.x"; Node 24 is covered by the 2.41.1 runs). Example 3 end to end, and
// the saved forms of Statement ID and Order ID. The editor is checked only in n8n 2.41.1 (test/browser). Run with
//   npm run test:e2e:n8n1        (needs `npm run build` first; installs n8n 1.x into the cache the first time)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { nodeItems } from '../../scripts/e2e/n8n-cli.mjs';
import { n8nVersion } from '../../scripts/e2e/n8n-runtime.mjs';
import { tail } from '../../scripts/e2e/proc.mjs';
import {
	n8nWithPackage,
	readDatevDir,
	readExample,
	reconcileWithSandbox,
	startSandbox,
	tiktokCredential,
	writingInto,
} from '../../scripts/e2e/scenario.mjs';
import { assertLocatorRun, LOCATOR_WORKFLOW_ID, locatorWorkflow, sampleIds } from './locator-workflow.mjs';

const VERSION = n8nVersion('1');
let shop;
let n8n;
let datevDir;
let ids;

before(async () => {
	shop = await startSandbox({ ordersPerMonth: 200, seed: 5 });
	n8n = await n8nWithPackage({ line: '1' });
	datevDir = join(n8n.filesDir, 'datev');
	mkdirSync(datevDir, { recursive: true });
	ids = sampleIds(shop.sandbox);
	await n8n.importCredentials([tiktokCredential(shop)]);
	await n8n.importWorkflows([writingInto(readExample('03-monthly-datev-batch-to-disk.json'), datevDir), locatorWorkflow(ids)]);
});

after(async () => {
	await n8n?.stop({ removeFolder: true });
	await shop?.close();
});

describe(`our package in n8n ${VERSION} on Node 22`, () => {
	it('is loaded on Node 22: all three nodes', async () => {
		assert.match(execFileSync(n8n.runtime.nodeBin, ['--version'], { encoding: 'utf8' }), /^v22\./);
		const types = new Set((await n8n.exportNodes()).map((type) => type.name));
		for (const name of ['tikTokPayments', 'tikTokPaymentsTrigger', 'mapToSkrBookings']) {
			assert.ok(types.has(`n8n-nodes-tiktok-payments.${name}`), `n8n ${VERSION} did not load ${name}`);
		}
	});

	it('runs example 3: last month\'s DATEV file, reconciled with TikTok to the cent, with the monthly summary', async () => {
		const result = await n8n.execute('tiktokMonthlyDisk');
		assert.equal(result.status, 'success', `exit ${result.exitCode}: ${JSON.stringify(result.error)}\n${tail(result.stdout)}\n${tail(result.stderr)}`);
		const files = readDatevDir(datevDir);
		assert.deepEqual(files.map((file) => file.name), [`EXTF_Buchungsstapel_MyTikTokShop_${shop.lastMonth}.csv`]);
		const check = reconcileWithSandbox(files[0].lines, shop, shop.lastMonth, '1270');
		assert.ok(check.statements >= 28, `expected a month of statements, got ${check.statements}`);
		assert.deepEqual(check.differences, []);
		const [fileItem] = nodeItems(result.run, 'Map to SKR Bookings');
		assert.equal(fileItem.reconciliation, 'ok');
		assert.match(fileItem.summaryHtml, /<table/);
	});

	it('reads Statement ID and Order ID saved as plain strings (0.1) and as resource locator values', async () => {
		assertLocatorRun(await n8n.execute(LOCATOR_WORKFLOW_ID), shop.sandbox, ids);
	});
});
