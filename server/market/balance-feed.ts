import type { Account as AccountSnapshot } from '../../contract/account.ts';

export interface BalanceFeedOptions {
  /** Reads the snapshots of many participants at once. */
  read: (participantIds: string[]) => Promise<Map<string, AccountSnapshot>>;
  send: (participantId: string, balance: AccountSnapshot) => void;
  onError: (err: unknown) => void;
  /** Least time between two reads. */
  intervalMs: number;
}

/**
 * Live balance pushes. Every commit marks the participants whose balances it changed; one read
 * per interval serves all of them, so a busy market costs a statement every interval instead of
 * one per participant per commit. A read always starts after the marks it serves were made, so
 * nobody is left holding a balance older than their last change.
 */
export class BalanceFeed {
  private readonly dirty = new Set<string>();
  private reading = false;
  private timer: NodeJS.Timeout | null = null;
  private lastReadAt = -Infinity;
  private closed = false;

  constructor(private readonly options: BalanceFeedOptions) {}

  mark(participantId: string): void {
    if (this.closed) return;
    this.dirty.add(participantId);
    this.schedule();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.reading || this.timer || this.closed || this.dirty.size === 0) return;
    const wait = Math.max(0, this.lastReadAt + this.options.intervalMs - performance.now());
    this.timer = setTimeout(() => this.read(), wait);
  }

  private read(): void {
    this.timer = null;
    const ids = [...this.dirty];
    this.dirty.clear();
    this.reading = true;
    this.lastReadAt = performance.now();
    this.options
      .read(ids)
      .then((snapshots) => {
        if (this.closed) return;
        for (const [id, balance] of snapshots) this.options.send(id, balance);
      })
      .catch(this.options.onError)
      .finally(() => {
        this.reading = false;
        this.schedule();
      });
  }
}
