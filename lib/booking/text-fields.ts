/**
 * Templates and DATEV's rules for the text fields of a booking line (datev-extf.md §1.4):
 * Belegfeld 1/2 allow only letters, digits and `$ % - /` (DATEV's documented set `$ & % * + - /` intersected with
 * the regex its importer applies, `[\w$%\-\/]`; the same set the DATEV writer checks); Buchungstext is free text
 * up to 60 characters.
 */

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

/** Replaces `{name}` with its value; a placeholder without a value becomes empty. */
export function renderTemplate(template: string, values: TemplateValues): string {
	return template.replace(PLACEHOLDER, (whole, name: string) =>
		(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name)
			? (values[name as TemplatePlaceholder] ?? '')
			: whole,
	);
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

/**
 * Normalises a Belegfeld value to DATEV's character set. The rule must be the same wherever an invoice number is
 * written, or OPOS will not match: umlauts are transliterated, accents dropped, separators that DATEV forbids
 * (blank, `.`, `,`, `;`, `:`, `_`, and `& * +` which only DATEV's text allows) become `-`, anything else outside
 * the set is removed. Longer values keep
 * their first `maxLength` characters.
 */
export function normaliseDocumentField(value: string, maxLength: number): string {
	const transliterated = value
		.replace(/[äöüÄÖÜß]/g, (char) => TRANSLITERATION[char])
		.normalize('NFD')
		.replace(/\p{Mn}/gu, '');
	const cleaned = transliterated.replace(/[\s.,;:_&*+]/g, '-').replace(/[^A-Za-z0-9$%\-/]/g, '');
	return cleaned.slice(0, maxLength);
}

/**
 * Free text for Buchungstext and Auftragsnummer: no control characters, no `;` (legal inside quotes, but naive
 * DATEV parsers split on it), single blanks, cut at `maxLength` code points so no surrogate pair is split.
 */
export function normaliseText(value: string, maxLength: number): string {
	const cleaned = withoutControls(value).replace(/;/g, ',').replace(/\s+/g, ' ').trim();
	// Only a text that may be too long needs the (slower) code-point split.
	if (cleaned.length <= maxLength) {
		return cleaned;
	}
	const codePoints = Array.from(cleaned);
	return codePoints.length <= maxLength ? cleaned : codePoints.slice(0, maxLength).join('').trimEnd();
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
