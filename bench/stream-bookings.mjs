// A streaming prototype of "items → bookings → DATEV files" built only from the library's public pure pieces, to
// measure what memory the month needs when nothing holds the whole month (bench 1, mode "stream").
//
// The library path (bookItems + writeBatches) needs every statement item, every BookingLine and every file's bytes
// at once. Here one statement item at a time is parsed and mapped, its lines are encoded with encodeBuchungsstapel
// and the chunks go straight to the file. What the library decides over the whole input is reproduced exactly:
// - order: the engine sorts sources by (Belegdatum, statements before payments, time, id). Statements arrive sorted
//   (Get Statements, sort_field statement_time ASC); the month's few payments are booked up front and merged in.
// - files: one per booking month, split into parts of maxRowsPerFile rows. Whether a month needs parts (" T1" in the
//   Bezeichnung, "_1" in the file name) is only known when its row 99,999 + 1 arrives; the first file is then
//   rewritten once with the part-1 header (a disk-to-disk copy of at most one file).
// bench/bookings-child.mjs checks that the bytes equal the library path's.
import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import {
	clientSettingsSchema,
	compareText,
	encodeBuchungsstapel,
	mapToBookings,
	parseBookingInput,
	parseBookingSettings,
	parseDatevExportSettings,
	planBatches,
} from './ts-modules.mjs';

/** The engine's group order (lib/booking/engine.ts compareGroups). */
function compareGroups(a, b) {
	if (a.date !== b.date) return a.date < b.date ? -1 : 1;
	if (a.rank !== b.rank) return a.rank - b.rank;
	if (a.time !== b.time) return a.time - b.time;
	return compareText(a.id, b.id);
}

function concat(chunks) {
	const total = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
	const bytes = new Uint8Array(total);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.length;
	}
	return bytes;
}

/** Writes the Buchungsstapel files of one export, month by month, part by part, as lines arrive in order. */
class FileWriter {
	constructor(outDir, datevSettings, createdAt) {
		this.outDir = outDir;
		this.settings = parseDatevExportSettings(datevSettings);
		this.common = {
			...clientSettingsSchema.parse(this.settings),
			shopName: this.settings.shopName,
			automaticAccounts: this.settings.automaticAccounts,
		};
		this.createdAt = createdAt;
		this.files = [];
		this.current = undefined;
	}

	/** Header settings and file name of a file, taken from planBatches so they match writeBatches exactly. */
	plan(line, part) {
		// planBatches derives parts from the row count: with one row per file, n ≥ 2 rows give parts 1…n.
		const settings = part === undefined ? this.settings : { ...this.settings, maxRowsPerFile: 1 };
		const rows = part === undefined ? [line] : Array(Math.max(2, part)).fill(line);
		const { plans, unplaced } = planBatches(rows, settings);
		if (unplaced.length > 0) throw new Error(unplaced[0].message);
		const plan = plans[part === undefined ? 0 : part - 1];
		const fileSettings = {
			...this.common,
			fiscalYearStart: plan.fiscalYearStart,
			periodFrom: plan.periodFrom,
			periodTo: plan.periodTo,
			description: plan.description,
			createdAt: this.createdAt,
			part: plan.part,
		};
		const header = concat([...encodeBuchungsstapel([], fileSettings).chunks]);
		return { fileName: plan.fileName, fileSettings, header };
	}

	open(month, line, part) {
		const plan = this.plan(line, part);
		const path = join(this.outDir, plan.fileName);
		const fd = openSync(path, 'w');
		writeSync(fd, plan.header);
		this.current = { month, part, line, rows: 0, bytes: plan.header.length, fd, path, ...plan };
	}

	close() {
		const file = this.current;
		if (!file) return;
		closeSync(file.fd);
		this.files.push({ fileName: file.fileName, rows: file.rows, bytes: file.bytes });
		this.current = undefined;
	}

	/** The month outgrew one file: its unsplit first file becomes part 1 (new header and name, same rows). */
	becomePartOne() {
		const old = this.current;
		closeSync(old.fd);
		this.open(old.month, old.line, 1);
		const input = openSync(old.path, 'r');
		const buffer = new Uint8Array(1 << 20);
		let position = old.header.length;
		for (;;) {
			const read = readSync(input, buffer, 0, buffer.length, position);
			if (read === 0) break;
			writeSync(this.current.fd, buffer, 0, read);
			position += read;
		}
		closeSync(input);
		rmSync(old.path);
		this.current.rows = old.rows;
		this.current.bytes += position - old.header.length;
	}

	/** Appends rows; `lines` all belong to one month, later than or equal to the current one. */
	append(lines) {
		const month = lines[0].date.slice(0, 7);
		if (this.current && this.current.month !== month) this.close();
		if (!this.current) this.open(month, lines[0], undefined);
		let rest = lines;
		while (rest.length > 0) {
			let room = this.settings.maxRowsPerFile - this.current.rows;
			if (room === 0) {
				if (this.current.part === undefined) this.becomePartOne();
				const { part, line } = this.current;
				this.close();
				this.open(month, line, part + 1);
				room = this.settings.maxRowsPerFile;
			}
			const take = rest.length <= room ? rest : rest.slice(0, room);
			this.writeRows(take);
			rest = take === rest ? [] : rest.slice(room);
		}
	}

	writeRows(lines) {
		const file = this.current;
		// The rows are encoded with this file's settings (so they are checked against its period); the header the
		// encoder puts first was written when the file was opened.
		let skip = file.header.length;
		for (const chunk of encodeBuchungsstapel(lines, file.fileSettings).chunks) {
			if (skip >= chunk.length) {
				skip -= chunk.length;
				continue;
			}
			const part = skip > 0 ? chunk.subarray(skip) : chunk;
			skip = 0;
			writeSync(file.fd, part);
			file.bytes += part.length;
		}
		file.rows += lines.length;
	}
}

/**
 * Books `statementItems` (an iterable of Map node statement items, ascending by statement_time) and `paymentItems`
 * (payment items, any order) into DATEV files in `outDir`. Returns { lines, transactions, files }.
 */
export function streamBookingsToFiles({ statementItems, paymentItems, bookingSettings, datevSettings, createdAt, outDir }) {
	const settings = parseBookingSettings(bookingSettings);
	const writer = new FileWriter(outDir, datevSettings, createdAt);
	let lineCount = 0;
	let transactions = 0;
	const emit = (group) => {
		// A group's lines share one Belegdatum, so they go to one month.
		if (group.lines.length > 0) writer.append(group.lines);
		lineCount += group.lines.length;
	};

	const seenPayments = new Set();
	const pending = [];
	for (const payment of paymentItems.length > 0 ? parseBookingInput(paymentItems).payments : []) {
		if (seenPayments.has(payment.id)) continue;
		seenPayments.add(payment.id);
		const booked = mapToBookings({ statements: [], payments: [payment] }, settings);
		if (booked.payments.length === 0) continue; // not paid yet: the engine skips it
		pending.push({ date: booked.payments[0].date, rank: 1, time: payment.paidTime ?? payment.createTime ?? 0, id: payment.id, lines: booked.lines });
	}
	pending.sort(compareGroups);

	const seenStatements = new Set();
	let previous;
	for (const item of statementItems) {
		const input = parseBookingInput([item]);
		const statement = input.statements[0];
		if (seenStatements.has(statement.id)) continue;
		seenStatements.add(statement.id);
		transactions += statement.transactions.length;
		const booked = mapToBookings(input, settings);
		const group = { date: booked.statements[0].date, rank: 0, time: statement.time, id: statement.id, lines: booked.lines };
		if (previous && compareGroups(previous, group) > 0) {
			throw new Error(`statement ${statement.id} arrives out of order: the streaming path needs statements sorted by statement_time`);
		}
		previous = { ...group, lines: [] };
		while (pending.length > 0 && compareGroups(pending[0], group) < 0) emit(pending.shift());
		emit(group);
	}
	for (const group of pending) emit(group);
	writer.close();
	return { lines: lineCount, transactions, files: writer.files };
}
