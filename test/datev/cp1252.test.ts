import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
	Cp1252Error,
	cp1252Byte,
	decodeCp1252,
	encodeCp1252,
	isCp1252Encodable,
	toCp1252Text,
	writeCp1252Into,
} from '../../lib/datev/cp1252';

const UNDEF = -1;

/**
 * Windows-1252 per the Unicode consortium's mapping table (MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1252.TXT):
 * byte → Unicode code point, UNDEF for the five unassigned bytes.
 */
const CP1252: readonly number[] = [
	0x0000, 0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, // 0x00
	0x0008, 0x0009, 0x000a, 0x000b, 0x000c, 0x000d, 0x000e, 0x000f, // 0x08
	0x0010, 0x0011, 0x0012, 0x0013, 0x0014, 0x0015, 0x0016, 0x0017, // 0x10
	0x0018, 0x0019, 0x001a, 0x001b, 0x001c, 0x001d, 0x001e, 0x001f, // 0x18
	0x0020, 0x0021, 0x0022, 0x0023, 0x0024, 0x0025, 0x0026, 0x0027, // 0x20
	0x0028, 0x0029, 0x002a, 0x002b, 0x002c, 0x002d, 0x002e, 0x002f, // 0x28
	0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037, // 0x30
	0x0038, 0x0039, 0x003a, 0x003b, 0x003c, 0x003d, 0x003e, 0x003f, // 0x38
	0x0040, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047, // 0x40
	0x0048, 0x0049, 0x004a, 0x004b, 0x004c, 0x004d, 0x004e, 0x004f, // 0x48
	0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057, // 0x50
	0x0058, 0x0059, 0x005a, 0x005b, 0x005c, 0x005d, 0x005e, 0x005f, // 0x58
	0x0060, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067, // 0x60
	0x0068, 0x0069, 0x006a, 0x006b, 0x006c, 0x006d, 0x006e, 0x006f, // 0x68
	0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077, // 0x70
	0x0078, 0x0079, 0x007a, 0x007b, 0x007c, 0x007d, 0x007e, 0x007f, // 0x78
	0x20ac, UNDEF, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, // 0x80
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, UNDEF, 0x017d, UNDEF, // 0x88
	UNDEF, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, // 0x90
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, UNDEF, 0x017e, 0x0178, // 0x98
	0x00a0, 0x00a1, 0x00a2, 0x00a3, 0x00a4, 0x00a5, 0x00a6, 0x00a7, // 0xA0
	0x00a8, 0x00a9, 0x00aa, 0x00ab, 0x00ac, 0x00ad, 0x00ae, 0x00af, // 0xA8
	0x00b0, 0x00b1, 0x00b2, 0x00b3, 0x00b4, 0x00b5, 0x00b6, 0x00b7, // 0xB0
	0x00b8, 0x00b9, 0x00ba, 0x00bb, 0x00bc, 0x00bd, 0x00be, 0x00bf, // 0xB8
	0x00c0, 0x00c1, 0x00c2, 0x00c3, 0x00c4, 0x00c5, 0x00c6, 0x00c7, // 0xC0
	0x00c8, 0x00c9, 0x00ca, 0x00cb, 0x00cc, 0x00cd, 0x00ce, 0x00cf, // 0xC8
	0x00d0, 0x00d1, 0x00d2, 0x00d3, 0x00d4, 0x00d5, 0x00d6, 0x00d7, // 0xD0
	0x00d8, 0x00d9, 0x00da, 0x00db, 0x00dc, 0x00dd, 0x00de, 0x00df, // 0xD8
	0x00e0, 0x00e1, 0x00e2, 0x00e3, 0x00e4, 0x00e5, 0x00e6, 0x00e7, // 0xE0
	0x00e8, 0x00e9, 0x00ea, 0x00eb, 0x00ec, 0x00ed, 0x00ee, 0x00ef, // 0xE8
	0x00f0, 0x00f1, 0x00f2, 0x00f3, 0x00f4, 0x00f5, 0x00f6, 0x00f7, // 0xF0
	0x00f8, 0x00f9, 0x00fa, 0x00fb, 0x00fc, 0x00fd, 0x00fe, 0x00ff, // 0xF8
];

describe('Windows-1252 code page', () => {
	it('has 256 entries with exactly 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined', () => {
		expect(CP1252).toHaveLength(256);
		const undefinedBytes = CP1252.flatMap((codePoint, byte) => (codePoint === UNDEF ? [byte] : []));
		expect(undefinedBytes).toEqual([0x81, 0x8d, 0x8f, 0x90, 0x9d]);
	});

	it('decodes every byte to the code point of the standard table', () => {
		const all = Uint8Array.from({ length: 256 }, (_, byte) => byte);
		const decoded = decodeCp1252(all);
		expect(decoded).toHaveLength(256);
		for (let byte = 0; byte < 256; byte++) {
			const expected = CP1252[byte] === UNDEF ? 0xfffd : CP1252[byte];
			expect([byte, decoded.charCodeAt(byte)]).toEqual([byte, expected]);
		}
	});

	it('encodes every defined code point to its byte', () => {
		for (let byte = 0; byte < 256; byte++) {
			const codePoint = CP1252[byte];
			if (codePoint === UNDEF) continue;
			expect([codePoint, cp1252Byte(codePoint)]).toEqual([codePoint, byte]);
			expect(Array.from(encodeCp1252(String.fromCodePoint(codePoint)))).toEqual([byte]);
		}
	});

	it('round-trips every defined byte', () => {
		const defined = Uint8Array.from(CP1252.flatMap((codePoint, byte) => (codePoint === UNDEF ? [] : [byte])));
		expect(defined).toHaveLength(251);
		expect(Array.from(encodeCp1252(decodeCp1252(defined, { fatal: true })))).toEqual(Array.from(defined));
	});

	it('knows no other code points', () => {
		const inTable = new Set(CP1252.filter((codePoint) => codePoint !== UNDEF));
		for (let codePoint = 0; codePoint <= 0x2200; codePoint++) {
			expect([codePoint, isCp1252Encodable(codePoint)]).toEqual([codePoint, inTable.has(codePoint)]);
		}
		// The C1 controls have no place in Windows-1252 (unlike ISO-8859-1).
		expect(isCp1252Encodable(0x81)).toBe(false);
		expect(isCp1252Encodable(0x1f600)).toBe(false);
	});

	it('rejects undefined bytes when decoding with fatal: true', () => {
		for (const byte of [0x81, 0x8d, 0x8f, 0x90, 0x9d]) {
			expect(() => decodeCp1252(Uint8Array.of(0x41, byte), { fatal: true })).toThrow(Cp1252Error);
		}
		expect(() => decodeCp1252(Uint8Array.of(0x8d), { fatal: true })).toThrow('0x8D at offset 0');
	});

	it('decodes large inputs (beyond one String.fromCharCode slice)', () => {
		const bytes = new Uint8Array(100_000).fill(0x80);
		bytes[99_999] = 0x41;
		const text = decodeCp1252(bytes);
		expect(text).toHaveLength(100_000);
		expect(text.slice(-2)).toBe('€A');
	});

	it('writeCp1252Into refuses characters outside the code page instead of writing a wrong byte', () => {
		const target = new Uint8Array(4);
		expect(writeCp1252Into('€a', target, 1)).toBe(3);
		expect(Array.from(target)).toEqual([0, 0x80, 0x61, 0]);
		expect(() => writeCp1252Into('ł', target, 0)).toThrow(Cp1252Error);
		expect(() => writeCp1252Into('😀', target, 0)).toThrow(Cp1252Error);
	});
});

describe('transliteration (toCp1252Text / encodeCp1252)', () => {
	it.each([
		['German stays as it is', 'Grüße aus Köln – „Straße“ 5 €', 'Grüße aus Köln – „Straße“ 5 €'],
		['smart punctuation in the code page stays', '‘single’ “double” … • — ‰ ™ ‹›', '‘single’ “double” … • — ‰ ™ ‹›'],
		['Polish (ó is in the code page)', 'Łódź, Gdańsk, Żółć, Kraków, ąęśćń', 'Lódz, Gdansk, Zólc, Kraków, aescn'],
		['Czech (š ž in the code page, others decomposed)', 'Děkuji, Šťastný Žluťoučký kůň', 'Dekuji, Štastný Žlutoucký kun'],
		['Hungarian double acute', 'Erdős Ő ű', 'Erdos O u'],
		['Turkish dotless i and ğ', 'Işık ağacı', 'Isik agaci'],
		['Croatian đ / Đ', 'Đakovo đak', 'Dakovo dak'],
		['Romanian comma below', 'Țară Ș', 'Tara S'],
		['capital sharp s', 'STRAẞE', 'STRASSE'],
		['ligatures and full width', 'ﬁne Ａ１', 'fine A1'],
		['typographic characters outside the code page', 'a‐b − c ′ ″ x⁄y', "a-b - c ' \" x/y"],
		['vulgar fraction via NFKD and fraction slash', '⅓ ½', '1/3 ½'],
		['decomposed input is composed first', 'Cafe\u0301', 'Café'],
		['lone combining marks are dropped', 'q\u0303', 'q'],
		['non-breaking and thin spaces', 'a\u202fb\u2009c\u00a0d', 'a b c\u00a0d'],
		['zero width characters and BOM are dropped', '\ufeffa\u200bb', 'ab'],
	])('%s', (_name, input, expected) => {
		expect(toCp1252Text(input)).toBe(expected);
	});

	it('replaces CJK, Cyrillic and Greek with one ? per character', () => {
		expect(toCp1252Text('注文 123')).toBe('?? 123');
		expect(toCp1252Text('株式会社ティックトック')).toBe('???????????');
		expect(toCp1252Text('Москва')).toBe('??????');
		expect(toCp1252Text('Αθήνα')).toBe('?????');
		expect(toCp1252Text('㈱')).toBe('?');
	});

	it('replaces an emoji, including ZWJ sequences, flags, skin tones and keycaps, by one ?', () => {
		expect(toCp1252Text('Danke 😀!')).toBe('Danke ?!');
		expect(toCp1252Text('👍🏽 ok')).toBe('? ok');
		expect(toCp1252Text('Familie 👨‍👩‍👧 da')).toBe('Familie ? da');
		expect(toCp1252Text('🇩🇪🇫🇷')).toBe('??');
		expect(toCp1252Text('❤️')).toBe('?');
		expect(toCp1252Text('1️⃣')).toBe('1');
		expect(toCp1252Text('😀😀')).toBe('??');
	});

	it('replaces lone surrogates and C1 controls', () => {
		expect(toCp1252Text('a\ud800b')).toBe('a?b');
		expect(toCp1252Text('a\u0085b')).toBe('a?b');
	});

	it('uses the replacement given by the caller', () => {
		expect(toCp1252Text('Shop 🛍 東京', '_')).toBe('Shop _ __');
	});

	it('encodes transliterated text to the expected bytes', () => {
		expect(Array.from(encodeCp1252('Łódź €'))).toEqual([0x4c, 0xf3, 0x64, 0x7a, 0x20, 0x80]);
		expect(Array.from(encodeCp1252('漢😀'))).toEqual([0x3f, 0x3f]);
	});

	it('never produces a character outside Windows-1252, for any input', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
				const safe = toCp1252Text(text);
				for (const char of safe) {
					if (!isCp1252Encodable(char.codePointAt(0) as number)) return false;
				}
				// Encoding is exact for safe text: decoding gives it back.
				return decodeCp1252(encodeCp1252(text), { fatal: true }) === safe;
			}),
			{ numRuns: 500 },
		);
	});

	it('leaves text that is already Windows-1252 unchanged', () => {
		const cp1252Char = fc.constantFrom(...CP1252.filter((codePoint) => codePoint !== UNDEF).map((codePoint) => String.fromCodePoint(codePoint)));
		fc.assert(
			fc.property(fc.array(cp1252Char, { maxLength: 40 }), (chars) => {
				const text = chars.join('');
				// NFC composition is the one change: cp1252 holds no combining marks, so composed text is stable.
				return toCp1252Text(text) === text;
			}),
			{ numRuns: 300 },
		);
	});
});
