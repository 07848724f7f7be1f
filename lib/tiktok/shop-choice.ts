import { SharedResults } from '../shared-results';
import { authorizedShopsRequest } from './endpoints';
import { TikTokApiError } from './errors';
import type { TikTokShop } from './schemas';

/*
 * Which shop of an authorization a request is for. The credential's Shop field is the default; a node may pass
 * its own choice. The list of authorized shops is fetched once per authorization (TikTok's open_id) and hour in
 * this process, concurrent lookups share one call, and a lookup is capped in total time.
 */

/** How long a fetched shop list is reused. */
export const SHOP_LIST_KEEP_MS = 60 * 60 * 1000;

/** The shop lookup gives up after this long, retries included. */
export const SHOP_LOOKUP_CAP_MS = 60 * 1000;

/** Picks the shop the user named (cipher, id or code), or the only one; otherwise lists the choices. */
export function chooseShop(shops: TikTokShop[], wanted: string | undefined): TikTokShop {
	const describe = (shop: TikTokShop) => `${shop.name} (id ${shop.id}, ${shop.region})`;
	const choice = (wanted ?? '').trim();
	const endpoint = authorizedShopsRequest().path;
	if (choice) {
		const match = shops.find((shop) => shop.cipher === choice || shop.id === choice || shop.code === choice);
		if (match) return match;
		throw new TikTokApiError({
			kind: 'invalid-request',
			endpoint,
			message: `The shop "${choice}" is not authorized for this app. Authorized shops: ${shops.map(describe).join('; ') || 'none'}.`,
			description: 'Enter the shop id or cipher of one of the authorized shops, or leave Shop empty if there is only one.',
		});
	}
	if (shops.length === 1) return shops[0];
	throw new TikTokApiError({
		kind: 'invalid-request',
		endpoint,
		message:
			shops.length === 0
				? 'The authorization covers no shop.'
				: `The authorization covers ${shops.length} shops; choose one in the node's Shop parameter or the credential's Shop field: ${shops.map(describe).join('; ')}.`,
	});
}

/**
 * A sleep for the lookup's retries that refuses to wait past the cap: the client's backoff (and a Retry-After) then
 * ends the lookup with a clear error instead of waiting minutes.
 */
export function sleepWithin(capMs: number, now: () => number, sleep: (ms: number) => Promise<void>): (ms: number) => Promise<void> {
	const deadline = now() + capMs;
	return async (ms) => {
		if (now() + ms > deadline) {
			throw new TikTokApiError({
				kind: 'retries-exhausted',
				endpoint: authorizedShopsRequest().path,
				message: `TikTok's list of authorized shops could not be read within ${Math.round(capMs / 1000)} s.`,
				description: 'TikTok is unavailable or rate limiting this app. Retry later.',
			});
		}
		await sleep(ms);
	};
}

export interface ShopQuery {
	/** Identifies the authorization (e.g. API host, app key and open_id); without one nothing is cached. */
	authorization?: string;
	/** Shop id, cipher or code; empty: the only shop. */
	wanted?: string;
	/** Get Authorized Shops. */
	lookup: () => Promise<TikTokShop[]>;
}

export class ShopDirectory {
	private readonly lists: SharedResults<TikTokShop[]>;

	constructor(now: () => number, keepMs = SHOP_LIST_KEEP_MS) {
		this.lists = new SharedResults(now, keepMs);
	}

	async shop(query: ShopQuery): Promise<TikTokShop> {
		const shops = query.authorization ? await this.lists.run(query.authorization, query.lookup) : await query.lookup();
		return chooseShop(shops, query.wanted);
	}
}
