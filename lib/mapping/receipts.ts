import { z } from 'zod';

import type { StatementRecord } from '../booking';
import type { DeliveryReceipt } from './run';

/*
 * Reading Map to SKR Bookings' delivery receipts back from its output items (Mark as Booked). The items passed
 * through n8n (and possibly through the user's hands), so they are checked like any other input.
 */

const bucketSchema = z.object({
	account: z.string().max(20),
	contraAccount: z.string().max(20),
	taxKey: z.string().max(4),
	euCountry: z.string().max(2).optional(),
	euTaxRate: z.number().int().min(0).max(10000).optional(),
	netMinor: z.number().int().safe(),
});

const recordSchema = z.object({
	statementId: z.string().min(1).max(64),
	fingerprint: z.string().regex(/^[0-9a-f]{16}$/),
	currency: z.string().max(3),
	date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
	settlementMinor: z.number().int().safe(),
	paymentId: z.string().max(64),
	buckets: z.array(bucketSchema).max(10000),
});

const receiptSchema = z.object({
	keys: z.array(z.string().regex(/^(statement|payment|superseded):[^\s]{1,200}$/)).max(1_000_000),
	records: z.array(recordSchema).max(100_000),
});

export interface Receipts {
	keys: string[];
	records: StatementRecord[];
	statements: number;
	payouts: number;
	corrections: number;
}

/** Every receipt in `items` (their `delivery` field), merged; throws naming the item when one is malformed. */
export function receiptsOf(items: readonly unknown[]): Receipts {
	const keys = new Set<string>();
	const records = new Map<string, StatementRecord>();
	items.forEach((item, index) => {
		if (item === null || typeof item !== 'object' || !Object.hasOwn(item, 'delivery')) return;
		const parsed = receiptSchema.safeParse((item as { delivery: unknown }).delivery);
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			throw new Error(`item ${index}: delivery.${issue.path.join('.')}: ${issue.message}`);
		}
		const receipt: DeliveryReceipt = parsed.data;
		for (const key of receipt.keys) keys.add(key);
		for (const record of receipt.records) records.set(record.statementId, record);
	});
	const list = [...keys];
	return {
		keys: list,
		records: [...records.values()],
		statements: list.filter((key) => /^statement:[^#]+$/.test(key)).length,
		payouts: list.filter((key) => key.startsWith('payment:')).length,
		corrections: list.filter((key) => key.startsWith('superseded:')).length,
	};
}
