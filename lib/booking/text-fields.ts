/**
 * Templates and DATEV's rules for the text fields of a booking line (datev-extf.md §1.4):
 * Belegfeld 1/2 allow only letters, digits and `$ % - /` (DATEV's documented set `$ & % * + - /` intersected with
 * the regex its importer applies, `[\w$%\-\/]`; the same set the DATEV writer checks); Buchungstext is free text
 * up to 60 characters.
 */

import { REPLACEMENT, toCp1252Text } from '../datev/cp1252';
import { neutraliseFormula } from '../datev/text-safety';

export const TEMPLATE_PLACEHOLDERS = [
	'statementId',
	'orderId',
	'transactionId',
	'adjustmentId',
	'type',
	'paymentId',
	'date',
	'label',
	'reference',
	'currency',
] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];
export type TemplateValues = Partial<Record<TemplatePlaceholder, string>>;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Placeholders in `template` that the engine does not know, so that settings can reject typos up front. */
export function unknownPlaceholders(template: string): string[] {
	const unknown: string[] = [];
	for (const match of template.matchAll(PLACEHOLDER)) {
		const name = match[1];
		if (!(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name) && !unknown.includes(name)) {
			unknown.push(name);
		}
	}
	return unknown;
}

/** A template as literal text and placeholders, so that rendering it for every line needs no regex. */
type CompiledTemplate = ReadonlyArray<string | { name: TemplatePlaceholder }>;

const compiledTemplates = new Map<string, CompiledTemplate>();
/** Templates come from the node's settings, a handful per run; the bound only keeps a long-lived process lean. */
const MAX_COMPILED_TEMPLATES = 64;

function compileTemplate(template: string): CompiledTemplate {
	let compiled = compiledTemplates.get(template);
	if (compiled) return compiled;
	const parts: Array<string | { name: TemplatePlaceholder }> = [];
	let last = 0;
	for (const match of template.matchAll(PLACEHOLDER)) {
		const name = match[1];
		// An unknown placeholder stays as written.
		if (!(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name)) continue;
		if (match.index > last) parts.push(template.slice(last, match.index));
		parts.push({ name: name as TemplatePlaceholder });
		last = match.index + match[0].length;
	}
	if (last < template.length) parts.push(template.slice(last));
	compiled = parts;
	if (compiledTemplates.size >= MAX_COMPILED_TEMPLATES) compiledTemplates.clear();
	compiledTemplates.set(template, compiled);
	return compiled;
}

/** Replaces `{name}` with its value; a placeholder without a value becomes empty. */
export function renderTemplate(template: string, values: TemplateValues): string {
	let text = '';
	for (const part of compileTemplate(template)) {
		text += typeof part === 'string' ? part : (values[part.name] ?? '');
	}
	return text;
}

export const DOCUMENT_FIELD1_MAX = 36;
export const DOCUMENT_FIELD2_MAX = 12;
export const TEXT_MAX = 60;
export const ORDER_NUMBER_MAX = 30;
export const SETTLEMENT_REFERENCE_MAX = 50;

const TRANSLITERATION: Record<string, string> = {
	ä: 'ae',
	ö: 'oe',
	ü: 'ue',
	Ä: 'Ae',
	Ö: 'Oe',
	Ü: 'Ue',
	ß: 'ss',
};

/** A text field as the engine writes it, and whether making it DATEV-safe changed its content. */
export interface SafeText {
	text: string;
	/** Transliterated to Windows-1252, or a formula start neutralised (not counted: blanks, `;`, cutting). */
	adjusted: boolean;
	/** Characters Windows-1252 cannot show (emoji, CJK, …) became "?": information was lost. */
	replaced: boolean;
}

/**
 * Normalises a Belegfeld value to DATEV's character set. The rule must be the same wherever an invoice number is
 * written, or OPOS will not match: umlauts are transliterated, accents dropped, separators that DATEV forbids
 * (blank, `.`, `,`, `;`, `:`, `_`, and `& * +` which only DATEV's text allows) become `-`, anything else outside
 * the set is removed, and a leading `-` is dropped (spreadsheets would run the field as a formula, and DATEV's
 * set has no apostrophe to neutralise it with; see lib/datev/text-safety.ts). Longer values keep their first
 * `maxLength` characters.
 */
export function documentField(value: string, maxLength: number): SafeText {
	if (isDocumentFieldText(value)) {
		return { text: value.length <= maxLength ? value : value.slice(0, maxLength), adjusted: false, replaced: false };
	}
	const transliterated = value
		.replace(/[äöüÄÖÜß]/g, (char) => TRANSLITERATION[char])
		.normalize('NFD')
		.replace(/\p{Mn}/gu, '');
	const cleaned = transliterated.replace(/[\s.,;:_&*+]/g, '-').replace(/[^A-Za-z0-9$%\-/]/g, '');
	const safe = neutraliseFormula(cleaned, 'drop');
	return { text: safe.slice(0, maxLength), adjusted: safe !== cleaned, replaced: false };
}

export function normaliseDocumentField(value: string, maxLength: number): string {
	return documentField(value, maxLength).text;
}

/*
 * Fast paths: text the rules would leave as it is (ids, amounts, TikTok's type names) is recognised by one pass over
 * its characters, without the regular expressions, normalisation and transliteration that change other text.
 */
const isDocumentCharacter = (code: number): boolean =>
	(code >= 0x30 && code <= 0x39) || // 0-9
	(code >= 0x41 && code <= 0x5a) || // A-Z
	(code >= 0x61 && code <= 0x7a) || // a-z
	code === 0x24 || // $
	code === 0x25 || // %
	code === 0x2d || // -
	code === 0x2f; // /

/** Only DATEV's Belegfeld characters, and no leading `-` (which documentField drops). */
function isDocumentFieldText(value: string): boolean {
	if (value.length > 0 && value.charCodeAt(0) === 0x2d) return false;
	for (let index = 0; index < value.length; index++) {
		if (!isDocumentCharacter(value.charCodeAt(index))) return false;
	}
	return true;
}

/**
 * Printable Latin-1 without `;`, single blanks between words, not starting like a formula (= + - @). Latin-1's
 * printable characters are all in Windows-1252 and already NFC (none of them composes with another), so the
 * general path would return such text unchanged; "Gebühren" takes this path too. The no-break space (U+00A0) is
 * left to the general path, which turns it into a blank.
 */
function isPlainFreeText(value: string): boolean {
	const length = value.length;
	if (length === 0) return true;
	const first = value.charCodeAt(0);
	if (first === 0x20 || first === 0x3d || first === 0x2b || first === 0x2d || first === 0x40) return false;
	if (value.charCodeAt(length - 1) === 0x20) return false;
	let previous = 0;
	for (let index = 0; index < length; index++) {
		const code = value.charCodeAt(index);
		if (code < 0x20 || (code > 0x7e && code < 0xa1) || code > 0xff || code === 0x3b || (code === 0x20 && previous === 0x20)) return false;
		previous = code;
	}
	return true;
}

/** Stands in for a character without a Windows-1252 form while counting; control characters are gone by then. */
const UNREPRESENTABLE = '\u0000';

/**
 * Free text for Buchungstext, Auftragsnummer and Abrechnungsreferenz, in the order that keeps the length right:
 * control characters out, transliterated to Windows-1252 (ﬀ → ff, ＡＢ → AB, emoji → ?), no `;` (legal inside
 * quotes, but naive DATEV parsers split on it), single blanks, a formula start neutralised with an apostrophe,
 * and only then cut to `maxLength` (after transliteration every character is one UTF-16 unit).
 */
export function freeText(value: string, maxLength: number): SafeText {
	if (isPlainFreeText(value)) {
		return { text: value.length <= maxLength ? value : value.slice(0, maxLength).trimEnd(), adjusted: false, replaced: false };
	}
	return cleanFreeText(value, maxLength);
}

/** freeText without its fast path (exported so that tests can hold the fast path against it). */
export function cleanFreeText(value: string, maxLength: number): SafeText {
	const visible = withoutControls(value);
	const marked = toCp1252Text(visible, UNREPRESENTABLE);
	const replaced = marked.includes(UNREPRESENTABLE);
	const encodable = replaced ? marked.split(UNREPRESENTABLE).join(REPLACEMENT) : marked;
	const cleaned = encodable.replace(/;/g, ',').replace(/\s+/g, ' ').trim();
	const safe = neutraliseFormula(cleaned);
	const adjusted = safe !== cleaned || encodable !== visible;
	return { text: safe.length <= maxLength ? safe : safe.slice(0, maxLength).trimEnd(), adjusted, replaced };
}

export function normaliseText(value: string, maxLength: number): string {
	return freeText(value, maxLength).text;
}

/**
 * Replaces C0 and C1 control characters by blanks. A loop, because control characters in a regex trip the
 * linter; the common case (none present) returns the string unchanged.
 */
function withoutControls(value: string): string {
	let out = '';
	let last = 0;
	for (let index = 0; index < value.length; index++) {
		const code = value.charCodeAt(index);
		if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
			out += `${value.slice(last, index)} `;
			last = index + 1;
		}
	}
	return last === 0 ? value : out + value.slice(last);
}
