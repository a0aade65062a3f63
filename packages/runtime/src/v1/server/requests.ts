/**
 * One connection's server→client requests still waiting for an answer (`ctx.request.<event>()`): when the
 * connection goes, every one of them rejects at once (DISCONNECTED) instead of waiting for its timeout.
 */
export class RequestTracker {
  /** Rejecters of the requests waiting: made on first use (most connections are never asked anything). */
  private waiting: Set<() => void> | undefined;
  private gone = false;

  /** Registers a waiting request; false when the connection is already gone (the caller aborts at once). */
  track(abort: () => void): boolean {
    if (this.gone) return false;
    (this.waiting ??= new Set()).add(abort);
    return true;
  }

  /** The request got its answer (or timed out). */
  untrack(abort: () => void): void {
    this.waiting?.delete(abort);
  }

  /** The connection is gone: rejects every waiting request, and every later one at once. */
  abortAll(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    this.gone = true;
    for (const abort of waiting ?? []) abort();
  }
}
