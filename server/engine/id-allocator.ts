import type { Knex } from 'knex';

const BLOCK = 100_000;

/**
 * Hands out order and trade ids synchronously inside a batch, from blocks reserved in PostgreSQL.
 * Ids only ever grow, across restarts too, so an order id doubles as its time priority.
 */
export class IdAllocator {
  private next = 0;
  private end = 0;
  private spare: Array<[number, number]> = [];

  constructor(private readonly knex: Knex) {}

  /**
   * Makes sure at least `count` ids can be taken without I/O; a batch reserves as many ids as it
   * could possibly use (an order and a trade per command, a trade per resting order).
   */
  async reserve(count: number): Promise<void> {
    while (this.available() < count) {
      const row = await this.knex.raw<{ rows: Array<{ block: string }> }>(`SELECT nextval('id_block_seq') AS block`);
      const block = Number(row.rows[0]!.block);
      const range: [number, number] = [block * BLOCK, (block + 1) * BLOCK];
      if (this.next >= this.end) [this.next, this.end] = range;
      else this.spare.push(range);
    }
  }

  available(): number {
    return this.end - this.next + this.spare.reduce((sum, [a, b]) => sum + (b - a), 0);
  }

  take(): number {
    if (this.next >= this.end) {
      const range = this.spare.shift();
      if (!range) throw new Error('id allocator exhausted inside a batch');
      [this.next, this.end] = range;
    }
    return this.next++;
  }
}
