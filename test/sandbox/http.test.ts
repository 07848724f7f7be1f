import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { signRequest } from '../../lib/tiktok/sign';
import { generateShopData, type StatementJson } from '../../sandbox/generate';
import { listen } from '../../sandbox/http.js';
import { createSandbox } from '../../sandbox/index';
import { type Envelope, FakeClock } from './helpers';

const clock = new FakeClock(Date.UTC(2025, 3, 2, 8, 0, 0));
const sandbox = createSandbox({
	data: generateShopData({ seed: 8, from: '2025-01', to: '2025-03', ordersPerMonth: 90 }),
	now: clock.now,
});
let server: { url: string; close(): Promise<void> };

beforeAll(async () => {
	server = await listen(sandbox);
});

afterAll(async () => {
	await server.close();
});

/** Builds the URL the way a correct client does: sign the decoded values, then URL-encode them. */
function signedUrl(path: string, query: Record<string, string>): string {
	const full: Record<string, string> = {
		app_key: sandbox.credentials.appKey,
		timestamp: String(clock.seconds),
		...query,
	};
	full.sign = signRequest({
		appSecret: sandbox.credentials.appSecret,
		path,
		query: full,
		contentType: 'application/json',
	});
	return `${server.url}${path}?${new URLSearchParams(full).toString()}`;
}

async function get(url: string, token: string): Promise<{ status: number; headers: Headers; envelope: Envelope }> {
	const response = await fetch(url, { headers: { 'content-type': 'application/json', 'x-tts-access-token': token } });
	return { status: response.status, headers: response.headers, envelope: (await response.json()) as Envelope };
}

describe('sandbox over loopback HTTP', () => {
	it('serves the whole flow: auth code → token → shop cipher → every statement page', async () => {
		const tokenUrl = new URL('/api/v2/token/get', server.url);
		tokenUrl.search = new URLSearchParams({
			app_key: sandbox.credentials.appKey,
			app_secret: sandbox.credentials.appSecret,
			auth_code: sandbox.credentials.authCode(),
			grant_type: 'authorized_code',
		}).toString();
		const grant = (await (await fetch(tokenUrl)).json()) as Envelope;
		expect(grant.code).toBe(0);
		const token = (grant.data as { access_token: string }).access_token;

		const shops = await get(signedUrl('/authorization/202309/shops', {}), token);
		const cipher = (shops.envelope.data as { shops: Array<{ cipher: string }> }).shops[0].cipher;
		expect(cipher).toBe(sandbox.credentials.shopCipher);

		const statements: StatementJson[] = [];
		let pageToken = '';
		let pages = 0;
		do {
			const query = { shop_cipher: cipher, sort_field: 'statement_time', page_size: '25' };
			const page = await get(
				signedUrl('/finance/202309/statements', pageToken ? { ...query, page_token: pageToken } : query),
				token,
			);
			expect(page.envelope.code).toBe(0);
			const data = page.envelope.data as { next_page_token: string; statements: StatementJson[] };
			statements.push(...data.statements);
			pageToken = data.next_page_token;
			pages += 1;
		} while (pageToken);
		expect(pages).toBeGreaterThan(2);
		expect(statements).toEqual(sandbox.data.statements);
	});

	it('fails a page token sent without URL-encoding its "+", as TikTok would', async () => {
		const query = { shop_cipher: sandbox.credentials.shopCipher, sort_field: 'statement_time', page_size: '10' };
		const first = await get(signedUrl('/finance/202309/statements', query), sandbox.credentials.accessToken);
		const pageToken = (first.envelope.data as { next_page_token: string }).next_page_token;
		expect(pageToken).toContain('+');
		const correct = signedUrl('/finance/202309/statements', { ...query, page_token: pageToken });
		const careless = correct.replace(encodeURIComponent(pageToken), pageToken);
		expect(careless).not.toBe(correct);
		expect((await get(careless, sandbox.credentials.accessToken)).envelope.code).toBe(106001);
		expect((await get(correct, sandbox.credentials.accessToken)).envelope.code).toBe(0);
	});

	it('sends 429 with Retry-After and delays slow responses', async () => {
		sandbox.injectFaults('rate_limit', 1, { retryAfterSeconds: 2 });
		sandbox.injectFaults('slow', 1, { delayMs: 20 });
		const url = signedUrl('/finance/202309/payments', {
			shop_cipher: sandbox.credentials.shopCipher,
			sort_field: 'create_time',
		});
		const limited = await get(url, sandbox.credentials.accessToken);
		expect([limited.status, limited.envelope.code, limited.headers.get('retry-after')]).toEqual([429, 36009002, '2']);
		const slow = await get(url, sandbox.credentials.accessToken);
		expect([slow.status, slow.envelope.code]).toEqual([200, 0]);
	});

	it('listens on loopback only', async () => {
		await expect(listen(sandbox, { host: '0.0.0.0' })).rejects.toThrow(/loopback/);
		expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
	});
});
