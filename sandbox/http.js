'use strict';
/*
 * The only part of the sandbox that touches the network: binds the pure handler of sandbox/index.ts to a loopback
 * port. Query values are decoded like TikTok's gateway decodes them (URLSearchParams: "%2B" is "+", a raw "+" is a
 * space), so a client that forgets to URL-encode a page token or signature input fails here as it would there.
 */
const http = require('node:http');

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * @typedef {{ method: string, path: string, query: Record<string, string>, headers: Record<string, string>, body: string }} SandboxRequest
 * @typedef {{ status: number, headers: Record<string, string>, body: string, delayMs?: number }} SandboxResponse
 * @typedef {{ handle(request: SandboxRequest): Promise<SandboxResponse> }} RequestHandler
 */

/**
 * @param {import('node:http').IncomingMessage} incoming
 * @param {string} body
 * @returns {SandboxRequest}
 */
function toSandboxRequest(incoming, body) {
	const url = new URL(incoming.url ?? '/', 'http://sandbox.invalid');
	/** @type {Record<string, string>} */
	const query = {};
	for (const [key, value] of url.searchParams) {
		// The first occurrence wins, like Go's Query().Get that TikTok's own samples use.
		if (!(key in query)) query[key] = value;
	}
	/** @type {Record<string, string>} */
	const headers = {};
	for (const [key, value] of Object.entries(incoming.headers)) {
		if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
	}
	let path = url.pathname;
	try {
		path = decodeURIComponent(path);
	} catch {
		// A malformed escape stays as sent; routing answers 36009009.
	}
	return { method: incoming.method ?? 'GET', path, query, headers, body };
}

/**
 * Serves `sandbox` on a loopback address until `close()` is called.
 * @param {RequestHandler} sandbox
 * @param {{ port?: number, host?: string }} [options]
 * @returns {Promise<{ url: string, close(): Promise<void> }>}
 */
async function listen(sandbox, { port = 0, host = '127.0.0.1' } = {}) {
	if (!LOOPBACK_HOSTS.has(host)) {
		throw new Error(`the sandbox listens on loopback only (127.0.0.1, ::1, localhost), not on "${host}"`);
	}
	/** @type {Set<NodeJS.Timeout>} */
	const timers = new Set();
	const server = http.createServer((incoming, outgoing) => {
		/** @type {Buffer[]} */
		const chunks = [];
		incoming.on('data', (chunk) => chunks.push(chunk));
		incoming.on('end', () => {
			const request = toSandboxRequest(incoming, Buffer.concat(chunks).toString('utf8'));
			sandbox.handle(request).then(
				(response) => {
					const send = () => {
						outgoing.writeHead(response.status, response.headers);
						outgoing.end(response.body);
					};
					if (!response.delayMs || response.delayMs <= 0) return send();
					const timer = setTimeout(() => {
						timers.delete(timer);
						send();
					}, response.delayMs);
					timers.add(timer);
				},
				() => {
					// Never echo the error: it could carry a query string with the app secret.
					outgoing.writeHead(500, { 'content-type': 'text/plain' });
					outgoing.end('sandbox failure');
				},
			);
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => resolve(undefined));
	});
	const address = /** @type {import('node:net').AddressInfo} */ (server.address());
	const hostText = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	return {
		url: `http://${hostText}:${address.port}`,
		close: () =>
			new Promise((resolve) => {
				for (const timer of timers) clearTimeout(timer);
				timers.clear();
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

module.exports = { listen };
