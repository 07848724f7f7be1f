'use strict';
// A real HTTP `send` for lib/tiktok clients in tests (client helper): plain node:http, loopback only, so
// integration tests talk to the local sandbox over a socket and can never reach the internet.
const http = require('node:http');

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * @param {{ agent?: import('node:http').Agent }} [options]
 * @returns {(request: { method: string, url: string, headers: Record<string, string>, body?: string, timeoutMs?: number }) =>
 *   Promise<{ status: number, headers: Record<string, string | string[] | undefined>, body: string }>}
 */
function loopbackSend(options = {}) {
	const agent = options.agent ?? new http.Agent({ keepAlive: true, maxSockets: 16 });
	return (request) =>
		new Promise((resolve, reject) => {
			const url = new URL(request.url);
			if (url.protocol !== 'http:' || !LOOPBACK.has(url.hostname)) {
				reject(new Error(`loopbackSend refuses non-loopback URL host ${url.hostname}`));
				return;
			}
			const outgoing = http.request(
				url,
				{ method: request.method, headers: request.headers, agent },
				(response) => {
					const chunks = [];
					response.on('data', (chunk) => chunks.push(chunk));
					response.on('end', () =>
						resolve({
							status: response.statusCode ?? 0,
							headers: response.headers,
							body: Buffer.concat(chunks).toString('utf8'),
						}),
					);
					response.on('error', reject);
				},
			);
			outgoing.on('error', reject);
			if (request.timeoutMs) {
				// Like axios, which n8n uses: an idle socket ends the request with ECONNABORTED.
				outgoing.setTimeout(request.timeoutMs, () =>
					outgoing.destroy(Object.assign(new Error(`timeout of ${request.timeoutMs}ms exceeded`), { code: 'ECONNABORTED' })),
				);
			}
			if (request.body !== undefined) outgoing.write(request.body);
			outgoing.end();
		});
}

module.exports = { loopbackSend };
