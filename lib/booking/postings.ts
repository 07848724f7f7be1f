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
	const values: TemplateValues = {
		...context.values,
		label: spec.label,
		date: context.date,
		currency: context.currency,
	};
	const templates = context.settings.templates;
	const fields = {
		documentField1: documentField1(context, spec.documentTemplate ?? context.documentTemplate, values),
		documentField2: documentField(renderTemplate(templates.documentField2, values), DOCUMENT_FIELD2_MAX),
		text: freeText(renderTemplate(templates.text, values), TEXT_MAX),
		orderNumber: freeText(context.orderNumber, ORDER_NUMBER_MAX),
		settlementReference: freeText(context.settlementReference, SETTLEMENT_REFERENCE_MAX),
	};
	let adjustedTextFields = 0;
	for (const [name, field] of Object.entries(fields)) {
		if (field.adjusted) adjustedTextFields += 1;
		if (field.replaced) {
			context.warn(
				`${sourceName(context)}: ${FIELD_LABELS[name as keyof typeof fields]} contains characters Windows-1252 cannot show ` +
					'(emoji, CJK, …); they are written as "?"',
			);
		}
	}
	const line: BookingLine = {
		amountMinor: Math.abs(spec.signedMinor),
		currency: context.currency,
		side,
		account: kontoIsBalance ? balance : spec.counterAccount,
		contraAccount: kontoIsBalance ? spec.counterAccount : balance,
		taxKey: spec.taxKey,
		date: context.date,
		documentField1: fields.documentField1.text,
		documentField2: fields.documentField2.text,
		text: fields.text.text,
		orderNumber: fields.orderNumber.text,
		settlementReference: fields.settlementReference.text,
		...spec.taxColumns,
		source: { ...context.source, component: spec.component },
	};
	return { line, balanceEffect: spec.signedMinor, adjustedTextFields };
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

function documentField1(context: LineContext, template: string, values: TemplateValues): SafeText {
	const rendered = renderTemplate(template, values);
	const normalised = documentField(rendered, Number.MAX_SAFE_INTEGER);
	if (normalised.text.length > DOCUMENT_FIELD1_MAX) {
		context.warn(`Belegfeld 1 "${preview(normalised.text)}" is longer than ${DOCUMENT_FIELD1_MAX} characters and was cut`);
	}
	const value = normalised.text.slice(0, DOCUMENT_FIELD1_MAX);
	return value === '' ? documentField(context.fallbackDocument, DOCUMENT_FIELD1_MAX) : { ...normalised, text: value };
}
