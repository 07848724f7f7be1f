// Chromium (Debian's, see scripts/chromium.mjs) driven by playwright-core, kept on loopback, plus readers that turn n8n editor DOM into plain
// data (parameter labels and values, icons, canvas indicators) so the test asserts on what a user sees. Selectors are
// the data-test-id attributes of n8n 2.41's editor.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { ensureChromium } from '../../../scripts/chromium.mjs';

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
	return chromium.launch({ executablePath: ensureChromium(), headless: true, args: CHROMIUM_FLAGS, timeout: 60_000 });
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
 * The <img> elements `images` matches, with what the browser made of each and the HTTP answer for its src (fetched
 * through the logged-in context): [{ src, complete, naturalWidth, status, contentType }].
 */
export async function imageReport(context, images, { timeoutMs = 10_000 } = {}) {
	// An <img> renders a moment after its element: wait until each has loaded or failed (or the time is up).
	const began = Date.now();
	while (Date.now() - began < timeoutMs) {
		const settled = await images.evaluateAll((elements) => elements.every((img) => img.complete));
		if (settled) break;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	const report = await images.evaluateAll((elements) =>
		elements.map((img) => ({ src: img.getAttribute('src'), complete: img.complete, naturalWidth: img.naturalWidth })),
	);
	for (const image of report) {
		const response = await context.request.get(image.src);
		image.status = response.status();
		image.contentType = response.headers()['content-type'] ?? '';
	}
	return report;
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
 * The parameters shown under `root` (the node details view's parameter list or the credential dialog), in order:
 * [{ label, value }] where value is the text of a text input, the label of the selected option of a select, or
 * true/false for a switch; each visible notice comes as { notice: text }.
 */
export async function readParameters(root) {
	return root.evaluate((rootElement) => {
		const visible = (element) => element.getClientRects().length > 0;
		const rows = [];
		for (const label of rootElement.querySelectorAll('label')) {
			// The label's first span holds the display name (and "*" when required); the Fixed/Expression switch sits
			// in the label too, so the rest of its text is left out.
			const name = label.querySelector('span');
			if (!name || !visible(label)) continue;
			// The parameter's box: the largest ancestor holding no other label (the credential select and the first
			// parameter share one wrapper; a collection holds the labels of its options).
			let box = label;
			while (box.parentElement && box.parentElement !== rootElement && box.parentElement.querySelectorAll('label').length === 1) {
				box = box.parentElement;
			}
			const toggle = box.querySelector('input[role="switch"]');
			const select = box.querySelector('input[role="combobox"]');
			const field = box.querySelector('[data-test-id="parameter-input-field"], textarea');
			let value;
			if (toggle) value = toggle.getAttribute('aria-checked') === 'true';
			else if (select) value = select.value;
			else if (field) value = field.value;
			rows.push({ label: name.innerText.replace(/\*/g, '').replace(/\s+/g, ' ').trim(), value });
		}
		for (const notice of rootElement.querySelectorAll('[role="alert"]')) {
			if (visible(notice)) rows.push({ notice: notice.innerText.trim() });
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
