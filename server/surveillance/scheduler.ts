/**
 * Time as surveillance sees it. Rules never read a clock; the service asks its scheduler, so a
 * test can move time forward by minutes without waiting for them.
 */
export interface Scheduler {
  now(): Date;
  /** Runs `task` once after `ms`; the returned function cancels it if it has not run yet. */
  after(ms: number, task: () => void): () => void;
}

export const systemScheduler: Scheduler = {
  now: () => new Date(),
  after(ms, task) {
    const timer = setTimeout(task, ms);
    timer.unref?.();
    return () => clearTimeout(timer);
  },
};

interface Pending {
  at: number;
  order: number;
  task: () => void;
}

/** A scheduler whose time moves only when told to; tasks fall due in time order. */
export class ManualScheduler implements Scheduler {
  private current: number;
  private pending: Pending[] = [];
  private counter = 0;

  constructor(start: Date = new Date('2026-11-30T02:00:00.000Z')) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  after(ms: number, task: () => void): () => void {
    const entry: Pending = { at: this.current + Math.max(0, ms), order: this.counter++, task };
    this.pending.push(entry);
    return () => {
      this.pending = this.pending.filter((p) => p !== entry);
    };
  }

  /** Tasks waiting to run. */
  get waiting(): number {
    return this.pending.length;
  }

  /** Moves time forward, running every task that falls due on the way, in order. */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      const due = this.pending.filter((p) => p.at <= target).sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!due) break;
      this.pending = this.pending.filter((p) => p !== due);
      this.current = due.at;
      due.task();
    }
    this.current = target;
  }
}
