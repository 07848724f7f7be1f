/*
 * One call per key inside this n8n process, shared by everyone who asks while it runs and for a while after
 * (checked against the clock when the map is used; no timers). Used for token calls (TikTok accepts each refresh
 * token and each code once, so two executions refreshing the same authorization at the same moment must share one
 * call) and for the authorized-shops lookup (one per authorization and hour).
 *
 * Token calls form chains: a result carries the next refresh token. A caller that arrives late with a token just
 * redeemed (it read the credential before n8n had stored the new one) follows the chain to the newest result
 * instead of being rejected by TikTok. Such results are kept briefly only, because one handed out long after could
 * overwrite a newer state another n8n process has stored meanwhile.
 */

interface Entry<T> {
	result: Promise<T>;
	settledAt?: number;
}

/** How many rotations a late caller is carried forward at most. */
const MAX_HOPS = 8;

export class SharedResults<T> {
	private readonly entries = new Map<string, Entry<T>>();

	constructor(
		private readonly now: () => number,
		/** How long a settled result is handed to late callers. */
		private readonly keepMs: number,
	) {}

	/**
	 * The result of `call` for `key`, shared with every caller of the same key while it runs and for `keepMs`
	 * afterwards. `keyOfResult` names the key a caller would use with the result (for tokens: its new refresh
	 * token); a late caller follows that chain to the newest result. A failed call is forgotten at once, so the next
	 * caller tries again.
	 */
	async run(key: string, call: () => Promise<T>, keyOfResult: (result: T) => string = () => ''): Promise<T> {
		this.forgetOld();
		const known = this.entries.get(key);
		if (known) return this.newest(await known.result, keyOfResult, 0);
		const entry: Entry<T> = { result: call() };
		this.entries.set(key, entry);
		entry.result.then(
			() => {
				entry.settledAt = this.now();
			},
			() => {
				if (this.entries.get(key) === entry) this.entries.delete(key);
			},
		);
		return entry.result;
	}

	private async newest(result: T, keyOfResult: (result: T) => string, hops: number): Promise<T> {
		const next = this.entries.get(keyOfResult(result));
		if (!next || hops >= MAX_HOPS) return result;
		try {
			return await this.newest(await next.result, keyOfResult, hops + 1);
		} catch {
			return result;
		}
	}

	private forgetOld(): void {
		const now = this.now();
		for (const [key, entry] of this.entries) {
			if (entry.settledAt !== undefined && now - entry.settledAt > this.keepMs) this.entries.delete(key);
		}
	}
}
