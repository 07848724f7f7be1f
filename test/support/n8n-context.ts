/*
 * A stand-in for the parts of n8n's node execution context our nodes use. n8n's own test harness is not published,
 * so this reproduces, line by line, n8n-core 2.41.1's `httpRequestWithAuthentication`
 * (execution-engine/node-execution-context/utils/request-helpers/authentication.js) and the CLI's
 * CredentialsHelper (credentials-helper.js: `getDecrypted`/`applyDefaultsAndOverwrites` and `preAuthentication`):
 * - getCredentials returns the declared properties with their defaults filled in, plus `oauthTokenData`;
 * - preAuthentication runs when the expirable field is '' or after a 401, and n8n stores {...stored, ...output};
 * - `authenticate` runs inside the try block; an error whose `response.status` is 401 triggers
 *   preAuthentication(expired) and one retry;
 * - EVERY failure leaves as `new NodeApiError(node, error)`: a second 401 then reads "Authorization failed - please
 *   check your credentials", and our own error is only its `cause`.
 * The end-to-end tests run the same nodes in a real n8n.
 */
import {
	isResourceLocatorValue,
	NodeApiError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type JsonObject,
	type NodeExecutionHint,
} from 'n8n-workflow';

import { TikTokPaymentsOAuthApi } from '../../credentials/TikTokPaymentsOAuthApi.credentials';

export interface HttpExchange {
	method: string;
	url: string;
	headers: Record<string, string>;
	body?: string;
	/** n8n's `timeout` option: the sender gives up like axios ("timeout of … ms exceeded", ECONNABORTED). */
	timeoutMs?: number;
}

export interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

/** Sends one HTTP request (tests pass the loopback sender of test/support/http-send.js). */
export type RawSend = (request: HttpExchange) => Promise<RawResponse>;

class HttpStatusError extends Error {
	constructor(readonly response: { status: number; data: unknown; headers: RawResponse['headers'] }) {
		super(`Request failed with status code ${response.status}`);
	}
}

function buildUrl(options: IHttpRequestOptions): string {
	const url = new URL(options.url, options.baseURL);
	for (const [key, value] of Object.entries(options.qs ?? {})) {
		if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
	}
	return url.toString();
}

/** n8n's httpRequest: JSON parsing, returnFullResponse, ignoreHttpStatusErrors. */
export async function n8nHttpRequest(send: RawSend, options: IHttpRequestOptions): Promise<unknown> {
	const headers: Record<string, string> = {};
	for (const [key, value] of Object.entries(options.headers ?? {})) headers[key] = String(value);
	const body = typeof options.body === 'string' ? options.body : options.body ? JSON.stringify(options.body) : undefined;
	const raw = await send({ method: options.method ?? 'GET', url: buildUrl(options), headers, body, timeoutMs: options.timeout });
	let data: unknown = raw.body;
	try {
		data = raw.body === '' ? '' : JSON.parse(raw.body);
	} catch {
		data = raw.body;
	}
	if (raw.status >= 400 && !options.ignoreHttpStatusErrors) {
		throw new HttpStatusError({ status: raw.status, data, headers: raw.headers });
	}
	return options.returnFullResponse ? { statusCode: raw.status, headers: raw.headers, body: data } : data;
}

export const TEST_NODE: INode = {
	id: 'node-under-test',
	name: 'Node Under Test',
	type: 'n8n-nodes-tiktok-payments.test',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** The credential store of one n8n instance, holding our credential's decrypted data. */
export class CredentialStore {
	readonly updates: ICredentialDataDecryptedObject[] = [];
	private readonly type = new TikTokPaymentsOAuthApi();

	constructor(private data: ICredentialDataDecryptedObject) {}

	/** What the database holds. */
	get current(): ICredentialDataDecryptedObject {
		return { ...this.data };
	}

	/** What n8n's getCredentials returns: declared properties, defaults filled in, plus `oauthTokenData`. */
	decrypted(): ICredentialDataDecryptedObject {
		const result: ICredentialDataDecryptedObject = {};
		for (const property of this.type.properties) {
			if (property.type === 'notice') continue;
			const shown = Object.entries(property.displayOptions?.show ?? {}).every(([name, values]) =>
				(values as unknown[]).includes(this.data[name] ?? this.type.properties.find((other) => other.name === name)?.default),
			);
			if (!shown) continue;
			result[property.name] = (this.data[property.name] ?? property.default) as ICredentialDataDecryptedObject[string];
		}
		if (this.data.oauthTokenData !== undefined) result.oauthTokenData = this.data.oauthTokenData;
		return result;
	}

	/** Emulates the user editing the credential (e.g. pasting a new authorization code). */
	edit(changes: ICredentialDataDecryptedObject): void {
		this.data = { ...this.data, ...changes };
	}

	private async preAuthentication(send: RawSend, credentials: ICredentialDataDecryptedObject, expired: boolean) {
		if (credentials.accessToken !== '' && !expired) return undefined;
		const helper = { helpers: { httpRequest: (options: IHttpRequestOptions) => n8nHttpRequest(send, options) } };
		const output = (await this.type.preAuthentication.call(helper as never, credentials)) as IDataObject;
		if (output.accessToken === undefined) return undefined;
		const storedData = this.current;
		this.data = { ...storedData, ...output } as ICredentialDataDecryptedObject;
		this.updates.push(this.current);
		return Object.assign(credentials, output);
	}

	/** n8n-core's httpRequestWithAuthentication for this credential type. */
	async httpRequestWithAuthentication(send: RawSend, requestOptions: IHttpRequestOptions, node: INode = TEST_NODE): Promise<unknown> {
		let options = requestOptions;
		let credentials: ICredentialDataDecryptedObject | undefined;
		try {
			credentials = this.decrypted();
			const data = await this.preAuthentication(send, credentials, false);
			if (data) Object.assign(credentials, data);
			options = await this.type.authenticate(credentials, options);
			return await n8nHttpRequest(send, options);
		} catch (error) {
			const status = (error as { response?: { status?: number } }).response?.status;
			if (status === 401 && credentials !== undefined) {
				try {
					const data = await this.preAuthentication(send, credentials, true);
					if (data) Object.assign(credentials, data);
					options = await this.type.authenticate(credentials, options);
					return await n8nHttpRequest(send, options);
				} catch (retryError) {
					throw new NodeApiError(node, retryError as JsonObject);
				}
			}
			throw new NodeApiError(node, error as JsonObject);
		}
	}
}

/** A credential as a user would create it for the sandbox: a fresh authorization code, custom hosts. */
export function sandboxCredentialStore(
	sandbox: { credentials: { appKey: string; appSecret: string; authCode(): string } },
	url: string,
	extra: ICredentialDataDecryptedObject = {},
): CredentialStore {
	return new CredentialStore({
		appKey: sandbox.credentials.appKey,
		appSecret: sandbox.credentials.appSecret,
		authCode: sandbox.credentials.authCode(),
		customHosts: true,
		apiBaseUrl: url,
		authBaseUrl: url,
		accessToken: '',
		...extra,
	});
}

export interface FakeContextOptions {
	store: CredentialStore;
	send: RawSend;
	parameters: Record<string, unknown>;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	mode?: 'manual' | 'trigger' | 'cli';
	staticData?: IDataObject;
	/** n8n's deduplication store of the workflow (workflow scope), shared by the contexts of one "workflow". */
	processed?: Set<string>;
	/** Output items of other nodes of the run, by node name (for `$items(name)`). */
	nodeOutputs?: Record<string, INodeExecutionData[]>;
}

/**
 * n8n's deduplication store in "entries" mode (n8n-core 2.41.1 DeduplicationHelper.handleHashedItems /
 * removeProcessed): values are kept as given here instead of as md5 hashes, which changes nothing for the caller.
 */
export function fakeDeduplication(processed: Set<string>) {
	return {
		checkProcessedAndRecord: async (items: Array<string | number>, scope: string, options: { mode: string }) => {
			if (scope !== 'workflow' || options.mode !== 'entries') throw new Error(`unexpected deduplication use: ${scope} ${options.mode}`);
			const result = { new: [] as Array<string | number>, processed: [] as Array<string | number> };
			for (const item of items) {
				if (processed.has(String(item))) result.processed.push(item);
				else {
					result.new.push(item);
					processed.add(String(item));
				}
			}
			return result;
		},
		removeProcessed: async (items: Array<string | number>) => {
			for (const item of items) processed.delete(String(item));
		},
	};
}

/** An object that satisfies what our nodes call on IExecuteFunctions / IPollFunctions. */
export function fakeContext(options: FakeContextOptions) {
	const staticData = options.staticData ?? {};
	const processed = options.processed ?? new Set<string>();
	const binaries: Array<{ data: Buffer; fileName?: string; mimeType?: string }> = [];
	const hints: NodeExecutionHint[] = [];
	const context = {
		binaries,
		hints,
		staticData,
		addExecutionHints: (...added: NodeExecutionHint[]) => hints.push(...added),
		getInputData: () => options.items ?? [{ json: {} }],
		// IExecuteFunctions: (name, itemIndex, fallback, options); IPollFunctions: (name, fallback, options).
		getNodeParameter: (name: string, itemOrFallback?: unknown, fallbackOrOptions?: unknown, readOptions?: { extractValue?: boolean }) => {
			const byItem = typeof itemOrFallback === 'number';
			const defaultValue = byItem ? fallbackOrOptions : itemOrFallback;
			const read = ((byItem ? readOptions : fallbackOrOptions) ?? {}) as { extractValue?: boolean };
			const value = name in options.parameters ? options.parameters[name] : defaultValue;
			// n8n-core's extractValue: a resource locator value gives its `value` (our modes have no extractValue
			// regex); anything else, e.g. a plain string saved before the parameter became a locator, passes as is.
			return read.extractValue && isResourceLocatorValue(value) ? value.value : value;
		},
		// What the editor sends along with a list search: the node's parameters as currently set.
		getCurrentNodeParameter: (name: string, read: { extractValue?: boolean } = {}) => {
			const value = options.parameters[name];
			return read.extractValue && isResourceLocatorValue(value) ? value.value : value;
		},
		getNode: () => TEST_NODE,
		getWorkflow: () => ({ id: 'workflow-under-test', name: 'Workflow Under Test', active: false }),
		getMode: () => options.mode ?? 'trigger',
		continueOnFail: () => options.continueOnFail ?? false,
		getWorkflowStaticData: () => staticData,
		getWorkflowDataProxy: () => ({
			$items: (name: string) => {
				const items = options.nodeOutputs?.[name];
				if (!items) throw new Error(`Referenced node doesn't exist: ${name}`);
				return items;
			},
		}),
		getCredentials: async () => options.store.decrypted(),
		processed,
		helpers: {
			...fakeDeduplication(processed),
			httpRequestWithAuthentication: (_type: string, requestOptions: IHttpRequestOptions) =>
				options.store.httpRequestWithAuthentication(options.send, requestOptions),
			returnJsonArray: (data: IDataObject | IDataObject[]) =>
				(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			prepareBinaryData: async (data: Buffer, fileName?: string, mimeType?: string) => {
				binaries.push({ data, fileName, mimeType });
				return { data: data.toString('base64'), fileName, mimeType: mimeType ?? 'application/octet-stream' };
			},
		},
	};
	return context;
}
