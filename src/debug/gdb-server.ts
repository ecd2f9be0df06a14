/**
 * The TCP side of the gdb stub: listens on a port (0: any free one), waits for one gdb, as `qemu -s -S`
 * does, and carries packets between the socket and a `GdbSession`: it acknowledges each packet, asks
 * again (`-`) for a corrupted one, sends a packet again when gdb asks, hands a Ctrl-C to a running
 * continue, and answers packets one at a time in order. It resolves when gdb detaches, kills the guest or
 * goes away; nothing gdb sends can throw out of it.
 */
import { createServer, type Socket } from 'node:net';
import { PacketDecoder, encodePacket } from './gdb-packets.js';
import type { GdbSession } from './gdb-session.js';

const RESUME = /^(c|s|b[cs]|vCont;)/;

export type GdbOutcome = 'detach' | 'kill' | 'disconnect';

export interface GdbListenOptions {
  readonly port: number;
  /** Default 127.0.0.1: the stub executes whatever it is told, so it listens on this host only. */
  readonly host?: string;
  /** Called once the port is open, with the port (the real one when `port` was 0). */
  readonly onListening: (port: number) => void;
  /** Lines for the user (a connection, a corrupted packet, a disconnect). */
  readonly log: (line: string) => void;
}

/** Opens the port and waits for gdb; then serves the session until it ends. Rejects only when the port cannot be opened. */
export function serveGdb<S>(session: GdbSession<S>, opts: GdbListenOptions): Promise<GdbOutcome> {
  return new Promise<GdbOutcome>((resolve, reject) => {
    const server = createServer({ noDelay: true });
    server.once('error', (err: NodeJS.ErrnoException) => reject(err));
    server.once('connection', (socket) => {
      server.close();
      opts.log(`gdb connected from ${socket.remoteAddress ?? '?'}`);
      serveSocket(session, socket, opts.log).then(resolve, () => resolve('disconnect'));
    });
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => {
      const addr = server.address();
      opts.onListening(typeof addr === 'object' && addr ? addr.port : opts.port);
    });
  });
}

function serveSocket<S>(session: GdbSession<S>, socket: Socket, log: (line: string) => void): Promise<GdbOutcome> {
  return new Promise<GdbOutcome>((resolve) => {
    const decoder = new PacketDecoder();
    const queue: string[] = [];
    let busy = false;
    let running = false;
    let done = false;
    let last = '';
    let closedWhileBusy = false;
    const finish = (outcome: GdbOutcome): void => {
      if (done) return;
      done = true;
      resolve(outcome);
    };
    const send = (data: string): void => {
      last = encodePacket(data);
      if (!socket.destroyed) socket.write(last, 'latin1');
    };
    const pump = async (): Promise<void> => {
      if (busy) return;
      busy = true;
      while (queue.length > 0 && !done) {
        const pkt = queue.shift()!;
        running = RESUME.test(pkt);
        const replies = await session.handle(pkt);
        running = false;
        if (closedWhileBusy) break;
        for (const r of replies) send(r);
        if (session.ended) {
          socket.end();
          finish(session.ended);
        }
      }
      busy = false;
      if (closedWhileBusy) finish('disconnect');
    };
    socket.on('data', (chunk: Buffer) => {
      for (const ev of decoder.feed(chunk)) {
        switch (ev.kind) {
          case 'packet':
            if (!session.noAck) socket.write('+');
            queue.push(ev.data);
            break;
          case 'bad':
            log(`gdb stub: ${ev.why}; ${session.noAck ? 'dropped it' : 'asked gdb to send it again'}`);
            if (!session.noAck) socket.write('-');
            break;
          case 'nak':
            if (last) socket.write(last, 'latin1');
            break;
          case 'interrupt':
            // A Ctrl-C may come in the same chunk as the continue it stops, before that continue starts.
            if (running || queue.some((q) => RESUME.test(q))) session.interrupt();
            break;
          case 'ack':
            break;
        }
      }
      void pump();
    });
    socket.on('error', (err) => log(`gdb connection: ${err.message}`));
    socket.on('close', () => {
      // A continue still running must stop before the caller drives the machine on its own.
      if (!busy) return finish('disconnect');
      closedWhileBusy = true;
      session.interrupt();
    });
  });
}
