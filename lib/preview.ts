/**
 * A value as it may appear in an error message or warning: hostile input can carry megabytes in one field, and a
 * message must name the value without repeating it (nor blow up n8n's execution log).
 */

export const PREVIEW_LENGTH = 40;

/** The value as text, cut to `max` characters with its full length appended: `1111…(2000000 chars)`. */
export function preview(value: unknown, max: number = PREVIEW_LENGTH): string {
	const text = String(value);
	if (text.length <= max) return text;
	// Cut by code points so a surrogate pair is never split into a broken character.
	return `${Array.from(text.slice(0, max * 2)).slice(0, max).join('')}…(${text.length} chars)`;
}
