// Debian's chromium driven by playwright-core, kept on loopback, plus readers that turn n8n editor DOM into plain
// data (parameter labels and values, icons, canvas indicators) so the test asserts on what a user sees. Selectors are
// the data-test-id attributes of n8n 2.41's editor.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	// Loopback only: the editor asks registry.npmjs.org about community packages; such lookups fail fast here
	// instead of leaving the machine.
	'--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

/** Launches chromium with a fresh temporary profile (playwright's launch() always creates one). */
export async function launchChromium() {
	if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: install it with apt-get install -y chromium`);
	return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, timeout: 60_000 });
}

/**
 * A browser context logged in as the owner: POST /rest/login through the context's own request client stores n8n's
 * auth cookie in the context, so every page of it is logged in.
 */
export async function loggedInContext(browser, baseUrl, { email, password }) {
	const context = await browser.newContext({ baseURL: baseUrl, viewport: { width: 1280, height: 800 } });
	const response = await context.request.post('/rest/login', { data: { emailOrLdapLoginId: email, password } });
	if (response.status() !== 200) throw new Error(`POST /rest/login answered ${response.status()}: ${await response.text()}`);
	const cookies = await context.cookies(baseUrl);
	if (!cookies.some((cookie) => cookie.name === 'n8n-auth')) throw new Error('POST /rest/login set no n8n-auth cookie');
	return context;
}

/** Saves a screenshot and the DOM of a page (for a failed check); returns the file stem. */
export async function saveEvidence(page, dir, name) {
	mkdirSync(dir, { recursive: true });
	const stem = join(dir, name.replace(/[^a-z0-9-]+/gi, '-').toLowerCase());
	await page.screenshot({ path: `${stem}.png` }).catch(() => undefined);
	const html = await page.content().catch(() => '');
	writeFileSync(`${stem}.html`, html);
	return stem;
}

/**
 * Every <img> under `root` with what the browser made of it, and the HTTP answer for its src (fetched through the
 * logged-in context): [{ src, complete, naturalWidth, status, contentType }].
 */
export async function imageReport(context, root) {
	const images = await root.locator('img').evaluateAll((elements) =>
		elements.map((img) => ({ src: img.getAttribute('src'), complete: img.complete, naturalWidth: img.naturalWidth })),
	);
	for (const image of images) {
		const response = await context.request.get(image.src);
		image.status = response.status();
		image.contentType = response.headers()['content-type'] ?? '';
	}
	return images;
}

/** True when an image report entry is an SVG that was served and rendered. */
export function isRenderedSvg(image) {
	return (
		image !== undefined &&
		image.complete &&
		image.naturalWidth > 0 &&
		image.status === 200 &&
		image.contentType.startsWith('image/svg+xml')
	);
}

/**
 * The parameters the open node details view (or credential dialog: pass its root) shows, in order:
 * [{ label, value }] where value is the text of a text input, the label of the selected option of a select, or
 * true/false for a switch; notices come as { notice: text }.
 */
export async function readParameters(root) {
	return root.locator('[data-test-id="parameter-item"], [data-test-id="credential-connection-parameter"]').evaluateAll((items) => {
		const visible = (element) => element.getClientRects().length > 0;
		const rows = [];
		for (const item of items) {
			if (!visible(item)) continue;
			// A credential form wraps one parameter; the node view nests collections: only the innermost counts.
			if (item.querySelector('[data-test-id="parameter-item"]')) continue;
			const notice = item.querySelector('[role="alert"], .notice');
			const label = item.querySelector('label');
			if (!label) {
				if (notice) rows.push({ notice: notice.innerText.trim() });
				continue;
			}
			const text = label.innerText.replace(/\*/g, '').replace(/\s+/g, ' ').trim();
			const toggle = item.querySelector('input[role="switch"]');
			const select = item.querySelector('input[role="combobox"]');
			const field = item.querySelector('[data-test-id="parameter-input-field"], textarea');
			let value;
			if (toggle) value = toggle.getAttribute('aria-checked') === 'true';
			else if (select) value = select.value;
			else if (field) value = field.value;
			rows.push({ label: text, value });
		}
		return rows;
	});
}

/** `readParameters` rows as { label: value } (notices left out). */
export function parameterValues(rows) {
	return Object.fromEntries(rows.filter((row) => 'label' in row).map((row) => [row.label, row.value]));
}

/** The nodes on the canvas with their type and every warning n8n can show on one. */
export async function canvasNodes(page) {
	return page.locator('[data-test-id="canvas-node"]').evaluateAll((nodes) =>
		nodes.map((node) => {
			const indicators = [
				'node-issues',
				'node-not-installed',
				'node-restricted',
				'canvas-node-status-warning',
				'parameter-issues',
			].filter((id) => node.querySelector(`[data-test-id="${id}"]`));
			const img = node.querySelector('img');
			return {
				name: node.getAttribute('data-node-name'),
				type: node.getAttribute('data-node-type'),
				indicators,
				icon: img ? { src: img.getAttribute('src'), complete: img.complete, naturalWidth: img.naturalWidth } : undefined,
			};
		}),
	);
}
