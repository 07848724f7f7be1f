import type { BookingLine } from '../booking-line';
import {
	BookingInputError,
	bookingKey,
	mapToBookings,
	parseBookingInput,
	parseBookingSettings,
	type BookingInput,
	type BookingResult,
	type BookingSettings,
	type BookingSettingsInput,
	type StatementReconciliation,
} from '../booking';
import { instantDate } from '../booking/dates';
import { deliveryProbeKeys, fingerprintsOf, planBooking, supersededKey, versionKey, withoutDuplicates, type Correction } from '../booking/dedupe';
import { correctionLines, netOnAccount, reversalLines, statementRecord, type StatementRecord } from '../booking/ledger';
import { writeBatches } from '../datev/batches';
import type { DatevExportSettingsInput } from '../datev/settings';
import { formatMinor } from '../money';

/*
 * What Map to SKR Bookings does, without n8n: validate every item on its own (so that with Continue On Fail a bad
 * item becomes an error item and the rest is still booked), skip what this workflow booked before, map, and write
 * the DATEV files. The node only reads parameters and turns the result into items.
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
}

export interface ItemFailure {
	item: number;
	message: string;
}

export interface DatevFile {
	fileName: string;
	month: string;
	part?: number;
	rows: number;
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
}

/** The booking key of the statement or payment a line comes from. */
export function lineSourceKey(line: BookingLine): string {
	return line.source.kind === 'payment' ? bookingKey('payment', line.source.paymentId ?? '') : bookingKey('statement', line.source.statementId ?? '');
}

function parseEach(items: readonly unknown[], continueOnFail: boolean): { input: BookingInput; failures: ItemFailure[] } {
	if (!continueOnFail) return { input: parseBookingInput(items), failures: [] };
	const input: BookingInput = { statements: [], payments: [], orders: [] };
	const failures: ItemFailure[] = [];
	items.forEach((value, item) => {
		let parsed: BookingInput | undefined;
		let failure: unknown;
		try {
			parsed = parseBookingInput([value], { ordersOnly: true });
		} catch (error) {
			failure = error;
		}
		if (parsed) {
			// Loops, not push(...spread): one item may hold a whole API response with more sources than a call may
			// take arguments.
			for (const statement of parsed.statements) input.statements.push({ ...statement, item });
			for (const payment of parsed.payments) input.payments.push({ ...payment, item });
			for (const order of parsed.orders ?? []) input.orders?.push({ ...order, item });
			return;
		}
		// parseBookingInput numbered the single item 0: name the real one.
		const message =
			failure instanceof BookingInputError
				? failure.issues.map((issue) => `item ${item}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}`).join('\n')
				: `item ${item}: ${failure instanceof Error ? failure.message : String(failure)}`;
		failures.push({ item, message });
	});
	return { input, failures };
}

function toFiles(lines: readonly BookingLine[], datev: DatevExportSettingsInput | undefined, now: () => number): { files: DatevFile[]; adjusted: number } {
	if (!datev || lines.length === 0) return { files: [], adjusted: 0 };
	const written = writeBatches(lines, datev, now);
	return {
		files: written.map((file) => ({ fileName: file.fileName, month: file.month, part: file.part, rows: file.rows, bytes: file.bytes })),
		adjusted: written.reduce((sum, file) => sum + file.adjustedTextFields, 0),
	};
}

/** Full booking of one statement on its own: its lines and its record as the ledger keeps it. */
function bookAlone(statement: BookingInput['statements'][number], fingerprint: string, input: BookingInput, settings: BookingSettings) {
	const booked = mapToBookings({ statements: [statement], payments: [], orders: input.orders }, settings);
	const reconciliation = booked.statements[0];
	return { booked, reconciliation, record: statementRecord(statement, fingerprint, reconciliation.date, booked.lines) };
}

export interface PreparedMapping {
	settings: BookingSettings;
	input: BookingInput;
	failures: ItemFailure[];
	/** The keys whose delivery state the run needs: look them up and pass the recorded ones as `delivered`. */
	probeKeys: string[];
}

/** Validates settings and items; the node then looks up `probeKeys` before it calls runMapping. */
export function prepareMapping(request: Pick<MappingRequest, 'items' | 'booking' | 'continueOnFail' | 'records'>): PreparedMapping {
	const settings = parseBookingSettings(request.booking);
	const { input, failures } = parseEach(request.items, request.continueOnFail);
	const unique = withoutDuplicates(input).input;
	return { settings, input, failures, probeKeys: deliveryProbeKeys(unique, fingerprintsOf(unique), request.records) };
}

export function runMapping(request: MappingRequest, prepared: PreparedMapping = prepareMapping(request)): MappingResult {
	const { settings, input: parsed, failures } = prepared;
	const plan = planBooking(
		parsed,
		{ delivered: request.delivered ?? new Set(), legacy: new Set(request.legacyBooked ?? []), records: request.records },
		{ rebook: !request.skipBookedBefore, correction: request.correctionRun },
	);
	const input = plan.input;
	// Order details are no bookable sources: they only inform the statements' revenue lines.
	const booked = mapToBookings({ ...input, orders: parsed.orders }, settings);
	const receipts = new Map<string, DeliveryReceipt>();
	const reversed = new Map(plan.reversals.map((record) => [record.statementId, record]));
	const linesByStatement = new Map<string, BookingLine[]>();
	for (const line of booked.lines) {
		if (line.source.kind === 'payment') continue;
		const id = line.source.statementId ?? '';
		const list = linesByStatement.get(id);
		if (list) list.push(line);
		else linesByStatement.set(id, [line]);
	}
	const reconciliations = new Map(booked.statements.map((summary) => [summary.statementId, summary]));
	for (const statement of input.statements) {
		const fingerprint = plan.fingerprints.get(statement.id) ?? '';
		const reconciliation = reconciliations.get(statement.id);
		if (!reconciliation) continue;
		const record = statementRecord(statement, fingerprint, reconciliation.date, linesByStatement.get(statement.id) ?? []);
		const previous = reversed.get(statement.id);
		receipts.set(bookingKey('statement', statement.id), {
			keys: [
				bookingKey('statement', statement.id),
				versionKey(statement.id, fingerprint),
				...(previous && previous.fingerprint !== fingerprint ? [supersededKey(statement.id, previous.fingerprint)] : []),
			],
			records: [record],
		});
	}
	for (const payment of booked.payments) {
		receipts.set(bookingKey('payment', payment.paymentId), { keys: [bookingKey('payment', payment.paymentId)], records: [] });
	}

	const today = instantDate(Math.floor(request.now() / 1000), settings.timeZone);
	const correctionOutput = plan.corrections.map((correction) => correct(correction, plan.fingerprints, parsed, settings, today));
	const lines = [...booked.lines];
	for (const corrected of correctionOutput) {
		for (const line of corrected.lines) lines.push(line);
		receipts.set(bookingKey('statement', corrected.summary.statementId), corrected.receipt);
	}
	const written = toFiles(lines, request.datev, request.now);
	const reversalLinesOfRun = plan.reversals.flatMap((record) => reversalLines(record));
	const reversalWritten = toFiles(
		reversalLinesOfRun,
		request.datev && { ...request.datev, label: 'Storno', shopName: `${request.datev.shopName ?? 'TikTok'}_Storno` },
		request.now,
	);
	const files = written.files;
	const skippedMessages = plan.skipped.map((source) => source.message);
	// The engine makes its lines DATEV-safe itself; the writer's count only adds what it still had to change.
	const adjustedTextFields = booked.adjustedTextFields + written.adjusted + reversalWritten.adjusted;
	const statements: Array<StatementReconciliation | CorrectedStatement> = [...booked.statements, ...correctionOutput.map((corrected) => corrected.summary)];
	return {
		...booked,
		lines,
		statements,
		adjustedTextFields,
		skipped: [...plan.skipped, ...booked.skipped],
		warnings: [
			...(files.length + reversalWritten.files.length > 0 ? headerWarnings(request.datev) : []),
			...booked.warnings,
			...correctionOutput.flatMap((corrected) => corrected.summary.warnings),
			...skippedMessages,
			...adjustedWarning(adjustedTextFields),
		],
		failures,
		files,
		reversalFiles: reversalWritten.files,
		receipts,
		sourceItems: new Map([
			...parsed.statements.map((statement) => [bookingKey('statement', statement.id), statement.item] as const),
			...parsed.payments.map((payment) => [bookingKey('payment', payment.id), payment.item] as const),
		]),
	};
}

/** A statement changed after its delivery: the lines that take the books from the delivered version to this one. */
function correct(correction: Correction, fingerprints: ReadonlyMap<string, string>, input: BookingInput, settings: BookingSettings, today: string) {
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
