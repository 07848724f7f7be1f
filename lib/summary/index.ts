/** The monthly summary (HTML) of a DATEV file; pure, no n8n imports. */
export { accountTotals, MAX_LISTED_WARNINGS, monthlySummary, MonthlyLedger, type AccountTotal, type MonthlySummary, type MonthlySummaryInput } from './monthly';
export { escapeHtml } from './html';
export { germanAmount } from './amounts';
