import { NodeApiError, NodeOperationError, type INode, type JsonObject } from 'n8n-workflow';

import { TikTokApiError } from '../../lib/tiktok/errors';

/**
 * One place that turns our library errors into n8n errors: TikTok API failures become NodeApiError with TikTok's
 * code and request id (what TikTok support asks for), everything else NodeOperationError naming the item.
 * Library errors are already free of secrets; nothing else is added here.
 */
export function toNodeError(node: INode, error: unknown, itemIndex: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof TikTokApiError) {
		const details = [
			error.code !== undefined ? `TikTok code ${error.code}` : '',
			error.requestId ? `request id ${error.requestId}` : '',
			error.endpoint ? `endpoint ${error.endpoint}` : '',
		].filter(Boolean);
		const message = error.message;
		const description = [error.description, details.join(', ')].filter(Boolean).join(' — ');
		if (error.kind === 'invalid-request') {
			return new NodeOperationError(node, message, { itemIndex, description });
		}
		return new NodeApiError(node, error.toJSON() as JsonObject, {
			message,
			description,
			httpCode: error.httpStatus !== undefined ? String(error.httpStatus) : undefined,
			itemIndex,
		});
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(node, message, { itemIndex });
}
