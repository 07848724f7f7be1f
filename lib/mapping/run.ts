import type { BookingLine } from '../booking-line';
import {
	BookingInputError,
	bookingKey,
	BucketTotals,
	collectPage,
	deliveryProbeKeys,
	mapToBookings,
	parseBookingInput,
	parseBookingSettings,
	planBooking,
	scanBookingInput,
	statementDate,
	statementFingerprint,
	streamBookings,
	supersededKey,
	versionKey,
	withoutDuplicates,
	type BookingResult,
	type BookingSettings,
	type BookingPage,
	type BookingSettingsInput,
	type BookingSources,
	type StatementReconciliation,
	type StatementSource,
} from '../booking';
import { instantDate } from '../booking/dates';
import type { Correction } from '../booking/dedupe';
import { loadStatement } from '../booking/input';
import { correctionLines, netOnAccount, reversalLines, statementRecord, type StatementRecord } from '../booking/ledger';
import { isBookablePayment } from '../booking/payment-rules';
import { createBatchWriter, type BatchChunk, type BatchWriter } from '../datev/batch-writer';
import { writeBatches } from '../datev/batches';
import type { DatevExportSettingsInput } from '../datev/settings';
import { concatChunks } from '../datev/writer';
import { formatMinor } from '../money';
import { MonthlyLedger } from '../summary/monthly';

/*
 * What Map to SKR Bookings does, without n8n: validate every item on its own (so that with Continue On Fail a bad
 * item becomes an error item and the rest is still booked), skip what this workflow booked before, map, and write
 * the DATEV files. The node only reads parameters and turns the result into items.
 *
 * It streams: statement items are scanned down to their own fields (prepareMapping), then each statement's
 * transactions are parsed, checked, fingerprinted, booked and written when its turn comes (streamBookings →
 * createBatchWriter), once. Only statements delivered before are parsed ahead, for the delivery check (their
 * fingerprints). Neither the month's parsed transactions nor, for the DATEV file alone, its booking lines are ever
 * held at once; the largest day's statement is.
 */

export interface MappingRequest {
	items: readonly unknown[];
	booking: BookingSettingsInput;
	/** undefined: no DATEV file. */
	datev?: DatevExportSettingsInput;
	/**
	 * Which of `prepareMapping(…).probeKeys` Mark as Booked recorded for this workflow (n8n's deduplication store);
	 * see lib/booking/dedupe.ts for the keys. Absent: nothing was delivered before.
	 */
	delivered?: ReadonlySet<string>;
	/** Keys version 0.1 kept in the node's static data: booked, content unknown. */
	legacyBooked?: readonly string[];
	/** What was booked per statement, from the workflow's ledger (may be incomplete). */
	records?: ReadonlyMap<string, StatementRecord>;
	skipBookedBefore: boolean;
	/** Correction run: a Storno batch of what was booked plus a new batch. */
	correctionRun?: boolean;
	/** With Continue On Fail, invalid items are reported instead of failing the run. */
	continueOnFail: boolean;
	now: () => number;
	/**
	 * Keep every booking line in `lines` (default true). The DATEV file and its summary do not need them; without
	 * them `lines` holds only a correction run's few correction lines.
	 */
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

/** What Mark as Booked records once the delivery of a run's output succeeded. */
export interface DeliveryReceipt {
	keys: string[];
	records: StatementRecord[];
}

export interface CorrectedStatement extends StatementReconciliation {
	correction: {
		previousSettlementMinor: number;
		/** What the correction lines moved on the balance account. */
		bookedDifferenceMinor: number;
	};
}

export interface MappingResult extends Omit<BookingResult, 'statements'> {
	/** One per booked or corrected statement. */
	statements: Array<StatementReconciliation | CorrectedStatement>;
	failures: ItemFailure[];
	files: DatevFile[];
	/** Correction run: the Storno files (every line with Generalumkehr). */
	reversalFiles: DatevFile[];
	/** Per source key ('statement:<id>', 'payment:<id>'): what its delivery confirms. */
	receipts: Map<string, DeliveryReceipt>;
	/** Input item index per source, keyed like the booking keys ('statement:<id>', 'payment:<id>'). */
	sourceItems: Map<string, number>;
	/** Lines per month and Soll/Haben per account of the DATEV files, for the monthly summary (also without `lines`). */
	ledger: MonthlyLedger;
}

/** The result of a streamed run: the booking files are described, their bytes went out as chunks. */
export interface StreamedMappingResult extends Omit<MappingResult, 'files'> {
	files: DatevFileInfo[];
}

export interface MappingRun {
	/**
	 * The booking files' bytes as they are written, one file after the other (a file's chunks follow each other;
	 * `fileName` changes when the next file begins). Booking happens while this is read, once; chunks handed out
	 * before an error must be discarded.
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

/** A problem fails the run with the error parseBookingInput gives for all items: every problem of every item. */
function inputError(items: readonly unknown[], found: unknown): unknown {
	try {
		parseBookingInput(items);
	} catch (error) {
		return error;
	}
	return found;
}

/**
 * Scans the items: statement items down to their own fields (their transactions are parsed when the statement is
 * booked, once), payments and orders in full. A statement id that occurs more than once is the exception: all its
 * copies are parsed now, so that the copy booked is the first valid one and an invalid later copy is still reported.
 */
function scanEach(items: readonly unknown[], continueOnFail: boolean): { input: BookingSources; failures: ItemFailure[] } {
	let input: BookingSources;
	const failures: ItemFailure[] = [];
	if (!continueOnFail) {
		try {
			input = scanBookingInput(items);
		} catch (error) {
			throw inputError(items, error);
		}
	} else {
		input = { statements: [], payments: [], orders: [] };
		items.forEach((value, item) => {
			let scanned: BookingSources;
			try {
				scanned = scanBookingInput([value], { ordersOnly: true });
			} catch (error) {
				failures.push(itemFailure(value, item, error));
				return;
			}
			// Loops, not push(...spread): one item may hold a whole API response with more sources than a call may
			// take arguments. Statements keep their identity (an invalid copy is dropped by it).
			for (const statement of scanned.statements) {
				statement.item = item;
				input.statements.push(statement);
			}
			for (const payment of scanned.payments) input.payments.push({ ...payment, item });
			for (const order of scanned.orders ?? []) input.orders?.push({ ...order, item });
		});
	}
	const copies = new Map<string, number>();
	for (const statement of input.statements) copies.set(statement.id, (copies.get(statement.id) ?? 0) + 1);
	const invalid = new Set<StatementSource>();
	for (const statement of input.statements) {
		if ((copies.get(statement.id) ?? 0) < 2) continue;
		try {
			loadStatement(statement);
		} catch (error) {
			if (!continueOnFail) throw inputError(items, error);
			failures.push(itemFailure(items[statement.item], statement.item, error));
			invalid.add(statement);
		}
	}
	if (invalid.size > 0) input.statements = input.statements.filter((statement) => !invalid.has(statement));
	return { input, failures };
}

export interface PreparedMapping {
	settings: BookingSettings;
	/** The valid sources; statements deferred (their transactions are parsed when booked). */
	input: BookingSources;
	failures: ItemFailure[];
	/** Fingerprint by statement id of the statements fingerprinted so far (see versionKeys); booking adds the rest. */
	fingerprints: Map<string, string>;
	/**
	 * The first look-up of the delivery check: the statements' and payments' own keys and the versions the ledger
	 * knows. Look them up and pass what was found to `versionKeys`.
	 */
	probeKeys: string[];
	/**
	 * The second look-up: the keys of the current versions of the statements delivered before (found in the first
	 * look-up). Only these statements are fingerprinted before booking (a month booked for the first time is parsed
	 * once, when it is booked); an invalid one becomes a failure (Continue On Fail) or throws. Pass the keys found in
	 * both look-ups to startMapping as `delivered`.
	 */
	versionKeys(delivered: ReadonlySet<string>): string[];
}

/** Validates settings and items (see scanEach); the node then looks up `probeKeys` and `versionKeys` before it calls startMapping. */
export function prepareMapping(request: Pick<MappingRequest, 'items' | 'booking' | 'continueOnFail' | 'records'>): PreparedMapping {
	const settings = parseBookingSettings(request.booking);
	const { input, failures } = scanEach(request.items, request.continueOnFail);
	const fingerprints = new Map<string, string>();
	const unique = withoutDuplicates(input).input;
	const versionKeys = (delivered: ReadonlySet<string>): string[] => {
		const keys: string[] = [];
		const invalid = new Set<StatementSource>();
		for (const statement of withoutDuplicates(input).input.statements) {
			if (!delivered.has(bookingKey('statement', statement.id))) continue;
			let fingerprint = fingerprints.get(statement.id);
			if (fingerprint === undefined) {
				try {
					fingerprint = statementFingerprint(loadStatement(statement));
				} catch (error) {
					if (!request.continueOnFail) throw inputError(request.items, error);
					failures.push(itemFailure(request.items[statement.item], statement.item, error));
					invalid.add(statement);
					continue;
				}
				fingerprints.set(statement.id, fingerprint);
			}
			keys.push(versionKey(statement.id, fingerprint));
		}
		if (invalid.size > 0) input.statements = input.statements.filter((statement) => !invalid.has(statement));
		return keys;
	};
	return {
		settings,
		input,
		failures,
		fingerprints,
		probeKeys: deliveryProbeKeys(unique, request.records),
		versionKeys,
	};
}

/** Full booking of one statement on its own: its lines and its record as the ledger keeps it. */
function bookAlone(statement: StatementSource, fingerprint: string, input: BookingSources, settings: BookingSettings) {
	const booked = mapToBookings({ statements: [statement], payments: [], orders: input.orders }, settings);
	const reconciliation = booked.statements[0];
	return { booked, reconciliation, record: statementRecord(statement, fingerprint, reconciliation.date, booked.lines) };
}

/** The last Belegdatum of the sources a stream books (known before it starts). */
function lastDate(input: { statements: readonly StatementSource[]; payments: readonly BookingSources['payments'][number][] }, settings: BookingSettings): string {
	let last = '';
	for (const statement of input.statements) {
		const date = statementDate(statement.time, settings.timeZone);
		if (date > last) last = date;
	}
	for (const payment of input.payments) {
		const time = payment.paidTime ?? payment.createTime;
		if (!isBookablePayment(payment) || time === undefined) continue;
		const date = instantDate(time, settings.timeZone);
		if (date > last) last = date;
	}
	return last;
}

/**
 * Statements this workflow delivered (its ledger) that fall within the days of the input but are no longer in it:
 * TikTok withdrew or re-issued them. Reported, never reversed: only the adviser can tell what happened.
 */
function disappeared(records: ReadonlyMap<string, StatementRecord> | undefined, input: { statements: ReadonlyArray<{ id: string; time: number }> }, timeZone: string): string[] {
	if (!records || records.size === 0 || input.statements.length === 0) return [];
	const ids = new Set(input.statements.map((statement) => statement.id));
	const dates = input.statements.map((statement) => statementDate(statement.time, timeZone)).sort();
	const [first, last] = [dates[0], dates[dates.length - 1]];
	const warnings: string[] = [];
	for (const record of records.values()) {
		if (ids.has(record.statementId) || record.date < first || record.date > last) continue;
		warnings.push(
			`statement ${record.statementId} of ${record.date} was booked earlier but TikTok no longer lists it for these days: ` +
				'nothing was reversed; check with TikTok and your tax adviser whether its bookings still stand',
		);
	}
	return warnings;
}

export function startMapping(request: MappingRequest, prepared: PreparedMapping = prepareMapping(request)): MappingRun {
	// The statements delivered before need their fingerprints for the plan (a no-op when versionKeys ran already).
	if (request.delivered) prepared.versionKeys(request.delivered);
	const { settings, input: parsed, failures } = prepared;
	const plan = planBooking(
		parsed,
		{ delivered: request.delivered ?? new Set(), legacy: new Set(request.legacyBooked ?? []), records: request.records },
		{ rebook: !request.skipBookedBefore, correction: request.correctionRun, fingerprints: prepared.fingerprints },
	);
	const input = plan.input;
	const today = instantDate(Math.floor(request.now() / 1000), settings.timeZone);
	const correctionOutput = plan.corrections.map((correction) => correct(correction, plan.fingerprints, parsed, settings, today));
	const correctionLinesOfRun = correctionOutput.flatMap((corrected) => corrected.lines);
	// Correction lines are dated today and come after the stream's lines, as before streaming. Should today's month
	// lie before a month the stream books (a run dated in the past), the files are put together at the end.
	const inDateOrder = correctionLinesOfRun.length === 0 || today.slice(0, 7) >= lastDate(input, settings).slice(0, 7);

	// Order details are no bookable sources: they only inform the statements' revenue lines.
	const stream = streamBookings({ ...input, orders: parsed.orders }, settings, {
		// A statement's transactions are parsed here for the first time (unless it was delivered before): its
		// fingerprint for the ledger and the receipt is taken from the same parse.
		onLoaded: (statement, loaded) => {
			if (!prepared.fingerprints.has(statement.id)) prepared.fingerprints.set(statement.id, statementFingerprint(loaded));
		},
		// With Continue On Fail an invalid statement item becomes an error item and the rest is booked; its lines
		// never reach the writer (the statement is parsed in full before its first page).
		onInvalid: request.continueOnFail
			? (statement, error) => failures.push(itemFailure(request.items[statement.item], statement.item, error))
			: undefined,
	});
	const keepLines = request.keepLines ?? true;
	const booked: Omit<BookingResult, 'skipped'> = { lines: [], statements: [], payments: [], warnings: [], bookedKeys: [], adjustedTextFields: 0 };
	const ledger = new MonthlyLedger();
	const records = new Map<string, StatementRecord>();
	let writer: BatchWriter | undefined;
	let files: DatevFileInfo[] = [];
	let writerAdjusted = 0;
	let finished = false;

	const write = (lines: readonly BookingLine[]): BatchChunk[] => {
		if (!request.datev || lines.length === 0) return [];
		for (const line of lines) ledger.add(line);
		// Created with the first line: no lines, no file.
		writer ??= createBatchWriter(request.datev, { createdAt: request.now(), inDateOrder });
		return writer.append(lines);
	};

	const statementsById = new Map(input.statements.map((statement) => [statement.id, statement]));

	/** The stream's pages; a problem of a statement's transactions fails the run naming every problem of every item. */
	function* pages(): Generator<BookingPage> {
		try {
			yield* stream.pages;
		} catch (error) {
			throw error instanceof BookingInputError ? inputError(request.items, error) : error;
		}
	}

	function* written(): Generator<BatchChunk> {
		let buckets = new BucketTotals();
		for (const page of pages()) {
			collectPage(booked, page, keepLines);
			for (const line of page.lines) if (line.source.kind !== 'payment') buckets.add(line);
			if (page.statement) {
				const reconciliation = page.statement;
				const statement = statementsById.get(reconciliation.statementId);
				if (statement) {
					const fingerprint = plan.fingerprints.get(statement.id) ?? '';
					records.set(statement.id, { ...statementRecord(statement, fingerprint, reconciliation.date, []), buckets: buckets.buckets() });
				}
				buckets = new BucketTotals();
			}
			yield* write(page.lines);
		}
		for (const line of correctionLinesOfRun) booked.lines.push(line);
		yield* write(correctionLinesOfRun);
		if (writer) {
			const end = writer.end();
			yield* end.chunks;
			files = end.files.map((file) => ({ fileName: file.fileName, month: file.month, part: file.part, rows: file.rows }));
			writerAdjusted = end.files.reduce((sum, file) => sum + file.adjustedTextFields, 0);
		}
		finished = true;
	}

	function* chunks(): Generator<BatchChunk> {
		if (inDateOrder) {
			yield* written();
			return;
		}
		// Files whose months end out of order: hand them out whole, one after the other, once all are written.
		const byFile = new Map<string, Uint8Array[]>();
		for (const chunk of written()) byFile.set(chunk.fileName, [...(byFile.get(chunk.fileName) ?? []), chunk.bytes]);
		for (const file of files) for (const bytes of byFile.get(file.fileName) ?? []) yield { fileName: file.fileName, bytes };
	}

	return {
		chunks: chunks(),
		result(): StreamedMappingResult {
			if (!finished) throw new Error('startMapping: read all chunks before asking for the result');
			const receipts = new Map<string, DeliveryReceipt>();
			const reversed = new Map(plan.reversals.map((record) => [record.statementId, record]));
			for (const statement of input.statements) {
				const record = records.get(statement.id);
				if (!record) continue;
				const previous = reversed.get(statement.id);
				receipts.set(bookingKey('statement', statement.id), {
					keys: [
						bookingKey('statement', statement.id),
						versionKey(statement.id, record.fingerprint),
						...(previous && previous.fingerprint !== record.fingerprint ? [supersededKey(statement.id, previous.fingerprint)] : []),
					],
					records: [record],
				});
			}
			for (const payment of booked.payments) {
				receipts.set(bookingKey('payment', payment.paymentId), { keys: [bookingKey('payment', payment.paymentId)], records: [] });
			}
			for (const corrected of correctionOutput) receipts.set(bookingKey('statement', corrected.summary.statementId), corrected.receipt);

			const reversalWritten = toFiles(
				plan.reversals.flatMap((record) => reversalLines(record)),
				request.datev && { ...request.datev, label: 'Storno', shopName: `${request.datev.shopName ?? 'TikTok'}_Storno` },
				request.now,
			);
			const skippedMessages = plan.skipped.map((source) => source.message);
			// The engine makes its lines DATEV-safe itself; the writer's count only adds what it still had to change.
			const adjustedTextFields = booked.adjustedTextFields + writerAdjusted + reversalWritten.adjusted;
			const statements: Array<StatementReconciliation | CorrectedStatement> = [...booked.statements, ...correctionOutput.map((corrected) => corrected.summary)];
			return {
				...booked,
				statements,
				adjustedTextFields,
				skipped: [...plan.skipped, ...stream.skipped],
				warnings: [
					...(files.length + reversalWritten.files.length > 0 ? headerWarnings(request.datev) : []),
					...booked.warnings,
					...stream.skipped.map((source) => source.message),
					...correctionOutput.flatMap((corrected) => corrected.summary.warnings),
					...skippedMessages,
					...disappeared(request.records, parsed, settings.timeZone),
					...adjustedWarning(adjustedTextFields),
				],
				// In item order: statements that turned out invalid while booked come after the scan's failures.
				failures: [...failures].sort((a, b) => a.item - b.item),
				files,
				reversalFiles: reversalWritten.files,
				receipts,
				sourceItems: new Map([
					...parsed.statements.map((statement) => [bookingKey('statement', statement.id), statement.item] as const),
					...parsed.payments.map((payment) => [bookingKey('payment', payment.id), payment.item] as const),
				]),
				ledger,
			};
		},
	};
}

/** startMapping with the files' bytes collected: the whole month's files at once. */
export function runMapping(request: MappingRequest, prepared: PreparedMapping = prepareMapping(request)): MappingResult {
	const run = startMapping(request, prepared);
	const chunks = new Map<string, Uint8Array[]>();
	for (const chunk of run.chunks) {
		const list = chunks.get(chunk.fileName);
		if (list) list.push(chunk.bytes);
		else chunks.set(chunk.fileName, [chunk.bytes]);
	}
	const result = run.result();
	return { ...result, files: result.files.map((file) => ({ ...file, bytes: concatChunks(chunks.get(file.fileName) ?? []) })) };
}

function toFiles(lines: readonly BookingLine[], datev: DatevExportSettingsInput | undefined, now: () => number): { files: DatevFile[]; adjusted: number } {
	if (!datev || lines.length === 0) return { files: [], adjusted: 0 };
	const written = writeBatches(lines, datev, now);
	return {
		files: written.map((file) => ({ fileName: file.fileName, month: file.month, part: file.part, rows: file.rows, bytes: file.bytes })),
		adjusted: written.reduce((sum, file) => sum + file.adjustedTextFields, 0),
	};
}

/** A statement changed after its delivery: the lines that take the books from the delivered version to this one. */
function correct(correction: Correction, fingerprints: ReadonlyMap<string, string>, input: BookingSources, settings: BookingSettings, today: string) {
	const { statement, previous } = correction;
	const fingerprint = fingerprints.get(statement.id) ?? '';
	const { reconciliation, record } = bookAlone(statement, fingerprint, input, settings);
	const lines = correctionLines(previous, record, { date: today, paymentId: statement.paymentId });
	const balance = settings.accounts.balance;
	const summary: CorrectedStatement = {
		...reconciliation,
		// Dated like its lines, so the summary of the file that carries the correction lists it.
		date: today,
		status: 'corrected',
		lineCount: lines.length,
		correction: { previousSettlementMinor: previous.settlementMinor, bookedDifferenceMinor: netOnAccount(lines, balance) },
		warnings: [
			...reconciliation.warnings,
			`statement ${statement.id} changed after it was booked (settlement ${formatMinor(previous.settlementMinor, statement.currency)} → ` +
				`${formatMinor(statement.settlementMinor, statement.currency)} ${statement.currency}): only the difference is booked, dated ${today}`,
		],
	};
	const receipt: DeliveryReceipt = {
		keys: [bookingKey('statement', statement.id), versionKey(statement.id, fingerprint), supersededKey(statement.id, previous.fingerprint)],
		records: [record],
	};
	return { lines, summary, receipt };
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
