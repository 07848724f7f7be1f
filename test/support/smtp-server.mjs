// A minimal SMTP server on loopback for the end-to-end test of "monthly DATEV batch by email": it accepts mail
// without authentication or TLS (RFC 5321 basics only) and keeps every message so the test can check the
// attachment and the text and HTML bodies n8n's Send Email node sent.
import { createServer } from 'node:net';

/** The leaf parts of a MIME entity, walking nested multiparts by their own boundary: [{ head, body }], body encoded. */
function mimeParts(entity) {
	const split = entity.indexOf('\r\n\r\n');
	if (split < 0) return [];
	const head = entity.slice(0, split);
	const body = entity.slice(split + 4);
	const boundary = /content-type:\s*multipart\/[^\r\n]*(?:\r\n[ \t][^\r\n]*)*?boundary="?([^";\r\n]+)"?/i.exec(head)?.[1];
	if (!boundary) return [{ head, body: body.replace(/\r\n$/, '') }];
	const end = body.indexOf(`--${boundary}--`);
	const sections = (end < 0 ? body : body.slice(0, end)).split(`--${boundary}\r\n`).slice(1);
	return sections.flatMap((section) => mimeParts(section));
}

const header = (head, pattern) => pattern.exec(head)?.[1];

/** Decodes a part body by its Content-Transfer-Encoding (base64, quoted-printable, 7bit/8bit) into bytes. */
function decodePart({ head, body }) {
	const encoding = header(head, /content-transfer-encoding:\s*([\w-]+)/i)?.toLowerCase();
	if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64');
	if (encoding === 'quoted-printable') {
		const joined = body.replace(/=\r?\n/g, '');
		const bytes = [];
		for (let index = 0; index < joined.length; index += 1) {
			const hex = joined.slice(index + 1, index + 3);
			if (joined[index] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
				bytes.push(parseInt(hex, 16));
				index += 2;
			} else bytes.push(joined.charCodeAt(index));
		}
		return Buffer.from(bytes);
	}
	return Buffer.from(body, 'latin1');
}

/** Parses a MIME message into its attachments: [{ fileName, contentType, bytes }]. */
export function attachmentsOf(message) {
	return mimeParts(message)
		.map((part) => ({ part, fileName: header(part.head, /filename="?([^";\r\n]+)"?/i) }))
		.filter(({ fileName }) => fileName)
		.map(({ part, fileName }) => ({ fileName, contentType: header(part.head, /content-type:\s*([^;\r\n]+)/i), bytes: decodePart(part) }));
}

/** The message's text parts that are not attachments (plain text, HTML), decoded: [{ contentType, text }]. */
export function bodiesOf(message) {
	return mimeParts(message)
		.filter((part) => !/filename=/i.test(part.head))
		.map((part) => ({ part, contentType: header(part.head, /content-type:\s*([^;\r\n]+)/i)?.toLowerCase() }))
		.filter(({ contentType }) => contentType?.startsWith('text/'))
		.map(({ part, contentType }) => ({
			contentType,
			text: new TextDecoder(header(part.head, /charset="?([\w-]+)"?/i) ?? 'utf-8').decode(decodePart(part)),
		}));
}

/** `refuse`: how many messages to refuse at the end of DATA (554), as a mail server that is down or full would. */
export async function startSmtpServer({ refuse = 0 } = {}) {
	const messages = [];
	let refusals = refuse;
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
					if (refusals > 0) {
						refusals -= 1;
						envelope = { from: '', to: [] };
						reply('554 Transaction failed: mailbox unavailable (test)');
						continue;
					}
					messages.push({ ...envelope, data, attachments: attachmentsOf(data), bodies: bodiesOf(data) });
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
