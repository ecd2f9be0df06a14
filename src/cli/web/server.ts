/**
 * The browser stepper's server (`shadowvm step PROGRAM --web`): node:http on 127.0.0.1, serving the one page
 * (page.ts, everything inline: no network needed) and a JSON API over the text stepper's commands:
 *   GET  /api/state              the view (state.ts)
 *   POST /api/command {command}  runs one stepper command (s N, e, g ADDR|SYMBOL, f, c) and returns
 *                                {output, view}; `q` answers and stops the server.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ShadowError } from '../../base/errors.js';
import { PAGE } from './page.js';
import type { StepperModel } from './state.js';

export interface StepServer {
  readonly url: string;
  /** Settles when the server has stopped (`q` from the page, or `close`). */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

const MAX_BODY = 4096;
const COMMANDS = /^\s*(s(\s+\d+)?|e|g\s+\S+|f(\s+(\d+|joining))?|c|v|q)\s*$/;

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    // The page needs nothing from anywhere else; this makes the browser refuse any other origin.
    'content-security-policy':
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:",
  });
  res.end(body);
}

const json = (res: ServerResponse, status: number, value: unknown): void => send(res, status, 'application/json', JSON.stringify(value));

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > MAX_BODY) {
        resolve(undefined);
        req.destroy();
      }
    });
    req.on('end', () => resolve(body));
    req.on('error', () => resolve(undefined));
  });
}

/** Parses `{"command": "..."}`; a message for anything else. */
export function parseCommand(body: string | undefined): { command: string } | { error: string } {
  if (body === undefined) return { error: `request body over ${MAX_BODY} bytes` };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { error: 'expected a JSON body {"command": "..."}' };
  }
  const command = (value as { command?: unknown } | null)?.command;
  if (typeof command !== 'string') return { error: 'expected a JSON body {"command": "..."}' };
  if (!COMMANDS.test(command)) return { error: `unknown command '${command.slice(0, 40)}' (s [N], e, g ADDR|SYMBOL, f [RANK], c, v, q)` };
  return { command: command.trim() };
}

/** Starts serving `model` on 127.0.0.1:`port` (0: a free port). */
export function startStepServer(model: StepperModel, port: number): Promise<StepServer> {
  let stopped!: () => void;
  const closed = new Promise<void>((resolve) => (stopped = resolve));
  const server = createServer((req, res) => {
    void handle(req, res);
  });
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  server.on('close', () => stopped());

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && (path === '/' || path === '/index.html')) return send(res, 200, 'text/html; charset=utf-8', PAGE);
    if (req.method === 'GET' && path === '/api/state') return json(res, 200, model.view());
    if (req.method === 'POST' && path === '/api/command') {
      const parsed = parseCommand(await readBody(req));
      if ('error' in parsed) return json(res, 400, parsed);
      const r = model.stepper.command(parsed.command);
      // The text stepper ends its output with its text view; the page draws its own.
      const text = model.stepper.view();
      const output = r.output.endsWith(text) ? r.output.slice(0, -text.length) : r.output;
      if (r.quit) res.once('finish', () => void close());
      json(res, 200, { output, view: model.view() });
      return;
    }
    json(res, 404, { error: `no such page: ${req.method} ${path}` });
  }

  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(new ShadowError('USAGE', `step --web: cannot listen on 127.0.0.1:${port}: ${err.code ?? err.message}`)),
    );
    server.listen(port, '127.0.0.1', () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${actual}/`, closed, close });
    });
  });
}
