import type { AuthorizationState } from './stored';

/*
 * The seller's authorization ends at TikTok's refresh_token_expire_in (the duration the seller chose, usually a
 * year); afterwards every run fails until the seller authorizes the app again. TikTok itself warns 30 days ahead.
 * The fetch node adds a notice to its output and the trigger emits an event once, N days before.
 */

export const DEFAULT_NOTICE_DAYS = 30;
const DAY_MS = 86_400_000;

export interface AuthorizationNotice {
	notice: string;
	/** YYYY-MM-DD (UTC) of the end of the authorization. */
	authorizationEndsOn: string;
	/** Whole days left (0 on the last day, negative once ended). */
	daysLeft: number;
	/** Unix seconds, as TikTok sent it. */
	refreshTokenExpiresAt: number;
	/** The seller's authorization link, when the credential has a Service ID. */
	authorizationUrl: string;
}

/** The notice when fewer than `days` days are left; undefined otherwise or when the end is unknown. */
export function authorizationNotice(
	state: AuthorizationState | undefined,
	options: { nowMs: number; days: number; authorizationUrl?: string },
): AuthorizationNotice | undefined {
	const endsAtMs = (state?.refreshExpiresAt ?? 0) * 1000;
	if (endsAtMs <= 0 || endsAtMs - options.nowMs >= options.days * DAY_MS) return undefined;
	return describe(state as AuthorizationState, options.nowMs, options.authorizationUrl);
}

function describe(state: AuthorizationState, nowMs: number, authorizationUrl: string | undefined): AuthorizationNotice {
	const endsAtMs = state.refreshExpiresAt * 1000;
	const endsOn = new Date(endsAtMs).toISOString().slice(0, 10);
	const daysLeft = Math.floor((endsAtMs - nowMs) / DAY_MS);
	const how = authorizationUrl
		? `open ${authorizationUrl} while logged in to Seller Center`
		: 'open the authorization link from Partner Center (App → Authorization → Copy authorization link) while logged in to Seller Center';
	const when = endsAtMs <= nowMs ? `ended on ${endsOn}` : `ends on ${endsOn} (in ${daysLeft} day${daysLeft === 1 ? '' : 's'})`;
	return {
		notice: `The seller's TikTok Shop authorization ${when}. Then every run fails until the seller authorizes the app again: ${how}, and paste the new code into the TikTok Payments credential's Authorization Code.`,
		authorizationEndsOn: endsOn,
		daysLeft,
		refreshTokenExpiresAt: state.refreshExpiresAt,
		authorizationUrl: authorizationUrl ?? '',
	};
}

/**
 * The trigger's "Authorization Expiring" event: emitted once per authorization (a new authorization has a new end,
 * and is announced again). `notifiedFor` is the end the trigger last announced (kept in its static data). A manual
 * test run shows the current status without remembering it.
 */
export function authorizationExpiringEvent(
	state: AuthorizationState | undefined,
	options: { nowMs: number; days: number; authorizationUrl?: string; notifiedFor?: number; manual: boolean },
): { event?: AuthorizationNotice; notifiedFor?: number } {
	if (options.manual) {
		return { event: state && state.refreshExpiresAt > 0 ? describe(state, options.nowMs, options.authorizationUrl) : undefined, notifiedFor: options.notifiedFor };
	}
	const notice = authorizationNotice(state, options);
	if (!notice || notice.refreshTokenExpiresAt === options.notifiedFor) return { notifiedFor: options.notifiedFor };
	return { event: notice, notifiedFor: notice.refreshTokenExpiresAt };
}
