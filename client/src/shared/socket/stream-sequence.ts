// Per-stream sequence tracking for live messages, independent of socket.io and React.
//
// A message says where it sits in its stream: `sequence` (and `epoch`, the numbering
// generation). Two kinds of streams exist:
//   - counted streams (trades, ticker, account, regulator): sequence goes 1, 2, 3 … with no gaps;
//   - chained streams (the order book): sequence is the book's own and `prevSequence` names the
//     message before it, so a gap is a message whose prevSequence is not the last one seen.
// The tracker tells the caller, per message, whether to apply it and whether something was
// missed (then the caller reloads its REST snapshot, the source of truth).

export interface StreamPosition {
  sequence: number;
  epoch?: string;
}

export interface SequencedMessage extends StreamPosition {
  /** Present (number or null) on chained streams only; null starts a new chain. */
  prevSequence?: number | null;
}

export type Verdict =
  /** The first message of a stream the tracker had no position for: apply it. */
  | { kind: 'first' }
  /** The next message: apply it. */
  | { kind: 'next' }
  /** Already seen or older than the snapshot the caller holds: ignore it. */
  | { kind: 'stale' }
  /** Messages were missed between `expected` and this one: apply it if you like, then reload. */
  | { kind: 'gap'; expected: number; received: number }
  /** Numbering started over (new epoch, or a chain restart): reload. */
  | { kind: 'reset' };

interface State {
  epoch: string | undefined;
  last: number;
}

/** Reads a stream position from a message (sequence as a number or a digit string). */
export function sequencedOf(payload: unknown): SequencedMessage | null {
  if (!payload || typeof payload !== 'object') return null;
  const p = payload as { sequence?: unknown; epoch?: unknown; prevSequence?: unknown };
  const sequence = typeof p.sequence === 'number' ? p.sequence : typeof p.sequence === 'string' && /^\d+$/.test(p.sequence) ? Number(p.sequence) : null;
  if (sequence === null || !Number.isSafeInteger(sequence)) return null;
  const message: SequencedMessage = { sequence };
  if (typeof p.epoch === 'string') message.epoch = p.epoch;
  if ('prevSequence' in p) message.prevSequence = typeof p.prevSequence === 'number' ? p.prevSequence : null;
  return message;
}

export class StreamSequenceTracker {
  private readonly streams = new Map<string, State>();

  /**
   * @param onMissed called whenever a stream shows a gap or a restart: reload snapshots there.
   */
  constructor(private readonly onMissed?: (stream: string, verdict: Extract<Verdict, { kind: 'gap' | 'reset' }>) => void) {}

  /**
   * Records where a stream stood when the caller's snapshot was taken (a subscribe
   * acknowledgement, a `ready` message, the book's REST sequence). Never moves a stream back
   * within one epoch: a message may overtake the acknowledgement that positions it.
   */
  baseline(stream: string, position: StreamPosition): void {
    const state = this.streams.get(stream);
    const epoch = position.epoch ?? state?.epoch;
    if (state && state.epoch === epoch && position.sequence <= state.last) return;
    this.streams.set(stream, { epoch, last: position.sequence });
  }

  /** Where the tracker believes a stream stands. */
  position(stream: string): StreamPosition | undefined {
    const state = this.streams.get(stream);
    return state && { sequence: state.last, ...(state.epoch === undefined ? {} : { epoch: state.epoch }) };
  }

  observe(stream: string, message: SequencedMessage): Verdict {
    const verdict = this.judge(stream, message);
    if ((verdict.kind === 'gap' || verdict.kind === 'reset') && this.onMissed) this.onMissed(stream, verdict);
    return verdict;
  }

  /** Forgets one stream, or all of them (after a reconnect, before reloading). */
  forget(stream?: string): void {
    if (stream === undefined) this.streams.clear();
    else this.streams.delete(stream);
  }

  private judge(stream: string, message: SequencedMessage): Verdict {
    const state = this.streams.get(stream);
    const chained = 'prevSequence' in message;
    if (!state) {
      this.streams.set(stream, { epoch: message.epoch, last: message.sequence });
      return { kind: 'first' };
    }
    const epochChanged = message.epoch !== undefined && state.epoch !== undefined && message.epoch !== state.epoch;
    if (epochChanged || (chained && message.prevSequence === null && message.sequence <= state.last)) {
      this.streams.set(stream, { epoch: message.epoch ?? state.epoch, last: message.sequence });
      return { kind: 'reset' };
    }
    if (state.epoch === undefined && message.epoch !== undefined) state.epoch = message.epoch;
    if (message.sequence <= state.last) return { kind: 'stale' };
    const expected = state.last + 1;
    const previous = state.last;
    state.last = message.sequence;
    if (chained) {
      // A chain restarted ahead of us, or it skipped a link we never saw.
      if (message.prevSequence === null || message.prevSequence! > previous) return { kind: 'gap', expected, received: message.sequence };
      return { kind: 'next' };
    }
    return message.sequence === expected ? { kind: 'next' } : { kind: 'gap', expected, received: message.sequence };
  }
}
