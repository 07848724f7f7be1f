'use strict';
// A TCP server on loopback that accepts connections and never answers: what a hung TikTok connection looks like to
// a client. Counts the connections, so a test can tell how often the client tried.
const net = require('node:net');

/** @returns {Promise<{ url: string, connections: () => number, close(): Promise<void> }>} */
async function startHungServer() {
	const sockets = new Set();
	let connections = 0;
	const server = net.createServer((socket) => {
		connections += 1;
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => undefined);
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve(undefined));
	});
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${port}`,
		connections: () => connections,
		close: () =>
			new Promise((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve(undefined));
			}),
	};
}

module.exports = { startHungServer };
