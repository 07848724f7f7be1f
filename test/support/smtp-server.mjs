// A minimal SMTP server on loopback for the end-to-end test of "monthly DATEV batch by email": it accepts mail
// without authentication or TLS (RFC 5321 basics only) and keeps every message so the test can check the
// attachment n8n's Send Email node sent.
import { createServer } from 'node:net';

/** Parses a MIME message into its attachments: [{ fileName, contentType, bytes }]. */
export function attachmentsOf(message) {
	const boundaries = [...message.matchAll(/boundary="?([^";\r\n]+)"?/gi)].map((match) => match[1]);
	const attachments = [];
	for (const boundary of boundaries) {
		for (const part of message.split(`--${boundary}`)) {
			const split = part.indexOf('\r\n\r\n');
			if (split < 0) continue;
			const head = part.slice(0, split);
			const fileName = /filename="?([^";\r\n]+)"?/i.exec(head)?.[1];
			if (!fileName || /boundary=/i.test(head)) continue;
			const body = part.slice(split + 4).replace(/\r\n$/, '');
			const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
			const bytes = encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64') : Buffer.from(body, 'latin1');
			attachments.push({ fileName, contentType: /content-type:\s*([^;\r\n]+)/i.exec(head)?.[1], bytes });
		}
	}
	return attachments;
}

export async function startSmtpServer() {
	const messages = [];
	const server = createServer((socket) => {
		socket.setEncoding('latin1');
		let buffer = '';
		let inData = false;
		let envelope = { from: '', to: [] };
		const reply = (line) => socket.write(`${line}\r\n`);
		reply('220 localhost ESMTP test server');
		socket.on('data', (chunk) => {
			buffer += chunk;
			for (;;) {
				if (inData) {
					const end = buffer.indexOf('\r\n.\r\n');
					if (end < 0) return;
					const data = buffer.slice(0, end).replace(/\r\n\.\./g, '\r\n.');
					buffer = buffer.slice(end + 5);
					inData = false;
					messages.push({ ...envelope, data, attachments: attachmentsOf(data) });
					envelope = { from: '', to: [] };
					reply('250 OK queued');
					continue;
				}
				const newline = buffer.indexOf('\r\n');
				if (newline < 0) return;
				const line = buffer.slice(0, newline);
				buffer = buffer.slice(newline + 2);
				const command = line.slice(0, 4).toUpperCase();
				if (command === 'EHLO') reply('250-localhost\r\n250 8BITMIME');
				else if (command === 'HELO') reply('250 localhost');
				else if (command === 'MAIL') {
					envelope.from = line.slice(10);
					reply('250 OK');
				} else if (command === 'RCPT') {
					envelope.to.push(line.slice(8));
					reply('250 OK');
				} else if (command === 'DATA') {
					inData = true;
					reply('354 End data with <CR><LF>.<CR><LF>');
				} else if (command === 'QUIT') {
					reply('221 Bye');
					socket.end();
					return;
				} else if (command === 'RSET' || command === 'NOOP') reply('250 OK');
				else reply('502 Command not implemented');
			}
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: server.address().port,
		messages,
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}
