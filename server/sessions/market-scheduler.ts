import type { FastifyBaseLogger } from 'fastify';
import type { MarketClock } from './market-clock.ts';

/** Work that falls due at market times: listing closes, block confirmation deadlines, sessions. */
export interface DueWork {
  name: string;
  /** The earliest time something of this work is due (possibly already past), or null. */
  nextDueAt(now: Date): Promise<Date | null>;
  /** Does everything due at `now`; must be idempotent, since a restart may run it again. */
  runDue(now: Date): Promise<void>;
}

/**
 * Runs due work in one serial lane. On the system clock it wakes every `tickMs` (and sooner when
 * something falls due sooner). On a pinned clock it never wakes by itself: the caller moves time
 * with `advanceTo`, which stops at every due time on the way, in order, so a test or simulation
 * sees exactly what a real day would do, without waiting for it.
 */
export class MarketScheduler {
  private readonly works: DueWork[] = [];
  private lane: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    readonly clock: MarketClock,
    private readonly log: FastifyBaseLogger,
    private readonly tickMs: number,
  ) {}

  register(work: DueWork): void {
    this.works.push(work);
  }

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.lane;
  }

  /** Runs every work's due items at the clock's current time; resolves when they are done. */
  runDue(): Promise<void> {
    const run = this.lane.then(async () => {
      const now = this.clock.now();
      for (const work of this.works) {
        try {
          await work.runDue(now);
        } catch (error) {
          this.log.error({ err: error, work: work.name }, 'scheduled market work failed; it is retried at the next tick');
        }
      }
    });
    this.lane = run;
    return run;
  }

  /** The earliest due time over all work, or null. */
  async nextDueAt(): Promise<Date | null> {
    const now = this.clock.now();
    let earliest: Date | null = null;
    for (const work of this.works) {
      const at = await work.nextDueAt(now);
      if (at && (!earliest || at < earliest)) earliest = at;
    }
    return earliest;
  }

  /**
   * Moves a pinned clock to `at`, stopping at each due time on the way and running what is due
   * there. A work that keeps reporting the same past due time (it failed) does not loop forever.
   */
  async advanceTo(at: Date): Promise<void> {
    if (!this.clock.pinned) throw new Error('advanceTo needs a pinned clock');
    let lastStop = -1;
    let repeats = 0;
    for (let steps = 0; steps < 10_000; steps++) {
      const due = await this.nextDueAt();
      const now = this.clock.now();
      if (!due || due > at) break;
      const stop = Math.max(due.getTime(), now.getTime());
      // Work done at one instant may make more due at that instant; a third pass that still
      // finds the same time due is a failure, left for the final run and the log.
      repeats = stop === lastStop ? repeats + 1 : 0;
      if (repeats >= 3) break;
      lastStop = stop;
      this.clock.pin(new Date(stop));
      await this.runDue();
    }
    if (at > this.clock.now()) this.clock.pin(at);
    await this.runDue();
  }

  /** Moves a pinned clock forward by `ms`; see advanceTo. */
  advance(ms: number): Promise<void> {
    return this.advanceTo(new Date(this.clock.now().getTime() + ms));
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    if (!this.running) return;
    let delay = this.tickMs;
    if (!this.clock.pinned) {
      await this.runDue();
      try {
        const due = await this.nextDueAt();
        if (due) delay = Math.max(20, Math.min(this.tickMs, due.getTime() - Date.now()));
      } catch (error) {
        this.log.error({ err: error }, 'could not read the next market due time');
      }
    }
    this.schedule(delay);
  }
}

declare module '../platform.ts' {
  interface Platform {
    /** The market's time; tests and simulations pin it. */
    clock: MarketClock;
    /** Runs listing closes, block deadlines and session changes when they fall due. */
    scheduler: MarketScheduler;
  }
}
