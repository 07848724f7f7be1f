/**
 * Concurrent requests of one client and an access token TikTok rejects (105002): one request renews the token and
 * the others wait for it, then send again. Without this, each would ask for a renewal; TikTok's refresh tokens are
 * single-use, so a second renewal with the same refresh token fails and ends the authorization.
 */
export class TokenRecovery {
	private pending: Promise<void> | undefined;
	/** Counts renewals, so that a request knows whether the token changed since it went out. */
	private epoch = 0;

	/**
	 * Before sending: waits while another request renews the token. Returns the epoch the request goes out in.
	 * `renewing`: this request is the one renewing (its retry carries the renewal).
	 */
	async ready(renewing: boolean): Promise<number> {
		while (!renewing && this.pending) await this.pending;
		return this.epoch;
	}

	/**
	 * A request sent in `epoch` was rejected for its token. Returns `finish` when this request must renew it (ask for
	 * the renewal, send again, then call `finish(true)` once answered, or `finish(false)` if it gave up); undefined
	 * when the token was renewed since the request went out or another request is renewing it: just send again.
	 */
	begin(epoch: number): ((renewed: boolean) => void) | undefined {
		if (epoch !== this.epoch || this.pending) return undefined;
		let release = (): void => undefined;
		this.pending = new Promise<void>((resolve) => {
			release = resolve;
		});
		return (renewed) => {
			if (renewed) this.epoch += 1;
			this.pending = undefined;
			release();
		};
	}
}
