// A workflow with Statement ID and Order ID in every form a saved workflow can hold them: a plain string (workflows
// saved with 0.1, before the parameters became resource locators) and resource locator values picked "From list"
// and typed "By ID". Built per test run because the ids come from the sandbox shop.
import assert from 'node:assert/strict';

import { nodeItems } from '../../scripts/e2e/n8n-cli.mjs';
import { TIKTOK_CREDENTIAL_ID } from '../../scripts/e2e/scenario.mjs';

export const LOCATOR_WORKFLOW_ID = 'tiktokLocatorForms';

const credentials = { tikTokPaymentsOAuthApi: { id: TIKTOK_CREDENTIAL_ID, name: 'TikTok Payments OAuth API' } };

/** Node names → the saved parameter value they use. */
export function locatorForms({ statementId, orderId }) {
	return {
		'Statement (0.1 string)': { resource: 'statement', parameter: 'statementId', value: statementId },
		'Statement (from list)': {
			resource: 'statement',
			parameter: 'statementId',
			value: { __rl: true, mode: 'list', value: statementId, cachedResultName: 'picked in the editor' },
		},
		'Order (0.1 string)': { resource: 'order', parameter: 'orderId', value: orderId },
		'Order (by ID)': { resource: 'order', parameter: 'orderId', value: { __rl: true, mode: 'id', value: orderId } },
	};
}

export function locatorWorkflow(ids) {
	const forms = Object.entries(locatorForms(ids));
	const trigger = { id: 'locator-trigger', name: 'Run', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
	const nodes = forms.map(([name, form], index) => ({
		id: `locator-${index}`,
		name,
		type: 'n8n-nodes-tiktok-payments.tikTokPayments',
		typeVersion: 1,
		position: [300, index * 160],
		parameters: { resource: form.resource, operation: 'getTransactions', [form.parameter]: form.value, returnAll: true },
		credentials,
	}));
	return {
		id: LOCATOR_WORKFLOW_ID,
		name: 'Statement ID and Order ID in every saved form',
		nodes: [trigger, ...nodes],
		connections: { Run: { main: [nodes.map((node) => ({ node: node.name, type: 'main', index: 0 }))] } },
		settings: { executionOrder: 'v1' },
		active: false,
		pinData: {},
		tags: [],
	};
}

/** A statement of the shop with at least one order, and one of its orders. */
export function sampleIds(sandbox) {
	for (const statement of sandbox.data.statements) {
		const order = sandbox.data.statementTransactions(statement.id)?.transactions.find((transaction) => transaction.order_id);
		if (order) return { statementId: statement.id, orderId: order.order_id };
	}
	throw new Error('the sandbox shop has no statement with an order');
}

/** Every node of the executed locator workflow returned the transactions of the same statement / order. */
export function assertLocatorRun(result, sandbox, ids) {
	assert.equal(result.status, 'success', JSON.stringify(result.error));
	const statementTransactions = sandbox.data.statementTransactions(ids.statementId).transactions.map((transaction) => transaction.id).sort();
	for (const [name, form] of Object.entries(locatorForms(ids))) {
		const items = nodeItems(result.run, name);
		if (form.resource === 'statement') {
			assert.deepEqual(items.map((item) => item.id).sort(), statementTransactions, `${name}: not the statement's transactions`);
		} else {
			assert.deepEqual(items.map((item) => item.order_id), [ids.orderId], `${name}: not the order`);
		}
	}
}
