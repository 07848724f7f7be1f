#!/usr/bin/env node
// Starts the TikTok Shop API sandbox on loopback and prints the URL and test credentials. Run with tsx
// (`npm run sandbox -- --orders 500`), which lets this file import the TypeScript modules directly.
//
//   --port <n>          SANDBOX_PORT          default 8787 (0 = any free port)
//   --seed <n>          SANDBOX_SEED          default 1
//   --from <YYYY-MM>    SANDBOX_FROM          default: --months before the last complete month
//   --to <YYYY-MM>      SANDBOX_TO            default: the last complete month
//   --months <n>        SANDBOX_MONTHS        default 3 (used when --from is not given)
//   --orders <n>        SANDBOX_ORDERS        orders per month, default 300
//   --token-ttl <s>     SANDBOX_TOKEN_TTL     access-token lifetime in seconds, default 604800 (7 days)
//   --rps <n>           SANDBOX_RPS           per-shop rate limit, default none
//   --expired-status <200|401>                HTTP status sent with 105002, default 200
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

// The TypeScript modules are CommonJS: tsx compiles them on require (ESM named imports cannot see their exports).
const require = createRequire(import.meta.url);
const { createSandbox } = require('../sandbox/index.ts');
const { listen } = require('../sandbox/http.js');

const { values } = parseArgs({
	options: {
		port: { type: 'string' },
		seed: { type: 'string' },
		from: { type: 'string' },
		to: { type: 'string' },
		months: { type: 'string' },
		orders: { type: 'string' },
		'token-ttl': { type: 'string' },
		rps: { type: 'string' },
		'expired-status': { type: 'string' },
		help: { type: 'boolean', short: 'h' },
	},
});

if (values.help) {
	console.log(
		'usage: npm run sandbox -- [--port n] [--seed n] [--from YYYY-MM] [--to YYYY-MM] [--months n] [--orders n] [--token-ttl s] [--rps n] [--expired-status 200|401]',
	);
	process.exit(0);
}

const env = process.env;
/** @param {string | undefined} text @param {number} fallback */
const integer = (text, fallback) => {
	if (text === undefined || text === '') return fallback;
	const value = Number(text);
	if (!Number.isSafeInteger(value) || value < 0) throw new Error(`not a non-negative integer: ${text}`);
	return value;
};
/** @param {number} year @param {number} month 1-12 */
const monthText = (year, month) => `${year}-${String(month).padStart(2, '0')}`;
/** @param {string} text @param {number} delta */
const shiftMonth = (text, delta) => {
	const [year, month] = text.split('-').map(Number);
	const index = year * 12 + month - 1 + delta;
	return monthText(Math.floor(index / 12), (index % 12) + 1);
};

const today = new Date();
const lastComplete = shiftMonth(monthText(today.getUTCFullYear(), today.getUTCMonth() + 1), -1);
const to = values.to ?? env.SANDBOX_TO ?? lastComplete;
const months = integer(values.months ?? env.SANDBOX_MONTHS, 3);
const from = values.from ?? env.SANDBOX_FROM ?? shiftMonth(to, -(Math.max(1, months) - 1));
const expiredStatus = integer(values['expired-status'] ?? env.SANDBOX_EXPIRED_STATUS, 200);
if (expiredStatus !== 200 && expiredStatus !== 401) throw new Error('--expired-status must be 200 or 401');
const rps = integer(values.rps ?? env.SANDBOX_RPS, 0);

const sandbox = createSandbox({
	seed: integer(values.seed ?? env.SANDBOX_SEED, 1),
	from,
	to,
	ordersPerMonth: integer(values.orders ?? env.SANDBOX_ORDERS, 300),
	config: {
		accessTokenTtlSeconds: integer(values['token-ttl'] ?? env.SANDBOX_TOKEN_TTL, 7 * 86_400),
		expiredTokenStatus: expiredStatus,
		rateLimit: rps > 0 ? { rps } : null,
	},
});
const server = await listen(sandbox, { port: integer(values.port ?? env.SANDBOX_PORT, 8787) });
const { credentials, data } = sandbox;

console.log(`TikTok Shop API sandbox listening on ${server.url}`);
console.log(`  data: ${data.from} .. ${data.to}, ${data.ordersPerMonth} orders/month, seed ${data.seed}`);
console.log(`        ${data.statements.length} statements, ${data.payments.length} payments (EUR, Europe/Berlin)`);
console.log('  API base URL and token host:', server.url);
console.log('  app key:      ', credentials.appKey);
console.log('  app secret:   ', credentials.appSecret, '(test value; never use a real secret here)');
console.log('  shop:         ', `${credentials.shopName} (id ${credentials.shopId})`);
console.log('  shop cipher:  ', credentials.shopCipher);
console.log('  auth code:    ', credentials.authCode(), '(single use, valid 30 minutes)');
console.log(
	`  exchange:      GET ${server.url}/api/v2/token/get?app_key=…&app_secret=…&auth_code=…&grant_type=authorized_code`,
);
console.log('Press Ctrl-C to stop.');

const stop = async () => {
	await server.close();
	process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
