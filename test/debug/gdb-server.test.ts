import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { serveGdb, type GdbOutcome } from '../../src/debug/gdb-server.js';
import { GdbClient } from '../../src/debug/gdb-client.js';
import { encodePacket, le32 } from '../../src/debug/gdb-packets.js';
import { bareSession, image, brief } from './sessions.js';

/** Serves a session of `src` on a free port; the client connected to it, and how the session ended. */
async function serve(src?: string) {
  const { session, history } = bareSession(image(src));
  const logged: string[] = [];
  let port = 0;
  let outcome!: Promise<GdbOutcome>;
  await new Promise<void>((resolve) => {
    outcome = serveGdb(session, { port: 0, onListening: (p) => ((port = p), resolve()), log: (l) => logged.push(l) });
  });
  const client = await GdbClient.open(port);
  return { client, outcome, logged, port, history };
}

const SPIN = `
_start:
    j _start
`;

describe('the gdb stub over TCP', () => {
  it('acknowledges packets, asks again for a corrupted one, and ends on detach', async () => {
    const { client, outcome, logged } = await serve();
    client.raw('$g#00');
    expect(await client.request('qC')).toBe('QC01');
    expect(logged).toEqual(['gdb connected from 127.0.0.1', "gdb stub: bad checksum '00' (expected 67); asked gdb to send it again"]);
    expect(await client.request('QStartNoAckMode')).toBe('OK');
    expect(await client.request('m80000000,4')).toBe('93020000');
    expect(await client.request('D')).toBe('OK');
    expect(await outcome).toBe('detach');
  });

  it('stops a running continue on Ctrl-C with SIGINT', async () => {
    const { client, outcome } = await serve(SPIN);
    client.raw(encodePacket('vCont;c'));
    await new Promise((r) => setTimeout(r, 50));
    client.raw('\x03');
    expect(brief(await client.next())).toBe(`T02thread:01;20:${le32(0x80000000)};`);
    client.raw(encodePacket('k'));
    expect(await outcome).toBe('kill');
  });

  it('stops a running continue when gdb goes away before it reports the disconnect', async () => {
    const { client, outcome, history } = await serve(SPIN);
    client.raw(encodePacket('c'));
    await new Promise((r) => setTimeout(r, 50));
    client.close();
    expect(await outcome).toBe('disconnect');
    const at = history.position;
    expect(at).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(history.position).toBe(at); // nothing steps the machine any more
  });

  it('ends with disconnect when gdb goes away, and reports a port in use', async () => {
    const { client, outcome, port } = await serve();
    client.close();
    expect(await outcome).toBe('disconnect');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const used = (blocker.address() as { port: number }).port;
    const { session } = bareSession();
    await expect(serveGdb(session, { port: used, onListening: () => {}, log: () => {} })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    blocker.close();
    expect(port).toBeGreaterThan(0);
  });
});
