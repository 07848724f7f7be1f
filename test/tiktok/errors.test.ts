import { TikTokApiError, describeTikTokError, redactText, redactUrl } from '../../lib/tiktok/errors';

const LINK = 'https://services.tiktokshop.com/open/authorize?service_id=7777';

describe('describeTikTokError', () => {
	it.each([
		[105005, 'you should apply auth pkg for this api', /seller\.finance\.info.*re-authorize/],
		[101000, 'invalid token for this shop', /shop cipher/i],
		[106013, 'shop_cipher is missing', /shop cipher/i],
		[106001, 'Invalid credentials', /signature/i],
		[105002, 'access token is expired', /expired/i],
		[36009004, 'Invalid timestamp', /clock.*NTP/s],
		[36009004, 'Unexpected identifier: shop_cipher', /shop cipher is wrong/],
		[36009004, 'invalid app_key', /invalid app_key/],
		[36009033, 'ip not allowed', /allow-list/],
	])('code %i (%s)', (code, message, expected) => {
		expect(describeTikTokError({ code, message })).toMatch(expected);
	});

	it.each([36004001, 36004004, 36004005])('code %i asks to re-authorize and includes the link when known', (code) => {
		expect(describeTikTokError({ code, message: 'x', authorizationUrl: LINK })).toContain(LINK);
		expect(describeTikTokError({ code, message: 'x' })).toMatch(/Copy authorization link/);
	});

	it('falls back to the code and TikTok message for unknown codes', () => {
		expect(describeTikTokError({ code: 12345678, message: 'odd' })).toBe('TikTok returned error 12345678: odd');
	});
});

describe('TikTokApiError', () => {
	it('keeps the endpoint as a path only and serialises without hidden fields', () => {
		const error = new TikTokApiError({
			kind: 'api',
			code: 36004005,
			message: 'can not find related auth record',
			requestId: 'r1',
			httpStatus: 200,
			endpoint: '/api/v2/token/refresh?app_secret=abc',
			authorizationUrl: LINK,
		});
		expect(error.endpoint).toBe('/api/v2/token/refresh');
		expect(error.needsReauthorization).toBe(true);
		expect(error.description).toContain(LINK);
		expect(JSON.parse(JSON.stringify(error))).toEqual({
			name: 'TikTokApiError',
			kind: 'api',
			message: 'can not find related auth record',
			code: 36004005,
			requestId: 'r1',
			httpStatus: 200,
			endpoint: '/api/v2/token/refresh',
			description: error.description,
		});
	});
});

describe('redactUrl', () => {
	it('drops query string and fragment', () => {
		expect(
			redactUrl('https://auth.tiktok-shops.com/api/v2/token/get?app_key=1&app_secret=s3cr3t&auth_code=c#x'),
		).toBe('https://auth.tiktok-shops.com/api/v2/token/get');
		expect(redactUrl('/finance/202309/statements')).toBe('/finance/202309/statements');
	});
});

describe('redactText', () => {
	const secret = 'dummy-secret-9876543210';

	it('removes known secrets, also URL-encoded', () => {
		const special = 'dummy+sec/ret=42';
		const text = `failed with ${secret} and ${encodeURIComponent(special)} and ${special}`;
		const result = redactText(text, [secret, special]);
		expect(result).not.toContain(secret);
		expect(result).not.toContain(special);
		expect(result).not.toContain(encodeURIComponent(special));
		expect(result).toContain('failed with [redacted]');
	});

	it('removes query strings of URLs, credential parameters and TTP_ tokens without being told them', () => {
		const text =
			'GET https://auth.tiktok-shops.com/api/v2/token/refresh?app_key=1&refresh_token=abc123 failed; ' +
			'headers {"x-tts-access-token":"opaque-value-1"} access_token=opaque-value-2 code TTP_FeBoANmHP3yq';
		const result = redactText(text);
		for (const leaked of ['abc123', 'opaque-value-1', 'opaque-value-2', 'TTP_FeBoANmHP3yq']) {
			expect(result).not.toContain(leaked);
		}
		expect(result).toContain('https://auth.tiktok-shops.com/api/v2/token/refresh?[redacted]');
	});

	it('leaves ordinary text alone and ignores empty or very short secrets', () => {
		expect(redactText('Invalid timestamp', ['', 'a', undefined])).toBe('Invalid timestamp');
	});
});
