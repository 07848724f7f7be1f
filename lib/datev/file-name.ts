/**
 * File names of generated batches: `EXTF_Buchungsstapel_<shop>_<YYYY-MM>[_<part>].csv`. The `EXTF_` prefix marks
 * files from third-party programs (DATEV's own exports start with `DTVF`).
 */
import { toCp1252Text } from './cp1252';

const GERMAN_LETTERS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue', ß: 'ss' };
const MAX_SHOP_LENGTH = 40;

/**
 * The shop name reduced to `[A-Za-z0-9-]` so that it is safe on every file system and in e-mail attachments:
 * German umlauts are spelled out, other accents dropped, every other run of characters becomes one `_`.
 */
export function sanitizeShopName(name: string): string {
	const spelledOut = name.replace(/[äöüÄÖÜß]/g, (letter) => GERMAN_LETTERS[letter]);
	const unaccented = toCp1252Text(spelledOut, '_').normalize('NFKD').replace(/\p{M}/gu, '');
	const safe = unaccented
		.replace(/[^A-Za-z0-9-]+/g, '_')
		.slice(0, MAX_SHOP_LENGTH)
		.replace(/^_+|_+$/g, '');
	return safe === '' ? 'Shop' : safe;
}

/** `month` is YYYY-MM; `part` is set only when a month needs more than one file. */
export function buildFileName(shopName: string, month: string, part?: number): string {
	const suffix = part === undefined ? '' : `_${part}`;
	return `EXTF_Buchungsstapel_${sanitizeShopName(shopName)}_${month}${suffix}.csv`;
}
