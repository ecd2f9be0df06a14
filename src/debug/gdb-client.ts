/**
 * A minimal client of gdb's remote protocol: sends a packet, acknowledges and returns the reply. The
 * tests and the stepi benchmark use it to drive the stub over a real socket without gdb.
 */
import { connect, type Socket } from 'node:net';
import { PacketDecoder, encodePacket } from './gdb-packets.js';

export class GdbClient {
  private readonly decoder = new PacketDecoder();
  private readonly replies: string[] = [];
  private waiting: ((data: string) => void) | undefined;
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      for (const ev of this.decoder.feed(chunk)) {
        if (ev.kind !== 'packet') continue;
        socket.write('+');
        const w = this.waiting;
        if (w) {
          this.waiting = undefined;
          w(ev.data);
        } else this.replies.push(ev.data);
      }
    });
    socket.on('close', () => {
      this.closed = true;
      this.waiting?.('<closed>');
    });
    socket.on('error', () => {});
  }

  static open(port: number, host = '127.0.0.1'): Promise<GdbClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host }, () => resolve(new GdbClient(s)));
      s.once('error', reject);
    });
  }

  /** Sends raw bytes (malformed packets, Ctrl-C). */
  raw(bytes: string): void {
    this.socket.write(bytes, 'latin1');
  }

  /** The next packet the stub sends (`<closed>` when the connection closes first). */
  next(): Promise<string> {
    const r = this.replies.shift();
    if (r !== undefined) return Promise.resolve(r);
    if (this.closed) return Promise.resolve('<closed>');
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** Sends one packet and returns the stub's reply. */
  request(data: string): Promise<string> {
    this.raw(encodePacket(data));
    return this.next();
  }

  close(): void {
    this.socket.end();
  }
}
