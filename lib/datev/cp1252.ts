/**
 * Windows-1252 ("ANSI") encoder and decoder, written here because the verified-node rules forbid runtime
 * dependencies such as iconv-lite, and TextDecoder/TextEncoder only cover UTF-8 everywhere.
 *
 * Bytes 0x00–0x7F and 0xA0–0xFF map to the same Unicode code points (ASCII / Latin-1); 0x80–0x9F hold the
 * Windows extras (€, typographic quotes, dashes, Š, Œ, Ž, …). 0x81, 0x8D, 0x8F, 0x90 and 0x9D are undefined.
 *
 * Text that cannot be encoded is transliterated before encoding (see `toCp1252Text`), so the encoder never
 * writes a byte that stands for a different character.
 */

/** Unicode code points of bytes 0x80–0x9F; -1 = undefined in Windows-1252. */
const HIGH_BLOCK: readonly number[] = [
	0x20ac, -1, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, -1, 0x017d, -1,
	-1, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, -1, 0x017e, 0x0178,
];

/** Code point → byte for the 27 characters of the 0x80–0x9F block. */
const HIGH_BY_CODE_POINT = new Map<number, number>(
	HIGH_BLOCK.flatMap((codePoint, offset) => (codePoint < 0 ? [] : [[codePoint, 0x80 + offset] as [number, number]])),
);

/** Byte value of a code point in Windows-1252, or -1 when the code page has no such character. */
export function cp1252Byte(codePoint: number): number {
	if (codePoint < 0x80 || (codePoint >= 0xa0 && codePoint <= 0xff)) {
		return codePoint;
	}
	return HIGH_BY_CODE_POINT.get(codePoint) ?? -1;
}

export function isCp1252Encodable(codePoint: number): boolean {
	return cp1252Byte(codePoint) >= 0;
}

export class Cp1252Error extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'Cp1252Error';
	}
}

/**
 * Decodes Windows-1252 bytes. Undefined bytes become U+FFFD, or throw with `fatal: true`
 * (the same contract as TextDecoder).
 */
export function decodeCp1252(bytes: Uint8Array, options: { fatal?: boolean } = {}): string {
	const parts: string[] = [];
	// String.fromCharCode on slices keeps large files fast without one giant argument list.
	const SLICE = 8192;
	for (let start = 0; start < bytes.length; start += SLICE) {
		const end = Math.min(start + SLICE, bytes.length);
		const codes = new Array<number>(end - start);
		for (let i = start; i < end; i++) {
			const byte = bytes[i];
			let code = byte;
			if (byte >= 0x80 && byte <= 0x9f) {
				code = HIGH_BLOCK[byte - 0x80];
				if (code < 0) {
					if (options.fatal) {
						throw new Cp1252Error(`byte 0x${byte.toString(16).toUpperCase()} at offset ${i} is undefined in Windows-1252`);
					}
					code = 0xfffd;
				}
			}
			codes[i - start] = code;
		}
		parts.push(String.fromCharCode(...codes));
	}
	return parts.join('');
}

/** What replaces a character that has no Windows-1252 form and no transliteration. */
export const REPLACEMENT = '?';

/**
 * Hand-picked transliterations for characters that NFKD does not reduce to Windows-1252
 * (letters with a stroke, dotless i, typographic punctuation outside the code page, invisible characters).
 */
const TRANSLITERATIONS: Record<number, string> = {
	0x0110: 'D', // Đ
	0x0111: 'd', // đ
	0x0126: 'H', // Ħ
	0x0127: 'h', // ħ
	0x0131: 'i', // ı
	0x0138: 'k', // ĸ
	0x013f: 'L', // Ŀ
	0x0140: 'l', // ŀ
	0x0141: 'L', // Ł
	0x0142: 'l', // ł
	0x014a: 'N', // Ŋ
	0x014b: 'n', // ŋ
	0x0166: 'T', // Ŧ
	0x0167: 't', // ŧ
	0x0180: 'b', // ƀ
	0x0197: 'I', // Ɨ
	0x01b5: 'Z', // Ƶ
	0x01b6: 'z', // ƶ
	0x018f: 'E', // Ə
	0x0259: 'e', // ə
	0x1e9e: 'SS', // ẞ (capital sharp s; the small ß is in the code page)
	0x02b9: "'", // ʹ
	0x02bb: "'", // ʻ
	0x02bc: "'", // ʼ
	0x02bd: "'", // ʽ
	0x02c8: "'", // ˈ
	0x2010: '-', // hyphen
	0x2011: '-', // non-breaking hyphen
	0x2012: '–', // figure dash
	0x2015: '—', // horizontal bar
	0x2043: '-', // hyphen bullet
	0x2212: '-', // minus sign
	0x201b: "'", // ‛
	0x201f: '"', // ‟
	0x2032: "'", // ′
	0x2033: '"', // ″
	0x2035: "'", // ‵
	0x2044: '/', // fraction slash
	0x2215: '/', // division slash
	0x2219: '·', // bullet operator
	0x2023: '•', // triangular bullet
	0x2264: '<=',
	0x2265: '>=',
	0x2260: '!=',
	0x2190: '<-',
	0x2192: '->',
	0x2194: '<->',
};

/** Characters that carry no visible content of their own; dropped instead of becoming '?'. */
function isInvisible(codePoint: number): boolean {
	return (
		codePoint === 0x200b || // zero width space
		codePoint === 0x200c || // zero width non-joiner
		codePoint === 0x200d || // zero width joiner (emoji sequences)
		codePoint === 0x2060 || // word joiner
		codePoint === 0xfeff || // byte order mark
		(codePoint >= 0xfe00 && codePoint <= 0xfe0f) || // variation selectors (emoji presentation)
		(codePoint >= 0x1f3fb && codePoint <= 0x1f3ff) || // emoji skin tone modifiers
		(codePoint >= 0xe0020 && codePoint <= 0xe007f) || // tag characters (flag sequences)
		(codePoint >= 0xe0100 && codePoint <= 0xe01ef) || // variation selectors supplement
		codePoint === 0x20e3 // combining enclosing keycap
	);
}

const COMBINING_MARK = /\p{M}/u;
const REGIONAL_INDICATOR_FIRST = 0x1f1e6;
const REGIONAL_INDICATOR_LAST = 0x1f1ff;

/** Transliteration of one code point that is not in the code page, or undefined when there is none. */
function transliterate(codePoint: number): string | undefined {
	const listed = TRANSLITERATIONS[codePoint];
	if (listed !== undefined) {
		return listed;
	}
	const char = String.fromCodePoint(codePoint);
	if (COMBINING_MARK.test(char)) {
		return '';
	}
	const decomposed = char.normalize('NFKD');
	if (decomposed === char) {
		return undefined;
	}
	let out = '';
	for (const part of decomposed) {
		const partCode = part.codePointAt(0) as number;
		if (COMBINING_MARK.test(part)) {
			continue;
		}
		if (isCp1252Encodable(partCode)) {
			out += part;
			continue;
		}
		const nested = TRANSLITERATIONS[partCode];
		if (nested === undefined) {
			return undefined;
		}
		out += nested;
	}
	return out;
}

function isPlainAscii(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		if (text.charCodeAt(i) >= 0x80) {
			return false;
		}
	}
	return true;
}

/**
 * Returns `text` in a form that Windows-1252 can encode exactly. Rules, in order:
 * 1. The text is NFC-composed first, so "e" + combining acute becomes "é" (which is in the code page).
 * 2. Characters in the code page stay as they are (ä, ß, €, “ ”, –, …).
 * 3. Invisible characters (zero-width joiners, variation selectors, emoji skin tones, BOM) are dropped.
 * 4. A small table handles common letters and punctuation NFKD cannot reduce (ł → l, ẞ → SS, − → -, ′ → ').
 * 5. Otherwise NFKD decomposition with combining marks stripped (ą → a, ő → o, ﬁ → fi, Ａ → A, ½ stays).
 * 6. Anything else (emoji, CJK, Cyrillic, Greek, …) becomes one `replacement` ('?') per character; an emoji
 *    ZWJ sequence or a flag (pair of regional indicators) counts as one character.
 * Lone combining marks that did not compose are dropped.
 */
export function toCp1252Text(text: string, replacement: string = REPLACEMENT): string {
	if (isPlainAscii(text)) {
		return text;
	}
	const composed = text.normalize('NFC');
	let out = '';
	let previousReplaced = false;
	let pendingZwj = false;
	let regionalIndicatorOpen = false;
	for (const char of composed) {
		const codePoint = char.codePointAt(0) as number;
		if (isCp1252Encodable(codePoint)) {
			out += char;
			previousReplaced = false;
			pendingZwj = false;
			regionalIndicatorOpen = false;
			continue;
		}
		if (codePoint >= REGIONAL_INDICATOR_FIRST && codePoint <= REGIONAL_INDICATOR_LAST) {
			// Two regional indicators form one flag; the second one does not add another '?'.
			if (!regionalIndicatorOpen) {
				out += replacement;
			}
			regionalIndicatorOpen = !regionalIndicatorOpen;
			previousReplaced = true;
			continue;
		}
		regionalIndicatorOpen = false;
		if (isInvisible(codePoint)) {
			pendingZwj = codePoint === 0x200d && previousReplaced;
			continue;
		}
		const replaced = transliterate(codePoint);
		if (replaced !== undefined) {
			out += replaced;
			previousReplaced = false;
			pendingZwj = false;
			continue;
		}
		// A character joined by ZWJ to an already replaced emoji belongs to the same symbol.
		if (!pendingZwj) {
			out += replacement;
		}
		previousReplaced = true;
		pendingZwj = false;
	}
	return out;
}

/**
 * Encodes text as Windows-1252 after transliteration (`toCp1252Text`), so every byte written stands for the
 * character shown to the user (or for its documented replacement).
 */
export function encodeCp1252(text: string, replacement: string = REPLACEMENT): Uint8Array {
	const safe = toCp1252Text(text, replacement);
	const bytes = new Uint8Array(safe.length);
	let length = 0;
	for (const char of safe) {
		bytes[length++] = cp1252Byte(char.codePointAt(0) as number);
	}
	return bytes.subarray(0, length);
}

/**
 * Writes text that is already Windows-1252-safe (output of `toCp1252Text`) into `target` at `offset` and returns
 * the new offset. Throws for a character outside the code page instead of writing a wrong byte.
 * `target` must have room for `text.length` bytes.
 */
export function writeCp1252Into(text: string, target: Uint8Array, offset: number): number {
	let position = offset;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		const byte = code < 0x80 ? code : cp1252Byte(code);
		if (byte < 0) {
			throw new Cp1252Error(`U+${code.toString(16).toUpperCase().padStart(4, '0')} is not in Windows-1252`);
		}
		target[position++] = byte;
	}
	return position;
}
