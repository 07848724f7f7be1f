/**
 * The shop a DATEV file is for. TikTok Payments names the shop in every record it outputs (`shop_name`, since the
 * Shop parameter lets one authorization serve several shops); the file name and the Bezeichnung carry it unless the
 * user set them explicitly.
 */
import { LETTERS } from './header';
import { MAX_LABEL_LENGTH } from './settings';

const NOT_IN_DESCRIPTION = new RegExp(`[^${LETTERS}0-9_./ ]+`, 'g');

/**
 * The one shop name the items carry, or undefined when none carries one (older or raw items) or they name several
 * shops (a file for several shops is named by the node's options, not after one of them).
 */
export function shopNameOfItems(items: readonly unknown[]): string | undefined {
	let found: string | undefined;
	for (const item of items) {
		const name = item !== null && typeof item === 'object' ? (item as { shop_name?: unknown }).shop_name : undefined;
		if (typeof name !== 'string' || name.trim() === '') continue;
		if (found !== undefined && found !== name) return undefined;
		found = name;
	}
	return found;
}

/**
 * A Bezeichnung label from a shop name: only what DATEV allows there (letters, digits, blanks, `_ . /`), at most
 * MAX_LABEL_LENGTH characters; undefined when nothing is left.
 */
export function labelOfShop(name: string): string | undefined {
	const label = name.replace(NOT_IN_DESCRIPTION, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_LABEL_LENGTH).trim();
	return label === '' ? undefined : label;
}

export interface ShopNaming {
	/** File names (sanitised by buildFileName). */
	shopName: string;
	/** Start of the Bezeichnung. */
	label: string;
}

/** What the user set wins; else the items' shop; else the defaults. */
export function shopNaming(
	explicit: { shopName?: string; label?: string },
	items: readonly unknown[],
	defaults: ShopNaming,
): ShopNaming {
	const shop = shopNameOfItems(items);
	return {
		shopName: explicit.shopName ?? shop ?? defaults.shopName,
		label: explicit.label ?? (shop === undefined ? undefined : labelOfShop(shop)) ?? defaults.label,
	};
}
