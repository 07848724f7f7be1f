// What every bench books with: the Map to SKR Bookings node's defaults (SKR03, clearing mode) and DATEV files for
// Beraternummer 1001 / Mandant 1. A module of its own, without the TypeScript sources, so that bench 1 can measure
// the compiled library in a process that loads nothing else.
export const SEED = 1;
export const BOOKING_SETTINGS = { chart: 'SKR03', revenueMode: 'clearing' };
export const DATEV_SETTINGS = {
	consultantNumber: 1001,
	clientNumber: 1,
	chartOfAccounts: '03',
	shopName: 'BenchShop',
	label: 'TikTok Shop',
};
/** Erzeugt am of every file, fixed so that two runs (and two code paths) write identical bytes. */
export const CREATED_AT = Date.UTC(2025, 1, 3, 8, 0, 0);
/** Bench 1's month (any month gives the same shape; a fixed one keeps the data identical across runs). */
export const BOOKINGS_MONTH = '2025-01';
