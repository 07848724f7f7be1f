import {
	CREDENTIAL_BLANKING_VALUE,
	CREDENTIAL_EMPTY_VALUE,
	type ICredentialDataDecryptedObject,
	type ICredentialTestRequest,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INodeProperties,
} from 'n8n-workflow';

import { signForTikTok } from '../lib/credential/request-signing';
import { withoutPlaceholders } from '../lib/credential/stored';
import { refreshCredential, type StoredCredential } from '../lib/credential/token-refresh';
import { DEFAULT_TIMEOUT_MS, type HttpRequest, type HttpResponse } from '../lib/tiktok/transport';

/** n8n's editor hands over these instead of values it did not load or that were empty. */
const PLACEHOLDERS = [CREDENTIAL_BLANKING_VALUE, CREDENTIAL_EMPTY_VALUE];

const stored = (credentials: ICredentialDataDecryptedObject) =>
	withoutPlaceholders(credentials as StoredCredential, PLACEHOLDERS);

/** A field preAuthentication maintains: hidden, and `password` so that the editor only ever holds a placeholder. */
function maintained(name: string, displayName: string, defaultValue: string | number, expirable = false): INodeProperties {
	return { displayName, name, type: 'hidden', typeOptions: { password: true, expirable }, default: defaultValue };
}

/**
 * TikTok Shop's authorization is OAuth-like but not OAuth2 (GET token endpoints with the app secret in the query,
 * a wrapped response, absolute expiry times, per-request HMAC signatures), so n8n's OAuth2 credential cannot be used.
 * The seller's authorization code or refresh token is exchanged in `preAuthentication`; n8n stores what it returns
 * (access token, rotated refresh token) and calls it again whenever `authenticate` reports an expiry. How the state
 * survives n8n's credential editor (Retry, Save): lib/credential/stored.ts.
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
				'Shop ID or shop cipher. Leave empty when the authorization covers exactly one shop: it is then picked automatically. Nodes use this shop unless they name another one.',
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
		// Maintained by preAuthentication; n8n persists what it returns (see lib/credential/stored.ts).
		maintained('accessToken', 'Access Token', '', true),
		maintained('accessExpiresAt', 'Access Token Expires At', 0),
		maintained('accessIssuedAt', 'Access Token Issued At', 0),
		maintained('rotatedRefreshToken', 'Current Refresh Token', ''),
		maintained('refreshExpiresAt', 'Refresh Token Expires At', 0),
		maintained('authInputFingerprint', 'Authorization Input Fingerprint', ''),
		maintained('sellerId', 'Seller ID', ''),
		// n8n's reserved key: never taken from the editor on Save; its default is the placeholder the server swaps for
		// the stored value when the editor tests a credential it never loaded.
		maintained('oauthTokenData', 'Authorization State', CREDENTIAL_BLANKING_VALUE),
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
				timeout: DEFAULT_TIMEOUT_MS,
			})) as { statusCode: number; headers: HttpResponse['headers']; body: unknown };
			return { status: response.statusCode, headers: response.headers, body: response.body };
		};
		const refreshed = await refreshCredential(stored(credentials), { send, now: () => Date.now() });
		return refreshed as unknown as IDataObject;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return signForTikTok(stored(credentials), requestOptions, Date.now());
	}

	// The test reads the authorized shops (preAuthentication runs first when needed), so a wrong secret, a used code
	// or a missing scope fail here with TikTok's message. The Shop field and the finance scope are checked by the
	// first run (the shop is resolved by the nodes, after the tokens are safely stored).
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.customHosts ? $credentials.apiBaseUrl : "https://open-api.tiktokglobalshop.com"}}',
			url: '/authorization/202309/shops',
			// TikTok rejects requests without a content type, GET included.
			headers: { 'content-type': 'application/json' },
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 105005, message: 'The app lacks the Shop Authorized Information scope (seller.authorization.info): enable it and let the seller re-authorize.' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 105002, message: 'TikTok says the stored access token has expired. Workflows refresh it by themselves on their next request.' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 106001, message: 'TikTok rejected the signature: check the App Secret.' },
			},
			{
				type: 'responseSuccessBody',
				properties: { key: 'code', value: 36009004, message: 'TikTok rejected the request parameters (app key, timestamp or shop).' },
			},
		],
	};
}
