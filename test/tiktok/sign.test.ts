import { canonicalString, signRequest } from '../../lib/tiktok/sign';

const statementsQuery = {
	app_key: '29a39d',
	timestamp: '1623812664',
	shop_cipher: 'ROW_RHkDDABBAAB8tKAVoAqsMTjsQZFLyNfY',
	sort_field: 'statement_time',
	sort_order: 'ASC',
	page_size: '100',
	statement_time_ge: '1735689600',
	statement_time_lt: '1738368000',
};

describe('signRequest', () => {
	it('matches the official TikTok vector', () => {
		const input = {
			appSecret: 'e59af819cc',
			path: '/authorization/202309/shops',
			query: { app_key: '29a39d', timestamp: '1623812664' },
		};
		expect(canonicalString(input)).toBe(
			'e59af819cc/authorization/202309/shopsapp_key29a39dtimestamp1623812664e59af819cc',
		);
		expect(signRequest(input)).toBe('b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8');
	});

	it('matches the EcomPHP unit-test vector', () => {
		expect(signRequest({ appSecret: 'app_secret', path: '/test-api', query: { foo: 'bar' } })).toBe(
			'd3cb7fe11ecae942802ceeca67e7cf10120cc12f1517d45fbc1c8cfe5413c80f',
		);
	});

	it('matches the finance statements vector', () => {
		const input = { appSecret: 'e59af819cc', path: '/finance/202309/statements', query: statementsQuery };
		expect(canonicalString(input)).toBe(
			'e59af819cc/finance/202309/statementsapp_key29a39dpage_size100shop_cipherROW_RHkDDABBAAB8tKAVoAqsMTjsQZFLyNfYsort_fieldstatement_timesort_orderASCstatement_time_ge1735689600statement_time_lt1738368000timestamp1623812664e59af819cc',
		);
		expect(signRequest(input)).toBe('96f0163eb1e3dc401bbfdc259a75ffce2084783a394ca5559eebbeecc8ff0744');
	});

	it('signs the decoded page_token containing / and +', () => {
		const cursor = '6AsPQsUMvH3RkchNUPPh22NROHkE0D8pmq/N5M1kHYcZmtRyv9aVrNv65W7Q6tFA+7D1ud64MPNz5OaT';
		const query = { ...statementsQuery, page_token: cursor };
		const expected = '58e18e7a5fc08139fdbefdf6db2cf5f6c6b5aff466d2191390c5220ee379a0d4';
		expect(signRequest({ appSecret: 'e59af819cc', path: '/finance/202309/statements', query })).toBe(expected);
		const encoded = { ...statementsQuery, page_token: encodeURIComponent(cursor) };
		expect(signRequest({ appSecret: 'e59af819cc', path: '/finance/202309/statements', query: encoded })).not.toBe(
			expected,
		);
	});

	it('matches the withdrawals vector with comma-joined types', () => {
		const query = {
			app_key: '29a39d',
			timestamp: '1623812664',
			shop_cipher: 'X',
			types: 'WITHDRAW,SETTLE,TRANSFER,REVERSE',
			page_size: '50',
		};
		expect(signRequest({ appSecret: 'e59af819cc', path: '/finance/202309/withdrawals', query })).toBe(
			'70c6c4b526f8d27a42ffeaacae161459af4160bbad5effdd6c33b32d6fd111fc',
		);
	});

	it('ignores sign and access_token and is independent of key insertion order', () => {
		const base = { appSecret: 'e59af819cc', path: '/authorization/202309/shops' };
		const plain = signRequest({ ...base, query: { app_key: '29a39d', timestamp: '1623812664' } });
		const noisy = signRequest({
			...base,
			query: { timestamp: '1623812664', sign: 'abc', access_token: 'TTP_x', app_key: '29a39d' },
		});
		expect(noisy).toBe(plain);
		expect(plain).toMatch(/^[0-9a-f]{64}$/);
	});

	it('appends a JSON body but not a multipart body or an empty body', () => {
		const base = { appSecret: 's', path: '/p', query: { a: '1' } };
		expect(canonicalString({ ...base, body: '{"x":1}', contentType: 'application/json' })).toBe('s/pa1{"x":1}s');
		expect(canonicalString({ ...base, body: '--b\r\n', contentType: 'multipart/form-data; boundary=b' })).toBe(
			's/pa1s',
		);
		expect(canonicalString({ ...base, body: '' })).toBe('s/pa1s');
		expect(signRequest({ ...base, body: '{"x":1}' })).not.toBe(signRequest(base));
	});
});
