/** Public API of the DATEV EXTF module (writer, reader, batching, encoding). */
export { writeBatches, planBatches, type BatchPlan, type WrittenBatch } from './batches';
export {
	createBatchWriter,
	type BatchChunk,
	type BatchWriter,
	type BatchWriterOptions,
	type FinishedBatchFile,
} from './batch-writer';
export { BUCHUNGSSTAPEL_COLUMNS_V13, COLUMN } from './columns';
export { decodeCp1252, encodeCp1252, toCp1252Text } from './cp1252';
export { DatevSettingsError, parseHeaderSettings, type HeaderSettings, type HeaderSettingsInput } from './header';
export {
	readBuchungsstapel,
	readBookingLines,
	DatevReadError,
	type DatevFile,
	type DatevHeader,
	type DatevRow,
	type ReadWarning,
} from './reader';
export { checkBookings, DatevValidationError, defaultAutomaticAccounts, type RuleContext, type RuleViolation } from './rules';
export {
	datevExportSettingsSchema,
	MAX_ROWS_PER_BATCH,
	parseDatevExportSettings,
	type DatevExportSettings,
	type DatevExportSettingsInput,
} from './settings';
export {
	encodeBuchungsstapel,
	writeBuchungsstapel,
	type BuchungsstapelSettingsInput,
	type EncodedBuchungsstapel,
	type WrittenBuchungsstapel,
} from './writer';
