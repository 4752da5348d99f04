import WebSocket from 'ws';

// A socket.io client reduced to what a market-data subscriber does, speaking the wire protocol
// itself (Engine.IO v4 over one WebSocket, Socket.IO v5 packets): connect to a namespace, emit
// with an acknowledgement, answer pings, receive events. socket.io-client does much more per
// message (reconnection state, buffering, per-packet decoder objects); with 1,000 of them on
// the benchmark's own two cores, the clients used more CPU than the server they measure.
//
// Packets (text frames): "0{…}" open · "2"/"3" ping/pong · "40/ns," connect · "42/ns,[ev,…]"
// event · "42/ns,<id>[ev,…]" event with ack · "43/ns,<id>[…]" ack · "44/ns,{…}" connect error.

type Listener = (event: string, payload: unknown) => void;

export class WireClient {
  private ws: WebSocket | undefined;
  private nextAck = 0;
  private readonly acks = new Map<number, (args: unknown[]) => void>();
  private readonly prefix: string;
  private onEvent: Listener = () => {};
  private onClose: () => void = () => {};

  constructor(
    private readonly url: string,
    private readonly namespace: string,
  ) {
    this.prefix = `${namespace},`;
  }

  onAny(listener: Listener): void {
    this.onEvent = listener;
  }

  onDisconnect(listener: () => void): void {
    this.onClose = listener;
  }

  /** Opens the socket and joins the namespace. */
  connect(timeoutMs = 30_000): Promise<void> {
    const ws = new WebSocket(`${this.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false });
    this.ws = ws;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no connection to ${this.namespace} within ${timeoutMs} ms`)), timeoutMs);
      ws.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      ws.on('close', () => this.onClose());
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (isBinary) return;
        const text = data.toString();
        switch (text.charCodeAt(0)) {
          case 48 /* 0 open */:
            ws.send(`40${this.prefix}`);
            return;
          case 50 /* 2 ping */:
            ws.send('3');
            return;
          case 52 /* 4 message */:
            break;
          default:
            return;
        }
        const kind = text.charCodeAt(1);
        const body = text.startsWith(this.prefix, 2) ? 2 + this.prefix.length : 2;
        if (kind === 48 /* 0 connect */) {
          clearTimeout(timer);
          resolve();
        } else if (kind === 52 /* 4 connect error */) {
          clearTimeout(timer);
          reject(new Error(`connect refused: ${text.slice(body)}`));
        } else if (kind === 50 /* 2 event */) {
          const args = JSON.parse(text.slice(text.indexOf('[', body))) as [string, unknown];
          this.onEvent(args[0], args[1]);
        } else if (kind === 51 /* 3 ack */) {
          const open = text.indexOf('[', body);
          const id = Number(text.slice(body, open));
          const done = this.acks.get(id);
          this.acks.delete(id);
          done?.(JSON.parse(text.slice(open)) as unknown[]);
        }
      });
    });
  }

  /** Emits an event and resolves with the acknowledgement's first argument. */
  emitWithAck(event: string, payload: unknown, timeoutMs = 30_000): Promise<unknown> {
    const id = this.nextAck++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.acks.delete(id);
        reject(new Error(`no acknowledgement of ${event} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.acks.set(id, (args) => {
        clearTimeout(timer);
        resolve(args[0]);
      });
      this.ws!.send(`42${this.prefix}${id}${JSON.stringify([event, payload])}`);
    });
  }

  close(): void {
    this.ws?.close();
  }
}
