/**
 * Checks a trace against the Chrome trace-event format as shadowvm writes it: field types, begin/end slices
 * matched per track, async operations begun and ended once, every flow start with exactly one end after it, and
 * timestamps that never go back on a track. Returns the problems found (none for a valid trace).
 */
import type { TraceEvent, TraceFile } from '../../src/debug/trace-format.js';

const PHASES = new Set(['B', 'E', 'i', 'b', 'n', 'e', 's', 'f', 'C', 'M']);

function fieldProblems(e: TraceEvent, i: number): string[] {
  const p: string[] = [];
  const at = `event ${i} (${JSON.stringify(e).slice(0, 80)})`;
  if (typeof e.name !== 'string' || e.name === '') p.push(`${at}: name is not a non-empty string`);
  if (!PHASES.has(e.ph)) p.push(`${at}: unknown phase`);
  if (typeof e.ts !== 'number' || !Number.isFinite(e.ts) || e.ts < 0) p.push(`${at}: ts is not a finite number >= 0`);
  if (!Number.isInteger(e.pid) || !Number.isInteger(e.tid)) p.push(`${at}: pid or tid is not an integer`);
  if (e.args !== undefined && (typeof e.args !== 'object' || e.args === null || Array.isArray(e.args)))
    p.push(`${at}: args is not an object`);
  if ('bnesf'.includes(e.ph) && (!Number.isInteger(e.id) || typeof e.cat !== 'string')) p.push(`${at}: id or cat missing`);
  if (e.ph === 'i' && e.s !== 't' && e.s !== 'g') p.push(`${at}: instant without scope t or g`);
  if (e.ph === 'C' && !Object.values(e.args ?? {}).every((v) => typeof v === 'number')) p.push(`${at}: counter with a non-number`);
  return p;
}

export function traceProblems(file: TraceFile): string[] {
  const problems: string[] = [];
  if (!Array.isArray(file.traceEvents)) return ['traceEvents is not an array'];
  const o = file.otherData;
  if (typeof o?.clock !== 'string' || typeof o.sampled !== 'boolean' || !Number.isInteger(o.events) || o.events !== file.traceEvents.length)
    problems.push('otherData does not describe the clock, the sampling and the event count');
  const stacks = new Map<number, string[]>();
  const lastTs = new Map<number, number>();
  const async = new Map<string, 'open' | 'closed'>();
  const flows = new Map<number, { s: number; f: number; sTs: number }>();
  file.traceEvents.forEach((e, i) => {
    problems.push(...fieldProblems(e, i));
    if (e.ph === 'M') return;
    if (e.ts < (lastTs.get(e.tid) ?? 0)) problems.push(`event ${i}: ts ${e.ts} goes back on track ${e.tid}`);
    lastTs.set(e.tid, e.ts);
    const stack = stacks.get(e.tid) ?? [];
    stacks.set(e.tid, stack);
    const key = `${e.cat}:${e.id}`;
    switch (e.ph) {
      case 'B':
        stack.push(e.name);
        break;
      case 'E':
        if (stack.pop() !== e.name) problems.push(`event ${i}: E '${e.name}' does not match the open slice on track ${e.tid}`);
        break;
      case 'b':
        if (async.has(key)) problems.push(`event ${i}: async ${key} begun twice`);
        async.set(key, 'open');
        break;
      case 'n':
      case 'e':
        if (async.get(key) !== 'open') problems.push(`event ${i}: async ${key} ${e.ph} outside its begin and end`);
        if (e.ph === 'e') async.set(key, 'closed');
        break;
      case 's':
      case 'f': {
        const fl = flows.get(e.id!) ?? { s: 0, f: 0, sTs: -1 };
        flows.set(e.id!, fl);
        if (e.ph === 's') {
          fl.s++;
          fl.sTs = e.ts;
          if (stack.length === 0) problems.push(`event ${i}: flow ${e.id} starts outside any slice`);
        } else {
          fl.f++;
          if (fl.s !== 1 || e.ts < fl.sTs) problems.push(`event ${i}: flow ${e.id} ends before it starts`);
          if (stack.length === 0) problems.push(`event ${i}: flow ${e.id} ends outside any slice`);
        }
        break;
      }
    }
  });
  for (const [tid, stack] of stacks) if (stack.length) problems.push(`track ${tid}: ${stack.length} slice(s) never ended`);
  for (const [key, st] of async) if (st !== 'closed') problems.push(`async ${key} never ended`);
  for (const [id, fl] of flows) if (fl.s !== 1 || fl.f !== 1) problems.push(`flow ${id}: ${fl.s} start(s), ${fl.f} end(s)`);
  return problems;
}
