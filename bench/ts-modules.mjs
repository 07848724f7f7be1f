// The project's TypeScript modules, loaded through tsx. They compile to CommonJS, whose named exports Node's ESM
// loader cannot see through tsx (`import { x } from '../lib/x.ts'` fails with "does not provide an export named"),
// so each module is imported as its default export (module.exports) and destructured here, in one place.
import bookingModule from '../lib/booking/index.ts';
import datevModule from '../lib/datev/index.ts';
import inputModule from '../lib/booking/input.ts';
import runModule from '../lib/mapping/run.ts';
import cp1252Module from '../lib/datev/cp1252.ts';
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

export const { parseBookingInput, parseBookingSettings, mapToBookings } = bookingModule;
export const { compactStatementItem } = inputModule;
export const { startMapping } = runModule;
export const { writeBatches } = datevModule;
export const { writeCp1252Into, decodeCp1252 } = cp1252Module;
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
