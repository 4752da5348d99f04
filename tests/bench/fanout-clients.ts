// Child process of the fan-out benchmark: holds a share of the socket.io clients, subscribes them
// to one symbol, and measures, for every trade each client receives, the time from the trade's
// commit (`committedAt`, stamped by the server from the same machine clock) to its receipt here.
// Each client also runs the sequence tracker, so a lost or reordered message would be counted.
import { io, type Socket } from 'socket.io-client';
import { sequencedOf, StreamSequenceTracker } from '../../client/src/shared/socket/stream-sequence.ts';
import { Histogram } from './fanout-histogram.ts';

export type ParentMessage =
  | { type: 'start'; url: string; symbol: string; count: number; channels: string[] }
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

const sockets: Socket[] = [];
const histogram = new Histogram();
const window = new Histogram();
let measureFrom = Infinity;
let receipts = 0;
let messages = 0;
let gaps = 0;
let resets = 0;
let disconnects = 0;
let cpuFrom: NodeJS.CpuUsage | undefined;
let cpuUsed: NodeJS.CpuUsage | undefined;

function attach(socket: Socket): void {
  const tracker = new StreamSequenceTracker((_stream, verdict) => {
    if (verdict.kind === 'gap') gaps += 1;
    else resets += 1;
  });
  socket.onAny((event: string, payload: { stream?: string; trades?: Array<{ committedAt: number }> }) => {
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
  });
  socket.on('disconnect', () => (disconnects += 1));
}

async function start(url: string, symbol: string, count: number, channels: string[]): Promise<void> {
  const connectOne = async () => {
    const socket = io(`${url}/market`, { transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false });
    attach(socket);
    socket.connect();
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const ack = (await socket.timeout(30_000).emitWithAck('subscribe', { symbol, channels })) as { ok: boolean; code?: string };
    if (!ack.ok) throw new Error(`subscribe refused: ${ack.code}`);
    sockets.push(socket);
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
      start(m.url, m.symbol, m.count, m.channels).catch((error: unknown) => send({ type: 'error', message: String(error) }));
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
      for (const s of sockets) s.removeAllListeners('disconnect');
      send({ type: 'report', histogram: histogram.toData(), receipts, messages, gaps, resets, disconnects, cpuMs: cpuUsed ? (cpuUsed.user + cpuUsed.system) / 1000 : 0 });
      for (const s of sockets) s.close();
      setTimeout(() => process.exit(0), 200).unref();
      break;
  }
});
