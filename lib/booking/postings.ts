/**
 * Turns a signed TikTok amount into a BookingLine. TikTok signs amounts from the seller's balance point of view
 * (deductions are negative); DATEV wants a positive amount and an S/H flag relative to Konto.
 */
import type { BookingLine, BookingSource, DebitCredit } from '../booking-line';
import { preview } from '../preview';
import type { BookingSettings } from './settings';
import {
	DOCUMENT_FIELD1_MAX,
	DOCUMENT_FIELD2_MAX,
	documentField,
	freeText,
	ORDER_NUMBER_MAX,
	renderTemplate,
	type SafeText,
	SETTLEMENT_REFERENCE_MAX,
	type TemplateValues,
	TEXT_MAX,
} from './text-fields';

/** A booking line plus what it does to the TikTok balance account, for reconciliation. */
export interface Posting {
	line: BookingLine;
	/** Signed effect on the balance account in minor units: + = money into the TikTok balance. */
	balanceEffect: number;
	/** Text fields of the line whose content was changed to be DATEV-safe (see SafeText.adjusted). */
	adjustedTextFields: number;
}

/** What all lines of one source (a transaction, a statement, a payment) have in common. */
export interface LineContext {
	settings: BookingSettings;
	currency: string;
	date: string;
	source: Omit<BookingSource, 'component'>;
	values: TemplateValues;
	/** Belegfeld 1 template for this source's lines. */
	documentTemplate: string;
	/** Belegfeld 1 when the template renders empty (the statement or payment id). */
	fallbackDocument: string;
	orderNumber: string;
	settlementReference: string;
	/** Collects warnings about this source (e.g. a Belegfeld 1 that had to be cut). */
	warn: (message: string) => void;
	/** Set by post() with the context's first line (a field, not a WeakMap: contexts are many and short-lived). */
	cache?: ContextCache;
}

export interface LineSpec {
	/** TikTok's signed amount: + = money into the balance account. */
	signedMinor: number;
	/** Which account is Konto: the balance account, or the counter account (fees, withheld reserve, payouts). */
	konto: 'balance' | 'counter';
	counterAccount: string;
	taxKey: string;
	component: string;
	label: string;
	/** Belegfeld 1 template overriding the context's (invoice number on OPOS revenue lines). */
	documentTemplate?: string;
	/** Tax columns of revenue lines (EU-Land, EU-Steuersatz, Leistungsdatum, Datum Zuord. Steuerperiode). */
	taxColumns?: TaxColumns;
}

export type TaxColumns = Pick<BookingLine, 'euCountry' | 'euTaxRate' | 'serviceDate' | 'taxPeriodDate'>;

/**
 * What every line of one context shares, worked out with its first line: the template values, Auftragsnummer and
 * Abrechnungsreferenz, and the last text of each templated field (a transaction's lines mostly repeat them).
 */
interface ContextCache {
	values: TemplateValues;
	orderNumber: SafeText;
	settlementReference: SafeText;
	documentField1: Memo;
	documentField2: Memo;
	text: Memo;
}

interface Memo {
	rendered: string | undefined;
	result: SafeText;
}

const NO_TEXT: SafeText = { text: '', adjusted: false, replaced: false };
function cacheOf(context: LineContext): ContextCache {
	let cache = context.cache;
	if (!cache) {
		cache = {
			values: { ...context.values, date: context.date, currency: context.currency },
			orderNumber: freeText(context.orderNumber, ORDER_NUMBER_MAX),
			settlementReference: freeText(context.settlementReference, SETTLEMENT_REFERENCE_MAX),
			documentField1: { rendered: undefined, result: NO_TEXT },
			documentField2: { rendered: undefined, result: NO_TEXT },
			text: { rendered: undefined, result: NO_TEXT },
		};
		context.cache = cache;
	}
	return cache;
}

/** The field for `rendered`, computed once per distinct text in a row. */
function remembered(memo: Memo, rendered: string, compute: (rendered: string) => SafeText): SafeText {
	if (memo.rendered !== rendered) {
		memo.result = compute(rendered);
		memo.rendered = rendered;
	}
	return memo.result;
}

/** Builds the line, or nothing for a zero amount (DATEV rejects 0,00 and a zero line carries no information). */
export function post(context: LineContext, spec: LineSpec): Posting | undefined {
	if (spec.signedMinor === 0) {
		return undefined;
	}
	const balance = context.settings.accounts.balance;
	const intoBalance = spec.signedMinor > 0;
	const kontoIsBalance = spec.konto === 'balance';
	// Money into the balance debits it (S); seen from the counter account, the same booking is H.
	const side: DebitCredit = kontoIsBalance === intoBalance ? 'S' : 'H';
	const cache = cacheOf(context);
	// Rendering is synchronous: the context's values object serves every line, with this line's label.
	const values = cache.values;
	values.label = spec.label;
	const templates = context.settings.templates;
	const documentField1 = remembered(cache.documentField1, renderTemplate(spec.documentTemplate ?? context.documentTemplate, values), (rendered) =>
		documentField1Of(context, rendered),
	);
	const documentField2 = remembered(cache.documentField2, renderTemplate(templates.documentField2, values), (rendered) =>
		documentField(rendered, DOCUMENT_FIELD2_MAX),
	);
	const text = remembered(cache.text, renderTemplate(templates.text, values), (rendered) => freeText(rendered, TEXT_MAX));
	const { orderNumber, settlementReference } = cache;
	const adjustedTextFields =
		Number(documentField1.adjusted) +
		Number(documentField2.adjusted) +
		Number(text.adjusted) +
		Number(orderNumber.adjusted) +
		Number(settlementReference.adjusted);
	if (documentField1.replaced) warnReplaced(context, 'documentField1');
	if (documentField2.replaced) warnReplaced(context, 'documentField2');
	if (text.replaced) warnReplaced(context, 'text');
	if (orderNumber.replaced) warnReplaced(context, 'orderNumber');
	if (settlementReference.replaced) warnReplaced(context, 'settlementReference');
	const source = { ...context.source, component: spec.component };
	const amountMinor = Math.abs(spec.signedMinor);
	const account = kontoIsBalance ? balance : spec.counterAccount;
	const contraAccount = kontoIsBalance ? spec.counterAccount : balance;
	const line: BookingLine = {
		amountMinor,
		currency: context.currency,
		side,
		account,
		contraAccount,
		taxKey: spec.taxKey,
		date: context.date,
		documentField1: documentField1.text,
		documentField2: documentField2.text,
		text: text.text,
		orderNumber: orderNumber.text,
		settlementReference: settlementReference.text,
		source,
	};
	// Tax columns only where set: the common line is built without a generic object copy.
	const tax = spec.taxColumns;
	if (tax && (tax.euCountry !== undefined || tax.euTaxRate !== undefined || tax.serviceDate !== undefined || tax.taxPeriodDate !== undefined)) {
		Object.assign(line, tax);
	}
	return { line, balanceEffect: spec.signedMinor, adjustedTextFields };
}

function warnReplaced(context: LineContext, name: keyof typeof FIELD_LABELS): void {
	context.warn(
		`${sourceName(context)}: ${FIELD_LABELS[name]} contains characters Windows-1252 cannot show (emoji, CJK, …); they are written as "?"`,
	);
}

const FIELD_LABELS = {
	documentField1: 'Belegfeld 1',
	documentField2: 'Belegfeld 2',
	text: 'Buchungstext',
	orderNumber: 'Auftragsnummer',
	settlementReference: 'Abrechnungsreferenz',
} as const;

/** The statement or payment a line belongs to: warnings are collected per source and repeat no per-line detail. */
function sourceName(context: LineContext): string {
	const { source } = context;
	return source.kind === 'payment' ? `payment ${source.paymentId ?? ''}` : `statement ${source.statementId ?? ''}`;
}

function documentField1Of(context: LineContext, rendered: string): SafeText {
	const normalised = documentField(rendered, Number.MAX_SAFE_INTEGER);
	if (normalised.text.length > DOCUMENT_FIELD1_MAX) {
		context.warn(`Belegfeld 1 "${preview(normalised.text)}" is longer than ${DOCUMENT_FIELD1_MAX} characters and was cut`);
	}
	const value = normalised.text.slice(0, DOCUMENT_FIELD1_MAX);
	return value === '' ? documentField(context.fallbackDocument, DOCUMENT_FIELD1_MAX) : { ...normalised, text: value };
}
