/**
 * Issue #18 case 3: the access token is redacted with the credential as it is when the error happens: on the first
 * run (when it did not exist yet at client creation) and after a refresh in the middle of a run. The tokens here do
 * not carry TikTok's documented `TTP_` prefix, so only knowing the current token can redact them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { IExecuteFunctions } from 'n8n-workflow';

import { TikTokPayments } from '../../nodes/TikTokPayments/TikTokPayments.node';
import { TikTokClient } from '../../lib/tiktok/client';
import type { ClientAuth } from '../../lib/tiktok/auth';
import { TikTokApiError } from '../../lib/tiktok/errors';
import { createSandbox, type Sandbox } from '../../sandbox';
import { listen } from '../../sandbox/http';
import { loopbackSend } from '../support/http-send';
import { fakeContext, sandboxCredentialStore, type RawSend } from '../support/n8n-context';
import { apiError, collect, expectNoSecrets, fakeClock, fakeSend, noThrottle, ok, rejection, type FakeClock, type Responder } from '../tiktok/fakes';

/** A client whose requests are signed elsewhere (as inside n8n): it never sees the token itself. */
function clientWith(clock: FakeClock, respond: Responder, currentSecrets: () => Promise<string[]>): TikTokClient {
	const { send } = fakeSend(clock, respond);
	const auth: ClientAuth = { authorize: async (request) => request, tokenRejected: async () => undefined };
	return new TikTokClient({ appKey: 'k', send, auth, now: clock.now, sleep: clock.sleep, shopCipher: 'c', ...noThrottle(clock), currentSecrets });
}

describe('TikTokClient with currentSecrets', () => {
	it('redacts the token that is current when the error is built, also after a rotation', async () => {
		const clock = fakeClock();
		let current = 'first-credential-0123456789';
		const auth: ClientAuth = {
			async authorize(request) {
				return request; // signed elsewhere (as inside n8n): the client never sees the token
			},
			async tokenRejected() {
				current = 'second-credential-9876543210';
			},
		};
		const { send } = fakeSend(clock, (_call, index) =>
			index === 0 ? apiError(105002, 'expired') : apiError(36009004, `Invalid access token ${current}, please check`),
		);
		const client = new TikTokClient({
			appKey: 'k',
			send,
			auth,
			now: clock.now,
			sleep: clock.sleep,
			shopCipher: 'c',
			...noThrottle(clock),
			currentSecrets: async () => [current],
		});
		const error = (await rejection(collect(client.statements()))) as TikTokApiError;
		expect(error).toBeInstanceOf(TikTokApiError);
		expect(error.message).toBe('Invalid access token [redacted], please check');
		expect(error.description).toContain('[redacted]');
		expectNoSecrets(error, ['first-credential-0123456789', 'second-credential-9876543210']);
	});

	it('still fails with the original error when reading the credential fails', async () => {
		const clock = fakeClock();
		const client = clientWith(clock, () => apiError(36009004, 'bad shop'), async () => {
			throw new Error('credential store down');
		});
		const error = (await rejection(collect(client.statements()))) as TikTokApiError;
		expect(error.message).toBe('bad shop');
	});

	it('ok pages are not slowed down by reading secrets', async () => {
		const clock = fakeClock();
		let reads = 0;
		const client = clientWith(clock, () => ok({ statements: [] }), async () => {
			reads += 1;
			return [];
		});
		await collect(client.statements());
		expect(reads).toBe(0);
	});
});

describe('TikTok Payments node: a TikTok message that echoes the access token', () => {
	const node = new TikTokPayments();
	const loopback = loopbackSend() as RawSend;
	let sandbox: Sandbox;
	let server: { url: string; close(): Promise<void> };

	beforeAll(async () => {
		sandbox = createSandbox({ seed: 5, from: '2026-07', to: '2026-08', ordersPerMonth: 30 });
		server = await listen(sandbox);
	});
	afterAll(async () => server.close());

	/**
	 * Between n8n and the sandbox: access tokens travel as `XYZ…` instead of `TTP_…` on the n8n side, statement
	 * listings answer with an error echoing the token once `echo` is set, and `expireNext` expires the tokens first.
	 */
	function gateway() {
		const state = { echo: false, expireNext: false, echoed: [] as string[] };
		const send: RawSend = async (request) => {
			const headers = { ...request.headers };
			const token = headers['x-tts-access-token'];
			if (token) headers['x-tts-access-token'] = token.replace(/^XYZ/, 'TTP_');
			if (state.expireNext && request.url.includes('/finance/202309/statements')) {
				state.expireNext = false;
				sandbox.expireAccessTokens();
			} else if (state.echo && token && request.url.includes('/finance/202309/statements')) {
				state.echoed.push(token);
				const body = JSON.stringify({ code: 36009004, message: `Invalid access token ${token}, please retry`, request_id: 'req-echo', data: null });
				return { status: 200, headers: { 'content-type': 'application/json' }, body };
			}
			const response = await loopback({ ...request, headers });
			return { ...response, body: response.body.replace(/"access_token":"TTP_/g, '"access_token":"XYZ') };
		};
		return { send, state };
	}

	const parameters = { resource: 'statement', operation: 'getMany', period: 'custom', startDate: '2026-07-01', endDate: '2026-07-31', options: { requestsPerSecond: 10_000 } };

	async function runNode(send: RawSend, store: ReturnType<typeof sandboxCredentialStore>, continueOnFail: boolean) {
		const context = fakeContext({ store, send, parameters, continueOnFail });
		return node.execute.call(context as unknown as IExecuteFunctions);
	}

	it('on the first run, when the client was created before the token existed', async () => {
		const { send, state } = gateway();
		const store = sandboxCredentialStore(sandbox, server.url);
		state.echo = true;
		const error = await rejection(runNode(send, store, false));
		expect(state.echoed).toHaveLength(1);
		expect(state.echoed[0]).toBe(store.current.accessToken);
		expect((error as Error).message).toBe('Invalid access token [redacted], please retry');
		expectNoSecrets(error, state.echoed);
		const [items] = await runNode(send, store, true);
		expect(JSON.stringify(items)).not.toContain(String(store.current.accessToken));
		expect(items[0].json.error).toBe('Invalid access token [redacted], please retry');
	});

	it('after a refresh in the middle of the run', async () => {
		const { send, state } = gateway();
		const store = sandboxCredentialStore(sandbox, server.url);
		await runNode(send, store, false);
		const before = store.current.accessToken;
		state.expireNext = true;
		state.echo = true;
		const error = await rejection(runNode(send, store, false));
		expect(state.echoed).toHaveLength(1);
		expect(state.echoed[0]).not.toBe(before);
		expect(state.echoed[0]).toBe(store.current.accessToken);
		expect((error as { description?: string }).description).toContain('[redacted]');
		expectNoSecrets(error, [...state.echoed, String(before)]);
	});
});
