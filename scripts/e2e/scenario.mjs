// The product's main job as a scenario shared by `npm run demo` and the end-to-end tests: a TikTok sandbox on
// loopback that holds a realistic shop up to today, our packed package inside a real n8n, a credential pointing at
// the sandbox, and the example workflows patched only where they must be (file paths, SMTP host).
// Runs under tsx, so it imports the sandbox and the DATEV reader (TypeScript) directly.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { createN8nEnv } from './n8n-cli.mjs';
import { repoRoot } from './n8n-runtime.mjs';
import { installPackageInto, packRepo } from './package-install.mjs';

// The TypeScript modules are CommonJS; tsx compiles them on require (ESM named imports cannot see their exports).
const require = createRequire(import.meta.url);
const { readBookingLines, readBuchungsstapel } = require('../../lib/datev/reader.ts');
const { formatMinor, parseMinor } = require('../../lib/money.ts');
const { createSandbox } = require('../../sandbox/index.ts');
const { generateShopData } = require('../../sandbox/generate.ts');
const { listen } = require('../../sandbox/http.js');

export const TIKTOK_CREDENTIAL_ID = 'tiktokPaymentsCred';
export const SMTP_CREDENTIAL_ID = 'smtpCred';
const DAY_MS = 86_400_000;

/** YYYY-MM of `date` shifted by `delta` months (UTC). */
export function monthOf(date, delta = 0) {
	const index = date.getUTCFullYear() * 12 + date.getUTCMonth() + delta;
	return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/**
 * A sandbox shop with data from three months before the last complete month up to now, on a loopback port.
 * `hooks.beforeRequest(request)` runs before every request (tests use it to expire tokens mid-run).
 */
export async function startSandbox({ seed = 1, ordersPerMonth = 300, nowMs = Date.now(), config = {} } = {}) {
	const now = new Date(nowMs);
	const data = generateShopData({ seed, from: monthOf(now, -4), to: monthOf(now, 0), ordersPerMonth, now: nowMs });
	const sandbox = createSandbox({ data, config });
	const hooks = { beforeRequest: undefined };
	const server = await listen({
		async handle(request) {
			await hooks.beforeRequest?.(request);
			return sandbox.handle(request);
		},
	});
	return { sandbox, url: server.url, hooks, close: () => server.close(), lastMonth: monthOf(now, -1) };
}

/** The n8n credential (import format) for the sandbox shop. */
export function tiktokCredential(sandboxInfo, { id = TIKTOK_CREDENTIAL_ID, name = 'TikTok Payments OAuth API', appSecret } = {}) {
	const { sandbox, url } = sandboxInfo;
	return {
		id,
		name,
		type: 'tikTokPaymentsOAuthApi',
		data: {
			appKey: sandbox.credentials.appKey,
			appSecret: appSecret ?? sandbox.credentials.appSecret,
			serviceId: '7321000000000000001',
			market: 'ROW',
			authCode: sandbox.credentials.authCode(),
			refreshToken: '',
			shop: '',
			customHosts: true,
			apiBaseUrl: url,
			authBaseUrl: url,
			accessToken: '',
		},
	};
}

export function smtpCredential(port) {
	return {
		id: SMTP_CREDENTIAL_ID,
		name: 'SMTP account',
		type: 'smtp',
		data: { user: '', password: '', host: '127.0.0.1', port, secure: false, disableStartTls: true, hostName: 'localhost' },
	};
}

export function readExample(file) {
	return JSON.parse(readFileSync(join(repoRoot, 'workflows-examples', file), 'utf8'));
}

/** The example with its file-writing nodes pointed into `dir` (n8n may only write below N8N_RESTRICT_FILE_ACCESS_TO). */
export function writingInto(workflow, dir) {
	const copy = structuredClone(workflow);
	for (const node of copy.nodes) {
		if (node.type === 'n8n-nodes-base.readWriteFile' && node.parameters.operation === 'write') {
			node.parameters.fileName = node.parameters.fileName.replace(/^=\/home\/node\/\.n8n-files\/datev/, `=${dir}`);
		}
	}
	return copy;
}

/**
 * A fresh n8n user folder with our packed package installed as n8n installs community packages; `line` picks the
 * n8n release line (default 2.x).
 */
export async function n8nWithPackage({ userFolder, env = {}, line } = {}) {
	const n8n = await createN8nEnv({ userFolder, env, line });
	const packed = await packRepo();
	await installPackageInto(n8n.userFolder, { tarball: packed.tarball });
	return n8n;
}

/** Every booking of the DATEV files in `dir` (EXTF_*.csv), read back with our reader. */
export function readDatevDir(dir) {
	const files = readdirSync(dir).filter((name) => /^.*EXTF_Buchungsstapel_.*\.csv$/.test(name)).sort();
	return files.map((name) => {
		const bytes = readFileSync(join(dir, name));
		const file = readBuchungsstapel(new Uint8Array(bytes), { strict: true });
		return { name, bytes, file, lines: readBookingLines(file) };
	});
}

/** Net movement per account (Soll positive) of booking lines, in minor units. */
export function accountTotals(lines) {
	const totals = new Map();
	const add = (account, amount) => totals.set(account, (totals.get(account) ?? 0) + amount);
	for (const line of lines) {
		const signed = line.side === 'S' ? line.amountMinor : -line.amountMinor;
		add(line.account, signed);
		add(line.contraAccount, -signed);
	}
	return new Map([...totals.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Checks the DATEV lines of `month` against the sandbox's own figures, to the cent: per Abrechnungsreferenz (the
 * payout's id for statements paid out, else the statement's id), the balance account moves by the settlement +
 * reserve of its statements. Payout lines (Belegfeld 1 = their own id) are left out.
 */
export function reconcileWithSandbox(lines, sandboxInfo, month, balanceAccount) {
	const { sandbox } = sandboxInfo;
	const payouts = new Set(sandbox.data.payments.map((payment) => payment.id));
	const byReference = new Map();
	for (const line of lines) {
		if (!line.settlementReference) continue;
		if (line.documentField1 === line.settlementReference && payouts.has(line.settlementReference)) continue;
		const signed = (line.side === 'S' ? line.amountMinor : -line.amountMinor) * (line.generalReversal ? -1 : 1);
		const onBalance = (line.account === balanceAccount ? signed : 0) - (line.contraAccount === balanceAccount ? signed : 0);
		byReference.set(line.settlementReference, (byReference.get(line.settlementReference) ?? 0) + onBalance);
	}
	const cents = (value) => parseMinor(String(value), 'EUR');
	const statements = sandbox.data.statements.filter((statement) => {
		const covered = new Date(statement.statement_time * 1000 - DAY_MS).toISOString().slice(0, 7);
		return covered === month;
	});
	const expectedByReference = new Map();
	const statementsByReference = new Map();
	for (const statement of statements) {
		const detail = sandbox.data.statementTransactions(statement.id);
		const reference = statement.payment_id || statement.id;
		const expected = cents(statement.settlement_amount) + cents(detail?.total_reserve_amount ?? '0');
		expectedByReference.set(reference, (expectedByReference.get(reference) ?? 0) + expected);
		statementsByReference.set(reference, [...(statementsByReference.get(reference) ?? []), statement.id]);
	}
	const differences = [];
	for (const [reference, expected] of expectedByReference) {
		const booked = byReference.get(reference) ?? 0;
		if (booked !== expected) differences.push({ reference, statementIds: statementsByReference.get(reference), expected, booked });
	}
	return { statements: statements.length, differences };
}

export function euro(minor) {
	return formatMinor(minor, 'EUR', ',');
}
