/**
 * Revenue-account mode: which revenue account (and which DATEV tax columns) an order's revenue goes to.
 *
 * TikTok's Finance API carries no VAT rate and no destination country for an order; TikTok's Get Order Detail does
 * (line_items[].item_tax[].tax_rate, recipient_address.region_code, delivery_time). With order details in the input
 * the rate and destination come from them; without, every order is a German sale at the shop's default rate.
 * Whatever cannot be decided (several rates in one order, a foreign EU order without a rate, a destination outside
 * the EU, a rate without a revenue account) goes to the revenue clearing account with a warning: the adviser
 * assigns it, nothing is guessed.
 */
import type { AccountRole, TaxKeyRole } from './charts';
import { instantDate } from './dates';
import type { OrderInput, TransactionInput } from './input';
import type { TaxColumns } from './postings';
import type { BookingSettings } from './settings';

/** EU member states (ISO 3166-1 alpha-2) as TikTok's region codes write them. */
const EU_COUNTRIES = new Set([
	'AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'ES', 'FI', 'FR', 'GR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU',
	'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK',
]);

/** The seller's own country: the product is for German shops (EUR, SKR03/SKR04). */
const HOME_COUNTRY = 'DE';

/** DATEV writes Greece as EL in EU-Land u. UStID (datev-extf.md §1.4), like the EU's VAT numbers. */
function datevCountry(code: string): string {
	return code === 'GR' ? 'EL' : code;
}

const DOMESTIC_ROLES: ReadonlyMap<number, AccountRole & TaxKeyRole> = new Map([
	[1900, 'revenue19'],
	[700, 'revenue7'],
	[0, 'revenue0'],
]);

const percent = (hundredths: number): string =>
	`${Math.floor(hundredths / 100)}${hundredths % 100 === 0 ? '' : `,${String(hundredths % 100).padStart(2, '0')}`} %`;

export interface RevenueTarget {
	account: string;
	taxKey: string;
	/** EU-Land / EU-Steuersatz on OSS sales; Leistungsdatum and Datum Zuord. Steuerperiode when enabled. */
	taxColumns: TaxColumns;
}

export interface RevenueContext {
	settings: BookingSettings;
	/** Belegdatum of the lines (Datum Zuord. Steuerperiode: the VAT belongs to the booking's period). */
	date: string;
	describe: string;
	warn: (message: string) => void;
}

function toClearing(context: RevenueContext, why: string): RevenueTarget {
	const account = context.settings.accounts.revenueClearing;
	context.warn(`${context.describe}: ${why}; its revenue is booked on the revenue clearing account ${account}`);
	return { account, taxKey: '', taxColumns: {} };
}

function onRole(settings: BookingSettings, role: AccountRole & TaxKeyRole): Pick<RevenueTarget, 'account' | 'taxKey'> {
	return { account: settings.accounts[role], taxKey: settings.taxKeys[role] };
}

/**
 * Leistungsdatum: the delivery of the goods (Get Order Detail's delivery_time), else the order's creation, the
 * only date the Finance API gives. Datum Zuord. Steuerperiode is the Belegdatum, so the VAT lands in the period
 * of the file (DATEV rejects a Leistungsdatum without it).
 */
function serviceDates(transaction: TransactionInput, order: OrderInput | undefined, context: RevenueContext): TaxColumns {
	const time = order?.deliveryTime ?? order?.createTime ?? transaction.orderCreateTime;
	if (!context.settings.serviceDate || time === undefined) {
		return {};
	}
	return { serviceDate: instantDate(time, context.settings.timeZone), taxPeriodDate: context.date };
}

export function revenueTarget(transaction: TransactionInput, order: OrderInput | undefined, context: RevenueContext): RevenueTarget {
	const { settings } = context;
	const rates = order?.vatRates ?? [];
	if (rates.length > 1) {
		return toClearing(context, `the order's items carry several VAT rates (${rates.map(percent).join(', ')})`);
	}
	const dates = serviceDates(transaction, order, context);
	const rate = rates[0];
	const destination = order?.destinationCountry ?? '';
	const abroad = destination !== '' && destination !== HOME_COUNTRY;
	if (abroad && !EU_COUNTRIES.has(destination)) {
		return toClearing(context, `the order goes to ${destination}, outside the EU (an export is assigned by hand)`);
	}
	if (abroad && settings.euDistanceSales === 'oss') {
		if (rate === undefined) {
			return toClearing(context, `the order goes to ${destination}, but TikTok's data holds no VAT rate for it (OSS needs the destination's rate)`);
		}
		return { ...onRole(settings, 'revenueOss'), taxColumns: { euCountry: datevCountry(destination), euTaxRate: rate, ...dates } };
	}
	const effective = rate ?? Number(settings.defaultVatRate) * 100;
	const role = DOMESTIC_ROLES.get(effective);
	if (!role) {
		return toClearing(context, `its VAT rate ${percent(effective)} has no revenue account`);
	}
	return { ...onRole(settings, role), taxColumns: dates };
}
