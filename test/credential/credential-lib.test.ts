import { describe, expect, it } from '@jest/globals';
import { NodeApiError } from 'n8n-workflow';

import { credentialFailureIn, handleCredentialFailures, isTimeout } from '../../lib/credential/credential-failures';
import { authorizationExpiringEvent, authorizationNotice } from '../../lib/credential/expiry';
import { AccessTokenExpiredError } from '../../lib/credential/request-signing';
import type { AuthorizationState } from '../../lib/credential/stored';
import { CredentialAuthorizationError } from '../../lib/credential/token-refresh';
import { SharedResults } from '../../lib/shared-results';
import { TikTokApiError } from '../../lib/tiktok/errors';
import { chooseShop, ShopDirectory, sleepWithin } from '../../lib/tiktok/shop-choice';
import type { HttpRequest, HttpResponse } from '../../lib/tiktok/transport';
import { TEST_NODE } from '../support/n8n-context';
import { fakeClock } from '../tiktok/fakes';

const DAY_MS = 86_400_000;
const request: HttpRequest = { method: 'GET', url: 'https://api.example/authorization/202309/shops?app_secret=x', headers: {} };
const ok: HttpResponse = { status: 200, headers: {}, body: { code: 0 } };
/** How n8n-core hands our credential's errors to the node. */
const wrapped = (error: Error) => new NodeApiError(TEST_NODE, error as never);

describe('SharedResults', () => {
	it('concurrent callers of one key share one call; a failed call is forgotten', async () => {
		const clock = fakeClock();
		const shared = new SharedResults<string>(clock.now, 60_000);
		let calls = 0;
		let release: (value: string) => void = () => undefined;
		const call = () => {
			calls += 1;
			return new Promise<string>((resolve) => (release = resolve));
		};
		const both = Promise.all([shared.run('a', call), shared.run('a', call)]);
		release('one');
		expect(await both).toEqual(['one', 'one']);
		expect(calls).toBe(1);

		await expect(shared.run('b', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
		expect(await shared.run('b', async () => 'second try')).toBe('second try');
	});

	it('a late caller follows the chain of results to the newest, within the keep window only', async () => {
		const clock = fakeClock();
		const shared = new SharedResults<{ next: string }>(clock.now, 60_000);
		const keyOf = (result: { next: string }) => result.next;
		await shared.run('rt1', async () => ({ next: 'rt2' }), keyOf);
		await shared.run('rt2', async () => ({ next: 'rt3' }), keyOf);
		expect(await shared.run('rt1', async () => ({ next: 'never' }), keyOf)).toEqual({ next: 'rt3' });
		clock.advance(60_001);
		expect(await shared.run('rt1', async () => ({ next: 'called again' }), keyOf)).toEqual({ next: 'called again' });
	});
});

describe('credential failures inside n8n\'s NodeApiError', () => {
	it('finds our error as the cause, although n8n replaced the message of a 401', () => {
		const secondUnauthorized = wrapped(new AccessTokenExpiredError('it is about to expire'));
		expect(secondUnauthorized.message).toBe('Authorization failed - please check your credentials');
		expect(credentialFailureIn(secondUnauthorized)).toBeInstanceOf(AccessTokenExpiredError);
		expect(credentialFailureIn(wrapped(new Error('socket hang up')))).toBeUndefined();
	});

	it('recognises a timeout the way axios reports it', () => {
		expect(isTimeout(wrapped(Object.assign(new Error('timeout of 30000ms exceeded'), { code: 'ECONNABORTED' })))).toBe(true);
		expect(isTimeout(wrapped(new Error('connect ECONNREFUSED 127.0.0.1:1')))).toBe(false);
	});

	const rejected = () => wrapped(new CredentialAuthorizationError('can not find related auth record', { rejectedRefreshToken: 'fp-old' }));

	it('a rejected refresh token another process has replaced: re-read, retry once, succeed', async () => {
		const clock = fakeClock();
		const answers = [rejected(), ok];
		const send = handleCredentialFailures(
			async () => {
				const next = answers.shift();
				if (next instanceof Error) throw next;
				return next as HttpResponse;
			},
			{ storedRefreshToken: async () => 'fp-new', sleep: clock.sleep, timeoutMs: 30_000 },
		);
		expect(await send(request)).toBe(ok);
		expect(answers).toHaveLength(0);
	});

	it('the same token still stored (after looking again a little later): a final re-authorize error', async () => {
		const clock = fakeClock();
		let sends = 0;
		let reads = 0;
		const send = handleCredentialFailures(
			async () => {
				sends += 1;
				throw rejected();
			},
			{ storedRefreshToken: async () => ((reads += 1), 'fp-old'), sleep: clock.sleep, timeoutMs: 30_000 },
		);
		const error = (await send(request).catch((thrown) => thrown)) as TikTokApiError;
		expect(error).toBeInstanceOf(TikTokApiError);
		expect(error.kind).toBe('reauthorize');
		expect(error.message).toMatch(/^TikTok authorization failed: can not find related auth record/);
		expect([sends, reads, clock.sleeps]).toEqual([1, 3, [1000, 2000]]);
	});

	it('a timeout is final and says how long it waited, without the query string', async () => {
		const send = handleCredentialFailures(
			async () => {
				throw wrapped(Object.assign(new Error('timeout of 2000ms exceeded'), { code: 'ECONNABORTED' }));
			},
			{ storedRefreshToken: async () => undefined, sleep: fakeClock().sleep, timeoutMs: 2_000 },
		);
		const error = (await send(request).catch((thrown) => thrown)) as TikTokApiError;
		expect(error.message).toBe('TikTok did not answer https://api.example/authorization/202309/shops within 2 s.');
	});

	it('anything else is passed on unchanged (the client retries network errors)', async () => {
		const failure = wrapped(new Error('socket hang up'));
		const send = handleCredentialFailures(
			async () => {
				throw failure;
			},
			{ storedRefreshToken: async () => undefined, sleep: fakeClock().sleep, timeoutMs: 30_000 },
		);
		await expect(send(request)).rejects.toBe(failure);
	});
});

describe('shop choice', () => {
	const shops = [
		{ id: '1', name: 'One', region: 'DE', cipher: 'ROW_1', code: 'C1', seller_type: 'LOCAL' },
		{ id: '2', name: 'Two', region: 'FR', cipher: 'ROW_2', code: 'C2', seller_type: 'LOCAL' },
	];

	it('the node\'s choice, else the only shop; several shops without a choice are listed', () => {
		expect(chooseShop(shops, '2').cipher).toBe('ROW_2');
		expect(chooseShop(shops, 'ROW_1').id).toBe('1');
		expect(chooseShop(shops.slice(0, 1), '').id).toBe('1');
		expect(() => chooseShop(shops, '')).toThrow('The authorization covers 2 shops; choose one in the node\'s Shop parameter or the credential\'s Shop field: One (id 1, DE); Two (id 2, FR).');
		expect(() => chooseShop(shops, '9')).toThrow('The shop "9" is not authorized for this app.');
	});

	it('one lookup per authorization; another shop of the same authorization comes from the same list', async () => {
		const clock = fakeClock();
		const directory = new ShopDirectory(clock.now);
		let lookups = 0;
		const lookup = async () => ((lookups += 1), shops);
		expect((await directory.shop({ authorization: 'seller-a', wanted: '1', lookup })).cipher).toBe('ROW_1');
		expect((await directory.shop({ authorization: 'seller-a', wanted: '2', lookup })).cipher).toBe('ROW_2');
		expect(lookups).toBe(1);
		await directory.shop({ authorization: undefined, wanted: '1', lookup });
		expect(lookups).toBe(2);
		clock.advance(60 * 60 * 1000 + 1);
		await directory.shop({ authorization: 'seller-a', wanted: '1', lookup });
		expect(lookups).toBe(3);
	});

	it('the lookup\'s retries stop at the total cap', async () => {
		const clock = fakeClock();
		const sleep = sleepWithin(60_000, clock.now, clock.sleep);
		await sleep(30_000);
		await sleep(29_000);
		await expect(sleep(2_000)).rejects.toThrow("TikTok's list of authorized shops could not be read within 60 s.");
		expect(clock.sleeps).toEqual([30_000, 29_000]);
	});
});

describe('the end of the seller\'s authorization', () => {
	const now = Date.UTC(2026, 10, 1, 12);
	const state = (daysLeft: number): AuthorizationState => ({
		accessToken: 'a',
		accessExpiresAt: 0,
		accessIssuedAt: 0,
		rotatedRefreshToken: 'r',
		refreshExpiresAt: (now + daysLeft * DAY_MS) / 1000,
		authInputFingerprint: '',
		sellerId: '',
	});
	const link = 'https://services.tiktokshop.com/open/authorize?service_id=1';

	it('a notice when fewer than N days are left, with the date, the days and the link', () => {
		expect(authorizationNotice(state(30), { nowMs: now, days: 30, authorizationUrl: link })).toBeUndefined();
		const notice = authorizationNotice(state(12.5), { nowMs: now, days: 30, authorizationUrl: link });
		expect(notice).toMatchObject({ authorizationEndsOn: '2026-11-14', daysLeft: 12, authorizationUrl: link });
		expect(notice?.notice).toBe(
			`The seller's TikTok Shop authorization ends on 2026-11-14 (in 12 days). Then every run fails until the seller authorizes the app again: open ${link} while logged in to Seller Center, and paste the new code into the TikTok Payments credential's Authorization Code.`,
		);
		expect(authorizationNotice(undefined, { nowMs: now, days: 30 })).toBeUndefined();
	});

	it('the trigger event fires once per authorization end; a manual test shows the status without remembering it', () => {
		const options = { nowMs: now, days: 30, authorizationUrl: link, manual: false };
		const first = authorizationExpiringEvent(state(10), options);
		expect(first.event?.daysLeft).toBe(10);
		expect(authorizationExpiringEvent(state(10), { ...options, notifiedFor: first.notifiedFor }).event).toBeUndefined();
		// The seller authorized again (a new end), which later ends too: announced again.
		const renewed = authorizationExpiringEvent(state(20), { ...options, notifiedFor: first.notifiedFor });
		expect(renewed.event?.daysLeft).toBe(20);
		expect(authorizationExpiringEvent(state(200), { ...options, notifiedFor: first.notifiedFor })).toEqual({ notifiedFor: first.notifiedFor });
		const manual = authorizationExpiringEvent(state(200), { ...options, manual: true, notifiedFor: 5 });
		expect([manual.event?.daysLeft, manual.notifiedFor]).toEqual([200, 5]);
	});
});
