// n8n's credential editor, replayed against a real `n8n start` over its REST API: the same requests with the same
// payloads as n8n-editor-ui 2.41 (useCredentialForm.ts, CredentialEdit.vue), read from the editor bundle:
// - a dialog that loads a credential takes GET /rest/credentials/:id?includeData=true, drops '' values and fills
//   every property that is missing with its default; a new dialog starts from the defaults;
// - Save sends only values that differ from the defaults (NodeHelpers.getNodeParameters(props, copy, false, false))
//   by POST (new) or PATCH, then tests the credential with its full copy;
// - Test and Retry POST /rest/credentials/test { credentials: { id, name, type, data: copy } }.
// Workflows are run like the editor's "Execute workflow" (POST /rest/workflows/:id/run) and awaited.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const { NodeHelpers } = createRequire(import.meta.url)('n8n-workflow');

/** A logged-in REST client of one n8n server (the owner's auth cookie). */
export async function restClient(baseUrl, { email, password }) {
	const login = await fetch(`${baseUrl}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: email, password }),
	});
	if (login.status !== 200) throw new Error(`POST /rest/login answered ${login.status}: ${await login.text()}`);
	const cookie = login.headers.getSetCookie().find((value) => value.startsWith('n8n-auth='))?.split(';')[0];
	if (!cookie) throw new Error('POST /rest/login set no n8n-auth cookie');
	return async function call(method, path, body) {
		const response = await fetch(`${baseUrl}/rest${path}`, {
			method,
			headers: { cookie, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (response.status >= 300) throw new Error(`${method} /rest${path} answered ${response.status}: ${text.slice(0, 500)}`);
		return text ? JSON.parse(text).data : undefined;
	};
}

/** One credential dialog of the editor, for a credential type described by `properties`. */
export function credentialDialog(rest, { type, properties }) {
	const defaults = () => Object.fromEntries(properties.map((property) => [property.name, property.default]));
	let copy = {};
	let id;
	let name;
	const dialog = {
		get id() {
			return id;
		},
		get copy() {
			return copy;
		},
		/** A new dialog: the defaults, then what the user types. */
		create(credentialName, typed) {
			name = credentialName;
			copy = { ...defaults(), ...typed };
			return dialog;
		},
		/** A dialog opened on a stored credential; n8n tests it right away (returns that test's result). */
		async open(credentialId) {
			id = credentialId;
			const loaded = await rest('GET', `/credentials/${credentialId}?includeData=true`);
			name = loaded.name;
			const data = Object.fromEntries(Object.entries(loaded.data ?? {}).filter(([, value]) => value !== ''));
			copy = { ...defaults(), ...data };
			return dialog.test();
		},
		type(changes) {
			copy = { ...copy, ...changes };
		},
		/** Save, then the test the editor runs after saving (`withTest: false`: the user closed the dialog first). */
		async save({ withTest = true } = {}) {
			const data = NodeHelpers.getNodeParameters(properties, copy, false, false, null, null) ?? {};
			const body = { name, type, data, isGlobal: false, isResolvable: false };
			const saved = id === undefined ? await rest('POST', '/credentials', body) : await rest('PATCH', `/credentials/${id}`, { id, ...body });
			id = saved.id;
			return withTest ? dialog.test() : undefined;
		},
		/** "Test" and "Retry": the same copy again. */
		async test() {
			return rest('POST', '/credentials/test', { credentials: { id, name, type, data: copy } });
		},
	};
	return dialog;
}

/**
 * Runs a workflow from its manual trigger in the server and waits for the end: { status, error } (error: the
 * message of the node error, if any).
 */
export async function runWorkflow(rest, runtimeDir, workflowId, triggerName, { timeoutMs = 120_000 } = {}) {
	const { parse } = createRequire(join(runtimeDir, 'node_modules', 'n8n', 'package.json'))('flatted');
	const started = await rest('POST', `/workflows/${workflowId}/run`, { triggerToStartFrom: { name: triggerName } });
	const began = Date.now();
	while (Date.now() - began < timeoutMs) {
		const execution = await rest('GET', `/executions/${started.executionId}`);
		if (execution && !['new', 'running', 'waiting'].includes(execution.status)) {
			const data = typeof execution.data === 'string' ? parse(execution.data) : execution.data;
			return { status: execution.status, error: data?.resultData?.error?.message, run: data };
		}
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`execution ${started.executionId} of ${workflowId} did not finish within ${timeoutMs} ms`);
}
