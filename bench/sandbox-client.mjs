// The TikTok client as TikTok Payments builds it (signing, tokens, the adaptive rate limit), pointed at a bench
// sandbox process (bench/sandbox-child.mjs); shared by bench 2's rate runs and its memory rounds.
import { createSigningAuth, TikTokClient } from './ts-modules.mjs';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function sandboxClient({ sandbox, send, tokenManager, now, rateLimiter, requestsPerSecond }) {
	return new TikTokClient({
		appKey: sandbox.appKey,
		send,
		auth: createSigningAuth({ appKey: sandbox.appKey, appSecret: sandbox.appSecret, tokenManager, now }),
		now,
		sleep,
		baseUrl: sandbox.url,
		shopCipher: sandbox.shopCipher,
		requestsPerSecond,
		rateLimiter,
	});
}
