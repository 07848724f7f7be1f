import { formatMinor } from '../money';

/** German notation for people, not for DATEV: "-1.234,56" (thousands with a dot, decimal comma). */
export function germanAmount(minor: number, currency: string): string {
	const plain = formatMinor(minor, currency, ',');
	const negative = plain.startsWith('-');
	const [whole, fraction] = (negative ? plain.slice(1) : plain).split(',');
	const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
	return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `,${fraction}`}`;
}
