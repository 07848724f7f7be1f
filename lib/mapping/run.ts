import type { BookingLine } from '../booking-line';
import {
	BookingInputError,
	bookingKey,
	collectPage,
	type DeferredStatementInput,
	parseBookingInput,
	parseBookingSettings,
	planBooking,
	scanBookingInput,
	streamBookings,
	type BookingResult,
	type BookingSettingsInput,
	type BookingSources,
	type StatementSource,
} from '../booking';
import { type BatchChunk, type BatchWriter, createBatchWriter } from '../datev/batch-writer';
import type { DatevExportSettingsInput } from '../datev/settings';
import { concatChunks } from '../datev/writer';
import { formatMinor } from '../money';
import { MonthlyLedger } from '../summary/monthly';

/*
 * What Map to SKR Bookings does, without n8n: validate every item on its own (so that with Continue On Fail a bad
 * item becomes an error item and the rest is still booked), skip what this workflow booked before, map, and write
 * the DATEV files. The node only reads parameters and turns the result into items.
 *
 * It streams: statement items are checked down to their own fields first, and each statement's transactions are
 * parsed, booked and written when its turn comes (streamBookings → createBatchWriter), so neither the month's
 * parsed transactions nor, for the DATEV file alone, its booking lines are ever held at once.
 */

export interface MappingRequest {
	items: readonly unknown[];
	booking: BookingSettingsInput;
	/** undefined: no DATEV file. */
	datev?: DatevExportSettingsInput;
	/** Keys this workflow booked before (from its static data). */
	alreadyBooked: readonly string[];
	skipBookedBefore: boolean;
	/** With Continue On Fail, invalid items are reported instead of failing the run. */
	continueOnFail: boolean;
	now: () => number;
	/** Keep every booking line in `lines` (default true); the DATEV file and its summary do not need them. */
	keepLines?: boolean;
}

export interface ItemFailure {
	item: number;
	message: string;
}

export interface DatevFileInfo {
	fileName: string;
	month: string;
	part?: number;
	rows: number;
}

export interface DatevFile extends DatevFileInfo {
	bytes: Uint8Array;
}

export interface MappingResult extends BookingResult {
	failures: ItemFailure[];
	files: DatevFile[];
	/** Keys to store once the output was handed on (n8n keeps them only for production runs). */
	remember: string[];
	/** Input item index per source, keyed like the booking keys ('statement:<id>', 'payment:<id>'). */
	sourceItems: Map<string, number>;
	/** Lines per month and Soll/Haben per account, for the monthly summary (also when `lines` is not kept). */
	ledger: MonthlyLedger;
}

/** The result of a streamed run: the files are described, their bytes went out as chunks. */
export interface StreamedMappingResult extends Omit<MappingResult, 'files'> {
	files: DatevFileInfo[];
}

export interface MappingRun {
	/**
	 * The DATEV files' bytes as they are written, one file after the other (a file's chunks follow each other;
	 * `fileName` changes when the next file begins). Booking happens while this is read, once; a problem of the
	 * input or of a line is thrown from here, and chunks handed out before must then be discarded.
	 */
	chunks: Iterable<BatchChunk>;
	/** After `chunks` was read to its end. */
	result(): StreamedMappingResult;
}

/** The booking key of the statement or payment a line comes from. */
export function lineSourceKey(line: BookingLine): string {
	return line.source.kind === 'payment' ? bookingKey('payment', line.source.paymentId ?? '') : bookingKey('statement', line.source.statementId ?? '');
}

/** The message parseBookingInput gives for one item, naming the real item (it numbers a single item 0). */
function itemFailure(value: unknown, item: number, fallback: unknown): ItemFailure {
	let failure = fallback;
	try {
		parseBookingInput([value], { ordersOnly: true });
	} catch (error) {
		failure = error;
	}
	const message =
		failure instanceof BookingInputError
			? failure.issues.map((issue) => `item ${item}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}`).join('\n')
			: `item ${item}: ${failure instanceof Error ? failure.message : String(failure)}`;
	return { item, message };
}

/**
 * An input problem found late (in a statement's transactions, when it is booked) fails the run with the error
 * that validating all items up front gives: every problem of every item, as before streaming.
 */
function inputError(items: readonly unknown[], found: unknown): unknown {
	try {
		parseBookingInput(items);
	} catch (error) {
		return error;
	}
	return found;
}

function scanEach(items: readonly unknown[], continueOnFail: boolean): { input: BookingSources; failures: ItemFailure[] } {
	if (!continueOnFail) {
		try {
			return { input: scanBookingInput(items), failures: [] };
		} catch (error) {
			throw inputError(items, error);
		}
	}
	const input: BookingSources = { statements: [], payments: [], orders: [] };
	const failures: ItemFailure[] = [];
	items.forEach((value, item) => {
		let scanned: BookingSources;
		try {
			scanned = scanBookingInput([value], { ordersOnly: true });
		} catch (error) {
			failures.push(itemFailure(value, item, error));
			return;
		}
		// Loops, not push(...spread): one item may hold a whole API response with more sources than a call may
		// take arguments.
		for (const statement of scanned.statements) input.statements.push({ ...statement, item });
		for (const payment of scanned.payments) input.payments.push({ ...payment, item });
		for (const order of scanned.orders ?? []) input.orders?.push({ ...order, item });
	});
	// Which copy of a repeated statement is booked depends on which copies are valid: check those now.
	const counts = new Map<string, number>();
	for (const statement of input.statements) counts.set(statement.id, (counts.get(statement.id) ?? 0) + 1);
	input.statements = input.statements.filter((statement) => {
		if ((counts.get(statement.id) ?? 0) < 2 || !isDeferred(statement)) return true;
		try {
			statement.loadTransactions();
			return true;
		} catch (error) {
			failures.push(itemFailure(items[statement.item], statement.item, error));
			return false;
		}
	});
	return { input, failures };
}

function isDeferred(statement: StatementSource): statement is DeferredStatementInput {
	return 'loadTransactions' in statement;
}

export function startMapping(request: MappingRequest): MappingRun {
	const settings = parseBookingSettings(request.booking);
	const { input, failures } = scanEach(request.items, request.continueOnFail);
	// Re-booking on purpose still remembers what was booked, so the next regular run skips it again.
	const plan = planBooking(input, request.alreadyBooked, { rebook: !request.skipBookedBefore });
	const sourceItems = new Map([
		...input.statements.map((statement) => [bookingKey('statement', statement.id), statement.item] as const),
		...input.payments.map((payment) => [bookingKey('payment', payment.id), payment.item] as const),
	]);
	const invalid = new Set<string>();
	const reportInvalid = (statement: DeferredStatementInput, error: unknown): void => {
		if (!request.continueOnFail) throw inputError(request.items, error);
		failures.push(itemFailure(request.items[statement.item], statement.item, error));
		invalid.add(bookingKey('statement', statement.id));
	};
	// What is not booked is still validated, as when every item was checked up front.
	const booked = new Set(plan.input.statements);
	for (const statement of input.statements) {
		if (booked.has(statement) || !isDeferred(statement)) continue;
		try {
			statement.loadTransactions();
		} catch (error) {
			reportInvalid(statement, error);
		}
	}

	// Order details are no bookable sources: they only inform the statements' revenue lines.
	const stream = streamBookings({ ...plan.input, orders: input.orders }, settings, { onInvalid: reportInvalid });
	const keepLines = request.keepLines ?? true;
	const totals: Omit<BookingResult, 'skipped'> = { lines: [], statements: [], payments: [], warnings: [], bookedKeys: [], adjustedTextFields: 0 };
	const ledger = new MonthlyLedger();
	let writer: BatchWriter | undefined;
	let files: DatevFileInfo[] = [];
	let writerAdjusted = 0;
	let finished = false;

	function* chunks(): Generator<BatchChunk> {
		for (const page of stream.pages) {
			collectPage(totals, page, keepLines);
			if (!request.datev || page.lines.length === 0) continue;
			for (const line of page.lines) ledger.add(line);
			// Created with the first line: no lines, no file (and Erzeugt am read once, as before).
			writer ??= createBatchWriter(request.datev, { createdAt: request.now(), inDateOrder: true });
			yield* writer.append(page.lines);
		}
		if (writer) {
			const end = writer.end();
			yield* end.chunks;
			files = end.files.map((file) => ({ fileName: file.fileName, month: file.month, part: file.part, rows: file.rows }));
			writerAdjusted = end.files.reduce((sum, file) => sum + file.adjustedTextFields, 0);
		}
		finished = true;
	}

	return {
		chunks: chunks(),
		result(): StreamedMappingResult {
			if (!finished) throw new Error('startMapping: read all chunks before asking for the result');
			const skipped = [...plan.skipped, ...stream.skipped];
			const warnings = [...totals.warnings, ...stream.skipped.map((source) => source.message)];
			// The engine makes its lines DATEV-safe itself; the writer's count only adds what it still had to change.
			const adjustedTextFields = totals.adjustedTextFields + writerAdjusted;
			for (const key of invalid) sourceItems.delete(key);
			return {
				...totals,
				adjustedTextFields,
				skipped,
				warnings: [
					...(files.length > 0 ? headerWarnings(request.datev) : []),
					...warnings,
					...plan.skipped.map((source) => source.message),
					...adjustedWarning(adjustedTextFields),
				],
				failures: failures.sort((a, b) => a.item - b.item),
				files,
				remember: plan.remember.filter((key) => !invalid.has(key)),
				sourceItems,
				ledger,
			};
		},
	};
}

/** startMapping with the files' bytes collected: the whole month's files at once. */
export function runMapping(request: MappingRequest): MappingResult {
	const run = startMapping(request);
	const chunks = new Map<string, Uint8Array[]>();
	for (const chunk of run.chunks) {
		const list = chunks.get(chunk.fileName);
		if (list) list.push(chunk.bytes);
		else chunks.set(chunk.fileName, [chunk.bytes]);
	}
	const result = run.result();
	return { ...result, files: result.files.map((file) => ({ ...file, bytes: concatChunks(chunks.get(file.fileName) ?? []) })) };
}

/** The node's defaults for Beraternummer and Mandantennummer: a file with them imports into the wrong client. */
export const DEFAULT_CONSULTANT_NUMBER = 1001;
export const DEFAULT_CLIENT_NUMBER = 1;

/** A warning when the DATEV header still carries the node's default Beraternummer (and Mandantennummer). */
export function headerWarnings(datev: DatevExportSettingsInput | undefined): string[] {
	if (!datev || datev.consultantNumber !== DEFAULT_CONSULTANT_NUMBER) {
		return [];
	}
	const client = datev.clientNumber === DEFAULT_CLIENT_NUMBER ? ` and Mandantennummer ${DEFAULT_CLIENT_NUMBER}` : '';
	return [
		`the DATEV file carries the default Beraternummer ${DEFAULT_CONSULTANT_NUMBER}${client}: enter your tax adviser's ` +
			'numbers before sending it, or DATEV imports it into the wrong client (or refuses it)',
	];
}

/** Hundredths of a percent as a decimal string: 2000 → "20.00". */
function percentText(hundredths: number): string {
	return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

function adjustedWarning(count: number): string[] {
	if (count === 0) return [];
	const fields = count === 1 ? '1 text field was' : `${count} text fields were`;
	return [
		`${fields} adjusted for DATEV: transliterated to Windows-1252, characters it cannot show (emoji, CJK, …) ` +
			'written as "?", or a leading = + - @ neutralised so that spreadsheets do not run it as a formula',
	];
}

/** A booking line as an output item: DATEV's field names next to ours, the amount as decimal and in minor units. */
export function bookingLineJson(line: BookingLine): Record<string, unknown> {
	return {
		kind: 'booking',
		amount: formatMinor(line.amountMinor, line.currency),
		amountMinor: line.amountMinor,
		currency: line.currency,
		debitCredit: line.side,
		account: line.account,
		contraAccount: line.contraAccount,
		taxKey: line.taxKey,
		date: line.date,
		documentField1: line.documentField1,
		documentField2: line.documentField2,
		text: line.text,
		orderNumber: line.orderNumber,
		settlementReference: line.settlementReference,
		...(line.euCountry === undefined ? {} : { euCountry: line.euCountry, euTaxRate: percentText(line.euTaxRate ?? 0) }),
		...(line.serviceDate === undefined ? {} : { serviceDate: line.serviceDate, taxPeriodDate: line.taxPeriodDate }),
		source: { ...line.source },
	};
}
