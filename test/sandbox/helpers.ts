import { parseMinor } from '../../lib/money';
import { signRequest } from '../../lib/tiktok/sign';
import type { Sandbox, SandboxRequest, SandboxResponse } from '../../sandbox/index';

export interface Envelope {
	code: number;
	message: string;
	request_id: string;
	data: unknown;
}

/** A fake clock the sandbox reads; tests move it explicitly. */
export class FakeClock {
	constructor(public ms: number) {}
	readonly now = (): number => this.ms;
	advanceSeconds(seconds: number): void {
		this.ms += seconds * 1000;
	}
	get seconds(): number {
		return Math.floor(this.ms / 1000);
	}
}

export interface CallOptions {
	token?: string;
	/** Unix seconds; default the clock's now. */
	timestamp?: number;
	/** Replaces the computed signature. */
	sign?: string;
	headers?: Record<string, string>;
	method?: string;
}

/** A correctly signed Open API request, the way a client must build it (reference §2). */
export function signedRequest(
	sandbox: Sandbox,
	clock: FakeClock,
	path: string,
	query: Record<string, string> = {},
	options: CallOptions = {},
): SandboxRequest {
	const full: Record<string, string> = {
		app_key: sandbox.credentials.appKey,
		timestamp: String(options.timestamp ?? clock.seconds),
		...query,
	};
	full.sign =
		options.sign ??
		signRequest({ appSecret: sandbox.credentials.appSecret, path, query: full, contentType: 'application/json' });
	return {
		method: options.method ?? 'GET',
		path,
		query: full,
		headers: {
			'content-type': 'application/json',
			'x-tts-access-token': options.token ?? sandbox.credentials.accessToken,
			...options.headers,
		},
		body: '',
	};
}

export function parse(response: SandboxResponse): Envelope {
	return JSON.parse(response.body) as Envelope;
}

export async function call(
	sandbox: Sandbox,
	clock: FakeClock,
	path: string,
	query: Record<string, string> = {},
	options: CallOptions = {},
): Promise<{ status: number; headers: Record<string, string>; envelope: Envelope }> {
	const response = await sandbox.handle(signedRequest(sandbox, clock, path, query, options));
	return { status: response.status, headers: response.headers, envelope: parse(response) };
}

/** The token endpoints take everything in the query and no signature (reference §1.3). */
export async function tokenCall(
	sandbox: Sandbox,
	kind: 'get' | 'refresh',
	query: Record<string, string>,
): Promise<Envelope> {
	const response = await sandbox.handle({
		method: 'GET',
		path: `/api/v2/token/${kind}`,
		query: { app_key: sandbox.credentials.appKey, app_secret: sandbox.credentials.appSecret, ...query },
		headers: {},
		body: '',
	});
	return parse(response);
}

export const cents = (value: string): number => parseMinor(value, 'EUR');

/** Σ of the decimal-string leaves of a breakdown object, skipping informational sub-objects. */
export function sumLeaves(values: Record<string, unknown>): number {
	let total = 0;
	for (const value of Object.values(values)) {
		if (typeof value === 'string') total += cents(value);
	}
	return total;
}
