// Child process of the fan-out benchmark: holds a share of the socket.io clients, subscribes them
// to one symbol, and measures, for every trade each client receives, the time from the trade's
// commit (`committedAt`, stamped by the server from the same machine clock) to its receipt here.
// Each client also runs the sequence tracker, so a lost or reordered message would be counted.
import { io, type Socket } from 'socket.io-client';
import { sequencedOf, StreamSequenceTracker } from '../../client/src/shared/socket/stream-sequence.ts';
import { Histogram } from './fanout-histogram.ts';
import { WireClient } from './fanout-wire-client.ts';

/** socket.io-client, as a browser runs it, or the lean wire-protocol client (fanout-wire-client.ts). */
export type ClientKind = 'socket.io' | 'wire';

export type ParentMessage =
  | { type: 'start'; url: string; symbol: string; count: number; channels: string[]; client: ClientKind }
  | { type: 'clock'; t: number }
  | { type: 'measure'; from: number }
  | { type: 'cpu' }
  | { type: 'cpuStop' }
  | { type: 'finish' };

export type ChildMessage =
  | { type: 'connected'; count: number }
  | { type: 'clock'; t: number; child: number }
  | { type: 'tick'; receipts: number; messages: number; gaps: number; p99: number }
  | { type: 'report'; histogram: ReturnType<Histogram['toData']>; receipts: number; messages: number; gaps: number; resets: number; disconnects: number; cpuMs: number }
  | { type: 'error'; message: string };

const now = (): number => performance.timeOrigin + performance.now();
const send = (m: ChildMessage) => process.send!(m);

const sockets: Array<{ close(): void }> = [];
const histogram = new Histogram();
const window = new Histogram();
let measureFrom = Infinity;
let receipts = 0;
let messages = 0;
let gaps = 0;
let resets = 0;
let disconnects = 0;
let finishing = false;
const lost = () => {
  if (!finishing) disconnects += 1;
};
let cpuFrom: NodeJS.CpuUsage | undefined;
let cpuUsed: NodeJS.CpuUsage | undefined;

/** Measures what one client receives: every trade's commit-to-receipt time, and sequence gaps. */
function receiver(): (event: string, payload: { stream?: string; trades?: Array<{ committedAt: number }> }) => void {
  const tracker = new StreamSequenceTracker((_stream, verdict) => {
    if (verdict.kind === 'gap') gaps += 1;
    else resets += 1;
  });
  return (event, payload) => {
    const at = now();
    messages += 1;
    const position = sequencedOf(payload);
    // Book snapshots heal themselves; every other stream must arrive whole.
    if (position && payload.stream && event !== 'book') tracker.observe(payload.stream, position);
    if (event !== 'trade' || !payload.trades) return;
    for (const trade of payload.trades) {
      receipts += 1;
      if (trade.committedAt < measureFrom) continue;
      const ms = at - trade.committedAt;
      histogram.record(ms);
      window.record(ms);
    }
  };
}

async function connectSocketIo(url: string, symbol: string, channels: string[]): Promise<Socket> {
  const socket = io(`${url}/market`, { transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false });
  socket.onAny(receiver());
  socket.on('disconnect', lost);
  socket.connect();
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const ack = (await socket.timeout(30_000).emitWithAck('subscribe', { symbol, channels })) as { ok: boolean; code?: string };
  if (!ack.ok) throw new Error(`subscribe refused: ${ack.code}`);
  return socket;
}

async function connectWire(url: string, symbol: string, channels: string[]): Promise<WireClient> {
  const client = new WireClient(url, '/market');
  client.onAny(receiver() as (event: string, payload: unknown) => void);
  client.onDisconnect(lost);
  await client.connect();
  const ack = (await client.emitWithAck('subscribe', { symbol, channels })) as { ok: boolean; code?: string };
  if (!ack.ok) throw new Error(`subscribe refused: ${ack.code}`);
  return client;
}

async function start(url: string, symbol: string, count: number, channels: string[], client: ClientKind): Promise<void> {
  const connectOne = async () => {
    sockets.push(client === 'wire' ? await connectWire(url, symbol, channels) : await connectSocketIo(url, symbol, channels));
  };
  // A few at a time, as browsers arriving would.
  const batch = 50;
  for (let i = 0; i < count; i += batch) await Promise.all(Array.from({ length: Math.min(batch, count - i) }, connectOne));
  send({ type: 'connected', count: sockets.length });
  setInterval(() => {
    send({ type: 'tick', receipts, messages, gaps, p99: window.quantile(0.99) });
    window.reset();
  }, 1000).unref();
}

process.on('message', (m: ParentMessage) => {
  switch (m.type) {
    case 'start':
      start(m.url, m.symbol, m.count, m.channels, m.client).catch((error: unknown) => send({ type: 'error', message: String(error) }));
      break;
    case 'clock':
      send({ type: 'clock', t: m.t, child: now() });
      break;
    case 'measure':
      measureFrom = m.from;
      break;
    case 'cpu':
      cpuFrom = process.cpuUsage();
      break;
    case 'cpuStop':
      cpuUsed = process.cpuUsage(cpuFrom);
      break;
    case 'finish':
      finishing = true; // the closes below are ours, not disconnects
      send({ type: 'report', histogram: histogram.toData(), receipts, messages, gaps, resets, disconnects, cpuMs: cpuUsed ? (cpuUsed.user + cpuUsed.system) / 1000 : 0 });
      for (const s of sockets) s.close();
      setTimeout(() => process.exit(0), 200).unref();
      break;
  }
});
