/**
 * The market's time. Every rule that depends on the hour (listing windows, block confirmation
 * deadlines, trading sessions) and the engine's timestamps read this one clock, so a simulation
 * or a test can pin it and move it forward: a whole trading day then runs in milliseconds.
 * Production never pins it.
 */
export class MarketClock {
  private pinnedAt: number | null = null;

  now(): Date {
    return new Date(this.pinnedAt ?? Date.now());
  }

  get pinned(): boolean {
    return this.pinnedAt !== null;
  }

  /** Stops time at `at`; from then on it moves only by `pin` and `advance`. */
  pin(at: Date): void {
    this.pinnedAt = at.getTime();
  }

  /** Moves pinned time forward (never backward: a market's time does not run back). */
  advance(ms: number): void {
    if (this.pinnedAt === null) throw new Error('advance needs a pinned clock');
    if (ms < 0) throw new Error('time does not run backward');
    this.pinnedAt += ms;
  }

  /** Back to the system clock. */
  release(): void {
    this.pinnedAt = null;
  }
}
