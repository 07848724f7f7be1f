/*
 * Several requests of one client in flight when TikTok starts rejecting the access token (105002): one of them
 * renews it, the others wait and send again with the new token. A renewal per request would redeem the single-use
 * refresh token twice and end the authorization (what happened to the example workflow in real n8n once the
 * statements' transactions were fetched several at a time).
 */
import { describe, expect, it } from '@jest/globals';
import type { ClientAuth } from '../../lib/tiktok/auth';
import { TikTokClient } from '../../lib/tiktok/client';
import { TikTokApiError } from '../../lib/tiktok/errors';
import { virtualClock } from '../support/virtual-clock';
import { apiError, collect, fakeSend, ok, rejection, START_MS } from './fakes';

const TOKEN_HEADER = 'x-tts-access-token';

/** An auth whose renewal is single-use, like a rotating refresh token: a second renewal of one token fails. */
function rotatingAuth(clock: ReturnType<typeof virtualClock>) {
	const state = { version: 1, renewals: 0, renewing: false };
	const auth: ClientAuth = {
		async authorize(request) {
			return { ...request, headers: { ...request.headers, [TOKEN_HEADER]: `token-${state.version}` } };
		},
		async tokenRejected() {
			if (state.renewing) throw new TikTokApiError({ kind: 'reauthorize', endpoint: '/token', message: 'refresh token already used' });
			state.renewing = true;
			await clock.sleep(80);
			state.version += 1;
			state.renewals += 1;
			state.renewing = false;
		},
	};
	return { state, auth };
}

describe('TikTokClient: one token renewal for all concurrent requests', () => {
	it('renews once while eight requests are rejected, and all of them succeed with the new token', async () => {
		const clock = virtualClock(START_MS);
		const { state, auth } = rotatingAuth(clock);
		const api = fakeSend(clock, async (call) => {
			await clock.sleep(30);
			return call.request.headers[TOKEN_HEADER] === `token-${state.version}` && state.version > 1
				? ok({ statements: [] })
				: apiError(105002, 'Expired credentials: access token is expired');
		});
		const client = new TikTokClient({ appKey: 'app', send: api.send, auth, now: clock.now, sleep: clock.sleep, shopCipher: 'shop', requestsPerSecond: 1000 });
		const results = await Promise.all(Array.from({ length: 8 }, () => collect(client.statements())));
		expect(results).toEqual(Array.from({ length: 8 }, () => []));
		expect(state.renewals).toBe(1);
		// Eight rejected, then eight with the new token: nothing sent twice beyond that.
		expect(api.calls.filter((call) => call.request.headers[TOKEN_HEADER] === 'token-2')).toHaveLength(8);
	});

	it('lets the others go on (no request waits forever) when the renewal fails', async () => {
		const clock = virtualClock(START_MS);
		const api = fakeSend(clock, async () => {
			await clock.sleep(30);
			return apiError(105002, 'Expired credentials: access token is expired');
		});
		let renewals = 0;
		const auth: ClientAuth = {
			authorize: async (request) => request,
			tokenRejected: async () => {
				renewals += 1;
				throw new TikTokApiError({ kind: 'reauthorize', endpoint: '/token', message: 'the seller revoked access' });
			},
		};
		const client = new TikTokClient({ appKey: 'app', send: api.send, auth, now: clock.now, sleep: clock.sleep, shopCipher: 'shop', requestsPerSecond: 1000 });
		const errors = (await Promise.all(Array.from({ length: 4 }, () => rejection(collect(client.statements()))))) as TikTokApiError[];
		expect(errors.every((error) => error instanceof TikTokApiError)).toBe(true);
		expect(errors.some((error) => error.kind === 'reauthorize')).toBe(true);
		expect(renewals).toBeGreaterThan(0);
	});
});
