import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** Where a stream stands: `sequence` counts from 1 within one `epoch`. */
export interface StreamPosition {
  epoch: string;
  sequence: number;
}

/** A message of a stream that several nodes feed (a participant's account, the regulators'). */
export interface NumberedMessage {
  namespace: string;
  /** The room to send to, or null for the whole namespace. */
  room: string | null;
  event: string;
  stream: string;
  body: object;
  /**
   * A key claimed in Redis for ten minutes: when every node hears the same event (a settlement), the
   * first to claim it sends it and the others send nothing and use no number.
   */
  once?: string;
}

export type Deliver = (namespace: string, room: string | null, event: string, payload: Record<string, unknown>) => void;

const EPOCH_FIELD = '~epoch';
// One publication carries every message of a flush, split by the ASCII record separator (JSON
// escapes it inside strings; names and rooms never hold it): a busy market costs every node one
// Redis message per flush instead of one per order event.
const SEPARATOR = '\x1e';
// Nodes hear a shared event within moments of each other (live queue events, never replayed), so
// a claim only has to outlive that spread. A day's worth of claims at hundreds of trades a second
// would hold tens of millions of keys.
const ONCE_TTL_SECONDS = 600;

// Numbers and publishes in one atomic step, so every node receives a stream's messages in the
// order of their numbers, whichever node produced them. The counters live in one hash per
// platform (REDIS_PREFIX) together with the epoch: if Redis loses the hash, counting restarts
// under a new epoch and clients notice instead of mistaking new numbers for duplicates.
// KEYS[1] = counters hash, KEYS[2..] = claim keys; ARGV[1] = candidate epoch, ARGV[2] = channel,
// then triples (stream, index into KEYS of its claim key or 0, "header\njson").
const PUBLISH_SCRIPT = `
local epoch = redis.call('HGET', KEYS[1], '${EPOCH_FIELD}')
if not epoch then
  epoch = ARGV[1]
  redis.call('HSET', KEYS[1], '${EPOCH_FIELD}', epoch)
end
local out = {}
for i = 3, #ARGV, 3 do
  local once = tonumber(ARGV[i + 1])
  if once == 0 or redis.call('SET', KEYS[once], '1', 'NX', 'EX', ${ONCE_TTL_SECONDS}) then
    local sequence = redis.call('HINCRBY', KEYS[1], ARGV[i], 1)
    out[#out + 1] = sequence .. ' ' .. epoch .. ' ' .. ARGV[i + 2]
  end
end
if #out > 0 then redis.call('PUBLISH', ARGV[2], table.concat(out, '${SEPARATOR}')) end
return #out
`;

interface PublishingRedis {
  ecoPublishNumbered(numKeys: number, ...keysAndArgs: Array<string | number>): Promise<number>;
}

/**
 * Numbered, ordered delivery for streams with more than one producer. A node queues messages;
 * once per turn of the event loop one script call numbers them and publishes them on a Redis
 * channel every node listens to; each node hands a message to its own sockets in the room.
 * If Redis cannot be reached nothing is numbered or sent, and if a node misses a publication its
 * subscribers see the gap at the next message: either way the client reloads its snapshot.
 */
export class StreamSequencer {
  private queue: NumberedMessage[] = [];
  private scheduled = false;
  private closed = false;
  private readonly channel: string;
  private readonly counters: string;

  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
    private readonly deliver: Deliver,
    /** Whether this node has sockets in a room (null: in the namespace): others' messages are not even parsed. */
    private readonly hasAudience: (namespace: string, room: string | null) => boolean,
    private readonly onError: (error: unknown) => void,
  ) {
    this.channel = `${prefix}:live:numbered`;
    this.counters = `${prefix}:live:seq`;
    if (!('ecoPublishNumbered' in redis)) redis.defineCommand('ecoPublishNumbered', { lua: PUBLISH_SCRIPT });
  }

  /** Subscribes to the channel; resolves once Redis confirmed the subscription. */
  async start(): Promise<void> {
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.receive(message);
    });
    await this.subscriber.subscribe(this.channel);
  }

  publish(message: NumberedMessage): void {
    if (this.closed) return;
    this.queue.push(message);
    if (!this.scheduled) {
      this.scheduled = true;
      process.nextTick(() => this.flush());
    }
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

  /** Publishes what is queued, then stops (the caller closes both connections). */
  async close(): Promise<void> {
    const last = this.flush();
    this.closed = true;
    await last;
  }

  /** Numbers and publishes what is queued now rather than on the next tick. */
  flushNow(): void {
    void this.flush();
  }

  private flush(): Promise<unknown> {
    this.scheduled = false;
    if (this.queue.length === 0) return Promise.resolve();
    const batch = this.queue;
    this.queue = [];
    const keys = [this.counters];
    const args: Array<string | number> = [newEpoch(), this.channel];
    for (const m of batch) {
      let onceIndex = 0;
      if (m.once !== undefined) {
        keys.push(`${this.prefix}:live:once:${m.once}`);
        onceIndex = keys.length;
      }
      // The header names where the message goes, so a node without sockets there skips the body.
      args.push(m.stream, onceIndex, `${m.namespace} ${m.room ?? '-'} ${m.event} ${m.stream}\n${JSON.stringify(m.body)}`);
    }
    return (this.redis as unknown as PublishingRedis).ecoPublishNumbered(keys.length, ...keys, ...args).catch(this.onError);
  }

  private receive(publication: string): void {
    for (const message of publication.split(SEPARATOR)) {
      try {
        const newline = message.indexOf('\n');
        const [sequence, epoch, namespace, room, event, stream] = message.slice(0, newline).split(' ');
        if (!sequence || !epoch || !namespace || !room || !event || !stream) continue;
        const target = room === '-' ? null : room;
        if (!this.hasAudience(namespace, target)) continue;
        const body = JSON.parse(message.slice(newline + 1)) as Record<string, unknown>;
        this.deliver(namespace, target, event, { stream, epoch, sequence: Number(sequence), ...body });
      } catch (error) {
        this.onError(error);
      }
    }
  }
}

function newEpoch(): string {
  return randomBytes(6).toString('base64url');
}
