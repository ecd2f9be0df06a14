import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Stepper } from '../../../src/cli/stepper.js';
import { StepperModel, type StepperView } from '../../../src/cli/web/state.js';
import { parseCommand, startStepServer, type StepServer } from '../../../src/cli/web/server.js';
import { program } from '../../programs.js';

describe('the browser stepper server', () => {
  let server: StepServer;
  beforeAll(async () => {
    const stepper = new Stepper(program('counter.elf'), {}, false);
    server = await startStepServer(new StepperModel(stepper, program('counter.elf'), 'counter.elf'), 0);
  });
  afterAll(() => server.close());

  const post = (body: string): Promise<Response> => fetch(server.url + 'api/command', { method: 'POST', body });

  it('serves one self-contained page that loads nothing from elsewhere', async () => {
    const r = await fetch(server.url);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await r.text();
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    expect((await fetch(server.url + 'nope')).status).toBe(404);
  });

  it('runs stepper commands and answers with the log and the view', async () => {
    const r = (await (await post('{"command":"e"}')).json()) as { output: string; view: StepperView };
    expect(r.output).toBe('primary: epoch\nbackup ran 1 epoch(s)\n');
    expect(r.view.replicas.map((x) => [x.name, x.epoch, x.instret])).toEqual([
      ['primary', 2, 4096],
      ['backup', 2, 4096],
    ]);
    expect(r.view.replicas[0]!.epochs).toEqual([{ epoch: 1, start: 0, end: 4096, reason: 'rr' }]);
  });

  it('refuses what is not a stepper command', async () => {
    const r = await post('{"command":"x"}');
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ error: "unknown command 'x' (s [N], e, g ADDR|SYMBOL, f [RANK], c, v, q)" });
    expect(parseCommand('nope')).toEqual({ error: 'expected a JSON body {"command": "..."}' });
    expect(parseCommand(undefined)).toEqual({ error: 'request body over 4096 bytes' });
    expect(parseCommand('{"command":" s 5 "}')).toEqual({ command: 's 5' });
  });

  it('says so when its port is taken', async () => {
    const port = Number(new URL(server.url).port);
    const model = new StepperModel(new Stepper(program('counter.elf'), {}, false), program('counter.elf'), 'counter.elf');
    await expect(startStepServer(model, port)).rejects.toThrow(`step --web: cannot listen on 127.0.0.1:${port}: EADDRINUSE`);
  });

  it('stops on q', async () => {
    const r = await post('{"command":"q"}');
    expect(r.status).toBe(200);
    await server.closed;
  });
});
