import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Where a message sits in its stream: `sequence` counts from 1 within one `epoch`. */
export interface StreamStamp {
  stream: string;
  epoch: string;
  sequence: number;
}

export interface StreamPosition {
  epoch: string;
  sequence: number;
}

interface Numbered {
  stream: string;
  once: string | null;
  send: (stamp: StreamStamp) => void;
}
interface Plain {
  stream: null;
  send: () => void;
}
type Entry = Numbered | Plain;

const EPOCH_FIELD = '~epoch';

// One round trip numbers every message queued in one turn of the event loop. The counters live
// in one hash per platform (REDIS_PREFIX), so every node numbers a stream from the same counter;
// the epoch lives in the same hash, so if Redis loses the hash, counting restarts under a new
// epoch and clients notice instead of mistaking the new numbers for duplicates.
// KEYS[1] = counters hash, KEYS[2..] = "once" claim keys; ARGV[1] = candidate epoch, then pairs
// (stream, index into KEYS of its claim key or 0). Returns {epoch, n1, n2, …}; n = 0: skipped.
const NUMBER_SCRIPT = `
local epoch = redis.call('HGET', KEYS[1], '${EPOCH_FIELD}')
if not epoch then
  epoch = ARGV[1]
  redis.call('HSET', KEYS[1], '${EPOCH_FIELD}', epoch)
end
local out = { epoch }
for i = 2, #ARGV, 2 do
  local once = tonumber(ARGV[i + 1])
  if once > 0 and not redis.call('SET', KEYS[once], '1', 'NX', 'EX', 86400) then
    out[#out + 1] = 0
  else
    out[#out + 1] = redis.call('HINCRBY', KEYS[1], ARGV[i], 1)
  end
end
return out
`;

/**
 * Numbers live messages per stream with no gaps and sends them in the order they were queued.
 * A message is sent only once it has its number; if Redis cannot be reached its numbered
 * messages are not sent at all (the next one shows the gap, and the client reloads), while
 * plain messages queued among them still go out in order.
 */
export class StreamSequencer {
  private queue: Entry[] = [];
  private scheduled = false;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly onError: (error: unknown) => void,
  ) {
    // EVALSHA with a fallback to EVAL: the script text is sent once per connection.
    if (!('ecoNumberLive' in redis)) redis.defineCommand('ecoNumberLive', { lua: NUMBER_SCRIPT });
  }

  private get counters(): string {
    return `${this.prefix}:live:seq`;
  }

  /**
   * Queues a message of `stream`. `once`, when given, is a key claimed in Redis for a day: if any
   * node already claimed it (the same settlement seen by every node), the message is dropped
   * without using a number.
   */
  number(stream: string, send: (stamp: StreamStamp) => void, once?: string): void {
    this.push({ stream, once: once ?? null, send });
  }

  /** Queues a message that carries no stream number, in order with the numbered ones. */
  plain(send: () => void): void {
    this.push({ stream: null, send });
  }

  /** Current positions of the given streams (sequence 0 when nothing was sent yet). */
  async positions(streams: readonly string[]): Promise<Record<string, StreamPosition>> {
    const values = await this.redis.hmget(this.counters, EPOCH_FIELD, ...streams);
    let epoch = values[0] ?? null;
    if (epoch === null) {
      await this.redis.hsetnx(this.counters, EPOCH_FIELD, newEpoch());
      epoch = (await this.redis.hget(this.counters, EPOCH_FIELD)) ?? '';
    }
    const out: Record<string, StreamPosition> = {};
    streams.forEach((stream, i) => {
      out[stream] = { epoch: epoch, sequence: Number(values[i + 1] ?? 0) };
    });
    return out;
  }

  /** Sends what is queued, then stops numbering. */
  async close(): Promise<void> {
    this.flushNow();
    this.closed = true;
    await this.chain;
  }

  private push(entry: Entry): void {
    if (this.closed) return;
    this.queue.push(entry);
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flushNow());
    }
  }

  private flushNow(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    const numbered = batch.filter((e): e is Numbered => e.stream !== null);
    if (numbered.length === 0) {
      // Keep the order with batches still waiting for their numbers.
      this.chain = this.chain.then(() => sendAll(batch, null, this.onError));
      return;
    }
    const keys = [this.counters];
    const args: Array<string | number> = [newEpoch()];
    for (const e of numbered) {
      let onceIndex = 0;
      if (e.once !== null) {
        keys.push(`${this.prefix}:live:once:${e.once}`);
        onceIndex = keys.length;
      }
      args.push(e.stream, onceIndex);
    }
    // Replies on one connection come back in the order the calls were made, and each batch waits
    // for the previous one, so messages leave in the order they were queued.
    const reply = (this.redis as unknown as NumberingRedis).ecoNumberLive(keys.length, ...keys, ...args);
    reply.catch(() => {}); // handled below, once the previous batch is out
    this.chain = this.chain.then(() => reply).then(
      (out) => sendAll(batch, out, this.onError),
      (error: unknown) => {
        this.onError(error);
        sendAll(batch, 'failed', this.onError);
      },
    );
  }
}

interface NumberingRedis {
  ecoNumberLive(numKeys: number, ...keysAndArgs: Array<string | number>): Promise<Array<string | number>>;
}

function newEpoch(): string {
  return randomBytes(6).toString('base64url');
}

function sendAll(batch: Entry[], reply: Array<string | number> | null | 'failed', onError: (error: unknown) => void): void {
  const epoch = Array.isArray(reply) ? String(reply[0]) : '';
  let k = 1;
  for (const e of batch) {
    try {
      if (e.stream === null) {
        e.send();
        continue;
      }
      const sequence = Array.isArray(reply) ? Number(reply[k++]) : 0;
      if (sequence > 0) e.send({ stream: e.stream, epoch, sequence });
    } catch (error) {
      onError(error);
    }
  }
}
