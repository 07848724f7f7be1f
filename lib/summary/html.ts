/*
 * The little HTML the monthly summary needs. Every text that comes from data (TikTok ids, warnings, shop names) goes
 * through escapeHtml: a warning may quote a TikTok field that contains "<", and the summary ends up in e-mails.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (character) => ENTITIES[character]);
}

/** Markup that is already safe (built by this module); plain strings are escaped. */
export class Html {
	constructor(readonly markup: string) {}
	toString(): string {
		return this.markup;
	}
}

export type Content = string | number | Html | readonly Content[];

function render(content: Content): string {
	if (content instanceof Html) return content.markup;
	if (typeof content === 'number') return String(content);
	if (typeof content === 'string') return escapeHtml(content);
	return content.map(render).join('');
}

/**
 * An element with inline styles only: e-mail programs drop <style> blocks and classes, so every rule sits on the
 * element it styles.
 */
export function element(tag: string, style: string, ...children: Content[]): Html {
	const attribute = style ? ` style="${escapeHtml(style)}"` : '';
	return new Html(`<${tag}${attribute}>${render(children)}</${tag}>`);
}
