// The project's TypeScript modules, loaded through tsx. They compile to CommonJS, whose named exports Node's ESM
// loader cannot see through tsx (`import { x } from '../lib/x.ts'` fails with "does not provide an export named"),
// so each module is imported as its default export (module.exports) and destructured here, in one place. Bench 1's
// measured processes load the compiled library instead (bookings-child.mjs).
import inputModule from '../lib/booking/input.ts';
import generateModule from '../sandbox/generate.ts';
import sandboxModule from '../sandbox/index.ts';
import clientModule from '../lib/tiktok/client.ts';
import rateLimitModule from '../lib/tiktok/rate-limit.ts';
import tokenModule from '../lib/tiktok/token.ts';
import authModule from '../lib/tiktok/auth.ts';
import operationsModule from '../lib/fetch/operations.ts';
import periodModule from '../lib/period.ts';
import sandboxHttp from '../sandbox/http.js';
import httpSend from '../test/support/http-send.js';

export const { compactStatementItem } = inputModule;
export const { generateShopData } = generateModule;
export const { createSandbox } = sandboxModule;
export const { TikTokClient } = clientModule;
export const { RateLimiter } = rateLimitModule;
export const { TokenManager } = tokenModule;
export const { createSigningAuth } = authModule;
export const { runOperation } = operationsModule;
export const { resolvePeriod, instantFilter } = periodModule;
export const { listen } = sandboxHttp;
export const { loopbackSend } = httpSend;
