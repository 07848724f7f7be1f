import type { BookingLine } from '../booking-line';
import {
	BookingInputError,
	bookingKey,
	mapToBookings,
	parseBookingInput,
	parseBookingSettings,
	planBooking,
	type BookingInput,
	type BookingResult,
	type BookingSettingsInput,
} from '../booking';
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
	/** Keys this workflow booked before (from its static data). */
	alreadyBooked: readonly string[];
	skipBookedBefore: boolean;
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

export interface MappingResult extends BookingResult {
	failures: ItemFailure[];
	files: DatevFile[];
	/** Keys to store once the output was handed on (n8n keeps them only for production runs). */
	remember: string[];
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

export function runMapping(request: MappingRequest): MappingResult {
	const settings = parseBookingSettings(request.booking);
	const { input, failures } = parseEach(request.items, request.continueOnFail);
	// Re-booking on purpose still remembers what was booked, so the next regular run skips it again.
	const plan = planBooking(input, request.alreadyBooked, { rebook: !request.skipBookedBefore });
	// Order details are no bookable sources: they only inform the statements' revenue lines.
	const booked = mapToBookings({ ...plan.input, orders: input.orders }, settings);
	const written = request.datev && booked.lines.length > 0 ? writeBatches(booked.lines, request.datev, request.now) : [];
	const files: DatevFile[] = written.map((file) => ({
		fileName: file.fileName,
		month: file.month,
		part: file.part,
		rows: file.rows,
		bytes: file.bytes,
	}));
	const skippedMessages = plan.skipped.map((source) => source.message);
	// The engine makes its lines DATEV-safe itself; the writer's count only adds what it still had to change.
	const adjustedTextFields = booked.adjustedTextFields + written.reduce((sum, file) => sum + file.adjustedTextFields, 0);
	return {
		...booked,
		adjustedTextFields,
		skipped: [...plan.skipped, ...booked.skipped],
		warnings: [
			...(files.length > 0 ? headerWarnings(request.datev) : []),
			...booked.warnings,
			...skippedMessages,
			...adjustedWarning(adjustedTextFields),
		],
		failures,
		files,
		remember: plan.remember,
		sourceItems: new Map([
			...input.statements.map((statement) => [bookingKey('statement', statement.id), statement.item] as const),
			...input.payments.map((payment) => [bookingKey('payment', payment.id), payment.item] as const),
		]),
	};
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
