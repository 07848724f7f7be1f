import { sleep } from 'n8n-workflow';

import { readAuthorizationState, type StoredCredential } from '../../lib/credential/stored';
import { apiBaseUrl } from '../../lib/credential/token-refresh';
import { TikTokClient, type TikTokClientOptions } from '../../lib/tiktok/client';
import { SHOP_LOOKUP_CAP_MS, ShopDirectory, sleepWithin } from '../../lib/tiktok/shop-choice';

/** The authorized shops of each authorization, shared by every execution in this n8n process. */
const directory = new ShopDirectory(() => Date.now());

/**
 * The client bound to a shop: `wanted` (a node's choice) or else the credential's Shop field, looked up in the
 * authorization's shop list (fetched at most once an hour per authorization, capped in total time).
 */
export async function clientForShop(
	options: TikTokClientOptions,
	credential: StoredCredential,
	wanted: string | undefined,
): Promise<TikTokClient> {
	const client = new TikTokClient(options);
	const sellerId = readAuthorizationState(credential)?.sellerId;
	const lookupClient = new TikTokClient({
		...options,
		sleep: sleepWithin(SHOP_LOOKUP_CAP_MS, options.now, (ms) => sleep(ms)),
	});
	const shop = await directory.shop({
		// Without TikTok's open_id (a credential stored by version 0.1 before its next refresh) nothing is cached.
		authorization: sellerId ? [apiBaseUrl(credential), credential.appKey ?? '', sellerId].join('\u0000') : undefined,
		wanted: wanted || credential.shop,
		lookup: () => lookupClient.authorizedShops(),
	});
	return client.forShop(shop.cipher, { id: shop.id, name: shop.name, region: shop.region });
}
