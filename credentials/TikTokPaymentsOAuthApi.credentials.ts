import {
	sleep,
	type ICredentialDataDecryptedObject,
	type ICredentialTestRequest,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INodeProperties,
} from 'n8n-workflow';

import { signForTikTok } from '../lib/credential/request-signing';
import { refreshCredential, type StoredCredential } from '../lib/credential/token-refresh';
import type { HttpRequest, HttpResponse } from '../lib/tiktok/transport';

/**
 * TikTok Shop's authorization is OAuth-like but not OAuth2 (GET token endpoints with the app secret in the query,
 * a wrapped response, absolute expiry times, per-request HMAC signatures), so n8n's OAuth2 credential cannot be used.
 * The seller's authorization code or refresh token is exchanged in `preAuthentication`; n8n stores what it returns
 * (access token, rotated refresh token, chosen shop) and calls it again whenever `authenticate` reports an expiry.
 */
export class TikTokPaymentsOAuthApi implements ICredentialType {
	name = 'tikTokPaymentsOAuthApi';

	displayName = 'TikTok Payments OAuth API';

	icon = { light: 'file:../icons/tiktokPayments.svg', dark: 'file:../icons/tiktokPayments.dark.svg' } as const;

	documentationUrl = 'https://github.com/n8n-nodes-tiktok-payments/n8n-nodes-tiktok-payments#credentials';

	properties: INodeProperties[] = [
		{
			displayName:
				'In TikTok Shop Partner Center create an app with the scopes "Finance Information" (seller.finance.info) and "Shop Authorized Information", let the seller open its authorization link, and paste the code from the redirect URL below within 30 minutes. See the README for every step.',
			name: 'setupNotice',
			type: 'notice',
			default: '',
		},
		{
			displayName: 'App Key',
			name: 'appKey',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'App Secret',
			name: 'appSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Service ID',
			name: 'serviceId',
			type: 'string',
			default: '',
			description: 'Used to show the seller authorization link in error messages when the authorization must be renewed',
		},
		{
			displayName: 'Market',
			name: 'market',
			type: 'options',
			options: [
				{ name: 'Rest of World (EU, UK, …)', value: 'ROW' },
				{ name: 'United States', value: 'US' },
			],
			default: 'ROW',
			description: 'Which Partner Center the app belongs to; US apps have their own authorization link',
		},
		{
			displayName: 'Authorization Code',
			name: 'authCode',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The code parameter of the redirect URL after the seller authorized the app. Single use, valid for 30 minutes.',
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Alternatively, a refresh token you already have. Leave empty when you paste an authorization code.',
		},
		{
			displayName: 'Shop',
			name: 'shop',
			type: 'string',
			default: '',
			placeholder: 'e.g. 7495123456789012345',
			description:
				'Shop ID or shop cipher. Leave empty when the authorization covers exactly one shop: it is then picked automatically.',
		},
		{
			displayName: 'Use Custom API Hosts',
			name: 'customHosts',
			type: 'boolean',
			default: false,
			description: 'Whether to call other hosts than TikTok\'s, e.g. the bundled sandbox for a demo',
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: 'https://open-api.tiktokglobalshop.com',
			displayOptions: { show: { customHosts: [true] } },
		},
		{
			displayName: 'Auth Base URL',
			name: 'authBaseUrl',
			type: 'string',
			default: 'https://auth.tiktok-shops.com',
			displayOptions: { show: { customHosts: [true] } },
		},
		// Maintained by preAuthentication; n8n persists what it returns.
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{ displayName: 'Access Token Expires At', name: 'accessExpiresAt', type: 'hidden', default: 0 },
		{ displayName: 'Access Token Issued At', name: 'accessIssuedAt', type: 'hidden', default: 0 },
		{
			displayName: 'Current Refresh Token',
			name: 'rotatedRefreshToken',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{ displayName: 'Refresh Token Expires At', name: 'refreshExpiresAt', type: 'hidden', default: 0 },
		{ displayName: 'Authorization Input Fingerprint', name: 'authInputFingerprint', type: 'hidden', default: '' },
		{ displayName: 'Shop Resolved For', name: 'shopInput', type: 'hidden', default: '' },
		{ displayName: 'Shop Cipher', name: 'shopCipher', type: 'hidden', default: '' },
		{ displayName: 'Shop Name', name: 'shopName', type: 'hidden', default: '' },
		{ displayName: 'Shop Problem', name: 'shopProblem', type: 'hidden', default: '' },
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const send = async (request: HttpRequest): Promise<HttpResponse> => {
			const response = (await this.helpers.httpRequest({
				method: request.method,
				url: request.url,
				headers: request.headers,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				json: true,
			})) as { statusCode: number; headers: HttpResponse['headers']; body: unknown };
			return { status: response.statusCode, headers: response.headers, body: response.body };
		};
		const refreshed = await refreshCredential(credentials as StoredCredential, {
			send,
			now: () => Date.now(),
			sleep: (ms) => sleep(ms),
		});
		return refreshed as unknown as IDataObject;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return signForTikTok(credentials as StoredCredential, requestOptions, Date.now());
	}

	// The test reads one statement: preAuthentication (tokens, Get Authorized Shops, shop choice) runs first, so a
	// wrong secret, code, shop or missing finance scope each fail here with TikTok's message.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.customHosts ? $credentials.apiBaseUrl : "https://open-api.tiktokglobalshop.com"}}',
			url: '/finance/202309/statements',
			// TikTok rejects requests without a content type, GET included.
			headers: { 'content-type': 'application/json' },
			qs: { sort_field: 'statement_time', page_size: 1 },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 105005, message: 'The app lacks the Finance Information scope (seller.finance.info): enable it and let the seller re-authorize.' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 106001, message: 'TikTok rejected the signature: check the App Secret.' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 101000, message: 'The access token does not belong to this shop: check the Shop field.' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 36009004, message: 'TikTok rejected the request parameters (app key, timestamp or shop).' },
			},
		],
	};
}
