import type { z } from 'zod';
import { ACCESS_TOKEN_HEADER, type ClientAuth, type SignedRequest, type UnsignedRequest } from './auth';
import {
	DEFAULT_PAYMENTS_VERSION,
	type EndpointRequest,
	type PaymentsFilter,
	type StatementsFilter,
	type StatementTransactionsFilter,
	type UnsettledTransactionsFilter,
	type WithdrawalsFilter,
	authorizedShopsRequest,
	orderTransactionsRequest,
	paymentsRequest,
	statementsRequest,
	statementTransactionsRequest,
	unsettledTransactionsRequest,
	withdrawalsRequest,
} from './endpoints';
import {
	RETRYABLE_CODES,
	TOKEN_EXPIRED_CODE,
	TikTokApiError,
	type TikTokApiErrorInit,
	redactText,
	thrownMessage,
} from './errors';
import { preview } from '../preview';
import { DEFAULT_MAX_PER_SECOND, RateLimiter } from './rate-limit';
import { TokenRecovery } from './token-recovery';
import {
	type OrderTransactions,
	type PaymentsPage,
	type StatementsPage,
	type StatementTransactionsPage,
	type StatementTransactionsTotals,
	type TikTokPayment,
	type TikTokShop,
	type TikTokStatement,
	type TikTokTransaction,
	type TikTokUnsettledTransaction,
	type TikTokWithdrawal,
	type UnsettledTransactionsPage,
	type WithdrawalsPage,
	authorizedShopsData,
	envelope,
	orderTransactions,
	paymentsPage,
	statementsPage,
	statementTransactionsPage,
	unsettledTransactionsPage,
	withdrawalsPage,
} from './schemas';
import { type HttpResponse, type Send, buildUrl, headerValue, jsonBody } from './transport';

/** The only documented API host, for all markets (reference §2.1). */
export const DEFAULT_BASE_URL = 'https://open-api.tiktokglobalshop.com';

/** A listing that needs more pages than this is a server handing out endless page tokens. */
export const DEFAULT_MAX_PAGES = 10_000;
/** TikTok's messages are a sentence; longer ones are cut in our errors. */
const MAX_MESSAGE_LENGTH = 1000;

/** TikTok's documented default limit per app × shop (reference §5.3); the client adapts below it. */
export const DEFAULT_MAX_REQUESTS_PER_SECOND = DEFAULT_MAX_PER_SECOND;

/** TikTok's "too many requests" code, sent with HTTP 429. */
const TOO_MANY_REQUESTS_CODE = 36009002;

/** HTTP statuses worth retrying: rate limit, server protection, and transient gateway errors. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

export interface TikTokClientOptions {
	appKey: string;
	send: Send;
	auth: ClientAuth;
	/** Milliseconds since the epoch. */
	now: () => number;
	sleep: (ms: number) => Promise<void>;
	/** Uniform [0, 1) for backoff jitter; defaults to Math.random. */
	random?: () => number;
	baseUrl?: string;
	/** Needed for every finance endpoint; not sent to seller-level endpoints (authorized shops). */
	shopCipher?: string;
	/** The shop `shopCipher` belongs to, as Get Authorized Shops named it (output records carry it). */
	shop?: ShopIdentity;
	/** Attempts per request for retryable failures (default 5). A 105002 token retry is extra. */
	maxAttempts?: number;
	/**
	 * The most requests per second per app × shop (default 50, TikTok's documented limit). The client starts at
	 * `startRequestsPerSecond` and adapts to what TikTok accepts (see rate-limit.ts); it never goes above this.
	 */
	requestsPerSecond?: number;
	/** First rate per app × shop (default 5, at most `requestsPerSecond`). */
	startRequestsPerSecond?: number;
	/** 1–100 (default 100). */
	pageSize?: number;
	/** Get Payments version, e.g. 202309 (default) or 202605. */
	paymentsVersion?: string;
	/** First backoff ceiling (default 500 ms); doubles per attempt up to maxDelayMs (default 30 s). */
	baseDelayMs?: number;
	maxDelayMs?: number;
	/** A Retry-After longer than this (default 120 s) is not waited for; the request fails with a clear error. */
	maxRetryAfterMs?: number;
	/** More strings to scrub from error texts (e.g. the app secret when an n8n credential signs). */
	secrets?: string[];
	/**
	 * Read when an error is built: the secrets as they are at that moment (inside n8n the credential's tokens,
	 * which a refresh during the run replaces). Failures to read them do not hide the original error.
	 */
	currentSecrets?: () => Promise<ReadonlyArray<string | undefined>>;
	/** Pages one listing may take before the client gives up (default 10,000, i.e. a million records). */
	maxPages?: number;
	/**
	 * Share one limiter between clients of the same app (per-shop clients from `forShop`, or every execution in a
	 * process): they share each shop's queue and learned rate; each keeps its own `requestsPerSecond` maximum.
	 */
	rateLimiter?: RateLimiter;
}

/** A shop as records and DATEV files name it; never its cipher. */
export interface ShopIdentity {
	id: string;
	name: string;
	region: string;
}

/** Top-level fields of Get Transactions by Statement plus the transactions of all pages. */
export type StatementTransactionsSummary<T = TikTokTransaction> = StatementTransactionsTotals & { transactions: T[] };

/**
 * TikTok Shop finance API client: paging as async iterators, retries with backoff, a per-shop rate limit,
 * token refresh on 105002, schema validation of every response, and errors that never carry secrets.
 */
export class TikTokClient {
	private readonly baseUrl: string;
	private readonly random: () => number;
	private readonly maxAttempts: number;
	private readonly pageSize: number;
	private readonly maxPages: number;
	private readonly limiter: RateLimiter;
	private readonly maxPerSecond: number;
	private readonly tokenRecovery = new TokenRecovery();

	constructor(private readonly options: TikTokClientOptions) {
		this.baseUrl = options.baseUrl ?? DEFAULT_BASE_URL;
		this.random = options.random ?? Math.random;
		this.maxAttempts = options.maxAttempts ?? 5;
		if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) {
			throw new RangeError(`maxAttempts must be a positive integer, got ${this.maxAttempts}`);
		}
		this.pageSize = options.pageSize ?? 100;
		if (!Number.isInteger(this.pageSize) || this.pageSize < 1 || this.pageSize > 100) {
			throw new RangeError(`pageSize must be an integer from 1 to 100, got ${this.pageSize}`);
		}
		this.maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
		if (!Number.isInteger(this.maxPages) || this.maxPages < 1) {
			throw new RangeError(`maxPages must be a positive integer, got ${this.maxPages}`);
		}
		this.maxPerSecond = options.requestsPerSecond ?? DEFAULT_MAX_REQUESTS_PER_SECOND;
		if (!(this.maxPerSecond > 0) || !Number.isFinite(this.maxPerSecond)) {
			throw new RangeError(`requestsPerSecond must be a positive number, got ${this.maxPerSecond}`);
		}
		this.limiter =
			options.rateLimiter ??
			new RateLimiter({ startPerSecond: options.startRequestsPerSecond, now: options.now, sleep: options.sleep });
	}

	/** The same client for another shop of this authorization, sharing the rate limiter. */
	forShop(shopCipher: string, shop?: ShopIdentity): TikTokClient {
		return new TikTokClient({ ...this.options, shopCipher, shop, rateLimiter: this.limiter });
	}

	/** The shop this client is bound to, when it was bound by a lookup in Get Authorized Shops. */
	get shop(): ShopIdentity | undefined {
		return this.options.shop;
	}

	/** GET /authorization/202309/shops: the shops (and their ciphers) this token may access. */
	async authorizedShops(): Promise<TikTokShop[]> {
		return (await this.call(authorizedShopsRequest(), {}, authorizedShopsData)).shops;
	}

	/** `startToken` resumes at a page an earlier listing returned as next_page_token (the editor's "load more"). */
	statementPages(filter: StatementsFilter = {}, startToken?: string): AsyncGenerator<StatementsPage> {
		return this.pages(statementsRequest(filter), statementsPage, startToken);
	}

	async *statements(filter: StatementsFilter = {}): AsyncGenerator<TikTokStatement> {
		for await (const page of this.statementPages(filter)) yield* page.statements;
	}

	paymentPages(filter: PaymentsFilter = {}): AsyncGenerator<PaymentsPage> {
		return this.pages(paymentsRequest(filter, this.options.paymentsVersion ?? DEFAULT_PAYMENTS_VERSION), paymentsPage);
	}

	async *payments(filter: PaymentsFilter = {}): AsyncGenerator<TikTokPayment> {
		for await (const page of this.paymentPages(filter)) yield* page.payments;
	}

	withdrawalPages(filter: WithdrawalsFilter): AsyncGenerator<WithdrawalsPage> {
		return this.pages(withdrawalsRequest(filter), withdrawalsPage);
	}

	async *withdrawals(filter: WithdrawalsFilter): AsyncGenerator<TikTokWithdrawal> {
		for await (const page of this.withdrawalPages(filter)) yield* page.withdrawals;
	}

	/** Pages of one statement's transactions; each page repeats the statement's top-level totals. */
	statementTransactions(
		statementId: string,
		filter: StatementTransactionsFilter = {},
		startToken?: string,
	): AsyncGenerator<StatementTransactionsPage> {
		return this.pages(statementTransactionsRequest(statementId, filter), statementTransactionsPage, startToken);
	}

	/**
	 * All transactions of a statement with its totals (the shape the booking engine's statement item needs).
	 * `mapPage` turns each page's transactions into what is kept as the page comes (e.g. compact records), so that
	 * only one page of TikTok's full objects is held at a time.
	 */
	async statementWithTransactions(statementId: string): Promise<StatementTransactionsSummary>;
	async statementWithTransactions<T>(statementId: string, mapPage: (transactions: TikTokTransaction[]) => T[]): Promise<StatementTransactionsSummary<T>>;
	async statementWithTransactions<T>(
		statementId: string,
		mapPage?: (transactions: TikTokTransaction[]) => T[],
	): Promise<StatementTransactionsSummary<T | TikTokTransaction>> {
		let summary: StatementTransactionsSummary<T | TikTokTransaction> | undefined;
		for await (const page of this.statementTransactions(statementId)) {
			if (!summary) {
				const totals: StatementTransactionsTotals = { ...page };
				delete totals.next_page_token;
				summary = { ...totals, transactions: [] };
			}
			// A loop, not push(...spread): a page far bigger than page_size must not overflow the call stack.
			for (const transaction of mapPage ? mapPage(page.transactions) : page.transactions) summary.transactions.push(transaction);
		}
		// pages() always yields at least one page.
		return summary as StatementTransactionsSummary<T | TikTokTransaction>;
	}

	/** SKU-level detail of one order (not paged). */
	orderTransactions(orderId: string): Promise<OrderTransactions> {
		return this.call(orderTransactionsRequest(orderId), {}, orderTransactions);
	}

	unsettledPages(filter: UnsettledTransactionsFilter = {}): AsyncGenerator<UnsettledTransactionsPage> {
		return this.pages(unsettledTransactionsRequest(filter), unsettledTransactionsPage);
	}

	async *unsettledTransactions(filter: UnsettledTransactionsFilter = {}): AsyncGenerator<TikTokUnsettledTransaction> {
		for await (const page of this.unsettledPages(filter)) yield* page.transactions;
	}

	/**
	 * Cursor paging: the filter is frozen before the first request, only page_token changes; stops on a missing or
	 * empty next_page_token. A token seen twice means TikTok is looping, which we refuse to follow; so is a listing
	 * longer than maxPages pages (a server handing out ever-new tokens).
	 */
	private async *pages<T extends { next_page_token?: string }>(
		request: EndpointRequest,
		schema: z.ZodType<T, z.ZodTypeDef, unknown>,
		startToken?: string,
	): AsyncGenerator<T> {
		const fixed: Readonly<Record<string, string>> = Object.freeze({
			...request.query,
			page_size: String(this.pageSize),
		});
		const seen = new Set<string>();
		let pageToken: string | undefined = startToken || undefined;
		for (let pages = 1; ; pages++) {
			const query = pageToken === undefined ? { ...fixed } : { ...fixed, page_token: pageToken };
			const page = await this.call(request, query, schema);
			yield page;
			const next = page.next_page_token;
			if (!next) return;
			if (pages >= this.maxPages) {
				throw new TikTokApiError({
					kind: 'invalid-response',
					endpoint: request.path,
					message:
						`TikTok kept returning new page tokens for ${request.path}: stopped after ${pages} pages ` +
						`(${pages * this.pageSize} records at ${this.pageSize} per page).`,
					description:
						'TikTok did not stop paging. Choose a shorter period; if it happens again, report it to TikTok with the endpoint.',
				});
			}
			if (seen.has(next)) {
				throw new TikTokApiError({
					kind: 'invalid-response',
					endpoint: request.path,
					message: 'TikTok returned the same next_page_token twice; stopped paging to avoid an endless loop.',
				});
			}
			seen.add(next);
			pageToken = next;
		}
	}

	/** One logical request: rate limit, sign, send, retry what is retryable, validate. */
	private async call<T>(
		request: EndpointRequest,
		query: Record<string, string>,
		schema: z.ZodType<T, z.ZodTypeDef, unknown>,
	): Promise<T> {
		// Set while this request renews a rejected token for all of the client's concurrent requests.
		const renewal: { finish?: (renewed: boolean) => void } = {};
		try {
			return await this.callWithRetries(request, query, schema, renewal);
		} finally {
			// Given up (an error, or the renewal itself failed): let the others go on.
			renewal.finish?.(false);
		}
	}

	private async callWithRetries<T>(
		request: EndpointRequest,
		query: Record<string, string>,
		schema: z.ZodType<T, z.ZodTypeDef, unknown>,
		renewal: { finish?: (renewed: boolean) => void },
	): Promise<T> {
		const endpoint = request.path;
		const unsigned = this.unsignedRequest(request, query);
		let attempts = 0;
		let tokenRetried = false;
		let lastProblem = '';
		for (;;) {
			attempts += 1;
			const tokenEpoch = await this.tokenRecovery.ready(renewal.finish !== undefined);
			const ticket = await this.limiter.acquire(this.options.shopCipher ?? '', this.maxPerSecond);
			const signed = await this.options.auth.authorize({
				...unsigned,
				query: { ...unsigned.query },
				headers: { ...unsigned.headers },
			});
			const fail = async (init: Omit<TikTokApiErrorInit, 'endpoint'>) => {
				const secrets = [...(this.options.secrets ?? []), signed.headers[ACCESS_TOKEN_HEADER], ...(await this.currentSecrets())];
				// Redact before cutting: a cut could leave part of a secret that no longer matches.
				const redact = (text: string) => preview(redactText(text, secrets), MAX_MESSAGE_LENGTH);
				return new TikTokApiError({
					...init,
					message: redact(init.message),
					description: init.description === undefined ? undefined : redact(init.description),
					endpoint,
				});
			};

			let response: HttpResponse | undefined;
			let sendFailure: unknown;
			try {
				response = await this.options.send({
					method: signed.method,
					url: buildUrl(this.baseUrl, signed.path, signed.query),
					headers: signed.headers,
					body: signed.body,
				});
			} catch (thrown) {
				sendFailure = thrown;
			}
			// The renewing request has its answer: the others may send again.
			renewal.finish?.(true);
			renewal.finish = undefined;
			if (response === undefined) {
				// A TikTokApiError from the sender is final (e.g. the n8n credential could not authorize): retrying it
				// would only repeat it, or worse, redeem a single-use authorization code twice.
				if (sendFailure instanceof TikTokApiError) throw sendFailure;
				lastProblem = `network error: ${thrownMessage(sendFailure)}`;
				if (attempts < this.maxAttempts) {
					await this.options.sleep(this.backoffMs(attempts));
					continue;
				}
				throw await fail({ kind: 'network', message: this.exhaustedMessage(endpoint, attempts, lastProblem), attempts });
			}

			const parsed = envelope.safeParse(jsonBody(response.body));
			const env = parsed.success ? parsed.data : undefined;
			const code = env?.code;
			const requestId = env?.request_id;
			const status = response.status;
			const throttled = status === 429 || code === TOO_MANY_REQUESTS_CODE;
			// 5xx answers say nothing about the rate; everything else is an answer at this rate.
			if (!throttled && status < 500) this.limiter.answered(ticket);

			if (code === TOKEN_EXPIRED_CODE || (status === 401 && env === undefined)) {
				if (!tokenRetried) {
					tokenRetried = true;
					// The token retry is not a backoff attempt: it must not eat into the retry budget.
					attempts -= 1;
					renewal.finish = this.tokenRecovery.begin(tokenEpoch);
					if (renewal.finish) await this.options.auth.tokenRejected({ endpoint, code, httpStatus: status, requestId, request: signed });
					continue;
				}
				throw await fail({
					kind: code === undefined ? 'http' : 'api',
					code,
					requestId,
					httpStatus: status,
					message: `${env?.message || `HTTP ${status}`} (still rejected after refreshing the access token)`,
				});
			}

			if (RETRYABLE_STATUSES.has(status) || (code !== undefined && RETRYABLE_CODES.has(code))) {
				lastProblem = code !== undefined && code !== 0 ? `HTTP ${status}, code ${code} ${env?.message ?? ''}`.trim() : `HTTP ${status}`;
				const retryAfterMs = this.retryAfterMs(headerValue(response.headers, 'retry-after'));
				const maxRetryAfterMs = this.options.maxRetryAfterMs ?? 120_000;
				if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) {
					throw await fail({
						kind: 'retries-exhausted',
						code: code || undefined,
						requestId,
						httpStatus: status,
						attempts,
						message: `TikTok asked to retry ${endpoint} after ${Math.ceil(retryAfterMs / 1000)} s, longer than the ${Math.ceil(maxRetryAfterMs / 1000)} s we wait (${lastProblem}).`,
					});
				}
				if (attempts >= this.maxAttempts) {
					throw await fail({
						kind: 'retries-exhausted',
						code: code || undefined,
						requestId,
						httpStatus: status,
						attempts,
						message: this.exhaustedMessage(endpoint, attempts, lastProblem),
					});
				}
				if (throttled) {
					// The limiter pauses the whole app × shop (every queued request), and the retry waits in acquire().
					this.limiter.throttled(ticket, retryAfterMs ?? this.backoffMs(attempts));
				} else {
					await this.options.sleep(Math.max(retryAfterMs ?? 0, this.backoffMs(attempts)));
				}
				continue;
			}

			if (env === undefined) {
				throw await fail({
					kind: status >= 400 ? 'http' : 'invalid-response',
					httpStatus: status,
					message: `TikTok answered HTTP ${status} without a valid response envelope.`,
				});
			}
			if (env.code !== 0) {
				throw await fail({
					kind: 'api',
					code: env.code,
					requestId,
					httpStatus: status,
					message: env.message || `TikTok error ${env.code}`,
				});
			}
			if (status >= 400) {
				throw await fail({ kind: 'http', requestId, httpStatus: status, message: `TikTok answered HTTP ${status}.` });
			}
			const data = schema.safeParse(env.data ?? {});
			if (!data.success) {
				const issues = data.error.issues
					.slice(0, 5)
					.map((issue) => `${issue.path.join('.') || '(data)'}: ${issue.message}`)
					.join('; ');
				throw await fail({
					kind: 'invalid-response',
					requestId,
					httpStatus: status,
					message: `Unexpected TikTok response from ${endpoint}: ${issues}`,
					description: `TikTok sent data we cannot read safely (${issues}). Please report this with request id ${requestId ?? 'unknown'}.`,
				});
			}
			return data.data;
		}
	}

	private async currentSecrets(): Promise<ReadonlyArray<string | undefined>> {
		if (!this.options.currentSecrets) return [];
		try {
			return await this.options.currentSecrets();
		} catch {
			return [];
		}
	}

	private unsignedRequest(request: EndpointRequest, query: Record<string, string>): UnsignedRequest {
		const fullQuery: Record<string, string> = { ...query, app_key: this.options.appKey };
		if (request.shopScoped) {
			if (!this.options.shopCipher) {
				const message = `${request.path} needs a shop: set shopCipher (a cipher from Get Authorized Shops).`;
				throw new TikTokApiError({ kind: 'invalid-request', endpoint: request.path, message, code: undefined, description: 'The shop is missing: finance requests need a shop cipher. Select a shop (see Get Authorized Shops).' });
			}
			fullQuery.shop_cipher = this.options.shopCipher;
		}
		return { method: 'GET', path: request.path, query: fullQuery, headers: { 'content-type': 'application/json' } };
	}

	/** Exponential backoff with full jitter: uniform in [0, min(max, base · 2^(attempt−1))). */
	private backoffMs(attempt: number): number {
		const base = this.options.baseDelayMs ?? 500;
		const cap = this.options.maxDelayMs ?? 30_000;
		return Math.floor(this.random() * Math.min(cap, base * 2 ** (attempt - 1)));
	}

	/** Retry-After as delta seconds or an HTTP date; undefined when absent or unreadable. */
	private retryAfterMs(value: string | undefined): number | undefined {
		if (value === undefined || value.trim() === '') return undefined;
		const text = value.trim();
		if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
		const date = Date.parse(text);
		return Number.isNaN(date) ? undefined : Math.max(0, date - this.options.now());
	}

	private exhaustedMessage(endpoint: string, attempts: number, lastProblem: string): string {
		return `TikTok request to ${endpoint} failed after ${attempts} attempt${attempts === 1 ? '' : 's'} (last: ${lastProblem}).`;
	}
}

export type { ClientAuth, SignedRequest, UnsignedRequest };
