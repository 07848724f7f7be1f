/** Public API of the booking engine (no n8n imports, no Node built-ins). */
export {
	ACCOUNT_ROLES,
	type AccountRole,
	type AccountSet,
	CHART_NAMES,
	CHART_PRESETS,
	type ChartName,
	type ChartPreset,
	presetAccount,
	resolveChart,
	ROLE_LABELS,
	TAX_KEY_LABELS,
	TAX_KEY_ROLES,
	type TaxKeyRole,
	type TaxKeySet,
} from './charts';
export { type FeeCategory, feeCategory, KNOWN_FEE_FIELDS, KNOWN_TAX_FIELDS } from './fee-types';
export { statementDate, instantDate } from './dates';
export {
	bookingKey,
	type DedupePlan,
	type DeliveredState,
	deliveryProbeKeys,
	fingerprintsOf,
	planBooking,
	type SkippedSource,
	supersededKey,
	versionKey,
	withoutDuplicates,
} from './dedupe';
export {
	type BookedBucket,
	BucketTotals,
	bucketsOf,
	correctionLines,
	netOnAccount,
	reversalLines,
	statementFingerprint,
	statementRecord,
	type StatementRecord,
} from './ledger';
export {
	type BookingPage,
	type BookingResult,
	type BookingStream,
	bookItems,
	collectPage,
	DEFAULT_PAGE_SIZE,
	mapToBookings,
	type PaymentSummary,
	streamBookings,
	type StreamOptions,
} from './engine';
export {
	type BookingInput,
	BookingInputError,
	type BookingSources,
	type DeferredStatementInput,
	type InputIssue,
	type OrderInput,
	parseBookingInput,
	type PaymentInput,
	scanBookingInput,
	type StatementInput,
	type StatementSource,
	type TransactionInput,
} from './input';
export {
	type BookingSettings,
	BookingSettingsError,
	type BookingSettingsInput,
	bookingSettingsSchema,
	parseBookingSettings,
	VAT_RATES,
} from './settings';
export type { StatementReconciliation } from './statement-rules';
export { normaliseDocumentField, normaliseText, TEMPLATE_PLACEHOLDERS } from './text-fields';
